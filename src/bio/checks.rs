//! Consistency checks of a biography, each saying what it compared and where: the infobox
//! against the text, a date told twice, death before birth, an event before birth or long after
//! death, a term that ends before it starts.

use serde::Serialize;

use super::dates::FactDate;
use super::lead::TextFactKind;
use super::origin::Origin;
use super::person::Person;
use super::text_events::TextEvent;
use super::timeline::Event;
use super::values::FactValue;

/// How many years after a death an event is "long after" it.
pub const YEARS_AFTER_DEATH: i64 = 100;
/// The most checks of one kind kept for a page.
const MAX_CHECKS: usize = 50;

/// One comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was compared: `birth_date`, `death_date`, `birth_place`, `death_place`,
    /// `same_event`, `death_before_birth`, `event_before_birth`, `event_after_death`,
    /// `term_order`.
    pub about: String,
    /// Whether they agree.
    pub consistent: bool,
    /// What was found, in a sentence.
    pub message: String,
    /// The values compared, each with where it was read.
    pub compared: Vec<Compared>,
}

/// A value that took part in a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Compared {
    /// The value as written.
    pub value: String,
    /// Where it was read.
    pub from: Origin,
}

fn compared(value: &str, from: Option<&Origin>) -> Compared {
    Compared {
        value: value.to_owned(),
        from: from.cloned().unwrap_or_default(),
    }
}

fn overlap(a: &(String, String), b: &(String, String)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn about(kind: TextFactKind) -> &'static str {
    match kind {
        TextFactKind::BirthDate => "birth_date",
        TextFactKind::DeathDate => "death_date",
        TextFactKind::BirthPlace => "birth_place",
        TextFactKind::DeathPlace => "death_place",
        TextFactKind::BirthName => "birth_name",
        TextFactKind::Nationality => "nationality",
        TextFactKind::Occupation => "occupation",
    }
}

/// The chosen birth or death date against every other the text gives.
pub fn date_agreement(kind: TextFactKind, chosen: &FactDate, dates: &[FactDate]) -> Option<Check> {
    let others: Vec<&FactDate> = dates.iter().filter(|d| *d != chosen).collect();
    if others.is_empty() {
        return None;
    }
    let mine = chosen.interval()?;
    let consistent = others
        .iter()
        .all(|d| d.interval().is_none_or(|i| overlap(&mine, &i)));
    let what = about(kind).replace('_', " ");
    let values: Vec<&str> = others.iter().map(|d| d.text.as_str()).collect();
    let message = if consistent {
        format!(
            "The {what} {} agrees with {}.",
            chosen.text,
            values.join(", ")
        )
    } else {
        format!(
            "The {what} {} disagrees with {}.",
            chosen.text,
            values.join(", ")
        )
    };
    Some(Check {
        about: about(kind).to_owned(),
        consistent,
        message,
        compared: std::iter::once(compared(&chosen.text, chosen.from.as_ref()))
            .chain(others.iter().map(|d| compared(&d.text, d.from.as_ref())))
            .collect(),
    })
}

fn same_place(a: &str, b: &str) -> bool {
    let first = |s: &str| s.split(',').next().unwrap_or(s).trim().to_lowercase();
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a.contains(&first(&b)) || b.contains(&first(&a))
}

/// The chosen birth or death place against every other the text gives.
pub fn place_agreement(
    kind: TextFactKind,
    chosen: &FactValue,
    places: &[FactValue],
) -> Option<Check> {
    let others: Vec<&FactValue> = places.iter().filter(|p| *p != chosen).collect();
    if others.is_empty() {
        return None;
    }
    let consistent = others.iter().all(|p| same_place(&chosen.text, &p.text));
    let what = about(kind).replace('_', " ");
    let values: Vec<&str> = others.iter().map(|p| p.text.as_str()).collect();
    let verb = if consistent { "agrees" } else { "disagrees" };
    Some(Check {
        about: about(kind).to_owned(),
        consistent,
        message: format!(
            "The {what} {} {verb} with {}.",
            chosen.text,
            values.join(", ")
        ),
        compared: std::iter::once(compared(&chosen.text, Some(&chosen.from)))
            .chain(others.iter().map(|p| compared(&p.text, Some(&p.from))))
            .collect(),
    })
}

fn event_value(e: &Event) -> String {
    match e.qualifier {
        Some(q) => format!("{} {}", q.as_str(), e.date.text),
        None => e.date.text.clone(),
    }
}

