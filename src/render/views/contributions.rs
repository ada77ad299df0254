//! An author's contributions (issue 15): their edits across pages, newest first, under day
//! headings with times as recent changes shows them.

use maud::{Markup, html};

use super::authors::{self, Author};
use super::lists::Change;
use super::{Layout, SignedIn, layout};

/// What the contributions page shows.
pub struct ContributionsPage<'a> {
    /// The author, as found (`None`: no author has the name asked for).
    pub author: Option<Author<'a>>,
    /// The name asked for.
    pub asked: &'a str,
    /// Their edits, newest first.
    pub changes: &'a [Change<'a>],
    /// The next (older) page of edits.
    pub older: Option<&'a str>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
}

/// The contributions page.
pub fn page(page: &ContributionsPage<'_>) -> Markup {
    let name = page.author.map_or(page.asked, |a| a.name);
    let heading = format!("Contributions of {name}");
    layout(
        Layout {
            title: &heading,
            user: page.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @match page.author {
                None => p { "No author is called “" (page.asked) "” here." },
                Some(author) => {
                    @if author.user_page {
                        p.meta { "See also " (authors::link(author)) "." }
                    }
                    @if page.changes.is_empty() {
                        p { (name) " has not edited any page." }
                    } @else {
                        (super::lists::own_changes_by_day(page.changes, "changes contributions"))
                    }
                }
            }
            @if let Some(older) = page.older { p { a rel="next" href=(older) { "Older contributions" } } }
        },
    )
}
