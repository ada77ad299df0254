//! The frame around every page: head, site header with search, footer.

use maud::{DOCTYPE, Markup, html};

/// What the frame needs to know about the page inside it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout<'a> {
    /// The `<title>` (the site name is appended).
    pub title: &'a str,
    /// The page's tabs and "More" menu (none for a page that is not about a page).
    pub tabs: PageTabs<'a>,
    /// The signed-in user, if any: the header shows their name and "Sign out", else
    /// "Sign in".
    pub user: Option<SignedIn<'a>>,
    /// The URL of the page's Atom feed, if it has one (linked in the head as an alternate).
    pub feed: Option<&'a str>,
    /// A one-line notice of what was just done ("Your edit was saved."), shown atop the page.
    pub notice: Option<&'a str>,
}

/// A page's tabs (read, edit, history…) and its "More" menu (move, protect, delete…), as the
/// person looking may use them: the web layer builds them for that person.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageTabs<'a> {
    /// The tabs, as (label, URL, current?).
    pub tabs: &'a [(&'a str, &'a str, bool)],
    /// The "More" menu, as (label, URL); no menu when empty.
    pub more: &'a [(&'a str, &'a str)],
}

/// A signed-in user, as the header shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignedIn<'a> {
    /// The user name.
    pub name: &'a str,
    /// The session's CSRF token, for the sign-out form.
    pub csrf: &'a str,
    /// Whether they are an admin: the header links the audit log and user management.
    pub admin: bool,
}

/// The `generator` every page names: the MediaWiki version whose APIs this wiki speaks.
pub const GENERATOR: &str = "MediaWiki 1.39.0 (Plutarch)";

/// Wraps `body` in the site's frame.
pub fn layout(page: Layout<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // What MediaWiki's tools look for to find the API (issue 19).
                meta name="generator" content=(GENERATOR);
                link rel="EditURI" type="application/rsd+xml" href="/w/api.php?action=rsd";
                title { (page.title) " — Plutarch" }
                link rel="stylesheet" href=(super::stylesheet_url());
                @if let Some(feed) = page.feed {
                    link rel="alternate" type="application/atom+xml" title=(format!("{} (Atom feed)", page.title)) href=(feed);
                }
            }
            body {
                a.skip href="#content" { "Skip to content" }
                header.site role="banner" {
                    a.brand href="/" { "Plutarch" }
                    nav.site-links aria-label="Site" {
                        a href="/people" { "People" }
                        a href="/timeline" { "Timeline" }
                        a href="/recent" { "Recent changes" }
                    }
                    form.search role="search" action="/search" method="get" {
                        label.visually-hidden for="search-q" { "Search" }
                        input #search-q type="search" name="q" placeholder="Search biographies";
                        button type="submit" { "Search" }
                    }
                    (account_links(page.user))
                }
                @if !page.tabs.tabs.is_empty() {
                    nav.tabs aria-label="Page" {
                        @for (label, url, current) in page.tabs.tabs {
                            @if *current {
                                a href=(url) aria-current="page" { (label) }
                            } @else {
                                a href=(url) { (label) }
                            }
                        }
                        @if !page.tabs.more.is_empty() {
                            details.page-actions {
                                summary { "More ▾" }
                                ul {
                                    @for (label, url) in page.tabs.more { li { a href=(url) { (label) } } }
                                }
                            }
                        }
                    }
                }
                main #content {
                    @if let Some(notice) = page.notice { p.notice role="status" { (notice) } }
                    (body)
                }
                footer.site role="contentinfo" {
                    p { "Plutarch — a knowledge base of biographies. Every revision is kept." }
                }
            }
        }
    }
}

/// "Sign in", or the user's name and a sign-out button (a POST with the CSRF token).
fn account_links(user: Option<SignedIn<'_>>) -> Markup {
    html! {
        nav.account aria-label="Account" {
            @if let Some(user) = user {
                a.user-name href="/account" title="Your account" { (user.name) }
                " · "
                a href="/watchlist" { "Watchlist" }
                " · "
                @if user.admin {
                    a href="/admin/users" { "Users" }
                    " · "
                    a href="/admin/log" { "Audit log" }
                    " · "
                }
                form.sign-out action="/logout" method="post" {
                    (super::account::csrf_field(user.csrf))
                    button type="submit" { "Sign out" }
                }
            } @else {
                a href="/login" { "Sign in" }
            }
        }
    }
}
