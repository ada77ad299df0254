//! Sources as evidence (issue 13): `GET /api/sources/{title}` (metadata, kind, what cites it,
//! whom it mentions, quotations and boilerplate), `PATCH` of its kind and metadata (checked,
//! audit-logged, `If-Match`), and the editor's form on the source page.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::api_support::{Call, create, editor, get, token_for};
use crate::support::{PASSWORD, TestApp};

/// A source of our own: a headline, a quotation with its speaker, a mention of a person, and
/// share buttons and a donation appeal (boilerplate; the appeal's quotation is not listed).
const FERRY: &str = "Ferry strike ends after six weeks\n\n\
Rowan Ash said: \u{201c}Go back with your heads high.\u{201d}\n\n\
Share this: Facebook Twitter Email\n\n\
The company agreed to the pay rise on Friday.\n\n\
The crews sailed again on Saturday morning.\n\n\
The first ferry left Holyhead at six.\n\n\
Passengers had waited on the quay since dawn.\n\n\
Support our journalism\n\n\
Our reporters need you. \"Every pound helps\", as we say. Please donate today.\n";

const ROWAN: &str = "'''Rowan Ash''' (born March 1950) is a Welsh trade unionist.\n\n\
== Strike ==\n\
In 1989 she told the crews \u{201c}go back with your heads high\u{201d}.\
<ref source=\"Source:Ferry strike\">p. 1</ref>\n\n\
== References ==\n<references />\n";

async fn patch(
    app: &TestApp,
    token: &str,
    title: &str,
    body: &Value,
) -> crate::api_support::Answer {
    Call::new(app, Method::PATCH, &format!("/api/sources/{title}"))
        .token(token)
        .json(body)
        .send()
        .await
}

fn span_text<'a>(text: &'a str, span: &Value) -> &'a str {
    let start = span[0].as_u64().expect("start") as usize;
    let end = span[1].as_u64().expect("end") as usize;
    &text[start..end]
}

#[tokio::test]
async fn a_source_reads_with_its_metadata_citations_mentions_quotations_and_boilerplate() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;
    create(&app, &token, "Rowan_Ash", ROWAN).await;
    // A new person: the sources are rescanned for names in the background.
    for _ in 0..100 {
        match plutarch::wiki::jobs::run_one(&app.db).await.expect("step") {
            plutarch::wiki::jobs::Ran::Idle => break,
            plutarch::wiki::jobs::Ran::Failed { error, .. } => panic!("{error}"),
            plutarch::wiki::jobs::Ran::Stepped { .. } => {}
        }
    }

    let answer = get(&app, "/api/sources/Source:Ferry_strike").await;
    let source = answer.ok(200);
    assert_eq!(source["title"], "Source:Ferry strike");
    assert_eq!(source["redirected_from"], Value::Null);
    assert_eq!(source["kind"], Value::Null, "never given one");
    assert_eq!(source["url"], Value::Null);
    assert_eq!(
        source["how_to_cite"],
        "<ref source=\"Source:Ferry strike\">page or quotation</ref>"
    );

    let cited = source["cited_by"].as_array().expect("cited_by");
    assert_eq!(cited.len(), 1, "{source}");
    assert_eq!(cited[0]["page"], "Rowan Ash");
    assert_eq!(cited[0]["heading"], "Strike");
    assert!(cited[0]["section"].is_string(), "a section id: {source}");
    assert!(
        cited[0]["sentence"]
            .as_str()
            .unwrap()
            .contains("she told the crews"),
        "{source}"
    );

    assert_eq!(source["mentions"][0]["person"], "Rowan Ash", "{source}");

    let quotations = source["quotations"].as_array().expect("quotations");
    assert_eq!(
        quotations.len(),
        1,
        "the appeal's quotation is left out: {source}"
    );
    assert_eq!(quotations[0]["text"], "Go back with your heads high.");
    assert_eq!(quotations[0]["speaker"], "Rowan Ash");
    assert_eq!(
        span_text(FERRY, &quotations[0]["span"]),
        "Go back with your heads high."
    );

    let boilerplate = source["boilerplate"].as_array().expect("boilerplate");
    let labelled: Vec<(&str, &str)> = boilerplate
        .iter()
        .map(|b| (b["label"].as_str().unwrap(), span_text(FERRY, &b["span"])))
        .collect();
    assert_eq!(labelled.len(), 2, "{labelled:?}");
    assert_eq!(
        labelled[0],
        ("share buttons", "Share this: Facebook Twitter Email")
    );
    assert_eq!(labelled[1].0, "donation appeal");
    assert!(labelled[1].1.starts_with("Support our journalism"));
    assert!(labelled[1].1.ends_with("Please donate today."));

    // Shareable like other anonymous reads, with an ETag that answers 304.
    let etag = answer
        .header(axum::http::header::ETAG)
        .expect("an ETag")
        .to_owned();
    assert!(etag.starts_with("\"m"), "{etag}");
    assert!(
        answer
            .header(axum::http::header::CACHE_CONTROL)
            .is_some_and(|c| c.starts_with("public")),
        "{:?}",
        answer.headers
    );
    let again = Call::new(&app, Method::GET, "/api/sources/Source:Ferry_strike")
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // With a token the answer is private.
    let private = Call::new(&app, Method::GET, "/api/sources/Source:Ferry_strike")
        .token(&token)
        .send()
        .await;
    assert_eq!(
        private.header(axum::http::header::CACHE_CONTROL),
        Some("private, no-store")
    );

    // A missing page, a deleted one, a page that is not a source.
    let missing = get(&app, "/api/sources/Source:Nothing").await.problem(404);
    assert_eq!(missing["type"], "/problems/page-missing");
    let not_source = get(&app, "/api/sources/Rowan_Ash").await.problem(404);
    assert_eq!(not_source["type"], "/problems/not-a-source");
    assert!(
        not_source["detail"].as_str().unwrap().contains("Source:"),
        "{not_source}"
    );
    get(&app, "/api/sources/Source:Ferry_strike?x=1")
        .await
        .problem(400);
}

