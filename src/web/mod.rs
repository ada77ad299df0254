//! HTTP: the router, thin handlers, and the error type with an HTML face.
//!
//! Handlers extract, call one `wiki` or `store` function, and hand the result to a view in
//! `render::views`. No SQL here.

mod api;
mod auth;
mod authors;
mod bio;
mod cache;
mod contributions;
mod deadline;
mod diff_view;
mod drafts;
mod edit;
mod error;
mod file_revert;
mod files;
mod history;
mod jobs;
mod lists;
mod moderation;
mod mwapi;
mod own_account;
mod page_actions;
mod pages;
mod prerender;
mod proxies;
pub mod purge;
pub mod replica;
mod security;
mod server;
mod session;
mod shareable;
mod sign_in_why;
mod sources;
mod statics;
mod tabs;
mod talk;
mod undo;
mod upstream;
mod users_admin;
mod view_source;
mod watchlist;

pub use error::WebError;
pub use prerender::RenderCounts;
pub use proxies::TrustedProxy;
pub use security::{DEFAULT_REQUEST_DEADLINE, Settings};
pub use server::{ServeOptions, Stopped, default_max_connections, serve};
pub use session::{
    Admin, ApiRejection, ApiUser, CSRF_FIELD, ClientAddress, CurrentUser, Editor, MaybeUser,
    check_csrf,
};

use std::sync::{Arc, Weak};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::auth::secret::AnonymousCsrf;
use crate::store::Db;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    inner: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    db: Db,
    pages: cache::PageCache<shareable::TaggedPage>,
    articles: cache::PageCache<Arc<pages::RenderedArticle>>,
    /// The default main page for anonymous readers, while none is written.
    welcome: cache::WikiWide<shareable::TaggedPage>,
    prerenders: prerender::Prerenders,
    settings: Settings,
    anonymous_csrf: AnonymousCsrf,
    drafts: drafts::Drafts,
    /// A replica's state (`serve --replica-of`); `None` on a primary.
    replica: Option<Arc<replica::Replica>>,
}

impl AppState {
    /// State over an open database, with default settings.
    pub fn new(db: Db) -> Self {
        Self::with_settings(db, Settings::default())
    }

    /// State over an open database, with these settings. Inside a Tokio runtime, pages are
    /// rendered for the caches after each save ([`prerender`]).
    pub fn with_settings(db: Db, settings: Settings) -> Self {
        let replica = settings
            .replica_of
            .clone()
            .map(|of| Arc::new(replica::Replica::new(of)));
        let state = Self {
            inner: Arc::new(Shared {
                db,
                pages: cache::PageCache::default(),
                articles: cache::PageCache::default(),
                welcome: cache::WikiWide::default(),
                prerenders: prerender::Prerenders::default(),
                settings,
                anonymous_csrf: AnonymousCsrf::new(),
                drafts: drafts::Drafts::default(),
                replica,
            }),
        };
        prerender::spawn(&state);
        state
    }

    fn downgrade(&self) -> Weak<Shared> {
        Arc::downgrade(&self.inner)
    }

    fn upgrade(weak: &Weak<Shared>) -> Option<Self> {
        weak.upgrade().map(|inner| Self { inner })
    }

