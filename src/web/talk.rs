//! "Add topic" (issue 15): `GET`/`POST /wiki/{title}/topic` (and the edit form's
//! `?section=new`, as in MediaWiki) append a new section at the end of a page.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::Deserialize;

use super::session::CurrentUser;
use super::{AppState, WebError, tabs};
use crate::auth::Role;
use crate::render::views::{self, talk::TopicPage};
use crate::wiki::{self, Title, WikiError, talk::NewTopic};

/// What the new-topic form posts.
#[derive(Debug, Deserialize)]
pub(super) struct TopicForm {
    csrf: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    text: String,
}

/// The form for `title`, filled with what was typed.
fn form_page(
    user: &CurrentUser,
    title: &Title,
    allowed: tabs::Allowed,
    subject: &str,
    text: &str,
    problem: Option<&str>,
) -> Markup {
    let action = topic_url(title);
    let tabs = tabs::for_page(title, tabs::Tab::Topic, allowed);
    views::talk::page(&TopicPage {
        title: title.as_str(),
        action: &action,
        subject,
        text,
        csrf: user.csrf_token(),
        problem,
        tabs: tabs.refs().view(),
        user: Some(user.signed_in()),
    })
}

/// `/wiki/{title}/topic`.
pub(super) fn topic_url(title: &Title) -> String {
    format!("/wiki/{}/topic", title.url_segment())
}

/// 403 unless `user` may edit `title` (editors; admins only when it is protected); else what
/// they may do with it (for the tabs).
async fn may_edit(
    state: &AppState,
    user: &CurrentUser,
    title: &Title,
) -> Result<tabs::Allowed, WebError> {
    user.require(Role::Editor)?;
    let allowed = tabs::Allowed::look_up(state, Some(&**user), title).await?;
    if !allowed.edit {
        return Err(WebError::Forbidden(
            views::moderation::PROTECTED_NOTICE.to_owned(),
        ));
    }
    Ok(allowed)
}

/// `GET /wiki/{title}/topic`: the new-topic form.
pub(super) async fn form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let allowed = may_edit(&state, &user, &title).await?;
    Ok(form_page(&user, &title, allowed, "", "", None).into_response())
}

/// `POST /wiki/{title}/topic`: appends the topic and shows it; a refused subject or text
/// shows the form again with what was typed.
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<TopicForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let title = Title::new(&raw)?;
    let allowed = may_edit(&state, &user, &title).await?;
    let text = wiki::clean_markup(&form.text.replace("\r\n", "\n")).into_owned();
    let topic = NewTopic {
        title: title.clone(),
        subject: form.subject.clone(),
        text: text.clone(),
        author_id: user.id,
        author_name: user.name.clone(),
    };
    let problem = match wiki::talk::add_topic(state.db(), &topic).await {
        Ok(outcome) => {
            let anchor = outcome
                .sections()
                .last()
                .map(|s| format!("#{}", s.info.anchor))
                .unwrap_or_default();
            return Ok(
                Redirect::to(&format!("/wiki/{}{anchor}", title.url_segment())).into_response(),
            );
        }
        Err(e @ WikiError::Invalid(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(e @ WikiError::TooLarge { .. }) => (StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
        Err(e @ WikiError::TooManySections(_)) => (StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        Err(e) => return Err(e.into()),
    };
    let (status, message) = problem;
    let page = form_page(&user, &title, allowed, &form.subject, &text, Some(&message));
    Ok((status, page).into_response())
}
