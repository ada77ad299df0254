//! Lists: search, recent changes (and its Atom feed), all pages, what links here, categories.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::authors::UserPages;
use super::session::MaybeUser;
use super::shareable::TaggedPage;
use super::{AppState, WebError, tabs};
use crate::render::views::{
    self, feed::FeedEntry, lists::Change, lists::CreateOffer, lists::SearchHit,
};
use crate::wiki::{self, Title, title::url_segment};

const PAGE_SIZE: usize = 50;
/// The longest search query accepted, in bytes.
const MAX_QUERY_BYTES: usize = 300;

#[derive(Debug, Deserialize)]
pub(super) struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    offset: usize,
}

/// `GET /search?q=`: a title (exact, else ignoring case, then accents) goes straight to the
/// page; otherwise one result per page, with the count of pages.
pub(super) async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let q = query.q.trim();
    if q.len() > MAX_QUERY_BYTES {
        return Err(WebError::BadRequest(format!(
            "a search can be at most {MAX_QUERY_BYTES} bytes long"
        )));
    }
    if query.offset == 0 && !q.is_empty() {
        if let Some(title) = wiki::page_named(state.db(), q).await? {
            return Ok(Redirect::to(&format!("/wiki/{}", title.url_segment())).into_response());
        }
    }
    // No page has this title: offer to create it (issue 15).
    let create = match Title::new(q) {
        Ok(title) if !q.is_empty() => create_offer(&user, &title),
        _ => None,
    };
    let results = wiki::search(
        state.db(),
        q,
        PAGE_SIZE + 1,
        wiki::HitsFrom::Offset(query.offset),
    )
    .await?;
    // A title that differs only by accents or written-out letters (`strasse`, `Straße`).
    if query.offset == 0 {
        if let Some(hit) = wiki::hit_named(&results.hits, q) {
            let to = format!("/wiki/{}", url_segment(&hit.title));
            return Ok(Redirect::to(&to).into_response());
        }
    }
    let hits = &results.hits;
    let more = hits.len() > PAGE_SIZE;
    let section_url = |title: &str, anchor: &str| {
        if anchor.is_empty() {
            format!("/wiki/{}", url_segment(title))
        } else {
            format!("/wiki/{}#{}", url_segment(title), anchor)
        }
    };
    let shown: Vec<SearchHit<'_>> = hits
        .iter()
        .take(PAGE_SIZE)
        .map(|hit| SearchHit {
            title: &hit.title,
            section_title: &hit.section.title,
            url: section_url(&hit.title, &hit.section.anchor),
            snippet_html: &hit.snippet,
            others: hit
                .other_sections
                .iter()
                .map(|s| (s.title.as_str(), section_url(&hit.title, &s.anchor)))
                .collect(),
            others_total: hit.other_sections_total,
        })
        .collect();
    let more = more.then(|| {
        let q: String = utf8_percent_encode(q, NON_ALPHANUMERIC).to_string();
        format!("/search?q={q}&offset={}", query.offset + PAGE_SIZE)
    });
    let page = views::lists::search(&views::lists::SearchPage {
        query: q,
        hits: &shown,
        total: results.total,
        offset: query.offset,
        more: more.as_deref(),
        create: create.as_ref(),
        user: user.signed_in(),
    });
    Ok(page.into_response())
}

