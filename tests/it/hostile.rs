//! Hostile input through every channel a client controls: markup, titles, summaries, search
//! queries, section keys, revision numbers, sign-in names, error messages. Each must be refused
//! or rendered harmless, and must write nothing it should not.

use axum::http::{Method, StatusCode};
use plutarch::auth::Role;
use serde_json::json;

use crate::api_support::{create, get, token_for};
use crate::deletion::{call, edit, text};
use crate::support::{Client, Page, TestApp};

const PASSWORD: &str = "correct horse battery";

/// Markup and text that try to get script into the page.
const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "[javascript:alert(1) click]",
    "[[javascript:alert(1)|click]]",
    "[ JaVaScRiPt:alert(1) click]",
    "[data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg== click]",
    "[vbscript:msgbox(1) click]",
    "[&#106;avascript:alert(1) click]",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<span onmouseover=\"alert(1)\">hover</span>",
    "\"><script>alert(1)</script>",
    "<scr<script>ipt>alert(1)</script>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<b onclick=alert(1)>bold</b>",
    "{{Infobox person|name=<script>alert(1)</script>|image=javascript:alert(1)}}",
    "<ref name=\"\"><script>alert(1)</script>\">x</ref><references/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!--<script>alert(1)</script>-->",
    "<nowiki><script>alert(1)</script></nowiki>",
];

/// Strings that would break a query built by pasting text into SQL.
const SQL: &[&str] = &[
    "' OR '1'='1",
    "'; DROP TABLE pages; --",
    "\" OR 1=1 --",
    "1; DELETE FROM revisions",
    "Robert'); DROP TABLE users;--",
    "%' AND 1=0 UNION SELECT name, password_hash FROM users --",
    "\\'; --",
];

/// No way for script to run: no `<script>` element (the site uses none), no `on…` attribute,
/// no `javascript:`/`data:`/`vbscript:` URL, no frame.
fn assert_harmless(page: &Page, what: &str) {
    let html = page.html();
    let all = scraper::Selector::parse("*").expect("selector");
    for element in html.select(&all) {
        let name = element.value().name();
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed"),
            "{what}: a <{name}> element got through"
        );
        for (attribute, value) in element.value().attrs() {
            assert!(
                !attribute.to_ascii_lowercase().starts_with("on"),
                "{what}: an event handler {attribute}={value:?} got through"
            );
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if matches!(
                attribute,
                "href" | "src" | "action" | "formaction" | "style"
            ) {
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(
                        !url.starts_with(scheme) && !url.contains(&format!("url({scheme}")),
                        "{what}: a {scheme} URL in {attribute}={value:?}"
                    );
                }
            }
        }
    }
}

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("edna", Role::Editor, PASSWORD);
    app
}

async fn save_page(
    edna: &mut Client<'_>,
    title: &str,
    markup: &str,
    summary: &str,
) -> (StatusCode, String) {
    let form = edna.get(&format!("/wiki/{title}/edit")).await;
    let csrf = form.csrf_of("form.edit");
    let base = form
        .attrs("form.edit input[name=base_revision]", "value")
        .concat();
    let saved = edna
        .post_form(
            &format!("/wiki/{title}/edit"),
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("markup", markup),
                ("summary", summary),
                ("action", "save"),
            ],
        )
        .await;
    (saved.status, saved.body)
}

#[tokio::test]
async fn script_in_markup_and_summaries_never_reaches_a_page() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let all = XSS.join("\n\n");
    let markup = format!("Lead.\n\n{all}\n\n== Section {} ==\n{all}\n", XSS[0]);
    let (status, body) = save_page(&mut edna, "Hostile", &markup, XSS[1]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, body) = save_page(&mut edna, "Hostile", &format!("{markup}More.\n"), XSS[0]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");

    for path in [
        "/wiki/Hostile",
        "/wiki/Hostile/history",
        "/wiki/Hostile/edit",
        "/wiki/Hostile/info",
        "/wiki/Hostile/timeline",
        "/recent",
        "/search?q=alert",
        "/search?q=Section",
        "/pages",
    ] {
        let page = edna.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_harmless(&page, path);
        let anonymous = app.get(path).await;
        assert_harmless(&anonymous, path);
    }
    let history = app.get("/wiki/Hostile/history").await;
    let ids = history.attrs("table.history input[name=to]", "value");
    let diff = app
        .get(&format!("/wiki/Hostile/diff?from={}&to={}", ids[1], ids[0]))
        .await;
    assert_harmless(&diff, "diff");
    let old = app.get(&format!("/wiki/Hostile?revision={}", ids[1])).await;
    assert_harmless(&old, "old revision");

    let csrf = edna.get("/wiki/Hostile/edit").await.csrf_of("form.edit");
    let preview = edna
        .post_form(
            "/wiki/Hostile/edit",
            &[("csrf", &csrf), ("markup", &markup), ("action", "preview")],
        )
        .await;
    assert_harmless(&preview, "preview");
    for feed in ["/recent.atom", "/wiki/Hostile/feed"] {
        let body = app.get(feed).await.body;
        assert!(!body.contains("<script"), "{feed} escapes: {body}");
        assert!(!body.contains("<img"), "{feed} escapes");
    }
    let json = app.get("/api/pages/Hostile/sections/1").await;
    assert_eq!(json.status, StatusCode::OK);
    let html = json.json()["html"].as_str().unwrap_or_default().to_owned();
    let fragment = scraper::Html::parse_fragment(&html);
    let script = scraper::Selector::parse("script, [onerror], [onload], iframe").expect("selector");
    assert_eq!(
        fragment.select(&script).count(),
        0,
        "the API's html: {html}"
    );
}

