//! Moderation through the API, as the HTML forms do it: protect and unprotect a page, hide and
//! unhide a revision (admins), and undo one revision's change (editors). Each calls one `wiki`
//! function, which writes the change and its audit-log line in one transaction.

use axum::extract::State;
use axum::response::Response;

use super::extract::{ApiJson, ApiPath, Writer};
use super::types::{ProtectionState, ReasonBody, UndoBody, Visibility};
use super::writes::written;
use super::{ApiState, error::ApiError, json, title};
use crate::auth::Role;
use crate::wiki::{self, UndoRequest};

/// `POST /api/pages/{title}/protect` (admins): only admins may edit the page from now on.
/// Answers the page's protection.
pub(crate) async fn protect(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
    body: Option<ApiJson<ReasonBody>>,
) -> Result<Response, ApiError> {
    set_protected(&state, &writer, &raw, true, body).await
}

/// `POST /api/pages/{title}/unprotect` (admins): editors may edit the page again. Answers the
/// page's protection.
pub(crate) async fn unprotect(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
    body: Option<ApiJson<ReasonBody>>,
) -> Result<Response, ApiError> {
    set_protected(&state, &writer, &raw, false, body).await
}

async fn set_protected(
    state: &ApiState,
    writer: &Writer,
    raw: &str,
    protected: bool,
    body: Option<ApiJson<ReasonBody>>,
) -> Result<Response, ApiError> {
    writer.require(Role::Admin)?;
    let title = title(raw)?;
    let reason = body.map(|ApiJson(b)| b.reason).unwrap_or_default();
    let db = state.app.db();
    wiki::protect_page(db, &title, protected, writer.id(), &reason).await?;
    let note = wiki::protection(db, &title).await?;
    Ok(json(&ProtectionState {
        title: title.as_str().to_owned(),
        protected: note.is_some(),
        note: note.into(),
    }))
}

/// `POST /api/revisions/{id}/hide` (admins): hides the revision's text and summary from everyone
/// but admins. The page's latest revision cannot be hidden (409 `revision-is-latest`).
pub(crate) async fn hide(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    body: Option<ApiJson<ReasonBody>>,
) -> Result<Response, ApiError> {
    set_hidden(&state, &writer, id, true, body).await
}

/// `POST /api/revisions/{id}/unhide` (admins): shows a hidden revision to everyone again.
pub(crate) async fn unhide(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(id): ApiPath<i64>,
    body: Option<ApiJson<ReasonBody>>,
) -> Result<Response, ApiError> {
    set_hidden(&state, &writer, id, false, body).await
}

async fn set_hidden(
    state: &ApiState,
    writer: &Writer,
    id: i64,
    hidden: bool,
    body: Option<ApiJson<ReasonBody>>,
) -> Result<Response, ApiError> {
    writer.require(Role::Admin)?;
    let reason = body.map(|ApiJson(b)| b.reason).unwrap_or_default();
    let db = state.app.db();
    // The page the revision is of now (it follows moves; a deleted page's is 410 below).
    let page = title(&wiki::revision_meta(db, id).await?.page_title)?;
    if hidden {
        wiki::hide_revision(db, &page, id, writer.id(), &reason).await?;
    } else {
        wiki::unhide_revision(db, &page, id, writer.id(), &reason).await?;
    }
    let (_, note) = wiki::revision_for(db, id, true).await?;
    Ok(json(&Visibility {
        revision: id,
        title: page.as_str().to_owned(),
        hidden: note.is_some(),
        note: note.into(),
    }))
}

/// `POST /api/pages/{title}/undo` (editors): takes back the change one revision made, on top of
/// the latest text (or `base_revision`'s); answers like `PUT /api/pages/{title}`.
pub(crate) async fn undo(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<UndoBody>,
) -> Result<Response, ApiError> {
    let request = UndoRequest {
        title: title(&raw)?,
        revision: body.revision,
        base_revision: body.base_revision,
        summary: body.summary,
        author_id: writer.id(),
    };
    let outcome = wiki::undo(state.app.db(), request).await?;
    written(&state, &outcome).await
}
