//! Reading pages through the real router.

use axum::http::{StatusCode, header};

use crate::support::TestApp;

#[tokio::test]
async fn the_main_page_explains_the_wiki_and_links_to_the_samples() {
    let app = TestApp::new();
    let page = app.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("title"), ["Welcome to Plutarch — Plutarch"]);
    assert_eq!(page.texts("html[lang=en] main h1"), ["Welcome to Plutarch"]);
    let links = page.texts("main a");
    assert!(
        links.iter().any(|l| l.contains("Ada Lovelace")),
        "the main page links to a sample: {links:?}"
    );
}

#[tokio::test]
async fn a_sample_biography_renders_with_its_sections() {
    let app = TestApp::new();
    let page = app.get("/wiki/Ada_Lovelace").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1.page-title"), ["Ada Lovelace"]);
    assert!(page.texts("main h2").len() >= 3, "sections are headings");
    assert!(!page.texts(".last-edit").is_empty());
}

#[tokio::test]
async fn a_title_with_spaces_redirects_to_the_underscore_form() {
    let app = TestApp::new();
    let page = app.get("/wiki/Ada%20Lovelace").await;
    assert_eq!(page.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(page.header(header::LOCATION), Some("/wiki/Ada_Lovelace"));
    let page = app.get("/wiki/ada_Lovelace").await;
    assert_eq!(page.header(header::LOCATION), Some("/wiki/Ada_Lovelace"));
}

#[tokio::test]
async fn a_missing_page_is_a_404_that_offers_to_create_it() {
    let app = TestApp::new();
    let page = app.get("/wiki/Nobody_Here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    // An anonymous reader is offered to sign in, which comes back to the form (issue 15).
    assert!(
        page.body
            .contains("href=\"/login?next=/wiki/Nobody_Here/edit\""),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn an_unknown_route_is_a_404_page() {
    let app = TestApp::new();
    let page = app.get("/no/such/thing").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(page.texts("h1"), ["Not found"]);
}

#[tokio::test]
async fn an_invalid_title_is_a_400_with_the_reason() {
    let app = TestApp::new();
    let page = app.get("/wiki/a%5Bb").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("cannot contain"));
}

#[tokio::test]
async fn healthz_answers_ok() {
    let app = TestApp::new();
    let page = app.get("/healthz").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body, "ok");
}

#[tokio::test]
async fn the_stylesheet_is_cacheable() {
    let app = TestApp::new();
    let page = app.get("/static/style.css").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.header(header::CONTENT_TYPE),
        Some("text/css; charset=utf-8")
    );
    assert!(
        page.header(header::CACHE_CONTROL)
            .unwrap_or("")
            .contains("max-age")
    );
    // Pages link it under a version named by its content, so a new build's stylesheet is
    // never taken from a cache that kept the old one.
    let home = app.get("/wiki/Ada_Lovelace").await;
    let links = home.attrs("link[rel=stylesheet]", "href");
    let version = {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(&page.body);
        digest[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(links, [format!("/static/style.css?v={version}")]);
}
