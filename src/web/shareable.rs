//! Who may keep an answer, and answers of "not modified" (issue 20).
//!
//! One layer around the whole router decides, after the handler ran, what a cache in front
//! (Varnish, nginx, a CDN) may do with a `GET`:
//!
//! - an answer computed for a token or a session (the request carries `Authorization` or a
//!   cookie) is `private, no-store`, whatever it is;
//! - a successful anonymous answer that did not say otherwise is shareable: `public,
//!   max-age=0, s-maxage=N` ([`Settings::cdn_max_age`]), with an `ETag` (the handler's, else a
//!   hash of the body, so it changes whenever the body does) and a `Last-Modified` (when what
//!   the body shows last changed);
//! - anything else (errors, 429s, redirects) is `no-store`: it must not stick;
//! - every answer to a `GET` says `Vary: Cookie, Authorization`.
//!
//! A request whose `If-None-Match` names the answer's ETag, or (without `If-None-Match`, as
//! RFC 9110 13.2.2 orders them) whose `If-Modified-Since` is not before its `Last-Modified`,
//! is answered 304 with the validators and no body.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::Body as _;

use super::AppState;
use super::api::cache::{NotShared, page_of};
use crate::wiki::Title;

/// Larger bodies are not hashed for an ETag (they are still shareable, without one).
const LARGEST_HASHED: u64 = 16 * 1024 * 1024;

/// `Vary` of every answer to a `GET`: who asks decides what is answered.
const VARY: HeaderValue = HeaderValue::from_static("Cookie, Authorization");
/// `Cache-Control` of answers computed for a token or a session.
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-store");
/// `Cache-Control` of answers no cache may keep (errors).
const NO_STORE: HeaderValue = HeaderValue::from_static("no-store");

/// The conditions of a request, read before it goes on.
#[derive(Debug, Default)]
struct Conditions {
    if_none_match: Option<String>,
    if_modified_since: Option<SystemTime>,
}

impl Conditions {
    fn of(headers: &HeaderMap) -> Self {
        Self {
            if_none_match: headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            if_modified_since: headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| httpdate::parse_http_date(v).ok()),
        }
    }

    /// Whether the client's copy is the answer's (RFC 9110: `If-None-Match` wins; weak
    /// comparison for `GET`).
    fn not_modified(&self, headers: &HeaderMap) -> bool {
        if let Some(list) = &self.if_none_match {
            let Some(etag) = headers.get(header::ETAG).and_then(|v| v.to_str().ok()) else {
                return false;
            };
            return etag_matches(list, etag);
        }
        match (self.if_modified_since, last_modified(headers)) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        }
    }
}

fn last_modified(headers: &HeaderMap) -> Option<SystemTime> {
    let value = headers.get(header::LAST_MODIFIED)?.to_str().ok()?;
    httpdate::parse_http_date(value).ok()
}

/// Whether the `If-None-Match` list names `etag` (weakly: `W/` is ignored on both sides).
fn etag_matches(list: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let etag = opaque(etag);
    list.split(',')
        .map(opaque)
        .any(|tag| tag == "*" || tag == etag)
}

/// Whether the request carries a token or a cookie (a session): its answer is private.
fn is_personal(headers: &HeaderMap) -> bool {
    headers.contains_key(header::AUTHORIZATION) || headers.contains_key(header::COOKIE)
}

/// The page an answer is about, when it shows that page only (its view, its API reads);
/// `None` for everything else (listings, history, feeds), which may show any page.
fn page_shown(path: &str) -> Option<String> {
    if path.starts_with("/api/") {
        return page_of(path);
    }
    let segment = path.strip_prefix("/wiki/")?;
    if segment.contains('/') {
        return None;
    }
    let raw = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    Title::new(&raw).ok().map(|title| title.as_str().to_owned())
}

/// Whole seconds since the epoch (HTTP dates have no fractions).
fn seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// The `Last-Modified` of an answer made `now` that shows what changed at `changed`: never
/// before the start of today (UTC), as rendered pages may show the day; `None` while the
/// change is in the current second, which a later change in the same second could share
/// (the date would then not name the body).
fn last_modified_for(changed: SystemTime, now: SystemTime) -> Option<SystemTime> {
    let today = UNIX_EPOCH + Duration::from_secs(seconds(now) / 86_400 * 86_400);
    let changed = UNIX_EPOCH + Duration::from_secs(seconds(changed.max(today)));
    (seconds(changed) < seconds(now)).then_some(changed)
}

/// An anonymous page as kept in the page cache, with its ETag worked out once when it was
/// rendered, so a page served from memory is not hashed again on every request.
#[derive(Debug, Clone)]
pub(super) struct TaggedPage {
    body: axum::body::Bytes,
    etag: Option<HeaderValue>,
}

impl TaggedPage {
    /// `body`, tagged.
    pub(super) fn new(body: axum::body::Bytes) -> Self {
        let etag = body_etag(&body);
        Self { body, etag }
    }

