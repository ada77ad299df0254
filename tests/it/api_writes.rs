//! API writes through the real router: tokens and roles, creating and editing pages and
//! sections, concurrency (merges, conflicts), revert, move, delete, and every refusal, each
//! checked to have changed nothing.

use axum::http::{Method, header};
use plutarch::auth::Role;
use serde_json::{Value, json};

use crate::api_support::{Call, create, editor, get, latest, post, put, token_for};
use crate::support::TestApp;

const PAGE: &str = "Lead.\n== A ==\nAlpha.\n=== A1 ===\nSub.\n== B ==\nBeta.\n";

/// The page's latest markup and revision, to check that a refusal changed nothing.
async fn unchanged(app: &TestApp, title: &str, before: &(String, i64)) {
    assert_eq!(&latest(app, title).await, before, "nothing changed");
}

#[tokio::test]
async fn writes_without_a_valid_token_are_401() {
    let app = TestApp::new();
    let before = latest(&app, "Ada_Lovelace").await;
    let body = json!({"markup": "x", "base_revision": before.1});
    let answer = Call::new(&app, Method::PUT, "/api/pages/Ada_Lovelace")
        .json(&body)
        .send()
        .await;
    answer.problem(401);
    assert_eq!(answer.header(header::WWW_AUTHENTICATE), Some("Bearer"));
    put(
        &app,
        "plt_not_a_real_token",
        "/api/pages/Ada_Lovelace",
        &body,
    )
    .await
    .problem(401);
    let answer = Call::new(&app, Method::PUT, "/api/pages/Ada_Lovelace")
        .header("authorization", "Basic YTpi")
        .json(&body)
        .send()
        .await;
    answer.problem(401);
    Call::new(&app, Method::DELETE, "/api/pages/Ada_Lovelace")
        .send()
        .await
        .problem(401);
    let revert = json!({"to_revision": before.1});
    Call::new(&app, Method::POST, "/api/pages/Ada_Lovelace/revert")
        .json(&revert)
        .send()
        .await
        .problem(401);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn readers_cannot_write_and_editors_cannot_delete() {
    let app = TestApp::new();
    let reader = token_for(&app, "reader", Role::Reader);
    let editor = editor(&app);
    let before = latest(&app, "Ada_Lovelace").await;
    let body = json!({"markup": "x", "base_revision": before.1});
    let problem = put(&app, &reader, "/api/pages/Ada_Lovelace", &body)
        .await
        .problem(403);
    assert!(problem["detail"].as_str().unwrap().contains("editor"));
    put(&app, &reader, "/api/pages/Ada_Lovelace/sections/1", &body)
        .await
        .problem(403);
    post(
        &app,
        &reader,
        "/api/pages/Ada_Lovelace/move",
        &json!({"to": "Ada"}),
    )
    .await
    .problem(403);
    post(
        &app,
        &reader,
        "/api/pages/Ada_Lovelace/revert",
        &json!({"to_revision": before.1}),
    )
    .await
    .problem(403);
    Call::new(&app, Method::DELETE, "/api/pages/Ada_Lovelace")
        .token(&editor)
        .send()
        .await
        .problem(403);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn a_page_is_created_with_201_and_edited_with_200() {
    let app = TestApp::new();
    let token = editor(&app);
    let body = json!({"markup": PAGE, "base_revision": null, "summary": "start"});
    let answer = put(&app, &token, "/api/pages/New_page", &body).await;
    let created = answer.ok(201);
    let revision = created["revision"].as_i64().unwrap();
    assert_eq!(created["title"], "New page");
    assert_eq!(created["changed"], true);
    assert_eq!(created["sections"].as_array().unwrap().len(), 4);
    assert_eq!(answer.header(header::LOCATION), Some("/api/pages/New_page"));
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str())
    );
    let page = get(&app, "/api/pages/New_page").await.ok(200);
    assert_eq!(page["markup"], PAGE);
    assert_eq!(page["revision"]["author"], "editor");
    assert_eq!(page["revision"]["summary"], "start");

    let edit =
        json!({"markup": "Lead, edited.\n", "base_revision": revision, "summary": "shorter"});
    let edited = put(&app, &token, "/api/pages/New_page", &edit)
        .await
        .ok(200);
    assert!(edited["revision"].as_i64().unwrap() > revision);
    assert_eq!(edited["changed"], true);
    assert_eq!(latest(&app, "New_page").await.0, "Lead, edited.\n");

    // The same text again makes no revision.
    let again = json!({"markup": "Lead, edited.\n", "base_revision": edited["revision"]});
    let same = put(&app, &token, "/api/pages/New_page", &again)
        .await
        .ok(200);
    assert_eq!(same["changed"], false);
    assert_eq!(same["revision"], edited["revision"]);
}

