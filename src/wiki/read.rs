//! Reading: pages (following redirects), sections with their ids, revisions, history, lists.

use std::collections::HashSet;

use serde::Serialize;

use crate::doc::Document;
use crate::store::{
    Connection, Db, PageRevision, PageRow, RevisionMeta, links as link_store, pages, revisions,
};

use super::moderation::{self, ModerationNote};
use super::save::{live_page, no_live_page, own_revision};
use super::sections::{self, SectionEntry, SectionKey, parse_id, public_id};
use super::title::Namespace;
use super::{Title, TitleError, WikiError};

/// A page ready to show.
#[derive(Debug, Clone)]
pub struct PageView {
    /// The revision shown.
    pub page: PageRevision,
    /// Its parsed markup.
    pub doc: Document<'static>,
    /// The stable ids of its sections, by index.
    pub section_ids: Vec<String>,
    /// The normalised titles of the linked pages that exist.
    pub existing_links: HashSet<String>,
    /// The title asked for, when it was a redirect to this page.
    pub redirected_from: Option<String>,
    /// The stored source each footnote cites (by footnote index), if any.
    pub reference_sources: Vec<Option<super::citations::CitedSource>>,
    /// Whether this is the page's latest revision.
    pub is_latest: bool,
    /// Whether what is shown depends on today's date (`{{#time}}`, `{{CURRENTYEAR}}`, ages):
    /// its rendering is valid for today only.
    pub dated: bool,
    /// Whether the page is protected (only admins edit it).
    pub protected: bool,
    /// When the revision shown is hidden: who hid it, when and why.
    pub hidden: Option<ModerationNote>,
    /// Whether the revision's text and summary were left out (a hidden revision, for a reader
    /// who may not see it): `page.text` and the summary are then empty.
    pub text_hidden: bool,
    /// The stored files the revision shows (figures, infobox portraits; issue 16).
    pub files: Vec<super::files::ShownFile>,
}

impl PageView {
    /// Whether a link target (as written in markup) is an existing page.
    pub fn link_exists(&self, target: &str) -> bool {
        Title::new(target.trim_start_matches(':'))
            .is_ok_and(|t| self.existing_links.contains(t.as_str()))
    }
}

/// A page at `revision` (its latest when `None`), parsed; `None` if there is no such live page
/// (or the revision is not one of its revisions). Reading the latest revision of a redirect page
/// shows its target instead (one hop), with `redirected_from` set; an old revision is shown as is.
/// A hidden revision comes without its text and summary (see [`read_page_for`]).
pub async fn read_page(
    db: &Db,
    title: &Title,
    revision: Option<i64>,
) -> Result<Option<PageView>, WikiError> {
    read_page_for(db, title, revision, false).await
}

/// [`read_page`], with the text and summary of a hidden revision when `see_hidden` (admins).
pub async fn read_page_for(
    db: &Db,
    title: &Title,
    revision: Option<i64>,
    see_hidden: bool,
) -> Result<Option<PageView>, WikiError> {
    let title = title.as_str().to_owned();
    let view = db
        .read(move |conn| Ok(read_blocking(conn, &title, revision, see_hidden)))
        .await??;
    Ok(view)
}

