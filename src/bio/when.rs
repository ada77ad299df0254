//! Dates written in a sentence: `in July 2018`, `on 10 December 1815`, `in late 2022`, `the
//! 1970s`, `between 1981 and 1994`, `from 1986 until 1990`, `1815–1852`, `c. 1820`.
//!
//! A four-digit number is a year only where it reads as one: not a quantity (`1500 soldiers`,
//! `about 2000 people`), a page (`p. 1998`), a time (`1930 hours`, `10:30`), a part of a
//! larger number (`1,994`, `20.1998`) or money (`£1200`). `by 1977` is a deadline: found, and
//! marked so. One pass over the sentence's tokens.

use std::borrow::Cow;

use serde::Serialize;

use super::dates::{FactDate, MONTHS, PartialDate};

/// The years a bare number can be.
const YEARS: std::ops::RangeInclusive<i64> = 1000..=2100;

/// The first years a decade (`the 1970s`, `the 990s`) can have.
const DECADES: std::ops::RangeInclusive<i64> = 100..=2100;

/// Words before a number that make it not a year.
const NOT_BEFORE_A_YEAR: &[&str] = &[
    "page",
    "pages",
    "p",
    "pp",
    "no",
    "nos",
    "number",
    "vol",
    "volume",
    "issue",
    "chapter",
    "section",
    "article",
    "rule",
    "route",
    "flight",
    "room",
    "code",
    "model",
    "score",
    "isbn",
    "issn",
    "paragraph",
    "line",
    "verse",
    "figure",
    "fig",
    "table",
    "seat",
    "than",
    "over",
    "some",
    "nearly",
    "almost",
    "roughly",
    "only",
    "just",
    "under",
];

/// Words after a number that make it a quantity or a time.
const NOT_AFTER_A_YEAR: &[&str] = &[
    "hours", "hrs", "gmt", "utc", "bst", "am", "pm", "km", "m", "kg", "ft", "lb", "feet", "metres",
    "meters", "miles", "tonnes", "tons", "percent", "per", "people", "men", "women", "children",
];

/// Words before a year that let a plural noun follow it (`the 2018 elections`).
const DETERMINERS: [&str; 18] = [
    "the", "in", "of", "for", "a", "an", "his", "her", "their", "its", "our", "since", "from",
    "until", "to", "and", "between", "during",
];

/// How a date is qualified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Qualifier {
    /// `early 1990`, `the early 1970s`.
    Early,
    /// `mid-1990`.
    Mid,
    /// `late 2022`.
    Late,
    /// `before 1900`.
    Before,
    /// `after 1900`.
    After,
}

impl Qualifier {
    /// The word, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Early => "early",
            Self::Mid => "mid",
            Self::Late => "late",
            Self::Before => "before",
            Self::After => "after",
        }
    }

    /// Reads a stored word back.
    pub fn parse(word: &str) -> Option<Self> {
        Some(match word {
            "early" => Self::Early,
            "mid" => Self::Mid,
            "late" => Self::Late,
            "before" => Self::Before,
            "after" => Self::After,
            _ => return None,
        })
    }
}

/// A date found in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The date (its text reads back to it).
    pub date: FactDate,
    /// Early, mid, late, before, after.
    pub qualifier: Option<Qualifier>,
    /// `by 1977`: a deadline, not something that happened then.
    pub deadline: bool,
    /// Where it is in the sentence, in bytes.
    pub span: (usize, usize),
}

/// The days `date` can mean, narrowed by early (January–April), mid (May–August) or late
/// (September–December) when the date is a single year.
pub fn narrowed_interval(
    date: &FactDate,
    qualifier: Option<Qualifier>,
) -> Option<(String, String)> {
    let (from, to) = date.interval()?;
    let reading = date.reading.as_ref()?;
    if reading.end.is_some() || reading.start.precision() != super::dates::Precision::Year {
        return Some((from, to));
    }
    let year = reading.start.year();
    let months = match qualifier {
        Some(Qualifier::Early) => (1, 4),
        Some(Qualifier::Mid) => (5, 8),
        Some(Qualifier::Late) => (9, 12),
        _ => return Some((from, to)),
    };
    let first = PartialDate::new(year, Some(months.0), None)?;
    let last = PartialDate::new(year, Some(months.1), None)?;
    Some((first.first_day(), last.last_day()))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Number,
    Decade,
    Dash,
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Token<'s> {
    kind: Kind,
    text: &'s str,
    start: usize,
    end: usize,
    /// `Labour's`: the word ends in `'s`.
    possessive: bool,
}

