//! The archive of deleted pages (`deleted_pages`, db/0014).
//!
//! A deleted page keeps its row, its revisions and its section ids, but its title becomes an
//! archive key that no legal title can have, so the title is free for a new page with a fresh
//! history. Nothing that points at the row has to change. Whether an archived page is moved
//! back or merged into a newer page of the same title is decided in `wiki`.

use rusqlite::{Connection, params};

use super::StoreError;
use super::moderation::ModerationNote;

/// The title an archived page's row takes while it is deleted (`#` is never in a title).
pub fn archive_key(page_id: i64) -> String {
    format!("#deleted/{page_id}")
}

/// A deleted page in the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchivedPage {
    /// The page's internal id.
    pub page_id: i64,
    /// The title it had.
    pub title: String,
    /// Its latest revision when it was deleted.
    pub latest_revision: Option<i64>,
    /// Who deleted it, when and why.
    pub deleted: ModerationNote,
    /// Whether the reason is for admins only.
    pub reason_private: bool,
}

/// Moves the page `page_id`, called `title`, to the archive.
pub fn archive(
    conn: &Connection,
    page_id: i64,
    title: &str,
    by: i64,
    at: &str,
    reason: &str,
    reason_private: bool,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO deleted_pages (page_id, title, deleted_by, deleted_at, reason, reason_private)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![page_id, title, by, at, reason, reason_private])?;
    conn.prepare_cached("UPDATE pages SET title = ?1, deleted = 1 WHERE id = ?2")?
        .execute(params![archive_key(page_id), page_id])?;
    Ok(())
}

/// The archived pages that were called `title`, newest history first.
pub fn archived(conn: &Connection, title: &str) -> Result<Vec<ArchivedPage>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT d.page_id, d.title, p.latest_revision, u.name, d.deleted_at, d.reason,
                d.reason_private
         FROM deleted_pages d JOIN pages p ON p.id = d.page_id
         JOIN users u ON u.id = d.deleted_by
         WHERE d.title = ?1 ORDER BY p.latest_revision DESC, d.page_id DESC",
    )?;
    let rows = statement.query_map([title], |row| {
        Ok(ArchivedPage {
            page_id: row.get(0)?,
            title: row.get(1)?,
            latest_revision: row.get(2)?,
            deleted: ModerationNote {
                by: row.get(3)?,
                at: row.get(4)?,
                reason: row.get(5)?,
            },
            reason_private: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a page once called `title` is in the archive.
pub fn is_archived(conn: &Connection, title: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM deleted_pages WHERE title = ?1")?
        .exists([title])?)
}

/// Takes the archived page `page_id` out of the archive, live again under `title` (which must
/// be free). Its latest revision and search rows are the caller's to restore.
pub fn restore(conn: &Connection, page_id: i64, title: &str) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM deleted_pages WHERE page_id = ?1")?
        .execute([page_id])?;
    conn.prepare_cached("UPDATE pages SET title = ?1, deleted = 0 WHERE id = ?2")?
        .execute(params![title, page_id])?;
    Ok(())
}

/// Moves the revisions and sections of the archived page `from` to the page `into` (whose
/// latest revision stays its own) and takes `from` out of the archive. Its row is left behind,
/// empty, under its archive key, so nothing else that pointed at it has to change.
pub fn merge_into(conn: &Connection, from: i64, into: i64) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE revisions SET page_id = ?1 WHERE page_id = ?2")?
        .execute(params![into, from])?;
    conn.prepare_cached("UPDATE sections SET page_id = ?1 WHERE page_id = ?2")?
        .execute(params![into, from])?;
    conn.prepare_cached(
        "UPDATE pages SET latest_revision = NULL, redirect_to = NULL WHERE id = ?1",
    )?
    .execute([from])?;
    conn.prepare_cached("DELETE FROM deleted_pages WHERE page_id = ?1")?
        .execute([from])?;
    Ok(())
}
