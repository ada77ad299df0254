//! Browser sessions: signing in (with throttling), finding the user behind a cookie,
//! signing out.
//!
//! A session id is 256 random bits, sent as the cookie [`SESSION_COOKIE`] and stored only as
//! its SHA-256. A session ends [`LIFETIME_SECS`] after sign-in whatever happens, after
//! [`IDLE_SECS`] without use, or at sign-out; signing in again replaces it.

use crate::store::accounts::{self, NewSession};
use crate::store::{self, Db, StoreError};

use super::password::{verify_password, waste_a_verification};
use super::secret::{new_session_id, random_hex, sha256_hex};
use super::throttle::{self, Decision};
use super::{AuthError, MAX_PASSWORD_CHARS, User, unix_now};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "plutarch_session";
/// Absolute lifetime of a session: 14 days.
pub const LIFETIME_SECS: i64 = 14 * 24 * 60 * 60;
/// Idle timeout: a session unused for a day ends.
pub const IDLE_SECS: i64 = 24 * 60 * 60;
/// Last use is written at most this often, so reading pages does not write on every request.
const TOUCH_EVERY_SECS: i64 = 5 * 60;

/// A signed-in user and what their forms need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    /// Who.
    pub user: User,
    /// The session's CSRF token: every form that changes something carries it.
    pub csrf: String,
    /// SHA-256 of the session id.
    pub id_hash: String,
}

/// Whether `value` could be a session id at all (64 lowercase hex digits).
fn well_formed(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The user behind a session cookie, if the session is alive. Its last use is noted every few
/// minutes, when the database can be written.
pub async fn lookup(db: &Db, cookie: &str) -> Result<Option<SessionUser>, StoreError> {
    if !well_formed(cookie) {
        return Ok(None);
    }
    let id_hash = sha256_hex(cookie);
    let now = unix_now();
    let key = id_hash.clone();
    let Some(row) = db
        .read(move |conn| accounts::session(conn, &key, now, now - IDLE_SECS))
        .await?
    else {
        return Ok(None);
    };
    if row.last_seen < now - TOUCH_EVERY_SECS && !db.is_read_only() {
        // Best effort: reading must not depend on a write. On a full disk the session is used
        // without its last use noted (it may then end a day after the last noted use).
        let key = id_hash.clone();
        if let Err(e) = db
            .write_private(move |conn| accounts::touch_session(conn, &key, now))
            .await
        {
            tracing::warn!("cannot note the last use of a session (the request goes on): {e}");
        }
    }
    Ok(User::from_row(row.user).map(|user| SessionUser {
        user,
        csrf: row.csrf,
        id_hash,
    }))
}

/// Ends a session; true if there was one. The cookie is worthless afterwards.
pub async fn sign_out(db: &Db, session: &SessionUser) -> Result<bool, StoreError> {
    let id_hash = session.id_hash.clone();
    let user = session.user.clone();
    db.write_private(move |conn| {
        let tx = store::begin_write(conn)?;
        let existed = accounts::delete_session(&tx, &id_hash)?;
        if existed {
            accounts::log_event(&tx, Some(user.id), "sign-out", &user.name, "")?;
        }
        tx.commit()?;
        Ok(existed)
    })
    .await
}

/// A sign-in attempt.
#[derive(Debug, Clone, Copy)]
pub struct SignIn<'a> {
    /// The user name as typed.
    pub name: &'a str,
    /// The password as typed.
    pub password: &'a str,
    /// The client's address (or a fixed key when it is unknown), for throttling and the log.
    pub address: &'a str,
    /// The session cookie the browser already had: it is ended (the id rotates on sign-in).
    pub old_session: Option<&'a str>,
}

/// How a sign-in attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInOutcome {
    /// Signed in: send `session_id` as the session cookie.
    SignedIn {
        /// Who.
        user: User,
        /// The new session id (the cookie value).
        session_id: String,
    },
    /// Unknown name or wrong password (which one is not said).
    Refused,
    /// Too many recent failures for this account or address: try again in this many seconds.
    Wait(i64),
    /// Locked after too many failures: try again in this many seconds.
    Locked(i64),
}

/// Longest account name kept for throttling and the log (longer typed names are cut).
const MAX_LOGGED_NAME: usize = 200;

fn cut(text: &str, max_chars: usize) -> &str {
    text.char_indices()
        .nth(max_chars)
        .map_or(text, |(at, _)| &text[..at])
}

/// Whether an attempt may check its password, decided and recorded in one transaction.
enum Admission {
    /// Check it; the attempt is recorded as a failure until it succeeds.
    Admitted(Locks),
    /// Not now: the answer to send.
    Refused(SignInOutcome),
}

/// Which keys the attempt's failure locks, should the password be wrong: exactly one attempt
/// is the one that makes the count, so a lock is logged once.
#[derive(Debug, Clone, Copy)]
struct Locks {
    account: bool,
    address: bool,
}

/// Tries to sign in. Blocking (Argon2 takes tens of milliseconds): call it from a blocking
/// thread. Throttling is checked first, so a locked account is not even tried; an attempt being
/// checked counts as a failure until it succeeds, so concurrent attempts cannot overtake the
/// count.
pub fn sign_in(db: &Db, attempt: SignIn<'_>) -> Result<SignInOutcome, AuthError> {
    sign_in_with(db, attempt, Credential::Password)
}

