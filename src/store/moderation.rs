//! Moderation: protected pages and hidden revisions (a deleted page's revisions count as hidden).
//!
//! This module only keeps what `wiki::moderation` decides: who may edit a protected page, which
//! revision may be hidden and who sees it are rules, not storage.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// Who protected a page or hid a revision, when and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModerationNote {
    /// The admin's user name.
    pub by: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Why, as they wrote it.
    pub reason: String,
}

fn note(row: &rusqlite::Row<'_>) -> rusqlite::Result<ModerationNote> {
    Ok(ModerationNote {
        by: row.get(0)?,
        at: row.get(1)?,
        reason: row.get(2)?,
    })
}

/// The protection of a page, if it is protected.
pub fn protection(conn: &Connection, page_id: i64) -> Result<Option<ModerationNote>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT u.name, p.protected_at, p.reason FROM page_protection p
             JOIN users u ON u.id = p.protected_by WHERE p.page_id = ?1",
        )?
        .query_row([page_id], note)
        .optional()?)
}

/// Protects a page (or replaces the note of a protected page).
pub fn protect(
    conn: &Connection,
    page_id: i64,
    by: i64,
    at: &str,
    reason: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO page_protection (page_id, protected_by, protected_at, reason)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![page_id, by, at, reason])?;
    Ok(())
}

/// Lifts a page's protection; whether it was protected.
pub fn unprotect(conn: &Connection, page_id: i64) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("DELETE FROM page_protection WHERE page_id = ?1")?
        .execute([page_id])?
        == 1)
}

/// For a save: whether the page is protected, and the role of the user saving (`None` if there
/// is no such user).
pub fn edit_check(
    conn: &Connection,
    page_id: i64,
    user_id: i64,
) -> Result<(bool, Option<String>), StoreError> {
    let protected = conn
        .prepare_cached("SELECT 1 FROM page_protection WHERE page_id = ?1")?
        .exists([page_id])?;
    if !protected {
        return Ok((false, None));
    }
    Ok((true, role(conn, user_id)?))
}

/// Why a revision is hidden, if it is: hidden itself, or a revision of a deleted page (whose
/// revisions are treated as hidden everywhere until the page is undeleted; the note is the
/// deletion's). This is the one question every read of a revision asks.
pub fn hidden(conn: &Connection, revision: i64) -> Result<Option<ModerationNote>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT u.name, h.hidden_at, h.reason FROM hidden_revisions h
             JOIN users u ON u.id = h.hidden_by WHERE h.revision_id = ?1
             UNION ALL
             SELECT u.name, d.deleted_at,
                    'deleted with its page' || CASE d.reason WHEN '' THEN '' ELSE ': ' || d.reason END
             FROM revisions r JOIN deleted_pages d ON d.page_id = r.page_id
             JOIN users u ON u.id = d.deleted_by WHERE r.id = ?1
             LIMIT 1",
        )?
        .query_row([revision], note)
        .optional()?)
}

/// Which of `revisions` are hidden (themselves, or as revisions of a deleted page).
pub fn hidden_among(conn: &Connection, revisions: &[i64]) -> Result<HashSet<i64>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT 1 FROM hidden_revisions WHERE revision_id = ?1
         UNION ALL
         SELECT 1 FROM revisions r JOIN deleted_pages d ON d.page_id = r.page_id WHERE r.id = ?1",
    )?;
    let mut hidden = HashSet::new();
    for &revision in revisions {
        if statement.exists([revision])? {
            hidden.insert(revision);
        }
    }
    Ok(hidden)
}

/// The role of the user `user_id` as stored (`None` if there is no such user).
pub fn role(conn: &Connection, user_id: i64) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT role FROM users WHERE id = ?1")?
        .query_row([user_id], |row| row.get(0))
        .optional()?)
}

/// Hides a revision (or replaces the note of a hidden one).
pub fn hide(
    conn: &Connection,
    revision: i64,
    by: i64,
    at: &str,
    reason: &str,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO hidden_revisions (revision_id, hidden_by, hidden_at, reason)
         VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![revision, by, at, reason])?;
    Ok(())
}

/// Shows a hidden revision again; whether it was hidden.
pub fn unhide(conn: &Connection, revision: i64) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("DELETE FROM hidden_revisions WHERE revision_id = ?1")?
        .execute([revision])?
        == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().expect("open");
        super::super::migrations::migrate(&mut conn, std::path::Path::new(":memory:"))
            .expect("migrate");
        conn.execute("INSERT INTO pages (id, title) VALUES (7, 'P')", [])
            .expect("page");
        conn
    }

    #[test]
    fn protection_comes_and_goes() {
        let conn = conn();
        assert_eq!(protection(&conn, 7).unwrap(), None);
        assert_eq!(edit_check(&conn, 7, 1).unwrap(), (false, None));
        protect(&conn, 7, 1, "2026-01-01T00:00:00Z", "vandalism").unwrap();
        let found = protection(&conn, 7).unwrap().unwrap();
        assert_eq!(
            (found.by.as_str(), found.reason.as_str()),
            ("Plutarch", "vandalism")
        );
        assert_eq!(
            edit_check(&conn, 7, 1).unwrap(),
            (true, Some("system".to_owned()))
        );
        assert!(unprotect(&conn, 7).unwrap());
        assert!(!unprotect(&conn, 7).unwrap());
    }
}
