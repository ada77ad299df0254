//! Whether a page is about a person, and the person's facts, from its `{{Infobox …}}`.
//!
//! Any infobox counts (`Infobox person`, `Infobox scientist`, `Infobox officeholder`…) when it
//! has at least one field only a person has (a birth or death date or place, an occupation…).
//! Field names are compared ignoring case, with `_` and spaces alike.

use serde::Serialize;

use super::args::{has_content, key, positional};
use super::dates::{self, FactDate};
use super::values::{self, FactValue, Split};
use crate::doc::{Block, Document, Inline, Param, Template, plain_text};

/// How many blocks of the page are searched for the infobox.
const MAX_BLOCKS_SEARCHED: usize = 200;
/// How many numbered offices (`office`, `office2`…) are read.
const MAX_OFFICES: usize = 20;

/// Fields that make an infobox a person's.
const PERSON_FIELDS: [&str; 12] = [
    "birth date",
    "death date",
    "birth place",
    "death place",
    "born",
    "died",
    "birth name",
    "occupation",
    "nationality",
    "spouse",
    "alma mater",
    "known for",
];

/// Fields that name organisations a person belonged to.
const ORGANISATION_FIELDS: [&str; 14] = [
    "employer",
    "employers",
    "organisation",
    "organization",
    "organisations",
    "organizations",
    "institution",
    "institutions",
    "party",
    "political party",
    "workplaces",
    "alma mater",
    "affiliations",
    "memberships",
];

/// A person's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The name (`name`, else the page title).
    pub name: String,
    /// The kind of infobox, such as `person` or `scientist`.
    pub infobox: String,
    /// When they were born.
    pub birth_date: Option<FactDate>,
    /// Where they were born.
    pub birth_place: Option<FactValue>,
    /// When they died.
    pub death_date: Option<FactDate>,
    /// Where they died.
    pub death_place: Option<FactValue>,
    /// What they did.
    pub occupations: Vec<FactValue>,
    /// Employers, organisations, institutions, parties, schools, each with its field and dates.
    pub organisations: Vec<FactValue>,
    /// Offices held, with their terms.
    pub positions: Vec<FactValue>,
    /// Nationality or citizenship.
    pub nationality: Vec<FactValue>,
    /// What they are known for.
    pub known_for: Vec<FactValue>,
    /// Spouses, with the marriage's dates.
    pub spouses: Vec<FactValue>,
    /// The name at birth (`née Smith` in the lead), when the text gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_name: Option<FactValue>,
    /// Other names from the infobox (`alias`, `other_names`, `nickname`, `birth_name`), each
    /// once, at most [`MAX_ALIASES`]: the mentions automaton matches them too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// The most other names kept of one person.
pub const MAX_ALIASES: usize = 20;

