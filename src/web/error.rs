//! One error type for every handler, rendered as an HTML page for people.
//!
//! Policy: bad input (a missing page, an invalid title) is answered with a clear page and
//! never logged as an error; internal failures are logged once, here, and shown without
//! details.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::render::views;
use crate::store::StoreError;
use crate::wiki::{Title, TitleError, WikiError};

/// What a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No such page (404, with a link to create it).
    #[error("there is no page called {0}")]
    MissingPage(Title),
    /// A request that cannot be answered as asked (a too-long search, say).
    #[error("{0}")]
    BadRequest(String),
    /// No such route.
    #[error("there is nothing at this address")]
    NotFound,
    /// A title that cannot exist.
    #[error(transparent)]
    BadTitle(#[from] TitleError),
    /// Only signed-in users may do this: answered with a redirect to the sign-in page, which
    /// comes back to `next` (a path on this site) afterwards.
    #[error("please sign in first")]
    SignInRequired {
        /// Where to go after signing in.
        next: String,
    },
    /// Signed in, but the role does not allow it (403).
    #[error("{0}")]
    Forbidden(String),
    /// A form post without a valid CSRF token (403); nothing was changed.
    #[error(
        "this form has expired or did not come from this site, so nothing was changed: go back, reload the page and try again"
    )]
    Csrf,
    /// A well-formed request that cannot be carried out (422): hiding a page's current
    /// revision, a reason that is too long.
    #[error("{0}")]
    Unprocessable(String),
    /// The request body is larger than the limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// Not available now: nothing can be saved (a read-only database, a full disk; reading
    /// still works), or the answer could not be made in time (the request's deadline passed, or
    /// the server is shutting down). 503 with the reason and `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    /// Something broke on our side.
    #[error("internal error: {0}")]
    Internal(String),
}

/// How long a client should wait before asking again after a 503, in seconds.
pub(crate) const RETRY_AFTER_SECONDS: u32 = 5;

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        match error.unavailable() {
            Some(reason) => Self::Unavailable(sentence(&reason)),
            None => Self::Internal(error.to_string()),
        }
    }
}

impl From<WikiError> for WebError {
    fn from(error: WikiError) -> Self {
        match error {
            WikiError::Title(e) => Self::BadTitle(e),
            WikiError::Store(e) => e.into(),
            WikiError::PageMissing(_)
            | WikiError::PageDeleted(_)
            | WikiError::SectionMissing { .. }
            | WikiError::RevisionMissing(_)
            | WikiError::NotThisPagesRevision { .. } => Self::NotFound,
            // Moderation (issue 7): protected pages and hidden revisions are 403s, rules that
            // refuse a request 422s.
            e @ (WikiError::Protected(_) | WikiError::RevisionHidden(_)) => {
                Self::Forbidden(sentence(&e.to_string()))
            }
            e @ (WikiError::Invalid(_)
            | WikiError::TooManySections(_)
            | WikiError::TitleTaken(_)
            | WikiError::PreconditionFailed { .. }
            | WikiError::DifferentPages { .. }
            | WikiError::UndoConflict { .. }
            | WikiError::HidingLatest { .. }) => Self::Unprocessable(sentence(&e.to_string())),
            e @ WikiError::TooLarge { .. } => Self::TooLarge(sentence(&e.to_string())),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, page) = match &self {
            Self::MissingPage(title) => {
                let edit_url = format!("/wiki/{}/edit", title.url_segment());
                (
                    StatusCode::NOT_FOUND,
                    views::errors::missing_page(title.as_str(), &edit_url),
                )
            }
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                views::errors::error_page("Not found", &self.to_string()),
            ),
            Self::BadTitle(e) => (
                StatusCode::BAD_REQUEST,
                views::errors::error_page("Invalid title", &e.to_string()),
            ),
            Self::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                views::errors::error_page("Bad request", detail),
            ),
            Self::SignInRequired { next } => {
                return axum::response::Redirect::to(&super::session::login_url(next))
                    .into_response();
            }
            Self::Forbidden(detail) => (
                StatusCode::FORBIDDEN,
                views::errors::error_page("Not allowed", detail),
            ),
            Self::Csrf => (
                StatusCode::FORBIDDEN,
                views::errors::error_page("Form expired", &self.to_string()),
            ),
            Self::Unprocessable(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                views::errors::error_page("Cannot do that", detail),
            ),
            Self::TooLarge(detail) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                views::errors::error_page("Too large", detail),
            ),
            Self::Unavailable(detail) => {
                let mut response = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    views::errors::error_page("Try again shortly", detail),
                )
                    .into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
                return response;
            }
            Self::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    views::errors::error_page(
                        "Something went wrong",
                        "The server could not answer this request. Please try again.",
                    ),
                )
            }
        };
        (status, page).into_response()
    }
}

/// An error message as a sentence: capitalised, with a full stop.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => return String::new(),
    };
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}
