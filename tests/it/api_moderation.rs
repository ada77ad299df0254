//! Moderation through the API, over the real router: protect and unprotect pages, hide and
//! unhide revisions (admins), undo a revision (editors), each refusal checked to change nothing
//! and each change checked in the audit log as the HTML forms leave it.

use axum::http::Method;
use plutarch::auth::Role;
use serde_json::json;

use crate::api_support::{Call, create, editor, get, latest, post, put, token_for};
use crate::support::TestApp;

const PAGE: &str = "Lead.\n== A ==\nAlpha.\nAleph.\n== B ==\nBeta.\nBet.\n";

/// Edits the whole page `title`, based on its latest revision; returns the new revision.
async fn edit(app: &TestApp, token: &str, title: &str, markup: &str) -> i64 {
    let (_, base) = latest(app, title).await;
    crate::deletion::edit(app, token, title, base, markup).await
}

#[tokio::test]
async fn admins_protect_and_unprotect_pages() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    create(&app, &token, "Guarded", PAGE).await;
    let path = "/api/pages/Guarded/protect";
    Call::new(&app, Method::POST, path)
        .send()
        .await
        .problem(401);
    let refused = post(&app, &token, path, &json!({})).await.problem(403);
    assert_eq!(refused["type"], "/problems/forbidden");

    let answer = post(&app, &admin, path, &json!({"reason": "vandalism"}))
        .await
        .ok(200);
    assert_eq!(answer["title"], "Guarded");
    assert_eq!(answer["protected"], true);
    assert_eq!(answer["by"], "boss");
    assert_eq!(answer["reason"], "vandalism");
    assert!(answer["at"].is_string());
    let before = latest(&app, "Guarded").await;
    let body = json!({"markup": "Changed.\n", "base_revision": before.1});
    let refused = put(&app, &token, "/api/pages/Guarded", &body)
        .await
        .problem(403);
    assert_eq!(refused["type"], "/problems/page-protected");
    assert_eq!(latest(&app, "Guarded").await, before);

    // The reason is optional: no body at all is fine.
    let answer = Call::new(&app, Method::POST, "/api/pages/Guarded/unprotect")
        .token(&admin)
        .send()
        .await
        .ok(200);
    assert_eq!(answer["protected"], false);
    assert_eq!(answer["by"], serde_json::Value::Null);
    put(&app, &token, "/api/pages/Guarded", &body).await.ok(200);
    let actions = app.audit_actions();
    assert!(actions.contains(&(
        "page protected".into(),
        "Guarded".into(),
        "vandalism".into()
    )));
    assert!(actions.contains(&("page unprotected".into(), "Guarded".into(), String::new())));
}

#[tokio::test]
async fn protecting_a_missing_or_deleted_page_is_404_or_410() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    let missing = post(&app, &admin, "/api/pages/Nobody/protect", &json!({}))
        .await
        .problem(404);
    assert_eq!(missing["type"], "/problems/page-missing");
    create(&app, &token, "Gone", PAGE).await;
    Call::new(&app, Method::DELETE, "/api/pages/Gone")
        .token(&admin)
        .send()
        .await;
    for route in ["protect", "unprotect"] {
        let gone = post(
            &app,
            &admin,
            &format!("/api/pages/Gone/{route}"),
            &json!({}),
        )
        .await
        .problem(410);
        assert_eq!(gone["type"], "/problems/page-deleted");
    }
    let bad = post(
        &app,
        &admin,
        "/api/pages/Gone/protect",
        &json!({"why": "x"}),
    )
    .await
    .problem(400);
    assert_eq!(bad["type"], "/problems/bad-request");
}

#[tokio::test]
async fn admins_hide_and_unhide_revisions_but_not_the_latest() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    let first = create(&app, &token, "Secretive", "A secret.\n").await;
    let second = edit(&app, &token, "Secretive", "Nothing to see.\n").await;
    let hide = format!("/api/revisions/{first}/hide");
    Call::new(&app, Method::POST, &hide)
        .send()
        .await
        .problem(401);
    post(&app, &token, &hide, &json!({})).await.problem(403);
    get(&app, &format!("/api/revisions/{first}")).await.ok(200);

    let latest_hide = format!("/api/revisions/{second}/hide");
    let refused = post(&app, &admin, &latest_hide, &json!({}))
        .await
        .problem(409);
    assert_eq!(refused["type"], "/problems/revision-is-latest");

    let answer = post(&app, &admin, &hide, &json!({"reason": "privacy"}))
        .await
        .ok(200);
    assert_eq!(answer["revision"], first);
    assert_eq!(answer["title"], "Secretive");
    assert_eq!(answer["hidden"], true);
    assert_eq!(answer["by"], "boss");
    assert_eq!(answer["reason"], "privacy");
    let hidden = get(&app, &format!("/api/revisions/{first}"))
        .await
        .problem(403);
    assert_eq!(hidden["type"], "/problems/revision-hidden");

    let unhide = format!("/api/revisions/{first}/unhide");
    post(&app, &token, &unhide, &json!({})).await.problem(403);
    let answer = Call::new(&app, Method::POST, &unhide)
        .token(&admin)
        .send()
        .await
        .ok(200);
    assert_eq!(answer["hidden"], false);
    get(&app, &format!("/api/revisions/{first}")).await.ok(200);
    let actions = app.audit_actions();
    let detail = format!("revision {first}: privacy");
    assert!(actions.contains(&("revision hidden".into(), "Secretive".into(), detail)));
    assert!(actions.contains(&(
        "revision unhidden".into(),
        "Secretive".into(),
        format!("revision {first}")
    )));
}

