//! Quotation checks and weak sources (issue 13): each quotation an article attributes to a
//! stored source is looked up in the source's text (boilerplate left out; quotes, dashes,
//! whitespace and case normalised), stored at save and checked again when the source changes;
//! `GET /api/pages/{title}/citations` lists each reference with its checks and, for a living
//! person, the claims that rest only on weak sources.

use axum::http::{Method, header};
use serde_json::Value;

use crate::api_support::{Call, create, editor, get, latest, put};
use crate::citations::describe;
use crate::mentions::run_jobs;
use crate::support::TestApp;

/// Our own source: a quotation in curly quotes with dashes, one in straight quotes, and a
/// donation appeal at the end (boilerplate).
const MINUTES: &str = "Harbour board minutes\n\n\
    The chair, Mara Quill, said: \u{201c}The ferry will run until \u{2014} at least \u{2014} the spring.\u{201d}\n\n\
    She added that the \"old pier is unsafe\" and must close.\n\n\
    Support our harbour news\n\n\
    Every donation helps us. Just click the donate button below\n";

const BLOG: &str = "Quay gossip\n\nThey say Quill favours her friends on the board.\n";

/// A living person (born 1970) citing the minutes and the blog.
const QUILL: &str = "'''Mara Quill''' (born 1970) is a British harbour master.\
<ref source=\"Source:Harbour minutes\">p. 1</ref>\n\n\
== Ferry ==\n\
Quill said the ferry would run \"until - at least - the spring\".\
<ref source=\"Source:Harbour minutes\">p. 2</ref> \
She called the \u{201c}Old Pier is  unsafe\u{201d} and said \"the harbour will close\".\
<ref>[[Source:Harbour minutes|the minutes]]</ref> \
Quill wrote \"every donation helps us\".<ref source=\"Source:Harbour minutes\">p. 9</ref>\n\n\
== Board ==\n\
Quill was accused of favouring her friends.<ref source=\"Source:Quay blog\">post</ref> \
Quill resigned from the board in 2020.<ref source=\"Source:Quay blog\">post</ref>\
<ref source=\"Source:Harbour minutes\">p. 3</ref> \
She was praised in a book.<ref source=\"Source:Quay blog\">post</ref><ref>A book, 2021.</ref>\n";

async fn sources(app: &TestApp, token: &str) {
    create(app, token, "Source:Harbour_minutes", MINUTES).await;
    create(app, token, "Source:Quay_blog", BLOG).await;
    describe(
        &app.db,
        "Source:Harbour minutes",
        None,
        "Harbour board",
        "primary",
    );
    describe(&app.db, "Source:Quay blog", None, "Quay gossip", "blog");
}

async fn citations(app: &TestApp, title: &str) -> Value {
    get(app, &format!("/api/pages/{title}/citations"))
        .await
        .ok(200)
}

/// Each quotation of the report: (quotation, found, the source's text at its span).
fn checks(report: &Value, source: &str) -> Vec<(String, Option<bool>, Option<String>)> {
    report["references"]
        .as_array()
        .expect("references")
        .iter()
        .flat_map(|r| r["quotations"].as_array().expect("quotations").iter())
        .map(|q| {
            let span = q["span"].as_array().map(|s| {
                let (a, b) = (s[0].as_u64().unwrap(), s[1].as_u64().unwrap());
                source[a as usize..b as usize].to_owned()
            });
            (
                q["quotation"].as_str().unwrap().to_owned(),
                q["found"].as_bool(),
                span,
            )
        })
        .collect()
}

#[tokio::test]
async fn quotations_are_found_in_their_source_whatever_the_quotes_but_not_in_boilerplate() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    create(&app, &token, "Mara_Quill", QUILL).await;

    let report = citations(&app, "Mara_Quill").await;
    assert_eq!(report["living"], true);
    assert_eq!(
        checks(&report, MINUTES),
        [
            (
                "until - at least - the spring".to_owned(),
                Some(true),
                Some("until \u{2014} at least \u{2014} the spring".to_owned())
            ),
            (
                "Old Pier is unsafe".to_owned(),
                Some(true),
                Some("old pier is unsafe".to_owned())
            ),
            ("the harbour will close".to_owned(), Some(false), None),
            ("every donation helps us".to_owned(), Some(false), None),
        ],
        "curly or straight, dashes, spaces and case; the appeal is boilerplate"
    );
    let references = report["references"].as_array().unwrap();
    assert_eq!(references.len(), 9, "every <ref>, stored source or not");
    let first = &references[1];
    assert_eq!(first["section"]["heading"], "Ferry");
    assert_eq!(first["source"], "Source:Harbour minutes");
    assert_eq!(first["kind"], "primary");
    assert_eq!(first["weak"], false);
    let span = first["span"].as_array().unwrap();
    let (a, b) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
    assert_eq!(first["sentence"], QUILL[a as usize..b as usize]);
    let book = &references[8];
    assert_eq!(
        (&book["source"], &book["kind"], &book["weak"]),
        (&Value::Null, &Value::Null, &Value::Bool(false))
    );
    assert_eq!(references[5]["kind"], "blog");
    assert_eq!(references[5]["weak"], true);

    // Only the claim cited to the blog alone rests on weak sources.
    let weak: Vec<(&str, &Value)> = report["weak_claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["sentence"].as_str().unwrap(), &c["sources"]))
        .collect();
    assert_eq!(
        weak,
        [(
            "Quill was accused of favouring her friends.",
            &serde_json::json!(["Source:Quay blog"])
        )]
    );
}

