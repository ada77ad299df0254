//! The JSON API through the real router: one test (or more) per route and per error status.

use axum::http::{Method, header};

use crate::api_support::{Call, get};
use crate::support::TestApp;

#[tokio::test]
async fn the_openapi_document_is_served() {
    let app = TestApp::new();
    let doc = get(&app, "/api/openapi.json").await.ok(200);
    assert_eq!(doc["openapi"], "3.1.0");
}

#[tokio::test]
async fn a_page_reads_as_markup_with_its_revision_and_etag() {
    let app = TestApp::new();
    let answer = get(&app, "/api/pages/Ada_Lovelace").await;
    let page = answer.ok(200);
    assert_eq!(page["title"], "Ada Lovelace");
    assert!(page["markup"].as_str().unwrap().contains("== "));
    let revision = page["revision"]["id"].as_i64().unwrap();
    assert!(
        page["revision"]["timestamp"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert!(page["revision"]["author"].is_string());
    assert_eq!(
        page["revision"]["size"].as_u64().unwrap() as usize,
        page["markup"].as_str().unwrap().len()
    );
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str())
    );
    // Twice: the second answer comes from the cache and is the same.
    let again = get(&app, "/api/pages/Ada_Lovelace").await;
    assert_eq!(again.body, answer.body);
    assert_eq!(again.header(header::ETAG), answer.header(header::ETAG));
}

#[tokio::test]
async fn a_missing_page_is_a_404_problem() {
    let app = TestApp::new();
    let problem = get(&app, "/api/pages/Nobody_Here").await.problem(404);
    assert!(problem["detail"].as_str().unwrap().contains("Nobody Here"));
}

#[tokio::test]
async fn an_invalid_title_is_a_422_problem() {
    let app = TestApp::new();
    let problem = get(&app, "/api/pages/a%5Bb").await.problem(422);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("cannot contain")
    );
}

#[tokio::test]
async fn an_unknown_api_route_is_a_404_problem() {
    let app = TestApp::new();
    get(&app, "/api/no/such/thing").await.problem(404);
    get(&app, "/api").await.problem(404);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_with_allow() {
    let app = TestApp::new();
    let answer = Call::new(&app, Method::PATCH, "/api/pages/Ada_Lovelace")
        .send()
        .await;
    answer.problem(405);
    let allow = answer.header(header::ALLOW).unwrap_or_default();
    assert!(allow.contains("GET"), "Allow: {allow}");
}
