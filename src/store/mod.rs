//! The only module that speaks SQL: pages, revisions and users in SQLite.
//!
//! Store functions are synchronous and take a connection, so they test without a server.
//! [`Db`] owns the connections (a small pool of readers, one writer) and moves blocking
//! calls off the async executor.

pub mod accounts;
mod migrations;
pub mod pages;
mod pool;

pub use pages::{PageRevision, RevisionMeta};
pub use pool::Db;

use std::path::PathBuf;

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
    /// A migration failed.
    #[error("cannot migrate the database: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A blocking task died (a panic in store code).
    #[error("database task failed: {0}")]
    Task(String),
}