/// The tokens of `s` from byte `range.start` (just after white space, or 0) up to
/// `range.end` (white space, or the end): exactly those of the whole of `s` in that range.
fn tokens_within(s: &str, range: std::ops::Range<usize>) -> Vec<Token<'_>> {
    let bytes = s.as_bytes();
    // About one token per five bytes of prose: grown once or twice instead of six times.
    let mut found = Vec::with_capacity(range.len() / 5 + 4);
    let mut i = range.start;
    while i < range.end.min(bytes.len()) {
        // Most of a sentence is ASCII: its bytes need no decoding (issue 13: every dated
        // sentence of an import is read here).
        let c = match bytes[i] {
            b if b.is_ascii() => char::from(b),
            _ => match s[i..].chars().next() {
                Some(c) => c,
                None => break,
            },
        };
        let len = c.len_utf8();
        if c.is_alphabetic() {
            let end = word_end(s, i + len);
            let possessive = s[end..].starts_with("'s") || s[end..].starts_with("’s");
            found.push(Token {
                kind: Kind::Word,
                text: &s[i..end],
                start: i,
                end,
                possessive,
            });
            i = end;
            if possessive {
                i += s[end..].chars().next().map_or(1, char::len_utf8) + 1;
            }
        } else if c.is_ascii_digit() {
            let end = bytes[i..]
                .iter()
                .position(|b| !b.is_ascii_digit())
                .map_or(s.len(), |n| i + n);
            let rest = &s[end..];
            let alpha_after = |skip: usize| {
                rest[skip..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            };
            let (kind, stop) = if rest.starts_with("'s") && !alpha_after(2) {
                (Kind::Decade, end + 2)
            } else if rest.starts_with('s') && !alpha_after(1) {
                (Kind::Decade, end + 1)
            } else {
                (Kind::Number, end)
            };
            found.push(Token {
                kind,
                text: &s[i..end],
                start: i,
                end: stop,
                possessive: false,
            });
            i = stop;
        } else if c.is_whitespace() {
            i += len;
        } else {
            let kind = if matches!(c, '–' | '—' | '-') {
                Kind::Dash
            } else {
                Kind::Punct
            };
            found.push(Token {
                kind,
                text: &s[i..i + len],
                start: i,
                end: i + len,
                possessive: false,
            });
            i += len;
        }
    }
    found
}

/// Where the word that goes on at byte `at` of `s` ends: the first character from there that
/// is not alphabetic (ASCII bytes tested as bytes).
fn word_end(s: &str, mut at: usize) -> usize {
    let bytes = s.as_bytes();
    while let Some(&b) = bytes.get(at) {
        if b.is_ascii() {
            if !b.is_ascii_alphabetic() {
                break;
            }
            at += 1;
        } else {
            match s.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) if c.is_alphabetic() => at += c.len_utf8(),
                _ => break,
            }
        }
    }
    at
}

/// Whether `word` has a month's shape: month names and their abbreviations are 3 to 9 ASCII
/// letters starting with one of these.
fn month_shaped(word: &str) -> bool {
    (3..=9).contains(&word.len())
        && word.as_bytes().first().is_some_and(|b| {
            matches!(
                b.to_ascii_lowercase(),
                b'j' | b'f' | b'm' | b'a' | b's' | b'o' | b'n' | b'd'
            )
        })
}

fn month_of(word: &str) -> Option<i64> {
    if !month_shaped(word) {
        return None;
    }
    // Every form of a month starts with its first three letters, and no two months share them:
    // only that month can match (called for every word of a dated sentence).
    let head = word.as_bytes().get(..3)?;
    let i = MONTHS
        .iter()
        .position(|m| m.as_bytes()[..3].eq_ignore_ascii_case(head))?;
    let m = MONTHS[i];
    let matches = word.eq_ignore_ascii_case(m)
        || (word.len() == 3 && word.eq_ignore_ascii_case(&m[..3]) && word != "may")
        || word.eq_ignore_ascii_case("sept") && m == "September";
    matches.then(|| i64::try_from(i + 1).ok()).flatten()
}

