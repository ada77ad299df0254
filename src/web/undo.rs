//! Undo in the browser, as MediaWiki's: `GET /wiki/{title}/undo?revision=N` works out the
//! inverse of revision N's change on top of the latest text (the same merge as the API's
//! undo, [`wiki::plan_undo`]) and shows it in the edit form with its difference; nothing is
//! saved until the person presses Save, and that save merges section by section with any edit
//! that lands meanwhile. When later edits touched the same lines, the form shows the current
//! text with the change to take back, like an edit conflict, to undo by hand.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::Markup;
use serde::Deserialize;

use super::edit::{FormState, form_page, protection};
use super::session::CurrentUser;
use super::{AppState, WebError, diff_view};
use crate::auth::Role;
use crate::wiki::{self, Title, UndoRequest, WikiError};

/// What the undo form is asked for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UndoQuery {
    /// The revision whose change is taken back.
    revision: i64,
}

/// What the form says when the undo applies cleanly.
const CLEAN: &str = "The change can be undone. Check the difference below (the current text to the text with the change taken back), then press Save.";

/// What the form says when later edits touched the same lines.
const CONFLICT: &str = "The change could not be undone automatically: later edits changed the same lines. The current text is below with the change to take back: undo it by hand, then press Save.";

/// What the undo fills the edit form with.
struct UndoForm {
    markup: String,
    base_revision: i64,
    changes: Markup,
    problem: String,
}

impl UndoForm {
    fn state<'a>(&'a self, title: &'a Title, summary: &'a str, protected: bool) -> FormState<'a> {
        FormState {
            title,
            section: None,
            section_title: None,
            markup: &self.markup,
            base_revision: Some(self.base_revision),
            summary,
            preview: None,
            conflict: None,
            problem: Some(self.problem.clone()),
            protected,
            changes: Some(self.changes.clone()),
            minor: false,
        }
    }
}

/// `GET /wiki/{title}/undo?revision=N` (editors).
pub(super) async fn form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<UndoQuery>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    let protected = protection(&state, &title, &user).await?;
    let request = UndoRequest {
        title: title.clone(),
        revision: query.revision,
        base_revision: None,
        summary: String::new(),
        author_id: user.id,
    };
    // Planned first: it refuses a revision of another page or one the person may not read.
    let planned = match wiki::plan_undo(state.db(), &request).await {
        Err(e) if !matches!(e, WikiError::UndoConflict { .. }) => return Err(e.into()),
        other => other,
    };
    let undone = wiki::revision(state.db(), query.revision).await?;
    let summary = format!(
        "Undid revision {} by {}",
        query.revision, undone.revision.author
    );
    let fill = |markup, base_revision, changes, problem: &str| UndoForm {
        markup,
        base_revision,
        changes,
        problem: problem.to_owned(),
    };
    match planned {
        Ok(plan) => {
            let current = wiki::revision(state.db(), plan.base_revision).await?;
            let changes = diff_view::text_difference(&current.text, &plan.markup);
            let filled = fill(plan.markup, plan.base_revision, changes, CLEAN);
            let body = form_page(&user, filled.state(&title, &summary, protected));
            Ok(body.into_response())
        }
        Err(WikiError::UndoConflict {
            latest_revision,
            current_markup,
        }) => {
            let parent = match undone.revision.parent_id {
                Some(parent) => wiki::revision(state.db(), parent).await?.text,
                None => String::new(),
            };
            let changes = diff_view::text_difference(&undone.text, &parent);
            let filled = fill(current_markup, latest_revision, changes, CONFLICT);
            let body = form_page(&user, filled.state(&title, &summary, protected));
            Ok((StatusCode::CONFLICT, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
