//! Tokens -> inline content and lines, with an explicit stack for nesting.
//!
//! The grammar gives a flat token stream; this engine pairs delimiters. Templates are paired
//! ahead of time ([`pair_braces`]), so a `{{` without its `}}` is text and can never swallow
//! the rest of the page. Links and bold/italic end with their line, as in MediaWiki. The
//! stack is capped at [`MAX_DEPTH`]; deeper openers are text. Nothing recurses except the
//! content of a `<ref>` (whose own `<ref>` cannot be closed, so that is one level).

use foldhash::{HashMap, HashSet};
use std::borrow::Cow;

use super::blocks::{Builder, LineKind, Split, trim_inlines};
use super::entities::{decode, decode_all};
use super::grammar::{Kind, Token, tokens};
use super::scan::{self, CloseFinder, close_tag_end, pair_braces};
use super::text::{self, push_text, slice_of};
use super::urls::{bare_url_at, safe_url};
use super::{gallery, math};
use crate::doc::image::ImageOptions;
use crate::doc::namespace::Namespace;
use crate::doc::template_kinds::{files_shown, kind_of, links_its_parameters, template_key};
use crate::doc::{
    ALLOWED_HTML_TAGS, Block, GalleryItem, Inline, MAX_DEPTH, MAX_LIST_DEPTH, PageLinks, Param,
    Reference, Template, TocRequest,
};

/// Page-wide state while parsing: what the page links to, its footnotes, its switches.
#[derive(Default)]
pub(crate) struct Ctx<'a> {
    pub links: PageLinks,
    pub refs: Vec<Reference<'a>>,
    /// Named footnotes by (group, name): names are per group, as in MediaWiki.
    ref_names: HashMap<(Option<String>, String), usize>,
    /// The names already in `links.templates` (a set, so many templates stay linear).
    template_names: HashSet<String>,
    /// The reference groups in the order they first appear: their footnote counts and
    /// where their listing stands.
    pub groups: Vec<RefGroup>,
    ext_numbers: usize,
    pub toc: TocRequest,
    pub toc_position: Option<(usize, usize)>,
    pub no_edit_section: bool,
    pub default_sort: Option<String>,
    closes: CloseFinder,
    /// Inside `<references group=…>…</references>`: refs define footnotes of that group (the
    /// inner `Option`) but cite nothing.
    defining: Option<Option<String>>,
    /// Fragment nesting (a `<ref>` inside a heading…), capped.
    nesting: usize,
    /// Which section is being parsed (for `__TOC__`).
    pub section: usize,
}

/// A reference group while parsing.
pub(crate) struct RefGroup {
    /// `None` for the default group.
    pub name: Option<String>,
    /// Its footnotes so far.
    count: usize,
    /// Its footnotes before this index (into `Ctx::refs`) have been listed.
    pub listed: usize,
}

impl Ctx<'_> {
    fn group_mut(&mut self, name: &Option<String>) -> &mut RefGroup {
        let at = match self.groups.iter().position(|g| &g.name == name) {
            Some(at) => at,
            None => {
                self.groups.push(RefGroup {
                    name: name.clone(),
                    count: 0,
                    listed: 0,
                });
                self.groups.len() - 1
            }
        };
        &mut self.groups[at]
    }

    /// The list of `group`'s footnotes not listed yet; later ones wait for the next list.
    fn list_group(&mut self, group: Option<String>) -> Inline<'static> {
        let to = self.refs.len();
        let entry = self.group_mut(&group);
        let from = entry.listed;
        entry.listed = to;
        Inline::References { group, from, to }
    }
}

/// A group name as written (`group="note"`); empty means the default group.
fn group_name(value: &str) -> Option<String> {
    let value = value.trim().trim_matches('"').trim();
    (!value.is_empty()).then(|| value.chars().take(64).collect())
}

/// The group a reference list template lists by default, if `name` is one: `{{reflist}}` the
/// default group, `{{notelist}}` the `lower-alpha` group of `{{efn}}`, its variants theirs.
fn listed_group_of(name: &str) -> Option<Option<&'static str>> {
    const DEFAULT: [&str; 7] = [
        "reflist",
        "references",
        "refs",
        "reference list",
        "fotnoteliste",
        "einzelnachweise",
        "verwysings",
    ];
    const NOTES: [(&str, &str); 7] = [
        ("notelist", "lower-alpha"),
        ("notelist-la", "lower-alpha"),
        ("notelist-ua", "upper-alpha"),
        ("notelist-ul", "upper-alpha"),
        ("notelist-lr", "lower-roman"),
        ("notelist-ur", "upper-roman"),
        ("notelist-lg", "lower-greek"),
    ];
    let name = bare_name(name);
    // Most templates start with a letter none of these does: they go at the first byte.
    let first = name.as_bytes().first()?.to_ascii_lowercase();
    let starts_one = |k: &&str| k.as_bytes().first() == Some(&first);
    if !DEFAULT.iter().any(starts_one) && !NOTES.iter().map(|(k, _)| k).any(starts_one) {
        return None;
    }
    if DEFAULT.iter().any(|k| bare_is(name, k)) {
        return Some(None);
    }
    NOTES
        .iter()
        .find(|(k, _)| bare_is(name, k))
        .map(|(_, group)| Some(*group))
}

/// The group of an `{{efn}}`-like template's notes, if `key` is one.
fn note_group_of(key: &str) -> Option<Option<&'static str>> {
    match key {
        "efn" | "efn-la" => Some(Some("lower-alpha")),
        "efn-ua" | "efn-ul" => Some(Some("upper-alpha")),
        "efn-lr" => Some(Some("lower-roman")),
        "efn-ur" => Some(Some("upper-roman")),
        "efn-lg" => Some(Some("lower-greek")),
        "refn" => Some(None),
        _ if key.starts_with("#tag:ref") => Some(None),
        _ => None,
    }
}

const VOID_TAGS: [&str; 1] = ["wbr"];
/// Longer tag names are none we know.
const TAG_NAME_MAX: usize = 24;

/// A tag name in ASCII lower case, in `buf` (no allocation); empty when too long to be one
/// we know.
fn lower_tag_name<'b>(name: &str, buf: &'b mut [u8; TAG_NAME_MAX]) -> &'b str {
    let Some(out) = buf.get_mut(..name.len()) else {
        return "";
    };
    out.copy_from_slice(name.as_bytes());
    out.make_ascii_lowercase();
    std::str::from_utf8(out).unwrap_or("")
}
/// Tags that are dropped while their content stays (transclusion control, raw-HTML marker).
const DROPPED_TAGS: [&str; 4] = ["html", "noinclude", "includeonly", "onlyinclude"];
/// How far ahead (bytes) the `]]` of a link label that goes over a line break may be.
const MAX_LABEL_SPAN: usize = 500;
/// Block tags that, opened at the end of a line, hold every line up to their closing tag
/// (`<blockquote>` on a line of its own); elsewhere they end with their line.
const BLOCK_TAGS: [&str; 3] = ["blockquote", "div", "center"];
/// Tags whose content is shown as code (we have no renderer for them; `<math>` is made
/// readable, `<gallery>` is a grid: both have their own branch).
const CODE_TAGS: [&str; 10] = [
    "math",
    "source",
    "syntaxhighlight",
    "poem",
    "score",
    "timeline",
    "chem",
    "graph",
    "gallery",
    "templatedata",
];

