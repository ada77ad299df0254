//! MediaWiki's Action API at `/w/api.php` (issue 19): the modules `parse`, `compare` and
//! `rsd`, each a plain function of the state, the parameters and the reader.
//!
//! [`endpoint`] is a small dispatcher for these three only, until they join the Action API's
//! own dispatcher; any other action answers `unknown_action`.

mod compare;
mod error;
mod parse;
mod rsd;

pub(crate) use error::MwError;

use std::collections::BTreeMap;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{AppState, MaybeUser};
use crate::auth::User;
use crate::web::ApiUser;

/// An Action API request's parameters, by name (the last value of a repeated name wins).
pub(crate) type Params = BTreeMap<String, String>;

/// The largest parameter string read (query or form body): larger is `toobig`.
const MOST_PARAMETER_BYTES: usize = 64 * 1024;

/// The format version asked for (`formatversion=2` or `latest`: 2; else 1).
pub(crate) fn format_version(params: &Params) -> u8 {
    match params.get("formatversion").map(String::as_str) {
        Some("2" | "latest") => 2,
        _ => 1,
    }
}

/// A multi-value parameter's values (`a|b|c`), empty ones left out.
pub(crate) fn split_values(raw: &str) -> Vec<&str> {
    raw.split('|').filter(|v| !v.is_empty()).collect()
}

/// A positive integer parameter `name`, or `badinteger`.
pub(crate) fn positive_integer(raw: &str, name: &str) -> Result<i64, MwError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            MwError::new(
                "badinteger",
                format!("Invalid value \"{raw}\" for integer parameter \"{name}\"."),
            )
        })
}

/// `GET`/`POST /w/api.php`: `action=parse`, `compare` or `rsd`.
pub(crate) async fn endpoint(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, body) = request.into_parts();
    let user = match reader(&state, &mut parts).await {
        Ok(user) => user,
        Err(e) => return e.into_response(),
    };
    let mut raw = parts.uri.query().unwrap_or("").to_owned();
    if parts.method == Method::POST {
        match axum::body::to_bytes(body, MOST_PARAMETER_BYTES).await {
            Ok(bytes) => {
                if !raw.is_empty() && !bytes.is_empty() {
                    raw.push('&');
                }
                raw.push_str(&String::from_utf8_lossy(&bytes));
            }
            Err(_) => {
                return MwError::new("toobig", "The request is too large.").into_response();
            }
        }
    }
    let params: Params = form_urlencoded::parse(raw.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    match params.get("action").map(String::as_str) {
        Some("rsd") => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/xml; charset=utf-8"),
            )],
            rsd::answer(&state),
        )
            .into_response(),
        Some("parse") => json(parse::answer(&state, &params, user.as_ref()).await),
        Some("compare") => json(compare::answer(&state, &params, user.as_ref()).await),
        other => MwError::new(
            "unknown_action",
            format!(
                "Unrecognized value for parameter \"action\": {}.",
                other.unwrap_or("")
            ),
        )
        .into_response(),
    }
}

/// Who reads: the user behind a bearer token, else the session's, else nobody.
async fn reader(
    state: &AppState,
    parts: &mut axum::http::request::Parts,
) -> Result<Option<User>, MwError> {
    if parts.headers.contains_key(header::AUTHORIZATION) {
        return match ApiUser::from_request_parts(parts, state).await {
            Ok(ApiUser(user)) => Ok(Some(user)),
            Err(e) => Err(MwError::new(
                "mwoauth-invalid-authorization",
                format!("The authorization headers in your request are not valid: {e}"),
            )),
        };
    }
    let Ok(MaybeUser(session)) = MaybeUser::from_request_parts(parts, state).await;
    Ok(session.map(|user| (*user).clone()))
}

/// An answer as JSON, or the error.
fn json(answer: Result<Value, MwError>) -> Response {
    match answer {
        Ok(value) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            serde_json::to_vec(&value).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_positive_and_versions_are_one_or_two() {
        assert_eq!(positive_integer(" 12 ", "fromrev"), Ok(12));
        for bad in ["0", "-1", "x", ""] {
            assert_eq!(
                positive_integer(bad, "fromrev").map_err(|e| e.code),
                Err("badinteger".to_owned())
            );
        }
        let params = |v: &str| Params::from([("formatversion".to_owned(), v.to_owned())]);
        assert_eq!(format_version(&params("2")), 2);
        assert_eq!(format_version(&params("latest")), 2);
        assert_eq!(format_version(&params("1")), 1);
        assert_eq!(format_version(&Params::new()), 1);
        assert_eq!(split_values("text||links"), ["text", "links"]);
    }
}
