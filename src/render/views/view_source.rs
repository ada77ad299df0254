//! "View source": a page's markup, read-only, for those who may not edit it (issue 15), with
//! what they could do instead.

use maud::{Markup, html};

use super::{Layout, SignedIn, layout};

/// Why the person looking sees the source rather than the edit form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why<'a> {
    /// Not signed in: a link to sign in (at this URL), which comes back to the edit form.
    SignIn(&'a str),
    /// The page is protected: only admins edit it.
    Protected,
    /// Their role does not edit pages.
    ReadOnlyRole,
    /// They may edit it: a link to the edit form at this URL.
    MayEdit(&'a str),
}

/// What the view-source page shows.
#[derive(Debug, Clone, Copy)]
pub struct SourcePage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// Its latest markup.
    pub markup: &'a str,
    /// Why it is shown read-only.
    pub why: Why<'a>,
    /// The page's tabs.
    pub tabs: &'a [(&'a str, &'a str, bool)],
    /// The page's "More" menu.
    pub more: &'a [(&'a str, &'a str)],
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
}

/// The page's markup in a read-only textarea, and why.
pub fn page(page: &SourcePage<'_>) -> Markup {
    let heading = format!("View source of {}", page.title);
    layout(
        Layout {
            title: &heading,
            tabs: page.tabs,
            more: page.more,
            user: page.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @match page.why {
                Why::SignIn(url) => p.banner.view-source role="note" {
                    a href=(url) { "Sign in to edit this page" }
                    "; meanwhile you can read and copy its text."
                },
                Why::Protected => p.banner.protected role="note" {
                    (super::moderation::PROTECTED_NOTICE)
                    " You can read and copy its text."
                },
                Why::ReadOnlyRole => p.banner.view-source role="note" {
                    "Your account can read pages but not edit them. You can read and copy this page's text."
                },
                Why::MayEdit(url) => p.banner.view-source role="note" {
                    "You may edit this page: " a href=(url) { "edit it" } "."
                },
            }
            textarea.view-source readonly rows="25" aria-label="The page's text" { (page.markup) }
        },
    )
}
