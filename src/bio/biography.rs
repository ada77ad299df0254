//! A biography as its page tells it: the infobox's facts, the facts and dated events of its
//! text, whether the page is about a person at all, and the checks of one against the other.
//!
//! Infobox facts win; text facts fill the gaps; where the two disagree the disagreement is a
//! [`Check`] that is not consistent, never a silent choice.

use serde::Serialize;

use super::checks::{self, Check};
use super::dates::FactDate;
use super::lead::{self, TextFact, TextFactKind};
use super::origin::Origin;
use super::person::Person;
use super::prose;
use super::text_events::{self, TextEvent};
use super::timeline::{self, Event};
use super::values::FactValue;

/// A page about a person, read from its infobox and its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Biography {
    /// The person's facts, each with where it came from.
    pub person: Person,
    /// The timeline: the infobox's dated facts and the text's dated events, earliest first.
    pub events: Vec<Event>,
    /// What was compared (infobox with text, dates with each other) and whether it agrees.
    pub checks: Vec<Check>,
    /// Why the page counts as a person.
    pub because: Because,
}

/// Why a page is taken to be about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Because {
    /// A person's infobox.
    Infobox,
    /// Its lead sentence reads as a biography.
    Lead,
    /// `Category:<year> births`, `Category:<year> deaths` or `Category:Living people`.
    Category,
    /// `{{Persondata}}` or `{{Personendaten}}`.
    Persondata,
}

/// The most events read from the text of one page.
pub const MAX_TEXT_EVENTS: usize = 2_000;

/// Reads the biography of page `title` from its infobox's person (if any) and its `text`,
/// whose sections start at `starts`. `None` when the page is not about a person.
pub fn biography(
    infobox: Option<Person>,
    text: &str,
    starts: &[usize],
    title: &str,
) -> Option<Biography> {
    read(infobox, text, starts, title, true)
}

/// [`biography`] without its checks (`checks` empty): what is stored of a page (its person,
/// facts and timeline) needs none, and an import reads every page (issue 13: its cost).
pub fn biography_unchecked(
    infobox: Option<Person>,
    text: &str,
    starts: &[usize],
    title: &str,
) -> Option<Biography> {
    read(infobox, text, starts, title, false)
}

/// [`biography`], the checks made only when `checked`.
fn read(
    infobox: Option<Person>,
    text: &str,
    starts: &[usize],
    title: &str,
    checked: bool,
) -> Option<Biography> {
    // After the lead's first sentence (read whatever it says), only a sentence with a date (all
    // have digits) or a birth or death says anything read here.
    let mut sentences = prose::lead_sentences_where(text, starts, &may_say_something);
    let reading = sentences.first().map(lead::lead).unwrap_or_default();
    let because = classify(infobox.is_some(), &reading, text)?;
    sentences.extend(prose::body_sentences_where(
        text,
        starts,
        &may_say_something,
    ));
    let mut facts = reading.facts;
    for s in &sentences {
        facts.extend(lead::born_or_died(s, title));
    }
    // What is stored (unchecked) keeps no sentence; the page's own biography shows them.
    let keep = if checked {
        text_events::Sentences::Kept
    } else {
        text_events::Sentences::LeftOut
    };
    let mut found: Vec<TextEvent> = text_events::text_events(&sentences, MAX_TEXT_EVENTS, keep);
    // Births and deaths are facts of the person, not events of their own.
    found.retain(|e| !matches!(e.once, Some("born" | "died")));
    let mut person = infobox.unwrap_or_else(|| empty_person(title));
    let mut checks = merge(&mut person, &facts, checked);
    if checked {
        checks.extend(checks::same_events(&found));
    }
    let mut events = timeline::events(&person);
    events.extend(found.into_iter().map(|e| e.event));
    events.sort_by_cached_key(|e| e.interval().map(|(from, _)| from));
    if checked {
        checks.extend(checks::dates(&person, &events));
    }
    Some(Biography {
        person,
        events,
        checks,
        because,
    })
}

