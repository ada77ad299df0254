//! Issue 7, moderation and limits: protected pages (only admins edit them), hidden revisions
//! (their text and summary are gone for everyone but admins), the audit log of both, and a
//! clear message for every limit a client can hit on the edit form.

use axum::http::StatusCode;
use plutarch::auth::Role;
use plutarch::store::{accounts, moderation, pages};
use plutarch::wiki::{self, SaveRequest, Title};

use crate::support::{Client, Page, TestApp};

const PASSWORD: &str = "correct horse battery";
const PAGE: &str = "/wiki/Ada_Lovelace";
const PROTECTED_NOTICE: &str = "This page is protected: only admins can edit it.";

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("ada", Role::Admin, PASSWORD);
    app.add_user("edna", Role::Editor, PASSWORD);
    app.add_user("rita", Role::Reader, PASSWORD);
    app
}

fn user_id(app: &TestApp, name: &str) -> i64 {
    app.db
        .read_blocking(|conn| accounts::user_by_name(conn, name))
        .expect("user")
        .expect("known user")
        .id
}

fn latest(app: &TestApp) -> i64 {
    app.db
        .read_blocking(|conn| pages::latest(conn, "Ada Lovelace"))
        .expect("read")
        .expect("page")
        .revision
        .id
}

fn is_protected(app: &TestApp) -> bool {
    let page = app
        .db
        .read_blocking(|conn| pages::by_title(conn, "Ada Lovelace"))
        .expect("read")
        .expect("page");
    app.db
        .read_blocking(|conn| moderation::protection(conn, page.id))
        .expect("read")
        .is_some()
}

fn is_hidden(app: &TestApp, revision: i64) -> bool {
    app.db
        .read_blocking(|conn| moderation::hidden(conn, revision))
        .expect("read")
        .is_some()
}

/// Saves `markup` as the whole of Ada Lovelace, as `author`; the new revision.
fn save(app: &TestApp, author: &str, markup: &str, summary: &str) -> i64 {
    let request = SaveRequest {
        title: Title::new("Ada Lovelace").expect("title"),
        markup: markup.to_owned(),
        base_revision: Some(latest(app)),
        section: None,
        summary: summary.to_owned(),
        author_id: user_id(app, author),
    };
    app.db
        .write_blocking(|conn| Ok(wiki::save_blocking(conn, &request)))
        .expect("store")
        .expect("saved")
        .revision()
}

fn text_of(app: &TestApp, revision: i64) -> String {
    app.db
        .read_blocking(|conn| plutarch::store::revisions::text(conn, revision))
        .expect("text")
}

async fn admin(app: &TestApp) -> Client<'_> {
    app.client().signed_in("ada", PASSWORD).await
}

async fn editor(app: &TestApp) -> Client<'_> {
    app.client().signed_in("edna", PASSWORD).await
}

async fn protect(client: &mut Client<'_>, on: &str, reason: &str) -> Page {
    let csrf = client.sign_out_token().await;
    client
        .post_form(
            &format!("{PAGE}/protect"),
            &[("csrf", &csrf), ("protected", on), ("reason", reason)],
        )
        .await
}

async fn hide(client: &mut Client<'_>, revision: i64, on: &str, reason: &str) -> Page {
    let csrf = client.sign_out_token().await;
    client
        .post_form(
            &format!("{PAGE}/hide"),
            &[
                ("csrf", &csrf),
                ("revision", &revision.to_string()),
                ("hidden", on),
                ("reason", reason),
            ],
        )
        .await
}

/// Posts a whole-page edit of Ada Lovelace through the form.
async fn edit(app: &TestApp, client: &mut Client<'_>, markup: &str, summary: &str) -> Page {
    let csrf = client.sign_out_token().await;
    let base = latest(app).to_string();
    client
        .post_form(
            &format!("{PAGE}/edit"),
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("markup", markup),
                ("summary", summary),
                ("action", "save"),
            ],
        )
        .await
}

fn audit(app: &TestApp) -> Vec<(Option<String>, String, String, String)> {
    app.db
        .read_blocking(|conn| accounts::audit_log(conn, None, 1000))
        .expect("audit log")
        .into_iter()
        .map(|e| (e.actor, e.action, e.target, e.detail))
        .collect()
}

