//! The job queue page for admins: `GET /admin/jobs` lists jobs with their progress,
//! `POST /admin/jobs` starts one (CSRF token first, then the role).

use std::str::FromStr;

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::{Admin, CurrentUser};
use super::{AppState, WebError};
use crate::auth::Role;
use crate::render::views::jobs::{JobLine, jobs_page};
use crate::wiki::jobs::{self, JobKind};

/// `GET /admin/jobs`: the newest jobs (admins only).
pub(super) async fn list(
    State(state): State<AppState>,
    Admin(admin): Admin,
) -> Result<Response, WebError> {
    let rows = jobs::recent(state.db(), jobs::LISTED).await?;
    let lines: Vec<JobLine<'_>> = rows
        .iter()
        .map(|job| JobLine {
            id: job.id,
            kind: &job.kind,
            state: &job.state,
            done: job.done,
            total: job.total,
            attempts: job.attempts,
            last_error: job.last_error.as_deref(),
            created_by: job.created_by.as_deref(),
            created_at: &job.created_at,
            updated_at: &job.updated_at,
        })
        .collect();
    let startable: Vec<(&str, &str)> = JobKind::ALL
        .iter()
        .map(|kind| (kind.name(), kind.description()))
        .collect();
    Ok(jobs_page(&lines, &startable, admin.signed_in()).into_response())
}

/// What the start form posts.
#[derive(Debug, Deserialize)]
pub(super) struct StartForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
}

/// `POST /admin/jobs`: queues a job of `kind`; the server's runner does it between edits.
pub(super) async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<StartForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    user.require(Role::Admin)?;
    let kind = JobKind::from_str(&form.kind).map_err(WebError::BadRequest)?;
    jobs::enqueue(state.db(), kind, Some(user.id)).await?;
    Ok(Redirect::to("/admin/jobs").into_response())
}
