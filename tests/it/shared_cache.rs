//! A cache in front, done right (issue 20): anonymous answers are shareable with validators
//! and answer conditional requests with 304; answers for a session or a token, errors, 429s,
//! admin views and deleted pages are never shareable.

use std::time::Duration;

use axum::http::{Method, StatusCode, header};
use plutarch::auth::Role;
use plutarch::web::Settings;

use crate::api_support::{Answer, Call, create, get, token_for};
use crate::support::{PASSWORD, TestApp};

fn cache_control(answer: &Answer) -> &str {
    answer.header(header::CACHE_CONTROL).unwrap_or("")
}

fn assert_shareable(answer: &Answer, what: &str) {
    assert_eq!(answer.status, StatusCode::OK, "{what}");
    assert_eq!(
        cache_control(answer),
        "public, max-age=0, s-maxage=60",
        "{what}"
    );
    let vary = answer.header(header::VARY).unwrap_or("");
    assert!(vary.contains("Cookie, Authorization"), "{what}: {vary}");
    assert!(answer.header(header::ETAG).is_some(), "{what}: an ETag");
}

fn assert_not_shareable(answer: &Answer, what: &str) {
    let control = cache_control(answer);
    assert!(control.contains("no-store"), "{what}: {control}");
    assert!(!control.contains("public"), "{what}: {control}");
}

async fn conditional(app: &TestApp, path: &str, name: &str, value: &str) -> Answer {
    Call::new(app, Method::GET, path)
        .header(name, value)
        .send()
        .await
}

/// A wiki with Ada (made by an editor, whose token is returned), a second in the past, so
/// that its views can carry a Last-Modified (changes of the current second are not dated).
async fn wiki_with_ada(app: &TestApp) -> String {
    let editor = token_for(app, "editor", Role::Editor);
    create(app, &editor, "Ada", "Ada wrote programs.\n").await;
    create(app, &editor, "Alan", "Alan read [[Grace]].\n").await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    editor
}

#[tokio::test]
async fn anonymous_views_reads_and_listings_are_shareable_with_validators() {
    let app = TestApp::new();
    wiki_with_ada(&app).await;
    for path in [
        "/wiki/Ada",
        "/wiki/Ada/history",
        "/recent",
        "/api/pages/Ada",
        "/api/pages",
    ] {
        let answer = get(&app, path).await;
        assert_shareable(&answer, path);
        let modified = answer.header(header::LAST_MODIFIED).expect("Last-Modified");
        assert!(
            httpdate::parse_http_date(modified).is_ok(),
            "{path}: {modified}"
        );
    }
}

#[tokio::test]
async fn the_shared_max_age_is_configurable() {
    let app = TestApp::with_settings(Settings {
        cdn_max_age: Duration::from_secs(300),
        ..Settings::default()
    });
    let answer = get(&app, "/wiki/Main_Page").await;
    assert_eq!(cache_control(&answer), "public, max-age=0, s-maxage=300");
}

