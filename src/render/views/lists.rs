//! Simple lists of pages: search results, recent changes, all pages, what links here,
//! category members.

use maud::{Markup, PreEscaped, html};

use super::authors::{self, Author};
use super::{Layout, SignedIn, layout};

/// One search hit.
pub struct SearchHit<'a> {
    /// The page title.
    pub title: &'a str,
    /// The section's heading (empty for the lead).
    pub section_title: &'a str,
    /// The URL of the section (page URL plus `#anchor`).
    pub url: String,
    /// The snippet: HTML escaped by the store, with only `<mark>` added.
    pub snippet_html: &'a str,
    /// The page's other matching sections: heading and URL.
    pub others: Vec<(&'a str, String)>,
    /// How many other sections match in all (more than `others` when some were left out).
    pub others_total: usize,
}

/// An offer to create the page a search named, when none has that title.
pub struct CreateOffer {
    /// The title, normalised.
    pub title: String,
    /// The edit form (for an editor) or the sign-in form coming back to it.
    pub url: String,
    /// Whether the reader may create it now (else they are asked to sign in).
    pub signed_in: bool,
}

/// What the search page shows.
pub struct SearchPage<'a> {
    /// The query, trimmed.
    pub query: &'a str,
    /// The hits of this page of results, one per page.
    pub hits: &'a [SearchHit<'a>],
    /// How many pages match in all.
    pub total: usize,
    /// The place of this page's first hit among all (0 for the first).
    pub offset: usize,
    /// The next page of results, if any.
    pub more: Option<&'a str>,
    /// Creating the page, when no page has the title searched for.
    pub create: Option<&'a CreateOffer>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
}

/// The search page.
pub fn search(page: &SearchPage<'_>) -> Markup {
    let SearchPage {
        query,
        hits,
        total,
        offset,
        more,
        create,
        user,
    } = *page;
    let heading = if query.is_empty() {
        "Search".to_string()
    } else {
        format!("Search results for “{query}”")
    };
    layout(
        Layout {
            title: &heading,
            user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            form.search-page role="search" action="/search" method="get" {
                label for="search-page-q" { "Search for" }
                " "
                input #search-page-q type="search" name="q" value=(query);
                " "
                button type="submit" { "Search" }
            }
            @if let Some(create) = create {
                p.create-page {
                    @if create.signed_in {
                        a href=(create.url) { "Create the page “" (create.title) "”" }
                    } @else {
                        "There is no page “" (create.title) "”: "
                        a href=(create.url) { "sign in to create it" }
                    }
                }
            }
            @if let Some(create) = create.filter(|c| c.signed_in) {
                p.new-biography {
                    "Or start it as a "
                    a.new-biography href=(format!("{}?preload=biography", create.url)) { "New biography" }
                    " (an infobox and the usual sections to fill in)."
                }
            }
            @if !query.is_empty() && hits.is_empty() {
                p { "No page matches this search." }
            }
            @if total > 0 {
                p.search-total {
                    @if total == 1 { "1 page matches" } @else { (total) " pages match" }
                    @if offset > 0 || hits.len() < total {
                        " (showing " (offset + 1) "–" (offset + hits.len()) ")"
                    }
                    "."
                }
            }
            ol.search-hits start=(offset + 1) {
                @for hit in hits {
                    li {
                        a href=(hit.url) {
                            (hit.title)
                            @if !hit.section_title.is_empty() { " § " (hit.section_title) }
                        }
                        // The store escaped the snippet and added only <mark> elements.
                        p.snippet { (PreEscaped(hit.snippet_html)) }
                        @if !hit.others.is_empty() {
                            p.other-sections {
                                "Also in: "
                                @for (i, (heading, url)) in hit.others.iter().enumerate() {
                                    @if i > 0 { ", " }
                                    a href=(url) {
                                        @if heading.is_empty() { "the introduction" } @else { (heading) }
                                    }
                                }
                                @if hit.others_total > hit.others.len() {
                                    " and " (hit.others_total - hit.others.len()) " more"
                                }
                            }
                        }
                    }
                }
            }
            @if let Some(more) = more { p { a rel="next" href=(more) { "More results" } } }
        },
    )
}

/// One recent change.
pub struct Change<'a> {
    /// The page title.
    pub title: &'a str,
    /// The page's URL segment.
    pub segment: String,
    /// The revision id.
    pub revision: i64,
    /// The previous revision, if any (for the diff link).
    pub parent: Option<i64>,
    /// When.
    pub timestamp: &'a str,
    /// Who.
    pub author: Author<'a>,
    /// Why.
    pub summary: &'a str,
    /// Size change.
    pub delta: i64,
}

/// The recent-changes page.
pub fn recent(changes: &[Change<'_>], older: Option<&str>, user: Option<SignedIn<'_>>) -> Markup {
    layout(
        Layout {
            title: "Recent changes",
            user,
            feed: Some("/recent.atom"),
            ..Layout::default()
        },
        html! {
            h1.page-title { "Recent changes" }
            p.meta { a href="/recent.atom" type="application/atom+xml" { "Atom feed" } }
            (changes_by_day(changes, "changes"))
            @if let Some(older) = older { p { a rel="next" href=(older) { "Older changes" } } }
        },
    )
}

/// Changes grouped under day headings ("Today", "Yesterday", then dates), each with its
/// time of day: recent changes and the watchlist (issue 15). `class` is the lists' classes.
pub fn changes_by_day(changes: &[Change<'_>], class: &str) -> Markup {
    html! {
        @for (day, changes) in super::when::by_day(changes, |c| c.timestamp, super::when::today()) {
          h2.day { (day) }
          ul class=(class) {
            @for change in changes {
                li {
                    (super::when::clock(change.timestamp)) " "
                    a href=(format!("/wiki/{}", change.segment)) { (change.title) }
                    @if let Some(parent) = change.parent {
                        " (" a href=(format!("/wiki/{}/diff?from={parent}&to={}", change.segment, change.revision)) { "diff" } ")"
                    } @else { " (new page)" }
                    " by " (authors::link(change.author))
                    " (" @if change.delta > 0 { "+" } (change.delta) ")"
                    @if !change.summary.is_empty() { " — " em { (super::summary::summary(&change.segment, change.summary)) } }
                }
            }
          }
        }
    }
}

/// A page in a list: its title, URL, and whether it is a redirect (marked "(redirect page)",
/// as in MediaWiki's "what links here").
pub type ListedPage = (String, String, bool);

/// A titled list of page links: all pages, what links here, a category's members.
pub fn page_list(
    heading: &str,
    intro: Option<Markup>,
    pages: &[ListedPage],
    empty: &str,
    more: Option<&str>,
    tabs: &[(&str, &str, bool)],
    user: Option<SignedIn<'_>>,
) -> Markup {
    layout(
        Layout {
            title: heading,
            tabs,
            user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @if let Some(intro) = intro { (intro) }
            @if pages.is_empty() {
                p { (empty) }
            } @else {
                ul.page-list {
                    @for (title, url, redirect) in pages {
                        li {
                            a href=(url) { (title) }
                            @if *redirect { " " span.meta.redirect-mark { "(redirect page)" } }
                        }
                    }
                }
            }
            @if let Some(more) = more { p { a rel="next" href=(more) { "More" } } }
        },
    )
}
