//! Copies of the database: a consistent backup of a live database, its check, and putting one
//! back in place of the database.
//!
//! A backup is SQLite's `VACUUM INTO` on a read-only connection: one read transaction, so the
//! copy is the database as of one commit, while the server goes on reading and writing (in WAL
//! mode a reader never blocks the writer). The copy is written under a temporary name, checked
//! with `PRAGMA integrity_check`, synced, and only then renamed to its final name, so a file
//! with a backup's name is always a whole, checked backup.
//!
//! A restore refuses while a server uses the database: `serve` holds a shared lock on the
//! database's lock file ([`ServeLock`]) for as long as it runs, and a restore takes the same lock
//! exclusively. The lock is the kernel's (`flock`), so it goes away with the process, even after
//! `kill -9`, and no stale lock file can block a restore. (On systems other than Linux there is
//! no lock: stop the server before a restore.)

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::StoreError;

/// What a backup (or a check of one) found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The file written or checked.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How many database pages it holds.
    pub pages: i64,
    /// The size of a database page in bytes.
    pub page_size: i64,
    /// Its schema version (`PRAGMA user_version`).
    pub schema_version: i64,
    /// What `PRAGMA integrity_check` said: `ok`, or the first problems found.
    pub integrity: String,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The backup put in place, as checked.
    pub backup: BackupReport,
    /// Where the database that was replaced was kept (with its `-wal`), if there was one.
    pub previous: Option<PathBuf>,
}

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The backup's file already exists: a backup never overwrites one.
    #[error("{0} already exists: a backup never overwrites a file (choose another name)")]
    Exists(PathBuf),
    /// The path cannot be given to SQLite (not UTF-8).
    #[error("{0} is not a UTF-8 path")]
    NotUtf8(PathBuf),
    /// A file could not be read, written, renamed or synced.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// SQLite failed while copying or checking.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The copy, or the file to restore, failed its integrity check.
    #[error("{path} failed its integrity check: {problems}")]
    Damaged {
        /// The file.
        path: PathBuf,
        /// The first problems `PRAGMA integrity_check` reported.
        problems: String,
    },
    /// The file to restore is not a Plutarch database this version can use.
    #[error(
        "{path} is not a Plutarch database this version can use (schema version {found}, this Plutarch knows 1 to {supported})"
    )]
    NotPlutarch {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest version this Plutarch knows.
        supported: i64,
    },
    /// A server (or another restore) uses the database.
    #[error("a server is using {0} (stop it first: a restore never replaces a database in use)")]
    InUse(PathBuf),
    /// A restore is putting another database in place.
    #[error("a restore is replacing {0} right now: start the server once it is done")]
    Restoring(PathBuf),
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// `path` with `suffix` appended to its file name (`wiki.db` → `wiki.db-wal`).
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The lock file of the database at `db` (`wiki.db` → `wiki.db.lock`).
pub fn lock_path(db: &Path) -> PathBuf {
    with_suffix(db, ".lock")
}

/// Copies the database at `source` (which may be in use: served, written) to `dest`, checks
/// the copy and syncs it to disk. Refuses to overwrite `dest`.
pub fn backup(source: &Path, dest: &Path) -> Result<BackupReport, BackupError> {
    if dest.exists() {
        return Err(BackupError::Exists(dest.to_path_buf()));
    }
    let partial = with_suffix(dest, ".partial");
    let partial_text = partial
        .to_str()
        .ok_or_else(|| BackupError::NotUtf8(partial.clone()))?;
    // A partial copy left by a backup that was killed is worthless.
    remove_if_present(&partial)?;
    let copied = copy_into(source, partial_text);
    let report = copied.and_then(|()| check(&partial));
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error);
        }
    };
    sync_file(&partial)?;
    if dest.exists() {
        let _ = std::fs::remove_file(&partial);
        return Err(BackupError::Exists(dest.to_path_buf()));
    }
    std::fs::rename(&partial, dest).map_err(io_error(dest))?;
    sync_folder_of(dest)?;
    Ok(BackupReport {
        path: dest.to_path_buf(),
        ..report
    })
}

