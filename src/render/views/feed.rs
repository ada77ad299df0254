//! Atom feeds of changes (RFC 4287): recent changes, and one page's or section's changes.

use maud::{Markup, PreEscaped, html};

/// One entry of a feed.
pub struct FeedEntry<'a> {
    /// The entry's title (page and summary).
    pub title: String,
    /// The absolute URL of the change (its diff or the revision).
    pub url: String,
    /// A unique id (a tag URI or the URL).
    pub id: String,
    /// When (RFC 3339).
    pub updated: &'a str,
    /// Who.
    pub author: &'a str,
    /// The edit summary.
    pub summary: &'a str,
}

/// An Atom document. `base` is the site's absolute origin, like `http://127.0.0.1:3000`.
pub fn atom(title: &str, self_url: &str, site_url: &str, entries: &[FeedEntry<'_>]) -> Markup {
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |e| e.updated);
    html! {
        (PreEscaped("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"))
        feed xmlns="http://www.w3.org/2005/Atom" {
            title { (title) }
            id { (self_url) }
            link rel="self" href=(self_url) {}
            link rel="alternate" type="text/html" href=(site_url) {}
            updated { (updated) }
            generator { "Plutarch" }
            @for entry in entries {
                entry {
                    title { (entry.title) }
                    id { (entry.id) }
                    link rel="alternate" type="text/html" href=(entry.url) {}
                    updated { (entry.updated) }
                    author { name { (entry.author) } }
                    summary { (entry.summary) }
                }
            }
        }
    }
}
