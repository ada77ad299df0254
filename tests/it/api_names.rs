//! Unambiguous names beside the old ones (`heading`, `parent_id`, `revision_info`), sections read
//! by anchor, and `GET /api/me`.

use axum::http::{Method, header};
use plutarch::auth::Role;
use serde_json::{Value, json};

use crate::api_support::{Call, create, editor, get, put, token_for};
use crate::support::TestApp;

const NESTED: &str = "Lead.\n== Early life ==\nA.\n=== School ===\nB.\n== Later ==\nC.\n";

/// Asserts `info` is a whole revision object for `id`.
#[track_caller]
fn is_revision(info: &Value, id: i64) {
    assert_eq!(info["id"], id, "{info}");
    assert!(
        info["timestamp"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{info}"
    );
    assert_eq!(info["author"], "editor");
    assert!(
        info["summary"].is_string() && info["size"].is_i64(),
        "{info}"
    );
}

#[tokio::test]
async fn sections_name_their_heading_and_parent_by_id() {
    let app = TestApp::new();
    let token = editor(&app);
    let revision = create(&app, &token, "Nested", NESTED).await;
    let sections = get(&app, "/api/pages/Nested/sections").await.ok(200);
    is_revision(&sections["revision_info"], revision);
    let list = sections["sections"].as_array().unwrap();
    assert_eq!(list[2]["heading"], "School");
    assert_eq!(list[2]["title"], list[2]["heading"]);
    assert_eq!(list[2]["parent"], 1);
    assert_eq!(list[2]["parent_id"], list[1]["id"]);
    assert_eq!(list[1]["parent_id"], Value::Null);

    // By anchor, as by index or id; the answer is the same section.
    let by_anchor = get(&app, "/api/pages/Nested/sections/anchor:Early_life")
        .await
        .ok(200);
    let by_index = get(&app, "/api/pages/Nested/sections/1").await.ok(200);
    assert_eq!(by_anchor["id"], by_index["id"]);
    assert_eq!(
        by_anchor["markup"],
        "== Early life ==\nA.\n=== School ===\nB.\n"
    );
    assert_eq!(by_anchor["page"], "Nested");
    is_revision(&by_anchor["revision_info"], revision);
    let missing = get(&app, "/api/pages/Nested/sections/anchor:Nowhere")
        .await
        .problem(404);
    assert_eq!(missing["type"], "/problems/section-missing");

    // A section write by anchor; the answer carries the new revision's timestamp.
    let written = put(
        &app,
        &token,
        "/api/pages/Nested/sections/anchor:Later",
        &json!({"markup": "== Later ==\nC, again.\n", "base_revision": revision}),
    )
    .await
    .ok(200);
    let latest = written["revision"].as_i64().unwrap();
    is_revision(&written["revision_info"], latest);
    assert_ne!(latest, revision);
    assert_eq!(
        written["sections"][2]["parent_id"],
        written["sections"][1]["id"]
    );
}

#[tokio::test]
async fn every_revision_comes_as_one_object() {
    let app = TestApp::new();
    let token = editor(&app);
    let revision = create(&app, &token, "Nested", NESTED).await;
    let page = get(&app, "/api/pages/Nested").await.ok(200);
    assert_eq!(page["revision_info"], page["revision"]);
    let history = get(&app, "/api/pages/Nested/revisions").await.ok(200);
    is_revision(&history["revisions"][0]["revision_info"], revision);
    let one = get(&app, &format!("/api/revisions/{revision}"))
        .await
        .ok(200);
    is_revision(&one["revision_info"], revision);
    let facts = get(&app, "/api/pages/Nested/facts").await.ok(200);
    is_revision(&facts["revision_info"], revision);
    let timeline = get(&app, "/api/pages/Nested/timeline").await.ok(200);
    is_revision(&timeline["revision_info"], revision);
    let moved = Call::new(&app, Method::POST, "/api/pages/Nested/move")
        .token(&token)
        .json(&json!({"to": "Nested again"}))
        .send()
        .await
        .ok(200);
    is_revision(&moved["revision_info"], moved["revision"].as_i64().unwrap());
    is_revision(
        &moved["redirect"]["revision_info"],
        moved["redirect"]["revision"].as_i64().unwrap(),
    );
}

#[tokio::test]
async fn me_says_whose_token_it_is_and_is_never_shared() {
    let app = TestApp::new();
    let ann = token_for(&app, "ann", Role::Editor);
    let bob = token_for(&app, "bob", Role::Editor);
    for (token, name) in [(&ann, "ann"), (&bob, "bob"), (&ann, "ann")] {
        let answer = Call::new(&app, Method::GET, "/api/me")
            .token(token)
            .send()
            .await;
        assert_eq!(
            answer.header(header::CACHE_CONTROL),
            Some("private, no-store")
        );
        let me = answer.ok(200);
        assert_eq!(me["name"], name, "two editors never share an answer");
        assert_eq!(me["role"], "editor");
    }
    let anonymous = get(&app, "/api/me").await.problem(401);
    assert_eq!(anonymous["type"], "/problems/unauthorized");
    let bad = Call::new(&app, Method::GET, "/api/me")
        .token("nonsense")
        .send()
        .await
        .problem(401);
    assert_eq!(bad["type"], "/problems/unauthorized");
}
