//! People, their facts and their timelines (`db/0005_facts.sql`): written from each page's
//! latest revision in the save's transaction, read by the people list and the timeline.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::StoreError;

/// A date as stored: its text, and the days it can mean when it could be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDate {
    /// The text (it reads back to the same date).
    pub text: String,
    /// The first and last day, `YYYY-MM-DD`.
    pub interval: Option<(String, String)>,
}

/// Where a fact or an event was read in the text (none: the infobox).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextPlace {
    /// The section's index in the latest revision.
    pub section: i64,
    /// The sentence's bytes in the stored text.
    pub span: (i64, i64),
}

/// One item of a fact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewFact {
    /// `occupation`, `organisation`, `place`…
    pub kind: &'static str,
    /// The item's text.
    pub value: String,
    /// The normalised title it links to.
    pub link: Option<String>,
    /// The infobox field, for organisations.
    pub field: Option<String>,
    /// From the start's first day to the end's last day, when dated.
    pub interval: Option<(Option<String>, Option<String>)>,
    /// Where it was read, when from the text.
    pub from: Option<TextPlace>,
}

/// One dated event of a person's timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewEvent {
    /// `birth`, `membership_start`…
    pub kind: &'static str,
    /// `Born in London`.
    pub label: String,
    /// When.
    pub date_text: String,
    /// The days the date can mean.
    pub interval: (String, String),
    /// The normalised title of a linked page.
    pub link: Option<String>,
    /// `early`, `mid`, `late`, `before`, `after`.
    pub qualifier: Option<&'static str>,
    /// Where it was read, when from the text.
    pub from: Option<TextPlace>,
}

/// A person as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPerson {
    /// The name.
    pub name: String,
    /// The sort key.
    pub sort_key: String,
    /// Birth date.
    pub born: Option<StoredDate>,
    /// Death date.
    pub died: Option<StoredDate>,
    /// The fact items.
    pub facts: Vec<NewFact>,
    /// The timeline.
    pub events: Vec<NewEvent>,
}

/// Makes `page_id`'s person exactly `person` (`None`: the page is not about a person).
pub fn replace(
    conn: &Connection,
    page_id: i64,
    person: Option<&NewPerson>,
) -> Result<(), StoreError> {
    replace_many(
        conn,
        &[PagePerson {
            page_id,
            person,
            fresh: false,
        }],
    )
}

/// One page's person, for [`replace_many`].
#[derive(Debug, Clone, Copy)]
pub struct PagePerson<'a> {
    /// The page.
    pub page_id: i64,
    /// Its person (`None`: the page is not about a person).
    pub person: Option<&'a NewPerson>,
    /// Whether the page has no rows here yet (its first text, or its first since it was
    /// deleted, which forgot them): nothing to delete.
    pub fresh: bool,
}

/// [`replace`] for many pages at once (an import batch, in page order): the old rows go (a
/// fresh page has none), then the new ones table by table, so each table's pages are written
/// in order while they are at hand.
pub fn replace_many(conn: &Connection, pages: &[PagePerson<'_>]) -> Result<(), StoreError> {
    for page in pages.iter().filter(|p| !p.fresh) {
        clear(conn, page.page_id)?;
    }
    let people = || pages.iter().filter_map(|p| Some((p.page_id, p.person?)));
    for (page_id, person) in people() {
        insert_person(conn, page_id, person)?;
    }
    for (page_id, person) in people() {
        insert_facts(conn, page_id, &person.facts)?;
    }
    for (page_id, person) in people() {
        insert_events(conn, page_id, &person.events)?;
    }
    Ok(())
}

/// The `people` row.
fn insert_person(conn: &Connection, page_id: i64, person: &NewPerson) -> Result<(), StoreError> {
    fn date(d: &Option<StoredDate>) -> (Option<&str>, Option<&str>, Option<&str>) {
        let text = d.as_ref().map(|d| d.text.as_str());
        let (from, to) = d
            .as_ref()
            .and_then(|d| d.interval.as_ref())
            .map_or((None, None), |(f, t)| (Some(f.as_str()), Some(t.as_str())));
        (text, from, to)
    }
    let (born_text, born_from, born_to) = date(&person.born);
    let (died_text, died_from, died_to) = date(&person.died);
    conn.prepare_cached(
        "INSERT INTO people (page_id, name, sort_key, born_text, born_from, born_to,
                             died_text, died_from, died_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        page_id,
        person.name,
        person.sort_key,
        born_text,
        born_from,
        born_to,
        died_text,
        died_from,
        died_to
    ])?;
    Ok(())
}

