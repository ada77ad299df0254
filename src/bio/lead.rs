//! Facts from the text of a biography: its lead sentence (`Name (born February 1944) is a
//! British political activist`, `(10 December 1815 – 27 November 1852)`, `(c. 1820 – 1881)`,
//! `(born 1950 or 1951)`, `née`) and the sentences that say where and when the person was
//! born or died (`was born in Andover in 1944`, `died at Leeds on 3 May 1990`).

use super::dates::FactDate;
use super::origin::TextOrigin;
use super::prose::Sentence;
use super::when;

/// What a fact read from the text is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextFactKind {
    /// The birth date.
    BirthDate,
    /// The death date.
    DeathDate,
    /// The birth place.
    BirthPlace,
    /// The death place.
    DeathPlace,
    /// The name at birth (`née Smith`).
    BirthName,
    /// A nationality.
    Nationality,
    /// An occupation.
    Occupation,
}

/// A fact read from a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFact {
    /// What it is about.
    pub kind: TextFactKind,
    /// The text (a place, a name, an occupation, or the date's text).
    pub value: String,
    /// The date, for dates.
    pub date: Option<FactDate>,
    /// The sentence it was read from.
    pub origin: TextOrigin,
}

/// What the lead sentence says about the page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadReading {
    /// The facts it gives.
    pub facts: Vec<TextFact>,
    /// It reads as a biography: a birth or death date, or `is/was a … <occupation>`.
    pub biography: bool,
    /// It says the subject is a thing (`is a British company`, `was a steamship`).
    pub thing: bool,
}

/// The longest fact value kept, in characters.
const MAX_VALUE_CHARS: usize = 120;

/// Head nouns that name what a person does (with words ending in `-ist` and `-ian`).
const OCCUPATIONS: &[&str] = &[
    "activist",
    "politician",
    "writer",
    "author",
    "poet",
    "novelist",
    "mathematician",
    "scientist",
    "engineer",
    "actor",
    "actress",
    "singer",
    "musician",
    "composer",
    "painter",
    "artist",
    "philosopher",
    "lawyer",
    "judge",
    "journalist",
    "historian",
    "economist",
    "footballer",
    "player",
    "athlete",
    "cricketer",
    "officer",
    "soldier",
    "general",
    "priest",
    "bishop",
    "rabbi",
    "imam",
    "teacher",
    "academic",
    "professor",
    "businessman",
    "businesswoman",
    "entrepreneur",
    "architect",
    "diplomat",
    "monarch",
    "king",
    "queen",
    "emperor",
    "empress",
    "explorer",
    "inventor",
    "physician",
    "doctor",
    "nurse",
    "surgeon",
    "unionist",
    "campaigner",
    "broadcaster",
    "presenter",
    "director",
    "producer",
    "designer",
    "photographer",
    "dancer",
    "comedian",
    "critic",
    "editor",
    "publisher",
    "theologian",
    "statesman",
    "stateswoman",
    "revolutionary",
    "chef",
    "astronaut",
    "pilot",
    "sculptor",
    "astronomer",
    "translator",
    "lyricist",
    "rapper",
    "model",
    "scholar",
    "researcher",
    "saint",
    "nun",
    "monk",
    "prince",
    "princess",
    "duke",
    "duchess",
    "countess",
    "earl",
    "socialite",
    "administrator",
    "banker",
    "merchant",
    "industrialist",
    "farmer",
    "minister",
    "leader",
    "organiser",
    "organizer",
    "official",
    "servant",
    "worker",
    "reformer",
    "lord",
    "lady",
    "chemist",
    "physicist",
    "biologist",
    "spy",
    "philanthropist",
    "missionary",
    "sportsman",
    "sportswoman",
    "boxer",
    "wrestler",
    "cyclist",
    "swimmer",
    "coach",
    "manager",
    "explorer",
    "navigator",
    "sailor",
    "admiral",
    "commander",
    "mayor",
    "senator",
    "governor",
    "president",
    "councillor",
    "trader",
    "screenwriter",
    "playwright",
    "filmmaker",
    "songwriter",
    "guitarist",
    "pianist",
    "violinist",
    "conductor",
    "illustrator",
    "cartoonist",
    "essayist",
    "critic",
    "blogger",
    "commentator",
    "columnist",
    "barrister",
    "solicitor",
    "clergyman",
    "preacher",
    "chairman",
    "chairwoman",
    "secretary",
    "member",
];

