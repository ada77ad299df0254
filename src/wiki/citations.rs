//! Citations of stored sources: bound when a page is saved (`bio::cites` reads the text, the
//! store knows which titles and URLs are sources), kept in `store::citations`, and read back
//! for a source's **Cited by** and a page's references.

use crate::bio::cites::{self, Candidate, Target};
use crate::bio::kinds::SourceKind;
use crate::doc::{Document, SectionInfo};
use crate::store::citations::{self as store, NewCitation};
use crate::store::{self as storage, Connection, Db, StoreError, pages, sources};

use super::quote_checks::SourceTexts;
use super::sections::public_id;
use super::sources::SourceMeta;
use super::title::Namespace;
use super::{Title, WikiError};

/// The version of the citation reading: raise it when `bio::cites` reads pages differently,
/// and the next start re-reads every page ([`backfill`]).
/// Version 2 checks each quotation against its source's text (`db/0017`).
pub const CITATION_VERSION: i64 = 2;

/// What a `<ref>` of a page's text cites, for binding: a `Source:` title, normalised, or the
/// URL of a `{{cite}}`.
pub(super) fn source_title(written: &str) -> Option<String> {
    let title = Title::new(written.trim_start_matches(':')).ok()?;
    (title.namespace() == Namespace::Source).then(|| title.as_str().to_owned())
}

/// A page's latest text, read for its citations.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PageCites<'a> {
    /// The page.
    pub page_id: i64,
    /// Its latest text.
    pub text: &'a str,
    /// Its sections.
    pub infos: &'a [SectionInfo],
    /// Its `<ref>`s that may cite a stored source (found by the save's analysis).
    pub candidates: &'a [Candidate],
    /// Whether the page had no text before (new, or deleted): it has no citations to clear.
    pub fresh: bool,
}

/// [`bind`], then notes for the caches the source pages whose **Cited by** changed (those the
/// page cited before and those it cites now).
pub(crate) fn bind_noted(tx: &Connection, page: PageCites<'_>) -> Result<(), StoreError> {
    let mut touched = store::cited_titles(tx, page.page_id)?;
    bind(tx, page)?;
    touched.extend(store::cited_titles(tx, page.page_id)?);
    if !touched.is_empty() {
        storage::changes::pages(touched);
    }
    Ok(())
}

/// Rewrites a page's citations from its latest text. Only a
/// page that cites something looks anything up: a title binds as it is written (a source
/// imported or moved later is found through it when read), a URL when a stored source has it.
pub(crate) fn bind(tx: &Connection, page: PageCites<'_>) -> Result<(), StoreError> {
    let PageCites {
        page_id,
        text,
        infos,
        candidates,
        fresh,
    } = page;
    let mut bound = Vec::new();
    let mut ids = Vec::new();
    let mut any_url: Option<bool> = None;
    for candidate in candidates {
        let (target, source_id) = match &candidate.target {
            Target::Page(written) => match source_title(written) {
                Some(title) => (Some(title), None),
                None => continue,
            },
            Target::Url(url) => {
                let any = match any_url {
                    Some(any) => any,
                    None => *any_url.insert(sources::any_url(tx)?),
                };
                match any
                    .then(|| sources::page_by_url(tx, url))
                    .transpose()?
                    .flatten()
                {
                    Some(id) => (None, Some(id)),
                    None => continue,
                }
            }
        };
        bound.push(candidate.clone());
        ids.push((target, source_id));
    }
    if bound.is_empty() {
        // A new page of an import that cites no stored source (most of them) has nothing to
        // delete (issue 13: the writer's cost).
        return if fresh {
            Ok(())
        } else {
            store::clear(tx, page_id)
        };
    }
    let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let starts: Vec<usize> = infos.iter().map(|s| s.byte_start).collect();
    let mut rows = Vec::new();
    let mut texts = SourceTexts::default();
    for (cite, (target, source_id)) in cites::cites(text, &starts, bound).into_iter().zip(ids) {
        let info = infos.get(cite.section).filter(|_| cite.section > 0);
        // The source the quotations are checked against: as the page cites it now.
        let checked = match (&target, source_id) {
            (_, Some(id)) => Some(id),
            (Some(title), None) if !cite.quotations.is_empty() => {
                sources::resolve_title(tx, title)?.map(|(id, _, _)| id)
            }
            _ => None,
        };
        let mut checks = Vec::with_capacity(cite.quotations.len());
        for quotation in &cite.quotations {
            checks.push(match checked {
                Some(id) => texts.check(tx, id, quotation)?,
                None => None,
            });
        }
        let row = |quotation: Option<String>, check| NewCitation {
            section: number(cite.section),
            heading: info.map(|i| i.title.clone()).unwrap_or_default(),
            anchor: info.map(|i| i.anchor.clone()).unwrap_or_default(),
            span: (number(cite.span.0), number(cite.span.1)),
            sentence: cite.sentence.clone(),
            target: target.clone(),
            source_id,
            quotation,
            check,
        };
        if cite.quotations.is_empty() {
            rows.push(row(None, None));
        }
        rows.extend(
            cite.quotations
                .iter()
                .zip(checks)
                .map(|(q, check)| row(Some(q.clone()), check)),
        );
    }
    store::replace(tx, page_id, &rows)
}