fn number(t: &Token<'_>) -> Option<i64> {
    (matches!(t.kind, Kind::Number | Kind::Decade) && t.text.len() <= 4)
        .then(|| t.text.parse().ok())
        .flatten()
}

/// A date starting at token `i`: the date and the index after its last token.
struct Found {
    start: PartialDate,
    /// A decade's last year.
    end: Option<PartialDate>,
    decade: bool,
    next: usize,
}

fn date_at(t: &[Token<'_>], i: usize) -> Option<Found> {
    let tok = t.get(i)?;
    let at = |k: usize| t.get(k);
    let comma = |k: usize| usize::from(at(k).is_some_and(|x| x.text == ","));
    let year_at = |k: usize| at(k).and_then(number).filter(|y| YEARS.contains(y));
    match tok.kind {
        Kind::Number => {
            let n = number(tok)?;
            // 10 December 1815
            if (1..=31).contains(&n) {
                let ordinal = at(i + 1).is_some_and(|x| {
                    x.kind == Kind::Word
                        && x.start == tok.end
                        && ["st", "nd", "rd", "th"].contains(&x.text)
                });
                let m_at = i + 1 + usize::from(ordinal);
                let m_at =
                    m_at + usize::from(at(m_at).is_some_and(|x| x.text.eq_ignore_ascii_case("of")));
                if let Some(month) = at(m_at)
                    .filter(|x| x.kind == Kind::Word)
                    .and_then(|x| month_of(x.text))
                {
                    let y_at = m_at + 1 + comma(m_at + 1);
                    if let Some(year) = year_at(y_at) {
                        let date = PartialDate::new(year, Some(month), Some(n))?;
                        return Some(Found {
                            start: date,
                            end: None,
                            decade: false,
                            next: y_at + 1,
                        });
                    }
                }
            }
            let year = Some(n).filter(|y| YEARS.contains(y))?;
            Some(Found {
                start: PartialDate::new(year, None, None)?,
                end: None,
                decade: false,
                next: i + 1,
            })
        }
        Kind::Decade => {
            let year = number(tok).filter(|y| y % 10 == 0 && DECADES.contains(y))?;
            Some(Found {
                start: PartialDate::new(year, None, None)?,
                end: PartialDate::new(year + 9, None, None),
                decade: true,
                next: i + 1,
            })
        }
        Kind::Word => {
            // Both forms have a number after the month: most words are not followed by one,
            // and are not looked up as months at all.
            at(i + 1).and_then(number)?;
            let month = month_of(tok.text)?;
            // December 10, 1815
            if let Some(day) = at(i + 1).and_then(number).filter(|d| (1..=31).contains(d)) {
                let y_at = i + 2 + comma(i + 2);
                if let Some(year) = year_at(y_at) {
                    let date = PartialDate::new(year, Some(month), Some(day))?;
                    return Some(Found {
                        start: date,
                        end: None,
                        decade: false,
                        next: y_at + 1,
                    });
                }
            }
            // December 1815
            let year = year_at(i + 1)?;
            Some(Found {
                start: PartialDate::new(year, Some(month), None)?,
                end: None,
                decade: false,
                next: i + 2,
            })
        }
        Kind::Dash | Kind::Punct => None,
    }
}

fn lower_word<'s>(t: &[Token<'s>], i: Option<usize>) -> Option<Cow<'s, str>> {
    let tok = t.get(i?)?;
    (tok.kind == Kind::Word).then(|| lowered(tok.text))
}

/// `word` in lower case (exactly `str::to_lowercase`), copied only when it has capitals or is
/// not ASCII: most words of a sentence are compared, few are kept.
fn lowered(word: &str) -> Cow<'_, str> {
    if word.bytes().all(|b| b.is_ascii_lowercase()) {
        Cow::Borrowed(word)
    } else if word.is_ascii() {
        Cow::Owned(word.to_ascii_lowercase())
    } else {
        Cow::Owned(word.to_lowercase())
    }
}

