//! Writes: `PUT page/{title}` (edit, or create without `latest`) and `POST page` (create).
//! `latest.id` is the base revision: edits made since are merged section by section as for any
//! edit, and what cannot be merged is an edit conflict (409), as is an edit of an existing page
//! without a base, and a creation of a page that exists.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use super::pages::page_object;
use super::types::{CONTENT_MODEL, CreateBody, UpdateBody};
use super::writer::RestWriter;
use super::{BASE, segment};
use crate::web::api::extract::{ApiJson, ApiPath};
use crate::web::api::{ApiState, error::ApiError, json_with_etag, title};
use crate::wiki::{self, SaveRequest, Title};

/// `PUT page/{title}`: saves `source` over the page (its base `latest.id`), or creates it.
pub(crate) async fn update(
    State(state): State<ApiState>,
    writer: RestWriter,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateBody>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    writer.check_token(body.token.as_deref())?;
    wikitext_only(body.content_model.as_deref())?;
    let request = SaveRequest {
        title,
        markup: body.source,
        base_revision: body.latest.map(|latest| latest.id),
        section: None,
        summary: body.comment,
        author_id: writer.id(),
    };
    save(&state, request).await
}

/// `POST page`: creates the page `title` (409 when it exists).
pub(crate) async fn create(
    State(state): State<ApiState>,
    writer: RestWriter,
    ApiJson(body): ApiJson<CreateBody>,
) -> Result<Response, ApiError> {
    let title = title(&body.title)?;
    writer.check_token(body.token.as_deref())?;
    wikitext_only(body.content_model.as_deref())?;
    let request = SaveRequest {
        title,
        markup: body.source,
        base_revision: None,
        section: None,
        summary: body.comment,
        author_id: writer.id(),
    };
    save(&state, request).await
}

/// 400 for a content model other than wikitext.
fn wikitext_only(model: Option<&str>) -> Result<(), ApiError> {
    match model {
        None | Some(CONTENT_MODEL) => Ok(()),
        Some(other) => Err(ApiError::BadRequest(format!(
            "content_model must be {CONTENT_MODEL:?}, not {other:?}"
        ))),
    }
}

/// Saves, and answers the page as `GET page/{title}` does: 201 with its `Location` when the
/// page was created.
async fn save(state: &ApiState, request: SaveRequest) -> Result<Response, ApiError> {
    let outcome = wiki::save_page(state.app.db(), request).await?;
    let (wiki::SaveOutcome::Saved { title, .. } | wiki::SaveOutcome::Unchanged { title, .. }) =
        &outcome;
    let title = Title::new(title)?;
    let (page, revision) = page_object(state, &title, true).await?;
    let mut response = json_with_etag(&page, revision);
    if outcome.created() {
        *response.status_mut() = StatusCode::CREATED;
        let location = format!("{BASE}/page/{}", segment(title.as_str()));
        if let Ok(location) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, location);
        }
    }
    Ok(response)
}
