//! The Action API modules `parse`, `compare` and `rsd` at `/w/api.php` (issue 19): MediaWiki's
//! shapes in format versions 1 and 2, its section numbering, its error codes (HTTP 200), and
//! hidden revisions for admins only.

use axum::http::{Method, StatusCode, header};
use plutarch::auth::Role;
use serde_json::{Value, json};

use crate::api_support::{Answer, Call, create, editor, get, post, put, token_for};
use crate::support::TestApp;

/// Asserts an Action API error with `code` (answered with HTTP 200, as MediaWiki does).
#[track_caller]
fn mw_code(answer: &Answer, code: &str) -> Value {
    assert_eq!(
        answer.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let body = answer.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["info"]
            .as_str()
            .is_some_and(|i| !i.is_empty()),
        "{body}"
    );
    assert_eq!(
        answer.header("mediawiki-api-error".parse().unwrap()),
        Some(code)
    );
    body
}

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

const TITLED: &str = "= Grace Hopper =\nLead with [[Ada Lovelace]] and [[Nowhere Land]].\n[[Category:Admirals]]\n== Navy ==\nJoined.\n=== Ships ===\nMany.\n== Code ==\nCOBOL.\n";

#[tokio::test]
async fn parse_renders_a_page_in_both_format_versions() {
    let app = TestApp::new();
    let token = editor(&app);
    let revision = create(&app, &token, "Grace_Hopper", TITLED).await;

    let v2 = get(
        &app,
        "/w/api.php?action=parse&page=Grace_Hopper&format=json&formatversion=2",
    )
    .await;
    assert_eq!(v2.status, StatusCode::OK);
    let parse = &v2.json()["parse"];
    assert_eq!(parse["title"], "Grace Hopper");
    assert_eq!(parse["revid"], revision);
    assert!(parse["pageid"].as_i64().is_some_and(|id| id > 0));
    let text = parse["text"].as_str().expect("a string in version 2");
    assert!(
        text.starts_with("<div class=\"mw-parser-output\">"),
        "{text}"
    );
    assert!(text.contains("href=\"/wiki/Ada_Lovelace\""), "{text}");
    assert!(text.contains(">COBOL."), "{text}");
    assert_eq!(
        parse["categories"],
        json!([{"sortkey": "", "category": "Admirals"}])
    );
    let links = parse["links"].as_array().expect("links");
    assert!(
        links.contains(&json!({"ns": 0, "title": "Ada Lovelace", "exists": true})),
        "{links:?}"
    );
    assert!(
        links.contains(&json!({"ns": 0, "title": "Nowhere Land", "exists": false})),
        "{links:?}"
    );
    // The `= Title =` line is section 1, as in MediaWiki.
    let sections: Vec<(String, String, String)> = parse["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["line"].as_str().unwrap().to_owned(),
                s["index"].as_str().unwrap().to_owned(),
                s["level"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        sections,
        [
            ("Grace Hopper".into(), "1".into(), "1".into()),
            ("Navy".into(), "2".into(), "2".into()),
            ("Ships".into(), "3".into(), "3".into()),
            ("Code".into(), "4".into(), "2".into()),
        ]
    );

    let v1 = get(
        &app,
        "/w/api.php?action=parse&page=Grace_Hopper&format=json&prop=text|categories|links",
    )
    .await;
    let parse = &v1.json()["parse"];
    assert!(
        parse["text"]["*"]
            .as_str()
            .is_some_and(|t| t.contains("COBOL")),
        "{parse}"
    );
    assert_eq!(
        parse["categories"],
        json!([{"sortkey": "", "*": "Admirals"}])
    );
    let links = parse["links"].as_array().unwrap();
    assert!(
        links.contains(&json!({"ns": 0, "exists": "", "*": "Ada Lovelace"})),
        "{links:?}"
    );
    assert!(
        links.contains(&json!({"ns": 0, "*": "Nowhere Land"})),
        "{links:?}"
    );
    assert!(
        parse.get("sections").is_none(),
        "only the props asked for: {parse}"
    );
    assert!(parse.get("revid").is_none());
}

#[tokio::test]
async fn parse_renders_one_section_by_mediawiki_s_number_and_reads_old_revisions() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Grace_Hopper", TITLED).await;
    edit(
        &app,
        &token,
        "Grace_Hopper",
        &TITLED.replace("COBOL.", "FLOW-MATIC."),
    )
    .await;

    let navy = get(
        &app,
        "/w/api.php?action=parse&page=Grace_Hopper&section=2&prop=text|wikitext&formatversion=2",
    )
    .await;
    let parse = &navy.json()["parse"];
    let text = parse["text"].as_str().unwrap();
    assert!(text.contains("Joined.") && text.contains("Many."), "{text}");
    assert!(!text.contains("FLOW-MATIC"), "{text}");
    assert_eq!(
        parse["wikitext"],
        "== Navy ==\nJoined.\n=== Ships ===\nMany.\n"
    );
    let whole = get(
        &app,
        "/w/api.php?action=parse&page=Grace_Hopper&section=1&prop=wikitext&formatversion=2",
    )
    .await;
    assert_eq!(
        whole.json()["parse"]["wikitext"],
        TITLED.replace("COBOL.", "FLOW-MATIC.")
    );
    mw_code(
        &get(&app, "/w/api.php?action=parse&page=Grace_Hopper&section=9").await,
        "nosuchsection",
    );

    let old = get(
        &app,
        &format!("/w/api.php?action=parse&oldid={first}&prop=text|revid&formatversion=2"),
    )
    .await;
    let parse = &old.json()["parse"];
    assert_eq!(parse["revid"], first);
    assert!(parse["text"].as_str().unwrap().contains("COBOL."));
}

