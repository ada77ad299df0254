//! Error pages.

use maud::{Markup, html};

use super::{Layout, layout};

/// A page that says what went wrong.
pub fn error_page(heading: &str, detail: &str) -> Markup {
    layout(
        Layout {
            title: heading,
            ..Layout::default()
        },
        html! {
            h1 { (heading) }
            p { (detail) }
            p { a href="/" { "Go to the main page" } }
        },
    )
}

/// The 404 for a page that does not exist yet, with a link to create it.
pub fn missing_page(title: &str, edit_url: &str) -> Markup {
    layout(
        Layout {
            title,
            ..Layout::default()
        },
        html! {
            h1 { (title) }
            p.missing { "There is no page with this title yet." }
            p { a href=(edit_url) { "Create the page “" (title) "”" } }
        },
    )
}
