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
    for path in [
        "/",
        "/wiki/Ada_Lovelace",
        "/login",
        "/people",
        "/timeline",
        "/wiki/Ada_Lovelace/timeline",
        "/wiki/Ada_Lovelace/info",
    ] {
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
        Some("private, no-store")
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

#[tokio::test]
async fn small_forms_get_small_bodies_and_edits_the_page_sized_limit() {
    let app = TestApp::new();
    app.add_user("edna", Role::Editor, "a good password");
    let mut editor = app.client().signed_in("edna", "a good password").await;
    let text = format!("= Big =\n{}", "Some words of a long page. ".repeat(4000));
    assert!(text.len() > 100_000);

    // A sign-in or a protection form has no use for 100 KB, with or without a length.
    let csrf = editor.sign_out_token().await;
    let protect = form_body(&[("csrf", &csrf), ("reason", &text)]);
    for announced in [true, false] {
        let mut request = Request::post("/wiki/Ada_Lovelace/protect")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if announced {
            request = request.header(header::CONTENT_LENGTH, protect.len());
        }
        let page = editor
            .send(request.body(Body::from(protect.clone())).expect("request"))
            .await;
        assert_eq!(
            page.status,
            StatusCode::PAYLOAD_TOO_LARGE,
            "length announced: {announced}"
        );
    }

    // The edit form takes the same text.
    let form = editor.get("/wiki/Big/edit").await;
    let preview = editor
        .post_form(
            "/wiki/Big/edit",
            &[
                ("csrf", &form.csrf()),
                ("markup", &text),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
}

/// What a write would change: the number of pages and the latest revision of each we touch.
fn snapshot(app: &TestApp) -> Vec<Option<i64>> {
    use plutarch::store::pages;
    app.db
        .read_blocking(|conn| {
            let mut state = vec![Some(pages::count(conn)?)];
            for title in ["Ada Lovelace", "New Page", "Stolen"] {
                state.push(pages::latest(conn, title)?.map(|p| p.revision.id));
            }
            Ok(state)
        })
        .expect("snapshot")
}

/// Every write route in the contract, as (method, path, form or JSON body).
const WRITES: &[(&str, &str, &str)] = &[
    (
        "POST",
        "/wiki/Ada_Lovelace/edit",
        "markup=vandalised&summary=x",
    ),
    (
        "POST",
        "/wiki/Ada_Lovelace/edit?section=1",
        "markup=vandalised&summary=x",
    ),
    ("POST", "/wiki/New_Page/edit", "markup=spam&summary=x"),
    (
        "POST",
        "/wiki/Ada_Lovelace/revert",
        "to_revision=1&summary=x",
    ),
    ("POST", "/wiki/Ada_Lovelace/move", "to=Stolen&summary=x"),
    ("POST", "/wiki/Ada_Lovelace/delete", "summary=x"),
    ("POST", "/wiki/Ada_Lovelace/protect", "protect=on"),
    ("POST", "/wiki/Ada_Lovelace/hide", "revision=1&reason=x"),
    (
        "PUT",
        "/api/pages/Ada_Lovelace",
        r#"{"markup":"vandalised","base_revision":null,"summary":"x"}"#,
    ),
    (
        "PUT",
        "/api/pages/New_Page",
        r#"{"markup":"spam","base_revision":null,"summary":"x"}"#,
    ),
    (
        "PUT",
        "/api/pages/Ada_Lovelace/sections/1",
        r#"{"markup":"== X ==\n","base_revision":1,"summary":"x"}"#,
    ),
    (
        "POST",
        "/api/pages/Ada_Lovelace/revert",
        r#"{"to_revision":1,"summary":"x"}"#,
    ),
    (
        "POST",
        "/api/pages/Ada_Lovelace/move",
        r#"{"to":"Stolen","summary":"x"}"#,
    ),
    ("DELETE", "/api/pages/Ada_Lovelace", ""),
];

fn write_request(
    method: &str,
    path: &str,
    body: &str,
    csrf: Option<&str>,
    token: Option<&str>,
) -> Request<Body> {
    let api = path.starts_with("/api/");
    let body = match (api, csrf) {
        (false, Some(csrf)) => format!("{body}&csrf={csrf}"),
        _ => body.to_owned(),
    };
    let content_type = if api {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(Body::from(body)).expect("request")
}

#[tokio::test]
async fn anonymous_clients_and_readers_cannot_write_anything() {
    let app = TestApp::new();
    app.add_user("carol", Role::Reader, "reader password");
    let token = plutarch::auth::create_api_token(&app.db, "carol", "").expect("token");
    let before = snapshot(&app);
    let mut reader = app.client().signed_in("carol", "reader password").await;
    let csrf = reader.sign_out_token().await;
    for (method, path, body) in WRITES {
        let anonymous = app
            .send(write_request(method, path, body, None, None))
            .await;
        assert!(
            !anonymous.status.is_success(),
            "anonymous {method} {path}: {}",
            anonymous.status
        );
        assert!(
            !anonymous.status.is_server_error(),
            "anonymous {method} {path}"
        );
        // A reader with a valid session and CSRF token, and with an API token.
        let page = reader
            .send(write_request(method, path, body, Some(&csrf), None))
            .await;
        assert!(!page.status.is_server_error(), "reader {method} {path}");
        if path.starts_with("/api/") {
            let api = app
                .send(write_request(method, path, body, None, Some(&token)))
                .await;
            assert!(
                matches!(api.status.as_u16(), 401 | 403 | 404 | 405),
                "reader token {method} {path}: {}",
                api.status
            );
        }
        assert_eq!(snapshot(&app), before, "{method} {path} changed nothing");
    }
}
