//! Quotations: the quotations in a source document, with their speaker where the text says
//! who (`X said: "…"`, `"…", X said`, `X: "…"`, `According to X, "…"`), and whether a quotation
//! an article attributes to a source is in the source's text (quotes, dashes, whitespace and
//! case normalised). Everything here is linear in the text and never panics, whatever the
//! quotation marks (unbalanced, nested, a hundred thousand of them).

use std::ops::Range;

use super::boilerplate::overlaps;

/// How far (in bytes) before or after a quotation its speaker is looked for.
const SPEAKER_WINDOW: usize = 160;
/// The most words a speaker's name or description has.
const MAX_SPEAKER_WORDS: usize = 5;
/// Verbs of saying, in the forms sources use.
const SAYING: &[&str] = &[
    "said",
    "says",
    "wrote",
    "writes",
    "stated",
    "states",
    "added",
    "adds",
    "told",
    "tweeted",
    "declared",
    "replied",
    "argued",
    "claimed",
    "insisted",
    "explained",
    "asked",
    "warned",
];

/// One quotation in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    /// The quoted words: the byte span inside the quotation marks.
    pub span: Range<usize>,
    /// Who said it, as the text says (`Masot`, `the former minister`), if it says.
    pub speaker: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Straight,
    Curly,
}

/// The quotations in `text` outside the `skip` spans (sorted: the boilerplate), in order.
/// A quotation opens with `“` or `"` and closes with the matching `”` or `"` in the same
/// paragraph; an unclosed mark is dropped at the paragraph's end, and a `“` inside an open curly
/// quotation starts it again (so a stray mark costs one quotation, never the rest of the text).
pub fn quotations(text: &str, skip: &[Range<usize>]) -> Vec<Quotation> {
    let mut out = Vec::new();
    let mut open: Option<(usize, Mark)> = None;
    let mut previous = '\0';
    for (at, c) in text.char_indices() {
        let after = at + c.len_utf8();
        match (c, open) {
            ('\n', _) if previous == '\n' => open = None,
            ('“', _) => open = Some((after, Mark::Curly)),
            ('”', Some((start, Mark::Curly))) | ('"', Some((start, Mark::Straight))) => {
                open = None;
                let span = start..at;
                if !text[span.clone()].trim().is_empty() && !overlaps(skip, &span) {
                    out.push(Quotation {
                        speaker: speaker(text, &span),
                        span,
                    });
                }
            }
            ('"', None) => open = Some((after, Mark::Straight)),
            _ => {}
        }
        if c != '\r' {
            previous = c;
        }
    }
    out
}

/// The speaker of the quotation at `span` (its inner span): before it (`X said:`, `X:`,
/// `According to X,`), else after it (`, X said`, `, said X`).
fn speaker(text: &str, span: &Range<usize>) -> Option<String> {
    let open = text[..span.start]
        .char_indices()
        .next_back()
        .map_or(span.start, |(i, _)| i);
    let before = window_before(text, open);
    let close_end = text[span.end..]
        .chars()
        .next()
        .map_or(span.end, |c| span.end + c.len_utf8());
    let after = window_after(text, close_end);
    speaker_before(before)
        .or_else(|| speaker_after(after))
        .map(|s| s.trim_matches(|c: char| !c.is_alphanumeric()).to_owned())
        .filter(|s| !s.is_empty())
}

fn window_before(text: &str, end: usize) -> &str {
    let mut start = end.saturating_sub(SPEAKER_WINDOW);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..end]
}

fn window_after(text: &str, start: usize) -> &str {
    let mut end = (start + SPEAKER_WINDOW).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[start..end]
}

fn speaker_before(before: &str) -> Option<&str> {
    let before = before.trim_end();
    // The clause the quotation follows: after the last sentence end.
    let clause_start = before.rfind(['.', '!', '?', '"', '“', '”']).map_or(0, |i| {
        i + before[i..].chars().next().map_or(1, char::len_utf8)
    });
    let clause = before[clause_start..].trim();
    if let Some(rest) = strip_prefix_ignore_case(clause, "according to ") {
        let name = rest.trim_end_matches([',', ':']).trim();
        return (!name.is_empty() && word_count(name) <= MAX_SPEAKER_WORDS).then_some(name);
    }
    let clause = clause.strip_suffix([':', ','])?.trim_end();
    let words: Vec<&str> = clause.split_whitespace().collect();
    let (last, rest) = words.split_last()?;
    let name_words = if is_saying(last) {
        rest
    } else {
        // `X: "…"`: only a name, capitalised.
        if !clause.ends_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        &words[..]
    };
    let name: Vec<&str> = name_words
        .iter()
        .rev()
        .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
        .take(MAX_SPEAKER_WORDS)
        .copied()
        .collect();
    let first = *name.last()?;
    let start = clause.rfind(first)?;
    let end = if is_saying(last) {
        clause.len() - last.len()
    } else {
        clause.len()
    };
    clause.get(start..end).map(str::trim)
}

