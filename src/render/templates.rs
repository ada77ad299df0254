//! The templates that mean something on a biography: infoboxes, dates, citations. Unknown
//! templates become a visible placeholder naming the template.

use maud::{Markup, html};

use super::article::Renderer;
use crate::bio::args::{has_content, key, named, positional, text_of};
use crate::bio::{dates, is_infobox};
use crate::doc::namespace::{Namespace, split as split_namespace};
use crate::doc::{Inline, Template, plain_text};

/// The readable text of a date template, if `t` is one (the dates themselves are `bio`'s).
pub(crate) fn date_text(t: &Template) -> Option<String> {
    dates::from_template(t).map(|d| d.display())
}

fn is_citation(k: &str) -> bool {
    k.starts_with("cite ") || k == "citation"
}

/// Infobox parameters that are layout, not facts.
const LAYOUT_PARAMS: [&str; 12] = [
    "name",
    "image",
    "image_size",
    "imagesize",
    "image size",
    "alt",
    "caption",
    "signature",
    "module",
    "embed",
    "child",
    "honorific_prefix",
];

fn humanize(key: &str) -> String {
    let spaced = key.replace('_', " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Renderer<'_> {
    /// A template inside running text.
    pub(crate) fn template_inline(&self, t: &Template) -> Markup {
        let k = key(t);
        if let Some(text) = date_text(t) {
            return html! { span.date { (text) } };
        }
        if is_citation(&k) {
            return self.citation(t);
        }
        if is_infobox(t) {
            return self.infobox(t);
        }
        let pos = positional(t);
        let first = pos.first().map(|p| p.value.as_slice()).unwrap_or(&[]);
        match k.as_str() {
            "nowrap" | "small" | "nobr" | "smaller" | "resize" => {
                html! { span.nowrap { (self.inlines(first)) } }
            }
            "lang" => {
                let text = pos.get(1).map(|p| p.value.as_slice()).unwrap_or(&[]);
                html! { span lang=(plain_text(first).trim()) { (self.inlines(text)) } }
            }
            "main" | "see also" | "further" | "main article" => html! {
                span.hatnote {
                    (if k == "see also" { "See also: " } else if k == "further" { "Further information: " } else { "Main article: " })
                    @for (i, p) in pos.iter().enumerate() {
                        @if i > 0 { ", " }
                        (self.link_to(&plain_text(&p.value), None, &[Inline::text(plain_text(&p.value))]))
                    }
                }
            },
            "citation needed" | "cn" | "fact" => {
                html! { sup.noprint { "[" i { "citation needed" } "]" } }
            }
            "convert" | "cvt" => {
                let value = plain_text(first);
                let unit = pos.get(1).map(|p| plain_text(&p.value)).unwrap_or_default();
                html! { (value.trim()) " " (unit.trim()) }
            }
            "quote" | "blockquote" | "quotation" => {
                let text = named(t, &["text", "quote"])
                    .map(|p| p.value.as_slice())
                    .unwrap_or(first);
                html! { blockquote { (self.inlines(text)) } }
            }
            "hlist" | "flatlist" | "ubl" | "unbulleted list" | "plainlist" | "plain list"
            | "bulleted list" | "blist" => {
                let items = list_items(t);
                html! {
                    ul class=(if k == "hlist" || k == "flatlist" { "hlist" } else { "plainlist" }) {
                        @for item in &items { li { (self.inlines(item)) } }
                    }
                }
            }
            "marriage" | "married" => {
                let years: Vec<String> = pos
                    .iter()
                    .skip(1)
                    .take(2)
                    .map(|p| plain_text(&p.value).trim().to_string())
                    .filter(|y| !y.is_empty())
                    .collect();
                let end = text_of(named(t, &["end"]));
                html! {
                    (self.inlines(first))
                    @if !years.is_empty() {
                        " (m. " (years[0])
                        @if let Some(y) = years.get(1) { "; " @if end.is_empty() { "div." } @else { (end) "." } " " (y) }
                        ")"
                    }
                }
            }
            "url" => {
                let raw = plain_text(first).trim().to_string();
                let full = if raw.contains("://") {
                    raw.clone()
                } else {
                    format!("https://{raw}")
                };
                match crate::render::article::href_of(&full) {
                    Some(href) => {
                        html! { a.external href=(href) rel="nofollow noopener" { (raw) } }
                    }
                    None => html! { (raw) },
                }
            }
            _ => {
                html! { span.template-placeholder title="Template not available" { "{{" (t.name) "}}" } }
            }
        }
    }

    /// A template standing alone: an infobox is a side table, others render as inline.
    pub(crate) fn template_block(&self, t: &Template) -> Markup {
        if is_infobox(t) {
            return self.infobox(t);
        }
        let k = key(t);
        if k.starts_with("short description")
            || k.starts_with("use dmy")
            || k.starts_with("use mdy")
        {
            return html! {};
        }
        html! { div.template-block { (self.template_inline(t)) } }
    }

    fn infobox(&self, t: &Template) -> Markup {
        let kind = t.name.trim().get(7..).unwrap_or("").trim().to_string();
        let name = named(t, &["name"]);
        html! {
            table.infobox {
                @if let Some(name) = name {
                    caption { (self.inlines(&name.value)) }
                }
                @if let Some(image) = named(t, &["image"]) {
                    @let file = plain_text(&image.value);
                    tr { td.infobox-image colspan="2" {
                        @let file_name = match split_namespace(file.trim()) {
                            Some((Namespace::File, rest)) => rest,
                            _ => file.trim(),
                        };
                        a href=(super::links::page_url(&format!("File:{}", super::links::normalize_title(file_name)))) { (file.trim()) }
                        @if let Some(c) = named(t, &["caption"]) { div.infobox-caption { (self.inlines(&c.value)) } }
                    } }
                }
                @for p in &t.params {
                    @if let Some(key) = &p.name {
                        @if !LAYOUT_PARAMS.contains(&key.to_lowercase().as_str()) && has_content(&p.value) {
                            tr {
                                th scope="row" { (humanize(key)) }
                                td { (self.inlines(&p.value)) }
                            }
                        }
                    }
                }
                @if name.is_none() && !kind.is_empty() {
                    caption { (kind) }
                }
            }
        }
    }

    fn citation(&self, t: &Template) -> Markup {
        let mut authors: Vec<String> = Vec::new();
        for i in 0..10 {
            let suffix = if i == 0 { String::new() } else { i.to_string() };
            let last = text_of(named(
                t,
                &[&format!("last{suffix}"), &format!("surname{suffix}")],
            ));
            let first = text_of(named(
                t,
                &[&format!("first{suffix}"), &format!("given{suffix}")],
            ));
            let author = text_of(named(t, &[&format!("author{suffix}")]));
            if !last.is_empty() {
                authors.push(if first.is_empty() {
                    last
                } else {
                    format!("{last}, {first}")
                });
            } else if !author.is_empty() {
                authors.push(author);
            }
        }
        if authors.is_empty() {
            let a = text_of(named(t, &["authors"]));
            if !a.is_empty() {
                authors.push(a);
            }
        }
        let title = named(t, &["title", "chapter"]);
        let url = named(t, &["url", "chapter-url"]).and_then(|p| {
            crate::render::article::href_of(&plain_text(&p.value)).map(str::to_string)
        });
        let work = named(
            t,
            &[
                "website",
                "work",
                "newspaper",
                "journal",
                "magazine",
                "periodical",
                "publisher",
            ],
        );
        let publisher = named(t, &["publisher"]).filter(|_| {
            named(t, &["website", "work", "newspaper", "journal", "magazine"]).is_some()
        });
        let date = text_of(named(t, &["date", "year"]));
        let pages = text_of(named(t, &["pages", "page", "at"]));
        let isbn = text_of(named(t, &["isbn"]));
        let accessed = text_of(named(t, &["access-date", "accessdate"]));
        html! {
            cite.citation {
                @if !authors.is_empty() { (authors.join("; ")) ". " }
                @if let Some(title) = title {
                    @if let Some(url) = url {
                        "\u{201c}" a.external href=(url) rel="nofollow noopener" { (self.inlines(&title.value)) } "\u{201d}. "
                    } @else {
                        "\u{201c}" (self.inlines(&title.value)) "\u{201d}. "
                    }
                }
                @if let Some(work) = work { i { (self.inlines(&work.value)) } ". " }
                @if let Some(p) = publisher { (self.inlines(&p.value)) ". " }
                @if !date.is_empty() { (date) ". " }
                @if !pages.is_empty() { "p. " (pages) ". " }
                @if !isbn.is_empty() { "ISBN " (isbn) ". " }
                @if !accessed.is_empty() { span.accessdate { "Retrieved " (accessed) "." } }
            }
        }
    }
}

/// The items of a list template: positional parameters, or the `*` lines of a single one.
fn list_items<'t>(t: &'t Template<'t>) -> Vec<Vec<Inline<'t>>> {
    let mut items: Vec<Vec<Inline>> = Vec::new();
    for p in positional(t) {
        // A parameter holding `* a\n* b` lines is split at its newlines.
        let mut current: Vec<Inline> = Vec::new();
        for inline in &p.value {
            match inline {
                Inline::Text { text } if text.contains('\n') => {
                    let mut lines = text.split('\n');
                    if let Some(first) = lines.next() {
                        push_item_text(&mut current, first);
                    }
                    for line in lines {
                        items.push(std::mem::take(&mut current));
                        push_item_text(&mut current, line);
                    }
                }
                other => current.push(other.clone()),
            }
        }
        items.push(current);
    }
    items.retain(|i| has_content(i));
    items
}

fn push_item_text<'t>(item: &mut Vec<Inline<'t>>, text: &'t str) {
    let text = text.trim_start_matches(['*', ' ']);
    if !text.trim().is_empty() {
        item.push(Inline::text(text));
    }
}

/// The plain text a template contributes to search text.
pub(crate) fn template_text(t: &Template) -> String {
    if let Some(d) = date_text(t) {
        return d;
    }
    let k = key(t);
    if is_citation(&k) {
        return text_of(named(t, &["title"]));
    }
    if is_infobox(t) {
        return t
            .params
            .iter()
            .filter(|p| {
                p.name
                    .as_deref()
                    .is_some_and(|n| !LAYOUT_PARAMS.contains(&n.to_lowercase().as_str()))
            })
            .map(|p| plain_text(&p.value).trim().to_string())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
    }
    match k.as_str() {
        "nowrap" | "small" | "nobr" => positional(t)
            .first()
            .map(|p| plain_text(&p.value))
            .unwrap_or_default(),
        "lang" => positional(t)
            .get(1)
            .map(|p| plain_text(&p.value))
            .unwrap_or_default(),
        _ => String::new(),
    }
}
