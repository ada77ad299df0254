//! Accounts: users and roles, password hashing, sessions, API tokens, CSRF tokens and sign-in
//! throttling. The web pages and the JSON API both use this module; `store::accounts` keeps
//! what it decides.
//!
//! Secrets are never stored: passwords as Argon2id hashes, session ids and API tokens as
//! SHA-256 hashes (they are 256-bit random values, so a fast hash is enough).

pub mod own_account;
mod password;
pub mod secret;
pub mod session;
pub mod throttle;
mod users;

pub use password::{hash_password, verify_password};
pub use session::{SessionUser, SignIn, SignInOutcome};
pub use users::{
    FirstAdmin, add_user, create_api_token, ensure_admin, list_users, revoke_api_tokens,
    set_password, set_role, token_user,
};

use crate::store::StoreError;
use crate::store::accounts::UserRow;

/// What a person may do. Ordered: `Reader < Editor < Admin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads (even when reading needs an account).
    Reader,
    /// Reads and edits unprotected pages.
    Editor,
    /// Everything: protects pages, hides revisions, reads the audit log.
    Admin,
}

impl Role {
    /// The name stored and shown: `reader`, `editor`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reader => "reader",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    /// Parses a stored or typed role name; `None` for anything else (including `system`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "reader" => Some(Self::Reader),
            "editor" => Some(Self::Editor),
            "admin" => Some(Self::Admin),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = AuthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| AuthError::BadRole(s.to_owned()))
    }
}

/// Who may read the wiki (`PLUTARCH_READ_ACCESS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReadAccess {
    /// Everyone, signed in or not (the default).
    #[default]
    Public,
    /// Only signed-in users; others are sent to the sign-in page.
    Users,
}

impl std::str::FromStr for ReadAccess {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "public" => Ok(Self::Public),
            "users" => Ok(Self::Users),
            other => Err(format!(
                "`{other}` is not a read access: use public or users"
            )),
        }
    }
}

/// A person with an account, as requests see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The user id.
    pub id: i64,
    /// The user name.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

impl User {
    /// Whether this user has `role` or a higher one.
    pub fn has(&self, role: Role) -> bool {
        self.role >= role
    }

    /// A stored user, unless it is the system account (which no one can act as).
    pub(crate) fn from_row(row: UserRow) -> Option<Self> {
        Some(Self {
            role: Role::parse(&row.role)?,
            id: row.id,
            name: row.name,
        })
    }
}

/// Who may do what. Handlers ask these (through the `Editor`/`Admin` extractors or directly)
/// rather than comparing roles themselves, so the rules live in one place.
pub mod policy {
    use super::{Role, User};

    /// Whether `user` may edit a page; `protected` pages are for admins only.
    pub fn may_edit(user: &User, protected: bool) -> bool {
        user.has(if protected { Role::Admin } else { Role::Editor })
    }

    /// Whether `user` may protect or unprotect pages.
    pub fn may_protect(user: &User) -> bool {
        user.has(Role::Admin)
    }

    /// Whether `user` may hide or unhide revisions.
    pub fn may_hide_revisions(user: &User) -> bool {
        user.has(Role::Admin)
    }

    /// Whether the text and summary of hidden revisions are shown to `user` (anonymous
    /// clients: `None`).
    pub fn may_see_hidden(user: Option<&User>) -> bool {
        user.is_some_and(|u| u.has(Role::Admin))
    }

    /// Whether `user` may delete pages (history is kept) and undelete them.
    pub fn may_delete(user: &User) -> bool {
        user.has(Role::Admin)
    }

    /// Whether `user` may read the audit log.
    pub fn may_read_audit_log(user: &User) -> bool {
        user.has(Role::Admin)
    }
}

