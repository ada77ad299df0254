//! Full-text search (FTS5) over the sections of every live page's latest revision.
//!
//! One row per section; rowid = `page_id * 8192 + position`, so replacing a page's rows is a
//! rowid range delete, not a scan. Queries arrive already in FTS5 syntax (`wiki` quotes user
//! input); snippets mark hits with [`MARK_START`]/[`MARK_END`], which never occur in indexed
//! text, so the caller can escape the snippet and then turn the markers into `<mark>`.

use rusqlite::{Connection, params};

use super::StoreError;

/// How many rowids each page owns (more than the most sections a page may have).
const ROWS_PER_PAGE: i64 = 8192;

/// Marks the start of a hit in a snippet (a private-use character, removed from indexed text).
pub const MARK_START: char = '\u{E000}';
/// Marks the end of a hit in a snippet.
pub const MARK_END: char = '\u{E001}';
/// Stands for elided text in a snippet.
pub const ELLIPSIS: &str = "…";

/// One section to index.
#[derive(Debug, Clone)]
pub struct SearchRow<'a> {
    /// Position in the revision (0 = lead).
    pub position: usize,
    /// Heading title.
    pub section_title: &'a str,
    /// Plain text of the section's own chunk.
    pub body: &'a str,
    /// Public section id.
    pub section_id: &'a str,
    /// HTML anchor.
    pub anchor: &'a str,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The page's title.
    pub page_title: String,
    /// Section position.
    pub position: usize,
    /// Heading title.
    pub section_title: String,
    /// Public section id.
    pub section_id: String,
    /// HTML anchor.
    pub anchor: String,
    /// Plain-text snippet with [`MARK_START`]/[`MARK_END`] around matches (not escaped).
    pub snippet: String,
    /// bm25 rank (lower is better).
    pub rank: f64,
}

/// Removes a page's rows.
pub fn delete_page(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM search WHERE rowid >= ?1 AND rowid < ?2")?
        .execute(params![
            page_id * ROWS_PER_PAGE,
            (page_id + 1) * ROWS_PER_PAGE
        ])?;
    Ok(())
}

/// Makes a page's rows `rows`, touching only the rows that differ: re-indexing text costs
/// tokenizing it (and, for a removed row, its old text), so an edit of one section of a long
/// page rewrites one row, not all of them.
pub fn update_page(
    conn: &Connection,
    page_id: i64,
    page_title: &str,
    rows: &[SearchRow<'_>],
) -> Result<(), StoreError> {
    let mut existing: std::collections::HashMap<i64, [String; 5]> = conn
        .prepare_cached(
            "SELECT rowid, page_title, section_title, body, section_id, anchor FROM search
             WHERE rowid >= ?1 AND rowid < ?2",
        )?
        .query_map(
            params![page_id * ROWS_PER_PAGE, (page_id + 1) * ROWS_PER_PAGE],
            |row| {
                Ok((
                    row.get(0)?,
                    [
                        row.get(1)?,
                        row.get(2)?,
                        row.get(3)?,
                        row.get(4)?,
                        row.get(5)?,
                    ],
                ))
            },
        )?
        .collect::<Result<_, _>>()?;
    let mut delete = conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO search (rowid, page_title, section_title, body, section_id, anchor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for row in rows {
        let rowid = page_id * ROWS_PER_PAGE + (row.position as i64).min(ROWS_PER_PAGE - 1);
        let wanted = [
            page_title,
            row.section_title,
            row.body,
            row.section_id,
            row.anchor,
        ];
        match existing.remove(&rowid) {
            Some(old) if old.iter().zip(wanted).all(|(a, b)| a == b) => continue,
            Some(_) => {
                delete.execute([rowid])?;
            }
            None => {}
        }
        insert.execute(params![
            rowid, wanted[0], wanted[1], wanted[2], wanted[3], wanted[4]
        ])?;
    }
    for rowid in existing.keys() {
        delete.execute([rowid])?;
    }
    Ok(())
}

/// One page's rows, for [`replace_pages`].
#[derive(Debug, Clone, Copy)]
pub struct PageRows<'a> {
    /// The page.
    pub page_id: i64,
    /// Its title.
    pub page_title: &'a str,
    /// Its sections.
    pub rows: &'a [SearchRow<'a>],
}

/// Replaces the rows of many pages at once (an import batch). Inside a transaction, FTS5 writes
/// its pending terms to a new segment at every statement that opens a statement savepoint, so
/// one `INSERT` per row would leave a segment per row and keep the index busy merging them. Here
/// the old rows go first, the new rows wait in a temporary table, and one `INSERT … SELECT`
/// moves them all, in rowid order, as one stream of terms.
pub fn replace_pages(conn: &Connection, pages: &[PageRows<'_>]) -> Result<(), StoreError> {
    for page in pages {
        delete_page(conn, page.page_id)?;
    }
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_staging (
             id INTEGER PRIMARY KEY, page_title TEXT, section_title TEXT, body TEXT,
             section_id TEXT, anchor TEXT
         )",
    )?;
    let mut stage = conn.prepare_cached(
        "INSERT INTO temp.search_staging (id, page_title, section_title, body, section_id, anchor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for page in pages {
        for row in page.rows {
            let position = (row.position as i64).min(ROWS_PER_PAGE - 1);
            stage.execute(params![
                page.page_id * ROWS_PER_PAGE + position,
                page.page_title,
                row.section_title,
                row.body,
                row.section_id,
                row.anchor,
            ])?;
        }
    }
    conn.prepare_cached(
        "INSERT INTO search (rowid, page_title, section_title, body, section_id, anchor)
         SELECT id, page_title, section_title, body, section_id, anchor
         FROM temp.search_staging ORDER BY id",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM temp.search_staging")?
        .execute([])?;
    Ok(())
}

/// Runs an FTS5 `query`, best first (bm25 with titles weighted above text).
pub fn query(
    conn: &Connection,
    query: &str,
    limit: usize,
    offset: usize,
) -> Result<Vec<SearchHit>, StoreError> {
    // Rank every match, but make snippets for the page of hits only: in one SELECT, SQLite
    // would compute the snippet of every match before sorting.
    let sql = format!(
        "WITH top (id, rank) AS (
             SELECT rowid, bm25(search, 10.0, 4.0, 1.0) FROM search WHERE search MATCH ?1
             ORDER BY 2 LIMIT ?2 OFFSET ?3
         )
         SELECT page_title, rowid, section_title, section_id, anchor,
                snippet(search, -1, '{MARK_START}', '{MARK_END}', '{ELLIPSIS}', 16), top.rank
         FROM search JOIN top ON search.rowid = top.id
         WHERE search MATCH ?1 ORDER BY top.rank, top.id"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![query, limit as i64, offset as i64], |row| {
        let rowid: i64 = row.get(1)?;
        Ok(SearchHit {
            page_title: row.get(0)?,
            position: (rowid % ROWS_PER_PAGE) as usize,
            section_title: row.get(2)?,
            section_id: row.get(3)?,
            anchor: row.get(4)?,
            snippet: row.get(5)?,
            rank: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
