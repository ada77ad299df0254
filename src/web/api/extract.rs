//! Extractors whose rejections come back as problem+json: the request body as JSON, query
//! parameters, path segments, `If-Match`, and the writer behind a bearer token.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::ApiState;
use super::error::ApiError;
use crate::auth::{Role, User};
use crate::web::ApiUser;
use crate::wiki::Precondition;

/// A JSON request body. Malformed JSON, wrong types and unknown fields are 400, a body over
/// the limit 413, a content type other than JSON 415 (no content type is taken as JSON, so a
/// plain `curl -d` works).
#[derive(Debug)]
pub(crate) struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = json_bytes(request, state).await?;
        parse(&bytes)
    }
}

/// An empty body is `None` (for routes whose body is optional, such as a reason).
impl<S, T> OptionalFromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Option<Self>, ApiError> {
        let bytes = json_bytes(request, state).await?;
        if bytes.is_empty() {
            return Ok(None);
        }
        parse(&bytes).map(Some)
    }
}

/// The body's bytes, after checking that it says it is JSON (or says nothing).
async fn json_bytes<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, ApiError> {
    if let Some(kind) = request.headers().get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("");
        let essence = kind.split(';').next().unwrap_or("").trim();
        let json = essence.eq_ignore_ascii_case("application/json")
            || (essence.len() > 17
                && essence[..12].eq_ignore_ascii_case("application/")
                && essence.ends_with("+json"));
        if !json {
            return Err(ApiError::UnsupportedMediaType(format!(
                "the body must be JSON (Content-Type: application/json), not {kind:?}"
            )));
        }
    }
    Bytes::from_request(request, state)
        .await
        .map_err(body_rejection)
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<ApiJson<T>, ApiError> {
    serde_json::from_slice(bytes)
        .map(ApiJson)
        .map_err(|e| ApiError::BadRequest(format!("the body is not what this route takes: {e}")))
}

fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(format!(
            "the request body is too large: {}",
            rejection.body_text()
        ))
    } else {
        ApiError::BadRequest(format!(
            "cannot read the request body: {}",
            rejection.body_text()
        ))
    }
}

/// Query parameters; a missing, mistyped or unknown parameter is 400.
#[derive(Debug)]
pub(crate) struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Self(q))
            .map_err(|e| ApiError::BadParameter(e.body_text()))
    }
}

/// Path segments, percent-decoded; a segment that is not UTF-8 is 400.
#[derive(Debug)]
pub(crate) struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(p)| Self(p))
            .map_err(|e| ApiError::BadParameter(e.body_text()))
    }
}

/// A write's `If-Match` precondition, if the header is there: `"r<id>"` as reads send it
/// (`"r<id>-<render key>"` from a section read matches on its revision part; a bare `r<id>` or
/// `<id>` is taken too), or `*` (the page exists). A list of tags or a weak tag is 400: a write
/// is based on exactly one revision.
#[derive(Debug)]
pub(crate) struct IfMatch(pub Option<Precondition>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(Self(None));
        };
        let precondition = value.to_str().ok().and_then(|v| match v.trim() {
            "*" => Some(Precondition::Exists),
            tag => revision_tag(tag).map(Precondition::Latest),
        });
        match precondition {
            Some(precondition) => Ok(Self(Some(precondition))),
            None => Err(ApiError::BadRequest(
                "If-Match must be one ETag as reads send it, such as \"r12\" (or *)".to_owned(),
            )),
        }
    }
}

/// The revision in `"r12"`, `"r12-<render key>"`, `r12` or `12`.
fn revision_tag(value: &str) -> Option<i64> {
    let value = value.trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    let value = value.strip_prefix('r').unwrap_or(value);
    let digits = match value.split_once('-') {
        Some((digits, key)) if !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit()) => {
            digits
        }
        Some(_) => return None,
        None => value,
    };
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl IfMatch {
    /// The base revision of a write: `base_revision` from the body (its merge semantics), else
    /// the revision `If-Match` names. Both may be given: `If-Match` is then only the
    /// precondition (the page must still be at that revision) and the edit merges from
    /// `base_revision`.
    pub(crate) fn base(&self, body: Option<i64>) -> Option<i64> {
        let header = match self.0 {
            Some(Precondition::Latest(revision)) => Some(revision),
            Some(Precondition::Exists) | None => None,
        };
        body.or(header)
    }
}

/// Who writes: the user behind `Authorization: Bearer TOKEN` (401 without a valid token),
/// with the editor role or more (403 otherwise).
#[derive(Debug, Clone)]
pub(crate) struct Writer(User);

impl Writer {
    /// The user id, the author of what they save.
    pub(crate) fn id(&self) -> i64 {
        self.0.id
    }

    /// 403 unless the writer has `role` or a higher one.
    pub(crate) fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.0.has(role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {role} role, and {} is a {}",
                self.0.name, self.0.role
            )))
        }
    }
}

impl FromRequestParts<ApiState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, &state.app).await?;
        let writer = Self(user);
        writer.require(Role::Editor)?;
        Ok(writer)
    }
}

/// Who reads: nobody in particular without `Authorization`, else the user behind the bearer
/// token (401 when it is not valid). Admins see hidden revisions (issue 7).
#[derive(Debug, Clone)]
pub(crate) struct Viewer(Option<User>);

impl Viewer {
    /// The token's user, if a token was sent.
    pub(crate) fn user(&self) -> Option<&User> {
        self.0.as_ref()
    }

    /// Whether the reader may see the text and summary of hidden revisions.
    pub(crate) fn see_hidden(&self) -> bool {
        crate::auth::policy::may_see_hidden(self.0.as_ref())
    }
}

impl FromRequestParts<ApiState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        if !parts.headers.contains_key(header::AUTHORIZATION) {
            return Ok(Self(None));
        }
        let ApiUser(user) = ApiUser::from_request_parts(parts, &state.app).await?;
        Ok(Self(Some(user)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_names_one_revision() {
        assert_eq!(revision_tag("\"r12\""), Some(12));
        assert_eq!(revision_tag(" r12 "), Some(12));
        assert_eq!(revision_tag("12"), Some(12));
        for bad in [
            "*",
            "W/\"r12\"",
            "\"r1\", \"r2\"",
            "\"rx\"",
            "\"\"",
            "r",
            "\"r12",
            "1234567890123456789",
        ] {
            assert_eq!(revision_tag(bad), None, "{bad}");
        }
    }
}