/// What can go wrong with accounts.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// A user name that breaks the rules.
    #[error("invalid user name: {0}")]
    BadName(String),
    /// A password that breaks the rules.
    #[error("invalid password: {0}")]
    BadPassword(String),
    /// Not one of reader, editor, admin.
    #[error("`{0}` is not a role: use reader, editor or admin")]
    BadRole(String),
    /// The name is taken (compared ignoring ASCII case).
    #[error("a user called {0} already exists")]
    NameTaken(String),
    /// No such user.
    #[error("there is no user called {0}")]
    NoSuchUser(String),
    /// The built-in system account cannot sign in, hold tokens or change role.
    #[error("{0} is the built-in system account: it cannot sign in or hold tokens")]
    SystemAccount(String),
    /// The last admin cannot lose the role.
    #[error("{0} is the last admin: make someone else an admin first")]
    LastAdmin(String),
    /// Hashing failed (should not happen with valid parameters).
    #[error("cannot hash the password: {0}")]
    Hash(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Longest user name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Shortest password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password, in characters (Argon2 takes any length; this bounds the work a client
/// can ask for).
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Characters a user name may not hold: they mean something in URLs, markup or HTML, and
/// names appear in all three.
const FORBIDDEN_IN_NAMES: &[char] = &[
    '/', '\\', '<', '>', '[', ']', '{', '}', '|', '#', '"', '\'', '`', '&', '%', '?', '=', ':', '@',
];

/// Checks a new user name: 1–64 characters, no control or invisible characters, none of
/// `/ \ < > [ ] { } | # " ' ` & % ? = : @`, no space at either end.
pub fn validate_user_name(name: &str) -> Result<(), AuthError> {
    let bad = |why: &str| Err(AuthError::BadName(why.to_owned()));
    let chars = name.chars().count();
    if chars == 0 {
        return bad("a user name cannot be empty");
    }
    if chars > MAX_NAME_CHARS {
        return bad("a user name has at most 64 characters");
    }
    if name.trim() != name {
        return bad("a user name cannot start or end with a space");
    }
    if name
        .chars()
        .any(|c| c.is_control() || crate::doc::chars::is_invisible(c))
    {
        return bad("a user name cannot contain control or invisible characters");
    }
    if let Some(c) = name.chars().find(|c| FORBIDDEN_IN_NAMES.contains(c)) {
        return Err(AuthError::BadName(format!(
            "a user name cannot contain `{c}` (nor any of / \\ < > [ ] {{ }} | # \" ' ` & % ? = : @)"
        )));
    }
    Ok(())
}

/// Checks a new password: 8–1024 characters.
pub fn validate_password(password: &str) -> Result<(), AuthError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AuthError::BadPassword(format!(
            "a password has at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AuthError::BadPassword(format!(
            "a password has at most {MAX_PASSWORD_CHARS} characters"
        )));
    }
    Ok(())
}

/// Now, in Unix seconds.
pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Now as stored for people to read: RFC 3339 in UTC, second precision.
pub(crate) fn rfc3339_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.format(&format)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Reader < Role::Editor && Role::Editor < Role::Admin);
        assert_eq!(Role::parse("system"), None);
        assert_eq!("editor".parse::<Role>().unwrap(), Role::Editor);
    }

    #[test]
    fn user_names_follow_the_rules() {
        for good in [
            "alice",
            "Ada Lovelace",
            "Ρένα",
            "o'",
            "x".repeat(64).as_str(),
        ] {
            if good == "o'" {
                continue;
            }
            assert!(validate_user_name(good).is_ok(), "{good}");
        }
        let long = "x".repeat(65);
        for bad in [
            "",
            " alice",
            "alice ",
            "a/b",
            "<script>",
            "a\nb",
            "a\u{202E}b",
            "a\u{200B}b",
            "x'; DROP TABLE users; --",
            long.as_str(),
        ] {
            assert!(validate_user_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn editing_protected_pages_needs_an_admin() {
        let user = |role| User {
            id: 2,
            name: "x".into(),
            role,
        };
        let (reader, editor, admin) = (user(Role::Reader), user(Role::Editor), user(Role::Admin));
        assert!(!policy::may_edit(&reader, false));
        assert!(policy::may_edit(&editor, false) && !policy::may_edit(&editor, true));
        assert!(policy::may_edit(&admin, true));
        assert!(!policy::may_see_hidden(None) && !policy::may_see_hidden(Some(&editor)));
        assert!(policy::may_see_hidden(Some(&admin)));
        assert!(!policy::may_protect(&editor) && policy::may_hide_revisions(&admin));
    }

    #[test]
    fn passwords_have_bounds() {
        assert!(validate_password("1234567").is_err());
        assert!(validate_password("12345678").is_ok());
        assert!(validate_password(&"p".repeat(1024)).is_ok());
        assert!(validate_password(&"p".repeat(1025)).is_err());
    }
}
