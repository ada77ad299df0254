//! A person's timeline: birth, death and every dated fact, in date order.

use serde::Serialize;

use super::dates::FactDate;
use super::origin::Origin;
use super::person::Person;
use super::values::FactValue;
use super::when::Qualifier;

/// What an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Born.
    Birth,
    /// Died.
    Death,
    /// Joined an organisation (an employer, a party, a school…).
    MembershipStart,
    /// Left it.
    MembershipEnd,
    /// Took an office.
    PositionStart,
    /// Left it.
    PositionEnd,
    /// Married.
    MarriageStart,
    /// The marriage ended.
    MarriageEnd,
    /// Something the text dates (`In July 2018, …`).
    Event,
}

impl EventKind {
    /// The kind as stored and sent (`birth`, `membership_start`…).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Birth => "birth",
            Self::Death => "death",
            Self::MembershipStart => "membership_start",
            Self::MembershipEnd => "membership_end",
            Self::PositionStart => "position_start",
            Self::PositionEnd => "position_end",
            Self::MarriageStart => "marriage_start",
            Self::MarriageEnd => "marriage_end",
            Self::Event => "event",
        }
    }
}

/// One dated fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// What happened.
    pub kind: EventKind,
    /// A short description: `Born in London`, `Joined IBM`.
    pub label: String,
    /// When (always a date that could be read).
    pub date: FactDate,
    /// The page the event's place or organisation links to, if any.
    pub link: Option<String>,
    /// `early`, `mid`, `late`, `before`, `after`, when the text says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// Where it was read.
    pub from: Origin,
}

impl Event {
    /// The days the event can mean (narrowed by early, mid or late).
    pub fn interval(&self) -> Option<(String, String)> {
        super::when::narrowed_interval(&self.date, self.qualifier)
    }
}

/// The person's dated facts, earliest first (facts whose date cannot be read are left out;
/// events on the same date keep the order of the infobox).
pub fn events(person: &Person) -> Vec<Event> {
    let mut events = Vec::new();
    let mut push = |kind, label: String, date: Option<&FactDate>, link: Option<&String>| {
        if let Some(date) = date.filter(|d| d.reading.is_some()) {
            let mut date = date.clone();
            let from = date.from.take().unwrap_or_default();
            events.push(Event {
                kind,
                label,
                date,
                link: link.cloned(),
                qualifier: None,
                from,
            });
        }
    };
    let (born_in, born_link) = place(&person.birth_place);
    push(
        EventKind::Birth,
        format!("Born{born_in}"),
        person.birth_date.as_ref(),
        born_link,
    );
    for (values, start, end, starting, ending) in [
        (
            &person.organisations,
            EventKind::MembershipStart,
            EventKind::MembershipEnd,
            "Joined",
            "Left",
        ),
        (
            &person.positions,
            EventKind::PositionStart,
            EventKind::PositionEnd,
            "Took office:",
            "Left office:",
        ),
        (
            &person.spouses,
            EventKind::MarriageStart,
            EventKind::MarriageEnd,
            "Married",
            "Marriage ended:",
        ),
    ] {
        for v in values {
            let link = v.link.as_ref();
            push(
                start,
                format!("{starting} {}", v.text),
                v.start.as_ref(),
                link,
            );
            push(end, format!("{ending} {}", v.text), v.end.as_ref(), link);
        }
    }
    let (died_in, died_link) = place(&person.death_place);
    push(
        EventKind::Death,
        format!("Died{died_in}"),
        person.death_date.as_ref(),
        died_link,
    );
    events.sort_by_cached_key(|e| e.date.interval().map(|(from, _)| from));
    events
}

/// ` in London` and the place's link, or nothing.
fn place(p: &Option<FactValue>) -> (String, Option<&String>) {
    match p {
        Some(p) => (format!(" in {}", p.text), p.link.as_ref()),
        None => (String::new(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bio::person::person;
    use crate::markup;

    #[test]
    fn events_come_in_date_order_with_labels() {
        let doc = markup::parse(
            "{{Infobox person
| birth_date = {{birth date|1944|2|1}}
| birth_place = [[Andover]]
| death_date = unknown
| party = Labour (1960–2022)
| office = Secretary
| term_start = 1970
| spouse = {{marriage|Jo|1965}}
}}",
        );
        let p = person(&doc, "P").unwrap();
        let all = events(&p);
        let found: Vec<(&str, &str, &str)> = all
            .iter()
            .map(|e| (e.kind.as_str(), e.label.as_str(), e.date.text.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("birth", "Born in Andover", "1 February 1944"),
                ("membership_start", "Joined Labour", "1960"),
                ("marriage_start", "Married Jo", "1965"),
                ("position_start", "Took office: Secretary", "1970"),
                ("membership_end", "Left Labour", "2022"),
            ]
        );
        assert_eq!(all[0].link.as_deref(), Some("Andover"));
    }
}
