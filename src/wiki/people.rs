//! The people list and everyone's timeline: filters read from query parameters (each error
//! names its parameter), then one store query.

use serde::Serialize;

use crate::bio::{FactDate, Origin, PartialDate, Qualifier, TextOrigin, dates};
use crate::store::Db;
use crate::store::facts::{self as store, EventRow, PeopleOrder, PeopleQuery, PersonRow};
pub use crate::store::facts::{EventKey, PersonKey};

use super::WikiError;

/// How many years a person with no death date may be taken to be alive (the same bound as a
/// living person's citation check).
const MAX_AGE_YEARS: i64 = crate::bio::evidence::MAX_AGE;

/// A filter parameter that cannot be read: which one, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {reason}")]
pub struct FilterError {
    /// The parameter's name.
    pub parameter: &'static str,
    /// What is wrong with it.
    pub reason: String,
}

/// The people filters as given (query parameters), before they are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct PeopleParams {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: born on or after its start.
    pub born_after: Option<String>,
    /// Born on or before its end.
    pub born_before: Option<String>,
    /// Died on or after its start.
    pub died_after: Option<String>,
    /// Died on or before its end.
    pub died_before: Option<String>,
    /// `true` or `false`.
    pub alive: Option<String>,
    /// A place of birth or death.
    pub place: Option<String>,
    /// An occupation.
    pub occupation: Option<String>,
    /// An organisation.
    pub organisation: Option<String>,
    /// A category.
    pub category: Option<String>,
    /// `name`, `born`, `died`, `-` before for descending.
    pub sort: Option<String>,
}

/// The longest text filter accepted (`place`, `occupation`, `organisation`, `category`), in
/// characters: the `maxLength` the OpenAPI document declares for each of them.
pub const MAX_FILTER_CHARS: usize = 300;

/// Read people filters.
#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    query: PeopleQuery,
    /// A filter no page can meet (a category name that cannot be a title): the answer is
    /// empty, not an error, so every value the document allows is answered.
    nobody: bool,
}

impl PeopleFilter {
    /// The same filter, starting right after the person `key` (a keyset: people added or
    /// removed before them shift nothing).
    pub fn after(self, key: PersonKey) -> Self {
        Self {
            query: PeopleQuery {
                after: Some(key),
                ..self.query
            },
            nobody: self.nobody,
        }
    }
}

impl PeopleParams {
    /// Reads the filters, or names the first parameter that cannot be read.
    pub fn read(&self) -> Result<PeopleFilter, FilterError> {
        let (order, descending) = sort(self.sort.as_deref())?;
        let alive = match self.alive.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("true" | "1" | "yes") => Some(true),
            Some("false" | "0" | "no") => Some(false),
            Some(other) => {
                return Err(FilterError {
                    parameter: "alive",
                    reason: format!("must be true or false, not {other:?}"),
                });
            }
        };
        let (category, nobody) = match text("category", &self.category)? {
            None => (None, false),
            Some(c) => match super::read::without_category_prefix(&c) {
                Ok(name) => (Some(name), false),
                Err(_) => (None, true),
            },
        };
        Ok(PeopleFilter {
            nobody,
            query: PeopleQuery {
                born_from: day("born_after", &self.born_after, PartialDate::first_day)?,
                born_to: day("born_before", &self.born_before, PartialDate::last_day)?,
                died_from: day("died_after", &self.died_after, PartialDate::first_day)?,
                died_to: day("died_before", &self.died_before, PartialDate::last_day)?,
                alive,
                alive_cutoff: alive_cutoff(),
                place: text("place", &self.place)?,
                occupation: text("occupation", &self.occupation)?,
                organisation: text("organisation", &self.organisation)?,
                category,
                order,
                descending,
                limit: 0,
                offset: 0,
                after: None,
            },
        })
    }
}

fn sort(raw: Option<&str>) -> Result<(PeopleOrder, bool), FilterError> {
    let raw = raw.map(str::trim).unwrap_or("");
    let (descending, name) = match raw.strip_prefix('-') {
        Some(name) => (true, name),
        None => (false, raw),
    };
    let order = match name {
        "" | "name" => PeopleOrder::Name,
        "born" => PeopleOrder::Born,
        "died" => PeopleOrder::Died,
        _ => {
            return Err(FilterError {
                parameter: "sort",
                reason: format!(
                    "must be name, born or died (with - before for descending), not {raw:?}"
                ),
            });
        }
    };
    Ok((order, descending))
}

/// A filter date's first or last day.
fn day(
    parameter: &'static str,
    raw: &Option<String>,
    edge: fn(&PartialDate) -> String,
) -> Result<Option<String>, FilterError> {
    // Not trimmed: exactly the pattern the OpenAPI document gives, or empty for none.
    let Some(raw) = raw.as_deref().filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    dates::parse_filter(raw)
        .map(|d| Some(edge(&d)))
        .ok_or_else(|| FilterError {
            parameter,
            reason: format!("must be a date as YYYY, YYYY-MM or YYYY-MM-DD, not {raw:?}"),
        })
}

