//! Reading pages: the latest revision (cached for anonymous readers), an old revision, a
//! redirect followed with a note.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::MaybeUser;
use super::{AppState, WebError, tabs};
use crate::auth::policy;
use crate::render::views::{self, moderation::HiddenNote};
use crate::wiki::{self, Title};

/// The query a read accepts.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReadQuery {
    /// Show this old revision.
    revision: Option<i64>,
    /// `no`: show a redirect page itself instead of its target.
    redirect: Option<String>,
}

impl ReadQuery {
    fn is_plain(&self) -> bool {
        self.revision.is_none() && self.redirect.is_none()
    }
}

/// `GET /`: the main page.
pub(super) async fn main_page(
    State(state): State<AppState>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    show(
        &state,
        &user,
        Title::new(wiki::MAIN_PAGE)?,
        ReadQuery::default(),
    )
    .await
}

/// `GET /wiki/{title}`: a page; a title written with spaces redirects to its `_` form.
pub(super) async fn read(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<ReadQuery>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    if raw != title.as_str().replace(' ', "_") {
        let to = format!("/wiki/{}", title.url_segment());
        return Ok(Redirect::permanent(&to).into_response());
    }
    show(&state, &user, title, query).await
}

async fn show(
    state: &AppState,
    user: &MaybeUser,
    title: Title,
    query: ReadQuery,
) -> Result<Response, WebError> {
    // Anonymous readers of the latest revision all see the same page: serve it from memory
    // while the database has not changed.
    let generation = state.db().generation();
    let cacheable = user.0.is_none() && query.is_plain();
    if cacheable {
        if let Some(body) = state.page_cache().get(title.as_str(), generation) {
            return Ok(Html(body).into_response());
        }
    }
    let revision = match (query.revision, query.redirect.as_deref()) {
        (Some(revision), _) => Some(revision),
        (None, Some("no")) => wiki::latest_markup(state.db(), &title)
            .await?
            .map(|(_, revision)| revision),
        (None, _) => None,
    };
    let see_hidden = policy::may_see_hidden(user.0.as_deref());
    let page = wiki::read_page_for(state.db(), &title, revision, see_hidden)
        .await?
        .ok_or_else(|| match query.revision {
            Some(_) => WebError::NotFound,
            None => WebError::MissingPage(title.clone()),
        })?;
    let shown = Title::new(&page.page.title)?;
    let segment = shown.url_segment();
    let link_exists = |target: &str| page.link_exists(target);
    let edit_url = |index: usize| match page.section_ids.get(index) {
        Some(id) => format!("/wiki/{segment}/edit?section={id}"),
        None => format!("/wiki/{segment}/edit?section={index}"),
    };
    let tabs = tabs::for_page(&shown, tabs::Tab::Read);
    let tabs = tabs.as_refs();
    let current_url = format!("/wiki/{segment}");
    let redirect_url = page
        .redirected_from
        .as_deref()
        .map(|from| format!("/wiki/{}?redirect=no", wiki::title::url_segment(from)));
    let view = views::read::ReadPage {
        title: &page.page.title,
        doc: &page.doc,
        link_exists: &link_exists,
        edit_url: page
            .is_latest
            .then_some(&edit_url as &dyn Fn(usize) -> String),
        author: &page.page.revision.author,
        timestamp: &page.page.revision.timestamp,
        old_revision: (!page.is_latest).then_some((page.page.revision.id, current_url.as_str())),
        redirected_from: page.redirected_from.as_deref().zip(redirect_url.as_deref()),
        tabs: &tabs,
        user: user.signed_in(),
        protected: page.protected,
        hidden: page.hidden.as_ref().map(|note| {
            let note = HiddenNote {
                by: &note.by,
                at: &note.at,
                reason: &note.reason,
            };
            (Some(note), !page.text_hidden)
        }),
    };
    let body = Bytes::from(views::read::page(&view).into_string());
    if cacheable && page.redirected_from.is_none() {
        state
            .page_cache()
            .put(title.as_str(), generation, body.clone());
    }
    Ok(Html(body).into_response())
}
