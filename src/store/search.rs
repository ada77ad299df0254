//! Full-text search (FTS5) over the sections of every live page's latest revision.
//!
//! One row per section, rowid = `page_id * 8192 + position`, in two tables: `search`, a
//! contentless FTS5 index that keeps the terms and not the text, and `search_rows`, what a hit
//! shows (titles, section id, anchor) and the hash of the text indexed. Queries arrive already
//! in FTS5 syntax (`wiki` quotes user input). A hit's snippet is made from the start of its
//! section's chunk in the page's latest revision, which is the text that was indexed: the
//! caller turns the chunk into that plain text, a small in-memory FTS5 table of the page of hits
//! runs the same query again to mark the matches (`highlight()`), and the snippet is the words
//! around the first one (see [`snippet`](super::snippet)). Both are bounded: the first
//! [`SNIPPET_SOURCE_CHARS`] characters of the chunk, at most [`SNIPPET_WINDOW_BYTES`] of plain
//! text, however long the section. Snippets mark hits with
//! [`MARK_START`]/[`MARK_END`], which never occur in indexed text, so the caller can escape the
//! snippet and then turn the markers into `<mark>`.
//!
//! Letters the tokenizer keeps as they are (`ł`, `ß`, `æ`…) are written out in plain letters
//! ([`fold`](crate::doc::fold)) in the three columns indexed; the caller writes out the query
//! the same way, and snippets are marked in the written-out text and then carried back to the
//! original. [`index_version`] says which reading of the text the index rows come from.
//!
//! Results come one per page ([`query`]): its best section with a snippet, its other matching
//! sections listed, and the count of pages.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use crate::doc::fold::{self, Folded};

use super::revisions::sha256;
use super::snippet;

use super::StoreError;

/// How many rowids each page owns (more than the most sections a page may have).
const ROWS_PER_PAGE: i64 = 8192;

/// Marks the start of a hit in a snippet (a private-use character, removed from indexed text).
pub const MARK_START: char = '\u{E000}';
/// Marks the end of a hit in a snippet.
pub const MARK_END: char = '\u{E001}';
/// Stands for elided text in a snippet.
pub const ELLIPSIS: &str = "…";

/// How many characters of a hit's chunk (markup) its snippet is looked for in.
const SNIPPET_SOURCE_CHARS: usize = 48 * 1024;
/// How many bytes of a hit's plain text its snippet is looked for in (a match further on shows
/// the section's start instead).
const SNIPPET_WINDOW_BYTES: usize = 32 * 1024;

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
    /// The index row (page and position): with `rank`, the hit's place in the ranking.
    pub row: i64,
}

/// Where a page of hits starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HitsFrom {
    /// After skipping this many pages.
    Offset(usize),
    /// Right after the page ranked `rank` whose id is `row` (a keyset over rank and page; the
    /// ranks move when the index changes, so it is a best-effort position).
    After {
        /// The last page's rank.
        rank: f64,
        /// The last page's id.
        row: i64,
    },
}

/// The rowid range a page's rows use.
fn page_range(page_id: i64) -> (i64, i64) {
    (page_id * ROWS_PER_PAGE, (page_id + 1) * ROWS_PER_PAGE)
}

/// The rowid of a page's section at `position`.
fn rowid(page_id: i64, position: usize) -> i64 {
    page_id * ROWS_PER_PAGE + (position as i64).min(ROWS_PER_PAGE - 1)
}

