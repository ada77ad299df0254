//! Saving: whole-page and section edits with optimistic concurrency, three-way merges and
//! conflicts; revert, move, delete and undelete.
//!
//! Every write is one `BEGIN IMMEDIATE` transaction on the single writer: it reads the latest
//! revision, decides, and writes the revision, its sections, links, categories and search rows,
//! or nothing at all.

use std::borrow::Cow;
use std::cell::RefCell;

use crate::doc::namespace::Namespace;
use crate::doc::{Outline, SectionInfo};
use crate::markup;
use crate::store::facts::{NewPerson, PagePerson};
use crate::store::revisions::{self, NewRevision, sha256};
use crate::store::search::{self as fts, IndexedBody, SearchRow};
use crate::store::{
    self, Connection, Db, NewSection, PageRow, StoredSection, accounts, archive, changes, links,
    pages,
};

use super::analysis::{self, Analysis, Targets};
use super::identity::{self, NewChunk, OldSection};
use super::merge;
use super::moderation::{self, DELETED, UNDELETED};
use super::sections::{self, SectionEntry, SectionKey};
use super::{MAX_SECTIONS, MAX_SUMMARY_CHARS, Title, WikiError, max_page_bytes, now_timestamp};

/// An edit: a whole page or one section, based on a revision.
#[derive(Debug, Clone)]
pub struct SaveRequest {
    /// The page.
    pub title: Title,
    /// The new markup: of the whole page, or of the section's span (subsections included).
    pub markup: String,
    /// The revision the edit was based on. `None` creates a page (a conflict if it exists).
    pub base_revision: Option<i64>,
    /// The section edited (resolved in `base_revision`), or `None` for the whole page.
    pub section: Option<SectionKey>,
    /// The edit summary (at most [`MAX_SUMMARY_CHARS`] characters).
    pub summary: String,
    /// Who saves.
    pub author_id: i64,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// A new revision.
    Saved {
        /// The page's title.
        title: String,
        /// The new revision.
        revision: i64,
        /// Whether the page was created (201 in the API).
        created: bool,
        /// Whether the edit was merged with edits made since its base.
        merged: bool,
        /// The page's sections after the save, with their ids.
        sections: Vec<SectionEntry>,
    },
    /// The edit changed nothing: no revision was made.
    Unchanged {
        /// The page's title.
        title: String,
        /// The latest revision, as it was.
        revision: i64,
        /// The page's sections, with their ids.
        sections: Vec<SectionEntry>,
    },
}

impl SaveOutcome {
    /// The page's latest revision after the save.
    pub fn revision(&self) -> i64 {
        match self {
            Self::Saved { revision, .. } | Self::Unchanged { revision, .. } => *revision,
        }
    }

    /// The page's sections after the save.
    pub fn sections(&self) -> &[SectionEntry] {
        match self {
            Self::Saved { sections, .. } | Self::Unchanged { sections, .. } => sections,
        }
    }

    /// Whether the save created the page.
    pub fn created(&self) -> bool {
        matches!(self, Self::Saved { created: true, .. })
    }
}

/// Saves an edit (see [`SaveRequest`]):
///
/// - whole page, `base_revision` is the latest: saved as is;
/// - whole page, stale base: merged section by section with what changed since (a section
///   changed on both sides is a [`WikiError::Conflict`]);
/// - whole page, no base: creates the page, or is a conflict if it exists;
/// - a section: the key is resolved in the base and followed by id into the latest revision; the
///   markup replaces the section's span (subsections included) if that span is unchanged since
///   the base, else it is a conflict. A newline is added at the joint when the markup does not
///   end with one and another section follows. The edited section keeps its id.
///
/// An edit that changes nothing returns [`SaveOutcome::Unchanged`] and makes no revision.
pub async fn save_page(db: &Db, request: SaveRequest) -> Result<SaveOutcome, WikiError> {
    save_page_flagged(db, request, EditFlags::default()).await
}

/// How its author marks an edit (issue 19).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EditFlags {
    /// A minor edit (MediaWiki's `rev_minor_edit`): shown as "m" in history and recent
    /// changes, and reported by the Action API's `rcshow=minor` and `rvprop=flags`.
    pub minor: bool,
}

/// [`save_page`], the new revision marked with `flags`.
pub async fn save_page_flagged(
    db: &Db,
    request: SaveRequest,
    flags: EditFlags,
) -> Result<SaveOutcome, WikiError> {
    db.write_grouped(move |conn| Ok(save_checked(conn, &request, None, flags)))
        .await?
}

/// What a write insists on before it is carried out (HTTP's `If-Match`), checked in the
/// write's own transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition {
    /// The page's latest revision is this one (`If-Match: "r12"`).
    Latest(i64),
    /// The page exists, at any revision (`If-Match: *`): the edit is based on its latest.
    Exists,
}

/// [`save_page`], only if `precondition` holds when the write runs; else
/// [`WikiError::PreconditionFailed`] and nothing is saved. Without a base revision of its own,
/// the edit is based on the latest revision the precondition saw.
pub async fn save_page_if(
    db: &Db,
    request: SaveRequest,
    precondition: Precondition,
) -> Result<SaveOutcome, WikiError> {
    save_page_if_flagged(db, request, precondition, EditFlags::default()).await
}

/// [`save_page_if`], the new revision marked with `flags`.
pub async fn save_page_if_flagged(
    db: &Db,
    request: SaveRequest,
    precondition: Precondition,
    flags: EditFlags,
) -> Result<SaveOutcome, WikiError> {
    db.write_grouped(move |conn| Ok(save_checked(conn, &request, Some(precondition), flags)))
        .await?
}

/// [`save_page`] on this thread, with the writer connection (for the CLI and tests).
pub fn save_blocking(
    conn: &mut Connection,
    request: &SaveRequest,
) -> Result<SaveOutcome, WikiError> {
    save_checked(conn, request, None, EditFlags::default())
}

