//! Dates with their precision: from the date templates (`{{birth date|1815|12|10}}`…) and from
//! plain text (`10 December 1815`, `December 1815`, `c. 1815`, `1970–2020`, `1815 or 1816`).
//!
//! A [`FactDate`] keeps the text it was read from and, when it could be read, the date cut to
//! its precision, whether it is approximate, and the end of a range. Everything it knows follows
//! from its text: `FactDate::parse(&date.text)` gives the same date back, so storage keeps only
//! the text (and the interval, for queries).

use serde::{Serialize, Serializer};

use super::args::{key, positional_texts};
use crate::doc::Template;

/// Month names, for reading and writing dates.
pub use crate::doc::calendar::MONTHS;

/// The longest date text that is read; longer texts are kept as text only.
const MAX_DATE_TEXT: usize = 200;
/// The most characters of a date's text that are kept.
const MAX_KEPT_CHARS: usize = 300;
/// The years a date can have (ISO 8601 without the expanded form; no year 0).
const YEARS: std::ops::RangeInclusive<i64> = 1..=9999;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year.
    Year,
    /// The year and month.
    Month,
    /// The full date.
    Day,
}

/// A calendar date known to a year, a month or a day (proleptic Gregorian, years 1 to 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    /// A date from numbers; `None` when the year is out of range. A month outside 1–12 is
    /// dropped (with the day), and so is a day the month does not have.
    pub fn new(year: i64, month: Option<i64>, day: Option<i64>) -> Option<Self> {
        if !YEARS.contains(&year) {
            return None;
        }
        let year = u16::try_from(year).ok()?;
        let month = month
            .filter(|m| (1..=12).contains(m))
            .and_then(|m| u8::try_from(m).ok());
        let day = match month {
            Some(m) => day
                .filter(|d| *d >= 1 && *d <= i64::from(days_in_month(year, m)))
                .and_then(|d| u8::try_from(d).ok()),
            None => None,
        };
        Some(Self { year, month, day })
    }

    /// How much is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// ISO 8601 cut to the precision: `1944`, `1944-02`, `1944-02-01`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// The first day the date can mean, as `YYYY-MM-DD`.
    pub fn first_day(&self) -> String {
        day_text(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day the date can mean, as `YYYY-MM-DD`.
    pub fn last_day(&self) -> String {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or(days_in_month(self.year, month));
        day_text(self.year, month, day)
    }

    /// The date as people write it: `1 February 1944`, `February 1944`, `1944`.
    pub fn readable(&self) -> String {
        let month = |m: u8| MONTHS[usize::from(m - 1)];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", month(m), self.year),
            (Some(m), None) => format!("{} {}", month(m), self.year),
            _ => self.year.to_string(),
        }
    }

    /// The start of the first day as a fractional year (for drawing: 1944.08 for February 1944).
    pub fn start_year(&self) -> f64 {
        let month = f64::from(self.month.unwrap_or(1) - 1);
        let day = f64::from(self.day.unwrap_or(1) - 1);
        f64::from(self.year) + month / 12.0 + day / 365.0
    }

    /// The end of the last day as a fractional year.
    pub fn end_year(&self) -> f64 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                f64::from(self.year) + f64::from(m - 1) / 12.0 + f64::from(d) / 365.0
            }
            (Some(m), None) => f64::from(self.year) + f64::from(m) / 12.0,
            _ => f64::from(self.year) + 1.0,
        }
    }

    /// The year.
    pub fn year(&self) -> i64 {
        i64::from(self.year)
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date as a fact: its text, and what could be read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactDate {
    /// The text the date was read from (or made from a template).
    pub text: String,
    /// The date, when the text could be read.
    pub reading: Option<Reading>,
    /// Where a person's birth or death date was read (the infobox or a sentence); `None` for
    /// the dates inside other facts, which carry their own.
    pub from: Option<super::origin::Origin>,
}

/// What a date's text says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// The date, or the start of a range.
    pub start: PartialDate,
    /// The end of a range (`1970–2020`, `1815 or 1816`).
    pub end: Option<PartialDate>,
    /// `c. 1815`, `circa`, `1815 or 1816`.
    pub approximate: bool,
}

