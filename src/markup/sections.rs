//! Section headings, found the way MediaWiki's preprocessor finds them, and the outline.
//!
//! This is the fast path behind [`crate::markup::outline`]: two memchr-driven passes (hidden
//! regions, then lines that begin with `=`) find the candidate lines, and the grammar's
//! `heading` rule decides each one; ordinary text is never tokenised. `parse()` takes
//! its section boundaries from here too, so both always agree.

use memchr::{memchr, memchr_iter, memmem};

use super::anchors::{Anchors, toc_numbers};
use super::grammar;
use super::heading_title;
use super::scan::{comment_end, regions};
use crate::doc::{Outline, SectionInfo};

/// A heading line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeadingLine {
    /// Where the line starts.
    pub start: usize,
    /// 1 to 6.
    pub level: u8,
    /// The title's source text, between the `=` runs.
    pub content: (usize, usize),
    /// Where the text after the heading line starts.
    pub body_start: usize,
}

/// The headings of a text: the title line (if any) apart from the section headings.
#[derive(Debug, Clone)]
pub(crate) struct Headings {
    /// A level-1 heading on the first non-blank line.
    pub title: Option<HeadingLine>,
    /// Every other heading, in order.
    pub sections: Vec<HeadingLine>,
    /// The hidden regions of the text they were found in ([`super::scan::Regions`]), for
    /// [`inner_headings`]; `None` once the headings are placed in another text (an expansion).
    pub hidden: Option<Vec<(usize, usize)>>,
}

/// The length of a leading byte-order mark.
pub(crate) fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { 3 } else { 0 }
}

/// Finds every heading line that is not inside a comment, a tag or a template.
pub(crate) fn headings(text: &str) -> Headings {
    let bytes = text.as_bytes();
    let bom = bom_len(text);
    let hidden = regions(bytes).hidden;
    let mut hidden_at = 0;
    let mut found: Vec<HeadingLine> = Vec::new();
    let mut next_free = 0; // headings may not start inside the previous heading's line
    let mut consider = |start: usize, found: &mut Vec<HeadingLine>| {
        if start < next_free {
            return;
        }
        while hidden_at < hidden.len() && hidden[hidden_at].1 <= start {
            hidden_at += 1;
        }
        if hidden.get(hidden_at).is_some_and(|&(s, _)| s <= start) {
            return;
        }
        if let Some(h) = heading_at(text, start) {
            next_free = h.body_start;
            found.push(h);
        }
    };
    if bytes.get(bom) == Some(&b'=') {
        consider(bom, &mut found);
    }
    for nl in memmem::find_iter(bytes, b"\n=") {
        consider(nl + 1, &mut found);
    }
    let mut sections = found;
    let title = match sections.first() {
        Some(first)
            if first.level == 1
                && bytes[bom..first.start]
                    .iter()
                    .all(|b| b" \t\r\n".contains(b)) =>
        {
            Some(sections.remove(0))
        }
        _ => None,
    };
    Headings {
        title,
        sections,
        hidden: Some(hidden),
    }
}

/// The heading lines inside `text[from..to]` (a section's body) that make no section, each
/// with `start` at its line's start: a line that begins with comments and then a heading line
/// (MediaWiki makes it a heading once the comments are gone, but not an editable section:
/// "editable headings can only have trailing comments"), or, in an expanded text, a heading
/// line that a template made. Lines inside templates, tags or comments are left alone.
/// `hidden` keeps the text's hidden regions once computed: only a line that begins with `=`
/// or a comment needs them, so ordinary text costs one newline scan. With `equals_decided`
/// (the sections were found in this very text by [`headings`], which asked the grammar about
/// every line that begins with `=`), such a line is no heading and is passed over.
pub(crate) fn inner_headings(
    text: &str,
    (from, to): (usize, usize),
    hidden: &mut Option<Vec<(usize, usize)>>,
    equals_decided: bool,
) -> Vec<HeadingLine> {
    let bytes = text.as_bytes();
    let to = to.min(bytes.len());
    let mut found = Vec::new();
    if from >= to {
        return found;
    }
    let first =
        (from == bom_len(text) || bytes.get(from.wrapping_sub(1)) == Some(&b'\n')).then_some(from);
    let starts = first
        .into_iter()
        .chain(memchr_iter(b'\n', &bytes[from..to]).map(|n| from + n + 1));
    let mut next_free = from;
    for start in starts {
        if start >= to || start < next_free {
            continue;
        }
        let comment_led = bytes[start..to].starts_with(b"<!--");
        if !comment_led && (equals_decided || bytes[start] != b'=') {
            continue;
        }
        // Lines inside a comment, tag or template are passed over before anything is read
        // from them, so each comment is read once however many lines it covers.
        let hidden = hidden.get_or_insert_with(|| regions(bytes).hidden);
        let inside = |p: usize| {
            let i = hidden.partition_point(|&(s, _)| s < p);
            i > 0 && hidden[i - 1].1 > p
        };
        if inside(start) {
            continue;
        }
        let mut at = start;
        while at < to && bytes[at..to].starts_with(b"<!--") {
            at = comment_end(bytes, at);
        }
        if at >= to || bytes[at] != b'=' || inside(at) {
            continue;
        }
        let Some(h) = heading_at(text, at) else {
            continue;
        };
        if h.body_start > to {
            continue;
        }
        next_free = h.body_start;
        found.push(HeadingLine { start, ..h });
    }
    found
}