/// The `facts` rows.
fn insert_facts(conn: &Connection, page_id: i64, facts: &[NewFact]) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO facts (page_id, kind, position, value, normalized, link, link_key,
                                      field, date_from, date_to, section, span_start, span_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for (position, fact) in facts.iter().enumerate() {
        let (from, to) = fact
            .interval
            .as_ref()
            .map_or((None, None), |(f, t)| (f.as_deref(), t.as_deref()));
        insert.execute(params![
            page_id,
            fact.kind,
            position as i64,
            fact.value,
            fact.value.to_lowercase(),
            fact.link,
            fact.link.as_ref().map(|l| l.to_lowercase()),
            fact.field,
            from,
            to,
            fact.from.as_ref().map(|f| f.section),
            fact.from.as_ref().map(|f| f.span.0),
            fact.from.as_ref().map(|f| f.span.1)
        ])?;
    }
    Ok(())
}

/// The `events` rows.
fn insert_events(conn: &Connection, page_id: i64, events: &[NewEvent]) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (page_id, position, kind, label, date_text, date_from, date_to, link,
                             qualifier, section, span_start, span_end)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    for (position, event) in events.iter().enumerate() {
        insert.execute(params![
            page_id,
            position as i64,
            event.kind,
            event.label,
            event.date_text,
            event.interval.0,
            event.interval.1,
            event.link,
            event.qualifier,
            event.from.as_ref().map(|f| f.section),
            event.from.as_ref().map(|f| f.span.0),
            event.from.as_ref().map(|f| f.span.1)
        ])?;
    }
    Ok(())
}

/// Forgets `page_id`'s person (a deleted page, a page that is no longer a biography).
pub fn clear(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM people WHERE page_id = ?1",
        "DELETE FROM facts WHERE page_id = ?1",
        "DELETE FROM events WHERE page_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([page_id])?;
    }
    Ok(())
}

/// The version of the fact extraction the stored rows come from.
pub fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT version FROM bio_index WHERE id = 1")?
        .query_row([], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Records that the rows come from extraction `version`.
pub fn set_version(conn: &Connection, version: i64) -> Result<(), StoreError> {
    conn.prepare_cached("INSERT OR REPLACE INTO bio_index (id, version) VALUES (1, ?1)")?
        .execute([version])?;
    Ok(())
}

/// The order of the people list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PeopleOrder {
    /// By sort key.
    #[default]
    Name,
    /// By birth date (unknown last).
    Born,
    /// By death date (unknown last).
    Died,
}

/// Which people, in which order: every filter given must hold. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default)]
pub struct PeopleQuery {
    /// Born on or after this day (the birth interval ends on or after it).
    pub born_from: Option<String>,
    /// Born on or before this day (the birth interval starts on or before it).
    pub born_to: Option<String>,
    /// Died on or after this day.
    pub died_from: Option<String>,
    /// Died on or before this day.
    pub died_to: Option<String>,
    /// Alive (no death date, not born before `alive_cutoff`) or not.
    pub alive: Option<bool>,
    /// The earliest birth day a living person can have.
    pub alive_cutoff: String,
    /// A place of birth or death (lower case): whole, one of its parts, or its link.
    pub place: Option<String>,
    /// An occupation (lower case).
    pub occupation: Option<String>,
    /// An organisation (lower case), or the page it links to.
    pub organisation: Option<String>,
    /// A category name (normalised title, without `Category:`).
    pub category: Option<String>,
    /// The order.
    pub order: PeopleOrder,
    /// Reverse the order.
    pub descending: bool,
    /// How many.
    pub limit: usize,
    /// How many to skip.
    pub offset: usize,
    /// Start after this person (a keyset, for lists that must not repeat or skip anyone).
    pub after: Option<PersonKey>,
}

/// A person's place in the people list's order: the order's date (birth or death; none for
/// the name order), the sort key and the title, which is unique.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonKey {
    /// The start of the birth or death interval, when the list is in that order.
    pub date: Option<String>,
    /// The sort key.
    pub sort_key: String,
    /// The page's title.
    pub title: String,
}

