//! Deleted means deleted (issue 18): a deleted page's title answers 410 in the API (404 with a
//! notice in HTML), its revisions are for admins only, a re-created title starts a fresh
//! history, undelete merges histories in order, and hidden revisions leak neither their
//! headings (through their neighbours' history lines) nor their text (through a write's base).

use axum::http::{Method, StatusCode};
use plutarch::auth::Role;
use serde_json::{Value, json};

use crate::api_support::{Answer, Call, create, get, put, token_for};
use crate::support::{PASSWORD, TestApp};

/// Sends `method path` with `token` (if any).
pub(crate) async fn call(app: &TestApp, method: Method, path: &str, token: Option<&str>) -> Answer {
    let mut call = Call::new(app, method, path);
    if let Some(token) = token {
        call = call.token(token);
    }
    call.send().await
}

/// Saves `markup` over `base` and returns the new revision.
pub(crate) async fn edit(app: &TestApp, token: &str, title: &str, base: i64, markup: &str) -> i64 {
    let body = json!({"markup": markup, "base_revision": base, "summary": "edit"});
    put(app, token, &format!("/api/pages/{title}"), &body)
        .await
        .ok(200)["revision"]
        .as_i64()
        .expect("revision")
}

pub(crate) fn text(answer: &Answer) -> String {
    String::from_utf8_lossy(&answer.body).into_owned()
}

/// The ids in a revision list.
fn revision_ids(list: &Value) -> Vec<i64> {
    list["revisions"]
        .as_array()
        .expect("revisions")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect()
}

/// The section ids of a page's latest revision.
async fn section_ids(app: &TestApp, title: &str) -> Vec<String> {
    get(app, &format!("/api/pages/{title}/sections"))
        .await
        .ok(200)["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_deleted_title_is_410_in_the_api_and_a_title_that_never_was_is_404() {
    let app = TestApp::new();
    let editor = token_for(&app, "edna", Role::Editor);
    let admin = token_for(&app, "root", Role::Admin);
    let first = create(&app, &editor, "Ada", "Lead.\n== Life ==\nText.\n").await;
    let deleted = call(&app, Method::DELETE, "/api/pages/Ada", Some(&admin)).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    for path in [
        "/api/pages/Ada",
        "/api/pages/Ada/sections",
        "/api/pages/Ada/sections/1",
        "/api/pages/Ada/revisions",
        "/api/pages/Ada/sections/1/revisions",
        "/api/pages/Ada/links",
        "/api/pages/Ada/facts",
    ] {
        let problem = get(&app, path).await.problem(410);
        assert!(
            problem["detail"].as_str().unwrap().contains("deleted"),
            "{path}: {problem}"
        );
        get(&app, &path.replace("Ada", "Nobody")).await.problem(404);
    }
    // Writing to it, or deleting it again, says the same.
    let body = json!({"markup": "x", "base_revision": first, "summary": ""});
    put(&app, &editor, "/api/pages/Ada", &body)
        .await
        .problem(410);
    call(&app, Method::DELETE, "/api/pages/Ada", Some(&admin))
        .await
        .problem(410);
    // The HTML page stays a 404 with its notice.
    let page = app.get("/wiki/Ada").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.texts(".missing").concat().contains("was deleted"));
}