#[tokio::test]
async fn if_match_carries_the_base_revision() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Matched", PAGE).await;
    let etag = get(&app, "/api/pages/Matched")
        .await
        .header(header::ETAG)
        .unwrap()
        .to_owned();
    let answer = Call::new(&app, Method::PUT, "/api/pages/Matched")
        .token(&token)
        .header("if-match", &etag)
        .json(&json!({"markup": "Changed.\n"}))
        .send()
        .await;
    let second = answer.ok(200)["revision"].as_i64().unwrap();
    // The same ETag again is stale: the precondition fails (412, no merge), and the answer
    // names the current ETag.
    let answer = Call::new(&app, Method::PUT, "/api/pages/Matched")
        .token(&token)
        .header("if-match", &etag)
        .json(&json!({"markup": "Other.\n"}))
        .send()
        .await;
    assert_eq!(answer.problem(412)["latest_revision"], second);
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{second}\"").as_str())
    );
    let before = latest(&app, "Matched").await;
    for bad in [
        "W/\"r1\"",
        "\"r1\", \"r2\"",
        "\"rx\"",
        "\"r1-\"",
        "\"r1-zz\"",
    ] {
        Call::new(&app, Method::PUT, "/api/pages/Matched")
            .token(&token)
            .header("if-match", bad)
            .json(&json!({"markup": "Bad.\n"}))
            .send()
            .await
            .problem(400);
    }
    // Both given: If-Match is the precondition (stale here: 412), base_revision the merge base.
    Call::new(&app, Method::PUT, "/api/pages/Matched")
        .token(&token)
        .header("if-match", &format!("\"r{first}\""))
        .json(&json!({"markup": "Bad.\n", "base_revision": second}))
        .send()
        .await
        .problem(412);
    unchanged(&app, "Matched", &before).await;
}

#[tokio::test]
async fn writing_an_existing_page_without_a_precondition_is_428() {
    let app = TestApp::new();
    let token = editor(&app);
    let before = latest(&app, "Ada_Lovelace").await;
    let body = json!({"markup": "Mine.\n", "base_revision": null});
    let answer = put(&app, &token, "/api/pages/Ada_Lovelace", &body).await;
    assert_eq!(answer.problem(428)["latest_revision"], before.1);
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{}\"", before.1).as_str())
    );
    let section = put(&app, &token, "/api/pages/Ada_Lovelace/sections/1", &body).await;
    section.problem(428);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn stale_whole_page_edits_merge_or_conflict() {
    let app = TestApp::new();
    let token = editor(&app);
    let base = create(&app, &token, "Merged", PAGE).await;
    // Someone changes section B.
    let theirs = json!({"markup": "== B ==\nBeta, theirs.\n", "base_revision": base});
    put(&app, &token, "/api/pages/Merged/sections/3", &theirs)
        .await
        .ok(200);
    // A whole-page edit from the old base that changed only the lead merges.
    let mine = PAGE.replace("Lead.", "Lead, mine.");
    let merged = put(
        &app,
        &token,
        "/api/pages/Merged",
        &json!({"markup": mine, "base_revision": base}),
    )
    .await
    .ok(200);
    assert_eq!(merged["merged"], true);
    let (text, _) = latest(&app, "Merged").await;
    assert_eq!(
        text,
        PAGE.replace("Lead.", "Lead, mine.")
            .replace("Beta.", "Beta, theirs.")
    );
    // One that changed B too conflicts, with the latest page.
    let before = latest(&app, "Merged").await;
    let clash = PAGE.replace("Beta.", "Beta, mine.");
    let problem = put(
        &app,
        &token,
        "/api/pages/Merged",
        &json!({"markup": clash, "base_revision": base}),
    )
    .await
    .problem(409);
    assert_eq!(problem["latest_revision"], before.1);
    assert_eq!(problem["current_markup"], before.0.as_str());
    assert_eq!(problem["your_markup"], clash.as_str());
    unchanged(&app, "Merged", &before).await;
}