fn speaker_after(after: &str) -> Option<&str> {
    let after = after.trim_start().trim_start_matches(',').trim_start();
    let clause_end = after
        .find(['.', '!', '?', ';', '"', '“', '”', '\n'])
        .unwrap_or(after.len());
    let clause = &after[..clause_end];
    let words: Vec<&str> = clause
        .split_whitespace()
        .take(MAX_SPEAKER_WORDS + 2)
        .collect();
    let verb = words.iter().position(|w| is_saying(w))?;
    if verb == 0 {
        // `, said X`
        let name: Vec<&str> = words[1..]
            .iter()
            .take_while(|w| w.starts_with(|c: char| c.is_uppercase()))
            .copied()
            .collect();
        let (first, last) = (name.first()?, name.last()?);
        let start = clause.find(first)?;
        let end = clause[start..].find(last)? + start + last.len();
        return clause.get(start..end);
    }
    let end = clause.find(words[verb])?;
    Some(clause[..end].trim())
}

fn is_saying(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    SAYING.iter().any(|s| s.eq_ignore_ascii_case(word))
}

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// A text normalised for looking quotations up: lower case, curly quotes straight, every dash
/// a hyphen, every run of whitespace one space; with the way back to the original's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    text: String,
    /// For each byte of `text`, the original byte offset of the character it came from, and one
    /// more entry: the original length.
    origin: Vec<usize>,
}