#[tokio::test]
async fn parse_and_compare_refuse_as_mediawiki_does() {
    let app = TestApp::new();
    let token = editor(&app);
    let admin = token_for(&app, "boss", Role::Admin);
    let first = create(&app, &token, "Kept", "Secret.\n").await;
    let second = edit(&app, &token, "Kept", "Public.\n").await;
    mw_code(
        &get(&app, "/w/api.php?action=parse&page=Nobody_here").await,
        "missingtitle",
    );
    mw_code(
        &get(&app, "/w/api.php?action=parse&page=a%7Cb").await,
        "invalidtitle",
    );
    mw_code(&get(&app, "/w/api.php?action=parse").await, "missingparam");
    mw_code(
        &get(&app, "/w/api.php?action=parse&page=Kept&oldid=1").await,
        "invalidparammix",
    );
    mw_code(
        &get(&app, "/w/api.php?action=parse&oldid=999999").await,
        "nosuchrevid",
    );
    mw_code(
        &get(&app, "/w/api.php?action=parse&oldid=x").await,
        "badinteger",
    );
    mw_code(
        &get(&app, "/w/api.php?action=compare&fromrev=1").await,
        "missingparam",
    );
    mw_code(
        &get(&app, "/w/api.php?action=frobnicate").await,
        "unknown_action",
    );

    post(
        &app,
        &admin,
        &format!("/api/revisions/{first}/hide"),
        &json!({}),
    )
    .await
    .ok(200);
    let parse_hidden = format!("/w/api.php?action=parse&oldid={first}");
    let compare_hidden = format!("/w/api.php?action=compare&fromrev={first}&torev={second}");
    for path in [&parse_hidden, &compare_hidden] {
        mw_code(&get(&app, path).await, "permissiondenied");
        let shown = Call::new(&app, Method::GET, path)
            .token(&admin)
            .send()
            .await;
        let body = shown.json();
        assert!(body.get("error").is_none(), "{path}: {body}");
        assert_eq!(
            shown.header(header::CACHE_CONTROL),
            Some("private, no-store")
        );
    }
    let bad_token = Call::new(&app, Method::GET, &parse_hidden)
        .token("plt_not_a_token")
        .send()
        .await;
    mw_code(&bad_token, "mwoauth-invalid-authorization");
}

#[tokio::test]
async fn compare_answers_mediawiki_s_diff_table() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(
        &app,
        &token,
        "Ada_Notes",
        "Ada was born.\nShe wrote notes.\n",
    )
    .await;
    let second = edit(
        &app,
        &token,
        "Ada_Notes",
        "Ada was born in London.\nShe wrote notes.\n",
    )
    .await;
    let other = create(&app, &token, "Other_notes", "Something else.\n").await;

    let v2 = get(
        &app,
        &format!("/w/api.php?action=compare&fromrev={first}&torev={second}&formatversion=2"),
    )
    .await;
    let compare = &v2.json()["compare"];
    assert_eq!(compare["fromrevid"], first);
    assert_eq!(compare["torevid"], second);
    assert_eq!(compare["fromtitle"], "Ada Notes");
    assert_eq!(compare["tons"], 0);
    let body = compare["body"].as_str().expect("body");
    assert!(
        body.contains("<td colspan=\"2\" class=\"diff-lineno\">Line 1:</td>"),
        "{body}"
    );
    assert!(
        body.contains("class=\"diff-deletedline diff-side-deleted\""),
        "{body}"
    );
    assert!(
        body.contains("<ins class=\"diffchange diffchange-inline\">"),
        "{body}"
    );
    assert!(
        body.contains("class=\"diff-context diff-side-added\"><div>She wrote notes.</div>"),
        "{body}"
    );

    let v1 = get(
        &app,
        &format!("/w/api.php?action=compare&fromrev={first}&torelative=cur"),
    )
    .await;
    let compare = &v1.json()["compare"];
    assert_eq!(compare["torevid"], second);
    assert!(compare["*"].as_str().is_some_and(|b| b.contains("London")));
    let prev = get(
        &app,
        &format!("/w/api.php?action=compare&fromrev={second}&torelative=prev&formatversion=2"),
    )
    .await;
    assert_eq!(prev.json()["compare"]["torevid"], first);
    let titles = get(
        &app,
        "/w/api.php?action=compare&fromtitle=Ada_Notes&totitle=Other_notes&formatversion=2",
    )
    .await;
    let compare = &titles.json()["compare"];
    assert_eq!(compare["fromrevid"], second);
    assert_eq!(compare["torevid"], other);
    assert_eq!(compare["totitle"], "Other notes");
    mw_code(
        &get(
            &app,
            &format!("/w/api.php?action=compare&fromrev={first}&torelative=prev"),
        )
        .await,
        "baddiff",
    );
}

#[tokio::test]
async fn rsd_points_at_the_api() {
    let app = TestApp::new();
    let rsd = get(&app, "/w/api.php?action=rsd").await;
    assert_eq!(rsd.status, StatusCode::OK);
    assert_eq!(
        rsd.header(header::CONTENT_TYPE),
        Some("text/xml; charset=utf-8")
    );
    let body = String::from_utf8(rsd.body.clone()).unwrap();
    assert!(
        body.contains("apiLink=\"http://localhost/w/api.php\""),
        "{body}"
    );
    assert!(
        body.contains("<engineName>MediaWiki</engineName>"),
        "{body}"
    );
    // A form post works too, as MediaWiki's clients send it.
    let posted = Call::new(&app, Method::POST, "/w/api.php")
        .raw(
            "application/x-www-form-urlencoded",
            "action=parse&page=Ada_Lovelace&prop=revid&format=json",
        )
        .send()
        .await;
    assert!(posted.json()["parse"]["revid"].as_i64().is_some());
}
