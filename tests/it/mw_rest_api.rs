//! MediaWiki's REST API page routes under `/w/rest.php/v1` (issue 19): each route and its
//! errors in MediaWiki's shapes, with the API's sessions, roles, protection, hidden revisions,
//! rates and cache headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use plutarch::auth::{ReadAccess, Role};
use plutarch::web::Settings;
use serde_json::{Value, json};

use crate::api_support::{Answer, Call, create, editor, get, post, put, token_for};
use crate::support::{PASSWORD, TestApp};

const BASE: &str = "/w/rest.php/v1";

/// Asserts a MediaWiki REST error with `status` and returns it.
#[track_caller]
fn mw_error(answer: &Answer, status: u16) -> Value {
    assert_eq!(
        answer.status.as_u16(),
        status,
        "status; body: {}",
        String::from_utf8_lossy(&answer.body)
    );
    assert_eq!(
        answer.header(header::CONTENT_TYPE),
        Some("application/json")
    );
    let error = answer.json();
    assert_eq!(error["httpCode"], status, "{error}");
    assert!(
        error["httpReason"].as_str().is_some_and(|r| !r.is_empty()),
        "{error}"
    );
    assert!(
        error["messageTranslations"]["en"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{error}"
    );
    assert!(
        error["errorKey"]
            .as_str()
            .is_some_and(|k| k.starts_with("rest-")),
        "{error}"
    );
    assert!(error.get("type").is_none(), "not a problem: {error}");
    error
}

/// An edit through `/api` (the base is the page's latest revision).
async fn edit(app: &TestApp, token: &str, title: &str, markup: &str) -> i64 {
    let page = get(app, &format!("/api/pages/{title}")).await.ok(200);
    let base = page["revision"]["id"].as_i64().expect("revision");
    let body = json!({"markup": markup, "base_revision": base, "summary": "edit"});
    put(app, token, &format!("/api/pages/{title}"), &body)
        .await
        .ok(200)["revision"]
        .as_i64()
        .expect("revision")
}

#[tokio::test]
async fn a_page_reads_as_source_bare_and_html_in_mediawiki_s_shapes() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(
        &app,
        &token,
        "%C3%89mile_Zola",
        "Lead with [[Ada Lovelace]].\n== Life ==\nBorn.\n",
    )
    .await;

    let page = get(&app, &format!("{BASE}/page/%C3%89mile_Zola"))
        .await
        .ok(200);
    assert_eq!(page["title"], "Émile Zola");
    assert_eq!(page["key"], "Émile_Zola");
    assert_eq!(page["latest"]["id"], first);
    assert!(page["latest"]["timestamp"].is_string());
    assert_eq!(page["content_model"], "wikitext");
    assert!(page["license"].is_object());
    assert_eq!(
        page["source"],
        "Lead with [[Ada Lovelace]].\n== Life ==\nBorn.\n"
    );
    assert!(page["id"].as_i64().is_some_and(|id| id > 0));
    let ids = get(&app, "/api/pages/%C3%89mile_Zola").await.ok(200);
    assert_eq!(page["id"], ids["page_id"], "the page id is the API's");

    let bare = get(&app, &format!("{BASE}/page/%C3%89mile_Zola/bare"))
        .await
        .ok(200);
    assert!(bare.get("source").is_none(), "{bare}");
    assert_eq!(bare["id"], page["id"]);
    let html_url = bare["html_url"].as_str().expect("html_url");
    assert!(
        html_url.ends_with("/w/rest.php/v1/page/%C3%89mile_Zola/html"),
        "{html_url}"
    );

    let html = get(&app, &format!("{BASE}/page/%C3%89mile_Zola/html")).await;
    assert_eq!(html.status, StatusCode::OK);
    assert_eq!(
        html.header(header::CONTENT_TYPE),
        Some("text/html; charset=utf-8")
    );
    let body = String::from_utf8(html.body.clone()).expect("UTF-8");
    assert!(body.starts_with("<!DOCTYPE html>"), "{body}");
    assert!(body.contains("<title>Émile Zola</title>"), "{body}");
    assert!(body.contains("href=\"/wiki/Ada_Lovelace\""), "{body}");
    assert!(body.contains(">Life<"), "{body}");
    assert!(!body.contains("class=\"site\""), "no site frame: {body}");
    assert_eq!(
        html.header(header::ETAG),
        Some(format!("\"r{first}\"").as_str())
    );
    // Anonymous reads are shareable, as `/api` reads are.
    assert!(
        html.header(header::CACHE_CONTROL)
            .is_some_and(|c| c.starts_with("public")),
        "{:?}",
        html.header(header::CACHE_CONTROL)
    );
}

