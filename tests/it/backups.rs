//! The real binary: `plutarch backup` of a database another process is writing, `restore`
//! refused while a server uses the database, and backups on a schedule.

use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::server::{Server, plutarch};

fn run(db: &Path, args: &[&str]) -> Output {
    plutarch()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("run plutarch")
}

fn stdout_of(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// An editor's API token on a new database.
fn editor_token(db: &Path) -> String {
    stdout_of(&run(
        db,
        &[
            "user",
            "add",
            "ed",
            "--role",
            "editor",
            "--password",
            "a long enough password",
        ],
    ));
    let out = stdout_of(&run(db, &["token", "create", "ed"]));
    out.lines().last().expect("token line").trim().to_owned()
}

fn put_page(server: &Server, token: &str, title: &str) -> String {
    let body = serde_json::json!({"markup": format!("Page {title}.\n"), "base_revision": null})
        .to_string();
    server.request(
        "PUT",
        &format!("/api/pages/{title}"),
        &[
            &format!("Authorization: Bearer {token}"),
            "Content-Type: application/json",
        ],
        &body,
    )
}

/// How many pages titled `Load N` the database file holds.
fn load_pages(db: &Path) -> usize {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the copy");
    let count: i64 = conn
        .query_row(
            "SELECT count(*) FROM pages WHERE title LIKE 'Load %'",
            [],
            |row| row.get(0),
        )
        .expect("count");
    usize::try_from(count).expect("a count")
}

#[test]
fn a_backup_of_a_database_being_written_is_whole_and_checked() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    let token = editor_token(&db);
    let server = Arc::new(Server::start(&db));
    let saved = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (server, saved, stop, token) = (
            Arc::clone(&server),
            Arc::clone(&saved),
            Arc::clone(&stop),
            token.clone(),
        );
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::Acquire) {
                let answer = put_page(&server, &token, &format!("Load_{n}"));
                assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
                n += 1;
                saved.store(n, Ordering::Release);
            }
        })
    };
    while saved.load(Ordering::Acquire) < 5 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for round in 0..3 {
        let before = saved.load(Ordering::Acquire);
        let copy = dir.path().join(format!("copy-{round}.db"));
        let out = stdout_of(&run(&db, &["backup", copy.to_str().expect("UTF-8")]));
        let after = saved.load(Ordering::Acquire);
        assert!(out.contains("integrity ok"), "{out}");
        assert!(out.contains("pages of 16384 bytes"), "{out}");
        let held = load_pages(&copy);
        assert!(
            (before..=after + 1).contains(&held),
            "the copy holds every page saved before it began ({before}), none past those saved by its end ({after}): {held}"
        );
    }
    stop.store(true, Ordering::Release);
    writer.join().expect("the writer saved every page");
    let again = run(
        &db,
        &[
            "backup",
            dir.path().join("copy-0.db").to_str().expect("UTF-8"),
        ],
    );
    assert!(!again.status.success(), "a backup never overwrites a file");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn a_restore_is_refused_while_serving_and_puts_the_backup_back_after() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    let token = editor_token(&db);
    let copy = dir.path().join("before.db");
    let server = Server::start(&db);
    assert!(put_page(&server, &token, "Kept").starts_with("HTTP/1.1 201"));
    stdout_of(&run(&db, &["backup", copy.to_str().expect("UTF-8")]));
    assert!(put_page(&server, &token, "Later").starts_with("HTTP/1.1 201"));

    let refused = run(&db, &["restore", copy.to_str().expect("UTF-8")]);
    assert!(!refused.status.success(), "refused while serving");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("a server is using"), "{stderr}");
    assert!(server.get("/wiki/Later").starts_with("HTTP/1.1 200"));
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, vec![0x5a_u8; 65536]).expect("write");
    let damaged = run(&db, &["restore", garbage.to_str().expect("UTF-8")]);
    assert!(
        !damaged.status.success(),
        "a file that is no database is refused"
    );

    let out = stdout_of(&run(&db, &["restore", copy.to_str().expect("UTF-8")]));
    assert!(
        out.contains("integrity ok") && out.contains("kept as"),
        "{out}"
    );
    let server = Server::start(&db);
    assert!(server.get("/wiki/Kept").starts_with("HTTP/1.1 200"));
    assert!(
        server.get("/wiki/Later").starts_with("HTTP/1.1 404"),
        "the page saved after the backup is gone with the restore"
    );
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
}

#[test]
fn serve_backs_up_on_a_schedule_and_keeps_the_newest() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    let backups = dir.path().join("backups");
    let server = Server::start_full(
        &db,
        &[("PLUTARCH_BACKUP_KEEP", "2")],
        &[
            "--backup-dir",
            backups.to_str().expect("UTF-8"),
            "--backup-every",
            "1s",
        ],
    );
    let list = || -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(&backups)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "db"))
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    };
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..100 {
        seen.extend(list());
        if seen.len() >= 4 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
    assert!(seen.len() >= 4, "a backup a second: {seen:?}; {stderr}");
    assert!(stderr.contains("backed up the database"), "{stderr}");
    assert!(stderr.contains("deleted an old backup"), "{stderr}");
    let kept = list();
    assert_eq!(kept.len(), 2, "the newest two are kept: {kept:?}");
    for file in &kept {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        assert!(
            name.starts_with("plutarch-") && name.ends_with("Z.db"),
            "{name}"
        );
        let conn = rusqlite::Connection::open(file).expect("open a backup");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .expect("check");
        assert_eq!(check, "ok");
    }
}

#[test]
fn serve_can_leave_checkpoints_to_litestream() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    let server = Server::start_full(&db, &[], &["--no-checkpoints"]);
    assert!(server.get("/healthz").starts_with("HTTP/1.1 200"));
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
    assert!(
        stderr.contains("checkpoints are left to another process"),
        "{stderr}"
    );

    let opened = plutarch::store::Db::open(&db).expect("open");
    assert_eq!(opened.autocheckpoint_pages().expect("pragma"), 1000);
    opened.leave_checkpoints_to_others().expect("turn off");
    assert_eq!(opened.autocheckpoint_pages().expect("pragma"), 0);
}
