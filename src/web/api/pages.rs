//! Reads: pages, sections, revisions, links, diffs, search.

use axum::extract::State;
use axum::response::Response;

use super::cache::NotShared;
use super::cursor::{self, Kind, ListQuery};
use super::extract::{ApiPath, ApiQuery, Viewer};
use super::types::{
    Absence, Backlink, Backlinks, Diff, DiffQuery, HistoryItem, Hit, Hits, Link, Links, MAX_TITLES,
    Page, PageItem, PageOrAbsence, PageReads, Pages, PagesQuery, Protection, RecentChange,
    RecentChanges, Revision, RevisionQuery, RevisionText, Revisions, SearchQuery, Section,
    SectionText, Sections,
};
use super::{ApiState, error::ApiError, json, json_with_etag, json_with_render_etag, title};
use crate::markup;
use crate::render::{self, RenderOptions};
use crate::wiki::{self, SectionKey};

/// `GET /api/pages`: live pages in title order.
pub(crate) async fn list(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<PagesQuery>,
) -> Result<Response, ApiError> {
    let titles = query.titles;
    let query = ListQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    // Checked even beside `titles`, which ignores them: a bad value is refused either way.
    let limit = query.limit()?;
    let after = query.cursor.as_deref().map(cursor::title).transpose()?;
    if let Some(titles) = &titles {
        return read_many(&state, titles).await;
    }
    let listed = wiki::all_pages(state.app.db(), limit + 1, after).await?;
    let (listed, next_cursor) = cursor::page(listed, limit, |p| cursor::after_title(&p.title));
    let pages = listed
        .into_iter()
        .map(|p| PageItem {
            revision_info: Revision::from(&p.revision),
            title: p.title,
            revision: p.latest_revision,
            size: p.size,
            timestamp: p.timestamp,
            redirect_to: p.redirect_to,
        })
        .collect();
    Ok(json(&Pages { pages, next_cursor }))
}

/// `GET /api/pages/{title}[?revision=N]`: the markup and revision of a page. A redirect page
/// reads as itself (`#REDIRECT [[…]]`), so what a client writes back goes where it read.
pub(crate) async fn read(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevisionQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let page = page_read(&state, &title, query.revision).await?;
    Ok(json_with_etag(&page, page.revision.id))
}

/// `GET /api/page-ids/{id}`: the page with this stable id, as `GET /api/pages/{title}` reads
/// it (410 when that page was deleted, 404 when there never was one).
pub(crate) async fn read_by_id(
    State(state): State<ApiState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let title = wiki::title_of_page_id(state.app.db(), id).await?;
    let page = page_read(&state, &title, None).await?;
    Ok(json_with_etag(&page, page.revision.id))
}

/// The page read of `title` at `revision` (the latest when `None`).
async fn page_read(
    state: &ApiState,
    title: &wiki::Title,
    revision: Option<i64>,
) -> Result<Page, ApiError> {
    let db = state.app.db();
    // Resolves the revision in this page (another page's revision is 404).
    let (revision, _) = wiki::sections(db, title, revision).await?;
    let found = wiki::revision(db, revision).await?;
    let standing = wiki::page_standing(db, title).await?;
    let info = Revision::from(&found.revision);
    Ok(Page {
        revision_info: info.clone(),
        namespace: wiki::Title::new(&found.title).map_or(0, |stored| stored.namespace().number()),
        title: found.title,
        display_title: markup::outline(&found.text).title,
        revision: info,
        markup: found.text,
        page_id: standing.id,
        protected: standing.protection.is_some(),
        protection: standing.protection.map(|note| Protection {
            by: note.by,
            at: note.at,
            reason: note.reason,
        }),
        categories: standing.categories,
    })
}

/// `GET /api/pages?titles=A|B`: several pages read at once.
async fn read_many(state: &ApiState, titles: &str) -> Result<Response, ApiError> {
    if titles.is_empty() {
        return Err(ApiError::BadParameter(
            "titles: name at least one page".to_owned(),
        ));
    }
    let mut asked: Vec<Result<wiki::Title, (String, String)>> = Vec::new();
    for raw in titles.split('|') {
        let title = wiki::Title::new(raw).map_err(|e| (raw.to_owned(), e.to_string()));
        if !asked.contains(&title) {
            asked.push(title);
        }
    }
    if asked.len() > MAX_TITLES {
        return Err(ApiError::BadParameter(format!(
            "titles: at most {MAX_TITLES} titles at once (got {})",
            asked.len()
        )));
    }
    let mut pages = Vec::with_capacity(asked.len());
    for title in &asked {
        let title = match title {
            Ok(title) => title,
            Err((raw, why)) => {
                pages.push(PageOrAbsence::Absent(Absence {
                    title: raw.clone(),
                    missing: false,
                    deleted: false,
                    invalid: Some(why.clone()),
                }));
                continue;
            }
        };
        let read = match page_read(state, title, None).await {
            Ok(page) => PageOrAbsence::Page(Box::new(page)),
            Err(ApiError::PageMissing(_)) => absent(title, false),
            Err(ApiError::Gone(_)) => absent(title, true),
            Err(other) => return Err(other),
        };
        pages.push(read);
    }
    Ok(json(&PageReads { pages }))
}