/// A template's parameters so far: (name of a `key=value` one, value).
type Parts<'a> = Vec<(Option<Cow<'a, str>>, Vec<Inline<'a>>)>;

enum FrameKind<'a> {
    Root,
    Template {
        close: usize,
        parts: Parts<'a>,
        name: Option<Cow<'a, str>>,
    },
    Link {
        open: usize,
        first_pipe: Option<usize>,
        parts: Vec<Vec<Inline<'a>>>,
    },
    Ext {
        url: Cow<'a, str>,
    },
    Italic,
    Bold,
    Html {
        tag: &'static str,
        attrs: Vec<(String, String)>,
    },
}

/// An open construct. Its children so far are `Engine::items[start..]`: all open frames
/// share one buffer, and a closing frame takes its children out as one exact-size vector.
struct Frame<'a> {
    kind: FrameKind<'a>,
    start: usize,
}

/// Whether the fragment is a body (lines make blocks) or inline content (a heading, a ref).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Blocks,
    Inline,
}

struct Engine<'a, 'c> {
    text: &'a str,
    end: usize,
    ctx: &'c mut Ctx<'a>,
    pairs: Vec<(usize, usize)>,
    stack: Vec<Frame<'a>>,
    /// The children of every open frame, innermost last.
    items: Vec<Inline<'a>>,
    mode: Mode,
    builder: Builder<'a>,
    kind: LineKind<'a>,
    splits: Vec<(usize, Split)>,
    /// Source before this position was consumed by Rust (a URL, a link trail).
    resume: usize,
    /// The `'''` on this line that MediaWiki reads as `'` + `''` (see [`odd_bold`]).
    odd_bold: Option<usize>,
    /// The line break that ended the previous line (joins it to a paragraph that goes on).
    last_newline: &'a str,
}

/// MediaWiki's rule for a line with an odd number of both `''` and `'''`: one `'''` is an
/// apostrophe followed by `''` (as in `l'''amour''`). It picks the first `'''` after a
/// one-letter word, else after a longer word, else after a space.
fn odd_bold(line: &[u8], offset: usize) -> Option<usize> {
    let (mut italics, mut bolds) = (0usize, 0usize);
    let mut runs = Vec::new();
    let mut at = 0;
    while let Some(n) = memchr::memchr(b'\'', &line[at..]) {
        let start = at + n;
        let len = line[start..].iter().take_while(|&&b| b == b'\'').count();
        at = start + len;
        match len {
            0 | 1 => {}
            2 => italics += 1,
            3 | 4 => {
                bolds += 1;
                if len == 3 {
                    runs.push(start);
                }
            }
            _ => {
                italics += 1;
                bolds += 1;
            }
        }
    }
    if italics % 2 == 0 || bolds % 2 == 0 {
        return None;
    }
    let before = |i: usize, back: usize| i.checked_sub(back).map(|j| line[j]);
    let single = runs.iter().find(|&&r| {
        before(r, 1).is_some_and(|c| c != b' ') && before(r, 2).is_none_or(|c| c == b' ')
    });
    let multi = runs.iter().find(|&&r| {
        before(r, 1).is_some_and(|c| c != b' ') && before(r, 2).is_some_and(|c| c != b' ')
    });
    let space = runs.iter().find(|&&r| before(r, 1) == Some(b' '));
    single.or(multi).or(space).map(|r| r + offset)
}

/// Parses `text[from..to]` as a section body.
pub(crate) fn blocks<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    ctx: &mut Ctx<'a>,
) -> Vec<Block<'a>> {
    let mut engine = Engine::new(text, from, to, ctx, Mode::Blocks);
    engine.run(from);
    engine.finish_blocks()
}

/// Parses `text[from..to]` as inline content (newlines become spaces).
pub(crate) fn inlines<'a>(
    text: &'a str,
    from: usize,
    to: usize,
    ctx: &mut Ctx<'a>,
) -> Vec<Inline<'a>> {
    let mut engine = Engine::new(text, from, to, ctx, Mode::Inline);
    engine.run(from);
    engine.finish_inline()
}

/// Parses `name="value" name='value' name=value` (values entity-decoded).
pub(crate) fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < 32 {
        while i < b.len() && !(b[i].is_ascii_alphanumeric()) {
            i += 1;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b"-_:".contains(&b[i])) {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = b[vs..]
                    .iter()
                    .position(|&c| c == q)
                    .map_or(b.len(), |n| vs + n);
                value = decode_all(&s[vs..ve]).into_owned();
                i = (ve + 1).min(b.len());
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'/' {
                    i += 1;
                }
                value = decode_all(&s[vs..i]).into_owned();
            }
        }
        out.push((name, value));
    }
    out
}

fn keep_attrs(tag: &str, attrs: Vec<(String, String)>) -> Vec<(String, String)> {
    attrs
        .into_iter()
        .filter(|(k, v)| match k.as_str() {
            "title" | "lang" => true,
            "dir" => matches!(v.as_str(), "ltr" | "rtl" | "auto"),
            "datetime" | "value" => matches!(tag, "time" | "data"),
            _ => false,
        })
        .collect()
}

/// Whether a template's name is `key` (an ASCII lower-case name): case and `_`/space
/// ignored, an optional `Template:` prefix allowed. No allocation.
fn name_is(name: &str, key: &str) -> bool {
    bare_is(bare_name(name), key)
}

/// A template's name without the blanks (white space, `_`) around it and its optional
/// `Template:` prefix.
fn bare_name(name: &str) -> &str {
    let blank = |c: char| c.is_whitespace() || c == '_';
    let n = name.trim_matches(blank);
    if n.len() >= 9 && n.as_bytes()[..9].eq_ignore_ascii_case(b"template:") {
        n[9..].trim_matches(blank)
    } else {
        n
    }
}

/// Whether a [`bare_name`] `n` is `key` (an ASCII lower-case name), case ignored and `_` read
/// as a space.
fn bare_is(n: &str, key: &str) -> bool {
    n.len() == key.len()
        && n.bytes().zip(key.bytes()).all(|(a, b)| {
            let a = if a == b'_' {
                b' '
            } else {
                a.to_ascii_lowercase()
            };
            a == b
        })
}

/// The plain text of inline content, trimmed: a slice of the markup when the content is one
/// borrowed text node (a template's name, usually).
fn trimmed_plain_text<'a>(content: &[Inline<'a>]) -> Cow<'a, str> {
    match content {
        [
            Inline::Text {
                text: Cow::Borrowed(s),
            },
        ] => Cow::Borrowed(s.trim()),
        [] => Cow::Borrowed(""),
        _ => Cow::Owned(crate::doc::plain_text(content).trim().to_string()),
    }
}

