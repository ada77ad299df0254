//! Reading pages.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use super::{AppState, WebError};
use crate::render::views;
use crate::wiki::{self, Title};

/// `GET /`: the main page.
pub(super) async fn main_page(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    show(&state, &headers, Title::new(wiki::MAIN_PAGE)?).await
}

/// `GET /wiki/{title}`: a page; a title written with spaces redirects to its `_` form.
pub(super) async fn read(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    if raw != title.as_str().replace(' ', "_") {
        let to = format!("/wiki/{}", title.url_segment());
        return Ok(Redirect::permanent(&to).into_response());
    }
    show(&state, &headers, title).await
}

/// Whether the request comes from a reader without a session: they all see the same page.
fn is_anonymous(headers: &HeaderMap) -> bool {
    !headers
        .get_all(header::COOKIE)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.contains("plutarch_session=")))
}

async fn show(state: &AppState, headers: &HeaderMap, title: Title) -> Result<Response, WebError> {
    let generation = state.db().generation();
    let cacheable = is_anonymous(headers);
    if cacheable {
        if let Some(body) = state.page_cache().get(title.as_str(), generation) {
            return Ok(Html(body).into_response());
        }
    }
    let page = wiki::read_page(state.db(), &title, None)
        .await?
        .ok_or(WebError::MissingPage(title))?;
    let link_exists = |target: &str| page.link_exists(target);
    let view = views::read::ReadPage {
        title: page.page.title.as_str(),
        doc: &page.doc,
        link_exists: &link_exists,
        author: &page.page.revision.author,
        timestamp: &page.page.revision.timestamp,
    };
    let body = Bytes::from(views::read::page(&view).into_string());
    if cacheable {
        state
            .page_cache()
            .put(page.page.title.as_str(), generation, body.clone());
    }
    Ok(Html(body).into_response())
}
