//! Accounts: users, sessions, API tokens, sign-in failures and the audit log.
//!
//! Every statement about accounts lives here; `auth` decides what to store (hashes, times,
//! throttling), this module only keeps it. Secrets never reach this module: sessions and
//! tokens arrive as SHA-256 hashes, passwords as Argon2 hashes.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// A user as the rest of the program sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// The user id (1 is the system account).
    pub id: i64,
    /// The user name, as registered.
    pub name: String,
    /// `system`, `reader`, `editor` or `admin`.
    pub role: String,
}

/// What signing in needs: the user and their password hash (none for the system account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The user.
    pub user: UserRow,
    /// The Argon2 PHC string, if the account can sign in at all.
    pub password_hash: Option<String>,
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The signed-in user.
    pub user: UserRow,
    /// The session's CSRF token.
    pub csrf: String,
    /// When the session was last used (Unix seconds).
    pub last_seen: i64,
}

/// A new session to store.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// SHA-256 (hex) of the cookie value.
    pub id_hash: &'a str,
    /// Whose session.
    pub user_id: i64,
    /// The CSRF token for its forms.
    pub csrf: &'a str,
    /// Now (Unix seconds).
    pub now: i64,
    /// When it expires whatever happens (Unix seconds).
    pub expires_at: i64,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// The entry id (increasing).
    pub id: i64,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who did it (a user name), `None` for an anonymous client.
    pub actor: Option<String>,
    /// What happened, e.g. `sign-in`, `sign-in failed`, `role changed`.
    pub action: String,
    /// What it happened to (a user name, a page title…).
    pub target: String,
    /// Anything else worth knowing (the client address, the old and new role…).
    pub detail: String,
}

fn user_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: row.get(first)?,
        name: row.get(first + 1)?,
        role: row.get(first + 2)?,
    })
}

/// Creates a user; `None` when the name (compared ignoring ASCII case) is taken.
pub fn create_user(
    conn: &Connection,
    name: &str,
    role: &str,
    password_hash: &str,
    created_at: &str,
) -> Result<Option<i64>, StoreError> {
    let inserted = conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO NOTHING",
        params![name, role, password_hash, created_at],
    )?;
    Ok((inserted == 1).then(|| conn.last_insert_rowid()))
}

/// The user called `name` (ignoring ASCII case).
pub fn user_by_name(conn: &Connection, name: &str) -> Result<Option<UserRow>, StoreError> {
    let mut statement =
        conn.prepare_cached("SELECT id, name, role FROM users WHERE name = ?1 COLLATE NOCASE")?;
    Ok(statement
        .query_row([name], |row| user_row(row, 0))
        .optional()?)
}

/// The user called `name` (ignoring ASCII case) with their password hash.
pub fn credentials(conn: &Connection, name: &str) -> Result<Option<Credentials>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, name, role, password_hash FROM users WHERE name = ?1 COLLATE NOCASE",
    )?;
    Ok(statement
        .query_row([name], |row| {
            Ok(Credentials {
                user: user_row(row, 0)?,
                password_hash: row.get(3)?,
            })
        })
        .optional()?)
}

/// Up to `limit` people's accounts (the system account left out) whose names start with
/// `prefix` and sort at or after `from` and at or before `to` (when given), by name: the
/// Action API's `list=allusers`.
pub fn users_by_name(
    conn: &Connection,
    from: &str,
    to: Option<&str>,
    prefix: &str,
    limit: usize,
) -> Result<Vec<UserRow>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, name, role FROM users
         WHERE role <> 'system' AND name >= ?1 AND (?2 IS NULL OR name <= ?2)
           AND substr(name, 1, length(?3)) = ?3
         ORDER BY name LIMIT ?4",
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = statement.query_map(params![from, to, prefix, limit], |row| user_row(row, 0))?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// How many people have accounts (the system account does not count).
pub fn count_people(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE role <> 'system'",
        [],
        |row| row.get(0),
    )?)
}

/// A user as the admins' list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserListing {
    /// The user name.
    pub name: String,
    /// `reader`, `editor` or `admin`.
    pub role: String,
    /// When the account was made (RFC 3339).
    pub created_at: String,
}

