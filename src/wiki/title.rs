//! Page titles, normalised as MediaWiki does: `_` and space are the same, runs of spaces
//! collapse, the first letter is upper-case, and a namespace prefix is written the canonical way
//! (`image : x.jpg` is `File:X.jpg`, see [`Namespace`]).

use std::fmt;

use crate::doc::namespace;
pub use crate::doc::namespace::Namespace;

/// The longest title, in bytes (MediaWiki's limit).
pub const MAX_TITLE_BYTES: usize = 255;

/// Why a title was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    /// Nothing left after trimming.
    #[error("a title cannot be empty")]
    Empty,
    /// Over [`MAX_TITLE_BYTES`].
    #[error("a title can be at most {MAX_TITLE_BYTES} bytes long (this one is {0})")]
    TooLong(usize),
    /// A character titles cannot hold.
    #[error("a title cannot contain {0:?}")]
    InvalidCharacter(char),
    /// A character that shows nothing (see [`crate::doc::chars::is_invisible`]): refused in new
    /// titles, so no page can pass for another.
    #[error("a title cannot contain the invisible character U+{:04X}: it would look like another title", u32::from(*.0))]
    Invisible(char),
    /// `.` and `..` and paths made of them.
    #[error("a title cannot be \".\" or \"..\" or start with \"./\" or \"../\"")]
    Relative,
}

/// A normalised page title.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Title(String);

impl Title {
    /// Normalises `raw` (from a URL, a link or a form) into a title.
    pub fn new(raw: &str) -> Result<Self, TitleError> {
        // Most titles (every link target of an article, say) are written normalised already.
        if already_normal(raw) {
            return Ok(Self(raw.to_owned()));
        }
        Self::normalise(raw)
    }

    /// [`Title::new`] the long way: every rule applied.
    fn normalise(raw: &str) -> Result<Self, TitleError> {
        let mut text = String::with_capacity(raw.len());
        for word in raw.split(['_', ' ', '\u{a0}']) {
            if word.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
        }
        if let Some(bad) = text
            .chars()
            .find(|&c| c.is_control() || "#<>[]|{}\u{fffd}\u{e000}\u{e001}".contains(c))
        {
            return Err(TitleError::InvalidCharacter(bad));
        }
        let text = namespace::canonical(&text).unwrap_or_else(|| namespace::upper_first(&text));
        if text.is_empty() {
            return Err(TitleError::Empty);
        }
        if text.len() > MAX_TITLE_BYTES {
            return Err(TitleError::TooLong(text.len()));
        }
        if text == "." || text == ".." || text.starts_with("./") || text.starts_with("../") {
            return Err(TitleError::Relative);
        }
        Ok(Self(text))
    }

    /// Refuses a title for a new page (a save that creates one, a move's target) that holds an
    /// invisible character. Existing titles still read, so an admin can move them.
    pub fn check_new(&self) -> Result<(), TitleError> {
        match self.0.chars().find(|&c| crate::doc::chars::is_invisible(c)) {
            Some(c) => Err(TitleError::Invisible(c)),
            None => Ok(()),
        }
    }

    /// The title's namespace (`Main` when it has no prefix).
    pub fn namespace(&self) -> Namespace {
        namespace::split(&self.0).map_or(Namespace::Main, |(ns, _)| ns)
    }

    /// The title without its namespace prefix (MediaWiki's `{{PAGENAME}}`).
    pub fn text(&self) -> &str {
        namespace::split(&self.0).map_or(&self.0, |(_, rest)| rest)
    }