#[tokio::test]
async fn editors_patch_a_sources_kind_and_metadata_checked_and_audit_logged() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;

    let body =
        json!({"kind": "Opinion", "url": "https://news.example.org/ferry", "date": "1989-05"});
    let answer = patch(&app, &token, "Source:Ferry_strike", &body).await;
    let patched = answer.ok(200);
    assert_eq!(patched["changed"], true);
    assert_eq!(patched["kind"], "opinion");
    assert_eq!(patched["weak"], true);
    assert_eq!(patched["url"], "https://news.example.org/ferry");
    assert_eq!(patched["date"], "1989-05");
    assert_eq!(patched["publisher"], Value::Null);
    assert_eq!(
        answer.header(axum::http::header::CACHE_CONTROL),
        Some("private, no-store")
    );
    let read = get(&app, "/api/sources/Source:Ferry_strike").await;
    assert_eq!(read.ok(200)["kind"], "opinion", "the cached read moved on");
    let etag = read.header(axum::http::header::ETAG).unwrap().to_owned();

    // A merge: absent fields stay, null removes.
    let body = json!({"publisher": "Harbour News", "date": null});
    let patched = patch(&app, &token, "Source:Ferry_strike", &body)
        .await
        .ok(200);
    assert_eq!(patched["kind"], "opinion");
    assert_eq!(patched["url"], "https://news.example.org/ferry");
    assert_eq!(patched["publisher"], "Harbour News");
    assert_eq!(patched["date"], Value::Null);
    // The same again changes nothing.
    let same = patch(&app, &token, "Source:Ferry_strike", &body)
        .await
        .ok(200);
    assert_eq!(same["changed"], false);

    // The audit log says who changed what from what.
    let logged: Vec<_> = app
        .audit_actions()
        .into_iter()
        .filter(|(action, _, _)| action == "source metadata changed")
        .collect();
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert_eq!(logged[0].1, "Source:Ferry strike");
    assert_eq!(
        logged[0].2,
        "publisher: (none) → Harbour News; date: 1989-05 → (none)"
    );
    assert!(logged[1].2.contains("kind: (none) → opinion"), "{logged:?}");

    // If-Match: a tag read before the last change is stale (412); the current one works.
    let stale = Call::new(&app, Method::PATCH, "/api/sources/Source:Ferry_strike")
        .token(&token)
        .header("if-match", &etag)
        .json(&json!({"kind": "news"}))
        .send()
        .await;
    assert_eq!(stale.problem(412)["type"], "/problems/precondition-failed");
    let current = get(&app, "/api/sources/Source:Ferry_strike").await;
    let etag = current.header(axum::http::header::ETAG).unwrap().to_owned();
    let fresh = Call::new(&app, Method::PATCH, "/api/sources/Source:Ferry_strike")
        .token(&token)
        .header("if-match", &etag)
        .json(&json!({"kind": "news"}))
        .send()
        .await;
    assert_eq!(fresh.ok(200)["kind"], "news");
    let garbled = Call::new(&app, Method::PATCH, "/api/sources/Source:Ferry_strike")
        .token(&token)
        .header("if-match", "\"r12\"")
        .json(&json!({"kind": "news"}))
        .send()
        .await;
    garbled.problem(400);

    // Refusals change nothing.
    for (body, status, detail) in [
        (json!({"kind": "gossip"}), 422, "unknown source kind"),
        (
            json!({"kind": null}),
            422,
            "kind can be changed but not removed",
        ),
        (
            json!({"url": "javascript:alert(1)"}),
            422,
            "url must be an http",
        ),
        (json!({"date": "1989-02-30"}), 422, "date must be YYYY"),
        (json!({"colour": "red"}), 400, "unknown field"),
        (json!({"kind": 3}), 400, "invalid type"),
    ] {
        let refused = patch(&app, &token, "Source:Ferry_strike", &body).await;
        let problem = refused.problem(status);
        assert!(
            problem["detail"].as_str().unwrap().contains(detail),
            "{body}: {problem}"
        );
    }
    assert_eq!(
        get(&app, "/api/sources/Source:Ferry_strike").await.ok(200)["kind"],
        "news"
    );

    // Who may: no token 401, a reader 403, not a source 404, missing 404.
    let anonymous = Call::new(&app, Method::PATCH, "/api/sources/Source:Ferry_strike")
        .json(&json!({"kind": "blog"}))
        .send()
        .await;
    anonymous.problem(401);
    let reader = token_for(&app, "reader", plutarch::auth::Role::Reader);
    patch(
        &app,
        &reader,
        "Source:Ferry_strike",
        &json!({"kind": "blog"}),
    )
    .await
    .problem(403);
    create(&app, &token, "Plain_page", "Just a page.\n").await;
    let not_source = patch(&app, &token, "Plain_page", &json!({"kind": "blog"})).await;
    assert_eq!(not_source.problem(404)["type"], "/problems/not-a-source");
    patch(&app, &token, "Source:Nothing", &json!({"kind": "blog"}))
        .await
        .problem(404);
}