fn absent(title: &wiki::Title, deleted: bool) -> PageOrAbsence {
    PageOrAbsence::Absent(Absence {
        title: title.as_str().to_owned(),
        missing: !deleted,
        deleted,
        invalid: None,
    })
}

/// `GET /api/recent`: the newest revisions across live pages, newest first; `next_cursor`
/// is a keyset (the last revision shown), so a change made meanwhile never repeats an entry.
pub(crate) async fn recent(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit()?;
    let before = query
        .cursor
        .as_deref()
        .map(|c| cursor::number(Kind::Revision, c))
        .transpose()?
        .map(|n| i64::try_from(n).unwrap_or(i64::MAX));
    let entries = wiki::recent_changes(state.app.db(), limit + 1, before).await?;
    let (entries, next_cursor) = cursor::page(entries, limit, |e| {
        cursor::after_number(Kind::Revision, e.revision.id.unsigned_abs())
    });
    let changes = entries
        .into_iter()
        .map(|entry| RecentChange {
            title: entry.revision.page_title.clone(),
            entry: HistoryItem::from(entry),
        })
        .collect();
    Ok(json(&RecentChanges {
        changes,
        next_cursor,
    }))
}

fn missing_revision(title: &wiki::Title, revision: i64) -> ApiError {
    ApiError::NotFound(format!("the page {title} has no revision {revision}"))
}

/// `GET /api/pages/{title}/sections[?revision=N]`: the outline with ids.
pub(crate) async fn sections(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevisionQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let db = state.app.db();
    let (revision, entries) = wiki::sections(db, &title, query.revision).await?;
    // The leading `= Title =` line, if any, is in the lead.
    let lead = wiki::section(db, &title, &SectionKey::Index(0), Some(revision)).await?;
    let info = wiki::revision_meta(db, revision).await?;
    let body = Sections {
        revision_info: Revision::from(&info),
        title: lead.title,
        display_title: markup::outline(&lead.markup).title,
        revision,
        sections: entries.iter().map(Section::from).collect(),
    };
    Ok(json_with_etag(&body, revision))
}

/// `GET /api/pages/{title}/sections/{key}[?revision=N]`: one section's entry, markup (its
/// span, subsections included), HTML and plain text.
pub(crate) async fn section(
    State(state): State<ApiState>,
    ApiPath((raw, key)): ApiPath<(String, String)>,
    ApiQuery(query): ApiQuery<RevisionQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let db = state.app.db();
    let key = SectionKey::parse(&key);
    let view = wiki::section(db, &title, &key, query.revision).await?;
    // The whole page is parsed, so the section renders as it does on the page (footnote
    // numbers, link colours).
    let page = wiki::read_page(db, &title, Some(view.revision))
        .await?
        .ok_or_else(|| missing_revision(&title, view.revision))?;
    let link_exists = |target: &str| page.link_exists(target);
    let index = view.section.info.index;
    let html = render::section(&page.doc, index, &RenderOptions::new(&link_exists)).into_string();
    let text = render::plain_text(&page.doc, index);
    let info = wiki::revision_meta(db, view.revision).await?;
    let body = SectionText {
        revision_info: Revision::from(&info),
        section: Section::from(&view.section),
        page: view.title,
        revision: view.revision,
        text,
        html,
        markup: view.markup,
    };
    Ok(json_with_render_etag(&body, body.revision, &body.html))
}

/// `GET /api/pages/{title}/sections/{key}/revisions`: the revisions that changed a section.
pub(crate) async fn section_revisions(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath((raw, key)): ApiPath<(String, String)>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let section = Some(SectionKey::parse(&key));
    history(&state, &viewer, &title, section, &query).await
}

/// `GET /api/pages/{title}/revisions`: a page's revisions, newest first.
pub(crate) async fn revisions(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    history(&state, &viewer, &title, None, &query).await
}

/// A history page. Hidden revisions are marked; an admin's token also sees their summaries
/// and headings, and that answer is not kept for other readers.
async fn history(
    state: &ApiState,
    viewer: &Viewer,
    title: &wiki::Title,
    section: Option<SectionKey>,
    query: &ListQuery,
) -> Result<Response, ApiError> {
    let limit = query.limit()?;
    let before = match query.cursor.as_deref() {
        Some(c) => Some(i64::try_from(cursor::number(Kind::Revision, c)?).unwrap_or(i64::MAX)),
        None => None,
    };
    let see_hidden = viewer.see_hidden();
    let entries = wiki::history_for(
        state.app.db(),
        title,
        section,
        limit + 1,
        before,
        see_hidden,
    )
    .await?;
    let (entries, next_cursor) = cursor::page(entries, limit, |e| {
        cursor::after_number(Kind::Revision, e.revision.id.unsigned_abs())
    });
    let shows_hidden = see_hidden && entries.iter().any(|e| e.hidden);
    let revisions = entries.into_iter().map(HistoryItem::from).collect();
    let body = json(&Revisions {
        revisions,
        next_cursor,
    });
    Ok(shared_unless(shows_hidden, body))
}

