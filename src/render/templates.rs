//! Templates with no `Template:` page, drawn by kind (see `doc::template_kinds`): page-level
//! switches as nothing, navigation boxes gathered at the end of the page, hatnotes as blocks,
//! external links, citations, infoboxes, and the common inline templates (dates with ages,
//! `{{convert}}`, `{{lang}}`, lists, dashes…). An unknown template stays a visible
//! placeholder naming it.

use maud::{Markup, html};

use super::article::{Renderer, href_of};
use super::convert::convert;
use super::dates;
use crate::bio::args::{has_content, named, positional, positional_texts, text_of};
use crate::doc::template_kinds::{FigureFiles, TemplateKind, figure_files, kind_of, template_key};
use crate::doc::{Inline, Template, plain_text};

/// The readable text of a date template, if `t` is one.
pub(crate) fn date_text(t: &Template) -> Option<String> {
    dates::date_template(&template_key(&t.name), t, dates::today())
        .or_else(|| crate::bio::dates::from_template(t).map(|d| d.display()))
}

/// Inline notes in brackets, such as `[citation needed]`.
const INLINE_NOTES: &[(&str, &str)] = &[
    ("citation needed", "citation needed"),
    ("cn", "citation needed"),
    ("fact", "citation needed"),
    ("clarify", "clarification needed"),
    ("when", "when?"),
    ("by whom", "by whom?"),
    ("who", "who?"),
    ("which", "which?"),
    ("dubious", "dubious \u{2013} discuss"),
    ("verification needed", "verification needed"),
    ("page needed", "page needed"),
    ("dead link", "dead link"),
    ("toter link", "dead link"),
    ("failed verification", "failed verification"),
    ("according to whom", "according to whom?"),
    ("full citation needed", "full citation needed"),
    ("year needed", "year needed"),
];

/// Language names for `{{lang-xx}}` and `{{xx icon}}`.
const LANGUAGES: &[(&str, &str)] = &[
    ("af", "Afrikaans"),
    ("ar", "Arabic"),
    ("bg", "Bulgarian"),
    ("cy", "Welsh"),
    ("de", "German"),
    ("el", "Greek"),
    ("en", "English"),
    ("es", "Spanish"),
    ("fa", "Persian"),
    ("fr", "French"),
    ("ga", "Irish"),
    ("gd", "Scottish Gaelic"),
    ("grc", "Ancient Greek"),
    ("he", "Hebrew"),
    ("hi", "Hindi"),
    ("it", "Italian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("kw", "Cornish"),
    ("la", "Latin"),
    ("nl", "Dutch"),
    ("pa", "Punjabi"),
    ("pl", "Polish"),
    ("pt", "Portuguese"),
    ("ru", "Russian"),
    ("sv", "Swedish"),
    ("tr", "Turkish"),
    ("uk", "Ukrainian"),
    ("ur", "Urdu"),
    ("zh", "Chinese"),
];

fn language_name(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, n)| *n)
}

/// Templates that only style what they hold: drawn as their first parameter.
const PASS_THROUGH: &[&str] = &[
    "nowrap",
    "nobr",
    "small",
    "smaller",
    "big",
    "larger",
    "resize",
    "nastaliq",
    "nq",
    "script",
    "noitalic",
    "nobold",
    "center",
    "centre",
    "right",
    "left",
    "midsize",
    "bigger",
    "abbr",
    "tooltip",
    "sic",
    "visible anchor",
    "linktext",
    "var",
    "em",
    "strong",
    "mvar",
    "math",
];