impl FactDate {
    /// Reads a date from text (see the module documentation for the forms).
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        let reading = if text.len() > MAX_DATE_TEXT {
            None
        } else {
            read(text)
        };
        Self {
            // A long text is not a date: keep enough of it to show (it still reads as none).
            text: text.chars().take(MAX_KEPT_CHARS).collect(),
            reading,
            from: None,
        }
    }

    /// A date known exactly to its precision.
    pub fn exact(date: PartialDate) -> Self {
        Self {
            text: date.readable(),
            reading: Some(Reading {
                start: date,
                end: None,
                approximate: false,
            }),
            from: None,
        }
    }

    /// The date, said to come from `from`.
    pub fn with_origin(mut self, from: super::origin::Origin) -> Self {
        self.from = Some(from);
        self
    }

    /// The time the date can mean as fractional years, for drawing it on a time axis.
    pub fn years(&self) -> Option<(f64, f64)> {
        let r = self.reading.as_ref()?;
        Some((r.start.start_year(), r.end.unwrap_or(r.start).end_year()))
    }

    /// The days the date can mean, first and last, as `YYYY-MM-DD`: a `February 1944` is
    /// `1944-02-01` to `1944-02-29`; a range runs to the last day of its end.
    pub fn interval(&self) -> Option<(String, String)> {
        let r = self.reading.as_ref()?;
        Some((r.start.first_day(), r.end.unwrap_or(r.start).last_day()))
    }
}

/// `{"value", "precision", "text"}` plus `approximate` or `end` where they apply; only `text`
/// when the date could not be read.
impl Serialize for FactDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Bound {
            value: String,
            precision: Precision,
        }
        #[derive(Serialize)]
        struct Shape<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            value: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            precision: Option<Precision>,
            text: &'a str,
            #[serde(skip_serializing_if = "std::ops::Not::not")]
            approximate: bool,
            #[serde(skip_serializing_if = "Option::is_none")]
            end: Option<Bound>,
            #[serde(skip_serializing_if = "Option::is_none")]
            from: Option<&'a super::origin::Origin>,
        }
        let r = self.reading.as_ref();
        Shape {
            value: r.map(|r| r.start.iso()),
            precision: r.map(|r| r.start.precision()),
            text: &self.text,
            approximate: r.is_some_and(|r| r.approximate),
            end: r.and_then(|r| r.end).map(|e| Bound {
                value: e.iso(),
                precision: e.precision(),
            }),
            from: self.from.as_ref(),
        }
        .serialize(serializer)
    }
}

/// Reads the whole text as a date, a range or an alternative.
fn read(text: &str) -> Option<Reading> {
    let cleaned = clean(text);
    let (approximate, rest) = strip_approximate(&cleaned);
    // `the 1970s`: the decade, as the range of its years.
    if let Some(decade) = decade(rest) {
        return Some(Reading {
            start: PartialDate::new(decade, None, None)?,
            end: PartialDate::new(decade + 9, None, None),
            approximate,
        });
    }
    // `1815-12` is a month (ISO), not the range 1815–1812.
    if let Some(start) = iso(rest) {
        return Some(Reading {
            start,
            end: None,
            approximate,
        });
    }
    if let Some((a, b)) = rest.split_once(" or ") {
        let start = simple(a)?;
        let end = end_of(start, b)?;
        return Some(Reading {
            start,
            end: Some(end),
            approximate: true,
        });
    }
    if let Some((a, b)) = split_range(rest) {
        let start = simple(a)?;
        let end = end_of(start, b)?;
        return Some(Reading {
            start,
            end: Some(end),
            approximate,
        });
    }
    Some(Reading {
        start: simple(rest)?,
        end: None,
        approximate,
    })
}

/// The first year of a decade written `1970s` (or `the 1970s`, `1970's`).
fn decade(text: &str) -> Option<i64> {
    let text = text.strip_prefix("the ").unwrap_or(text);
    let digits = text.strip_suffix("'s").or_else(|| text.strip_suffix('s'))?;
    let year = year(digits).filter(|y| digits.len() >= 3 && y % 10 == 0)?;
    Some(year)
}