/// Whether a bare year at token `i` reads as a quantity, a page, a time or part of a number.
fn not_a_year(s: &str, t: &[Token<'_>], i: usize) -> bool {
    let tok = &t[i];
    let before = &s[..tok.start];
    let after = &s[tok.end..];
    let digit_before = before.ends_with([',', '.'])
        && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit());
    let digit_after =
        after.starts_with([',', '.', ':']) && after[1..].starts_with(|c: char| c.is_ascii_digit());
    if digit_before
        || digit_after
        || after.starts_with('%')
        || before.ends_with(['£', '$', '€', '#', '¥'])
    {
        return true;
    }
    // `p. 1998`: the abbreviation's full stop sits between the word and the number.
    let word_at = if i >= 2 && t[i - 1].text == "." {
        i - 2
    } else {
        i.wrapping_sub(1)
    };
    if lower_word(t, Some(word_at)).is_some_and(|p| NOT_BEFORE_A_YEAR.contains(&p.as_ref())) {
        return true;
    }
    let prev = lower_word(t, i.checked_sub(1));
    let prev_possessive = i
        .checked_sub(1)
        .and_then(|p| t.get(p))
        .is_some_and(|p| p.possessive);
    if prev
        .as_deref()
        .is_some_and(|p| NOT_BEFORE_A_YEAR.contains(&p))
    {
        return true;
    }
    if i > 0 && t[i - 1].kind == Kind::Number {
        return true;
    }
    let Some(next) = t.get(i + 1).filter(|n| n.kind == Kind::Word) else {
        return false;
    };
    if NOT_AFTER_A_YEAR.contains(&lowered(next.text).as_ref()) {
        return true;
    }
    let plural = next.text.len() >= 3
        && next.text.ends_with('s')
        && !next.text.ends_with("ss")
        && next.text.chars().next().is_some_and(char::is_lowercase)
        && !next.possessive;
    let determined = prev_possessive || prev.as_deref().is_some_and(|p| DETERMINERS.contains(&p));
    plural && !determined
}

/// Words after which a lone year reads as a date: prepositions, determiners, `born`/`died`,
/// seasons and the like (`in 1998`, `the 1998 election`, `born 1950`, `summer 1990`).
const ANCHORS: [&str; 44] = [
    "in",
    "on",
    "at",
    "by",
    "for",
    "from",
    "since",
    "until",
    "till",
    "to",
    "between",
    "and",
    "or",
    "during",
    "of",
    "after",
    "before",
    "around",
    "about",
    "through",
    "throughout",
    "within",
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "our",
    "this",
    "that",
    "each",
    "every",
    "born",
    "died",
    "year",
    "spring",
    "summer",
    "autumn",
    "fall",
    "winter",
    "season",
    "than",
];

