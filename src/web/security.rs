//! Site settings and the protections every response gets: security headers and the request
//! body limits.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
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
    /// The site's canonical address, like `https://wiki.example.org` (`serve --base-url`,
    /// `PLUTARCH_BASE_URL`; `serve` sets the listening address when none is given): the one
    /// origin of absolute links (feeds), never the request's `Host`, which a client chooses.
    pub base_url: Option<String>,
    /// How many API requests a second each client may make (`serve --api-rate`,
    /// `PLUTARCH_API_RATE`; by token when one is sent, else by address): past it, 429 with
    /// `Retry-After`. `None`: no limit.
    pub api_rate: Option<std::num::NonZeroU32>,
    /// The largest upload and the uploads per user and hour (`serve --max-upload-bytes`,
    /// `PLUTARCH_MAX_UPLOAD_BYTES`, `--uploads-per-hour`; issue 16).
    pub uploads: crate::wiki::files::UploadLimits,
    /// The reverse proxies whose `X-Forwarded-For` names the client (`serve --trusted-proxy`,
    /// `PLUTARCH_TRUSTED_PROXIES`), for the sign-in throttle and the API rate limit. Empty:
    /// the client is the connection's peer.
    pub trusted_proxies: Vec<super::proxies::TrustedProxy>,
    /// How long a shared cache in front (Varnish, a CDN) may keep an anonymous answer without
    /// asking again (`serve --cdn-max-age`, `PLUTARCH_CDN_MAX_AGE`): its `s-maxage`. Purges
    /// (`serve --purge-url`) make it safe to keep long.
    pub cdn_max_age: std::time::Duration,
    /// The primary this server is a read replica of (`serve --replica-of`,
    /// `PLUTARCH_REPLICA_OF`), and its lag limit; `None` on a primary.
    pub replica_of: Option<super::replica::ReplicaOf>,
}

/// The `s-maxage` of anonymous answers when none is configured.
pub const DEFAULT_CDN_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// The request deadline when none is configured.
pub const DEFAULT_REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(10);

impl Default for Settings {
    fn default() -> Self {
        Self {
            read_access: ReadAccess::Public,
            secure_cookies: false,
            max_page_bytes: crate::wiki::DEFAULT_MAX_PAGE_BYTES,
            request_deadline: DEFAULT_REQUEST_DEADLINE,
            base_url: None,
            api_rate: None,
            uploads: crate::wiki::files::UploadLimits::default(),
            trusted_proxies: Vec::new(),
            cdn_max_age: DEFAULT_CDN_MAX_AGE,
            replica_of: None,
        }
    }
}

/// The largest body of a request that carries no page text: signing in and out, protecting,
/// hiding, moving, deleting, reverting (forms and API). Their fields are a name, a password
/// (at most 1,024 characters), a title (255 bytes) or a reason (500 characters), at most three
/// times that size when percent-encoded. Without this limit, 300 slow 6 MB bodies sent to
/// `/login` held 2 GB of memory.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

impl Settings {
    /// The origin of absolute links: [`base_url`](Self::base_url), else `http://localhost`.
    pub fn origin(&self) -> &str {
        self.base_url.as_deref().unwrap_or("http://localhost")
    }

    /// The largest request body accepted where page text may come: three times the page limit
    /// (a form-encoded page of non-Latin text triples in size: every UTF-8 byte becomes `%XX`)
    /// plus 64 KiB for the other fields. The page limit itself is checked on the decoded text
    /// when saving.
    pub fn body_limit(&self) -> usize {
        self.max_page_bytes
            .saturating_mul(3)
            .saturating_add(64 * 1024)
    }

    /// The largest body accepted for a request: [`body_limit`](Self::body_limit) if it may
    /// carry a page, else [`FORM_BODY_LIMIT`].
    pub fn body_limit_for(&self, method: &Method, path: &str) -> usize {
        if carries_upload(method, path) {
            self.upload_body_limit()
        } else if carries_page_text(method, path) {
            self.body_limit()
        } else {
            FORM_BODY_LIMIT.min(self.body_limit())
        }
    }
}

impl Settings {
    /// The largest body of an upload: the file limit plus 64 KiB for the other fields and the
    /// multipart framing. The file's own size is checked against the limit when it is read.
    pub fn upload_body_limit(&self) -> usize {
        self.uploads.max_bytes.saturating_add(64 * 1024)
    }

    /// The largest body any route takes (the router's outer limit).
    pub fn largest_body_limit(&self) -> usize {
        self.body_limit().max(self.upload_body_limit())
    }
}

