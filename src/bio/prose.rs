//! The prose of a page's wikitext, cut into sentences, each with its byte span in the stored
//! text.
//!
//! One pass over the raw text (no parse): headings, tables, comments, `<ref>`s, templates,
//! categories and files are left out; a link keeps its label; bold and italic quotes go. Every
//! byte of prose remembers where it was in the text, so a sentence's span points into the
//! stored text exactly. Linear in the text: each closing marker is searched for once and the
//! answer reused (an unclosed `[[` is only looked for once, however many there are).

/// A sentence of prose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The section it is in (0 for the lead).
    pub section: usize,
    /// Where it is in the page's text, in bytes: `start..end`.
    pub span: (usize, usize),
    /// Its plain text.
    pub text: String,
}

/// Words before a full stop that do not end a sentence.
const ABBREVIATIONS: [&str; 30] = [
    "c", "ca", "st", "dr", "mr", "mrs", "ms", "jr", "sr", "no", "vs", "etc", "prof", "rev", "gen",
    "col", "lt", "sgt", "capt", "gov", "sen", "rep", "hon", "mt", "ft", "approx", "inc", "ltd",
    "co", "fl",
];

/// The sentences of `text`, whose sections start at `starts` (byte offsets, the lead's 0
/// first), in order.
pub fn sentences(text: &str, starts: &[usize]) -> Vec<Sentence> {
    let mut found = lead_sentences(text, starts);
    found.extend(body_sentences(text, starts));
    found
}

/// The sentences of the lead (section 0, from `starts[0]` to `starts[1]`; all of `text` when
/// `starts` is empty): the first part of [`sentences`].
pub fn lead_sentences(text: &str, starts: &[usize]) -> Vec<Sentence> {
    lead_sentences_where(text, starts, &|_| true)
}

/// The first sentence of the lead, then those of its other sentences that `keep` accepts (as
/// in [`body_sentences_where`]): the lead's first sentence is read whatever it says, the
/// others only for what `keep` looks for.
pub fn lead_sentences_where(
    text: &str,
    starts: &[usize],
    keep: &dyn Fn(&str) -> bool,
) -> Vec<Sentence> {
    Found::collect(keep, true, |out| {
        if starts.is_empty() {
            split(&Prose::of(text, 0), 0, out);
        } else {
            sections_from(text, starts, 0, 1, out);
        }
    })
}

/// The sentences after the lead: the rest of [`sentences`].
pub fn body_sentences(text: &str, starts: &[usize]) -> Vec<Sentence> {
    body_sentences_where(text, starts, &|_| true)
}

/// The sentences after the lead whose text `keep` accepts (it sees the text before its white
/// space is made single): a reader that wants only some of them (those with a digit, say) is
/// spared making the others.
pub fn body_sentences_where(
    text: &str,
    starts: &[usize],
    keep: &dyn Fn(&str) -> bool,
) -> Vec<Sentence> {
    Found::collect(keep, false, |out| {
        sections_from(text, starts, 1, starts.len(), out)
    })
}

/// Where the sentences go, and which of them are wanted.
struct Found<'a> {
    keep: &'a dyn Fn(&str) -> bool,
    /// The first sentence is wanted whatever `keep` says.
    first_always: bool,
    sentences: &'a mut Vec<Sentence>,
}

impl Found<'_> {
    /// The sentences `fill` finds, those that `keep` accepts (and the first whatever it says,
    /// with `first_always`).
    fn collect(
        keep: &dyn Fn(&str) -> bool,
        first_always: bool,
        fill: impl FnOnce(&mut Found<'_>),
    ) -> Vec<Sentence> {
        let mut sentences = Vec::new();
        fill(&mut Found {
            keep,
            first_always,
            sentences: &mut sentences,
        });
        sentences
    }
}

/// The sentences of sections `first..end` (indexes into `starts`).
fn sections_from(text: &str, starts: &[usize], first: usize, end: usize, found: &mut Found<'_>) {
    for index in first..end.min(starts.len()) {
        let start = starts[index];
        let stop = starts.get(index + 1).copied().unwrap_or(text.len());
        let Some(chunk) = text.get(start..stop) else {
            continue;
        };
        split(&Prose::of(chunk, start), index, found);
    }
}

