//! Page information: the person's facts, the citation check, protection and the page's history
//! in figures.

use maud::{Markup, html};

use super::{Layout, PageTabs, SignedIn, layout, when};
use crate::bio::{FactDate, FactValue, Person};
use crate::render::page_url;

/// A section without citations.
pub struct Unsourced<'a> {
    /// The section's heading (empty for the lead).
    pub title: &'a str,
    /// Its URL on the page.
    pub url: String,
    /// The URL that edits it.
    pub edit_url: String,
}

/// Where in the page a fact was read: a section, with its URL (none: the infobox).
pub struct ReadAt {
    /// The section's heading (`Lead` for the lead).
    pub section: String,
    /// Its URL on the page.
    pub url: String,
}

/// A dated event of the page.
pub struct Dated<'a> {
    /// When (`July 2018`, `late 2022`, `1981–1994`).
    pub when: String,
    /// What happened.
    pub label: &'a str,
    /// Where it was read; `None`: the infobox.
    pub at: Option<ReadAt>,
}

/// A consistency check.
pub struct Checked<'a> {
    /// Whether the values agree.
    pub consistent: bool,
    /// What was found.
    pub message: &'a str,
    /// The values compared, each with where it was read (`None`: the infobox).
    pub compared: Vec<(&'a str, Option<ReadAt>)>,
}

/// A quotation an article attributes to a stored source, and whether the source has it.
pub struct Quoted<'a> {
    /// The quotation, as the article gives it.
    pub quotation: &'a str,
    /// Found (true), not found (false), not checked (`None`).
    pub found: Option<bool>,
    /// The cited source's title and URL, when it is stored.
    pub source: Option<(&'a str, String)>,
    /// Where it is in the source's text (bytes), when found.
    pub place: Option<(usize, usize)>,
    /// Where the citing sentence is in this page.
    pub at: Option<ReadAt>,
}

/// A claim that rests only on weak sources.
pub struct WeakClaim<'a> {
    /// The sentence.
    pub sentence: &'a str,
    /// The weak sources, with their URLs.
    pub sources: Vec<(&'a str, String)>,
    /// Where it is in this page.
    pub at: Option<ReadAt>,
}

/// What the information page shows.
pub struct InfoPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The person, if the page is about one.
    pub person: Option<&'a Person>,
    /// Sections with prose but no citation.
    pub unsourced: &'a [Unsourced<'a>],
    /// The dated events, earliest first.
    pub events: &'a [Dated<'a>],
    /// The consistency checks.
    pub checks: &'a [Checked<'a>],
    /// Whether only admins may edit.
    pub protected: bool,
    /// How many revisions.
    pub revisions: i64,
    /// Who created the page and when.
    pub created: Option<(&'a str, &'a str)>,
    /// Who edited it last and when.
    pub last_edited: Option<(&'a str, &'a str)>,
    /// The page's tabs.
    pub tabs: PageTabs<'a>,
    /// The signed-in user.
    pub user: Option<SignedIn<'a>>,
    /// The sources that mention the person (`None`: not a person's page).
    pub mentioned_in: Option<&'a [super::source::Mentioned<'a>]>,
    /// Whether the page is a biography of a living person: quotations not found in their
    /// source, then claims resting only on weak sources, come first.
    pub living: bool,
    /// The quotations attributed to stored sources, checked.
    pub quotations: &'a [Quoted<'a>],
    /// For a living person, the claims that rest only on weak sources.
    pub weak_claims: &'a [WeakClaim<'a>],
}

/// The information page.
pub fn page(info: &InfoPage<'_>) -> Markup {
    let heading = format!("Information about {}", info.title);
    layout(
        Layout {
            title: &heading,
            tabs: info.tabs,
            user: info.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @if info.living {
                (not_found(info.quotations))
                (weak_claims(info.weak_claims))
            }
            h2 { "Facts" }
            @match info.person {
                Some(person) => (facts(person)),
                None => p { "This page does not read as a biography (no person’s infobox, no lead sentence with a birth or death date or an occupation, no births, deaths or living people category), so it has no facts." },
            }
            @if !info.events.is_empty() {
                h2 { "Dated events" }
                ol.dated-events {
                    @for event in info.events {
                        li {
                            span.when { (event.when) } ": " (event.label) " "
                            (read_at(event.at.as_ref()))
                        }
                    }
                }
            }
            @if let Some(sources) = info.mentioned_in {
                (super::source::mentions("mentioned-in", "Mentioned in", "No source document names this person yet.", sources))
            }
            @if !info.checks.is_empty() {
                h2 { "Consistency checks" }
                ul.consistency {
                    @for check in info.checks.iter().filter(|c| !c.consistent) {
                        (checked(check))
                    }
                    @for check in info.checks.iter().filter(|c| c.consistent) {
                        (checked(check))
                    }
                }
            }
            h2 { "Citation check" }
            @if info.unsourced.is_empty() {
                p.citations-ok { "Every section with prose cites a source." }
            } @else {
                p { "These sections have prose but no citation (" code { "<ref>" } "):" }
                ul.unsourced {
                    @for section in info.unsourced {
                        li {
                            a href=(section.url) { @if section.title.is_empty() { "Lead" } @else { (section.title) } }
                            " — "
                            a href=(section.edit_url) { "edit" }
                        }
                    }
                }
            }
            @if !info.living {
                (not_found(info.quotations))
            }
            @if !info.quotations.is_empty() {
                h2 { "Quotation check" }
                ul.quotation-check {
                    @for quoted in info.quotations {
                        (quotation(quoted))
                    }
                }
            }
            h2 { "Page" }
            table.page-info {
                tr { th scope="row" { "Protection" } td { @if info.protected { "Protected: only admins can edit this page" } @else { "Not protected" } } }
                tr { th scope="row" { "Revisions" } td { (info.revisions) } }
                @if let Some((author, at)) = info.created {
                    tr { th scope="row" { "Created" } td { (when::time(at)) " by " (author) } }
                }
                @if let Some((author, at)) = info.last_edited {
                    tr { th scope="row" { "Last edited" } td { (when::time(at)) " by " (author) } }
                }
            }
        },
    )
}

