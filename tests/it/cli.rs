//! The real binary: `serve` on a free port, `parse`, and the errors a newcomer can hit.

use std::io::Write;
use std::net::TcpListener;
use std::process::Stdio;

use crate::server::{Server, plutarch};

#[test]
fn serve_answers_and_shuts_down_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    let server = Server::start(&db);
    let health = server.get("/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let main = server.get("/");
    assert!(main.starts_with("HTTP/1.1 200"), "{main}");
    assert!(main.contains("Welcome to Plutarch"));
    let (clean, stderr) = server.terminate();
    assert!(clean, "exit status after SIGTERM; stderr: {stderr}");
    assert!(stderr.contains("shut down cleanly"), "{stderr}");
    assert!(
        stderr.contains("GET") && stderr.contains("status=200"),
        "one log line per request: {stderr}"
    );
    assert!(db.exists(), "the database file was created");
}

#[test]
fn a_second_start_keeps_the_existing_pages() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    for _ in 0..2 {
        let server = Server::start(&db);
        assert!(server.get("/wiki/Ada_Lovelace").starts_with("HTTP/1.1 200"));
        let (clean, stderr) = server.terminate();
        assert!(clean, "{stderr}");
    }
}

fn assert_one_line_error(output: &std::process::Output, expected: &str) {
    assert!(!output.status.success(), "non-zero exit");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "one error line: {stderr}");
    assert!(errors[0].contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_unusable_database_path_is_a_clear_error() {
    let output = plutarch()
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--db",
            "/nonexistent-folder/x/wiki.db",
        ])
        .output()
        .expect("run");
    assert_one_line_error(&output, "cannot open the database");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let dir = tempfile::tempdir().expect("temporary folder");
    let output = plutarch()
        .args(["serve", "--addr", &addr, "--db"])
        .arg(dir.path().join("wiki.db"))
        .output()
        .expect("run");
    assert_one_line_error(&output, "--addr");
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("future.db");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.pragma_update(None, "user_version", 9999)
        .expect("set version");
    drop(conn);
    let output = plutarch()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&path)
        .output()
        .expect("run");
    assert_one_line_error(&output, "upgrade Plutarch");
}

#[test]
fn parse_prints_the_sections_json() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("page.wiki");
    std::fs::write(&file, "= Someone =\nLead.\n== Life ==\nText.\n").expect("write");
    let output = plutarch().arg("parse").arg(&file).output().expect("run");
    assert!(output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["title"], "Someone");
    assert_eq!(json["sections"][1]["title"], "Life");
    assert_eq!(json["sections"][1]["byte_start"], 18);
}

#[test]
fn parse_reads_standard_input() {
    let mut child = plutarch()
        .args(["parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"== A ==\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(json["sections"][1]["anchor"], "A");
}

#[test]
fn parse_refuses_invalid_utf8_with_one_line() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let file = dir.path().join("bad.wiki");
    std::fs::write(&file, b"== ok ==\n\xff\xfe broken").expect("write");
    let output = plutarch().arg("parse").arg(&file).output().expect("run");
    assert_one_line_error(&output, "not valid UTF-8");
}

#[test]
fn the_max_page_bytes_option_limits_saves() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("limit.db");
    let run = |args: &[&str]| {
        let output = plutarch()
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .expect("run");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    run(&[
        "user",
        "add",
        "ed",
        "--role",
        "editor",
        "--password",
        "a long enough password",
    ]);
    let token = run(&["token", "create", "ed"]);
    let token = token.lines().last().expect("token line").trim().to_owned();
    let server = Server::start_full(&db, &[], &["--max-page-bytes", "8000"]);
    let put = |markup: String| {
        let body = serde_json::json!({"markup": markup, "base_revision": null}).to_string();
        server.request(
            "PUT",
            "/api/pages/Limited",
            &[
                &format!("Authorization: Bearer {token}"),
                "Content-Type: application/json",
            ],
            &body,
        )
    };
    let small = put("A short page.\n".to_owned());
    assert!(small.starts_with("HTTP/1.1 201"), "{small}");
    let large = put("x".repeat(9000));
    assert!(
        large.starts_with("HTTP/1.1 413"),
        "the option's limit applies to saves: {large}"
    );
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
}

#[test]
fn a_sigterm_right_after_the_address_is_printed_stops_the_server_cleanly() {
    // Regression: the signal handlers were set up only once the server's shutdown task first
    // ran, so a SIGTERM sent as soon as the address appeared killed the process instead.
    let dir = tempfile::tempdir().expect("temporary folder");
    for round in 0..5 {
        let server = Server::start(&dir.path().join("signal.db"));
        let (clean, stderr) = server.terminate();
        assert!(clean, "round {round}: {stderr}");
    }
}