    /// A replica's state, if this server is one.
    fn replica(&self) -> Option<&Arc<replica::Replica>> {
        self.inner.replica.as_ref()
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    fn page_cache(&self) -> &cache::PageCache<shareable::TaggedPage> {
        &self.inner.pages
    }

    fn welcome_cache(&self) -> &cache::WikiWide<shareable::TaggedPage> {
        &self.inner.welcome
    }

    fn article_cache(&self) -> &cache::PageCache<Arc<pages::RenderedArticle>> {
        &self.inner.articles
    }

    fn prerenders(&self) -> &prerender::Prerenders {
        &self.inner.prerenders
    }

    /// How many times the latest revisions of pages were rendered for the caches, in
    /// requests and after saves (a view served from memory renders nothing).
    pub fn render_counts(&self) -> RenderCounts {
        self.prerenders().counts()
    }

    /// Whether pages are being rendered after a save, or a change is not yet heard of by the
    /// renderer: a test that changes the database behind the caches waits for this to end,
    /// else a rendering still running could read its change and keep it.
    pub fn rendering_at_save(&self) -> bool {
        self.prerenders().busy(self.db())
    }

    /// The site settings (read access, cookies, limits).
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// CSRF tokens for forms shown before signing in.
    pub(crate) fn anonymous_csrf(&self) -> &AnonymousCsrf {
        &self.inner.anonymous_csrf
    }

    /// Edits kept while their author signs in again.
    fn drafts(&self) -> &drafts::Drafts {
        &self.inner.drafts
    }
}

/// The whole application as a router: tests call it with `oneshot`, `serve` binds it.
pub fn app(state: AppState) -> Router {
    let body_limit = state.settings().largest_body_limit();
    let api_state = api::ApiState::new(state.clone());
    Router::new()
        .route("/", get(pages::main_page))
        .route("/wiki/{title}", get(pages::read))
        .route("/wiki/{title}/edit", get(edit::form).post(edit::submit))
        .route("/wiki/{title}/history", get(history::history))
        .route("/wiki/{title}/diff", get(history::diff))
        .route(
            "/wiki/{title}/revert",
            get(history::revert_form).post(history::revert),
        )
        .route("/wiki/{title}/undo", get(undo::form))
        .route("/wiki/{title}/protect", post(moderation::protect))
        .route("/wiki/{title}/hide", post(moderation::hide))
        .route(
            "/wiki/{title}/move",
            get(page_actions::move_form).post(page_actions::move_submit),
        )
        .route(
            "/wiki/{title}/delete",
            get(page_actions::delete_form).post(page_actions::delete_submit),
        )
        .route(
            "/wiki/{title}/undelete",
            post(page_actions::undelete_submit),
        )
        .route(
            "/wiki/{title}/source",
            get(view_source::show).post(sources::submit),
        )
        .route("/wiki/{title}/topic", get(talk::form).post(talk::submit))
        .route(
            "/wiki/{title}/watch",
            get(watchlist::form).post(watchlist::submit),
        )
        .route("/wiki/{title}/links", get(lists::what_links_here))
        .route("/wiki/{title}/feed", get(lists::page_feed))
        .route("/wiki/{title}/info", get(bio::page_info))
        .route("/wiki/{title}/timeline", get(bio::person))
        .route("/new-biography", get(edit::new_biography))
        .route("/search", get(lists::search))
        .route("/recent", get(lists::recent))
        .route("/user/{name}", get(contributions::contributions))
        .route("/recent.atom", get(lists::recent_feed))
        .route("/watchlist", get(watchlist::watchlist))
        .route("/watchlist/feed", post(watchlist::feed_token))
        .route("/watchlist.atom", get(watchlist::feed))
        .route("/pages", get(lists::all_pages))
        .route("/people", get(bio::people_list))
        .route("/timeline", get(bio::everyone))
        .route("/healthz", get(statics::healthz))
        .route("/upload", get(files::upload_form).post(files::upload))
        .route(
            "/revert-file",
            get(file_revert::revert_form).post(file_revert::revert),
        )
        .route("/file/{title}", get(files::original))
        .route("/thumb/{width}/{title}", get(files::thumbnail))
        .nest("/api", api::router(api_state.clone()))
        .nest(api::rest::BASE, api::rest::router(api_state.clone()))
        .route(
            "/w/api.php",
            get(mwapi::handle)
                .post(mwapi::handle)
                .layer(from_fn_with_state(api_state.clone(), api::limit_action_api)),
        )
        .route(
            "/api.php",
            get(mwapi::handle)
                .post(mwapi::handle)
                .layer(from_fn_with_state(api_state, api::limit_action_api)),
        )
        .route("/problems/{kind}", get(api::problem))
        .route("/static/style.css", get(statics::stylesheet))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/account", get(own_account::show))
        .route("/account/password", post(own_account::change_password))
        .route("/account/sessions/end", post(own_account::end_session))
        .route("/account/tokens/revoke", post(own_account::revoke_token))
        .route(
            "/account/sign-out-everywhere",
            post(own_account::sign_out_everywhere),
        )
        .route("/admin/log", get(auth::audit_log))
        .route("/admin/users", get(users_admin::list))
        .route("/admin/users/role", post(users_admin::set_role))
        .route("/admin/users/add", post(users_admin::add))
        .route("/admin/jobs", get(jobs::list).post(jobs::start))
        .fallback(statics::not_found)
        .layer(from_fn_with_state(state.clone(), error::dress))
        .layer(from_fn_with_state(state.clone(), replica::mark_writes))
        .layer(from_fn_with_state(state.clone(), session::authenticate))
        .layer(from_fn_with_state(state.clone(), deadline::set))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(from_fn_with_state(state.clone(), security::limit_body))
        .layer(axum::middleware::from_fn(api::rest::mediawiki_errors))
        .layer(from_fn_with_state(state.clone(), replica::route))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(from_fn_with_state(state.clone(), proxies::resolve))
        .layer(from_fn_with_state(state.clone(), shareable::policy))
        .with_state(state)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}