/// The quotations not found in their cited source, if any: what a reviewer must see first.
fn not_found(quotations: &[Quoted<'_>]) -> Markup {
    let missing: Vec<&Quoted<'_>> = quotations
        .iter()
        .filter(|q| q.found == Some(false))
        .collect();
    html! {
        @if !missing.is_empty() {
            section.quotations-not-found role="alert" {
                h2 { "Quotations not found in their source" }
                p { "These quotations are not in the text of the source they are cited to (boilerplate such as donation appeals does not count):" }
                ul { @for quoted in missing { (quotation(quoted)) } }
            }
        }
    }
}

fn weak_claims(claims: &[WeakClaim<'_>]) -> Markup {
    html! {
        @if !claims.is_empty() {
            section.weak-claims {
                h2 { "Claims resting only on weak sources" }
                p { "This is a biography of a living person; these sentences cite only opinion pieces, blogs or self-published sources:" }
                ul {
                    @for claim in claims {
                        li {
                            q { (claim.sentence) } " " (read_at(claim.at.as_ref())) " — "
                            @for (i, (title, url)) in claim.sources.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href=(url) { (title) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn quotation(quoted: &Quoted<'_>) -> Markup {
    let class = match quoted.found {
        Some(true) => "quotation-found",
        Some(false) => "quotation-not-found",
        None => "quotation-unchecked",
    };
    html! {
        li class=(class) {
            q { (quoted.quotation) } " "
            @match quoted.found {
                Some(true) => { "found in " },
                Some(false) => { strong { "not found" } " in " },
                None => { "not checked against " },
            }
            @match &quoted.source {
                Some((title, url)) => a href=(url) { (title) },
                None => "a source that is not stored",
            }
            @if let Some((start, end)) = quoted.place {
                " " span.place { "(bytes " (start) "–" (end) ")" }
            }
            " " (read_at(quoted.at.as_ref()))
        }
    }
}

fn read_at(at: Option<&ReadAt>) -> Markup {
    html! {
        span.read-at {
            @match at {
                Some(at) => { "(" a href=(at.url) { (at.section) } ")" },
                None => "(infobox)",
            }
        }
    }
}

fn checked(check: &Checked<'_>) -> Markup {
    html! {
        li class=(if check.consistent { "check-ok" } else { "inconsistency" }) {
            @if check.consistent { "Consistent: " } @else { strong { "Inconsistent: " } }
            (check.message) " Compared: "
            @for (i, (value, at)) in check.compared.iter().enumerate() {
                @if i > 0 { "; " }
                q { (value) } " " (read_at(at.as_ref()))
            }
        }
    }
}

fn facts(person: &Person) -> Markup {
    let one = |v: &Option<FactValue>| v.iter().cloned().collect::<Vec<_>>();
    let rows: [(&str, Vec<FactValue>); 8] = [
        ("Birth place", one(&person.birth_place)),
        ("Death place", one(&person.death_place)),
        ("Occupations", person.occupations.clone()),
        ("Organisations", person.organisations.clone()),
        ("Offices", person.positions.clone()),
        ("Nationality", person.nationality.clone()),
        ("Known for", person.known_for.clone()),
        ("Spouses", person.spouses.clone()),
    ];
    html! {
        table.facts {
            tr { th scope="row" { "Name" } td { (person.name) } }
            (date_row("Born", person.birth_date.as_ref()))
            (date_row("Died", person.death_date.as_ref()))
            @for (label, values) in &rows {
                @if !values.is_empty() {
                    tr {
                        th scope="row" { (label) }
                        td { ul.fact-values { @for value in values { li { (fact_value(value)) } } } }
                    }
                }
            }
        }
    }
}

fn date_row(label: &str, date: Option<&FactDate>) -> Markup {
    html! {
        @if let Some(date) = date {
            tr {
                th scope="row" { (label) }
                td {
                    (date.text)
                    @if let Some(r) = &date.reading {
                        " " span.precision { "(" (r.start.iso())
                            @if let Some(end) = r.end { " to " (end.iso()) }
                            ", precision: " (format!("{:?}", r.start.precision()).to_lowercase())
                            @if r.approximate { ", approximate" }
                        ")" }
                    } @else {
                        " " span.precision { "(not a date that can be read)" }
                    }
                }
            }
        }
    }
}

fn fact_value(value: &FactValue) -> Markup {
    html! {
        @match &value.link {
            Some(link) => a href=(page_url(link)) { (value.text) },
            None => (value.text),
        }
        @if let Some(field) = &value.field {
            @if field != "office" { " " span.field { "(" (field.replace('_', " ")) ")" } }
        }
        @if value.start.is_some() || value.end.is_some() {
            " " span.period {
                (value.start.as_ref().map_or("", |d| d.text.as_str()))
                " – "
                (value.end.as_ref().map_or("", |d| d.text.as_str()))
            }
        }
    }
}