/// Head nouns that name a thing, not a person.
const THINGS: &[&str] = &[
    "company",
    "corporation",
    "business",
    "firm",
    "band",
    "group",
    "ship",
    "steamship",
    "vessel",
    "town",
    "city",
    "village",
    "county",
    "country",
    "river",
    "mountain",
    "list",
    "organisation",
    "organization",
    "party",
    "club",
    "team",
    "album",
    "song",
    "film",
    "book",
    "novel",
    "newspaper",
    "magazine",
    "school",
    "university",
    "college",
    "building",
    "church",
    "station",
    "airport",
    "bridge",
    "railway",
    "road",
    "street",
    "island",
    "lake",
    "region",
    "district",
    "parish",
    "municipality",
    "brand",
    "game",
    "series",
    "programme",
    "program",
    "event",
    "festival",
    "war",
    "battle",
    "treaty",
    "act",
    "species",
    "genus",
    "family",
    "charity",
    "foundation",
    "institute",
    "agency",
    "website",
    "software",
    "language",
];

/// Words dropped before a nationality (`a former British politician`).
const ADJECTIVES: &[&str] = &[
    "former",
    "retired",
    "leading",
    "prominent",
    "notable",
    "renowned",
    "famous",
    "noted",
    "well-known",
    "celebrated",
    "influential",
];

fn fact(kind: TextFactKind, value: &str, sentence: &Sentence) -> TextFact {
    TextFact {
        kind,
        value: value.trim().chars().take(MAX_VALUE_CHARS).collect(),
        date: None,
        origin: TextOrigin::of(sentence),
    }
}

fn date_fact(kind: TextFactKind, date: FactDate, sentence: &Sentence) -> TextFact {
    TextFact {
        kind,
        value: date.text.clone(),
        date: Some(date),
        origin: TextOrigin::of(sentence),
    }
}

/// Reads the first sentence of the lead.
pub fn lead(sentence: &Sentence) -> LeadReading {
    let text = sentence.text.as_str();
    let mut reading = LeadReading::default();
    let verb = find_verb(text);
    let open = text.find('(').filter(|&o| verb.is_none_or(|(v, _)| o < v));
    if let Some(open) = open {
        let close = matching(text, open).unwrap_or(text.len());
        let inside = &text[open + 1..close];
        for part in inside.split(';') {
            read_part(part.trim(), sentence, &mut reading.facts);
        }
    }
    if let Some((_, after)) = verb {
        describe(&text[after..], sentence, &mut reading);
    }
    reading.biography |= reading
        .facts
        .iter()
        .any(|f| matches!(f.kind, TextFactKind::BirthDate | TextFactKind::DeathDate));
    if reading.thing {
        reading.biography = false;
    }
    reading
}

/// The first ` is ` / ` was ` (and where what follows it starts).
fn find_verb(text: &str) -> Option<(usize, usize)> {
    [" is ", " was ", " were ", " are "]
        .iter()
        .filter_map(|v| text.find(v).map(|at| (at, at + v.len())))
        .min()
}

/// The `)` that closes the `(` at `open`.
fn matching(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && (rest.is_empty() || rest.starts_with([' ', ':', '.'])))
        .then(|| rest.trim_start_matches([':', '.']).trim_start())
}

/// A date from the start of `text` (`12 May 1950 in Leeds`, `1950 or 1951`, `c. 1820`).
fn date_in(text: &str) -> Option<FactDate> {
    let text = text.trim().trim_end_matches([',', '.']);
    let head = text.split(" in ").next().unwrap_or(text);
    let head = head.split(',').next().unwrap_or(head);
    let whole = FactDate::parse(head);
    if whole.reading.is_some() {
        return Some(whole);
    }
    when::mentions(text).into_iter().next().map(|m| m.date)
}