/// "Create the page" for an editor, "sign in to create" for an anonymous reader, nothing for a
/// signed-in reader (who cannot).
fn create_offer(user: &MaybeUser, title: &Title) -> Option<CreateOffer> {
    let edit = format!("/wiki/{}/edit", title.url_segment());
    let title = title.as_str().to_owned();
    match &user.0 {
        Some(user) if user.has(crate::auth::Role::Editor) => Some(CreateOffer {
            title,
            url: edit,
            signed_in: true,
        }),
        Some(_) => None,
        None => Some(CreateOffer {
            title,
            url: super::session::login_url(&edit),
            signed_in: false,
        }),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct Before {
    pub(super) before: Option<i64>,
}

/// `GET /recent`: the newest changes to every page.
pub(super) async fn recent(
    State(state): State<AppState>,
    Query(query): Query<Before>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let entries = wiki::recent_changes(state.db(), PAGE_SIZE + 1, query.before).await?;
    let more = entries.len() > PAGE_SIZE;
    let entries = &entries[..entries.len().min(PAGE_SIZE)];
    let user_pages = UserPages::of(state.db(), authors_of(entries)).await?;
    let changes = changes_of(entries, &user_pages);
    let older = match (more, entries.last()) {
        (true, Some(last)) => Some(format!("/recent?before={}", last.revision.id)),
        _ => None,
    };
    Ok(views::lists::recent(&changes, older.as_deref(), user.signed_in()).into_response())
}

/// The author names of `entries`.
pub(super) fn authors_of(entries: &[wiki::HistoryEntry]) -> impl Iterator<Item = &str> {
    entries.iter().map(|e| e.revision.author.as_str())
}

/// Recent changes as the views show them.
pub(super) fn changes_of<'a>(
    entries: &'a [wiki::HistoryEntry],
    user_pages: &UserPages,
) -> Vec<Change<'a>> {
    entries
        .iter()
        .map(|e| Change {
            title: &e.revision.page_title,
            segment: url_segment(&e.revision.page_title),
            revision: e.revision.id,
            parent: e.revision.parent_id,
            timestamp: &e.revision.timestamp,
            author: user_pages.author(&e.revision.author),
            // Issue 7: a hidden revision's summary is left out by `wiki`; say so.
            summary: if e.hidden {
                views::moderation::SUMMARY_HIDDEN
            } else {
                &e.revision.summary
            },
            delta: e.size_delta,
        })
        .collect()
}

/// How many recent changes the default main page lists.
const WELCOME_CHANGES: usize = 10;

/// The main page shown while none is written (issue 15): what the wiki holds, its recent
/// changes, and how to start.
pub(super) async fn welcome(state: &AppState, user: &MaybeUser) -> Result<Response, WebError> {
    let generation = state.db().generation();
    let holdings = wiki::holdings(state.db()).await?;
    let entries = wiki::recent_changes(state.db(), WELCOME_CHANGES, None).await?;
    let user_pages = UserPages::of(state.db(), authors_of(&entries)).await?;
    let changes = changes_of(&entries, &user_pages);
    let create = create_offer(user, &Title::new(wiki::MAIN_PAGE)?);
    let page = views::welcome::page(&views::welcome::Welcome {
        pages: holdings.pages,
        people: holdings.people,
        changes: &changes,
        create: create.as_ref(),
        user: user.signed_in(),
    });
    if user.0.is_some() {
        return Ok(page.into_response());
    }
    let page = TaggedPage::new(page.into_string().into());
    state.welcome_cache().put(generation, page.clone());
    Ok(page.response())
}

pub(super) fn atom_response(body: maud::Markup) -> Response {
    (
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body.into_string(),
    )
        .into_response()
}

pub(super) fn feed_entries<'a>(
    origin: &str,
    entries: &'a [wiki::HistoryEntry],
) -> Vec<FeedEntry<'a>> {
    entries
        .iter()
        .map(|e| {
            let segment = url_segment(&e.revision.page_title);
            let url = match e.revision.parent_id {
                Some(parent) => format!(
                    "{origin}/wiki/{segment}/diff?from={parent}&to={}",
                    e.revision.id
                ),
                None => format!("{origin}/wiki/{segment}?revision={}", e.revision.id),
            };
            FeedEntry {
                title: if e.revision.summary.is_empty() {
                    e.revision.page_title.clone()
                } else {
                    format!("{}: {}", e.revision.page_title, e.revision.summary)
                },
                id: format!("{origin}/wiki/{segment}?revision={}", e.revision.id),
                url,
                updated: &e.revision.timestamp,
                author: &e.revision.author,
                summary: &e.revision.summary,
            }
        })
        .collect()
}

