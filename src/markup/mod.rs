//! Markup -> [`Document`]. Pure: no I/O, no async, no SQL.
//!
//! The format is the MediaWiki subset described in `DESIGN.md`. The work is split so that
//! each step is linear and bounded:
//!
//! 1. `sections` finds heading lines with two memchr passes (hidden regions, then lines
//!    starting with `=`) and builds the [`Outline`]. [`outline`] stops here.
//! 2. Each section body is tokenised line by line by the pest grammar (`grammar/wiki.pest`,
//!    via `grammar`, which skips plain text with a byte table and asks pest for each token;
//!    tests hold this to pest's own tokenising of whole lines), and `inline` pairs the tokens
//!    into inline content with an explicit, capped stack; `blocks` groups lines into
//!    paragraphs, lists and tables.
//!
//! The [`Document`] borrows its text from the markup (`text` joins touching slices), so a
//! text run costs no allocation; only decoded entities and text joined across a gap (a
//! comment, a link trail) are owned.
//!
//! Any input parses: there is no syntax error in wiki markup, only text.

mod anchors;
mod blocks;
mod entities;
pub mod expansion;
mod gallery;
mod grammar;
mod headed;
mod inline;
mod math;
pub mod preprocess;
mod scan;
mod sections;
mod text;
mod urls;

use serde::Serialize;

use crate::doc::{Block, Document, Inline, Outline, PageLinks, Section, SectionInfo, plain_text};
pub use headed::Headed;
use inline::Ctx;
use sections::{Headings, bom_len, headings, outline_from};

/// Parses a page's markup. Never fails: there is no syntax error in wiki markup.
///
/// The outline is exactly [`outline`]`(text)`; `links` is exactly [`links`]`(text)`.
///
/// What is understood (everything else is text, shown escaped):
///
/// - headings `== T ==` (MediaWiki's rules; see [`outline`]), a leading `= Title =` line;
/// - paragraphs, `*` `#` `;` `:` lists (also `; term : definition`), `----`, lines that
///   begin with a space, `<pre>`, `<nowiki>`, `<!-- -->`, tables `{| |+ |- ! !! | || |}`;
/// - `''italic''`, `'''bold'''`, `'''''both'''''` with MediaWiki's apostrophe rules;
/// - `[[Page]]`, `[[Page#Section|label]]`, link trails, `[[Category:X|sort]]` (listed in
///   `links`, not inline), `[[File:X|thumb|caption]]`, `[https://x label]`, `[https://x]`,
///   bare URLs (allowed schemes only), entities, allow-listed HTML tags;
/// - templates `{{Name|a|key=value}}` (nested, paired ahead of time), `{{DEFAULTSORT:…}}`,
///   `{{reflist}}`; `<ref>`, `<ref name>`, `<ref name />`, `<references />`;
/// - `#REDIRECT [[Target]]`, `__NOTOC__`, `__TOC__`, `__FORCETOC__`, `__NOEDITSECTION__`.
pub fn parse(text: &str) -> Document<'_> {
    parse_found(text, headings(text))
}

/// [`parse`] with the headings already found (those of the page's own text, for an expanded
/// text: see [`expansion`]).
fn parse_found(text: &str, mut found: Headings) -> Document<'_> {
    let mut ctx = Ctx::default();
    let mut heading_inlines: Vec<Vec<Inline<'_>>> = Vec::with_capacity(found.sections.len());
    // The same outline as `outline()`'s, by construction.
    let outline = outline_from(text, &found);
    for (info, h) in outline.sections.iter().skip(1).zip(&found.sections) {
        ctx.section = info.index;
        let mut content = inline::inlines(text, h.content.0, h.content.1, &mut ctx);
        blocks::trim_inlines(&mut content);
        heading_inlines.push(content);
    }
    let mut sections = Vec::with_capacity(outline.sections.len());
    let redirect = grammar::redirect(text);
    let mut headings = heading_inlines.into_iter();
    let mut inner = InnerHeadings::new(&outline, found.hidden.take());
    for (index, _) in outline.sections.iter().enumerate() {
        let (from, to) = body_range(text, &found, index);
        let from = match (&redirect, index) {
            (Some((_, end)), 0) => (*end).clamp(from, to.max(from)),
            _ => from,
        };
        ctx.section = index;
        let blocks = section_blocks(text, from, to, &mut ctx, &mut inner);
        let heading = if index == 0 {
            Vec::new()
        } else {
            headings.next().unwrap_or_default()
        };
        sections.push(Section { heading, blocks });
    }
    let mut links = ctx.links;
    if let Some((target, _)) = redirect {
        let target = target
            .split('#')
            .next()
            .unwrap_or("")
            .trim()
            .trim_start_matches(':')
            .to_string();
        if !target.is_empty() {
            links.links.insert(0, target.clone());
            links.redirect = Some(target);
        }
    }
    Document {
        outline,
        sections,
        links,
        unlisted_refs: ctx
            .groups
            .iter()
            .map(|g| (g.name.clone(), g.listed))
            .collect(),
        refs: ctx.refs,
        toc: ctx.toc,
        toc_position: ctx.toc_position,
        no_edit_section: ctx.no_edit_section,
        default_sort: ctx.default_sort,
    }
}

