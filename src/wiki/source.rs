//! What the edit form, the preview and the diff view need besides the page itself: a page's
//! latest markup as stored (a redirect is not followed), which links of a draft exist, and the
//! edits next to a diff.

use std::collections::HashSet;

use crate::doc::Document;
use crate::markup;
use crate::store::{Db, pages, revisions};

use super::{Title, WikiError};

/// The latest markup of `title` and its revision, without following a redirect; `None` when
/// there is no such page (the edit form then creates it).
pub async fn latest_markup(db: &Db, title: &Title) -> Result<Option<(String, i64)>, WikiError> {
    let title = title.as_str().to_owned();
    let latest = db.read(move |conn| pages::latest(conn, &title)).await?;
    Ok(latest.map(|page| (page.text, page.revision.id)))
}

/// The size in bytes of the latest text of `title`, if it is a live page.
pub async fn latest_size(db: &Db, title: &Title) -> Result<Option<i64>, WikiError> {
    let title = title.as_str().to_owned();
    Ok(db
        .read(move |conn| pages::latest_size(conn, &title))
        .await?)
}

/// The normalised titles of the pages `doc` links to that exist (for link colours in a preview).
pub async fn existing_links(db: &Db, doc: &Document<'_>) -> Result<HashSet<String>, WikiError> {
    let targets: Vec<String> = doc
        .links
        .links
        .iter()
        .filter_map(|t| Title::new(t.trim_start_matches(':')).ok())
        .map(|t| t.as_str().to_owned())
        .collect();
    let found = db.read(move |conn| pages::existing(conn, &targets)).await?;
    Ok(found.into_iter().collect())
}

/// The diffs one edit earlier and one edit later than the diff `from`..`to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiffNeighbours {
    /// `(from, to)` of the previous edit.
    pub previous: Option<(i64, i64)>,
    /// `(from, to)` of the next edit.
    pub next: Option<(i64, i64)>,
}

/// The neighbouring edits of the diff `from`..`to` (of one page).
pub async fn diff_neighbours(db: &Db, from: i64, to: i64) -> Result<DiffNeighbours, WikiError> {
    let (before_from, _) = db
        .read(move |conn| revisions::neighbours(conn, from))
        .await?;
    let (_, after_to) = db.read(move |conn| revisions::neighbours(conn, to)).await?;
    Ok(DiffNeighbours {
        previous: before_from.map(|p| (p, from)),
        next: after_to.map(|n| (to, n)),
    })
}

/// A draft rendered before saving: its parse and which of its links exist.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The draft, parsed.
    pub doc: Document<'static>,
    /// The normalised titles of the linked pages that exist.
    pub existing_links: HashSet<String>,
}

impl Preview {
    /// Whether a link target (as written in markup) is an existing page.
    pub fn link_exists(&self, target: &str) -> bool {
        Title::new(target.trim_start_matches(':'))
            .is_ok_and(|t| self.existing_links.contains(t.as_str()))
    }
}

/// Parses a draft for a preview (nothing is saved).
pub async fn preview(db: &Db, text: &str) -> Result<Preview, WikiError> {
    let text = super::clean::markup(text);
    let doc = markup::parse(&text).into_owned();
    let existing_links = existing_links(db, &doc).await?;
    Ok(Preview {
        doc,
        existing_links,
    })
}

/// Like [`preview`], for one section of a page whose whole text is `page`: a footnote the
/// section reuses by name (`<ref name="x" />`) but defines elsewhere on the page takes its
/// content (and cited source) from there, as it will once saved, instead of showing empty.
pub async fn preview_section(db: &Db, text: &str, page: &str) -> Result<Preview, WikiError> {
    let mut preview = preview(db, text).await?;
    let page = super::clean::markup(page);
    fill_named_refs(&mut preview.doc, &markup::parse(&page));
    Ok(preview)
}

/// Gives the empty named footnotes of `doc` the content of the footnote of the same name in
/// `whole` (the first one with content, as the page's own numbering would).
fn fill_named_refs(doc: &mut Document<'static>, whole: &Document<'_>) {
    for reference in doc.refs.iter_mut().filter(|r| r.content.is_empty()) {
        let Some(name) = reference.name.as_deref() else {
            continue;
        };
        let defined = whole
            .refs
            .iter()
            .find(|r| r.name.as_deref() == Some(name) && !r.content.is_empty());
        if let Some(defined) = defined {
            reference.content = defined
                .content
                .iter()
                .cloned()
                .map(crate::doc::Inline::into_owned)
                .collect();
            if reference.source.is_none() {
                reference.source.clone_from(&defined.source);
            }
        }
    }
}

/// The title of the first heading in a section's markup (what the edit form calls the section).
pub fn first_heading(text: &str) -> Option<String> {
    markup::outline(text)
        .sections
        .into_iter()
        .nth(1)
        .map(|section| section.title)
}

/// An empty document (the page of a category that has members but no text yet).
pub fn empty_document() -> Document<'static> {
    markup::parse("")
}
