//! Who is asking: `GET /api/me`, the token's user and role.

use axum::response::Response;

use super::cache::NotShared;
use super::extract::Viewer;
use super::types::Me;
use super::{error::ApiError, json};

/// `GET /api/me`: the user behind the bearer token (401 without one). The answer is one
/// user's, so it is never kept in the read cache, which is shared by everyone of a role.
pub(crate) async fn me(viewer: Viewer) -> Result<Response, ApiError> {
    let user = viewer.user().ok_or_else(|| {
        ApiError::Unauthorized(
            "this needs a token (Authorization: Bearer TOKEN) to say whose it is".to_owned(),
        )
    })?;
    let mut response = json(&Me {
        id: user.id,
        name: user.name.clone(),
        role: user.role.to_string(),
    });
    response.extensions_mut().insert(NotShared);
    Ok(response)
}
