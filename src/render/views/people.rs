//! The people list: a filter form (the same filters as `GET /api/people`) and the people found.

use maud::{Markup, html};

use super::timeline::Life;
use super::{Layout, SignedIn, layout};
use crate::render::page_url;

/// The filters as the reader typed them (shown back in the form).
#[derive(Debug, Clone, Copy, Default)]
pub struct Filters<'a> {
    /// `born_after`, `born_before`, `died_after`, `died_before`, `place`, `occupation`,
    /// `organisation`, `category`, as (name, value).
    pub fields: &'a [(&'static str, &'a str)],
    /// `true`, `false` or empty.
    pub alive: &'a str,
    /// `name`, `-born`…
    pub sort: &'a str,
}

const LABELS: [(&str, &str, &str); 8] = [
    ("born_after", "Born after", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("born_before", "Born before", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("died_after", "Died after", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("died_before", "Died before", "YYYY, YYYY-MM or YYYY-MM-DD"),
    ("place", "Place", "of birth or death"),
    ("occupation", "Occupation", ""),
    ("organisation", "Organisation", "employer, party, school…"),
    ("category", "Category", ""),
];

const SORTS: [(&str, &str); 6] = [
    ("name", "Name"),
    ("-name", "Name, Z to A"),
    ("born", "Born, earliest first"),
    ("-born", "Born, latest first"),
    ("died", "Died, earliest first"),
    ("-died", "Died, latest first"),
];

/// A person in the list: their life, and the key the list sorts names by (`Lovelace, Ada`).
pub struct Listed<'a> {
    /// Name, dates and page.
    pub life: Life<'a>,
    /// The sort key (`{{DEFAULTSORT}}`, else the title).
    pub sort_key: &'a str,
}

/// Whether the list is in name order, so names are shown as they sort (issue 15: `Lovelace,
/// Ada` under L, not `Ada Lovelace` looking out of place).
fn by_name(sort: &str) -> bool {
    matches!(sort, "" | "name" | "-name")
}

/// The people page; `problem` is a filter that could not be read (the list is then empty).
pub fn page(
    filters: Filters<'_>,
    people: &[Listed<'_>],
    problem: Option<&str>,
    more: Option<&str>,
    user: Option<SignedIn<'_>>,
) -> Markup {
    let value = |name: &str| {
        filters
            .fields
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| *v)
    };
    layout(
        Layout {
            title: "People",
            user,
            ..Layout::default()
        },
        html! {
            h1.page-title { "People" }
            form.people-filter action="/people" method="get" {
                @for (name, label, hint) in LABELS {
                    p {
                        label for=(format!("people-{name}")) { (label) }
                        " "
                        input id=(format!("people-{name}")) type="text" name=(name) value=(value(name)) placeholder=(hint);
                    }
                }
                p {
                    label for="people-alive" { "Alive" }
                    " "
                    select #people-alive name="alive" {
                        @for (v, label) in [("", "either"), ("true", "yes"), ("false", "no")] {
                            option value=(v) selected[filters.alive == v] { (label) }
                        }
                    }
                    " "
                    label for="people-sort" { "Sort by" }
                    " "
                    select #people-sort name="sort" {
                        @for (v, label) in SORTS {
                            option value=(v) selected[filters.sort == v] { (label) }
                        }
                    }
                }
                button type="submit" { "Filter" }
                " "
                a href="/people" { "Clear" }
            }
            @if let Some(problem) = problem {
                p.error role="alert" { (problem) }
            } @else if people.is_empty() {
                p { "Nobody matches these filters." }
            } @else {
                table.people {
                    thead { tr { th scope="col" { (if by_name(filters.sort) { "Name, as sorted" } else { "Name" }) } th scope="col" { "Born" } th scope="col" { "Died" } } }
                    tbody {
                        @for Listed { life: person, sort_key } in people {
                            tr {
                                td {
                                    @if by_name(filters.sort) && !sort_key.is_empty() {
                                        a href=(page_url(person.title)) title=(person.name) { (sort_key) }
                                    } @else {
                                        a href=(page_url(person.title)) { (person.name) }
                                    }
                                }
                                td { (person.born.map_or("", |d| d.text.as_str())) }
                                td { (person.died.map_or("", |d| d.text.as_str())) }
                            }
                        }
                    }
                }
            }
            @if let Some(more) = more { p.more { a href=(more) { "More people" } } }
        },
    )
}
