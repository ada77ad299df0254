//! Watching (issue 15): the star form of a page and its sections, the watchlist, and its
//! private Atom feed.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::authors::UserPages;
use super::lists::{atom_response, authors_of, changes_of, feed_entries};
use super::session::CurrentUser;
use super::{AppState, WebError, tabs};
use crate::render::views::{self, watchlist::WatchLine};
use crate::wiki::{self, Title};

const PAGE_SIZE: usize = 50;

/// `?section=` on the watch form: the section whose star was pressed.
#[derive(Debug, Deserialize)]
pub(super) struct SectionQuery {
    section: Option<String>,
}

/// `GET /wiki/{title}/watch[?section=ID]`: a star for the page and for each section.
pub(super) async fn form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<SectionQuery>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let watches = wiki::watchlist::on_page(state.db(), user.id, &title).await?;
    let asked = query.section.as_deref();
    let page_label = format!("The whole page “{}”", watches.title);
    let mut lines = vec![WatchLine {
        section: None,
        label: &page_label,
        watched: watches.page,
        asked: asked.is_none(),
    }];
    lines.extend(watches.sections.iter().map(|s| WatchLine {
        section: Some(&s.id),
        label: if s.title.is_empty() { "Lead" } else { &s.title },
        watched: s.watched,
        asked: asked == Some(s.id.as_str()),
    }));
    let action = format!("/wiki/{}/watch", title.url_segment());
    let allowed = tabs::Allowed::look_up(&state, Some(&*user), &title).await?;
    let tabs = tabs::for_page(&title, tabs::Tab::Watch, allowed);
    Ok(views::watchlist::watch_page(&views::watchlist::WatchPage {
        title: &watches.title,
        action: &action,
        lines: &lines,
        csrf: user.csrf_token(),
        tabs: tabs.refs().view(),
        user: user.signed_in(),
    })
    .into_response())
}

/// What a star posts.
#[derive(Debug, Deserialize)]
pub(super) struct WatchForm {
    csrf: String,
    section: Option<String>,
    action: String,
}

/// `POST /wiki/{title}/watch`: watches or stops watching the page or one section.
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<WatchForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let title = Title::new(&raw)?;
    let on = match form.action.as_str() {
        "watch" => true,
        "unwatch" => false,
        _ => {
            return Err(WebError::BadRequest(
                "action is watch or unwatch".to_owned(),
            ));
        }
    };
    let section = form.section.as_deref().filter(|s| !s.is_empty());
    wiki::watchlist::set_watch(state.db(), user.id, &title, section, on).await?;
    let back = match section {
        Some(id) => format!("/wiki/{}/watch?section={id}", title.url_segment()),
        None => format!("/wiki/{}/watch", title.url_segment()),
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Debug, Deserialize)]
pub(super) struct Before {
    before: Option<i64>,
}

/// The watchlist page, with a feed URL made just now, if any.
async fn watchlist_page(
    state: &AppState,
    user: &CurrentUser,
    before: Option<i64>,
    new_feed: Option<&str>,
) -> Result<Response, WebError> {
    let entries = wiki::watchlist::changes(state.db(), user.id, PAGE_SIZE + 1, before).await?;
    let more = entries.len() > PAGE_SIZE;
    let entries = &entries[..entries.len().min(PAGE_SIZE)];
    let user_pages = UserPages::of(state.db(), authors_of(entries)).await?;
    let changes = changes_of(entries, &user_pages);
    let older = match (more, entries.last()) {
        (true, Some(last)) => Some(format!("/watchlist?before={}", last.revision.id)),
        _ => None,
    };
    let feed_made = wiki::watchlist::feed_token_made(state.db(), user.id).await?;
    let new_feed =
        new_feed.map(|token| format!("{}/watchlist.atom?token={token}", state.settings().origin()));
    Ok(
        views::watchlist::watchlist(&views::watchlist::WatchlistPage {
            changes: &changes,
            older: older.as_deref(),
            new_feed: new_feed.as_deref(),
            feed_made: feed_made.as_deref(),
            csrf: user.csrf_token(),
            user: user.signed_in(),
        })
        .into_response(),
    )
}

/// `GET /watchlist[?before=N]`: the changes to what the reader watches, newest first.
pub(super) async fn watchlist(
    State(state): State<AppState>,
    Query(query): Query<Before>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    watchlist_page(&state, &user, query.before, None).await
}

/// What the feed form posts.
#[derive(Debug, Deserialize)]
pub(super) struct FeedForm {
    csrf: String,
    action: String,
}

/// `POST /watchlist/feed`: makes a new private feed URL (shown once) or revokes it.
pub(super) async fn feed_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<FeedForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    match form.action.as_str() {
        "new" => {
            let token = wiki::watchlist::new_feed_token(state.db(), user.id).await?;
            watchlist_page(&state, &user, None, Some(&token)).await
        }
        "revoke" => {
            wiki::watchlist::revoke_feed_token(state.db(), user.id).await?;
            Ok(Redirect::to("/watchlist").into_response())
        }
        _ => Err(WebError::BadRequest("action is new or revoke".to_owned())),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct FeedQuery {
    #[serde(default)]
    token: String,
}

/// `GET /watchlist.atom?token=T`: the watchlist of the token's owner as Atom, never stored
/// by caches (it is private); 404 for a token that opens nothing.
pub(super) async fn feed(
    State(state): State<AppState>,
    Query(query): Query<FeedQuery>,
) -> Result<Response, WebError> {
    let Some((user_id, name)) = wiki::watchlist::feed_owner(state.db(), &query.token).await? else {
        return Err(WebError::NotFound);
    };
    let entries = wiki::watchlist::changes(state.db(), user_id, PAGE_SIZE, None).await?;
    let origin = state.settings().origin();
    let feed = views::feed::atom(
        &format!("Plutarch: {name}’s watchlist"),
        &format!("{origin}/watchlist.atom"),
        &format!("{origin}/watchlist"),
        &feed_entries(origin, &entries),
    );
    let mut response = atom_response(feed);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