/// Whether a sentence after the lead may give an event or a birth or death fact: it has a
/// number that can be a date's year (every date has one) or says `born` or `died` (a place
/// without a date).
fn may_say_something(sentence: &str) -> bool {
    if super::when::may_have_a_date(sentence) {
        return true;
    }
    let bytes = sentence.as_bytes();
    // One pass for both words (a searcher built per sentence cost more than the search).
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(b'b', b'd', rest))
    {
        let word = &bytes[from + at..];
        if word.starts_with(b"born") || word.starts_with(b"died") {
            return true;
        }
        from += at + 1;
    }
    false
}

/// Why a page is about a person (`None`: it is not), as [`biography`] decides it: from whether
/// it has a person's infobox, its lead's first sentence, its categories and `{{Persondata}}`.
/// Only the lead is cut into sentences and no event is read, so a page view can ask it.
pub fn why_a_person(has_infobox: bool, text: &str, starts: &[usize]) -> Option<Because> {
    classify(has_infobox, &lead_reading(text, starts), text)
}

/// What the first sentence of the lead (the section at `starts[0]`, up to `starts[1]`) says.
fn lead_reading(text: &str, starts: &[usize]) -> lead::LeadReading {
    prose::lead_sentences(text, starts)
        .first()
        .map(lead::lead)
        .unwrap_or_default()
}

/// The rule: a person's infobox, else a lead that reads as a biography, else (unless the lead
/// says the page is about a thing) a person's category or `{{Persondata}}`.
fn classify(has_infobox: bool, reading: &lead::LeadReading, text: &str) -> Option<Because> {
    if has_infobox {
        Some(Because::Infobox)
    } else if reading.biography {
        Some(Because::Lead)
    } else if reading.thing {
        None
    } else if has_person_category(text) {
        Some(Because::Category)
    } else if has_persondata(text) {
        Some(Because::Persondata)
    } else {
        None
    }
}

impl Biography {
    /// Names the section of every text origin: `ids[i]` is the stable id of section `i`.
    pub fn name_sections(&mut self, ids: &[String]) {
        let name = |from: &mut Origin| {
            if let Origin::Text(t) = from {
                if let Some(id) = ids.get(t.section_index) {
                    t.section.clone_from(id);
                }
            }
        };
        let p = &mut self.person;
        for date in [&mut p.birth_date, &mut p.death_date].into_iter().flatten() {
            if let Some(from) = date.from.as_mut() {
                name(from);
            }
        }
        let singles = [&mut p.birth_place, &mut p.death_place, &mut p.birth_name];
        for value in singles.into_iter().flatten() {
            name(&mut value.from);
        }
        let lists = [
            &mut p.occupations,
            &mut p.organisations,
            &mut p.positions,
            &mut p.nationality,
            &mut p.known_for,
            &mut p.spouses,
        ];
        for value in lists.into_iter().flatten() {
            name(&mut value.from);
        }
        for event in &mut self.events {
            name(&mut event.from);
        }
        for check in &mut self.checks {
            for c in &mut check.compared {
                name(&mut c.from);
            }
        }
    }
}

fn empty_person(title: &str) -> Person {
    Person {
        name: title.to_owned(),
        infobox: String::new(),
        birth_date: None,
        birth_place: None,
        death_date: None,
        death_place: None,
        occupations: Vec::new(),
        organisations: Vec::new(),
        positions: Vec::new(),
        nationality: Vec::new(),
        known_for: Vec::new(),
        spouses: Vec::new(),
        birth_name: None,
        aliases: Vec::new(),
    }
}

fn text_value(fact: &TextFact) -> FactValue {
    FactValue {
        text: fact.value.clone(),
        link: None,
        field: None,
        start: None,
        end: None,
        from: Origin::Text(fact.origin.clone()),
    }
}

fn text_date(fact: &TextFact) -> Option<FactDate> {
    let date = fact.date.clone()?;
    Some(date.with_origin(Origin::Text(fact.origin.clone())))
}

