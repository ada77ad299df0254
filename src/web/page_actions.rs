//! Moving and deleting pages through forms: move (editors; protected pages admins only),
//! delete and undelete (admins). Each post checks the CSRF token first, then the role, then
//! calls one `wiki` function; deletions and undeletions are audit-logged there.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::{Admin, CurrentUser, Editor, MaybeUser};
use super::{AppState, WebError, tabs};
use crate::auth::policy;
use crate::render::views::page_actions::{self, DeletedPage, MoveFields, PageAction};
use crate::wiki::{self, Title, WikiError};

/// 404 unless `title` names a live page.
async fn existing(state: &AppState, title: &Title) -> Result<(), WebError> {
    match wiki::page_exists(state.db(), title.as_str()).await? {
        Some(_) => Ok(()),
        None => Err(WebError::MissingPage(title.clone())),
    }
}

/// 403 unless `user` may change `title` (a protected page: admins only).
async fn ensure_may_edit(
    state: &AppState,
    user: &CurrentUser,
    title: &Title,
) -> Result<(), WebError> {
    let protected = wiki::protection(state.db(), title).await?.is_some();
    if policy::may_edit(user, protected) {
        Ok(())
    } else {
        Err(WebError::Forbidden(
            "this page is protected: only admins can move it".into(),
        ))
    }
}

/// `view` of the page `title`, with the tabs for what `user` may do (`allowed`).
fn action_page(
    user: &CurrentUser,
    title: &Title,
    allowed: tabs::Allowed,
    view: impl FnOnce(&PageAction<'_>) -> maud::Markup,
) -> String {
    let tabs = tabs::for_page(title, tabs::Tab::Move, allowed);
    let tabs = tabs.refs();
    let segment = title.url_segment();
    view(&PageAction {
        title: title.as_str(),
        segment: &segment,
        tabs: tabs.view(),
        user: user.signed_in(),
    })
    .into_string()
}

fn move_form_page(
    user: &CurrentUser,
    title: &Title,
    allowed: tabs::Allowed,
    fields: MoveFields<'_>,
) -> String {
    action_page(user, title, allowed, |page| {
        page_actions::move_page(page, &fields)
    })
}

/// `GET /wiki/{title}/move`: the move form.
pub(super) async fn move_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Editor(user): Editor,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    existing(&state, &title).await?;
    ensure_may_edit(&state, &user, &title).await?;
    let allowed = tabs::Allowed::look_up(&state, Some(&*user), &title).await?;
    let page = move_form_page(&user, &title, allowed, MoveFields::default());
    Ok(Html(page).into_response())
}

/// What the move form posts.
#[derive(Debug, Deserialize)]
pub(super) struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    summary: String,
}

/// `POST /wiki/{title}/move`: renames the page and leaves a redirect; a refused move (taken or
/// invalid title) shows the form again with the reason (422).
pub(super) async fn move_submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<MoveForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    user.require(crate::auth::Role::Editor)?;
    let title = Title::new(&raw)?;
    let allowed = tabs::Allowed::look_up(&state, Some(&*user), &title).await?;
    let refused = |problem: String| {
        let fields = MoveFields {
            to: &form.to,
            summary: &form.summary,
            problem: Some(&problem),
        };
        let page = move_form_page(&user, &title, allowed, fields);
        Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response())
    };
    let to = match Title::new(&form.to) {
        Ok(to) => to,
        Err(e) => return refused(format!("The new title cannot be used: {e}.")),
    };
    match wiki::move_page(state.db(), &title, &to, user.id, &form.summary).await {
        Ok(_) => Ok(Redirect::to(&format!("/wiki/{}", to.url_segment())).into_response()),
        Err(e @ (WikiError::TitleTaken(_) | WikiError::Invalid(_))) => {
            refused(format!("The page was not moved: {e}."))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /wiki/{title}/delete`: asks an admin to confirm.
pub(super) async fn delete_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Admin(user): Admin,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    existing(&state, &title).await?;
    let allowed = tabs::Allowed::look_up(&state, Some(&*user), &title).await?;
    let page = action_page(&user, &title, allowed, page_actions::delete_page);
    Ok(Html(page).into_response())
}

/// What the delete and undelete forms post.
#[derive(Debug, Deserialize)]
pub(super) struct ReasonForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
    /// On a deletion: `on` keeps the reason to admins.
    #[serde(default)]
    reason_private: Option<String>,
}

/// `POST /wiki/{title}/delete` (admins): the page reads as missing; its history is kept.
pub(super) async fn delete_submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    set_deleted(&state, &raw, &user, &form, true).await
}

/// `POST /wiki/{title}/undelete` (admins): the page is back at its latest revision.
pub(super) async fn undelete_submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<ReasonForm>,
) -> Result<Response, WebError> {
    set_deleted(&state, &raw, &user, &form, false).await
}

async fn set_deleted(
    state: &AppState,
    raw: &str,
    user: &CurrentUser,
    form: &ReasonForm,
    deleted: bool,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if !policy::may_delete(user) {
        return Err(WebError::Forbidden(
            "only admins can delete or undelete pages".into(),
        ));
    }
    let title = Title::new(raw)?;
    if deleted {
        let private = form.reason_private.as_deref() == Some("on");
        wiki::delete_page_with(state.db(), &title, user.id, &form.reason, private).await?;
    } else {
        wiki::undelete_page(state.db(), &title, user.id, &form.reason).await?;
    }
    Ok(Redirect::to(&format!("/wiki/{}", title.url_segment())).into_response())
}

/// The 404 of a title whose page was deleted, or `None` when there never was a page (the
/// caller answers with the usual "create it" page).
pub(super) async fn deleted_page(
    state: &AppState,
    user: &MaybeUser,
    title: &Title,
) -> Result<Option<Response>, WebError> {
    let admin = user.0.as_deref().is_some_and(policy::may_delete);
    let Some(notice) = wiki::deletion_notice(state.db(), title, admin).await? else {
        return Ok(None);
    };
    let segment = title.url_segment();
    let page = page_actions::deleted_page(&DeletedPage {
        title: title.as_str(),
        segment: &segment,
        deleted_at: &notice.at,
        reason: notice.reason.as_deref(),
        reason_private: notice.reason_private,
        user: user.signed_in(),
        may_undelete: user.0.as_deref().is_some_and(policy::may_delete),
    });
    Ok(Some(
        (StatusCode::NOT_FOUND, Html(page.into_string())).into_response(),
    ))
}
