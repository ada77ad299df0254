//! The watchlist (issue 15): the star form of a page and its sections, and the list of recent
//! changes to what the reader watches, with their private feed.

use maud::{Markup, html};

use super::account::csrf_field;
use super::lists::Change;
use super::{Layout, SignedIn, layout};

/// A page or section as the watch form shows it: (section id, heading, watched). The page
/// itself has no section id.
pub struct WatchLine<'a> {
    /// The section's public id; `None` for the whole page.
    pub section: Option<&'a str>,
    /// What to call it.
    pub label: &'a str,
    /// Whether the reader watches it.
    pub watched: bool,
    /// Whether the reader came to watch this one (from its star).
    pub asked: bool,
}

/// What the watch form shows.
pub struct WatchPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The form's action.
    pub action: &'a str,
    /// The page, then each section.
    pub lines: &'a [WatchLine<'a>],
    /// The CSRF token.
    pub csrf: &'a str,
    /// Tabs for the page.
    pub tabs: &'a [(&'a str, &'a str, bool)],
    /// The signed-in user.
    pub user: SignedIn<'a>,
}

/// A star button: filled when watched; pressing it toggles.
fn star(line: &WatchLine<'_>, action: &str, csrf: &str) -> Markup {
    let (mark, verb) = if line.watched {
        ("★", "unwatch")
    } else {
        ("☆", "watch")
    };
    html! {
        form.watch method="post" action=(action) {
            (csrf_field(csrf))
            @if let Some(section) = line.section { input type="hidden" name="section" value=(section); }
            input type="hidden" name="action" value=(verb);
            button.watch-star type="submit" aria-pressed=(if line.watched { "true" } else { "false" })
                title=(format!("{} {}", if line.watched { "Stop watching" } else { "Watch" }, line.label)) { (mark) }
        }
    }
}

/// The watch form of a page: a star for the page and one for each section.
pub fn watch_page(page: &WatchPage<'_>) -> Markup {
    let heading = format!("Watch {}", page.title);
    layout(
        Layout {
            title: &heading,
            tabs: page.tabs,
            user: Some(page.user),
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            p { "Changes to what you watch are listed on " a href="/watchlist" { "your watchlist" } ". Watch the whole page, or only the sections you care about." }
            ul.watch-lines {
                @for line in page.lines {
                    li class=(if line.asked { "asked" } else { "" }) {
                        (star(line, page.action, page.csrf)) " "
                        @if line.section.is_none() { strong { (line.label) } } @else { (line.label) }
                        @if line.watched { " " span.meta { "(watched)" } }
                    }
                }
            }
        },
    )
}

/// What the watchlist shows.
pub struct WatchlistPage<'a> {
    /// The changes, newest first.
    pub changes: &'a [Change<'a>],
    /// The next (older) page.
    pub older: Option<&'a str>,
    /// A feed URL made just now (shown once), if any.
    pub new_feed: Option<&'a str>,
    /// When the current feed token was made, if there is one.
    pub feed_made: Option<&'a str>,
    /// The CSRF token.
    pub csrf: &'a str,
    /// The signed-in user.
    pub user: SignedIn<'a>,
}

/// The watchlist page.
pub fn watchlist(page: &WatchlistPage<'_>) -> Markup {
    layout(
        Layout {
            title: "Your watchlist",
            user: Some(page.user),
            ..Layout::default()
        },
        html! {
            h1.page-title { "Your watchlist" }
            @if page.changes.is_empty() {
                p { "No changes to what you watch. Watch a page or a section with its star (☆)." }
            } @else {
                (super::lists::changes_by_day(page.changes, "changes watchlist"))
            }
            @if let Some(older) = page.older { p { a rel="next" href=(older) { "Older changes" } } }
            section.watchlist-feed {
                h2 { "Private feed" }
                @if let Some(url) = page.new_feed {
                    p.notice role="status" {
                        "Your feed: " code.feed-url { (url) }
                        " — copy it now: it is not shown again. Anyone with it can read your watchlist."
                    }
                } @else if let Some(made) = page.feed_made {
                    p { "You have a feed URL, made " (super::when::time(made)) "." }
                } @else {
                    p { "Follow your watchlist in a feed reader with a private Atom feed URL." }
                }
                form.inline method="post" action="/watchlist/feed" {
                    (csrf_field(page.csrf))
                    input type="hidden" name="action" value="new";
                    button type="submit" { @if page.feed_made.is_some() || page.new_feed.is_some() { "Make a new feed URL (the old one stops)" } @else { "Make a feed URL" } }
                }
                @if page.feed_made.is_some() || page.new_feed.is_some() {
                    " "
                    form.inline method="post" action="/watchlist/feed" {
                        (csrf_field(page.csrf))
                        input type="hidden" name="action" value="revoke";
                        button type="submit" { "Revoke the feed URL" }
                    }
                }
            }
        },
    )
}