/// Spaces normalised, trailing notes in parentheses and punctuation dropped.
fn clean(text: &str) -> String {
    let mut s: String = text
        .replace(['\u{a0}', '\u{2009}', '\u{202f}'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    while s.ends_with(')') {
        match s.rfind('(') {
            Some(open) => s.truncate(open),
            None => break,
        }
        let kept = s.trim_end().len();
        s.truncate(kept);
    }
    s.trim_end_matches([',', ';', '.', ' ']).to_owned()
}

fn strip_approximate(s: &str) -> (bool, &str) {
    const PREFIXES: [&str; 10] = [
        "circa ", "c. ", "c.", "ca. ", "ca.", "ca ", "c ", "approx. ", "about ", "around ",
    ];
    for prefix in PREFIXES {
        if s.len() > prefix.len()
            && s.is_char_boundary(prefix.len())
            && s[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return (true, s[prefix.len()..].trim_start());
        }
    }
    (false, s)
}

/// `A–B`, `A—B`, `A to B`, or `A-B` when both sides are plain numbers (not an ISO date).
fn split_range(s: &str) -> Option<(&str, &str)> {
    for dash in ['–', '—'] {
        if let Some((a, b)) = s.split_once(dash) {
            return Some((a.trim(), b.trim()));
        }
    }
    if let Some((a, b)) = s.split_once(" to ") {
        return Some((a.trim(), b.trim()));
    }
    let (a, b) = s.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let numeric = |x: &str| !x.is_empty() && x.bytes().all(|c| c.is_ascii_digit());
    (numeric(a) && numeric(b) && a.len() >= 3).then_some((a, b))
}

/// The end of a range: a date no earlier than `start`; `1970–71` ends in 1971.
fn end_of(start: PartialDate, text: &str) -> Option<PartialDate> {
    let text = text.trim();
    let end = if text.len() <= 2 && text.bytes().all(|c| c.is_ascii_digit()) && !text.is_empty() {
        let short: i64 = text.parse().ok()?;
        let century = start.year() - start.year() % 100;
        PartialDate::new(century + short, None, None)?
    } else {
        simple(text)?
    };
    (end.last_day() >= start.first_day()).then_some(end)
}

/// One date: `1815-12-10`, `10 December 1815`, `December 10, 1815`, `December 1815`, `1815`,
/// `AD 46`, `46 CE`. Years before the common era are not read.
fn simple(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    if let Some(date) = iso(s) {
        return Some(date);
    }
    let mut tokens: Vec<&str> = s
        .split([' ', ','])
        .map(|t| t.trim_end_matches('.'))
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.len() > 4 {
        return None;
    }
    if tokens
        .iter()
        .any(|t| t.eq_ignore_ascii_case("bc") || t.eq_ignore_ascii_case("bce"))
    {
        return None;
    }
    tokens
        .retain(|t| !(t.eq_ignore_ascii_case("ad") || t.eq_ignore_ascii_case("ce") || *t == "A.D"));
    match tokens.as_slice() {
        [y] => PartialDate::new(year(y)?, None, None),
        [m, y] => {
            let date = PartialDate::new(year(y)?, Some(month(m)?), None)?;
            date.month.map(|_| date)
        }
        [a, b, y] => match (day(a), month(b)) {
            (Some(d), Some(m)) => day_month_year(d, m, year(y)?),
            _ => day_month_year(day(b)?, month(a)?, year(y)?),
        },
        _ => None,
    }
}

fn day_month_year(day: i64, month: i64, year: i64) -> Option<PartialDate> {
    let date = PartialDate::new(year, Some(month), Some(day))?;
    date.day.map(|_| date)
}

/// `YYYY-MM-DD` or `YYYY-MM` with a four-digit year.
fn iso(s: &str) -> Option<PartialDate> {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y, m] if digits(y, 4) && digits(m, 2) => {
            let date = PartialDate::new(y.parse().ok()?, Some(m.parse().ok()?), None)?;
            date.month.map(|_| date)
        }
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            day_month_year(d.parse().ok()?, m.parse().ok()?, y.parse().ok()?)
        }
        _ => None,
    }
}

fn year(token: &str) -> Option<i64> {
    (token.len() <= 4 && !token.is_empty() && token.bytes().all(|c| c.is_ascii_digit()))
        .then(|| token.parse().ok())
        .flatten()
}

