//! Mentions: which people a source document names. Every name of every person (page title,
//! display name, the redirects to the page, infobox aliases) goes into one Aho–Corasick
//! automaton, built once when people or their names change, and a text is scanned in one pass,
//! whatever the number of names. A match counts only on word boundaries and outside
//! boilerplate.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, BuildError, MatchKind};

use super::boilerplate::overlaps;

/// Names shorter than this (in characters) are not matched: too many false mentions.
pub const MIN_NAME_CHARS: usize = 3;

/// The infobox fields whose values are other names of the person.
pub const ALIAS_FIELDS: [&str; 4] = ["alias", "other_names", "nickname", "birth_name"];

/// One name of one person: `person` is the caller's key (a page id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The person the name belongs to.
    pub person: i64,
    /// The name as written (`Pete Willsman`).
    pub name: String,
}

/// One place a person is named in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The person.
    pub person: i64,
    /// Which of the person's names matched (the index into the names given to
    /// [`Matcher::new`]).
    pub name: usize,
    /// The byte span in the text.
    pub span: Range<usize>,
}

/// The automaton over every name: build it once, scan many texts.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: Option<AhoCorasick>,
    names: Vec<Name>,
    /// For each pattern, the index of its name in `names`.
    pattern_name: Vec<usize>,
}

impl Matcher {
    /// The automaton for `names`. Names are matched ignoring ASCII case; names shorter than
    /// [`MIN_NAME_CHARS`] and repeats are left out.
    pub fn new(names: Vec<Name>) -> Result<Self, BuildError> {
        let mut patterns = Vec::new();
        let mut pattern_name = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (i, name) in names.iter().enumerate() {
            let trimmed = name.name.trim();
            if trimmed.chars().count() < MIN_NAME_CHARS
                || !seen.insert((name.person, trimmed.to_ascii_lowercase()))
            {
                continue;
            }
            patterns.push(trimmed.to_owned());
            pattern_name.push(i);
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&patterns)?,
            )
        };
        Ok(Self {
            automaton,
            names,
            pattern_name,
        })
    }

    /// The names the automaton was built from.
    pub fn names(&self) -> &[Name] {
        &self.names
    }

    /// Every mention in `text` on word boundaries, outside the `skip` spans (sorted, not
    /// overlapping: the boilerplate), in order. The longest name wins where names overlap
    /// (`Peter Willsman` over `Peter`). One pass over the text.
    pub fn mentions(&self, text: &str, skip: &[Range<usize>]) -> Vec<Mention> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        automaton
            .find_iter(text)
            .filter(|m| on_word_boundaries(text, m.start(), m.end()) && !overlaps(skip, &m.range()))
            .map(|m| {
                let name = self.pattern_name[m.pattern().as_usize()];
                Mention {
                    person: self.names[name].person,
                    name,
                    span: m.range(),
                }
            })
            .collect()
    }

    /// The people named in `text` (outside `skip`), each once, with how many times.
    pub fn people(&self, text: &str, skip: &[Range<usize>]) -> Vec<(i64, usize)> {
        let mut counts: Vec<(i64, usize)> = Vec::new();
        for mention in self.mentions(text, skip) {
            match counts.iter_mut().find(|(p, _)| *p == mention.person) {
                Some((_, n)) => *n += 1,
                None => counts.push((mention.person, 1)),
            }
        }
        counts
    }
}

fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The other names in an infobox value of one of the [`ALIAS_FIELDS`]: split on commas,
/// semicolons, `or`, `and` and line breaks, quotes stripped.
pub fn split_aliases(value: &str) -> Vec<String> {
    value
        .split([',', ';', '\n'])
        .flat_map(|part| part.split(" or ").flat_map(|p| p.split(" and ")))
        .map(|name| {
            name.trim()
                .trim_matches(['"', '\'', '“', '”', '‘', '’'])
                .trim()
        })
        .filter(|name| name.chars().count() >= MIN_NAME_CHARS)
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matcher(names: &[(i64, &str)]) -> Matcher {
        Matcher::new(
            names
                .iter()
                .map(|(person, name)| Name {
                    person: *person,
                    name: (*name).to_owned(),
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn titles_redirects_and_aliases_all_name_the_person() {
        let m = matcher(&[
            (1, "Peter Willsman"),
            (1, "Pete Willsman"),
            (2, "Ada Lovelace"),
            (2, "Augusta Ada Byron"),
        ]);
        let text = "Labour suspends Pete Willsman. Augusta Ada Byron was not there.";
        assert_eq!(m.people(text, &[]), [(1, 1), (2, 1)]);
        let mentions = m.mentions(text, &[]);
        assert_eq!(&text[mentions[0].span.clone()], "Pete Willsman");
        assert_eq!(mentions[0].name, 1);
    }

    #[test]
    fn only_whole_words_count() {
        let m = matcher(&[(1, "Ada"), (2, "Ann")]);
        assert!(m.mentions("Adana and Annette; Canada.", &[]).is_empty());
        assert_eq!(m.people("ADA, and (Ann).", &[]), [(1, 1), (2, 1)]);
        assert_eq!(m.people("Adaé Ada", &[]), [(1, 1)]);
    }

    #[test]
    fn the_longest_name_wins_and_boilerplate_is_skipped() {
        let m = matcher(&[(1, "Peter Willsman"), (2, "Peter")]);
        assert_eq!(m.people("Peter Willsman spoke.", &[]), [(1, 1)]);
        let text = "Peter spoke. Peter Willsman donated.";
        assert_eq!(
            m.people(text, std::slice::from_ref(&(13..text.len()))),
            [(2, 1)]
        );
    }

    #[test]
    fn short_and_repeated_names_are_left_out() {
        let m = matcher(&[(1, "Al"), (1, "Ada"), (1, "ada")]);
        assert_eq!(m.people("Al met Ada.", &[]), [(1, 1)]);
        assert!(matcher(&[]).mentions("anything", &[]).is_empty());
    }

    #[test]
    fn alias_values_split_into_names() {
        assert_eq!(
            split_aliases("Red Pete; \"Willsy\" or P. W., Pete and Peter W."),
            ["Red Pete", "Willsy", "P. W.", "Pete", "Peter W."]
        );
        assert!(split_aliases(" , ;").is_empty());
    }
}
