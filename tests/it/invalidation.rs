//! The caches of rendered pages and API answers forget only what a write changed (issue 18):
//! an edit of one page keeps every other page's cached view, an edit that makes a linked page
//! appear or a category gain a member drops the views that show it, and writes that change
//! nothing a reader sees (a job's bookkeeping) keep everything.
//!
//! To see what is served from a cache, each test changes stored text behind the caches' back
//! (a write that says it changed nothing shown): a cached answer still has the old words, a
//! fresh one the new.

use axum::http::StatusCode;
use plutarch::wiki::jobs::{self, JobKind, Ran};
use plutarch::wiki::{self, SaveRequest, Title, samples::SYSTEM_USER_ID};

use crate::api_support::get;
use crate::support::{PASSWORD, TestApp, change_behind_the_caches};

/// Saves `markup` as the latest text of `title` (creating it if needed).
async fn save(app: &TestApp, title: &str, markup: &str) {
    let title = Title::new(title).expect("title");
    let base = wiki::latest_markup(&app.db, &title)
        .await
        .expect("latest")
        .map(|(_, revision)| revision);
    let request = SaveRequest {
        title,
        markup: markup.to_owned(),
        base_revision: base,
        section: None,
        summary: String::new(),
        author_id: SYSTEM_USER_ID,
    };
    wiki::save_page(&app.db, request).await.expect("save");
}

async fn view(app: &TestApp, path: &str) -> String {
    let page = app.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    page.body
}

#[tokio::test]
async fn a_page_view_stays_cached_until_its_page_or_a_page_it_links_to_changes() {
    let app = TestApp::new();
    save(
        &app,
        "Ada",
        "Ada wrote the first program with [[Charles Babbage]].\n",
    )
    .await;
    save(&app, "Other", "Another page.\n").await;
    assert!(view(&app, "/wiki/Ada").await.contains("first program"));
    change_behind_the_caches(&app, "first program", "sneaky words").await;
    assert!(
        view(&app, "/wiki/Ada").await.contains("first program"),
        "served from the cache"
    );

    save(&app, "Other", "Another page, edited.\n").await;
    assert!(
        view(&app, "/wiki/Ada").await.contains("first program"),
        "an edit of another page keeps the cached view"
    );

    save(&app, "Charles Babbage", "Babbage designed engines.\n").await;
    let fresh = view(&app, "/wiki/Ada").await;
    assert!(
        fresh.contains("sneaky words"),
        "the linked page appeared: its link turned blue, so the view was made again"
    );
}

#[tokio::test]
async fn a_category_page_is_made_again_when_a_page_joins_it_and_kept_otherwise() {
    let app = TestApp::new();
    save(&app, "Category:Engineers", "People who built things.\n").await;
    save(&app, "Ada", "Ada.\n[[Category:Engineers]]\n").await;
    assert!(view(&app, "/wiki/Category:Engineers").await.contains("Ada"));
    change_behind_the_caches(&app, "built things", "sneaky words").await;

    save(&app, "Grace", "Grace wrote compilers.\n").await;
    let kept = view(&app, "/wiki/Category:Engineers").await;
    assert!(kept.contains("built things"), "Grace is not in it yet");
    assert!(!kept.contains("Grace"));

    save(
        &app,
        "Grace",
        "Grace wrote compilers.\n[[Category:Engineers]]\n",
    )
    .await;
    let fresh = view(&app, "/wiki/Category:Engineers").await;
    assert!(fresh.contains("Grace"), "the new member is listed");
    assert!(fresh.contains("sneaky words"), "made again");
}

#[tokio::test]
async fn api_answers_about_a_page_outlive_edits_of_other_pages_but_listings_do_not() {
    let app = TestApp::new();
    save(&app, "Ada", "Ada wrote the first program.\n").await;
    let section = "/api/pages/Ada/sections/0";
    let text = |answer: &serde_json::Value| answer["markup"].as_str().unwrap_or("").to_owned();
    assert!(text(&get(&app, section).await.ok(200)).contains("first program"));
    let listing = get(&app, "/api/pages").await.ok(200);
    change_behind_the_caches(&app, "first program", "sneaky words").await;

    save(&app, "Grace", "Grace wrote compilers.\n").await;
    assert!(
        text(&get(&app, section).await.ok(200)).contains("first program"),
        "still cached: only Grace changed"
    );
    assert_ne!(
        get(&app, "/api/pages").await.ok(200),
        listing,
        "the list of pages shows Grace at once"
    );

    save(&app, "Ada", "Ada wrote the first program, in 1843.\n").await;
    assert!(text(&get(&app, section).await.ok(200)).contains("in 1843"));
}

#[tokio::test]
async fn a_job_running_keeps_cached_page_views() {
    let app = TestApp::new();
    save(&app, "Ada", "Ada wrote the first program.\n").await;
    assert!(view(&app, "/wiki/Ada").await.contains("first program"));
    change_behind_the_caches(&app, "first program", "sneaky words").await;

    jobs::enqueue(&app.db, JobKind::ReindexSearch, None)
        .await
        .expect("queued");
    while jobs::run_one(&app.db).await.expect("step") != Ran::Idle {}
    assert!(
        view(&app, "/wiki/Ada").await.contains("first program"),
        "queueing and running a job changed no page"
    );
}

#[tokio::test]
async fn signed_in_readers_get_the_kept_article_in_a_frame_of_their_own() {
    let app = TestApp::with_roles();
    app.add_user("dave", plutarch::auth::Role::Editor, PASSWORD);
    save(
        &app,
        "Ada",
        "Ada wrote the first program.\n== Later ==\nShe died in 1852.\n",
    )
    .await;
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let mut dave = app.client().signed_in("dave", PASSWORD).await;
    let first = bob.get("/wiki/Ada").await;
    assert!(first.body.contains("first program"));
    change_behind_the_caches(&app, "first program", "sneaky words").await;

    let kept = dave.get("/wiki/Ada").await;
    assert!(
        kept.body.contains("first program"),
        "another editor is served the kept article"
    );
    assert!(
        kept.body.contains("dave") && !kept.body.contains(">bob<"),
        "in dave's own frame"
    );
    assert_eq!(
        kept.body
            .replace("dave", "bob")
            .replace(&kept.csrf(), &first.csrf()),
        first.body,
        "the same page as a fresh render, but for the reader's name and token"
    );

    save(&app, "Ada", "Ada wrote the first program, in 1843.\n").await;
    assert!(
        bob.get("/wiki/Ada").await.body.contains("in 1843"),
        "made again after an edit"
    );
}
