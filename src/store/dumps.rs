//! What MediaWiki XML dumps need from the store (issue 19): the revisions a page already has, so
//! that importing a dump twice adds nothing, and every live page's history for an export.

use std::collections::HashSet;

use rusqlite::{Connection, params};

use super::StoreError;

/// The (timestamp, SHA-256 of the text) of every revision of page `page_id`.
pub fn stamps(conn: &Connection, page_id: i64) -> Result<HashSet<(String, [u8; 32])>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT timestamp, sha256 FROM revisions WHERE page_id = ?1")?;
    let rows = statement.query_map([page_id], |row| {
        let hash: Vec<u8> = row.get(1)?;
        Ok((row.get::<_, String>(0)?, hash))
    })?;
    let mut stamps = HashSet::new();
    for row in rows {
        let (timestamp, hash) = row?;
        if let Ok(hash) = <[u8; 32]>::try_from(hash) {
            stamps.insert((timestamp, hash));
        }
    }
    Ok(stamps)
}

/// A live page, for an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPage {
    /// Internal id (MediaWiki's page id in the dump).
    pub id: i64,
    /// The normalised title.
    pub title: String,
    /// The latest revision.
    pub latest_revision: i64,
    /// The normalised target, for a redirect.
    pub redirect_to: Option<String>,
}

/// Every live page, by id.
pub fn live_pages(conn: &Connection) -> Result<Vec<ExportPage>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT id, title, latest_revision, redirect_to FROM pages
         WHERE deleted = 0 AND latest_revision IS NOT NULL ORDER BY id",
    )?;
    let rows = statement.query_map([], |row| {
        Ok(ExportPage {
            id: row.get(0)?,
            title: row.get(1)?,
            latest_revision: row.get(2)?,
            redirect_to: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A revision, for an export (its text is read with `revisions::text`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRevision {
    /// Its id.
    pub id: i64,
    /// The revision it was based on.
    pub parent_id: Option<i64>,
    /// RFC 3339, UTC.
    pub timestamp: String,
    /// The author's name.
    pub author: String,
    /// The author's account id, unless the author is a name from an import or the system.
    pub account: Option<i64>,
    /// The edit summary.
    pub summary: String,
    /// The text's size in bytes.
    pub size: i64,
    /// Whether it is hidden (its text and summary shown to admins only).
    pub hidden: bool,
    /// Marked a minor edit.
    pub minor: bool,
}

/// The revisions of page `page_id`, oldest first, from revision `from` on (the latest only, say).
pub fn revisions_from(
    conn: &Connection,
    page_id: i64,
    from: i64,
) -> Result<Vec<ExportRevision>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT r.id, r.parent_id, r.timestamp, coalesce(r.author_name, u.name),
                CASE WHEN r.author_name IS NULL AND u.role <> 'system' THEN u.id END,
                r.summary, r.size, h.revision_id IS NOT NULL, r.minor
         FROM revisions r JOIN users u ON u.id = r.author_id
         LEFT JOIN hidden_revisions h ON h.revision_id = r.id
         WHERE r.page_id = ?1 AND r.id >= ?2 ORDER BY r.id",
    )?;
    let rows = statement.query_map(params![page_id, from], |row| {
        Ok(ExportRevision {
            id: row.get(0)?,
            parent_id: row.get(1)?,
            timestamp: row.get(2)?,
            author: row.get(3)?,
            account: row.get(4)?,
            summary: row.get(5)?,
            size: row.get(6)?,
            hidden: row.get(7)?,
            minor: row.get(8)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Runs `f` inside one read transaction, so that everything it reads is one snapshot.
pub fn in_snapshot<T>(
    conn: &Connection,
    f: impl FnOnce(&Connection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let result = f(&tx)?;
    tx.finish()?;
    Ok(result)
}
