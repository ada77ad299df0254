//! Dated events from the sentences of an article: each date a sentence gives (not a deadline)
//! becomes an event labelled by the sentence, with the sentence as its origin.

use super::origin::{Origin, TextOrigin};
use super::prose::Sentence;
use super::timeline::{Event, EventKind};
use super::when::{self, Mention};

/// The longest label, in characters.
const MAX_LABEL_CHARS: usize = 100;

/// Verbs of things that happen once to a person: two dates for the same one are compared.
const ONCE: [&str; 8] = [
    "born",
    "died",
    "expelled",
    "executed",
    "buried",
    "retired",
    "emigrated",
    "knighted",
];

/// An event read from a sentence, with the once-only verb it is about, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextEvent {
    /// The event.
    pub event: Event,
    /// `expelled`, `born`…: the verb of a thing that happens once, nearest the date.
    pub once: Option<&'static str>,
}

/// Whether each event keeps a copy of its sentence in its origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sentences {
    /// Kept: what a page's own biography shows.
    Kept,
    /// Left out (the origin keeps the section and span only): what is stored, which does not
    /// keep the sentence (issue 13: an import reads every page's events).
    LeftOut,
}

/// The events of `sentences`, in text order, at most `limit`.
pub fn text_events(sentences: &[Sentence], limit: usize, keep: Sentences) -> Vec<TextEvent> {
    let mut found = Vec::new();
    for sentence in sentences {
        let mentions = when::mentions(&sentence.text);
        for m in mentions.iter().filter(|m| !m.deadline) {
            if found.len() >= limit {
                return found;
            }
            let origin = match keep {
                Sentences::Kept => TextOrigin::of(sentence),
                Sentences::LeftOut => TextOrigin::without_sentence(sentence),
            };
            found.push(TextEvent {
                event: Event {
                    kind: EventKind::Event,
                    label: label(&sentence.text, m),
                    date: m.date.clone(),
                    link: None,
                    qualifier: m.qualifier,
                    from: Origin::Text(origin),
                },
                once: once_verb(&sentence.text, m),
            });
        }
    }
    found
}

/// How far before and after a date its verb is looked for, in bytes.
const VERB_WINDOW: usize = 160;

/// The byte at or before `at` that starts a character.
fn boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The once-only verb nearest before the date in its sentence (within [`VERB_WINDOW`]), else
/// the first after it.
fn once_verb(text: &str, m: &Mention) -> Option<&'static str> {
    let from = boundary(text, m.span.0.saturating_sub(VERB_WINDOW));
    if let Some(last) = text
        .get(from..m.span.0)
        .and_then(|s| once_verbs_in(s).last())
    {
        return Some(last);
    }
    // A date that opens the sentence (`In late 2022, he was expelled`) is about its verb.
    if !opens(text, m) {
        return None;
    }
    let to = boundary(text, m.span.1.saturating_add(VERB_WINDOW));
    once_verbs_in(text.get(m.span.1..to)?).next()
}

/// The once-only verbs of `s`, in order: its words (split at every character that is not
/// alphabetic) that are one of [`ONCE`] in any case. A verb is ASCII, so only a run of ASCII
/// letters with no other letter touching it can be one: the text is read a byte at a time.
fn once_verbs_in(s: &str) -> impl Iterator<Item = &'static str> + '_ {
    let bytes = s.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_alphabetic() {
                i += 1;
                continue;
            }
            let start = i;
            while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
            }
            let Some(verb) = ONCE.iter().find(|v| v.eq_ignore_ascii_case(&s[start..i])) else {
                continue;
            };
            let letter_before = s[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
            let letter_after = s[i..].chars().next().is_some_and(char::is_alphabetic);
            if !letter_before && !letter_after {
                return Some(*verb);
            }
        }
        None
    })
}

/// Whether the date opens its sentence (`In July 2018, …`).
fn opens(text: &str, m: &Mention) -> bool {
    if m.span.0 > 16 {
        return false;
    }
    let head = text.get(..m.span.0).unwrap_or("").trim();
    [
        "", "In", "On", "During", "From", "By", "Since", "Later in", "Early in",
    ]
    .iter()
    .any(|w| head.eq_ignore_ascii_case(w))
}

/// The sentence without a leading date phrase (`In July 2018, `), cut to a short label.
fn label(text: &str, m: &Mention) -> String {
    let mut rest = text;
    if opens(text, m) {
        rest = text[m.span.1..].trim_start_matches([',', ' ']);
    }
    let mut chars = rest.chars();
    let mut label: String = chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default();
    let tail = chars.as_str();
    let cut = tail
        .char_indices()
        .nth(MAX_LABEL_CHARS)
        .map_or(tail.len(), |(at, _)| at);
    label.push_str(&tail[..cut]);
    if label.chars().count() > MAX_LABEL_CHARS {
        let cut = label
            .char_indices()
            .nth(MAX_LABEL_CHARS)
            .map_or(label.len(), |(i, _)| i);
        label.truncate(cut);
        if let Some(space) = label.rfind(' ') {
            label.truncate(space);
        }
        label.push('…');
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events_of(text: &str) -> Vec<(String, String, Option<&'static str>)> {
        let s = Sentence {
            section: 2,
            span: (10, 10 + text.len()),
            text: text.to_owned(),
        };
        text_events(&[s], 100, Sentences::Kept)
            .into_iter()
            .map(|e| (e.event.date.text, e.event.label, e.once))
            .collect()
    }

    #[test]
    fn verbs_are_the_words_splitting_would_find() {
        let by_split = |s: &str| -> Vec<&'static str> {
            s.split(|c: char| !c.is_alphabetic())
                .filter_map(|w| ONCE.iter().find(|v| v.eq_ignore_ascii_case(w)).copied())
                .collect()
        };
        for s in [
            "He was BORN, then died; buried",
            "éborn bornå born–died “expelled” Died1990 retiredx",
            "knighted",
            "",
            "東京born born東京 ΑΘborn, emigrated.",
        ] {
            assert_eq!(once_verbs_in(s).collect::<Vec<_>>(), by_split(s), "{s:?}");
        }
    }

    #[test]
    fn events_have_dates_labels_and_verbs() {
        assert_eq!(
            events_of("In late 2022, Willsman was expelled from the party."),
            [(
                "2022".into(),
                "Willsman was expelled from the party.".into(),
                Some("expelled")
            )]
        );
        let both = events_of("He was suspended in May 2019, and then expelled in November 2022.");
        assert_eq!(both[0].0, "May 2019");
        assert_eq!(both[0].2, None);
        assert_eq!(both[1].2, Some("expelled"));
        assert!(events_of("The plan was to finish by 1977.").is_empty());
        let long = format!("In 1990, {}.", "word ".repeat(100));
        assert!(events_of(&long)[0].1.ends_with('…'));
    }
}
