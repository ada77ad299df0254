//! Writes: whole pages, sections, revert, move, delete, undelete. Each needs a bearer token with the
//! editor role (delete: admin) and calls one `wiki` function; nothing changes on any error.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::extract::{ApiJson, ApiPath, IfMatch, Writer};
use super::types::{
    EditBody, MoveBody, Moved, RedirectLeft, RevertBody, Revision, Section, Written,
};
use super::{ApiState, error::ApiError, json_with_etag, title};
use crate::auth::Role;
use crate::wiki::{self, SaveRequest, SectionKey, WikiError};

/// `PUT /api/pages/{title}`: creates the page (no base revision: 201) or edits it (200).
pub(crate) async fn put_page(
    State(state): State<ApiState>,
    writer: Writer,
    if_match: IfMatch,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    save(&state, writer, if_match, title, None, body).await
}

/// `PUT /api/pages/{title}/sections/{key}`: replaces a section's span (subsections included),
/// `key` resolved in the base revision and followed by id into the latest.
pub(crate) async fn put_section(
    State(state): State<ApiState>,
    writer: Writer,
    if_match: IfMatch,
    ApiPath((raw, key)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<EditBody>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let key = SectionKey::parse(&key);
    save(&state, writer, if_match, title, Some(key), body).await
}

async fn save(
    state: &ApiState,
    writer: Writer,
    if_match: IfMatch,
    title: wiki::Title,
    section: Option<SectionKey>,
    body: EditBody,
) -> Result<Response, ApiError> {
    let base_revision = if_match.base(body.base_revision);
    let request = SaveRequest {
        title,
        markup: body.markup,
        base_revision,
        section,
        summary: body.summary,
        author_id: writer.id(),
    };
    let db = state.app.db();
    let saved = match if_match.0 {
        Some(precondition) => wiki::save_page_if(db, request, precondition).await,
        None => wiki::save_page(db, request).await,
    };
    let outcome = match saved {
        // Neither If-Match nor base_revision, and the page (or section) exists: the write
        // would overwrite edits it never saw.
        Err(WikiError::Conflict {
            latest_revision, ..
        }) if base_revision.is_none() && if_match.0.is_none() => {
            return Err(ApiError::PreconditionRequired { latest_revision });
        }
        saved => saved?,
    };
    written(state, &outcome).await
}

/// The answer to a save: the page after it, with its latest revision; 201 when it created the
/// page.
pub(super) async fn written(
    state: &ApiState,
    outcome: &wiki::SaveOutcome,
) -> Result<Response, ApiError> {
    let latest = wiki::revision_meta(state.app.db(), outcome.revision()).await?;
    let body = Written::new(outcome, &latest);
    let mut response = json_with_etag(&body, body.revision);
    if outcome.created() {
        *response.status_mut() = StatusCode::CREATED;
        let location = format!("/api/pages/{}", wiki::title::url_segment(&body.title));
        if let Ok(location) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    Ok(response)
}

/// `POST /api/pages/{title}/revert`: makes an older revision's text the latest again.
pub(crate) async fn revert(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<RevertBody>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let outcome = wiki::revert(
        state.app.db(),
        &title,
        body.to_revision,
        writer.id(),
        &body.summary,
    )
    .await?;
    written(&state, &outcome).await
}

/// `POST /api/pages/{title}/move`: renames the page, leaving a redirect at the old title.
pub(crate) async fn move_page(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<MoveBody>,
) -> Result<Response, ApiError> {
    let from = title(&raw)?;
    let to = title(&body.to)?;
    if to == from {
        return Err(ApiError::TitleTaken(format!(
            "the page is already called {to}: name another title"
        )));
    }
    let db = state.app.db();
    let moved = wiki::move_page(db, &from, &to, writer.id(), &body.summary).await?;
    let (revision, entries) = wiki::sections(db, &to, Some(moved.revision)).await?;
    let latest = wiki::revision_meta(db, revision).await?;
    let redirect = wiki::revision_meta(db, moved.redirect_revision).await?;
    let body = Moved {
        page: Written {
            title: to.as_str().to_owned(),
            revision,
            revision_info: Revision::from(&latest),
            sections: entries.iter().map(Section::from).collect(),
            changed: true,
            merged: false,
        },
        redirect: RedirectLeft {
            title: from.as_str().to_owned(),
            revision: moved.redirect_revision,
            revision_info: Revision::from(&redirect),
        },
    };
    Ok(json_with_etag(&body, revision))
}

/// `DELETE /api/pages/{title}`: deletes the page (admins only; history kept in the archive): 204.
pub(crate) async fn delete(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    set_deleted(&state, &writer, &raw, true).await
}

/// `POST /api/pages/{title}/undelete`: brings a deleted page back (admins only): 204. When a
/// page has the title again, the deleted history joins its own.
pub(crate) async fn undelete(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    set_deleted(&state, &writer, &raw, false).await
}

async fn set_deleted(
    state: &ApiState,
    writer: &Writer,
    raw: &str,
    deleted: bool,
) -> Result<Response, ApiError> {
    writer.require(Role::Admin)?;
    let title = title(raw)?;
    let db = state.app.db();
    if deleted {
        wiki::delete_page(db, &title, writer.id(), "").await?;
    } else {
        wiki::undelete_page(db, &title, writer.id(), "").await?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
