//! Quotation checks (issue 13): whether each quotation an article attributes to a stored source
//! is in that source's text (boilerplate left out; quotes, dashes, whitespace and case
//! normalised by [`crate::bio::quotes::Normalised`]), and where.
//!
//! Where it is worked out: when the citing page is saved, and stored with its citation rows
//! (`db/0017_quotation_checks.sql`). Few pages cite stored sources with quotations, so a save
//! pays for it only when it has some, and then reads each cited source's text once (one
//! normalisation per source, one linear search per quotation); a read (the info view, the API)
//! then costs nothing but the rows, and the answers stay cacheable. A check says which source
//! text it was made against (its SHA-256): when a source's text changes (a save, an import, an
//! undelete, a new source at a title already cited), the rows citing it are checked again in the
//! same write when there are at most [`MAX_INLINE`] of them, else by a `recheck-quotations` job
//! in batches; until then a stale check reads as not checked, never as a wrong answer.

use std::collections::HashMap;

use crate::bio::boilerplate::boilerplate;
use crate::bio::quotes::Normalised;
use crate::store::citations::{self as store, QuotationCheck, QuotedRow};
use crate::store::revisions::sha256;
use crate::store::{self as storage, Connection, StoreError, jobs, pages, revisions, sources};

use super::title::Namespace;
use super::{Title, WikiError};

/// The most rows a source's change checks again in its own write; more are left to a job.
pub const MAX_INLINE: usize = 200;
/// The name of the recheck job's kind.
pub const RECHECK_KIND: &str = "recheck-quotations";
/// Rows per step of the recheck job, unless its payload says otherwise.
pub const DEFAULT_BATCH: usize = 200;

/// A source's text, normalised for looking quotations up (boilerplate left out).
pub(crate) struct SourceText {
    sha256: [u8; 32],
    text: Normalised,
}

impl SourceText {
    /// `text`, whose SHA-256 is `sha256`.
    pub(crate) fn new(text: &str, sha256: [u8; 32]) -> Self {
        Self {
            sha256,
            text: Normalised::new(text, &boilerplate(text)),
        }
    }

    /// Where `quotation` is in this text, if it is.
    pub(crate) fn check(&self, quotation: &str) -> QuotationCheck {
        let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        QuotationCheck {
            sha256: self.sha256,
            found: self
                .text
                .find(quotation)
                .map(|r| (number(r.start), number(r.end))),
        }
    }
}

/// The texts of the sources one write checks quotations against, each read once.
#[derive(Default)]
pub(crate) struct SourceTexts {
    loaded: HashMap<i64, Option<SourceText>>,
}

impl SourceTexts {
    /// Checks `quotation` against the latest text of the source page `source_id` (`None`: the
    /// page is not a live source with a text).
    pub(crate) fn check(
        &mut self,
        tx: &Connection,
        source_id: i64,
        quotation: &str,
    ) -> Result<Option<QuotationCheck>, StoreError> {
        let text = match self.loaded.entry(source_id) {
            std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(load(tx, source_id)?),
        };
        Ok(text.as_ref().map(|t| t.check(quotation)))
    }

    /// The check of a stored row's quotation, against the source it cites now (`None` when
    /// that is no stored source).
    fn check_row(
        &mut self,
        tx: &Connection,
        row: &QuotedRow,
    ) -> Result<Option<QuotationCheck>, StoreError> {
        let source = match (&row.target, row.source_id) {
            (_, Some(id)) => Some(id),
            (Some(title), None) => sources::resolve_title(tx, title)?.map(|(id, _, _)| id),
            (None, None) => None,
        };
        match source {
            Some(id) => self.check(tx, id, &row.quotation),
            None => Ok(None),
        }
    }
}

/// The latest text of the live, non-redirect page `page_id`.
fn load(tx: &Connection, page_id: i64) -> Result<Option<SourceText>, StoreError> {
    let Some(page) = pages::by_id(tx, page_id)? else {
        return Ok(None);
    };
    let Some(latest) = page
        .latest_revision
        .filter(|_| !page.deleted && page.redirect_to.is_none())
    else {
        return Ok(None);
    };
    let text = revisions::text(tx, latest)?;
    let hash = revisions::text_sha256(tx, latest)?.unwrap_or_else(|| sha256(&text));
    Ok(Some(SourceText::new(&text, hash)))
}

/// The SHA-256 of the latest text of the live source page `page_id`, if it has one: a stored
/// check against another text is stale.
pub(crate) fn current_sha256(
    conn: &Connection,
    page_id: i64,
) -> Result<Option<[u8; 32]>, StoreError> {
    let Some(page) = pages::by_id(conn, page_id)? else {
        return Ok(None);
    };
    match page.latest_revision.filter(|_| !page.deleted) {
        Some(latest) => revisions::text_sha256(conn, latest),
        None => Ok(None),
    }
}

