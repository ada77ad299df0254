//! The read view of a page.

use maud::{Markup, html};

use super::moderation::{HiddenNote, hidden_notice, protected_notice};
use super::source::{
    Citing, Folded, Mentioned, MetadataForm, Quoted, SourceBox, boilerplate, cited_by, mentions,
    metadata_form, quotations, source_box,
};
use super::{Layout, SignedIn, layout};
use crate::doc::Document;
use crate::render::{RefSource, RenderOptions, article};

/// What the read view shows.
pub struct ReadPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The parsed markup of the revision shown.
    pub doc: &'a Document<'a>,
    /// Whether an internal link's target exists.
    pub link_exists: &'a dyn Fn(&str) -> bool,
    /// The edit URL of a section by index (only on the latest revision).
    pub edit_url: Option<&'a dyn Fn(usize) -> String>,
    /// Who saved the revision shown, and when (RFC 3339); `None` for a category that has
    /// members but no page of its own yet.
    pub saved: Option<(&'a str, &'a str)>,
    /// For a category: its members, as (title, URL), in sort order.
    pub members: Option<&'a [(String, String)]>,
    /// When an old revision is shown: its id and the URL of the current version.
    pub old_revision: Option<(i64, &'a str)>,
    /// For an old revision: the revisions before and after it (for "older"/"newer" links).
    pub neighbours: (Option<i64>, Option<i64>),
    /// The title the reader asked for, when it redirected here, and the URL of that
    /// redirect page itself.
    pub redirected_from: Option<(&'a str, &'a str)>,
    /// Tabs for the page.
    pub tabs: &'a [(&'a str, &'a str, bool)],
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// Whether the page is protected (only admins edit it).
    pub protected: bool,
    /// When the revision shown is hidden: who hid it (if known) and whether its text is shown
    /// (to admins) or left out.
    pub hidden: Option<(Option<HiddenNote<'a>>, bool)>,
    /// For a source document: its metadata, shown above the text.
    pub source: Option<SourceBox<'a>>,
    /// For a `Source:` page shown to an editor: the form to change its kind and metadata.
    pub source_form: Option<MetadataForm<'a>>,
    /// For a `Source:` page: its boilerplate, shown folded after its text (left out of `doc`).
    pub boilerplate: &'a [Folded<'a>],
    /// For a `Source:` page: its quotations outside the boilerplate.
    pub quotations: Option<&'a [Quoted<'a>]>,
    /// For a `Source:` page: the sentences citing it, and the `<ref>` to copy to cite it.
    pub cited_by: Option<(&'a [Citing<'a>], &'a str)>,
    /// For a `Source:` page: the people it mentions (issue 13).
    pub mentions: Option<&'a [Mentioned<'a>]>,
    /// The stored source each footnote cites, by footnote index.
    pub reference_sources: &'a [Option<RefSource<'a>>],
    /// The stored files the page shows.
    pub files: &'a dyn crate::render::FileResolver,
    /// For a `File:` page with an upload: the image and its versions.
    pub file: Option<super::files::FileBox<'a>>,
}

/// A page at one of its revisions.
pub fn page(page: &ReadPage<'_>) -> Markup {
    layout(
        Layout {
            title: display_title(page),
            tabs: page.tabs,
            user: page.user,
            ..Layout::default()
        },
        article_part(page),
    )
}

/// The title a page shows (its `DISPLAYTITLE`-like leading `= Title =`, else its title).
pub fn display_title<'a>(page: &ReadPage<'a>) -> &'a str {
    page.doc.outline.title.as_deref().unwrap_or(page.title)
}

/// The page without its frame: what is the same for every reader (the frame names the
/// reader), so it can be kept and framed per request.
pub fn article_part(page: &ReadPage<'_>) -> Markup {
    let display = display_title(page);
    let options = RenderOptions {
        edit_url: page.edit_url,
        watch_stars: page.edit_url.is_some(),
        reference_sources: page.reference_sources,
        page_title: Some(page.title),
        files: page.files,
        ..RenderOptions::new(page.link_exists)
    };
    html! {
            article.page {
                h1.page-title { (display) }
                @if let Some((from, url)) = page.redirected_from {
                    p.redirected-from {
                        "(Redirected from "
                        a href=(url) { (from) }
                        ")"
                    }
                }
                @if let (Some((revision, current)), Some((author, timestamp))) = (page.old_revision, page.saved) {
                    p.banner role="note" {
                        "This is an old revision of this page (revision " (revision) ", saved by "
                        (author) " at " (super::when::time(timestamp))
                        "). It may differ a lot from "
                        a href=(current) { "the current version" } "."
                    }
                    nav.revision-nav aria-label="Neighbouring revisions" {
                        @match page.neighbours.0 {
                            Some(older) => a rel="prev" href=(format!("{current}?revision={older}")) { "← Older revision" },
                            None => span.meta { "(the first revision)" },
                        }
                        " · " a href=(current) { "Latest revision" } " · "
                        @match page.neighbours.1 {
                            Some(newer) => a rel="next" href=(format!("{current}?revision={newer}")) { "Newer revision →" },
                            None => span.meta { "(no newer revision)" },
                        }
                        @if let Some(older) = page.neighbours.0 {
                            " · " a href=(format!("{current}/diff?from={older}&to={revision}")) { "diff with the older" }
                        }
                    }
                }
                @if page.protected { (protected_notice()) }
                @if let Some((note, shown)) = page.hidden { (hidden_notice(note, shown)) }
                @if let Some(file) = &page.file { (super::files::file_box(file)) }
                @if let Some(source) = &page.source { (source_box(source)) }
                @if let Some(form) = &page.source_form { (metadata_form(form)) }
                (article(page.doc, &options))
                (boilerplate(page.boilerplate))
                @if let Some(items) = page.quotations { (quotations(items)) }
                @if let Some((citing, how)) = page.cited_by { (cited_by(citing, how)) }
                @if let Some(people) = page.mentions {
                    (mentions("mentions", "People mentioned", "This source names no person of this wiki (outside its boilerplate).", people))
                }
                @if let Some(members) = page.members {
                    section.category-members aria-labelledby="members-heading" {
                        h2 #members-heading { "Pages in this category" }
                        @if members.is_empty() {
                            p { "No page is in this category yet." }
                        } @else {
                            p.member-count {
                                @match members.len() {
                                    1 => "This category has 1 page, listed by its sort key.",
                                    n => (format!("This category has {n} pages, listed by their sort keys."))
                                }
                            }
                            ul.page-list {
                                @for (title, url) in members { li { a href=(url) { (title) } } }
                            }
                        }
                    }
                }
                @if let Some((author, timestamp)) = page.saved {
                    p.last-edit {
                        @if page.old_revision.is_some() { "This revision was saved by " } @else { "Last edited by " }
                        (author) " at "
                        (super::when::time(timestamp))
                        "."
                    }
                }
            }
    }
}
