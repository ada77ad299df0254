//! Admin routes of the API: the job queue's progress (`GET /api/admin/jobs`).

use axum::extract::State;
use axum::response::Response;

use super::cache::NotShared;
use super::error::ApiError;
use super::extract::Writer;
use super::types::{Job, Jobs};
use super::{ApiState, json};
use crate::auth::Role;
use crate::wiki::jobs;

/// `GET /api/admin/jobs`: the newest jobs with their state and progress (an admin's token;
/// 401 without one, 403 for other roles). Never cached: it is for admins only.
pub(crate) async fn jobs(
    State(state): State<ApiState>,
    writer: Writer,
) -> Result<Response, ApiError> {
    writer.require(Role::Admin)?;
    let rows = jobs::recent(state.app.db(), jobs::LISTED).await?;
    let mut response = json(&Jobs {
        jobs: rows.into_iter().map(Job::from).collect(),
    });
    response.extensions_mut().insert(NotShared);
    Ok(response)
}