fn save_checked(
    conn: &mut Connection,
    request: &SaveRequest,
    precondition: Option<Precondition>,
    flags: EditFlags,
) -> Result<SaveOutcome, WikiError> {
    check_summary(&request.summary)?;
    check_size(request.markup.len())?;
    let tx = store::begin_write(conn)?;
    let outcome = match precondition {
        None => save_in_flagged(&tx, request, flags, Indexing::Now, None)?,
        Some(precondition) => save_in_flagged(
            &tx,
            &meet(&tx, request, precondition)?,
            flags,
            Indexing::Now,
            None,
        )?,
    };
    tx.commit()?;
    Ok(outcome)
}

/// `request`, based on the latest revision unless it names a base, if `precondition` holds.
fn meet(
    tx: &Connection,
    request: &SaveRequest,
    precondition: Precondition,
) -> Result<SaveRequest, WikiError> {
    let latest = live_page(tx, request.title.as_str())?.and_then(|p| p.latest_revision);
    let holds = match (precondition, latest) {
        (Precondition::Latest(wanted), Some(latest)) => wanted == latest,
        (Precondition::Exists, Some(_)) => true,
        (_, None) => false,
    };
    if !holds {
        return Err(WikiError::PreconditionFailed {
            latest_revision: latest,
        });
    }
    let mut request = request.clone();
    request.base_revision = request.base_revision.or(latest);
    Ok(request)
}

fn check_summary(summary: &str) -> Result<(), WikiError> {
    let chars = summary.chars().count();
    if chars > MAX_SUMMARY_CHARS {
        return Err(WikiError::Invalid(format!(
            "an edit summary can be at most {MAX_SUMMARY_CHARS} characters long (this one is {chars})"
        )));
    }
    Ok(())
}

fn check_size(bytes: usize) -> Result<(), WikiError> {
    let max = max_page_bytes();
    if bytes > max {
        return Err(WikiError::TooLarge { bytes, max });
    }
    Ok(())
}

/// The live page called `title`, if any.
pub(crate) fn live_page(conn: &Connection, title: &str) -> Result<Option<PageRow>, WikiError> {
    Ok(pages::by_title(conn, title)?.filter(|p| !p.deleted && p.latest_revision.is_some()))
}

/// The error for a title with no live page: [`WikiError::PageDeleted`] when a page of that
/// title is in the archive, [`WikiError::PageMissing`] when there never was one.
pub(crate) fn no_live_page(conn: &Connection, title: &str) -> WikiError {
    match archive::is_archived(conn, title) {
        Ok(true) => WikiError::PageDeleted(title.to_owned()),
        Ok(false) => WikiError::PageMissing(title.to_owned()),
        Err(e) => e.into(),
    }
}

/// Checks that `revision` belongs to `page`.
pub(crate) fn own_revision(
    conn: &Connection,
    page: &PageRow,
    revision: i64,
) -> Result<(), WikiError> {
    match revisions::meta(conn, revision)? {
        Some((_, page_id)) if page_id == page.id => Ok(()),
        Some(_) => Err(WikiError::NotThisPagesRevision {
            title: page.title.clone(),
            revision,
        }),
        None => Err(WikiError::RevisionMissing(revision)),
    }
}

/// The edit inside a write transaction: decides what text to save, then saves it.
pub(crate) fn save_in(tx: &Connection, request: &SaveRequest) -> Result<SaveOutcome, WikiError> {
    save_in_with(tx, request, Indexing::Now, None)
}

/// When a save's links, search rows and person (facts, timeline) are written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Indexing<'a> {
    /// In the save itself.
    Now,
    /// Left in the slot for the caller to write at the end of its batch (an import): written
    /// together, sorted, at the end of the batch, they cost a fraction of one write per file
    /// (FTS5 flushes a segment at every statement savepoint, and an index insert inside a
    /// savepoint copies its page into the savepoint's journal).
    Staged(&'a RefCell<Option<StagedIndex>>),
}

/// A page's links, categories, templates, search rows and person, waiting to be written.
#[derive(Debug, Default)]
pub(crate) struct StagedIndex {
    pub page_id: i64,
    /// Whether the page had no text before (nothing of it is stored to be replaced).
    pub fresh: bool,
    pub title: String,
    pub person: Option<NewPerson>,
    pub links: Vec<String>,
    pub categories: Vec<(String, String)>,
    pub templates: Vec<String>,
    pub search: Vec<StagedRow>,
    /// What the index keeps of each search row's body (empty: worked out when written).
    pub indexed: Vec<IndexedBody>,
}

/// A search row, owned.
#[derive(Debug, Default)]
pub(crate) struct StagedRow {
    pub position: usize,
    pub section_title: String,
    pub body: String,
    pub section_id: String,
    pub anchor: String,
}

impl StagedIndex {
    /// Writes staged pages: people and their facts, links, categories and templates sorted for
    /// locality, then the search rows in rowid order.
    pub(crate) fn write_all(
        conn: &Connection,
        staged: &std::collections::BTreeMap<i64, StagedIndex>,
    ) -> Result<(), store::StoreError> {
        let people: Vec<PagePerson<'_>> = staged
            .values()
            .map(|s| PagePerson {
                page_id: s.page_id,
                person: s.person.as_ref(),
                fresh: s.fresh,
            })
            .collect();
        super::facts::write_many(conn, &people)?; // people, facts, timeline (issue 6)
        if people.iter().any(|p| p.person.is_some()) {
            super::mentions::names_changed(conn)?; // people's names (issue 13)
        }
        let pages: Vec<links::PageTargets<'_>> = staged
            .values()
            .map(|s| links::PageTargets {
                page_id: s.page_id,
                fresh: s.fresh,
                links: &s.links,
                categories: &s.categories,
                templates: &s.templates,
            })
            .collect();
        links::replace_many(conn, &pages)?;
        let rows: Vec<Vec<SearchRow<'_>>> = staged
            .values()
            .map(|s| {
                s.search
                    .iter()
                    .map(|r| SearchRow {
                        position: r.position,
                        section_title: &r.section_title,
                        body: &r.body,
                        section_id: &r.section_id,
                        anchor: &r.anchor,
                    })
                    .collect()
            })
            .collect();
        let pages: Vec<fts::PageRows<'_>> = staged
            .values()
            .zip(&rows)
            .map(|(s, rows)| fts::PageRows {
                page_id: s.page_id,
                fresh: s.fresh,
                page_title: &s.title,
                rows,
                bodies: &s.indexed,
            })
            .collect();
        fts::replace_pages(conn, &pages)?;
        Ok(())
    }
}

