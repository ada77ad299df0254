//! Error pages, framed like every other page: the header names the person looking, and an
//! error about a page shows that page's tabs (issue 15).

use maud::{Markup, html};

use super::{Layout, SignedIn, layout};

/// The frame of an error page: who is looking, and for an error about a page, its tabs and
/// "More" menu.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorFrame<'a> {
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// The page's tabs, as (label, URL, current?).
    pub tabs: &'a [(&'a str, &'a str, bool)],
    /// The page's "More" menu, as (label, URL).
    pub more: &'a [(&'a str, &'a str)],
}

/// What the 404 of a page not written yet offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create<'a> {
    /// A link to the edit form (at this URL) that creates the page.
    Here(&'a str),
    /// A link to sign in (at this URL), which comes back to that form.
    SignIn(&'a str),
    /// Nothing: the person looking may not create pages.
    NotAllowed,
}

fn framed(frame: ErrorFrame<'_>, title: &str, body: Markup) -> Markup {
    layout(
        Layout {
            title,
            tabs: frame.tabs,
            more: frame.more,
            user: frame.user,
            ..Layout::default()
        },
        body,
    )
}

/// A page that says what went wrong.
pub fn error_page(heading: &str, detail: &str, frame: ErrorFrame<'_>) -> Markup {
    framed(
        frame,
        heading,
        html! {
            h1 { (heading) }
            p { (detail) }
            p { a href="/" { "Go to the main page" } }
        },
    )
}

/// The 404 for a page that does not exist yet, with what the person looking may do about it.
pub fn missing_page(title: &str, create: Create<'_>, frame: ErrorFrame<'_>) -> Markup {
    framed(
        frame,
        title,
        html! {
            h1 { (title) }
            p.missing { "There is no page with this title yet." }
            @match create {
                Create::Here(url) => p { a href=(url) { "Create the page “" (title) "”" } },
                Create::SignIn(url) => p { a href=(url) { "Sign in to create the page “" (title) "”" } },
                Create::NotAllowed => p.meta { "Your account can read pages but not create them." },
            }
        },
    )
}
