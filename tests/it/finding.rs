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
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP TABLE transclusions;
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

/// The lead of a page whose sections all mention the searched word, and a short section that
/// also has it in its heading.
const MANY_SECTIONS: &str = "Zanzibarian Quillfeather was a cartographer; the Quillfeather \
charts are still read.\n== Early life ==\nQuillfeather grew up by the sea.\n== Work ==\nA \
Quillfeather chart.\n== Travels ==\nQuillfeather sailed.\n== Later life ==\nQuillfeather \
retired.\n== Legacy ==\nThe Quillfeather prize.\n";

#[tokio::test]
async fn letters_that_do_not_decompose_fold_in_the_text_the_query_and_the_title() {
    let app = app();
    let token = crate::api_support::editor(&app);
    crate::api_support::create(
        &app,
        &token,
        "Stra%C3%9Fe_des_Friedens",
        "A street. Its Œuvre and the Þingvellir trip, with Ødegård and Đorđe.\n",
    )
    .await;

    let results = app.get("/search?q=Sklodowska").await;
    assert_eq!(results.status, StatusCode::OK);
    let titles: Vec<String> = results.texts("ol.search-hits li > a");
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("Marie Skłodowska-Curie")),
        "{titles:?}"
    );
    // The snippet shows the page's own letters, marked.
    let snippets = results.body.clone();
    assert!(snippets.contains("<mark>Skłodowska</mark>"), "{snippets}");

    for (query, word) in [
        ("oeuvre", "Œuvre"),
        ("thingvellir", "Þingvellir"),
        ("odegard", "Ødegård"),
        ("dorde", "Đorđe"),
        ("Strasse+street", "street"),
    ] {
        let found = app.get(&format!("/search?q={query}")).await;
        assert_eq!(found.status, StatusCode::OK, "{query}");
        assert_eq!(
            found.texts("ol.search-hits li > a"),
            ["Straße des Friedens"],
            "{query}"
        );
        assert!(
            found.body.contains(&format!("<mark>{word}</mark>")),
            "{query}: {}",
            found.body
        );
    }
    // Folded on the query's side too, and in the API.
    let api = crate::api_support::get(&app, "/api/search?q=%C3%BEingvellir")
        .await
        .ok(200);
    assert_eq!(api["hits"][0]["title"], "Straße des Friedens", "{api}");
    assert_eq!(api["total"], 1);

    // A title that differs by written-out letters goes to the page.
    for query in ["strasse%20des%20friedens", "marie%20sklodowska-curie"] {
        let found = app.get(&format!("/search?q={query}")).await;
        assert_eq!(found.status, StatusCode::SEE_OTHER, "{query}");
    }
    assert_eq!(
        app.get("/search?q=marie+sklodowska-curie")
            .await
            .header(header::LOCATION),
        Some("/wiki/Marie_Sk%C5%82odowska-Curie")
    );
}

