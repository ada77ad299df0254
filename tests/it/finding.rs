//! Finding and creating pages (issue 15): a search with no exact title offers to create the
//! page; a title typed in another case goes to the page; `/` never answers 404.

use axum::http::{StatusCode, header};
use plutarch::auth::Role;

use crate::support::TestApp;

const PASSWORD: &str = "correct horse battery";

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("alice", Role::Admin, PASSWORD);
    app.add_user("edna", Role::Editor, PASSWORD);
    app.add_user("rita", Role::Reader, PASSWORD);
    app
}

#[tokio::test]
async fn a_title_in_another_case_goes_to_the_page() {
    let app = app();
    for query in ["ada%20lovelace", "ADA%20LOVELACE", "Ada%20Lovelace"] {
        let found = app.get(&format!("/search?q={query}")).await;
        assert_eq!(found.status, StatusCode::SEE_OTHER, "{query}");
        assert_eq!(
            found.header(header::LOCATION),
            Some("/wiki/Ada_Lovelace"),
            "{query}"
        );
    }
}

#[tokio::test]
async fn a_search_without_such_a_page_offers_to_create_it() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let results = edna.get("/search?q=mathematician%20poet").await;
    assert_eq!(results.status, StatusCode::OK);
    assert_eq!(
        results.texts("p.create-page a"),
        ["Create the page “Mathematician poet”"]
    );
    let create = results.attrs("p.create-page a", "href")[0].clone();
    assert_eq!(create, "/wiki/Mathematician_poet/edit");
    let form = edna.get(&create).await;
    assert_eq!(form.texts("h1"), ["Creating Mathematician poet"]);

    let anonymous = app.get("/search?q=mathematician%20poet").await;
    assert_eq!(anonymous.texts("p.create-page a"), ["sign in to create it"]);
    assert_eq!(
        anonymous.attrs("p.create-page a", "href"),
        ["/login?next=/wiki/Mathematician_poet/edit"]
    );
    let mut rita = app.client().signed_in("rita", PASSWORD).await;
    assert!(
        rita.get("/search?q=mathematician%20poet")
            .await
            .texts("p.create-page")
            .is_empty()
    );
}

#[tokio::test]
async fn the_root_shows_a_default_main_page_until_one_is_written() {
    let app = app();
    let written = app.get("/").await;
    assert_eq!(written.status, StatusCode::OK);
    assert!(
        written.texts("p.default-main-page").is_empty(),
        "the sample main page"
    );
    let mut alice = app.client().signed_in("alice", PASSWORD).await;
    let form = alice.get("/wiki/Main_Page/delete").await;
    let deleted = alice
        .post_form(
            "/wiki/Main_Page/delete",
            &[
                ("csrf", &form.csrf_of("form")),
                ("reason", "to start again"),
            ],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.body);

    let root = app.get("/").await;
    assert_eq!(root.status, StatusCode::OK);
    assert_eq!(root.texts("h1"), ["Main Page"]);
    assert_eq!(root.texts("p.default-main-page").len(), 1);
    let holdings = root.texts("p.holdings").concat();
    assert!(
        holdings.contains(" pages, ") && holdings.contains("biograph"),
        "{holdings}"
    );
    assert!(!root.texts("ul.changes li").is_empty(), "recent changes");
    assert_eq!(
        root.attrs("a.create", "href"),
        ["/login?next=/wiki/Main_Page/edit"]
    );
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let signed_in = edna.get("/").await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(
        signed_in.attrs("a.create", "href"),
        ["/wiki/Main_Page/edit"]
    );
    assert_eq!(signed_in.texts(".user-name"), ["edna"]);

    // Kept for anonymous readers, but never past a change: a save shows in its list at once,
    // and writing the main page replaces it.
    let form = edna.get("/wiki/Hypatia/edit").await;
    let saved = edna
        .post_form(
            "/wiki/Hypatia/edit",
            &[
                ("csrf", &form.csrf_of("form.edit")),
                ("markup", "Hypatia taught in Alexandria.\n"),
                ("summary", "A new page"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = app.get("/").await;
    assert!(
        after.texts("ul.changes li").concat().contains("Hypatia"),
        "{:?}",
        after.texts("ul.changes li")
    );
    let form = edna.get("/wiki/Main_Page/edit").await;
    let written = edna
        .post_form(
            "/wiki/Main_Page/edit",
            &[
                ("csrf", &form.csrf_of("form.edit")),
                ("markup", "Our own main page.\n"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
    let root = app.get("/").await;
    assert!(root.texts("p.default-main-page").is_empty());
    assert!(root.body.contains("Our own main page."));
}

#[tokio::test]
async fn a_database_of_the_previous_schema_gets_the_title_index_that_ignores_case() {
    let app = app();
    // The database the previous main leaves (schema 18): no index ignoring the titles' case.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DROP INDEX pages_by_title_nocase;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_edited; ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 PRAGMA user_version = 18;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let indexes: Vec<String> = reopened
        .db
        .read_blocking(|conn| {
            let mut statement = conn.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'pages'",
            )?;
            let names = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(names)
        })
        .expect("indexes");
    assert!(
        indexes.iter().any(|name| name == "pages_by_title_nocase"),
        "{indexes:?}"
    );
    let found = reopened.get("/search?q=ada+lovelace").await;
    assert_eq!(found.status, StatusCode::SEE_OTHER);
    assert_eq!(found.header(header::LOCATION), Some("/wiki/Ada_Lovelace"));
}
