//! What pages point at: links, categories and templates of each page's latest revision.

use rusqlite::{Connection, params};

use super::StoreError;

/// Replaces everything `page_id` points at (pass empty lists to clear, as for a deleted page).
pub fn replace(
    conn: &Connection,
    page_id: i64,
    links: &[String],
    categories: &[(String, String)],
    templates: &[String],
) -> Result<(), StoreError> {
    clear(conn, page_id)?;
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO links (page_id, target) VALUES (?1, ?2)")?;
    for target in links {
        insert.execute(params![page_id, target])?;
    }
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO categories (page_id, name, sort_key) VALUES (?1, ?2, ?3)",
    )?;
    for (name, sort_key) in categories {
        insert.execute(params![page_id, name, sort_key])?;
    }
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO templates (page_id, name) VALUES (?1, ?2)")?;
    for name in templates {
        insert.execute(params![page_id, name])?;
    }
    Ok(())
}

/// Forgets what `page_id` points at.
pub fn clear(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM links WHERE page_id = ?1",
        "DELETE FROM categories WHERE page_id = ?1",
        "DELETE FROM templates WHERE page_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([page_id])?;
    }
    Ok(())
}

/// A page's outgoing links, in title order, each with whether its target is a live page.
pub fn outgoing(conn: &Connection, page_id: i64) -> Result<Vec<(String, bool)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT l.target, EXISTS (SELECT 1 FROM pages t WHERE t.title = l.target AND t.deleted = 0)
         FROM links l WHERE l.page_id = ?1 ORDER BY l.target",
    )?;
    let rows = statement.query_map([page_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The live pages that link to `title` (with whether each is a redirect), in title order,
/// after the title `after`.
pub fn incoming(
    conn: &Connection,
    title: &str,
    limit: usize,
    after: Option<&str>,
) -> Result<Vec<(String, bool)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.title, p.redirect_to IS NOT NULL FROM links l JOIN pages p ON p.id = l.page_id
         WHERE l.target = ?1 AND p.deleted = 0 AND p.title > ?2 ORDER BY p.title LIMIT ?3",
    )?;
    let rows = statement.query_map(params![title, after.unwrap_or(""), limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The links to pages that do not exist, as (target, how many pages link to it), most wanted first.
pub fn wanted(conn: &Connection, limit: usize) -> Result<Vec<(String, i64)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT l.target, count(*) AS n FROM links l JOIN pages p ON p.id = l.page_id
         WHERE p.deleted = 0
           AND NOT EXISTS (SELECT 1 FROM pages t WHERE t.title = l.target AND t.deleted = 0)
         GROUP BY l.target ORDER BY n DESC, l.target LIMIT ?1",
    )?;
    let rows = statement.query_map([limit as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The live pages in category `name`, as (title, sort key), in sort-key order.
pub fn category_members(
    conn: &Connection,
    name: &str,
    limit: usize,
) -> Result<Vec<(String, String)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.title, c.sort_key FROM categories c JOIN pages p ON p.id = c.page_id
         WHERE c.name = ?1 AND p.deleted = 0 ORDER BY c.sort_key, p.title LIMIT ?2",
    )?;
    let rows = statement.query_map(params![name, limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The categories of a page, as (name, sort key).
pub fn categories_of(conn: &Connection, page_id: i64) -> Result<Vec<(String, String)>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT name, sort_key FROM categories WHERE page_id = ?1 ORDER BY name")?;
    let rows = statement.query_map([page_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
