//! Creating users, changing roles, issuing API tokens, the first administrator. Blocking
//! functions (hashing takes tens of milliseconds): the CLI calls them directly, the server
//! from a blocking thread.

use crate::store::accounts;
use crate::store::{self, Db, StoreError};

use super::secret::{new_api_token, random_password, sha256_hex};
use super::{
    AuthError, Role, User, hash_password, rfc3339_now, validate_password, validate_user_name,
};

/// Creates a user after checking the name and password; `actor` is who did it (none from the
/// command line). Logged as `user created`.
pub fn add_user(
    db: &Db,
    actor: Option<i64>,
    name: &str,
    role: Role,
    password: &str,
) -> Result<i64, AuthError> {
    validate_user_name(name)?;
    validate_password(password)?;
    let hash = hash_password(password)?;
    let created_at = rfc3339_now();
    let id = db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        let id = accounts::create_user(&tx, name, role.as_str(), &hash, &created_at)?;
        if id.is_some() {
            accounts::log_event(&tx, actor, "user created", name, &format!("role {role}"))?;
        }
        tx.commit()?;
        Ok(id)
    })?;
    id.ok_or_else(|| AuthError::NameTaken(name.to_owned()))
}

fn find(db: &Db, name: &str) -> Result<User, AuthError> {
    let row = db
        .read_blocking(|conn| accounts::user_by_name(conn, name))?
        .ok_or_else(|| AuthError::NoSuchUser(name.to_owned()))?;
    let shown = row.name.clone();
    User::from_row(row).ok_or(AuthError::SystemAccount(shown))
}

/// Gives a user another role. Logged as `role changed` with the old and new role. The last
/// admin keeps their role (no one could manage the wiki from the web any more).
pub fn set_role(db: &Db, actor: Option<i64>, name: &str, role: Role) -> Result<(), AuthError> {
    let user = find(db, name)?;
    let changed = db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        // Counted in the writing transaction: two admins demoting each other at once cannot
        // both succeed.
        if user.role == Role::Admin && role != Role::Admin && accounts::count_admins(&tx)? <= 1 {
            return Ok(false);
        }
        accounts::set_role(&tx, user.id, role.as_str())?;
        let detail = format!("{} -> {role}", user.role);
        accounts::log_event(&tx, actor, "role changed", &user.name, &detail)?;
        tx.commit()?;
        Ok(true)
    })?;
    match changed {
        true => Ok(()),
        false => Err(AuthError::LastAdmin(user.name)),
    }
}

/// The people with accounts, by name (at most `limit`).
pub fn list_users(db: &Db, limit: i64) -> Result<Vec<accounts::UserListing>, AuthError> {
    Ok(db.read_blocking(|conn| accounts::list_users(conn, limit))?)
}

/// Gives a user a new password and ends all their sessions (a stolen cookie stops working).
/// Logged as `password changed`.
pub fn set_password(
    db: &Db,
    actor: Option<i64>,
    name: &str,
    password: &str,
) -> Result<(), AuthError> {
    validate_password(password)?;
    let user = find(db, name)?;
    let hash = hash_password(password)?;
    db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        accounts::set_password_hash(&tx, user.id, &hash)?;
        let ended = accounts::delete_user_sessions(&tx, user.id)?;
        let detail = format!("{ended} sessions ended");
        accounts::log_event(&tx, actor, "password changed", &user.name, &detail)?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(())
}

/// Revokes every API token of a user; returns how many. Logged as `tokens revoked`.
pub fn revoke_api_tokens(db: &Db, actor: Option<i64>, name: &str) -> Result<usize, AuthError> {
    let user = find(db, name)?;
    let revoked = db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        let revoked = accounts::delete_user_tokens(&tx, user.id)?;
        let detail = format!("{revoked} tokens");
        accounts::log_event(&tx, actor, "tokens revoked", &user.name, &detail)?;
        tx.commit()?;
        Ok(revoked)
    })?;
    Ok(revoked)
}

/// Issues an API token for a user and returns it; only its SHA-256 is kept, so it is shown
/// once. Logged as `token created`.
pub fn create_api_token(db: &Db, name: &str, label: &str) -> Result<String, AuthError> {
    let user = find(db, name)?;
    let token = new_api_token();
    let hash = sha256_hex(&token);
    let created_at = rfc3339_now();
    db.write_blocking(|conn| {
        let tx = store::begin_write(conn)?;
        accounts::create_token(&tx, user.id, &hash, label, &created_at)?;
        accounts::log_event(&tx, Some(user.id), "token created", &user.name, label)?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(token)
}

/// The user an API token belongs to, if the token is valid.
pub async fn token_user(db: &Db, token: &str) -> Result<Option<User>, StoreError> {
    if !token.starts_with(super::secret::TOKEN_PREFIX) || token.len() > 100 {
        return Ok(None);
    }
    let hash = sha256_hex(token);
    let row = db
        .read(move |conn| accounts::token_user(conn, &hash))
        .await?;
    Ok(row.and_then(User::from_row))
}

/// What [`ensure_admin`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstAdmin {
    /// There were already users: nothing.
    NotNeeded,
    /// Created `admin` with the given password.
    Created,
    /// Created `admin` with this generated password (show it once).
    Generated(String),
}

/// On a database where no one but the system account exists, creates `admin` (role admin)
/// with `password`, or a random one that is returned to be shown once.
pub fn ensure_admin(db: &Db, password: Option<&str>) -> Result<FirstAdmin, AuthError> {
    if db.read_blocking(accounts::count_people)? > 0 {
        return Ok(FirstAdmin::NotNeeded);
    }
    match password {
        Some(password) => {
            add_user(db, None, "admin", Role::Admin, password)?;
            Ok(FirstAdmin::Created)
        }
        None => {
            let password = random_password();
            add_user(db, None, "admin", Role::Admin, &password)?;
            Ok(FirstAdmin::Generated(password))
        }
    }
}