fn copy_into(source: &Path, dest: &str) -> Result<(), BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn =
        Connection::open_with_flags(source, flags).map_err(|source_error| StoreError::Open {
            path: source.to_path_buf(),
            source: source_error,
        })?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(StoreError::from)?;
    conn.execute("VACUUM INTO ?1", [dest])
        .map_err(StoreError::from)?;
    Ok(())
}

/// Checks the database file at `path` (opened read-only): its integrity, size and schema
/// version. A file that fails the check is [`BackupError::Damaged`].
pub fn check(path: &Path) -> Result<BackupReport, BackupError> {
    let bytes = std::fs::metadata(path).map_err(io_error(path))?.len();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    let damaged = |error: rusqlite::Error| BackupError::Damaged {
        path: path.to_path_buf(),
        problems: error.to_string(),
    };
    let mut statement = conn
        .prepare("PRAGMA integrity_check(10)")
        .map_err(damaged)?;
    let problems: Vec<String> = statement
        .query_map([], |row| row.get(0))
        .and_then(|rows| rows.collect())
        .map_err(damaged)?;
    let integrity = problems.join("; ");
    if integrity != "ok" {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            problems: integrity,
        });
    }
    let value = |name: &str| -> Result<i64, BackupError> {
        conn.pragma_query_value(None, name, |row| row.get(0))
            .map_err(|e| BackupError::Store(e.into()))
    };
    Ok(BackupReport {
        path: path.to_path_buf(),
        bytes,
        pages: value("page_count")?,
        page_size: value("page_size")?,
        schema_version: value("user_version")?,
        integrity,
    })
}

/// Puts the backup at `backup` in place of the database at `db`, after checking it, unless a
/// server uses `db`. The database it replaces is kept beside it as
/// `DB.before-restore-STAMP` (with its `-wal`), `stamp` being a time like `20260101T120000Z`.
pub fn restore(backup: &Path, db: &Path, stamp: &str) -> Result<Restored, BackupError> {
    let checked = check(backup)?;
    let supported = super::migrations::supported_version();
    if !(1..=supported).contains(&checked.schema_version) {
        return Err(BackupError::NotPlutarch {
            path: backup.to_path_buf(),
            found: checked.schema_version,
            supported,
        });
    }
    let _lock = RestoreLock::take(db)?;
    let incoming = with_suffix(db, ".restoring");
    remove_if_present(&incoming)?;
    std::fs::copy(backup, &incoming).map_err(io_error(&incoming))?;
    sync_file(&incoming)?;
    let previous = if db.exists() {
        let kept = with_suffix(db, &format!(".before-restore-{stamp}"));
        std::fs::rename(db, &kept).map_err(io_error(&kept))?;
        // The log holds commits not yet copied into the database file: it belongs to the old
        // database, and would corrupt the new one if SQLite found it beside it.
        let wal = with_suffix(db, "-wal");
        if wal.exists() {
            let kept_wal = with_suffix(&kept, "-wal");
            std::fs::rename(&wal, &kept_wal).map_err(io_error(&kept_wal))?;
        }
        Some(kept)
    } else {
        None
    };
    // The shared-memory index describes the old log; SQLite rebuilds it.
    remove_if_present(&with_suffix(db, "-shm"))?;
    std::fs::rename(&incoming, db).map_err(io_error(db))?;
    sync_folder_of(db)?;
    Ok(Restored {
        backup: checked,
        previous,
    })
}

fn remove_if_present(path: &Path) -> Result<(), BackupError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(path)(e)),
        _ => Ok(()),
    }
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(io_error(path))
}

/// Makes a rename in the folder durable.
fn sync_folder_of(path: &Path) -> Result<(), BackupError> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    #[cfg(unix)]
    File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(io_error(folder))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}

fn open_lock_file(db: &Path) -> std::io::Result<File> {
    let path = lock_path(db);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .or_else(|_| File::open(&path))
}

