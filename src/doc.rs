//! The document model: what a page's markup means, independent of storage and HTTP.
//!
//! A leaf module: it uses nothing else of ours. `markup` produces these types, `render`,
//! `bio` and the API consume them. Nesting is bounded by the parser (templates, links and
//! tags at most [`MAX_DEPTH`] deep, lists at most [`MAX_LIST_DEPTH`]), so walking or dropping
//! a tree never exhausts the stack.

pub mod calendar;
pub mod chars;
pub mod fold;
pub mod image;
pub mod namespace;
mod owned;
pub mod template_kinds;
pub mod toc;
pub mod url;

use std::borrow::Cow;

use serde::Serialize;

/// How deep inline constructs (templates, links, tags, bold/italic) may nest.
pub const MAX_DEPTH: usize = 40;
/// How deep lists may nest (the length of a `*#:;` prefix that counts).
pub const MAX_LIST_DEPTH: usize = 32;
/// How deep tables may nest.
pub const MAX_TABLE_DEPTH: usize = 8;

/// The section outline of a text: the shape of `plutarch parse` and of the sections API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outline {
    /// The text of a leading `= Title =` line, if the first non-blank line is one.
    pub title: Option<String>,
    /// Section 0 (the lead) first, then one entry per heading in document order.
    pub sections: Vec<SectionInfo>,
}

/// One section of an outline, with its byte span in the text exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionInfo {
    /// 0 for the lead, then 1, 2, … in document order.
    pub index: usize,
    /// 0 for the lead, else the heading level (1 to 6).
    pub level: u8,
    /// The heading's plain text, markup removed.
    pub title: String,
    /// The HTML id, as MediaWiki makes it (`_` for spaces, `_2`… for repeats).
    pub anchor: String,
    /// The table-of-contents number, such as `2.1`; empty for the lead.
    pub number: String,
    /// The index of the enclosing section, if any.
    pub parent: Option<usize>,
    /// Where the section's heading line starts, in UTF-8 bytes.
    pub byte_start: usize,
    /// Where the section ends (the next heading of the same or a higher level).
    pub byte_end: usize,
}

/// What a page points at: kept up to date by the store on every save.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageLinks {
    /// Targets of internal links, as written (before title normalisation), without fragment.
    pub links: Vec<String>,
    /// Category names (without the `Category:` prefix) with their optional sort key.
    pub categories: Vec<(String, Option<String>)>,
    /// Names of the templates the page uses.
    pub templates: Vec<String>,
    /// The target of a `#REDIRECT [[Target]]` page.
    pub redirect: Option<String>,
    /// The files the page shows (figures, galleries, an infobox's portrait) as `File:` titles,
    /// as written (MediaWiki's imagelinks, apart from the links). Not part of the document's
    /// serialised shape.
    #[serde(skip)]
    pub files: Vec<String>,
}

/// Whether the page asks for a table of contents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TocRequest {
    /// No switch: MediaWiki's rule (from four headings on).
    #[default]
    Auto,
    /// `__NOTOC__`.
    Hide,
    /// `__FORCETOC__` or `__TOC__`.
    Force,
}

/// A parsed page. Its text borrows from the markup it was parsed from (a text run costs no
/// allocation); [`Document::into_owned`] detaches it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document<'a> {
    /// The section outline (the same as `markup::outline` gives).
    pub outline: Outline,
    /// The content of each section of the outline, in the same order.
    pub sections: Vec<Section<'a>>,
    /// What the page links to.
    pub links: PageLinks,
    /// The footnotes, in the order of their numbers (1 is `refs[0]`).
    pub refs: Vec<Reference<'a>>,
    /// For each reference group with footnotes (the default group is `None`), in the order
    /// the groups first appear: footnotes of the group from this index on were not listed by
    /// any `<references />` of the group, and the article lists them at its end.
    pub unlisted_refs: Vec<(Option<String>, usize)>,
    /// The table-of-contents switch the page sets.
    pub toc: TocRequest,
    /// Where `__TOC__` asks for the table of contents: (section index, block index).
    pub toc_position: Option<(usize, usize)>,
    /// `__NOEDITSECTION__` was given.
    pub no_edit_section: bool,
    /// The sort key of `{{DEFAULTSORT:…}}`.
    pub default_sort: Option<String>,
}

/// The content of one section (the lead is section 0).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Section<'a> {
    /// The heading's content (empty for the lead).
    pub heading: Vec<Inline<'a>>,
    /// The blocks between this heading and the next one.
    pub blocks: Vec<Block<'a>>,
}