fn read_blocking(
    conn: &Connection,
    title: &str,
    revision: Option<i64>,
    see_hidden: bool,
) -> Result<Option<PageView>, WikiError> {
    let Some(page) = live_page(conn, title)? else {
        return Ok(None);
    };
    let latest = page.latest_revision.unwrap_or_default();
    let (page, revision, redirected_from) = match (revision, &page.redirect_to) {
        (Some(r), _) => {
            if own_revision(conn, &page, r).is_err() {
                return Ok(None);
            }
            (page, r, None)
        }
        (None, Some(target)) => match live_page(conn, target)? {
            Some(target_page) if target_page.id != page.id => {
                let r = target_page.latest_revision.unwrap_or_default();
                (target_page, r, Some(page.title.clone()))
            }
            _ => (page, latest, None),
        },
        (None, None) => (page, latest, None),
    };
    let Some(mut meta) = revisions::meta(conn, revision)? else {
        return Ok(None);
    };
    let protected = moderation::is_protected(conn, page.id)?;
    let hidden = moderation::hidden_note(conn, revision)?;
    let text_hidden = hidden.is_some() && !see_hidden;
    let rows = if text_hidden {
        meta.0.summary.clear();
        Vec::new()
    } else {
        revisions::sections(conn, revision)?
    };
    let text = sections::full_text(&rows);
    // Templates are pages (issue 14): expanded before parsing.
    let expanded = super::templates::expand(conn, &page.title, &text);
    let doc = expanded.document().into_owned();
    // Today's date shows in the expansion (`{{#time}}`, `{{CURRENTYEAR}}`) or in an age the
    // renderer reckons (`{{birth date and age}}`).
    let dated = expanded.used().dated
        || doc
            .links
            .templates
            .iter()
            .any(|name| crate::render::depends_on_today(name));
    let targets: Vec<String> = doc
        .links
        .links
        .iter()
        .filter_map(|t| Title::new(t.trim_start_matches(':')).ok())
        .map(|t| t.as_str().to_owned())
        .collect();
    let existing_links = pages::existing(conn, &targets)?.into_iter().collect();
    let reference_sources = super::citations::reference_sources(conn, &doc)?;
    let files = super::files::shown_files(conn, &text)?;
    Ok(Some(PageView {
        page: PageRevision {
            title: page.title.clone(),
            revision: meta.0,
            text,
        },
        doc,
        section_ids: rows.iter().map(|r| public_id(r.section_id)).collect(),
        existing_links,
        redirected_from,
        reference_sources,
        is_latest: revision == page.latest_revision.unwrap_or_default(),
        dated,
        protected,
        hidden,
        text_hidden,
        files,
    }))
}

/// The live page and the revision to read (its latest when `None`).
pub(crate) fn page_and_revision(
    conn: &Connection,
    title: &str,
    revision: Option<i64>,
) -> Result<(PageRow, i64), WikiError> {
    let page = live_page(conn, title)?.ok_or_else(|| no_live_page(conn, title))?;
    let revision = match revision {
        Some(r) => {
            own_revision(conn, &page, r)?;
            // Sections name and hold the text: none of a hidden revision (issue 7).
            if moderation::hidden_note(conn, r)?.is_some() {
                return Err(WikiError::RevisionHidden(r));
            }
            r
        }
        None => page.latest_revision.unwrap_or_default(),
    };
    Ok((page, revision))
}

/// The sections of a page at `revision` (latest when `None`), with their ids: the revision id and
/// the entries (the shape of the sections API).
pub async fn sections(
    db: &Db,
    title: &Title,
    revision: Option<i64>,
) -> Result<(i64, Vec<SectionEntry>), WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            let (_, revision) = page_and_revision(conn, &title, revision)?;
            let rows = revisions::sections(conn, revision)?;
            let text = sections::full_text(&rows);
            Ok((revision, sections::entries(&text, &rows)))
        })())
    })
    .await?
}

/// One section of a page at a revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionView {
    /// The page's title.
    pub title: String,
    /// The revision read.
    pub revision: i64,
    /// Its outline entry and id.
    pub section: SectionEntry,
    /// Its markup: the span from its heading to the next heading of the same or a higher
    /// level (subsections included), exactly what a section edit replaces.
    pub markup: String,
}

