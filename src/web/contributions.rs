//! `GET /user/{name}`: an author's contributions (issue 15).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::authors::UserPages;
use super::lists::{Before, changes_of};
use super::session::MaybeUser;
use super::{AppState, WebError};
use crate::render::views::{self, authors::contributions_url, contributions::ContributionsPage};
use crate::wiki;

const PAGE_SIZE: usize = 50;

/// `GET /user/{name}[?before=N]`: the author's edits of live pages, newest first, with diff
/// links; 404 when no author has the name.
pub(super) async fn contributions(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(query): Query<Before>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let found =
        wiki::contributions::contributions(state.db(), &name, PAGE_SIZE + 1, query.before).await?;
    let Some((author, entries)) = found else {
        let page = views::contributions::page(&ContributionsPage {
            author: None,
            asked: &name,
            changes: &[],
            older: None,
            user: user.signed_in(),
        });
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    let more = entries.len() > PAGE_SIZE;
    let entries = &entries[..entries.len().min(PAGE_SIZE)];
    let user_pages = UserPages::of(state.db(), [author.as_str()]).await?;
    let changes = changes_of(entries, &user_pages);
    let older = match (more, entries.last()) {
        (true, Some(last)) => Some(format!(
            "{}?before={}",
            contributions_url(&author),
            last.revision.id
        )),
        _ => None,
    };
    Ok(views::contributions::page(&ContributionsPage {
        author: Some(user_pages.author(&author)),
        asked: &name,
        changes: &changes,
        older: older.as_deref(),
        user: user.signed_in(),
    })
    .into_response())
}