/// Removes a page's rows.
pub fn delete_page(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    let (from, to) = page_range(page_id);
    let rowids: Vec<i64> = conn
        .prepare_cached("SELECT id FROM search_rows WHERE id >= ?1 AND id < ?2")?
        .query_map(params![from, to], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for rowid in rowids {
        delete_row(conn, rowid)?;
    }
    Ok(())
}

fn delete_row(conn: &Connection, rowid: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM search WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached("DELETE FROM search_rows WHERE id = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// What `search_rows` keeps of a row, to tell whether it changed.
#[derive(PartialEq)]
struct Shown {
    page_title: String,
    section_title: String,
    section_id: String,
    anchor: String,
    body_sha256: Option<[u8; 32]>,
}

impl Shown {
    fn of(page_title: &str, row: &SearchRow<'_>) -> Self {
        Self::hashed(page_title, row, sha256(row.body))
    }

    /// What is shown of `row`, whose body's SHA-256 is `body_sha256`.
    fn hashed(page_title: &str, row: &SearchRow<'_>, body_sha256: [u8; 32]) -> Self {
        Self {
            page_title: page_title.to_owned(),
            section_title: row.section_title.to_owned(),
            section_id: row.section_id.to_owned(),
            anchor: row.anchor.to_owned(),
            body_sha256: Some(body_sha256),
        }
    }
}

/// Makes a page's rows `rows`, touching only the rows that differ: re-indexing text costs
/// tokenizing it, so an edit of one section of a long page rewrites one row, not all of them.
pub fn update_page(
    conn: &Connection,
    page_id: i64,
    page_title: &str,
    rows: &[SearchRow<'_>],
) -> Result<(), StoreError> {
    let (from, to) = page_range(page_id);
    let mut existing: HashMap<i64, Shown> = conn
        .prepare_cached(
            "SELECT id, page_title, section_title, section_id, anchor, body_sha256
             FROM search_rows WHERE id >= ?1 AND id < ?2",
        )?
        .query_map(params![from, to], |row| {
            let hash: Option<Vec<u8>> = row.get(5)?;
            Ok((
                row.get(0)?,
                Shown {
                    page_title: row.get(1)?,
                    section_title: row.get(2)?,
                    section_id: row.get(3)?,
                    anchor: row.get(4)?,
                    body_sha256: hash.and_then(|h| h.try_into().ok()),
                },
            ))
        })?
        .collect::<Result<_, _>>()?;
    for row in rows {
        let rowid = rowid(page_id, row.position);
        let wanted = Shown::of(page_title, row);
        match existing.remove(&rowid) {
            Some(old) if old == wanted => continue,
            Some(_) => delete_row(conn, rowid)?,
            None => {}
        }
        insert_row(conn, rowid, page_title, row, &wanted)?;
    }
    for rowid in existing.into_keys() {
        delete_row(conn, rowid)?;
    }
    Ok(())
}

fn insert_row(
    conn: &Connection,
    rowid: i64,
    page_title: &str,
    row: &SearchRow<'_>,
    shown: &Shown,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO search (rowid, page_title, section_title, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        rowid,
        fold::text(page_title),
        fold::text(row.section_title),
        fold::text(row.body)
    ])?;
    insert_shown(conn, rowid, shown)
}

fn insert_shown(conn: &Connection, rowid: i64, shown: &Shown) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO search_rows (id, page_title, section_title, section_id, anchor, body_sha256)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        rowid,
        shown.page_title,
        shown.section_title,
        shown.section_id,
        shown.anchor,
        shown.body_sha256.as_ref().map(|h| &h[..]),
    ])?;
    Ok(())
}

/// One page's rows, for [`replace_pages`].
#[derive(Debug, Clone, Copy)]
pub struct PageRows<'a> {
    /// The page.
    pub page_id: i64,
    /// Whether the page has no rows here yet (its first text, or its first since it was
    /// deleted, which deleted them): nothing to delete.
    pub fresh: bool,
    /// Its title.
    pub page_title: &'a str,
    /// Its sections.
    pub rows: &'a [SearchRow<'a>],
    /// Each row's body as the index keeps it, in the order of `rows`, when it was worked out
    /// before the write (an import's reading threads); empty: worked out here.
    pub bodies: &'a [IndexedBody],
}

/// What the index keeps of a section's body, worked out from the body alone: an import works
/// it out on its reading threads, so that its single writer does not (issue 13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedBody {
    /// The body with its letters written out ([`fold::text`]), when that changes it.
    pub folded: Option<String>,
    /// SHA-256 of the body (it tells whether a row changed).
    pub sha256: [u8; 32],
}

impl IndexedBody {
    /// What the index keeps of `body`.
    pub fn of(body: &str) -> Self {
        Self {
            folded: match fold::text(body) {
                std::borrow::Cow::Owned(folded) => Some(folded),
                std::borrow::Cow::Borrowed(_) => None,
            },
            sha256: sha256(body),
        }
    }
}

