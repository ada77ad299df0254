//! Page reads: `page/{title}` (source), `…/bare`, `…/html`, `…/history`, and `search/page`.

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::types::{
    History, HistoryQuery, HistoryRevision, LICENSE, Latest, PageObject, SearchPage, SearchPages,
    SearchQuery,
};
use super::{absolute, key, segment};
use crate::render::{self, RenderOptions};
use crate::web::api::cache::NotShared;
use crate::web::api::extract::{ApiPath, ApiQuery, Viewer};
use crate::web::api::{ApiState, error::ApiError, json, json_with_etag, title};
use crate::wiki::{self, RevisionsFrom, Title};

/// Revisions per history page, as MediaWiki shows.
const HISTORY_PAGE: usize = 20;
/// Search hits at most, and by default.
const MOST_HITS: usize = 100;
const DEFAULT_HITS: usize = 50;

/// `GET page/{title}`: the page's latest markup, with its id and latest revision.
pub(crate) async fn source(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let (page, revision) = page_object(&state, &title, true).await?;
    Ok(json_with_etag(&page, revision))
}

/// `GET page/{title}/bare`: as `page/{title}` without the markup, with where its HTML is.
pub(crate) async fn bare(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let (page, revision) = page_object(&state, &title, false).await?;
    Ok(json_with_etag(&page, revision))
}

/// The page object of `title` at its latest revision, with its markup (`with_source`) or the
/// URL of its HTML; and that revision's id.
pub(super) async fn page_object(
    state: &ApiState,
    title: &Title,
    with_source: bool,
) -> Result<(PageObject, i64), ApiError> {
    let db = state.app.db();
    let standing = wiki::page_standing(db, title).await?;
    let (revision, _) = wiki::sections(db, title, None).await?;
    let found = wiki::revision(db, revision).await?;
    let page_key = key(&found.title);
    let html_url =
        (!with_source).then(|| absolute(state, &format!("/page/{}/html", segment(&found.title))));
    let page = PageObject {
        id: standing.id,
        key: page_key,
        latest: Latest {
            id: found.revision.id,
            timestamp: found.revision.timestamp.clone(),
        },
        content_model: super::types::CONTENT_MODEL,
        license: LICENSE,
        source: with_source.then_some(found.text),
        html_url,
        title: found.title,
    };
    Ok((page, revision))
}

/// `GET page/{title}/html`: the latest revision rendered, as a whole HTML document.
pub(crate) async fn html(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let db = state.app.db();
    let (revision, _) = wiki::sections(db, &title, None).await?;
    // The revision named: a redirect page shows itself, not its target.
    let page = wiki::read_page(db, &title, Some(revision))
        .await?
        .ok_or_else(|| ApiError::PageMissing(format!("there is no page called {title}")))?;
    let document = tokio::task::spawn_blocking(move || {
        let link_exists = |target: &str| page.link_exists(target);
        let mut options = RenderOptions::new(&link_exists);
        options.page_title = Some(&page.page.title);
        let body = render::article(&page.doc, &options);
        render::views::rest::html_document(&page.page.title, revision, body).into_string()
    })
    .await
    .map_err(|e| ApiError::Internal(format!("rendering a page: {e}")))?;
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        document,
    )
        .into_response();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"r{revision}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `GET page/{title}/history[?older_than=N|newer_than=N]`: 20 revisions, newest first, with
/// links to the newer and older ones.
pub(crate) async fn history(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let from = match (query.older_than, query.newer_than) {
        (Some(_), Some(_)) => {
            return Err(ApiError::BadParameter(
                "older_than and newer_than cannot both be given".to_owned(),
            ));
        }
        (Some(id), None) => RevisionsFrom::OlderThan(id),
        (None, Some(id)) => RevisionsFrom::NewerThan(id),
        (None, None) => RevisionsFrom::Latest,
    };
    let see_hidden = viewer.see_hidden();
    let window =
        wiki::page_revisions(state.app.db(), &title, from, HISTORY_PAGE, see_hidden).await?;
    let base = format!("/page/{}/history", segment(title.as_str()));
    let older = match window.revisions.last() {
        Some(last) if window.has_older => Some(format!("{base}?older_than={}", last.meta.id)),
        _ => None,
    };
    let newer = match window.revisions.first() {
        Some(first) if window.has_newer => Some(format!("{base}?newer_than={}", first.meta.id)),
        _ => None,
    };
    let shows_hidden = see_hidden && window.revisions.iter().any(|r| r.hidden);
    let revisions = window
        .revisions
        .into_iter()
        .map(|r| HistoryRevision::new(r.meta, r.hidden && !see_hidden))
        .collect();
    let body = History {
        revisions,
        latest: absolute(&state, &base),
        older: older.map(|path| absolute(&state, &path)),
        newer: newer.map(|path| absolute(&state, &path)),
    };
    let mut response = json(&body);
    if shows_hidden {
        response.extensions_mut().insert(NotShared);
    }
    Ok(response)
}

/// `GET search/page?q=&limit=`: the pages whose latest text matches, best first (each page
/// once, with the excerpt of its best hit).
pub(crate) async fn search(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit.unwrap_or(DEFAULT_HITS);
    if !(1..=MOST_HITS).contains(&limit) {
        return Err(ApiError::BadParameter(format!(
            "limit must be between 1 and {MOST_HITS}"
        )));
    }
    let db = state.app.db();
    // One hit per page, its best section's snippet as the excerpt.
    let found = wiki::search(db, &query.q, limit, wiki::HitsFrom::Offset(0)).await?;
    let mut pages: Vec<SearchPage> = Vec::new();
    for hit in found.hits {
        if pages.len() == limit {
            break;
        }
        if pages.iter().any(|p| p.title == hit.title) {
            continue;
        }
        let Ok(found) = Title::new(&hit.title) else {
            continue;
        };
        let id = match wiki::page_standing(db, &found).await {
            Ok(standing) => standing.id,
            // Deleted since the index was read.
            Err(wiki::WikiError::PageMissing(_) | wiki::WikiError::PageDeleted(_)) => continue,
            Err(other) => return Err(other.into()),
        };
        pages.push(SearchPage {
            id,
            key: key(&hit.title),
            excerpt: excerpt(&hit.snippet),
            matched_title: None,
            description: None,
            thumbnail: None,
            title: hit.title,
        });
    }
    Ok(json(&SearchPages { pages }))
}

/// A search snippet with MediaWiki's marks of matches (`<span class="searchmatch">`).
fn excerpt(snippet: &str) -> String {
    snippet
        .replace("<mark>", "<span class=\"searchmatch\">")
        .replace("</mark>", "</span>")
}