#[tokio::test]
async fn hostile_titles_search_queries_and_keys_are_refused_or_escaped() {
    let app = app();
    for payload in XSS {
        let encoded =
            percent_encoding::utf8_percent_encode(payload, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        for path in [
            format!("/wiki/{encoded}"),
            format!("/wiki/{encoded}/history"),
            format!("/wiki/Ada_Lovelace/history?section={encoded}"),
            format!("/wiki/Ada_Lovelace/edit?section={encoded}"),
            format!("/search?q={encoded}"),
            format!("/wiki/Ada_Lovelace/diff?from={encoded}&to=1"),
            format!("/login?next={encoded}"),
        ] {
            let page = app.get(&path).await;
            assert!(
                page.status != StatusCode::INTERNAL_SERVER_ERROR,
                "{path}: 500"
            );
            assert_harmless(&page, &path);
        }
    }
}

fn counts(app: &TestApp) -> (i64, i64, i64) {
    app.db
        .read_blocking(|conn| {
            let count = |table: &str| -> Result<i64, plutarch::store::StoreError> {
                Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
            };
            Ok((count("pages")?, count("revisions")?, count("users")?))
        })
        .expect("counts")
}

#[tokio::test]
async fn sql_injection_strings_are_just_text_everywhere() {
    let app = app();
    // Signed in before the failed sign-ins below, which throttle this (socket-less) address.
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let before = counts(&app);
    for payload in SQL {
        let encoded =
            percent_encoding::utf8_percent_encode(payload, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        for path in [
            format!("/wiki/{encoded}"),
            format!("/wiki/Ada_Lovelace?revision={encoded}"),
            format!("/wiki/Ada_Lovelace/history?section={encoded}"),
            format!("/wiki/Ada_Lovelace/history?before={encoded}"),
            format!("/wiki/Ada_Lovelace/diff?from={encoded}&to={encoded}"),
            format!("/search?q={encoded}"),
            format!("/pages?after={encoded}"),
            format!("/wiki/{encoded}/links"),
            format!("/wiki/Category:{encoded}"),
            format!("/api/pages/{encoded}"),
            format!("/api/pages/Ada_Lovelace/sections/{encoded}"),
            format!("/api/search?q={encoded}"),
            format!("/api/pages?cursor={encoded}"),
            format!("/people?place={encoded}&born_after={encoded}"),
            format!("/people?sort={encoded}&category={encoded}&organisation={encoded}"),
            format!("/wiki/{encoded}/info"),
            format!("/wiki/{encoded}/timeline"),
            format!("/api/people?occupation={encoded}&died_before={encoded}"),
            format!("/api/timeline?from={encoded}"),
            format!("/api/pages/{encoded}/facts"),
        ] {
            let page = app.get(&path).await;
            assert!(
                page.status != StatusCode::INTERNAL_SERVER_ERROR,
                "{path}: 500: {}",
                page.body
            );
        }
        let mut anonymous = app.client();
        let refused = anonymous.sign_in(payload, payload).await;
        assert!(
            matches!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY | StatusCode::TOO_MANY_REQUESTS
            ),
            "sign-in as {payload} is refused (or throttled): {}",
            refused.status
        );
    }
    assert_eq!(counts(&app), before, "nothing was written or dropped");
    let markup = SQL.join("\n\n");
    let (status, _) = save_page(&mut edna, "Injection", &markup, SQL[1]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = app.get("/wiki/Injection").await;
    assert!(
        page.body.contains("DROP TABLE pages"),
        "stored and shown as text"
    );
    let (pages, revisions, users) = counts(&app);
    assert_eq!(
        (pages, revisions, users),
        (before.0 + 1, before.1 + 1, before.2)
    );
    let hits = app.get("/search?q=DROP+TABLE").await;
    assert!(
        hits.texts("ol.search-hits li")
            .concat()
            .contains("Injection")
    );
}

#[tokio::test]
async fn hostile_user_names_are_refused_and_existing_odd_ones_are_escaped() {
    let app = app();
    for name in [
        "<script>alert(1)</script>",
        "a\"onmouseover=\"x",
        "../../etc/passwd",
        "",
    ] {
        let added = plutarch::auth::add_user(&app.db, None, name, Role::Editor, PASSWORD);
        assert!(added.is_err(), "{name:?} refused as a user name");
    }
    let before = counts(&app);
    let mut anonymous = app.client();
    let page = anonymous.sign_in("<script>alert(1)</script>", "x").await;
    assert_harmless(&page, "sign-in form after a failed attempt");
    assert!(!page.body.contains("<script>alert(1)"));
    assert_eq!(counts(&app).0, before.0);
}

#[tokio::test]
async fn a_nul_in_markup_is_stored_and_rendered_as_the_replacement_character() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let markup = "Before\0after.\n== Nul\0head ==\n{|\n| a\0 || b\n|}\n";
    let (status, body) = save_page(&mut edna, "Nul", markup, "nul").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let page = app.get("/wiki/Nul").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains('\0'), "a NUL reached the page");
    assert!(page.body.contains("Before\u{FFFD}after."), "{}", page.body);
    assert!(page.body.contains("Nul\u{FFFD}head"));
    // What is stored is clean too: the edit form shows the text as saved.
    let form = edna.get("/wiki/Nul/edit").await;
    assert!(!form.body.contains('\0'));
    assert!(form.body.contains("Before\u{FFFD}after."));

    // A preview renders the same, and saves nothing.
    let csrf = form.csrf_of("form.edit");
    let base = form
        .attrs("form.edit input[name=base_revision]", "value")
        .concat();
    let preview = edna
        .post_form(
            "/wiki/Nul/edit",
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("markup", "Preview\0d."),
                ("summary", ""),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(!preview.body.contains('\0'));
    assert!(preview.body.contains("Preview\u{FFFD}d."));
}

/// Issue 18: reading a deleted page's old revisions by id (API and HTML) is for admins only.
#[tokio::test]
async fn a_deleted_pages_revisions_diffs_and_history_by_id_are_for_admins_only() {
    let app = TestApp::with_roles();
    let editor = token_for(&app, "edna", Role::Editor);
    let admin = plutarch::auth::create_api_token(&app.db, "alice", "test").expect("token");
    let first = create(&app, &editor, "Quill", "Lead.\n== Address ==\nSECRET ONE\n").await;
    let second = edit(
        &app,
        &editor,
        "Quill",
        first,
        "Lead.\n== Address ==\nSECRET TWO\n",
    )
    .await;
    call(&app, Method::DELETE, "/api/pages/Quill", Some(&admin)).await;

    let by_id = [
        format!("/api/revisions/{first}"),
        format!("/api/revisions/{second}"),
        format!("/api/diff?from={first}&to={second}"),
    ];
    for path in &by_id {
        for token in [None, Some(editor.as_str())] {
            let answer = call(&app, Method::GET, path, token).await;
            answer.problem(403);
            assert!(!text(&answer).contains("SECRET"), "{path}");
        }
        let answer = call(&app, Method::GET, path, Some(&admin)).await.ok(200);
        assert!(answer.to_string().contains("SECRET"), "{path}: {answer}");
    }
    let revision = call(&app, Method::GET, &by_id[0], Some(&admin))
        .await
        .ok(200);
    assert_eq!(
        revision["title"], "Quill",
        "the title it had, not its archive key"
    );

    // HTML: the diff withholds the text from anyone but admins; the history and old
    // revisions read as the deleted page.
    let diff = format!("/wiki/Quill/diff?from={first}&to={second}");
    let shown = app.get(&diff).await;
    assert!(!shown.body.contains("SECRET"), "{}", shown.body);
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    assert!(!bob.get(&diff).await.body.contains("SECRET"));
    let mut alice = app.client().signed_in("alice", PASSWORD).await;
    let shown = alice.get(&diff).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("SECRET"), "{}", shown.body);
    for path in [
        "/wiki/Quill/history".to_owned(),
        format!("/wiki/Quill?revision={first}"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("SECRET"), "{path}");
    }
    // Nor do recent changes, search or the page list show it.
    assert!(!app.get("/recent").await.body.contains("Quill"));
    let hits = get(&app, "/api/search?q=SECRET").await.ok(200);
    assert_eq!(hits["hits"], json!([]));
}