/// What an attempt's secret is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// The account's password.
    Password,
    /// One of the account's API tokens (MediaWiki tools send it as a "bot password" with the
    /// name `user@label`).
    ApiToken,
}

/// [`sign_in`], with the secret checked as `credential` says; throttled and logged the same
/// way whatever the credential.
pub fn sign_in_with(
    db: &Db,
    attempt: SignIn<'_>,
    credential: Credential,
) -> Result<SignInOutcome, AuthError> {
    let name = cut(attempt.name, MAX_LOGGED_NAME);
    let account = name.trim().to_lowercase();
    let address = cut(attempt.address, MAX_LOGGED_NAME);
    let now = unix_now();

    // The check and the failure it may become are one step: an admitted attempt counts as a
    // failure from the start (a success clears it), so a burst of concurrent attempts sees the
    // attempts still in progress and no more get through than the rules allow.
    let admitted = db.write_private_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        // The clock is read once the writer is held: an attempt that read it earlier and then
        // waited for the writer would not see (as "in the future") the failures recorded
        // meanwhile by attempts that read it a second later, and so overtake the count.
        let now = unix_now();
        let since = now - throttle::LOOK_BACK_SECS;
        accounts::forget_sign_in_failures_before(&tx, since)?;
        let (mut by_account, mut by_address) =
            accounts::sign_in_failures(&tx, &account, address, since)?;
        match throttle::decide(&by_account, now).max(throttle::decide(&by_address, now)) {
            Decision::Allow => {}
            Decision::Wait(secs) => return Ok(Admission::Refused(SignInOutcome::Wait(secs))),
            Decision::Locked(secs) => return Ok(Admission::Refused(SignInOutcome::Locked(secs))),
        }
        accounts::record_sign_in_failure(&tx, &account, address, now)?;
        tx.commit()?;
        by_account.push(now);
        by_address.push(now);
        Ok(Admission::Admitted(Locks {
            account: throttle::locks_now(&by_account),
            address: throttle::locks_now(&by_address),
        }))
    })?;
    let locks = match admitted {
        Admission::Admitted(locks) => locks,
        Admission::Refused(outcome) => return Ok(outcome),
    };

    let user = match credential {
        Credential::Password => password_user(db, name, attempt.password)?,
        Credential::ApiToken => token_owner(db, name, attempt.password)?,
    };

    let Some(user) = user else {
        db.write_private_blocking(|conn| {
            let tx = store::begin_write(conn)?;
            let detail = format!("from {address}");
            accounts::log_event(&tx, None, "sign-in failed", name, &detail)?;
            if locks.account {
                accounts::log_event(
                    &tx,
                    None,
                    "account locked",
                    name,
                    "15 minutes, after 10 failed sign-ins",
                )?;
            }
            if locks.address {
                let detail = format!("{address} for 15 minutes, after 10 failed sign-ins");
                accounts::log_event(&tx, None, "address locked", name, &detail)?;
            }
            tx.commit()?;
            Ok(())
        })?;
        return Ok(SignInOutcome::Refused);
    };

    let session_id = new_session_id();
    let id_hash = sha256_hex(&session_id);
    let csrf = random_hex(32);
    let old = attempt.old_session.map(sha256_hex);
    db.write_private_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        if let Some(old) = &old {
            accounts::delete_session(&tx, old)?;
        }
        accounts::delete_dead_sessions(&tx, now, now - IDLE_SECS)?;
        accounts::create_session(
            &tx,
            &NewSession {
                id_hash: &id_hash,
                user_id: user.id,
                csrf: &csrf,
                now,
                expires_at: now + LIFETIME_SECS,
            },
        )?;
        accounts::clear_sign_in_failures(&tx, &account)?;
        accounts::log_event(
            &tx,
            Some(user.id),
            "sign-in",
            &user.name,
            &format!("from {address}"),
        )?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(SignInOutcome::SignedIn { user, session_id })
}

/// The user whose password this is, if it is.
fn password_user(db: &Db, name: &str, password: &str) -> Result<Option<User>, AuthError> {
    let credentials = db.read_blocking(|conn| accounts::credentials(conn, name.trim()))?;
    Ok(match credentials {
        Some(found) if password.chars().count() <= MAX_PASSWORD_CHARS => {
            match (found.password_hash, User::from_row(found.user)) {
                (Some(hash), Some(user)) if verify_password(password, &hash) => Some(user),
                _ => None,
            }
        }
        _ => {
            waste_a_verification(cut(password, MAX_PASSWORD_CHARS));
            None
        }
    })
}

/// The user `name` if `token` is one of their live API tokens.
fn token_owner(db: &Db, name: &str, token: &str) -> Result<Option<User>, AuthError> {
    if !token.starts_with(super::secret::TOKEN_PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let hash = sha256_hex(token);
    let row = db.read_blocking(|conn| accounts::token_user(conn, &hash))?;
    Ok(row
        .and_then(User::from_row)
        .filter(|user| user.name.to_lowercase() == name.trim().to_lowercase()))
}