/// [`save_in`], choosing when the search rows are written, with the analysis of
/// `request.markup` if it was worked out already (used when that markup is the text saved).
pub(crate) fn save_in_with(
    tx: &Connection,
    request: &SaveRequest,
    indexing: Indexing<'_>,
    analysed: Option<&Analysis>,
) -> Result<SaveOutcome, WikiError> {
    save_in_flagged(tx, request, EditFlags::default(), indexing, analysed)
}

/// [`save_in_with`], the new revision marked with `flags`.
fn save_in_flagged(
    tx: &Connection,
    request: &SaveRequest,
    flags: EditFlags,
    indexing: Indexing<'_>,
    mut analysed: Option<&Analysis>,
) -> Result<SaveOutcome, WikiError> {
    let title = request.title.as_str();
    let author = request.author_id;
    let summary = request.summary.as_str();
    let cleaned = super::clean::markup(&request.markup);
    if let Cow::Owned(text) = &cleaned {
        // The analysis (of an import) was of the text before it was cleaned.
        check_size(text.len())?;
        analysed = None;
    }
    let markup = &*cleaned;
    let Some(page) = live_page(tx, title)? else {
        if request.section.is_some() || request.base_revision.is_some() {
            return Err(no_live_page(tx, title));
        }
        // A new page. A title whose page was deleted starts a fresh history with fresh section
        // ids: the deleted page is in the archive under another key (issue 18).
        let page = match pages::by_title(tx, title)? {
            Some(page) => {
                moderation::ensure_may_edit(tx, &page, author)?; // protection (issue 7)
                page
            }
            None => {
                request.title.check_new()?;
                pages::create(tx, title)?
            }
        };
        return commit_text(
            tx,
            indexing,
            &page,
            NewText::new(markup, analysed),
            &[],
            &[],
            author,
            summary,
            flags,
            true,
            false,
        );
    };
    moderation::ensure_may_edit(tx, &page, author)?; // protection (issue 7)
    let latest = page.latest_revision.unwrap_or_default();
    let Some(base) = request.base_revision else {
        let current = match &request.section {
            None => revisions::text(tx, latest)?,
            Some(key) => {
                let rows = revisions::sections(tx, latest)?;
                sections::resolve(&rows, key)
                    .map(|p| sections::span_text(&rows, sections::span(&rows, p)))
                    .unwrap_or_default()
            }
        };
        return Err(conflict(latest, current, markup));
    };
    own_revision(tx, &page, base)?;
    // A base the author may not read would let them guess its text (issue 18).
    moderation::ensure_may_read(tx, base, author)?;
    let latest_rows = revisions::sections(tx, latest)?;
    let base_rows = if base == latest {
        latest_rows.clone()
    } else {
        revisions::sections(tx, base)?
    };
    match &request.section {
        None if base == latest => {
            let reference = old_sections(&latest_rows);
            commit_text(
                tx,
                indexing,
                &page,
                NewText::new(markup, analysed),
                &reference,
                &[],
                author,
                summary,
                flags,
                false,
                false,
            )
        }
        None => {
            let merged = merge_page(&base_rows, &latest_rows, markup)
                .ok_or_else(|| conflict(latest, sections::full_text(&latest_rows), markup))?;
            let reference = old_sections(&merged.1);
            commit_text(
                tx,
                indexing,
                &page,
                NewText::new(&merged.0, None),
                &reference,
                &[],
                author,
                summary,
                flags,
                false,
                true,
            )
        }
        Some(key) => {
            let position =
                sections::resolve(&base_rows, key).ok_or_else(|| WikiError::SectionMissing {
                    title: title.to_owned(),
                    key: key.to_string(),
                })?;
            let id = base_rows[position].section_id;
            let base_span = sections::span_text(&base_rows, sections::span(&base_rows, position));
            let Some(now) = latest_rows.iter().position(|r| r.section_id == id) else {
                // The section is gone from the latest revision.
                return Err(conflict(latest, String::new(), markup));
            };
            let (start, end) = sections::span(&latest_rows, now);
            let latest_span = sections::span_text(&latest_rows, (start, end));
            if latest_span != base_span {
                return Err(conflict(latest, latest_span, markup));
            }
            let mut text = sections::span_text(&latest_rows, (0, start));
            let splice_start = text.len();
            text.push_str(markup);
            if end < latest_rows.len() && !markup.is_empty() && !markup.ends_with('\n') {
                text.push('\n');
            }
            let splice_end = text.len();
            text.push_str(&sections::span_text(&latest_rows, (end, latest_rows.len())));
            check_size(text.len())?;
            let outline = markup::outline(&text);
            let heir = if now == 0 {
                Some(0)
            } else {
                outline
                    .sections
                    .iter()
                    .skip(1)
                    .position(|s| s.byte_start >= splice_start && s.byte_start < splice_end)
                    .map(|i| i + 1)
            };
            let forced: Vec<(usize, i64)> = heir.map(|i| (i, id)).into_iter().collect();
            let reference = old_sections(&latest_rows);
            // Landed on top of newer revisions (which changed other sections): merged.
            let merged = base != latest;
            commit_text(
                tx,
                indexing,
                &page,
                NewText::new(&text, None),
                &reference,
                &forced,
                author,
                summary,
                flags,
                false,
                merged,
            )
        }
    }
}

fn conflict(latest: i64, current_markup: String, your_markup: &str) -> WikiError {
    WikiError::Conflict {
        latest_revision: latest,
        current_markup,
        your_markup: your_markup.to_owned(),
    }
}

/// The reference sections for identity matching, from stored rows.
fn old_sections(rows: &[StoredSection]) -> Vec<Owned> {
    rows.iter()
        .map(|r| Owned {
            id: r.section_id,
            sha256: r.sha256,
            level: r.level,
            title: r.title.clone(),
            text: r.text.clone(),
            lead: r.position == 0,
        })
        .collect()
}

/// An owned reference section (identity works on borrowed ones).
#[derive(Debug, Clone)]
pub(crate) struct Owned {
    id: i64,
    sha256: [u8; 32],
    level: u8,
    title: String,
    text: String,
    lead: bool,
}