/// The people with accounts (not the system account), by name, at most `limit`.
pub fn list_users(conn: &Connection, limit: i64) -> Result<Vec<UserListing>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT name, role, created_at FROM users WHERE role <> 'system'
         ORDER BY name COLLATE NOCASE LIMIT ?1",
    )?;
    let rows = statement.query_map([limit], |row| {
        Ok(UserListing {
            name: row.get(0)?,
            role: row.get(1)?,
            created_at: row.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many admins there are.
pub fn count_admins(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM users WHERE role = 'admin'",
        [],
        |row| row.get(0),
    )?)
}

/// Changes a user's role; false if there is no such user (the system account is never changed).
pub fn set_role(conn: &Connection, user_id: i64, role: &str) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE users SET role = ?2 WHERE id = ?1 AND role <> 'system'",
        params![user_id, role],
    )?;
    Ok(changed == 1)
}

/// Replaces a user's password hash; false if there is no such user (never the system account).
pub fn set_password_hash(conn: &Connection, user_id: i64, hash: &str) -> Result<bool, StoreError> {
    let changed = conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1 AND role <> 'system'",
        params![user_id, hash],
    )?;
    Ok(changed == 1)
}

/// Ends every session of a user; returns how many there were.
pub fn delete_user_sessions(conn: &Connection, user_id: i64) -> Result<usize, StoreError> {
    Ok(conn.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?)
}

/// Revokes every API token of a user; returns how many there were.
pub fn delete_user_tokens(conn: &Connection, user_id: i64) -> Result<usize, StoreError> {
    Ok(conn.execute("DELETE FROM api_tokens WHERE user_id = ?1", [user_id])?)
}

/// A live session as its owner sees it on their account page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// SHA-256 (hex) of the cookie value.
    pub id_hash: String,
    /// When it began, last used and ends (Unix seconds).
    pub created_at: i64,
    /// When it was last used (noted every few minutes).
    pub last_seen: i64,
    /// When it ends whatever happens.
    pub expires_at: i64,
}

/// A user's sessions alive at `now` and used after `idle_since`, newest first.
pub fn user_sessions(
    conn: &Connection,
    user_id: i64,
    now: i64,
    idle_since: i64,
) -> Result<Vec<SessionInfo>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id_hash, created_at, last_seen, expires_at FROM sessions
         WHERE user_id = ?1 AND expires_at > ?2 AND last_seen > ?3
         ORDER BY created_at DESC, id_hash",
    )?;
    let rows = statement.query_map(params![user_id, now, idle_since], |row| {
        Ok(SessionInfo {
            id_hash: row.get(0)?,
            created_at: row.get(1)?,
            last_seen: row.get(2)?,
            expires_at: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Ends the user's sessions but the one with hash `keep`; returns how many ended.
pub fn delete_other_sessions(
    conn: &Connection,
    user_id: i64,
    keep: &str,
) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND id_hash <> ?2",
        params![user_id, keep],
    )?)
}

/// Ends one of the user's sessions, named by the start of its hash (never all of them: the
/// prefix must be at least 16 hex digits); true if one ended.
pub fn delete_user_session_by_prefix(
    conn: &Connection,
    user_id: i64,
    prefix: &str,
) -> Result<bool, StoreError> {
    if prefix.len() < 16 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(false);
    }
    Ok(conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND substr(id_hash, 1, length(?2)) = ?2",
        params![user_id, prefix],
    )? > 0)
}

/// An API token as its owner sees it (never the token itself, which is not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The token's id.
    pub id: i64,
    /// What its owner called it.
    pub label: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// When it was last used, if ever.
    pub last_used_at: Option<String>,
}

