//! The kinds of problem the API answers with, each with its own `type` URI (`/problems/<slug>`),
//! status, title and meaning: one table, read by the error responses, by `/problems/{kind}`
//! and by the test that holds `openapi.json` to it.

use axum::http::StatusCode;
use serde::Serialize;

/// A kind of problem. Clients tell problems apart by `type`, never by `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProblemKind {
    /// Malformed or mistyped JSON, unknown body fields.
    BadRequest,
    /// A query or path parameter that cannot be read (a bad cursor, limit or date, say).
    BadParameter,
    /// A query parameter the route does not take.
    UnknownParameter,
    /// Two revisions of different pages where one page's were needed.
    DifferentPages,
    /// No token, or a token that is not valid.
    Unauthorized,
    /// The token's user may not do this.
    Forbidden,
    /// The page is protected: only admins edit it.
    PageProtected,
    /// The revision's text is hidden.
    RevisionHidden,
    /// No such route.
    NotFound,
    /// No live page has this title.
    PageMissing,
    /// The page is not a source document (issue 13).
    NotASource,
    /// The page has no such section.
    SectionMissing,
    /// No such revision (or none of this page).
    RevisionMissing,
    /// The route does not take this method.
    MethodNotAllowed,
    /// What the write changes changed since its base revision.
    EditConflict,
    /// An undo whose changes no longer apply to the latest text.
    UndoConflict,
    /// The title to move to is taken.
    TitleTaken,
    /// Hiding the page's latest revision: revert first.
    RevisionIsLatest,
    /// The page was deleted.
    PageDeleted,
    /// `If-Match` names a revision that is not the latest.
    PreconditionFailed,
    /// The body or the page would be too large.
    TooLarge,
    /// The body is not JSON.
    UnsupportedMediaType,
    /// The title is not acceptable.
    InvalidTitle,
    /// Well formed, but cannot be carried out.
    Unprocessable,
    /// A write to an existing page without `If-Match` or `base_revision`.
    PreconditionRequired,
    /// Too many requests: wait for `Retry-After`.
    RateLimited,
    /// Not available now: retry after `Retry-After`.
    Unavailable,
    /// Something broke on the server.
    Internal,
}

/// What `/problems/{kind}` answers, and what `openapi.json` lists.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProblemEntry {
    /// `/problems/<slug>`.
    #[serde(rename = "type")]
    pub(crate) uri: String,
    /// A short, fixed title.
    pub(crate) title: &'static str,
    /// The HTTP status it comes with.
    pub(crate) status: u16,
    /// What it means and what a client can do about it.
    pub(crate) description: &'static str,
}

impl ProblemKind {
    /// Every kind, in the order `openapi.json` lists them.
    pub(crate) const ALL: [Self; 28] = [
        Self::BadRequest,
        Self::BadParameter,
        Self::UnknownParameter,
        Self::DifferentPages,
        Self::Unauthorized,
        Self::Forbidden,
        Self::PageProtected,
        Self::RevisionHidden,
        Self::NotFound,
        Self::PageMissing,
        Self::NotASource,
        Self::SectionMissing,
        Self::RevisionMissing,
        Self::MethodNotAllowed,
        Self::EditConflict,
        Self::UndoConflict,
        Self::TitleTaken,
        Self::RevisionIsLatest,
        Self::PageDeleted,
        Self::PreconditionFailed,
        Self::TooLarge,
        Self::UnsupportedMediaType,
        Self::InvalidTitle,
        Self::Unprocessable,
        Self::PreconditionRequired,
        Self::RateLimited,
        Self::Unavailable,
        Self::Internal,
    ];