/// One section (by index or id) of a page at `revision` (latest when `None`).
pub async fn section(
    db: &Db,
    title: &Title,
    key: &SectionKey,
    revision: Option<i64>,
) -> Result<SectionView, WikiError> {
    let (title, key) = (title.as_str().to_owned(), key.clone());
    db.read(move |conn| {
        Ok((|| {
            let (page, revision) = page_and_revision(conn, &title, revision)?;
            let rows = revisions::sections(conn, revision)?;
            let missing = || WikiError::SectionMissing {
                title: page.title.clone(),
                key: key.to_string(),
            };
            let position = sections::resolve(&rows, &key).ok_or_else(missing)?;
            let text = sections::full_text(&rows);
            let entry = sections::entries(&text, &rows).swap_remove(position);
            let markup = sections::span_text(&rows, sections::span(&rows, position));
            Ok(SectionView {
                title: page.title,
                revision,
                section: entry,
                markup,
            })
        })())
    })
    .await?
}

/// One revision with its text, whatever page it belongs to. A hidden revision comes without
/// its text and summary (empty; see [`revision_for`]).
pub async fn revision(db: &Db, id: i64) -> Result<PageRevision, WikiError> {
    Ok(revision_for(db, id, false).await?.0)
}

/// Who made revision `id`, when, why and how big, without its text (the summary is empty when
/// the revision is hidden).
pub async fn revision_meta(db: &Db, id: i64) -> Result<RevisionMeta, WikiError> {
    db.read(move |conn| {
        Ok((|| {
            let (mut meta, _) = revisions::meta(conn, id)?.ok_or(WikiError::RevisionMissing(id))?;
            if moderation::hidden_note(conn, id)?.is_some() {
                meta.summary.clear();
            }
            Ok(meta)
        })())
    })
    .await?
}

/// [`revision`], with a hidden revision's text and summary when `see_hidden` (admins), and
/// who hid it, when and why, if it is hidden.
pub async fn revision_for(
    db: &Db,
    id: i64,
    see_hidden: bool,
) -> Result<(PageRevision, Option<ModerationNote>), WikiError> {
    db.read(move |conn| {
        Ok((|| {
            let mut found =
                revisions::page_revision(conn, id)?.ok_or(WikiError::RevisionMissing(id))?;
            let hidden = moderation::hidden_note(conn, id)?;
            if hidden.is_some() && !see_hidden {
                found.text.clear();
                found.revision.summary.clear();
            }
            Ok((found, hidden))
        })())
    })
    .await?
}

/// A line of a history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// The revision.
    pub revision: RevisionMeta,
    /// Its size minus its parent's.
    pub size_delta: i64,
    /// The headings of the sections it changed or added ("" for the lead), in page order.
    pub changed_sections: Vec<String>,
    /// The headings of the sections it removed.
    pub removed_sections: Vec<String>,
    /// Whether the revision is hidden. Unless the reader may see hidden revisions, its
    /// summary and section headings are then left out (empty).
    pub hidden: bool,
}