/// A user's API tokens, newest first.
pub fn user_tokens(conn: &Connection, user_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, label, created_at, last_used_at FROM api_tokens
         WHERE user_id = ?1 ORDER BY id DESC",
    )?;
    let rows = statement.query_map([user_id], |row| {
        Ok(TokenInfo {
            id: row.get(0)?,
            label: row.get(1)?,
            created_at: row.get(2)?,
            last_used_at: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Revokes one of the user's API tokens; false if they have none with this id.
pub fn delete_user_token(conn: &Connection, user_id: i64, id: i64) -> Result<bool, StoreError> {
    Ok(conn.execute(
        "DELETE FROM api_tokens WHERE user_id = ?1 AND id = ?2",
        params![user_id, id],
    )? == 1)
}

/// Stores a new session.
pub fn create_session(conn: &Connection, session: &NewSession<'_>) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        params![
            session.id_hash,
            session.user_id,
            session.csrf,
            session.now,
            session.expires_at
        ],
    )?;
    Ok(())
}

/// The session with this hash, if it is still alive at `now` and was used after `idle_since`.
pub fn session(
    conn: &Connection,
    id_hash: &str,
    now: i64,
    idle_since: i64,
) -> Result<Option<SessionRow>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT u.id, u.name, u.role, s.csrf, s.last_seen
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.id_hash = ?1 AND s.expires_at > ?2 AND s.last_seen > ?3 AND u.role <> 'system'",
    )?;
    Ok(statement
        .query_row(params![id_hash, now, idle_since], |row| {
            Ok(SessionRow {
                user: user_row(row, 0)?,
                csrf: row.get(3)?,
                last_seen: row.get(4)?,
            })
        })
        .optional()?)
}

/// Records that a session was used at `now`.
pub fn touch_session(conn: &Connection, id_hash: &str, now: i64) -> Result<(), StoreError> {
    conn.execute(
        "UPDATE sessions SET last_seen = ?2 WHERE id_hash = ?1",
        params![id_hash, now],
    )?;
    Ok(())
}

/// Deletes one session (sign-out, rotation); true if it existed.
pub fn delete_session(conn: &Connection, id_hash: &str) -> Result<bool, StoreError> {
    Ok(conn.execute("DELETE FROM sessions WHERE id_hash = ?1", [id_hash])? == 1)
}

/// Deletes sessions that expired or went idle; returns how many.
pub fn delete_dead_sessions(
    conn: &Connection,
    now: i64,
    idle_since: i64,
) -> Result<usize, StoreError> {
    Ok(conn.execute(
        "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen <= ?2",
        params![now, idle_since],
    )?)
}

/// Stores an API token's hash for a user.
pub fn create_token(
    conn: &Connection,
    user_id: i64,
    token_hash: &str,
    label: &str,
    created_at: &str,
) -> Result<i64, StoreError> {
    conn.execute(
        "INSERT INTO api_tokens (user_id, token_hash, label, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, token_hash, label, created_at],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The user an API token (by hash) belongs to; never the system account.
pub fn token_user(conn: &Connection, token_hash: &str) -> Result<Option<UserRow>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?1 AND u.role <> 'system'",
    )?;
    Ok(statement
        .query_row([token_hash], |row| user_row(row, 0))
        .optional()?)
}

/// Records a failed sign-in for an account name and a client address.
pub fn record_sign_in_failure(
    conn: &Connection,
    account: &str,
    address: &str,
    at: i64,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO sign_in_failures (account, address, at) VALUES (?1, ?2, ?3)",
        params![account, address, at],
    )?;
    Ok(())
}

/// Times (Unix seconds, oldest first) of the failures since `since`, for the account and for
/// the address.
pub fn sign_in_failures(
    conn: &Connection,
    account: &str,
    address: &str,
    since: i64,
) -> Result<(Vec<i64>, Vec<i64>), StoreError> {
    let times = |sql: &str, key: &str| -> Result<Vec<i64>, StoreError> {
        let mut statement = conn.prepare_cached(sql)?;
        let rows = statement.query_map(params![key, since], |row| row.get(0))?;
        Ok(rows.collect::<Result<Vec<i64>, _>>()?)
    };
    Ok((
        times(
            "SELECT at FROM sign_in_failures WHERE account = ?1 AND at >= ?2 ORDER BY at",
            account,
        )?,
        times(
            "SELECT at FROM sign_in_failures WHERE address = ?1 AND at >= ?2 ORDER BY at",
            address,
        )?,
    ))
}

/// Forgets an account's failures (after a successful sign-in).
pub fn clear_sign_in_failures(conn: &Connection, account: &str) -> Result<(), StoreError> {
    conn.execute("DELETE FROM sign_in_failures WHERE account = ?1", [account])?;
    Ok(())
}

