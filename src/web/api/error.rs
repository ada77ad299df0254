//! The API's one error type, answered as RFC 9457 `application/problem+json`.
//!
//! Policy: every refusal says what was wrong in `detail` and changes nothing. Bad input is never
//! logged as an error; internal failures are logged once, here, and answered without details.
//! A conflict (409) also carries `latest_revision`, `current_markup` and `your_markup`, so a
//! client can merge by hand and retry against `latest_revision`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::store::StoreError;
use crate::web::ApiRejection;
use crate::wiki::{TitleError, WikiError};

/// What an API request can fail with.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// Malformed or mistyped JSON, unknown fields, bad query parameters (400).
    #[error("{0}")]
    BadRequest(String),
    /// Query parameters the route does not take (400), named, with the ones it does take.
    #[error("unknown query parameters: {}; this route takes: {}", unknown.join(", "), if accepted.is_empty() { "none".to_owned() } else { accepted.join(", ") })]
    UnknownParameters {
        /// The names not taken, in the order sent.
        unknown: Vec<String>,
        /// The names the route takes.
        accepted: Vec<String>,
    },
    /// No token, or a token that is not valid (401).
    #[error("{0}")]
    Unauthorized(String),
    /// The token's user may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// No such page, section or revision (404).
    #[error("{0}")]
    NotFound(String),
    /// The route exists, the method does not (405).
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// Someone else changed what this write changes (409).
    #[error(
        "edit conflict: what you edited changed since your base revision (the page is now at revision {latest_revision}); nothing was saved"
    )]
    Conflict {
        /// The page's latest revision.
        latest_revision: i64,
        /// The latest markup of what was edited (page or section span).
        current_markup: String,
        /// The markup that was sent.
        your_markup: String,
    },
    /// The title to move to is taken (409, without the edit-conflict fields).
    #[error("{0}")]
    TitleTaken(String),
    /// The body or the page would be too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// The body is not JSON (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well formed, but cannot be carried out: an invalid title, say (422).
    #[error("{0}")]
    Unprocessable(String),
    /// Not available now: nothing can be saved (a read-only database, a full disk), or the
    /// answer could not be made in time (the request's deadline passed, or the server is
    /// shutting down). 503, with the reason and `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    /// Something broke on our side (500).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::UnknownParameters { .. } => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict { .. } | Self::TitleTaken(_) => StatusCode::CONFLICT,
            Self::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// The body of a problem response.
#[derive(Debug, Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'static str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    latest_revision: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_markup: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    your_markup: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unknown_parameters: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accepted_parameters: Option<&'a [String]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = match &self {
            Self::Internal(detail) => {
                tracing::error!(%detail, "API request failed");
                "the server could not answer this request; please try again".to_owned()
            }
            other => other.to_string(),
        };
        let mut problem = Problem {
            kind: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: &detail,
            latest_revision: None,
            current_markup: None,
            your_markup: None,
            unknown_parameters: None,
            accepted_parameters: None,
        };
        if let Self::Conflict {
            latest_revision,
            current_markup,
            your_markup,
        } = &self
        {
            problem.latest_revision = Some(*latest_revision);
            problem.current_markup = Some(current_markup);
            problem.your_markup = Some(your_markup);
        }
        if let Self::UnknownParameters { unknown, accepted } = &self {
            problem.unknown_parameters = Some(unknown);
            problem.accepted_parameters = Some(accepted);
        }
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            )],
            body,
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(crate::web::error::RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error.unavailable() {
            Some(reason) => Self::Unavailable(reason),
            None => Self::Internal(error.to_string()),
        }
    }
}

impl From<TitleError> for ApiError {
    fn from(error: TitleError) -> Self {
        Self::Unprocessable(format!("invalid title: {error}"))
    }
}

impl From<WikiError> for ApiError {
    fn from(error: WikiError) -> Self {
        match error {
            WikiError::Title(e) => e.into(),
            e @ (WikiError::PageMissing(_)
            | WikiError::SectionMissing { .. }
            | WikiError::RevisionMissing(_)) => Self::NotFound(e.to_string()),
            WikiError::Conflict {
                latest_revision,
                current_markup,
                your_markup,
            } => Self::Conflict {
                latest_revision,
                current_markup,
                your_markup,
            },
            e @ WikiError::TooLarge { .. } => Self::TooLarge(e.to_string()),
            e @ WikiError::TitleTaken(_) => Self::TitleTaken(e.to_string()),
            e @ (WikiError::TooManySections(_) | WikiError::Invalid(_)) => {
                Self::Unprocessable(e.to_string())
            }
            e @ (WikiError::Protected(_) | WikiError::RevisionHidden(_)) => {
                Self::Forbidden(e.to_string())
            }
            WikiError::Store(e) => e.into(),
        }
    }
}

impl From<ApiRejection> for ApiError {
    fn from(rejection: ApiRejection) -> Self {
        match rejection {
            e @ (ApiRejection::MissingToken | ApiRejection::BadToken) => {
                Self::Unauthorized(e.to_string())
            }
            ApiRejection::Forbidden(detail) => Self::Forbidden(detail),
            ApiRejection::TooLarge(detail) => Self::TooLarge(detail),
            ApiRejection::Internal(detail) => Self::Internal(detail),
            ApiRejection::Unavailable(detail) => Self::Unavailable(detail),
        }
    }
}