/// Fills the person's gaps from the text's facts, and compares the rest (when `checked`).
fn merge(person: &mut Person, facts: &[TextFact], checked: bool) -> Vec<Check> {
    let mut found = Vec::new();
    let of = |kind: TextFactKind| facts.iter().filter(move |f| f.kind == kind);
    for (kind, slot) in [
        (TextFactKind::BirthDate, &mut person.birth_date),
        (TextFactKind::DeathDate, &mut person.death_date),
    ] {
        let dates: Vec<FactDate> = of(kind).filter_map(text_date).collect();
        match slot {
            Some(date) => {
                if date.from.is_none() {
                    date.from = Some(Origin::Infobox);
                }
            }
            None => {
                // The most precise date the text gives (the lead's, on a tie).
                let best = dates.iter().min_by_key(|d| {
                    d.reading
                        .map(|r| (r.end.is_some(), std::cmp::Reverse(r.start.precision())))
                });
                *slot = best.cloned();
            }
        }
        if let Some(chosen) = slot.as_ref().filter(|_| checked) {
            found.extend(checks::date_agreement(kind, chosen, &dates));
        }
    }
    for (kind, slot) in [
        (TextFactKind::BirthPlace, &mut person.birth_place),
        (TextFactKind::DeathPlace, &mut person.death_place),
    ] {
        let places: Vec<FactValue> = of(kind).map(text_value).collect();
        if slot.is_none() {
            *slot = places.first().cloned();
        }
        if let Some(chosen) = slot.as_ref().filter(|_| checked) {
            found.extend(checks::place_agreement(kind, chosen, &places));
        }
    }
    if person.birth_name.is_none() {
        person.birth_name = of(TextFactKind::BirthName).next().map(text_value);
    }
    for (kind, list) in [
        (TextFactKind::Nationality, &mut person.nationality),
        (TextFactKind::Occupation, &mut person.occupations),
    ] {
        if list.is_empty() {
            list.extend(of(kind).map(text_value));
        }
    }
    found
}

/// Whether the text is in `Category:<year> births`, `Category:<year> deaths` or
/// `Category:Living people` (one pass; any case, spaces or underscores).
pub fn has_person_category(text: &str) -> bool {
    categories(text).any(|category| {
        if category == "living people" {
            return true;
        }
        ["births", "deaths"].iter().any(|w| {
            category.strip_suffix(w).map(str::trim).is_some_and(|year| {
                !year.is_empty()
                    && year
                        .trim_end_matches('s')
                        .bytes()
                        .all(|b| b.is_ascii_digit())
            })
        })
    })
}

/// Whether the text is in `Category:Living people` (any case, spaces or underscores).
pub fn has_living_category(text: &str) -> bool {
    categories(text).any(|category| category == "living people")
}

/// The names of the categories `text` links to, lower case, underscores as spaces. One pass.
fn categories(text: &str) -> impl Iterator<Item = String> + '_ {
    let lower = |s: &str| s.trim().replace('_', " ").to_lowercase();
    text.match_indices("[[").filter_map(move |(at, _)| {
        // Only the first 80 bytes can name a category: searching the rest of the text for the
        // link's end at every `[[` was quadratic (a page of unclosed `[[`).
        let rest = &text[at + 2..];
        let mut window = rest.len().min(80);
        while !rest.is_char_boundary(window) {
            window -= 1;
        }
        let rest = &rest[..window];
        let name = &rest[..rest.find([']', '|', '\n']).unwrap_or(rest.len())];
        let name = lower(name);
        name.strip_prefix("category:")
            .map(|category| category.trim().to_owned())
    })
}

