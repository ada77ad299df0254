//! The start-up re-index of the search rows: when the index was written by an older reading of
//! the text, every live page is indexed again from the chunks of its latest revision (the index
//! is contentless, so SQL alone cannot rebuild it). Versioned, like the other backfills: on an
//! up-to-date database it reads one row.

use crate::store::search::{self as fts, PageRows, SearchRow};
use crate::store::{self, Connection, Db, changes, revisions};

use super::{WikiError, analysis, sections};

/// The reading of the text the search rows come from: 1 leaves the boilerplate of `Source:`
/// pages out (issue 13), 2 writes out letters the tokenizer keeps as they are (`ł` → `l`,
/// `ß` → `ss`; issue 15).
pub const SEARCH_INDEX_VERSION: i64 = 2;

/// How many pages one statement re-indexes.
const BATCH_PAGES: usize = 256;

/// Re-indexes every live page once, when the search rows come from an older reading. Returns
/// how many pages were re-indexed (0 when they were up to date).
pub fn backfill_search(db: &Db) -> Result<usize, WikiError> {
    db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        if fts::index_version(&tx)? >= SEARCH_INDEX_VERSION {
            changes::nothing_shown();
            return Ok(Ok(0));
        }
        let reindexed = match reindex_all(&tx) {
            Ok(reindexed) => reindexed,
            Err(e) => return Ok(Err(e)),
        };
        // Search results are not kept in any cache, but the change is the whole wiki's.
        changes::anything();
        fts::set_index_version(&tx, SEARCH_INDEX_VERSION)?;
        tx.commit()?;
        Ok(Ok(reindexed))
    })?
}

/// The search rows of one page, owned.
struct Rows {
    id: i64,
    title: String,
    section_titles: Vec<String>,
    bodies: Vec<String>,
    ids: Vec<String>,
    anchors: Vec<String>,
    positions: Vec<usize>,
}

fn reindex_all(tx: &Connection) -> Result<usize, WikiError> {
    let mut after = 0;
    let mut reindexed = 0;
    loop {
        let batch = store::jobs::live_pages_after(tx, after, BATCH_PAGES)?;
        let Some(last) = batch.last() else {
            return Ok(reindexed);
        };
        after = last.0;
        let mut owned = Vec::with_capacity(batch.len());
        for (id, title, revision, redirect) in batch {
            owned.push(rows_of(tx, id, title, revision, redirect)?);
        }
        let rows: Vec<Vec<SearchRow<'_>>> = owned
            .iter()
            .map(|page| {
                (0..page.bodies.len())
                    .map(|i| SearchRow {
                        position: page.positions[i],
                        section_title: &page.section_titles[i],
                        body: &page.bodies[i],
                        section_id: &page.ids[i],
                        anchor: &page.anchors[i],
                    })
                    .collect()
            })
            .collect();
        let pages: Vec<PageRows<'_>> = owned
            .iter()
            .zip(&rows)
            .map(|(page, rows)| PageRows {
                page_id: page.id,
                fresh: false, // a reindex replaces what is there
                page_title: &page.title,
                rows,
                bodies: &[],
            })
            .collect();
        fts::replace_pages(tx, &pages)?;
        reindexed += pages.len();
    }
}

/// What the index keeps of page `id` at `revision` (nothing for a redirect), as a save writes it.
fn rows_of(
    tx: &Connection,
    id: i64,
    title: String,
    revision: i64,
    redirect: bool,
) -> Result<Rows, WikiError> {
    let mut page = Rows {
        id,
        title,
        section_titles: Vec::new(),
        bodies: Vec::new(),
        ids: Vec::new(),
        anchors: Vec::new(),
        positions: Vec::new(),
    };
    if redirect {
        return Ok(page);
    }
    let stored = revisions::sections(tx, revision)?;
    let text = sections::full_text(&stored);
    let entries = sections::entries(&text, &stored);
    let chunks: Vec<&str> = stored.iter().map(|r| r.text.as_str()).collect();
    page.bodies = analysis::search_bodies(&page.title, &chunks);
    for entry in &entries {
        page.positions.push(entry.info.index);
        page.section_titles.push(entry.info.title.clone());
        page.ids.push(entry.id.clone());
        page.anchors.push(entry.info.anchor.clone());
    }
    page.bodies.truncate(entries.len());
    Ok(page)
}
