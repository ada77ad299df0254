//! What the page information view counts: a page's revisions.

use rusqlite::{Connection, params};

use super::StoreError;

/// How many revisions a page has, and the first of them.
pub fn revision_span(conn: &Connection, page_id: i64) -> Result<(i64, Option<i64>), StoreError> {
    Ok(conn
        .prepare_cached("SELECT count(*), min(id) FROM revisions WHERE page_id = ?1")?
        .query_row(params![page_id], |row| Ok((row.get(0)?, row.get(1)?)))?)
}
