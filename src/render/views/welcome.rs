//! The main page a wiki shows until someone writes one: what it holds, its recent changes, and
//! how to start (issue 15: `/` never answers 404, even after an import made no main page).

use maud::{Markup, html};

use super::lists::{Change, CreateOffer};
use super::{Layout, SignedIn, layout};

/// What the default main page shows.
pub struct Welcome<'a> {
    /// Live pages that are not redirects.
    pub pages: i64,
    /// Biographies among them.
    pub people: i64,
    /// The newest changes.
    pub changes: &'a [Change<'a>],
    /// Writing the main page: its edit form for an editor, else the sign-in form coming back
    /// to it (`None` for a signed-in reader, who cannot write it).
    pub create: Option<&'a CreateOffer>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
}

/// The default main page.
pub fn page(welcome: &Welcome<'_>) -> Markup {
    let pages = plural(welcome.pages, "page", "pages");
    let people = plural(welcome.people, "biography", "biographies");
    layout(
        Layout {
            title: "Main Page",
            user: welcome.user,
            feed: Some("/recent.atom"),
            ..Layout::default()
        },
        html! {
            h1.page-title { "Main Page" }
            p.default-main-page { "Welcome to Plutarch. This is the main page the wiki shows until one is written." }
            p.holdings { "This wiki holds " (pages) ", " (people) " among them." }
            section.start aria-labelledby="start-heading" {
                h2 #start-heading { "How to start" }
                ul {
                    li { "Find a page: " a href="/search" { "search" } ", browse " a href="/pages" { "all pages" } " or " a href="/people" { "people" } "." }
                    li { "Follow what changes in " a href="/recent" { "recent changes" } "." }
                    li { "Write about someone: " a.new-biography href="/new-biography" { "New biography" } " (an infobox and the usual sections to fill in)." }
                    @match welcome.create {
                        Some(offer) if offer.signed_in => li { "No main page has been written yet: " a.create href=(offer.url) { "create the main page" } "." },
                        Some(offer) => li { "No main page has been written yet: " a.create href=(offer.url) { "sign in to create it" } "." },
                        None => li { "No main page has been written yet; an editor can create it." },
                    }
                }
            }
            section.recent aria-labelledby="recent-heading" {
                h2 #recent-heading { "Recent changes" }
                @if welcome.changes.is_empty() {
                    p { "Nothing has been written yet." }
                } @else {
                    ul.changes {
                        @for change in welcome.changes {
                            li {
                                (super::when::time(change.timestamp)) " "
                                a href=(format!("/wiki/{}", change.segment)) { (change.title) }
                                " by " (super::authors::link(change.author))
                                @if !change.summary.is_empty() { " — " em { (change.summary) } }
                            }
                        }
                    }
                    p { a href="/recent" { "All recent changes" } }
                }
            }
        },
    )
}

fn plural(count: i64, one: &str, many: &str) -> String {
    match count {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// How to start a biography, above the written main page (the default one lists it under "How
/// to start"; the search page offers it for the title searched).
pub fn new_biography_offer() -> Markup {
    html! {
        p.new-biography {
            "Write about someone: " a.new-biography href="/new-biography" { "New biography" }
            " (an infobox and the usual sections to fill in)."
        }
    }
}