/// A page's latest text is now `text` (a save, a move, an undelete): when it is a source
/// document, the quotations citing it that were checked against another text (or not at all)
/// are checked again: here when they are few, else by a queued job.
pub(crate) fn on_source_text(
    tx: &Connection,
    page_id: i64,
    title: &str,
    text: &str,
) -> Result<(), StoreError> {
    if !Title::new(title).is_ok_and(|t| t.namespace() == Namespace::Source) {
        return Ok(());
    }
    let rows = store::quoted_citing(tx, page_id, title, (0, 0), MAX_INLINE + 1)?;
    if rows.is_empty() {
        return Ok(());
    }
    let hash = sha256(text);
    if rows.len() > MAX_INLINE {
        jobs::enqueue(
            tx,
            RECHECK_KIND,
            &payload(&Recheck {
                source: Some(page_id),
                after: (0, 0),
                batch: DEFAULT_BATCH,
            }),
            super::jobs::unix_now(),
            None,
        )?;
        // Their checks read as not checked until the job reaches them.
        storage::changes::pages(store::citing_titles(tx, page_id, title)?);
        return Ok(());
    }
    let source = SourceText::new(text, hash);
    let mut touched = Vec::new();
    for row in rows.iter().filter(|r| r.checked != Some(hash)) {
        store::set_check(
            tx,
            row.page_id,
            row.position,
            Some(source.check(&row.quotation)),
        )?;
        if touched.last() != Some(&row.page_id) {
            touched.push(row.page_id);
        }
    }
    if !touched.is_empty() {
        storage::changes::pages(store::titles_of(tx, &touched)?);
    }
    Ok(())
}

/// The recheck job's payload: the source whose citing rows it walks (`None`: every row with a
/// quotation), the last row done, and the rows per step.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Recheck {
    /// The source page whose citing rows are walked (`None`: every quotation).
    #[serde(default)]
    pub source: Option<i64>,
    /// The last row done: (citing page id, position).
    #[serde(default)]
    pub after: (i64, i64),
    /// Rows per step.
    #[serde(default = "default_batch")]
    pub batch: usize,
}

fn default_batch() -> usize {
    DEFAULT_BATCH
}

fn payload(walk: &Recheck) -> String {
    serde_json::to_string(walk).unwrap_or_else(|_| "{}".to_owned())
}

/// The payload of a recheck of every quotation (a job started by hand).
pub(crate) fn initial_payload(batch: usize) -> String {
    payload(&Recheck {
        source: None,
        after: (0, 0),
        batch,
    })
}

/// What one step of the recheck did.
pub(crate) struct RecheckStep {
    pub payload: String,
    pub done: i64,
    pub finished: bool,
}

/// One step of the recheck: the next `batch` rows, each checked again against its source's
/// latest text unless it already was.
pub(crate) fn recheck_step(
    tx: &Connection,
    payload_text: &str,
    done: i64,
) -> Result<RecheckStep, WikiError> {
    let mut walk: Recheck = serde_json::from_str(payload_text)
        .map_err(|e| WikiError::Invalid(format!("the job's payload is not valid: {e}")))?;
    if walk.batch == 0 || walk.batch > super::jobs::MAX_BATCH {
        return Err(WikiError::Invalid(format!(
            "a batch is 1 to {} rows, not {}",
            super::jobs::MAX_BATCH,
            walk.batch
        )));
    }
    let rows = match walk.source {
        Some(id) => match pages::by_id(tx, id)?.filter(|p| !p.deleted) {
            Some(page) => store::quoted_citing(tx, id, &page.title, walk.after, walk.batch)?,
            None => Vec::new(),
        },
        None => store::quoted_after(tx, walk.after, walk.batch)?,
    };
    let mut texts = SourceTexts::default();
    let mut touched = Vec::new();
    for row in &rows {
        let check = texts.check_row(tx, row)?;
        if check.map(|c| c.sha256) != row.checked {
            store::set_check(tx, row.page_id, row.position, check)?;
            if touched.last() != Some(&row.page_id) {
                touched.push(row.page_id);
            }
        }
        walk.after = (row.page_id, row.position);
    }
    if !touched.is_empty() {
        storage::changes::pages(store::titles_of(tx, &touched)?);
    }
    Ok(RecheckStep {
        payload: payload(&walk),
        done: done + rows.len() as i64,
        finished: rows.len() < walk.batch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_text_finds_quotations_outside_its_boilerplate() {
        let text = "Masot said: \u{201c}Could I give you a list?\u{201d}\n\n\
                    Support our little paper.\n\nEvery donation helps: donate today.";
        let source = SourceText::new(text, sha256(text));
        let found = source.check("\"could I give you a list\"");
        let (a, b) = found.found.expect("found");
        assert_eq!(&text[a as usize..b as usize], "Could I give you a list");
        assert_eq!(found.sha256, sha256(text));
        assert_eq!(source.check("donate today").found, None, "boilerplate");
        assert_eq!(source.check("a list of names").found, None);
    }
}
