//! Site settings and the protections every response gets: security headers and the request
//! body limit.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::session::{ApiRejection, is_api};
use super::{AppState, WebError};
use crate::auth::ReadAccess;

/// Site settings, from the environment (see the contract's table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Who may read (`PLUTARCH_READ_ACCESS`).
    pub read_access: ReadAccess,
    /// Whether cookies are marked `Secure` (`PLUTARCH_SECURE_COOKIES`): on behind HTTPS.
    pub secure_cookies: bool,
    /// The largest page text in bytes (`PLUTARCH_MAX_PAGE_BYTES`).
    pub max_page_bytes: usize,
    /// How long a request may take (`PLUTARCH_REQUEST_DEADLINE`): its reads are interrupted
    /// past it, and it is answered with 503 and `Retry-After`.
    pub request_deadline: std::time::Duration,
}

/// The request deadline when none is configured.
pub const DEFAULT_REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

impl Default for Settings {
    fn default() -> Self {
        Self {
            read_access: ReadAccess::Public,
            secure_cookies: false,
            max_page_bytes: crate::wiki::DEFAULT_MAX_PAGE_BYTES,
            request_deadline: DEFAULT_REQUEST_DEADLINE,
        }
    }
}

impl Settings {
    /// The largest request body accepted: three times the page limit (a form-encoded page of
    /// non-Latin text triples in size: every UTF-8 byte becomes `%XX`) plus 64 KiB for the
    /// other fields. The page limit itself is checked on the decoded text when saving.
    pub fn body_limit(&self) -> usize {
        self.max_page_bytes
            .saturating_mul(3)
            .saturating_add(64 * 1024)
    }
}

/// The Content-Security-Policy: only our own scripts, styles and images (and `data:` images),
/// no framing, forms post only to us.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the security headers to every response (pages, errors, 404s, static files, the API),
/// and HSTS when the site is served over HTTPS (secure cookies on).
pub(super) async fn headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if state.settings().secure_cookies {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// Refuses a body announced larger than the limit before reading any of it (413). Bodies
/// without a length are cut off at the same limit by `DefaultBodyLimit` as they are read.
pub(super) async fn limit_body(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limit = state.settings().body_limit();
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        let detail = format!(
            "the request body is larger than the limit of {} bytes (pages are limited to {} bytes)",
            limit,
            state.settings().max_page_bytes
        );
        return if is_api(request.uri().path()) {
            ApiRejection::TooLarge(detail).into_response()
        } else {
            WebError::TooLarge(detail).into_response()
        };
    }
    next.run(request).await
}