    /// The table: slug, status, title, description.
    fn row(self) -> (&'static str, StatusCode, &'static str, &'static str) {
        use StatusCode as S;
        match self {
            Self::BadRequest => (
                "bad-request",
                S::BAD_REQUEST,
                "Malformed request",
                "The body is not JSON of the route's shape: malformed, a field of the wrong type, an unknown field, or a missing required one.",
            ),
            Self::BadParameter => (
                "bad-parameter",
                S::BAD_REQUEST,
                "Bad parameter",
                "A query or path parameter cannot be read: a missing or mistyped value, a limit out of range, a cursor of another list or an old offset cursor, a date filter that is not a date. `detail` names it.",
            ),
            Self::UnknownParameter => (
                "unknown-parameter",
                S::BAD_REQUEST,
                "Unknown parameter",
                "The route does not take a query parameter of this name (a misspelt filter is refused rather than ignored).",
            ),
            Self::DifferentPages => (
                "different-pages",
                S::UNPROCESSABLE_ENTITY,
                "Revisions of different pages",
                "The request names revisions of two different pages where one page's were needed (a diff).",
            ),
            Self::Unauthorized => (
                "unauthorized",
                S::UNAUTHORIZED,
                "Token needed",
                "No bearer token, or one that is not valid (unknown or revoked). Writes always need one; reads need one when the wiki is for signed-in users only (PLUTARCH_READ_ACCESS=users).",
            ),
            Self::Forbidden => (
                "forbidden",
                S::FORBIDDEN,
                "Not allowed",
                "The token's user does not have the role this needs (editor for writes, admin for deletes, protection and hiding).",
            ),
            Self::PageProtected => (
                "page-protected",
                S::FORBIDDEN,
                "Page protected",
                "The page is protected: only admins can edit it.",
            ),
            Self::RevisionHidden => (
                "revision-hidden",
                S::FORBIDDEN,
                "Revision hidden",
                "An admin hid this revision's text: only admins can read it, and it cannot be the base of an edit.",
            ),
            Self::NotFound => (
                "not-found",
                S::NOT_FOUND,
                "No such route",
                "There is no API route at this address (see /api/openapi.json).",
            ),
            Self::PageMissing => (
                "page-missing",
                S::NOT_FOUND,
                "No such page",
                "No live page has this title (it may never have existed, or have been moved or deleted).",
            ),
            Self::NotASource => (
                "not-a-source",
                S::NOT_FOUND,
                "Not a source",
                "The page exists but is not a source document (only pages in the Source: namespace are): there is no source at this address. Read the page at /api/pages/{title}.",
            ),
            Self::SectionMissing => (
                "section-missing",
                S::NOT_FOUND,
                "No such section",
                "The page has no section with this key (index, id or `anchor:`) in the revision the request named.",
            ),
            Self::RevisionMissing => (
                "revision-missing",
                S::NOT_FOUND,
                "No such revision",
                "There is no revision with this id, or (where a page is named) none of that page.",
            ),
            Self::MethodNotAllowed => (
                "method-not-allowed",
                S::METHOD_NOT_ALLOWED,
                "Method not allowed",
                "The route exists but does not take this method.",
            ),
            Self::EditConflict => (
                "edit-conflict",
                S::CONFLICT,
                "Edit conflict",
                "What the write changes changed since its base revision; nothing was saved. The answer carries `latest_revision`, `current_markup` and `your_markup` to merge by hand and retry.",
            ),
            Self::UndoConflict => (
                "undo-conflict",
                S::CONFLICT,
                "Undo conflict",
                "The revision's changes cannot be taken out of the latest text cleanly (later edits touched the same lines); nothing was saved. The answer carries `latest_revision` and `current_markup`.",
            ),
            Self::TitleTaken => (
                "title-taken",
                S::CONFLICT,
                "Title taken",
                "A page already has the title to move to.",
            ),
            Self::RevisionIsLatest => (
                "revision-is-latest",
                S::CONFLICT,
                "Revision is the latest",
                "The revision is the page's current text, so it cannot be hidden: revert the page to an earlier revision first, then hide this one.",
            ),
            Self::PageDeleted => (
                "page-deleted",
                S::GONE,
                "Page deleted",
                "The page was deleted (an admin can undelete it).",
            ),
            Self::PreconditionFailed => (
                "precondition-failed",
                S::PRECONDITION_FAILED,
                "Precondition failed",
                "`If-Match` names a revision that is not the page's latest: read again, then write.",
            ),
            Self::TooLarge => (
                "too-large",
                S::PAYLOAD_TOO_LARGE,
                "Too large",
                "The request body or the page it would make is larger than the limit.",
            ),
            Self::UnsupportedMediaType => (
                "unsupported-media-type",
                S::UNSUPPORTED_MEDIA_TYPE,
                "Not JSON",
                "The body must be JSON (`Content-Type: application/json`).",
            ),
            Self::InvalidTitle => (
                "invalid-title",
                S::UNPROCESSABLE_ENTITY,
                "Invalid title",
                "The title is empty, too long, or holds characters a title may not (`#<>[]|{}`, control characters).",
            ),
            Self::Unprocessable => (
                "unprocessable",
                S::UNPROCESSABLE_ENTITY,
                "Cannot be carried out",
                "The request is well formed but cannot be carried out (too many sections, say).",
            ),
            Self::PreconditionRequired => (
                "precondition-required",
                S::PRECONDITION_REQUIRED,
                "Base revision needed",
                "A write to an existing page or section needs `If-Match` or `base_revision`.",
            ),
            Self::RateLimited => (
                "rate-limited",
                S::TOO_MANY_REQUESTS,
                "Too many requests",
                "Too many requests from this client: wait for `Retry-After` seconds.",
            ),
            Self::Unavailable => (
                "unavailable",
                S::SERVICE_UNAVAILABLE,
                "Unavailable",
                "The answer could not be made now (past the request deadline, shutting down, a read-only database or a full disk): retry after `Retry-After` seconds.",
            ),
            Self::Internal => (
                "internal",
                S::INTERNAL_SERVER_ERROR,
                "Internal error",
                "Something broke on the server; it is logged there.",
            ),
        }
    }

    /// The last part of the `type` URI.
    pub(crate) fn slug(self) -> &'static str {
        self.row().0
    }

    /// The status it is answered with.
    pub(crate) fn status(self) -> StatusCode {
        self.row().1
    }

    /// The fixed title.
    pub(crate) fn title(self) -> &'static str {
        self.row().2
    }

    /// `/problems/<slug>`.
    pub(crate) fn uri(self) -> String {
        format!("/problems/{}", self.slug())
    }

    /// The kind whose slug is `slug`.
    pub(crate) fn by_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// What `/problems/{kind}` answers.
    pub(crate) fn entry(self) -> ProblemEntry {
        let (_, status, title, description) = self.row();
        ProblemEntry {
            uri: self.uri(),
            title,
            status: status.as_u16(),
            description,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_distinct_and_found_again() {
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::by_slug(kind.slug()), Some(kind));
        }
        assert_eq!(ProblemKind::by_slug("nothing"), None);
    }

    #[test]
    fn openapi_lists_every_kind_and_no_other() {
        let doc: serde_json::Value = serde_json::from_str(super::super::OPENAPI).unwrap();
        let listed: Vec<&str> =
            doc["components"]["schemas"]["Problem"]["properties"]["type"]["oneOf"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["const"].as_str().unwrap())
                .collect();
        let kinds: Vec<String> = ProblemKind::ALL.iter().map(|k| k.uri()).collect();
        assert_eq!(listed, kinds);
    }
}
