//! An infobox value as a list of items: split at `<br>`, commas, semicolons, new lines and list
//! templates (`{{hlist}}`, `{{plainlist}}`, `{{flatlist}}`, `{{ubl}}`…), each item with its text,
//! the first page it links to, and a date range in parentheses (`IBM (1970–2020)`).

use serde::Serialize;

use super::args::{key, positional};
use super::dates::{self, FactDate};
use crate::doc::{Inline, plain_text};

/// The most items one value gives (the rest are dropped).
pub const MAX_ITEMS: usize = 100;
/// The longest item text kept, in characters.
pub const MAX_ITEM_CHARS: usize = 300;
/// How deep templates and markup inside a value are followed.
const MAX_VALUE_DEPTH: usize = 8;

/// One item of a value: a place, an occupation, an organisation, a spouse, an office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactValue {
    /// The text, markup removed.
    pub text: String,
    /// The page the item links to (the first link in it), as written.
    pub link: Option<String>,
    /// The infobox field it came from, for kinds gathered from several (`employer`, `party`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// When it started (a membership, an office, a marriage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<FactDate>,
    /// When it ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<FactDate>,
    /// Where it was read.
    pub from: super::origin::Origin,
}

impl FactValue {
    fn new(text: String, link: Option<String>) -> Self {
        Self {
            text,
            link,
            field: None,
            start: None,
            end: None,
            from: super::origin::Origin::Infobox,
        }
    }
}

/// Whether commas and semicolons separate items (lists) or not (a place: `London, England`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Items are separated by commas and semicolons too.
    Commas,
    /// Only line breaks and list templates separate items.
    Lines,
}

/// The items of a value, at most [`MAX_ITEMS`].
pub fn items(value: &[Inline], split: Split) -> Vec<FactValue> {
    let mut walk = Walk::new(split);
    walk.inlines(value, 0);
    walk.flush();
    walk.items.into_iter().map(with_period).collect()
}

/// The whole value as one item (a place), if it has text.
pub fn single(value: &[Inline]) -> Option<FactValue> {
    let mut walk = Walk::new(Split::Lines);
    walk.inlines(value, 0);
    walk.flush();
    let mut items = walk.items.into_iter();
    let mut first = items.next()?;
    for more in items {
        first.text.push_str(", ");
        first.text.push_str(&more.text);
        first.link = first.link.or(more.link);
    }
    first.text = truncate(&first.text);
    Some(first)
}

struct Walk {
    split: Split,
    items: Vec<FactValue>,
    text: String,
    link: Option<String>,
    parens: usize,
}

impl Walk {
    fn new(split: Split) -> Self {
        Self {
            split,
            items: Vec::new(),
            text: String::new(),
            link: None,
            parens: 0,
        }
    }