/// A page's revisions, or those that changed one section (its own text: heading line to the next
/// heading), newest first, older than `before` (a revision id: the cursor). Hidden revisions
/// come without their summary and headings (see [`history_for`]).
pub async fn history(
    db: &Db,
    title: &Title,
    section: Option<SectionKey>,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<HistoryEntry>, WikiError> {
    history_for(db, title, section, limit, before, false).await
}

/// [`history`], with the summaries and headings of hidden revisions when `see_hidden` (admins).
pub async fn history_for(
    db: &Db,
    title: &Title,
    section: Option<SectionKey>,
    limit: usize,
    before: Option<i64>,
    see_hidden: bool,
) -> Result<Vec<HistoryEntry>, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            let (page, latest) = page_and_revision(conn, &title, None)?;
            let metas = match &section {
                None => revisions::history(conn, page.id, limit, before)?,
                Some(key) => {
                    let id = match key {
                        SectionKey::Id(id) => parse_id(id).filter(|&id| {
                            revisions::section_belongs_to(conn, id, page.id).unwrap_or(false)
                        }),
                        SectionKey::Index(_) | SectionKey::Anchor(_) => {
                            let rows = revisions::sections(conn, latest)?;
                            sections::resolve(&rows, key).map(|p| rows[p].section_id)
                        }
                    };
                    let id = id.ok_or_else(|| WikiError::SectionMissing {
                        title: page.title.clone(),
                        key: key.to_string(),
                    })?;
                    revisions::section_history(conn, id, limit, before)?
                }
            };
            // The parents too: what a revision changed or removed is read off its parent.
            let ids: Vec<i64> = metas
                .iter()
                .flat_map(|m| std::iter::once(m.id).chain(m.parent_id))
                .collect();
            let hidden = moderation::hidden_among(conn, &ids)?;
            metas
                .into_iter()
                .map(|meta| {
                    let changed = revisions::changed_sections(conn, meta.id)?;
                    let removed = match meta.parent_id {
                        Some(parent) => {
                            let now: HashSet<i64> =
                                revisions::section_ids(conn, meta.id)?.into_iter().collect();
                            revisions::sections(conn, parent)?
                                .into_iter()
                                .filter(|r| !now.contains(&r.section_id))
                                .map(|r| r.title)
                                .collect()
                        }
                        None => Vec::new(),
                    };
                    let parent_hidden = meta.parent_id.is_some_and(|p| hidden.contains(&p));
                    let mut entry = HistoryEntry {
                        size_delta: meta.size - meta.parent_size,
                        changed_sections: changed.into_iter().map(|(_, t)| t).collect(),
                        removed_sections: removed,
                        hidden: hidden.contains(&meta.id),
                        revision: meta,
                    };
                    if entry.hidden && !see_hidden {
                        redact(&mut entry);
                    } else if parent_hidden && !see_hidden {
                        // Issue 18: the headings a hidden parent added and this revision
                        // removed (or changed) would name what was hidden.
                        entry.changed_sections.clear();
                        entry.removed_sections.clear();
                    }
                    Ok(entry)
                })
                .collect()
        })())
    })
    .await?
}

/// Leaves out what a hidden revision's history line would tell: its summary and the headings
/// it changed or removed.
pub(super) fn redact(entry: &mut HistoryEntry) {
    entry.revision.summary.clear();
    entry.changed_sections.clear();
    entry.removed_sections.clear();
}

/// The newest revisions across live pages, newest first, older than `before`. Hidden
/// revisions come without their summary.
pub async fn recent_changes(
    db: &Db,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<HistoryEntry>, WikiError> {
    let (metas, hidden) = db
        .read(move |conn| {
            Ok((|| {
                let metas = pages::recent_changes(conn, limit, before)?;
                let ids: Vec<i64> = metas.iter().map(|m| m.id).collect();
                let hidden = moderation::hidden_among(conn, &ids)?;
                Ok::<_, WikiError>((metas, hidden))
            })())
        })
        .await??;
    Ok(listed_changes(metas, &hidden))
}

/// Revisions as rows of a list of changes (recent changes, a watchlist): their size change,
/// and redacted when `hidden` holds them.
pub(super) fn listed_changes(
    metas: Vec<crate::store::pages::RevisionMeta>,
    hidden: &std::collections::HashSet<i64>,
) -> Vec<HistoryEntry> {
    metas
        .into_iter()
        .map(|meta| {
            let mut entry = HistoryEntry {
                size_delta: meta.size - meta.parent_size,
                changed_sections: Vec::new(),
                removed_sections: Vec::new(),
                hidden: hidden.contains(&meta.id),
                revision: meta,
            };
            if entry.hidden {
                redact(&mut entry);
            }
            entry
        })
        .collect()
}

/// What the wiki holds, for the default main page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Holdings {
    /// Live pages that are not redirects.
    pub pages: i64,
    /// Biographies among them.
    pub people: i64,
}

/// How many pages and people the wiki holds.
pub async fn holdings(db: &Db) -> Result<Holdings, WikiError> {
    let (pages, people) = db.read(pages::holdings).await?;
    Ok(Holdings { pages, people })
}

pub use crate::store::pages::PageListing;

/// Live pages in title order, after the title `after` (the cursor).
pub async fn all_pages(
    db: &Db,
    limit: usize,
    after: Option<String>,
) -> Result<Vec<PageListing>, WikiError> {
    Ok(db
        .read(move |conn| pages::list(conn, limit, after.as_deref()))
        .await?)
}