/// A text filter, lower case, blank as none.
fn text(parameter: &'static str, raw: &Option<String>) -> Result<Option<String>, FilterError> {
    let Some(raw) = raw.as_deref().map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    if raw.chars().count() > MAX_FILTER_CHARS {
        return Err(FilterError {
            parameter,
            reason: format!("can be at most {MAX_FILTER_CHARS} characters long"),
        });
    }
    Ok(Some(raw.replace('_', " ").to_lowercase()))
}

/// The earliest birth day of someone who may be alive today.
fn alive_cutoff() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        (i64::from(today.year()) - MAX_AGE_YEARS).max(1),
        u8::from(today.month()),
        today.day()
    )
}

/// A person in the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonItem {
    /// The page's title.
    pub title: String,
    /// The person's name.
    pub name: String,
    /// The sort key.
    pub sort_key: String,
    /// When they were born.
    pub born: Option<FactDate>,
    /// When they died.
    pub died: Option<FactDate>,
    /// Its place in the list's order, for the next page's start.
    #[serde(skip)]
    pub key: PersonKey,
}

impl From<PersonRow> for PersonItem {
    fn from(row: PersonRow) -> Self {
        Self {
            title: row.title,
            name: row.name,
            sort_key: row.sort_key,
            born: row.born.as_deref().map(FactDate::parse),
            died: row.died.as_deref().map(FactDate::parse),
            key: row.key,
        }
    }
}

/// The people that match `filter`, `limit` of them after skipping `offset`.
pub async fn people(
    db: &Db,
    filter: &PeopleFilter,
    limit: usize,
    offset: usize,
) -> Result<Vec<PersonItem>, WikiError> {
    if filter.nobody {
        return Ok(Vec::new());
    }
    let query = PeopleQuery {
        limit,
        offset,
        ..filter.query.clone()
    };
    let rows = db.read(move |conn| store::people(conn, &query)).await?;
    Ok(rows.into_iter().map(PersonItem::from).collect())
}

/// An event of everyone's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineEvent {
    /// The person's page.
    pub title: String,
    /// The person's name.
    pub name: String,
    /// `birth`, `death`, `membership_start`…
    pub kind: String,
    /// `Born in London`.
    pub label: String,
    /// When.
    pub date: FactDate,
    /// The page the event links to (a place, an organisation).
    pub link: Option<String>,
    /// `early`, `mid`, `late`, `before`, `after`, when the text says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifier: Option<Qualifier>,
    /// Where it was read: the infobox, or a sentence of the text.
    pub from: Origin,
    /// Its place in the timeline's order, for the next page's start.
    #[serde(skip)]
    pub key: EventKey,
}

impl From<EventRow> for TimelineEvent {
    fn from(row: EventRow) -> Self {
        let size = |n: i64| usize::try_from(n).unwrap_or_default();
        let from = match row.from {
            Some((section, (start, end))) => Origin::Text(TextOrigin {
                section: super::sections::public_id(section),
                section_index: 0,
                span: [size(start), size(end)],
                // Not stored: the page's own timeline gives it.
                sentence: String::new(),
            }),
            None => Origin::Infobox,
        };
        Self {
            title: row.title,
            name: row.name,
            kind: row.kind,
            label: row.label,
            date: FactDate::parse(&row.date_text),
            link: row.link,
            qualifier: row.qualifier.as_deref().and_then(Qualifier::parse),
            from,
            key: row.key,
        }
    }
}

/// The bounds of a timeline, as given (`?from=&to=`).
#[derive(Debug, Clone, Default)]
pub struct TimelineRange {
    from: Option<String>,
    to: Option<String>,
    after: Option<EventKey>,
}

impl TimelineRange {
    /// Reads `from` and `to` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; events overlapping count).
    pub fn read(from: Option<&String>, to: Option<&String>) -> Result<Self, FilterError> {
        Ok(Self {
            from: day("from", &from.cloned(), PartialDate::first_day)?,
            to: day("to", &to.cloned(), PartialDate::last_day)?,
            after: None,
        })
    }

    /// The same range, starting right after the event `key` (a keyset: events added or removed
    /// before it shift nothing).
    pub fn after(self, key: EventKey) -> Self {
        Self {
            after: Some(key),
            ..self
        }
    }
}

/// Everyone's dated facts within `range`, in date order, `limit` of them after `offset`.
pub async fn timeline(
    db: &Db,
    range: &TimelineRange,
    limit: usize,
    offset: usize,
) -> Result<Vec<TimelineEvent>, WikiError> {
    let range = range.clone();
    let rows = db
        .read(move |conn| {
            store::timeline(
                conn,
                range.from.as_deref(),
                range.to.as_deref(),
                limit,
                offset,
                range.after.as_ref(),
            )
        })
        .await?;
    Ok(rows.into_iter().map(TimelineEvent::from).collect())
}
