//! Mentions of people in source documents (`db/0016_mentions.sql`): every person's names for
//! the automaton, the rows of each source, and the token that says when names changed.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// One person named in one source, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMention {
    /// The person's page.
    pub person_id: i64,
    /// How many times the source names them.
    pub count: i64,
    /// The first mention's bytes in the source's stored text.
    pub span: (i64, i64),
    /// The name as the first mention writes it.
    pub name: String,
}

/// One mention with the titles of both pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMention {
    /// The source's title (`Source:…`).
    pub source: String,
    /// The person's title.
    pub person: String,
    /// The person's display name.
    pub person_name: String,
    /// How many times.
    pub count: i64,
    /// The first mention's bytes in the source's stored text.
    pub span: (i64, i64),
    /// The name as the first mention writes it.
    pub name: String,
}

/// Every name of every live person: `(person page id, name)`, from the page title, the
/// display name, the `alias` and `birth_name` facts, and the titles of live redirects to the
/// page. Repeats are left to the caller.
pub fn all_names(conn: &Connection) -> Result<Vec<(i64, String)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.page_id, g.title FROM people p JOIN pages g ON g.id = p.page_id
         WHERE g.deleted = 0
         UNION ALL SELECT page_id, name FROM people
         UNION ALL SELECT page_id, value FROM facts WHERE kind IN ('alias', 'birth_name')
         UNION ALL SELECT p.page_id, r.title FROM pages r
             JOIN pages t ON t.title = r.redirect_to AND t.deleted = 0
             JOIN people p ON p.page_id = t.id
         WHERE r.deleted = 0 AND r.redirect_to IS NOT NULL",
    )?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The names page `page_id` gives its person as stored now (display name, aliases), sorted:
/// compared with a new text's to see whether its names changed. Empty when it is no person.
pub fn own_names(conn: &Connection, page_id: i64) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT name FROM people WHERE page_id = ?1
         UNION ALL SELECT value FROM facts
         WHERE page_id = ?1 AND kind IN ('alias', 'birth_name')",
    )?;
    let rows = statement.query_map([page_id], |row| row.get::<_, String>(0))?;
    let mut names: Vec<String> = rows.collect::<Result<_, _>>()?;
    names.sort();
    Ok(names)
}

/// The token of the names now (see the migration): changes with any person's names.
pub fn names_token(conn: &Connection) -> Result<i64, StoreError> {
    Ok(
        conn.query_row("SELECT names FROM mention_index WHERE id = 1", [], |row| {
            row.get(0)
        })?,
    )
}

/// Gives the names a new token: the automaton built under the old one is stale.
pub fn renew_names_token(conn: &Connection) -> Result<(), StoreError> {
    conn.prepare_cached("UPDATE mention_index SET names = random() WHERE id = 1")?
        .execute([])?;
    Ok(())
}

/// The version of the mention reading the stored rows come from.
pub fn version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT version FROM mention_index WHERE id = 1",
        [],
        |row| row.get(0),
    )?)
}

/// Records the version of the mention reading.
pub fn set_version(conn: &Connection, version: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE mention_index SET version = ?1 WHERE id = 1",
        [version],
    )?;
    Ok(())
}

/// Makes the mentions of source `source_id` exactly `mentions`.
pub fn replace(
    conn: &Connection,
    source_id: i64,
    mentions: &[NewMention],
) -> Result<(), StoreError> {
    clear_source(conn, source_id)?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO mentions (source_id, person_id, count, span_start, span_end, name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for m in mentions {
        insert.execute(params![
            source_id,
            m.person_id,
            m.count,
            m.span.0,
            m.span.1,
            m.name
        ])?;
    }
    Ok(())
}

/// Forgets the mentions of source `source_id`.
pub fn clear_source(conn: &Connection, source_id: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM mentions WHERE source_id = ?1")?
        .execute([source_id])?;
    Ok(())
}

/// Forgets every mention of and by page `page_id` (it was deleted).
pub fn clear_page(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM mentions WHERE source_id = ?1 OR person_id = ?1")?
        .execute([page_id])?;
    Ok(())
}

const COLUMNS: &str = "s.title, p.title, coalesce(pp.name, p.title), m.count, m.span_start,
     m.span_end, m.name";
const JOINS: &str = "FROM mentions m
     JOIN pages s ON s.id = m.source_id AND s.deleted = 0
     JOIN pages p ON p.id = m.person_id AND p.deleted = 0
     LEFT JOIN people pp ON pp.page_id = m.person_id";

fn stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredMention> {
    Ok(StoredMention {
        source: row.get(0)?,
        person: row.get(1)?,
        person_name: row.get(2)?,
        count: row.get(3)?,
        span: (row.get(4)?, row.get(5)?),
        name: row.get(6)?,
    })
}

/// The people source `source_id` mentions, most mentioned first, at most `limit`.
pub fn of_source(
    conn: &Connection,
    source_id: i64,
    limit: usize,
) -> Result<Vec<StoredMention>, StoreError> {
    listed(
        conn,
        "m.source_id = ?1 ORDER BY m.count DESC, p.title",
        source_id,
        limit,
    )
}

/// The sources that mention person `person_id`, most mentions first, at most `limit`.
pub fn of_person(
    conn: &Connection,
    person_id: i64,
    limit: usize,
) -> Result<Vec<StoredMention>, StoreError> {
    listed(
        conn,
        "m.person_id = ?1 ORDER BY m.count DESC, s.title",
        person_id,
        limit,
    )
}

/// The mentions `filter` (a condition on `?1` and an order, one of the two above) selects.
fn listed(
    conn: &Connection,
    filter: &str,
    id: i64,
    limit: usize,
) -> Result<Vec<StoredMention>, StoreError> {
    let mut statement =
        conn.prepare_cached(&format!("SELECT {COLUMNS} {JOINS} WHERE {filter} LIMIT ?2"))?;
    let rows = statement.query_map(params![id, limit as i64], stored)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Live `Source:` pages that are not redirects, after `after` (by id), at most `limit`, with
/// their latest revision: a batch of the rescan.
pub fn sources_after(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, latest_revision FROM pages
         WHERE id > ?1 AND deleted = 0 AND latest_revision IS NOT NULL
             AND redirect_to IS NULL AND title >= 'Source:' AND title < 'Source;'
         ORDER BY id LIMIT ?2",
    )?;
    let rows = statement.query_map(params![after, limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many sources [`sources_after`] would walk after `after`.
pub fn sources_count_after(conn: &Connection, after: i64) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM pages
         WHERE id > ?1 AND deleted = 0 AND latest_revision IS NOT NULL
             AND redirect_to IS NULL AND title >= 'Source:' AND title < 'Source;'",
        [after],
        |row| row.get(0),
    )?)
}

/// The file of the database `conn` is open on (`None` for one in memory): the key of what is
/// kept in memory for that database.
pub fn database_file(conn: &Connection) -> Option<String> {
    conn.path().filter(|p| !p.is_empty()).map(str::to_owned)
}

/// Whether any live source document exists (a rescan has something to read).
pub fn any_source(conn: &Connection) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM pages WHERE deleted = 0 AND latest_revision IS NOT NULL
                 AND redirect_to IS NULL AND title >= 'Source:' AND title < 'Source;' LIMIT 1",
        )?
        .query_row([], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether the live page `title` is a person's.
pub fn is_person(conn: &Connection, title: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM pages g JOIN people p ON p.page_id = g.id
             WHERE g.title = ?1 AND g.deleted = 0",
        )?
        .query_row([title], |_| Ok(()))
        .optional()?
        .is_some())
}
