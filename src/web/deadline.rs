//! Every request has a deadline (`--request-deadline`): the reads it makes are interrupted past
//! it and answered with 503 and `Retry-After` (see `store::deadline`).

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use crate::store::deadline;

/// Runs the request under its deadline, counted from now.
pub(super) async fn set(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let deadline = Instant::now() + state.settings().request_deadline;
    deadline::within(deadline, next.run(request)).await
}