fn day(token: &str) -> Option<i64> {
    let digits = token.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &token[digits.len()..];
    let ordinal = ["", "st", "nd", "rd", "th"]
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(s));
    (ordinal && (1..=2).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// A month by its name or its first three letters (`Sept` too).
fn month(token: &str) -> Option<i64> {
    if token.len() < 3 || !token.is_ascii() {
        return None;
    }
    MONTHS
        .iter()
        .position(|name| {
            token.eq_ignore_ascii_case(name)
                || token.eq_ignore_ascii_case(&name[..3])
                || (name.len() > 4 && token.eq_ignore_ascii_case(&name[..4]))
        })
        .and_then(|i| i64::try_from(i + 1).ok())
}

/// A date as filters write it: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a four-digit year from 0001,
/// a month 01–12, a day 01–31. A day past the month's end (`2023-02-30`) means the month's
/// last day, so every string of that form (the pattern the OpenAPI document gives) is a date.
pub fn parse_filter(text: &str) -> Option<PartialDate> {
    let digits = text.len() == 4 && text.bytes().all(|c| c.is_ascii_digit());
    if digits {
        return PartialDate::new(text.parse().ok()?, None, None);
    }
    iso(text).or_else(|| past_the_month_end(text))
}

/// `YYYY-MM-DD` with a day 29–31 the month does not have, as the month's last day.
fn past_the_month_end(text: &str) -> Option<PartialDate> {
    let (month, day) = text.rsplit_once('-')?;
    if day.len() != 2 || !day.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let day: u8 = day.parse().ok().filter(|d| (29..=31).contains(d))?;
    let month = iso(month)?;
    let last = days_in_month(month.year, month.month?);
    (day > last).then_some(PartialDate {
        day: Some(last),
        ..month
    })
}

/// A date template's date, and the age it states, if `t` is a date template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateDate {
    /// The date.
    pub date: FactDate,
    /// The age at death of `{{death date and age}}`.
    pub age: Option<i64>,
}

impl TemplateDate {
    /// The date as a page shows it: `27 November 1852 (aged 36)`.
    pub fn display(&self) -> String {
        match self.age {
            Some(age) => format!("{} (aged {age})", self.date.text),
            None => self.date.text.clone(),
        }
    }
}

/// The date of a date template (`{{birth date}}`, `{{death date and age}}`, `{{circa}}`…).
pub fn from_template(t: &Template) -> Option<TemplateDate> {
    let k = key(t);
    let p = positional_texts(t);
    let get = |i: usize| p.get(i).map(String::as_str).unwrap_or("");
    let plain = |date: FactDate| TemplateDate { date, age: None };
    match k.as_str() {
        "birth date" | "birth date and age" | "bda" | "dob" | "death date" | "start date"
        | "end date" | "start date and age" | "birth-date" | "death-date" | "date" => {
            numeric_date(get(0), get(1), get(2)).map(plain)
        }
        "death date and age" | "dda" => {
            let date = numeric_date(get(0), get(1), get(2))?;
            let age = age((get(3), get(4), get(5)), (get(0), get(1), get(2)));
            Some(TemplateDate { date, age })
        }
        "birth year and age" | "death year and age" | "birth year" | "death year" => {
            (!get(0).is_empty()).then(|| plain(FactDate::parse(get(0))))
        }
        "circa" | "c." => Some(plain(FactDate::parse(&format!("c. {}", get(0))))),
        _ => None,
    }
}

/// A date from year, month and day parameters; a year that is not a number is read as text.
fn numeric_date(y: &str, m: &str, d: &str) -> Option<FactDate> {
    let number = |s: &str| s.trim().parse::<i64>().ok();
    match number(y).and_then(|y| PartialDate::new(y, number(m), number(d))) {
        Some(date) => Some(FactDate::exact(date)),
        None => (!y.is_empty()).then(|| FactDate::parse(y)),
    }
}

/// Whole years from `birth` to `death` (year, month, day texts), if plausible.
fn age(birth: (&str, &str, &str), death: (&str, &str, &str)) -> Option<i64> {
    let number = |s: &str| s.trim().parse::<i64>().ok();
    let (by, dy) = (number(birth.0)?, number(death.0)?);
    let later = |(m, d): (&str, &str)| (number(m).unwrap_or(0), number(d).unwrap_or(0));
    let mut years = dy.checked_sub(by)?;
    if later((death.1, death.2)) < later((birth.1, birth.2)) {
        years -= 1;
    }
    (0..=200).contains(&years).then_some(years)
}