/// One `;`-separated part of the lead's parentheses.
fn read_part(part: &str, sentence: &Sentence, facts: &mut Vec<TextFact>) {
    if let Some(name) = strip_word(part, "née").or_else(|| strip_word(part, "nee")) {
        facts.push(fact(TextFactKind::BirthName, name, sentence));
        return;
    }
    if let Some(rest) = strip_word(part, "born").or_else(|| strip_word(part, "b")) {
        match date_in(rest) {
            Some(date) => {
                if let Some((_, place)) = rest.split_once(" in ") {
                    push_place(TextFactKind::BirthPlace, place, sentence, facts);
                }
                facts.push(date_fact(TextFactKind::BirthDate, date, sentence));
            }
            None if starts_upper(rest) => {
                facts.push(fact(TextFactKind::BirthName, rest, sentence));
            }
            None => {}
        }
        return;
    }
    if let Some(rest) = strip_word(part, "died").or_else(|| strip_word(part, "d")) {
        if let Some(date) = date_in(rest) {
            facts.push(date_fact(TextFactKind::DeathDate, date, sentence));
        }
        return;
    }
    let dash = ['–', '—']
        .iter()
        .find_map(|d| part.split_once(*d))
        .or_else(|| part.split_once(" - "));
    if let Some((born, died)) = dash {
        let born = strip_word(born.trim(), "born").unwrap_or(born);
        let died = strip_word(died.trim(), "died").unwrap_or(died);
        if let Some(date) = date_in(born) {
            facts.push(date_fact(TextFactKind::BirthDate, date, sentence));
        }
        if let Some(date) = date_in(died) {
            facts.push(date_fact(TextFactKind::DeathDate, date, sentence));
        }
    }
}

fn starts_upper(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_uppercase)
}

/// The words of a place name: capitalised words, with `upon`, `on`, `de`… and commas inside.
fn place_words(text: &str) -> Option<String> {
    let mut kept: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let bare = word.trim_end_matches([',', '.', ';', ')']);
        let joins = [
            "upon", "on", "de", "la", "le", "of", "du", "am", "an", "der",
        ];
        if starts_upper(bare) || (!kept.is_empty() && joins.contains(&bare)) {
            kept.push(word);
            if word.ends_with(['.', ';', ')']) {
                break;
            }
        } else {
            break;
        }
    }
    while kept
        .last()
        .is_some_and(|w| !starts_upper(w.trim_end_matches([',', '.'])))
    {
        kept.pop();
    }
    let place = kept.join(" ");
    let place = place.trim_end_matches([',', '.', ';', ')']);
    (!place.is_empty() && !place.chars().any(|c| c.is_ascii_digit())).then(|| place.to_owned())
}

fn push_place(kind: TextFactKind, text: &str, sentence: &Sentence, facts: &mut Vec<TextFact>) {
    if let Some(place) = place_words(text) {
        facts.push(fact(kind, &place, sentence));
    }
}

/// Where a description after `is a`/`was a` stops: a clause, a comma or a preposition (the
/// earliest of these), looked for in one pass.
static DESCRIPTION_STOPS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build([
                " who ",
                " which ",
                " that ",
                ",",
                ";",
                " best ",
                " known ",
                " from ",
                " born ",
                " whose ",
                " with ",
                " in ",
                " for ",
                " of ",
                " at ",
                " on ",
                " during ",
                " between ",
                " to ",
                " by ",
                " (",
                ".",
            ])
            .unwrap_or_else(|e| panic!("the description stops are fixed words: {e}"))
    });

