//! The kind of a source document, from a fixed list, and how the free-text kinds stored before
//! the list existed map onto it.

use std::fmt;

/// What kind of document a source is. A citation of an opinion, a blog or a self-published
/// document is weak evidence for a claim about a person ([`SourceKind::is_weak`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceKind {
    /// Reporting by a news organisation.
    News,
    /// An opinion piece, column, editorial or op-ed.
    Opinion,
    /// A blog post.
    Blog,
    /// Published by its own author (a personal site, a pamphlet, social media).
    SelfPublished,
    /// A press release or statement from an organisation.
    PressRelease,
    /// A primary document: a letter, a speech, a transcript, a court record, an interview.
    Primary,
    /// A peer-reviewed or scholarly work.
    Academic,
    /// An encyclopedia, dictionary or other reference work.
    Reference,
    /// Anything else.
    Other,
}

/// A kind that is not on the list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown source kind {0:?}: the kinds are {list}", list = SourceKind::NAMES.join(", "))]
pub struct UnknownKind(pub String);

impl SourceKind {
    /// Every kind, in the order they are offered.
    pub const ALL: [Self; 9] = [
        Self::News,
        Self::Opinion,
        Self::Blog,
        Self::SelfPublished,
        Self::PressRelease,
        Self::Primary,
        Self::Academic,
        Self::Reference,
        Self::Other,
    ];

    /// The names of [`SourceKind::ALL`], as stored and as given on the command line.
    pub const NAMES: [&'static str; 9] = [
        "news",
        "opinion",
        "blog",
        "self-published",
        "press release",
        "primary",
        "academic",
        "reference",
        "other",
    ];

    /// The stored name: `news`, `self-published`, `press release`…
    pub fn as_str(self) -> &'static str {
        let index = Self::ALL.iter().position(|k| *k == self).unwrap_or(8);
        Self::NAMES[index]
    }

    /// A kind by its name, in any case, with `-`, `_` or a space between words
    /// (`press-release`, `Self published`).
    pub fn parse(name: &str) -> Result<Self, UnknownKind> {
        let wanted = squash(name);
        Self::ALL
            .into_iter()
            .zip(Self::NAMES)
            .find(|(_, n)| squash(n) == wanted)
            .map(|(kind, _)| kind)
            .ok_or_else(|| UnknownKind(name.to_owned()))
    }

    /// The kind a free-text kind from before the list most likely meant (`blog post` is a blog,
    /// `newspaper article` is news), or `None` when nothing fits (it becomes
    /// [`SourceKind::Other`], the text kept as a note).
    pub fn from_free_text(text: &str) -> Option<Self> {
        if let Ok(kind) = Self::parse(text) {
            return Some(kind);
        }
        let lower = text.to_lowercase();
        let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
        let kind = if has(&["self-published", "self published", "personal website"]) {
            Self::SelfPublished
        } else if has(&["blog"]) {
            Self::Blog
        } else if has(&["opinion", "op-ed", "column", "editorial", "comment"]) {
            Self::Opinion
        } else if has(&["press release", "press statement", "media release"]) {
            Self::PressRelease
        } else if has(&["news", "report", "wire"]) {
            Self::News
        } else if has(&["journal", "paper", "thesis", "monograph", "academic"]) {
            Self::Academic
        } else if has(&["encyclop", "dictionary", "almanac", "reference"]) {
            Self::Reference
        } else if has(&[
            "letter",
            "speech",
            "transcript",
            "interview",
            "diary",
            "court",
            "hansard",
            "record",
            "archive",
        ]) {
            Self::Primary
        } else {
            return None;
        };
        Some(kind)
    }

    /// Whether a claim resting only on this kind of source rests on weak evidence: an opinion,
    /// a blog or a self-published document.
    pub fn is_weak(self) -> bool {
        matches!(self, Self::Opinion | Self::Blog | Self::SelfPublished)
    }
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn squash(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '-' | '_' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_kind() {
        for kind in SourceKind::ALL {
            assert_eq!(SourceKind::parse(kind.as_str()), Ok(kind));
        }
        assert_eq!(
            SourceKind::parse("Press-Release"),
            Ok(SourceKind::PressRelease)
        );
        assert_eq!(
            SourceKind::parse("self_published"),
            Ok(SourceKind::SelfPublished)
        );
    }

    #[test]
    fn anything_off_the_list_is_refused() {
        for bad in ["", "blog post", "newspaper", "gossip", "news!"] {
            assert_eq!(SourceKind::parse(bad), Err(UnknownKind(bad.to_owned())));
        }
        let message = UnknownKind("gossip".into()).to_string();
        assert!(message.contains("self-published"), "{message}");
    }

    #[test]
    fn free_text_kinds_map_onto_the_list() {
        for (text, kind) in [
            ("blog post", Some(SourceKind::Blog)),
            ("newspaper article", Some(SourceKind::News)),
            ("Op-Ed", Some(SourceKind::Opinion)),
            ("letter to the editor", Some(SourceKind::Primary)),
            ("journal article", Some(SourceKind::Academic)),
            ("encyclopedia entry", Some(SourceKind::Reference)),
            ("press release", Some(SourceKind::PressRelease)),
            ("news", Some(SourceKind::News)),
            ("pamphlet", None),
            ("", None),
        ] {
            assert_eq!(SourceKind::from_free_text(text), kind, "{text}");
        }
    }

    #[test]
    fn opinion_blog_and_self_published_are_weak() {
        let weak: Vec<_> = SourceKind::ALL
            .into_iter()
            .filter(|k| k.is_weak())
            .collect();
        assert_eq!(
            weak,
            [
                SourceKind::Opinion,
                SourceKind::Blog,
                SourceKind::SelfPublished
            ]
        );
    }
}
