//! Editing: the form (whole page or one section), preview, save, and conflicts.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::Deserialize;

use super::session::CurrentUser;
use super::{AppState, WebError, diff_view, tabs};
use crate::auth::{Role, policy};
use crate::render::views::{self, edit::EditConflict, edit::EditPage};
use crate::render::{self, RenderOptions};
use crate::wiki::{self, SaveOutcome, SaveRequest, SectionKey, Title, WikiError};

/// `?section=K` on the edit form.
#[derive(Debug, Deserialize)]
pub(super) struct EditQuery {
    section: Option<String>,
}

/// What the edit form posts.
#[derive(Debug, Deserialize)]
pub(super) struct EditForm {
    csrf: String,
    markup: String,
    #[serde(default)]
    summary: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    base_revision: Option<i64>,
    section: Option<String>,
    #[serde(default)]
    action: String,
}

/// An empty form field is no value (a form sends `base_revision=` for a page not yet created).
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

struct FormState<'a> {
    title: &'a Title,
    section: Option<&'a str>,
    section_title: Option<String>,
    markup: &'a str,
    base_revision: Option<i64>,
    summary: &'a str,
    preview: Option<Markup>,
    conflict: Option<(i64, String, Markup)>,
    problem: Option<String>,
    protected: bool,
}

fn form_page(user: &CurrentUser, form: FormState<'_>) -> Markup {
    let action = format!("/wiki/{}/edit", form.title.url_segment());
    let section_history = form
        .section
        .map(|key| format!("/wiki/{}/history?section={key}", form.title.url_segment()));
    let tabs = tabs::for_page(form.title, tabs::Tab::Edit);
    let tabs = tabs.as_refs();
    let conflict = form
        .conflict
        .as_ref()
        .map(|(latest, current, difference)| EditConflict {
            latest_revision: *latest,
            current_markup: current,
            difference: difference.clone(),
        });
    views::edit::page(&EditPage {
        title: form.title.as_str(),
        action: &action,
        section: form.section,
        section_title: form.section_title.as_deref(),
        markup: form.markup,
        base_revision: form.base_revision,
        summary: form.summary,
        csrf: user.csrf_token(),
        preview: form.preview,
        conflict,
        section_history: section_history.as_deref(),
        problem: form.problem.as_deref(),
        tabs: &tabs,
        user: Some(user.signed_in()),
        protected: form.protected,
    })
}

/// `GET /wiki/{title}/edit[?section=K]`: the form, filled with the latest markup.
pub(super) async fn form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<EditQuery>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    let protected = protection(&state, &title, &user).await?;
    let section = query.section.filter(|s| !s.is_empty());
    let page = match &section {
        Some(key) => {
            let found = wiki::section(state.db(), &title, &SectionKey::parse(key), None).await?;
            let heading = found.section.info.title.clone();
            (found.markup, Some(found.revision), Some(heading))
        }
        None => match wiki::latest_markup(state.db(), &title).await? {
            Some((markup, revision)) => (markup, Some(revision), None),
            None => (String::new(), None, None),
        },
    };
    let (markup, base_revision, section_title) = page;
    Ok(form_page(
        &user,
        FormState {
            title: &title,
            section: section.as_deref(),
            section_title,
            markup: &markup,
            base_revision,
            summary: "",
            preview: None,
            conflict: None,
            problem: None,
            protected,
        },
    )
    .into_response())
}

/// `POST /wiki/{title}/edit`: preview (renders, saves nothing) or save.
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<EditForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    let protected = protection(&state, &title, &user).await?;
    // Browsers send a textarea's line breaks as CRLF (HTML's form encoding); the wiki's text
    // uses LF, as MediaWiki's does, so an edit does not rewrite every line. A NUL becomes
    // U+FFFD here too, so that the form never echoes one back.
    let form = EditForm {
        markup: wiki::clean_markup(&form.markup.replace("\r\n", "\n")).into_owned(),
        ..form
    };
    let section = form.section.as_deref().filter(|s| !s.is_empty());
    let section_title = section.and_then(|_| wiki::first_heading(&form.markup));
    let mut page = FormState {
        title: &title,
        section,
        section_title,
        markup: &form.markup,
        base_revision: form.base_revision,
        summary: &form.summary,
        preview: None,
        conflict: None,
        problem: None,
        protected,
    };
    if form.action == "preview" {
        page.preview = Some(preview(&state, &form.markup).await?);
        return Ok(form_page(&user, page).into_response());
    }
    let request = SaveRequest {
        title: title.clone(),
        markup: form.markup.clone(),
        base_revision: form.base_revision,
        section: section.map(SectionKey::parse),
        summary: form.summary.clone(),
        author_id: user.id,
    };
    match wiki::save_page(state.db(), request).await {
        Ok(outcome) => {
            let anchor = saved_anchor(&outcome, section);
            let to = format!("/wiki/{}{anchor}", title.url_segment());
            Ok(Redirect::to(&to).into_response())
        }
        Err(WikiError::Conflict {
            latest_revision,
            current_markup,
            your_markup,
        }) => {
            let difference = diff_view::text_difference(&current_markup, &your_markup);
            page.conflict = Some((latest_revision, current_markup, difference));
            let body = form_page(&user, page);
            Ok((axum::http::StatusCode::CONFLICT, body).into_response())
        }
        Err(e @ WikiError::TooLarge { .. }) => {
            // The contract: larger writes get 413 (issue 7: with the message, on the form).
            page.problem = Some(e.to_string());
            let body = form_page(&user, page);
            Ok((axum::http::StatusCode::PAYLOAD_TOO_LARGE, body).into_response())
        }
        Err(
            e @ (WikiError::TooManySections(_)
            | WikiError::Invalid(_)
            | WikiError::SectionMissing { .. }),
        ) => {
            page.problem = Some(e.to_string());
            let body = form_page(&user, page);
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the page is protected; 403 with the notice when it is and `user` is not an admin
/// (issue 7), so an editor is told before typing anything.
async fn protection(state: &AppState, title: &Title, user: &CurrentUser) -> Result<bool, WebError> {
    let protected = wiki::protection(state.db(), title).await?.is_some();
    if protected && !policy::may_edit(user, true) {
        return Err(WebError::Forbidden(
            views::moderation::PROTECTED_NOTICE.to_owned(),
        ));
    }
    Ok(protected)
}

/// `#anchor` of the edited section after a save, so the reader lands where they edited.
fn saved_anchor(outcome: &SaveOutcome, section: Option<&str>) -> String {
    let Some(key) = section else {
        return String::new();
    };
    let key = SectionKey::parse(key);
    outcome
        .sections()
        .iter()
        .find(|s| match &key {
            SectionKey::Id(id) => &s.id == id,
            SectionKey::Index(i) => s.info.index == *i,
            SectionKey::Anchor(anchor) => &s.info.anchor == anchor,
        })
        .map(|s| format!("#{}", s.info.anchor))
        .unwrap_or_default()
}

async fn preview(state: &AppState, text: &str) -> Result<Markup, WebError> {
    let preview = wiki::preview(state.db(), text).await?;
    let link_exists = |target: &str| preview.link_exists(target);
    Ok(render::article(
        &preview.doc,
        &RenderOptions::new(&link_exists),
    ))
}
