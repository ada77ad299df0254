//! Date templates as Wikipedia shows them: `{{birth date and age|1946|6|14}}` → "June 14,
//! 1946 (age 80)", `df=y` for "14 June 1946", `{{death date and age}}` with "(aged N)",
//! `{{birth year and age}}` with "(age N–M)", `{{age}}`, `{{dts}}`, `{{FormatDate}}`.
//! Output that names an age depends on today's date.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::bio::args::{named, positional_texts};
use crate::doc::Template;

use crate::bio::dates::MONTHS;

/// A calendar day (year, month 1–12, day 1–31).
pub(crate) type Day = (i64, u32, u32);

/// Today (UTC), from the system clock.
pub(crate) fn today() -> Day {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    civil_from_days(i64::try_from(secs / 86_400).unwrap_or(0))
}

/// The calendar day of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> Day {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// A month from its number or its English name (or a prefix of three letters).
fn month(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return (1..=12).contains(&n).then_some(n);
    }
    let lower = t.to_lowercase();
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.to_lowercase().starts_with(&lower))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Year, month and day from three texts (month and day may be empty).
fn date_of(y: &str, m: &str, d: &str) -> Option<(i64, Option<u32>, Option<u32>)> {
    let year = y.trim().parse::<i64>().ok()?;
    let month = month(m);
    let day = d
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=31).contains(d));
    Some((year, month, day.filter(|_| month.is_some())))
}

/// Whether a yes-like option (`df=y`, `mf=yes`) is given.
fn yes(t: &Template, name: &str) -> bool {
    named(t, &[name]).is_some_and(|p| {
        let v = crate::doc::plain_text(&p.value).trim().to_ascii_lowercase();
        matches!(v.as_str(), "y" | "yes" | "on" | "1" | "true")
    })
}

/// A date written day first (`14 June 1946`) or month first (`June 14, 1946`).
fn written(date: (i64, Option<u32>, Option<u32>), day_first: bool) -> String {
    let (y, m, d) = date;
    let year = if y < 1 {
        format!("{} BC", 1 - y)
    } else {
        y.to_string()
    };
    let name = m.and_then(|m| MONTHS.get(usize::try_from(m).ok()?.checked_sub(1)?));
    match (name, d) {
        (Some(name), Some(d)) if day_first => format!("{d} {name} {year}"),
        (Some(name), Some(d)) => format!("{name} {d}, {year}"),
        (Some(name), None) => format!("{name} {year}"),
        _ => year,
    }
}

/// Whole years between two days.
fn years_between(from: (i64, Option<u32>, Option<u32>), to: Day) -> Option<i64> {
    let (y, m, d) = from;
    let mut years = to.0 - y;
    if (to.1, to.2) < (m.unwrap_or(1), d.unwrap_or(1)) {
        years -= 1;
    }
    (0..=150).contains(&years).then_some(years)
}

/// Templates whose text names an age reckoned up to today: a page showing one is right for
/// today only (its cached view too).
const UP_TO_TODAY: [&str; 7] = [
    "birth date and age",
    "bda",
    "birth date and age2",
    "start date and age",
    "birth year and age",
    "age",
    "age in years",
];

/// Whether template `name` (as written) shows an age reckoned up to today.
pub fn depends_on_today(name: &str) -> bool {
    UP_TO_TODAY.contains(&crate::doc::template_kinds::template_key(name).as_str())
}

/// The age `{{age|y|m|d}}` (or `{{age|y1|m1|d1|y2|m2|d2}}`) gives.
pub(crate) fn age_between(args: &[String], today: Day) -> Option<i64> {
    let get = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let from = date_of(get(0), get(1), get(2))?;
    let to = match date_of(get(3), get(4), get(5)) {
        Some((y, m, d)) => (y, m.unwrap_or(1), d.unwrap_or(1)),
        None => today,
    };
    years_between(from, to)
}

