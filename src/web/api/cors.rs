//! Cross-origin calls: off unless `PLUTARCH_CORS_ORIGINS` lists the origins allowed to call
//! `/api` (comma-separated, such as `https://a.example,https://b.example`).

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// The environment variable that lists the allowed origins.
pub(crate) const CORS_ORIGINS: &str = "PLUTARCH_CORS_ORIGINS";

/// The origins in the environment, if any.
pub(crate) fn origins_from_env() -> Vec<String> {
    std::env::var(CORS_ORIGINS)
        .map(|v| parse_origins(&v))
        .unwrap_or_default()
}

/// `https://a.example, https://b.example/` as origins (no trailing slash, no blanks).
pub(crate) fn parse_origins(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The CORS layer for `origins`, or `None` when there are none (CORS off: browsers on other
/// sites cannot read the answers). Origins that are not valid header values are skipped with
/// a warning.
pub(crate) fn layer(origins: &[String]) -> Option<CorsLayer> {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| match HeaderValue::from_str(o) {
            Ok(v) => Some(v),
            Err(_) => {
                tracing::warn!("{CORS_ORIGINS}: ignoring {o:?}, which is not an origin");
                None
            }
        })
        .collect();
    if allowed.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(allowed))
            .allow_methods([Method::GET, Method::PUT, Method::POST, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
                header::IF_NONE_MATCH,
            ])
            .expose_headers([
                header::ETAG,
                header::LOCATION,
                HeaderName::from_static("www-authenticate"),
            ])
            .max_age(Duration::from_secs(3600)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_a_comma_separated_list() {
        assert_eq!(
            parse_origins(" https://a.example, https://b.example/ ,,"),
            ["https://a.example", "https://b.example"]
        );
        assert!(parse_origins("").is_empty());
        assert!(layer(&[]).is_none());
        assert!(layer(&["https://a.example".to_owned()]).is_some());
    }
}
