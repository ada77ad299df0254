//! The query parameters each API route takes, as `openapi.json` declares them, enforced.
//!
//! The OpenAPI document is the one list: a parameter it does not name for the route is refused
//! with 400 naming the unknown ones and the accepted ones (`born_afer=1950` used to be ignored
//! and answer everyone), and a value longer than the `maxLength` it declares is 400 too,
//! counted in characters as JSON Schema counts them. Handlers then read only what the document
//! promises.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::OPENAPI;
use super::error::ApiError;

/// One declared query parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    /// Its name.
    pub(crate) name: String,
    /// Its `maxLength`, in characters, if it declares one.
    pub(crate) max_chars: Option<usize>,
}

/// The query parameters of every operation, keyed by method (lower case) and path template.
type Operations = HashMap<(String, String), Vec<Declared>>;

/// What `openapi.json` declares, read once.
fn operations() -> &'static Operations {
    static OPERATIONS: OnceLock<Operations> = OnceLock::new();
    OPERATIONS.get_or_init(|| read_operations(OPENAPI))
}

/// The query parameters of each operation of an OpenAPI document (path-level and
/// operation-level parameters alike). A document that is not JSON declares nothing; the
/// document's own test keeps ours valid.
fn read_operations(document: &str) -> Operations {
    let mut found = Operations::new();
    let Ok(document) = serde_json::from_str::<Value>(document) else {
        return found;
    };
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        let shared = query_parameters(item.get("parameters"));
        for (method, operation) in item {
            if method == "parameters" {
                continue;
            }
            let mut declared = shared.clone();
            declared.extend(query_parameters(operation.get("parameters")));
            found.insert((method.clone(), path.clone()), declared);
        }
    }
    found
}

fn query_parameters(list: Option<&Value>) -> Vec<Declared> {
    let Some(list) = list.and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|p| {
            let name = p.get("name")?.as_str()?.to_owned();
            let max_chars = p
                .pointer("/schema/maxLength")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok());
            Some(Declared { name, max_chars })
        })
        .collect()
}

/// Middleware: refuses query parameters the route's operation does not declare, and values
/// longer than declared. Routes the document does not list (none should be) pass unchecked.
pub(crate) async fn check(request: Request, next: Next) -> Response {
    let Some(path) = request.extensions().get::<MatchedPath>() else {
        return next.run(request).await;
    };
    let method = request.method().as_str().to_ascii_lowercase();
    let Some(declared) = operations().get(&(method, path.as_str().to_owned())) else {
        return next.run(request).await;
    };
    if let Err(e) = judge(declared, request.uri().query().unwrap_or("")) {
        return e.into_response();
    }
    next.run(request).await
}

/// Checks a query string against the declared parameters.
fn judge(declared: &[Declared], query: &str) -> Result<(), ApiError> {
    let mut unknown: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match declared.iter().find(|d| d.name == name) {
            None => {
                if !unknown.iter().any(|u| *u == name) {
                    unknown.push(name.into_owned());
                }
            }
            Some(Declared {
                max_chars: Some(max),
                ..
            }) if value.chars().count() > *max => {
                return Err(ApiError::BadRequest(format!(
                    "{name} can be at most {max} characters long"
                )));
            }
            Some(_) => {}
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    Err(ApiError::UnknownParameters {
        unknown,
        accepted: declared.iter().map(|d| d.name.clone()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Vec<Declared> {
        operations()
            .get(&("get".to_owned(), "/api/people".to_owned()))
            .cloned()
            .expect("GET /api/people is declared")
    }

    #[test]
    fn every_route_of_the_document_is_read() {
        let names: Vec<String> = people().into_iter().map(|d| d.name).collect();
        assert!(names.contains(&"born_after".to_owned()), "{names:?}");
        let revision = operations()
            .get(&("get".to_owned(), "/api/pages/{title}".to_owned()))
            .expect("GET /api/pages/{title}");
        assert_eq!(revision.len(), 1);
    }

    #[test]
    fn unknown_names_are_listed_once_with_the_accepted_ones() {
        let Err(ApiError::UnknownParameters { unknown, accepted }) =
            judge(&people(), "born_afer=1950&x=1&born_afer=2")
        else {
            panic!("refused");
        };
        assert_eq!(unknown, ["born_afer", "x"]);
        assert!(accepted.contains(&"born_after".to_owned()));
        assert!(judge(&people(), "born_after=1950&sort=-born").is_ok());
    }

    #[test]
    fn lengths_count_characters() {
        let max = people()
            .into_iter()
            .find(|d| d.name == "place")
            .and_then(|d| d.max_chars)
            .expect("place has a maxLength");
        let fits = format!("place={}", "%C3%A9".repeat(max));
        assert!(judge(&people(), &fits).is_ok());
        let over = format!("place={}", "e".repeat(max + 1));
        assert!(matches!(
            judge(&people(), &over),
            Err(ApiError::BadRequest(_))
        ));
    }
}
