//! Pages: titles, their latest revision, deletion and redirects; listings across pages.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreError;

/// What a revision list shows: who, when, why, how big.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RevisionMeta {
    /// The revision id, from a sequence.
    pub id: i64,
    /// The revision this one was based on (the page's previous latest revision).
    pub parent_id: Option<i64>,
    /// The author's user name.
    pub author: String,
    /// RFC 3339, UTC.
    pub timestamp: String,
    /// The edit summary.
    pub summary: String,
    /// The text's size in bytes.
    pub size: i64,
    /// The size of the parent revision (0 for the first), for size deltas.
    pub parent_size: i64,
    /// The page's current title (pages keep their history when they move), or the title a
    /// deleted page had.
    pub page_title: String,
    /// Whether its author marked it a minor edit (MediaWiki's `rev_minor_edit`, db/0027).
    pub minor: bool,
}

/// The columns [`meta_from_row`] reads, given `r` = revisions, `u` = users, `p` = pages,
/// `pr` = the parent revision (LEFT JOIN), `dp` = the page's archive entry (LEFT JOIN: a deleted
/// page's revisions name the title it had, not its archive key).
/// An imported revision whose author has no account here names them in `author_name`
/// (db/0020).
pub(crate) const META_COLUMNS: &str = "r.id, r.parent_id, coalesce(r.author_name, u.name), r.timestamp, r.summary, r.size, \
     coalesce(pr.size, 0), coalesce(dp.title, p.title), r.minor";

/// The joins [`META_COLUMNS`] needs, after `FROM revisions r`.
pub(crate) const META_JOINS: &str = "JOIN users u ON u.id = r.author_id \
     JOIN pages p ON p.id = r.page_id LEFT JOIN revisions pr ON pr.id = r.parent_id \
     LEFT JOIN deleted_pages dp ON dp.page_id = r.page_id";

pub(crate) fn meta_from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<RevisionMeta> {
    Ok(RevisionMeta {
        id: row.get(first)?,
        parent_id: row.get(first + 1)?,
        author: row.get(first + 2)?,
        timestamp: row.get(first + 3)?,
        summary: row.get(first + 4)?,
        size: row.get(first + 5)?,
        parent_size: row.get(first + 6)?,
        page_title: row.get(first + 7)?,
        minor: row.get(first + 8)?,
    })
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

/// A page's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    /// Internal id (stable across moves).
    pub id: i64,
    /// The normalised title.
    pub title: String,
    /// The revision readers see.
    pub latest_revision: Option<i64>,
    /// A deleted page is in the archive (`store::archive`) and reads as missing.
    pub deleted: bool,
    /// The normalised target, for a `#REDIRECT` page.
    pub redirect_to: Option<String>,
}

fn page_from_row(row: &Row<'_>) -> rusqlite::Result<PageRow> {
    Ok(PageRow {
        id: row.get(0)?,
        title: row.get(1)?,
        latest_revision: row.get(2)?,
        deleted: row.get(3)?,
        redirect_to: row.get(4)?,
    })
}

/// The page called `title`, deleted or not.
pub fn by_title(conn: &Connection, title: &str) -> Result<Option<PageRow>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, title, latest_revision, deleted, redirect_to FROM pages WHERE title = ?1",
    )?;
    Ok(statement.query_row([title], page_from_row).optional()?)
}

/// The page with internal id `id`.
pub fn by_id(conn: &Connection, id: i64) -> Result<Option<PageRow>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, title, latest_revision, deleted, redirect_to FROM pages WHERE id = ?1",
    )?;
    Ok(statement.query_row([id], page_from_row).optional()?)
}

/// Creates an empty page row (its first revision follows in the same transaction).
pub fn create(conn: &Connection, title: &str) -> Result<PageRow, StoreError> {
    conn.prepare_cached("INSERT INTO pages (title) VALUES (?1)")?
        .execute([title])?;
    Ok(PageRow {
        id: conn.last_insert_rowid(),
        title: title.to_owned(),
        latest_revision: None,
        deleted: false,
        redirect_to: None,
    })
}

/// Points the page at its new latest revision (and marks it live: an undelete uses it too).
pub fn set_latest(
    conn: &Connection,
    page_id: i64,
    revision: i64,
    redirect_to: Option<&str>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE pages SET latest_revision = ?1, redirect_to = ?2, deleted = 0 WHERE id = ?3",
    )?
    .execute(params![revision, redirect_to, page_id])?;
    Ok(())
}

/// Points the page at its new latest revision, keeping its redirect target (an import, which
/// sets the target once the page's whole history is in: `set_latest`).
pub fn set_latest_revision(
    conn: &Connection,
    page_id: i64,
    revision: i64,
) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE pages SET latest_revision = ?1, deleted = 0 WHERE id = ?2")?
        .execute(params![revision, page_id])?;
    Ok(())
}

/// Gives a page a new title (its history and section ids go with it).
pub fn rename(conn: &Connection, page_id: i64, title: &str) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE pages SET title = ?1 WHERE id = ?2")?
        .execute(params![title, page_id])?;
    Ok(())
}

