//! Watchlists (issue 15): what each user watches (a page, or one section of it) and the
//! token of their private watchlist feed.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;
use super::pages::{META_COLUMNS, META_JOINS, RevisionMeta, meta_from_row};

/// The `section_id` of a watch on a whole page.
pub const WHOLE_PAGE: i64 = 0;

/// Watches a page (`section_id` [`WHOLE_PAGE`]) or one of its sections; false if it was
/// watched already.
pub fn watch(
    conn: &Connection,
    user_id: i64,
    page_id: i64,
    section_id: i64,
    created_at: &str,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "INSERT INTO watches (user_id, page_id, section_id, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        params![user_id, page_id, section_id, created_at],
    )? == 1)
}

/// Stops watching; false if it was not watched.
pub fn unwatch(
    conn: &Connection,
    user_id: i64,
    page_id: i64,
    section_id: i64,
) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "DELETE FROM watches WHERE user_id = ?1 AND page_id = ?2 AND section_id = ?3",
        params![user_id, page_id, section_id],
    )? == 1)
}

/// How many watches a user has.
pub fn count(conn: &Connection, user_id: i64) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM watches WHERE user_id = ?1")?
        .query_row([user_id], |row| row.get(0))?)
}

/// What the user watches on a page: section ids, [`WHOLE_PAGE`] for the page itself.
pub fn on_page(conn: &Connection, user_id: i64, page_id: i64) -> Result<Vec<i64>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT section_id FROM watches WHERE user_id = ?1 AND page_id = ?2 ORDER BY section_id",
    )?;
    let rows = statement.query_map(params![user_id, page_id], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The revisions of live pages that a user's watches cover, newest first, older than
/// `before`: every revision of a watched page, and of a watched section the revisions that
/// changed it (one range of `revisions_by_page` or `section_changes` per watch).
pub fn changes(
    conn: &Connection,
    user_id: i64,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<RevisionMeta>, StoreError> {
    let sql = format!(
        "SELECT {META_COLUMNS} FROM revisions r {META_JOINS}
         WHERE r.id IN (
             SELECT w_r.id FROM watches w JOIN revisions w_r ON w_r.page_id = w.page_id
             WHERE w.user_id = ?1 AND w.section_id = 0 AND w_r.id < ?2
             UNION
             SELECT rs.revision_id FROM watches w
             JOIN revision_sections rs ON rs.section_id = w.section_id AND rs.changed = 1
             WHERE w.user_id = ?1 AND w.section_id <> 0 AND rs.revision_id < ?2
         ) AND p.deleted = 0
         ORDER BY r.id DESC LIMIT ?3"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(
        params![user_id, before.unwrap_or(i64::MAX), limit as i64],
        |row| meta_from_row(row, 0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Sets the user's feed token (by hash), replacing any earlier one.
pub fn set_feed_token(
    conn: &Connection,
    user_id: i64,
    token_hash: &str,
    created_at: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO watchlist_feeds (user_id, token_hash, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (user_id) DO UPDATE SET token_hash = ?2, created_at = ?3",
        params![user_id, token_hash, created_at],
    )?;
    Ok(())
}

/// Revokes the user's feed token; false if they had none.
pub fn delete_feed_token(conn: &Connection, user_id: i64) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM watchlist_feeds WHERE user_id = ?1", [user_id])? == 1)
}

/// When the user's feed token was made, if they have one.
pub fn feed_token_made(conn: &Connection, user_id: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT created_at FROM watchlist_feeds WHERE user_id = ?1")?
        .query_row([user_id], |row| row.get(0))
        .optional()?)
}

/// The user (id, name) a feed token (by hash) belongs to.
pub fn feed_owner(
    conn: &Connection,
    token_hash: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT u.id, u.name FROM watchlist_feeds f JOIN users u ON u.id = f.user_id
             WHERE f.token_hash = ?1 AND u.role <> 'system'",
        )?
        .query_row([token_hash], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}
