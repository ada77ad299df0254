//! MediaWiki's REST API page routes, under `/w/rest.php/v1` (issue 19), for the tools that use
//! them: pages (source, bare, HTML, history), edits and creations, revisions, comparisons and
//! page search, in MediaWiki's shapes.
//!
//! The routes share the JSON API's state, so sessions and tokens, roles, protection, hidden
//! revisions, request rates, the answer cache and `Cache-Control` are those of `/api`; unknown
//! query parameters are refused as `openapi.json` declares them. Errors are MediaWiki's REST
//! errors ([`errors`]): the API's problems, reshaped.

mod errors;
mod pages;
mod revisions;
mod types;
mod writer;
mod writes;

pub(crate) use errors::mediawiki_errors;

use axum::Router;
use axum::routing::get;

use super::ApiState;

/// Where the routes are nested.
pub(crate) const BASE: &str = "/w/rest.php/v1";

/// The REST routes, to be nested under [`BASE`].
pub(crate) fn router<S>(state: ApiState) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let router = Router::new()
        .route("/page", axum::routing::post(writes::create))
        .route("/page/{title}", get(pages::source).put(writes::update))
        .route("/page/{title}/bare", get(pages::bare))
        .route("/page/{title}/html", get(pages::html))
        .route("/page/{title}/history", get(pages::history))
        .route("/revision/{id}", get(revisions::source))
        .route("/revision/{id}/bare", get(revisions::bare))
        .route("/revision/{from}/compare/{to}", get(revisions::compare))
        .route("/search/page", get(pages::search));
    super::with_api_layers(router, state)
}

/// A URL path under [`BASE`], absolute with the site's origin (as MediaWiki's `html_url` and
/// history links are).
fn absolute(state: &ApiState, path: &str) -> String {
    format!(
        "{}{BASE}{path}",
        state.app.settings().origin().trim_end_matches('/')
    )
}

/// A title as MediaWiki's `key`: underscores for spaces.
fn key(title: &str) -> String {
    title.replace(' ', "_")
}

/// A title as a URL path segment.
fn segment(title: &str) -> String {
    crate::wiki::title::url_segment(title)
}