/// The latest revision of a live page, with its text.
pub fn latest(conn: &Connection, title: &str) -> Result<Option<PageRevision>, StoreError> {
    let Some(page) = by_title(conn, title)? else {
        return Ok(None);
    };
    match (page.deleted, page.latest_revision) {
        (false, Some(revision)) => super::revisions::page_revision(conn, revision),
        _ => Ok(None),
    }
}

/// Which of `titles` are live pages.
pub fn existing(conn: &Connection, titles: &[String]) -> Result<Vec<String>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT 1 FROM pages WHERE title = ?1 AND deleted = 0")?;
    let mut found = Vec::new();
    for title in titles {
        if statement.exists([title])? {
            found.push(title.clone());
        }
    }
    Ok(found)
}

/// How many pages there are (deleted ones included).
pub fn count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("SELECT count(*) FROM pages", [], |row| row.get(0))?)
}

/// The live page titled `title`, else the one whose title equals it ignoring the case of ASCII
/// letters (`ada lovelace` finds `Ada Lovelace`; the first in title order when several do): one
/// search of `pages_by_title_nocase`.
pub fn title_for_query(conn: &Connection, title: &str) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT title FROM pages WHERE deleted = 0 AND title = ?1 COLLATE NOCASE
             ORDER BY title = ?1 DESC, title LIMIT 1",
        )?
        .query_row([title], |row| row.get(0))
        .optional()?)
}

/// The size in bytes of the latest text of the live page `title`, if there is one.
pub fn latest_size(conn: &Connection, title: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT r.size FROM pages p JOIN revisions r ON r.id = p.latest_revision
             WHERE p.title = ?1 AND p.deleted = 0",
        )?
        .query_row([title], |row| row.get(0))
        .optional()?)
}

/// What the wiki holds: live pages that are not redirects, and the people among them.
pub fn holdings(conn: &Connection) -> Result<(i64, i64), StoreError> {
    let pages = conn.query_row(
        "SELECT count(*) FROM pages WHERE deleted = 0 AND redirect_to IS NULL",
        [],
        |row| row.get(0),
    )?;
    let people = conn.query_row(
        "SELECT count(*) FROM people p JOIN pages g ON g.id = p.page_id WHERE g.deleted = 0",
        [],
        |row| row.get(0),
    )?;
    Ok((pages, people))
}

/// One line of the page list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PageListing {
    /// The title.
    pub title: String,
    /// The latest revision.
    pub latest_revision: i64,
    /// Its size in bytes.
    pub size: i64,
    /// Its time.
    pub timestamp: String,
    /// The target, for a redirect.
    pub redirect_to: Option<String>,
    /// The latest revision: who, when, why, how big.
    pub revision: RevisionMeta,
}

/// Live pages in title order, after `after` (a cursor: the last title of the previous page).
pub fn list(
    conn: &Connection,
    limit: usize,
    after: Option<&str>,
) -> Result<Vec<PageListing>, StoreError> {
    let sql = format!(
        "SELECT q.title, q.redirect_to, {META_COLUMNS}
         FROM pages q JOIN revisions r ON r.id = q.latest_revision {META_JOINS}
         WHERE q.deleted = 0 AND q.title > ?1 ORDER BY q.title LIMIT ?2"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![after.unwrap_or(""), limit as i64], |row| {
        let revision = meta_from_row(row, 2)?;
        Ok(PageListing {
            title: row.get(0)?,
            latest_revision: revision.id,
            size: revision.size,
            timestamp: revision.timestamp.clone(),
            redirect_to: row.get(1)?,
            revision,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every live page's title and latest revision id, in title order (for export).
pub fn all_latest(conn: &Connection) -> Result<Vec<(String, i64)>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT title, latest_revision FROM pages
         WHERE deleted = 0 AND latest_revision IS NOT NULL ORDER BY title",
    )?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The newest revisions of live pages, newest first, older than `before` (a revision id).
/// Revisions imported from a dump are left out: an import is one entry of the admin log.
pub fn recent_changes(
    conn: &Connection,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<RevisionMeta>, StoreError> {
    let sql = format!(
        "SELECT {META_COLUMNS} FROM revisions r {META_JOINS}
         WHERE r.id < ?1 AND r.imported = 0 AND p.deleted = 0 ORDER BY r.id DESC LIMIT ?2"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![before.unwrap_or(i64::MAX), limit as i64], |row| {
        meta_from_row(row, 0)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The id of the user called `name`.
pub fn user_id(conn: &Connection, name: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT id FROM users WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?)
}

/// Calls `each(title, text)` for the latest text of every live page, in title order, all from
/// one snapshot of the database (a read transaction), so an export is consistent.
pub fn for_each_latest_text(
    conn: &Connection,
    mut each: impl FnMut(&str, &str) -> Result<(), StoreError>,
) -> Result<usize, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let all = all_latest(&tx)?;
    for (title, revision) in &all {
        let text = super::revisions::text(&tx, *revision)?;
        each(title, &text)?;
    }
    tx.finish()?;
    Ok(all.len())
}