/// The lock a running server holds on its database (shared: servers do not exclude each
/// other), so that `restore` refuses to replace the file under it. Released when dropped or
/// when the process ends, however it ends.
#[derive(Debug)]
pub struct ServeLock {
    _file: Option<File>,
}

impl ServeLock {
    /// Takes the lock for the database at `db`; [`BackupError::Restoring`] while a restore
    /// replaces it. When the lock file cannot be created (a read-only folder: then nothing can
    /// be restored there either), the server runs without it.
    pub fn take(db: &Path) -> Result<Self, BackupError> {
        let Ok(file) = open_lock_file(db) else {
            return Ok(Self { _file: None });
        };
        match try_flock(&file, Mode::Shared) {
            Ok(true) => Ok(Self { _file: Some(file) }),
            Ok(false) => Err(BackupError::Restoring(db.to_path_buf())),
            Err(source) => Err(BackupError::Io {
                path: lock_path(db),
                source,
            }),
        }
    }
}

/// The exclusive lock a restore holds while it replaces the file.
struct RestoreLock {
    _file: File,
}

impl RestoreLock {
    fn take(db: &Path) -> Result<Self, BackupError> {
        let file = open_lock_file(db).map_err(io_error(&lock_path(db)))?;
        match try_flock(&file, Mode::Exclusive) {
            Ok(true) => Ok(Self { _file: file }),
            Ok(false) => Err(BackupError::InUse(db.to_path_buf())),
            Err(source) => Err(BackupError::Io {
                path: lock_path(db),
                source,
            }),
        }
    }
}

/// How a lock is shared.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// Servers share it.
    Shared,
    /// A restore holds it alone.
    Exclusive,
}

/// Takes an advisory lock on `file` without waiting: `false` when another holds it.
#[cfg(target_os = "linux")]
fn try_flock(file: &File, mode: Mode) -> std::io::Result<bool> {
    use rustix::fs::FlockOperation;
    let operation = match mode {
        Mode::Shared => FlockOperation::NonBlockingLockShared,
        Mode::Exclusive => FlockOperation::NonBlockingLockExclusive,
    };
    match rustix::fs::flock(file, operation) {
        Ok(()) => Ok(true),
        Err(rustix::io::Errno::WOULDBLOCK) => Ok(false),
        Err(errno) => Err(errno.into()),
    }
}

/// Without `flock` (not Linux): no lock, see the module's documentation.
#[cfg(not(target_os = "linux"))]
fn try_flock(_: &File, _: Mode) -> std::io::Result<bool> {
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_restore_is_refused_while_a_server_holds_the_lock_and_allowed_after() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = dir.path().join("wiki.db");
        crate::store::Db::open(&db).expect("open");
        let copy = dir.path().join("copy.db");
        let report = backup(&db, &copy).expect("backup");
        assert_eq!(report.integrity, "ok");
        assert!(report.pages > 0 && report.bytes > 0);
        let serving = ServeLock::take(&db).expect("serve lock");
        let refused = restore(&copy, &db, "1");
        assert!(matches!(refused, Err(BackupError::InUse(_))), "{refused:?}");
        drop(serving);
        let restored = restore(&copy, &db, "2").expect("restore");
        assert!(restored.previous.is_some_and(|p| p.exists()));
    }

    #[test]
    fn a_backup_never_overwrites_and_a_damaged_file_is_not_restored() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = dir.path().join("wiki.db");
        crate::store::Db::open(&db).expect("open");
        let copy = dir.path().join("copy.db");
        std::fs::write(&copy, b"something").expect("write");
        assert!(matches!(backup(&db, &copy), Err(BackupError::Exists(_))));
        let garbage = dir.path().join("garbage.db");
        std::fs::write(&garbage, vec![7u8; 8192]).expect("write");
        assert!(restore(&garbage, &db, "1").is_err());
        assert!(db.exists(), "the database stays when the backup is refused");
    }
}