/// Whether the text calls `{{Persondata}}` or `{{Personendaten}}`.
pub fn has_persondata(text: &str) -> bool {
    text.match_indices("{{").any(|(at, _)| {
        let rest = text[at + 2..].trim_start();
        let head = rest.get(..rest.len().min(14)).unwrap_or("").to_lowercase();
        let head = head.replace('_', " ");
        head.starts_with("persondata") || head.starts_with("personendaten")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Option<Biography> {
        biography(None, text, &[0], "Jo Bloggs")
    }

    #[test]
    fn without_checks_the_rest_is_the_same() {
        let text = "Jo Bloggs (born 3 May 1950) is a writer.\n== Life ==\nJo Bloggs was born in \
                    1951 in Leeds. In 1940 she was expelled. She was expelled in 1960. In the \
                    1970s she wrote. She died in 1930.\n";
        let starts = [0, text.find("== Life").unwrap()];
        let checked = biography(None, text, &starts, "Jo Bloggs").unwrap();
        assert!(checked.checks.len() >= 3, "{:?}", checked.checks);
        assert!(checked.events.len() >= 3, "{:?}", checked.events);
        let unchecked = biography_unchecked(None, text, &starts, "Jo Bloggs").unwrap();
        assert!(unchecked.checks.is_empty());
        // The events keep their sections and spans, not their sentences (nothing stores them).
        let mut events = checked.events.clone();
        for e in &mut events {
            if let Origin::Text(t) = &mut e.from {
                if e.kind == timeline::EventKind::Event {
                    assert!(!t.sentence.is_empty());
                    t.sentence.clear();
                }
            }
        }
        assert_eq!(
            unchecked,
            Biography {
                checks: Vec::new(),
                events,
                ..checked
            }
        );
    }

    #[test]
    fn who_is_a_person() {
        assert_eq!(
            read("Jo Bloggs (born 1950) is a writer.").unwrap().because,
            Because::Lead
        );
        assert_eq!(
            read("Jo Bloggs wrote books.\n[[Category:1950 births]]")
                .unwrap()
                .because,
            Because::Category
        );
        assert_eq!(
            read("Jo wrote.\n[[Category:Living people|Bloggs]]")
                .unwrap()
                .because,
            Because::Category
        );
        assert_eq!(
            read("Jo wrote.\n{{Persondata\n| NAME = Bloggs, Jo\n}}")
                .unwrap()
                .because,
            Because::Persondata
        );
        assert_eq!(
            read("Jo schrieb.\n{{Personendaten|NAME=Bloggs}}")
                .unwrap()
                .because,
            Because::Persondata
        );
        for thing in [
            "Acme Ltd (1890–1990) was a British company. [[Category:1890 establishments]]",
            "The Howlers are a rock band from Leeds.",
            "SS Brisk was a steamship.",
            "Andover is a town in Hampshire.",
            "This is a list of poets.",
            "Plain text with a year 1999 in it.",
        ] {
            assert_eq!(read(thing), None, "{thing}");
        }
        assert!(!has_person_category("[[Category:1990s births in fiction]]"));
    }

    #[test]
    fn text_facts_fill_the_gaps_and_say_where_they_are() {
        let text = "Jo Bloggs (born February 1944) is a British political activist.\n== Life ==\nBloggs was born in Andover in 1944.\n";
        let life = text.find("== Life").unwrap();
        let b = biography(None, text, &[0, life], "Jo Bloggs").unwrap();
        let born = b.person.birth_date.as_ref().unwrap();
        assert_eq!(born.text, "February 1944");
        let Some(Origin::Text(t)) = &born.from else {
            panic!("from the text")
        };
        assert_eq!((t.section_index, t.span[0]), (0, 0));
        let place = b.person.birth_place.as_ref().unwrap();
        assert_eq!(place.text, "Andover");
        let Origin::Text(t) = &place.from else {
            panic!("from the text")
        };
        assert_eq!(
            &text[t.span[0]..t.span[1]],
            "Bloggs was born in Andover in 1944."
        );
        assert_eq!(b.person.nationality[0].text, "British");
        assert_eq!(b.person.occupations[0].text, "political activist");
        let birth = b.checks.iter().find(|c| c.about == "birth_date").unwrap();
        assert!(birth.consistent, "{birth:?}");
        assert_eq!(birth.compared.len(), 2);
    }

    #[test]
    fn the_infobox_wins_and_a_disagreement_is_shown() {
        let doc = crate::markup::parse(
            "{{Infobox person\n| birth_date = 1950\n| birth_place = Leeds\n}}",
        );
        let infobox = super::super::person::person(&doc, "Jo Bloggs");
        let text = "{{Infobox person\n| birth_date = 1950\n| birth_place = Leeds\n}}\nJo Bloggs (born 3 May 1951) is a poet. She was born in York in 1951.";
        let b = biography(infobox, text, &[0], "Jo Bloggs").unwrap();
        assert_eq!(b.person.birth_date.as_ref().unwrap().text, "1950");
        assert_eq!(
            b.person.birth_date.as_ref().unwrap().from,
            Some(Origin::Infobox)
        );
        assert_eq!(b.person.birth_place.as_ref().unwrap().text, "Leeds");
        let bad: Vec<&str> = b
            .checks
            .iter()
            .filter(|c| !c.consistent)
            .map(|c| c.about.as_str())
            .collect();
        assert_eq!(bad, ["birth_date", "birth_place"]);
    }

    /// Every span names whole characters of the text, and nothing panics.
    fn spans_are_sound(text: &str) {
        let starts = [0, text.len() / 3, text.len() / 2];
        let starts: Vec<usize> = starts
            .into_iter()
            .filter(|&s| text.is_char_boundary(s))
            .collect();
        if let Some(b) = biography(None, text, &starts, "Jo Bloggs") {
            for e in &b.events {
                if let Origin::Text(t) = &e.from {
                    assert!(t.span[0] < t.span[1] && t.span[1] <= text.len());
                    assert!(text.is_char_boundary(t.span[0]) && text.is_char_boundary(t.span[1]));
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_without_panicking(
            text in "([ ().,;'\"“”–\\-\n\\[\\]{}|<>!=*#:a-zA-Zé0-9]|born |died |in |1944|May |the 1970s|between |until |late |c\\. |née |is a |writer|\\[\\[Category:1950 births\\]\\]|<ref>|</ref>|\\{\\{|\\}\\}|\\[\\[|\\]\\]|<!--){0,300}"
        ) {
            spans_are_sound(&text);
        }

        #[test]
        fn the_quick_answer_agrees_with_the_whole_reading(
            text in r"([ ().,;\n\[\]{}|=a-z0-9]|== S ==\n|Jo |born |died |1944|is a |was a |writer|company|\[\[Category:1950 births\]\]|\{\{Persondata\}\}|\{\{|\[\[){0,60}",
            infobox in proptest::bool::ANY,
        ) {
            let starts: Vec<usize> = crate::markup::outline(&text)
                .sections
                .iter()
                .map(|s| s.byte_start)
                .collect();
            let whole = biography(infobox.then(|| empty_person("Jo")), &text, &starts, "Jo");
            proptest::prop_assert_eq!(
                why_a_person(infobox, &text, &starts),
                whole.map(|b| b.because)
            );
        }
    }

    #[test]
    fn huge_hostile_texts_stay_linear() {
        // A million date-like tokens, 100,000 quotation marks, a 2 MB sentence.
        let dates =
            "Jo Bloggs (born 1944) is a writer. ".to_owned() + &"in 1999, ".repeat(1_000_000);
        let b = read(&dates).unwrap();
        assert!(b.events.len() <= MAX_TEXT_EVENTS + 2);
        spans_are_sound(&"\"“a ".repeat(100_000));
        let sentence =
            "Jo Bloggs (born 1944) is a writer and ".to_owned() + &"word ".repeat(400_000) + ".";
        assert!(read(&sentence).is_some());
        spans_are_sound(&"(".repeat(2_000_000));
        spans_are_sound(&"[[a|".repeat(200_000));
    }
}
