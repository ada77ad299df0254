//! The JSON API under `/api`: pages, sections, revisions, diffs, search, and people's facts and
//! timelines for programs.
//!
//! Every route is listed in [`router`] and described in `openapi.json` (served at
//! `/api/openapi.json`). Handlers are thin: they extract (with problem+json rejections), call one
//! `wiki` function, and fill an API type from [`types`]. Reads are cached per database
//! generation ([`cache`]); writes need a bearer token ([`extract::Writer`]).

mod account;
mod admin;
mod bio;
pub(super) mod cache;
mod cors;
mod cursor;
mod error;
mod extract;
mod files;
mod log;
mod moderation;
mod pages;
mod params;
mod problem;
mod rate;
pub(crate) mod rest;
mod sources;
mod types;
mod writes;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;

use super::AppState;
use crate::wiki::Title;
use error::ApiError;

/// The OpenAPI 3.1 description of this API.
pub(crate) const OPENAPI: &str = include_str!("openapi.json");

/// What API handlers reach: the app, and the cache of read answers.
#[derive(Clone, Debug)]
pub(crate) struct ApiState {
    app: AppState,
    cache: Arc<cache::JsonCache>,
    /// The request rate per client, when one is set.
    limiter: Option<Arc<rate::RateLimiter>>,
}

impl ApiState {
    /// The API's state over the app: one answer cache and one request rate per client, shared
    /// by `/api` and MediaWiki's REST routes ([`rest`]).
    pub(crate) fn new(app: AppState) -> Self {
        let limiter = app
            .settings()
            .api_rate
            .map(|rate| Arc::new(rate::RateLimiter::new(rate)));
        Self {
            app,
            cache: Arc::new(cache::JsonCache::default()),
            limiter,
        }
    }
}

/// The API's routes, to be nested under `/api`, over `state` ([`ApiState::new`]). CORS is on for the origins in
/// `PLUTARCH_CORS_ORIGINS`, if any.
pub(crate) fn router<S>(state: ApiState) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let router = Router::new()
        .route("/openapi.json", get(openapi))
        .route("/pages", get(pages::list))
        .route(
            "/pages/{title}",
            get(pages::read)
                .put(writes::put_page)
                .delete(writes::delete),
        )
        .route("/pages/{title}/sections", get(pages::sections))
        .route(
            "/pages/{title}/sections/{key}",
            get(pages::section).put(writes::put_section),
        )
        .route(
            "/pages/{title}/sections/{key}/revisions",
            get(pages::section_revisions),
        )
        .route("/pages/{title}/revisions", get(pages::revisions))
        .route("/pages/{title}/revert", post(writes::revert))
        .route("/pages/{title}/move", post(writes::move_page))
        .route("/pages/{title}/undelete", post(writes::undelete))
        .route("/pages/{title}/undo", post(moderation::undo))
        .route("/pages/{title}/protect", post(moderation::protect))
        .route("/pages/{title}/unprotect", post(moderation::unprotect))
        .route("/revisions/{id}/hide", post(moderation::hide))
        .route("/revisions/{id}/unhide", post(moderation::unhide))
        .route("/pages/{title}/links", get(pages::links))
        .route("/pages/{title}/backlinks", get(pages::backlinks))
        .route("/revisions/{id}", get(pages::revision))
        .route("/page-ids/{id}", get(pages::read_by_id))
        .route("/recent", get(pages::recent))
        .route("/diff", get(pages::diff))
        .route("/search", get(pages::search))
        .route("/pages/{title}/facts", get(bio::facts))
        .route("/pages/{title}/timeline", get(bio::page_timeline))
        .route("/pages/{title}/mentions", get(bio::mentions))
        .route("/pages/{title}/citations", get(bio::citations))
        .route("/sources/{title}", get(sources::read).patch(sources::patch))
        .route("/people", get(bio::people))
        .route("/timeline", get(bio::timeline))
        .route("/admin/jobs", get(admin::jobs))
        .route("/log/deletions", get(log::deletions))
        .route("/pages/{title}/archive", get(log::archive))
        .route("/me", get(account::me))
        .route("/files", post(files::upload))
        .route("/files/{title}", get(files::read))
        .route("/files/{title}/revert", post(files::revert));
    with_api_layers(router, state)
}

/// What every JSON route shares (`/api` and MediaWiki's REST routes): the 404 and 405 problems,
/// the answer cache, the parameter check, the rate limit and CORS.
pub(crate) fn with_api_layers<S>(router: Router<ApiState>, state: ApiState) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let router = router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), cache::cached))
        .layer(axum::middleware::from_fn(params::check))
        .layer(from_fn_with_state(state.clone(), rate::limit))
        .with_state(state);
    match cors::layer(&cors::origins_from_env()) {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// A title from a URL segment (`_` or spaces), or 422.
fn title(raw: &str) -> Result<Title, ApiError> {
    Ok(Title::new(raw)?)
}

/// `value` as `application/json`.
fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(e) => ApiError::Internal(format!("cannot serialise an answer: {e}")).into_response(),
    }
}

/// The ETag of an answer of markup only: `"r<revision>"`.
fn revision_etag(revision: i64) -> Result<HeaderValue, header::InvalidHeaderValue> {
    HeaderValue::from_str(&format!("\"r{revision}\""))
}

/// `value` as `application/json` with `ETag: "r<revision>"` (an answer of markup only: the
/// revision names it).
fn json_with_etag<T: Serialize>(value: &T, revision: i64) -> Response {
    let mut response = json(value);
    if let Ok(etag) = revision_etag(revision) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// `value` as `application/json` with `ETag: "r<revision>-<render key>"`, for an answer that
/// carries rendered HTML: the key is a hash of that HTML, so it changes whenever the HTML
/// does although the revision does not (a link turning from red to blue, a template, the
/// day). `If-Match` compares the revision part only.
fn json_with_render_etag<T: Serialize>(value: &T, revision: i64, html: &str) -> Response {
    let mut response = json(value);
    let key = render_key(html);
    if let Ok(etag) = HeaderValue::from_str(&format!("\"r{revision}-{key}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// A short hash of rendered HTML (10 hex digits of its SHA-256).
fn render_key(html: &str) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let digest = Sha256::digest(html.as_bytes());
    digest[..5].iter().fold(String::new(), |mut key, byte| {
        let _ = write!(key, "{byte:02x}");
        key
    })
}

/// `GET /api/openapi.json`.
async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        OPENAPI,
    )
        .into_response()
}

async fn not_found() -> ApiError {
    ApiError::NotFound("there is no API route at this address (see /api/openapi.json)".to_owned())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// `GET /problems/{kind}`: what a problem `type` means, so the URIs resolve (open to all, like
/// `/api/openapi.json`: it names no data).
pub(crate) async fn problem(axum::extract::Path(slug): axum::extract::Path<String>) -> Response {
    match problem::ProblemKind::by_slug(&slug) {
        Some(kind) => json(&kind.entry()),
        None => ApiError::NotFound(format!(
            "there is no problem type {slug:?} (the Problem schema in /api/openapi.json lists them)"
        ))
        .into_response(),
    }
}

/// The problem answer to a refusal made before any API handler ran (a missing or bad token in
/// the read-access check).
pub(crate) fn rejection(rejection: crate::web::ApiRejection) -> Response {
    ApiError::from(rejection).into_response()
}