/// Chunks of `text` cut at the outline's section starts, with their level, title and hash
/// (`hashes`, one per section, or computed here when `None`).
fn chunks<'t>(
    text: &'t str,
    outline: &'t Outline,
    hashes: Option<&[[u8; 32]]>,
) -> Vec<NewChunk<'t>> {
    let starts: Vec<usize> = outline.sections.iter().map(|s| s.byte_start).collect();
    analysis::chunk_texts(text, &starts)
        .into_iter()
        .zip(&outline.sections)
        .enumerate()
        .map(|(i, (chunk, s))| NewChunk {
            sha256: hashes
                .and_then(|h| h.get(i).copied())
                .unwrap_or_else(|| sha256(chunk)),
            level: s.level,
            title: &s.title,
            text: chunk,
        })
        .collect()
}

/// Three-way merge of `mine` (a whole text based on `base`) with `latest`: the merged text and
/// the sections to take ids from.
fn merge_page(
    base: &[StoredSection],
    latest: &[StoredSection],
    mine: &str,
) -> Option<(String, Vec<StoredSection>)> {
    let outline = markup::outline(mine);
    let new = chunks(mine, &outline, None);
    let reference = old_sections(base);
    let borrowed = borrow(&reference);
    let ids = identity::assign(&new, &borrowed, &[]);
    let mine_units: Vec<merge::Unit<'_>> =
        new.iter().zip(&ids).map(|(c, id)| (*id, c.text)).collect();
    let merged = merge::merge(&units(base), &units(latest), &mine_units)?;
    let text = merge::join(&merged);
    let reference = merged
        .iter()
        .enumerate()
        .filter_map(|(position, (id, chunk))| {
            let id = (*id)?;
            let from = latest.iter().chain(base).find(|r| r.section_id == id)?;
            Some(StoredSection {
                position,
                section_id: id,
                sha256: sha256(chunk),
                level: from.level,
                title: from.title.clone(),
                text: (*chunk).to_owned(),
                changed: false,
            })
        })
        .collect();
    Some((text, reference))
}

fn units(rows: &[StoredSection]) -> Vec<merge::Unit<'_>> {
    rows.iter()
        .map(|r| (Some(r.section_id), r.text.as_str()))
        .collect()
}

fn borrow(reference: &[Owned]) -> Vec<OldSection<'_>> {
    reference
        .iter()
        .map(|o| OldSection {
            id: o.id,
            sha256: o.sha256,
            level: o.level,
            title: &o.title,
            text: &o.text,
            lead: o.lead,
        })
        .collect()
}

/// A text to save, with its analysis when it was worked out already (an import does that on
/// another thread).
#[derive(Debug, Clone, Copy)]
struct NewText<'a> {
    text: &'a str,
    analysed: Option<&'a Analysis>,
}

impl<'a> NewText<'a> {
    fn new(text: &'a str, analysed: Option<&'a Analysis>) -> Self {
        Self { text, analysed }
    }
}

/// Saves `text` as the page's new latest revision (unless it equals the latest), with section
/// ids matched against `reference`, and updates links and the search index.
#[expect(
    clippy::too_many_arguments,
    reason = "an internal step with one caller per kind of save"
)]
fn commit_text(
    tx: &Connection,
    indexing: Indexing<'_>,
    page: &PageRow,
    new_text: NewText<'_>,
    reference: &[Owned],
    forced: &[(usize, i64)],
    author_id: i64,
    summary: &str,
    flags: EditFlags,
    created: bool,
    merged: bool,
) -> Result<SaveOutcome, WikiError> {
    let text = new_text.text;
    check_size(text.len())?;
    let text_sha256 = new_text.analysed.map_or_else(|| sha256(text), |a| a.sha256);
    if let (false, Some(latest)) = (page.deleted, page.latest_revision) {
        if revisions::text_sha256(tx, latest)? == Some(text_sha256) {
            changes::nothing_shown();
            let rows = revisions::sections(tx, latest)?;
            return Ok(SaveOutcome::Unchanged {
                title: page.title.clone(),
                revision: latest,
                sections: sections::entries(text, &rows),
            });
        }
    }
    let analysed_here;
    let analysis = match new_text.analysed {
        Some(analysis) => analysis,
        None => {
            analysed_here = Analysis::of(text, &page.title);
            &analysed_here
        }
    };
    let outline = &analysis.outline;
    if outline.sections.len() > MAX_SECTIONS {
        return Err(WikiError::TooManySections(outline.sections.len()));
    }
    let new = chunks(text, outline, Some(&analysis.chunk_sha256));
    let ids = identity::assign(&new, &borrow(reference), forced);
    let ids = ids
        .into_iter()
        .map(|id| match id {
            Some(id) => Ok(id),
            None => revisions::allocate_section(tx, page.id),
        })
        .collect::<Result<Vec<i64>, _>>()?;
    let new_sections: Vec<NewSection<'_>> = new
        .iter()
        .zip(&ids)
        .map(|(chunk, &section_id)| NewSection {
            section_id,
            level: chunk.level,
            title: chunk.title,
            text: chunk.text,
            sha256: chunk.sha256,
        })
        .collect();
    let timestamp = now_timestamp();
    let revision = revisions::insert(
        tx,
        &NewRevision {
            page_id: page.id,
            parent_id: page.latest_revision,
            author_id,
            timestamp: &timestamp,
            summary,
            sections: &new_sections,
            sha256: text_sha256,
            origin: revisions::Origin::Here,
            // A page's first revision is never minor, as in MediaWiki.
            minor: flags.minor && !created,
        },
    )?;
    let entries = SectionEntry::list(outline.sections.clone(), &ids);
    let index = PageIndex {
        targets: &analysis.targets,
        person: analysis.person.as_ref(),
        bodies: &analysis.bodies,
        indexed: &analysis.indexed,
        infos: &outline.sections,
        entries: &entries,
        text,
        cites: &analysis.cites,
        default_sort: analysis.default_sort.as_deref(),
        fresh: page.deleted || page.latest_revision.is_none(),
        old_redirect: page.redirect_to.as_deref(),
    };
    let now = matches!(indexing, Indexing::Now);
    let (redirect, retargeted) = index_page(tx, indexing, page.id, &page.title, &index)?;
    pages::set_latest(tx, page.id, revision, redirect.as_deref())?;
    let appeared = page.deleted || page.latest_revision.is_none();
    note_changes(tx, &page.title, appeared, retargeted.as_ref())?;
    if now {
        // Templates are pages (issue 14): what this page transcludes, and a refresh of the
        // pages that transclude it.
        if redirect.is_none() {
            super::templates::index(tx, page.id, &page.title, text, true)?;
        }
        super::templates::on_save(tx, &page.title)?;
    }
    Ok(SaveOutcome::Saved {
        title: page.title.clone(),
        revision,
        created,
        merged,
        sections: entries,
    })
}