/// Plain text, and where in the page each piece of it came from.
struct Prose {
    text: String,
    /// `(start in text, start in the page)` of each piece copied as it is, in order: a byte of
    /// `text` came from its piece's page start plus its distance into the piece.
    pieces: Vec<(usize, usize)>,
}

/// Where the next closing marker is, found once and reused while it lies ahead.
struct Ahead {
    marker: &'static str,
    next: Option<usize>,
    none: bool,
}

impl Ahead {
    fn new(marker: &'static str) -> Self {
        Self {
            marker,
            next: None,
            none: false,
        }
    }

    /// The first `marker` at or after `from`.
    fn find(&mut self, text: &str, from: usize) -> Option<usize> {
        if self.none {
            return None;
        }
        if let Some(next) = self.next.filter(|&n| n >= from) {
            return Some(next);
        }
        self.next = find_ignore_case(text, from, self.marker);
        self.none = self.next.is_none();
        self.next
    }
}

/// The first `marker` at or after byte `from` of `text`, ASCII letters in any case.
pub(super) fn find_ignore_case(text: &str, from: usize, marker: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let m = marker.as_bytes();
    let first = m.first()?;
    let mut at = from;
    while at + m.len() <= bytes.len() {
        let rest = bytes.get(at..)?;
        // A first byte that is not a letter has one case: memchr finds it.
        let skip = if first.is_ascii_alphabetic() {
            rest.iter().position(|b| b.eq_ignore_ascii_case(first))?
        } else {
            memchr::memchr(*first, rest)?
        };
        at += skip;
        if bytes
            .get(at..at + m.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(m))
        {
            return Some(at);
        }
        at += 1;
    }
    None
}

fn starts_with_ignore_case(text: &str, at: usize, prefix: &str) -> bool {
    text.as_bytes()
        .get(at..at + prefix.len())
        .is_some_and(|w| w.eq_ignore_ascii_case(prefix.as_bytes()))
}

impl Prose {
    /// Adds `c`, which stands for what starts at byte `at` of the page.
    fn push(&mut self, c: char, at: usize) {
        let mut buf = [0; 4];
        self.push_str(c.encode_utf8(&mut buf), at);
    }

    /// Copies `s`, which starts at byte `at` of the page, as it is.
    fn push_str(&mut self, s: &str, at: usize) {
        let start = self.text.len();
        let follows = self
            .pieces
            .last()
            .is_some_and(|&(text, page)| page + (start - text) == at);
        if !follows {
            self.pieces.push((start, at));
        }
        self.text.push_str(s);
    }

    /// Where byte `i` of the text came from in the page.
    fn page_offset(&self, i: usize) -> Option<usize> {
        let piece = self.pieces.partition_point(|&(text, _)| text <= i);
        let (text, page) = *self.pieces.get(piece.checked_sub(1)?)?;
        Some(page + (i - text))
    }

