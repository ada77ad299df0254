//! Times as people read them: `2 December 2026, 13:52 (UTC)` inside `<time datetime="…">`
//! (class `when`, which the stylesheet keeps on one line), and lists of dated things grouped
//! under "Today", "Yesterday" and dates. Stored times are RFC 3339 strings; one that does not
//! parse is shown as stored.

use maud::{Markup, html};
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::bio::dates::MONTHS;

fn parse(stored: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(stored, &Rfc3339)
        .ok()
        .map(|t| t.to_offset(UtcOffset::UTC))
}

/// `2 December 2026`.
pub fn day_text(date: Date) -> String {
    let month = MONTHS[usize::from(u8::from(date.month())) - 1];
    format!("{} {month} {}", date.day(), date.year())
}

/// `2 December 2026, 13:52 (UTC)`, or the stored text when it is not RFC 3339.
pub fn text(stored: &str) -> String {
    match parse(stored) {
        Some(t) => format!(
            "{}, {:02}:{:02} (UTC)",
            day_text(t.date()),
            t.hour(),
            t.minute()
        ),
        None => stored.to_owned(),
    }
}

/// `<time class="when" datetime="STORED">2 December 2026, 13:52 (UTC)</time>`.
pub fn time(stored: &str) -> Markup {
    html! { time.when datetime=(stored) { (text(stored)) } }
}

/// Only the clock: `<time class="when" datetime="STORED">13:52</time>`, for rows under a day
/// heading.
pub fn clock(stored: &str) -> Markup {
    match parse(stored) {
        Some(t) => {
            html! { time.when datetime=(stored) title=(text(stored)) { (format!("{:02}:{:02}", t.hour(), t.minute())) } }
        }
        None => time(stored),
    }
}

/// The heading of one day's group: "Today", "Yesterday", or the date; "Undated" for times
/// that do not parse.
pub fn day_heading(stored: &str, today: Date) -> String {
    match parse(stored) {
        Some(t) if t.date() == today => "Today".to_owned(),
        Some(t) if today.previous_day() == Some(t.date()) => "Yesterday".to_owned(),
        Some(t) => day_text(t.date()),
        None => "Undated".to_owned(),
    }
}

/// Today's date in UTC, for [`day_heading`] and [`by_day`].
pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// Splits `items` (newest first, as lists of changes are) into runs of one day each, with that
/// day's heading; `stamp` gives an item's stored time. The order of items is kept.
pub fn by_day<'a, T>(
    items: &'a [T],
    stamp: impl Fn(&T) -> &str,
    today: Date,
) -> Vec<(String, &'a [T])> {
    let mut groups: Vec<(String, &'a [T])> = Vec::new();
    let mut start = 0;
    for i in 1..=items.len() {
        let boundary = i == items.len()
            || day_heading(stamp(&items[i]), today) != day_heading(stamp(&items[start]), today);
        if boundary {
            groups.push((day_heading(stamp(&items[start]), today), &items[start..i]));
            start = i;
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn times_read_as_day_month_year_and_utc_clock() {
        assert_eq!(text("2026-12-02T13:52:07Z"), "2 December 2026, 13:52 (UTC)");
        assert_eq!(
            text("2026-12-02T23:30:00-02:00"),
            "3 December 2026, 01:30 (UTC)"
        );
        assert_eq!(text("not a time"), "not a time");
        let markup = time("2026-01-05T08:04:00Z").into_string();
        assert_eq!(
            markup,
            r#"<time class="when" datetime="2026-01-05T08:04:00Z">5 January 2026, 08:04 (UTC)</time>"#
        );
    }

    #[test]
    fn changes_group_under_today_yesterday_and_dates() {
        let stamps = [
            "2026-12-04T10:00:00Z",
            "2026-12-04T01:00:00Z",
            "2026-12-03T23:59:00Z",
            "2026-11-30T12:00:00Z",
            "2026-11-30T11:00:00Z",
        ];
        let groups = by_day(&stamps, |s: &&str| *s, date!(2026 - 12 - 04));
        let shape: Vec<(&str, usize)> = groups.iter().map(|(h, g)| (h.as_str(), g.len())).collect();
        assert_eq!(
            shape,
            [("Today", 2), ("Yesterday", 1), ("30 November 2026", 2)]
        );
        assert!(by_day(&[] as &[&str], |s: &&str| *s, date!(2026 - 12 - 04)).is_empty());
    }
}