/// Notes, for the caches, which pages a new revision of `title` changed: the page itself, the
/// pages whose view shows it (those linking to it when it `appeared`, and those using it as a
/// template), and the targets and categories whose "what links here" and member lists gained
/// or lost it. Without `retargeted` (links written later, by an import's batch) anything may
/// have changed.
fn note_changes(
    tx: &Connection,
    title: &str,
    appeared: bool,
    retargeted: Option<&links::Retargeted>,
) -> Result<(), WikiError> {
    let Some(retargeted) = retargeted else {
        changes::anything();
        return Ok(());
    };
    let parsed = Title::new(title).ok();
    let template = parsed
        .as_ref()
        .filter(|t| t.namespace() == Namespace::Template)
        .map(Title::text);
    let mut touched = vec![title.to_owned()];
    if appeared || template.is_some() {
        touched.extend(links::dependents(tx, title, template)?);
    } else {
        touched.extend(crate::store::transclusions::users_by_title(
            tx, title, 1_000_000, None,
        )?);
    }
    touched.extend(retargeted.links.iter().cloned());
    touched.extend(
        retargeted
            .categories
            .iter()
            .filter_map(|name| Title::new(&format!("Category:{name}")).ok())
            .map(|category| category.as_str().to_owned()),
    );
    changes::pages(touched);
    Ok(())
}

/// What a page's links, categories, templates, search rows and person are made from.
struct PageIndex<'a> {
    /// What the latest text points at.
    targets: &'a Targets,
    /// The person the latest text describes, if any.
    person: Option<&'a NewPerson>,
    /// The search text of each section (empty for a redirect).
    bodies: &'a [String],
    /// What the index keeps of each of `bodies`, if worked out already (else empty).
    indexed: &'a [IndexedBody],
    /// The sections.
    infos: &'a [SectionInfo],
    /// The sections with their ids.
    entries: &'a [SectionEntry],
    /// The latest text.
    text: &'a str,
    /// Its `<ref>`s that may cite a stored source.
    cites: &'a [crate::bio::cites::Candidate],
    /// Its `{{DEFAULTSORT:…}}` key, if it has one.
    default_sort: Option<&'a str>,
    /// Whether the page had no text before (new, or deleted: it has no citations stored).
    fresh: bool,
    /// Where the page redirected before this text (a change renames a person: mentions).
    old_redirect: Option<&'a str>,
}

/// Rewrites a page's links, categories, templates, search rows and person from its latest text.
/// Returns the normalised redirect target, if the page is a redirect, and what its links
/// changed (unknown when they are staged for the caller to write).
fn index_page(
    tx: &Connection,
    indexing: Indexing<'_>,
    page_id: i64,
    title: &str,
    index: &PageIndex<'_>,
) -> Result<(Option<String>, Option<links::Retargeted>), WikiError> {
    let targets = index.targets;
    // A category link without a key sorts by the page's `{{DEFAULTSORT:…}}`, else its title.
    let categories = targets.categories_sorted_as(index.default_sort.unwrap_or(title));
    let redirect = targets.redirect.clone();
    // Mentions (issue 13): before the person is written, which it compares with.
    super::mentions::on_index(
        tx,
        &super::mentions::Indexed {
            page_id,
            title,
            text: index.text,
            person: index.person,
            redirect: redirect.as_deref(),
            old_redirect: index.old_redirect,
            staged: matches!(indexing, Indexing::Staged(_)),
        },
    )?;
    // Citations of stored sources (issue 13): written here on both paths, as few pages have any.
    let cites = if redirect.is_some() {
        &[][..]
    } else {
        index.cites
    };
    let page = super::citations::PageCites {
        page_id,
        text: index.text,
        infos: index.infos,
        candidates: cites,
        fresh: index.fresh,
    };
    match indexing {
        // A new page citing nothing has nothing to write (most pages of an import).
        _ if index.fresh && cites.is_empty() => {}
        // A batch's caches start over anyway.
        Indexing::Staged(_) => super::citations::bind(tx, page)?,
        Indexing::Now => super::citations::bind_noted(tx, page)?,
    }
    // Quotations citing this page, when it is a source whose text changed (issue 13).
    if redirect.is_none() {
        super::quote_checks::on_source_text(tx, page_id, title, index.text)?;
    }
    if let Indexing::Staged(slot) = indexing {
        let search = index
            .infos
            .iter()
            .zip(index.bodies)
            .zip(index.entries)
            .map(|((info, body), entry)| StagedRow {
                position: info.index,
                section_title: info.title.clone(),
                body: body.clone(),
                section_id: entry.id.clone(),
                anchor: info.anchor.clone(),
            })
            .collect();
        *slot.borrow_mut() = Some(StagedIndex {
            page_id,
            fresh: index.fresh,
            title: title.to_owned(),
            person: index.person.cloned(),
            links: targets.links.clone(),
            categories,
            templates: targets.templates.clone(),
            search,
            indexed: index.indexed.to_vec(),
        });
        return Ok((redirect, None));
    }
    super::facts::write(tx, page_id, index.person)?; // people, facts, timeline (issue 6)
    let retargeted = links::replace(tx, page_id, &targets.links, &categories, &targets.templates)?;
    if redirect.is_some() {
        fts::delete_page(tx, page_id)?;
        return Ok((redirect, Some(retargeted)));
    }
    let rows: Vec<SearchRow<'_>> = index
        .infos
        .iter()
        .zip(index.bodies)
        .zip(index.entries)
        .map(|((info, body), entry)| SearchRow {
            position: info.index,
            section_title: &info.title,
            body,
            section_id: &entry.id,
            anchor: &info.anchor,
        })
        .collect();
    fts::update_page(tx, page_id, title, &rows)?;
    Ok((None, Some(retargeted)))
}

