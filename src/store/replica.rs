//! A read replica's database file (issue 20, `serve --replica-of`): when it may be opened, and
//! how to notice that it changed under us.
//!
//! Litestream's follow mode (`litestream restore -f`, checked with 0.5.17) keeps the file
//! current by writing changed pages straight into it, holding SQLite's own EXCLUSIVE lock
//! (the PENDING byte and the SHARED range) while it does, and it rewrites the header to say
//! *rollback journal* (bytes 18 and 19 = 1) when it writes page 1. Two consequences shape the
//! replica:
//!
//! - While the header still says WAL (the file as restored, before Litestream first rewrote
//!   page 1), a connection opened now goes into WAL mode: it holds a SHARED lock for as long
//!   as it is open, so Litestream's next apply waits for ever (follow mode stalls silently),
//!   and it trusts the WAL index, which nobody updates, so it never sees new data. So the
//!   replica opens its connections only once the file is in the journal mode Litestream
//!   leaves it in: rollback ([`Readiness`]).
//! - Litestream does not touch page 1 when a change does not (SQLite in WAL mode does not bump
//!   the file change counter), so neither SQLite's cache check nor `PRAGMA data_version` sees
//!   such a change. The replica's readers keep no page cache between reads (`cache_size = 0`:
//!   each read takes its pages from the file, under a SHARED lock that keeps Litestream out
//!   until it ends), and the change watch ([`Signature`]) also looks at the file's size and
//!   time and at the transaction id Litestream writes beside it (`DB-txid`) after each apply.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The bytes every SQLite database starts with.
const MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// The most of the `-txid` file that is read (a 16-digit hex id and a newline).
const MOST_TXID_BYTES: u64 = 64;

/// Whether the file can be opened by a replica yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// It is there, in a journal mode whose connections see what Litestream writes.
    Ready,
    /// Not yet: why (for the log while waiting).
    Waiting(&'static str),
    /// It never will be without help: why, and what to do.
    Refused(String),
}

/// The side file Litestream's follow mode writes after each apply: the last transaction id.
pub fn txid_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-txid");
    PathBuf::from(name)
}

fn wal_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Looks at `db`'s header: ready once it exists as a database in rollback-journal mode (what
/// Litestream leaves), or in WAL mode with a `-wal` beside it and no Litestream following it
/// (another SQLite process writes it, as the tests do: then its connections see new data
/// through the WAL index).
pub fn readiness(db: &Path) -> Readiness {
    let mut header = [0u8; 100];
    let read = std::fs::File::open(db).and_then(|mut file| file.read_exact(&mut header));
    if read.is_err() {
        return Readiness::Waiting("the database file is not there yet (or not complete)");
    }
    if &header[..16] != MAGIC {
        return Readiness::Waiting("the file does not start like a SQLite database yet");
    }
    // The schema version (`PRAGMA user_version`, bytes 60..64 of the header) is read here, so
    // a file of another version is refused at once instead of waited for; only when no `-wal`
    // is beside the file (with one, page 1 may be newer in the log than in the file, and
    // opening the database checks the version anyway).
    let found = i64::from(u32::from_be_bytes([
        header[60], header[61], header[62], header[63],
    ]));
    let supported = super::migrations::supported_version();
    if found != supported && !wal_path(db).exists() {
        return Readiness::Refused(
            super::StoreError::OtherSchema {
                path: db.to_path_buf(),
                found,
                supported,
            }
            .to_string(),
        );
    }
    let followed = txid_path(db).exists();
    let wal = wal_path(db).exists();
    match (header[18], header[19]) {
        (1, 1) if followed && wal => Readiness::Refused(format!(
            "{} is left over from a process that opened the database in WAL mode: with it, SQLite would open the replica in WAL mode too and hold a lock that stops Litestream; stop every process using the file, delete it (and the -shm beside it), and start again",
            wal_path(db).display()
        )),
        (1, 1) => Readiness::Ready,
        // A live SQLite writer in WAL mode keeps its -wal beside the file; Litestream's restore
        // makes none (and may write its -txid only after the file).
        (2, 2) if wal && !followed => Readiness::Ready,
        (2, 2) => Readiness::Waiting(
            "the file still says WAL (Litestream rewrites that with its first change of page 1: make an edit on the primary)",
        ),
        _ => Readiness::Waiting("the header names no journal mode SQLite knows"),
    }
}

/// What the change watch compares: the file's size and modification time, and the last
/// transaction id Litestream wrote. Any difference means the file may have changed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature {
    size: u64,
    modified: Option<SystemTime>,
    txid: Vec<u8>,
}

impl Signature {
    /// Reads the signature of `db` now (a missing piece reads as empty).
    pub fn of(db: &Path) -> Self {
        let meta = std::fs::metadata(db).ok();
        let mut txid = Vec::new();
        if let Ok(file) = std::fs::File::open(txid_path(db)) {
            let _ = file.take(MOST_TXID_BYTES).read_to_end(&mut txid);
        }
        Self {
            size: meta.as_ref().map_or(0, std::fs::Metadata::len),
            modified: meta.and_then(|m| m.modified().ok()),
            txid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(mode: u8) -> Vec<u8> {
        let mut bytes = vec![0u8; 4096];
        bytes[..16].copy_from_slice(MAGIC);
        bytes[18] = mode;
        bytes[19] = mode;
        let version = u32::try_from(crate::store::migrations::supported_version()).unwrap();
        bytes[60..64].copy_from_slice(&version.to_be_bytes());
        bytes
    }

    #[test]
    fn a_file_of_another_schema_version_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("folder");
        let db = dir.path().join("r.db");
        let mut old = header(2);
        old[60..64].copy_from_slice(&3u32.to_be_bytes());
        std::fs::write(&db, old).expect("write");
        match readiness(&db) {
            Readiness::Refused(why) => assert!(why.contains("schema version 3"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_followed_file_is_ready_once_litestream_left_it_in_rollback_mode() {
        let dir = tempfile::tempdir().expect("folder");
        let db = dir.path().join("r.db");
        assert!(matches!(readiness(&db), Readiness::Waiting(_)));
        std::fs::write(&db, b"SQLite").expect("write");
        assert!(matches!(readiness(&db), Readiness::Waiting(_)), "short");
        std::fs::write(&db, header(2)).expect("write");
        assert!(
            matches!(readiness(&db), Readiness::Waiting(_)),
            "WAL as restored, before its -txid"
        );
        std::fs::write(wal_path(&db), b"").expect("wal");
        assert_eq!(readiness(&db), Readiness::Ready, "WAL, a live writer");
        std::fs::write(txid_path(&db), b"0000000000000002\n").expect("txid");
        assert!(
            matches!(readiness(&db), Readiness::Waiting(_)),
            "WAL, followed"
        );
        std::fs::write(&db, header(1)).expect("write");
        assert!(
            matches!(readiness(&db), Readiness::Refused(_)),
            "a stale -wal"
        );
        std::fs::remove_file(wal_path(&db)).expect("remove");
        assert_eq!(readiness(&db), Readiness::Ready);
    }

    #[test]
    fn the_signature_moves_with_the_txid_and_the_size() {
        let dir = tempfile::tempdir().expect("folder");
        let db = dir.path().join("r.db");
        std::fs::write(&db, header(1)).expect("write");
        let first = Signature::of(&db);
        assert_eq!(Signature::of(&db), first);
        std::fs::write(txid_path(&db), b"0000000000000003\n").expect("txid");
        let second = Signature::of(&db);
        assert_ne!(second, first);
        std::fs::write(&db, header(1).repeat(2)).expect("grow");
        assert_ne!(Signature::of(&db), second);
    }
}