/// Events about the same once-only thing (`expelled`) told in two places: their dates must
/// overlap.
pub fn same_events(found: &[TextEvent]) -> Vec<Check> {
    let mut checks = Vec::new();
    let mut verbs: Vec<&'static str> = found.iter().filter_map(|e| e.once).collect();
    verbs.sort_unstable();
    verbs.dedup();
    for verb in verbs {
        let told: Vec<&Event> = found
            .iter()
            .filter(|e| e.once == Some(verb))
            .map(|e| &e.event)
            .take(MAX_CHECKS)
            .collect();
        let [first, rest @ ..] = told.as_slice() else {
            continue;
        };
        if rest.is_empty() {
            continue;
        }
        let Some(mine) = first.interval() else {
            continue;
        };
        let consistent = rest
            .iter()
            .all(|e| e.interval().is_none_or(|i| overlap(&mine, &i)));
        let values: Vec<String> = told.iter().map(|e| event_value(e)).collect();
        let verb_text = if consistent {
            "agree"
        } else {
            "contradict each other"
        };
        checks.push(Check {
            about: "same_event".to_owned(),
            consistent,
            message: format!(
                "“{verb}” is dated {}: the dates {verb_text}.",
                values.join(" and ")
            ),
            compared: told
                .iter()
                .map(|e| compared(&event_value(e), Some(&e.from)))
                .collect(),
        });
    }
    checks
}

/// Dates against the person's life: death before birth, events before birth or long after
/// death, terms that end before they start. Only what is wrong is reported.
pub fn dates(person: &Person, events: &[Event]) -> Vec<Check> {
    let mut checks = Vec::new();
    let born = person.birth_date.as_ref().and_then(FactDate::interval);
    let died = person.death_date.as_ref().and_then(FactDate::interval);
    let date_of = |d: &Option<FactDate>| d.as_ref().map(|d| compared(&d.text, d.from.as_ref()));
    if let (Some(b), Some(d)) = (&born, &died) {
        if d.1 < b.0 {
            checks.push(Check {
                about: "death_before_birth".to_owned(),
                consistent: false,
                message: "The death date is before the birth date.".to_owned(),
                compared: [date_of(&person.death_date), date_of(&person.birth_date)]
                    .into_iter()
                    .flatten()
                    .collect(),
            });
        }
    }
    let lifetime = events
        .iter()
        .filter(|e| !matches!(e.kind.as_str(), "birth" | "death"));
    let mut before = 0;
    let mut after = 0;
    for e in lifetime {
        let Some(when) = e.interval() else { continue };
        if let Some(b) = &born {
            if when.1 < b.0 && before < MAX_CHECKS {
                before += 1;
                checks.push(Check {
                    about: "event_before_birth".to_owned(),
                    consistent: false,
                    message: format!("“{}” ({}) is dated before the birth.", e.label, e.date.text),
                    compared: [
                        Some(compared(&event_value(e), Some(&e.from))),
                        date_of(&person.birth_date),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                });
            }
        }
        if let Some(d) = &died {
            let limit =
                d.1.get(..4)
                    .and_then(|y| y.parse::<i64>().ok())
                    .map(|y| y + YEARS_AFTER_DEATH);
            let year = when.0.get(..4).and_then(|y| y.parse::<i64>().ok());
            if let (Some(limit), Some(year)) = (limit, year) {
                if year > limit && after < MAX_CHECKS {
                    after += 1;
                    checks.push(Check {
                        about: "event_after_death".to_owned(),
                        consistent: false,
                        message: format!(
                            "“{}” ({}) is dated more than {YEARS_AFTER_DEATH} years after the death.",
                            e.label, e.date.text
                        ),
                        compared: [Some(compared(&event_value(e), Some(&e.from))), date_of(&person.death_date)]
                            .into_iter()
                            .flatten()
                            .collect(),
                    });
                }
            }
        }
    }
    let terms = person
        .positions
        .iter()
        .chain(&person.organisations)
        .chain(&person.spouses);
    for v in terms.take(MAX_CHECKS * 4) {
        let (Some(start), Some(end)) = (&v.start, &v.end) else {
            continue;
        };
        let (Some(s), Some(e)) = (start.interval(), end.interval()) else {
            continue;
        };
        if e.1 < s.0 {
            checks.push(Check {
                about: "term_order".to_owned(),
                consistent: false,
                message: format!(
                    "{} ends ({}) before it starts ({}).",
                    v.text, end.text, start.text
                ),
                compared: vec![
                    compared(&start.text, Some(&v.from)),
                    compared(&end.text, Some(&v.from)),
                ],
            });
        }
    }
    checks
}
