//! Read replicas (issue 20, `serve --replica-of`): a replica sends writes to the primary,
//! writes nothing itself, follows what another process writes into its file (its page cache
//! included), reports its lag on `/healthz`, and sends an editor who just saved to the primary
//! until it holds their revision.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode, header};
use serde_json::json;

use crate::api_support::{Call, editor, get, put};
use crate::server::{Server, plutarch};
use crate::support::TestApp;

/// A guard against a test that would hang: never a timing assertion.
const GUARD: Duration = Duration::from_secs(30);

/// A primary (samples written) and a replica over the same file.
fn primary_and_replica(dir: &Path) -> (TestApp, TestApp) {
    let path = dir.join("wiki.db");
    let primary = TestApp::at(&path, plutarch::web::Settings::default());
    let replica = TestApp::replica(&path, Duration::from_secs(30));
    (primary, replica)
}

/// The `plutarch_rev` value a primary's answer set.
fn revision_cookie(answer: &crate::api_support::Answer) -> Option<String> {
    answer
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("plutarch_rev="))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn a_replica_sends_writes_and_write_forms_to_the_primary_with_307() {
    let dir = tempfile::tempdir().expect("folder");
    let (_primary, replica) = primary_and_replica(dir.path());
    let writes = [
        (Method::POST, "/login?next=%2Fwiki%2FAda"),
        (Method::POST, "/wiki/Ada_Lovelace/edit"),
        (Method::POST, "/logout"),
        (Method::PUT, "/api/pages/Ada_Lovelace"),
        (Method::DELETE, "/api/pages/Ada_Lovelace"),
        (Method::POST, "/api/pages/Ada_Lovelace/revert"),
        (Method::GET, "/login"),
        (Method::GET, "/wiki/Ada_Lovelace/edit?section=1"),
        (Method::GET, "/wiki/Ada_Lovelace/delete"),
    ];
    for (method, path) in writes {
        let answer = Call::new(&replica, method.clone(), path)
            .raw("application/x-www-form-urlencoded", "a=b")
            .send()
            .await;
        assert_eq!(
            answer.status,
            StatusCode::TEMPORARY_REDIRECT,
            "{method} {path}"
        );
        assert_eq!(
            answer.header(header::LOCATION),
            Some(format!("http://primary.test{path}").as_str()),
            "{method} {path}: same path and query on the primary"
        );
    }
    let page = get(&replica, "/wiki/Ada_Lovelace").await;
    assert_eq!(page.status, StatusCode::OK, "reads are served");
    let api = get(&replica, "/api/pages/Ada_Lovelace").await;
    assert_eq!(api.status, StatusCode::OK);
}

#[tokio::test]
async fn a_replica_writes_nothing_to_its_file() {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("wiki.db");
    {
        let primary = TestApp::at(&path, plutarch::web::Settings::default());
        primary.add_user("bob", plutarch::auth::Role::Editor, "a good password");
    }
    // The file as Litestream's follow mode leaves it: in rollback-journal mode.
    rusqlite::Connection::open(&path)
        .and_then(|conn| conn.pragma_update(None, "journal_mode", "DELETE"))
        .expect("rollback journal mode");
    let before = std::fs::read(&path).expect("bytes");
    {
        let replica = TestApp::replica(&path, Duration::from_secs(30));
        for path in [
            "/",
            "/wiki/Ada_Lovelace",
            "/recent",
            "/api/recent",
            "/search?q=Ada",
        ] {
            assert_eq!(get(&replica, path).await.status, StatusCode::OK, "{path}");
        }
        let attempt = replica
            .post_form(
                "/login",
                &[("name", "bob"), ("password", "a good password")],
            )
            .await;
        assert_eq!(attempt.status, StatusCode::TEMPORARY_REDIRECT);
        assert!(replica.db.is_read_only());
        assert!(
            replica
                .db
                .write(|conn| Ok(conn.execute_batch("CREATE TABLE t (x)")?))
                .await
                .is_err(),
            "SQLite itself refuses writes"
        );
    }
    assert_eq!(
        std::fs::read(&path).expect("bytes"),
        before,
        "the file is unchanged"
    );
    for side in ["-wal", "-journal", ".serve-lock"] {
        let mut name = path.as_os_str().to_owned();
        name.push(side);
        assert!(!Path::new(&name).exists(), "no {side} file was made");
    }
}