/// Replaces the rows of many pages at once (an import batch). Inside a transaction, FTS5 writes
/// its pending terms to a new segment at every statement that opens a statement savepoint, so
/// one `INSERT` per row would leave a segment per row and keep the index busy merging them. Here
/// the old rows go first (a fresh page has none), the new rows wait in a temporary table, and one `INSERT … SELECT`
/// moves them all, in rowid order, as one stream of terms.
pub fn replace_pages(conn: &Connection, pages: &[PageRows<'_>]) -> Result<(), StoreError> {
    for page in pages.iter().filter(|p| !p.fresh) {
        delete_page(conn, page.page_id)?;
    }
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS search_staging (
             id INTEGER PRIMARY KEY, page_title TEXT, section_title TEXT, body TEXT
         )",
    )?;
    let mut stage = conn.prepare_cached(
        "INSERT INTO temp.search_staging (id, page_title, section_title, body)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for page in pages {
        let page_title = fold::text(page.page_title);
        for (i, row) in page.rows.iter().enumerate() {
            let rowid = rowid(page.page_id, row.position);
            let worked_out;
            let body = match page.bodies.get(i) {
                Some(body) => body,
                None => {
                    worked_out = IndexedBody::of(row.body);
                    &worked_out
                }
            };
            stage.execute(params![
                rowid,
                page_title,
                fold::text(row.section_title),
                body.folded.as_deref().unwrap_or(row.body)
            ])?;
            insert_shown(
                conn,
                rowid,
                &Shown::hashed(page.page_title, row, body.sha256),
            )?;
        }
    }
    conn.prepare_cached(
        "INSERT INTO search (rowid, page_title, section_title, body)
         SELECT id, page_title, section_title, body FROM temp.search_staging ORDER BY id",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM temp.search_staging")?
        .execute([])?;
    Ok(())
}

/// A section of a page that matches too, listed under the page's best hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherSection {
    /// Section position.
    pub position: usize,
    /// Heading title.
    pub section_title: String,
    /// Public section id.
    pub section_id: String,
    /// HTML anchor.
    pub anchor: String,
}

/// One page that matches: its best section with a snippet, and its other matching sections.
#[derive(Debug, Clone, PartialEq)]
pub struct PageHit {
    /// The best section.
    pub best: SearchHit,
    /// The other matching sections, in the page's order, at most [`MAX_OTHER_SECTIONS`].
    pub others: Vec<OtherSection>,
    /// How many other sections match in all.
    pub others_total: usize,
    /// The page's place in the ranking: the bm25 rank of its best-ranked section (lower is
    /// better) and the page's id.
    pub rank: f64,
    /// The page's id.
    pub page_id: i64,
}

/// A page of results: one per page, best first, and how many pages match in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageHits {
    /// The pages.
    pub pages: Vec<PageHit>,
    /// How many pages match the query.
    pub total: usize,
}

/// The most other sections listed under a page's best hit.
pub const MAX_OTHER_SECTIONS: usize = 10;

/// bm25 with page titles weighted above headings, and headings above text.
const RANK: &str = "bm25(search, 10.0, 4.0, 1.0)";

/// Runs an FTS5 `query` and answers one result per page, best first: pages rank by their
/// best-ranked section (bm25 with titles weighted above text). `body` gives the plain text
/// indexed for a section from its position and chunk; the snippets are made from it, and it
/// is given the start of long chunks only.
///
/// A page's best section is the one that matches in the most places: a heading and text before
/// text alone, and the lead before its subsections when they match in the same places (every
/// section shares the page title, and bm25 ranks a short section above a long lead for the
/// same words, so "Lovelace" showed four sections of one page before its lead).
///
/// Ranking costs a pass over the occurrences of each term (bm25 counts the rows holding it,
/// then reads each matching row's occurrences): linear in the occurrences, never worse, so a
/// huge section costs its length once. The caller bounds the terms; the request's deadline
/// bounds the rest.
pub fn query(
    conn: &Connection,
    query: &str,
    limit: usize,
    from: HitsFrom,
    body: &dyn Fn(&str, usize, &str) -> String,
) -> Result<PageHits, StoreError> {
    let (offset, after_rank, after_page) = match from {
        HitsFrom::Offset(offset) => (offset, None, 0),
        HitsFrom::After { rank, row } => (0, Some(rank), row),
    };
    let sql = format!(
        "WITH matches (id, rank) AS MATERIALIZED (
             SELECT rowid, {RANK} FROM search WHERE search MATCH ?1
         ),
         ranked (page, best) AS (
             SELECT id / {ROWS_PER_PAGE}, min(rank) FROM matches GROUP BY 1
         ),
         counted (page, best, total) AS (
             SELECT page, best, count(*) OVER () FROM ranked
         )
         SELECT page, best, total FROM counted
         WHERE ?4 IS NULL OR best > ?4 OR (best = ?4 AND page > ?5)
         ORDER BY best, page LIMIT ?2 OFFSET ?3"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut total = None;
    let ranked: Vec<(i64, f64)> = statement
        .query_map(
            params![query, limit as i64, offset as i64, after_rank, after_page],
            |row| {
                total = Some(row.get::<_, i64>(2)?);
                Ok((row.get(0)?, row.get(1)?))
            },
        )?
        .collect::<Result<_, _>>()?;
    let total = match total {
        Some(total) => total,
        // Past the last page: counted without ranking.
        None => conn
            .prepare_cached(&format!(
                "SELECT count(DISTINCT rowid / {ROWS_PER_PAGE}) FROM search WHERE search MATCH ?1"
            ))?
            .query_row([query], |row| row.get(0))?,
    };
    let mut pages = Vec::with_capacity(ranked.len());
    let mut bodies = Vec::with_capacity(ranked.len());
    for (page_id, rank) in ranked {
        let mut sections = page_sections(conn, query, page_id)?;
        sections.sort_by(|a, b| a.order(b));
        let Some(best) = sections.first().map(|s| s.row) else {
            continue; // changed since it was ranked
        };
        let Some((hit, window)) = best_hit(conn, page_id, best, body)? else {
            continue;
        };
        let mut others: Vec<i64> = sections[1..].iter().map(|s| s.row).collect();
        others.sort_unstable();
        let others_total = others.len();
        others.truncate(MAX_OTHER_SECTIONS);
        pages.push(PageHit {
            best: hit,
            others: other_sections(conn, &others)?,
            others_total,
            rank,
            page_id,
        });
        bodies.push(window);
    }
    let hits: Vec<&SearchHit> = pages.iter().map(|p| &p.best).collect();
    let snippets = snippets(conn, query, &hits, &bodies)?;
    for (page, snippet) in pages.iter_mut().zip(snippets) {
        page.best.snippet = snippet;
    }
    Ok(PageHits {
        pages,
        total: usize::try_from(total).unwrap_or(0),
    })
}

