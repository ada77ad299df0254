//! Citations of stored sources (`db/0015_citations.sql`): which sentence of which page cites
//! which source document, with the quotations it attributes to it.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// A citation to store: one quotation of a citing sentence (or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCitation {
    /// The section's index in the latest revision.
    pub section: i64,
    /// The section's title (empty for the lead).
    pub heading: String,
    /// The section's anchor (empty for the lead).
    pub anchor: String,
    /// The citing sentence's bytes in the stored text.
    pub span: (i64, i64),
    /// The citing sentence, plain.
    pub sentence: String,
    /// The cited `Source:` title, normalised (a `<ref source>` or a `[[Source:…]]` link).
    pub target: Option<String>,
    /// The cited source's page (a `{{cite|url=}}` of a stored source's URL).
    pub source_id: Option<i64>,
    /// The quotation, if the sentence attributes one to the source.
    pub quotation: Option<String>,
}

/// A stored citation with the page that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCitation {
    /// The citing page's title.
    pub page_title: String,
    /// What was stored.
    pub citation: NewCitation,
    /// The stable id of the citing section (as stored), if the page still has it.
    pub section_id: Option<i64>,
}

/// Makes `rows` the citations of page `page_id`.
pub fn replace(conn: &Connection, page_id: i64, rows: &[NewCitation]) -> Result<(), StoreError> {
    clear(conn, page_id)?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO citations (page_id, position, section, heading, anchor, span_start,
                                span_end, sentence, target, source_id, quotation)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (position, row) in rows.iter().enumerate() {
        insert.execute(params![
            page_id,
            position as i64,
            row.section,
            row.heading,
            row.anchor,
            row.span.0,
            row.span.1,
            row.sentence,
            row.target,
            row.source_id,
            row.quotation,
        ])?;
    }
    Ok(())
}

/// Forgets the citations of page `page_id` (deleted, or citing nothing any more).
pub fn clear(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM citations WHERE page_id = ?1")?
        .execute([page_id])?;
    Ok(())
}

const COLUMNS: &str = "p.title, c.section, c.span_start, c.span_end, c.sentence, c.target,
     c.source_id, c.quotation, rs.section_id, c.heading, c.anchor";

fn stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCitation> {
    Ok(StoredCitation {
        page_title: row.get(0)?,
        citation: NewCitation {
            section: row.get(1)?,
            heading: row.get(9)?,
            anchor: row.get(10)?,
            span: (row.get(2)?, row.get(3)?),
            sentence: row.get(4)?,
            target: row.get(5)?,
            source_id: row.get(6)?,
            quotation: row.get(7)?,
        },
        section_id: row.get(8)?,
    })
}

/// The citations of the source page `source_id` titled `title` by live pages (by its title, a
/// redirect's title, or its page), in order of page title and text, at most `limit`.
pub fn citing(
    conn: &Connection,
    source_id: i64,
    title: &str,
    limit: usize,
) -> Result<Vec<StoredCitation>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM citations c
         JOIN pages p ON p.id = c.page_id AND p.deleted = 0
         LEFT JOIN revision_sections rs
             ON rs.revision_id = p.latest_revision AND rs.position = c.section
         WHERE c.source_id = ?1 OR c.target = ?2
            OR c.target IN (SELECT title FROM pages WHERE redirect_to = ?2 AND deleted = 0)
         ORDER BY p.title, c.position
         LIMIT ?3"
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![source_id, title, limit], stored)?
        .collect::<Result<_, _>>()?)
}

/// The citations page `page_id` makes, in order of its text.
pub fn of_page(conn: &Connection, page_id: i64) -> Result<Vec<StoredCitation>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM citations c
         JOIN pages p ON p.id = c.page_id
         LEFT JOIN revision_sections rs
             ON rs.revision_id = p.latest_revision AND rs.position = c.section
         WHERE c.page_id = ?1
         ORDER BY c.position"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([page_id], stored)?
        .collect::<Result<_, _>>()?)
}

/// The titles of the live pages citing the source page `source_id` titled `title` (for the
/// caches, when its metadata changes).
pub fn citing_titles(
    conn: &Connection,
    source_id: i64,
    title: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT p.title FROM citations c JOIN pages p ON p.id = c.page_id
             WHERE p.deleted = 0 AND (c.source_id = ?1 OR c.target = ?2
                OR c.target IN (SELECT title FROM pages WHERE redirect_to = ?2 AND deleted = 0))",
        )?
        .query_map(params![source_id, title], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}

/// The titles of the source pages page `page_id` cites (as written, where a moved one is now,
/// and by URL): the pages whose **Cited by** its citations show in.
pub fn cited_titles(conn: &Connection, page_id: i64) -> Result<Vec<String>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT c.target FROM citations c WHERE c.page_id = ?1 AND c.target IS NOT NULL
             UNION SELECT p.redirect_to FROM citations c JOIN pages p ON p.title = c.target
                 WHERE c.page_id = ?1 AND p.redirect_to IS NOT NULL
             UNION SELECT p.title FROM citations c JOIN pages p ON p.id = c.source_id
                 WHERE c.page_id = ?1",
        )?
        .query_map([page_id], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}

/// The version of the citation reading the stored rows come from.
pub fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT version FROM citation_index WHERE id = 1")?
        .query_row([], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Records that the rows come from citation reading `version`.
pub fn set_version(conn: &Connection, version: i64) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR REPLACE INTO citation_index (id, version) VALUES (1, ?1)")?
        .execute([version])?;
    Ok(())
}
