//! Evidence about a living person: whether a biography's subject is alive (the citation check
//! of a living person is stricter), and which claims rest only on weak sources (an opinion, a
//! blog, a self-published document).

use super::biography::has_living_category;
use super::person::Person;

/// A person born more than this many years ago, with no death date, is not taken to be alive
/// (the people list's `alive` filter uses the same bound).
pub const MAX_AGE: i64 = 125;

/// Whether the page about `person` (its latest `text`) is a biography of a living person: it is
/// in `Category:Living people`, or it gives a birth less than [`MAX_AGE`] years before
/// `this_year` and no death.
pub fn is_living(text: &str, person: Option<&Person>, this_year: i64) -> bool {
    let Some(person) = person else {
        return false;
    };
    if has_living_category(text) {
        return true;
    }
    if person.death_date.is_some() {
        return false;
    }
    person
        .birth_date
        .as_ref()
        .and_then(|d| d.years())
        .is_some_and(|(born, _)| (this_year as f64) - born <= MAX_AGE as f64)
}

/// How a citation supports its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    /// A stored source of a weak kind (opinion, blog, self-published).
    Weak,
    /// Anything else: a stored source of another kind (or none given), a source not stored.
    Other,
}

/// The sentences (by byte span, in order of first citation) whose citations are all weak:
/// `cited` is each citation's sentence span and support, in order of the text.
pub fn weak_only(cited: &[((usize, usize), Support)]) -> Vec<(usize, usize)> {
    let mut sentences: Vec<((usize, usize), bool)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for (span, support) in cited {
        let weak = *support == Support::Weak;
        match index.get(span) {
            Some(&i) => {
                let entry: &mut ((usize, usize), bool) = &mut sentences[i];
                entry.1 &= weak;
            }
            None => {
                index.insert(*span, sentences.len());
                sentences.push((*span, weak));
            }
        }
    }
    sentences
        .into_iter()
        .filter(|(_, weak)| *weak)
        .map(|(span, _)| span)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup;

    fn person(text: &str) -> Option<Person> {
        let doc = markup::parse(text);
        crate::bio::biography(
            crate::bio::person(&doc, "Jo Bloggs"),
            text,
            &[0],
            "Jo Bloggs",
        )
        .map(|b| b.person)
    }

    #[test]
    fn who_is_alive() {
        let born = "Jo Bloggs (born 4 May 1950) is a British cartographer.";
        assert!(is_living(born, person(born).as_ref(), 2026));
        let died = "Jo Bloggs (4 May 1950 – 1 June 2020) was a British cartographer.";
        assert!(!is_living(died, person(died).as_ref(), 2026));
        let old = "Jo Bloggs (born 1815) was a British cartographer.";
        assert!(!is_living(old, person(old).as_ref(), 2026), "too old");
        let category = "Jo Bloggs is a British cartographer.\n[[Category:Living_people]]";
        assert!(is_living(category, person(category).as_ref(), 2026));
        assert!(
            !is_living("[[Category:Living people]]", None, 2026),
            "no person"
        );
    }

    #[test]
    fn a_sentence_with_a_weak_and_another_source_is_not_weak_only() {
        let (a, b, c) = ((0, 5), (6, 9), (10, 12));
        let cited = [
            (a, Support::Weak),
            (b, Support::Weak),
            (b, Support::Other),
            (c, Support::Weak),
            (a, Support::Weak),
        ];
        assert_eq!(weak_only(&cited), [a, c]);
        assert!(weak_only(&[]).is_empty());
    }
}
