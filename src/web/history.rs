//! History, diffs and revert.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::authors::UserPages;
use super::session::{CurrentUser, MaybeUser};
use super::{AppState, WebError, diff_view, tabs};
use crate::auth::{Role, policy};
use crate::render::views::{self, history::HistoryPage, history::HistoryRow};
use crate::wiki::{self, SectionKey, Title};

const PAGE_SIZE: usize = 50;

#[derive(Debug, Deserialize)]
pub(super) struct HistoryQuery {
    section: Option<String>,
    before: Option<i64>,
}

/// `GET /wiki/{title}/history[?section=K][&before=N]`
pub(super) async fn history(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<HistoryQuery>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let section = SectionKey::from_param(query.section.as_deref());
    let section_title = match &section {
        Some(key) => Some(
            wiki::section(state.db(), &title, key, None)
                .await?
                .section
                .info
                .title,
        ),
        None => None,
    };
    let viewer = user.0.as_deref();
    let entries = wiki::history_for(
        state.db(),
        &title,
        section.clone(),
        PAGE_SIZE + 1,
        query.before,
        policy::may_see_hidden(viewer),
    )
    .await?;
    let protected = wiki::protection(state.db(), &title).await?.is_some();
    let moderate = user
        .0
        .as_ref()
        .filter(|u| policy::may_protect(u) && policy::may_hide_revisions(u))
        .map(|u| u.csrf_token());
    let latest = match entries.first() {
        Some(first) if section.is_none() && query.before.is_none() => Some(first.revision.id),
        _ => latest_revision(&state, &title, viewer).await?,
    };
    let more = entries.len() > PAGE_SIZE;
    let entries = &entries[..entries.len().min(PAGE_SIZE)];
    let user_pages = UserPages::of(
        state.db(),
        entries.iter().map(|e| e.revision.author.as_str()),
    )
    .await?;
    let rows: Vec<HistoryRow<'_>> = entries
        .iter()
        .map(|e| HistoryRow {
            id: e.revision.id,
            parent: e.revision.parent_id,
            timestamp: &e.revision.timestamp,
            author: user_pages.author(&e.revision.author),
            summary: &e.revision.summary,
            size: e.revision.size,
            delta: e.size_delta,
            changed_sections: &e.changed_sections,
            hidden: e.hidden,
        })
        .collect();
    let segment = title.url_segment();
    let older = match (more, entries.last()) {
        (true, Some(last)) => Some(match &query.section {
            Some(s) => format!(
                "/wiki/{segment}/history?section={s}&before={}",
                last.revision.id
            ),
            None => format!("/wiki/{segment}/history?before={}", last.revision.id),
        }),
        _ => None,
    };
    let tabs = tabs::for_page(&title, tabs::Tab::History)
        .for_viewer(&title, tabs::Allowed::of(user.0.as_deref(), protected));
    let tabs = tabs.as_refs();
    let can_revert = user.0.as_ref().is_some_and(|u| u.has(Role::Editor));
    Ok(views::history::page(&HistoryPage {
        title: title.as_str(),
        segment: &segment,
        section_title: section_title.as_deref(),
        rows: &rows,
        can_revert,
        older: older.as_deref(),
        tabs: &tabs,
        user: user.signed_in(),
        protected,
        moderate,
        latest,
        feed: &format!("/wiki/{segment}/feed"),
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct DiffQuery {
    from: Option<i64>,
    to: i64,
}

/// `GET /wiki/{title}/diff?from=A&to=B` (without `from`: against `to`'s parent).
pub(super) async fn diff(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<DiffQuery>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let see_hidden = policy::may_see_hidden(user.0.as_deref());
    let to = wiki::revision(state.db(), query.to).await?;
    let from = match query.from {
        Some(from) => from,
        None => to.revision.parent_id.unwrap_or(query.to),
    };
    let (from, to) = if from <= query.to {
        (from, query.to)
    } else {
        (query.to, from)
    };
    let difference = wiki::diff_for(state.db(), from, to, see_hidden).await?;
    if difference.to.page_title != title.as_str() {
        return Err(WebError::NotFound);
    }
    let neighbours = wiki::diff_neighbours(state.db(), from, to).await?;
    let segment = title.url_segment();
    let link = |(a, b): (i64, i64)| format!("/wiki/{segment}/diff?from={a}&to={b}");
    let previous = neighbours.previous.map(link);
    let next = neighbours.next.map(link);
    let sections = diff_view::sections(&segment, &difference.sections);
    let user_pages = UserPages::of(
        state.db(),
        [
            difference.from.author.as_str(),
            difference.to.author.as_str(),
        ],
    )
    .await?;
    let tabs = tabs::for_page(&title, tabs::Tab::History)
        .for_viewer(&title, tabs::Allowed::of(user.0.as_deref(), false));
    let tabs = tabs.as_refs();
    Ok(views::diff::page(&views::diff::DiffPage {
        title: title.as_str(),
        segment: &segment,
        from: diff_view::end(&difference.from, difference.from_hidden, &user_pages),
        to: diff_view::end(&difference.to, difference.to_hidden, &user_pages),
        sections: &sections,
        previous: previous.as_deref(),
        next: next.as_deref(),
        tabs: &tabs,
        user: user.signed_in(),
        text_hidden: difference.text_hidden,
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct RevertForm {
    csrf: String,
    to_revision: i64,
    #[serde(default)]
    summary: String,
}

/// `POST /wiki/{title}/revert`: the chosen revision's text becomes the latest again.
pub(super) async fn revert(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<RevertForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    wiki::revert(state.db(), &title, form.to_revision, user.id, &form.summary).await?;
    Ok(Redirect::to(&format!("/wiki/{}?saved=revert", title.url_segment())).into_response())
}

/// The page's latest revision id (`None` for a page without revisions).
async fn latest_revision(
    state: &AppState,
    title: &Title,
    viewer: Option<&crate::auth::User>,
) -> Result<Option<i64>, WebError> {
    let newest = wiki::history_for(
        state.db(),
        title,
        None,
        1,
        None,
        policy::may_see_hidden(viewer),
    )
    .await?;
    Ok(newest.first().map(|e| e.revision.id))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevertQuery {
    to: i64,
}

/// `GET /wiki/{title}/revert?to=N` (editors): asks for the summary of reverting to revision N.
pub(super) async fn revert_form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<RevertQuery>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    let see_hidden = policy::may_see_hidden(Some(&*user));
    let (to, _) = wiki::revision_for(state.db(), query.to, see_hidden).await?;
    if to.title != title.as_str() {
        return Err(WebError::NotFound);
    }
    let latest = latest_revision(&state, &title, Some(&*user))
        .await?
        .ok_or(WebError::NotFound)?;
    let segment = title.url_segment();
    let tabs = tabs::for_page(&title, tabs::Tab::History);
    let tabs = tabs.as_refs();
    Ok(views::history::revert_page(&views::history::RevertPage {
        title: title.as_str(),
        segment: &segment,
        to: query.to,
        timestamp: &to.revision.timestamp,
        author: &to.revision.author,
        latest,
        csrf: user.csrf_token(),
        tabs: &tabs,
        user: Some(user.signed_in()),
    })
    .into_response())
}
