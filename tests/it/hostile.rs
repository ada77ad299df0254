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
        "/user/edna",
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
            format!("/api/pages/{encoded}/mentions"),
            format!("/api/pages/{encoded}/citations"),
            format!("/api/sources/{encoded}"),
            format!("/api/sources/Source:{encoded}"),
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

/// Values no parameter should choke on, percent-encoded as they go in a URL: NULs, a lone
/// surrogate, overlong and broken UTF-8, broken escapes, 10,000 operators, and the longest
/// value a URL can carry (a URI past 64 KiB is refused by hyper before the router sees it, so a
/// 1 MB query never reaches a handler; 60,000 bytes is the most one can).
fn hostile_values() -> Vec<(&'static str, String)> {
    vec![
        ("NUL", "%00".to_owned()),
        ("NUL inside", "a%00b".to_owned()),
        ("lone surrogate", "%ED%A0%80".to_owned()),
        ("surrogate pair as two", "%ED%A0%BD%ED%B8%80".to_owned()),
        ("overlong slash", "%C0%AF".to_owned()),
        ("overlong three bytes", "%E0%80%AF".to_owned()),
        ("overlong four bytes", "%F0%80%80%AF".to_owned()),
        ("not UTF-8", "%FF%FE".to_owned()),
        ("cut short", "%C3".to_owned()),
        ("bad escape", "%zz%".to_owned()),
        ("negative", "-1".to_owned()),
        ("huge number", "99999999999999999999999999".to_owned()),
        ("10,000 ORs", "a+OR+".repeat(10_000)),
        ("10,000 NOTs", "NOT+".repeat(10_000)),
        ("10,000 quotes", "%22".repeat(10_000)),
        ("10,000 parentheses", "(".repeat(10_000)),
        ("10,000 stars", "*".repeat(10_000)),
        ("10,000 minuses", "-".repeat(10_000)),
        ("60,000 bytes", "a".repeat(60_000)),
        ("60,000 bytes of é", "%C3%A9".repeat(10_000)),
    ]
}

/// Every HTML route, with a sample path and the query parameters its handler reads. The test
/// checks that this list names every `.route(` of `src/web/mod.rs`.
const HTML_ROUTES: &[(&str, &str, &[&str])] = &[
    ("/", "/", &[]),
    (
        "/wiki/{title}",
        "/wiki/{title}",
        &["revision", "redirect", "saved"],
    ),
    (
        "/wiki/{title}/edit",
        "/wiki/{title}/edit",
        &["section", "draft", "preload"],
    ),
    ("/wiki/{title}/undo", "/wiki/{title}/undo", &["revision"]),
    ("/new-biography", "/new-biography", &["title"]),
    (
        "/wiki/{title}/history",
        "/wiki/{title}/history",
        &["section", "before"],
    ),
    ("/wiki/{title}/diff", "/wiki/{title}/diff", &["from", "to"]),
    ("/wiki/{title}/revert", "/wiki/{title}/revert", &["to"]),
    ("/wiki/{title}/protect", "/wiki/{title}/protect", &[]),
    ("/wiki/{title}/hide", "/wiki/{title}/hide", &[]),
    ("/wiki/{title}/move", "/wiki/{title}/move", &[]),
    ("/wiki/{title}/delete", "/wiki/{title}/delete", &[]),
    ("/wiki/{title}/undelete", "/wiki/{title}/undelete", &[]),
    ("/wiki/{title}/source", "/wiki/{title}/source", &[]),
    ("/wiki/{title}/links", "/wiki/{title}/links", &[]),
    ("/wiki/{title}/topic", "/wiki/{title}/topic", &[]),
    ("/wiki/{title}/watch", "/wiki/{title}/watch", &["section"]),
    ("/user/{name}", "/user/{title}", &["before"]),
    ("/watchlist", "/watchlist", &["before"]),
    ("/watchlist/feed", "/watchlist/feed", &[]),
    ("/watchlist.atom", "/watchlist.atom", &["token"]),
    ("/account", "/account", &["done"]),
    ("/account/password", "/account/password", &[]),
    ("/account/sessions/end", "/account/sessions/end", &[]),
    ("/account/tokens/revoke", "/account/tokens/revoke", &[]),
    (
        "/account/sign-out-everywhere",
        "/account/sign-out-everywhere",
        &[],
    ),
    ("/wiki/{title}/feed", "/wiki/{title}/feed", &["section"]),
    ("/wiki/{title}/info", "/wiki/{title}/info", &[]),
    (
        "/wiki/{title}/timeline",
        "/wiki/{title}/timeline",
        &["offset"],
    ),
    ("/search", "/search", &["q", "offset"]),
    ("/recent", "/recent", &["before"]),
    ("/recent.atom", "/recent.atom", &[]),
    ("/pages", "/pages", &["after"]),
    (
        "/people",
        "/people",
        &[
            "born_after",
            "born_before",
            "died_after",
            "died_before",
            "alive",
            "place",
            "occupation",
            "organisation",
            "category",
            "sort",
            "offset",
        ],
    ),
    ("/timeline", "/timeline", &["after"]),
    ("/healthz", "/healthz", &[]),
    ("/upload", "/upload", &["name", "base"]),
    ("/revert-file", "/revert-file", &["name", "version"]),
    ("/file/{title}", "/file/{title}", &["version"]),
    ("/thumb/{width}/{title}", "/thumb/250/{title}", &["v"]),
    ("/static/style.css", "/static/style.css", &[]),
    ("/login", "/login", &["next"]),
    ("/logout", "/logout", &[]),
    ("/admin/log", "/admin/log", &["before"]),
    ("/admin/jobs", "/admin/jobs", &[]),
    ("/admin/users", "/admin/users", &["done"]),
    ("/admin/users/role", "/admin/users/role", &[]),
    ("/admin/users/add", "/admin/users/add", &[]),
    ("/problems/{kind}", "/problems/{title}", &[]),
    ("/w/api.php", "/w/api.php", ACTION_API_PARAMETERS),
    ("/api.php", "/api.php", ACTION_API_PARAMETERS),
];