impl<'a, 'c> Engine<'a, 'c> {
    fn new(text: &'a str, from: usize, to: usize, ctx: &'c mut Ctx<'a>, mode: Mode) -> Self {
        let pairs = pair_braces(&text.as_bytes()[from..to])
            .into_iter()
            .map(|(o, c)| (o + from, c + from))
            .collect();
        Engine {
            text,
            end: to,
            ctx,
            pairs,
            stack: vec![Frame {
                kind: FrameKind::Root,
                start: 0,
            }],
            items: Vec::new(),
            mode,
            builder: Builder::new(text),
            kind: LineKind::Normal,
            splits: Vec::new(),
            resume: 0,
            odd_bold: None,
            last_newline: "\n",
        }
    }

    /// Where the innermost frame's children start in `items`.
    fn top_start(&self) -> usize {
        self.stack.last().map_or(0, |f| f.start)
    }

    /// The text node that ends the innermost frame's children, if they end with one.
    fn tail_text(&mut self) -> Option<&mut Cow<'a, str>> {
        if self.items.len() <= self.top_start() {
            return None;
        }
        match self.items.last_mut() {
            Some(Inline::Text { text }) => Some(text),
            _ => None,
        }
    }

    /// Appends text: a slice of the markup where possible, so that it joins its neighbours
    /// without allocating.
    fn text_out(&mut self, s: &'a str) {
        if s.is_empty() {
            return;
        }
        let base = self.text;
        match self.tail_text() {
            Some(last) => text::join(base, last, s),
            None => self.items.push(Inline::Text {
                text: Cow::Borrowed(s),
            }),
        }
    }

    /// Appends owned text (decoded entities).
    fn owned_out(&mut self, s: String) {
        match self.tail_text() {
            Some(last) => last.to_mut().push_str(&s),
            None if s.is_empty() => {}
            None => self.items.push(Inline::Text {
                text: Cow::Owned(s),
            }),
        }
    }

    /// Appends one character (a decoded entity).
    fn char_out(&mut self, c: char) {
        match self.tail_text() {
            Some(last) => last.to_mut().push(c),
            None => self.items.push(Inline::Text {
                text: Cow::Owned(c.to_string()),
            }),
        }
    }

    /// Appends one node, merging text nodes.
    fn push_out(&mut self, inline: Inline<'a>) {
        match inline {
            Inline::Text {
                text: Cow::Borrowed(s),
            } => self.text_out(s),
            Inline::Text {
                text: Cow::Owned(s),
            } => self.owned_out(s),
            other => self.items.push(other),
        }
    }

    /// Appends one node that is not text.
    fn push_node(&mut self, inline: Inline<'a>) {
        self.items.push(inline);
    }

    /// Takes the children of a frame that started at `start` out of the shared buffer.
    fn take_children(&mut self, start: usize) -> Vec<Inline<'a>> {
        self.items.drain(start.min(self.items.len())..).collect()
    }

    fn src(&self, t: &Token) -> &'a str {
        &self.text[t.start..t.end]
    }

    fn run(&mut self, mut pos: usize) {
        let mut toks: Vec<Token> = Vec::new();
        let mut line_start = self.mode == Mode::Blocks;
        let mut new_line = true;
        while pos < self.end {
            if new_line {
                let bytes = &self.text.as_bytes()[pos..self.end];
                let len = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
                self.odd_bold = odd_bold(&bytes[..len], pos);
                new_line = false;
            }
            let stop = tokens(self.text, pos, self.end, line_start, &mut toks);
            line_start = false;
            let mut jump = None;
            for t in &toks {
                if t.end <= self.resume {
                    continue;
                }
                let mut t = *t;
                if t.start < self.resume {
                    // The rest of a token a URL or a link trail ran into.
                    if t.kind == Kind::Text {
                        t.start = self.resume;
                    } else {
                        let rest = &self.text[self.resume..t.end];
                        self.text_out(rest);
                        continue;
                    }
                }
                if let Some(to) = self.token(t) {
                    jump = Some(to);
                    break;
                }
            }
            if let Some(to) = jump {
                pos = to;
                continue;
            }
            pos = stop.max(pos);
            if pos < self.end && self.text.as_bytes()[pos] == b'\n' {
                self.newline(pos);
                pos += 1;
                line_start = self.mode == Mode::Blocks;
                new_line = true;
            } else if stop == pos && pos < self.end && toks.is_empty() {
                // Cannot happen with this grammar; never loop forever.
                pos += 1;
            }
        }
    }

    /// Handles one token. Returns a position to continue from when Rust consumed source
    /// past the token (the content of `<nowiki>`, `<ref>`…).
    fn token(&mut self, t: Token) -> Option<usize> {
        self.close_passed_templates(t.start);
        let at_root = self.stack.len() == 1 && self.mode == Mode::Blocks;
        match t.kind {
            Kind::Text => self.text_token(t),
            Kind::Comment => {}
            Kind::Entity => match decode(self.src(&t)) {
                Some(c) => self.char_out(c),
                None => self.text_out(self.src(&t)),
            },
            Kind::Other => {
                if self.src(&t) == "]" && self.close_ext() {
                    return None;
                }
                self.text_out(self.src(&t));
            }
            Kind::Quotes if self.odd_bold == Some(t.start) && t.end - t.start == 3 => {
                self.text_out(&self.text[t.start..t.start + 1]);
                self.quotes(Token {
                    start: t.start + 1,
                    ..t
                });
            }
            Kind::Quotes => self.quotes(t),
            Kind::TplOpen => self.open_template(t),
            Kind::TplClose => self.close_template(t),
            Kind::LinkOpen => self.open_link(t),
            Kind::LinkClose => self.close_link(t),
            Kind::ExtOpen => self.open_ext(t),
            Kind::Pipe | Kind::Pipe2 | Kind::Bang2 | Kind::Equals => self.separator(t, at_root),
            Kind::Magic => self.magic(t),
            Kind::TagOpen => return self.tag_open(t),
            Kind::TagClose => self.tag_close(t),
            _ => self.line_start(t, at_root),
        }
        None
    }

    fn line_start(&mut self, t: Token, at_root: bool) {
        let src = self.src(&t);
        if !at_root {
            // Inside a template spanning lines: `|` separates parameters, the rest is text.
            if t.kind == Kind::TableCell {
                self.separator(
                    Token {
                        kind: Kind::Pipe,
                        ..t
                    },
                    false,
                );
            } else {
                self.text_out(src);
            }
            return;
        }
        let in_table = self.builder.in_table();
        self.kind = match t.kind {
            Kind::ListPrefix => {
                let cut = src.len().min(MAX_LIST_DEPTH);
                let kind = LineKind::List(&src.as_bytes()[..cut]);
                self.text_out(&src[cut..]);
                kind
            }
            Kind::Hr => LineKind::Hr,
            Kind::SpacePre => LineKind::SpacePre,
            Kind::TableStart if self.builder.may_open_table() => {
                // The table's attributes, for the builder to read (`class="sortable"`).
                if let Some(at) = src.find("{|") {
                    self.text_out(&src[at + 2..]);
                }
                LineKind::TableStart
            }
            Kind::TableEnd if in_table => LineKind::TableEnd,
            Kind::TableRow if in_table => LineKind::TableRow,
            Kind::TableCaption if in_table => LineKind::TableCaption,
            Kind::TableHead if in_table => LineKind::TableHead,
            Kind::TableCell if in_table => LineKind::TableCell,
            _ => {
                self.text_out(src);
                LineKind::Normal
            }
        };
    }

    fn text_token(&mut self, t: Token) {
        let s = &self.text[t.start..t.end];
        // Bare URLs: look for `:` and check the scheme before it.
        let mut done = t.start;
        let mut search = 0;
        while let Some(n) = memchr::memchr(b':', &s.as_bytes()[search..]) {
            let colon = t.start + search + n;
            search += n + 1;
            let found = [4usize, 5, 3, 6].iter().find_map(|&back| {
                let start = colon.checked_sub(back)?;
                if start < done || !self.text.is_char_boundary(start) {
                    return None;
                }
                bare_url_at(self.text, start).map(|end| (start, end))
            });
            let Some((start, url_end)) = found else {
                continue;
            };
            let url_end = url_end.min(self.end);
            let before = &self.text[done..start];
            self.text_out(before);
            let url = decode_all(&self.text[start..url_end]);
            self.push_node(Inline::Url { url });
            done = url_end;
            if url_end >= t.end {
                self.resume = url_end;
                return;
            }
            search = url_end - t.start;
        }
        let mut rest = &self.text[done..t.end];
        if self.text.as_bytes().get(t.end) == Some(&b'\n') {
            rest = rest.strip_suffix('\r').unwrap_or(rest);
        }
        self.text_out(rest);
    }

    // ------------------------------------------------------------ frames

    fn push_frame(&mut self, kind: FrameKind<'a>) -> bool {
        if self.stack.len() >= MAX_DEPTH {
            return false;
        }
        self.stack.push(Frame {
            kind,
            start: self.items.len(),
        });
        true
    }

    /// The index of the innermost template frame, if any.
    fn template_floor(&self) -> usize {
        self.stack
            .iter()
            .rposition(|f| matches!(f.kind, FrameKind::Template { .. }))
            .unwrap_or(0)
    }

    /// Pops the top frame: bold, tags and templates close; links turn back into text (a
    /// link that closes properly is finished by `close_link`/`close_ext` instead).
    fn pop_frame(&mut self) {
        let Some(frame) = self.stack.pop() else {
            return;
        };
        if self.stack.is_empty() {
            self.stack.push(frame);
            return;
        }
        let children = self.take_children(frame.start);
        match frame.kind {
            FrameKind::Root => {}
            FrameKind::Italic => self.push_node(Inline::Italic { content: children }),
            FrameKind::Bold => self.push_node(Inline::Bold { content: children }),
            FrameKind::Html { tag, attrs } => self.push_node(Inline::Html {
                tag: Cow::Borrowed(tag),
                attrs,
                content: children,
            }),
            FrameKind::Template { parts, name, .. } => {
                if let Some(done) = self.finish_template(parts, name, children) {
                    self.push_out(done);
                }
            }
            FrameKind::Link { open, parts, .. } => {
                // Not a link after all: its source as text again.
                self.text_out(&self.text[open..open + 2]);
                self.unfold_link(parts, children);
            }
            FrameKind::Ext { url } => {
                self.text_out("[");
                self.push_node(Inline::Url { url });
                self.append_out(children);
            }
        }
    }

    /// Appends inline content to the top frame, merging text nodes.
    fn append_out(&mut self, content: Vec<Inline<'a>>) {
        for inline in content {
            self.push_out(inline);
        }
    }

    /// The parts of a link that did not close, with `|` between them, as text.
    fn unfold_link(&mut self, parts: Vec<Vec<Inline<'a>>>, last: Vec<Inline<'a>>) {
        for part in parts {
            self.append_out(part);
            self.text_out("|");
        }
        self.append_out(last);
    }

    /// Closes frames above `index` (bold and tags close, links turn back into text).
    fn unwind_to(&mut self, index: usize) {
        while self.stack.len() > index + 1 {
            self.pop_frame();
        }
    }

    fn close_passed_templates(&mut self, at: usize) {
        loop {
            let floor = self.template_floor();
            match self.stack[floor].kind {
                FrameKind::Template { close, .. } if floor > 0 && close < at => {
                    self.unwind_to(floor);
                    self.pop_frame();
                }
                _ => return,
            }
        }
    }

    // ------------------------------------------------------------ templates

    fn open_template(&mut self, t: Token) {
        let close = self
            .pairs
            .binary_search_by_key(&t.start, |p| p.0)
            .ok()
            .map(|i| self.pairs[i].1);
        match close {
            Some(close)
                if self.push_frame(FrameKind::Template {
                    close,
                    parts: Vec::new(),
                    name: None,
                }) => {}
            _ => self.text_out("{{"),
        }
    }

    fn close_template(&mut self, t: Token) {
        let floor = self.template_floor();
        if let FrameKind::Template { close, .. } = self.stack[floor].kind {
            if floor > 0 && close == t.start {
                self.unwind_to(floor);
                self.pop_frame();
                return;
            }
        }
        self.text_out("}}");
    }

    fn finish_template(
        &mut self,
        mut parts: Parts<'a>,
        name: Option<Cow<'a, str>>,
        children: Vec<Inline<'a>>,
    ) -> Option<Inline<'a>> {
        parts.push((name, children));
        let mut parts = parts.into_iter();
        let (_, name_part) = parts.next()?;
        let name = trimmed_plain_text(&name_part);
        let params: Vec<Param<'a>> = parts
            .map(|(name, mut value)| {
                if name.is_some() {
                    trim_inlines(&mut value);
                } else {
                    while let Some(Inline::Text { text }) = value.last_mut() {
                        text::trim_end_matches(text, &['\n', '\r']);
                        if text.is_empty() {
                            value.pop();
                        } else {
                            break;
                        }
                    }
                }
                Param { name, value }
            })
            .collect();
        if name_is(&name, "!") {
            return Some(Inline::text("|"));
        }
        if let Some((magic, value)) = name.split_once(':') {
            let magic = magic.trim();
            if ["DEFAULTSORT", "DEFAULTSORTKEY", "DEFAULTCATEGORYSORT"]
                .iter()
                .any(|m| m.eq_ignore_ascii_case(magic))
            {
                self.ctx.default_sort = Some(value.trim().to_string());
                return None;
            }
        }
        if let Some(listed) = listed_group_of(&name) {
            self.record_template(&name);
            let group = group_param(&params).or(listed.map(str::to_owned));
            return Some(self.ctx.list_group(group));
        }
        let key = template_key(&name);
        if let Some(footnote) = footnote_of(&key, &params) {
            if !name.starts_with('#') {
                self.record_template(&name);
            }
            // Inside `{{notelist|refs=…}}` an `{{efn|name=…|…}}` defines a note.
            let defining = self.list_being_defined().is_some();
            self.cite(
                footnote.name,
                footnote.group,
                footnote.content,
                None,
                defining,
            );
            return None;
        }
        if !name.is_empty() && !name.starts_with('#') {
            self.record_template(&name);
        }
        // The files it shows (an infobox's portrait, a figure template's images) are recorded
        // as links to them, as MediaWiki records the files a page shows: the renderer resolves
        // these and an upload refreshes the pages showing them.
        let kind = kind_of(&key);
        for file in files_shown(kind, &params) {
            self.record_file(&file);
        }
        if links_its_parameters(kind) {
            // A hatnote's pages are links of the page, as MediaWiki records them.
            for p in params.iter().filter(|p| p.name.is_none()) {
                let target = crate::doc::plain_text(&p.value);
                let target = target.trim();
                let page = target.split_once('#').map_or(target, |(page, _)| page);
                if !page.is_empty() {
                    self.ctx.links.links.push(page.to_string());
                }
            }
        }
        Some(Inline::Template(Template { name, params }))
    }

    /// Records that the page shows the file `name` (with or without its `File:` prefix).
    fn record_file(&mut self, name: &str) {
        let bare = match name.split_once(':') {
            Some((ns, rest)) if Namespace::from_prefix(ns) == Some(Namespace::File) => rest.trim(),
            _ => name,
        };
        if !bare.is_empty() {
            self.ctx.links.files.push(format!("File:{bare}"));
        }
    }

    fn record_template(&mut self, name: &str) {
        if !self.ctx.template_names.contains(name) {
            self.ctx.template_names.insert(name.to_string());
            self.ctx.links.templates.push(name.to_string());
        }
    }

    fn separator(&mut self, t: Token, at_root: bool) {
        let src = self.src(&t);
        let top = self.stack.len() - 1;
        let pipe = matches!(t.kind, Kind::Pipe | Kind::Pipe2);
        let start = self.stack[top].start.min(self.items.len());
        // Only asked for a template's parameter name: at the root of a table row the items
        // since the line start grow with every cell, and scanning them each time was n^2.
        let all_text = |items: &[Inline<'a>]| {
            items[start..]
                .iter()
                .all(|i| matches!(i, Inline::Text { .. }))
        };
        let frame = &mut self.stack[top];
        let items = &mut self.items;
        match &mut frame.kind {
            FrameKind::Template { parts, name, .. } if pipe => {
                parts.push((name.take(), items.drain(start..).collect()));
                if t.kind == Kind::Pipe2 {
                    parts.push((None, Vec::new()));
                }
            }
            FrameKind::Template { parts, name, .. }
                if t.kind == Kind::Equals
                    && !parts.is_empty()
                    && name.is_none()
                    && all_text(items) =>
            {
                // The name is read in place: its nodes are not kept.
                *name = Some(trimmed_plain_text(&items[start..]));
                items.truncate(start);
            }
            FrameKind::Link {
                first_pipe, parts, ..
            } if pipe => {
                if first_pipe.is_none() {
                    *first_pipe = Some(t.start);
                }
                parts.push(items.drain(start..).collect());
                if t.kind == Kind::Pipe2 {
                    parts.push(Vec::new());
                }
            }
            _ if at_root
                && matches!(
                    self.kind,
                    LineKind::TableCell | LineKind::TableHead | LineKind::TableCaption
                ) =>
            {
                let split = match t.kind {
                    Kind::Pipe2 => Split::Cell,
                    Kind::Bang2 if self.kind == LineKind::TableHead => Split::Cell,
                    Kind::Pipe => Split::Attr,
                    _ => return self.text_out(src),
                };
                // An empty text node starts the next cell, so text after the split does
                // not merge into the node before it.
                self.splits.push((self.items.len(), split));
                self.items.push(Inline::text(""));
            }
            _ => self.text_out(src),
        }
    }

    // ------------------------------------------------------------ links

    fn open_link(&mut self, t: Token) {
        if !self.push_frame(FrameKind::Link {
            open: t.start,
            first_pipe: None,
            parts: Vec::new(),
        }) {
            self.text_out("[[");
        }
    }

    fn close_link(&mut self, t: Token) {
        let floor = self.template_floor();
        let Some(index) = (floor..self.stack.len())
            .rev()
            .find(|&i| matches!(self.stack[i].kind, FrameKind::Link { .. }))
        else {
            if self.close_ext() {
                self.text_out("]");
            } else {
                self.text_out("]]");
            }
            return;
        };
        // Bold or tags inside the label close with it; an open external link does not.
        while self.stack.len() > index + 1 {
            self.pop_frame();
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        // The children are taken only where they are used: a plain `[[Target]]` drops them.
        let start = frame.start;
        let FrameKind::Link {
            open,
            first_pipe,
            mut parts,
        } = frame.kind
        else {
            return;
        };
        let target_end = first_pipe.unwrap_or(t.start);
        let raw_target = &self.text[open + 2..target_end];
        let bare = raw_target.trim().trim_start_matches(':').trim();
        // `[[Category:]]` or `[[File:]]` (in any of their names) names no page.
        let empty_namespace = bare.split_once(':').is_some_and(|(ns, rest)| {
            rest.trim().is_empty()
                && matches!(
                    Namespace::from_prefix(ns),
                    Some(Namespace::Category | Namespace::File)
                )
        });
        let valid = !bare.is_empty()
            && !empty_namespace
            && !raw_target.contains(['\n', '[', ']', '{', '}', '<', '>']);
        if !valid {
            let children = self.take_children(start);
            self.text_out(&self.text[open..open + 2]);
            self.unfold_link(parts, children);
            self.text_out(self.src(&t));
            return;
        }
        let has_pipe = first_pipe.is_some();
        let decoded = decode_all(raw_target.trim());
        let (colon, target_text) = match decoded.strip_prefix(':') {
            Some(rest) => (true, slice_of(&decoded, rest.trim_start())),
            None => (false, decoded.clone()),
        };
        if !colon {
            if let Some((ns, rest)) = target_text.split_once(':') {
                let rest = rest.trim();
                let namespace = Namespace::from_prefix(ns);
                if namespace == Some(Namespace::Category) && !rest.is_empty() {
                    let sort = has_pipe.then(|| {
                        decode_all(self.text[target_end + 1..t.start].trim()).into_owned()
                    });
                    self.ctx.links.categories.push((rest.to_string(), sort));
                    self.items.truncate(start);
                    return;
                }
                if namespace == Some(Namespace::File) {
                    parts.push(self.take_children(start));
                    let mut options = ImageOptions::default();
                    let caption = parts
                        .into_iter()
                        .skip(1)
                        .filter(|p| !options.read(&crate::doc::plain_text(p)))
                        .last()
                        .unwrap_or_default();
                    self.record_file(rest);
                    let target = format!("File:{rest}");
                    self.push_node(Inline::File {
                        target,
                        caption,
                        options: Box::new(options),
                    });
                    return;
                }
            }
        }
        let (page, fragment) = match target_text.split_once('#') {
            Some((page, fragment)) => (
                slice_of(&target_text, page.trim()),
                Some(slice_of(&target_text, fragment.trim())),
            ),
            None => (slice_of(&target_text, target_text.trim()), None),
        };
        if !page.is_empty() {
            self.ctx.links.links.push(page.to_string());
        }
        let mut label: Vec<Inline<'a>> = if has_pipe {
            parts.push(self.take_children(start));
            let mut labels = parts.into_iter().skip(1);
            let mut label = labels.next().unwrap_or_default();
            for part in labels {
                push_text(self.text, &mut label, "|");
                label.extend(part);
            }
            label
        } else {
            self.items.truncate(start);
            Vec::with_capacity(1)
        };
        if label.is_empty() {
            label.push(Inline::Text { text: target_text });
        }
        // Link trail: letters right after `]]` join the label (`[[cat]]s`).
        let trail_len = self.text.as_bytes()[t.end..self.end]
            .iter()
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        if trail_len > 0 {
            push_text(self.text, &mut label, &self.text[t.end..t.end + trail_len]);
            self.resume = t.end + trail_len;
        }
        self.push_node(Inline::Link {
            target: page,
            fragment,
            label,
        });
    }

    fn open_ext(&mut self, t: Token) {
        let raw = &self.text[t.start + 1..t.end];
        let opened = match safe_url(raw) {
            Some(url) => self.push_frame(FrameKind::Ext { url }),
            None => false,
        };
        if !opened {
            self.text_out(self.src(&t));
        }
    }

    /// Closes an open external link at `]`; false if there is none.
    fn close_ext(&mut self) -> bool {
        let floor = self.template_floor();
        let Some(index) = (floor..self.stack.len())
            .rev()
            .take_while(|&i| !matches!(self.stack[i].kind, FrameKind::Link { .. }))
            .find(|&i| matches!(self.stack[i].kind, FrameKind::Ext { .. }))
        else {
            return false;
        };
        while self.stack.len() > index + 1 {
            self.pop_frame();
        }
        let Some(frame) = self.stack.pop() else {
            return false;
        };
        let FrameKind::Ext { url } = frame.kind else {
            return false;
        };
        let mut label = self.take_children(frame.start);
        trim_inlines(&mut label);
        let link = if label.is_empty() {
            self.ctx.ext_numbers += 1;
            Inline::ExternalLink {
                url,
                label: None,
                number: self.ctx.ext_numbers,
            }
        } else {
            Inline::ExternalLink {
                url,
                label: Some(label),
                number: 0,
            }
        };
        self.push_node(link);
        true
    }

    // ------------------------------------------------------------ bold and italic

    fn find_quote(&self, bold: bool) -> Option<usize> {
        let floor = self.template_floor();
        (floor + 1..self.stack.len())
            .rev()
            .find(|&i| match self.stack[i].kind {
                FrameKind::Italic => !bold,
                FrameKind::Bold => bold,
                _ => false,
            })
    }

    /// Closes the frame at `index`, reopening bold/italic frames that were above it.
    fn close_quote(&mut self, index: usize) {
        let mut reopen = Vec::new();
        while self.stack.len() > index + 1 {
            match self.stack[self.stack.len() - 1].kind {
                FrameKind::Italic => reopen.push(true),
                FrameKind::Bold => reopen.push(false),
                _ => {}
            }
            self.pop_frame();
        }
        self.pop_frame();
        for italic in reopen.into_iter().rev() {
            self.push_frame(if italic {
                FrameKind::Italic
            } else {
                FrameKind::Bold
            });
        }
    }

    fn toggle(&mut self, bold: bool) {
        match self.find_quote(bold) {
            Some(i) => self.close_quote(i),
            None => {
                if !self.push_frame(if bold {
                    FrameKind::Bold
                } else {
                    FrameKind::Italic
                }) {
                    self.text_out(if bold { "'''" } else { "''" });
                }
            }
        }
    }

    /// A run of apostrophes (the token may start inside the grammar's token).
    fn quotes(&mut self, t: Token) {
        match t.end - t.start {
            2 => self.toggle(false),
            3 => self.toggle(true),
            4 => {
                self.text_out(&self.text[t.start..t.start + 1]);
                self.toggle(true);
            }
            n => {
                if n > 5 {
                    self.text_out(&self.text[t.start..t.end - 5]);
                }
                let italic = self.find_quote(false);
                let bold = self.find_quote(true);
                match (italic, bold) {
                    (Some(i), Some(b)) => {
                        // Close the inner one first.
                        if i > b {
                            self.toggle(false);
                            self.toggle(true);
                        } else {
                            self.toggle(true);
                            self.toggle(false);
                        }
                    }
                    (Some(_), None) => {
                        self.toggle(false);
                        self.toggle(true);
                    }
                    (None, Some(_)) => {
                        self.toggle(true);
                        self.toggle(false);
                    }
                    (None, None) => {
                        self.toggle(false);
                        self.toggle(true);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------ tags

    fn tag_open(&mut self, t: Token) -> Option<usize> {
        let src = self.src(&t);
        let inner = &src[1..src.len() - 1];
        let name_len = inner
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let mut buf = [0u8; TAG_NAME_MAX];
        let name = lower_tag_name(&inner[..name_len], &mut buf);
        let self_closing = inner.ends_with('/');
        let attrs_src = inner[name_len..].trim_end_matches('/');
        match name {
            "br" => {
                self.push_node(Inline::LineBreak);
                None
            }
            n if DROPPED_TAGS.contains(&n) => None,
            "nowiki" | "pre" => {
                if self_closing {
                    return None;
                }
                let Some((content_end, after)) =
                    self.find_close(if name == "pre" { "pre" } else { "nowiki" }, t.end)
                else {
                    self.text_out(src);
                    return None;
                };
                let content = decode_all(&self.text[t.end..content_end]);
                if name == "pre" {
                    let text = match content.strip_prefix('\n') {
                        Some(rest) => slice_of(&content, rest),
                        None => content,
                    };
                    self.push_node(Inline::Pre { text });
                } else {
                    match content {
                        Cow::Borrowed(s) => self.text_out(s),
                        Cow::Owned(s) => self.owned_out(s),
                    }
                }
                Some(after)
            }
            "ref" => {
                let attrs = parse_attrs(attrs_src);
                let ref_name = attrs
                    .iter()
                    .find(|(k, _)| k == "name")
                    .map(|(_, v)| v.trim().to_string())
                    .filter(|v| !v.is_empty());
                let source = attrs
                    .iter()
                    .find(|(k, _)| k == "source")
                    .map(|(_, v)| v.trim().to_string())
                    .filter(|v| !v.is_empty());
                if let Some(source) = &source {
                    // The cited source counts as a link: its backlinks and the caches see it.
                    self.ctx.links.links.push(source.clone());
                }
                // Inside `{{reflist|refs=…}}` a ref defines a footnote of the list's group.
                let list = self.list_being_defined();
                let group = attrs
                    .iter()
                    .find(|(k, _)| k == "group")
                    .and_then(|(_, v)| group_name(v))
                    .or(list.clone().flatten());
                let defining = list.is_some();
                if self_closing {
                    self.cite(ref_name, group, None, source, defining);
                    return None;
                }
                let Some((content_end, after)) = self.find_ref_close(t.end) else {
                    self.text_out(src);
                    return None;
                };
                let content = self.sub_inlines(t.end, content_end);
                self.cite(ref_name, group, Some(content), source, defining);
                Some(after)
            }
            "references" => {
                let group = parse_attrs(attrs_src)
                    .iter()
                    .find(|(k, _)| k == "group")
                    .and_then(|(_, v)| group_name(v));
                let mut after = None;
                if !self_closing {
                    if let Some((content_end, end)) = self.find_close("references", t.end) {
                        let was = self.ctx.defining.replace(group.clone());
                        let _ = self.sub_inlines(t.end, content_end);
                        self.ctx.defining = was;
                        after = Some(end);
                    }
                }
                let list = self.ctx.list_group(group);
                self.push_node(list);
                after
            }
            "gallery" => {
                if self_closing {
                    return None;
                }
                let Some((content_end, after)) = self.find_close("gallery", t.end) else {
                    self.text_out(src);
                    return None;
                };
                let lines = gallery::lines(self.text, t.end, content_end);
                for line in &lines {
                    self.record_file(&line.target);
                }
                let items = lines
                    .into_iter()
                    .map(|line| GalleryItem {
                        target: line.target,
                        caption: line
                            .caption
                            .map(|(from, to)| self.sub_inlines(from, to))
                            .unwrap_or_default(),
                    })
                    .collect();
                self.push_node(Inline::Gallery { items });
                Some(after)
            }
            "math" => {
                if self_closing {
                    return None;
                }
                let Some((content_end, after)) = self.find_close("math", t.end) else {
                    self.text_out(src);
                    return None;
                };
                let source = decode_all(&self.text[t.end..content_end]);
                self.push_node(Inline::Html {
                    tag: Cow::Borrowed("code"),
                    attrs: vec![("title".to_owned(), source.trim().to_owned())],
                    content: vec![Inline::text(math::readable(&source))],
                });
                Some(after)
            }
            n if BLOCK_TAGS.contains(&n) && !self_closing && self.opens_at_line_end(t.end) => {
                let &tag = BLOCK_TAGS.iter().find(|b| **b == n)?;
                let Some((content_end, after)) = self.find_close(tag, t.end) else {
                    self.text_out(src);
                    return None;
                };
                let content = self.sub_inlines(t.end, content_end);
                self.push_node(Inline::Html {
                    tag: Cow::Borrowed(tag),
                    attrs: keep_attrs(tag, parse_attrs(attrs_src)),
                    content,
                });
                Some(after)
            }
            n if CODE_TAGS.contains(&n) => {
                if self_closing {
                    return None;
                }
                let close_name = CODE_TAGS
                    .iter()
                    .find(|c| **c == n)
                    .copied()
                    .unwrap_or("math");
                let Some((content_end, after)) = self.find_close(close_name, t.end) else {
                    self.text_out(src);
                    return None;
                };
                if n != "templatedata" {
                    let content = decode_all(&self.text[t.end..content_end]);
                    self.push_node(Inline::Html {
                        tag: Cow::Borrowed("code"),
                        attrs: Vec::new(),
                        content: vec![Inline::Text { text: content }],
                    });
                }
                Some(after)
            }
            n => {
                match ALLOWED_HTML_TAGS.iter().find(|a| **a == n) {
                    Some(&tag) => {
                        let attrs = keep_attrs(tag, parse_attrs(attrs_src));
                        if self_closing || VOID_TAGS.contains(&tag) {
                            self.push_node(Inline::Html {
                                tag: Cow::Borrowed(tag),
                                attrs,
                                content: Vec::new(),
                            });
                        } else if !self.push_frame(FrameKind::Html { tag, attrs }) {
                            self.text_out(src);
                        }
                    }
                    None => self.text_out(src),
                }
                None
            }
        }
    }

    fn tag_close(&mut self, t: Token) {
        let src = self.src(&t);
        let mut buf = [0u8; TAG_NAME_MAX];
        let name = lower_tag_name(src[2..].trim_end_matches('>').trim(), &mut buf);
        if name == "br" {
            self.push_node(Inline::LineBreak);
            return;
        }
        let floor = self.template_floor();
        let open = (floor + 1..self.stack.len())
            .rev()
            .find(|&i| matches!(self.stack[i].kind, FrameKind::Html { tag, .. } if tag == name));
        match open {
            Some(i) => {
                while self.stack.len() > i + 1 {
                    self.pop_frame();
                }
                self.pop_frame();
            }
            // A stray closing tag of an allowed element is dropped, as MediaWiki does.
            None if ALLOWED_HTML_TAGS.contains(&name) || DROPPED_TAGS.contains(&name) => {}
            None => self.text_out(src),
        }
    }

    /// Whether only spaces follow `at` up to the end of its line (and the line goes on).
    fn opens_at_line_end(&self, at: usize) -> bool {
        let rest = &self.text.as_bytes()[at..self.end];
        match memchr::memchr(b'\n', rest) {
            Some(n) => rest[..n].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')),
            None => false,
        }
    }

    /// The content end and the position after `</name>`, within this fragment.
    fn find_close(&mut self, name: &'static str, from: usize) -> Option<(usize, usize)> {
        let at = self.ctx.closes.next(self.text.as_bytes(), name, from)?;
        if at >= self.end {
            return None;
        }
        let after = close_tag_end(self.text.as_bytes(), at).min(self.end);
        Some((at, after))
    }

    fn sub_inlines(&mut self, from: usize, to: usize) -> Vec<Inline<'a>> {
        if self.ctx.nesting >= 2 {
            return vec![Inline::Text {
                text: decode_all(&self.text[from..to]),
            }];
        }
        self.ctx.nesting += 1;
        // The nested fragment has its own close-tag cache (it searches a shorter range).
        let saved = std::mem::take(&mut self.ctx.closes);
        let mut out = inlines(self.text, from, to, self.ctx);
        self.ctx.closes = saved;
        self.ctx.nesting -= 1;
        trim_inlines(&mut out);
        out
    }

    /// The content end and the position after the `</ref>` that closes a `<ref>` whose
    /// content starts at `from`: a `<ref>…</ref>` inside it (`{{#tag:ref|note <ref>cite</ref>}}`
    /// expands to one) closes first.
    fn find_ref_close(&mut self, from: usize) -> Option<(usize, usize)> {
        const MAX_NESTED: usize = 8;
        let first = self.find_close("ref", from)?;
        let mut close = first;
        let mut open = scan::ref_opens(&self.text.as_bytes()[from..close.0]);
        for _ in 0..MAX_NESTED {
            if open == 0 {
                return Some(close);
            }
            let Some(next) = self.find_close("ref", close.1) else {
                return Some(first);
            };
            open = open - 1 + scan::ref_opens(&self.text.as_bytes()[close.1..next.0]);
            close = next;
        }
        Some(first)
    }

    /// The group of the reference list template being read (`{{reflist|refs=…}}`), if a ref
    /// here stands inside one.
    fn list_being_defined(&self) -> Option<Option<String>> {
        if let Some(defining) = &self.ctx.defining {
            return Some(defining.clone());
        }
        let floor = self.template_floor();
        let FrameKind::Template { parts, .. } = &self.stack.get(floor)?.kind else {
            return None;
        };
        if floor == 0 {
            return None;
        }
        let (_, name) = parts.first()?;
        let listed = listed_group_of(&trimmed_plain_text(name))?;
        let params: Vec<Param<'_>> = parts[1..]
            .iter()
            .map(|(name, value)| Param {
                name: name.clone(),
                value: value.clone(),
            })
            .filter(|p| p.name.is_some())
            .collect();
        Some(group_param(&params).or(listed.map(str::to_owned)))
    }

    fn cite(
        &mut self,
        name: Option<String>,
        group: Option<String>,
        content: Option<Vec<Inline<'a>>>,
        source: Option<String>,
        defining: bool,
    ) {
        let key = name.as_ref().map(|n| (group.clone(), n.clone()));
        let existing = key
            .as_ref()
            .and_then(|k| self.ctx.ref_names.get(k).copied());
        let index = match existing {
            Some(i) => {
                if let Some(c) = content.filter(|c| !c.is_empty()) {
                    if self.ctx.refs[i].content.is_empty() {
                        self.ctx.refs[i].content = c;
                    }
                }
                if self.ctx.refs[i].source.is_none() {
                    self.ctx.refs[i].source = source;
                }
                i
            }
            None => {
                let i = self.ctx.refs.len();
                if let Some(k) = key {
                    self.ctx.ref_names.insert(k, i);
                }
                let entry = self.ctx.group_mut(&group);
                entry.count += 1;
                let number = entry.count;
                self.ctx.refs.push(Reference {
                    name,
                    group,
                    number,
                    content: content.unwrap_or_default(),
                    uses: 0,
                    source,
                });
                i
            }
        };
        if defining || self.ctx.defining.is_some() {
            return;
        }
        let use_number = self.ctx.refs[index].uses;
        self.ctx.refs[index].uses += 1;
        self.push_node(Inline::Ref { index, use_number });
    }

    fn magic(&mut self, t: Token) {
        let src = self.src(&t);
        let word = src.trim_matches('_').to_ascii_uppercase();
        match word.as_str() {
            "NOTOC" => self.ctx.toc = TocRequest::Hide,
            "FORCETOC" => {
                if self.ctx.toc != TocRequest::Hide {
                    self.ctx.toc = TocRequest::Force;
                }
            }
            "TOC" => {
                if self.ctx.toc != TocRequest::Hide {
                    self.ctx.toc = TocRequest::Force;
                }
                if self.ctx.toc_position.is_none() && self.mode == Mode::Blocks {
                    self.ctx.toc_position = Some((self.ctx.section, self.builder.position()));
                }
            }
            "NOEDITSECTION" => self.ctx.no_edit_section = true,
            "NOINDEX"
            | "INDEX"
            | "NEWSECTIONLINK"
            | "NONEWSECTIONLINK"
            | "NOGALLERY"
            | "HIDDENCAT"
            | "EXPECTUNUSEDCATEGORY"
            | "NOCONTENTCONVERT"
            | "NOCC"
            | "NOTITLECONVERT"
            | "NOTC"
            | "STATICREDIRECT"
            | "DISAMBIG"
            | "NOGLOBAL" => {}
            _ => self.text_out(src),
        }
    }

    // ------------------------------------------------------------ lines

    /// The line break at `at`.
    fn newline(&mut self, at: usize) {
        let floor = self.template_floor();
        // Links, external links, bold and tags end with their line, except a link's label
        // whose `]]` comes on a following line of the same paragraph.
        let keep = self.label_going_on(floor, at).unwrap_or(floor + 1);
        while self.stack.len() > keep {
            self.pop_frame();
        }
        let newline = &self.text[at..at + 1];
        if self.stack.len() > 1 || self.mode == Mode::Inline {
            self.text_out(newline);
            return;
        }
        self.flush_line();
        self.last_newline = newline;
    }

    /// The number of frames to keep open over the line break at `at`: up to the first open
    /// link (above `floor`) past its `|`, if its `]]` follows within [`MAX_LABEL_SPAN`] bytes,
    /// before any `[[`, blank line or line that starts a list, table or heading.
    fn label_going_on(&self, floor: usize, at: usize) -> Option<usize> {
        let link = (floor + 1..self.stack.len()).find(|&i| {
            matches!(
                self.stack[i].kind,
                FrameKind::Link {
                    first_pipe: Some(_),
                    ..
                }
            )
        })?;
        let ahead = &self.text.as_bytes()[at + 1..self.end.min(at + 1 + MAX_LABEL_SPAN)];
        let mut line_start = true;
        for (i, &b) in ahead.iter().enumerate() {
            if line_start
                && matches!(
                    b,
                    b'\n' | b'*' | b'#' | b':' | b';' | b'|' | b'!' | b'=' | b'{' | b' '
                )
            {
                return None;
            }
            line_start = b == b'\n';
            match (b, ahead.get(i + 1)) {
                (b']', Some(b']')) => return Some(link + 1),
                (b'[', Some(b'[')) => return None,
                _ => {}
            }
        }
        None
    }

    fn flush_line(&mut self) {
        let inlines = self.take_children(0);
        let kind = std::mem::replace(&mut self.kind, LineKind::Normal);
        self.builder
            .line(kind, inlines, &self.splits, self.last_newline);
        self.splits.clear();
    }

    fn close_all(&mut self) {
        while self.stack.len() > 1 {
            self.pop_frame();
        }
    }

    fn finish_blocks(mut self) -> Vec<Block<'a>> {
        self.close_all();
        self.flush_line();
        self.builder.finish()
    }

    fn finish_inline(mut self) -> Vec<Inline<'a>> {
        self.close_all();
        self.take_children(0)
    }
}

/// The footnote a footnote-making template stands for: `{{sfn|Smith|2001|p=5}}` (a short
/// citation, named by its arguments so repeats share it), `{{efn|…}}`, `{{refn|…}}`,
/// `{{#tag:ref|…}}`.
fn footnote_of<'a>(key: &str, params: &[Param<'a>]) -> Option<TemplateFootnote<'a>> {
    let named = |wanted: &str| {
        params
            .iter()
            .find(|p| {
                p.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(wanted))
            })
            .map(|p| crate::doc::plain_text(&p.value).trim().to_string())
            .filter(|n| !n.is_empty())
    };
    match key {
        "sfn" | "sfnp" | "sfnm" => {
            let mut id = String::from("FOOTNOTE");
            for p in params {
                if let Some(n) = &p.name {
                    id.push_str(n);
                    id.push('=');
                }
                id.push_str(crate::doc::plain_text(&p.value).trim());
                id.push('|');
            }
            let short = Template {
                name: Cow::Borrowed("harvnb"),
                params: params.to_vec(),
            };
            Some(TemplateFootnote {
                name: Some(id),
                group: None,
                content: Some(vec![Inline::Template(short)]),
            })
        }
        _ => {
            let group = note_group_of(key)?;
            let content = params
                .iter()
                .find(|p| p.name.is_none())
                .map(|p| p.value.clone());
            let name = named("name");
            if content.is_none() && name.is_none() {
                return None;
            }
            Some(TemplateFootnote {
                name,
                group: group_param(params).or(group.map(str::to_owned)),
                content,
            })
        }
    }
}

/// The footnote a template makes: its name (if any), group and content.
struct TemplateFootnote<'a> {
    name: Option<String>,
    group: Option<String>,
    /// `None` for a citation of a named footnote (`{{efn|name=x}}`).
    content: Option<Vec<Inline<'a>>>,
}

/// The `group=` parameter of a template, if given and not empty.
fn group_param(params: &[Param<'_>]) -> Option<String> {
    params
        .iter()
        .find(|p| {
            p.name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("group"))
        })
        .and_then(|p| group_name(&crate::doc::plain_text(&p.value)))
}