/// The other names in the infobox's alias fields ([`super::mentions::ALIAS_FIELDS`]).
fn aliases(fields: &Fields<'_>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for field in super::mentions::ALIAS_FIELDS {
        let wanted = normal(field);
        let Some(param) = fields.get(&[wanted.as_str()]) else {
            continue;
        };
        let Some(value) = values::single(&param.value) else {
            continue;
        };
        for name in super::mentions::split_aliases(&value.text) {
            if names.len() < MAX_ALIASES && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The infobox's named fields with content, by normalised name (lower case, spaces for `_`).
struct Fields<'t> {
    named: Vec<(String, &'t Param<'t>)>,
}

fn normal(name: &str) -> String {
    name.trim().replace('_', " ").to_lowercase()
}

impl<'t> Fields<'t> {
    fn new(template: &'t Template) -> Self {
        let named = template
            .params
            .iter()
            .filter(|p| has_content(&p.value))
            .filter_map(|p| Some((normal(p.name.as_deref()?), p)))
            .collect();
        Self { named }
    }

    fn get(&self, names: &[&str]) -> Option<&'t Param<'t>> {
        self.named
            .iter()
            .find(|(name, _)| names.contains(&name.as_str()))
            .map(|(_, p)| *p)
    }

    fn has_any(&self, names: &[&str]) -> bool {
        self.get(names).is_some()
    }
}

/// The person a page is about, if its infobox is a person's.
pub fn person(doc: &Document, title: &str) -> Option<Person> {
    let infobox = find_infobox(doc)?;
    let fields = Fields::new(infobox);
    if !fields.has_any(&PERSON_FIELDS) {
        return None;
    }
    let name = fields
        .get(&["name"])
        .and_then(|p| values::single(&p.value))
        .map_or_else(|| title.to_owned(), |v| v.text);
    let kind = key(infobox);
    let kind = kind
        .strip_prefix("infobox")
        .unwrap_or(&kind)
        .trim()
        .to_owned();
    let list = |names: &[&str]| {
        fields
            .get(names)
            .map(|p| values::items(&p.value, Split::Commas))
            .unwrap_or_default()
    };
    let place = |names: &[&str]| fields.get(names).and_then(|p| values::single(&p.value));
    let date = |names: &[&str]| {
        fields
            .get(names)
            .map(|p| date_of(&p.value).with_origin(super::origin::Origin::Infobox))
    };
    Some(Person {
        name,
        infobox: kind,
        birth_date: date(&["birth date", "born"]),
        birth_place: place(&["birth place"]),
        death_date: date(&["death date", "died"]),
        death_place: place(&["death place"]),
        occupations: list(&["occupation", "occupations", "profession"]),
        organisations: organisations(&fields),
        positions: positions(&fields),
        nationality: list(&["nationality", "citizenship"]),
        known_for: list(&["known for"]),
        spouses: spouses(fields.get(&["spouse", "spouses", "partner"])),
        birth_name: None,
        aliases: aliases(&fields),
    })
}

/// The first infobox of the page: a block of its own, or a template in a paragraph.
fn find_infobox<'d>(doc: &'d Document<'d>) -> Option<&'d Template<'d>> {
    let blocks = doc.sections.iter().flat_map(|s| s.blocks.iter());
    for block in blocks.take(MAX_BLOCKS_SEARCHED) {
        let found = match block {
            Block::Template(t) => Some(t).filter(|t| is_infobox(t)),
            Block::Paragraph { content } => content.iter().find_map(|i| match i {
                Inline::Template(t) if is_infobox(t) => Some(t),
                _ => None,
            }),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Whether the page has an infobox (of any kind).
pub fn has_infobox(doc: &Document) -> bool {
    find_infobox(doc).is_some()
}

/// Whether the template is an infobox.
pub fn is_infobox(t: &Template) -> bool {
    key(t).starts_with("infobox")
}

/// A date value: the first date template in it, else its text.
fn date_of(value: &[Inline]) -> FactDate {
    let template = value.iter().find_map(|i| match i {
        Inline::Template(t) => dates::from_template(t),
        _ => None,
    });
    match template {
        Some(found) => found.date,
        None => FactDate::parse(&plain_text(value)),
    }
}

fn organisations(fields: &Fields<'_>) -> Vec<FactValue> {
    let mut found = Vec::new();
    for (name, param) in &fields.named {
        if !ORGANISATION_FIELDS.contains(&name.as_str()) {
            continue;
        }
        for mut item in values::items(&param.value, Split::Commas) {
            if found.len() >= values::MAX_ITEMS {
                return found;
            }
            item.field = Some(name.replace(' ', "_"));
            found.push(item);
        }
    }
    found
}

/// `office`/`term_start`/`term_end`, then `office2`/`term_start2`/`term_end2`… (and `office1`).
fn positions(fields: &Fields<'_>) -> Vec<FactValue> {
    let mut found = Vec::new();
    for n in 0..=MAX_OFFICES {
        let suffix = if n == 0 { String::new() } else { n.to_string() };
        let field = |base: &str| fields.get(&[format!("{base}{suffix}").as_str()]);
        let Some(office) = field("office").or_else(|| field("title").filter(|_| n > 0)) else {
            continue;
        };
        let Some(mut item) = values::single(&office.value) else {
            continue;
        };
        item.field = Some("office".to_owned());
        item.start = field("term start").map(|p| date_of(&p.value));
        item.end = field("term end").map(|p| date_of(&p.value));
        found.push(item);
    }
    found
}

/// Spouses: `{{marriage|Name|1835|1852}}` items with their dates, or plain names.
fn spouses(param: Option<&Param>) -> Vec<FactValue> {
    let Some(param) = param else {
        return Vec::new();
    };
    let marriages: Vec<&Template> = param
        .value
        .iter()
        .filter_map(|i| match i {
            Inline::Template(t) if matches!(key(t).as_str(), "marriage" | "married") => Some(t),
            _ => None,
        })
        .take(values::MAX_ITEMS)
        .collect();
    if marriages.is_empty() {
        return values::items(&param.value, Split::Commas);
    }
    marriages
        .into_iter()
        .filter_map(|t| {
            let params = positional(t);
            let mut item = values::single(&params.first()?.value)?;
            let year = |i: usize| {
                params
                    .get(i)
                    .map(|p| FactDate::parse(&plain_text(&p.value)))
                    .filter(|d| !d.text.is_empty())
            };
            item.start = year(1);
            item.end = year(2);
            Some(item)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup;

    fn person_of(text: &str) -> Option<Person> {
        person(&markup::parse(text), "The Title")
    }

    #[test]
    fn a_person_infobox_gives_typed_facts() {
        let p = person_of(
            "{{Infobox person
| name = Ada Lovelace
| birth_date = {{birth date|1815|12|10}}
| birth_place = [[London]], England
| death_date = {{death date and age|1852|11|27|1815|12|10}}
| death_place = [[Marylebone]], London
| occupation = Mathematician, writer
| nationality = British
| known_for = Notes on the [[Analytical Engine]]
| spouse = {{marriage|[[William King-Noel]]|1835|1852}}
}}
Ada was a mathematician.",
        )
        .expect("a person");
        assert_eq!(p.name, "Ada Lovelace");
        assert_eq!(p.infobox, "person");
        let born = serde_json::to_value(&p.birth_date).unwrap();
        assert_eq!(born["value"], "1815-12-10");
        assert_eq!(born["precision"], "day");
        assert_eq!(p.death_date.as_ref().unwrap().text, "27 November 1852");
        let place = p.birth_place.as_ref().unwrap();
        assert_eq!(
            (place.text.as_str(), place.link.as_deref()),
            ("London, England", Some("London"))
        );
        assert_eq!(
            p.death_place.as_ref().unwrap().link.as_deref(),
            Some("Marylebone")
        );
        let jobs: Vec<&str> = p.occupations.iter().map(|o| o.text.as_str()).collect();
        assert_eq!(jobs, ["Mathematician", "writer"]);
        assert_eq!(p.nationality[0].text, "British");
        assert_eq!(p.known_for[0].link.as_deref(), Some("Analytical Engine"));
        let spouse = &p.spouses[0];
        assert_eq!(spouse.text, "William King-Noel");
        assert_eq!(spouse.start.as_ref().unwrap().text, "1835");
        assert_eq!(spouse.end.as_ref().unwrap().text, "1852");
    }

    #[test]
    fn every_kind_of_person_infobox_counts() {
        for name in [
            "Infobox scientist",
            "Infobox officeholder",
            "infobox_person",
            "Template:Infobox writer",
        ] {
            let text = format!("{{{{{name}\n| birth_date = 1944\n}}}}\nText.");
            let p = person_of(&text).unwrap_or_else(|| panic!("{name}"));
            assert_eq!(p.name, "The Title");
            assert_eq!(p.birth_date.unwrap().text, "1944");
        }
        assert_eq!(
            person_of("{{Infobox settlement\n| population = 5\n}}"),
            None
        );
        assert_eq!(person_of("No infobox at all."), None);
        assert_eq!(person_of("{{Infobox person}}"), None);
    }

    #[test]
    fn organisations_and_offices_keep_their_dates() {
        let p = person_of(
            "{{Infobox officeholder
| name = A. Person
| birth_date = c. 1944
| office = Secretary of the [[Campaign for Labour Party Democracy]]
| term_start = 1970
| term_end = {{end date|2020|5|1}}
| office2 = Member of the NEC
| term_start2 = 1998
| party = [[Labour Party (UK)|Labour]] (1960–2022)
| employer = NUPE<br>[[Acme]] (1990–present)
| alma_mater = {{hlist|Oxford|Cambridge}}
}}",
        )
        .unwrap();
        assert!(p.birth_date.as_ref().unwrap().reading.unwrap().approximate);
        assert_eq!(p.positions.len(), 2);
        assert_eq!(
            p.positions[0].text,
            "Secretary of the Campaign for Labour Party Democracy"
        );
        assert_eq!(p.positions[0].start.as_ref().unwrap().text, "1970");
        assert_eq!(p.positions[0].end.as_ref().unwrap().text, "1 May 2020");
        assert_eq!(p.positions[1].end, None);
        let orgs: Vec<(&str, &str)> = p
            .organisations
            .iter()
            .map(|o| (o.text.as_str(), o.field.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(
            orgs,
            [
                ("Labour", "party"),
                ("NUPE", "employer"),
                ("Acme", "employer"),
                ("Oxford", "alma_mater"),
                ("Cambridge", "alma_mater")
            ]
        );
        assert_eq!(
            p.organisations[0].link.as_deref(),
            Some("Labour Party (UK)")
        );
        assert_eq!(p.organisations[0].end.as_ref().unwrap().text, "2022");
    }

    #[test]
    fn hostile_infoboxes_are_bounded() {
        let many: String = (0..10_000).map(|i| format!("Org{i}<br>")).collect();
        let p = person_of(&format!(
            "{{{{Infobox person\n| birth_date = 1900\n| employer = {many}\n| party = {many}\n}}}}"
        ))
        .unwrap();
        assert_eq!(p.organisations.len(), values::MAX_ITEMS);
        let offices: String = (0..100)
            .map(|i| format!("| office{i} = Office {i}\n"))
            .collect();
        let p = person_of(&format!(
            "{{{{Infobox person\n| birth_date = 1900\n{offices}}}}}"
        ))
        .unwrap();
        assert!(p.positions.len() <= MAX_OFFICES + 1);
        let nested = format!(
            "{{{{Infobox person\n| birth_date = {}1900{}\n}}}}",
            "{{nowrap|".repeat(500),
            "}}".repeat(500)
        );
        assert!(person_of(&nested).is_some());
        let p = person_of("{{Infobox person\n| birth_date = {{birth date|0|13|45}}\n| death_date = {{birth date|99999999999|1|1}}\n}}").unwrap();
        assert_eq!(p.birth_date.unwrap().reading, None);
        assert_eq!(p.death_date.unwrap().reading, None);
    }
}
