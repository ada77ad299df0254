//! URLs of internal pages.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::direct::escape;
use crate::doc::namespace;

/// Characters escaped in a title's URL path segment (`/` too, so `A/B` stays one segment),
/// and `'`, which links write inside attributes.
const PATH: &AsciiSet = &crate::doc::url::SEGMENT.add(b'\'');

/// Characters escaped in a fragment.
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// A page title as the wiki stores it: trimmed, `_` and runs of spaces as one space, the
/// first letter upper case (as MediaWiki does), the namespace prefix tidied. Borrowed when
/// `title` is already so (most link targets are).
pub fn normalize_title(title: &str) -> Cow<'_, str> {
    let spaced = normalize_spaces(title);
    // `image:x.jpg` is `File:X.jpg`, as `wiki`'s titles have it.
    match namespace::canonical(&spaced) {
        Some(canonical) if canonical != *spaced => Cow::Owned(canonical),
        _ => spaced,
    }
}

/// `title` trimmed, `_` and runs of white space as one space, its first letter upper case:
/// everything [`normalize_title`] does but the namespace prefix.
fn normalize_spaces(title: &str) -> Cow<'_, str> {
    if is_normal(title) {
        return Cow::Borrowed(title);
    }
    let mut out = String::with_capacity(title.len());
    for word in title
        .split(|c: char| c == '_' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    Cow::Owned(namespace::upper_first(&out))
}

/// Whether [`normalize_title`] would give `title` back unchanged.
fn is_normal(title: &str) -> bool {
    let mut chars = title.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    let mut upper = first.to_uppercase();
    if upper.next() != Some(first) || upper.next().is_some() || first.is_whitespace() {
        return false;
    }
    let mut previous_space = false;
    for c in chars {
        if c == '_' || (c.is_whitespace() && c != ' ') || (c == ' ' && previous_space) {
            return false;
        }
        previous_space = c == ' ';
    }
    !previous_space && first != '_'
}

/// Writes `/wiki/Title_with_underscores`, percent-encoded, for a normalised title.
pub(crate) fn page_url_into(out: &mut String, title: &str) {
    out.push_str("/wiki/");
    for (i, word) in title.split(' ').enumerate() {
        if i > 0 {
            out.push('_');
        }
        for piece in utf8_percent_encode(word, PATH) {
            out.push_str(piece);
        }
    }
}

/// `/wiki/Title_with_underscores`, percent-encoded, for a normalised title.
pub fn page_url(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    page_url_into(&mut out, title);
    out
}

/// The URL of a page's edit form (where missing pages link to).
pub fn edit_url(title: &str) -> String {
    format!("{}/edit", page_url(title))
}

/// Writes a fragment (`#Early_life`) for an in-page anchor, escaped for an attribute.
pub(crate) fn fragment_into(out: &mut String, anchor: &str) {
    out.push('#');
    for (i, word) in anchor.trim().split(' ').enumerate() {
        if i > 0 {
            out.push('_');
        }
        for piece in utf8_percent_encode(word, FRAGMENT) {
            escape(out, piece);
        }
    }
}

/// A fragment (`#Early_life`) for an in-page anchor.
pub fn fragment(anchor: &str) -> String {
    let underscored = anchor.trim().replace(' ', "_");
    format!("#{}", utf8_percent_encode(&underscored, FRAGMENT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(normalize_title("  peter_willsman "), "Peter willsman");
        assert_eq!(page_url("Peter Willsman"), "/wiki/Peter_Willsman");
        assert_eq!(page_url("AC/DC"), "/wiki/AC%2FDC");
        assert_eq!(page_url("Café?"), "/wiki/Caf%C3%A9%3F");
        assert_eq!(edit_url("A b"), "/wiki/A_b/edit");
        assert_eq!(normalize_title("image: x.jpg"), "File:X.jpg");
        assert_eq!(normalize_title("kategorie:y"), "Category:Y");
        assert_eq!(normalize_title("Star Wars: x"), "Star Wars: x");
        for title in [
            "Peter Willsman",
            "peter",
            " A",
            "A  b",
            "A_b",
            "A\tb",
            "Ab ",
            "É",
            "ß",
            "",
        ] {
            let slow: String = {
                let words: Vec<&str> = title
                    .split(|c: char| c == '_' || c.is_whitespace())
                    .filter(|w| !w.is_empty())
                    .collect();
                let joined = words.join(" ");
                let mut chars = joined.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => joined,
                }
            };
            assert_eq!(normalize_title(title), slow, "{title:?}");
        }
    }
}
