//! Mentions (issue 13): which people each source names, by title, display name, redirect and
//! infobox alias, outside boilerplate; stored at save, rescanned by the job queue when names
//! change; the API both ways, the source page and the info view; the backfill from a database
//! of the previous schema.

use plutarch::wiki::jobs::{self, Ran};
use serde_json::Value;

use crate::api_support::{create, editor, get};
use crate::support::TestApp;

/// A person of our own with other names in the infobox.
const ROWAN: &str = "{{Infobox person
| name = Rowan Ash
| birth_date = March 1950
| nickname = Red Rowan
| other_names = \"Ro\"; Rowena Ashcombe
| occupation = Trade unionist
}}
'''Rowan Ash''' (born March 1950) is a Welsh trade unionist.
";

/// A source naming her by title, by nickname and by other name, and once more in a donation
/// appeal at its end (boilerplate: not counted). `Rowan Ashford` is not her (word boundary).
const STRIKE: &str = "Ferry strike ends\n\nRowan Ash told the crews to go back. Red Rowan, as the \
                      crews call her, had led them since May. Rowena Ashcombe was her name at \
                      birth. Rowan Ashford disagreed.\n\nSupport our journalism: Rowan Ash would \
                      want you to donate today.\n";

pub(crate) async fn run_jobs(app: &TestApp) -> usize {
    let mut steps = 0;
    loop {
        match jobs::run_one(&app.db).await.expect("step") {
            Ran::Idle => return steps,
            Ran::Failed { error, .. } => panic!("a job failed: {error}"),
            Ran::Stepped { .. } => steps += 1,
        }
        assert!(steps < 1000, "the queue does not drain");
    }
}

