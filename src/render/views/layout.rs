//! The frame around every page: head, site header with search, footer.

use maud::{DOCTYPE, Markup, html};

/// What the frame needs to know about the page inside it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Layout<'a> {
    /// The `<title>` (the site name is appended).
    pub title: &'a str,
    /// Tabs for the page (read, edit, history…), as (label, URL, current?).
    pub tabs: &'a [(&'a str, &'a str, bool)],
}

/// Wraps `body` in the site's frame.
pub fn layout(page: Layout<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " — Plutarch" }
                link rel="stylesheet" href="/static/style.css?v=1";
            }
            body {
                a.skip href="#content" { "Skip to content" }
                header.site role="banner" {
                    a.brand href="/" { "Plutarch" }
                    form.search role="search" action="/search" method="get" {
                        label.visually-hidden for="search-q" { "Search" }
                        input #search-q type="search" name="q" placeholder="Search biographies";
                        button type="submit" { "Search" }
                    }
                }
                @if !page.tabs.is_empty() {
                    nav.tabs aria-label="Page" {
                        @for (label, url, current) in page.tabs {
                            @if *current {
                                a href=(url) aria-current="page" { (label) }
                            } @else {
                                a href=(url) { (label) }
                            }
                        }
                    }
                }
                main #content {
                    (body)
                }
                footer.site role="contentinfo" {
                    p { "Plutarch — a knowledge base of biographies. Every revision is kept." }
                }
            }
        }
    }
}