/// Reads the citations of every live page's latest revision once, when they come from an older
/// reading (or none: a database from before migration 15). Returns how many pages were read
/// (0 when the rows were up to date).
pub fn backfill(db: &Db) -> Result<usize, WikiError> {
    let read = db.write_blocking(|conn| {
        let tx = storage::begin_write(conn)?;
        if store::version(&tx)? >= CITATION_VERSION {
            return Ok(0);
        }
        let read = super::facts::each_latest_text(&tx, |page, text| {
            rebind(&tx, page.id, text, page.redirect_to.is_some())
        })?;
        store::set_version(&tx, CITATION_VERSION)?;
        tx.commit()?;
        Ok(read)
    })?;
    Ok(read)
}

/// Rewrites a page's citations from its `text` alone (a backfill, a move, an undelete); a
/// redirect cites nothing.
pub(crate) fn rebind(
    tx: &Connection,
    page_id: i64,
    text: &str,
    redirect: bool,
) -> Result<(), StoreError> {
    if redirect {
        return store::clear(tx, page_id);
    }
    let outline = crate::markup::outline(text);
    let candidates = cites::candidates(text);
    bind(
        tx,
        PageCites {
            page_id,
            text,
            infos: &outline.sections,
            candidates: &candidates,
            fresh: false,
        },
    )
}

/// A stored source as a citation shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedSource {
    /// The source page's title (where it is now, a move followed).
    pub title: String,
    /// Its metadata, if it has any.
    pub meta: SourceMeta,
}

impl CitedSource {
    pub(super) fn of(found: sources::FoundSource) -> Self {
        let (_, title, row) = found;
        Self {
            title,
            meta: row.map(SourceMeta::from_row).unwrap_or_default(),
        }
    }

    /// Whether it is weak evidence (an opinion, a blog, a self-published document).
    pub fn is_weak(&self) -> bool {
        self.meta.kind.is_some_and(SourceKind::is_weak)
    }
}

/// The stored source each footnote of `doc` cites (by index), if any: its `source` attribute or
/// `[[Source:…]]` link (a missing page is no source), or its `{{cite}}` URL when a stored source
/// has it.
pub(crate) fn reference_sources(
    conn: &Connection,
    doc: &Document<'_>,
) -> Result<Vec<Option<CitedSource>>, StoreError> {
    let mut any_url: Option<bool> = None;
    let mut out = Vec::with_capacity(doc.refs.len());
    for reference in &doc.refs {
        let found = match cites::target_of(reference) {
            None => None,
            Some(Target::Page(written)) => match source_title(&written) {
                Some(title) => sources::resolve_title(conn, &title)?,
                None => None,
            },
            Some(Target::Url(url)) => {
                let any = match any_url {
                    Some(any) => any,
                    None => *any_url.insert(sources::any_url(conn)?),
                };
                match any
                    .then(|| sources::page_by_url(conn, &url))
                    .transpose()?
                    .flatten()
                {
                    Some(id) => sources::resolve_id(conn, id)?,
                    None => None,
                }
            }
        };
        out.push(found.map(CitedSource::of));
    }
    Ok(out)
}

/// A sentence of a page that cites a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitingSentence {
    /// The citing page.
    pub page: String,
    /// The stable id of its section (`None` when the page no longer has it).
    pub section: Option<String>,
    /// The section's index in the page's latest revision.
    pub section_index: usize,
    /// The section's title (empty for the lead).
    pub heading: String,
    /// The section's anchor (empty for the lead).
    pub anchor: String,
    /// The sentence's bytes in the page's stored text.
    pub span: (usize, usize),
    /// The sentence, plain.
    pub sentence: String,
    /// The quotations it attributes to the source.
    pub quotations: Vec<String>,
}

/// The most citing sentences listed for one source.
pub const MAX_CITED_BY: usize = 500;

/// The sentences citing the source page `title` (by its title, a redirect to it, or its URL),
/// by page title and in order of each page's text, at most [`MAX_CITED_BY`]; empty when there
/// is no such live page.
pub(crate) fn cited_by(conn: &Connection, title: &str) -> Result<Vec<CitingSentence>, StoreError> {
    let Some(page) = pages::by_title(conn, title)?.filter(|p| !p.deleted) else {
        return Ok(Vec::new());
    };
    // One row per quotation: rows of the same sentence become one.
    let rows = store::citing(conn, page.id, &page.title, MAX_CITED_BY * 4)?;
    Ok(group_sentences(rows))
}

fn group_sentences(rows: Vec<store::StoredCitation>) -> Vec<CitingSentence> {
    let mut out: Vec<CitingSentence> = Vec::new();
    for row in rows {
        let c = row.citation;
        let span = (to_usize(c.span.0), to_usize(c.span.1));
        let same = out
            .last()
            .is_some_and(|last| last.page == row.page_title && last.span == span);
        if !same {
            if out.len() == MAX_CITED_BY {
                break;
            }
            out.push(CitingSentence {
                page: row.page_title,
                section: row.section_id.map(public_id),
                section_index: to_usize(c.section),
                heading: c.heading,
                anchor: c.anchor,
                span,
                sentence: c.sentence,
                quotations: Vec::new(),
            });
        }
        if let (Some(last), Some(quotation)) = (out.last_mut(), c.quotation) {
            if !last.quotations.contains(&quotation) {
                last.quotations.push(quotation);
            }
        }
    }
    out
}

fn to_usize(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// The `<ref>` an editor copies to cite the source `title`.
pub fn how_to_cite(title: &str) -> String {
    format!(
        "<ref source=\"{}\">page or quotation</ref>",
        title.replace('"', "&quot;")
    )
}