/// The headings inside section bodies that make no section ([`sections::inner_headings`]):
/// the text's hidden regions once a body needs them, and the page's anchors so far.
struct InnerHeadings {
    hidden: Option<Vec<(usize, usize)>>,
    /// The sections were found in the text parsed (not an expansion of it), so its lines that
    /// begin with `=` are decided already.
    equals_decided: bool,
    /// Seeded with the sections' anchors on the first inner heading (which keep theirs, as
    /// `outline()` gives them).
    anchors: Option<anchors::Anchors>,
    section_anchors: Vec<String>,
}

impl InnerHeadings {
    /// `hidden`: the text's hidden regions when [`sections::headings`] found them in it.
    fn new(outline: &Outline, hidden: Option<Vec<(usize, usize)>>) -> Self {
        InnerHeadings {
            equals_decided: hidden.is_some(),
            hidden,
            anchors: None,
            section_anchors: outline
                .sections
                .iter()
                .skip(1)
                .map(|s| s.anchor.clone())
                .collect(),
        }
    }

    fn anchor(&mut self, title: &str) -> String {
        let sections = &self.section_anchors;
        self.anchors
            .get_or_insert_with(|| {
                let mut anchors = anchors::Anchors::default();
                for a in sections {
                    anchors.reserve(a);
                }
                anchors
            })
            .unique(title)
    }
}

/// The blocks of a section body `text[from..to]`, with a [`Block::Heading`] for each heading
/// line in it that makes no section (a comment-led one, one a template made).
fn section_blocks<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    ctx: &mut Ctx<'a>,
    inner: &mut InnerHeadings,
) -> Vec<Block<'a>> {
    let found = sections::inner_headings(text, (from, to), &mut inner.hidden, inner.equals_decided);
    if found.is_empty() {
        return inline::blocks(text, from, to, ctx);
    }
    let mut blocks = Vec::new();
    let mut at = from;
    let chunk = |blocks: &mut Vec<Block<'a>>, from: usize, to: usize, ctx: &mut Ctx<'a>| {
        let placed = ctx.toc_position.is_some();
        let offset = blocks.len();
        blocks.extend(inline::blocks(text, from, to, ctx));
        // `__TOC__`'s block index counts the blocks before this run too.
        if let (false, Some((_, block))) = (placed, ctx.toc_position.as_mut()) {
            *block += offset;
        }
    };
    for h in found {
        chunk(&mut blocks, at, h.start, ctx);
        let mut content = inline::inlines(text, h.content.0, h.content.1, ctx);
        blocks::trim_inlines(&mut content);
        let title = heading_title(text, h.content);
        blocks.push(Block::Heading {
            level: h.level,
            content,
            anchor: inner.anchor(&title),
            title,
        });
        at = h.body_start;
    }
    chunk(&mut blocks, at, to, ctx);
    blocks
}

fn title_from(content: &[Inline<'_>]) -> String {
    plain_text(content)
        .trim_matches([' ', '\t', '\n', '\r'])
        .to_string()
}

/// The plain text of a heading's source, as both [`outline`] and [`parse`] compute it.
fn heading_title(text: &str, (from, to): (usize, usize)) -> String {
    let raw = &text[from..to];
    // Fast path: nothing that could be markup.
    if !raw.bytes().any(|b| b"[]{}<>&'_|!=:\r\n".contains(&b)) {
        return raw.trim_matches([' ', '\t']).to_string();
    }
    let mut scratch = Ctx::default();
    title_from(&inline::inlines(text, from, to, &mut scratch))
}

/// The body of section `index`: after its heading line, up to the next heading.
fn body_range(text: &str, found: &Headings, index: usize) -> (usize, usize) {
    let next = found.sections.get(index).map_or(text.len(), |h| h.start);
    let start = if index == 0 {
        found.title.map_or(bom_len(text), |t| t.body_start)
    } else {
        found.sections[index - 1].body_start
    };
    (start.min(next), next)
}

/// The section outline of a text, as `plutarch parse` prints it. The fast path: it does not
/// tokenise ordinary text, and agrees exactly with [`parse`]`(text).outline`.
///
/// A heading is a line that starts with `=` and ends with `=` (then only spaces, tabs and
/// comments): its level is the shorter run (at most 6), surplus `=` belong to the title, and
/// a line of three or more `=` alone is a heading too. Lines inside comments (an unclosed
/// `<!--` runs to the end), `<nowiki>`, `<pre>`, `<ref>` and other extension tags, and paired
/// `{{ }}` are not headings; an unpaired `{{` hides nothing. A level-1 heading on the first
/// non-blank line (after a byte-order mark) is the title, not a section. Byte offsets count
/// the text exactly as given (BOM and `\r\n` included).
pub fn outline(text: &str) -> Outline {
    outline_from(text, &headings(text))
}

/// How many tokens the grammar reads in `text`, building nothing (for the benchmark that
/// separates reading the tokens from building the document).
#[doc(hidden)]
pub fn count_tokens(text: &str) -> usize {
    grammar::count_tokens(text)
}

/// What a text links to: internal links, categories, templates and a redirect target.
pub fn links(text: &str) -> PageLinks {
    parse(text).links
}

#[derive(Serialize)]
struct SectionsJson<'a> {
    title: &'a Option<String>,
    sections: &'a [SectionInfo],
}

/// The sections JSON of `plutarch parse` (pretty-printed, as in `CONTRACT.md`).
pub fn sections_json(text: &str) -> String {
    let o = outline(text);
    let json = SectionsJson {
        title: &o.title,
        sections: &o.sections,
    };
    serde_json::to_string_pretty(&json).unwrap_or_else(|_| String::from("{}"))
}
