//! Who writes through the REST routes: the user behind a bearer token, as for `/api`, or the
//! signed-in user of a session, whose body must then carry the session's CSRF token as
//! `token` (MediaWiki's rule for cookie sessions).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;

use crate::auth::Role;
use crate::web::api::ApiState;
use crate::web::api::error::ApiError;
use crate::web::api::extract::Writer;
use crate::web::{MaybeUser, check_csrf};

/// A writer with the editor role or more (401 without a token or a session, 403 otherwise).
#[derive(Debug, Clone)]
pub(super) enum RestWriter {
    /// `Authorization: Bearer …`: the token is the proof.
    Bearer(Writer),
    /// A session cookie: the body's `token` must be the session's CSRF token.
    Session(crate::web::CurrentUser),
}

impl RestWriter {
    /// The user id, the author of what they save.
    pub(super) fn id(&self) -> i64 {
        match self {
            Self::Bearer(writer) => writer.id(),
            Self::Session(user) => user.id,
        }
    }

    /// 403 unless a session's writer sent its CSRF token (a bearer token needs none).
    pub(super) fn check_token(&self, token: Option<&str>) -> Result<(), ApiError> {
        match self {
            Self::Bearer(_) => Ok(()),
            Self::Session(user) => check_csrf(user, token.unwrap_or_default()).map_err(|_| {
                ApiError::Forbidden(
                    "badtoken: a write with a session needs its CSRF token as \"token\" (or use a bearer token)"
                        .to_owned(),
                )
            }),
        }
    }
}

impl FromRequestParts<ApiState> for RestWriter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            return Ok(Self::Bearer(
                Writer::from_request_parts(parts, state).await?,
            ));
        }
        let Ok(MaybeUser(Some(user))) = MaybeUser::from_request_parts(parts, state).await else {
            return Err(ApiError::Unauthorized(
                "writing needs a bearer token (Authorization: Bearer …) or a signed-in session"
                    .to_owned(),
            ));
        };
        if !user.has(Role::Editor) {
            return Err(ApiError::Forbidden(format!(
                "this needs the {} role, and {} is a {}",
                Role::Editor,
                user.name,
                user.role
            )));
        }
        Ok(Self::Session(user))
    }
}