#[tokio::test]
async fn a_recreated_title_starts_afresh_and_undelete_merges_the_histories_in_order() {
    let app = TestApp::new();
    let editor = token_for(&app, "edna", Role::Editor);
    let admin = token_for(&app, "root", Role::Admin);
    let first = create(&app, &editor, "Ada", "Old lead.\n== Early life ==\nOld.\n").await;
    let second = edit(
        &app,
        &editor,
        "Ada",
        first,
        "Old lead.\n== Early life ==\nOlder.\n",
    )
    .await;
    let old_ids = section_ids(&app, "Ada").await;
    call(&app, Method::DELETE, "/api/pages/Ada", Some(&admin)).await;

    let third = create(&app, &editor, "Ada", "New lead.\n== Early life ==\nNew.\n").await;
    let new_ids = section_ids(&app, "Ada").await;
    assert!(
        new_ids.iter().all(|id| !old_ids.contains(id)),
        "fresh section ids: {old_ids:?} {new_ids:?}"
    );
    let history = get(&app, "/api/pages/Ada/revisions").await.ok(200);
    assert_eq!(revision_ids(&history), [third], "a fresh history");

    // Admins see the archive: the deleted copy, who deleted it, and its revisions.
    let archive = call(&app, Method::GET, "/api/pages/Ada/archive", Some(&admin))
        .await
        .ok(200);
    let copies = archive["archived"].as_array().expect("archived");
    assert_eq!(copies.len(), 1, "{archive}");
    assert_eq!(revision_ids(&copies[0]), [second, first]);
    assert_eq!(copies[0]["deleted"]["by"], "root");
    assert_eq!(copies[0]["more"], false);
    let one = call(
        &app,
        Method::GET,
        "/api/pages/Ada/archive?limit=1",
        Some(&admin),
    )
    .await
    .ok(200);
    assert_eq!(revision_ids(&one["archived"][0]), [second]);
    assert_eq!(one["archived"][0]["more"], true);
    // Nobody else does, whatever an admin's read left in a cache.
    call(&app, Method::GET, "/api/pages/Ada/archive", Some(&editor))
        .await
        .problem(403);
    call(&app, Method::GET, "/api/pages/Ada/archive", None)
        .await
        .problem(401);
    let never = call(&app, Method::GET, "/api/pages/Nobody/archive", Some(&admin))
        .await
        .ok(200);
    assert_eq!(never["archived"], json!([]));

    // Only admins undelete.
    call(&app, Method::POST, "/api/pages/Ada/undelete", Some(&editor))
        .await
        .problem(403);
    call(&app, Method::POST, "/api/pages/Ada/undelete", None)
        .await
        .problem(401);
    let undeleted = call(&app, Method::POST, "/api/pages/Ada/undelete", Some(&admin)).await;
    assert_eq!(
        undeleted.status,
        StatusCode::NO_CONTENT,
        "{}",
        text(&undeleted)
    );
    let history = get(&app, "/api/pages/Ada/revisions").await.ok(200);
    assert_eq!(
        revision_ids(&history),
        [third, second, first],
        "merged in order"
    );
    let page = get(&app, "/api/pages/Ada").await.ok(200);
    assert_eq!(page["revision"]["id"], third, "the live text stays");
    let old = get(&app, &format!("/api/revisions/{first}")).await.ok(200);
    assert_eq!(old["markup"], "Old lead.\n== Early life ==\nOld.\n");
    // Nothing is left to undelete.
    call(&app, Method::POST, "/api/pages/Ada/undelete", Some(&admin))
        .await
        .problem(422);

    // The deletion log has both, newest first; it pages with its own cursor.
    let log = get(&app, "/api/log/deletions").await.ok(200);
    let entries: Vec<(&str, &str, &str)> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap(),
                e["title"].as_str().unwrap(),
                e["user"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entries,
        [("undelete", "Ada", "root"), ("delete", "Ada", "root")]
    );
    let first_page = get(&app, "/api/log/deletions?limit=1").await.ok(200);
    let cursor = first_page["next_cursor"].as_str().expect("a cursor");
    let rest = get(&app, &format!("/api/log/deletions?limit=1&cursor={cursor}"))
        .await
        .ok(200);
    assert_eq!(rest["entries"][0]["action"], "delete");
    assert_eq!(rest["next_cursor"], Value::Null);
}

#[tokio::test]
async fn undelete_of_a_free_title_brings_the_page_back_whole() {
    let app = TestApp::new();
    let editor = token_for(&app, "edna", Role::Editor);
    let admin = token_for(&app, "root", Role::Admin);
    let first = create(
        &app,
        &editor,
        "Ada",
        "Lead about engines.\n== Work ==\nNotes.\n",
    )
    .await;
    let ids = section_ids(&app, "Ada").await;
    call(&app, Method::DELETE, "/api/pages/Ada", Some(&admin)).await;
    let undeleted = call(&app, Method::POST, "/api/pages/Ada/undelete", Some(&admin)).await;
    assert_eq!(undeleted.status, StatusCode::NO_CONTENT);
    let page = get(&app, "/api/pages/Ada").await.ok(200);
    assert_eq!(page["revision"]["id"], first);
    assert_eq!(section_ids(&app, "Ada").await, ids);
    let hits = get(&app, "/api/search?q=engines").await.ok(200);
    assert_eq!(hits["hits"][0]["title"], "Ada", "searchable again: {hits}");
    get(&app, &format!("/api/revisions/{first}")).await.ok(200);
}

