//! Namespaces, numbered as MediaWiki numbers them: the prefix before a title's colon that makes
//! a page a category, a file, a template, a talk page… A pure table, used by `wiki`'s titles and
//! by the markup layer alike, so `[[Image:X.jpg]]` and `[[Kategorie:Y]]` mean the same
//! everywhere.
//!
//! A prefix is matched ignoring case, with `_` and runs of spaces as one space
//! (`image:x.jpg`, `USER__talk:Ada`); localised names of File and Category (`Datei:`,
//! `Kategorie:`, `Catégorie:`…) are aliases of the canonical English ones.

use serde::Serialize;

/// A namespace. `Main` (articles) has no prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Namespace {
    /// Articles (0).
    Main,
    /// `Talk:` (1), the talk pages of articles.
    Talk,
    /// `User:` (2).
    User,
    /// `User talk:` (3).
    UserTalk,
    /// `File:` (6), also `Image:` and localised names.
    File,
    /// `File talk:` (7).
    FileTalk,
    /// `Template:` (10).
    Template,
    /// `Template talk:` (11).
    TemplateTalk,
    /// `Category:` (14), also localised names.
    Category,
    /// `Category talk:` (15).
    CategoryTalk,
    /// `Source:` (100): the documents biographies cite (ours, numbered like an extension's).
    Source,
    /// `Source talk:` (101).
    SourceTalk,
}

impl Namespace {
    /// Every namespace, in number order.
    pub const ALL: [Self; 12] = [
        Self::Main,
        Self::Talk,
        Self::User,
        Self::UserTalk,
        Self::File,
        Self::FileTalk,
        Self::Template,
        Self::TemplateTalk,
        Self::Category,
        Self::CategoryTalk,
        Self::Source,
        Self::SourceTalk,
    ];

    /// MediaWiki's number for it.
    pub const fn number(self) -> i64 {
        match self {
            Self::Main => 0,
            Self::Talk => 1,
            Self::User => 2,
            Self::UserTalk => 3,
            Self::File => 6,
            Self::FileTalk => 7,
            Self::Template => 10,
            Self::TemplateTalk => 11,
            Self::Category => 14,
            Self::CategoryTalk => 15,
            Self::Source => 100,
            Self::SourceTalk => 101,
        }
    }

    /// The canonical prefix, without its colon (empty for `Main`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Main => "",
            Self::Talk => "Talk",
            Self::User => "User",
            Self::UserTalk => "User talk",
            Self::File => "File",
            Self::FileTalk => "File talk",
            Self::Template => "Template",
            Self::TemplateTalk => "Template talk",
            Self::Category => "Category",
            Self::CategoryTalk => "Category talk",
            Self::Source => "Source",
            Self::SourceTalk => "Source talk",
        }
    }

    /// Other prefixes that mean this namespace (MediaWiki's `Image:` and the names other
    /// language editions use for File and Category, as found in pages copied from them).
    pub const fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::File => &[
                "Image",
                "Datei",
                "Bild",
                "Fichier",
                "Lêer",
                "Beeld",
                "Imagen",
                "Archivo",
                "Immagine",
                "Bestand",
                "Afbeelding",
                "Ficheiro",
                "Arquivo",
                "Imagem",
                "Plik",
            ],
            Self::FileTalk => &["Image talk"],
            Self::Category => &[
                "Kategorie",
                "Catégorie",
                "Categoría",
                "Categoria",
                "Categorie",
                "Kategori",
                "Kategoria",
            ],
            _ => &[],
        }
    }

    /// The namespace with MediaWiki's `number`.
    pub fn from_number(number: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|ns| ns.number() == number)
    }

    /// The namespace a prefix (the text before a title's colon) names, ignoring case, `_` and
    /// extra spaces; `None` for anything else (the title is then in `Main`, colon and all).
    pub fn from_prefix(prefix: &str) -> Option<Self> {
        let prefix = prefix.trim_matches(|c: char| c == ' ' || c == '_');
        // No name is longer than this, so most colons in article titles are settled here.
        if prefix.is_empty() || prefix.len() > 32 {
            return None;
        }
        let wanted: String = prefix
            .split(['_', ' '])
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        Self::ALL.into_iter().skip(1).find(|ns| {
            std::iter::once(ns.name())
                .chain(ns.aliases().iter().copied())
                .any(|name| name.chars().flat_map(char::to_lowercase).eq(wanted.chars()))
        })
    }

    /// Whether this is a talk namespace.
    pub const fn is_talk(self) -> bool {
        self.number() % 2 == 1
    }

    /// The talk namespace of this one (itself for a talk namespace). As in MediaWiki, a talk
    /// namespace's number is its subject's plus one.
    pub fn talk(self) -> Self {
        Self::from_number(self.number() | 1).unwrap_or(self)
    }

    /// The subject namespace of this one (itself for a subject namespace).
    pub fn subject(self) -> Self {
        Self::from_number(self.number() & !1).unwrap_or(self)
    }
}