#[tokio::test]
async fn a_metadata_change_renews_the_citing_pages_and_keeps_the_others() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;
    create(&app, &token, "Rowan_Ash", ROWAN).await;
    patch(
        &app,
        &token,
        "Source:Ferry_strike",
        &json!({"kind": "news"}),
    )
    .await
    .ok(200);
    let before = get(&app, "/api/pages/Rowan_Ash/citations").await.ok(200);
    assert_eq!(before["references"][0]["kind"], "news");
    // Pages neither the source nor citing it, read once so that they are kept.
    assert_eq!(app.get("/wiki/Ada_Lovelace").await.status, StatusCode::OK);
    let rendered = app.state.render_counts().on_request;

    patch(
        &app,
        &token,
        "Source:Ferry_strike",
        &json!({"kind": "blog"}),
    )
    .await
    .ok(200);
    let after = get(&app, "/api/pages/Rowan_Ash/citations").await.ok(200);
    assert_eq!(after["references"][0]["kind"], "blog");
    assert_eq!(after["references"][0]["weak"], true);
    assert_eq!(app.get("/wiki/Ada_Lovelace").await.status, StatusCode::OK);
    assert_eq!(
        app.state.render_counts().on_request,
        rendered,
        "another page's view was kept"
    );
}

#[tokio::test]
async fn a_moved_source_is_read_and_patched_through_its_redirect() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;
    let moved = crate::api_support::post(
        &app,
        &token,
        "/api/pages/Source:Ferry_strike/move",
        &json!({"to": "Source:Ferry strike of 1989", "summary": "year"}),
    )
    .await;
    moved.ok(200);
    let patched = patch(
        &app,
        &token,
        "Source:Ferry_strike",
        &json!({"kind": "news"}),
    )
    .await
    .ok(200);
    assert_eq!(patched["title"], "Source:Ferry strike of 1989");
    assert_eq!(patched["redirected_from"], "Source:Ferry strike");
    let read = get(&app, "/api/sources/Source:Ferry_strike_of_1989")
        .await
        .ok(200);
    assert_eq!(read["kind"], "news");
}

