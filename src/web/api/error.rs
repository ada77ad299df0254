//! The API's one error type, answered as RFC 9457 `application/problem+json`.
//!
//! Policy: every refusal says what was wrong in `detail` and changes nothing. Bad input is never
//! logged as an error; internal failures are logged once, here, and answered without details.
//! A conflict (409) also carries `latest_revision`, `current_markup` and `your_markup`, so a
//! client can merge by hand and retry against `latest_revision`.
//!
//! Each variant is one [`ProblemKind`], whose `type` URI (`/problems/<kind>`), status and title
//! come from the one table in [`super::problem`]; clients tell problems apart by `type`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::problem::ProblemKind;
use crate::store::StoreError;
use crate::web::ApiRejection;
use crate::wiki::{TitleError, WikiError};

/// What an API request can fail with.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// Malformed or mistyped JSON, unknown fields (400).
    #[error("{0}")]
    BadRequest(String),
    /// A query or path parameter that cannot be read (400).
    #[error("{0}")]
    BadParameter(String),
    /// Revisions of two different pages where one page's were needed (422: well formed, each
    /// revision exists, but they cannot be compared).
    #[error("{0}")]
    DifferentPages(String),
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
    /// The page is protected (403).
    #[error("{0}")]
    Protected(String),
    /// The revision's text is hidden from this reader (403).
    #[error("{0}")]
    RevisionHidden(String),
    /// No such route (404).
    #[error("{0}")]
    NotFound(String),
    /// No live page with this title (404).
    #[error("{0}")]
    PageMissing(String),
    /// A live page that is not a source document, at a source's address (404: there is no
    /// source there; 422 would blame the request, which names a real page correctly).
    #[error("{0}")]
    NotASource(String),
    /// No such section (404).
    #[error("{0}")]
    SectionMissing(String),
    /// No such revision (404).
    #[error("{0}")]
    RevisionMissing(String),
    /// The page was deleted (410): unlike a page that never existed (404), so a mirror can
    /// drop its copy.
    #[error("{0}")]
    Gone(String),
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
    /// `If-Match` names a revision that is not the page's latest, or the page does not exist
    /// (412, with the current `ETag` when there is a page).
    #[error("{detail}")]
    PreconditionFailed {
        /// What did not match.
        detail: String,
        /// The page's latest revision, if it exists.
        latest_revision: Option<i64>,
    },
    /// A write to an existing page or section with neither `If-Match` nor `base_revision`
    /// (428, with the current `ETag`): it would overwrite edits it never saw.
    #[error(
        "the page exists (at revision {latest_revision}): send If-Match with the ETag you read, or base_revision, to change it; nothing was saved"
    )]
    PreconditionRequired {
        /// The page's latest revision.
        latest_revision: i64,
    },
    /// An undo whose changes no longer apply cleanly to the latest text (409).
    #[error(
        "cannot undo: later edits changed the same lines (the page is now at revision {latest_revision}); nothing was saved"
    )]
    UndoConflict {
        /// The page's latest revision.
        latest_revision: i64,
        /// The page's latest markup.
        current_markup: String,
    },
    /// Past the client's request rate (`serve --api-rate`): 429 with `Retry-After`.
    #[error("too many requests from this client: wait {retry_after} s and try again")]
    RateLimited {
        /// Seconds to wait.
        retry_after: u64,
    },
    /// Hiding a page's latest revision (409): revert first.
    #[error("{0}")]
    HidingLatest(String),
    /// The title to move to is taken (409, without the edit-conflict fields).
    #[error("{0}")]
    TitleTaken(String),
    /// The body or the page would be too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// The body is not JSON (415).
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The title is not acceptable (422).
    #[error("{0}")]
    InvalidTitle(String),
    /// Well formed, but cannot be carried out: too many sections, say (422).
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
    /// Which kind of problem this is.
    pub(crate) fn kind(&self) -> ProblemKind {
        match self {
            Self::BadRequest(_) => ProblemKind::BadRequest,
            Self::BadParameter(_) => ProblemKind::BadParameter,
            Self::DifferentPages(_) => ProblemKind::DifferentPages,
            Self::Unauthorized(_) => ProblemKind::Unauthorized,
            Self::Forbidden(_) => ProblemKind::Forbidden,
            Self::Protected(_) => ProblemKind::PageProtected,
            Self::RevisionHidden(_) => ProblemKind::RevisionHidden,
            Self::NotFound(_) => ProblemKind::NotFound,
            Self::PageMissing(_) => ProblemKind::PageMissing,
            Self::NotASource(_) => ProblemKind::NotASource,
            Self::SectionMissing(_) => ProblemKind::SectionMissing,
            Self::RevisionMissing(_) => ProblemKind::RevisionMissing,
            Self::MethodNotAllowed => ProblemKind::MethodNotAllowed,
            Self::Conflict { .. } => ProblemKind::EditConflict,
            Self::UndoConflict { .. } => ProblemKind::UndoConflict,
            Self::HidingLatest(_) => ProblemKind::RevisionIsLatest,
            Self::TitleTaken(_) => ProblemKind::TitleTaken,
            Self::TooLarge(_) => ProblemKind::TooLarge,
            Self::UnsupportedMediaType(_) => ProblemKind::UnsupportedMediaType,
            Self::InvalidTitle(_) => ProblemKind::InvalidTitle,
            Self::Unprocessable(_) => ProblemKind::Unprocessable,
            Self::Unavailable(_) => ProblemKind::Unavailable,
            Self::Internal(_) => ProblemKind::Internal,
            Self::Gone(_) => ProblemKind::PageDeleted,
            Self::RateLimited { .. } => ProblemKind::RateLimited,
            Self::PreconditionFailed { .. } => ProblemKind::PreconditionFailed,
            Self::PreconditionRequired { .. } => ProblemKind::PreconditionRequired,
            Self::UnknownParameters { .. } => ProblemKind::UnknownParameter,
        }
    }
}

