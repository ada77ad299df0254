//! What pages point at: links, categories and templates of each page's latest revision.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// What [`replace`] changed: the link targets and categories a page gained or lost (their
/// "what links here" and category listings changed with it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retargeted {
    /// Link targets added or removed.
    pub links: Vec<String>,
    /// Categories joined, left, or sorted under another key.
    pub categories: Vec<String>,
}

/// Makes what `page_id` points at exactly these lists (empty lists clear it), writing only
/// the differences (an edit usually changes few links, if any), and says what differed.
pub fn replace(
    conn: &Connection,
    page_id: i64,
    links: &[String],
    categories: &[(String, String)],
    templates: &[String],
) -> Result<Retargeted, StoreError> {
    let links = sync_links(conn, page_id, links)?;
    let categories = sync(
        conn,
        page_id,
        categories.to_vec(),
        "SELECT name, sort_key FROM categories WHERE page_id = ?1",
        "DELETE FROM categories WHERE page_id = ?1 AND name = ?2",
        "INSERT OR REPLACE INTO categories (page_id, name, sort_key) VALUES (?1, ?2, ?3)",
    )?;
    sync(
        conn,
        page_id,
        templates
            .iter()
            .map(|t| (t.clone(), String::new()))
            .collect(),
        "SELECT name, '' FROM templates WHERE page_id = ?1",
        "DELETE FROM templates WHERE page_id = ?1 AND name = ?2",
        "INSERT OR IGNORE INTO templates (page_id, name) VALUES (?1, ?2)",
    )?;
    Ok(Retargeted { links, categories })
}