#[tokio::test]
async fn a_page_not_about_a_living_person_lists_no_weak_claims() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    let dead = QUILL.replace("(born 1970) is", "(1870 \u{2013} 1931) was");
    create(&app, &token, "Mara_Quill", &dead).await;
    let report = citations(&app, "Mara_Quill").await;
    assert_eq!(report["living"], false);
    assert_eq!(report["weak_claims"], serde_json::json!([]));
    assert_eq!(report["references"][5]["weak"], true, "still marked");
    let listed = QUILL.replace("(born 1970) is", "(1870 \u{2013} 1931) was")
        + "\n[[Category:Living people]]\n";
    let (_, revision) = latest(&app, "Mara_Quill").await;
    put(
        &app,
        &token,
        "/api/pages/Mara_Quill",
        &serde_json::json!({"markup": listed, "base_revision": revision}),
    )
    .await
    .ok(200);
    let report = citations(&app, "Mara_Quill").await;
    assert_eq!(report["living"], true, "the category says so");
    assert_eq!(report["weak_claims"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_source_edit_checks_its_quotations_again_and_changes_the_etag() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    create(&app, &token, "Mara_Quill", QUILL).await;

    let first = get(&app, "/api/pages/Mara_Quill/citations").await;
    let etag = first.header(header::ETAG).expect("an ETag").to_owned();
    let again = Call::new(&app, Method::GET, "/api/pages/Mara_Quill/citations")
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(again.status.as_u16(), 304);

    let edited = MINUTES.replace("\"old pier is unsafe\"", "pier is fine");
    let (_, revision) = latest(&app, "Source:Harbour_minutes").await;
    put(
        &app,
        &token,
        "/api/pages/Source:Harbour_minutes",
        &serde_json::json!({"markup": edited, "base_revision": revision}),
    )
    .await
    .ok(200);
    let after = Call::new(&app, Method::GET, "/api/pages/Mara_Quill/citations")
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(after.status.as_u16(), 200, "the answer changed");
    let found: Vec<Option<bool>> = checks(&after.json(), &edited)
        .into_iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(
        found,
        [Some(true), Some(false), Some(false), Some(false)],
        "checked again at once"
    );
}

#[tokio::test]
async fn a_source_stored_after_the_page_that_cites_it_gets_its_quotations_checked() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Rowan_Ash",
        "Rowan Ash said \"the tide waits for no one\".<ref source=\"Source:Tide tables\">p</ref>\n",
    )
    .await;
    let before = citations(&app, "Rowan_Ash").await;
    assert_eq!(
        checks(&before, "unused"),
        [("the tide waits for no one".to_owned(), None, None)],
        "no such source: not checked"
    );
    assert_eq!(before["references"][0]["source"], Value::Null);
    let text = "Notes.\n\nAsh: \u{201c}The tide waits for no one.\u{201d}\n";
    create(&app, &token, "Source:Tide_tables", text).await;
    let after = citations(&app, "Rowan_Ash").await;
    assert_eq!(
        checks(&after, text),
        [(
            "the tide waits for no one".to_owned(),
            Some(true),
            Some("The tide waits for no one".to_owned())
        )]
    );
    assert_eq!(after["references"][0]["source"], "Source:Tide tables");
}

#[tokio::test]
async fn a_citation_without_a_quotation_shows_its_source_once_the_source_is_written() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Rowan_Ash",
        "Rowan Ash sailed in 1990.<ref source=\"Source:Log book\">p. 4</ref>\n",
    )
    .await;
    let before = get(&app, "/api/pages/Rowan_Ash/citations").await;
    let etag = before.header(header::ETAG).expect("an ETag").to_owned();
    assert_eq!(before.json()["references"][0]["source"], Value::Null);
    create(&app, &token, "Source:Log_book", "Log.\n\nAsh sailed.\n").await;
    let after = Call::new(&app, Method::GET, "/api/pages/Rowan_Ash/citations")
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(after.status.as_u16(), 200, "the cached answer was stale");
    assert_eq!(after.json()["references"][0]["source"], "Source:Log book");
}

