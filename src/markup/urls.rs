//! URLs: which schemes may become links, and where a bare URL ends.

use std::borrow::Cow;

use super::entities::decode_all;
use crate::doc::has_link_scheme;

/// The URL as it may appear in an `href`: entities decoded, and only with an allowed scheme
/// at its very start (no leading whitespace or control characters to hide a scheme behind).
pub(crate) fn safe_url(raw: &str) -> Option<Cow<'_, str>> {
    let url = decode_all(raw.trim_matches([' ', '\t', '\n', '\r']));
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    (has_link_scheme(&url) && url.len() > 3).then_some(url)
}

/// Bare URLs start with one of these (MediaWiki links free URLs only with `://` schemes).
const BARE: [&str; 5] = ["https://", "http://", "ftp://", "ftps://", "mailto:"];

/// If a bare URL starts at `at`, where it ends (trailing punctuation excluded, as MediaWiki).
pub(crate) fn bare_url_at(text: &str, at: usize) -> Option<usize> {
    let rest = &text[at..];
    let scheme = BARE.iter().find(|s| {
        rest.len() > s.len() && rest.as_bytes()[..s.len()].eq_ignore_ascii_case(s.as_bytes())
    })?;
    if at > 0 && text.as_bytes()[at - 1].is_ascii_alphanumeric() {
        return None;
    }
    let mut end = at + scheme.len();
    let bytes = text.as_bytes();
    while end < bytes.len() {
        let b = bytes[end];
        if b.is_ascii_whitespace()
            || b"[]<>\"{}|".contains(&b)
            || (b == b'\'' && bytes.get(end + 1) == Some(&b'\''))
        {
            break;
        }
        end += 1;
    }
    // Trailing punctuation is not part of the URL; `)` only when the URL has no `(`.
    while end > at + scheme.len() {
        let b = bytes[end - 1];
        if b",;.:!?".contains(&b) || (b == b')' && !text[at..end].contains('(')) {
            end -= 1;
        } else {
            break;
        }
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (end > at + scheme.len()).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_schemes() {
        assert_eq!(
            safe_url("https://x.org/a?b&amp;c").as_deref(),
            Some("https://x.org/a?b&c")
        );
        assert!(safe_url("javascript:alert(1)").is_none());
        assert!(safe_url(" JaVaScRiPt:alert(1)").is_none());
        assert!(safe_url("java&#x09;script:alert(1)").is_none());
        assert!(safe_url("&#106;avascript:alert(1)").is_none());
        assert!(safe_url("data:text/html,x").is_none());
        assert!(safe_url("vbscript:x").is_none());
        assert!(safe_url("HTTPS://X.ORG").is_some());
    }

    #[test]
    fn bare_urls_drop_trailing_punctuation() {
        let t = "see http://x.org/a_(b), and (http://y.org).";
        let a = t.find("http://x").unwrap_or(0);
        assert_eq!(&t[a..bare_url_at(t, a).unwrap_or(a)], "http://x.org/a_(b)");
        let b = t.find("http://y").unwrap_or(0);
        assert_eq!(&t[b..bare_url_at(t, b).unwrap_or(b)], "http://y.org");
        assert_eq!(bare_url_at("xhttp://a", 1), None);
    }
}