/// Whether a request is an upload (`POST /upload`, `POST /api/files`).
fn carries_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/upload" | "/api/files")
}

/// Whether a request may carry a whole page: an edit saved or previewed
/// (`POST /wiki/{title}/edit`), and the API's page and section writes
/// (`PUT /api/pages/{title}`, `PUT /api/pages/{title}/sections/{key}`).
fn carries_page_text(method: &Method, path: &str) -> bool {
    if method != Method::POST && method != Method::PUT {
        return false;
    }
    let mut segments = path.strip_prefix('/').unwrap_or(path).split('/');
    let mut next = || segments.next();
    match (next(), next(), next(), next(), next(), next()) {
        (Some("wiki"), Some(_), Some("edit"), None, None, None) => method == Method::POST,
        (Some("api"), Some("pages"), Some(_), None, None, None)
        | (Some("api"), Some("pages"), Some(_), Some("sections"), Some(_), None) => {
            method == Method::PUT
        }
        // MediaWiki's REST routes (issue 19): `POST /w/rest.php/v1/page`,
        // `PUT /w/rest.php/v1/page/{title}`.
        (Some("w"), Some("rest.php"), Some("v1"), Some("page"), None, None) => {
            method == Method::POST
        }
        (Some("w"), Some("rest.php"), Some("v1"), Some("page"), Some(_), None) => {
            method == Method::PUT
        }
        // MediaWiki's Action API: `action=edit` posts a whole page.
        (Some("w"), Some("api.php"), None, None, None, None)
        | (Some("api.php"), None, None, None, None, None) => method == Method::POST,
        _ => false,
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

/// Refuses a body announced larger than the request's limit before reading any of it (413),
/// and cuts off a body without a length at the same limit as it is read (the extractors answer
/// 413 then).
pub(super) async fn limit_body(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let settings = state.settings();
    let limit = settings.body_limit_for(request.method(), request.uri().path());
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|length| length > limit as u64) {
        let detail = if carries_upload(request.method(), request.uri().path()) {
            format!(
                "the upload is larger than the limit of {} bytes (serve --max-upload-bytes)",
                settings.uploads.max_bytes
            )
        } else if limit < settings.body_limit() {
            format!("the request body is larger than the limit of {limit} bytes for this form")
        } else {
            format!(
                "the request body is larger than the limit of {limit} bytes (pages are limited to {} bytes)",
                settings.max_page_bytes
            )
        };
        return if is_api(request.uri().path()) {
            ApiRejection::TooLarge(detail).into_response()
        } else {
            WebError::TooLarge(detail).into_response()
        };
    }
    let request = request.map(|body| Body::new(http_body_util::Limited::new(body, limit)));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_edits_and_api_page_writes_may_carry_a_page() {
        let page_sized = [
            (Method::POST, "/wiki/Ada_Lovelace/edit"),
            (Method::PUT, "/api/pages/Ada_Lovelace"),
            (Method::PUT, "/api/pages/Ada_Lovelace/sections/s1"),
            (Method::PUT, "/w/rest.php/v1/page/Ada_Lovelace"),
            (Method::POST, "/w/rest.php/v1/page"),
        ];
        for (method, path) in &page_sized {
            assert!(carries_page_text(method, path), "{method} {path}");
        }
        let small = [
            (Method::POST, "/login"),
            (Method::POST, "/logout"),
            (Method::POST, "/wiki/Ada/protect"),
            (Method::POST, "/wiki/Ada/hide"),
            (Method::POST, "/wiki/Ada/move"),
            (Method::POST, "/wiki/Ada/delete"),
            (Method::POST, "/wiki/Ada/undelete"),
            (Method::POST, "/wiki/Ada/revert"),
            (Method::GET, "/wiki/Ada/edit"),
            (Method::PUT, "/wiki/Ada/edit"),
            (Method::POST, "/wiki/Ada/edit/more"),
            (Method::POST, "/api/pages/Ada/revert"),
            (Method::POST, "/api/pages/Ada/move"),
            (Method::POST, "/api/pages/Ada"),
            (Method::DELETE, "/api/pages/Ada"),
            (Method::PUT, "/api/pages/Ada/sections/s1/revisions"),
        ];
        for (method, path) in &small {
            assert!(!carries_page_text(method, path), "{method} {path}");
        }
        let settings = Settings::default();
        assert_eq!(
            settings.body_limit_for(&Method::POST, "/login"),
            FORM_BODY_LIMIT
        );
        assert_eq!(
            settings.body_limit_for(&Method::POST, "/wiki/Ada/edit"),
            settings.body_limit()
        );
    }
}
