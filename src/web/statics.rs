//! The small fixed responses: health check, stylesheet, the fallback 404.

use axum::http::header;
use axum::response::IntoResponse;

use super::WebError;

/// `GET /healthz`: 200 `ok`, without touching the database.
pub(super) async fn healthz() -> &'static str {
    "ok"
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
