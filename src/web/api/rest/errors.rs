//! MediaWiki's REST errors: `{"errorKey", "messageTranslations": {"en": …}, "httpCode",
//! "httpReason"}` as `application/json`, with the status of the refusal.
//!
//! The routes refuse with the JSON API's one error type, and so do the layers in front of them
//! (the session check of a private wiki, body limits, request rates), all as problem+json. One
//! middleware around the whole app reshapes those answers for paths under `/w/rest.php/`, so
//! every refusal there, whoever made it, has MediaWiki's shape. The problem's extra members
//! (`latest_revision`, `current_markup`, `your_markup`, the parameter lists) are kept, and so
//! are the headers (`Retry-After`, `WWW-Authenticate`, `ETag`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value, json};

/// The largest problem body reshaped (an edit conflict carries two page texts).
const LARGEST_PROBLEM: usize = 64 * 1024 * 1024;

/// Middleware: reshapes problem+json answers to requests under `/w/rest.php/`.
pub(crate) async fn mediawiki_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/w/rest.php/") {
        return next.run(request).await;
    }
    let response = next.run(request).await;
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/problem+json");
    if !is_problem {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let problem = match axum::body::to_bytes(body, LARGEST_PROBLEM).await {
        Ok(bytes) => serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null),
        Err(_) => Value::Null,
    };
    let reshaped = reshape(parts.status.as_u16(), &problem);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = serde_json::to_vec(&reshaped).unwrap_or_default();
    Response::from_parts(parts, Body::from(body))
}

/// The members of a problem that are its own, not extras to keep.
const PROBLEM_MEMBERS: [&str; 4] = ["type", "title", "status", "detail"];

/// A problem body as MediaWiki's REST error of status `status`.
fn reshape(status: u16, problem: &Value) -> Value {
    let detail = problem
        .get("detail")
        .and_then(Value::as_str)
        .unwrap_or("the request was refused");
    let slug = problem
        .get("type")
        .and_then(Value::as_str)
        .and_then(|uri| uri.rsplit('/').next())
        .filter(|slug| !slug.is_empty())
        .unwrap_or("error");
    let reason = axum::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    let mut error = Map::new();
    error.insert("errorKey".to_owned(), json!(format!("rest-{slug}")));
    error.insert("messageTranslations".to_owned(), json!({ "en": detail }));
    error.insert("httpCode".to_owned(), json!(status));
    error.insert("httpReason".to_owned(), json!(reason));
    if let Some(members) = problem.as_object() {
        for (name, value) in members {
            if !PROBLEM_MEMBERS.contains(&name.as_str()) {
                error.insert(name.clone(), value.clone());
            }
        }
    }
    Value::Object(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_becomes_a_mediawiki_error_with_its_extras() {
        let problem = json!({
            "type": "/problems/edit-conflict",
            "title": "Edit conflict",
            "status": 409,
            "detail": "edit conflict: nothing was saved",
            "latest_revision": 7
        });
        let error = reshape(409, &problem);
        assert_eq!(error["httpCode"], 409);
        assert_eq!(error["httpReason"], "Conflict");
        assert_eq!(error["errorKey"], "rest-edit-conflict");
        assert_eq!(
            error["messageTranslations"]["en"],
            "edit conflict: nothing was saved"
        );
        assert_eq!(error["latest_revision"], 7);
        assert!(error.get("type").is_none() && error.get("detail").is_none());
    }

    #[test]
    fn an_unreadable_problem_still_says_its_status() {
        let error = reshape(429, &Value::Null);
        assert_eq!(error["httpCode"], 429);
        assert_eq!(error["httpReason"], "Too Many Requests");
        assert_eq!(error["errorKey"], "rest-error");
    }
}
