//! Moderation forms (admins): protect or unprotect a page, hide or unhide a revision. Each
//! checks the CSRF token first, then the role, then calls one `wiki::moderation` function,
//! which writes the change and its audit-log line in one transaction.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::CurrentUser;
use super::{AppState, WebError};
use crate::auth::policy;
use crate::wiki::{self, Title};

/// `on` or `off`, as the forms send them; anything else is a bad request.
fn switch(value: &str, field: &str) -> Result<bool, WebError> {
    match value {
        "on" => Ok(true),
        "off" => Ok(false),
        other => Err(WebError::BadRequest(format!(
            "`{field}` must be on or off, not `{other}`"
        ))),
    }
}

/// What the protect form posts.
#[derive(Debug, Deserialize)]
pub(super) struct ProtectForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    protected: String,
    #[serde(default)]
    reason: String,
}

/// `POST /wiki/{title}/protect`: `protected=on` lets only admins edit the page, `off` lifts it.
pub(super) async fn protect(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<ProtectForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if !policy::may_protect(&user) {
        return Err(WebError::Forbidden(
            "only admins can protect or unprotect pages".into(),
        ));
    }
    let title = Title::new(&raw)?;
    let protected = switch(&form.protected, "protected")?;
    wiki::protect_page(state.db(), &title, protected, user.id, &form.reason).await?;
    Ok(Redirect::to(&format!("/wiki/{}", title.url_segment())).into_response())
}

/// What the hide form posts.
#[derive(Debug, Deserialize)]
pub(super) struct HideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    revision: String,
    #[serde(default)]
    hidden: String,
    #[serde(default)]
    reason: String,
}

/// `POST /wiki/{title}/hide`: `hidden=on` hides a revision's text and summary from everyone but
/// admins (not the page's current revision: revert first), `off` shows it again.
pub(super) async fn hide(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<HideForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if !policy::may_hide_revisions(&user) {
        return Err(WebError::Forbidden(
            "only admins can hide or unhide revisions".into(),
        ));
    }
    let title = Title::new(&raw)?;
    let revision: i64 = form.revision.trim().parse().map_err(|_| {
        WebError::BadRequest(format!(
            "`revision` must be a revision number, not `{}`",
            form.revision
        ))
    })?;
    if switch(&form.hidden, "hidden")? {
        wiki::hide_revision(state.db(), &title, revision, user.id, &form.reason).await?;
    } else {
        wiki::unhide_revision(state.db(), &title, revision, user.id, &form.reason).await?;
    }
    Ok(Redirect::to(&format!("/wiki/{}/history", title.url_segment())).into_response())
}