/// Polls `f` until it is true (the replica's watch runs every 100 ms).
async fn eventually(what: &str, mut f: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !f().await {
        assert!(start.elapsed() < GUARD, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_replica_follows_what_another_process_writes_page_cache_included() {
    let dir = tempfile::tempdir().expect("folder");
    let (primary, replica) = primary_and_replica(dir.path());
    let token = editor(&primary);
    let view = get(&replica, "/wiki/Ada_Lovelace").await;
    assert_eq!(view.status, StatusCode::OK);
    // Served again from the page cache.
    let again = get(&replica, "/wiki/Ada_Lovelace").await;
    assert_eq!(again.body, view.body);
    let (markup, revision) = crate::api_support::latest(&primary, "Ada_Lovelace").await;
    let body = json!({
        "markup": format!("{markup}\n\nReplicated sentence about the engine."),
        "base_revision": revision,
        "summary": "replica test"
    });
    put(&primary, &token, "/api/pages/Ada_Lovelace", &body)
        .await
        .ok(200);
    eventually("the replica shows the edit", async || {
        let page = get(&replica, "/wiki/Ada_Lovelace").await;
        String::from_utf8_lossy(&page.body).contains("Replicated sentence")
    })
    .await;
    let api = get(&replica, "/api/pages/Ada_Lovelace").await.ok(200);
    assert!(
        api["markup"]
            .as_str()
            .is_some_and(|m| m.contains("Replicated sentence")),
        "the API's cache follows too"
    );
}

#[tokio::test]
async fn an_editor_who_just_saved_reads_from_the_primary_until_the_replica_has_it() {
    let dir = tempfile::tempdir().expect("folder");
    let (primary, replica) = primary_and_replica(dir.path());
    let token = editor(&primary);
    let (markup, revision) = crate::api_support::latest(&primary, "Ada_Lovelace").await;
    let body = json!({
        "markup": format!("{markup}\n\nOne more line."),
        "base_revision": revision,
        "summary": "cookie test"
    });
    let saved = put(&primary, &token, "/api/pages/Ada_Lovelace", &body).await;
    let written = saved.ok(200)["revision"].as_i64().expect("revision");
    let cookie = revision_cookie(&saved).expect("the save sets plutarch_rev");
    let (revision_part, event_part) = cookie.split_once('.').expect("REVISION.EVENT");
    assert_eq!(revision_part, written.to_string());
    let event: i64 = event_part.parse().expect("an event id");
    let set = saved
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("plutarch_rev="))
        .expect("cookie")
        .to_owned();
    for attribute in ["Max-Age=10", "Path=/", "HttpOnly", "SameSite=Lax"] {
        assert!(set.contains(attribute), "{set}");
    }
    // A read on the primary sets nothing.
    let read = get(&primary, "/api/pages/Ada_Lovelace").await;
    assert_eq!(revision_cookie(&read), None);

    let read_with = async |value: String| {
        Call::new(&replica, Method::GET, "/wiki/Ada_Lovelace?x=1")
            .header("cookie", &format!("session=none; plutarch_rev={value}"))
            .send()
            .await
    };
    eventually("the replica holds the revision", async || {
        read_with(cookie.clone()).await.status == StatusCode::OK
    })
    .await;
    // A cookie from an older primary names a revision only.
    assert_eq!(read_with(written.to_string()).await.status, StatusCode::OK);
    for ahead in [
        format!("{}.{event}", written + 1),
        format!("{written}.{}", event + 1),
    ] {
        let ahead = read_with(ahead).await;
        assert_eq!(ahead.status, StatusCode::TEMPORARY_REDIRECT);
    }
    // A deletion makes no revision, but the cookie names its logged event.
    let admin = crate::api_support::token_for(&primary, "boss", plutarch::auth::Role::Admin);
    crate::api_support::create(&primary, &token, "Short_lived", "Soon gone.\n").await;
    let deleted = Call::new(&primary, Method::DELETE, "/api/pages/Short_lived")
        .token(&admin)
        .send()
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.status);
    let after = revision_cookie(&deleted).expect("a deletion sets plutarch_rev");
    let (after_revision, after_event) = after.split_once('.').expect("REVISION.EVENT");
    assert!(
        after_revision.parse::<i64>().expect("id") > written,
        "the page's creation"
    );
    assert!(
        after_event.parse::<i64>().expect("id") > event,
        "the deletion's event"
    );
    let ahead = read_with(format!("{written}.{}", event + 1000)).await;
    assert_eq!(ahead.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        ahead.header(header::LOCATION),
        Some("http://primary.test/wiki/Ada_Lovelace?x=1")
    );
    assert!(
        ahead
            .header(header::CACHE_CONTROL)
            .is_some_and(|v| v.contains("no-store"))
    );
}

#[test]
fn a_replica_refuses_a_database_of_another_schema_version() {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("old.db");
    drop(plutarch::store::Db::open(&path).expect("create"));
    rusqlite::Connection::open(&path)
        .and_then(|conn| conn.pragma_update(None, "user_version", 3))
        .expect("an older schema");
    let out = plutarch()
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&path)
        .args(["--replica-of", "http://127.0.0.1:9"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("schema version 3") && stderr.contains("runs no migrations"),
        "{stderr}"
    );
    let version: i64 = rusqlite::Connection::open(&path)
        .and_then(|conn| conn.pragma_query_value(None, "user_version", |row| row.get(0)))
        .expect("version");
    assert_eq!(version, 3, "nothing migrated");
}

/// The body of a raw HTTP response.
fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[test]
fn healthz_on_a_replica_fails_once_its_lag_is_over_max_lag() {
    let dir = tempfile::tempdir().expect("folder");
    let path = dir.path().join("wiki.db");
    // A primary only users may read, with an API rate limit: the replica's question about the
    // newest revision needs neither a token nor a share of the rate.
    let primary = Server::start_full(&path, &[], &["--read-access", "users", "--api-rate", "1"]);
    let asked = primary.get("/healthz?revision");
    assert!(asked.starts_with("HTTP/1.1 200"), "{asked}");
    let asked: serde_json::Value = serde_json::from_str(body(&asked)).expect("JSON");
    assert_eq!(asked["role"], "primary");
    assert!(asked["latest_revision"].as_i64().is_some_and(|id| id > 0));
    assert!(
        primary.get("/healthz").ends_with("\r\n\r\nok"),
        "plain health stays `ok`"
    );
    let replica = Server::start_full(
        &path,
        &[],
        &[
            "--replica-of",
            &format!("http://{}", primary.addr),
            "--max-lag",
            "1s",
        ],
    );
    let start = Instant::now();
    loop {
        let answer = replica.get("/healthz");
        if answer.starts_with("HTTP/1.1 200") {
            let health: serde_json::Value =
                serde_json::from_str(body(&answer)).expect("JSON health");
            assert_eq!(health["status"], "ok");
            assert_eq!(health["role"], "replica");
            assert_eq!(health["latest_revision"], health["primary_revision"]);
            break;
        }
        assert!(start.elapsed() < GUARD, "never healthy: {answer}");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The primary goes away: nothing tells the replica it is current any more.
    let primary_addr = primary.addr.clone();
    let (stopped, _) = primary.terminate();
    assert!(stopped);
    let start = Instant::now();
    loop {
        let answer = replica.get("/healthz");
        if answer.starts_with("HTTP/1.1 503") {
            let health: serde_json::Value =
                serde_json::from_str(body(&answer)).expect("JSON health");
            assert_eq!(health["status"], "lagging");
            assert!(health["lag_ms"].as_u64().is_some_and(|ms| ms > 1000));
            assert!(health["primary_error"].is_string());
            break;
        }
        assert!(start.elapsed() < GUARD, "never unhealthy: {answer}");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Writes on the real binary go to the primary too.
    let write = replica.request("POST", "/login", &[], "name=a&password=b");
    assert!(write.starts_with("HTTP/1.1 307"), "{write}");
    assert!(
        write
            .to_ascii_lowercase()
            .contains(&format!("location: http://{primary_addr}/login")),
        "{write}"
    );
}
