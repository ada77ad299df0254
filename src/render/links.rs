//! URLs of internal pages.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a title's URL path segment: `/` too, so `A/B` stays one segment.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'\'')
    .add(b'&')
    .add(b'+');

/// Characters escaped in a fragment.
const FRAGMENT: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`');

/// A page title as the wiki stores it: trimmed, `_` and runs of spaces as one space, the
/// first letter upper case (as MediaWiki does), the namespace prefix tidied.
pub fn normalize_title(title: &str) -> String {
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
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// `/wiki/Title_with_underscores`, percent-encoded, for a normalised title.
pub fn page_url(title: &str) -> String {
    let underscored = title.replace(' ', "_");
    format!("/wiki/{}", utf8_percent_encode(&underscored, PATH))
}

/// The URL of a page's edit form (where missing pages link to).
pub fn edit_url(title: &str) -> String {
    format!("{}/edit", page_url(title))
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
    }
}
