//! Citations in Wikipedia's style: `{{cite web}}`, `{{cite book}}`, `{{citation}}` and their
//! German cousins, short citations (`{{harvnb}}`, `{{sfn}}`, `{{rp}}`), `{{ISBN}}`,
//! `{{webarchive}}` and `{{dead link}}`. Upright text, article titles in quotes, works and
//! books in italics, "p."/"pp.", archive links.

use maud::{Markup, html};

use super::article::{Renderer, href_of};
use crate::bio::args::{named, positional_texts, text_of};
use crate::doc::{Param, Template, plain_text};

/// Citation templates whose title is a whole work (shown in italics, not in quotes).
fn title_is_a_work(key: &str) -> bool {
    matches!(
        key,
        "cite book" | "literatur" | "cite av media" | "cite video" | "cite thesis" | "cite report"
    ) || key == "citation"
}

/// The authors of a citation, as "Last, First" joined by "; ".
fn authors(t: &Template) -> String {
    let mut out: Vec<String> = Vec::new();
    for i in 0..12 {
        let suffix = if i == 0 { String::new() } else { i.to_string() };
        let last = text_of(named(
            t,
            &[
                &format!("last{suffix}"),
                &format!("surname{suffix}"),
                &format!("author{suffix}-last"),
            ],
        ));
        let first = text_of(named(
            t,
            &[
                &format!("first{suffix}"),
                &format!("given{suffix}"),
                &format!("author{suffix}-first"),
            ],
        ));
        let author = text_of(named(t, &[&format!("author{suffix}")]));
        if !last.is_empty() {
            out.push(if first.is_empty() {
                last
            } else {
                format!("{last}, {first}")
            });
        } else if !author.is_empty() {
            out.push(author);
        }
    }
    if out.is_empty() {
        let a = text_of(named(t, &["authors", "autor", "vauthors", "people"]));
        if !a.is_empty() {
            out.push(a);
        }
    }
    out.join("; ")
}

/// "p. 5" or "pp. 5–9" from `page=`/`pages=`/`at=` (and `seite=`).
fn pages(t: &Template) -> Option<String> {
    let page = text_of(named(t, &["page", "p", "seite"]));
    if !page.is_empty() {
        return Some(format!("p. {page}"));
    }
    let pages = text_of(named(t, &["pages", "pp", "seiten"]));
    if !pages.is_empty() {
        return Some(format!("pp. {}", pages.replace('-', "\u{2013}")));
    }
    let at = text_of(named(t, &["at", "loc"]));
    (!at.is_empty()).then_some(at)
}

