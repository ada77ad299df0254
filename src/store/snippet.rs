//! A search hit's snippet: a few words around the first match of a highlighted text.
//!
//! FTS5's own `snippet()` scores a window at every occurrence against every other occurrence,
//! so its cost grows with the square of the occurrences: a section with one word 40,000 times
//! took 12–16 s, a 1 MB page more than 30 minutes. Here FTS5 only marks the matches
//! (`highlight()`, one pass) in a bounded window of the text, and the snippet is the words
//! around the first one.

use super::search::{ELLIPSIS, MARK_END, MARK_START};

/// Words of context kept before the first match.
const WORDS_BEFORE: usize = 4;
/// Words kept from the first match on (16 in all, as FTS5's snippets had).
const WORDS_FROM_MATCH: usize = 12;
/// The most characters kept before the first match, and twice that after it: a "word" may be
/// a 30 KB run without spaces.
const MAX_CHARS_BEFORE: usize = 80;

/// The snippet of `text` (with [`MARK_START`]/[`MARK_END`] around matches, or none): a few
/// words before its first match and more after it, with [`ELLIPSIS`] where text was left out.
/// `cut_short` says that `text` itself is the start of a longer text.
pub(crate) fn around_first_match(text: &str, cut_short: bool) -> String {
    let first = text.find(MARK_START).unwrap_or(0);
    let start = context_start(&text[..first]);
    let end = first + context_end(&text[first..]);
    let kept = &text[start..end];
    let mut snippet = String::with_capacity(kept.len() + 8);
    if start > 0 {
        snippet.push_str(ELLIPSIS);
    }
    snippet.push_str(kept.trim());
    // A match cut in half (a very long word) is closed where the snippet ends.
    if kept.rfind(MARK_START) > kept.rfind(MARK_END) {
        snippet.push(MARK_END);
    }
    if end < text.len() && !text[end..].trim().is_empty() || cut_short {
        snippet.push_str(ELLIPSIS);
    }
    snippet
}

/// Where the context before a match starts: [`WORDS_BEFORE`] words back from the end of
/// `before`, or [`MAX_CHARS_BEFORE`] characters.
fn context_start(before: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (count, (i, c)) in before.char_indices().rev().enumerate() {
        if count == MAX_CHARS_BEFORE {
            return i + c.len_utf8();
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == WORDS_BEFORE {
                    return i + c.len_utf8();
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    0
}

/// Where the snippet ends: after [`WORDS_FROM_MATCH`] words of `from_match`, or twice
/// [`MAX_CHARS_BEFORE`] characters.
fn context_end(from_match: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (count, (i, c)) in from_match.char_indices().enumerate() {
        if count == 2 * MAX_CHARS_BEFORE {
            return i;
        }
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == WORDS_FROM_MATCH {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    from_match.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> String {
        text.replace('[', &MARK_START.to_string())
            .replace(']', &MARK_END.to_string())
    }

    fn shown(snippet: &str) -> String {
        snippet.replace(MARK_START, "[").replace(MARK_END, "]")
    }

    #[test]
    fn a_snippet_is_the_words_around_the_first_match() {
        let text = marked("one two three four five six [seven] eight nine [seven] ten");
        assert_eq!(
            shown(&around_first_match(&text, false)),
            "…three four five six [seven] eight nine [seven] ten"
        );
        let long: String = (0..100).map(|i| format!("w{i} ")).collect();
        let text = marked(&format!("[hit] {long}"));
        let snippet = shown(&around_first_match(&text, false));
        assert!(snippet.starts_with("[hit] w0 w1"), "{snippet}");
        assert!(snippet.ends_with("w10…"), "{snippet}");
    }

    #[test]
    fn text_without_a_match_shows_its_start() {
        assert_eq!(
            around_first_match("a short section", false),
            "a short section"
        );
        assert_eq!(
            around_first_match("a short section", true),
            "a short section…"
        );
    }

    #[test]
    fn a_snippet_is_bounded_even_without_spaces() {
        let text = marked(&format!(
            "{}[{}]{}",
            "x".repeat(5000),
            "y".repeat(5000),
            "z"
        ));
        let snippet = around_first_match(&text, false);
        assert!(
            snippet.chars().count() < 3 * MAX_CHARS_BEFORE + 8,
            "{snippet}"
        );
        assert!(
            snippet.ends_with(&format!("{MARK_END}{ELLIPSIS}")),
            "{snippet}"
        );
    }
}