fn titles(list: &Value, key: &str) -> Vec<(String, i64)> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|m| {
            (
                m[key].as_str().expect("a title").to_owned(),
                m["count"].as_i64().expect("a count"),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_source_mentions_people_by_title_and_alias_but_not_in_boilerplate() {
    let app = TestApp::new();
    let token = editor(&app);
    let first_revision = create(&app, &token, "Rowan_Ash", ROWAN).await;
    create(&app, &token, "Source:Ferry_strike", STRIKE).await;

    let source = get(&app, "/api/pages/Source:Ferry_strike/mentions")
        .await
        .ok(200);
    assert_eq!(source["title"], "Source:Ferry strike");
    assert_eq!(
        titles(&source["mentions"], "person"),
        [("Rowan Ash".to_owned(), 3)],
        "title, nickname, other name; not the appeal, not Rowan Ashford"
    );
    let first = &source["mentions"][0];
    assert_eq!(first["person_name"], "Rowan Ash");
    assert_eq!(first["name"], "Rowan Ash");
    let span = [
        first["span"][0].as_u64().unwrap() as usize,
        first["span"][1].as_u64().unwrap() as usize,
    ];
    assert_eq!(&STRIKE[span[0]..span[1]], "Rowan Ash");
    assert_eq!(source["mentioned_in"], serde_json::json!([]));

    let person = get(&app, "/api/pages/Rowan_Ash/mentions").await.ok(200);
    assert_eq!(
        titles(&person["mentioned_in"], "source"),
        [("Source:Ferry strike".to_owned(), 3)]
    );
    assert_eq!(person["mentions"], serde_json::json!([]));

    // The views: the source page lists her, her info view lists the source.
    let page = app.get("/wiki/Source:Ferry_strike").await;
    assert!(
        page.attrs("#mentions a", "href")
            .contains(&"/wiki/Rowan_Ash".to_owned()),
        "{}",
        page.body
    );
    let info = app.get("/wiki/Rowan_Ash/info").await;
    assert!(
        info.attrs("#mentioned-in a", "href")
            .contains(&"/wiki/Source:Ferry_strike".to_owned()),
        "{}",
        info.body
    );

    // Edit the nickname away: the names changed, a rescan is queued and counts two.
    let renamed = ROWAN.replace("| nickname = Red Rowan\n", "");
    let body =
        serde_json::json!({"markup": renamed, "base_revision": first_revision, "summary": "nick"});
    crate::api_support::put(&app, &token, "/api/pages/Rowan_Ash", &body)
        .await
        .ok(200);
    assert!(run_jobs(&app).await > 0, "a rescan ran");
    let source = get(&app, "/api/pages/Source:Ferry_strike/mentions")
        .await
        .ok(200);
    assert_eq!(
        titles(&source["mentions"], "person"),
        [("Rowan Ash".to_owned(), 2)]
    );

    get(&app, "/api/pages/Nobody/mentions").await.problem(404);
    let unknown = get(&app, "/api/pages/Rowan_Ash/mentions?limit=3")
        .await
        .problem(400);
    assert_eq!(unknown["unknown_parameters"], serde_json::json!(["limit"]));
}

#[tokio::test]
async fn a_new_redirect_is_a_name_and_the_job_queue_rescans_the_sources() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Rowan_Ash", ROWAN).await;
    create(
        &app,
        &token,
        "Source:Minutes",
        "The chair, R. Ashe-Jones, opened the meeting.\n",
    )
    .await;
    run_jobs(&app).await;
    let before = get(&app, "/api/pages/Rowan_Ash/mentions").await.ok(200);
    assert_eq!(before["mentioned_in"], serde_json::json!([]));

    // A redirect from the short name: no source is read per request, the queue does it.
    create(&app, &token, "R._Ashe-Jones", "#REDIRECT [[Rowan Ash]]\n").await;
    let queued = jobs::recent(&app.db, 10).await.expect("jobs");
    let rescan = queued
        .iter()
        .find(|j| j.kind == "rescan-mentions")
        .expect("a rescan is queued");
    assert_eq!(rescan.state, "queued");
    assert!(run_jobs(&app).await > 0);
    let done = jobs::recent(&app.db, 10).await.expect("jobs");
    let rescan = done
        .iter()
        .find(|j| j.kind == "rescan-mentions")
        .expect("the rescan");
    assert_eq!((rescan.state.as_str(), rescan.done), ("done", 1));
    let after = get(&app, "/api/pages/Rowan_Ash/mentions").await.ok(200);
    assert_eq!(
        titles(&after["mentioned_in"], "source"),
        [("Source:Minutes".to_owned(), 1)]
    );
    assert_eq!(after["mentioned_in"][0]["name"], "R. Ashe-Jones");

    // Deleting the redirect takes the name away again.
    plutarch::wiki::delete_page(
        &app.db,
        &plutarch::wiki::Title::new("R. Ashe-Jones").unwrap(),
        plutarch::wiki::samples::SYSTEM_USER_ID,
        "test",
    )
    .await
    .expect("deleted");
    run_jobs(&app).await;
    let gone = get(&app, "/api/pages/Rowan_Ash/mentions").await.ok(200);
    assert_eq!(gone["mentioned_in"], serde_json::json!([]));
}

#[tokio::test]
async fn the_seed_blog_mentions_peter_willsman_through_the_redirect_from_pete() {
    let Some((article, blog)) = crate::seed_evidence::seeds() else {
        return;
    };
    let article = std::fs::read_to_string(article).expect("seed article");
    let blog = std::fs::read_to_string(blog).expect("seed blog");
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Peter_Willsman", &article).await;
    create(&app, &token, "Source:Willsman_blog_post", &blog).await;
    let by_title = get(&app, "/api/pages/Peter_Willsman/mentions")
        .await
        .ok(200);
    assert_eq!(
        titles(&by_title["mentioned_in"], "source"),
        [("Source:Willsman blog post".to_owned(), 2)],
        "the blog writes `Peter Willsman` twice"
    );
    create(
        &app,
        &token,
        "Pete_Willsman",
        "#REDIRECT [[Peter Willsman]]\n",
    )
    .await;
    run_jobs(&app).await;
    let with_redirect = get(&app, "/api/pages/Peter_Willsman/mentions")
        .await
        .ok(200);
    assert_eq!(
        titles(&with_redirect["mentioned_in"], "source"),
        [("Source:Willsman blog post".to_owned(), 5)],
        "and `Pete Willsman` three times"
    );
}

#[tokio::test]
async fn hostile_sources_stay_bounded() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Rowan_Ash", ROWAN).await;
    // Nearly 2 MB of her name, and of names glued to words.
    let text = "Rowan Ash ".repeat(150_000) + &"xRowan Ashx ".repeat(20_000);
    create(&app, &token, "Source:Flood", &text).await;
    let found = get(&app, "/api/pages/Source:Flood/mentions").await.ok(200);
    assert_eq!(
        titles(&found["mentions"], "person"),
        [("Rowan Ash".to_owned(), 150_000)],
        "one row, however many times"
    );
}

#[tokio::test]
async fn a_database_of_the_previous_schema_gets_its_mentions_by_a_queued_rescan() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Rowan_Ash", ROWAN).await;
    create(&app, &token, "Source:Ferry_strike", STRIKE).await;
    run_jobs(&app).await;
    // The database the previous main left: no mention tables, no aliases among the facts
    // (extraction version 2), schema 15.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DROP TABLE mentions; DROP TABLE mention_index; DROP TABLE source_search_index;
                 ALTER TABLE citations DROP COLUMN checked_sha256;
                 ALTER TABLE citations DROP COLUMN found_start;
                 ALTER TABLE citations DROP COLUMN found_end;
                 DELETE FROM facts WHERE kind = 'alias';
                 UPDATE bio_index SET version = 2;
                 DROP INDEX pages_by_title_nocase;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP TABLE transclusions;
                 PRAGMA user_version = 15;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let before = get(&reopened, "/api/pages/Source:Ferry_strike/mentions")
        .await
        .ok(200);
    assert_eq!(before["mentions"], serde_json::json!([]), "not yet read");
    assert!(
        run_jobs(&reopened).await > 0,
        "the backfill queued a rescan"
    );
    let after = get(&reopened, "/api/pages/Source:Ferry_strike/mentions")
        .await
        .ok(200);
    assert_eq!(
        titles(&after["mentions"], "person"),
        [("Rowan Ash".to_owned(), 3)],
        "aliases included: the facts backfill read them first"
    );
    assert!(
        !plutarch::wiki::mentions::backfill(&reopened.db).expect("backfill"),
        "once"
    );
}