/// `GET /api/pages/{title}/links`: what the page links to, with whether each target exists, in
/// title order (the cursor is the last title shown: a keyset).
pub(crate) async fn links(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let limit = query.limit()?;
    let after = query.cursor.as_deref().map(cursor::title).transpose()?;
    let all = wiki::links(state.app.db(), &title).await?;
    let found: Vec<Link> = all
        .into_iter()
        .filter(|l| after.as_ref().is_none_or(|a| l.title.as_str() > a.as_str()))
        .take(limit + 1)
        .map(|l| Link {
            title: l.title,
            exists: l.exists,
        })
        .collect();
    let (links, next_cursor) = cursor::page(found, limit, |l| cursor::after_title(&l.title));
    Ok(json(&Links { links, next_cursor }))
}

/// Where a search cursor starts the next page: after a hit's place in the ranking (`s…`), or,
/// for a cursor from before those, after an offset (`o…`, capped: past the end is simply an
/// empty page).
fn hits_from(query: &ListQuery) -> Result<wiki::HitsFrom, ApiError> {
    match query.cursor.as_deref() {
        None => Ok(wiki::HitsFrom::Offset(0)),
        Some(c) if c.starts_with('o') => Ok(wiki::HitsFrom::Offset(
            usize::try_from(cursor::number(Kind::Offset, c)?)
                .unwrap_or(usize::MAX)
                .min(MAX_OFFSET),
        )),
        Some(c) => {
            let (rank, row) = cursor::hit(c)?;
            Ok(wiki::HitsFrom::After { rank, row })
        }
    }
}

/// The furthest a list is paged into.
const MAX_OFFSET: usize = 1 << 30;

/// `GET /api/pages/{title}/backlinks`: the pages that link here (the page need not exist).
pub(crate) async fn backlinks(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let limit = query.limit()?;
    let after = query.cursor.as_deref().map(cursor::title).transpose()?;
    let found = wiki::backlinks(state.app.db(), &title, limit + 1, after).await?;
    let (found, next_cursor) = cursor::page(found, limit, |(t, _)| cursor::after_title(t));
    let backlinks = found
        .into_iter()
        .map(|(title, redirect)| Backlink { title, redirect })
        .collect();
    Ok(json(&Backlinks {
        backlinks,
        next_cursor,
    }))
}

/// `GET /api/revisions/{id}`: one revision with its markup.
pub(crate) async fn revision(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    // Issue 7: a hidden revision's text and summary are for admins only; the API says so.
    let see_hidden = viewer.see_hidden();
    let (found, hidden) = wiki::revision_for(state.app.db(), id, see_hidden).await?;
    if hidden.is_some() && !see_hidden {
        return Err(wiki::WikiError::RevisionHidden(id).into());
    }
    let body = RevisionText {
        revision: Revision::from(&found.revision),
        revision_info: Revision::from(&found.revision),
        parent: found.revision.parent_id,
        title: found.title,
        markup: found.text,
    };
    Ok(shared_unless(hidden.is_some(), json_with_etag(&body, id)))
}

/// `GET /api/diff?from=A&to=B`: two revisions compared section by section.
pub(crate) async fn diff(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Response, ApiError> {
    let diff = wiki::diff_for(state.app.db(), query.from, query.to, viewer.see_hidden()).await?;
    // Issue 7: a diff shows both texts, so none with a hidden revision.
    if diff.text_hidden {
        let hidden = if diff.to_hidden { query.to } else { query.from };
        return Err(wiki::WikiError::RevisionHidden(hidden).into());
    }
    let hidden = diff.from_hidden || diff.to_hidden;
    Ok(shared_unless(hidden, json(&Diff::from(diff))))
}

/// An answer that shows a hidden revision (to an admin) is not kept for other readers.
fn shared_unless(hidden: bool, mut response: Response) -> Response {
    if hidden {
        response.extensions_mut().insert(NotShared);
    }
    response
}

/// `GET /api/search?q=`: one hit per page (its best section, its other matching sections),
/// best first, with the count of pages.
pub(crate) async fn search(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    let list = ListQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = list.limit()?;
    let from = hits_from(&list)?;
    let results = wiki::search(state.app.db(), &query.q, limit + 1, from).await?;
    let (found, next_cursor) = cursor::page(results.hits, limit, |hit| match hit.place {
        wiki::HitsFrom::After { rank, row } => cursor::after_hit(rank, row),
        wiki::HitsFrom::Offset(n) => cursor::after_number(Kind::Offset, n as u64),
    });
    let hits: Vec<Hit> = found.into_iter().map(Hit::from).collect();
    Ok(json(&Hits {
        hits,
        total: results.total,
        next_cursor,
    }))
}