    /// The HTML answer, with its ETag.
    pub(super) fn response(self) -> Response {
        let mut response = axum::response::Html(self.body).into_response();
        if let Some(etag) = self.etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        response
    }
}

/// A strong ETag naming `body`: 16 bytes of its SHA-256.
fn body_etag(body: &[u8]) -> Option<HeaderValue> {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::from_str(&format!("\"h{hex}\"")).ok()
}

/// `response` without its body: the answer to a request whose copy is current.
fn not_modified(response: Response) -> Response {
    let (mut parts, _) = response.into_parts();
    parts.status = StatusCode::NOT_MODIFIED;
    parts.headers.remove(header::CONTENT_TYPE);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::empty())
}

/// Middleware: says who may keep each answer to a `GET`, and answers 304 when the client's
/// copy is current.
pub(super) async fn policy(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let personal = is_personal(request.headers());
    let conditions = Conditions::of(request.headers());
    let page = page_shown(request.uri().path());
    let mut response = next.run(request).await;
    response.headers_mut().append(header::VARY, VARY);
    let status = response.status();
    if personal {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, PRIVATE);
    } else if status != StatusCode::OK {
        if !response.headers().contains_key(header::CACHE_CONTROL) {
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, NO_STORE);
        }
        return response;
    } else if !response.headers().contains_key(header::CACHE_CONTROL)
        && response.extensions().get::<NotShared>().is_none()
    {
        response = match shareable(response, &state, page.as_deref()).await {
            Ok(response) => response,
            Err(response) => return response,
        };
    }
    if status == StatusCode::OK && conditions.not_modified(response.headers()) {
        return not_modified(response);
    }
    response
}

/// Marks a successful anonymous answer shareable and gives it its validators.
async fn shareable(
    response: Response,
    state: &AppState,
    page: Option<&str>,
) -> Result<Response, Response> {
    let (mut parts, body) = response.into_parts();
    let max_age = state.settings().cdn_max_age.as_secs();
    if let Ok(value) = HeaderValue::from_str(&format!("public, max-age=0, s-maxage={max_age}")) {
        parts.headers.insert(header::CACHE_CONTROL, value);
    }
    let changed = state.db().changed_at(page);
    if let Some(modified) = last_modified_for(changed, SystemTime::now()) {
        if let Ok(value) = HeaderValue::from_str(&httpdate::fmt_http_date(modified)) {
            parts.headers.insert(header::LAST_MODIFIED, value);
        }
    }
    let small = body
        .size_hint()
        .upper()
        .is_some_and(|size| size <= LARGEST_HASHED);
    if parts.headers.contains_key(header::ETAG) || !small {
        return Ok(Response::from_parts(parts, body));
    }
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Err((StatusCode::INTERNAL_SERVER_ERROR, "cannot read the answer").into_response());
    };
    if let Some(etag) = body_etag(&bytes) {
        parts.headers.insert(header::ETAG, etag);
    }
    Ok(Response::from_parts(parts, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_any() {
        assert!(etag_matches("\"a\"", "\"a\""));
        assert!(etag_matches("W/\"a\"", "\"a\""));
        assert!(etag_matches("\"b\", \"a\"", "\"a\""));
        assert!(etag_matches("*", "\"a\""));
        assert!(!etag_matches("\"b\"", "\"a\""));
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ETAG, HeaderValue::from_static("\"a\""));
        headers.insert(
            header::LAST_MODIFIED,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"),
        );
        let since = httpdate::parse_http_date("Mon, 07 Nov 1994 08:49:37 GMT").ok();
        let stale_tag = Conditions {
            if_none_match: Some("\"old\"".to_owned()),
            if_modified_since: since,
        };
        assert!(!stale_tag.not_modified(&headers));
        let date_only = Conditions {
            if_none_match: None,
            if_modified_since: since,
        };
        assert!(date_only.not_modified(&headers));
    }

    #[test]
    fn a_change_in_the_current_second_is_not_dated_and_no_date_is_before_today() {
        let now = UNIX_EPOCH + Duration::from_millis(1_700_000_000_500);
        assert_eq!(
            last_modified_for(now - Duration::from_millis(200), now),
            None
        );
        let earlier = UNIX_EPOCH + Duration::from_secs(1_700_000_000 - 10);
        assert_eq!(last_modified_for(earlier, now), Some(earlier));
        let last_year = UNIX_EPOCH + Duration::from_secs(1_600_000_000);
        let midnight = UNIX_EPOCH + Duration::from_secs(1_700_000_000 / 86_400 * 86_400);
        assert_eq!(last_modified_for(last_year, now), Some(midnight));
    }

    #[test]
    fn the_page_shown_is_a_view_or_an_api_read_of_one_page() {
        assert_eq!(
            page_shown("/wiki/ada_Lovelace").as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(page_shown("/api/pages/Ada").as_deref(), Some("Ada"));
        assert_eq!(page_shown("/wiki/Ada/history"), None);
        assert_eq!(page_shown("/recent"), None);
    }
}