#[tokio::test]
async fn a_protected_page_is_edited_by_admins_only_and_says_so() {
    let app = app();
    let mut ada = admin(&app).await;
    let mut edna = editor(&app).await;

    // The admin finds the form on the history page.
    let history = ada.get(&format!("{PAGE}/history")).await;
    assert_eq!(history.texts("form.protect button"), ["Protect"]);
    assert!(
        edna.get(&format!("{PAGE}/history"))
            .await
            .texts("form.protect")
            .is_empty(),
        "editors get no protect form"
    );

    // Anonymous readers are served from a cache: protecting must show through it.
    assert!(app.get(PAGE).await.texts("p.protected").is_empty());
    let done = protect(&mut ada, "on", "edit war").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(is_protected(&app));
    for page in [
        app.get(PAGE).await,
        edna.get(PAGE).await,
        ada.get(PAGE).await,
    ] {
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.texts("p.protected"), [PROTECTED_NOTICE]);
    }

    // The editor is told before typing, and refused when posting anyway.
    let form = edna.get(&format!("{PAGE}/edit")).await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
    assert!(form.body.contains(PROTECTED_NOTICE));
    let before = latest(&app);
    let refused = edit(&app, &mut edna, "vandalised\n", "x").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let csrf = edna.sign_out_token().await;
    let revert = edna
        .post_form(
            &format!("{PAGE}/revert"),
            &[("csrf", &csrf), ("to_revision", &before.to_string())],
        )
        .await;
    assert_eq!(revert.status, StatusCode::FORBIDDEN);
    assert_eq!(latest(&app), before, "nothing saved");

    // Underneath the web pages, the rule holds too (the API and imports use it).
    let request = SaveRequest {
        title: Title::new("Ada Lovelace").expect("title"),
        markup: "vandalised\n".into(),
        base_revision: Some(before),
        section: None,
        summary: String::new(),
        author_id: user_id(&app, "edna"),
    };
    let refused = app
        .db
        .write_blocking(|conn| Ok(wiki::save_blocking(conn, &request)))
        .expect("store");
    assert!(matches!(refused, Err(wiki::WikiError::Protected(_))));
    let ada_title = Title::new("Ada Lovelace").expect("title");
    let moved = wiki::move_page(
        &app.db,
        &ada_title,
        &Title::new("Stolen").expect("title"),
        user_id(&app, "edna"),
        "",
    )
    .await;
    assert!(matches!(moved, Err(wiki::WikiError::Protected(_))));
    let reverted = wiki::revert(&app.db, &ada_title, before, user_id(&app, "edna"), "").await;
    assert!(matches!(reverted, Err(wiki::WikiError::Protected(_))));

    // And through the API, with an editor's token.
    let token = plutarch::auth::create_api_token(&app.db, "edna", "").expect("token");
    let put = app
        .send(
            axum::http::Request::put("/api/pages/Ada_Lovelace")
                .header(axum::http::header::CONTENT_TYPE, "application/json")
                .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
                .body(axum::body::Body::from(format!(
                    r#"{{"markup":"vandalised","base_revision":{before},"summary":"x"}}"#
                )))
                .expect("request"),
        )
        .await;
    assert_eq!(put.status, StatusCode::FORBIDDEN, "{}", put.body);
    assert!(put.body.contains("protected"));
    assert_eq!(latest(&app), before);

    // The admin sees the notice on the form and saves.
    let form = ada.get(&format!("{PAGE}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.texts("p.protected"), [PROTECTED_NOTICE]);
    let text = format!("{}\nAn admin's sentence.\n", text_of(&app, before));
    let saved = edit(&app, &mut ada, &text, "admin edit").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(latest(&app) > before);

    // Unprotecting lets editors in again.
    let history = ada.get(&format!("{PAGE}/history")).await;
    assert_eq!(history.texts("form.protect button"), ["Unprotect"]);
    assert_eq!(
        protect(&mut ada, "off", "calmer now").await.status,
        StatusCode::SEE_OTHER
    );
    assert!(!is_protected(&app));
    assert!(app.get(PAGE).await.texts("p.protected").is_empty());
    let text = format!("{text}An editor's sentence.\n");
    assert_eq!(
        edit(&app, &mut edna, &text, "editor edit").await.status,
        StatusCode::SEE_OTHER
    );

    let log = audit(&app);
    let ada_name = Some("ada".to_owned());
    assert!(log.contains(&(
        ada_name.clone(),
        "page protected".into(),
        "Ada Lovelace".into(),
        "edit war".into()
    )));
    assert!(log.contains(&(
        ada_name,
        "page unprotected".into(),
        "Ada Lovelace".into(),
        "calmer now".into()
    )));
    let admin_log = ada.get("/admin/log").await;
    assert!(admin_log.body.contains("page protected") && admin_log.body.contains("edit war"));
}

const SECRET: &str = "SECRETCLAIM about a living person";

/// A bad revision (adds a claim, with a telling summary) followed by a clean one that removes
/// it: (clean before, bad, clean after).
fn bad_revision(app: &TestApp) -> (i64, i64, i64) {
    let before = latest(app);
    let clean = text_of(app, before);
    let bad = save(
        app,
        "edna",
        &format!("{clean}\n{SECRET}.\n"),
        "adding the RUMOURSUMMARY",
    );
    let after = save(app, "ada", &clean, "Removed an unsourced claim");
    (before, bad, after)
}

fn assert_no_secret(page: &Page, what: &str) {
    assert!(!page.body.contains("SECRETCLAIM"), "{what}: the text leaks");
    assert!(
        !page.body.contains("RUMOURSUMMARY"),
        "{what}: the summary leaks"
    );
}

#[tokio::test]
async fn a_hidden_revision_is_gone_for_everyone_but_admins() {
    let app = app();
    let (before, bad, after) = bad_revision(&app);
    let mut ada = admin(&app).await;
    let mut edna = editor(&app).await;
    let mut rita = app.client().signed_in("rita", PASSWORD).await;

    // The history has a hide button per revision for admins (none for the current one).
    let history = ada.get(&format!("{PAGE}/history")).await;
    assert!(
        history
            .attrs("button.hide", "form")
            .contains(&format!("hide-{bad}"))
    );
    assert!(
        !history
            .attrs("button.hide", "form")
            .contains(&format!("hide-{after}"))
    );
    assert!(
        edna.get(&format!("{PAGE}/history"))
            .await
            .texts("button.hide")
            .is_empty()
    );

    let done = hide(&mut ada, bad, "on", "unsourced claim about a living person").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert!(is_hidden(&app, bad));

    let diff_in = format!("{PAGE}/diff?from={before}&to={bad}");
    let diff_out = format!("{PAGE}/diff?from={bad}&to={after}");
    let diff_across = format!("{PAGE}/diff?from={before}&to={after}");
    let old = format!("{PAGE}?revision={bad}");
    let history = format!("{PAGE}/history");
    for (who, client) in [
        ("anonymous", &mut app.client()),
        ("reader", &mut rita),
        ("editor", &mut edna),
    ] {
        let page = client.get(&old).await;
        assert_eq!(page.status, StatusCode::OK, "{who}");
        assert_no_secret(&page, who);
        assert!(
            page.body.contains("(this revision&#x27;s text is hidden)")
                || page.body.contains("(this revision's text is hidden)"),
            "{who}: {}",
            page.body
        );
        for path in [&diff_in, &diff_out] {
            let diff = client.get(path).await;
            assert_eq!(diff.status, StatusCode::OK, "{who} {path}");
            assert_no_secret(&diff, who);
            assert!(diff.body.contains("text is hidden"), "{who} {path}");
            assert!(diff.body.contains("(summary hidden)"), "{who} {path}");
        }
        // A diff across the hidden revision shows what it is between its (visible) ends.
        let across = client.get(&diff_across).await;
        assert_no_secret(&across, who);
        let page = client.get(&history).await;
        assert_no_secret(&page, who);
        assert!(page.body.contains("(summary hidden)"), "{who}");
        for path in ["/recent", "/recent.atom", &format!("{PAGE}/feed")] {
            assert_no_secret(&client.get(path).await, path);
        }
        assert!(
            client
                .get("/recent")
                .await
                .body
                .contains("(summary hidden)")
        );
        // Search: the index holds latest revisions only, and a hidden one is never latest.
        let search = client.get("/search?q=SECRETCLAIM").await;
        assert_eq!(search.status, StatusCode::OK);
        assert!(
            search.texts("ol.search-hits li").is_empty(),
            "{who}: no hit"
        );
    }
    let hits = wiki::search(&app.db, "SECRETCLAIM", 10, wiki::HitsFrom::Offset(0))
        .await
        .expect("search")
        .hits;
    assert!(hits.is_empty(), "not in the index");

    // Export: latest texts only.
    let dir = tempfile::tempdir().expect("folder");
    wiki::transfer::export(&app.db, dir.path(), &mut |_| {}).expect("export");
    for file in std::fs::read_dir(dir.path()).expect("files") {
        let text = std::fs::read_to_string(file.expect("file").path()).expect("text");
        assert!(!text.contains("SECRETCLAIM"), "exported");
    }

    // The API: 403 for the hidden revision's text, its diffs and its sections; no summary.
    for path in [
        format!("/api/revisions/{bad}"),
        format!("/api/pages/Ada_Lovelace?revision={bad}"),
        format!("/api/pages/Ada_Lovelace/sections?revision={bad}"),
        format!("/api/diff?from={before}&to={bad}"),
        format!("/api/diff?from={bad}&to={after}"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}: {}", page.body);
        assert_no_secret(&page, &path);
    }
    let revisions = app.get("/api/pages/Ada_Lovelace/revisions").await;
    assert_eq!(revisions.status, StatusCode::OK);
    assert_no_secret(&revisions, "API history");

    // Through the API an admin's token shows the revision and its diff; an editor's does not,
    // a bad token is 401, and what the admin saw is not served to anyone else afterwards.
    let api_get = |path: &str, token: &str| {
        axum::http::Request::get(path)
            .header(axum::http::header::AUTHORIZATION, format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let admin_token = plutarch::auth::create_api_token(&app.db, "ada", "").expect("token");
    let editor_token = plutarch::auth::create_api_token(&app.db, "edna", "").expect("token");
    for path in [
        format!("/api/revisions/{bad}"),
        format!("/api/diff?from={before}&to={bad}"),
    ] {
        let shown = app.send(api_get(&path, &admin_token)).await;
        assert_eq!(shown.status, StatusCode::OK, "{path}: {}", shown.body);
        assert!(shown.body.contains("SECRETCLAIM"), "{path}: {}", shown.body);
        let refused = app.send(api_get(&path, &editor_token)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert_no_secret(&refused, &path);
        let bad_token = app.send(api_get(&path, "plt_not_a_token")).await;
        assert_eq!(bad_token.status, StatusCode::UNAUTHORIZED, "{path}");
        let anonymous = app.get(&path).await;
        assert_eq!(
            anonymous.status,
            StatusCode::FORBIDDEN,
            "{path}: not from the cache"
        );
        assert_no_secret(&anonymous, &path);
    }
    // The API history marks the hidden revision for everyone; only an admin's token shows its
    // summary, and that answer is not served from the cache to anyone else.
    let path = "/api/pages/Ada_Lovelace/revisions";
    let hidden_entry = |body: &str| -> serde_json::Value {
        let list: serde_json::Value = serde_json::from_str(body).expect("json");
        list["revisions"]
            .as_array()
            .expect("revisions")
            .iter()
            .find(|r| r["id"] == bad)
            .cloned()
            .expect("the hidden revision is listed")
    };
    let shown = app.send(api_get(path, &admin_token)).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    let entry = hidden_entry(&shown.body);
    assert_eq!(entry["hidden"], true);
    assert_eq!(entry["summary"], "adding the RUMOURSUMMARY");
    for response in [
        app.send(api_get(path, &editor_token)).await,
        app.get(path).await,
    ] {
        assert_eq!(response.status, StatusCode::OK);
        assert_no_secret(&response, path);
        let entry = hidden_entry(&response.body);
        assert_eq!(entry["hidden"], true);
        assert_eq!(entry["summary"], "");
    }

    // The admin still sees it all, with a note.
    let page = ada.get(&old).await;
    assert!(page.body.contains("SECRETCLAIM"));
    let note = page.texts("p.hidden-revision").concat();
    assert!(
        note.contains("This revision is hidden") && note.contains("unsourced claim"),
        "{note}"
    );
    let diff = ada.get(&diff_in).await;
    assert!(diff.body.contains("SECRETCLAIM") && diff.body.contains("RUMOURSUMMARY"));
    assert!(diff.body.contains("This revision is hidden") || diff.body.contains("hidden"));
    let history_page = ada.get(&history).await;
    assert!(history_page.body.contains("RUMOURSUMMARY"));
    assert!(
        history_page
            .texts(".hidden-mark")
            .concat()
            .contains("hidden")
    );

    // No one brings the text back by reverting to it.
    let csrf = edna.sign_out_token().await;
    let revert = edna
        .post_form(
            &format!("{PAGE}/revert"),
            &[("csrf", &csrf), ("to_revision", &bad.to_string())],
        )
        .await;
    assert_eq!(revert.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(revert.body.contains("unhide it first"));
    assert_eq!(latest(&app), after);

    // The log says who, when and why.
    let entry = app
        .db
        .read_blocking(|conn| accounts::audit_log(conn, None, 10))
        .expect("log")
        .into_iter()
        .find(|e| e.action == "revision hidden")
        .expect("logged");
    assert_eq!(entry.actor.as_deref(), Some("ada"));
    assert_eq!(entry.target, "Ada Lovelace");
    assert_eq!(
        entry.detail,
        format!("revision {bad}: unsourced claim about a living person")
    );
    assert!(entry.at.ends_with('Z'));

    // Unhiding shows it again, and is logged.
    assert_eq!(
        hide(&mut ada, bad, "off", "was sourced after all")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert!(!is_hidden(&app, bad));
    assert!(app.get(&old).await.body.contains("SECRETCLAIM"));
    assert!(
        audit(&app)
            .iter()
            .any(|(_, action, _, detail)| action == "revision unhidden"
                && detail.contains("was sourced"))
    );
}

#[tokio::test]
async fn the_current_revision_cannot_be_hidden_revert_first() {
    let app = app();
    let (_, bad, _) = bad_revision(&app);
    let newest = save(
        &app,
        "edna",
        &format!("{}\n{SECRET} again.\n", text_of(&app, bad)),
        "again",
    );
    let mut ada = admin(&app).await;
    let refused = hide(&mut ada, newest, "on", "x").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("revert"), "{}", refused.body);
    assert!(!is_hidden(&app, newest));
    assert!(
        !audit(&app)
            .iter()
            .any(|(_, a, _, _)| a == "revision hidden"),
        "nothing logged"
    );
    // A revision of another page is not this page's.
    let other = hide(&mut ada, 1, "on", "x").await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn moderation_needs_an_admin_and_a_csrf_token() {
    let app = app();
    let (_, bad, _) = bad_revision(&app);
    let moderated = |app: &TestApp| {
        audit(app)
            .into_iter()
            .filter(|(_, action, _, _)| {
                action.starts_with("page ") || action.starts_with("revision ")
            })
            .count()
    };

    // Missing or forged CSRF tokens: 403 and nothing changed, even for an admin.
    let mut ada = admin(&app).await;
    for token in ["", "forged"] {
        let page = ada
            .post_form(
                &format!("{PAGE}/protect"),
                &[("csrf", token), ("protected", "on")],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
        let page = ada
            .post_form(
                &format!("{PAGE}/hide"),
                &[
                    ("csrf", token),
                    ("revision", &bad.to_string()),
                    ("hidden", "on"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);
    }
    let page = ada
        .post_form(&format!("{PAGE}/protect"), &[("protected", "on")])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "no csrf field at all");

    // Editors and readers with valid tokens: 403. Anonymous clients: sent to sign in.
    let mut edna = editor(&app).await;
    let mut rita = app.client().signed_in("rita", PASSWORD).await;
    for client in [&mut edna, &mut rita] {
        assert_eq!(
            protect(client, "on", "mine").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            hide(client, bad, "on", "mine").await.status,
            StatusCode::FORBIDDEN
        );
    }
    for path in ["protect", "hide"] {
        let page = app
            .post_form(
                &format!("{PAGE}/{path}"),
                &[
                    ("protected", "on"),
                    ("hidden", "on"),
                    ("revision", &bad.to_string()),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(
            page.header(axum::http::header::LOCATION)
                .is_some_and(|l| l.starts_with("/login"))
        );
    }

    // Nonsense values are refused with a message.
    let csrf = ada.sign_out_token().await;
    let page = ada
        .post_form(
            &format!("{PAGE}/protect"),
            &[("csrf", &csrf), ("protected", "maybe")],
        )
        .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("on or off"));

    assert!(!is_protected(&app));
    assert!(!is_hidden(&app, bad));
    assert_eq!(moderated(&app), 0, "nothing logged");
}

// Limits: every one answered with a clear message on the edit form, nothing saved.

async fn edit_new(client: &mut Client<'_>, title: &str, markup: &str, summary: &str) -> Page {
    let csrf = client.sign_out_token().await;
    client
        .post_form(
            &format!("/wiki/{title}/edit"),
            &[
                ("csrf", &csrf),
                ("markup", markup),
                ("summary", summary),
                ("action", "save"),
            ],
        )
        .await
}

#[tokio::test]
async fn a_too_long_summary_is_shown_on_the_form_with_the_limit() {
    let app = app();
    let mut edna = editor(&app).await;
    let page = edit_new(&mut edna, "Summary_Test", "Some text.\n", &"s".repeat(501)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.texts("p.banner[role=alert]")
            .concat()
            .contains("at most 500 characters"),
        "{}",
        page.body
    );
    assert_eq!(
        page.texts("textarea#markup").concat(),
        "Some text.\n",
        "text kept"
    );
    assert_eq!(
        app.get("/wiki/Summary_Test").await.status,
        StatusCode::NOT_FOUND
    );
    let ok = edit_new(&mut edna, "Summary_Test", "Some text.\n", &"s".repeat(500)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_too_large_page_is_a_413_with_the_limit_on_the_form() {
    let app = app();
    let mut edna = editor(&app).await;
    let big = "x".repeat(wiki::max_page_bytes() + 1);
    let page = edit_new(&mut edna, "Big_Test", &big, "").await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    let problem = page.texts("p.banner[role=alert]").concat();
    assert!(
        problem.contains(&format!("the limit of {} bytes", wiki::max_page_bytes())),
        "{problem}"
    );
    assert_eq!(
        app.get("/wiki/Big_Test").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn too_many_sections_are_refused_with_the_limit() {
    let app = app();
    let mut edna = editor(&app).await;
    let many: String = (0..wiki::MAX_SECTIONS)
        .map(|i| format!("== S{i} ==\n"))
        .collect();
    let page = edit_new(&mut edna, "Sections_Test", &many, "").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.texts("p.banner[role=alert]")
            .concat()
            .contains(&format!("more than the limit of {}", wiki::MAX_SECTIONS))
    );
    assert_eq!(
        app.get("/wiki/Sections_Test").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_too_long_title_is_refused_with_the_limit() {
    let app = app();
    let mut edna = editor(&app).await;
    let title = "T".repeat(256);
    let page = edit_new(&mut edna, &title, "text\n", "").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("at most 255 bytes"), "{}", page.body);
    let form = edna.get(&format!("/wiki/{title}/edit")).await;
    assert_eq!(form.status, StatusCode::BAD_REQUEST);
    assert!(form.body.contains("at most 255 bytes"));
    let fits = edit_new(&mut edna, &"T".repeat(255), "text\n", "").await;
    assert_eq!(fits.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_too_long_search_is_refused_with_the_limit() {
    let app = app();
    let page = app.get(&format!("/search?q={}", "a".repeat(301))).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("at most 300 bytes"));
    let fits = app.get(&format!("/search?q={}", "a".repeat(300))).await;
    assert_eq!(fits.status, StatusCode::OK);
}
