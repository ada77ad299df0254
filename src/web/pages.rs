//! Reading pages.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{AppState, WebError};
use crate::render::views;
use crate::wiki::{self, Title};

/// `GET /`: the main page.
pub(super) async fn main_page(State(state): State<AppState>) -> Result<Response, WebError> {
    show(&state, Title::new(wiki::MAIN_PAGE)?).await
}

/// `GET /wiki/{title}`: a page; a title written with spaces redirects to its `_` form.
pub(super) async fn read(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    if raw != title.as_str().replace(' ', "_") {
        let to = format!("/wiki/{}", title.url_segment());
        return Ok(Redirect::permanent(&to).into_response());
    }
    show(&state, title).await
}

async fn show(state: &AppState, title: Title) -> Result<Response, WebError> {
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
    Ok(views::read::page(&view).into_response())
}