    /// A title kept exactly as given, normalised or not: for tests that build a database the
    /// way an older version (with other rules) wrote it.
    #[cfg(test)]
    pub(crate) fn unchecked(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    /// The talk page of this page (`Talk:Ada`, `User talk:Bob`); a talk page is its own.
    /// `None` when the talk title would be too long.
    pub fn talk(&self) -> Option<Self> {
        self.in_namespace(self.namespace().talk())
    }

    /// The page a talk page is about (`Ada` for `Talk:Ada`); any other page is its own.
    pub fn subject(&self) -> Option<Self> {
        self.in_namespace(self.namespace().subject())
    }

    /// This title's text in `namespace`.
    fn in_namespace(&self, namespace: Namespace) -> Option<Self> {
        if namespace == self.namespace() {
            return Some(self.clone());
        }
        match namespace {
            Namespace::Main => Self::new(self.text()).ok(),
            other => Self::new(&format!("{}:{}", other.name(), self.text())).ok(),
        }
    }

    /// The title as shown, with spaces.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The title as shown, owned (no copy).
    pub fn into_string(self) -> String {
        self.0
    }

    /// The title as written in a URL path segment: `_` for spaces, unsafe bytes percent-encoded.
    pub fn url_segment(&self) -> String {
        url_segment(&self.0)
    }
}

/// Whether `raw` is a title as [`Title::normalise`] would leave it, by a check that only holds
/// for the plainest titles: no namespace, nothing to trim, join or upper-case, no character
/// that needs a closer look.
fn already_normal(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if !first.is_ascii_graphic() || first.is_ascii_lowercase() || first == b'.' || last == b' ' {
        return false;
    }
    if bytes.len() > MAX_TITLE_BYTES {
        return false;
    }
    let mut after_space = false;
    raw.chars().all(|c| {
        let plain = match c {
            ' ' => !after_space,
            '_' | ':' | '\u{a0}' => false,
            '#' | '<' | '>' | '[' | ']' | '|' | '{' | '}' | '\u{fffd}' | '\u{e000}'
            | '\u{e001}' => false,
            c => !c.is_control(),
        };
        after_space = c == ' ';
        plain
    })
}

/// `text` as a URL path segment: `_` for spaces, `/`, `?`, `#`, `%` and the like encoded.
pub fn url_segment(text: &str) -> String {
    use percent_encoding::utf8_percent_encode;
    utf8_percent_encode(&text.replace(' ', "_"), crate::doc::url::SEGMENT).to_string()
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_and_its_talk_page_lead_to_each_other() {
        let talk = |t: &str| Title::new(t).unwrap().talk().unwrap();
        let subject = |t: &str| Title::new(t).unwrap().subject().unwrap();
        assert_eq!(talk("Ada Lovelace").as_str(), "Talk:Ada Lovelace");
        assert_eq!(talk("Talk:Ada Lovelace").as_str(), "Talk:Ada Lovelace");
        assert_eq!(talk("User:Bob").as_str(), "User talk:Bob");
        assert_eq!(talk("Category:Poets").as_str(), "Category talk:Poets");
        assert_eq!(subject("Talk:Ada Lovelace").as_str(), "Ada Lovelace");
        assert_eq!(subject("User talk:Bob").as_str(), "User:Bob");
        assert_eq!(subject("Ada").as_str(), "Ada");
    }

    #[test]
    fn underscores_and_spaces_are_the_same() {
        assert_eq!(Title::new("ada_lovelace").unwrap().as_str(), "Ada lovelace");
        assert_eq!(
            Title::new("  Ada   Lovelace ").unwrap().as_str(),
            "Ada Lovelace"
        );
    }

    #[test]
    fn first_letter_is_upper_case_even_beyond_ascii() {
        assert_eq!(Title::new("élie Wiesel").unwrap().as_str(), "Élie Wiesel");
    }

    #[test]
    fn namespace_prefixes_ignore_case() {
        assert_eq!(
            Title::new("category:british people").unwrap().as_str(),
            "Category:British people"
        );
        assert_eq!(
            Title::new("SOURCE : blog post").unwrap().as_str(),
            "Source:Blog post"
        );
        assert_eq!(
            Title::new("Source:x").unwrap().namespace(),
            Namespace::Source
        );
        assert_eq!(
            Title::new("Sources: many").unwrap().as_str(),
            "Sources: many"
        );
        assert_eq!(
            Title::new("Ada Lovelace").unwrap().namespace(),
            Namespace::Main
        );
    }

    #[test]
    fn aliases_and_localised_prefixes_become_canonical() {
        let cases = [
            ("image:x.jpg", "File:X.jpg", Namespace::File),
            ("Image_:_x.jpg", "File:X.jpg", Namespace::File),
            ("datei:Ada.png", "File:Ada.png", Namespace::File),
            ("Lêer:Kaart.svg", "File:Kaart.svg", Namespace::File),
            (
                "kategorie:britische Person",
                "Category:Britische Person",
                Namespace::Category,
            ),
            ("Catégorie:Poète", "Category:Poète", Namespace::Category),
            (
                "template:infobox person",
                "Template:Infobox person",
                Namespace::Template,
            ),
            ("talk:ada", "Talk:Ada", Namespace::Talk),
            ("user_talk:bob", "User talk:Bob", Namespace::UserTalk),
            ("Image talk:x.jpg", "File talk:X.jpg", Namespace::FileTalk),
            (
                "source talk:blog",
                "Source talk:Blog",
                Namespace::SourceTalk,
            ),
            (
                "Star Wars: a new hope",
                "Star Wars: a new hope",
                Namespace::Main,
            ),
        ];
        for (raw, normal, ns) in cases {
            let title = Title::new(raw).unwrap();
            assert_eq!((title.as_str(), title.namespace()), (normal, ns), "{raw}");
        }
        assert_eq!(Title::new("talk:ada").unwrap().text(), "Ada");
        assert_eq!(Title::new("Ada").unwrap().text(), "Ada");
    }

    #[test]
    fn bad_titles_are_refused_with_a_reason() {
        assert_eq!(Title::new(" _ "), Err(TitleError::Empty));
        assert_eq!(Title::new("a[b"), Err(TitleError::InvalidCharacter('[')));
        assert_eq!(Title::new("../../etc"), Err(TitleError::Relative));
        assert!(matches!(
            Title::new(&"x".repeat(300)),
            Err(TitleError::TooLong(300))
        ));
    }

    proptest::proptest! {
        #[test]
        fn the_short_way_agrees_with_the_long_way(
            raw in "([a-zA-Z. _:#|\\[\\]{}]|é|É|\u{a0}|\u{85}|\u{e000}|\u{fffd}|\t|Category|source|image|Kategorie|user talk){0,12}"
        ) {
            proptest::prop_assert_eq!(Title::new(&raw), Title::normalise(&raw));
        }
    }

    #[test]
    fn plain_titles_take_the_short_way() {
        assert!(already_normal("Ada Lovelace"));
        assert!(already_normal("University of São Paulo"));
        for raw in [
            "ada",
            "Ada  Lovelace",
            "Ada_Lovelace",
            " Ada",
            "Ada ",
            "Category:X",
            ".x",
            "É",
        ] {
            assert!(!already_normal(raw), "{raw}");
        }
        assert_eq!(Title::new(&"X".repeat(300)), Err(TitleError::TooLong(300)));
    }

    #[test]
    fn url_segments_escape_slashes_and_spaces() {
        assert_eq!(url_segment("AC/DC fan"), "AC%2FDC_fan");
        assert_eq!(url_segment("Zoë"), "Zo%C3%AB");
    }
}
