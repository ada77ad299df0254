//! The source page's metadata form (issue 13): editors change a source's kind, URL, publisher
//! and date. The post checks the CSRF token first, then the role, then calls
//! `wiki::source_edit::update_source`, which checks protection and writes the audit log.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::CurrentUser;
use super::{AppState, WebError};
use crate::auth::Role;
use crate::wiki::Title;
use crate::wiki::source_edit::{self, Change, SourceEditError, SourcePatch};

impl From<SourceEditError> for WebError {
    fn from(error: SourceEditError) -> Self {
        match error {
            SourceEditError::Wiki(e) => e.into(),
            SourceEditError::Invalid(e) => {
                let detail = e.to_string();
                let detail = detail.strip_prefix("--").unwrap_or(&detail);
                Self::Unprocessable(format!("Nothing was saved: {detail}."))
            }
            SourceEditError::NotASource(_) => Self::NotFound,
            SourceEditError::Stale { .. } => Self::Unprocessable(
                "Nothing was saved: someone changed this source's details since you opened the form. \
                 Read the page again and make your change there."
                    .to_owned(),
            ),
        }
    }
}

/// What the metadata form posts. An empty field removes its value; an empty kind keeps it.
#[derive(Debug, Deserialize)]
pub(super) struct MetadataForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    publisher: String,
    #[serde(default)]
    date: String,
    /// The metadata's tag when the form was made (empty from a form made before it had one).
    #[serde(default)]
    tag: String,
}

fn field(value: &str) -> Change {
    match value.trim() {
        "" => Change::Clear,
        value => Change::Set(value.to_owned()),
    }
}

/// `POST /wiki/{title}/source`: saves the metadata and shows the source page again.
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: CurrentUser,
    Form(form): Form<MetadataForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    let patch = SourcePatch {
        kind: match form.kind.trim() {
            "" => Change::Keep,
            kind => Change::Set(kind.to_owned()),
        },
        url: field(&form.url),
        publisher: field(&form.publisher),
        date: field(&form.date),
    };
    let if_tag = Some(form.tag).filter(|tag| !tag.is_empty());
    let update = source_edit::update_source(state.db(), &title, patch, user.id, if_tag).await?;
    let holding = Title::new(&update.title)?;
    Ok(Redirect::to(&format!("/wiki/{}", holding.url_segment())).into_response())
}