/// Rewrites a page's search rows from the chunks of `revision` (its latest): all of them, even
/// those whose text has not changed (a job that repairs the index). A redirect has none.
pub(crate) fn rewrite_search_rows(
    tx: &Connection,
    page_id: i64,
    title: &str,
    revision: i64,
    redirect: bool,
) -> Result<(), WikiError> {
    fts::delete_page(tx, page_id)?;
    if redirect {
        return Ok(());
    }
    let rows = revisions::sections(tx, revision)?;
    let text = sections::full_text(&rows);
    let entries = sections::entries(&text, &rows);
    let chunks: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    let bodies = analysis::search_bodies(title, &chunks);
    let search: Vec<SearchRow<'_>> = entries
        .iter()
        .zip(&bodies)
        .map(|(entry, body)| SearchRow {
            position: entry.info.index,
            section_title: &entry.info.title,
            body,
            section_id: &entry.id,
            anchor: &entry.info.anchor,
        })
        .collect();
    fts::update_page(tx, page_id, title, &search)?;
    Ok(())
}

/// Re-indexes a live page from its latest revision, with its redirect target (the namespace
/// backfill). Returns whether there was something to index (a deleted page has nothing).
pub(crate) fn reindex_live(tx: &Connection, page: &PageRow) -> Result<bool, WikiError> {
    let Some(latest) = page.latest_revision.filter(|_| !page.deleted) else {
        return Ok(false);
    };
    let redirect = reindex(tx, page, latest)?;
    pages::set_latest(tx, page.id, latest, redirect.as_deref())?;
    Ok(true)
}

/// Re-indexes a page from its stored latest revision (after a move or an undelete).
fn reindex(tx: &Connection, page: &PageRow, revision: i64) -> Result<Option<String>, WikiError> {
    let rows = revisions::sections(tx, revision)?;
    let text = sections::full_text(&rows);
    let entries = sections::entries(&text, &rows);
    let infos: Vec<SectionInfo> = entries.iter().map(|e| e.info.clone()).collect();
    let targets = Targets::from_links(&markup::links(&text));
    let bodies = if targets.redirect.is_some() {
        Vec::new()
    } else {
        let chunks: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
        analysis::search_bodies(&page.title, &chunks)
    };
    let default_sort = super::facts::default_sort(&text);
    let person = super::facts::person_sorted_as(&text, None, &page.title, default_sort.as_deref());
    let cites = crate::bio::cites::candidates(&text);
    let index = PageIndex {
        targets: &targets,
        person: person.as_ref(),
        bodies: &bodies,
        indexed: &[],
        infos: &infos,
        entries: &entries,
        text: &text,
        cites: &cites,
        default_sort: default_sort.as_deref(),
        fresh: false,
        old_redirect: page.redirect_to.as_deref(),
    };
    // A move or an undelete changes more than this page (the title left behind, the pages
    // linking to either): caches start over, and people's names may have changed (a title, a
    // redirect): the mentions automaton is rebuilt and every source rescanned.
    changes::anything();
    super::mentions::names_changed(tx)?;
    Ok(index_page(tx, Indexing::Now, page.id, &page.title, &index)?.0)
}

/// Makes `to_revision`'s text the page's latest again, as a new revision (sections that come
/// back get their old ids back). `summary` defaults to "Reverted to revision N".
pub async fn revert(
    db: &Db,
    title: &Title,
    to_revision: i64,
    author_id: i64,
    summary: &str,
) -> Result<SaveOutcome, WikiError> {
    let title = title.clone();
    let summary = if summary.trim().is_empty() {
        format!("Reverted to revision {to_revision}")
    } else {
        summary.to_owned()
    };
    db.write_grouped(move |conn| {
        Ok((|| {
            check_summary(&summary)?;
            let tx = store::begin_write(conn)?;
            let page =
                live_page(&tx, title.as_str())?.ok_or_else(|| no_live_page(&tx, title.as_str()))?;
            own_revision(&tx, &page, to_revision)?;
            moderation::ensure_may_edit(&tx, &page, author_id)?; // protection (issue 7)
            moderation::ensure_not_hidden(&tx, to_revision)?; // hidden revisions (issue 7)
            let latest = page.latest_revision.unwrap_or_default();
            let target = revisions::sections(&tx, to_revision)?;
            let mut reference = revisions::sections(&tx, latest)?;
            let known: std::collections::HashSet<i64> =
                reference.iter().map(|r| r.section_id).collect();
            reference.extend(
                target
                    .iter()
                    .filter(|r| !known.contains(&r.section_id) && r.position > 0)
                    .cloned(),
            );
            let text = sections::full_text(&target);
            let outcome = commit_text(
                &tx,
                Indexing::Now,
                &page,
                NewText::new(&text, None),
                &old_sections(&reference),
                &[],
                author_id,
                &summary,
                EditFlags::default(),
                false,
                false,
            )?;
            tx.commit()?;
            Ok(outcome)
        })())
    })
    .await?
}

/// What a move did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveOutcome {
    /// The moved page's new latest revision (a copy of its text noting the move).
    pub revision: i64,
    /// The revision of the redirect left at the old title.
    pub redirect_revision: i64,
}