/// The body of a problem response.
#[derive(Debug, Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
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
        let kind = self.kind();
        let status = kind.status();
        let detail = match &self {
            Self::Internal(detail) => {
                tracing::error!(%detail, "API request failed");
                "the server could not answer this request; please try again".to_owned()
            }
            other => other.to_string(),
        };
        let mut problem = Problem {
            kind: kind.uri(),
            title: kind.title(),
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
        if let Self::UndoConflict {
            latest_revision,
            current_markup,
        } = &self
        {
            problem.latest_revision = Some(*latest_revision);
            problem.current_markup = Some(current_markup);
        }
        let current = match &self {
            Self::PreconditionFailed {
                latest_revision, ..
            } => *latest_revision,
            Self::PreconditionRequired { latest_revision } => Some(*latest_revision),
            _ => None,
        };
        let mut current_etag = None;
        if let Some(latest) = current {
            problem.latest_revision = Some(latest);
            current_etag = super::revision_etag(latest).ok();
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
        if let Some(etag) = current_etag {
            response.headers_mut().insert(header::ETAG, etag);
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(crate::web::error::RETRY_AFTER_SECONDS),
            );
        }
        if let Self::RateLimited { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
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
        Self::InvalidTitle(format!("invalid title: {error}"))
    }
}

impl From<WikiError> for ApiError {
    fn from(error: WikiError) -> Self {
        match error {
            WikiError::Title(e) => e.into(),
            e @ WikiError::PageMissing(_) => Self::PageMissing(e.to_string()),
            e @ WikiError::SectionMissing { .. } => Self::SectionMissing(e.to_string()),
            e @ (WikiError::RevisionMissing(_) | WikiError::NotThisPagesRevision { .. }) => {
                Self::RevisionMissing(e.to_string())
            }
            e @ WikiError::DifferentPages { .. } => Self::DifferentPages(e.to_string()),
            WikiError::UndoConflict {
                latest_revision,
                current_markup,
            } => Self::UndoConflict {
                latest_revision,
                current_markup,
            },
            e @ WikiError::PageDeleted(_) => Self::Gone(e.to_string()),
            WikiError::Conflict {
                latest_revision,
                current_markup,
                your_markup,
            } => Self::Conflict {
                latest_revision,
                current_markup,
                your_markup,
            },
            e @ WikiError::PreconditionFailed { latest_revision } => Self::PreconditionFailed {
                detail: e.to_string(),
                latest_revision,
            },
            e @ WikiError::TooLarge { .. } => Self::TooLarge(e.to_string()),
            e @ WikiError::TitleTaken(_) => Self::TitleTaken(e.to_string()),
            e @ WikiError::HidingLatest { .. } => Self::HidingLatest(e.to_string()),
            e @ (WikiError::TooManySections(_) | WikiError::Invalid(_)) => {
                Self::Unprocessable(e.to_string())
            }
            e @ WikiError::Protected(_) => Self::Protected(e.to_string()),
            e @ WikiError::RevisionHidden(_) => Self::RevisionHidden(e.to_string()),
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
