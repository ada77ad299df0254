//! The small fixed responses: health check, stylesheet, the fallback 404.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{AppState, WebError};

/// `GET /healthz`: 200 `ok`, without touching the database; on a replica, its lag (from
/// memory) as JSON, 503 past `--max-lag`. `GET /healthz?revision` on a primary: its newest
/// revision as JSON, what replicas ask for their lag (open to them whatever the read access
/// and rate limits).
pub(super) async fn healthz(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    match state.replica() {
        Some(replica) => super::replica::health(replica),
        None if query.as_deref() == Some(super::replica::REVISION_QUERY) => {
            super::replica::primary_health(&state).await
        }
        None => "ok".into_response(),
    }
}

/// `GET /static/style.css`, cacheable for a day (the URL carries a version).
pub(super) async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        crate::render::views::STYLESHEET,
    )
}

/// Any other path.
pub(super) async fn not_found() -> WebError {
    WebError::NotFound
}
