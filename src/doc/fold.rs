//! Letters written out in plain Latin letters for search (issue 15): the search index's
//! tokenizer removes the accents of letters that decompose (`é` is `e` + an accent), but not
//! of letters that do not: `ł`, `ø`, `đ`, `ß`, `æ`, `œ`, `þ`, `ð`, `ı` and a few more stay as
//! they are, so `Sklodowska` did not find Skłodowska-Curie. These are written out (`ß` → `ss`,
//! `æ` → `ae`, `þ` → `th`, `ł` → `l`, …) in the text indexed, in the query and in the titles
//! compared with a query, so both sides meet.

use std::borrow::Cow;

/// How `c` is written in plain Latin letters, when the index's tokenizer would keep it as it is
/// (lower case: the tokenizer ignores case anyway). `None`: left alone.
pub fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'Æ' | 'ǽ' | 'Ǽ' | 'ǣ' | 'Ǣ' => "ae",
        'œ' | 'Œ' => "oe",
        'þ' | 'Þ' => "th",
        'ð' | 'Ð' | 'đ' | 'Đ' | 'ɖ' | 'Ɖ' => "d",
        'ł' | 'Ł' | 'ŀ' | 'Ŀ' | 'ƚ' | 'Ƚ' => "l",
        'ø' | 'Ø' | 'ǿ' | 'Ǿ' => "o",
        'ı' | 'ɨ' | 'Ɨ' => "i",
        'ħ' | 'Ħ' => "h",
        'ŧ' | 'Ŧ' => "t",
        'ƀ' | 'Ƀ' => "b",
        'ƒ' | 'Ƒ' => "f",
        'ǥ' | 'Ǥ' => "g",
        'ȼ' | 'Ȼ' => "c",
        'ɇ' | 'Ɇ' => "e",
        'ʉ' | 'Ʉ' => "u",
        'ƶ' | 'Ƶ' => "z",
        'ĳ' | 'Ĳ' => "ij",
        'ŋ' | 'Ŋ' => "ng",
        'ĸ' => "k",
        _ => return None,
    })
}

/// `text` with every letter [`letter`] knows written out; borrowed when there is none.
pub fn text(text: &str) -> Cow<'_, str> {
    let Some((first, _, _)) = next_written_out(text, 0) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut copied = 0;
    let mut from = first;
    // Every save folds its whole text for the search index (issue 13: an import's single
    // writer does): plain ASCII, never written out, is copied by the run.
    while let Some((at, len, plain)) = next_written_out(text, from) {
        out.push_str(&text[copied..at]);
        out.push_str(plain);
        copied = at + len;
        from = copied;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The next letter [`letter`] knows at or after byte `from` (a character boundary): where it
/// starts, its length and how it is written out. ASCII has none: it is skipped byte by byte
/// without decoding.
fn next_written_out(text: &str, from: usize) -> Option<(usize, usize, &'static str)> {
    let mut at = from;
    loop {
        at += text
            .as_bytes()
            .get(at..)?
            .iter()
            .position(|b| !b.is_ascii())?;
        let c = text.get(at..)?.chars().next()?;
        if let Some(plain) = letter(c) {
            return Some((at, c.len_utf8(), plain));
        }
        at += c.len_utf8();
    }
}

/// Where a written-out letter is in both texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    /// Its first byte in the written-out text.
    at: usize,
    /// Its length there.
    len: usize,
    /// Its first byte in the original.
    original: usize,
    /// Its length in the original.
    original_len: usize,
}

/// A text written out by [`text`], with the way back: where in the original each of its
/// characters came from, so that marks placed in the written-out text (search hits) can be put
/// into the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded<'t> {
    original: &'t str,
    /// The written-out text.
    pub text: Cow<'t, str>,
    /// Each written-out letter, in order (empty when nothing was written out).
    spans: Vec<Span>,
}