#[tokio::test]
async fn conditional_requests_are_answered_304_and_if_none_match_wins() {
    let app = TestApp::new();
    let editor = wiki_with_ada(&app).await;
    for path in ["/wiki/Ada", "/api/pages/Ada", "/recent"] {
        let first = get(&app, path).await;
        let etag = first.header(header::ETAG).expect("ETag").to_owned();
        let modified = first
            .header(header::LAST_MODIFIED)
            .expect("Last-Modified")
            .to_owned();

        let same = conditional(&app, path, "if-none-match", &etag).await;
        assert_eq!(same.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(same.body.is_empty(), "{path}: a 304 has no body");
        assert_eq!(same.header(header::ETAG), Some(etag.as_str()), "{path}");
        assert_eq!(cache_control(&same), cache_control(&first), "{path}");

        let by_date = conditional(&app, path, "if-modified-since", &modified).await;
        assert_eq!(by_date.status, StatusCode::NOT_MODIFIED, "{path}");

        let older = "Sun, 06 Nov 1994 08:49:37 GMT";
        let changed = conditional(&app, path, "if-modified-since", older).await;
        assert_eq!(changed.status, StatusCode::OK, "{path}");

        // RFC 9110 13.2.2: If-None-Match is evaluated, If-Modified-Since ignored.
        let both = Call::new(&app, Method::GET, path)
            .header("if-none-match", "\"another\"")
            .header("if-modified-since", &modified)
            .send()
            .await;
        assert_eq!(both.status, StatusCode::OK, "{path}: If-None-Match wins");
    }

    // An edit makes every validator of the page stale.
    let before = get(&app, "/wiki/Ada").await;
    let etag = before.header(header::ETAG).expect("ETag").to_owned();
    let modified = before
        .header(header::LAST_MODIFIED)
        .expect("Last-Modified")
        .to_owned();
    let (_, base) = crate::api_support::latest(&app, "Ada").await;
    crate::deletion::edit(&app, &editor, "Ada", base, "Ada wrote the first program.\n").await;
    let after = conditional(&app, "/wiki/Ada", "if-none-match", &etag).await;
    assert_eq!(after.status, StatusCode::OK);
    assert_ne!(after.header(header::ETAG), Some(etag.as_str()));
    let by_date = conditional(&app, "/wiki/Ada", "if-modified-since", &modified).await;
    assert_eq!(by_date.status, StatusCode::OK, "the page changed since");
}

#[tokio::test]
async fn a_link_turning_blue_changes_the_etag_of_the_page_that_shows_it() {
    let app = TestApp::new();
    let editor = wiki_with_ada(&app).await;
    let red = get(&app, "/wiki/Alan").await;
    let etag = red.header(header::ETAG).expect("ETag").to_owned();
    create(&app, &editor, "Grace", "Grace.\n").await;
    let blue = conditional(&app, "/wiki/Alan", "if-none-match", &etag).await;
    assert_eq!(
        blue.status,
        StatusCode::OK,
        "Alan's link to Grace is blue now"
    );
    assert_ne!(blue.header(header::ETAG), Some(etag.as_str()));
}

#[tokio::test]
async fn answers_for_a_session_or_a_token_are_private() {
    let app = TestApp::with_roles();
    wiki_with_ada(&app).await;
    let token = token_for(&app, "reader", Role::Reader);
    for path in ["/api/pages/Ada", "/api/pages", "/wiki/Ada"] {
        let answer = Call::new(&app, Method::GET, path)
            .token(&token)
            .send()
            .await;
        assert_eq!(cache_control(&answer), "private, no-store", "{path}");
    }
    let mut browser = app.client().signed_in("carol", PASSWORD).await;
    for path in ["/wiki/Ada", "/recent", "/wiki/Ada/history"] {
        let page = browser.get(path).await;
        assert_eq!(
            page.header(header::CACHE_CONTROL),
            Some("private, no-store"),
            "{path}"
        );
        let vary = page.header(header::VARY).unwrap_or("");
        assert!(vary.contains("Cookie"), "{path}: {vary}");
    }
}

#[tokio::test]
async fn hidden_deleted_admin_errors_and_429_are_never_shareable() {
    let app = TestApp::with_roles();
    wiki_with_ada(&app).await;
    let admin = token_for(&app, "admin", Role::Admin);

    let admin_read = Call::new(&app, Method::GET, "/api/pages/Ada/revisions")
        .token(&admin)
        .send()
        .await;
    assert_eq!(cache_control(&admin_read), "private, no-store");

    for path in [
        "/admin/log",
        "/admin/jobs",
        "/wiki/Nobody",
        "/api/pages/Nobody",
    ] {
        let answer = get(&app, path).await;
        assert_ne!(answer.status, StatusCode::OK, "{path}");
        assert_not_shareable(&answer, path);
    }

    let deleted = Call::new(&app, Method::DELETE, "/api/pages/Ada")
        .token(&admin)
        .send()
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.status);
    for path in ["/wiki/Ada", "/api/pages/Ada"] {
        let answer = get(&app, path).await;
        assert_ne!(answer.status, StatusCode::OK, "{path}");
        assert_not_shareable(&answer, path);
    }

    let limited = TestApp::with_settings(Settings {
        api_rate: std::num::NonZeroU32::new(1),
        ..Settings::default()
    });
    let mut refused = None;
    for _ in 0..20 {
        let answer = get(&limited, "/api/pages").await;
        if answer.status == StatusCode::TOO_MANY_REQUESTS {
            refused = Some(answer);
            break;
        }
    }
    let refused = refused.expect("a 429 within 20 quick reads at 1 a second");
    assert_not_shareable(&refused, "429");
}
