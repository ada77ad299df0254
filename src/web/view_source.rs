//! `GET /wiki/{title}/source`: a page's markup, read-only, for those who may not edit it
//! (issue 15): anonymous readers (with a link to sign in), readers, and editors on a protected
//! page. The tabs offer it instead of Edit.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use super::session::{MaybeUser, login_url};
use super::tabs::{self, Allowed, Tab};
use super::{AppState, WebError};
use crate::auth::Role;
use crate::render::views::view_source::{self, SourcePage, Why};
use crate::wiki::{self, Title};

pub(super) async fn show(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let Some((markup, _)) = wiki::latest_markup(state.db(), &title).await? else {
        return Err(WebError::MissingPage(title));
    };
    let protected = wiki::protection(state.db(), &title).await?.is_some();
    let allowed = Allowed::of(user.0.as_deref(), protected);
    let edit_url = format!("/wiki/{}/edit", title.url_segment());
    let sign_in = login_url(&edit_url);
    let why = match &user.0 {
        _ if allowed.edit => Why::MayEdit(&edit_url),
        None => Why::SignIn(&sign_in),
        Some(reader) if reader.has(Role::Editor) => Why::Protected,
        Some(_) => Why::ReadOnlyRole,
    };
    let tabs = tabs::for_page(&title, Tab::Source).for_viewer(&title, allowed);
    let (tab_refs, more) = (tabs.as_refs(), tabs.more_refs());
    Ok(view_source::page(&SourcePage {
        title: title.as_str(),
        markup: &markup,
        why,
        tabs: &tab_refs,
        more: &more,
        user: user.signed_in(),
    })
    .into_response())
}
