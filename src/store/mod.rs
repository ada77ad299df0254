//! The only module that speaks SQL: pages, revisions, section chunks, links, search and users.
//!
//! Store functions are synchronous and take a connection (or a transaction, which derefs to
//! one), so they test without a server. [`Db`] owns the connections (a small pool of readers,
//! one writer) and moves blocking calls off the async executor. The rules (what an edit means,
//! when it conflicts) live in `wiki`; this module only keeps what it is given.

pub mod accounts;
pub mod archive;
pub mod backup;
pub mod changes;
pub mod citations;
pub mod deadline;
pub mod dumps;
pub mod facts;
pub mod files;
pub mod jobs;
pub mod links;
pub mod mentions;
pub(crate) mod migrations;
pub mod moderation;
pub mod page_info;
pub mod pages;
mod pool;
pub mod replica;
pub mod revisions;
pub mod search;
mod snippet;
pub mod sources;
pub mod titles;
pub mod transclusions;
pub mod watches;

pub use pages::{PageRevision, PageRow, RevisionMeta};
pub use pool::Db;
pub use revisions::{NewSection, StoredSection};
/// The connection types store functions take, for callers that must not name `rusqlite`.
pub use rusqlite::{Connection, Transaction};

use std::path::PathBuf;

use rusqlite::ErrorCode;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file could not be opened or created.
    #[error(
        "cannot open the database {path}: {source} (check that the folder exists and is writable, or pass --db PATH)"
    )]
    Open {
        /// The file we tried.
        path: PathBuf,
        /// Why SQLite refused.
        source: rusqlite::Error,
    },
    /// The database was made by a newer Plutarch.
    #[error(
        "the database {path} has schema version {found}, but this Plutarch knows only up to {supported}: upgrade Plutarch, or use another --db"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version we know.
        supported: i64,
    },
    /// A replica's database is at another schema version than this Plutarch's (a replica runs
    /// no migrations: the primary must run the same version).
    #[error(
        "the replica's database {path} has schema version {found}, but this Plutarch has {supported}: a replica runs no migrations, so run the same Plutarch version as the primary"
    )]
    OtherSchema {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// This Plutarch's version.
        supported: i64,
    },
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The database cannot be written (a read-only file, folder or mount); reads still work.
    #[error(
        "the database is read-only, so nothing can be saved (check the file's permissions and the disk): {0}"
    )]
    ReadOnly(rusqlite::Error),
    /// The disk (or the database's size limit) is full; reads still work.
    #[error("the disk is full, so nothing can be saved (free some space): {0}")]
    DiskFull(rusqlite::Error),
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
    /// A read was stopped before it finished (its deadline passed, its client went away, or
    /// the server is shutting down): nothing is wrong with the data, try again later.
    #[error("the read was stopped: {0}")]
    Interrupted(deadline::Interruption),
    /// A blocking task died (a panic in store code).
    #[error("database task failed: {0}")]
    Task(String),
}

impl StoreError {
    /// What to tell the client when the only trouble is that it cannot be done now (answered
    /// 503 with `Retry-After`): a read-only database or a full disk (nothing can be saved,
    /// reading works), or a read stopped by its deadline, its client or the shutdown. `None`
    /// for a real failure.
    pub fn unavailable(&self) -> Option<String> {
        match self {
            Self::ReadOnly(_) | Self::DiskFull(_) => Some(self.to_string()),
            Self::Interrupted(why) => Some(format!(
                "this could not be answered in time ({why}); please try again in a few seconds"
            )),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        match error.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => Self::ReadOnly(error),
            Some(ErrorCode::DiskFull) => Self::DiskFull(error),
            _ => Self::Sqlite(error),
        }
    }
}

/// A write transaction, or a savepoint when the connection is already in a transaction (a
/// group commit, see [`Db::write_grouped`]): either way, `commit` keeps the changes and dropping it
/// undoes them.
pub enum WriteTx<'c> {
    /// A transaction of our own (`BEGIN IMMEDIATE`).
    Transaction(rusqlite::Transaction<'c>),
    /// A savepoint inside the group's transaction.
    Savepoint(rusqlite::Savepoint<'c>),
}

impl std::ops::Deref for WriteTx<'_> {
    type Target = rusqlite::Connection;
    fn deref(&self) -> &rusqlite::Connection {
        match self {
            Self::Transaction(tx) => tx,
            Self::Savepoint(sp) => sp,
        }
    }
}

/// How many rows the connection's statements have inserted, changed or deleted since it was
/// opened: compared before and after a step, whether that step wrote anything.
pub fn rows_written(conn: &rusqlite::Connection) -> u64 {
    conn.total_changes()
}

impl WriteTx<'_> {
    /// Keeps the changes (durable once the transaction, or the group, commits).
    pub fn commit(self) -> Result<(), StoreError> {
        match self {
            Self::Transaction(tx) => tx.commit()?,
            Self::Savepoint(sp) => sp.commit()?,
        }
        Ok(())
    }

    /// A nested savepoint (one per imported file, say).
    pub fn savepoint(&mut self) -> Result<rusqlite::Savepoint<'_>, StoreError> {
        Ok(match self {
            Self::Transaction(tx) => tx.savepoint()?,
            Self::Savepoint(sp) => sp.savepoint()?,
        })
    }
}

/// Starts a write: a transaction that takes the write lock at once (`BEGIN IMMEDIATE`, so two
/// writers, say the server and an import, queue on the busy timeout instead of failing
/// halfway), or a savepoint when the connection is already inside a group commit.
pub fn begin_write(conn: &mut rusqlite::Connection) -> Result<WriteTx<'_>, StoreError> {
    if conn.is_autocommit() {
        Ok(WriteTx::Transaction(conn.transaction_with_behavior(
            rusqlite::TransactionBehavior::Immediate,
        )?))
    } else {
        Ok(WriteTx::Savepoint(conn.savepoint()?))
    }
}
