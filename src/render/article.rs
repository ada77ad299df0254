//! Blocks and inlines -> HTML.

use std::cell::Cell;

use maud::{Markup, PreEscaped, html};

use super::links::{normalize_title, page_url};
use super::{RefSource, RenderOptions};
use crate::doc::{ALLOWED_HTML_TAGS, Block, CellAlign, Document, Inline, Table, has_link_scheme};

const ATTRS: [&str; 5] = ["title", "lang", "dir", "datetime", "value"];

/// The `href` of an external URL, or `None` when its scheme is not allowed.
pub(crate) fn href_of(url: &str) -> Option<&str> {
    let u = url.trim();
    if u.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    has_link_scheme(u).then_some(u)
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders one document; keeps count of footnote uses as it goes.
pub(crate) struct Renderer<'a> {
    pub doc: &'a Document<'a>,
    pub options: &'a RenderOptions<'a>,
    /// Where the renderer is, for templates drawn by where they stand.
    pub place: Cell<Place>,
    /// The first of the sections an article ends with (found once: asking per section was
    /// quadratic in sections).
    pub first_end_section: Option<usize>,
}

/// Where in the page the renderer is.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Place {
    /// Among the sections an article ends with (references, external links…).
    pub at_end: bool,
    /// Inside a footnote.
    pub in_footnote: bool,
    /// Unknown templates are drawn as placeholders only (asking whether one is unknown).
    pub strict: bool,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(doc: &'a Document<'a>, options: &'a RenderOptions<'a>) -> Self {
        Renderer {
            doc,
            options,
            place: Cell::new(Place::default()),
            first_end_section: super::hatnotes::first_end_section(doc),
        }
    }

    /// Whether the renderer is among the sections an article ends with.
    pub(crate) fn at_end(&self) -> bool {
        self.place.get().at_end
    }

    pub(crate) fn heading(&self, index: usize) -> Markup {
        let Some(info) = self.doc.outline.sections.get(index) else {
            return html! {};
        };
        let content = self
            .doc
            .sections
            .get(index)
            .map(|s| s.heading.as_slice())
            .unwrap_or(&[]);
        let edit = match (self.options.edit_url, self.doc.no_edit_section) {
            (Some(f), false) => Some(f(index)),
            _ => None,
        };
        let inner = html! {
            (self.inlines(content))
            @if let Some(url) = edit {
                span.mw-editsection {
                    "[" a href=(url) title=(format!("Edit section: {}", info.title)) { "edit" } "]"
                    @if self.options.watch_stars {
                        " " a.watch-star href=(url.replacen("/edit?", "/watch?", 1))
                            title=(format!("Watch section: {}", info.title)) { "☆" }
                    }
                }
            }
        };
        let id = info.anchor.as_str();
        match info.level {
            1 => html! { h1 id=(id) { (inner) } },
            2 => html! { h2 id=(id) { (inner) } },
            3 => html! { h3 id=(id) { (inner) } },
            4 => html! { h4 id=(id) { (inner) } },
            5 => html! { h5 id=(id) { (inner) } },
            _ => html! { h6 id=(id) { (inner) } },
        }
    }

    /// The blocks of section `index`.
    pub(crate) fn section_blocks(&self, index: usize) -> Markup {
        let mut out = String::new();
        self.write_section_blocks(&mut out, index, None);
        PreEscaped(out)
    }

    pub(crate) fn blocks(&self, blocks: &[crate::doc::Block]) -> Markup {
        html! { @for b in blocks { (self.block(b)) } }
    }

    /// The blocks that [`Renderer::block`] does not write itself.
    pub(crate) fn block_markup(&self, block: &Block<'_>) -> Markup {
        match block {
            Block::Table(table) => self.table(table),
            Block::Template(t) => self.template_block(t),
            Block::References { group, from, to } => self.references(group.as_deref(), *from, *to),
            other => html! { (self.block(other)) },
        }
    }

    fn table(&self, table: &Table) -> Markup {
        html! {
            table.wikitable.sortable[table.sortable] {
                @if !table.caption.is_empty() { caption { (self.inlines(&table.caption)) } }
                tbody {
                    @for row in &table.rows {
                        tr {
                            @for cell in &row.cells {
                                @let rowspan = (cell.layout.rowspan > 1).then_some(cell.layout.rowspan);
                                @let colspan = (cell.layout.colspan > 1).then_some(cell.layout.colspan);
                                @let align = cell.layout.align.map(align_class);
                                @if cell.header {
                                    th rowspan=[rowspan] colspan=[colspan] class=[align] { (self.cell(&cell.blocks)) }
                                } @else {
                                    td rowspan=[rowspan] colspan=[colspan] class=[align] { (self.cell(&cell.blocks)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A cell of one paragraph shows without the `<p>`, as MediaWiki does.
    fn cell(&self, blocks: &[Block]) -> Markup {
        match blocks {
            [Block::Paragraph { content }] => html! { (self.inlines(content)) },
            _ => self.blocks(blocks),
        }
    }

    /// A link to a wiki page, coloured by whether it exists.
    pub(crate) fn link_to(&self, target: &str, frag: Option<&str>, label: &[Inline<'_>]) -> Markup {
        let mut out = String::new();
        self.write_link(&mut out, target, frag, label);
        PreEscaped(out)
    }

    /// The inline nodes that [`Renderer::inlines`] does not write itself.
    pub(crate) fn inline(&self, inline: &Inline<'_>) -> Markup {
        match inline {
            Inline::Text { text } => html! { (text) },
            Inline::Italic { content } => html! { i { (self.inlines(content)) } },
            Inline::Bold { content } => html! { b { (self.inlines(content)) } },
            Inline::Link {
                target,
                fragment,
                label,
            } => self.link_to(target, fragment.as_deref(), label),
            Inline::File {
                target,
                caption,
                options,
            } => self.file_link(target, caption, options),
            Inline::Gallery { items } => self.gallery(items),
            Inline::ExternalLink { url, label, number } => match href_of(url) {
                Some(href) => match label {
                    Some(label) => {
                        html! { a.external href=(href) rel="nofollow noopener" { (self.inlines(label)) } }
                    }
                    None => {
                        html! { a.external.autonumber href=(href) rel="nofollow noopener" { "[" (number) "]" } }
                    }
                },
                None => html! { "[" (url) @if let Some(l) = label { " " (self.inlines(l)) } "]" },
            },
            Inline::Url { url } => match href_of(url) {
                Some(href) => {
                    html! { a.external.free href=(href) rel="nofollow noopener" { (url) } }
                }
                None => html! { (url) },
            },
            Inline::Template(t) => self.template_inline(t),
            Inline::Ref { index, use_number } => {
                let n = index + 1;
                let weak = self.reference_source(*index).filter(|s| s.weak);
                html! {
                    sup.reference.weak-source[weak.is_some()] id=(format!("cite_ref-{n}-{use_number}")) {
                        a href=(format!("#cite_note-{n}")) { "[" (self.footnote_label(*index)) "]" }
                        @if let Some(source) = weak {
                            span.weak-source-mark title=(weak_note(source)) { "\u{2020}" }
                        }
                    }
                }
            }
            Inline::Html {
                tag,
                attrs,
                content,
            } => {
                let Some(tag) = ALLOWED_HTML_TAGS.iter().find(|t| **t == tag.as_ref()) else {
                    return html! { (self.inlines(content)) };
                };
                let mut open = format!("<{tag}");
                for (k, v) in attrs.iter().filter(|(k, _)| ATTRS.contains(&k.as_str())) {
                    open.push_str(&format!(" {k}=\"{}\"", escape_attr(v)));
                }
                open.push('>');
                if *tag == "wbr" {
                    return html! { (PreEscaped(open)) };
                }
                html! { (PreEscaped(open)) (self.inlines(content)) (PreEscaped(format!("</{tag}>"))) }
            }
            Inline::LineBreak => html! { br; },
            Inline::Pre { text } => html! { code.pre { (text) } },
            Inline::References { group, from, to } => self.references(group.as_deref(), *from, *to),
        }
    }

    /// The stored source footnote `index` cites, if any.
    fn reference_source(&self, index: usize) -> Option<&RefSource<'_>> {
        self.options.reference_sources.get(index)?.as_ref()
    }

    /// Whether footnote `index` cites a weak source (an opinion, a blog, a self-published one).
    pub(crate) fn cites_weak_source(&self, index: usize) -> bool {
        self.reference_source(index).is_some_and(|s| s.weak)
    }

    /// The label footnote `index` shows (`3`, `c`, `note 3`; see `Reference::label`).
    pub(crate) fn footnote_label(&self, index: usize) -> String {
        self.doc
            .refs
            .get(index)
            .map_or_else(|| (index + 1).to_string(), |r| r.label())
    }

    /// The list of `group`'s footnotes among `from..to`, with back-links to each citation;
    /// a group counted in letters or numerals (`{{notelist}}`) is counted so.
    pub(crate) fn references(&self, group: Option<&str>, from: usize, to: usize) -> Markup {
        let refs = self
            .doc
            .refs
            .get(from..to.min(self.doc.refs.len()))
            .unwrap_or(&[]);
        let mut listed = refs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.group.as_deref() == group)
            .map(|(i, r)| (from + i, r))
            .peekable();
        let Some(start) = listed.peek().map(|(_, r)| r.number) else {
            return html! {};
        };
        let class = match crate::doc::counting_style(group) {
            Some(style) => format!("references {style}"),
            None => "references".to_owned(),
        };
        html! {
            ol class=(class) start=(start) {
                @for (index, r) in listed {
                    @let n = index + 1;
                    li id=(format!("cite_note-{n}")) {
                        span.backlinks {
                            @if r.uses <= 1 {
                                a href=(format!("#cite_ref-{n}-0")) title="Back to the citation" { "\u{2191}" }
                            } @else {
                                "\u{2191} "
                                @for u in 0..r.uses.min(26) {
                                    a href=(format!("#cite_ref-{n}-{u}")) { sup { (char::from(b'a' + u as u8)) } } " "
                                }
                            }
                        }
                        " "
                        span.reference-text {
                            @if r.content.is_empty() { em.error { "Footnote without content" } } @else { (self.footnote_text(&r.content)) }
                        }
                        @if let Some(source) = self.reference_source(index) { " " (cited_source(source)) }
                    }
                }
            }
        }
    }

    /// A footnote's text, unknown templates in it drawn as the sources they name.
    fn footnote_text(&self, content: &[Inline]) -> Markup {
        let place = self.place.get();
        self.place.set(Place {
            in_footnote: true,
            ..place
        });
        // Drawn now, while the place says so (inline markup is drawn lazily).
        let text = html! { (self.inlines(content)) };
        self.place.set(place);
        text
    }

    /// Categories box linking to each category page.
    pub(crate) fn categories(&self) -> Markup {
        let cats = &self.doc.links.categories;
        if cats.is_empty() {
            return html! {};
        }
        html! {
            div.catlinks {
                "Categories: "
                ul {
                    @for (name, _) in cats {
                        @let title = format!("Category:{}", normalize_title(name));
                        li {
                            @if (self.options.link_exists)(&title) {
                                a href=(page_url(&title)) { (name) }
                            } @else {
                                a.new href=(page_url(&title)) { (name) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The class that aligns a table cell (the stylesheet has them; no inline style).
fn align_class(align: CellAlign) -> &'static str {
    match align {
        CellAlign::Left => "align-left",
        CellAlign::Center => "align-center",
        CellAlign::Right => "align-right",
    }
}

/// What the mark on a citation of a weak source says.
fn weak_note(source: &RefSource<'_>) -> String {
    let kind = source.kind.unwrap_or("weak");
    format!("Cites a source of kind {kind}: weak evidence on its own")
}

/// A stored source in the references list: a link to it, its publisher, date and kind, and a
/// mark when it is weak evidence.
fn cited_source(source: &RefSource<'_>) -> Markup {
    html! {
        span.cited-source {
            "(source: "
            a href=(page_url(source.title)) { (source.title) }
            @if let Some(publisher) = source.publisher { ", " span.source-publisher { (publisher) } }
            @if let Some(date) = source.date { ", " time datetime=(date) { (date) } }
            @if let Some(kind) = source.kind { ", " span.source-kind { (kind) } }
            ")"
            @if source.weak {
                " " strong.weak-source-note title=(weak_note(source)) { "Weak source: " (source.kind.unwrap_or("weak")) }
            }
        }
    }
}
