//! Pages and their revisions.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// What a revision list shows: who, when, why, how big.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionMeta {
    /// The revision id, from a sequence.
    pub id: i64,
    /// The revision this one was based on.
    pub parent_id: Option<i64>,
    /// The author's user name.
    pub author: String,
    /// RFC 3339, UTC.
    pub timestamp: String,
    /// The edit summary.
    pub summary: String,
    /// The text's size in bytes.
    pub size: i64,
}

/// A page at one revision, with its full text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRevision {
    /// The page's normalised title.
    pub title: String,
    /// The revision shown.
    pub revision: RevisionMeta,
    /// The markup, byte for byte as saved.
    pub text: String,
}

/// The latest revision of a page, if the page exists.
pub fn latest(conn: &Connection, title: &str) -> Result<Option<PageRevision>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.title, r.id, r.parent_id, u.name, r.timestamp, r.summary, r.size, r.text
         FROM pages p JOIN revisions r ON r.id = p.latest_revision JOIN users u ON u.id = r.author_id
         WHERE p.title = ?1",
    )?;
    let page = statement
        .query_row([title], |row| {
            Ok(PageRevision {
                title: row.get(0)?,
                revision: RevisionMeta {
                    id: row.get(1)?,
                    parent_id: row.get(2)?,
                    author: row.get(3)?,
                    timestamp: row.get(4)?,
                    summary: row.get(5)?,
                    size: row.get(6)?,
                },
                text: row.get(7)?,
            })
        })
        .optional()?;
    Ok(page)
}

/// Which of `titles` are existing pages.
pub fn existing(conn: &Connection, titles: &[String]) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT 1 FROM pages WHERE title = ?1")?;
    let mut found = Vec::new();
    for title in titles {
        if statement.exists([title])? {
            found.push(title.clone());
        }
    }
    Ok(found)
}

/// How many pages there are.
pub fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM pages", [], |row| row.get(0))?)
}

/// Saves `text` as the new latest revision of `title` (creating the page), by user `author_id`.
pub fn save(
    conn: &Connection,
    title: &str,
    text: &str,
    author_id: i64,
    summary: &str,
    timestamp: &str,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO pages (title) VALUES (?1) ON CONFLICT (title) DO NOTHING",
        [title],
    )?;
    let (page_id, parent): (i64, Option<i64>) = conn.query_row(
        "SELECT id, latest_revision FROM pages WHERE title = ?1",
        [title],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    conn.execute(
        "INSERT INTO revisions (page_id, parent_id, author_id, timestamp, summary, size, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            page_id,
            parent,
            author_id,
            timestamp,
            summary,
            text.len() as i64,
            text
        ],
    )?;
    let revision = conn.last_insert_rowid();
    conn.execute(
        "UPDATE pages SET latest_revision = ?1 WHERE id = ?2",
        params![revision, page_id],
    )?;
    Ok(revision)
}
