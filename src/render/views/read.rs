//! The read view of a page.

use maud::{Markup, html};

use super::{Layout, layout};
use crate::doc::Document;
use crate::render::{RenderOptions, article};

/// What the read view shows.
pub struct ReadPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The parsed markup of the revision shown.
    pub doc: &'a Document,
    /// Whether an internal link's target exists.
    pub link_exists: &'a dyn Fn(&str) -> bool,
    /// Who saved the revision shown.
    pub author: &'a str,
    /// When (RFC 3339).
    pub timestamp: &'a str,
}

/// A page at its latest revision.
pub fn page(page: &ReadPage<'_>) -> Markup {
    let display = page.doc.outline.title.as_deref().unwrap_or(page.title);
    let options = RenderOptions::new(page.link_exists);
    layout(
        Layout {
            title: display,
            ..Layout::default()
        },
        html! {
            article.page {
                h1.page-title { (display) }
                (article(page.doc, &options))
                p.last-edit {
                    "Last edited by " (page.author) " at "
                    time datetime=(page.timestamp) { (page.timestamp) }
                    "."
                }
            }
        },
    )
}