/// `a British political activist who…`: nationality, occupations, and whether it is a thing.
fn describe(after: &str, sentence: &Sentence, reading: &mut LeadReading) {
    let mut phrase = after.trim_start();
    for article in ["a ", "an ", "the "] {
        if let Some(rest) = strip_word(phrase, article.trim()) {
            if phrase.len() > article.len() {
                phrase = rest;
                break;
            }
        }
    }
    let end = DESCRIPTION_STOPS
        .find(phrase)
        .map_or(phrase.len(), |m| m.start());
    let phrase = &phrase[..end];
    let mut words: Vec<&str> = phrase.split_whitespace().collect();
    while words
        .first()
        .is_some_and(|w| ADJECTIVES.contains(&w.to_lowercase().as_str()))
    {
        words.remove(0);
    }
    let nationality: Vec<&str> = words
        .iter()
        .take_while(|w| starts_upper(w) && !w.eq_ignore_ascii_case("and"))
        .copied()
        .collect();
    let rest = &words[nationality.len()..];
    let rest = rest.join(" ");
    let items: Vec<&str> = rest
        .split(" and ")
        .flat_map(|s| s.split(" or "))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let head = |item: &str| item.rsplit(' ').next().unwrap_or(item).to_lowercase();
    let is_occupation = |item: &str| {
        let h = head(item);
        OCCUPATIONS.contains(&h.as_str())
            || OCCUPATIONS.contains(&h.trim_end_matches('s'))
            || (h.len() > 4 && (h.ends_with("ist") || h.ends_with("ian")))
    };
    if !items.iter().any(|i| is_occupation(i)) {
        reading.thing = items.iter().any(|i| {
            i.split_whitespace()
                .any(|w| THINGS.contains(&w.to_lowercase().as_str()))
        });
        return;
    }
    reading.biography = true;
    if !nationality.is_empty() {
        let n = nationality.join(" ");
        reading
            .facts
            .push(fact(TextFactKind::Nationality, &n, sentence));
    }
    for item in items.into_iter().filter(|i| is_occupation(i)) {
        reading
            .facts
            .push(fact(TextFactKind::Occupation, item, sentence));
    }
}

/// Births and deaths told in a sentence about the subject: `He was born in Andover in 1944`,
/// `She was born on 3 May 1950 in Leeds`, `He died at Leeds on 3 May 1990`. The sentence must
/// start with a pronoun or a word of the page's title (a sentence about someone else's birth
/// is not about the subject's).
pub fn born_or_died(sentence: &Sentence, title: &str) -> Vec<TextFact> {
    let text = sentence.text.as_str();
    let mut facts = Vec::new();
    let first = text.split_whitespace().next().unwrap_or("");
    let first = first.trim_end_matches(',');
    let first = first
        .strip_suffix("'s")
        .or_else(|| first.strip_suffix("’s"))
        .unwrap_or(first);
    let about_subject = ["He", "She", "They"].contains(&first)
        || (first.len() > 2 && title.split_whitespace().any(|w| w == first));
    if !about_subject {
        return facts;
    }
    for (verbs, date_kind, place_kind) in [
        (
            &[" was born ", " were born "][..],
            TextFactKind::BirthDate,
            TextFactKind::BirthPlace,
        ),
        (
            &[" died "][..],
            TextFactKind::DeathDate,
            TextFactKind::DeathPlace,
        ),
    ] {
        let Some(at) = verbs
            .iter()
            .filter_map(|v| text.find(v).map(|a| a + v.len()))
            .min()
        else {
            continue;
        };
        let rest = &text[at..];
        let dates = when::mentions(rest);
        if let Some(place) = place_after(rest) {
            facts.push(fact(place_kind, &place, sentence));
        }
        if let Some(m) = dates.into_iter().find(|m| !m.deadline) {
            facts.push(date_fact(date_kind, m.date, sentence));
        }
    }
    facts
}

