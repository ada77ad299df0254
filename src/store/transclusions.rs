//! Which page transcludes which (`db/0024_transclusions.sql`, MediaWiki's templatelinks).

use rusqlite::{Connection, params};

use super::StoreError;

/// Replaces the pages `page_id` transcludes (full titles).
pub fn replace(conn: &Connection, page_id: i64, titles: &[String]) -> Result<(), StoreError> {
    conn.prepare_cached("DELETE FROM transclusions WHERE page_id = ?1")?
        .execute([page_id])?;
    let mut insert = conn
        .prepare_cached("INSERT OR IGNORE INTO transclusions (page_id, title) VALUES (?1, ?2)")?;
    for title in titles {
        insert.execute(params![page_id, title])?;
    }
    Ok(())
}

/// The live pages transcluding `title` after page id `after`, at most `limit`, in id order:
/// (id, title, latest revision).
pub fn users_after(
    conn: &Connection,
    title: &str,
    after: i64,
    limit: usize,
) -> Result<Vec<(i64, String, i64)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.id, p.title, p.latest_revision FROM transclusions t
         JOIN pages p ON p.id = t.page_id
         WHERE t.title = ?1 AND t.page_id > ?2 AND p.deleted = 0
           AND p.latest_revision IS NOT NULL
         ORDER BY t.page_id LIMIT ?3",
    )?;
    let rows = statement.query_map(params![title, after, limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many live pages transclude `title`.
pub fn user_count(conn: &Connection, title: &str) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM transclusions t JOIN pages p ON p.id = t.page_id
             WHERE t.title = ?1 AND p.deleted = 0",
        )?
        .query_row([title], |row| row.get(0))?)
}

/// The live pages transcluding `title`, in title order after `after`, at most `limit`.
pub fn users_by_title(
    conn: &Connection,
    title: &str,
    limit: usize,
    after: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.title FROM transclusions t JOIN pages p ON p.id = t.page_id
         WHERE t.title = ?1 AND p.deleted = 0 AND p.title > ?2 ORDER BY p.title LIMIT ?3",
    )?;
    let rows = statement.query_map(params![title, after.unwrap_or(""), limit as i64], |row| {
        row.get(0)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// For tests that save with today's code into a database of a schema before this table: the
/// table for the time of the save (`lend`), then gone again (`take_back`), as that schema had
/// no transclusions.
#[cfg(test)]
pub(crate) mod old_schema {
    use rusqlite::Connection;

    use crate::store::StoreError;

    /// Creates the table.
    pub(crate) fn lend(conn: &Connection) -> Result<(), StoreError> {
        conn.execute_batch(
            "CREATE TABLE transclusions (page_id INTEGER NOT NULL, title TEXT NOT NULL,
                 PRIMARY KEY (page_id, title)) WITHOUT ROWID;",
        )?;
        Ok(())
    }

    /// Drops it again.
    pub(crate) fn take_back(conn: &Connection) -> Result<(), StoreError> {
        conn.execute_batch("DROP TABLE transclusions;")?;
        Ok(())
    }
}