/// Renames a page (with its history and section ids) and leaves `#REDIRECT [[to]]` at the old
/// title. The new title must be free.
pub async fn move_page(
    db: &Db,
    from: &Title,
    to: &Title,
    author_id: i64,
    summary: &str,
) -> Result<MoveOutcome, WikiError> {
    let (from, to, summary) = (from.clone(), to.clone(), summary.to_owned());
    db.write_grouped(move |conn| {
        Ok((|| {
            check_summary(&summary)?;
            if from == to {
                return Err(WikiError::Invalid(
                    "a page cannot be moved onto itself".into(),
                ));
            }
            let tx = store::begin_write(conn)?;
            let page =
                live_page(&tx, from.as_str())?.ok_or_else(|| no_live_page(&tx, from.as_str()))?;
            moderation::ensure_may_edit(&tx, &page, author_id)?; // protection (issue 7)
            to.check_new()?;
            if pages::by_title(&tx, to.as_str())?.is_some() {
                return Err(WikiError::TitleTaken(to.to_string()));
            }
            pages::rename(&tx, page.id, to.as_str())?;
            let note = if summary.trim().is_empty() {
                format!("Moved [[{from}]] to [[{to}]]")
            } else {
                format!("Moved [[{from}]] to [[{to}]]: {summary}")
            };
            let latest = page.latest_revision.unwrap_or_default();
            let timestamp = now_timestamp();
            let revision = revisions::insert_copy(&tx, latest, author_id, &timestamp, &note)?;
            let moved = PageRow {
                title: to.to_string(),
                latest_revision: Some(revision),
                ..page
            };
            let redirect = reindex(&tx, &moved, revision)?;
            pages::set_latest(&tx, moved.id, revision, redirect.as_deref())?;
            let stub = pages::create(&tx, from.as_str())?;
            let text = format!("#REDIRECT [[{to}]]\n");
            let outcome = commit_text(
                &tx,
                Indexing::Now,
                &stub,
                NewText::new(&text, None),
                &[],
                &[],
                author_id,
                &note,
                EditFlags::default(),
                true,
                false,
            )?;
            tx.commit()?;
            Ok(MoveOutcome {
                revision,
                redirect_revision: outcome.revision(),
            })
        })())
    })
    .await?
}

/// Deletes a page: it moves to the archive, so its title reads as deleted (and is free for a
/// new page with a fresh history); it leaves links, categories, facts and search, and its
/// revisions are shown to admins only. Logged in the audit log with who did it and why.
pub async fn delete_page(
    db: &Db,
    title: &Title,
    actor_id: i64,
    reason: &str,
) -> Result<(), WikiError> {
    delete_page_with(db, title, actor_id, reason, false).await
}

/// [`delete_page`], keeping the reason to admins when `reason_private` (the deleted title still
/// says publicly that the page was deleted, and when).
pub async fn delete_page_with(
    db: &Db,
    title: &Title,
    actor_id: i64,
    reason: &str,
    reason_private: bool,
) -> Result<(), WikiError> {
    let note = reason.trim().to_owned();
    logged_change(db, title, actor_id, reason, DELETED, move |tx, title| {
        let page =
            live_page(tx, title.as_str())?.ok_or_else(|| no_live_page(tx, title.as_str()))?;
        archive::archive(
            tx,
            page.id,
            &page.title,
            actor_id,
            &now_timestamp(),
            &note,
            reason_private,
        )?;
        links::clear(tx, page.id)?;
        super::mentions::forget(tx, page.id)?; // mentions (issue 13), before the facts go
        super::facts::forget(tx, page.id)?; // people, facts, timeline (issue 6)
        store::citations::clear(tx, page.id)?; // citations of sources (issue 13)
        fts::delete_page(tx, page.id)?;
        Ok(page.title)
    })
    .await
}

/// Brings back every deleted page that had `title`, and logs who did it and why. As in
/// MediaWiki, histories merge in revision order: when a page has the title again, the deleted
/// revisions join its history (its text stays as it is); otherwise the deleted page with the
/// newest history comes back at its latest revision and older ones join it.
pub async fn undelete_page(
    db: &Db,
    title: &Title,
    actor_id: i64,
    reason: &str,
) -> Result<(), WikiError> {
    logged_change(db, title, actor_id, reason, UNDELETED, |tx, title| {
        let archived = archive::archived(tx, title.as_str())?;
        let Some((newest, older)) = archived.split_first() else {
            return Err(WikiError::Invalid(format!(
                "there is no deleted page called {title}"
            )));
        };
        let (into, merged) = match live_page(tx, title.as_str())? {
            Some(page) => (page.id, archived.as_slice()),
            None => {
                if pages::by_title(tx, title.as_str())?.is_some() {
                    return Err(WikiError::TitleTaken(title.to_string()));
                }
                archive::restore(tx, newest.page_id, title.as_str())?;
                let page = pages::by_id(tx, newest.page_id)?
                    .ok_or_else(|| WikiError::PageMissing(title.to_string()))?;
                let latest = page
                    .latest_revision
                    .ok_or_else(|| WikiError::PageMissing(title.to_string()))?;
                let redirect = reindex(tx, &page, latest)?;
                pages::set_latest(tx, page.id, latest, redirect.as_deref())?;
                (page.id, older)
            }
        };
        for page in merged {
            archive::merge_into(tx, page.page_id, into)?;
        }
        Ok(title.to_string())
    })
    .await
}

/// Checks `reason`, runs `change` on `title` in one write transaction, and records `event` in
/// the audit log (against the page title `change` returns) in the same transaction.
async fn logged_change(
    db: &Db,
    title: &Title,
    actor_id: i64,
    reason: &str,
    event: &'static str,
    change: impl FnOnce(&Connection, &Title) -> Result<String, WikiError> + Send + 'static,
) -> Result<(), WikiError> {
    moderation::check_reason(reason)?;
    let (title, reason) = (title.clone(), reason.trim().to_owned());
    db.write_grouped(move |conn| {
        Ok((|| {
            let tx = store::begin_write(conn)?;
            let page_title = change(&tx, &title)?;
            accounts::log_event(&tx, Some(actor_id), event, &page_title, &reason)?;
            tx.commit()?;
            Ok(())
        })())
    })
    .await?
}

/// What a deleted title tells its readers: when the page was last deleted and why (`None`
/// for the reason when it is kept to admins and `see_private` is false, or none was given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionNotice {
    /// When (RFC 3339).
    pub at: String,
    /// Why, when the reader may see it and one was given.
    pub reason: Option<String>,
    /// Whether a reason exists that is kept to admins.
    pub reason_private: bool,
}

/// The notice of the latest deletion of `title`, if no live page has that title and a deleted
/// one had it.
pub async fn deletion_notice(
    db: &Db,
    title: &Title,
    see_private: bool,
) -> Result<Option<DeletionNotice>, WikiError> {
    let title = title.clone();
    db.read(move |conn| {
        Ok((|| {
            if live_page(conn, title.as_str())?.is_some() {
                return Ok(None);
            }
            let copies = archive::archived(conn, title.as_str())?;
            let Some(latest) = copies
                .into_iter()
                .max_by(|a, b| a.deleted.at.cmp(&b.deleted.at))
            else {
                return Ok(None);
            };
            let given = !latest.deleted.reason.trim().is_empty();
            let shown = given && (see_private || !latest.reason_private);
            Ok(Some(DeletionNotice {
                at: latest.deleted.at,
                reason: shown.then_some(latest.deleted.reason),
                reason_private: given && latest.reason_private,
            }))
        })())
    })
    .await?
}

