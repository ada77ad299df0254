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
    /// Whether the quotation is in the source's text, if it was checked.
    pub check: Option<QuotationCheck>,
}

/// A quotation looked up in a source's text (`db/0017_quotation_checks.sql`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotationCheck {
    /// The SHA-256 of the source text it was looked up in.
    pub sha256: [u8; 32],
    /// Its bytes in that text, when it is there.
    pub found: Option<(i64, i64)>,
}

/// A citation row with a quotation, for checking it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotedRow {
    /// The citing page.
    pub page_id: i64,
    /// The row's position among the page's citations.
    pub position: i64,
    /// The quotation.
    pub quotation: String,
    /// The SHA-256 of the source text it was last checked against.
    pub checked: Option<[u8; 32]>,
    /// The cited `Source:` title, as stored.
    pub target: Option<String>,
    /// The cited source's page, as stored (a `{{cite|url=}}`).
    pub source_id: Option<i64>,
}

fn quoted(row: &rusqlite::Row<'_>) -> rusqlite::Result<QuotedRow> {
    Ok(QuotedRow {
        page_id: row.get(0)?,
        position: row.get(1)?,
        quotation: row.get(2)?,
        checked: row
            .get::<_, Option<Vec<u8>>>(3)?
            .and_then(|h| h.try_into().ok()),
        target: row.get(4)?,
        source_id: row.get(5)?,
    })
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
                                span_end, sentence, target, source_id, quotation,
                                checked_sha256, found_start, found_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
            row.check.as_ref().map(|c| c.sha256.to_vec()),
            row.check.and_then(|c| c.found).map(|f| f.0),
            row.check.and_then(|c| c.found).map(|f| f.1),
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
     c.source_id, c.quotation, rs.section_id, c.heading, c.anchor,
     c.checked_sha256, c.found_start, c.found_end";

fn check_of(
    sha256: Option<Vec<u8>>,
    start: Option<i64>,
    end: Option<i64>,
) -> Option<QuotationCheck> {
    let sha256: [u8; 32] = sha256?.try_into().ok()?;
    Some(QuotationCheck {
        sha256,
        found: start.zip(end),
    })
}

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
            check: check_of(row.get(11)?, row.get(12)?, row.get(13)?),
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

/// The rows with a quotation citing the source page `source_id` titled `title` (by its page,
/// its title or a redirect's title, as [`citing`]) after `(page_id, position)` `after`, in that
/// order, at most `limit`.
pub fn quoted_citing(
    conn: &Connection,
    source_id: i64,
    title: &str,
    after: (i64, i64),
    limit: usize,
) -> Result<Vec<QuotedRow>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(conn
        .prepare_cached(
            "SELECT c.page_id, c.position, c.quotation, c.checked_sha256, c.target, c.source_id
             FROM citations c
             WHERE c.quotation IS NOT NULL AND (c.page_id, c.position) > (?3, ?4)
               AND (c.source_id = ?1 OR c.target = ?2
                 OR c.target IN (SELECT title FROM pages WHERE redirect_to = ?2 AND deleted = 0))
             ORDER BY c.page_id, c.position
             LIMIT ?5",
        )?
        .query_map(params![source_id, title, after.0, after.1, limit], quoted)?
        .collect::<Result<_, _>>()?)
}

/// Every row with a quotation after `(page_id, position)` `after`, in that order, at most
/// `limit`.
pub fn quoted_after(
    conn: &Connection,
    after: (i64, i64),
    limit: usize,
) -> Result<Vec<QuotedRow>, StoreError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    Ok(conn
        .prepare_cached(
            "SELECT c.page_id, c.position, c.quotation, c.checked_sha256, c.target, c.source_id
             FROM citations c
             WHERE c.quotation IS NOT NULL AND (c.page_id, c.position) > (?1, ?2)
             ORDER BY c.page_id, c.position
             LIMIT ?3",
        )?
        .query_map(params![after.0, after.1, limit], quoted)?
        .collect::<Result<_, _>>()?)
}

/// Records a quotation's check (`None`: not checked, the source is not stored).
pub fn set_check(
    conn: &Connection,
    page_id: i64,
    position: i64,
    check: Option<QuotationCheck>,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE citations SET checked_sha256 = ?3, found_start = ?4, found_end = ?5
         WHERE page_id = ?1 AND position = ?2",
    )?
    .execute(params![
        page_id,
        position,
        check.as_ref().map(|c| c.sha256.to_vec()),
        check.and_then(|c| c.found).map(|f| f.0),
        check.and_then(|c| c.found).map(|f| f.1),
    ])?;
    Ok(())
}

/// The titles of the live pages `page_ids`.
pub fn titles_of(conn: &Connection, page_ids: &[i64]) -> Result<Vec<String>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT title FROM pages WHERE id = ?1 AND deleted = 0")?;
    let mut out = Vec::with_capacity(page_ids.len());
    for id in page_ids {
        if let Some(title) = statement
            .query_row([id], |row| row.get::<_, String>(0))
            .optional()?
        {
            out.push(title);
        }
    }
    Ok(out)
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
