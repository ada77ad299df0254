//! Issue 17: no request can take the wiki down. Search costs are bounded (a section of one word
//! 40,000 times, a query of one word 75 times, a NUL), every request has a deadline past which
//! its reads stop and it answers 503 with `Retry-After`, and searches have readers of their own.

use std::time::Duration;

use axum::http::{StatusCode, header};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use plutarch::store::Db;
use plutarch::web::Settings;

use crate::api_support::{self, create, editor};
use crate::support::TestApp;

/// A guard against a request that would hang: never a timing assertion.
const GUARD: Duration = Duration::from_secs(60);

fn app_with_deadline(deadline: Duration) -> TestApp {
    TestApp::with_settings(Settings {
        request_deadline: deadline,
        ..Settings::default()
    })
}

/// `GET path`, which must answer before [`GUARD`].
async fn answer(app: &TestApp, path: &str) -> api_support::Answer {
    tokio::time::timeout(GUARD, api_support::get(app, path))
        .await
        .unwrap_or_else(|_| panic!("{path} did not answer"))
}

/// 200, or 503 with `Retry-After`: never a hang, never a 500.
#[track_caller]
fn assert_answered_or_busy(answer: &api_support::Answer, path: &str) {
    match answer.status {
        StatusCode::OK => {}
        StatusCode::SERVICE_UNAVAILABLE => {
            assert!(
                answer.header(header::RETRY_AFTER).is_some(),
                "{path}: 503 without Retry-After"
            );
        }
        other => panic!("{path}: {other}: {}", String::from_utf8_lossy(&answer.body)),
    }
}

#[tokio::test]
async fn a_section_of_one_word_forty_thousand_times_is_searched_within_the_deadline() {
    let app = app_with_deadline(Duration::from_secs(2));
    let token = editor(&app);
    let body = "zyzzyva ".repeat(40_000);
    create(
        &app,
        &token,
        "Repetitive",
        &format!("Lead.\n== Words ==\n{body}\n"),
    )
    .await;
    for path in [
        "/search?q=zyzzyva",
        "/api/search?q=zyzzyva",
        "/search?q=zyzz*",
        "/api/search?q=words+zyzzyva",
    ] {
        let found = answer(&app, path).await;
        assert_answered_or_busy(&found, path);
        if found.status == StatusCode::OK {
            let text = String::from_utf8_lossy(&found.body);
            assert!(text.contains("<mark>zyzzyva</mark>"), "{path}: {text}");
            assert!(found.body.len() < 64 * 1024, "{path}: a bounded snippet");
        }
    }
    let page = answer(&app, "/wiki/Ada_Lovelace").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "a plain page read answers afterwards"
    );
}

#[tokio::test]
async fn a_query_of_one_word_repeated_finds_what_the_word_finds() {
    let app = TestApp::new();
    let once = answer(&app, "/api/search?q=the&limit=100").await.ok(200);
    let repeated = format!(
        "/api/search?q={}&limit=100",
        utf8_percent_encode(&"the THE thé ".repeat(25), NON_ALPHANUMERIC)
    );
    let many = answer(&app, &repeated).await.ok(200);
    assert_eq!(once["hits"], many["hits"]);
    assert!(!once["hits"].as_array().expect("hits").is_empty());
}

#[tokio::test]
async fn a_nul_or_any_other_byte_in_a_search_is_text_not_an_error() {
    let app = TestApp::new();
    for query in [
        "\0",
        "ada\0lovelace",
        "\"\0",
        "a\u{1}b\u{7f}",
        "\u{e000}ada\u{e001}",
        "\"",
        "\"\"*",
        "*",
        "ada*\0*",
        "NEAR(ada lovelace, 2)",
        "ada^ -lovelace +turing",
        "{ada} : [x]",
        "\u{feff}\u{200b}",
        "\u{fffd}",
    ] {
        let encoded = utf8_percent_encode(query, NON_ALPHANUMERIC);
        for path in [
            format!("/search?q={encoded}"),
            format!("/api/search?q={encoded}"),
        ] {
            let found = answer(&app, &path).await;
            assert_eq!(found.status, StatusCode::OK, "{query:?}: {path}");
        }
    }
    let found = answer(&app, "/api/search?q=ada%00lovelace").await.ok(200);
    assert!(
        found["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .any(|hit| hit["title"] == "Ada Lovelace"),
        "a NUL separates words: {found}"
    );
}

#[tokio::test]
async fn a_request_past_its_deadline_is_503_with_retry_after() {
    let app = app_with_deadline(Duration::from_nanos(1));
    let page = answer(&app, "/wiki/Ada_Lovelace").await;
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(page.header(header::RETRY_AFTER), Some("5"));
    assert!(
        page.header(header::CONTENT_TYPE)
            .is_some_and(|t| t.starts_with("text/html")),
        "an HTML error page"
    );
    for path in ["/search?q=ada", "/wiki/Ada_Lovelace/history"] {
        let busy = answer(&app, path).await;
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(busy.header(header::RETRY_AFTER).is_some(), "{path}");
    }
    for path in ["/api/pages/Ada_Lovelace", "/api/search?q=ada"] {
        let busy = answer(&app, path).await;
        busy.problem(503);
        assert_eq!(busy.header(header::RETRY_AFTER), Some("5"), "{path}");
    }
}

#[tokio::test]
async fn searches_cannot_take_the_readers_that_serve_pages() {
    let app = app_with_deadline(Duration::from_secs(1));
    // Every search reader is held by a search that does not end until released.
    let (started, mut running) = tokio::sync::mpsc::unbounded_channel();
    let mut releases = Vec::new();
    let mut held = Vec::new();
    for _ in 0..Db::SEARCH_READERS {
        let (release, released) = std::sync::mpsc::channel::<()>();
        releases.push(release);
        let started = started.clone();
        let db = app.db.clone();
        held.push(tokio::spawn(async move {
            db.read_search(move |_| {
                let _ = started.send(());
                let _ = released.recv_timeout(GUARD);
                Ok(())
            })
            .await
        }));
    }
    for _ in 0..Db::SEARCH_READERS {
        tokio::time::timeout(GUARD, running.recv())
            .await
            .expect("a held search started");
    }
    for path in [
        "/wiki/Alan_Turing/history",
        "/wiki/Ada_Lovelace",
        "/api/pages/Ada_Lovelace",
        "/recent",
    ] {
        let page = answer(&app, path).await;
        assert_eq!(
            page.status,
            StatusCode::OK,
            "{path} while searches are busy"
        );
    }
    // A search waits for a search reader only until its deadline.
    let busy = answer(&app, "/api/search?q=ada").await;
    busy.problem(503);
    assert!(busy.header(header::RETRY_AFTER).is_some());
    drop(releases);
    for search in held {
        search.await.expect("join").expect("held search");
    }
    answer(&app, "/api/search?q=ada").await.ok(200);
}