/// Recognises a heading line starting at `start` (which holds `=`).
///
/// The grammar's `heading` rule decides whether the line is a heading (`=` runs around a
/// title, then only spaces, tabs and comments, which may span lines). MediaWiki's counting is
/// done here: the level is the shorter `=` run (at most 6), surplus `=` belong to the title,
/// and a line of only `=` (three or more) is a heading whose title is the middle ones.
pub(crate) fn heading_at(text: &str, start: usize) -> Option<HeadingLine> {
    let end = logical_line_end(text.as_bytes(), start);
    let found = grammar::heading(text.get(start..end)?)?;
    let end = start + found.core_end;
    let core = &text.as_bytes()[start..end];
    let open = core.iter().take_while(|&&b| b == b'=').count();
    let level = if open == core.len() {
        if open < 3 {
            return None;
        }
        ((open - 1) / 2).min(6)
    } else {
        let close = core.iter().rev().take_while(|&&b| b == b'=').count();
        open.min(close).min(6)
    };
    Some(HeadingLine {
        start,
        level: level as u8,
        content: (start + level, end - level),
        body_start: start + found.line_end,
    })
}

/// Where the text a heading line starting at `start` may cover ends: just after its newline
/// (or at the end of the text), passing over comments whole, since a heading's comments may
/// span lines. The grammar is given only this much: a line that is no heading then costs its
/// own length, never the rest of the text (a failed parse also measures the line it failed
/// on), so finding the headings stays linear.
fn logical_line_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start.min(bytes.len());
    loop {
        let line_end = memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n + 1);
        match memmem::find(&bytes[at..line_end], b"<!--") {
            Some(open) => at = comment_end(bytes, at + open),
            None => return line_end,
        }
    }
}

/// Builds the outline of `text` from its headings, each titled by the plain text of its source.
pub(crate) fn outline_from(text: &str, found: &Headings) -> Outline {
    let len = text.len();
    let title_of = |content| heading_title(text, content);
    let title = found.title.map(|h| title_of(h.content));
    let levels: Vec<u8> = found.sections.iter().map(|h| h.level).collect();
    let numbers = toc_numbers(&levels);
    let mut anchors = Anchors::default();
    let mut sections = Vec::with_capacity(found.sections.len() + 1);
    sections.push(SectionInfo {
        index: 0,
        level: 0,
        title: String::new(),
        anchor: String::new(),
        number: String::new(),
        parent: None,
        byte_start: 0,
        byte_end: found.sections.first().map_or(len, |h| h.start),
    });
    // `open` holds the indices of sections whose end is not known yet, shallowest first.
    let mut open: Vec<usize> = Vec::new();
    for (i, (h, number)) in found.sections.iter().zip(numbers).enumerate() {
        let index = i + 1;
        while let Some(&top) = open.last() {
            if sections[top].level >= h.level {
                sections[top].byte_end = h.start;
                open.pop();
            } else {
                break;
            }
        }
        let title = title_of(h.content);
        sections.push(SectionInfo {
            index,
            level: h.level,
            anchor: anchors.unique(&title),
            title,
            number,
            parent: open.last().copied(),
            byte_start: h.start,
            byte_end: len,
        });
        open.push(index);
    }
    Outline { title, sections }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level_and_title(line: &str) -> Option<(u8, &str)> {
        heading_at(line, 0).map(|h| (h.level, &line[h.content.0..h.content.1]))
    }

    #[test]
    fn heading_lines_follow_mediawiki() {
        assert_eq!(level_and_title("== A =="), Some((2, " A ")));
        assert_eq!(level_and_title("==A=="), Some((2, "A")));
        assert_eq!(level_and_title("=foo=="), Some((1, "foo=")));
        assert_eq!(level_and_title("===a="), Some((1, "==a")));
        assert_eq!(level_and_title("===="), Some((1, "==")));
        assert_eq!(level_and_title("==="), Some((1, "=")));
        assert_eq!(level_and_title("=="), None);
        assert_eq!(level_and_title("=a"), None);
        assert_eq!(level_and_title("== a == x"), None);
        assert_eq!(
            level_and_title("== a ==  \t<!-- c -->  \r\nnext"),
            Some((2, " a "))
        );
        assert_eq!(
            level_and_title("== a == <!-- x\n y -->\nnext"),
            Some((2, " a "))
        );
        assert_eq!(level_and_title("== a == <!-- x\n y --> z\n"), None);
        assert_eq!(level_and_title("======= x ======="), Some((6, "= x =")));
        assert_eq!(level_and_title("=<!-- c -->="), Some((1, "<!-- c -->")));
        assert_eq!(level_and_title("==<!-- c -->"), None);
        assert_eq!(level_and_title("<!-- c -->== a =="), None);
        let spanning = "== a <!-- x\n== --> ==\nnext";
        let h = heading_at(spanning, 0).expect("a comment in the title may span lines");
        assert_eq!(&spanning[h.content.0..h.content.1], " a <!-- x\n== --> ");
        assert_eq!(&spanning[h.body_start..], "next");
    }

    #[test]
    fn hidden_headings_are_skipped() {
        let h = headings(
            "a\n<!--\n== x ==\n-->\n<nowiki>\n== y ==\n</nowiki>\n{{t|\n== z ==\n}}\n== w ==\n",
        );
        assert_eq!(h.sections.len(), 1);
        assert_eq!(h.sections[0].level, 2);
    }

    #[test]
    fn title_line_is_not_a_section() {
        let h = headings("\u{feff}\n = T =\n");
        assert!(h.title.is_none(), "a leading space makes it a paragraph");
        let h = headings("\u{feff}\n= T =\n== A ==\n");
        assert!(h.title.is_some());
        assert_eq!(h.sections.len(), 1);
    }
}
