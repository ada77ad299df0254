//! `{{#time: format | date}}`: enough of PHP's date formats for years, ages and dates (`Y y n
//! m j d F M D l N z L`, `"quoted"` and `\x` literals), of a date written `now`, `YYYY`,
//! `YYYY-MM`, `YYYY-MM-DD`, `D Month YYYY`, `Month D, YYYY` or `Month YYYY`.

use ::time::{Date, Month};

use super::{Day, error};
use crate::doc::calendar::MONTHS;

/// The most characters of format read.
const MAX_FORMAT: usize = 6000;

fn month_named(word: &str) -> Option<u8> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.to_ascii_lowercase().starts_with(&word))
        .map(|i| i as u8 + 1)
}

/// The date a text writes, or `None`.
fn parse(text: &str, today: Day) -> Option<Date> {
    let text = text.trim();
    let (year, month, day) = if text.is_empty() || text.eq_ignore_ascii_case("now") {
        (today.year, today.month, today.day)
    } else if let Some(date) = iso(text) {
        date
    } else {
        words(text)?
    };
    let month = Month::try_from(month).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

fn iso(text: &str) -> Option<(i32, u8, u8)> {
    let date = text.split(['T', ' ']).next()?;
    let mut parts = date.split('-');
    let year = parts.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let month = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    Some((year.parse().ok()?, month, day))
}

fn words(text: &str) -> Option<(i32, u8, u8)> {
    let cleaned = text.replace(',', " ");
    let parts: Vec<&str> = cleaned.split_whitespace().collect();
    let number = |s: &str| s.parse::<i32>().ok();
    match parts.as_slice() {
        [d, m, y] if number(d).is_some() => {
            Some((number(y)?, month_named(m)?, u8::try_from(number(d)?).ok()?))
        }
        [m, d, y] => Some((number(y)?, month_named(m)?, u8::try_from(number(d)?).ok()?)),
        [m, y] => Some((number(y)?, month_named(m)?, 1)),
        _ => None,
    }
}

/// `format` applied to the date `date` (today when it is empty or `now`).
pub(super) fn format(format: &str, date: &str, today: Day) -> String {
    let Some(date) = parse(date, today) else {
        return error("Error: Invalid time.");
    };
    let mut out = String::new();
    let mut chars = format.chars().take(MAX_FORMAT).peekable();
    let month = u8::from(date.month());
    let name = MONTHS[usize::from(month - 1)];
    while let Some(c) = chars.next() {
        match c {
            'Y' => out.push_str(&date.year().to_string()),
            'y' => out.push_str(&format!("{:02}", date.year().rem_euclid(100))),
            'n' => out.push_str(&month.to_string()),
            'm' => out.push_str(&format!("{month:02}")),
            'j' => out.push_str(&date.day().to_string()),
            'd' => out.push_str(&format!("{:02}", date.day())),
            'F' => out.push_str(name),
            'M' => out.push_str(&name[..3]),
            'l' => out.push_str(&date.weekday().to_string()),
            'D' => out.push_str(&date.weekday().to_string()[..3]),
            'N' => out.push_str(&date.weekday().number_from_monday().to_string()),
            'z' => out.push_str(&(date.ordinal() - 1).to_string()),
            'L' => out.push(if ::time::util::is_leap_year(date.year()) {
                '1'
            } else {
                '0'
            }),
            'G' | 'H' | 'i' | 's' => out.push_str(if c == 'G' { "0" } else { "00" }),
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '"' => {
                for next in chars.by_ref() {
                    if next == '"' {
                        break;
                    }
                    out.push(next);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Day = Day {
        year: 2026,
        month: 12,
        day: 4,
    };

    #[test]
    fn formats_and_dates() {
        let cases = [
            ("Y", "", "2026"),
            ("Y", "now", "2026"),
            ("j F Y", "1815-12-10", "10 December 1815"),
            ("F j, Y", "10 December 1815", "December 10, 1815"),
            ("d/m/y", "December 10, 1815", "10/12/15"),
            ("M Y", "1815-12", "Dec 1815"),
            ("n", "March 1900", "3"),
            ("l", "2026-12-04", "Friday"),
            ("\"year\" Y", "1990", "year 1990"),
            (
                "Y",
                "not a date",
                "<strong class=\"error\">Error: Invalid time.</strong>",
            ),
            (
                "Y",
                "2026-02-30",
                "<strong class=\"error\">Error: Invalid time.</strong>",
            ),
        ];
        for (f, d, want) in cases {
            assert_eq!(format(f, d, TODAY), want, "{f} {d}");
        }
    }
}