/// `YYYY-MM-DD`, written digit by digit: every event's interval is two of these, and an
/// import makes some hundred thousand (through `format!` they were a tenth of the reading of a
/// biography's text).
fn day_text(year: u16, month: u8, day: u8) -> String {
    if year > 9999 {
        return format!("{year:04}-{month:02}-{day:02}");
    }
    let digit = |n: u16| char::from(b'0' + (n % 10) as u8);
    let mut text = String::with_capacity(10);
    for n in [year / 1000, year / 100, year / 10, year] {
        text.push(digit(n));
    }
    for n in [month, day] {
        text.push('-');
        text.push(digit(u16::from(n) / 10));
        text.push(digit(u16::from(n)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_format_writes_them() {
        for (year, month, day) in [
            (1, 1, 1),
            (44, 3, 15),
            (999, 12, 31),
            (1944, 2, 29),
            (9999, 10, 9),
        ] {
            assert_eq!(
                day_text(year, month, day),
                format!("{year:04}-{month:02}-{day:02}")
            );
        }
    }
    use crate::doc::{Inline, Param};

    fn json(text: &str) -> serde_json::Value {
        serde_json::to_value(FactDate::parse(text)).unwrap()
    }

    fn tpl<'a>(name: &'a str, params: &[&'a str]) -> Template<'a> {
        Template {
            name: name.into(),
            params: params
                .iter()
                .map(|p| Param {
                    name: None,
                    value: vec![Inline::text(*p)],
                })
                .collect(),
        }
    }

    #[test]
    fn plain_text_dates_keep_their_precision() {
        assert_eq!(
            json("10 December 1815"),
            serde_json::json!({"value": "1815-12-10", "precision": "day", "text": "10 December 1815"})
        );
        assert_eq!(json("December 10, 1815")["value"], "1815-12-10");
        assert_eq!(json("10th Dec. 1815")["value"], "1815-12-10");
        assert_eq!(
            json("February 1944"),
            serde_json::json!({"value": "1944-02", "precision": "month", "text": "February 1944"})
        );
        assert_eq!(json("Sept 1944")["value"], "1944-09");
        assert_eq!(
            json("1815"),
            serde_json::json!({"value": "1815", "precision": "year", "text": "1815"})
        );
        assert_eq!(json("1815-12-10")["precision"], "day");
        assert_eq!(json("1815-12")["precision"], "month");
        assert_eq!(json("AD 46")["value"], "0046");
        assert_eq!(json("46 CE")["value"], "0046");
        assert_eq!(json("27 November 1852 (aged 36)")["value"], "1852-11-27");
    }

    #[test]
    fn approximate_dates_say_so() {
        for text in ["c. 1815", "circa 1815", "c.1815", "ca. 1815", "Circa 1815"] {
            let d = json(text);
            assert_eq!(d["value"], "1815", "{text}");
            assert_eq!(d["approximate"], true, "{text}");
        }
        assert_eq!(json("c. AD 46")["value"], "0046");
        assert!(json("1815").get("approximate").is_none());
    }

    #[test]
    fn ranges_and_alternatives_have_an_end() {
        for text in ["1970–2020", "1970-2020", "1970 — 2020", "1970 to 2020"] {
            let d = json(text);
            assert_eq!(d["value"], "1970", "{text}");
            assert_eq!(
                d["end"],
                serde_json::json!({"value": "2020", "precision": "year"})
            );
        }
        assert_eq!(json("1970–71")["end"]["value"], "1971");
        let d = json("1815 or 1816");
        assert_eq!(d["value"], "1815");
        assert_eq!(d["end"]["value"], "1816");
        assert_eq!(d["approximate"], true);
        assert_eq!(
            FactDate::parse("March 1970 – June 1971").interval(),
            Some(("1970-03-01".into(), "1971-06-30".into()))
        );
        // An end before the start is not a range.
        assert_eq!(json("2020–1970"), serde_json::json!({"text": "2020–1970"}));
    }

    #[test]
    fn unreadable_dates_keep_only_their_text() {
        for text in [
            "after AD 119",
            "44 BC",
            "0",
            "year 0",
            "99999",
            "18446744073709551616",
            "13/13/1815",
            "1815-13",
            "1815-02-30",
            "31 February 1815",
            "",
            "unknown",
            "Décembre 1815",
        ] {
            let d = json(text);
            assert_eq!(d, serde_json::json!({"text": text}), "{text}");
        }
        let long = "1815 ".repeat(100);
        assert_eq!(FactDate::parse(&long).reading, None);
        let kept = FactDate::parse(&"9".repeat(1_000_000));
        assert_eq!(kept.text.len(), MAX_KEPT_CHARS);
        assert_eq!(FactDate::parse(&kept.text), kept, "reads back the same");
    }

    #[test]
    fn dates_place_on_a_time_axis() {
        let years = |t: &str| FactDate::parse(t).years().unwrap();
        assert_eq!(years("1944"), (1944.0, 1945.0));
        let (start, end) = years("February 1944");
        assert!((start - 1944.0833).abs() < 0.001 && (end - 1944.1667).abs() < 0.001);
        let (start, end) = years("1970–2020");
        assert_eq!((start, end), (1970.0, 2021.0));
        assert_eq!(FactDate::parse("unknown").years(), None);
    }

    #[test]
    fn filter_dates_are_strict() {
        assert_eq!(
            parse_filter("1944").map(|d| d.iso()).as_deref(),
            Some("1944")
        );
        assert_eq!(
            parse_filter("1944-02").map(|d| d.last_day()).as_deref(),
            Some("1944-02-29")
        );
        assert_eq!(
            parse_filter("1944-02-15").map(|d| d.first_day()).as_deref(),
            Some("1944-02-15")
        );
        for (past, last) in [("1944-02-30", "1944-02-29"), ("1943-02-31", "1943-02-28")] {
            assert_eq!(
                parse_filter(past).map(|d| d.first_day()).as_deref(),
                Some(last)
            );
        }
        for bad in [
            "",
            "44",
            "0000",
            "1944-2",
            "1944-13",
            "1944-02-32",
            "1944-02-3",
            "1944-02-+30",
            "February 1944",
            "19440",
            "-1944",
            "１９４４",
        ] {
            assert_eq!(parse_filter(bad), None, "{bad}");
        }
    }

    #[test]
    fn intervals_cover_the_precision() {
        let interval = |t: &str| FactDate::parse(t).interval();
        assert_eq!(
            interval("February 1944"),
            Some(("1944-02-01".into(), "1944-02-29".into()))
        );
        assert_eq!(
            interval("February 1943"),
            Some(("1943-02-01".into(), "1943-02-28".into()))
        );
        assert_eq!(
            interval("1900"),
            Some(("1900-01-01".into(), "1900-12-31".into()))
        );
        assert_eq!(interval("unknown"), None);
    }

    #[test]
    fn templates_give_dates_and_read_back_from_their_text() {
        let cases: [(&str, &[&str], &str, &str); 9] = [
            (
                "birth date",
                &["1815", "12", "10"],
                "10 December 1815",
                "1815-12-10",
            ),
            (
                "Birth date and age",
                &["1944", "2"],
                "February 1944",
                "1944-02",
            ),
            ("birth_date", &["1944"], "1944", "1944"),
            (
                "death date and age",
                &["2020", "1", "5", "1944", "2", "1"],
                "5 January 2020 (aged 75)",
                "2020-01-05",
            ),
            ("birth year and age", &["1944"], "1944", "1944"),
            ("circa", &["1850"], "c. 1850", "1850"),
            (
                "birth date",
                &["10 December 1815"],
                "10 December 1815",
                "1815-12-10",
            ),
            ("birth date", &["1944", "13", "1"], "1944", "1944"),
            (
                "Template:Death date",
                &["1944", "2", "30"],
                "February 1944",
                "1944-02",
            ),
        ];
        for (name, params, shown, value) in cases {
            let found = from_template(&tpl(name, params)).expect(name);
            assert_eq!(found.display(), shown, "{name} {params:?}");
            let read = found.date.reading.expect(name);
            assert_eq!(read.start.iso(), value, "{name} {params:?}");
            assert_eq!(FactDate::parse(&found.date.text), found.date, "{name}");
        }
        assert!(
            from_template(&tpl("circa", &["1850"]))
                .unwrap()
                .date
                .reading
                .unwrap()
                .approximate
        );
        assert_eq!(from_template(&tpl("cite web", &[])), None);
        assert_eq!(from_template(&tpl("birth date", &[])), None);
    }

    #[test]
    fn hostile_template_numbers_are_bounded() {
        for params in [
            &["0", "1", "1"][..],
            &["99999999999999999999", "1", "1"],
            &["-5", "1", "1"],
            &["9223372036854775807", "9223372036854775807", "1"],
        ] {
            let found = from_template(&tpl("birth date", params)).unwrap();
            assert_eq!(found.date.reading, None, "{params:?}");
            assert_eq!(found.date.text, params[0]);
        }
        let dda = tpl(
            "death date and age",
            &["9223372036854775807", "1", "1", "-9223372036854775808"],
        );
        assert_eq!(from_template(&dda).unwrap().age, None);
    }
}
