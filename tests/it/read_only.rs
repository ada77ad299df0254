//! Reads never depend on a write succeeding (issue 17): a session whose last use cannot be
//! noted still reads, and a read-only database serves reads and refuses writes with 503.

use std::process::Command;

use axum::http::StatusCode;
use plutarch::auth::{ReadAccess, Role};
use plutarch::web::Settings;

use crate::server::{Server, plutarch};
use crate::support::TestApp;

#[tokio::test]
async fn a_failed_last_use_update_does_not_fail_a_page_read() {
    for read_access in [ReadAccess::Public, ReadAccess::Users] {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("wiki.db");
        let app = TestApp::at(
            &path,
            Settings {
                read_access,
                ..Settings::default()
            },
        );
        app.add_user("Reader", Role::Reader, "a good password");
        let mut client = app.client().signed_in("Reader", "a good password").await;
        // The session was last used an hour ago, so this read notes its use; the note fails
        // (as it would on a full disk).
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "UPDATE sessions SET last_seen = last_seen - 3600;
             CREATE TRIGGER full_disk BEFORE UPDATE OF last_seen ON sessions
             BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;",
        )
        .expect("simulate a full disk");
        let before: i64 = conn
            .query_row("SELECT last_seen FROM sessions", [], |row| row.get(0))
            .expect("last use");

        let page = client.get("/wiki/Ada_Lovelace").await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{read_access:?}: {}",
            page.body
        );
        assert_eq!(page.texts(".user-name"), ["Reader"], "still signed in");
        let after: i64 = conn
            .query_row("SELECT last_seen FROM sessions", [], |row| row.get(0))
            .expect("last use");
        assert_eq!(before, after, "the note really failed");
    }
}

/// `plutarch serve` over `db`, unable to write it: the file is read-only, and when the tests
/// run as root (who may write anyway) the server runs without the capabilities that let it.
fn serve_read_only(db: &std::path::Path) -> Server {
    let mut permissions = std::fs::metadata(db).expect("database").permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(db, permissions).expect("make the database read-only");
    let writable_anyway = std::fs::OpenOptions::new().write(true).open(db).is_ok();
    let mut command = if writable_anyway {
        let mut command = Command::new("setpriv");
        command
            .arg("--bounding-set=-dac_override,-dac_read_search,-fowner")
            .arg(env!("CARGO_BIN_EXE_plutarch"))
            .env_remove("PLUTARCH_DB")
            .env_remove("PLUTARCH_ADDR");
        command
    } else {
        plutarch()
    };
    command
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db);
    Server::spawn(command)
}

/// The sign-in form's cookie and CSRF token, from a raw `GET /login` response.
fn sign_in_form(response: &str) -> (String, String) {
    let cookie = response
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: plutarch_form="))
        .and_then(|rest| rest.split(';').next())
        .expect("form cookie");
    let csrf = response
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("csrf field");
    (cookie.to_owned(), csrf.to_owned())
}

#[test]
fn a_read_only_database_serves_reads_and_refuses_writes_with_503_and_the_reason() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    let first = Server::start_with(&db, &[("PLUTARCH_ADMIN_PASSWORD", "a good password")]);
    let (clean, stderr) = first.terminate();
    assert!(clean, "{stderr}");
    let output = plutarch()
        .args(["token", "create", "admin", "--db"])
        .arg(&db)
        .output()
        .expect("create a token");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let token = stdout.lines().last().expect("token").trim().to_owned();

    let server = serve_read_only(&db);
    let page = server.get("/wiki/Ada_Lovelace");
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(
        server
            .get("/api/pages/Ada_Lovelace")
            .starts_with("HTTP/1.1 200")
    );

    let json = r#"{"markup": "= New =\nText."}"#;
    let api = server.request(
        "PUT",
        "/api/pages/New",
        &[
            &format!("Authorization: Bearer {token}"),
            "Content-Type: application/json",
        ],
        json,
    );
    assert!(api.starts_with("HTTP/1.1 503"), "{api}");
    assert!(api.contains("application/problem+json"), "{api}");
    assert!(api.contains("the database is read-only"), "{api}");

    let (cookie, csrf) = sign_in_form(&server.get("/login"));
    let form = format!("name=admin&password=wrong+password&csrf={csrf}");
    let html = server.request(
        "POST",
        "/login",
        &[
            &format!("Cookie: plutarch_form={cookie}"),
            "Content-Type: application/x-www-form-urlencoded",
        ],
        &form,
    );
    assert!(html.starts_with("HTTP/1.1 503"), "{html}");
    assert!(html.contains("text/html"), "{html}");
    assert!(html.contains("The database is read-only"), "{html}");
    assert!(server.get("/wiki/Ada_Lovelace").starts_with("HTTP/1.1 200"));

    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
    let said = stderr
        .lines()
        .filter(|line| line.contains("is read-only (its file, folder or disk"))
        .count();
    assert_eq!(said, 1, "said once, at start: {stderr}");
}
