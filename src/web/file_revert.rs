//! Reverting a file in the browser (issue 16): `GET /revert-file?name=X&version=N` asks an
//! editor for a summary, `POST /revert-file` makes a new version with the old version's bytes
//! (refused when another upload came first).

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::CurrentUser;
use super::{AppState, WebError};
use crate::auth::Role;
use crate::render::views;
use crate::wiki::files;

/// The revert form's query: the file and the version to go back to.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevertFileQuery {
    name: String,
    version: i64,
}

/// `GET /revert-file?name=X&version=N`: the revert form, for editors.
pub(super) async fn revert_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(RevertFileQuery {
        name,
        version: to_version,
    }): Query<RevertFileQuery>,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let title = files::file_title(&name)?;
    let info = files::file_info(state.db(), &title)
        .await?
        .ok_or(WebError::NotFound)?;
    let (Some(latest), true) = (
        info.versions.first(),
        info.versions.iter().any(|v| v.version == to_version),
    ) else {
        return Err(WebError::NotFound);
    };
    let bare = title
        .as_str()
        .strip_prefix("File:")
        .unwrap_or(title.as_str());
    let form = views::files::RevertFileForm {
        csrf: user.csrf_token(),
        name: bare,
        to_version,
        base_version: latest.version,
        version_url: format!(
            "/file/{}?version={to_version}",
            crate::wiki::title::url_segment(bare)
        ),
    };
    let page = views::layout(
        views::Layout {
            title: "Revert a file",
            user: Some(user.signed_in()),
            ..views::Layout::default()
        },
        views::files::revert_file_form(&form),
    );
    Ok(page.into_response())
}

/// The revert form's fields.
#[derive(Debug, Deserialize)]
pub(super) struct RevertFileFields {
    csrf: String,
    name: String,
    to_version: i64,
    base_version: i64,
    #[serde(default)]
    summary: String,
}

/// `POST /revert-file`: the old version's bytes become a new version; the file page after.
pub(super) async fn revert(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<RevertFileFields>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    user.require(Role::Editor)?;
    let title = files::file_title(&form.name)?;
    files::revert(
        state.db(),
        &title,
        form.to_version,
        form.base_version,
        user.id,
        &form.summary,
    )
    .await?;
    let url = format!("/wiki/{}", crate::wiki::title::url_segment(title.as_str()));
    Ok(Redirect::to(&url).into_response())
}
