//! What a signed-in user does to their own account (issue 15): see their sessions and API
//! tokens, end one, change their password (the current one asked again), sign out
//! everywhere. Every change is in the audit log.

use crate::store::accounts::{self, SessionInfo, TokenInfo};
use crate::store::{self, Db};

use super::password::verify_password;
use super::session::{IDLE_SECS, SessionUser};
use super::{AuthError, hash_password, unix_now, validate_password};

/// How many hex digits of a session's hash name it on the account page and in its form.
pub const SESSION_HANDLE_DIGITS: usize = 16;

/// A user's live sessions and API tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountView {
    /// Live sessions, newest first.
    pub sessions: Vec<SessionInfo>,
    /// API tokens, newest first.
    pub tokens: Vec<TokenInfo>,
}

/// The sessions and tokens of the user signed in with `session`.
pub async fn view(db: &Db, session: &SessionUser) -> Result<AccountView, AuthError> {
    let user_id = session.user.id;
    let now = unix_now();
    Ok(db
        .read(move |conn| {
            Ok(AccountView {
                sessions: accounts::user_sessions(conn, user_id, now, now - IDLE_SECS)?,
                tokens: accounts::user_tokens(conn, user_id)?,
            })
        })
        .await?)
}

/// The short name of a session (the start of its hash).
pub fn session_handle(info: &SessionInfo) -> &str {
    info.id_hash
        .get(..SESSION_HANDLE_DIGITS)
        .unwrap_or(&info.id_hash)
}

/// How a password change went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// Changed; this many other sessions ended (this one goes on).
    Changed(usize),
    /// The current password was wrong: nothing changed.
    WrongPassword,
}

/// Changes the password of the user signed in with `session`, if `current` is theirs. Their
/// other sessions end (a stolen cookie stops working); this one goes on. Blocking (Argon2):
/// call it from a blocking thread.
pub fn change_password(
    db: &Db,
    session: &SessionUser,
    current: &str,
    new: &str,
) -> Result<PasswordChange, AuthError> {
    let user = &session.user;
    let name = user.name.clone();
    let stored = db
        .read_blocking(|conn| accounts::credentials(conn, &name))?
        .and_then(|c| c.password_hash);
    let right = stored.is_some_and(|hash| verify_password(current, &hash));
    if !right {
        db.write_private_blocking(|conn| {
            accounts::log_event(
                conn,
                Some(user.id),
                "password change refused",
                &user.name,
                "",
            )
        })?;
        return Ok(PasswordChange::WrongPassword);
    }
    validate_password(new)?;
    let hash = hash_password(new)?;
    let ended = db.write_private_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        accounts::set_password_hash(&tx, user.id, &hash)?;
        let ended = accounts::delete_other_sessions(&tx, user.id, &session.id_hash)?;
        let detail = format!("by themselves; {ended} other sessions ended");
        accounts::log_event(&tx, Some(user.id), "password changed", &user.name, &detail)?;
        tx.commit()?;
        Ok(ended)
    })?;
    Ok(PasswordChange::Changed(ended))
}

/// Ends one of the user's own sessions, named by its handle; true if it ended.
pub async fn end_session(db: &Db, session: &SessionUser, handle: &str) -> Result<bool, AuthError> {
    let user = session.user.clone();
    let handle = handle.to_owned();
    Ok(db
        .write_private(move |conn| {
            let tx = store::begin_write(conn)?;
            let ended = accounts::delete_user_session_by_prefix(&tx, user.id, &handle)?;
            if ended {
                accounts::log_event(&tx, Some(user.id), "session ended", &user.name, &handle)?;
            }
            tx.commit()?;
            Ok(ended)
        })
        .await?)
}

/// Ends every session of the user, this one too; returns how many.
pub async fn sign_out_everywhere(db: &Db, session: &SessionUser) -> Result<usize, AuthError> {
    let user = session.user.clone();
    Ok(db
        .write_private(move |conn| {
            let tx = store::begin_write(conn)?;
            let ended = accounts::delete_user_sessions(&tx, user.id)?;
            let detail = format!("{ended} sessions");
            accounts::log_event(
                &tx,
                Some(user.id),
                "signed out everywhere",
                &user.name,
                &detail,
            )?;
            tx.commit()?;
            Ok(ended)
        })
        .await?)
}

/// Revokes one of the user's own API tokens; true if they had it.
pub async fn revoke_token(db: &Db, session: &SessionUser, id: i64) -> Result<bool, AuthError> {
    let user = session.user.clone();
    Ok(db
        .write_private(move |conn| {
            let tx = store::begin_write(conn)?;
            let revoked = accounts::delete_user_token(&tx, user.id, id)?;
            if revoked {
                let detail = format!("token {id}");
                accounts::log_event(&tx, Some(user.id), "token revoked", &user.name, &detail)?;
            }
            tx.commit()?;
            Ok(revoked)
        })
        .await?)
}

/// Unix seconds as people read them in the audit log: RFC 3339 in UTC.
pub fn unix_to_rfc3339(seconds: i64) -> String {
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|at| at.format(&format).ok())
        .unwrap_or_else(|| seconds.to_string())
}