/// A block: something that starts on a new line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Block<'a> {
    /// Consecutive lines of text.
    Paragraph {
        /// The paragraph's content.
        content: Vec<Inline<'a>>,
    },
    /// A `*`, `#`, `;`/`:` list.
    List(List<'a>),
    /// `----`.
    Rule,
    /// Lines that begin with a space, or a `<pre>` block: shown as they are.
    Preformatted {
        /// The content (for `<pre>`, a single text).
        content: Vec<Inline<'a>>,
    },
    /// A table.
    Table(Table<'a>),
    /// A template standing alone on its lines (an infobox, a navigation box…).
    Template(Template<'a>),
    /// A heading that does not start a section: a heading line led by a comment
    /// (`<!-- note -->== Career ==`), or one a template made. As in MediaWiki, it has an
    /// anchor and a table-of-contents entry but no edit link ("editable headings can only
    /// have trailing comments"); its text stays in the section before it.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The heading's content.
        content: Vec<Inline<'a>>,
        /// Its plain text (the table of contents shows it).
        title: String,
        /// Its HTML id, unique on the page.
        anchor: String,
    },
    /// `<references />` or `{{reflist}}`: the footnotes of `group` among `refs[from..to]`.
    References {
        /// The reference group listed (`None` for the default one).
        group: Option<String>,
        /// The first footnote listed here (an index into `Document::refs`).
        from: usize,
        /// One past the last footnote listed here.
        to: usize,
    },
}

/// The kind of a list, from its prefix character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// `*`
    Bullet,
    /// `#`
    Ordered,
    /// `;` and `:`
    Definition,
}

/// The kind of a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// `*` or `#`.
    Item,
    /// `;` a term.
    Term,
    /// `:` a definition (or an indented line).
    Detail,
}

/// A list with its items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List<'a> {
    /// Bullets, numbers or definitions.
    pub kind: ListKind,
    /// The items in order.
    pub items: Vec<ListItem<'a>>,
}

/// One list item, with the lists nested under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListItem<'a> {
    /// Item, term or definition.
    pub kind: ItemKind,
    /// The item's own text.
    pub content: Vec<Inline<'a>>,
    /// Lists nested inside this item.
    pub sublists: Vec<List<'a>>,
}

/// A table.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Table<'a> {
    /// `|+ caption`.
    pub caption: Vec<Inline<'a>>,
    /// `{| class="… sortable"`: the reader may sort it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub sortable: bool,
    /// The rows in order.
    pub rows: Vec<Row<'a>>,
}

/// A table row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Row<'a> {
    /// The cells in order.
    pub cells: Vec<Cell<'a>>,
}

/// A table cell.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Cell<'a> {
    /// A header cell (`!`).
    pub header: bool,
    /// Its spans and alignment (`rowspan=2 colspan=3 style="text-align:center"`).
    #[serde(skip_serializing_if = "CellLayout::is_plain")]
    pub layout: CellLayout,
    /// The cell's content.
    pub blocks: Vec<Block<'a>>,
}

/// What a table cell keeps of its attributes: spans and alignment (drawn as classes, so the
/// page needs no inline style).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CellLayout {
    /// Rows it spans (1 when not given; at most [`MAX_CELL_SPAN`]).
    pub rowspan: u16,
    /// Columns it spans (1 when not given; at most [`MAX_CELL_SPAN`]).
    pub colspan: u16,
    /// Its horizontal alignment, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub align: Option<CellAlign>,
}

/// The largest row or column span kept (MediaWiki's limits are 65534 and 1000).
pub const MAX_CELL_SPAN: u16 = 1000;

impl CellLayout {
    /// No span and no alignment.
    pub fn is_plain(&self) -> bool {
        self.rowspan <= 1 && self.colspan <= 1 && self.align.is_none()
    }
}

/// A cell's horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellAlign {
    /// `left`.
    Left,
    /// `center`.
    Center,
    /// `right`.
    Right,
}

/// A template call `{{Name|a|key=value}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template<'a> {
    /// The name as written, trimmed.
    pub name: Cow<'a, str>,
    /// The parameters in order.
    pub params: Vec<Param<'a>>,
}

/// One template parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param<'a> {
    /// The name of a `key=value` parameter (trimmed), `None` for a positional one.
    pub name: Option<Cow<'a, str>>,
    /// The value (named values trimmed).
    pub value: Vec<Inline<'a>>,
}