impl<'t> Folded<'t> {
    /// `original` written out.
    pub fn of(original: &'t str) -> Self {
        let folded = text(original);
        let mut spans = Vec::new();
        if let Cow::Owned(_) = folded {
            let mut at = 0;
            for (i, c) in original.char_indices() {
                match letter(c) {
                    Some(plain) => {
                        spans.push(Span {
                            at,
                            len: plain.len(),
                            original: i,
                            original_len: c.len_utf8(),
                        });
                        at += plain.len();
                    }
                    None => at += c.len_utf8(),
                }
            }
        }
        Self {
            original,
            text: folded,
            spans,
        }
    }

    /// The original text with the `marks` of `marked` (the written-out text with marks
    /// inserted, as FTS5's `highlight()` returns it) at the same places. Marks inside a
    /// written-out letter go before that letter.
    pub fn mark_original(&self, marked: &str, is_mark: impl Fn(char) -> bool) -> String {
        if self.spans.is_empty() {
            return marked.to_owned();
        }
        let mut out = String::with_capacity(self.original.len() + 16);
        let mut copied = 0; // bytes of the original already in `out`
        let mut at = 0; // bytes of the written-out text passed in `marked`
        let mut next = 0; // the first span not wholly before `at`
        let mut shift = 0isize; // how much longer the original is up to there
        for c in marked.chars() {
            if is_mark(c) {
                while let Some(span) = self.spans.get(next).filter(|s| s.at + s.len <= at) {
                    shift += span.original_len as isize - span.len as isize;
                    next += 1;
                }
                let inside = self.spans.get(next).filter(|s| s.at < at);
                let to = match inside {
                    Some(span) => span.original,
                    None => (at as isize + shift).clamp(0, self.original.len() as isize) as usize,
                };
                let mut to = to.max(copied).min(self.original.len());
                while !self.original.is_char_boundary(to) {
                    to += 1;
                }
                out.push_str(&self.original[copied..to]);
                copied = to;
                out.push(c);
            } else {
                at += c.len_utf8();
            }
        }
        out.push_str(&self.original[copied..]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_that_do_not_decompose_are_written_out() {
        assert_eq!(text("Skłodowska"), "Sklodowska");
        assert_eq!(text("Straße ẞ"), "Strasse ss");
        assert_eq!(
            text("Æsir œuvre Þór Øresund Đakovo ıstanbul"),
            "aesir oeuvre thór oresund dakovo istanbul"
        );
        assert!(matches!(text("Ada Lovelace é"), Cow::Borrowed(_)));
    }

    #[test]
    fn marks_go_back_to_the_original_letters() {
        let mark = |c: char| c == '[' || c == ']';
        let folded = Folded::of("Maria Skłodowska, Straße und Æsir.");
        assert_eq!(folded.text, "Maria Sklodowska, Strasse und aesir.");
        let marked = "Maria [Sklodowska], [Strasse] und [aesir].";
        assert_eq!(
            folded.mark_original(marked, mark),
            "Maria [Skłodowska], [Straße] und [Æsir]."
        );
        let plain = Folded::of("nothing to do");
        assert_eq!(
            plain.mark_original("[nothing] to do", mark),
            "[nothing] to do"
        );
    }

    proptest::proptest! {
        #[test]
        fn runs_copied_whole_fold_as_letter_by_letter(original in "(a|ß|ł|Æ|é|þ|x| |€|😀){0,24}") {
            let by_letter: String = original
                .chars()
                .map(|c| letter(c).map_or_else(|| c.to_string(), str::to_owned))
                .collect();
            proptest::prop_assert_eq!(text(&original), by_letter);
        }

        #[test]
        fn marks_around_words_land_around_the_same_words(
            words in proptest::collection::vec("(a|ß|ł|Æ|é|þ|x){1,4}", 1..6),
            marked in proptest::collection::vec(proptest::bool::ANY, 6),
        ) {
            let original = words.join(" ");
            let folded = Folded::of(&original);
            let mark = |c: char| c == '[' || c == ']';
            let with = |words: Vec<String>| -> String {
                words
                    .iter()
                    .zip(&marked)
                    .map(|(w, &m)| if m { format!("[{w}]") } else { w.clone() })
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let folded_words: Vec<String> = words.iter().map(|w| text(w).into_owned()).collect();
            proptest::prop_assert_eq!(
                folded.mark_original(&with(folded_words), mark),
                with(words.clone())
            );
        }
    }
}