#[tokio::test]
async fn hiding_a_missing_revision_or_one_of_a_deleted_page_is_404_or_410() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    let missing = post(&app, &admin, "/api/revisions/999999/hide", &json!({}))
        .await
        .problem(404);
    assert_eq!(missing["type"], "/problems/revision-missing");
    let first = create(&app, &token, "Doomed", "One.\n").await;
    edit(&app, &token, "Doomed", "Two.\n").await;
    Call::new(&app, Method::DELETE, "/api/pages/Doomed")
        .token(&admin)
        .send()
        .await;
    let gone = post(
        &app,
        &admin,
        &format!("/api/revisions/{first}/hide"),
        &json!({}),
    )
    .await
    .problem(410);
    assert_eq!(gone["type"], "/problems/page-deleted");
}

#[tokio::test]
async fn an_undo_takes_one_revisions_change_out_of_the_latest_text() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Undone", PAGE).await;
    let bad = edit(&app, &token, "Undone", &PAGE.replace("Alpha.", "Vandal.")).await;
    let later = PAGE
        .replace("Alpha.", "Vandal.")
        .replace("Bet.", "Bet, later.");
    edit(&app, &token, "Undone", &later).await;

    let written = post(
        &app,
        &token,
        "/api/pages/Undone/undo",
        &json!({"revision": bad}),
    )
    .await
    .ok(200);
    assert_eq!(written["changed"], true);
    let (markup, revision) = latest(&app, "Undone").await;
    assert_eq!(written["revision"], revision);
    assert_eq!(markup, PAGE.replace("Bet.", "Bet, later."));
    assert_eq!(
        written["revision_info"]["summary"],
        format!("Undid revision {bad} by editor")
    );
}

#[tokio::test]
async fn an_undo_that_later_edits_overlap_is_a_conflict_and_changes_nothing() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Contested", PAGE).await;
    let bad = edit(
        &app,
        &token,
        "Contested",
        &PAGE.replace("Alpha.", "Vandal."),
    )
    .await;
    edit(
        &app,
        &token,
        "Contested",
        &PAGE.replace("Alpha.", "Vandal, fixed."),
    )
    .await;
    let before = latest(&app, "Contested").await;
    let body = json!({"revision": bad, "summary": "undo"});
    let conflict = post(&app, &token, "/api/pages/Contested/undo", &body)
        .await
        .problem(409);
    assert_eq!(conflict["type"], "/problems/undo-conflict");
    assert_eq!(conflict["latest_revision"], before.1);
    assert_eq!(conflict["current_markup"], before.0.as_str());
    assert_eq!(latest(&app, "Contested").await, before);
}

#[tokio::test]
async fn undo_refuses_who_may_not_and_what_is_not_there() {
    let app = TestApp::new();
    let token = editor(&app);
    let reader = token_for(&app, "reader", Role::Reader);
    let admin = token_for(&app, "boss", Role::Admin);
    let first = create(&app, &token, "Refused", PAGE).await;
    let bad = edit(&app, &token, "Refused", &PAGE.replace("Alpha.", "Secret.")).await;
    edit(&app, &token, "Refused", &PAGE.replace("Alpha.", "Clean.")).await;
    let path = "/api/pages/Refused/undo";
    let body = json!({"revision": bad});
    let before = latest(&app, "Refused").await;
    Call::new(&app, Method::POST, path)
        .json(&body)
        .send()
        .await
        .problem(401);
    post(&app, &reader, path, &body).await.problem(403);
    // A hidden revision is as good as missing to an editor.
    post(
        &app,
        &admin,
        &format!("/api/revisions/{bad}/hide"),
        &json!({}),
    )
    .await
    .ok(200);
    let hidden = post(&app, &token, path, &body).await.problem(404);
    assert_eq!(hidden["type"], "/problems/revision-missing");
    assert!(!hidden["detail"].as_str().unwrap_or("").contains("Secret"));
    // The first revision has nothing before it.
    post(&app, &token, path, &json!({"revision": first}))
        .await
        .problem(422);
    let (_, ada) = latest(&app, "Ada_Lovelace").await;
    post(&app, &token, path, &json!({"revision": ada}))
        .await
        .problem(404);
    post(&app, &token, "/api/pages/Nobody/undo", &body)
        .await
        .problem(404);
    assert_eq!(latest(&app, "Refused").await, before);
    Call::new(&app, Method::DELETE, "/api/pages/Refused")
        .token(&admin)
        .send()
        .await;
    post(&app, &token, path, &body).await.problem(410);
}

#[tokio::test]
async fn an_undo_based_on_an_older_revision_merges_with_later_edits_of_other_sections() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Based", PAGE).await;
    let bad = edit(&app, &token, "Based", &PAGE.replace("Alpha.", "Vandal.")).await;
    // An edit of section B lands after the revision the client read (`bad`).
    let later = PAGE
        .replace("Alpha.", "Vandal.")
        .replace("Beta.", "Beta, later.");
    edit(&app, &token, "Based", &later).await;
    let body = json!({"revision": bad, "base_revision": bad, "summary": "no vandals"});
    let written = post(&app, &token, "/api/pages/Based/undo", &body)
        .await
        .ok(200);
    assert_eq!(written["merged"], true);
    assert_eq!(written["revision_info"]["summary"], "no vandals");
    let (markup, _) = latest(&app, "Based").await;
    assert_eq!(markup, PAGE.replace("Beta.", "Beta, later."));
}
