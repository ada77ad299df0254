//! Backups on a schedule (`serve --backup-dir DIR --backup-every 6h --backup-keep 14`): every
//! interval, a checked copy of the live database named `plutarch-YYYYMMDDTHHMMSSZ.db` in the
//! folder, then the oldest copies beyond the number to keep are deleted.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::store::backup::{self, BackupError, BackupReport};

/// The start of a scheduled backup's file name.
const PREFIX: &str = "plutarch-";
/// The end of a scheduled backup's file name.
const SUFFIX: &str = ".db";

/// When and where `serve` makes backups, and how many it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSchedule {
    /// The folder the backups go to (created if needed).
    pub dir: PathBuf,
    /// The time between two backups (the first one comes one interval after the start).
    pub every: Duration,
    /// How many of the newest backups are kept.
    pub keep: NonZeroUsize,
}

/// The current time in UTC as `20260101T120000Z`: sorts as it reads.
pub fn stamp_now() -> String {
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::now_utc()
        .format(format)
        .unwrap_or_else(|_| "unknown-time".to_owned())
}

/// Makes one backup of the database at `db` into the schedule's folder, then deletes the oldest
/// ones beyond `keep`. Returns the backup and the files deleted.
pub fn back_up_now(
    db: &Path,
    schedule: &BackupSchedule,
) -> Result<(BackupReport, Vec<PathBuf>), BackupError> {
    std::fs::create_dir_all(&schedule.dir).map_err(|source| BackupError::Io {
        path: schedule.dir.clone(),
        source,
    })?;
    let dest = schedule
        .dir
        .join(format!("{PREFIX}{}{SUFFIX}", stamp_now()));
    let report = backup::backup(db, &dest)?;
    let deleted = prune(&schedule.dir, schedule.keep)?;
    Ok((report, deleted))
}

/// Deletes the oldest scheduled backups in `dir` beyond the newest `keep` (other files are
/// left alone). Returns the files deleted.
pub fn prune(dir: &Path, keep: NonZeroUsize) -> Result<Vec<PathBuf>, BackupError> {
    let io = |source| BackupError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut backups: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| is_scheduled_backup(path))
        .collect();
    backups.sort();
    let excess = backups.len().saturating_sub(keep.get());
    let mut deleted = Vec::new();
    for path in backups.into_iter().take(excess) {
        std::fs::remove_file(&path).map_err(|source| BackupError::Io {
            path: path.clone(),
            source,
        })?;
        deleted.push(path);
    }
    Ok(deleted)
}

fn is_scheduled_backup(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .and_then(|name| name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX))
        .is_some_and(|stamp| {
            stamp.len() == 16
                && stamp.ends_with('Z')
                && stamp
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == 'T' || c == 'Z')
        })
}

/// Makes a backup every interval until the runtime ends, logging each one; a failed backup is
/// logged and the schedule goes on.
pub async fn run_forever(db: PathBuf, schedule: BackupSchedule) {
    let mut ticks =
        tokio::time::interval_at(tokio::time::Instant::now() + schedule.every, schedule.every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let (db, schedule) = (db.clone(), schedule.clone());
        let started = std::time::Instant::now();
        match tokio::task::spawn_blocking(move || back_up_now(&db, &schedule)).await {
            Ok(Ok((report, deleted))) => {
                tracing::info!(
                    path = %report.path.display(),
                    bytes = report.bytes,
                    pages = report.pages,
                    integrity = %report.integrity,
                    ms = started.elapsed().as_millis() as u64,
                    "backed up the database"
                );
                for path in deleted {
                    tracing::info!(path = %path.display(), "deleted an old backup");
                }
            }
            Ok(Err(error)) => tracing::error!("the scheduled backup failed: {error}"),
            Err(error) => tracing::error!("the scheduled backup failed: {error}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_backups_are_kept_and_other_files_are_left_alone() {
        let dir = tempfile::tempdir().expect("temporary folder");
        for stamp in ["20260101T000000Z", "20260102T000000Z", "20260103T000000Z"] {
            std::fs::write(dir.path().join(format!("plutarch-{stamp}.db")), b"x").expect("write");
        }
        std::fs::write(dir.path().join("plutarch-mine.db"), b"x").expect("write");
        std::fs::write(dir.path().join("notes.txt"), b"x").expect("write");
        let deleted = prune(dir.path(), NonZeroUsize::new(2).expect("two")).expect("prune");
        assert_eq!(
            deleted,
            vec![dir.path().join("plutarch-20260101T000000Z.db")]
        );
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "notes.txt",
                "plutarch-20260102T000000Z.db",
                "plutarch-20260103T000000Z.db",
                "plutarch-mine.db"
            ]
        );
    }

    #[test]
    fn a_stamp_sorts_as_it_reads() {
        let stamp = stamp_now();
        assert_eq!(stamp.len(), 16, "{stamp}");
        assert!(is_scheduled_backup(Path::new(&format!(
            "plutarch-{stamp}.db"
        ))));
    }
}
