//! Author names as links (issue 15): every author shown in history, recent changes, diffs and
//! the watchlist goes through [`link`], to their contributions and, when it exists, their
//! `User:` page.

use maud::{Markup, html};
use percent_encoding::{AsciiSet, utf8_percent_encode};

use crate::render::page_url;

/// Bytes a name keeps escaped in a URL path segment: as titles, and `_` too, which a
/// contributions URL writes for a space.
const SEGMENT: &AsciiSet = &crate::doc::url::SEGMENT.add(b'_');

/// An author as the views show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Author<'a> {
    /// The author name.
    pub name: &'a str,
    /// Whether `User:name` is a live page.
    pub user_page: bool,
}

/// `/user/NAME`: the contributions of an author name. Spaces are written `_`; a `_` in the
/// name is percent-encoded so it reads back as itself.
pub fn contributions_url(name: &str) -> String {
    let encoded = utf8_percent_encode(name, SEGMENT).to_string();
    format!("/user/{}", encoded.replace("%20", "_"))
}

/// The URL of `User:name`, written as titles are.
fn user_page_url(name: &str) -> String {
    let title = format!("User:{name}");
    page_url(&crate::doc::namespace::canonical(&title).unwrap_or(title))
}

/// The author's name linking to their contributions, then a link to their user page when
/// they have one.
pub fn link(author: Author<'_>) -> Markup {
    html! {
        span.author {
            a href=(contributions_url(author.name)) title=(format!("Contributions of {}", author.name)) { (author.name) }
            @if author.user_page {
                " (" a href=(user_page_url(author.name)) { "user page" } ")"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_path_segments_that_read_back() {
        assert_eq!(contributions_url("Ada Lovelace"), "/user/Ada_Lovelace");
        assert_eq!(contributions_url("a_b/c?d"), "/user/a%5Fb%2Fc%3Fd");
        assert_eq!(contributions_url("Łukasz"), "/user/%C5%81ukasz");
    }

    #[test]
    fn the_user_page_is_linked_only_when_it_exists() {
        let without = link(Author {
            name: "Ada <b>",
            user_page: false,
        })
        .into_string();
        assert!(without.contains("href=\"/user/Ada_%3Cb%3E\""), "{without}");
        assert!(without.contains("Ada &lt;b&gt;"), "{without}");
        assert!(!without.contains("User:"), "{without}");
        let with = link(Author {
            name: "Ada",
            user_page: true,
        })
        .into_string();
        assert!(with.contains("href=\"/wiki/User:Ada\""), "{with}");
    }
}
