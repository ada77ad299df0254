//! Reading pages.

use axum::extract::State;
use axum::response::Response;

use super::extract::{ApiPath, ApiQuery};
use super::types::{Page, Revision, RevisionQuery};
use super::{ApiState, error::ApiError, json_with_etag, title};
use crate::markup;
use crate::wiki;

/// `GET /api/pages/{title}[?revision=N]`: the markup and revision of a page.
pub(crate) async fn read(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevisionQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    if query.revision.is_some() {
        return Err(ApiError::NotFound(
            "old revisions are not readable yet".to_owned(),
        ));
    }
    let view = wiki::read_page(state.app.db(), &title, None)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no page called {title}")))?;
    let page = Page {
        title: view.page.title.clone(),
        display_title: markup::outline(&view.page.text).title,
        revision: Revision::from(&view.page.revision),
        markup: view.page.text,
    };
    Ok(json_with_etag(&page, page.revision.id))
}