/// One file of a `<gallery>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GalleryItem<'a> {
    /// The file page, such as `File:Name.jpg`.
    pub target: String,
    /// Its caption (the last part that is not an option such as `alt=`).
    pub caption: Vec<Inline<'a>>,
}

/// At most this many files of one `<gallery>` are kept.
pub const MAX_GALLERY_ITEMS: usize = 200;

/// A footnote from `<ref>`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference<'a> {
    /// The `name` attribute, if any.
    pub name: Option<String>,
    /// The `group` attribute (`{{efn}}` gives `lower-alpha`); `None` for the default group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Its number within its group, from 1 (what its label shows: 3, c or "note 3").
    pub number: usize,
    /// The footnote's content (empty until a `<ref name=…>` with content is seen).
    pub content: Vec<Inline<'a>>,
    /// How many times the footnote is cited in the text.
    pub uses: usize,
    /// The stored source it cites, as written in `<ref source="Source:Title">`, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Reference<'_> {
    /// The label its citations show, as Wikipedia's: `3` in the default group, `c` in a
    /// `lower-alpha` group (`{{efn}}`), `iii` in `lower-roman`, `note 3` in a group `note`.
    pub fn label(&self) -> String {
        footnote_label(self.group.as_deref(), self.number)
    }
}

/// The counting style of a reference group whose labels are letters or numerals (MediaWiki's
/// `cite_link_label_group-…` groups), if it is one.
pub fn counting_style(group: Option<&str>) -> Option<&'static str> {
    match group? {
        "lower-alpha" | "lower-latin" => Some("lower-alpha"),
        "upper-alpha" | "upper-latin" => Some("upper-alpha"),
        "lower-roman" => Some("lower-roman"),
        "upper-roman" => Some("upper-roman"),
        "lower-greek" => Some("lower-greek"),
        _ => None,
    }
}

/// The label of footnote `number` (from 1) of `group` (see [`Reference::label`]).
pub fn footnote_label(group: Option<&str>, number: usize) -> String {
    let Some(name) = group else {
        return number.to_string();
    };
    match counting_style(group) {
        Some("lower-alpha") => letters(number, b'a'),
        Some("upper-alpha") => letters(number, b'A'),
        Some("lower-roman") => roman(number).to_lowercase(),
        Some("upper-roman") => roman(number),
        Some(_) => greek(number),
        None => format!("{name} {number}"),
    }
}