/// `GET /recent.atom`
pub(super) async fn recent_feed(State(state): State<AppState>) -> Result<Response, WebError> {
    let entries = wiki::recent_changes(state.db(), PAGE_SIZE, None).await?;
    let origin = state.settings().origin();
    let feed = views::feed::atom(
        "Plutarch: recent changes",
        &format!("{origin}/recent.atom"),
        &format!("{origin}/recent"),
        &feed_entries(origin, &entries),
    );
    Ok(atom_response(feed))
}

#[derive(Debug, Deserialize)]
pub(super) struct FeedQuery {
    section: Option<String>,
}

/// `GET /wiki/{title}/feed[?section=K]`
pub(super) async fn page_feed(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let section = wiki::SectionKey::from_param(query.section.as_deref());
    let entries = wiki::history(state.db(), &title, section, PAGE_SIZE, None).await?;
    let origin = state.settings().origin();
    let segment = title.url_segment();
    let feed = views::feed::atom(
        &format!("Plutarch: changes to {}", title.as_str()),
        &format!("{origin}/wiki/{segment}/feed"),
        &format!("{origin}/wiki/{segment}/history"),
        &feed_entries(origin, &entries),
    );
    Ok(atom_response(feed))
}

#[derive(Debug, Deserialize)]
pub(super) struct After {
    after: Option<String>,
}

/// `GET /pages`: every page, alphabetically.
pub(super) async fn all_pages(
    State(state): State<AppState>,
    Query(query): Query<After>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let pages = wiki::all_pages(state.db(), PAGE_SIZE + 1, query.after).await?;
    let more = pages.len() > PAGE_SIZE;
    let links: Vec<views::lists::ListedPage> = pages
        .iter()
        .take(PAGE_SIZE)
        .map(|p| {
            (
                p.title.clone(),
                format!("/wiki/{}", url_segment(&p.title)),
                false,
            )
        })
        .collect();
    let more = match (more, links.last()) {
        (true, Some((last, _, _))) => Some(format!(
            "/pages?after={}",
            utf8_percent_encode(last, NON_ALPHANUMERIC)
        )),
        _ => None,
    };
    Ok(views::lists::page_list(
        "All pages",
        None,
        &links,
        "There are no pages yet.",
        more.as_deref(),
        &[],
        user.signed_in(),
    )
    .into_response())
}

/// `GET /wiki/{title}/links`: what links here.
pub(super) async fn what_links_here(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<After>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let pages = wiki::backlinks(state.db(), &title, PAGE_SIZE + 1, query.after).await?;
    let more = pages.len() > PAGE_SIZE;
    let links: Vec<views::lists::ListedPage> = pages
        .iter()
        .take(PAGE_SIZE)
        .map(|(t, redirect)| (t.clone(), format!("/wiki/{}", url_segment(t)), *redirect))
        .collect();
    let segment = title.url_segment();
    let more = match (more, links.last()) {
        (true, Some((last, _, _))) => Some(format!(
            "/wiki/{segment}/links?after={}",
            utf8_percent_encode(last, NON_ALPHANUMERIC)
        )),
        _ => None,
    };
    let tabs = tabs::for_page(&title, tabs::Tab::Links)
        .for_viewer(&title, tabs::Allowed::of(user.0.as_deref(), false));
    let intro = maud::html! {
        p { "Pages that link to " a href=(format!("/wiki/{segment}")) { (title.as_str()) } ":" }
    };
    Ok(views::lists::page_list(
        &format!("What links to {}", title.as_str()),
        Some(intro),
        &links,
        "No page links here.",
        more.as_deref(),
        &tabs.as_refs(),
        user.signed_in(),
    )
    .into_response())
}
