//! What the namespace backfill (`wiki::namespaces`) reads and writes: the titles stored
//! anywhere that may be written otherwise under today's title rules, and the version of those
//! rules the stored titles follow. Only titles with a colon can fall into a namespace, so only
//! those are read.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// The version of the title rules the stored titles follow (see `db/0010_namespaces.sql`).
pub fn rules_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .query_row("SELECT version FROM title_rules WHERE id = 1", [], |row| {
            row.get(0)
        })
        .optional()?
        .unwrap_or(0))
}

/// Records that the stored titles follow version `version` of the title rules.
pub fn set_rules_version(conn: &Connection, version: i64) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO title_rules (id, version) VALUES (1, ?1)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        [version],
    )?;
    Ok(())
}

/// Every page whose title has a colon, as (id, title), in id order (live, deleted, redirects).
pub fn pages_with_colon(conn: &Connection) -> Result<Vec<(i64, String)>, StoreError> {
    let mut statement =
        conn.prepare("SELECT id, title FROM pages WHERE instr(title, ':') > 0 ORDER BY id")?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The titles with a colon that pages refer to, with the page referring: link targets,
/// redirect targets, category and template names, the links of facts and timeline events. As
/// (page id, title), each pair once, in page order.
pub fn references_with_colon(conn: &Connection) -> Result<Vec<(i64, String)>, StoreError> {
    let mut statement = conn.prepare(
        "SELECT l.page_id, t.title FROM link_targets t JOIN links l ON l.target_id = t.id
             WHERE instr(t.title, ':') > 0
         UNION SELECT id, redirect_to FROM pages WHERE instr(redirect_to, ':') > 0
         UNION SELECT page_id, name FROM categories WHERE instr(name, ':') > 0
         UNION SELECT page_id, name FROM templates WHERE instr(name, ':') > 0
         UNION SELECT page_id, link FROM facts WHERE instr(link, ':') > 0
         UNION SELECT page_id, link FROM events WHERE instr(link, ':') > 0
         ORDER BY 1, 2",
    )?;
    let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether any page (live or deleted) has the title `title`.
pub fn taken(conn: &Connection, title: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM pages WHERE title = ?1")?
        .query_row(params![title], |_| Ok(()))
        .optional()?
        .is_some())
}