#[tokio::test]
async fn missing_deleted_and_invalid_pages_are_mediawiki_errors() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    create(&app, &token, "Gone_soon", "Text.\n").await;
    Call::new(&app, Method::DELETE, "/api/pages/Gone_soon")
        .token(&admin)
        .send()
        .await;
    for route in ["", "/bare", "/html", "/history"] {
        let missing = get(&app, &format!("{BASE}/page/Nobody_here{route}")).await;
        assert_eq!(
            mw_error(&missing, 404)["errorKey"],
            "rest-page-missing",
            "{route}"
        );
        let gone = get(&app, &format!("{BASE}/page/Gone_soon{route}")).await;
        mw_error(&gone, 410);
        let invalid = get(&app, &format!("{BASE}/page/A%5Bb%5D{route}")).await;
        mw_error(&invalid, 422);
    }
    let unknown = get(&app, &format!("{BASE}/page/Ada_Lovelace?redirect=no")).await;
    let error = mw_error(&unknown, 400);
    assert_eq!(error["unknown_parameters"], json!(["redirect"]));
    mw_error(&get(&app, &format!("{BASE}/nowhere")).await, 404);
    let wrong_method = Call::new(&app, Method::DELETE, &format!("{BASE}/page/Ada_Lovelace"))
        .send()
        .await;
    assert_eq!(wrong_method.status.as_u16(), 405);
    assert_eq!(wrong_method.json()["httpCode"], 405);
}