/// The text of a date template, or `None` when `key` names none.
pub(crate) fn date_template(key: &str, t: &Template, today: Day) -> Option<String> {
    let args: Vec<String> = positional_texts(t);
    let get = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let day_first = yes(t, "df") && !yes(t, "mf");
    match key {
        "birth date" | "birth-date" | "dob" | "death date" | "death-date" | "start date"
        | "end date" | "date" | "film date" => {
            let date = date_of(get(0), get(1), get(2))?;
            Some(written(date, day_first))
        }
        "birth date and age" | "bda" | "birth date and age2" | "start date and age" => {
            let date = date_of(get(0), get(1), get(2))?;
            let text = written(date, day_first);
            let label = if key == "start date and age" {
                ""
            } else {
                "age "
            };
            Some(match years_between(date, today) {
                Some(age) if key == "start date and age" => {
                    let unit = if age == 1 { "year" } else { "years" };
                    format!("{text} ({label}{age} {unit} ago)")
                }
                Some(age) => format!("{text} ({label}{age})"),
                None => text,
            })
        }
        "death date and age" | "dda" => {
            let died = date_of(get(0), get(1), get(2))?;
            let born = date_of(get(3), get(4), get(5));
            let text = written(died, day_first);
            let age = born.and_then(|b| {
                years_between(b, (died.0, died.1.unwrap_or(12), died.2.unwrap_or(31)))
            });
            Some(match age {
                Some(age) => format!("{text} (aged {age})"),
                None => text,
            })
        }
        "birth year and age" | "death year and age" => {
            let year = get(0).trim().parse::<i64>().ok()?;
            let (to, aged) = if key == "birth year and age" {
                (today.0, "age")
            } else {
                (get(1).trim().parse::<i64>().ok()?, "aged")
            };
            let (from, until) = if key == "birth year and age" {
                (year, to)
            } else {
                (to, year)
            };
            let older = until - from;
            Some(if older <= 0 || older > 150 {
                year.to_string()
            } else {
                format!("{year} ({aged} {}\u{2013}{older})", older - 1)
            })
        }
        "birth year" | "death year" => Some(get(0).to_string()).filter(|y| !y.is_empty()),
        "circa" | "c." => Some(format!("c.\u{a0}{}", get(0))),
        "dts" | "dts2" | "sort date" => {
            let parts: Vec<&str> = args
                .iter()
                .map(|a| a.trim())
                .filter(|a| !a.is_empty() && !a.contains('='))
                .collect();
            if let [one] = parts.as_slice() {
                if let Some((y, rest)) = one.split_once('-') {
                    let (m, d) = rest.split_once('-').unwrap_or((rest, ""));
                    return date_of(y, m, d).map(|date| written(date, day_first));
                }
                return Some((*one).to_string());
            }
            let date = date_of(
                parts.first().copied().unwrap_or(""),
                parts.get(1).copied().unwrap_or(""),
                parts.get(2).copied().unwrap_or(""),
            )?;
            Some(written(date, true))
        }
        "formatdate" | "format date" | "datum" => {
            let iso = get(0);
            let mut parts = iso.splitn(3, '-');
            let date = date_of(
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            )?;
            Some(written(date, true))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Inline, Param};

    fn tpl(args: &[&'static str]) -> Template<'static> {
        Template {
            name: "x".into(),
            params: args
                .iter()
                .map(|a| match a.split_once('=') {
                    Some((k, v)) => Param {
                        name: Some(k.into()),
                        value: vec![Inline::text(v)],
                    },
                    None => Param {
                        name: None,
                        value: vec![Inline::text(*a)],
                    },
                })
                .collect(),
        }
    }

    const TODAY: Day = (2026, 12, 4);

    #[test]
    fn days_from_the_epoch() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_426), (2025, 12, 4));
    }

    #[test]
    fn birth_and_death_dates_show_ages_in_either_order() {
        let d = |k: &str, a: &[&'static str]| date_template(k, &tpl(a), TODAY);
        assert_eq!(
            d("birth date and age", &["1946", "6", "14"]).as_deref(),
            Some("June 14, 1946 (age 80)")
        );
        assert_eq!(
            d("birth date and age", &["1946", "12", "14", "df=y"]).as_deref(),
            Some("14 December 1946 (age 79)")
        );
        assert_eq!(
            d(
                "death date and age",
                &["2000", "3", "1", "1946", "6", "14", "df=yes"]
            )
            .as_deref(),
            Some("1 March 2000 (aged 53)")
        );
        assert_eq!(
            d("birth year and age", &["1946"]).as_deref(),
            Some("1946 (age 79\u{2013}80)")
        );
        assert_eq!(d("dts", &["", "", "1810"]).as_deref(), Some("1810"));
        assert_eq!(
            d("formatdate", &["2002-09-23"]).as_deref(),
            Some("23 September 2002")
        );
        assert_eq!(d("not a date", &["1946"]), None);
        let args = ["1946".to_string(), "6".to_string(), "14".to_string()];
        assert_eq!(age_between(&args, TODAY), Some(80));
    }
}