/// A person in the people list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// The page's title.
    pub title: String,
    /// The person's name.
    pub name: String,
    /// The sort key.
    pub sort_key: String,
    /// The birth date's text.
    pub born: Option<String>,
    /// The death date's text.
    pub died: Option<String>,
    /// Its place in the order.
    pub key: PersonKey,
}

/// The people that match `query`.
pub fn people(conn: &Connection, query: &PeopleQuery) -> Result<Vec<PersonRow>, StoreError> {
    let mut conditions: Vec<&str> = vec!["pg.deleted = 0"];
    let mut values: Vec<Value> = Vec::new();
    // Each condition takes its value once per `?`; values are always parameters, never SQL.
    let mut bind = |condition: &'static str, value: Option<&String>| {
        if let Some(v) = value {
            conditions.push(condition);
            for _ in 0..condition.matches('?').count() {
                values.push(Value::Text(v.clone()));
            }
        }
    };
    bind("p.born_to >= ?", query.born_from.as_ref());
    bind("p.born_from <= ?", query.born_to.as_ref());
    bind("p.died_to >= ?", query.died_from.as_ref());
    bind("p.died_from <= ?", query.died_to.as_ref());
    bind(
        "EXISTS (SELECT 1 FROM facts f WHERE f.page_id = p.page_id AND f.kind = 'place'
                 AND f.normalized = ?)",
        query.place.as_ref(),
    );
    bind(
        "EXISTS (SELECT 1 FROM facts f WHERE f.page_id = p.page_id AND f.kind = 'occupation'
                 AND f.normalized = ?)",
        query.occupation.as_ref(),
    );
    bind(
        "EXISTS (SELECT 1 FROM facts f WHERE f.page_id = p.page_id AND f.kind = 'organisation'
                 AND (f.normalized = ? OR f.link_key = ?))",
        query.organisation.as_ref(),
    );
    bind(
        "EXISTS (SELECT 1 FROM categories c WHERE c.page_id = p.page_id AND c.name = ?)",
        query.category.as_ref(),
    );
    let cutoff = Some(&query.alive_cutoff);
    match query.alive {
        Some(true) => bind(
            "(p.died_text IS NULL AND coalesce(p.born_from, '9999') >= ?)",
            cutoff,
        ),
        Some(false) => bind(
            "NOT (p.died_text IS NULL AND coalesce(p.born_from, '9999') >= ?)",
            cutoff,
        ),
        None => {}
    }
    let direction = if query.descending { "DESC" } else { "ASC" };
    let date = match query.order {
        PeopleOrder::Name => "NULL",
        PeopleOrder::Born => "p.born_from",
        PeopleOrder::Died => "p.died_from",
    };
    let keyset;
    if let Some(after) = &query.after {
        let beyond = if query.descending { "<" } else { ">" };
        keyset = match query.order {
            PeopleOrder::Name => format!("(p.sort_key, pg.title) {beyond} (?, ?)"),
            // Unknown dates last; the name order breaks ties, ascending either way.
            PeopleOrder::Born | PeopleOrder::Died => {
                let known = if after.date.is_some() { 0 } else { 1 };
                values.push(Value::Integer(known));
                values.push(Value::Integer(known));
                values.push(after.date.clone().map_or(Value::Null, Value::Text));
                values.push(after.date.clone().map_or(Value::Null, Value::Text));
                format!(
                    "(({date} IS NULL) > ? OR (({date} IS NULL) = ? AND ({date} {beyond} ?
                      OR ({date} IS ? AND (p.sort_key, pg.title) > (?, ?)))))"
                )
            }
        };
        values.push(Value::Text(after.sort_key.clone()));
        values.push(Value::Text(after.title.clone()));
        conditions.push(&keyset);
    }
    let order = match query.order {
        PeopleOrder::Name => format!("p.sort_key {direction}, pg.title {direction}"),
        PeopleOrder::Born => {
            format!("p.born_from IS NULL, p.born_from {direction}, p.sort_key, pg.title")
        }
        PeopleOrder::Died => {
            format!("p.died_from IS NULL, p.died_from {direction}, p.sort_key, pg.title")
        }
    };
    // `people` is the outer loop (`CROSS JOIN`), and in name order it walks
    // `people_by_sort_key` and stops at the limit: left to choose, SQLite scanned every page, or
    // every date in range, and sorted the matches (100,000 people, born 1900–1950: 60 ms
    // against under 1 ms; with no match at all the walk reads the whole index, about 15 ms).
    let people = match query.order {
        PeopleOrder::Name => "people p INDEXED BY people_by_sort_key",
        PeopleOrder::Born | PeopleOrder::Died => "people p",
    };
    let sql = format!(
        "SELECT pg.title, p.name, p.sort_key, p.born_text, p.died_text, {date}
         FROM {people} CROSS JOIN pages pg ON pg.id = p.page_id
         WHERE {} ORDER BY {order} LIMIT ? OFFSET ?",
        conditions.join(" AND ")
    );
    values.push(Value::Integer(
        i64::try_from(query.limit).unwrap_or(i64::MAX),
    ));
    values.push(Value::Integer(
        i64::try_from(query.offset).unwrap_or(i64::MAX),
    ));
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params_from_iter(values), |row| {
        let title: String = row.get(0)?;
        let sort_key: String = row.get(2)?;
        Ok(PersonRow {
            key: PersonKey {
                date: row.get(5)?,
                sort_key: sort_key.clone(),
                title: title.clone(),
            },
            title,
            name: row.get(1)?,
            sort_key,
            born: row.get(3)?,
            died: row.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An event of everyone's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// The person's page.
    pub title: String,
    /// The person's name.
    pub name: String,
    /// `birth`, `membership_start`…
    pub kind: String,
    /// `Born in London`.
    pub label: String,
    /// The date's text.
    pub date_text: String,
    /// A linked page.
    pub link: Option<String>,
    /// `early`, `mid`, `late`, `before`, `after`.
    pub qualifier: Option<String>,
    /// Where it was read in the text: the stable section id and the sentence's span.
    pub from: Option<(i64, (i64, i64))>,
    /// Its place in the timeline's order.
    pub key: EventKey,
}

/// An event's place in the timeline's order: its interval, the page's title and the event's
/// position in the page (together unique).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventKey {
    /// The first day of the date's interval.
    pub date_from: String,
    /// The last day.
    pub date_to: String,
    /// The person's page.
    pub title: String,
    /// The event's position among the page's events.
    pub position: i64,
}

/// Everyone's events whose dates overlap `from`..`to` (days, either open), in date order.
pub fn timeline(
    conn: &Connection,
    from: Option<&str>,
    to: Option<&str>,
    limit: usize,
    offset: usize,
    after: Option<&EventKey>,
) -> Result<Vec<EventRow>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT pg.title, p.name, e.kind, e.label, e.date_text, e.link, e.qualifier,
                rs.section_id, e.span_start, e.span_end, e.date_from, e.date_to, e.position
         FROM events e JOIN people p ON p.page_id = e.page_id JOIN pages pg ON pg.id = e.page_id
         LEFT JOIN revision_sections rs
                ON rs.revision_id = pg.latest_revision AND rs.position = e.section
         WHERE e.date_from <= ?2 AND e.date_to >= ?1 AND pg.deleted = 0
           AND (?5 IS NULL OR (e.date_from, e.date_to, pg.title, e.position) > (?5, ?6, ?7, ?8))
         ORDER BY e.date_from, e.date_to, pg.title, e.position LIMIT ?3 OFFSET ?4",
    )?;
    let rows = statement.query_map(
        params![
            from.unwrap_or("0000-00-00"),
            to.unwrap_or("9999-99-99"),
            limit as i64,
            offset as i64,
            after.map(|k| &k.date_from),
            after.map(|k| &k.date_to),
            after.map(|k| &k.title),
            after.map(|k| k.position),
        ],
        |row| {
            let title: String = row.get(0)?;
            Ok(EventRow {
                key: EventKey {
                    date_from: row.get(10)?,
                    date_to: row.get(11)?,
                    title: title.clone(),
                    position: row.get(12)?,
                },
                title,
                name: row.get(1)?,
                kind: row.get(2)?,
                label: row.get(3)?,
                date_text: row.get(4)?,
                link: row.get(5)?,
                qualifier: row.get(6)?,
                from: match (row.get(7)?, row.get(8)?, row.get(9)?) {
                    (Some(section), Some(start), Some(end)) => Some((section, (start, end))),
                    _ => None,
                },
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}
