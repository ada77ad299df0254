//! The small fixed responses: health check, stylesheet, the fallback 404.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{AppState, WebError};

/// `GET /healthz`: 200 `ok`, without touching the database; on a replica, its lag (from
/// memory) as JSON, 503 past `--max-lag`.
pub(super) async fn healthz(State(state): State<AppState>) -> Response {
    match state.replica() {
        Some(replica) => super::replica::health(replica),
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