impl Renderer<'_> {
    /// A template inside running text.
    pub(crate) fn template_inline(&self, t: &Template) -> Markup {
        let k = template_key(&t.name);
        match kind_of(&k) {
            TemplateKind::Invisible | TemplateKind::Navigation => html! {},
            TemplateKind::Hatnote(h) => self.hatnote(h, t, false),
            TemplateKind::ExternalLink => self.external_link(&k, t),
            TemplateKind::Citation => self.citation(&k, t),
            TemplateKind::ShortCitation => self.short_citation(&k, t),
            TemplateKind::Infobox => self.infobox(t),
            TemplateKind::Figure => self.template_figure(t),
            TemplateKind::Other if super::hatnotes::is_navigation_like(t) => html! {},
            TemplateKind::Other => self.other_template(&k, t),
        }
    }

    /// An image-drawing template as figures: each `imageN`/`fileN` (or the first parameter)
    /// with its caption, or one framed figure named by the template with its caption.
    fn template_figure(&self, t: &Template) -> Markup {
        let thumb = crate::doc::image::ImageOptions {
            frame: crate::doc::image::ImageFrame::Thumb,
            ..Default::default()
        };
        let caption_of = |n: &str| {
            named(t, &[&format!("caption{n}"), &format!("text{n}")])
                .map(|p| p.value.as_slice())
                .unwrap_or(&[])
        };
        let footer = named(t, &["footer", "caption", "text"])
            .map(|p| p.value.as_slice())
            .unwrap_or(&[]);
        // The files as the parser records them (`files_shown`): the only ones resolved.
        let images: Vec<(String, &[Inline])> = match figure_files(&t.params) {
            FigureFiles::Several(files) => files
                .into_iter()
                .map(|(i, file)| (file, caption_of(&i.to_string())))
                .collect(),
            FigureFiles::One(file) => {
                let file = file.unwrap_or_default();
                let caption = if has_content(footer) {
                    footer
                } else {
                    positional(t)
                        .last()
                        .map(|p| p.value.as_slice())
                        .unwrap_or(&[])
                };
                let target = if file.contains('.') {
                    file
                } else {
                    t.name.trim().to_string()
                };
                return self.file_link(&target, caption, &thumb);
            }
        };
        html! {
            span.figure.thumb.multiple-image {
                @for (file, caption) in &images { (self.figure(file, caption, &thumb, "figure")) }
                @if has_content(footer) { span.figure-caption { (self.inlines(footer)) } }
            }
        }
    }

    /// A template standing alone: an infobox is a side table, a hatnote a block, navigation
    /// boxes wait for the end of the page; others render as inline.
    pub(crate) fn template_block(&self, t: &Template) -> Markup {
        if super::hatnotes::is_navigation_block(self.doc, t, self.at_end()) {
            return html! {};
        }
        let k = template_key(&t.name);
        match kind_of(&k) {
            TemplateKind::Invisible | TemplateKind::Navigation => html! {},
            TemplateKind::Hatnote(h) => self.hatnote(h, t, true),
            TemplateKind::Infobox => self.infobox(t),
            _ => {
                let inner = self.template_inline(t);
                if inner.0.is_empty() {
                    html! {}
                } else {
                    html! { div.template-block { (inner) } }
                }
            }
        }
    }

    /// A template no page defines and the renderer does not know, drawn by what it looks
    /// like: in a footnote, the source it names; a one-word name with one or two short plain
    /// words (`{{lbs|Minehead}}`, `{{PakSen|PPP}}`: a page's own link and label shorthands),
    /// its first word; without parameters and named in one or two
    /// words (`{{Japan}}`, `{{DEU-1935}}`: flag templates), the country it names; else a
    /// placeholder.
    fn unknown_template(&self, t: &Template) -> Markup {
        let place = self.place.get();
        if place.strict {
            return self.placeholder(t);
        }
        if place.in_footnote {
            return self.named_source(t);
        }
        if let Some(word) = shorthand_word(t) {
            return html! { span.shorthand title=(t.name.trim()) { (word) } };
        }
        if let Some(country) = flag_name(t) {
            return html! { span.flagicon { (country) } };
        }
        self.placeholder(t)
    }

    /// An unknown template in a footnote, as the source it names: its name, then its
    /// parameters (`{{GEOnet3|-3087388|Teymanak-e Olya}}` → "GEOnet3: -3087388, Teymanak-e
    /// Olya.").
    fn named_source(&self, t: &Template) -> Markup {
        let params: Vec<String> = t
            .params
            .iter()
            .filter_map(|p| {
                let value = plain_text(&p.value).trim().to_string();
                (!value.is_empty()).then(|| match &p.name {
                    Some(name) => format!("{} {value}", name.trim()),
                    None => value,
                })
            })
            .collect();
        html! {
            cite.citation.named-source {
                (t.name.trim().trim_start_matches("Template:"))
                @if !params.is_empty() { ": " (params.join(", ")) }
                "."
            }
        }
    }

    /// A placeholder for a template that is not available.
    fn placeholder(&self, t: &Template) -> Markup {
        html! { span.template-placeholder title="Template not available" { "{{" (t.name) "}}" } }
    }

    /// External-link templates: `{{Official website|url}}`, `{{IMDb name|id|Name}}`,
    /// `{{Commons category|Name}}`…
    fn external_link(&self, k: &str, t: &Template) -> Markup {
        let args = positional_texts(t);
        let first = args.first().cloned().unwrap_or_default();
        let id = text_of(named(t, &["id"]));
        let id = if id.is_empty() { first.clone() } else { id };
        let name = text_of(named(t, &["name", "title"]));
        let subject = if name.is_empty() {
            args.get(1)
                .cloned()
                .or_else(|| self.options.page_title.map(str::to_string))
                .unwrap_or_default()
        } else {
            name
        };
        let (url, label) = match k {
            "official website" | "official" => {
                let url = text_of(named(t, &["url"]));
                let url = if url.is_empty() { first } else { url };
                let full = if url.contains("://") {
                    url
                } else {
                    format!("https://{url}")
                };
                (full, "Official website".to_string())
            }
            "imdb name" => (
                format!(
                    "https://www.imdb.com/name/nm{}/",
                    id.trim_start_matches("nm")
                ),
                format!("{subject} at IMDb"),
            ),
            "imdb title" => (
                format!(
                    "https://www.imdb.com/title/tt{}/",
                    id.trim_start_matches("tt")
                ),
                format!("{subject} at IMDb"),
            ),
            "commons" | "commons category" | "commonscat" | "commons and category" => {
                let category = if first.is_empty() {
                    self.options.page_title.unwrap_or("").to_string()
                } else {
                    first
                };
                (
                    format!(
                        "https://commons.wikimedia.org/wiki/Category:{}",
                        category.replace(' ', "_")
                    ),
                    format!("Media related to {category} at Wikimedia Commons"),
                )
            }
            "twitter" | "facebook" | "instagram" | "youtube" => {
                let site = match k {
                    "twitter" => "https://twitter.com/",
                    "facebook" => "https://www.facebook.com/",
                    "instagram" => "https://www.instagram.com/",
                    _ => "https://www.youtube.com/",
                };
                (
                    format!("{site}{id}"),
                    format!("{subject} on {}", upper_first(k)),
                )
            }
            "google books" | "google buch" => (
                format!(
                    "https://books.google.com/books?id={}",
                    text_of(named(t, &["buchid", "id"])).trim()
                ),
                if args.len() > 1 {
                    args[1].clone()
                } else {
                    first.clone()
                },
            ),
            _ => {
                // Other sites: a labelled reference to the site, without a guessed address.
                let label = if subject.is_empty() { id } else { subject };
                return html! { span.external-id { (label) " (" (upper_first(k)) ")" } };
            }
        };
        match href_of(&url) {
            Some(href) => html! { a.external href=(href) rel="nofollow noopener" { (label) } },
            None => html! { (label) },
        }
    }

    /// A file's description (`{{Information}}`, as the upload form writes it and as Wikimedia
    /// Commons has it): a table of the rows given, in Commons' order.
    fn information(&self, t: &Template) -> Markup {
        let rows: Vec<(&str, &[Inline])> = INFORMATION_ROWS
            .iter()
            .filter_map(|(label, names)| named(t, names).map(|p| (*label, p.value.as_slice())))
            .collect();
        html! {
            table.file-information {
                tbody {
                    @for (label, value) in &rows {
                        tr { th scope="row" { (label) } td { (self.inlines(value)) } }
                    }
                    @if rows.is_empty() { tr { td { "No description was given." } } }
                }
            }
        }
    }

    /// Built-in inline templates, or a placeholder.
    fn other_template(&self, k: &str, t: &Template) -> Markup {
        if let Some(text) = date_text(t) {
            return html! { span.date { (text) } };
        }
        if let Some((_, note)) = INLINE_NOTES.iter().find(|(n, _)| *n == k) {
            return html! { sup.noprint.inline-note { "[" i { (note) } "]" } };
        }
        let pos = positional(t);
        let first = pos.first().map(|p| p.value.as_slice()).unwrap_or(&[]);
        let second = pos.get(1).map(|p| p.value.as_slice()).unwrap_or(&[]);
        if PASS_THROUGH.contains(&k) {
            return html! { span.nowrap { (self.inlines(first)) } };
        }
        if let Some(code) = k.strip_prefix("lang-") {
            return html! {
                @if let Some(name) = language_name(code) { (name) ": " }
                span lang=(code) { (self.inlines(first)) }
            };
        }
        if let Some(code) = k.strip_suffix(" icon") {
            if let Some(name) = language_name(code) {
                return html! { span.language-icon { "(in " (name) ")" } };
            }
        }
        if k.starts_with("ipa") {
            return self.ipa(k, t);
        }
        match k {
            "lang" => {
                html! { span lang=(plain_text(first).trim()) { (self.inlines(second)) } }
            }
            "transl" | "transliteration" => {
                let text = pos.last().map(|p| p.value.as_slice()).unwrap_or(&[]);
                html! { i { (self.inlines(text)) } }
            }
            "lsj" => html! { span lang="grc" { (self.inlines(second)) } },
            "nbsp" => html! { "\u{a0}" },
            "ndash" | "en dash" => html! { "\u{2013}" },
            "mdash" | "emdash" | "em dash" => html! { "\u{2014}" },
            "snd" | "spnd" | "spaced ndash" | "spaced en dash" => html! { "\u{a0}\u{2013} " },
            "dot" | "middot" | "\u{b7}" => html! { "\u{a0}\u{b7} " },
            "0" => html! { span.figure-space { "\u{2007}" } },
            "=" => html! { "=" },
            "'" => html! { "'" },
            "increase" => html! { span.increase title="Increase" { "\u{25b2}" } },
            "decrease" => html! { span.decrease title="Decrease" { "\u{25bc}" } },
            "steady" => html! { span.steady title="Steady" { "\u{25ac}" } },
            "convert" | "cvt" => {
                let args = positional_texts(t);
                match convert(&args, t) {
                    Some(text) => html! { span.convert { (text) } },
                    None => {
                        html! { (args.first().map(String::as_str).unwrap_or("")) " " (args.get(1).map(String::as_str).unwrap_or("")) }
                    }
                }
            }
            "height" => html! { span.convert { (height(t)) } },
            "age" | "age in years" => {
                let args = positional_texts(t);
                match dates::age_between(&args, dates::today()) {
                    Some(age) => html! { (age) },
                    None => self.placeholder(t),
                }
            }
            "information" => self.information(t),
            "quote" | "blockquote" | "quotation" | "cquote" | "zitat" => {
                let text = named(t, &["text", "quote"])
                    .map(|p| p.value.as_slice())
                    .unwrap_or(first);
                let by = named(t, &["author", "sign", "by"])
                    .map(|p| p.value.as_slice())
                    .unwrap_or(second);
                html! { blockquote { p { (self.inlines(text)) } @if has_content(by) { p.attribution { "\u{2014} " (self.inlines(by)) } } } }
            }
            "hlist"
            | "flatlist"
            | "ubl"
            | "ublist"
            | "unbulleted list"
            | "plainlist"
            | "plain list"
            | "bulleted list"
            | "blist"
            | "collapsible list"
            | "columns-list"
            | "div col"
            | "br separated entries"
            | "bulleted" => {
                let items = list_items(t);
                if items.is_empty() {
                    return html! {};
                }
                let class = if k == "hlist" || k == "flatlist" {
                    "hlist"
                } else {
                    "plainlist"
                };
                let title = named(t, &["title"]);
                html! {
                    @if let Some(title) = title { span.list-title { (self.inlines(&title.value)) } }
                    ul class=(class) {
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
                let label = if has_content(second) {
                    plain_text(second)
                } else {
                    raw.clone()
                };
                match href_of(&full) {
                    Some(href) => {
                        html! { a.external href=(href) rel="nofollow noopener" { (label) } }
                    }
                    None => html! { (raw) },
                }
            }
            "isbn" => self.identifier("ISBN", t),
            "oclc" => self.identifier("OCLC", t),
            "issn" => self.identifier("ISSN", t),
            "doi" => self.identifier("doi:", t),
            "webarchive" | "wayback" => self.webarchive(t),
            "flagicon" | "flag" | "flagcountry" | "flagu" | "flag icon" | "fb" | "fbw" | "ru" => {
                let country = plain_text(first);
                html! { span.flagicon { (super::countries::country_name(country.trim())) } }
            }
            "reg" => html! { "\u{ae}" },
            "hms" | "ship" => html! { "HMS " i { (self.inlines(first)) } },
            "nyse" | "nasdaq" | "ose" | "lse" | "bmv" | "tsx" | "asx" | "euronext" | "fwb" => {
                html! { span.stock { (k.to_uppercase()) ": " (self.inlines(first)) } }
            }
            "coord" | "koördinate" | "coordinates" => {
                html! { span.coordinates { (coordinates(&positional_texts(t))) } }
            }
            "as of" => {
                let alt = named(t, &["alt"]);
                let args = positional_texts(t);
                match alt {
                    Some(alt) => html! { (self.inlines(&alt.value)) },
                    None => html! { "As of " (args.join(" ")) },
                }
            }
            "sortname" | "sortkeyname" | "sort name" => {
                let args = positional_texts(t);
                let name = format!(
                    "{} {}",
                    args.first().map(String::as_str).unwrap_or(""),
                    args.get(1).map(String::as_str).unwrap_or("")
                );
                let name = name.trim().to_string();
                let target = match (k, args.get(2)) {
                    ("sortkeyname", Some(link)) if !link.is_empty() => link.clone(),
                    _ => match named(t, &["dab"]) {
                        Some(d) => format!("{name} ({})", plain_text(&d.value).trim()),
                        None => name.clone(),
                    },
                };
                if named(t, &["nolink"]).is_some() {
                    return html! { (name) };
                }
                self.link_to(&target, None, &[Inline::text(name)])
            }
            "sort" | "sortkey" | "nts" | "ntsh" | "version" | "legend" | "colorbox"
            | "color box" => {
                // Sort keys and colour swatches: the visible part is the last parameter.
                let text = pos.last().map(|p| p.value.as_slice()).unwrap_or(&[]);
                match k {
                    "colorbox" | "color box" => html! { span.colorbox { "\u{25a0}" } },
                    "legend" => html! { span.legend { "\u{25a0} " (self.inlines(second)) } },
                    _ => html! { (self.inlines(text)) },
                }
            }
            "\\" | "slash" => html! { " / " },
            "mdashb" => html! { "\u{2014}" },
            "longitem" | "chess notation" | "random item" => {
                html! { (self.inlines(first)) }
            }
            _ if t.params.is_empty() && is_country_code(&t.name) => {
                html! { span.flagicon { (super::countries::country_name(t.name.trim())) } }
            }
            "baseball year" => {
                let year = plain_text(first).trim().to_string();
                self.link_to(
                    &format!("{year} Major League Baseball season"),
                    None,
                    &[Inline::text(year.clone())],
                )
            }
            "baseball primary style" | "baseball secondary style" => {
                html! { (self.inlines(first)) }
            }
            _ => self.unknown_template(t),
        }
    }

    /// `{{IPAc-en|ˈ|p|æ|...}}` → `/ˈpæ.../`; `{{IPA-de|…}}` → `[…]`; `{{IPA|…}}` as given.
    fn ipa(&self, k: &str, t: &Template) -> Markup {
        let args: Vec<String> = positional_texts(t);
        if k.starts_with("ipac") {
            let sounds: String = args
                .iter()
                .filter(|a| !matches!(a.as_str(), "lang" | "pron" | "local" | "US" | "UK" | "also"))
                .map(String::as_str)
                .collect();
            return html! { span.ipa { "/" (sounds) "/" } };
        }
        if k == "ipa" {
            return html! { span.ipa { (args.first().map(String::as_str).unwrap_or("")) } };
        }
        let sounds = args.first().map(String::as_str).unwrap_or("");
        html! { span.ipa { "[" (sounds) "]" } }
    }
}

/// Whether `t`, a template of kind Other, is one the renderer does not know (it would draw
/// a placeholder for it).
pub(crate) fn is_unknown(doc: &crate::doc::Document, t: &Template) -> bool {
    let no_pages = |_: &str| false;
    let options = super::RenderOptions::new(&no_pages);
    let probe = Renderer::new(doc, &options);
    probe.place.set(super::article::Place {
        strict: true,
        ..Default::default()
    });
    probe
        .other_template(&template_key(&t.name), t)
        .0
        .contains("template-placeholder")
}

/// The word an unknown shorthand template shows: a name of one word (`lbs`, `PakSen`), one or
/// two positional parameters of plain short text (no markup, at most 40 bytes each) and no
/// named ones; the first of them.
fn shorthand_word(t: &Template) -> Option<String> {
    if t.params.is_empty() || t.params.len() > 2 || t.name.trim().contains([' ', '_']) {
        return None;
    }
    let mut words = Vec::new();
    for p in &t.params {
        let [Inline::Text { text }] = p.value.as_slice() else {
            return None;
        };
        let text = text.trim();
        if p.name.is_some() || text.is_empty() || text.len() > 40 || text.contains('\n') {
            return None;
        }
        words.push(text.to_string());
    }
    words.into_iter().next()
}

/// The country an unknown flag template names: no parameters, a name of one or two words
/// starting with a capital (`{{Japan}}`, `{{Vereinigte Staaten}}`), or a country code with a
/// year of its flag (`{{DEU-1935}}`).
fn flag_name(t: &Template) -> Option<String> {
    if !t.params.is_empty() {
        return None;
    }
    let name = t.name.trim();
    let code = name
        .rsplit_once('-')
        .filter(|(_, year)| year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
        .map_or(name, |(code, _)| code);
    if is_country_code(code) {
        return Some(super::countries::country_name(code).to_string());
    }
    let words = name.split(' ').count();
    let capital = name.chars().next().is_some_and(char::is_uppercase);
    let plain = name
        .chars()
        .all(|c| c.is_alphabetic() || c == ' ' || c == '.');
    (words <= 2 && capital && plain).then(|| name.to_string())
}

/// `{{POL}}`, `{{USA}}`: a country's flag template named by its three-letter code.
fn is_country_code(name: &str) -> bool {
    let name = name.trim();
    (2..=3).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_uppercase())
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `{{height|m=1.80}}` → "1.80 m (5 ft 11 in)"; `{{height|ft=5|in=11}}` → "5 ft 11 in (1.80 m)".
fn height(t: &Template) -> String {
    let get = |names: &[&str]| {
        text_of(named(t, names))
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
    };
    let feet_inches = |metres: f64| {
        let inches = (metres / 0.0254).round();
        format!("{} ft {} in", (inches / 12.0).floor(), inches % 12.0)
    };
    if let Some(m) = get(&["m", "meter", "metre", "meters", "metres"]) {
        return format!(
            "{} m ({})",
            text_of(named(t, &["m", "meter", "metre", "meters", "metres"])),
            feet_inches(m)
        );
    }
    if let Some(cm) = get(&["cm"]) {
        return format!("{cm} cm ({})", feet_inches(cm / 100.0));
    }
    let ft = get(&["ft", "foot", "feet"]).unwrap_or(0.0);
    let inch = get(&["in", "inch", "inches"]).unwrap_or(0.0);
    let metres = (ft * 12.0 + inch) * 0.0254;
    format!("{ft} ft {inch} in ({metres:.2} m)")
}

/// `{{coord|41.89|-87.62}}` or `{{coord|51|30|N|0|7|W}}` as "41.893°N 87.623°W".
fn coordinates(args: &[String]) -> String {
    let numbers: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| !a.contains(':') && !a.is_empty())
        .collect();
    let hemi = |v: f64, pos: char, neg: char| if v < 0.0 { neg } else { pos };
    if let [lat, lon] = numbers.as_slice() {
        if let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) {
            return format!(
                "{:.3}\u{b0}{} {:.3}\u{b0}{}",
                lat.abs(),
                hemi(lat, 'N', 'S'),
                lon.abs(),
                hemi(lon, 'E', 'W')
            );
        }
    }
    // Degrees, minutes and seconds with their hemispheres.
    let mut out = String::new();
    let mut part: Vec<&str> = Vec::new();
    for a in &numbers {
        if matches!(*a, "N" | "S" | "E" | "W") {
            let marks = ["\u{b0}", "\u{2032}", "\u{2033}"];
            for (value, mark) in part.iter().zip(marks) {
                out.push_str(value);
                out.push_str(mark);
            }
            out.push_str(a);
            out.push(' ');
            part.clear();
        } else {
            part.push(*a);
        }
    }
    out.trim().to_string()
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
    // Search text keeps the day-first dates it always had.
    if let Some(d) = crate::bio::dates::from_template(t).map(|d| d.display()) {
        return d;
    }
    if let Some(d) = date_text(t) {
        return d;
    }
    let k = template_key(&t.name);
    match kind_of(&k) {
        TemplateKind::Citation => return text_of(named(t, &["title"])),
        TemplateKind::Infobox => {
            return t
                .params
                .iter()
                .filter(|p| {
                    p.name
                        .as_deref()
                        .is_some_and(|n| !super::infobox::is_layout_param(n))
                })
                .map(|p| plain_text(&p.value).trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
        }
        TemplateKind::Other => {}
        _ => return String::new(),
    }
    if PASS_THROUGH.contains(&k.as_str()) {
        return positional(t)
            .first()
            .map(|p| plain_text(&p.value))
            .unwrap_or_default();
    }
    match k.as_str() {
        "lang" => positional(t)
            .get(1)
            .map(|p| plain_text(&p.value))
            .unwrap_or_default(),
        "convert" | "cvt" => convert(&positional_texts(t), t).unwrap_or_default(),
        _ if k.starts_with("lang-") => positional(t)
            .first()
            .map(|p| plain_text(&p.value))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The rows of `{{Information}}`: a label and the parameter names it is read from.
const INFORMATION_ROWS: [(&str, &[&str]); 7] = [
    ("Description", &["description"]),
    ("Date", &["date"]),
    ("Source", &["source"]),
    ("Author", &["author"]),
    ("Licence", &["licence", "license"]),
    ("Permission", &["permission"]),
    ("Other versions", &["other versions", "other_versions"]),
];

/// Built-in templates that take no parameters (a parameterless template standing alone that is
/// none of these is taken for a navigation box).
const PARAMETERLESS: &[&str] = &[
    "nbsp",
    "ndash",
    "en dash",
    "mdash",
    "emdash",
    "em dash",
    "snd",
    "spnd",
    "spaced ndash",
    "dot",
    "middot",
    "0",
    "=",
    "'",
    "increase",
    "decrease",
    "steady",
    "citation needed",
    "cn",
    "fact",
    "clarify",
    "when",
    "by whom",
    "who",
    "which",
    "dubious",
    "dead link",
];

/// Whether `key` names a built-in template that may stand without parameters.
pub(crate) fn is_built_in(key: &str) -> bool {
    PARAMETERLESS.contains(&key)
}