/// How a section of a page matches.
struct SectionMatch {
    row: i64,
    rank: f64,
    /// Whether a term is in its heading.
    in_heading: bool,
    /// Whether a term is in its text.
    in_body: bool,
}

impl SectionMatch {
    /// Best first: a match in the heading, then one in the text, then the lead, then bm25.
    fn order(&self, other: &Self) -> std::cmp::Ordering {
        let key = |s: &Self| (!s.in_heading, !s.in_body, s.row % ROWS_PER_PAGE != 0);
        key(self)
            .cmp(&key(other))
            .then(self.rank.total_cmp(&other.rank))
            .then(self.row.cmp(&other.row))
    }
}

/// The sections of page `page_id` that match `query`. bm25 with one column weighted alone is
/// below zero exactly when a term occurs in that column.
fn page_sections(
    conn: &Connection,
    query: &str,
    page_id: i64,
) -> Result<Vec<SectionMatch>, StoreError> {
    let (from, to) = page_range(page_id);
    let sql = format!(
        "SELECT rowid, {RANK}, bm25(search, 0.0, 1.0, 0.0), bm25(search, 0.0, 0.0, 1.0)
         FROM search WHERE search MATCH ?1 AND rowid >= ?2 AND rowid < ?3"
    );
    let sections = conn
        .prepare_cached(&sql)?
        .query_map(params![query, from, to], |row| {
            Ok(SectionMatch {
                row: row.get(0)?,
                rank: row.get(1)?,
                in_heading: row.get::<_, f64>(2)? < 0.0,
                in_body: row.get::<_, f64>(3)? < 0.0,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(sections)
}

/// The hit for index row `row` of page `page_id` (without its snippet yet), with the start of
/// its plain text; `None` when the page changed since it was ranked.
fn best_hit(
    conn: &Connection,
    page_id: i64,
    row: i64,
    body: &dyn Fn(&str, usize, &str) -> String,
) -> Result<Option<(SearchHit, Window)>, StoreError> {
    let position = (row % ROWS_PER_PAGE) as usize;
    let sql = format!(
        "SELECT r.page_title, r.section_title, r.section_id, r.anchor,
             substr(c.text, 1, {SNIPPET_SOURCE_CHARS}), length(c.text) > {SNIPPET_SOURCE_CHARS}
         FROM search_rows r
         JOIN pages p ON p.id = ?2
         JOIN revision_sections rs ON rs.revision_id = p.latest_revision AND rs.position = ?3
         JOIN chunks c ON c.id = rs.chunk_id
         WHERE r.id = ?1"
    );
    let found = conn
        .prepare_cached(&sql)?
        .query_row(params![row, page_id, position as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
            ))
        })
        .optional()?;
    let Some((page_title, section_title, section_id, anchor, chunk, chunk_cut)) = found else {
        return Ok(None);
    };
    let window = Window::of(body(&page_title, position, &chunk), chunk_cut);
    let hit = SearchHit {
        page_title,
        position,
        section_title,
        section_id,
        anchor,
        snippet: String::new(),
        rank: 0.0,
        row,
    };
    Ok(Some((hit, window)))
}

/// The headings and anchors of index rows `rows`.
fn other_sections(conn: &Connection, rows: &[i64]) -> Result<Vec<OtherSection>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT section_title, section_id, anchor FROM search_rows WHERE id = ?1",
    )?;
    let mut others = Vec::with_capacity(rows.len());
    for &row in rows {
        let found = statement
            .query_row([row], |r| {
                Ok(OtherSection {
                    position: (row % ROWS_PER_PAGE) as usize,
                    section_title: r.get(0)?,
                    section_id: r.get(1)?,
                    anchor: r.get(2)?,
                })
            })
            .optional()?;
        others.extend(found);
    }
    Ok(others)
}