/// Ada: r1 a lead, r2 adds `== Home address ==`, r3 removes it; an admin hid r2.
async fn page_with_a_hidden_heading(app: &TestApp) -> (String, String, [i64; 3]) {
    let editor = token_for(app, "edna", Role::Editor);
    let admin = token_for(app, "root", Role::Admin);
    let first = create(app, &editor, "Ada", "Lead.\n").await;
    let second = edit(
        app,
        &editor,
        "Ada",
        first,
        "Lead.\n== Home address ==\n1 Secret St\n",
    )
    .await;
    let third = edit(app, &editor, "Ada", second, "Lead.\n").await;
    let user = plutarch::auth::token_user(&app.db, &admin)
        .await
        .expect("lookup")
        .expect("admin");
    let title = plutarch::wiki::Title::new("Ada").expect("title");
    plutarch::wiki::hide_revision(&app.db, &title, second, user.id, "doxxing")
        .await
        .expect("hide");
    (editor, admin, [first, second, third])
}

#[tokio::test]
async fn a_hidden_revisions_headings_do_not_leak_through_its_neighbours_history() {
    let app = TestApp::with_roles();
    let (editor, admin, _) = page_with_a_hidden_heading(&app).await;
    for token in [None, Some(editor.as_str())] {
        let history = call(&app, Method::GET, "/api/pages/Ada/revisions", token).await;
        history.ok(200);
        assert!(
            !text(&history).contains("Home address"),
            "{}",
            text(&history)
        );
        let lead = call(
            &app,
            Method::GET,
            "/api/pages/Ada/sections/0/revisions",
            token,
        )
        .await;
        assert!(!text(&lead).contains("Home address"), "{}", text(&lead));
    }
    assert!(
        !app.get("/wiki/Ada/history")
            .await
            .body
            .contains("Home address")
    );
    // Admins still see what happened.
    let history = call(&app, Method::GET, "/api/pages/Ada/revisions", Some(&admin))
        .await
        .ok(200);
    assert_eq!(
        history["revisions"][0]["removed_sections"],
        json!(["Home address"])
    );
    let mut alice = app.client().signed_in("alice", PASSWORD).await;
    assert!(
        alice
            .get("/wiki/Ada/history")
            .await
            .body
            .contains("Home address")
    );
}

#[tokio::test]
async fn a_base_revision_the_writer_may_not_read_is_refused_like_a_missing_one() {
    let app = TestApp::new();
    let (editor, admin, [_, second, third]) = page_with_a_hidden_heading(&app).await;
    let hidden_text = "Lead.\n== Home address ==\n1 Secret St\n";
    for markup in [hidden_text, "Lead.\n== Home address ==\nA wrong guess\n"] {
        let body = json!({"markup": markup, "base_revision": second, "summary": ""});
        let refused = put(&app, &editor, "/api/pages/Ada", &body)
            .await
            .problem(404);
        let missing = json!({"markup": markup, "base_revision": 999_999, "summary": ""});
        let expected = put(&app, &editor, "/api/pages/Ada", &missing)
            .await
            .problem(404);
        assert_eq!(
            refused["detail"]
                .as_str()
                .unwrap()
                .replace(&second.to_string(), "N"),
            expected["detail"].as_str().unwrap().replace("999999", "N"),
            "the same answer as a revision that does not exist"
        );
    }
    let (_, latest) = crate::api_support::latest(&app, "Ada").await;
    assert_eq!(latest, third, "nothing was saved");
    // An admin, who may read it, can base an edit on it.
    let body = json!({"markup": hidden_text, "base_revision": second, "summary": ""});
    let answer = put(&app, &admin, "/api/pages/Ada", &body).await;
    assert_ne!(answer.status, StatusCode::NOT_FOUND, "{}", text(&answer));
}