/// An outgoing link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkInfo {
    /// The target's normalised title.
    pub title: String,
    /// Whether it is a live page.
    pub exists: bool,
}

/// What a live page links to (latest revision), with whether each target exists.
pub async fn links(db: &Db, title: &Title) -> Result<Vec<LinkInfo>, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            let page = live_page(conn, &title)?.ok_or_else(|| no_live_page(conn, &title))?;
            Ok(link_store::outgoing(conn, page.id)?
                .into_iter()
                .map(|(title, exists)| LinkInfo { title, exists })
                .collect())
        })())
    })
    .await?
}

/// The live pages that link to `title` (whether or not it exists), as (title, is a redirect),
/// in title order after `after`.
pub async fn backlinks(
    db: &Db,
    title: &Title,
    limit: usize,
    after: Option<String>,
) -> Result<Vec<(String, bool)>, WikiError> {
    let title = title.as_str().to_owned();
    Ok(db
        .read(move |conn| link_store::incoming(conn, &title, limit, after.as_deref()))
        .await?)
}

/// The live pages in a category (name with or without `Category:`), as (title, sort key).
pub async fn category_members(
    db: &Db,
    name: &str,
    limit: usize,
) -> Result<Vec<(String, String)>, WikiError> {
    let name = without_category_prefix(name)?;
    Ok(db
        .read(move |conn| link_store::category_members(conn, &name, limit))
        .await?)
}

/// A category's name (a normalised title) from `name`, written with or without a `Category:`
/// prefix (or a localised one, `Kategorie:`).
pub(crate) fn without_category_prefix(name: &str) -> Result<String, TitleError> {
    let raw = name.trim();
    let raw = match crate::doc::namespace::split(raw) {
        Some((Namespace::Category, rest)) => rest,
        _ => raw,
    };
    Ok(Title::new(raw)?.as_str().to_owned())
}

/// Titles that are linked to but have no live page, with how many pages link to each, most
/// wanted first.
pub async fn wanted_pages(db: &Db, limit: usize) -> Result<Vec<(String, i64)>, WikiError> {
    Ok(db.read(move |conn| link_store::wanted(conn, limit)).await?)
}

/// What integrations need to know about a live page besides its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageStanding {
    /// The page's stable id (kept across moves; a page made again after a deletion has a new
    /// one).
    pub id: i64,
    /// Who protected it, when and why, if it is protected (only admins edit it).
    pub protection: Option<ModerationNote>,
    /// Its categories' names (without `Category:`), in name order.
    pub categories: Vec<String>,
}

/// The standing of the live page `title`: [`WikiError::PageDeleted`] or
/// [`WikiError::PageMissing`] when there is none.
pub async fn page_standing(db: &Db, title: &Title) -> Result<PageStanding, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            let page = live_page(conn, &title)?.ok_or_else(|| no_live_page(conn, &title))?;
            Ok::<_, WikiError>(PageStanding {
                id: page.id,
                protection: crate::store::moderation::protection(conn, page.id)?,
                categories: link_store::categories_of(conn, page.id)?
                    .into_iter()
                    .map(|(name, _)| name)
                    .collect(),
            })
        })())
    })
    .await?
}

/// The title of the live page with the stable id `id`: [`WikiError::PageDeleted`] when that
/// page is in the archive, [`WikiError::PageMissing`] when there never was one.
pub async fn title_of_page_id(db: &Db, id: i64) -> Result<Title, WikiError> {
    let found = db.read(move |conn| pages::by_id(conn, id)).await?;
    match found {
        Some(page) if !page.deleted && page.latest_revision.is_some() => {
            Ok(Title::new(&page.title)?)
        }
        Some(page) if page.deleted => Err(WikiError::PageDeleted(format!("with id {id}"))),
        _ => Err(WikiError::PageMissing(format!("with id {id}"))),
    }
}
