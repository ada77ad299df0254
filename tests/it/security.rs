//! Protections on every response: security headers, cache rules, body limits.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plutarch::auth::Role;
use plutarch::web::Settings;

use crate::support::{Page, TestApp, form_body};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

fn assert_security_headers(page: &Page, what: &str) {
    assert_eq!(
        page.header(header::CONTENT_SECURITY_POLICY),
        Some(CSP),
        "{what}"
    );
    assert_eq!(
        page.header(header::X_CONTENT_TYPE_OPTIONS),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        page.header(header::REFERRER_POLICY),
        Some("strict-origin-when-cross-origin"),
        "{what}"
    );
    assert_eq!(page.header(header::X_FRAME_OPTIONS), Some("DENY"), "{what}");
}

#[tokio::test]
async fn every_response_has_the_security_headers() {
    let app = TestApp::new();
    for path in [
        "/",
        "/wiki/Ada_Lovelace",
        "/wiki/Nobody_Here",
        "/wiki/a%5Bb",
        "/no/such/thing",
        "/static/style.css",
        "/healthz",
        "/login",
        "/admin/log",
        "/api/pages",
    ] {
        let page = app.get(path).await;
        assert_security_headers(&page, path);
    }
    let refused = app.post_form("/logout", &[]).await;
    assert_security_headers(&refused, "POST /logout");
    let wrong_method = app
        .send(
            Request::delete("/login")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_security_headers(&wrong_method, "DELETE /login");
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    let app = TestApp::new();
    for path in ["/", "/wiki/Ada_Lovelace", "/login"] {
        let page = app.get(path).await;
        assert!(page.texts("script").is_empty(), "{path}");
        assert!(page.attrs("[style]", "style").is_empty(), "{path}");
        assert!(
            !page.body.contains(" onclick=") && !page.body.contains(" onload="),
            "{path}"
        );
    }
}

#[tokio::test]
async fn signed_in_pages_are_not_cached_by_shared_caches() {
    let app = TestApp::new();
    app.add_user("alice", Role::Editor, "correct horse");
    let mut browser = app.client().signed_in("alice", "correct horse").await;
    let page = browser.get("/wiki/Ada_Lovelace").await;
    assert_eq!(
        page.header(header::CACHE_CONTROL),
        Some("private, no-cache")
    );
    assert_eq!(
        app.get("/login").await.header(header::CACHE_CONTROL),
        Some("no-store")
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_before_it_is_read() {
    let app = TestApp::with_settings(Settings {
        max_page_bytes: 1000,
        ..Settings::default()
    });
    let limit = Settings {
        max_page_bytes: 1000,
        ..Settings::default()
    }
    .body_limit();
    let big = "x".repeat(limit + 1);
    let body = form_body(&[("name", "a"), ("password", &big)]);
    let page = app
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body.clone()))
                .expect("request"),
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(page.texts("h1"), ["Too large"]);
    assert_security_headers(&page, "413");

    let api = app
        .send(
            Request::put("/api/pages/X")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        api.header(header::CONTENT_TYPE),
        Some("application/problem+json")
    );
    assert_eq!(api.json()["status"], 413);
}

#[tokio::test]
async fn a_streamed_oversized_body_is_cut_off_too() {
    let app = TestApp::with_settings(Settings {
        max_page_bytes: 1000,
        ..Settings::default()
    });
    let big = "x".repeat(200_000);
    let body = form_body(&[("name", "a"), ("password", &big)]);
    // No Content-Length header: the limit applies as the body is read.
    let page = app
        .send(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
}