    /// The prose of `chunk`, which starts at byte `base` of the page.
    fn of(chunk: &str, base: usize) -> Self {
        let mut prose = Self {
            text: String::with_capacity(chunk.len()),
            pieces: Vec::new(),
        };
        let mut comment_end = Ahead::new("-->");
        let mut ref_end = Ahead::new("</ref>");
        let mut tag_end = Ahead::new(">");
        let mut link_end = Ahead::new("]]");
        let mut bracket_end = Ahead::new("]");
        let bytes = chunk.as_bytes();
        let mut template_depth = 0usize;
        let mut file_depth = 0usize;
        let mut i = 0;
        let mut line_start = true;
        while i < bytes.len() {
            if template_depth == 0 && file_depth == 0 && !line_start && !may_start_markup(bytes[i])
            {
                // Plain text (none of the cases below can start here): the run, at once.
                let run = 1 + bytes[i + 1..]
                    .iter()
                    .position(|&b| may_start_markup(b))
                    .unwrap_or(bytes.len() - i - 1);
                prose.push_str(&chunk[i..i + run], base + i);
                i += run;
                continue;
            }
            let Some(c) = chunk[i..].chars().next() else {
                break;
            };
            if c == '\n' {
                prose.push('\n', base + i);
                i += 1;
                line_start = true;
                if bytes.get(i) == Some(&b'\n') {
                    // A blank line ends whatever was left open.
                    template_depth = 0;
                    file_depth = 0;
                }
                continue;
            }
            if starts_with_ignore_case(chunk, i, "<!--") {
                i = comment_end
                    .find(chunk, i + 4)
                    .map_or(bytes.len(), |e| e + 3);
                continue;
            }
            if template_depth > 0 || file_depth > 0 {
                if chunk[i..].starts_with("{{") {
                    template_depth += 1;
                    i += 2;
                } else if chunk[i..].starts_with("}}") && template_depth > 0 {
                    template_depth -= 1;
                    i += 2;
                } else if chunk[i..].starts_with("[[") && file_depth > 0 {
                    file_depth += 1;
                    i += 2;
                } else if chunk[i..].starts_with("]]") && file_depth > 0 {
                    file_depth -= 1;
                    i += 2;
                } else {
                    // Nothing but these can change the depth or end the line.
                    i += c.len_utf8();
                    i += bytes[i..]
                        .iter()
                        .position(|&b| DEPTH_MARKS[usize::from(b)])
                        .unwrap_or(bytes.len() - i);
                }
                line_start = false;
                continue;
            }
            if line_start {
                line_start = false;
                let line = &chunk[i..];
                if line.starts_with('=')
                    || line.starts_with('|')
                    || line.starts_with('!')
                    || line.starts_with("{|")
                    || line.starts_with("__")
                {
                    // A heading, table or magic word line: all of it goes (only such a line is
                    // searched for its end).
                    i = memchr::memchr(b'\n', line.as_bytes()).map_or(bytes.len(), |n| i + n);
                    continue;
                }
                i += line.len() - line.trim_start_matches(['*', '#', ':', ';']).len();
                continue;
            }
            if starts_with_ignore_case(chunk, i, "<ref") {
                let close = tag_end.find(chunk, i).unwrap_or(bytes.len());
                let self_closing = chunk[..close].ends_with('/');
                i = if self_closing {
                    close + 1
                } else {
                    ref_end.find(chunk, close).map_or(bytes.len(), |e| e + 6)
                };
                continue;
            }
            if c == '<'
                && bytes
                    .get(i + 1)
                    .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
            {
                match tag_end.find(chunk, i) {
                    Some(close) if close - i < 300 && !chunk[i..close].contains('\n') => {
                        i = close + 1;
                        continue;
                    }
                    _ => {}
                }
            }
            if chunk[i..].starts_with("{{") {
                template_depth = 1;
                i += 2;
                continue;
            }
            if chunk[i..].starts_with("[[") {
                let inner = i + 2;
                let name = chunk[inner..].trim_start_matches(':');
                let lower = |p: &str| starts_with_ignore_case(name, 0, p);
                if lower("category:") || lower("file:") || lower("image:") {
                    file_depth = 1;
                    i = inner;
                    continue;
                }
                if let Some(close) = link_end.find(chunk, inner) {
                    if let Some(label_at) = link_label(chunk.as_bytes(), inner, close) {
                        prose.push_str(&chunk[label_at..close], base + label_at);
                        i = close + 2;
                        continue;
                    }
                }
            }
            if c == '['
                && (starts_with_ignore_case(chunk, i + 1, "http")
                    || chunk[i + 1..].starts_with("//"))
            {
                if let Some(close) = bracket_end.find(chunk, i) {
                    let inside = &chunk[i + 1..close];
                    if inside.len() < 600 && !inside.contains('\n') {
                        if let Some(space) = inside.find(' ') {
                            let at = i + 1 + space + 1;
                            prose.push_str(&chunk[at..close], base + at);
                        }
                        i = close + 1;
                        continue;
                    }
                }
            }
            if chunk[i..].starts_with("''") {
                i += chunk[i..].len() - chunk[i..].trim_start_matches('\'').len();
                continue;
            }
            if starts_with_ignore_case(chunk, i, "&nbsp;") {
                prose.push(' ', base + i);
                i += 6;
                continue;
            }
            // A run of plain text goes in one piece, up to the next byte that may start markup.
            let run = c.len_utf8()
                + bytes[i + c.len_utf8()..]
                    .iter()
                    .position(|&b| may_start_markup(b))
                    .unwrap_or(bytes.len() - i - c.len_utf8());
            prose.push_str(&chunk[i..i + run], base + i);
            i += run;
        }
        prose
    }
}

