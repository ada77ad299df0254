//! Source documents: the metadata kept beside a `Source:` page's text (`plutarch import
//! --source`).

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// A source's metadata, as stored (already validated by `wiki`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceRow {
    /// Where the document was found (http or https).
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// What kind of document it is: a name from `bio::kinds::SourceKind`.
    pub kind: Option<String>,
    /// The free-text kind this source had before kinds came from a list (migration 0013), if it
    /// was not on the list. Kept by [`set`].
    pub kind_note: Option<String>,
    /// When the metadata was last set (RFC 3339).
    pub imported_at: String,
}

/// Makes `row` the metadata of page `page_id`. Returns false (and writes nothing) when the page
/// already has exactly this metadata, whenever it was set.
pub fn set(conn: &Connection, page_id: i64, row: &SourceRow) -> Result<bool, StoreError> {
    if let Some(old) = get(conn, page_id)? {
        if (&old.url, &old.publisher, &old.date, &old.kind)
            == (&row.url, &row.publisher, &row.date, &row.kind)
        {
            return Ok(false);
        }
    }
    conn.prepare_cached(
        "INSERT INTO sources (page_id, url, publisher, date, kind, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (page_id) DO UPDATE SET url = excluded.url, publisher = excluded.publisher,
             date = excluded.date, kind = excluded.kind, imported_at = excluded.imported_at",
    )?
    .execute(params![
        page_id,
        row.url,
        row.publisher,
        row.date,
        row.kind,
        row.imported_at
    ])?;
    Ok(true)
}

/// The metadata of page `page_id`, if it is a source document.
pub fn get(conn: &Connection, page_id: i64) -> Result<Option<SourceRow>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT url, publisher, date, kind, imported_at, kind_note
             FROM sources WHERE page_id = ?1",
        )?
        .query_row([page_id], |row| {
            Ok(SourceRow {
                url: row.get(0)?,
                publisher: row.get(1)?,
                date: row.get(2)?,
                kind: row.get(3)?,
                imported_at: row.get(4)?,
                kind_note: row.get(5)?,
            })
        })
        .optional()?)
}

/// The metadata of the live page titled `title`, if it is a source document.
pub fn by_title(conn: &Connection, title: &str) -> Result<Option<SourceRow>, StoreError> {
    let page_id: Option<i64> = conn
        .prepare_cached("SELECT id FROM pages WHERE title = ?1 AND deleted = 0")?
        .query_row([title], |row| row.get(0))
        .optional()?;
    match page_id {
        Some(id) => get(conn, id),
        None => Ok(None),
    }
}

/// The live source page whose URL is `url`, if any (the first by id when several are).
pub fn page_by_url(conn: &Connection, url: &str) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT s.page_id FROM sources s JOIN pages p ON p.id = s.page_id
             WHERE s.url = ?1 AND p.deleted = 0 ORDER BY s.page_id LIMIT 1",
        )?
        .query_row([url], |row| row.get(0))
        .optional()?)
}

/// Whether any source has a URL (when none has, no `{{cite|url=}}` can cite one).
pub fn any_url(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sources WHERE url IS NOT NULL LIMIT 1")?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A source page found by title or id: its id, its title and its metadata (`None` when the
/// page has no metadata yet).
pub type FoundSource = (i64, String, Option<SourceRow>);

/// The live `Source:` page `title`, following one redirect (a moved source), with its metadata.
pub fn resolve_title(conn: &Connection, title: &str) -> Result<Option<FoundSource>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, title, redirect_to FROM pages WHERE title = ?1 AND deleted = 0",
    )?;
    let mut page = |t: &str| {
        statement
            .query_row([t], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, Option<String>>(2)?,
                ))
            })
            .optional()
    };
    let Some(mut found) = page(title)? else {
        return Ok(None);
    };
    if let Some(target) = found.2.clone() {
        match page(&target)? {
            Some(moved) => found = moved,
            None => return Ok(None),
        }
    }
    let (id, title, _) = found;
    let row = get(conn, id)?;
    Ok(Some((id, title, row)))
}

/// The live source page `page_id` with its metadata.
pub fn resolve_id(conn: &Connection, page_id: i64) -> Result<Option<FoundSource>, StoreError> {
    let title: Option<String> = conn
        .prepare_cached("SELECT title FROM pages WHERE id = ?1 AND deleted = 0")?
        .query_row([page_id], |row| row.get(0))
        .optional()?;
    match title {
        Some(title) => Ok(Some((page_id, title, get(conn, page_id)?))),
        None => Ok(None),
    }
}

/// The live, non-redirect `Source:` page whose latest text has the SHA-256 `sha256` (the first
/// by id), with its title: the same document imported before, wherever it was moved since.
pub fn page_with_text(
    conn: &Connection,
    sha256: &[u8; 32],
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .prepare_cached(
            // From the revisions with that hash (indexed), each a page's latest or not.
            "SELECT p.id, p.title FROM revisions r
               JOIN pages p ON p.id = r.page_id AND p.latest_revision = r.id
             WHERE r.sha256 = ?1 AND p.title >= 'Source:' AND p.title < 'Source;'
                 AND p.deleted = 0 AND p.redirect_to IS NULL
             ORDER BY p.id LIMIT 1",
        )?
        .query_row([&sha256[..]], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}