/// The place after `in`/`at` in what follows the verb, skipping a date (`on 3 May 1990 in
/// Leeds`).
fn place_after(rest: &str) -> Option<String> {
    let mut from = 0;
    // A few tries: the place is near the verb, and a long sentence must not cost more.
    for _ in 0..4 {
        let tail = rest.get(from..)?;
        let padded_find = |word: &str| {
            if tail.starts_with(word.trim_start()) {
                return Some(word.len() - 1);
            }
            tail.find(word).map(|a| a + word.len())
        };
        let found = [" in ", " at "].into_iter().filter_map(padded_find).min()?;
        let candidate = tail.get(found..)?;
        // A place has no digit (`place_words`), so no date either.
        if let Some(place) =
            place_words(candidate).filter(|p| !super::dates::MONTHS.contains(&p.as_str()))
        {
            return Some(place);
        }
        from += found;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(text: &str) -> Sentence {
        Sentence {
            section: 0,
            span: (0, text.len()),
            text: text.to_owned(),
        }
    }

    fn facts(reading: &[TextFact]) -> Vec<(TextFactKind, String)> {
        reading.iter().map(|f| (f.kind, f.value.clone())).collect()
    }

    use TextFactKind::*;

    #[test]
    fn the_lead_forms() {
        let r = lead(&sentence(
            "Jo Bloggs (born February 1944) is a British political activist who was a member.",
        ));
        assert!(r.biography);
        assert_eq!(
            facts(&r.facts),
            [
                (BirthDate, "February 1944".into()),
                (Nationality, "British".into()),
                (Occupation, "political activist".into())
            ]
        );
        let r = lead(&sentence(
            "Ann Lee (10 December 1815 – 27 November 1852) was an English mathematician and writer.",
        ));
        assert_eq!(
            facts(&r.facts),
            [
                (BirthDate, "10 December 1815".into()),
                (DeathDate, "27 November 1852".into()),
                (Nationality, "English".into()),
                (Occupation, "mathematician".into()),
                (Occupation, "writer".into())
            ]
        );
        let r = lead(&sentence("Tom Hall (1815–1852) was a painter."));
        assert_eq!(
            facts(&r.facts)[..2],
            [(BirthDate, "1815".into()), (DeathDate, "1852".into())]
        );
        let r = lead(&sentence("Mary Roe (c. 1820 – 1881) was a Welsh poet."));
        assert!(
            r.facts[0]
                .date
                .as_ref()
                .unwrap()
                .reading
                .unwrap()
                .approximate
        );
        assert_eq!(r.facts[1].value, "1881");
        let r = lead(&sentence(
            "Sam Oak (born 1950 or 1951) is a Scottish footballer.",
        ));
        let born = r.facts[0].date.as_ref().unwrap().reading.unwrap();
        assert!(born.approximate && born.end.is_some());
        let r = lead(&sentence(
            "Edith Bell (née Stone; born 3 May 1950 in Leeds) is a former British diplomat.",
        ));
        assert_eq!(
            facts(&r.facts),
            [
                (BirthName, "Stone".into()),
                (BirthPlace, "Leeds".into()),
                (BirthDate, "3 May 1950".into()),
                (Nationality, "British".into()),
                (Occupation, "diplomat".into())
            ]
        );
    }

    #[test]
    fn things_are_not_people() {
        for text in [
            "Acme Ltd (1890–1990) was a British company that made anvils.",
            "The Howlers are a British rock band formed in 1970.",
            "SS Brisk was a steamship launched in 1911.",
            "Andover is a town in Hampshire.",
            "This is a list of rivers of Wales.",
        ] {
            let r = lead(&sentence(text));
            assert!(!r.biography, "{text}");
        }
        assert!(lead(&sentence("Kim Ash is an American novelist.")).biography);
        assert!(!lead(&sentence("Kim Ash is an American.")).biography);
    }

    #[test]
    fn births_and_deaths_in_sentences() {
        let s = sentence("Willsman was born in Andover in 1944.");
        assert_eq!(
            facts(&born_or_died(&s, "Peter Willsman")),
            [(BirthPlace, "Andover".into()), (BirthDate, "1944".into())]
        );
        let s = sentence("She was born on 3 May 1950 in Leeds, West Yorkshire.");
        assert_eq!(
            facts(&born_or_died(&s, "X")),
            [
                (BirthPlace, "Leeds, West Yorkshire".into()),
                (BirthDate, "3 May 1950".into())
            ]
        );
        let s = sentence("He died at Bath on 2 June 1901.");
        assert_eq!(
            facts(&born_or_died(&s, "X")),
            [
                (DeathPlace, "Bath".into()),
                (DeathDate, "2 June 1901".into())
            ]
        );
        let s = sentence("His son was born in Paris in 1980.");
        assert!(born_or_died(&s, "X").is_empty());
    }
}
