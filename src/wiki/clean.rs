//! Text as it enters the wiki: every save (forms, the JSON API, imports) and every preview
//! passes through here first, so that what is stored and rendered is already clean. The edit
//! form cleans what it echoes back with the same function.

use std::borrow::Cow;

/// `text` with each NUL replaced by U+FFFD, as browsers do when they read HTML: a NUL would
/// otherwise reach the rendered page raw. Borrowed (no copy) when there is none.
pub fn markup(text: &str) -> Cow<'_, str> {
    if memchr::memchr(0, text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace('\0', "\u{FFFD}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_becomes_the_replacement_character_and_clean_text_is_not_copied() {
        assert_eq!(markup("a\0b\0"), "a\u{FFFD}b\u{FFFD}");
        assert!(matches!(markup("plain"), Cow::Borrowed("plain")));
    }
}