/// The start of a hit's plain text that its snippet is made from.
struct Window {
    text: String,
    /// Whether the section goes on past `text`.
    cut_short: bool,
}

impl Window {
    fn of(mut text: String, chunk_cut: bool) -> Self {
        let mut cut_short = chunk_cut;
        if text.len() > SNIPPET_WINDOW_BYTES {
            let mut end = SNIPPET_WINDOW_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
            cut_short = true;
        }
        Self { text, cut_short }
    }
}

/// The snippets of `hits` (whose indexed bodies start with `bodies`) for `query`: the hits go
/// into a temporary FTS5 table of this connection, with the tokenizer of the index, the same
/// query runs over them to mark the matches, and each snippet is the words around the first.
/// A hit whose window holds no match (its terms are further on, or in its titles) shows the
/// start of its text. A read-only connection may write its temporary tables.
///
/// The table takes its text from a plain temporary table, emptied and filled for each query and
/// then indexed by one statement (`rebuild`, which replaces the whole index: one index segment,
/// where an `INSERT` per hit would make one each, and nothing left from an earlier query, even
/// one that failed half-way).
fn snippets(
    conn: &Connection,
    query: &str,
    hits: &[&SearchHit],
    bodies: &[Window],
) -> Result<Vec<String>, StoreError> {
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS search_snippet_rows (
             id INTEGER PRIMARY KEY, page_title TEXT, section_title TEXT, body TEXT
         )",
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_snippets USING fts5 (
             page_title, section_title, body, content = 'search_snippet_rows', content_rowid = 'id',
             tokenize = 'unicode61 remove_diacritics 2'
         )",
    ] {
        conn.prepare_cached(sql)?.execute([])?;
    }
    conn.prepare_cached("DELETE FROM temp.search_snippet_rows")?
        .execute([])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO temp.search_snippet_rows (id, page_title, section_title, body)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    let folded: Vec<Folded<'_>> = bodies.iter().map(|b| Folded::of(&b.text)).collect();
    for (i, (hit, folded)) in hits.iter().zip(&folded).enumerate() {
        insert.execute(params![
            i as i64,
            fold::text(&hit.page_title),
            fold::text(&hit.section_title),
            folded.text
        ])?;
    }
    conn.prepare_cached("INSERT INTO temp.search_snippets (search_snippets) VALUES ('rebuild')")?
        .execute([])?;
    let sql = format!(
        "SELECT rowid, highlight(search_snippets, 2, '{MARK_START}', '{MARK_END}')
         FROM temp.search_snippets WHERE search_snippets MATCH ?1"
    );
    let mut snippets: Vec<String> = bodies
        .iter()
        .map(|body| snippet::around_first_match(&body.text, body.cut_short))
        .collect();
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query([query])?;
    while let Some(row) = rows.next()? {
        let i: i64 = row.get(0)?;
        let Some(i) = usize::try_from(i).ok().filter(|&i| i < snippets.len()) else {
            continue;
        };
        let highlighted: String = row.get(1)?;
        let highlighted =
            folded[i].mark_original(&highlighted, |c| c == MARK_START || c == MARK_END);
        snippets[i] = snippet::around_first_match(&highlighted, bodies[i].cut_short);
    }
    Ok(snippets)
}

/// Which reading of the text the search rows come from (0: a database from before migration
/// 18; `wiki::search` names the versions). The table was made for the rows of `Source:` pages
/// (migration 18) and now versions every row.
pub fn index_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT version FROM source_search_index WHERE id = 1")?
        .query_row([], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Records that the search rows come from reading `version`.
pub fn set_index_version(conn: &Connection, version: i64) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR REPLACE INTO source_search_index (id, version) VALUES (1, ?1)")?
        .execute([version])?;
    Ok(())
}