#[tokio::test]
async fn a_source_cited_by_many_quotations_is_checked_again_by_a_job() {
    let app = TestApp::new();
    let token = editor(&app);
    let many = plutarch::wiki::quote_checks::MAX_INLINE + 5;
    let source: String = (0..many)
        .map(|i| format!("Word{i} was said.\n\n"))
        .collect();
    create(&app, &token, "Source:Big", &source).await;
    let article: String = (0..many)
        .map(|i| format!("She said \"word{i} was said\".<ref source=\"Source:Big\">p</ref>\n\n"))
        .collect();
    create(&app, &token, "Quoter", &article).await;
    let found = |report: &Value| -> Vec<Option<bool>> {
        report["references"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["quotations"][0]["found"].as_bool())
            .collect()
    };
    assert_eq!(
        found(&citations(&app, "Quoter").await),
        vec![Some(true); many]
    );

    // The source loses its first half: too many rows to check in the save's write.
    let half: String = (many / 2..many)
        .map(|i| format!("Word{i} was said.\n\n"))
        .collect();
    let (_, revision) = latest(&app, "Source:Big").await;
    put(
        &app,
        &token,
        "/api/pages/Source:Big",
        &serde_json::json!({"markup": half, "base_revision": revision}),
    )
    .await
    .ok(200);
    assert_eq!(
        found(&citations(&app, "Quoter").await),
        vec![None; many],
        "stale checks read as not checked"
    );
    assert!(run_jobs(&app).await > 1, "the job walks in batches");
    let mut expected = vec![Some(false); many / 2];
    expected.extend(vec![Some(true); many - many / 2]);
    assert_eq!(found(&citations(&app, "Quoter").await), expected);
}

#[tokio::test]
async fn a_database_at_the_previous_schema_gets_its_quotations_checked_at_start() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    create(&app, &token, "Mara_Quill", QUILL).await;
    // The database today's main leaves (schema 16): no check columns, citation reading 1.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "ALTER TABLE citations DROP COLUMN checked_sha256;
                 ALTER TABLE citations DROP COLUMN found_start;
                 ALTER TABLE citations DROP COLUMN found_end;
                 UPDATE citation_index SET version = 1;
                 DROP TABLE source_search_index;
                 DROP INDEX pages_by_title_nocase;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP TABLE transclusions;
                 PRAGMA user_version = 16;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let found: Vec<Option<bool>> = checks(&citations(&reopened, "Mara_Quill").await, MINUTES)
        .into_iter()
        .map(|c| c.1)
        .collect();
    assert_eq!(found, [Some(true), Some(true), Some(false), Some(false)]);
    assert_eq!(
        plutarch::wiki::citations::backfill(&reopened.db).expect("backfill"),
        0,
        "once"
    );
}

#[tokio::test]
async fn the_info_view_of_a_living_person_shows_missing_quotations_first_then_weak_claims() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    let hostile = QUILL.replace(
        "\"the harbour will close\"",
        "\"<script>alert(1)</script> & close\" and \"&lt;b&gt;bold&lt;/b&gt;\"",
    );
    create(&app, &token, "Mara_Quill", &hostile).await;

    let info = app.get("/wiki/Mara_Quill/info").await;
    assert_eq!(info.status, 200);
    assert!(!info.body.contains("<script>alert"), "escaped");
    assert!(!info.body.contains("<b>bold"), "escaped");
    let html = info.html();
    let selector = scraper::Selector::parse("main h1 ~ *").unwrap();
    let order: Vec<String> = html
        .select(&selector)
        .filter_map(|e| match e.value().name() {
            "section" => e.value().attr("class").map(str::to_owned),
            "h2" => Some(e.text().collect()),
            _ => None,
        })
        .collect();
    assert_eq!(
        order.get(..3),
        Some(
            &[
                "quotations-not-found".to_owned(),
                "weak-claims".to_owned(),
                "Facts".to_owned()
            ][..]
        ),
        "{order:?}"
    );
    assert_eq!(
        info.texts("section.quotations-not-found li q"),
        [
            "alert(1) & close",
            "&lt;b&gt;bold&lt;/b&gt;",
            "every donation helps us"
        ],
        "tags are not text; the rest is escaped"
    );
    assert_eq!(
        info.texts("section.weak-claims li q"),
        ["Quill was accused of favouring her friends."]
    );
    assert_eq!(
        info.attrs("section.weak-claims li a", "href"),
        ["/wiki/Mara_Quill#Board", "/wiki/Source:Quay_blog"]
    );
    assert_eq!(
        info.texts("ul.quotation-check li.quotation-found q"),
        ["until - at least - the spring", "Old Pier is unsafe"]
    );
    assert!(
        info.attrs("ul.quotation-check li.quotation-found a", "href")
            .contains(&"/wiki/Source:Harbour_minutes".to_owned())
    );

    // Not a living person: the quotation check is there, after the facts, and no weak claims.
    let dead = hostile.replace("(born 1970) is", "(1870 \u{2013} 1931) was");
    let (_, revision) = latest(&app, "Mara_Quill").await;
    put(
        &app,
        &token,
        "/api/pages/Mara_Quill",
        &serde_json::json!({"markup": dead, "base_revision": revision}),
    )
    .await
    .ok(200);
    let info = app.get("/wiki/Mara_Quill/info").await;
    assert!(info.texts("section.weak-claims").is_empty());
    assert_eq!(info.texts("section.quotations-not-found li q").len(), 3);
    let body = &info.body;
    assert!(body.find("quotations-not-found") > body.find("<h2>Facts</h2>"));
}