#[tokio::test]
async fn history_pages_twenty_at_a_time_with_newer_and_older_links() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Busy", "Version 0.\n").await;
    let mut ids = vec![first];
    for n in 1..25 {
        ids.push(edit(&app, &token, "Busy", &format!("Version {n}.\n")).await);
    }
    let newest = get(&app, &format!("{BASE}/page/Busy/history"))
        .await
        .ok(200);
    let shown: Vec<i64> = newest["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = ids.iter().rev().take(20).copied().collect();
    assert_eq!(shown, expected);
    assert!(newest.get("newer").is_none(), "{newest}");
    let top = &newest["revisions"][0];
    assert_eq!(top["comment"], "edit");
    assert_eq!(top["user"]["name"], "editor");
    assert_eq!(top["minor"], false);
    assert_eq!(top["delta"], 0);
    assert!(
        newest["latest"]
            .as_str()
            .unwrap()
            .ends_with("/w/rest.php/v1/page/Busy/history")
    );

    let older = newest["older"].as_str().expect("an older page");
    let path = older
        .split_once("/w/rest.php")
        .map(|(_, p)| format!("/w/rest.php{p}"))
        .unwrap();
    let rest = get(&app, &path).await.ok(200);
    let shown: Vec<i64> = rest["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = ids.iter().rev().skip(20).copied().collect();
    assert_eq!(shown, expected);
    assert!(rest.get("older").is_none(), "{rest}");
    assert_eq!(rest["revisions"][4]["comment"], "new");

    let newer = rest["newer"].as_str().expect("a newer page");
    let path = newer
        .split_once("/w/rest.php")
        .map(|(_, p)| format!("/w/rest.php{p}"))
        .unwrap();
    let back = get(&app, &path).await.ok(200);
    let shown: Vec<i64> = back["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    let expected: Vec<i64> = ids[5..].iter().rev().copied().collect();
    assert_eq!(shown, expected, "the twenty after the older page");
    assert!(back.get("newer").is_none(), "{back}");

    let both = format!("{BASE}/page/Busy/history?older_than=3&newer_than=1");
    mw_error(&get(&app, &both).await, 400);
    mw_error(
        &get(&app, &format!("{BASE}/page/Busy/history?older_than=x")).await,
        400,
    );
}

#[tokio::test]
async fn edits_need_a_base_and_conflicts_are_409_as_in_mediawiki() {
    let app = TestApp::new();
    let token = editor(&app);
    let reader = token_for(&app, "reader", Role::Reader);
    let first = create(
        &app,
        &token,
        "Shared",
        "Lead.\n== A ==\nAlpha.\n== B ==\nBeta.\n",
    )
    .await;
    let path = format!("{BASE}/page/Shared");

    let anonymous = Call::new(&app, Method::PUT, &path)
        .json(&json!({"source": "X.\n", "latest": {"id": first}}))
        .send()
        .await;
    let error = mw_error(&anonymous, 401);
    assert_eq!(error["errorKey"], "rest-unauthorized");
    mw_error(
        &put(
            &app,
            &reader,
            &path,
            &json!({"source": "X.\n", "latest": {"id": first}}),
        )
        .await,
        403,
    );

    // Someone changes section A; an edit of section B from the first revision merges.
    let second = edit(
        &app,
        &token,
        "Shared",
        "Lead.\n== A ==\nAlpha, changed.\n== B ==\nBeta.\n",
    )
    .await;
    let merged = put(
        &app,
        &token,
        &path,
        &json!({"source": "Lead.\n== A ==\nAlpha.\n== B ==\nBeta, mine.\n", "comment": "B", "latest": {"id": first}}),
    )
    .await
    .ok(200);
    assert_eq!(
        merged["source"],
        "Lead.\n== A ==\nAlpha, changed.\n== B ==\nBeta, mine.\n"
    );
    let third = merged["latest"]["id"].as_i64().unwrap();
    assert!(third > second);
    assert_eq!(merged["title"], "Shared");

    // The same section changed on both sides: 409 with the latest revision, nothing saved.
    let conflict = put(
        &app,
        &token,
        &path,
        &json!({"source": "Lead.\n== A ==\nAlpha, mine.\n== B ==\nBeta.\n", "latest": {"id": first}}),
    )
    .await;
    let error = mw_error(&conflict, 409);
    assert_eq!(error["latest_revision"], third);
    // No base on an existing page: 409 too.
    let blind = put(&app, &token, &path, &json!({"source": "Blind.\n"})).await;
    mw_error(&blind, 409);
    let page = get(&app, &path).await.ok(200);
    assert_eq!(page["latest"]["id"], third);

    // Without `latest`, PUT creates a page: 201 with where it is.
    let created = put(
        &app,
        &token,
        &format!("{BASE}/page/Fresh_page"),
        &json!({"source": "New.\n", "comment": "made"}),
    )
    .await;
    let body = created.ok(201);
    assert_eq!(body["title"], "Fresh page");
    assert_eq!(
        created.header(header::LOCATION),
        Some("/w/rest.php/v1/page/Fresh_page")
    );

    let bad_model = put(
        &app,
        &token,
        &path,
        &json!({"source": "X.\n", "latest": {"id": third}, "content_model": "css"}),
    )
    .await;
    mw_error(&bad_model, 400);
    let unknown_field = put(&app, &token, &path, &json!({"text": "X.\n"})).await;
    mw_error(&unknown_field, 400);
    let not_json = Call::new(&app, Method::PUT, &path)
        .token(&token)
        .raw("text/plain", "source=X")
        .send()
        .await;
    mw_error(&not_json, 415);
    // Answers computed for a token are private.
    assert_eq!(
        not_json.header(header::CACHE_CONTROL),
        Some("private, no-store")
    );
}

#[tokio::test]
async fn post_creates_and_refuses_an_existing_page_and_protection_holds() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    let created = post(
        &app,
        &token,
        &format!("{BASE}/page"),
        &json!({"source": "Made here.\n", "title": "Made_by_REST", "comment": "first"}),
    )
    .await;
    let body = created.ok(201);
    assert_eq!(body["title"], "Made by REST");
    assert_eq!(body["source"], "Made here.\n");
    assert_eq!(
        created.header(header::LOCATION),
        Some("/w/rest.php/v1/page/Made_by_REST")
    );
    let history = get(&app, &format!("{BASE}/page/Made_by_REST/history"))
        .await
        .ok(200);
    assert_eq!(history["revisions"][0]["comment"], "first");

    let again = post(
        &app,
        &token,
        &format!("{BASE}/page"),
        &json!({"source": "Again.\n", "title": "Made by REST"}),
    )
    .await;
    mw_error(&again, 409);
    let invalid = post(
        &app,
        &token,
        &format!("{BASE}/page"),
        &json!({"source": "X", "title": "a|b"}),
    )
    .await;
    mw_error(&invalid, 422);

    Call::new(&app, Method::POST, "/api/pages/Made_by_REST/protect")
        .token(&admin)
        .json(&json!({"reason": "vandalism"}))
        .send()
        .await
        .ok(200);
    let latest = body["latest"]["id"].as_i64().unwrap();
    let protected = put(
        &app,
        &token,
        &format!("{BASE}/page/Made_by_REST"),
        &json!({"source": "Changed.\n", "latest": {"id": latest}}),
    )
    .await;
    mw_error(&protected, 403);
    put(
        &app,
        &admin,
        &format!("{BASE}/page/Made_by_REST"),
        &json!({"source": "Changed by an admin.\n", "latest": {"id": latest}}),
    )
    .await
    .ok(200);
}

#[tokio::test]
async fn a_session_writes_with_its_csrf_token_as_token() {
    let app = TestApp::with_roles();
    let mut browser = app.client().signed_in("bob", PASSWORD).await;
    let csrf = browser.sign_out_token().await;
    let write = |token: Option<&str>| {
        let mut body = json!({"source": "By session.\n", "title": "Session page"});
        if let Some(token) = token {
            body["token"] = json!(token);
        }
        Request::post(format!("{BASE}/page"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("request")
    };
    let refused = browser.send(write(None)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("badtoken"), "{}", refused.body);
    let wrong = browser.send(write(Some("not-the-token"))).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let created = browser.send(write(Some(&csrf))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        created.header(header::CACHE_CONTROL),
        Some("private, no-store")
    );
    let history = get(&app, &format!("{BASE}/page/Session_page/history"))
        .await
        .ok(200);
    assert_eq!(history["revisions"][0]["user"]["name"], "bob");

    // A reader's session may not write.
    let mut reader = app.client().signed_in("carol", PASSWORD).await;
    let csrf = reader.sign_out_token().await;
    let refused = reader.send(write(Some(&csrf))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Without a session or token: 401.
    let anonymous = app.send(write(None)).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revisions_read_and_compare_and_hidden_ones_are_for_admins() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    let first = create(&app, &token, "Compared", "One.\n== Part ==\nTwo.\nThree.\n").await;
    let second = edit(
        &app,
        &token,
        "Compared",
        "One.\n== Part ==\nTwo, changed.\nThree.\nFour.\n",
    )
    .await;
    let third = edit(
        &app,
        &token,
        "Compared",
        "One.\n== Part ==\nTwo, changed.\nThree.\nFour.\nFive.\n",
    )
    .await;

    let revision = get(&app, &format!("{BASE}/revision/{second}"))
        .await
        .ok(200);
    assert_eq!(revision["id"], second);
    assert_eq!(revision["page"]["title"], "Compared");
    assert_eq!(revision["page"]["key"], "Compared");
    assert_eq!(
        revision["source"],
        "One.\n== Part ==\nTwo, changed.\nThree.\nFour.\n"
    );
    assert_eq!(revision["comment"], "edit");
    assert_eq!(revision["user"]["name"], "editor");
    assert_eq!(revision["content_model"], "wikitext");
    assert_eq!(revision["delta"], revision["size"].as_i64().unwrap() - 28);
    let bare = get(&app, &format!("{BASE}/revision/{second}/bare"))
        .await
        .ok(200);
    assert!(bare.get("source").is_none());
    assert!(
        bare["html_url"]
            .as_str()
            .unwrap()
            .ends_with("/page/Compared/html")
    );
    mw_error(&get(&app, &format!("{BASE}/revision/999999")).await, 404);
    mw_error(&get(&app, &format!("{BASE}/revision/x")).await, 400);

    let compared = get(&app, &format!("{BASE}/revision/{first}/compare/{second}"))
        .await
        .ok(200);
    assert_eq!(compared["from"]["id"], first);
    assert_eq!(compared["to"]["id"], second);
    assert_eq!(compared["to"]["slot_role"], "main");
    assert_eq!(
        compared["from"]["sections"],
        json!([{"level": 2, "heading": "Part", "offset": 5}])
    );
    let lines: Vec<(i64, Value, String)> = compared["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["type"].as_i64().unwrap(),
                d["lineNumber"].clone(),
                d["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (0, json!(1), "One.".to_owned()),
            (0, json!(2), "== Part ==".to_owned()),
            (2, Value::Null, "Two.".to_owned()),
            (1, json!(3), "Two, changed.".to_owned()),
            (0, json!(4), "Three.".to_owned()),
            (1, json!(5), "Four.".to_owned()),
        ]
    );
    assert_eq!(
        compared["diff"][2]["offset"],
        json!({"from": 16, "to": null})
    );
    assert_eq!(
        compared["diff"][3]["offset"],
        json!({"from": null, "to": 16})
    );
    mw_error(
        &get(&app, &format!("{BASE}/revision/{first}/compare/999999")).await,
        404,
    );

    // Hidden: 403 to everyone but admins, whose answers are not shared.
    post(
        &app,
        &admin,
        &format!("/api/revisions/{second}/hide"),
        &json!({"reason": "privacy"}),
    )
    .await
    .ok(200);
    for path in [
        format!("{BASE}/revision/{second}"),
        format!("{BASE}/revision/{second}/bare"),
        format!("{BASE}/revision/{first}/compare/{second}"),
        format!("{BASE}/revision/{second}/compare/{third}"),
    ] {
        let refused = get(&app, &path).await;
        assert_eq!(
            mw_error(&refused, 403)["errorKey"],
            "rest-revision-hidden",
            "{path}"
        );
        let shown = Call::new(&app, Method::GET, &path)
            .token(&admin)
            .send()
            .await;
        assert_eq!(shown.status, StatusCode::OK, "{path}");
        assert_eq!(
            shown.header(header::CACHE_CONTROL),
            Some("private, no-store")
        );
        // The admin's answer did not reach the anonymous cache.
        mw_error(&get(&app, &path).await, 403);
    }
    let history = get(&app, &format!("{BASE}/page/Compared/history"))
        .await
        .ok(200);
    let hidden = history["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == second)
        .expect("listed");
    assert_eq!(hidden["comment"], Value::Null);
    let as_admin = Call::new(&app, Method::GET, &format!("{BASE}/page/Compared/history"))
        .token(&admin)
        .send()
        .await
        .ok(200);
    assert!(
        as_admin["revisions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == second && r["comment"] == "edit")
    );
}

#[tokio::test]
async fn search_lists_pages_once_with_marked_excerpts() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Zebra_keeper",
        "Lead about zebras.\n== Zebras ==\nMore zebras here.\n",
    )
    .await;
    let found = get(&app, &format!("{BASE}/search/page?q=zebras&limit=10"))
        .await
        .ok(200);
    let pages = found["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 1, "{found}");
    assert_eq!(pages[0]["title"], "Zebra keeper");
    assert_eq!(pages[0]["key"], "Zebra_keeper");
    assert!(pages[0]["id"].as_i64().is_some_and(|id| id > 0));
    assert!(
        pages[0]["excerpt"]
            .as_str()
            .unwrap()
            .contains("<span class=\"searchmatch\">"),
        "{found}"
    );
    assert_eq!(pages[0]["description"], Value::Null);
    let none = get(&app, &format!("{BASE}/search/page?q=qwertyuiop"))
        .await
        .ok(200);
    assert_eq!(none["pages"], json!([]));
    for bad in ["limit=0", "limit=101", "limit=x"] {
        mw_error(
            &get(&app, &format!("{BASE}/search/page?q=zebras&{bad}")).await,
            400,
        );
    }
    mw_error(&get(&app, &format!("{BASE}/search/page")).await, 400);
}

#[tokio::test]
async fn a_private_wiki_and_the_request_rate_answer_in_mediawiki_s_shape() {
    let private = TestApp::with_settings(Settings {
        read_access: ReadAccess::Users,
        ..Settings::default()
    });
    let refused = get(&private, &format!("{BASE}/page/Ada_Lovelace")).await;
    mw_error(&refused, 401);
    let reader = token_for(&private, "reader", Role::Reader);
    Call::new(&private, Method::GET, &format!("{BASE}/page/Ada_Lovelace"))
        .token(&reader)
        .send()
        .await
        .ok(200);

    let limited = TestApp::with_settings(Settings {
        api_rate: std::num::NonZeroU32::new(2),
        ..Settings::default()
    });
    get(&limited, &format!("{BASE}/page/Ada_Lovelace"))
        .await
        .ok(200);
    // The rate is the API's: `/api` and the REST routes count together.
    get(&limited, "/api/pages").await.ok(200);
    let refused = get(&limited, &format!("{BASE}/page/Ada_Lovelace")).await;
    mw_error(&refused, 429);
    assert!(
        refused
            .header(header::RETRY_AFTER)
            .and_then(|s| s.parse::<u64>().ok())
            .is_some_and(|s| s >= 1)
    );
}

#[tokio::test]
async fn every_page_head_names_the_generator_and_the_api() {
    let app = TestApp::new();
    for path in [
        "/",
        "/wiki/Ada_Lovelace",
        "/recent",
        "/wiki/Nobody_at_all",
        "/login",
    ] {
        let page = app.get(path).await;
        assert_eq!(
            page.attrs("meta[name=generator]", "content"),
            ["MediaWiki 1.39.0 (Plutarch)"],
            "{path}"
        );
        assert_eq!(
            page.attrs("link[rel=EditURI][type=\"application/rsd+xml\"]", "href"),
            ["/w/api.php?action=rsd"],
            "{path}"
        );
    }
}
