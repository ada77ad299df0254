//! Schema migrations from `db/NNNN_name.sql`, applied in order, tracked by `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::StoreError;

/// Every migration, in order. A landed migration is never edited: add a new file.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../../db/0001_pages.sql")),
    M::up(include_str!("../../db/0002_search.sql")),
    M::up(include_str!("../../db/0003_accounts.sql")),
    M::up(include_str!("../../db/0004_protection.sql")),
    M::up(include_str!("../../db/0005_facts.sql")),
];

/// Brings the schema up to date, refusing a database made by a newer version.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let supported = MIGRATIONS.len() as i64;
    if found > supported {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    Migrations::from_slice(MIGRATIONS).to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(Migrations::from_slice(MIGRATIONS).validate().is_ok());
    }
}
