//! Byte-level scans shared by the outline fast path and the parser: comments, literal
//! regions (`<nowiki>`, `<pre>`, extension tags) and the pairing of `{{` with `}}`.
//!
//! Everything here is linear: each closing tag is searched at most once per kind (the last
//! hit is cached), so a text full of unclosed `<nowiki>` costs one pass, not one per tag.

use memchr::{memchr, memchr3, memmem};

/// Tags whose content MediaWiki hides from the heading scanner. The first two also hide
/// their content from everything else (their text is shown literally).
pub(crate) const LITERAL_TAGS: [&str; 2] = ["nowiki", "pre"];
const EXTENSION_TAGS: [&str; 12] = [
    "ref",
    "references",
    "math",
    "gallery",
    "source",
    "syntaxhighlight",
    "poem",
    "score",
    "timeline",
    "chem",
    "graph",
    "templatedata",
];

/// Finds the next `</name` (ASCII case-insensitive), remembering the answer so that
/// repeated questions from increasing positions cost one pass in total.
#[derive(Default)]
pub(crate) struct CloseFinder {
    /// (searched from, answer) for the last question.
    cache: Vec<(&'static str, usize, Option<usize>)>,
}

impl CloseFinder {
    /// The position of the first `</name` at or after `from`.
    pub(crate) fn next(&mut self, text: &[u8], name: &'static str, from: usize) -> Option<usize> {
        if let Some(entry) = self.cache.iter_mut().find(|e| e.0 == name) {
            let (_, searched_from, answer) = *entry;
            match answer {
                Some(at) if at >= from && searched_from <= from => return Some(at),
                None if searched_from <= from => return None,
                _ => {}
            }
            let found = find_close(text, name, from);
            *entry = (name, from, found);
            return found;
        }
        let found = find_close(text, name, from);
        self.cache.push((name, from, found));
        found
    }
}

fn find_close(text: &[u8], name: &str, from: usize) -> Option<usize> {
    let mut at = from;
    let finder = memmem::Finder::new(b"</");
    while at < text.len() {
        let hit = at + finder.find(&text[at..])?;
        let after = hit + 2;
        if text.len() >= after + name.len()
            && text[after..after + name.len()].eq_ignore_ascii_case(name.as_bytes())
            && !text
                .get(after + name.len())
                .is_some_and(|b| b.is_ascii_alphanumeric())
        {
            return Some(hit);
        }
        at = hit + 2;
    }
    None
}

/// The end of the `>` of a closing tag that starts at `at` (or just after its name).
/// How many `<ref …>` tags that open content (not `<ref … />`) `text` holds.
pub(crate) fn ref_opens(text: &[u8]) -> usize {
    let finder = memmem::Finder::new(b"<ref");
    let mut count = 0;
    let mut at = 0;
    while let Some(hit) = finder.find(&text[at..]) {
        let name_end = at + hit + 4;
        at = name_end;
        match text.get(name_end) {
            Some(b'>') => count += 1,
            Some(b) if b.is_ascii_whitespace() => {
                if let Some(gt) = memchr::memchr(b'>', &text[name_end..]) {
                    if text[name_end + gt - 1] != b'/' {
                        count += 1;
                    }
                    at = name_end + gt + 1;
                }
            }
            _ => {}
        }
    }
    count
}

pub(crate) fn close_tag_end(text: &[u8], at: usize) -> usize {
    match memchr(b'>', &text[at..]) {
        Some(n) if !text[at..at + n].contains(&b'\n') => at + n + 1,
        _ => (at + 2).min(text.len()),
    }
}

/// The end of a comment that starts at `at` (`<!--`): after `-->`, or the end of the text.
pub(crate) fn comment_end(text: &[u8], at: usize) -> usize {
    match memmem::find(&text[at + 4..], b"-->") {
        Some(n) => at + 4 + n + 3,
        None => text.len(),
    }
}

/// An opening tag found by [`tag_at`].
pub(crate) struct OpenTag {
    /// The tag name, from the lists above.
    pub name: &'static str,
    /// Just after the `>`.
    pub end: usize,
    /// `<name … />`.
    pub self_closing: bool,
}

/// Recognises `<name …>` at `at` when `name` is a literal or extension tag.
pub(crate) fn tag_at(text: &[u8], at: usize) -> Option<OpenTag> {
    let rest = &text[at + 1..];
    let len = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 {
        return None;
    }
    let word = &rest[..len];
    let name = LITERAL_TAGS
        .iter()
        .chain(EXTENSION_TAGS.iter())
        .find(|n| n.as_bytes().eq_ignore_ascii_case(word))?;
    let after = at + 1 + len;
    let gt = after + memchr(b'>', &text[after..])?;
    let inside = &text[after..gt];
    if inside.contains(&b'\n') || inside.contains(&b'<') {
        return None;
    }
    Some(OpenTag {
        name,
        end: gt + 1,
        self_closing: inside.last() == Some(&b'/'),
    })
}

/// What the heading scanner must not look into, and how `{{ }}` pair up.
pub(crate) struct Regions {
    /// Sorted, disjoint byte ranges where no heading can start.
    pub hidden: Vec<(usize, usize)>,
}

/// Pairs every `{{` with its `}}` (the innermost open one), outside comments and literal
/// tags. Returns (open, close) positions sorted by `open`; unpaired braces are text.
pub(crate) fn pair_braces(text: &[u8]) -> Vec<(usize, usize)> {
    let mut pairs = scan(text, false).1;
    pairs.sort_unstable();
    pairs
}

/// The hidden regions (comments, tag contents, paired templates) of a text.
///
/// Linear after the scan, with no sort: the scan finds comments and tags in the order they
/// start, and brace pairs in the order they close, so a pair that opens before the pairs
/// closed so far encloses them; only the outermost pairs are kept, disjoint and in order, and
/// the two ordered lists are merged.
pub(crate) fn regions(text: &[u8]) -> Regions {
    let (tags, pairs) = scan(text, true);
    let mut outermost: Spans = Vec::with_capacity(pairs.len().min(1024));
    for &(open, close) in &pairs {
        while outermost.last().is_some_and(|&(start, _)| start > open) {
            outermost.pop();
        }
        outermost.push((open, close + 2));
    }
    let mut merged: Spans = Vec::with_capacity(tags.len() + outermost.len());
    let mut add = |(start, end): (usize, usize)| match merged.last_mut() {
        Some(last) if start <= last.1 => last.1 = last.1.max(end),
        _ => merged.push((start, end)),
    };
    let (mut t, mut o) = (tags.iter().peekable(), outermost.iter().peekable());
    loop {
        let tag_first = match (t.peek(), o.peek()) {
            (Some(tag), Some(pair)) => tag <= pair,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        let next = if tag_first { t.next() } else { o.next() };
        if let Some(&span) = next {
            add(span);
        }
    }
    Regions { hidden: merged }
}

/// Byte ranges `(start, end)`.
type Spans = Vec<(usize, usize)>;

/// Comments and tags with content (when `want_hidden`) in the order they start, and the brace
/// pairs in the order they close.
fn scan(text: &[u8], want_hidden: bool) -> (Spans, Spans) {
    let mut hidden = Vec::new();
    let mut pairs = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut closes = CloseFinder::default();
    let mut at = 0;
    while let Some(n) = memchr3(b'<', b'{', b'}', &text[at..]) {
        let p = at + n;
        match text[p] {
            b'{' => {
                if text.get(p + 1) == Some(&b'{') {
                    open.push(p);
                    at = p + 2;
                } else {
                    at = p + 1;
                }
            }
            b'}' => {
                if text.get(p + 1) == Some(&b'}') {
                    if let Some(o) = open.pop() {
                        pairs.push((o, p));
                    }
                    at = p + 2;
                } else {
                    at = p + 1;
                }
            }
            _ => {
                if text[p..].starts_with(b"<!--") {
                    let end = comment_end(text, p);
                    if want_hidden {
                        hidden.push((p, end));
                    }
                    at = end;
                } else if let Some(tag) = tag_at(text, p) {
                    at = tag.end;
                    if tag.self_closing {
                        continue;
                    }
                    let Some(close) = closes.next(text, tag.name, tag.end) else {
                        continue;
                    };
                    let end = close_tag_end(text, close);
                    if want_hidden {
                        hidden.push((p, end));
                    }
                    // Literal tags hide their braces too; other tags' content is wiki text.
                    if LITERAL_TAGS.contains(&tag.name) {
                        at = end;
                    }
                } else {
                    at = p + 1;
                }
            }
        }
    }
    (hidden, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn braces_pair_innermost_first() {
        assert_eq!(pair_braces(b"{{a {{b}} c}}"), [(0, 11), (4, 7)]);
        assert_eq!(pair_braces(b"{{a {{b}}"), [(4, 7)]);
        assert_eq!(pair_braces(b"}} {{"), []);
        assert_eq!(pair_braces(b"<!-- {{ -->{{x}}"), [(11, 14)]);
        assert_eq!(pair_braces(b"<nowiki>{{</nowiki>{{x}}"), [(19, 22)]);
    }

    #[test]
    fn unclosed_nowiki_hides_nothing() {
        let r = regions(b"<nowiki>\n==a==\n");
        assert!(r.hidden.is_empty());
        let r = regions(b"<pre>\n==a==\n</PRE>");
        assert_eq!(r.hidden, [(0, 18)]);
    }

    /// The regions as a sort of every span and a union computes them.
    fn regions_by_sorting(text: &[u8]) -> Vec<(usize, usize)> {
        let (mut spans, pairs) = scan(text, true);
        spans.extend(pairs.iter().map(|&(open, close)| (open, close + 2)));
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (start, end) in spans {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }

    #[test]
    fn regions_merge_nested_and_neighbouring_spans() {
        let text = b"{{a {{b}} <!-- c -->}}{{d}}<ref>{{e</ref>}} <!--x-->{{f";
        assert_eq!(regions(text).hidden, regions_by_sorting(text));
        assert_eq!(regions(text).hidden, [(0, 43), (44, 52)]);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn regions_are_the_sorted_union_of_every_span(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "{{", "}}", "{", "}", "<!--", "-->", "<ref>", "</ref>", "<ref/>",
                    "<nowiki>", "</nowiki>", "<pre>", "</pre>", "a", "\n", "==",
                ]),
                0..40,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(regions(text.as_bytes()).hidden, regions_by_sorting(text.as_bytes()));
        }
    }

    #[test]
    fn close_finder_is_cached_and_correct() {
        let text = b"<ref>a</ref><ref>b</REF >";
        let mut f = CloseFinder::default();
        assert_eq!(f.next(text, "ref", 0), Some(6));
        assert_eq!(f.next(text, "ref", 7), Some(18));
        assert_eq!(f.next(text, "ref", 19), None);
    }
}