impl Normalised {
    /// `text` normalised, leaving out the `skip` spans (each becomes one space).
    pub fn new(text: &str, skip: &[Range<usize>]) -> Self {
        let mut out = Self {
            text: String::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len() + 1),
        };
        let mut skips = skip.iter().peekable();
        for (at, c) in text.char_indices() {
            while skips.peek().is_some_and(|s| s.end <= at) {
                skips.next();
            }
            if skips.peek().is_some_and(|s| s.start <= at) {
                out.push(at, ' ');
                continue;
            }
            match c {
                '“' | '”' | '„' | '‟' | '″' => out.push(at, '"'),
                '‘' | '’' | '‚' | '‛' | '′' => out.push(at, '\''),
                '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => out.push(at, '-'),
                c if c.is_whitespace() => out.push(at, ' '),
                c => c.to_lowercase().for_each(|l| out.push(at, l)),
            }
        }
        out.origin.push(text.len());
        out
    }

    fn push(&mut self, at: usize, c: char) {
        if c == ' ' && (self.text.is_empty() || self.text.ends_with(' ')) {
            return;
        }
        self.text.push(c);
        self.origin.extend(std::iter::repeat_n(at, c.len_utf8()));
    }

    /// Where `quotation` is in the original text: the byte span from the start of its first
    /// word to the end of its last, if it is there. Quotation marks and punctuation at its ends
    /// are ignored, and an ellipsis (`...` or `…`) stands for words left out: the parts must
    /// appear in order. Linear in the two texts.
    pub fn find(&self, quotation: &str) -> Option<Range<usize>> {
        let wanted = Self::new(quotation, &[]).text;
        let parts: Vec<&str> = wanted
            .split("...")
            .flat_map(|p| p.split('…'))
            .map(|p| p.trim_matches(|c: char| !c.is_alphanumeric()))
            .filter(|p| !p.is_empty())
            .collect();
        let (mut from, mut first) = (0, None);
        for part in &parts {
            let at = self.text[from..].find(part)? + from;
            first.get_or_insert(at);
            from = at + part.len();
        }
        let start = *self.origin.get(first?)?;
        // The end is the original end of the last normalised character.
        let last = self.text[..from].chars().next_back()?;
        let last_origin = *self.origin.get(from - last.len_utf8())?;
        let end = last_origin + self.original_len_at(last_origin);
        Some(start..end)
    }

    /// The byte length of the original character starting at `at`.
    fn original_len_at(&self, at: usize) -> usize {
        let next = self.origin.partition_point(|&o| o <= at);
        self.origin.get(next).map_or(0, |&o| o - at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Option<String>)> {
        quotations(text, &[])
            .into_iter()
            .map(|q| (&text[q.span], q.speaker))
            .collect()
    }

    fn said(quote: &str, who: &str) -> (&'static str, Option<String>) {
        (quote.to_owned().leak(), Some(who.to_owned()))
    }

    #[test]
    fn speakers_before_the_quotation() {
        assert_eq!(
            found("Ada Lovelace said: \"The engine weaves algebraic patterns.\""),
            [said(
                "The engine weaves algebraic patterns.",
                "Ada Lovelace"
            )]
        );
        assert_eq!(
            found("Masot Stated:\n\n“Could I give you a list?”"),
            [said("Could I give you a list?", "Masot")]
        );
        assert_eq!(
            found("Babbage: “It is a machine.”"),
            [said("It is a machine.", "Babbage")]
        );
        assert_eq!(
            found("According to Mary Somerville, \"she was a poet\"."),
            [said("she was a poet", "Mary Somerville")]
        );
    }

    #[test]
    fn speakers_after_the_quotation() {
        assert_eq!(
            found("“This is a national disgrace,” the former minister wrote."),
            [said("This is a national disgrace,", "the former minister")]
        );
        assert_eq!(
            found("\"We will win\", Keir Hardie said."),
            [said("We will win", "Keir Hardie")]
        );
        assert_eq!(
            found("\"We will win,\" said Keir Hardie, smiling."),
            [said("We will win,", "Keir Hardie")]
        );
    }

    #[test]
    fn quotations_without_a_speaker() {
        assert_eq!(
            found("He wanted to “take down” the minister."),
            [("take down", None)]
        );
    }

    #[test]
    fn unbalanced_marks_cost_one_quotation() {
        assert_eq!(
            found("A stray “ mark.\n\nThen “a real one” here."),
            [("a real one", None)]
        );
        assert_eq!(found("“one “two” three”"), [("two", None)]);
        assert!(found("\"\"  “” ”").is_empty());
    }

    #[test]
    fn quotations_in_boilerplate_are_left_out() {
        let text = "“in” and “out”";
        assert_eq!(
            quotations(text, std::slice::from_ref(&(9..text.len()))).len(),
            1
        );
    }

    #[test]
    fn quotations_are_found_whatever_the_quotes_dashes_spaces_and_case() {
        let source =
            "He said it was “improper interference in our   democratic\npolitics” — and  ‘wrong’.";
        let text = Normalised::new(source, &[]);
        let span = text
            .find("\"Improper interference in our democratic politics\"")
            .unwrap();
        assert_eq!(
            &source[span],
            "improper interference in our   democratic\npolitics"
        );
        let span = text.find("politics\" - and 'wrong'").unwrap();
        assert_eq!(&source[span], "politics” — and  ‘wrong");
        let span = text.find("“improper … politics”").unwrap();
        assert!(source[span].starts_with("improper"));
        assert_eq!(text.find("proper interference in their politics"), None);
        assert_eq!(text.find("…"), None);
        assert_eq!(text.find(""), None);
    }

    #[test]
    fn lookups_skip_boilerplate() {
        let source = "Real words here. Donate to us today.";
        assert!(Normalised::new(source, &[]).find("donate to us").is_some());
        assert!(
            Normalised::new(source, std::slice::from_ref(&(17..source.len())))
                .find("donate to us")
                .is_none()
        );
    }

    #[test]
    fn lookups_map_back_through_case_changes() {
        let source = "İstanbul ẞtraße";
        let text = Normalised::new(source, &[]);
        let span = text.find("straße").or_else(|| text.find("ßtraße"));
        if let Some(span) = span {
            assert!(source.is_char_boundary(span.start) && source.is_char_boundary(span.end));
        }
        let span = text.find("istanbul").or_else(|| text.find("i̇stanbul"));
        if let Some(span) = span {
            assert!(source.get(span).is_some());
        }
    }

    #[test]
    fn a_hundred_thousand_quotation_marks() {
        let marks = "“\"”‘’ said: X: ".repeat(100_000 / 3);
        let found = quotations(&marks, &[]);
        assert!(found.len() < 100_000);
        let unbalanced = "“".repeat(100_000) + &"\"".repeat(100_001) + &"”".repeat(100_000);
        let found = quotations(&unbalanced, &[]);
        assert_eq!(
            found.len(),
            1,
            "the last “ opens, the straight marks are inside it"
        );
        let straight = "\"a".repeat(100_001);
        assert_eq!(
            quotations(&straight, &[]).len(),
            50_000,
            "pairs of straight marks"
        );
        let text = Normalised::new(&unbalanced, &[]);
        assert_eq!(
            text.find(&"\"".repeat(1000)),
            None,
            "marks alone are no quotation"
        );
        assert!(text.find("“x”").is_none());
    }

    proptest::proptest! {
        #[test]
        fn quotations_never_panic_and_stay_inside_the_text(
            text in "([a-zA-Z ,.:\n]|“|”|\"|‘|’|—|é|said|According to |Ada Byron){0,80}"
        ) {
            for q in quotations(&text, &[]) {
                proptest::prop_assert!(text.get(q.span.clone()).is_some());
            }
        }

        #[test]
        fn a_quotation_is_found_in_its_own_text(
            text in "([a-zA-Z ,.\n]|“|”|\"|‘|’|—|–|é|ẞ|İ|\u{a0}){0,60}",
            start in 0usize..60,
            len in 1usize..20,
        ) {
            let chars: Vec<(usize, char)> = text.char_indices().collect();
            proptest::prop_assume!(start + len <= chars.len());
            let from = chars[start].0;
            let to = chars.get(start + len).map_or(text.len(), |(i, _)| *i);
            let quote = &text[from..to];
            let normalised = Normalised::new(&text, &[]);
            if let Some(span) = normalised.find(quote) {
                proptest::prop_assert!(text.get(span).is_some());
            } else {
                // Only a quotation with no letters or digits in it is not found.
                proptest::prop_assert!(!quote.chars().any(char::is_alphanumeric), "{quote:?}");
            }
        }
    }
}