/// Forgets failures older than `before` (they no longer count for anything).
pub fn forget_sign_in_failures_before(conn: &Connection, before: i64) -> Result<(), StoreError> {
    conn.execute("DELETE FROM sign_in_failures WHERE at < ?1", [before])?;
    Ok(())
}

/// Adds a line to the audit log. `actor` is a user id, `None` for an anonymous client. Anyone
/// who changes something worth auditing (protections, hidden revisions) calls this in the same
/// transaction as the change.
pub fn log_event(
    conn: &Connection,
    actor: Option<i64>,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, target, detail)
         VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3, ?4)",
        params![actor, action, target, detail],
    )?;
    Ok(())
}

/// The newest `limit` audit entries, older than entry `before` if given, newest first.
pub fn audit_log(
    conn: &Connection,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    audit_entries(conn, None, before, limit)
}

/// [`audit_log`], only the entries whose action is one of `actions` (a log of one kind, such
/// as the deletion log).
pub fn audit_log_of(
    conn: &Connection,
    actions: [&str; 2],
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    audit_entries(conn, Some(actions), before, limit)
}

fn audit_entries(
    conn: &Connection,
    actions: Option<[&str; 2]>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT a.id, a.at, u.name, a.action, a.target, a.detail
         FROM audit_log a LEFT JOIN users u ON u.id = a.actor
         WHERE a.id < ?1 AND (?3 IS NULL OR a.action IN (?3, ?4))
         ORDER BY a.id DESC LIMIT ?2",
    )?;
    let [first, second] = actions.map_or([None, None], |[a, b]| [Some(a), Some(b)]);
    let rows = statement.query_map(
        params![before.unwrap_or(i64::MAX), limit, first, second],
        audit_entry,
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

fn audit_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        target: row.get(4)?,
        detail: row.get(5)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let mut conn = Connection::open_in_memory().expect("open");
        super::super::migrations::migrate(&mut conn, std::path::Path::new(":memory:"))
            .expect("migrate");
        conn
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        let conn = conn();
        assert!(
            create_user(&conn, "alice", "editor", "h", "t")
                .unwrap()
                .is_some()
        );
        assert_eq!(
            create_user(&conn, "ALICE", "reader", "h", "t").unwrap(),
            None
        );
        assert_eq!(user_by_name(&conn, "Alice").unwrap().unwrap().name, "alice");
        assert_eq!(
            create_user(&conn, "plutarch", "admin", "h", "t").unwrap(),
            None
        );
    }

    #[test]
    fn sessions_expire_and_go_idle() {
        let conn = conn();
        let id = create_user(&conn, "bob", "reader", "h", "t")
            .unwrap()
            .unwrap();
        let session = NewSession {
            id_hash: "abc",
            user_id: id,
            csrf: "c",
            now: 100,
            expires_at: 200,
        };
        create_session(&conn, &session).unwrap();
        assert!(session_row(&conn, 150, 50).is_some());
        assert!(session_row(&conn, 200, 50).is_none(), "expired");
        assert!(session_row(&conn, 150, 100).is_none(), "idle");
        assert!(delete_session(&conn, "abc").unwrap());
        assert!(session_row(&conn, 150, 50).is_none(), "deleted");
    }

    fn session_row(conn: &Connection, now: i64, idle_since: i64) -> Option<SessionRow> {
        session(conn, "abc", now, idle_since).unwrap()
    }

    #[test]
    fn the_audit_log_pages_backwards() {
        let conn = conn();
        for i in 0..5 {
            log_event(&conn, None, "sign-in failed", &format!("u{i}"), "").unwrap();
        }
        log_event(&conn, Some(1), "role changed", "x", "reader -> admin").unwrap();
        let page = audit_log(&conn, None, 2).unwrap();
        assert_eq!(page[0].actor.as_deref(), Some("Plutarch"));
        assert_eq!(page[1].target, "u4");
        let older = audit_log(&conn, Some(page[1].id), 10).unwrap();
        assert_eq!(older.len(), 4);
    }
}
