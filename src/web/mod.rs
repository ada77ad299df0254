//! HTTP: the router, thin handlers, and the error type with an HTML face.
//!
//! Handlers extract, call one `wiki` or `store` function, and hand the result to a view in
//! `render::views`. No SQL here.

mod api;
mod cache;
mod error;
mod pages;
mod statics;

pub use error::WebError;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::store::Db;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    db: Db,
    pages: cache::PageCache,
}

impl AppState {
    /// State over an open database.
    pub fn new(db: Db) -> Self {
        Self {
            inner: Arc::new(Shared {
                db,
                pages: cache::PageCache::default(),
            }),
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    fn page_cache(&self) -> &cache::PageCache {
        &self.inner.pages
    }
}

/// The whole application as a router: tests call it with `oneshot`, `serve` binds it.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::main_page))
        .route("/wiki/{title}", get(pages::read))
        .route("/healthz", get(statics::healthz))
        .nest("/api", api::router(state.clone()))
        .route("/static/style.css", get(statics::stylesheet))
        .fallback(statics::not_found)
        .with_state(state)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// Serves the app on `listener` until `shutdown` resolves, then lets requests in flight finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let db = state.db().clone();
    let watcher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(e) = db.check_external_writes().await {
                tracing::warn!("cannot check the database for outside changes: {e}");
            }
        }
    });
    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await;
    watcher.abort();
    served
}