    fn flush(&mut self) {
        let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let text =
            text.trim_matches(|c: char| c == '*' || c == ',' || c == ';' || c.is_whitespace());
        if !text.is_empty() && self.items.len() < MAX_ITEMS {
            self.items
                .push(FactValue::new(truncate(text), self.link.take()));
        }
        self.text.clear();
        self.link = None;
        self.parens = 0;
    }

    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            match c {
                '(' => self.parens += 1,
                ')' => self.parens = self.parens.saturating_sub(1),
                _ => {}
            }
            let separates = c == '\n'
                || (self.split == Split::Commas && self.parens == 0 && (c == ',' || c == ';'));
            if separates {
                self.flush();
            } else if self.text.len() < 4 * MAX_ITEM_CHARS {
                self.text.push(c);
            }
        }
    }

    fn push_unsplit(&mut self, text: &str) {
        if self.text.len() < 4 * MAX_ITEM_CHARS {
            self.text.push_str(text);
        }
    }

    fn inlines(&mut self, inlines: &[Inline], depth: usize) {
        if depth > MAX_VALUE_DEPTH {
            return;
        }
        for inline in inlines {
            if self.items.len() >= MAX_ITEMS {
                return;
            }
            match inline {
                Inline::Text { text } => self.push_text(text),
                Inline::Italic { content }
                | Inline::Bold { content }
                | Inline::Html { content, .. } => self.inlines(content, depth + 1),
                Inline::Link { target, label, .. } => {
                    if self.link.is_none() && !target.trim().is_empty() {
                        self.link = Some(target.trim().to_owned());
                    }
                    // A link's label is one name, commas and all (`[[King's College, Cambridge]]`).
                    self.push_unsplit(&plain_text(label));
                }
                Inline::ExternalLink {
                    label: Some(label), ..
                } => self.push_text(&plain_text(label)),
                Inline::LineBreak => self.flush(),
                Inline::Template(t) => self.template(t, depth),
                Inline::Url { .. }
                | Inline::Pre { .. }
                | Inline::File { .. }
                | Inline::Gallery { .. }
                | Inline::ExternalLink { label: None, .. }
                | Inline::Ref { .. }
                | Inline::References { .. } => {}
            }
        }
    }

    fn template(&mut self, t: &crate::doc::Template, depth: usize) {
        if let Some(date) = dates::from_template(t) {
            self.push_text(&date.display());
            return;
        }
        match key(t).as_str() {
            "hlist" | "flatlist" | "flat list" | "plainlist" | "plain list" | "ubl"
            | "unbulleted list" | "bulleted list" | "blist" | "ordered list" => {
                self.flush();
                for p in positional(t) {
                    self.inlines(&p.value, depth + 1);
                    self.flush();
                }
            }
            "nowrap" | "small" | "nobr" | "lang" | "marriage" | "married" => {
                // The visible text: the first parameter (for `lang`, the second).
                let skip = usize::from(key(t) == "lang");
                if let Some(p) = positional(t).get(skip) {
                    self.inlines(&p.value, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(MAX_ITEM_CHARS).collect()
}

/// Moves a trailing `(1970–2020)` into `start` and `end`.
fn with_period(mut item: FactValue) -> FactValue {
    let Some(inner) = item
        .text
        .strip_suffix(')')
        .and_then(|t| t.rfind('(').map(|open| (open, &t[open + 1..])))
    else {
        return item;
    };
    let (open, inner) = (inner.0, inner.1.trim().to_owned());
    let Some((start, end)) = period(&inner) else {
        return item;
    };
    let text = item.text[..open].trim().to_owned();
    if text.is_empty() {
        return item;
    }
    item.text = text;
    item.start = Some(start);
    item.end = end;
    item
}

/// `1970–2020`, `1970–present`, `from 1970`, `1970`: a start and maybe an end.
pub fn period(text: &str) -> Option<(FactDate, Option<FactDate>)> {
    let text = text.trim();
    let text = text
        .strip_prefix("from ")
        .or_else(|| text.strip_prefix("since "))
        .unwrap_or(text);
    for dash in ['–', '—', '-'] {
        if let Some((a, b)) = text.split_once(dash) {
            let (a, b) = (a.trim(), b.trim());
            let open =
                b.is_empty() || b.eq_ignore_ascii_case("present") || b.eq_ignore_ascii_case("now");
            if open {
                let start = FactDate::parse(a);
                return start.reading.is_some().then_some((start, None));
            }
        }
    }
    let whole = FactDate::parse(text);
    let reading = whole.reading?;
    match reading.end {
        Some(end) => {
            let start_text = text
                .split(['–', '—', '-'])
                .next()
                .map(str::trim)
                .unwrap_or(text);
            let start = FactDate::parse(start_text);
            let start = if start.reading.is_some() {
                start
            } else {
                FactDate::exact(reading.start)
            };
            Some((start, Some(FactDate::exact(end))))
        }
        None => Some((whole, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Param, Template};

    fn link<'a>(target: &'a str, label: &'a str) -> Inline<'a> {
        Inline::Link {
            target: target.into(),
            fragment: None,
            label: vec![Inline::text(label)],
        }
    }

    fn texts(items: &[FactValue]) -> Vec<&str> {
        items.iter().map(|i| i.text.as_str()).collect()
    }

    fn list_template<'a>(name: &'a str, params: Vec<Vec<Inline<'a>>>) -> Inline<'a> {
        Inline::Template(Template {
            name: name.into(),
            params: params
                .into_iter()
                .map(|value| Param { name: None, value })
                .collect(),
        })
    }

    #[test]
    fn values_split_on_commas_breaks_and_list_templates() {
        let value = vec![Inline::text("Mathematician, writer; poet")];
        assert_eq!(
            texts(&items(&value, Split::Commas)),
            ["Mathematician", "writer", "poet"]
        );
        let value = vec![
            link("IBM", "IBM"),
            Inline::LineBreak,
            link("MIT", "M.I.T., Boston"),
        ];
        let found = items(&value, Split::Commas);
        assert_eq!(
            texts(&found),
            ["IBM", "M.I.T., Boston"],
            "a link is one item"
        );
        assert_eq!(found[1].link.as_deref(), Some("MIT"));
        for name in ["hlist", "Flatlist", "ubl", "plainlist"] {
            let value = vec![list_template(
                name,
                vec![
                    vec![Inline::text("Physicist")],
                    vec![link("Chemistry", "chemist")],
                ],
            )];
            assert_eq!(
                texts(&items(&value, Split::Commas)),
                ["Physicist", "chemist"],
                "{name}"
            );
        }
        let value = vec![list_template(
            "plainlist",
            vec![vec![Inline::text("\n* Physicist\n* Chemist\n")]],
        )];
        assert_eq!(
            texts(&items(&value, Split::Commas)),
            ["Physicist", "Chemist"]
        );
    }

    #[test]
    fn places_stay_whole_and_keep_their_link() {
        let value = vec![
            link("Marylebone", "Marylebone"),
            Inline::text(", London, England"),
        ];
        let place = single(&value).unwrap();
        assert_eq!(place.text, "Marylebone, London, England");
        assert_eq!(place.link.as_deref(), Some("Marylebone"));
        assert_eq!(single(&[Inline::text("  ")]), None);
    }

    #[test]
    fn periods_become_start_and_end() {
        let value = vec![
            link("IBM", "IBM"),
            Inline::text(" (1970–2020)"),
            Inline::LineBreak,
            Inline::text("Labour Party (1998–present), Royal Society (1 March 1990)"),
        ];
        let found = items(&value, Split::Commas);
        assert_eq!(texts(&found), ["IBM", "Labour Party", "Royal Society"]);
        assert_eq!(found[0].start.as_ref().unwrap().text, "1970");
        assert_eq!(found[0].end.as_ref().unwrap().text, "2020");
        assert_eq!(found[1].start.as_ref().unwrap().text, "1998");
        assert!(found[1].end.is_none());
        assert_eq!(found[2].start.as_ref().unwrap().text, "1 March 1990");
        let kept = items(&[Inline::text("Society (the old one)")], Split::Commas);
        assert_eq!(texts(&kept), ["Society (the old one)"]);
    }

    #[test]
    fn hostile_values_are_bounded() {
        let many = vec![Inline::text("a, ".repeat(10_000))];
        assert_eq!(items(&many, Split::Commas).len(), MAX_ITEMS);
        let long = vec![Inline::text("x".repeat(100_000))];
        assert_eq!(
            items(&long, Split::Commas)[0].text.chars().count(),
            MAX_ITEM_CHARS
        );
        let mut deep = vec![Inline::text("deep")];
        for _ in 0..1000 {
            deep = vec![Inline::Bold { content: deep }];
        }
        assert!(items(&deep, Split::Commas).is_empty());
        let huge = vec![Inline::text("IBM (99999999999999999999–1)")];
        assert_eq!(
            texts(&items(&huge, Split::Commas)),
            ["IBM (99999999999999999999–1)"]
        );
    }
}
