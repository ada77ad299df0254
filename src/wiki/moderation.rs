//! Moderation rules: protected pages (only admins edit them) and hidden revisions (their text
//! and summary are shown to admins only). Every change is written to the audit log in the same
//! transaction as the change itself.
//!
//! Where hidden text could leak, and why it does not:
//!
//! - page reads of an old revision, diffs, history and feeds: the read functions in `read` and
//!   `diff` take `see_hidden` and redact hidden revisions for everyone else (the plain
//!   functions redact for everyone);
//! - search and export hold only latest revisions, and a hidden revision is never the latest:
//!   [`hide_revision`] refuses the latest (revert first), a save always makes a new revision,
//!   and [`crate::wiki::revert`] refuses to bring a hidden revision's text back;
//! - the JSON API reads through the same functions;
//! - a deleted page's revisions count as hidden (`store::moderation::hidden` says so for both),
//!   and its title reads as deleted, not as its history;
//! - a write based on a revision its author may not read is refused as if there were no such
//!   revision ([`ensure_may_read`]), so a guess at hidden text cannot be checked.

use std::collections::HashSet;

use crate::store::{self, Connection, Db, PageRow, accounts, moderation};

use super::save::{live_page, no_live_page};
use super::{MAX_SUMMARY_CHARS, Title, WikiError, now_timestamp};

pub use crate::store::accounts::AuditEntry;
pub use crate::store::moderation::ModerationNote;

/// The audit log's action for a protection.
pub const PROTECTED: &str = "page protected";
/// The audit log's action for lifting a protection.
pub const UNPROTECTED: &str = "page unprotected";
/// The audit log's action for hiding a revision.
pub const HIDDEN: &str = "revision hidden";
/// The audit log's action for showing a hidden revision again.
pub const UNHIDDEN: &str = "revision unhidden";
/// The audit log's action for deleting a page.
pub const DELETED: &str = "page deleted";
/// The audit log's action for bringing a deleted page back.
pub const UNDELETED: &str = "page undeleted";

pub(super) fn check_reason(reason: &str) -> Result<(), WikiError> {
    let chars = reason.chars().count();
    if chars > MAX_SUMMARY_CHARS {
        return Err(WikiError::Invalid(format!(
            "a reason can be at most {MAX_SUMMARY_CHARS} characters long (this one is {chars})"
        )));
    }
    Ok(())
}

/// Protects a page (only admins may edit it then) or lifts its protection, and logs who did it
/// and why. Returns whether anything changed (protecting a protected page updates the reason).
pub async fn protect_page(
    db: &Db,
    title: &Title,
    protected: bool,
    actor_id: i64,
    reason: &str,
) -> Result<bool, WikiError> {
    check_reason(reason)?;
    let (title, reason) = (title.clone(), reason.trim().to_owned());
    db.write(move |conn| {
        Ok((|| {
            let tx = store::begin_write(conn)?;
            let page =
                live_page(&tx, title.as_str())?.ok_or_else(|| no_live_page(&tx, title.as_str()))?;
            let was = moderation::protection(&tx, page.id)?.is_some();
            if protected {
                moderation::protect(&tx, page.id, actor_id, &now_timestamp(), &reason)?;
            } else if !moderation::unprotect(&tx, page.id)? {
                return Ok(false);
            }
            let action = if protected { PROTECTED } else { UNPROTECTED };
            accounts::log_event(&tx, Some(actor_id), action, &page.title, &reason)?;
            tx.commit()?;
            Ok(was != protected)
        })())
    })
    .await?
}

/// Hides the text and summary of `revision` of the page `title` from everyone but admins, and
/// logs who did it and why. The page's latest revision cannot be hidden: revert to an earlier
/// revision first (so the hidden text leaves the page, the search index and exports).
pub async fn hide_revision(
    db: &Db,
    title: &Title,
    revision: i64,
    actor_id: i64,
    reason: &str,
) -> Result<(), WikiError> {
    set_hidden(db, title, revision, true, actor_id, reason).await
}

/// Shows a hidden revision to everyone again, and logs who did it and why.
pub async fn unhide_revision(
    db: &Db,
    title: &Title,
    revision: i64,
    actor_id: i64,
    reason: &str,
) -> Result<(), WikiError> {
    set_hidden(db, title, revision, false, actor_id, reason).await
}

async fn set_hidden(
    db: &Db,
    title: &Title,
    revision: i64,
    hidden: bool,
    actor_id: i64,
    reason: &str,
) -> Result<(), WikiError> {
    check_reason(reason)?;
    let (title, reason) = (title.clone(), reason.trim().to_owned());
    db.write(move |conn| {
        Ok((|| {
            let tx = store::begin_write(conn)?;
            let page =
                live_page(&tx, title.as_str())?.ok_or_else(|| no_live_page(&tx, title.as_str()))?;
            super::save::own_revision(&tx, &page, revision)?;
            if hidden {
                if page.latest_revision == Some(revision) {
                    return Err(WikiError::HidingLatest {
                        title: page.title,
                        revision,
                    });
                }
                moderation::hide(&tx, revision, actor_id, &now_timestamp(), &reason)?;
            } else if !moderation::unhide(&tx, revision)? {
                return Ok(());
            }
            let action = if hidden { HIDDEN } else { UNHIDDEN };
            let detail = if reason.is_empty() {
                format!("revision {revision}")
            } else {
                format!("revision {revision}: {reason}")
            };
            accounts::log_event(&tx, Some(actor_id), action, &page.title, &detail)?;
            tx.commit()?;
            Ok(())
        })())
    })
    .await?
}