impl Renderer<'_> {
    fn param_inlines<'p>(&'p self, p: Option<&'p Param<'p>>) -> Option<Markup> {
        p.map(|p| html! { (self.inlines(&p.value)) })
    }

    /// A full citation.
    pub(crate) fn citation(&self, key: &str, t: &Template) -> Markup {
        let authors = authors(t);
        let editors = text_of(named(t, &["editor", "editor-last", "editor1-last", "hrsg"]));
        let title = named(t, &["title", "titel", "script-title"]);
        let chapter = named(t, &["chapter", "contribution", "entry", "section"]);
        let url = |names: &[&str]| {
            named(t, names).and_then(|p| href_of(&plain_text(&p.value)).map(str::to_string))
        };
        let title_url = url(&["url", "online"]);
        let chapter_url = url(&["chapter-url", "chapterurl", "contribution-url"]);
        let archive_url = url(&["archive-url", "archiveurl", "archiv-url"]);
        let archive_date = text_of(named(t, &["archive-date", "archivedate", "archiv-datum"]));
        let work = named(
            t,
            &[
                "website",
                "work",
                "newspaper",
                "journal",
                "magazine",
                "periodical",
                "encyclopedia",
                "werk",
                "sammelwerk",
                "zeitschrift",
            ],
        );
        let publisher = named(t, &["publisher", "hrsg", "verlag", "agency"]);
        let place = text_of(named(t, &["location", "place", "ort"]));
        let date = text_of(named(t, &["date", "datum", "jahr"]));
        let year = text_of(named(t, &["year"]));
        let date = if date.is_empty() { year } else { date };
        let volume = text_of(named(t, &["volume", "band"]));
        let issue = text_of(named(t, &["issue", "number", "nummer"]));
        let edition = text_of(named(t, &["edition", "auflage"]));
        let isbn = text_of(named(t, &["isbn", "isbn13"]));
        let doi = text_of(named(t, &["doi"]));
        let language = text_of(named(t, &["language", "sprache"]));
        let accessed = text_of(named(t, &["access-date", "accessdate", "zugriff", "abruf"]));
        let quote = named(t, &["quote", "zitat"]);
        let italic_title = title_is_a_work(key) && chapter.is_none() && work.is_none();
        let linked = |url: &Option<String>, inner: Markup| match url {
            Some(href) => html! { a.external href=(href) rel="nofollow noopener" { (inner) } },
            None => inner,
        };
        let no_url: Option<String> = None;
        html! {
            cite.citation {
                @if !authors.is_empty() { (authors) @if !date.is_empty() { " (" (date) ")" } ". " }
                @if let Some(chapter) = chapter {
                    "\u{201c}" (linked(&chapter_url, html! { (self.inlines(&chapter.value)) })) "\u{201d}. "
                    @if !editors.is_empty() { "In " (editors) " (ed.). " }
                }
                @if let Some(title) = title {
                    @let inner = html! { (self.inlines(&title.value)) };
                    @let url = if chapter.is_some() { &no_url } else { &title_url };
                    @if italic_title || chapter.is_some() {
                        i { (linked(url, inner)) } ". "
                    } @else {
                        "\u{201c}" (linked(url, inner)) "\u{201d}. "
                    }
                }
                @if !language.is_empty() { "(in " (language) "). " }
                @if let Some(work) = work {
                    i { (self.inlines(&work.value)) }
                    @if !volume.is_empty() { " " b { (volume) } }
                    @if !issue.is_empty() { " (" (issue) ")" }
                    ". "
                } @else if !volume.is_empty() { "Vol. " (volume) ". " }
                @if !edition.is_empty() { (edition) " ed. " }
                @if !place.is_empty() { (place) ": " }
                @if let Some(p) = self.param_inlines(publisher) { (p) ". " }
                @if authors.is_empty() && !date.is_empty() { (date) ". " }
                @if let Some(p) = pages(t) { (p) ". " }
                @if !isbn.is_empty() { "ISBN " (isbn) ". " }
                @if !doi.is_empty() { "doi:" (doi) ". " }
                @if let Some(archive) = archive_url {
                    a.external href=(archive) rel="nofollow noopener" { "Archived" }
                    @if !archive_date.is_empty() { " from the original on " (archive_date) }
                    ". "
                }
                @if !accessed.is_empty() { span.accessdate { "Retrieved " (accessed) ". " } }
                @if let Some(q) = quote { "\u{201c}" (self.inlines(&q.value)) "\u{201d}" }
            }
        }
    }

    /// `{{harvnb|Smith|2001|p=5}}` → "Smith 2001, p. 5", linked to the full citation's
    /// anchor; `{{rp|5}}` → ":5". `{{sfn}}` reads the same (the parser made it a footnote).
    pub(crate) fn short_citation(&self, key: &str, t: &Template) -> Markup {
        let args = positional_texts(t);
        if key == "rp" {
            return html! { sup.reference-page { ":" (args.join(", ")) } };
        }
        let (names, year): (Vec<&String>, Option<&String>) = {
            let year_at = args
                .iter()
                .position(|a| a.chars().take(4).all(|c| c.is_ascii_digit()) && a.len() >= 4);
            match year_at {
                Some(i) => (args[..i].iter().collect(), args.get(i)),
                None => (args.iter().collect(), None),
            }
        };
        let who = match names.len() {
            0 => String::new(),
            1 => names[0].clone(),
            2 => format!("{} & {}", names[0], names[1]),
            3 => format!("{}, {} & {}", names[0], names[1], names[2]),
            _ => format!("{} et al.", names[0]),
        };
        let anchor: String = names.iter().map(|n| n.as_str()).collect::<String>()
            + year.map(String::as_str).unwrap_or("");
        let text = match year {
            Some(y) => format!("{who} {y}"),
            None => who,
        };
        let location = pages(t).unwrap_or_default();
        let parenthesised = matches!(key, "harv" | "harvp" | "sfnp");
        let in_text = key == "harvtxt" || key == "harvs";
        html! {
            span.harv {
                @if parenthesised { "(" }
                a href=(format!("#CITEREF{}", anchor.replace(' ', ""))) { (text) }
                @if !location.is_empty() { ", " (location) }
                @if parenthesised { ")" }
                @if !in_text && !parenthesised { "." }
            }
        }
    }

    /// `{{ISBN|…}}`, `{{OCLC|…}}`: the identifier, as text.
    pub(crate) fn identifier(&self, label: &str, t: &Template) -> Markup {
        let ids = positional_texts(t);
        html! { span.identifier { (label) " " (ids.join(", ")) } }
    }

    /// `{{webarchive|url=…|date=…}}`: a link to the archived copy.
    pub(crate) fn webarchive(&self, t: &Template) -> Markup {
        let url = text_of(named(t, &["url", "url1"]));
        let date = text_of(named(t, &["date", "date1"]));
        match href_of(&url) {
            Some(href) => html! {
                span.webarchive {
                    a.external href=(href) rel="nofollow noopener" { "Archived" }
                    @if !date.is_empty() { " " (date) }
                    " at the Wayback Machine"
                }
            },
            None => html! {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{Inline, Param};

    fn tpl(params: &[(&'static str, &'static str)]) -> Template<'static> {
        Template {
            name: "cite web".into(),
            params: params
                .iter()
                .map(|(k, v)| Param {
                    name: (!k.is_empty()).then(|| (*k).into()),
                    value: vec![Inline::text(*v)],
                })
                .collect(),
        }
    }

    #[test]
    fn pages_read_as_wikipedia_writes_them() {
        assert_eq!(pages(&tpl(&[("page", "5")])).as_deref(), Some("p. 5"));
        assert_eq!(
            pages(&tpl(&[("pages", "5-9")])).as_deref(),
            Some("pp. 5\u{2013}9")
        );
        assert_eq!(pages(&tpl(&[])), None);
    }

    #[test]
    fn authors_are_last_first() {
        let t = tpl(&[("last", "Smith"), ("first", "Ann"), ("last2", "Jones")]);
        assert_eq!(authors(&t), "Smith, Ann; Jones");
    }
}