/// Where the label of the link whose inside is `bytes[inner..close]` starts (after its last
/// `|`, else the target is the label), when it is a plain link: shorter than 600 bytes, on one
/// line, with no link inside. One pass over the few bytes of a link (issue 13: a page has a
/// hundred or more, and a substring searcher built for each cost more than its search).
fn link_label(bytes: &[u8], inner: usize, close: usize) -> Option<usize> {
    let inside = bytes.get(inner..close).filter(|b| b.len() < 600)?;
    let mut label_at = inner;
    for (k, &b) in inside.iter().enumerate() {
        match b {
            b'\n' => return None,
            b'[' if inside.get(k + 1) == Some(&b'[') => return None,
            b'|' => label_at = inner + k + 1,
            _ => {}
        }
    }
    Some(label_at)
}

/// Whether byte `b` may start markup or a line (else it is plain text, outside templates).
fn may_start_markup(b: u8) -> bool {
    MARKUP_STARTS[usize::from(b)]
}

/// The bytes [`may_start_markup`] accepts, as a table (one lookup a byte of prose).
const MARKUP_STARTS: [bool; 256] = byte_set(b"\n<{['&");

/// The bytes that may change a template's or a file link's depth or end the line.
const DEPTH_MARKS: [bool; 256] = byte_set(b"{}[]\n<");

/// A table of the bytes in `members`.
const fn byte_set(members: &[u8]) -> [bool; 256] {
    let mut set = [false; 256];
    let mut k = 0;
    while k < members.len() {
        set[members[k] as usize] = true;
        k += 1;
    }
    set
}

/// The bytes [`split`] stops at: a line break, a bracket, a sentence's end. Everything else is
/// passed over in one step (issue 13: every byte of every page's prose is read here).
const SPLIT_STOPS: [bool; 256] = byte_set(b"\n().!?");