/// The deletion log: who deleted or undeleted which page, when and why, newest first, older
/// than entry `before` (an audit log id: the cursor). It is public, as in MediaWiki.
pub async fn deletion_log(
    db: &Db,
    before: Option<i64>,
    limit: usize,
) -> Result<Vec<AuditEntry>, WikiError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(db
        .read(move |conn| accounts::audit_log_of(conn, [DELETED, UNDELETED], before, limit))
        .await?)
}

/// One deleted copy of a page, as the archive keeps it: who deleted it, when and why, and its
/// revisions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedHistory {
    /// The copy's internal page id (each deletion of a re-created title is a copy of its own).
    pub page_id: i64,
    /// Who deleted it, when and why.
    pub deleted: ModerationNote,
    /// Its revisions, newest first, at most the asked number.
    pub revisions: Vec<store::RevisionMeta>,
    /// Whether it has older revisions than those listed.
    pub more: bool,
}

/// The archive of `title`: every deleted copy of a page once called so, the most recent history
/// first, each with up to `limit` of its revisions. For admins only: the caller checks.
pub async fn archived_history(
    db: &Db,
    title: &Title,
    limit: usize,
) -> Result<Vec<ArchivedHistory>, WikiError> {
    let title = title.as_str().to_owned();
    Ok(db
        .read(move |conn| {
            let mut copies = Vec::new();
            for copy in store::archive::archived(conn, &title)?
                .into_iter()
                .take(MAX_ARCHIVED_COPIES)
            {
                let mut revisions = store::revisions::history(conn, copy.page_id, limit + 1, None)?;
                let more = revisions.len() > limit;
                revisions.truncate(limit);
                copies.push(ArchivedHistory {
                    page_id: copy.page_id,
                    deleted: copy.deleted,
                    revisions,
                    more,
                });
            }
            Ok::<_, store::StoreError>(copies)
        })
        .await?)
}

/// The most deleted copies of one title listed at once.
pub const MAX_ARCHIVED_COPIES: usize = 50;

/// Who protected the live page `title`, when and why; `None` if it is not protected.
pub async fn protection(db: &Db, title: &Title) -> Result<Option<ModerationNote>, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| match live_page(conn, &title)? {
            Some(page) => Ok(moderation::protection(conn, page.id)?),
            None => Ok(None),
        })())
    })
    .await?
}

/// Whether the live page `title` exists, and whether it is protected: what a page's tabs need
/// to offer only what the person looking may do (issue 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageState {
    /// A live page of that title exists.
    pub exists: bool,
    /// It is protected (only admins edit it).
    pub protected: bool,
}

/// [`PageState`] of `title`.
pub async fn page_state(db: &Db, title: &Title) -> Result<PageState, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| match live_page(conn, &title)? {
            Some(page) => Ok(PageState {
                exists: true,
                protected: moderation::protection(conn, page.id)?.is_some(),
            }),
            None => Ok(PageState {
                exists: false,
                protected: false,
            }),
        })())
    })
    .await?
}

/// Refuses an edit of a protected page unless the author is an admin (or the built-in system
/// account, which imports run as). Called inside the save's transaction, so a protection that
/// lands between the form and the save still counts.
pub(crate) fn ensure_may_edit(
    conn: &Connection,
    page: &PageRow,
    author_id: i64,
) -> Result<(), WikiError> {
    let (protected, role) = moderation::edit_check(conn, page.id, author_id)?;
    // The roles as stored (`auth::Role` is not ours to use here: `wiki` sits below `auth`).
    if protected && !matches!(role.as_deref(), Some("admin" | "system")) {
        return Err(WikiError::Protected(page.title.clone()));
    }
    Ok(())
}

/// Refuses to bring back the text of a hidden revision (a revert to it would publish it again
/// under a new revision id).
pub(crate) fn ensure_not_hidden(conn: &Connection, revision: i64) -> Result<(), WikiError> {
    if moderation::hidden(conn, revision)?.is_some() {
        return Err(WikiError::Invalid(format!(
            "revision {revision} is hidden, so it cannot be restored: unhide it first"
        )));
    }
    Ok(())
}

/// Whether the user `user_id` may read revision `revision`: anyone may read a revision that is
/// not hidden; a hidden one, or one of a deleted page, is for admins (and the system account)
/// only. Refuses with [`WikiError::RevisionMissing`], as if there were no such revision, so a
/// write based on it cannot probe its text (issue 18).
pub(crate) fn ensure_may_read(
    conn: &Connection,
    revision: i64,
    user_id: i64,
) -> Result<(), WikiError> {
    if moderation::hidden(conn, revision)?.is_none() {
        return Ok(());
    }
    // The roles as stored, as in `ensure_may_edit`.
    match moderation::role(conn, user_id)?.as_deref() {
        Some("admin" | "system") => Ok(()),
        _ => Err(WikiError::RevisionMissing(revision)),
    }
}

/// Which of `ids` are hidden revisions.
pub(crate) fn hidden_among(conn: &Connection, ids: &[i64]) -> Result<HashSet<i64>, WikiError> {
    Ok(moderation::hidden_among(conn, ids)?)
}

/// Why `revision` is hidden, if it is.
pub(crate) fn hidden_note(
    conn: &Connection,
    revision: i64,
) -> Result<Option<ModerationNote>, WikiError> {
    Ok(moderation::hidden(conn, revision)?)
}

/// Whether the page `page_id` is protected.
pub(crate) fn is_protected(conn: &Connection, page_id: i64) -> Result<bool, WikiError> {
    Ok(moderation::protection(conn, page_id)?.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_bounded() {
        assert!(check_reason("spam").is_ok());
        assert!(check_reason(&"x".repeat(MAX_SUMMARY_CHARS + 1)).is_err());
    }
}