/// The Action API's parameters tried with hostile values (at `/w/api.php` and `/api.php`).
const ACTION_API_PARAMETERS: &[&str] = &[
    "action",
    "page",
    "pageid",
    "oldid",
    "prop",
    "section",
    "formatversion",
    "fromrev",
    "torev",
    "fromtitle",
    "totitle",
    "fromid",
    "toid",
    "torelative",
];

/// The quoted first argument of each `.route(` in `source`.
fn routes_in(source: &str) -> Vec<String> {
    source
        .split(".route(")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix('"'))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

/// One request to try: method, the path with `{…}` segments filled, query, what it is.
struct Probe {
    method: &'static str,
    uri: String,
    what: String,
}

/// Every (route, parameter, hostile value) request, HTML and API alike.
fn probes(openapi: &serde_json::Value) -> Vec<Probe> {
    let sample = |template: &str| {
        template
            .replace("{title}", "Ada_Lovelace")
            .replace("{key}", "1")
            .replace("{id}", "1")
            .replace("{from}", "1")
            .replace("{to}", "2")
    };
    let mut routes: Vec<(Vec<&'static str>, String, Vec<String>)> = HTML_ROUTES
        .iter()
        .map(|(_, template, query)| {
            let methods = vec!["GET", "POST"];
            let query = query.iter().map(|q| (*q).to_owned()).collect();
            (methods, (*template).to_owned(), query)
        })
        .collect();
    for (template, item) in openapi["paths"].as_object().expect("paths") {
        let item = item.as_object().expect("path item");
        let methods: Vec<&'static str> = ["get", "put", "post", "delete", "patch"]
            .into_iter()
            .filter(|m| item.contains_key(*m))
            .map(|m| match m {
                "get" => "GET",
                "put" => "PUT",
                "post" => "POST",
                "patch" => "PATCH",
                _ => "DELETE",
            })
            .collect();
        let mut query = Vec::new();
        for (key, operation) in item {
            let list = if key == "parameters" {
                operation
            } else {
                &operation["parameters"]
            };
            for p in list.as_array().into_iter().flatten() {
                let name = p["name"].as_str().expect("name").to_owned();
                if p["in"] == "query" && !query.contains(&name) {
                    query.push(name);
                }
            }
        }
        routes.push((methods, template.clone(), query));
    }
    let mut probes = Vec::new();
    for (what, value) in hostile_values() {
        for (methods, template, query) in &routes {
            for &method in methods {
                for segment in ["{title}", "{key}", "{id}", "{from}", "{to}"] {
                    if template.contains(segment) {
                        probes.push(Probe {
                            method,
                            uri: sample(&template.replace(segment, &value)),
                            what: format!("{method} {template} {segment}: {what}"),
                        });
                    }
                }
                for name in query {
                    probes.push(Probe {
                        method,
                        uri: format!("{}?{name}={value}", sample(template)),
                        what: format!("{method} {template}?{name}: {what}"),
                    });
                }
            }
        }
    }
    probes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hostile_value_in_any_parameter_of_any_route_is_a_server_error() {
    let listed: Vec<&str> = HTML_ROUTES.iter().map(|(route, _, _)| *route).collect();
    for route in routes_in(include_str!("../../src/web/mod.rs")) {
        assert!(
            listed.contains(&route.as_str()),
            "{route} is not tried here"
        );
    }
    let app = app();
    app.add_user("root", Role::Admin, PASSWORD);
    let openapi = app.get("/api/openapi.json").await.json();
    for route in routes_in(include_str!("../../src/web/api/mod.rs")) {
        let path = format!("/api{route}");
        assert!(
            openapi["paths"].get(&path).is_some(),
            "{path} is not documented"
        );
    }
    // MediaWiki's REST routes (issue 19) are documented too.
    for route in routes_in(include_str!("../../src/web/api/rest/mod.rs")) {
        let path = format!("/w/rest.php/v1{route}");
        assert!(
            openapi["paths"].get(&path).is_some(),
            "{path} is not documented"
        );
    }
    let token = plutarch::auth::create_api_token(&app.db, "root", "hostile").expect("token");
    let mut root = app.client().signed_in("root", PASSWORD).await;
    let cookies = root.get("/login").await;
    assert_eq!(cookies.status, StatusCode::OK);
    let probes = probes(&openapi);
    assert!(probes.len() > 1000, "{} probes", probes.len());
    let mut tried = 0;
    for probe in &probes {
        for signed_in in [false, true] {
            let mut request = axum::http::Request::builder()
                .method(probe.method)
                .uri(&probe.uri);
            if signed_in {
                request = request.header("authorization", format!("Bearer {token}"));
            }
            let request = request
                .body(axum::body::Body::empty())
                .unwrap_or_else(|e| panic!("{}: {e}", probe.what));
            let page = if signed_in {
                root.send(request).await
            } else {
                app.send(request).await
            };
            assert!(
                !page.status.is_server_error(),
                "{} ({}): {} {}",
                probe.what,
                if signed_in { "admin" } else { "anonymous" },
                page.status,
                page.body.chars().take(300).collect::<String>()
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 2 * probes.len());
}

#[tokio::test]
async fn titles_with_invisible_characters_are_refused_and_old_ones_are_listed_for_admins() {
    use crate::api_support::{create, editor, post, put};
    let app = app();
    let token = editor(&app);
    // Regression: `K`, U+200B, `hidden` looked exactly like `Khidden` and was a page of its own.
    for hidden in [
        "K%E2%80%8Bhidden",
        "Evil%E2%80%AEtxt",
        "%EF%BB%BFBom",
        "Line%E2%80%A8break",
    ] {
        let body = serde_json::json!({"markup": "Text."});
        let answer = put(&app, &token, &format!("/api/pages/{hidden}"), &body).await;
        let problem = answer.problem(422);
        assert!(
            problem["detail"].as_str().unwrap().contains("invisible"),
            "{problem}"
        );
    }
    create(&app, &token, "Plain", "Text.").await;
    let answer = post(
        &app,
        &token,
        "/api/pages/Plain/move",
        &serde_json::json!({"to": "Pla\u{200B}in"}),
    )
    .await;
    answer.problem(422);

    // A page made before the rule: the start-up check and the admins' audit log list it, and
    // it can still be read and moved.
    create(&app, &token, "Khidden_seed", "Seeded.").await;
    app.db
        .write_blocking(|conn| {
            let page = plutarch::store::pages::by_title(conn, "Khidden seed")?.expect("page");
            plutarch::store::pages::rename(conn, page.id, "K\u{200B}hidden")
        })
        .expect("rename");
    let checked = plutarch::wiki::backfill_all(&app.db).expect("start-up check");
    assert_eq!(checked.invisible_titles, ["K\u{200B}hidden"]);
    app.add_user("root", Role::Admin, PASSWORD);
    let mut root = app.client().signed_in("root", PASSWORD).await;
    let log = root.get("/admin/log").await;
    assert_eq!(log.texts(".invisible-titles li code"), ["K<U+200B>hidden"]);
    let move_link = log.attrs(".invisible-titles li a", "href").concat();
    assert_eq!(move_link, "/wiki/K%E2%80%8Bhidden/move");
    assert_eq!(root.get(&move_link).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/wiki/K%E2%80%8Bhidden").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn hostile_source_metadata_is_refused_or_shown_as_text() {
    let app = app();
    let token = token_for(&app, "srcedit", Role::Editor);
    let all = XSS.join("\n\n");
    create(
        &app,
        &token,
        "Source:Hostile_source",
        &format!("Headline\n\n{all}\n"),
    )
    .await;
    for (i, payload) in XSS.iter().enumerate() {
        let answer = crate::api_support::Call::new(
            &app,
            Method::PATCH,
            "/api/sources/Source:Hostile_source",
        )
        .token(&token)
        .json(&json!({"publisher": payload, "kind": "blog"}))
        .send()
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{payload}");
        let refused = crate::api_support::Call::new(
            &app,
            Method::PATCH,
            "/api/sources/Source:Hostile_source",
        )
        .token(&token)
        .json(&json!({"url": payload, "date": payload}))
        .send()
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{payload}"
        );
        if i % 7 == 0 {
            let page = app.get("/wiki/Source:Hostile_source").await;
            assert_harmless(&page, payload);
            let read = get(&app, "/api/sources/Source:Hostile_source")
                .await
                .ok(200);
            assert_eq!(read["publisher"].as_str(), Some(payload.trim()));
        }
    }
}

/// MediaWiki's Action API (issue 19): unknown actions, hostile parameter values, bad tokens
/// and oversize bodies are answered (errors in MediaWiki's shape, or 413), never a 500, and
/// write nothing.
#[tokio::test]
async fn the_action_api_refuses_hostile_requests_in_mediawikis_shape() {
    let app = app();
    let before = counts(&app);
    let mut client = app.client();
    for (what, value) in hostile_values() {
        // A URL cannot be that long (the oversize body below is the long value's test).
        if value.len() > 16 * 1024 {
            continue;
        }
        for query in [
            format!("action={value}&format=json"),
            format!("action=query&titles={value}&prop=info|revisions&rvprop=content&format=json"),
            format!("action=query&list=search&srsearch={value}&format=json"),
            format!("action=query&list=allpages&apfrom={value}&aplimit={value}&format=json"),
            format!("action=query&prop=revisions&revids={value}&rvsection={value}&format=json"),
            format!("action=query&meta=tokens&type={value}&format=json"),
            format!("action=paraminfo&modules={value}&format=json"),
        ] {
            let page = client.get(&format!("/w/api.php?{query}")).await;
            assert!(
                page.status == StatusCode::OK || page.status == StatusCode::BAD_REQUEST,
                "{what}: {query}: {}",
                page.status
            );
            if page.status == StatusCode::OK {
                let answer = page.json();
                assert!(answer.is_object(), "{what}: {query}");
            }
        }
        let page = client
            .post_form(
                "/w/api.php",
                &[
                    ("action", "edit"),
                    ("title", &value),
                    ("text", "x"),
                    ("token", &value),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::OK, "{what}");
        assert_eq!(page.json()["error"]["code"], "badtoken", "{what}");
    }
    let page = client.get("/w/api.php?action=frobnicate&format=json").await;
    assert_eq!(page.json()["error"]["code"], "unknown_action");
    let huge = "x".repeat(plutarch::wiki::DEFAULT_MAX_PAGE_BYTES * 4);
    let page = client
        .post_form("/w/api.php", &[("action", "edit"), ("text", &huge)])
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    let many: String = (0..300).map(|i| format!("p{i}=1&")).collect();
    let page = client.get(&format!("/w/api.php?{many}action=query")).await;
    assert_eq!(page.json()["error"]["code"], "toomanyparams");
    assert_eq!(counts(&app), before, "nothing was written");
}