/// Whether the date whose first token is `first` is placed as a date: it opens the sentence,
/// follows an opening bracket or a possessive, or follows one of [`ANCHORS`]. A lone year after
/// a comma or in the middle of other words (`Palgrave, 2005`, `model 1900 engine`) is a number
/// or a citation, not an event.
fn anchored(t: &[Token<'_>], first: usize) -> bool {
    let Some(prev) = first.checked_sub(1).and_then(|p| t.get(p)) else {
        return true;
    };
    match prev.kind {
        Kind::Word => prev.possessive || ANCHORS.iter().any(|a| prev.text.eq_ignore_ascii_case(a)),
        Kind::Punct => matches!(prev.text, "(" | "[" | "\"" | "“"),
        _ => false,
    }
}

/// The qualifier and approximation written before token `i`, and where they start.
fn before(t: &[Token<'_>], i: usize) -> (Option<Qualifier>, bool, bool, usize) {
    let mut k = i;
    let mut qualifier = None;
    let mut approximate = false;
    let mut deadline = false;
    // `mid-1990s`
    if k >= 2 && t[k - 1].kind == Kind::Dash && t[k - 1].start == t[k - 2].end {
        if let Some(q) = lower_word(t, Some(k - 2))
            .as_deref()
            .and_then(Qualifier::parse)
        {
            return (Some(q), false, false, k - 2);
        }
    }
    let word = |k: usize| lower_word(t, k.checked_sub(1));
    if word(k).as_deref() == Some("the") {
        k -= 1;
    }
    match word(k).as_deref() {
        Some(q @ ("early" | "mid" | "late")) => {
            qualifier = Qualifier::parse(q);
            k -= 1;
            if word(k).as_deref() == Some("the") {
                k -= 1;
            }
        }
        Some("circa" | "c" | "ca" | "around" | "approximately") => {
            approximate = true;
            k -= 1;
        }
        Some(q @ ("before" | "after")) => {
            qualifier = Qualifier::parse(q);
            k -= 1;
        }
        Some("by") => deadline = true,
        _ => {}
    }
    // `c.` leaves its full stop between the word and the date.
    if k == i
        && i >= 2
        && t[i - 1].text == "."
        && lower_word(t, Some(i - 2)).is_some_and(|w| w == "c" || w == "ca")
    {
        approximate = true;
        k = i - 2;
    }
    (qualifier, approximate, deadline, k)
}

/// Whether `text` has a number that can be the year of a date: a run of three or four ASCII
/// digits worth 100 to 2100 (a year is 1000 to 2100, a decade 100 to 2100, a day a date only
/// with a year after it). [`mentions`] finds nothing in a text without one, so a reader may
/// pass over it (issue 13: most numbers of an article's prose are not years).
pub fn may_have_a_date(text: &str) -> bool {
    year_like_span(text).is_some()
}

/// From the start of the first to the end of the last number of `text` that can be a date's
/// year (see [`may_have_a_date`]).
fn year_like_span(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut span: Option<(usize, usize)> = None;
    let mut i = 0;
    while let Some(at) = bytes
        .get(i..)
        .and_then(|rest| rest.iter().position(u8::is_ascii_digit))
    {
        let start = i + at;
        let len = bytes[start..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len() - start);
        if (3..=4).contains(&len) {
            let value = bytes[start..start + len]
                .iter()
                .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
            // A year, or the first year of a decade.
            if DECADES.contains(&value) || YEARS.contains(&value) {
                span = Some((span.map_or(start, |(first, _)| first), start + len));
            }
        }
        i = start + len;
    }
    span
}

/// How many words a date reaches before its year (`the early part of 10th of December, 1815`
/// reaches back 11 tokens, qualifiers and `between` included) and after it (one), with room to
/// spare: each is counted as a space after an ASCII byte that is not white space, which ends at
/// least one token.
const WORDS_BEFORE_A_YEAR: usize = 16;
const WORDS_AFTER_A_YEAR: usize = 4;

/// The bytes of `sentence` whose tokens [`mentions`] reads, given the span of its year-like
/// numbers: from [`WORDS_BEFORE_A_YEAR`] words before the first to [`WORDS_AFTER_A_YEAR`]
/// after the last. Each end is at a space (or the sentence's end), where a token never
/// continues, so the tokens are exactly those of the whole sentence there.
fn date_window(sentence: &str, (first, last): (usize, usize)) -> std::ops::Range<usize> {
    let bytes = sentence.as_bytes();
    let ends_a_token = |space: usize| {
        space > 0 && bytes[space - 1].is_ascii() && !bytes[space - 1].is_ascii_whitespace()
    };
    let mut start = 0;
    let mut words = 0;
    for space in memchr::memrchr_iter(b' ', &bytes[..first]) {
        if ends_a_token(space) {
            words += 1;
            if words > WORDS_BEFORE_A_YEAR {
                start = space + 1;
                break;
            }
        }
    }
    let mut end = bytes.len();
    let mut words = 0;
    for space in memchr::memchr_iter(b' ', &bytes[last..]).map(|at| last + at) {
        if ends_a_token(space) {
            words += 1;
            if words > WORDS_AFTER_A_YEAR {
                end = space;
                break;
            }
        }
    }
    start..end
}

/// Every date of `sentence`, in order. Ranges (`1815–1852`, `between 1981 and 1994`, `from
/// 1986 until 1990`, and a date followed by `until` … another date) come as one.
pub fn mentions(sentence: &str) -> Vec<Mention> {
    // Every date has a year or a decade in digits.
    let Some(years) = year_like_span(sentence) else {
        return Vec::new();
    };
    // Only the words near those numbers can be part of a date or place one.
    found_in(
        sentence,
        &tokens_within(sentence, date_window(sentence, years)),
    )
}

/// The dates of `sentence` whose tokens (or those around its year-like numbers) are `t`.
fn found_in(sentence: &str, t: &[Token<'_>]) -> Vec<Mention> {
    let mut singles: Vec<(usize, usize, Found, Option<Qualifier>, bool, bool)> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match date_at(t, i) {
            Some(found) => {
                let bare = found.end.is_none()
                    && found.start.precision() == super::dates::Precision::Year
                    && !found.decade;
                if bare && not_a_year(sentence, t, i) {
                    i += 1;
                    continue;
                }
                let (qualifier, approximate, deadline, first) = before(t, i);
                let next = found.next;
                singles.push((first, next, found, qualifier, approximate, deadline));
                i = next;
            }
            None => i += 1,
        }
    }
    let mut result = Vec::new();
    let mut k = 0;
    while k < singles.len() {
        let (first, next, ref found, qualifier, approximate, deadline) = singles[k];
        let mut end_date = found.end;
        let mut last = next;
        let mut join = |other: &Found, other_next: usize| {
            end_date = Some(other.end.unwrap_or(other.start));
            last = other_next;
        };
        let mut used = 1;
        if let Some(&(o_first, o_next, ref other, ..)) = singles.get(k + 1) {
            let is = |x: &Token<'_>, word: &str| x.text.eq_ignore_ascii_case(word);
            let until = |x: &Token<'_>| is(x, "until") || is(x, "till");
            let joined = match t.get(next..o_first).unwrap_or(&[]) {
                [x] if matches!(x.text, "–" | "—" | "-") || is(x, "to") || until(x) => true,
                [x] if is(x, "and") => {
                    first > 0 && lower_word(t, Some(first - 1)).as_deref() == Some("between")
                }
                words => words.iter().any(until),
            };
            if joined && other.start >= found.start {
                join(other, o_next);
                used = 2;
            }
        }
        let bare = used == 1
            && found.end.is_none()
            && !found.decade
            && found.start.precision() == super::dates::Precision::Year;
        // A lone year is one token: words before it (`the`, `late`…) already place it.
        let qualified = first + 1 < next;
        if bare && !approximate && !qualified && !anchored(t, first) {
            k += used;
            continue;
        }
        let text = date_text(found, end_date, approximate);
        let date = FactDate::parse(&text);
        if date.reading.is_some() {
            let span_start = t.get(first).map_or(0, |x| x.start);
            let span_end = t.get(last - 1).map_or(sentence.len(), |x| x.end);
            result.push(Mention {
                date,
                qualifier,
                deadline,
                span: (span_start, span_end),
            });
        }
        k += used;
    }
    result
}

/// The text of a date, as `FactDate` reads it back.
fn date_text(found: &Found, end: Option<PartialDate>, approximate: bool) -> String {
    let prefix = if approximate { "c. " } else { "" };
    let start = found.start.readable();
    match end {
        Some(_) if found.decade && end == found.end => format!("{prefix}{start}s"),
        Some(end) => format!("{prefix}{start}–{}", end.readable()),
        None => format!("{prefix}{start}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<(String, Option<&'static str>, bool)> {
        mentions(s)
            .into_iter()
            .map(|m| (m.date.text, m.qualifier.map(Qualifier::as_str), m.deadline))
            .collect()
    }

    fn texts(s: &str) -> Vec<String> {
        found(s).into_iter().map(|(t, ..)| t).collect()
    }

    #[test]
    fn words_are_cut_as_the_character_reading_cut_them() {
        // The reading before ASCII bytes were tested as bytes: a word ends at the first
        // character that is not alphabetic.
        let by_chars = |s: &str, i: usize| {
            s[i..]
                .find(|c: char| !c.is_alphabetic())
                .map_or(s.len(), |n| i + n)
        };
        let samples = [
            "Łódź 1990, Ærø's mayor (née Kowalczyk) — born 3 May 1950",
            "Αθήνα and 東京 in the 1990s; Ōsaka's 1930's\u{b}x\u{a0}y 12th",
            "plain ascii words only",
            "é",
            "a\u{301}b ﬁne ǅ ß ΣΑΣ 1800–1850",
        ];
        for s in samples {
            let tokens = tokens(s);
            assert!(!tokens.is_empty());
            for t in tokens.iter().filter(|t| t.kind == Kind::Word) {
                assert_eq!(
                    t.start + t.text.len(),
                    by_chars(s, t.start),
                    "{s:?} at {}",
                    t.start
                );
                assert!(t.text.chars().all(char::is_alphabetic), "{:?}", t.text);
            }
            // Every character is in a token or is white space, and tokens are in order.
            let mut at = 0;
            for t in &tokens {
                assert!(
                    s[at..t.start].chars().all(char::is_whitespace),
                    "{s:?} {at}..{}",
                    t.start
                );
                at = match t.possessive {
                    // `'s` or `’s` follows the word.
                    true => t.end + s[t.end..].chars().next().map_or(1, char::len_utf8) + 1,
                    false => t.end,
                };
            }
        }
        assert_eq!(
            tokens("Łódź 1990")
                .iter()
                .map(|t| (t.kind, t.text))
                .collect::<Vec<_>>(),
            [(Kind::Word, "Łódź"), (Kind::Number, "1990")]
        );
    }

    #[test]
    fn a_month_is_read_as_the_list_reads_it() {
        // The reading before it looked only at the month of the word's first three letters.
        let by_list = |word: &str| {
            let plausible = month_shaped(word);
            MONTHS
                .iter()
                .position(|m| {
                    plausible
                        && (word.eq_ignore_ascii_case(m)
                            || (word.len() == 3
                                && word.eq_ignore_ascii_case(&m[..3])
                                && word != "may")
                            || word.eq_ignore_ascii_case("sept") && *m == "September")
                })
                .and_then(|i| i64::try_from(i + 1).ok())
        };
        let mut words: Vec<String> = Vec::new();
        for m in MONTHS {
            for w in [
                m.to_owned(),
                m.to_lowercase(),
                m.to_uppercase(),
                m[..3].to_owned(),
            ] {
                words.push(w.clone());
                words.push(w[..3].to_lowercase());
                words.push(format!("{w}s"));
                words.push(w[..w.len() - 1].to_owned());
            }
        }
        words.extend(
            [
                "may",
                "May",
                "MAY",
                "sept",
                "Sept",
                "SEPT",
                "septe",
                "Ma",
                "mar",
                "juny",
                "Éva",
                "aé",
                "décembre",
                "dec",
                "Oct",
                "octopus",
                "junction",
                "nothing",
                "a",
                "",
            ]
            .map(str::to_owned),
        );
        for word in &words {
            assert_eq!(month_of(word), by_list(word), "{word}");
        }
        assert_eq!(month_of("Sept"), Some(9));
        assert_eq!(month_of("dec"), Some(12));
        assert_eq!(month_of("Septe"), None);
    }

    #[test]
    fn dates_of_every_form() {
        assert_eq!(texts("In July 2018, she spoke."), ["July 2018"]);
        assert_eq!(
            texts("She was born on 10 December 1815 in London."),
            ["10 December 1815"]
        );
        assert_eq!(
            texts("On December 10, 1815, he sailed."),
            ["10 December 1815"]
        );
        assert_eq!(texts("From the 1970s he led it."), ["1970s"]);
        assert_eq!(
            texts("Every year between 1981 and 1994 she won."),
            ["1981–1994"]
        );
        assert_eq!(texts("He served from 1986 until 1990."), ["1986–1990"]);
        assert_eq!(
            texts(
                "He was elected in 1986 and served until the abolition of the authority in 1990."
            ),
            ["1986–1990"]
        );
        assert_eq!(texts("The mill ran 1815–1852."), ["1815–1852"]);
        assert_eq!(texts("She moved there c. 1820."), ["c. 1820"]);
        assert_eq!(texts("The 2018 elections came."), ["2018"]);
        assert_eq!(texts("Labour's 1976 conference met."), ["1976"]);
    }

    #[test]
    fn qualifiers_and_deadlines() {
        assert_eq!(
            found("In late 2022, he was expelled."),
            [("2022".into(), Some("late"), false)]
        );
        assert_eq!(found("By the mid-1990s it was over.")[0].1, Some("mid"));
        assert_eq!(found("in the early 1970s")[0].1, Some("early"));
        assert_eq!(found("It closed before 1900.")[0].1, Some("before"));
        assert_eq!(
            found("to make it compulsory by 1977, rather than"),
            [("1977".into(), None, true)]
        );
        let late = &mentions("in late 2022")[0];
        assert_eq!(
            narrowed_interval(&late.date, late.qualifier),
            Some(("2022-09-01".into(), "2022-12-31".into()))
        );
    }

    #[test]
    fn a_lone_year_must_be_placed_as_a_date() {
        // Citations, publishers and names with a year in them are not events.
        for s in [
            "New York: Columbia University Press, 1993.",
            "It has been argued (Smith, 2011) that it was so.",
            "Best American Magazine Writing 2001: The Ghost.",
        ] {
            assert!(texts(s).is_empty(), "{s}: {:?}", texts(s));
        }
        // A preposition, a determiner, a possessive, `born`, a bracket, a season, the start of
        // the sentence or a range place it.
        for (s, year) in [
            ("She moved to Leeds in 2004.", "2004"),
            ("He won the 2006 prize.", "2006"),
            ("Labour's 1997 landslide.", "1997"),
            ("Jo Bloggs (born 1950) is a writer.", "1950"),
            ("It opened (1931) to acclaim.", "1931"),
            ("They met in summer 1990 again.", "1990"),
            ("2013 saw the release of a film.", "2013"),
            ("He served 1985–1989 as mayor.", "1985–1989"),
            ("His punts were 4th in the league for 1960.", "1960"),
        ] {
            assert_eq!(texts(s), [year], "{s}");
        }
    }

    #[test]
    fn numbers_that_are_not_dates() {
        for s in [
            "A letter signed by 68 rabbis.",
            "He came sixth place.",
            "See page 1998 of the report.",
            "See p. 1998.",
            "About 1500 soldiers died.",
            "It cost £1200.",
            "It met at 1930 hours.",
            "It starts at 10:30.",
            "He got 1,994 votes.",
            "Some 2000 people came.",
            "A rise of 2017%.",
        ] {
            assert_eq!(texts(s), Vec::<String>::new(), "{s}");
        }
    }

    #[test]
    fn a_year_like_number_is_what_a_date_needs() {
        for (s, yes) in [
            ("In 1815 he left.", true),
            ("the 1970s", true),
            ("the 0990s", true),
            ("12 May 2100", true),
            ("3 May 2101, 99 and 19991", false),
            ("10:30 on 5 May", false),
        ] {
            assert_eq!(may_have_a_date(s), yes, "{s}");
        }
    }

    proptest::proptest! {
        #[test]
        fn no_year_like_number_no_date(
            s in r"([ ,.'s–\-:a-z]|May |the |between |and |until |c\. |[0-9]{1,5}|[0-9]{2,3}0s |2[01][0-9]{2} ){0,40}"
        ) {
            if !may_have_a_date(&s) {
                proptest::prop_assert!(mentions_with_tokens(&s, tokens(&s)).is_empty());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_window_reads_as_the_whole_sentence(
            s in r"([ ,.'s–\-():a-z]|May |the |early |between |and |until |by |c\. |of |10th |page |[0-9]{1,4}|1[0-9]{3}|[0-9]{2,3}0s |The |\u{a0}|é |between the early 1[0-9]{3}s and 1[0-9]{3} |the 10th of May, 1[0-9]{3} |x, 1[0-9]{3} |in the mid-1990s |in 1[0-9]{3} people ){0,80}"
        ) {
            let whole = tokens(&s);
            if let Some(years) = year_like_span(&s) {
                let window = date_window(&s, years);
                let inside: Vec<(usize, usize)> = whole
                    .iter()
                    .filter(|t| window.contains(&t.start))
                    .map(|t| (t.start, t.end))
                    .collect();
                let read: Vec<(usize, usize)> = tokens_within(&s, window)
                    .iter()
                    .map(|t| (t.start, t.end))
                    .collect();
                proptest::prop_assert_eq!(read, inside);
            }
            let by_whole = mentions_with_tokens(&s, whole);
            let found: Vec<_> = mentions(&s).into_iter().map(|m| (m.span, m.date.text)).collect();
            proptest::prop_assert_eq!(found, by_whole);
        }
    }

    /// All the tokens of `s`.
    fn tokens(s: &str) -> Vec<Token<'_>> {
        tokens_within(s, 0..s.len())
    }

    /// What [`mentions`] finds reading all of `tokens` (those of the whole sentence), without
    /// its quick look for a year-like number.
    fn mentions_with_tokens(s: &str, tokens: Vec<Token<'_>>) -> Vec<((usize, usize), String)> {
        found_in(s, &tokens)
            .into_iter()
            .map(|m| (m.span, m.date.text))
            .collect()
    }

    #[test]
    fn many_date_like_tokens_stay_linear() {
        let many = "in 1999, ".repeat(200_000);
        assert_eq!(mentions(&many).len(), 200_000);
        let _ = mentions(&"May ".repeat(100_000));
        let _ = mentions(&"– 2000 ".repeat(100_000));
    }
}