/// The namespace of `title` and the rest of it (spaces around the colon trimmed), when the text
/// before its first colon names one and something follows the colon. `Category:` alone is an
/// ordinary title, as it is today.
pub fn split(title: &str) -> Option<(Namespace, &str)> {
    let (prefix, rest) = title.split_once(':')?;
    let rest = rest.trim_start_matches([' ', '_']);
    if rest.is_empty() {
        return None;
    }
    Some((Namespace::from_prefix(prefix)?, rest))
}

/// `title` written the canonical way when it names a namespace: the canonical prefix, a colon,
/// and the rest with its first letter upper case (`image : x.jpg` is `File:X.jpg`). `None`
/// when it names none. Titles (`wiki`) and link targets (`render`) are both written so.
pub fn canonical(title: &str) -> Option<String> {
    let (namespace, rest) = split(title)?;
    Some(format!("{}:{}", namespace.name(), upper_first(rest)))
}

/// `text` with its first letter upper case, as MediaWiki writes titles.
pub fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ignore_case_spaces_and_underscores() {
        let cases = [
            ("image", Some(Namespace::File)),
            ("FILE", Some(Namespace::File)),
            ("user_talk ", Some(Namespace::UserTalk)),
            ("User  Talk", Some(Namespace::UserTalk)),
            ("KATEGORIE", Some(Namespace::Category)),
            ("catégorie", Some(Namespace::Category)),
            ("CATÉGORIE", Some(Namespace::Category)),
            ("lêer", Some(Namespace::File)),
            ("Sources", None),
            ("", None),
            ("Main", None),
        ];
        for (prefix, namespace) in cases {
            assert_eq!(Namespace::from_prefix(prefix), namespace, "{prefix:?}");
        }
    }

    #[test]
    fn split_needs_a_name_before_and_something_after_the_colon() {
        assert_eq!(split("image: x.jpg"), Some((Namespace::File, "x.jpg")));
        assert_eq!(
            split("Talk:Ada: a life"),
            Some((Namespace::Talk, "Ada: a life"))
        );
        assert_eq!(split("Category:"), None);
        assert_eq!(split("Star Wars: A New Hope"), None);
        assert_eq!(split("Ada"), None);
        assert_eq!(canonical("image : x.jpg").as_deref(), Some("File:X.jpg"));
        assert_eq!(canonical("Star Wars: x"), None);
    }

    #[test]
    fn numbers_names_and_talk_pairs_are_mediawikis() {
        for ns in Namespace::ALL {
            assert_eq!(Namespace::from_number(ns.number()), Some(ns));
            assert_eq!(ns.talk().subject(), ns.subject());
            assert_eq!(ns.is_talk(), ns.talk() == ns);
            if ns != Namespace::Main {
                assert_eq!(Namespace::from_prefix(ns.name()), Some(ns));
            }
            for alias in ns.aliases() {
                assert_eq!(Namespace::from_prefix(alias), Some(ns), "{alias}");
            }
        }
        assert_eq!(Namespace::File.number(), 6);
        assert_eq!(Namespace::Category.talk(), Namespace::CategoryTalk);
        assert_eq!(Namespace::SourceTalk.subject(), Namespace::Source);
        assert_eq!(Namespace::Main.talk(), Namespace::Talk);
        assert_eq!(Namespace::Source.number(), 100);
    }
}