/// 1 → a, 26 → z, 27 → aa (as the CSS counter styles count).
fn letters(number: usize, first: u8) -> String {
    let mut n = number.max(1);
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(first + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn roman(number: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if number == 0 || number >= 4000 {
        return number.to_string();
    }
    let mut n = number;
    let mut out = String::new();
    for (value, numeral) in NUMERALS {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    out
}

fn greek(number: usize) -> String {
    const LETTERS: [char; 24] = [
        'α', 'β', 'γ', 'δ', 'ε', 'ζ', 'η', 'θ', 'ι', 'κ', 'λ', 'μ', 'ν', 'ξ', 'ο', 'π', 'ρ', 'σ',
        'τ', 'υ', 'φ', 'χ', 'ψ', 'ω',
    ];
    match number.checked_sub(1).and_then(|i| LETTERS.get(i)) {
        Some(c) => c.to_string(),
        None => number.to_string(),
    }
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Inline<'a> {
    /// Plain text (entities already decoded).
    Text {
        /// The text.
        text: Cow<'a, str>,
    },
    /// `''…''`
    Italic {
        /// The content.
        content: Vec<Inline<'a>>,
    },
    /// `'''…'''`
    Bold {
        /// The content.
        content: Vec<Inline<'a>>,
    },
    /// `[[Target#fragment|label]]trail`.
    Link {
        /// The target page as written, without the fragment and a leading `:`. Empty for a
        /// link to a section of this page (`[[#Early life]]`).
        target: Cow<'a, str>,
        /// The part after `#`, if any.
        fragment: Option<Cow<'a, str>>,
        /// The label (the target text when none was given), with the link trail appended.
        label: Vec<Inline<'a>>,
    },
    /// `[[File:Name.jpg|thumb|caption]]`: a captioned link to the file page.
    File {
        /// The file page, such as `File:Name.jpg`.
        target: String,
        /// The caption (the last parameter that is not an image option).
        caption: Vec<Inline<'a>>,
        /// The layout options (`thumb`, `right`, `200px`, `alt=`, `link=`…).
        options: Box<image::ImageOptions>,
    },
    /// `<gallery>`: one file a line (`File:X.jpg|caption`), shown as a grid.
    Gallery {
        /// The files in order.
        items: Vec<GalleryItem<'a>>,
    },
    /// `[https://example.org label]`, or a numbered `[https://example.org]`.
    ExternalLink {
        /// The URL (its scheme is on the allow-list).
        url: Cow<'a, str>,
        /// The label; `None` for a numbered link.
        label: Option<Vec<Inline<'a>>>,
        /// The number shown for a link without label.
        number: usize,
    },
    /// A bare URL in the text.
    Url {
        /// The URL.
        url: Cow<'a, str>,
    },
    /// A template call.
    Template(Template<'a>),
    /// A citation of footnote `refs[index]`; `use_number` counts its uses from 0.
    Ref {
        /// The index into `Document::refs`.
        index: usize,
        /// Which use of the footnote this is (0 for the first).
        use_number: usize,
    },
    /// An allow-listed HTML tag with its safe attributes.
    Html {
        /// The tag name, lower case, from the allow-list.
        tag: Cow<'a, str>,
        /// The attributes that were kept.
        attrs: Vec<(String, String)>,
        /// The content.
        content: Vec<Inline<'a>>,
    },
    /// `<br>`.
    LineBreak,
    /// `<pre>…</pre>` inside a line: shown as it is.
    Pre {
        /// The text.
        text: Cow<'a, str>,
    },
    /// `<references />` or `{{reflist}}` (becomes a block when it stands alone): the
    /// footnotes of `group` among `refs[from..to]`.
    References {
        /// The reference group listed (`None` for the default one).
        group: Option<String>,
        /// The first footnote listed.
        from: usize,
        /// One past the last footnote listed.
        to: usize,
    },
}

impl<'a> Inline<'a> {
    /// A text node.
    pub fn text(text: impl Into<Cow<'a, str>>) -> Self {
        Inline::Text { text: text.into() }
    }
}

/// The text of inline content with the markup removed: link labels, bold text, entities
/// decoded. Footnote markers, templates and numbered external links give nothing.
pub fn plain_text(inlines: &[Inline<'_>]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline<'_>], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text { text } | Inline::Url { url: text } | Inline::Pre { text } => {
                out.push_str(text)
            }
            Inline::Italic { content }
            | Inline::Bold { content }
            | Inline::Html { content, .. } => push_plain(content, out),
            Inline::Link { label, .. } => push_plain(label, out),
            Inline::ExternalLink {
                label: Some(label), ..
            } => push_plain(label, out),
            Inline::LineBreak => out.push(' '),
            Inline::File { .. }
            | Inline::Gallery { .. }
            | Inline::ExternalLink { label: None, .. }
            | Inline::Template(_)
            | Inline::Ref { .. }
            | Inline::References { .. } => {}
        }
    }
}

/// HTML tags an [`Inline::Html`] may carry: the parser keeps only these (others stay text), and
/// the renderer checks again, because a `Document` can be built by anyone.
pub const ALLOWED_HTML_TAGS: [&str; 33] = [
    "b",
    "i",
    "u",
    "s",
    "strike",
    "em",
    "strong",
    "small",
    "big",
    "sub",
    "sup",
    "span",
    "div",
    "blockquote",
    "code",
    "tt",
    "cite",
    "abbr",
    "del",
    "ins",
    "q",
    "kbd",
    "var",
    "samp",
    "mark",
    "bdi",
    "dfn",
    "center",
    "font",
    "p",
    "time",
    "data",
    "wbr",
];

/// URL schemes a link may use (MediaWiki's `$wgUrlProtocols`, abridged). Anything else,
/// `javascript:`, `data:` and `vbscript:` included, stays text.
pub const LINK_SCHEMES: [&str; 24] = [
    "https://",
    "http://",
    "ftp://",
    "ftps://",
    "sftp://",
    "irc://",
    "ircs://",
    "news:",
    "mailto:",
    "//",
    "git://",
    "svn://",
    "gopher://",
    "nntp://",
    "telnet://",
    "tel:",
    "geo:",
    "magnet:",
    "urn:",
    "xmpp:",
    "sip:",
    "sips:",
    "ssh://",
    "mms://",
];

/// Whether `url` starts, at its very first byte, with one of [`LINK_SCHEMES`] (ASCII case
/// ignored) and has something after it.
pub fn has_link_scheme(url: &str) -> bool {
    LINK_SCHEMES.iter().any(|scheme| {
        url.len() > scheme.len()
            && url.as_bytes()[..scheme.len()].eq_ignore_ascii_case(scheme.as_bytes())
    })
}
