//! Templates are pages (issue 14): a page shows its `Template:` pages expanded; editing a
//! template (through the edit form) queues a job that refreshes the pages using it (their
//! cached view, links and categories); a template's "what links here" lists its users; a
//! heading made by a template is no section of the page; a loop is an error in the page.

use axum::http::StatusCode;
use plutarch::wiki::jobs::{self, Ran};
use plutarch::wiki::{self, Title};

use crate::support::{Client, PASSWORD, TestApp};

/// Saves `markup` as `title` through the edit form (creating or replacing it).
pub(crate) async fn edit(app: &TestApp, client: &mut Client<'_>, title: &str, markup: &str) {
    let csrf = client.sign_out_token().await;
    let base = wiki::latest_markup(&app.db, &Title::new(title).expect("title"))
        .await
        .expect("latest")
        .map(|(_, revision)| revision.to_string());
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("markup", markup),
        ("summary", "test"),
        ("action", "save"),
    ];
    if let Some(base) = &base {
        fields.push(("base_revision", base.as_str()));
    }
    let page = client
        .post_form(&format!("/wiki/{}/edit", title.replace(' ', "_")), &fields)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{title}: {}", page.body);
}

async fn run_jobs(app: &TestApp) {
    while jobs::run_one(&app.db).await.expect("step") != Ran::Idle {}
}

fn article_text(page: &crate::support::Page) -> String {
    page.texts("div.mw-parser-output").concat()
}

#[tokio::test]
async fn a_template_edit_refreshes_the_pages_using_it() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    edit(
        &app,
        &mut bob,
        "Template:Born",
        "born in [[{{{1}}}]]<noinclude>\n(documentation)</noinclude>[[Category:People]]",
    )
    .await;
    edit(&app, &mut bob, "Ada", "Ada was {{born|London}}.\n").await;
    run_jobs(&app).await;

    let page = app.get("/wiki/Ada").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = article_text(&page);
    assert!(text.contains("Ada was born in London."), "{text}");
    assert!(!text.contains("documentation"), "{text}");
    // The link and the category the template makes are the page's.
    let links = app.get("/wiki/London/links").await;
    assert!(links.body.contains("/wiki/Ada"), "{}", links.body);
    let category = app.get("/wiki/Category:People").await;
    assert!(category.body.contains("/wiki/Ada"), "{}", category.body);
    // The template's "what links here" lists the page using it.
    let users = app.get("/wiki/Template:Born/links").await;
    assert!(users.body.contains("/wiki/Ada"), "{}", users.body);

    // Edit the template: the view changes at once, the links after the job ran.
    edit(
        &app,
        &mut bob,
        "Template:Born",
        "born at [[{{{1}}} Bridge]]",
    )
    .await;
    let page = app.get("/wiki/Ada").await;
    assert!(article_text(&page).contains("Ada was born at London Bridge."));
    run_jobs(&app).await;
    let bridge = app.get("/wiki/London_Bridge/links").await;
    assert!(bridge.body.contains("/wiki/Ada"), "{}", bridge.body);
    let london = app.get("/wiki/London/links").await;
    assert!(!london.body.contains("/wiki/Ada"), "{}", london.body);
    let category = app.get("/wiki/Category:People").await;
    assert!(!category.body.contains("/wiki/Ada"), "{}", category.body);
    let done = app
        .db
        .read_blocking(|conn| plutarch::store::jobs::recent(conn, 10));
    let done = done.expect("jobs");
    assert!(
        done.iter()
            .any(|j| j.kind == "refresh-transclusions" && j.state == "done" && j.done == 1),
        "{done:?}"
    );
}

#[tokio::test]
async fn headings_from_templates_make_no_sections_and_loops_show_errors() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    edit(
        &app,
        &mut bob,
        "Template:Part",
        "\n== From template ==\nInside.\n",
    )
    .await;
    edit(&app, &mut bob, "Template:Loop", "again {{Loop}}").await;
    edit(
        &app,
        &mut bob,
        "Ada",
        "Lead.\n== Own ==\nText.{{Part}}\n== Second ==\n{{Loop}} {{#expr: 6*7}}\n",
    )
    .await;
    let sections = app.get("/api/pages/Ada/sections").await;
    let titles: Vec<String> = sections.json()["sections"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter_map(|x| x["title"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    assert!(!titles.iter().any(|t| t == "From template"), "{titles:?}");
    assert!(titles.iter().any(|t| t == "Second"), "{}", sections.body);
    let page = app.get("/wiki/Ada").await;
    let text = article_text(&page);
    assert!(text.contains("Inside."), "{text}");
    assert!(
        text.contains("Template loop detected: Template:Loop"),
        "{text}"
    );
    assert!(text.contains("42"), "{text}");
    assert_eq!(
        page.texts("h2")
            .iter()
            .filter(|h| h.contains("Own"))
            .count(),
        1
    );
}

#[tokio::test]
async fn a_database_of_the_previous_schema_gets_its_transclusions_from_the_templates_used() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    edit(&app, &mut bob, "Ada", "Ada {{Infobox person|name=Ada}}.\n").await;
    // A database of the schema before transclusions (23): no transclusions table, and none of
    // what later migrations add.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "ALTER TABLE revisions DROP COLUMN minor;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 DROP TABLE transclusions; PRAGMA user_version = 23;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let rows: Vec<String> = reopened
        .db
        .read_blocking(|conn| {
            let mut statement = conn.prepare("SELECT title FROM transclusions")?;
            let titles = statement
                .query_map([], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            Ok(titles)
        })
        .expect("transclusions");
    assert!(
        rows.iter().any(|t| t == "Template:Infobox person"),
        "{rows:?}"
    );
    let users = reopened.get("/wiki/Template:Infobox_person/links").await;
    assert!(users.body.contains("/wiki/Ada"), "{}", users.body);
}