#[tokio::test]
async fn editors_change_the_metadata_on_the_source_page_and_readers_see_no_form() {
    let app = TestApp::with_roles();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;

    let anonymous = app.get("/wiki/Source:Ferry_strike").await;
    assert!(anonymous.texts("details.source-edit").is_empty());
    let mut carol = app.client().signed_in("carol", PASSWORD).await;
    let page = carol.get("/wiki/Source:Ferry_strike").await;
    assert!(page.texts("details.source-edit").is_empty(), "a reader");

    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let page = bob.get("/wiki/Source:Ferry_strike").await;
    assert_eq!(
        page.attrs("details.source-edit form", "action"),
        ["/wiki/Source:Ferry_strike/source"]
    );
    let csrf = page.csrf_of("details.source-edit form");
    // Without the token: 403, nothing changed.
    let forged = bob
        .post_form(
            "/wiki/Source:Ferry_strike/source",
            &[("kind", "blog"), ("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let saved = bob
        .post_form(
            "/wiki/Source:Ferry_strike/source",
            &[
                ("csrf", &csrf),
                ("kind", "blog"),
                ("url", ""),
                ("publisher", "Harbour <News>"),
                ("date", "1989"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = bob.get("/wiki/Source:Ferry_strike").await;
    assert_eq!(
        page.attrs("#source-kind option[selected]", "value"),
        ["blog"]
    );
    assert_eq!(page.attrs("#source-publisher", "value"), ["Harbour <News>"]);
    let shown = app.get("/wiki/Source:Ferry_strike").await;
    assert_eq!(
        shown.texts("aside.source-box dd"),
        ["Harbour <News>", "1989", "blog"]
    );
    let refused = bob
        .post_form(
            "/wiki/Source:Ferry_strike/source",
            &[("csrf", &csrf), ("kind", "gossip")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("unknown source kind"),
        "{}",
        refused.body
    );
    let carol_csrf = carol.get("/wiki/Source:Ferry_strike").await.csrf();
    let by_reader = carol
        .post_form(
            "/wiki/Source:Ferry_strike/source",
            &[("csrf", &carol_csrf), ("kind", "news")],
        )
        .await;
    assert_eq!(by_reader.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_metadata_form_opened_before_another_editors_change_saves_nothing() {
    let app = TestApp::with_roles();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let first = bob.get("/wiki/Source:Ferry_strike").await;
    let second = bob.get("/wiki/Source:Ferry_strike").await;
    let tag = |page: &crate::support::Page| {
        page.attrs("details.source-edit input[name=tag]", "value")
            .pop()
            .expect("the form carries the metadata's tag")
    };
    assert_eq!(tag(&first), tag(&second));
    let save = |page: &crate::support::Page| (page.csrf_of("details.source-edit form"), tag(page));
    let (csrf, first_tag) = save(&first);
    let saved = bob
        .post_form(
            "/wiki/Source:Ferry_strike/source",
            &[
                ("csrf", &csrf),
                ("tag", &first_tag),
                ("publisher", "Harbour News"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let (csrf, second_tag) = save(&second);
    let late = bob
        .post_form(
            "/wiki/Source:Ferry_strike/source",
            &[
                ("csrf", &csrf),
                ("tag", &second_tag),
                ("publisher", "Quay Times"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        late.body.contains("since you opened the form"),
        "{}",
        late.body
    );
    let read = get(&app, "/api/sources/Source:Ferry_strike").await.ok(200);
    assert_eq!(read["publisher"], "Harbour News", "the first save stays");
    let fresh = bob.get("/wiki/Source:Ferry_strike").await;
    assert_ne!(tag(&fresh), tag(&second), "a new form carries the new tag");
}

/// The titles of the pages `q` finds.
async fn found(app: &TestApp, q: &str) -> Vec<String> {
    let hits = get(app, &format!("/api/search?q={q}")).await.ok(200);
    hits["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["title"].as_str().expect("title").to_owned())
        .collect()
}

#[tokio::test]
async fn a_sources_boilerplate_is_not_searched_and_an_older_database_is_reindexed() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;
    create(
        &app,
        &token,
        "Newsroom",
        "Our reporters need you, the editor wrote.\n\nShare this: Facebook Twitter\n",
    )
    .await;
    let source = "Source:Ferry strike".to_owned();
    assert!(found(&app, "Holyhead").await.contains(&source));
    for word in ["reporters", "Facebook", "journalism"] {
        assert!(
            !found(&app, word).await.contains(&source),
            "{word} is only in the boilerplate"
        );
    }
    assert!(
        found(&app, "reporters")
            .await
            .contains(&"Newsroom".to_owned()),
        "an ordinary page is searched whole"
    );
    let (markup, _) = crate::api_support::latest(&app, "Source:Ferry_strike").await;
    assert_eq!(markup, FERRY, "the stored text is unchanged");

    // The database the previous main left (schema 16): the source indexed with its appeal.
    let sections = get(&app, "/api/pages/Source:Ferry_strike/sections")
        .await
        .ok(200);
    let section_id = sections["sections"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    app.db
        .write_blocking(move |conn| {
            let page =
                plutarch::store::pages::by_title(conn, "Source:Ferry strike")?.expect("the source");
            let body = FERRY.to_owned();
            let rows = [plutarch::store::search::SearchRow {
                position: 0,
                section_title: "",
                body: &body,
                section_id: &section_id,
                anchor: "",
            }];
            plutarch::store::search::update_page(conn, page.id, "Source:Ferry strike", &rows)?;
            conn.execute_batch(
                "DROP TABLE source_search_index;
                 ALTER TABLE citations DROP COLUMN checked_sha256;
                 ALTER TABLE citations DROP COLUMN found_start;
                 ALTER TABLE citations DROP COLUMN found_end;
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
            )?;
            Ok(())
        })
        .expect("made old");
    assert!(
        found(&app, "reporters").await.contains(&source),
        "indexed whole"
    );
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    assert!(
        !found(&reopened, "reporters").await.contains(&source),
        "re-indexed at start"
    );
    assert!(found(&reopened, "Holyhead").await.contains(&source));
    let version: i64 = reopened
        .db
        .read_blocking(plutarch::store::search::index_version)
        .expect("version");
    assert_eq!(version, 2);
}

#[tokio::test]
async fn the_source_page_folds_its_boilerplate_and_lists_its_quotations() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Source:Ferry_strike", FERRY).await;
    let page = app.get("/wiki/Source:Ferry_strike").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.texts("details.boilerplate summary"),
        [
            "Not part of the source: share buttons",
            "Not part of the source: donation appeal"
        ]
    );
    let folded = page.texts("details.boilerplate p").concat();
    assert!(folded.contains("Please donate today."), "{folded}");
    let text = page.texts(".mw-parser-output p").concat();
    assert!(text.contains("Holyhead"), "{text}");
    assert!(
        !text.contains("donate"),
        "the appeal is not in the text: {text}"
    );
    assert_eq!(
        page.texts("#quotations li q"),
        ["Go back with your heads high."]
    );
    assert_eq!(page.texts("#quotations .speaker"), ["Rowan Ash"]);
    // The stored text is unchanged.
    let (markup, _) = crate::api_support::latest(&app, "Source:Ferry_strike").await;
    assert_eq!(markup, FERRY);
    // An ordinary page with the same words folds nothing.
    create(&app, &token, "Newsroom", FERRY).await;
    let plain = app.get("/wiki/Newsroom").await;
    assert!(plain.texts("details.boilerplate").is_empty());
    assert!(plain.texts("#quotations").is_empty());
}
