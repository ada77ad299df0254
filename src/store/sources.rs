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