/// Brings `page_id`'s links to `targets`, writing only the differences, and returns the
/// targets added or removed.
fn sync_links(
    conn: &Connection,
    page_id: i64,
    targets: &[String],
) -> Result<Vec<String>, StoreError> {
    let want: HashSet<&str> = targets.iter().map(String::as_str).collect();
    let have: HashMap<String, i64> = conn
        .prepare_cached(
            "SELECT t.title, l.target_id FROM links l JOIN link_targets t ON t.id = l.target_id
             WHERE l.page_id = ?1",
        )?
        .query_map([page_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut changed = Vec::new();
    let mut delete =
        conn.prepare_cached("DELETE FROM links WHERE page_id = ?1 AND target_id = ?2")?;
    for (title, target_id) in have.iter().filter(|(t, _)| !want.contains(t.as_str())) {
        delete.execute(params![page_id, target_id])?;
        changed.push(title.clone());
    }
    let mut insert =
        conn.prepare_cached("INSERT OR IGNORE INTO links (page_id, target_id) VALUES (?1, ?2)")?;
    for title in want.into_iter().filter(|t| !have.contains_key(*t)) {
        insert.execute(params![page_id, target_id(conn, title)?])?;
        changed.push(title.to_owned());
    }
    Ok(changed)
}

/// The id of the link target `title`, made if it has none yet.
fn target_id(conn: &Connection, title: &str) -> Result<i64, StoreError> {
    let found = conn
        .prepare_cached("SELECT id FROM link_targets WHERE title = ?1")?
        .query_row([title], |row| row.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    conn.prepare_cached("INSERT INTO link_targets (title) VALUES (?1)")?
        .execute([title])?;
    Ok(conn.last_insert_rowid())
}

/// Brings one of the tables to `wanted` (key -> value; the first value of a repeated key wins),
/// and returns the keys added, removed or given another value.
fn sync(
    conn: &Connection,
    page_id: i64,
    wanted: Vec<(String, String)>,
    select: &str,
    delete: &str,
    insert: &str,
) -> Result<Vec<String>, StoreError> {
    let mut want: HashMap<String, String> = HashMap::with_capacity(wanted.len());
    for (key, value) in wanted {
        want.entry(key).or_insert(value);
    }
    let have: HashMap<String, String> = conn
        .prepare_cached(select)?
        .query_map([page_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let mut changed = Vec::new();
    let mut delete = conn.prepare_cached(delete)?;
    for key in have.keys().filter(|k| !want.contains_key(*k)) {
        delete.execute(params![page_id, key])?;
        changed.push(key.clone());
    }
    let mut insert = conn.prepare_cached(insert)?;
    let with_value = insert.parameter_count() == 3;
    for (key, value) in &want {
        if have.get(key) == Some(value) {
            continue;
        }
        if with_value {
            insert.execute(params![page_id, key, value])?;
        } else {
            insert.execute(params![page_id, key])?;
        }
        changed.push(key.clone());
    }
    Ok(changed)
}

/// What one page points at, for [`replace_many`].
#[derive(Debug, Clone, Copy)]
pub struct PageTargets<'a> {
    /// The page.
    pub page_id: i64,
    /// Whether the page has no rows here yet (its first text, or its first since it was
    /// deleted, which cleared them): nothing to delete.
    pub fresh: bool,
    /// Normalised link targets.
    pub links: &'a [String],
    /// Categories with sort keys.
    pub categories: &'a [(String, String)],
    /// Template names.
    pub templates: &'a [String],
}

/// [`replace`] for many pages at once (an import batch): the old rows go, then the new ones are
/// inserted in primary-key order (page, then target), so the tables are written in order, not
/// scattered (measured: about 15 % faster than in target order, which favours the smaller
/// by-target indexes instead). Each link target's id is looked up once per batch.
pub fn replace_many(conn: &Connection, pages: &[PageTargets<'_>]) -> Result<(), StoreError> {
    for page in pages.iter().filter(|p| !p.fresh) {
        clear(conn, page.page_id)?;
    }
    // A batch of biographies links to a few thousand distinct titles: look each up once.
    let mut ids: HashMap<&str, i64> = HashMap::new();
    let mut links: Vec<(i64, i64)> = Vec::new();
    for page in pages {
        for title in page.links {
            let id = match ids.get(title.as_str()) {
                Some(&id) => id,
                None => {
                    let id = target_id(conn, title)?;
                    ids.insert(title, id);
                    id
                }
            };
            links.push((page.page_id, id));
        }
    }
    links.sort_unstable();
    links.dedup();
    insert_by_page(
        conn,
        "INSERT OR IGNORE INTO links (page_id, target_id) SELECT ?1, value FROM rarray(?2)",
        &links,
        |&id| Value::Integer(id),
    )?;
    let mut categories: Vec<(i64, &str, &str)> = pages
        .iter()
        .flat_map(|p| {
            p.categories
                .iter()
                .map(move |(name, sort)| (p.page_id, name.as_str(), sort.as_str()))
        })
        .collect();
    // Sorted by page and name only: for a category given twice, the first sort key wins, as in
    // `replace`.
    categories.sort_by_key(|&(page_id, name, _)| (page_id, name));
    let mut insert = conn.prepare_cached(
        "INSERT OR IGNORE INTO categories (page_id, name, sort_key) VALUES (?1, ?2, ?3)",
    )?;
    for (page_id, name, sort_key) in categories {
        insert.execute(params![page_id, name, sort_key])?;
    }
    let mut templates: Vec<(i64, &str)> = pages
        .iter()
        .flat_map(|p| p.templates.iter().map(move |t| (p.page_id, t.as_str())))
        .collect();
    templates.sort_unstable();
    templates.dedup();
    insert_by_page(
        conn,
        "INSERT OR IGNORE INTO templates (page_id, name) SELECT ?1, value FROM rarray(?2)",
        &templates,
        |&name| Value::Text(name.to_owned()),
    )
}

/// Runs `sql` once a page of `rows` (sorted by page), its page id as `?1` and the values of its
/// rows as one array, `?2` (`rarray`): a biography links to about 90 pages and uses about 15
/// templates, and a statement's own cost (its cursors opened and closed, its parameters bound)
/// was about a third of a row's. The tables' foreign keys are checked at commit (db/0029,
/// db/0030), so such a statement needs no journal of its own.
fn insert_by_page<T>(
    conn: &Connection,
    sql: &str,
    rows: &[(i64, T)],
    value: impl Fn(&T) -> Value,
) -> Result<(), StoreError> {
    let mut insert = conn.prepare_cached(sql)?;
    for page in rows.chunk_by(|a, b| a.0 == b.0) {
        let values: Vec<Value> = page.iter().map(|(_, row)| value(row)).collect();
        insert.execute(params![page[0].0, Rc::new(values)])?;
    }
    Ok(())
}

/// Forgets what `page_id` points at.
pub fn clear(conn: &Connection, page_id: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM links WHERE page_id = ?1",
        "DELETE FROM categories WHERE page_id = ?1",
        "DELETE FROM templates WHERE page_id = ?1",
        "DELETE FROM transclusions WHERE page_id = ?1",
    ] {
        conn.prepare_cached(sql)?.execute([page_id])?;
    }
    Ok(())
}

/// A page's outgoing links, in title order, each with whether its target is a live page.
pub fn outgoing(conn: &Connection, page_id: i64) -> Result<Vec<(String, bool)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT t.title, EXISTS (SELECT 1 FROM pages p WHERE p.title = t.title AND p.deleted = 0)
         FROM links l JOIN link_targets t ON t.id = l.target_id
         WHERE l.page_id = ?1 ORDER BY t.title",
    )?;
    let rows = statement.query_map([page_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The live pages that link to `title` or transclude it (with whether each is a redirect), in
/// title order, after the title `after`.
pub fn incoming(
    conn: &Connection,
    title: &str,
    limit: usize,
    after: Option<&str>,
) -> Result<Vec<(String, bool)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT title, redirect FROM (
             SELECT p.title AS title, p.redirect_to IS NOT NULL AS redirect
             FROM link_targets t JOIN links l ON l.target_id = t.id
             JOIN pages p ON p.id = l.page_id
             WHERE t.title = ?1 AND p.deleted = 0 AND p.title > ?2
             UNION
             SELECT p.title, p.redirect_to IS NOT NULL
             FROM transclusions u JOIN pages p ON p.id = u.page_id
             WHERE u.title = ?1 AND p.deleted = 0 AND p.title > ?2
         ) ORDER BY title LIMIT ?3",
    )?;
    let rows = statement.query_map(params![title, after.unwrap_or(""), limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The pages whose view shows `title`: those linking to it (a link's colour says whether it
/// exists), for a template those using `template` (its name without the namespace), and those
/// transcluding it (`db/0023`).
pub fn dependents(
    conn: &Connection,
    title: &str,
    template: Option<&str>,
) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT p.title FROM link_targets t JOIN links l ON l.target_id = t.id
         JOIN pages p ON p.id = l.page_id WHERE t.title = ?1
         UNION
         SELECT p.title FROM templates u JOIN pages p ON p.id = u.page_id WHERE u.name = ?2
         UNION
         SELECT p.title FROM transclusions u JOIN pages p ON p.id = u.page_id WHERE u.title = ?1",
    )?;
    let rows = statement.query_map(params![title, template], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The links to pages that do not exist, as (target, how many pages link to it), most wanted first.
/// Files a page shows (recorded as links to `File:` pages) are uploaded, not written: left out.
pub fn wanted(conn: &Connection, limit: usize) -> Result<Vec<(String, i64)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT t.title, count(*) AS n
         FROM links l JOIN pages p ON p.id = l.page_id JOIN link_targets t ON t.id = l.target_id
         WHERE p.deleted = 0 AND t.title NOT LIKE 'File:%'
           AND NOT EXISTS (SELECT 1 FROM pages q WHERE q.title = t.title AND q.deleted = 0)
         GROUP BY l.target_id ORDER BY n DESC, t.title LIMIT ?1",
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

/// The templates the live page titled `title` uses (their names as written, normalised), by
/// name; none when there is no such page.
pub fn templates_of_title(conn: &Connection, title: &str) -> Result<Vec<String>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT t.name FROM templates t JOIN pages p ON p.id = t.page_id
         WHERE p.title = ?1 AND p.deleted = 0 ORDER BY t.name",
    )?;
    let rows = statement.query_map([title], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The categories of a page, as (name, sort key).
pub fn categories_of(conn: &Connection, page_id: i64) -> Result<Vec<(String, String)>, StoreError> {
    let mut statement = conn
        .prepare_cached("SELECT name, sort_key FROM categories WHERE page_id = ?1 ORDER BY name")?;
    let rows = statement.query_map([page_id], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