#[tokio::test]
async fn a_section_write_replaces_its_span_with_subsections() {
    let app = TestApp::new();
    let token = editor(&app);
    let base = create(&app, &token, "Spans", PAGE).await;
    let section = get(&app, "/api/pages/Spans/sections/1").await.ok(200);
    assert_eq!(section["markup"], "== A ==\nAlpha.\n=== A1 ===\nSub.\n");
    let id = section["id"].as_str().unwrap().to_owned();
    // No final newline: one is added at the joint, and nothing else changes.
    let body =
        json!({"markup": "== A ==\nAlpha, rewritten.", "base_revision": base, "summary": "A"});
    let written = put(
        &app,
        &token,
        &format!("/api/pages/Spans/sections/{id}"),
        &body,
    )
    .await
    .ok(200);
    let (text, revision) = latest(&app, "Spans").await;
    assert_eq!(text, "Lead.\n== A ==\nAlpha, rewritten.\n== B ==\nBeta.\n");
    assert_eq!(written["revision"], revision);
    let ids: Vec<&str> = written["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[1], id, "the section keeps its id");
    // The last section: nothing follows, so nothing is added.
    let last = json!({"markup": "== B ==\nBeta, last.", "base_revision": revision});
    put(&app, &token, "/api/pages/Spans/sections/2", &last)
        .await
        .ok(200);
    assert_eq!(
        latest(&app, "Spans").await.0,
        "Lead.\n== A ==\nAlpha, rewritten.\n== B ==\nBeta, last."
    );
}

#[tokio::test]
async fn a_section_write_may_reshape_the_tree() {
    let app = TestApp::new();
    let token = editor(&app);
    let base = create(&app, &token, "Reshaped", PAGE).await;
    let body = json!({"markup": "== A ==\nAlpha.\n== A2 ==\nNew.\n=== A3 ===\nDeeper.\n", "base_revision": base});
    let written = put(&app, &token, "/api/pages/Reshaped/sections/1", &body)
        .await
        .ok(200);
    let titles: Vec<&str> = written["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["", "A", "A2", "A3", "B"]);
}

#[tokio::test]
async fn section_writes_from_the_same_base_merge_unless_they_touch_the_same_span() {
    let app = TestApp::new();
    let token = editor(&app);
    let base = create(&app, &token, "Shared", PAGE).await;
    let sections = get(&app, &format!("/api/pages/Shared/sections?revision={base}"))
        .await
        .ok(200);
    let b_id = sections["sections"][3]["id"].as_str().unwrap().to_owned();
    // Two clients read at `base`; one writes A (index 1), the other B by id.
    let a = json!({"markup": "== A ==\nAlpha, one.\n", "base_revision": base});
    put(&app, &token, "/api/pages/Shared/sections/1", &a)
        .await
        .ok(200);
    let b = json!({"markup": "== B ==\nBeta, two.\n", "base_revision": base});
    put(
        &app,
        &token,
        &format!("/api/pages/Shared/sections/{b_id}"),
        &b,
    )
    .await
    .ok(200);
    assert_eq!(
        latest(&app, "Shared").await.0,
        "Lead.\n== A ==\nAlpha, one.\n== B ==\nBeta, two.\n"
    );
    // A third client, also at `base`, writes the subsection A1, inside the span that changed.
    let before = latest(&app, "Shared").await;
    let a1 = json!({"markup": "=== A1 ===\nSub, three.\n", "base_revision": base});
    let problem = put(&app, &token, "/api/pages/Shared/sections/2", &a1)
        .await
        .problem(409);
    assert_eq!(problem["latest_revision"], before.1);
    assert_eq!(problem["current_markup"], "");
    assert_eq!(problem["your_markup"], "=== A1 ===\nSub, three.\n");
    // Writing A itself from `base` conflicts with A's current text.
    let a_again = json!({"markup": "== A ==\nAlpha, four.\n", "base_revision": base});
    let problem = put(&app, &token, "/api/pages/Shared/sections/1", &a_again)
        .await
        .problem(409);
    assert_eq!(problem["current_markup"], "== A ==\nAlpha, one.\n");
    unchanged(&app, "Shared", &before).await;
}

#[tokio::test]
async fn malformed_bodies_are_400_and_change_nothing() {
    let app = TestApp::new();
    let token = editor(&app);
    let before = latest(&app, "Ada_Lovelace").await;
    let path = "/api/pages/Ada_Lovelace";
    let send = |body: &'static str| {
        Call::new(&app, Method::PUT, path)
            .token(&token)
            .raw("application/json", body)
            .send()
    };
    send("{not json").await.problem(400);
    send("").await.problem(400);
    send("[]").await.problem(400);
    let problem = send(r#"{"markup": 5, "base_revision": 1}"#)
        .await
        .problem(400);
    assert!(
        problem["detail"].as_str().unwrap().contains("invalid type"),
        "{problem}"
    );
    let problem = send(r#"{"markup": "x", "base_revision": 1, "colour": "red"}"#)
        .await
        .problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("unknown field"),
        "{problem}"
    );
    send(r#"{"base_revision": 1}"#).await.problem(400);
    send(r#"{"markup": "x", "base_revision": "one"}"#)
        .await
        .problem(400);
    let revert = "/api/pages/Ada_Lovelace/revert";
    Call::new(&app, Method::POST, revert)
        .token(&token)
        .raw("application/json", r#"{"to_revision": 1, "x": 1}"#)
        .send()
        .await
        .problem(400);
    // Not JSON at all.
    Call::new(&app, Method::PUT, path)
        .token(&token)
        .raw("text/plain", r#"{"markup": "x"}"#)
        .send()
        .await
        .problem(415);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn too_large_pages_are_413_and_change_nothing() {
    let app = TestApp::new();
    let token = editor(&app);
    let before = latest(&app, "Ada_Lovelace").await;
    let huge = "x".repeat(plutarch::wiki::max_page_bytes() + 1);
    let body = json!({"markup": huge, "base_revision": before.1});
    put(&app, &token, "/api/pages/Ada_Lovelace", &body)
        .await
        .problem(413);
    put(&app, &token, "/api/pages/Ada_Lovelace/sections/1", &body)
        .await
        .problem(413);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn a_body_over_the_request_limit_is_413() {
    let settings = plutarch::web::Settings {
        max_page_bytes: 1000,
        ..plutarch::web::Settings::default()
    };
    let app = TestApp::with_settings(settings);
    let token = editor(&app);
    let before = latest(&app, "Ada_Lovelace").await;
    let huge = "x".repeat(200_000);
    let body = json!({"markup": huge, "base_revision": before.1});
    put(&app, &token, "/api/pages/Ada_Lovelace", &body)
        .await
        .problem(413);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn invalid_titles_and_summaries_are_422_and_taken_titles_409() {
    let app = TestApp::new();
    let token = editor(&app);
    let body = json!({"markup": "x\n", "base_revision": null});
    put(&app, &token, "/api/pages/a%5Bb", &body)
        .await
        .problem(422);
    put(&app, &token, "/api/pages/%20", &body)
        .await
        .problem(422);
    put(&app, &token, "/api/pages/..", &body).await.problem(422);
    let before = latest(&app, "Ada_Lovelace").await;
    let long = json!({"markup": "x\n", "base_revision": before.1, "summary": "s".repeat(501)});
    put(&app, &token, "/api/pages/Ada_Lovelace", &long)
        .await
        .problem(422);
    post(
        &app,
        &token,
        "/api/pages/Ada_Lovelace/move",
        &json!({"to": "a|b"}),
    )
    .await
    .problem(422);
    post(
        &app,
        &token,
        "/api/pages/Ada_Lovelace/move",
        &json!({"to": "Alan Turing"}),
    )
    .await
    .problem(409);
    post(
        &app,
        &token,
        "/api/pages/Ada_Lovelace/move",
        &json!({"to": "Ada_Lovelace"}),
    )
    .await
    .problem(409);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn a_revision_of_another_page_is_404_in_writes_as_in_reads() {
    let app = TestApp::new();
    let token = editor(&app);
    let (_, turing) = latest(&app, "Alan_Turing").await;
    let before = latest(&app, "Ada_Lovelace").await;
    let foreign = json!({"markup": "x\n", "base_revision": turing});
    put(&app, &token, "/api/pages/Ada_Lovelace", &foreign)
        .await
        .problem(404);
    put(&app, &token, "/api/pages/Ada_Lovelace/sections/1", &foreign)
        .await
        .problem(404);
    post(
        &app,
        &token,
        "/api/pages/Ada_Lovelace/revert",
        &json!({"to_revision": turing}),
    )
    .await
    .problem(404);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn writes_to_missing_pages_and_sections_are_404() {
    let app = TestApp::new();
    let token = editor(&app);
    let before = latest(&app, "Ada_Lovelace").await;
    let body = json!({"markup": "x\n", "base_revision": before.1});
    put(&app, &token, "/api/pages/Ada_Lovelace/sections/99", &body)
        .await
        .problem(404);
    put(&app, &token, "/api/pages/Nobody/sections/1", &body)
        .await
        .problem(404);
    post(
        &app,
        &token,
        "/api/pages/Nobody/revert",
        &json!({"to_revision": 1}),
    )
    .await
    .problem(404);
    post(
        &app,
        &token,
        "/api/pages/Nobody/move",
        &json!({"to": "Somebody"}),
    )
    .await
    .problem(404);
    let admin = token_for(&app, "boss", Role::Admin);
    Call::new(&app, Method::DELETE, "/api/pages/Nobody")
        .token(&admin)
        .send()
        .await
        .problem(404);
    unchanged(&app, "Ada_Lovelace", &before).await;
}

#[tokio::test]
async fn revert_makes_an_old_text_the_latest() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Reverted", PAGE).await;
    let edit = json!({"markup": "Vandalised.\n", "base_revision": first});
    put(&app, &token, "/api/pages/Reverted", &edit)
        .await
        .ok(200);
    let body = json!({"to_revision": first, "summary": "undo"});
    let reverted = post(&app, &token, "/api/pages/Reverted/revert", &body)
        .await
        .ok(200);
    let (text, revision) = latest(&app, "Reverted").await;
    assert_eq!(text, PAGE);
    assert_eq!(reverted["revision"], revision);
    assert_eq!(reverted["sections"].as_array().unwrap().len(), 4);
    let history = get(&app, "/api/pages/Reverted/revisions").await.ok(200);
    assert_eq!(history["revisions"][0]["summary"], "undo");
}

#[tokio::test]
async fn move_renames_and_leaves_a_redirect() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Old_name", PAGE).await;
    let sections = get(&app, "/api/pages/Old_name/sections").await.ok(200);
    let moved = post(
        &app,
        &token,
        "/api/pages/Old_name/move",
        &json!({"to": "New name", "summary": "better"}),
    )
    .await
    .ok(200);
    assert_eq!(moved["title"], "New name");
    assert_eq!(moved["redirect"]["title"], "Old name");
    let ids = |v: &Value| -> Vec<Value> {
        v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].clone())
            .collect()
    };
    assert_eq!(ids(&moved), ids(&sections), "sections keep their ids");
    assert_eq!(latest(&app, "New_name").await.0, PAGE);
    let (redirect, revision) = latest(&app, "Old_name").await;
    assert!(redirect.starts_with("#REDIRECT [[New name]]"), "{redirect}");
    assert_eq!(moved["redirect"]["revision"], revision);
}

#[tokio::test]
async fn admins_delete_pages_and_they_read_as_gone() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Doomed", PAGE).await;
    let admin = token_for(&app, "boss", Role::Admin);
    let answer = Call::new(&app, Method::DELETE, "/api/pages/Doomed")
        .token(&admin)
        .send()
        .await;
    assert_eq!(answer.status.as_u16(), 204);
    get(&app, "/api/pages/Doomed").await.problem(410);
    get(&app, "/api/pages/Doomed/sections").await.problem(410);
    let listed = get(&app, "/api/pages?limit=500").await.ok(200);
    assert!(
        !listed["pages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["title"] == "Doomed")
    );
}

/// Whether revision `id` is marked minor, as stored.
fn is_minor(app: &TestApp, id: i64) -> bool {
    app.db
        .read_blocking(move |conn| plutarch::store::revisions::meta(conn, id))
        .expect("read")
        .expect("a revision")
        .0
        .minor
}

#[tokio::test]
async fn minor_marks_page_and_section_writes_but_never_a_first_revision() {
    let app = TestApp::new();
    let token = editor(&app);
    let body = json!({"markup": PAGE, "base_revision": null, "minor": true});
    let created = put(&app, &token, "/api/pages/Minor_edits", &body)
        .await
        .ok(201);
    let first = created["revision"].as_i64().unwrap();
    assert!(
        !is_minor(&app, first),
        "a page's first revision is never minor"
    );
    let body = json!({"markup": "Lead, typo fixed.\n", "base_revision": first, "minor": true});
    let page = put(&app, &token, "/api/pages/Minor_edits", &body)
        .await
        .ok(200);
    let second = page["revision"].as_i64().unwrap();
    assert!(is_minor(&app, second));
    let body = json!({"markup": "== A ==\nAlpha.\n", "base_revision": second, "minor": true});
    let section = put(&app, &token, "/api/pages/Minor_edits/sections/0", &body)
        .await
        .ok(200);
    let third = section["revision"].as_i64().unwrap();
    assert!(third > second && is_minor(&app, third));
    let body = json!({"markup": "Lead again.\n", "base_revision": third});
    let plain = put(&app, &token, "/api/pages/Minor_edits", &body)
        .await
        .ok(200);
    assert!(!is_minor(&app, plain["revision"].as_i64().unwrap()));
    // Not a boolean: 400, nothing saved.
    let before = latest(&app, "Minor_edits").await;
    let body = json!({"markup": "Lead.\n", "base_revision": before.1, "minor": "yes"});
    put(&app, &token, "/api/pages/Minor_edits", &body)
        .await
        .problem(400);
    unchanged(&app, "Minor_edits", &before).await;
}
