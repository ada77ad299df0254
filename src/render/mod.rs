//! [`Document`] -> HTML with maud. Pure.
//!
//! Everything from the input is escaped by maud; `PreEscaped` wraps only tags we generate
//! from our own allow-list with attribute values we escaped. Links to `javascript:`,
//! `data:` and other schemes off the allow-list are never emitted.

mod article;
mod citations;
mod convert;
mod countries;
mod dates;
mod direct;
mod edit_links;
mod figures;
mod hatnotes;
mod infobox;
mod links;
mod plain;
mod templates;
mod toc;
pub mod views;

use maud::{Markup, PreEscaped, Render, html};

use crate::doc::{Document, TocRequest};
use article::Renderer;
pub use dates::depends_on_today;
pub use edit_links::without_edit_links;
pub use figures::{FIGURE_WIDTH, FileResolver, NoFiles, ResolvedFile, StoredFiles, StoredImage};
pub use links::{edit_url, normalize_title, page_url};

/// Whether to show a table of contents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TocMode {
    /// As the page says: `__NOTOC__`, `__FORCETOC__`, `__TOC__`, else from four headings on.
    #[default]
    Auto,
    /// Always.
    Force,
    /// Never.
    Hide,
}

/// How the caller wants an article rendered.
pub struct RenderOptions<'a> {
    /// Whether an internal link's target page exists (missing ones link to their edit
    /// form with class `new`). Called with the normalised title ([`normalize_title`]).
    pub link_exists: &'a dyn Fn(&str) -> bool,
    /// The edit URL of a section (by index), if edit links are wanted.
    pub edit_url: Option<&'a dyn Fn(usize) -> String>,
    /// Whether each section edit link has a star beside it, leading to the form that watches
    /// the section (the edit URL with `/watch?` for `/edit?`; issue 15).
    pub watch_stars: bool,
    /// Table of contents: as the page says (the default), always, or never.
    pub toc: TocMode,
    /// The stored source each footnote cites, by footnote index (shown in the references list;
    /// a weak one is marked where it is cited too).
    pub reference_sources: &'a [Option<RefSource<'a>>],
    /// The page's title: an infobox without a `name` is titled with it, hatnotes name it.
    pub page_title: Option<&'a str>,
    /// Where the files that pages show are found (none are stored yet: all are missing).
    pub files: &'a dyn FileResolver,
}

/// A stored source (a `Source:` page) that a footnote cites.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefSource<'a> {
    /// The source page's title.
    pub title: &'a str,
    /// Who published it.
    pub publisher: Option<&'a str>,
    /// When: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    /// Its kind (a name from the list of kinds).
    pub kind: Option<&'a str>,
    /// Whether it is weak evidence: an opinion, a blog or a self-published document.
    pub weak: bool,
}

impl Default for RenderOptions<'_> {
    /// Every page exists, no edit links, the page's own TOC rule.
    fn default() -> Self {
        RenderOptions {
            link_exists: &|_| true,
            edit_url: None,
            watch_stars: false,
            toc: TocMode::Auto,
            reference_sources: &[],
            page_title: None,
            files: &NoFiles,
        }
    }
}

impl<'a> RenderOptions<'a> {
    /// Options with the page's own TOC rule and no edit links.
    pub fn new(link_exists: &'a dyn Fn(&str) -> bool) -> Self {
        RenderOptions {
            link_exists,
            edit_url: None,
            watch_stars: false,
            toc: TocMode::Auto,
            reference_sources: &[],
            page_title: None,
            files: &NoFiles,
        }
    }
}

/// MediaWiki shows a table of contents from this many headings on.
const TOC_MIN_HEADINGS: usize = 4;

fn show_toc(doc: &Document, mode: TocMode) -> bool {
    let headings = toc::heading_count(doc);
    match mode {
        TocMode::Force => headings > 0,
        TocMode::Hide => false,
        TocMode::Auto => match doc.toc {
            TocRequest::Hide => false,
            TocRequest::Force => headings > 0,
            TocRequest::Auto => headings >= TOC_MIN_HEADINGS,
        },
    }
}

/// Renders the body of an article (without its title, which the page layout shows): the
/// lead, the table of contents, the sections with anchors and edit links, the footnotes not
/// listed by a `<references />`, and the categories.
pub fn article(doc: &Document, options: &RenderOptions<'_>) -> Markup {
    let r = Renderer::new(doc, options);
    let toc = show_toc(doc, options.toc);
    // `__TOC__` puts the table where it stands; otherwise it goes before the first heading.
    let placed = doc
        .toc_position
        .filter(|_| toc && doc.toc != TocRequest::Hide);
    // Each group's footnotes no list took, notes before references (Wikipedia's order).
    let mut unlisted: Vec<&(Option<String>, usize)> = doc
        .unlisted_refs
        .iter()
        .filter(|(group, mark)| {
            doc.refs
                .get(*mark..)
                .is_some_and(|rest| rest.iter().any(|r| &r.group == group))
        })
        .collect();
    unlisted.sort_by_key(|(group, _)| group.is_none());
    // One buffer for the whole page, sized for it up front: markup becomes about twice as
    // many bytes of HTML, and growing a large buffer step by step costs copies and fresh pages.
    let source_len = doc.outline.sections.iter().map(|s| s.byte_end).max();
    let mut out = String::with_capacity(source_len.unwrap_or(0).saturating_mul(2) + 256);
    out.push_str("<div class=\"mw-parser-output\">");
    if let Some(target) = &doc.links.redirect {
        let label = [crate::doc::Inline::text(target.as_str())];
        html! { div.redirect-msg { "Redirect to: " (r.link_to(target, None, &label)) } }
            .render_to(&mut out);
    }
    for index in 0..doc.outline.sections.len() {
        if index == 1 && toc && placed.is_none() {
            toc::toc(doc).render_to(&mut out);
        }
        if index > 0 {
            r.heading(index).render_to(&mut out);
        }
        let toc_here = placed.filter(|p| p.0 == index).map(|p| p.1);
        r.write_section_blocks(&mut out, index, toc_here);
    }
    html! {
        @if doc.outline.sections.len() == 1 && toc && placed.is_none() { (toc::toc(doc)) }
        @for (group, mark) in unlisted {
            section.footnotes {
                @if group.is_some() { h2 { "Notes" } } @else { h2 #References { "References" } }
                (r.references(group.as_deref(), *mark, doc.refs.len()))
            }
        }
        (r.navigation_box())
        (r.categories())
    }
    .render_to(&mut out);
    out.push_str("</div>");
    PreEscaped(out)
}

/// Renders section `index` with its subsections (the span a section edit covers). For the
/// lead, only the lead. Footnotes are listed where the section lists them.
pub fn section(doc: &Document, index: usize, options: &RenderOptions<'_>) -> Markup {
    let r = Renderer::new(doc, options);
    let Some(info) = doc.outline.sections.get(index) else {
        return html! {};
    };
    let end = if index == 0 {
        1
    } else {
        doc.outline
            .sections
            .iter()
            .skip(index + 1)
            .position(|s| s.level <= info.level)
            .map_or(doc.outline.sections.len(), |n| index + 1 + n)
    };
    html! {
        @for i in index..end {
            @if i > 0 { (r.heading(i)) }
            (r.section_blocks(i))
        }
    }
}

/// The plain text of section `index` with its subsections (headings included, markup
/// removed): for search indexing and the API's `text`.
pub fn plain_text(doc: &Document, index: usize) -> String {
    plain::section_text(doc, index)
}
