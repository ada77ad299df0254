//! One error type for every handler, rendered as an HTML page for people.
//!
//! The page is made for an anonymous reader; [`dress`], a layer inside the session's, frames
//! it again for the person looking (their header, the page's tabs).
//!
//! Policy: bad input (a missing page, an invalid title) is answered with a clear page and
//! never logged as an error; internal failures are logged once, here, and shown without
//! details.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::session::{CurrentUser, MaybeUser};
use super::tabs::{self, Allowed, Tab, Tabs};
use crate::auth::Role;
use crate::render::views;
use crate::render::views::errors::{Create, ErrorFrame};
use crate::store::StoreError;
use crate::wiki::{self, Title, TitleError, WikiError};

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

impl WebError {
    /// The status and the page of an error shown as a page (`None`: a redirect to sign in).
    fn view(&self) -> Option<(StatusCode, ErrorView)> {
        let (status, heading, detail) = match self {
            Self::MissingPage(title) => {
                return Some((
                    StatusCode::NOT_FOUND,
                    ErrorView {
                        heading: "Not found",
                        detail: String::new(),
                        missing: Some(title.clone()),
                    },
                ));
            }
            Self::SignInRequired { .. } => return None,
            Self::NotFound => (StatusCode::NOT_FOUND, "Not found", self.to_string()),
            Self::BadTitle(e) => (StatusCode::BAD_REQUEST, "Invalid title", e.to_string()),
            Self::BadRequest(detail) => (StatusCode::BAD_REQUEST, "Bad request", detail.clone()),
            Self::Forbidden(detail) => (StatusCode::FORBIDDEN, "Not allowed", detail.clone()),
            Self::Csrf => (StatusCode::FORBIDDEN, "Form expired", self.to_string()),
            Self::Unprocessable(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Cannot do that",
                detail.clone(),
            ),
            Self::TooLarge(detail) => (StatusCode::PAYLOAD_TOO_LARGE, "Too large", detail.clone()),
            Self::Unavailable(detail) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again shortly",
                detail.clone(),
            ),
            Self::Internal(detail) => {
                tracing::error!(%detail, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server could not answer this request. Please try again.".to_owned(),
                )
            }
        };
        Some((
            status,
            ErrorView {
                heading,
                detail,
                missing: None,
            },
        ))
    }
}

impl IntoResponse for WebError {
    /// The error's page for an anonymous reader, with what it shows kept in the response's
    /// extensions: [`dress`] frames it again for the person looking.
    fn into_response(self) -> Response {
        let Some((status, view)) = self.view() else {
            let Self::SignInRequired { next } = &self else {
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            };
            return axum::response::Redirect::to(&super::session::login_url(next)).into_response();
        };
        let page = view.render(None, None);
        let mut response = (status, page).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response.extensions_mut().insert(view);
        response
    }
}

/// What an error page shows, kept in the response until [`dress`] frames it.
#[derive(Debug, Clone)]
struct ErrorView {
    heading: &'static str,
    detail: String,
    /// For a missing page: its title (the page offers to create it).
    missing: Option<Title>,
}

impl ErrorView {
    /// The page for `user` (`None`: anonymous), with `tabs` for an error about a page.
    fn render(&self, user: Option<&CurrentUser>, tabs: Option<&Tabs>) -> maud::Markup {
        let tab_refs = tabs.map(Tabs::as_refs).unwrap_or_default();
        let more = tabs.map(Tabs::more_refs).unwrap_or_default();
        let frame = ErrorFrame {
            user: user.map(CurrentUser::signed_in),
            tabs: &tab_refs,
            more: &more,
        };
        let Some(title) = &self.missing else {
            return views::errors::error_page(self.heading, &self.detail, frame);
        };
        let edit_url = format!("/wiki/{}/edit", title.url_segment());
        let sign_in = super::session::login_url(&edit_url);
        let create = match user {
            None => Create::SignIn(&sign_in),
            Some(user) if user.has(Role::Editor) => Create::Here(&edit_url),
            Some(_) => Create::NotAllowed,
        };
        views::errors::missing_page(title.as_str(), create, frame)
    }
}

/// Middleware: an error page answered to a signed-in user, or about a page (`/wiki/{title}…`),
/// is framed again with the user's header and the page's tabs (only what they may do), like
/// every other page (issue 15).
pub(super) async fn dress(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let MaybeUser(user) = MaybeUser::of(request.extensions());
    let about = page_of(request.uri().path());
    let mut response = next.run(request).await;
    let Some(view) = response.extensions_mut().remove::<ErrorView>() else {
        return response;
    };
    if user.is_none() && about.is_none() {
        return response;
    }
    let tabs = match about {
        Some((title, current)) => {
            // Whether the page is protected decides whether an editor may edit it.
            let protected = wiki::protection(state.db(), &title)
                .await
                .is_ok_and(|found| found.is_some());
            let allowed = Allowed::of(user.as_deref(), protected);
            Some(tabs::for_page(&title, current).for_viewer(&title, allowed))
        }
        None => None,
    };
    let page = view.render(user.as_ref(), tabs.as_ref()).into_string();
    response.headers_mut().remove(header::CONTENT_LENGTH);
    *response.body_mut() = Body::from(page);
    response
}

/// The page a path of the site is about, and the tab that path is: `/wiki/{title}` and the
/// pages under it.
fn page_of(path: &str) -> Option<(Title, Tab)> {
    let rest = path.strip_prefix("/wiki/")?;
    let (segment, action) = rest.split_once('/').unwrap_or((rest, ""));
    let tab = match action {
        "" | "feed" | "protect" | "hide" => Tab::Read,
        "edit" => Tab::Edit,
        "source" => Tab::Source,
        "history" | "diff" | "revert" | "undo" => Tab::History,
        "links" => Tab::Links,
        "info" => Tab::Info,
        "timeline" => Tab::Timeline,
        "move" | "delete" | "undelete" => Tab::Move,
        "topic" => Tab::Topic,
        "watch" => Tab::Watch,
        _ => return None,
    };
    let raw = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    Some((Title::new(&raw).ok()?, tab))
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