/// Cuts `prose` into sentences of section `section`.
fn split(prose: &Prose, section: usize, found: &mut Found<'_>) {
    let text = &prose.text;
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut depth = 0usize;
    // The last sentence's end: a word before a full stop starts after the last ASCII byte
    // that is not a letter or digit, but not before it.
    let mut floor = 0;
    let mut i = 0;
    while let Some(skip) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(|&b| SPLIT_STOPS[usize::from(b)]))
    {
        i += skip;
        let b = bytes[i];
        match b {
            b'\n' => {
                emit(prose, start, i, section, found);
                start = i + 1;
                depth = 0;
            }
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            b'.' | b'!' | b'?' if depth == 0 => {
                let mut end = i + 1;
                while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
                    end += 1;
                }
                let next = text[end..].trim_start_matches([' ', '\t']);
                let spaced = next.len() < text.len() - end;
                let starts_upper = next.chars().next().is_none_or(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\n' || c == '“'
                });
                if (spaced || next.is_empty()) && starts_upper {
                    let word = &text[word_start(bytes, floor, i)..i];
                    let abbreviation = b == b'.'
                        && (ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
                            || (word.chars().count() == 1 && word.chars().all(char::is_uppercase)));
                    if !abbreviation {
                        emit(prose, start, end, section, found);
                        start = end;
                        i = end;
                        floor = end;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    emit(prose, start, bytes.len(), section, found);
}

/// Where the word that ends at byte `end` starts: just after the last ASCII byte before it that
/// is not a letter or digit, and not before `floor`.
fn word_start(bytes: &[u8], floor: usize, end: usize) -> usize {
    bytes
        .get(floor..end)
        .and_then(|word| {
            word.iter()
                .rposition(|&b| b < 0x80 && !b.is_ascii_alphanumeric())
        })
        .map_or(floor, |at| floor + at + 1)
}

fn emit(prose: &Prose, start: usize, end: usize, section: usize, found: &mut Found<'_>) {
    let Some(raw) = prose.text.get(start..end) else {
        return;
    };
    let lead = raw.len() - raw.trim_start().len();
    let text = raw.trim();
    let wanted = found.first_always && found.sentences.is_empty() || (found.keep)(text);
    if text.is_empty() || !wanted {
        return;
    }
    let first = start + lead;
    let last_len = text.chars().next_back().map_or(1, char::len_utf8);
    let last = first + text.len() - last_len;
    let (Some(from), Some(to)) = (prose.page_offset(first), prose.page_offset(last)) else {
        return;
    };
    found.sentences.push(Sentence {
        section,
        span: (from, to + last_len),
        text: single_spaced(text),
    });
}

/// `text` with each run of white space made one space (`text` has none at either end).
fn single_spaced(text: &str) -> String {
    // Most sentences have nothing to change: a copy (checked a byte at a time, instead of
    // splitting every sentence at its white space).
    if !needs_spacing(text) {
        return text.to_owned();
    }
    // Runs of white space made one space, a byte at a time (a character is decoded only where
    // one of the white space lead bytes stands); the text between them, single ASCII spaces
    // included, is copied in one piece.
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while let Some(at) = next_spacing(bytes, i) {
        i = at;
        let first = space_len(text, i);
        if first == 0 {
            i += 1;
            continue;
        }
        let mut end = i + first;
        loop {
            match space_len(text, end) {
                0 => break,
                more => end += more,
            }
        }
        if !(bytes[i] == b' ' && end == i + 1) {
            out.push_str(&text[copied..i]);
            out.push(' ');
            copied = end;
        }
        i = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// The next byte at or after `from` where [`single_spaced`] may have white space to change: one
/// that may start white space, but not a single ASCII space between words (nothing changes
/// there). The bytes between are passed over at once.
fn next_spacing(bytes: &[u8], from: usize) -> Option<usize> {
    let may_start = |b: &u8| SPACE_STARTS[usize::from(*b)];
    let rest = bytes.get(from..)?;
    let at = rest.iter().enumerate().position(|(k, b)| {
        may_start(b) && (*b != b' ' || rest.get(k + 1).is_some_and(may_start))
    })?;
    Some(from + at)
}

/// The length of the white space character at byte `i` of `text` (0 when there is none).
fn space_len(text: &str, i: usize) -> usize {
    match text.as_bytes().get(i) {
        Some(&b) if SPACE_STARTS[usize::from(b)] && b.is_ascii() => 1,
        Some(&b) if SPACE_STARTS[usize::from(b)] => text
            .get(i..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
        _ => 0,
    }
}

/// The bytes white space starts with: the ASCII ones, and the lead bytes of every other white
/// space character (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
const SPACE_STARTS: [bool; 256] = byte_set(b"\t\n\x0B\x0C\r \xC2\xE1\xE2\xE3");

/// Two ASCII spaces, looked for in every sentence: the searcher is built once.
static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));

/// Whether `text` has white space other than single ASCII spaces (a run, a tab, a line break,
/// a no-break or other Unicode space): what [`single_spaced`] changes.
fn needs_spacing(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Each kind looked for over the whole sentence at once (most sentences have none).
    if DOUBLE_SPACE.find(bytes).is_some()
        || memchr::memchr3(b'\t', b'\n', b'\r', bytes).is_some()
        || memchr::memchr2(0x0B, 0x0C, bytes).is_some()
    {
        return true;
    }
    // The first bytes of every other white space character (U+0085, U+00A0, U+1680,
    // U+2000–U+205F, U+3000).
    let space_at = |i: usize| {
        text.get(i..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_whitespace)
    };
    memchr::memchr3_iter(0xC2, 0xE1, 0xE2, bytes).any(space_at)
        || memchr::memchr_iter(0xE3, bytes).any(space_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_made_single_as_splitting_would() {
        let split = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        for text in [
            "a b c",
            "a  b",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "a \u{2009}b",
            "a\u{3000}b",
            "a\u{1680}b",
            "a\u{85}b",
            "a\u{205f}b",
            "Łódź – 東京 “x” café",
            "a\u{2013}b\u{2028}c",
            "a\u{0B}b\u{0C}c\rd",
            "x",
            "",
        ] {
            assert_eq!(single_spaced(text), split(text), "{text:?}");
        }
        // Every character of the first planes, between two words.
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(single_spaced(&text), split(&text), "{c:?}");
        }
    }

    #[test]
    fn markers_are_found_in_any_case() {
        assert_eq!(find_ignore_case("a--> b -->", 0, "-->"), Some(1));
        assert_eq!(find_ignore_case("a--> b -->", 2, "-->"), Some(7));
        assert_eq!(find_ignore_case("x</REF> </ref>", 0, "</ref>"), Some(1));
        assert_eq!(find_ignore_case("x ]", 0, "]]"), None);
        assert_eq!(find_ignore_case("é]]", 0, "]]"), Some(2));
    }

    fn texts(text: &str) -> Vec<String> {
        sentences(text, &[0]).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn markup_goes_and_spans_point_into_the_text() {
        let text = "'''Jo Bloggs''' (born 1950) is a [[United Kingdom|British]] writer.<ref>{{cite web|date=2001}}</ref> She lives in [[Leeds]]. {{Use dmy dates}}\n[[Category:1950 births]]\n";
        let found = sentences(text, &[0]);
        let shown: Vec<&str> = found.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            shown,
            [
                "Jo Bloggs (born 1950) is a British writer.",
                "She lives in Leeds."
            ]
        );
        let (a, b) = found[1].span;
        assert_eq!(&text[a..b], "She lives in [[Leeds]].");
        assert!(text[found[0].span.0..found[0].span.1].starts_with("Jo Bloggs"));
    }

    #[test]
    fn a_link_shows_its_last_label_unless_it_is_not_a_plain_link() {
        assert_eq!(texts("In [[A|B|C]] and [[D]] now."), ["In C and D now."]);
        assert_eq!(texts("To [[Leeds|]] now."), ["To now."]);
        // A link with a link or a line break inside is not a plain link: its text stays.
        assert_eq!(texts("See [[A [[B]] c]] now."), ["See [[A B c]] now."]);
        let text = format!("Go [[{}]] now.", "x".repeat(700));
        assert_eq!(texts(&text), [format!("Go [[{}]] now.", "x".repeat(700))]);
        assert_eq!(link_label(b"[[A\nB]]", 2, 5), None);
        assert_eq!(link_label(b"[[A|B]]", 2, 5), Some(4));
    }

    #[test]
    fn abbreviations_and_parentheses_do_not_end_sentences() {
        assert_eq!(
            texts("Ann (c. 1820 – 1881) met Dr. Who in St. Ives. J. R. Smith came. Then?"),
            [
                "Ann (c. 1820 – 1881) met Dr. Who in St. Ives.",
                "J. R. Smith came.",
                "Then?"
            ]
        );
    }

    #[test]
    fn headings_tables_and_comments_are_not_prose() {
        let text = "Lead.\n== Life ==\n<!-- note 1999 -->Body 1990.\n{| class=x\n| 1234\n|}\n* Item 1980\n";
        let found = sentences(text, &[0, 6]);
        let shown: Vec<(usize, &str)> =
            found.iter().map(|s| (s.section, s.text.as_str())).collect();
        assert_eq!(shown, [(0, "Lead."), (1, "Body 1990."), (1, "Item 1980")]);
    }

    #[test]
    fn unclosed_markup_stays_linear_and_safe() {
        let text = "[[".repeat(20_000) + &"{{".repeat(20_000) + "\n\nAfter. é";
        let found = sentences(&text, &[0]);
        assert!(found.iter().any(|s| s.text == "After. é" || s.text == "é"));
        let _ = sentences("<ref name=a", &[0]);
        let _ = sentences("<!--", &[0]);
        let _ = sentences("[http://x", &[0, 3, 100]);
    }
}