#[tokio::test]
async fn a_page_whose_many_sections_match_is_one_result_led_by_its_lead() {
    let app = app();
    let token = crate::api_support::editor(&app);
    crate::api_support::create(&app, &token, "Zanzibarian_Quillfeather", MANY_SECTIONS).await;
    crate::api_support::create(
        &app,
        &token,
        "Charts",
        "Charts of many makers.\n== Makers ==\nOne was Quillfeather.\n",
    )
    .await;

    let results = app.get("/search?q=quillfeather+charts").await;
    assert_eq!(results.status, StatusCode::OK);
    // Two pages match both words: each is one result, shown by its section that holds them
    // (the order between the two pages is bm25's: "charts" in a title weighs more).
    let mut hits = results.texts("ol.search-hits li > a");
    hits.sort();
    assert_eq!(
        hits,
        ["Charts § Makers", "Zanzibarian Quillfeather"],
        "{hits:?}"
    );
    assert_eq!(results.texts("p.search-total"), ["2 pages match."]);

    let results = app.get("/search?q=quillfeather").await;
    let hits = results.texts("ol.search-hits li > a");
    assert_eq!(
        hits.iter().filter(|h| h.starts_with("Zanzibarian")).count(),
        1,
        "one result for the page: {hits:?}"
    );
    // The lead matches as each section does (the title, the word in the text): it leads.
    assert_eq!(hits[0], "Zanzibarian Quillfeather", "{hits:?}");
    assert_eq!(
        results.texts("ol.search-hits li:first-child p.other-sections a"),
        ["Early life", "Work", "Travels", "Later life", "Legacy"]
    );
    assert_eq!(
        results.attrs("ol.search-hits li:first-child p.other-sections a", "href")[1],
        "/wiki/Zanzibarian_Quillfeather#Work"
    );

    // A heading that holds the word matches in more places than the lead: it leads.
    let results = app.get("/search?q=travels").await;
    assert_eq!(
        results.texts("ol.search-hits li > a"),
        ["Zanzibarian Quillfeather § Travels"]
    );

    // The API: the same grouping, today's fields kept, the count of pages added.
    let api = crate::api_support::get(&app, "/api/search?q=quillfeather&limit=1")
        .await
        .ok(200);
    assert_eq!(api["total"], 2, "{api}");
    let hits = api["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "Zanzibarian Quillfeather");
    assert_eq!(hits[0]["section"]["index"], 0);
    assert_eq!(hits[0]["section"]["anchor"], "");
    assert!(
        hits[0]["snippet"]
            .as_str()
            .expect("snippet")
            .contains("<mark>Quillfeather</mark>")
    );
    assert_eq!(hits[0]["other_sections_total"], 5);
    assert_eq!(hits[0]["other_sections"][4]["heading"], "Legacy");
    assert_eq!(hits[0]["other_sections"][4]["anchor"], "Legacy");
    let cursor = api["next_cursor"].as_str().expect("a next page").to_owned();
    let next = crate::api_support::get(
        &app,
        &format!("/api/search?q=quillfeather&limit=1&cursor={cursor}"),
    )
    .await
    .ok(200);
    assert_eq!(next["hits"][0]["title"], "Charts", "{next}");
    assert_eq!(next["total"], 2);
    assert_eq!(next["next_cursor"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_database_of_the_previous_schema_is_re_indexed_with_letters_written_out() {
    let app = app();
    let token = crate::api_support::editor(&app);
    let _ =
        crate::api_support::create(&app, &token, "%C3%98rsted", "Hans Christian Ørsted.\n").await;
    // The database the previous main leaves (schema 19, search rows of reading 1): the page
    // indexed with its letters as they are.
    app.db
        .write_blocking(|conn| {
            let id: i64 =
                conn.query_row("SELECT id FROM pages WHERE title = 'Ørsted'", [], |row| {
                    row.get(0)
                })?;
            conn.execute("DELETE FROM search WHERE rowid = ?1", [id * 8192])?;
            conn.execute(
                "INSERT INTO search (rowid, page_title, section_title, body)
                 VALUES (?1, 'Ørsted', '', 'Hans Christian Ørsted.')",
                [id * 8192],
            )?;
            conn.execute_batch(
                "UPDATE source_search_index SET version = 1;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP TABLE transclusions;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 PRAGMA user_version = 19;",
            )?;
            Ok(())
        })
        .expect("made old");
    let found = crate::api_support::get(&app, "/api/search?q=orsted")
        .await
        .ok(200);
    assert_eq!(found["total"], 0, "the old index: {found}");

    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let found = crate::api_support::get(&reopened, "/api/search?q=orsted")
        .await
        .ok(200);
    assert_eq!(found["hits"][0]["title"], "Ørsted", "{found}");
    assert_eq!(found["total"], 1);
    let version = reopened
        .db
        .read_blocking(plutarch::store::search::index_version)
        .expect("version");
    assert_eq!(version, 2);
    // Every page, not only the one made old: the samples are all still found.
    let found = crate::api_support::get(&reopened, "/api/search?q=Sklodowska")
        .await
        .ok(200);
    assert!(found["total"].as_u64().unwrap_or(0) >= 1, "{found}");
    let again = plutarch::wiki::backfill_all(&reopened.db).expect("backfills");
    assert_eq!(again.search_reindexed, 0, "once is enough");
}