/// Whether `title` names a page that was deleted and has not come back (its history is in the
/// archive; admins can undelete it).
pub async fn is_deleted(db: &Db, title: &Title) -> Result<bool, WikiError> {
    let title = title.clone();
    db.read(move |conn| {
        Ok((|| {
            Ok(live_page(conn, title.as_str())?.is_none()
                && archive::is_archived(conn, title.as_str())?)
        })())
    })
    .await?
}

/// Who wrote a revision imported from a dump, when and why (issue 19).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImportStamp<'a> {
    /// Their account here, else the system account.
    pub author_id: i64,
    /// Their name as the dump gives it, when they have no account here.
    pub author_name: Option<&'a str>,
    /// The dump's time (RFC 3339, UTC).
    pub timestamp: &'a str,
    /// The dump's edit summary.
    pub summary: &'a str,
    /// The dump's `<minor/>`.
    pub minor: bool,
}

/// The sections of a page's latest revision during an import: what the next imported revision's
/// sections are matched against, as an edit's are against the revision it replaces.
#[derive(Debug, Default)]
pub(crate) struct ImportReference {
    sections: Vec<Owned>,
    ids: Vec<i64>,
    /// Their chunks, so that the next revision's unchanged sections need no lookup.
    chunks: revisions::SectionChunks,
}

impl ImportReference {
    /// The sections of stored revision `revision` (a page that existed before the import).
    pub(crate) fn of_revision(tx: &Connection, revision: i64) -> Result<Self, WikiError> {
        let rows = revisions::sections(tx, revision)?;
        Ok(Self {
            ids: rows.iter().map(|r| r.section_id).collect(),
            sections: old_sections(&rows),
            chunks: revisions::SectionChunks::of_revision(tx, revision)?,
        })
    }

    /// The section ids of the revision, in order.
    pub(crate) fn ids(&self) -> &[i64] {
        &self.ids
    }

    /// The revision's whole text.
    pub(crate) fn text(&self) -> String {
        self.sections.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Stores `text` (its outline and chunk hashes worked out by the import's reader) as a new
/// imported revision of page `page_id` after `parent`, its section ids matched against
/// `reference`, which becomes this revision's sections. The page's row (its latest revision),
/// links, search rows and facts wait for the end of its history (see [`index_imported`]): the
/// import sets the latest revision at the end of each page and of each batch.
#[expect(
    clippy::too_many_arguments,
    reason = "one caller, which has each of these at hand"
)]
pub(crate) fn insert_imported(
    tx: &Connection,
    page_id: i64,
    parent: Option<i64>,
    text: &str,
    outline: &Outline,
    chunk_sha256: &[[u8; 32]],
    text_sha256: [u8; 32],
    stamp: &ImportStamp<'_>,
    reference: &mut ImportReference,
) -> Result<i64, WikiError> {
    check_size(text.len())?;
    if outline.sections.len() > MAX_SECTIONS {
        return Err(WikiError::TooManySections(outline.sections.len()));
    }
    let new = chunks(text, outline, Some(chunk_sha256));
    let ids = identity::assign(&new, &borrow(&reference.sections), &[]);
    let ids = ids
        .into_iter()
        .map(|id| match id {
            Some(id) => Ok(id),
            None => revisions::allocate_section(tx, page_id),
        })
        .collect::<Result<Vec<i64>, _>>()?;
    let new_sections: Vec<NewSection<'_>> = new
        .iter()
        .zip(&ids)
        .map(|(chunk, &section_id)| NewSection {
            section_id,
            level: chunk.level,
            title: chunk.title,
            text: chunk.text,
            sha256: chunk.sha256,
        })
        .collect();
    let (revision, chunks) = revisions::insert_after(
        tx,
        &NewRevision {
            page_id,
            parent_id: parent,
            author_id: stamp.author_id,
            timestamp: stamp.timestamp,
            summary: stamp.summary,
            sections: &new_sections,
            sha256: text_sha256,
            origin: revisions::Origin::Imported {
                author_name: stamp.author_name,
            },
            minor: stamp.minor,
        },
        &reference.chunks,
    )?;
    reference.chunks = chunks;
    reference.sections = new_sections
        .iter()
        .enumerate()
        .map(|(position, s)| Owned {
            id: s.section_id,
            sha256: s.sha256,
            level: s.level,
            title: s.title.to_owned(),
            text: s.text.to_owned(),
            lead: position == 0,
        })
        .collect();
    reference.ids = ids;
    Ok(revision)
}

/// After an import wrote the history of `page` (its row as it was before), indexes its latest
/// revision `revision` (`text`, analysed as `analysis`, with section ids `ids`): links,
/// categories, templates, search rows and facts staged in `slot` for the batch to write, the
/// redirect target set now.
pub(crate) fn index_imported(
    tx: &Connection,
    page: &PageRow,
    revision: i64,
    text: &str,
    analysis: &Analysis,
    ids: &[i64],
    slot: &RefCell<Option<StagedIndex>>,
) -> Result<(), WikiError> {
    let entries = SectionEntry::list(analysis.outline.sections.clone(), ids);
    let index = PageIndex {
        targets: &analysis.targets,
        person: analysis.person.as_ref(),
        bodies: &analysis.bodies,
        indexed: &analysis.indexed,
        infos: &analysis.outline.sections,
        entries: &entries,
        text,
        cites: &analysis.cites,
        default_sort: analysis.default_sort.as_deref(),
        fresh: page.deleted || page.latest_revision.is_none(),
        old_redirect: page.redirect_to.as_deref(),
    };
    let (redirect, _) = index_page(tx, Indexing::Staged(slot), page.id, &page.title, &index)?;
    pages::set_latest(tx, page.id, revision, redirect.as_deref())?;
    changes::anything();
    Ok(())
}
