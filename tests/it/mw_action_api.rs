//! MediaWiki's Action API at /w/api.php (issue 19): each module and error code, over the real
//! router, as mwclient and pywikibot call it.

use axum::body::Body;
use axum::http::{Request, header};
use serde_json::Value;

use crate::support::{Client, PASSWORD, TestApp, form_body};

/// `GET /w/api.php?QUERY`, as JSON.
async fn get(client: &mut Client<'_>, query: &str) -> Value {
    let page = client.get(&format!("/w/api.php?{query}")).await;
    assert_eq!(page.status, 200, "{query}: {}", page.body);
    assert_eq!(
        page.header(header::CACHE_CONTROL),
        Some("private, no-store"),
        "{query}"
    );
    page.json()
}

/// `POST /w/api.php` with a form, as JSON.
async fn post(client: &mut Client<'_>, fields: &[(&str, &str)]) -> Value {
    let page = client.post_form("/w/api.php", fields).await;
    assert_eq!(page.status, 200, "{fields:?}: {}", page.body);
    page.json()
}

fn code(answer: &Value) -> &str {
    answer["error"]["code"].as_str().unwrap_or("")
}

/// Signs `client` in through action=login, with a password or a bot password.
async fn login(client: &mut Client<'_>, name: &str, password: &str) -> Value {
    let tokens = get(client, "action=query&meta=tokens&type=login&format=json").await;
    let token = tokens["query"]["tokens"]["logintoken"]
        .as_str()
        .expect("login token")
        .to_owned();
    assert!(token.ends_with("+\\"), "{token}");
    post(
        client,
        &[
            ("action", "login"),
            ("lgname", name),
            ("lgpassword", password),
            ("lgtoken", &token),
            ("format", "json"),
        ],
    )
    .await
}

async fn csrf(client: &mut Client<'_>) -> String {
    let tokens = get(client, "action=query&meta=tokens&format=json").await;
    tokens["query"]["tokens"]["csrftoken"]
        .as_str()
        .expect("csrf token")
        .to_owned()
}

async fn edit(client: &mut Client<'_>, fields: &[(&str, &str)]) -> Value {
    let token = csrf(client).await;
    let mut all = vec![
        ("action", "edit"),
        ("format", "json"),
        ("token", token.as_str()),
    ];
    all.extend_from_slice(fields);
    post(client, &all).await
}

#[tokio::test]
async fn siteinfo_says_mediawiki_with_its_namespaces_in_both_format_versions() {
    let app = TestApp::new();
    let mut client = app.client();
    let v1 = get(
        &mut client,
        "action=query&meta=siteinfo&siprop=general|namespaces|namespacealiases&format=json",
    )
    .await;
    let general = &v1["query"]["general"];
    assert_eq!(general["generator"], "MediaWiki 1.39.0");
    assert_eq!(general["scriptpath"], "/w");
    assert_eq!(general["articlepath"], "/wiki/$1");
    assert_eq!(general["case"], "first-letter");
    assert_eq!(general["mainpage"], "Main Page");
    assert_eq!(general["thumblimits"][0], 120);
    assert_eq!(general["imagelimits"][0]["width"], 320);
    assert_eq!(v1["query"]["namespaces"]["14"]["*"], "Category");
    assert_eq!(v1["query"]["namespaces"]["100"]["canonical"], "Source");
    assert_eq!(v1["query"]["namespaces"]["0"]["content"], "");
    assert!(
        v1["query"]["namespacealiases"]
            .as_array()
            .expect("aliases")
            .iter()
            .any(|a| a["id"] == 6 && a["*"] == "Image")
    );
    let v2 = get(
        &mut client,
        "action=query&meta=siteinfo&siprop=general|namespaces&format=json&formatversion=2",
    )
    .await;
    // MediaWiki's `BCassoc`: objects in format version 2 (pywikibot calls `.values()`).
    assert_eq!(v2["query"]["general"]["thumblimits"]["0"], 120);
    assert_eq!(v2["query"]["general"]["imagelimits"]["5"]["width"], 2560);
    assert_eq!(v2["query"]["namespaces"]["14"]["name"], "Category");
    assert_eq!(v2["query"]["namespaces"]["0"]["content"], true);
    assert_eq!(v2["batchcomplete"], true);
}

#[tokio::test]
async fn unknown_actions_and_formats_are_errors_with_status_200() {
    let app = TestApp::new();
    let mut client = app.client();
    for action in ["frobnicate", "purge", "upload"] {
        let answer = get(&mut client, &format!("action={action}&format=json")).await;
        assert_eq!(code(&answer), "unknown_action", "{action}");
        assert!(
            answer["error"]["info"]
                .as_str()
                .is_some_and(|i| !i.is_empty())
        );
    }
    let answer = get(&mut client, "action=query&format=xml").await;
    assert_eq!(code(&answer), "badvalue");
    // /api.php answers too.
    let page = client.get("/api.php?action=nothing&format=json").await;
    assert_eq!(page.json()["error"]["code"], "unknown_action");
}

#[tokio::test]
async fn anonymous_userinfo_and_tokens_are_mediawikis() {
    let app = TestApp::new();
    let mut client = app.client();
    let answer = get(&mut client, "action=query&meta=userinfo|tokens&format=json").await;
    assert_eq!(answer["query"]["userinfo"]["id"], 0);
    assert_eq!(answer["query"]["userinfo"]["anon"], "");
    assert_eq!(answer["query"]["tokens"]["csrftoken"], "+\\");
}

#[tokio::test]
async fn login_with_a_password_then_userinfo_names_the_user_and_logout_ends_it() {
    let app = TestApp::with_roles();
    let mut client = app.client();
    let answer = login(&mut client, "bob", PASSWORD).await;
    assert_eq!(answer["login"]["result"], "Success", "{answer}");
    assert_eq!(answer["login"]["lgusername"], "bob");
    let info = get(
        &mut client,
        "action=query&meta=userinfo&uiprop=groups|rights&format=json&formatversion=2",
    )
    .await;
    assert_eq!(info["query"]["userinfo"]["name"], "bob");
    assert!(info["query"]["userinfo"].get("anon").is_none());
    let rights = info["query"]["userinfo"]["rights"].to_string();
    assert!(rights.contains("\"edit\""), "{rights}");
    let token = csrf(&mut client).await;
    assert!(token.len() > 2 && token.ends_with("+\\"), "{token}");
    let out = post(
        &mut client,
        &[("action", "logout"), ("token", &token), ("format", "json")],
    )
    .await;
    assert!(out.get("error").is_none(), "{out}");
    let info = get(&mut client, "action=query&meta=userinfo&format=json").await;
    assert_eq!(info["query"]["userinfo"]["anon"], "");
}

#[tokio::test]
async fn wrong_passwords_fail_and_a_stale_login_token_asks_for_a_new_one() {
    let app = TestApp::with_roles();
    let mut client = app.client();
    let answer = login(&mut client, "bob", "not the password").await;
    assert_eq!(answer["login"]["result"], "Failed");
    let answer = post(
        &mut app.client(),
        &[
            ("action", "login"),
            ("lgname", "bob"),
            ("lgpassword", PASSWORD),
            ("lgtoken", "bad+\\"),
            ("format", "json"),
        ],
    )
    .await;
    assert_eq!(answer["login"]["result"], "NeedToken");
    // GET is refused for writes.
    let answer = get(&mut client, "action=login&lgname=bob&format=json").await;
    assert_eq!(code(&answer), "mustbeposted");
}

#[tokio::test]
async fn login_is_throttled_like_the_sign_in_form() {
    let app = TestApp::with_roles();
    let mut client = app.client();
    let mut last = Value::Null;
    for _ in 0..7 {
        last = login(&mut client, "bob", "wrong password").await;
    }
    let reason = last["login"]["reason"].as_str().unwrap_or("");
    assert!(reason.contains("too many"), "{last}");
    // Even the right password waits now.
    let answer = login(&mut client, "bob", PASSWORD).await;
    assert_eq!(answer["login"]["result"], "Failed", "{answer}");
}

#[tokio::test]
async fn an_api_token_is_a_bot_password_and_a_bearer_token() {
    let app = TestApp::with_roles();
    let token = plutarch::auth::create_api_token(&app.db, "bob", "bot").expect("token");
    let mut client = app.client();
    let answer = login(&mut client, "bob@bot", &token).await;
    assert_eq!(answer["login"]["result"], "Success", "{answer}");
    // Someone else's name with bob's token does not sign in.
    let answer = login(&mut app.client(), "alice@bot", &token).await;
    assert_eq!(answer["login"]["result"], "Failed", "{answer}");
    // A bearer token: userinfo and a csrf token that works for an edit.
    let request = |query: &str| {
        Request::get(format!("/w/api.php?{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("request")
    };
    let page = app
        .send(request("action=query&meta=userinfo|tokens&format=json"))
        .await;
    let answer = page.json();
    assert_eq!(answer["query"]["userinfo"]["name"], "bob");
    let csrf = answer["query"]["tokens"]["csrftoken"]
        .as_str()
        .expect("token")
        .to_owned();
    let body = form_body(&[
        ("action", "edit"),
        ("title", "Bearer page"),
        ("text", "Hello."),
        ("token", &csrf),
        ("format", "json"),
    ]);
    let edit = Request::post("/w/api.php")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    let answer = app.send(edit).await.json();
    assert_eq!(answer["edit"]["result"], "Success", "{answer}");
    let bad = Request::get("/w/api.php?action=query&meta=userinfo&format=json")
        .header(header::AUTHORIZATION, "Bearer plt_nope")
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        app.send(bad).await.json()["error"]["code"],
        "mwoauth-invalid-authorization"
    );
}

#[tokio::test]
async fn edit_creates_reads_back_appends_and_reports_nochange() {
    let app = TestApp::with_roles();
    let mut client = app.client();
    login(&mut client, "bob", PASSWORD).await;
    let text = "Lead.\n\n== Early life ==\nBorn.\n\n== Work ==\nEngines.\n";
    let created = edit(
        &mut client,
        &[
            ("title", "Ada Test"),
            ("text", text),
            ("summary", "new"),
            ("createonly", "1"),
        ],
    )
    .await;
    let e = &created["edit"];
    assert_eq!(e["result"], "Success", "{created}");
    assert_eq!(e["new"], "");
    assert_eq!(e["oldrevid"], 0);
    let first = e["newrevid"].as_i64().expect("revid");
    assert!(e["newtimestamp"].as_str().is_some_and(|t| t.ends_with('Z')));
    // Read it back: fv1 with slots, and one section in MediaWiki's numbering.
    let read = get(&mut client, "action=query&prop=revisions|info&inprop=protection&rvprop=content|ids|timestamp|user|comment|size|sha1&rvslots=main&titles=Ada_Test&format=json").await;
    let page = &read["query"]["pages"][e["pageid"].to_string()];
    assert_eq!(page["lastrevid"], first);
    assert_eq!(page["length"], text.len());
    assert_eq!(page["protection"], serde_json::json!([]));
    let rev = &page["revisions"][0];
    assert_eq!(rev["slots"]["main"]["*"], text);
    assert_eq!(rev["user"], "bob");
    assert_eq!(rev["comment"], "new");
    assert_eq!(rev["parentid"], 0);
    assert_eq!(rev["sha1"].as_str().map(str::len), Some(40));
    assert_eq!(read["query"]["normalized"][0]["to"], "Ada Test");
    let section = get(&mut client, "action=query&prop=revisions&rvprop=content&rvsection=2&titles=Ada%20Test&format=json&formatversion=2").await;
    assert_eq!(
        section["query"]["pages"][0]["revisions"][0]["content"],
        "== Work ==\nEngines."
    );
    // Again: createonly refuses, the same text is nochange.
    let again = edit(
        &mut client,
        &[("title", "Ada Test"), ("text", "x"), ("createonly", "1")],
    )
    .await;
    assert_eq!(code(&again), "articleexists");
    let same = edit(&mut client, &[("title", "Ada Test"), ("text", text)]).await;
    assert_eq!(same["edit"]["nochange"], "", "{same}");
    // Append to a section, prepend to the page, a new section.
    let appended = edit(
        &mut client,
        &[
            ("title", "Ada Test"),
            ("section", "1"),
            ("appendtext", " Raised in London."),
        ],
    )
    .await;
    assert_eq!(appended["edit"]["oldrevid"], first);
    edit(
        &mut client,
        &[("title", "Ada Test"), ("prependtext", "Top. ")],
    )
    .await;
    edit(
        &mut client,
        &[
            ("title", "Ada Test"),
            ("section", "new"),
            ("sectiontitle", "Notes"),
            ("text", "A note."),
        ],
    )
    .await;
    let read = get(
        &mut client,
        "action=query&prop=revisions&rvprop=content&titles=Ada%20Test&format=json&formatversion=2",
    )
    .await;
    assert_eq!(
        read["query"]["pages"][0]["revisions"][0]["content"],
        "Top. Lead.\n\n== Early life ==\nBorn. Raised in London.\n\n== Work ==\nEngines.\n\n== Notes ==\n\nA note.\n"
    );
    // No such section; nocreate on a missing page.
    let none = edit(
        &mut client,
        &[("title", "Ada Test"), ("section", "9"), ("text", "x")],
    )
    .await;
    assert_eq!(code(&none), "nosuchsection");
    let missing = edit(
        &mut client,
        &[("title", "Nobody Here"), ("text", "x"), ("nocreate", "1")],
    )
    .await;
    assert_eq!(code(&missing), "missingtitle");
}

#[tokio::test]
async fn edits_need_a_token_a_user_and_an_editor_role() {
    let app = TestApp::with_roles();
    let mut anonymous = app.client();
    let answer = post(
        &mut anonymous,
        &[
            ("action", "edit"),
            ("title", "X"),
            ("text", "y"),
            ("token", "wrong"),
            ("format", "json"),
        ],
    )
    .await;
    assert_eq!(code(&answer), "badtoken");
    let answer = edit(
        &mut anonymous,
        &[("title", "X"), ("text", "y"), ("assert", "user")],
    )
    .await;
    assert_eq!(code(&answer), "assertuserfailed");
    let answer = edit(&mut anonymous, &[("title", "X"), ("text", "y")]).await;
    assert_eq!(code(&answer), "permissiondenied");
    let mut reader = app.client();
    login(&mut reader, "carol", PASSWORD).await;
    let answer = edit(&mut reader, &[("title", "X"), ("text", "y")]).await;
    assert_eq!(code(&answer), "permissiondenied");
    // A signed-in client's csrf token is not anyone else's.
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    let answer = post(
        &mut bob,
        &[
            ("action", "edit"),
            ("title", "X"),
            ("text", "y"),
            ("token", "+\\"),
            ("format", "json"),
        ],
    )
    .await;
    assert_eq!(code(&answer), "badtoken");
}

#[tokio::test]
async fn protected_pages_refuse_editors() {
    let app = TestApp::with_roles();
    let mut alice = app.client();
    let signed_in = login(&mut alice, "alice", PASSWORD).await;
    let alice_id = signed_in["login"]["lguserid"].as_i64().expect("id");
    edit(&mut alice, &[("title", "Guarded"), ("text", "Text.")]).await;
    plutarch::wiki::protect_page(
        &app.db,
        &plutarch::wiki::Title::new("Guarded").expect("title"),
        true,
        alice_id,
        "vandals",
    )
    .await
    .expect("protect");
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    let answer = edit(&mut bob, &[("title", "Guarded"), ("text", "Mine.")]).await;
    assert_eq!(code(&answer), "protectedpage");
    let info = get(
        &mut bob,
        "action=query&prop=info&inprop=protection&titles=Guarded&format=json&formatversion=2",
    )
    .await;
    assert_eq!(info["query"]["pages"][0]["protection"][0]["level"], "sysop");
}

#[tokio::test]
async fn a_stale_basetimestamp_merges_other_sections_and_conflicts_on_the_same_one() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    let mut alice = app.client();
    login(&mut alice, "alice", PASSWORD).await;
    let text = "Lead.\n\n== A ==\nOne.\n\n== B ==\nTwo.\n";
    let created = edit(&mut bob, &[("title", "Merge Test"), ("text", text)]).await;
    let stamp = created["edit"]["newtimestamp"]
        .as_str()
        .expect("time")
        .to_owned();
    // Alice changes section A; then bob, still at the first revision, changes B: merged.
    edit(
        &mut alice,
        &[
            ("title", "Merge Test"),
            ("section", "1"),
            ("text", "== A ==\nOne, changed."),
        ],
    )
    .await;
    let merged = edit(
        &mut bob,
        &[
            ("title", "Merge Test"),
            ("section", "2"),
            ("text", "== B ==\nTwo, changed."),
            ("basetimestamp", &stamp),
        ],
    )
    .await;
    assert_eq!(merged["edit"]["result"], "Success", "{merged}");
    let read = get(&mut bob, "action=query&prop=revisions&rvprop=content&titles=Merge%20Test&format=json&formatversion=2").await;
    assert_eq!(
        read["query"]["pages"][0]["revisions"][0]["content"],
        "Lead.\n\n== A ==\nOne, changed.\n\n== B ==\nTwo, changed.\n"
    );
    // Bob, still at the first revision, changes A again: a conflict, nothing saved.
    let clash = edit(
        &mut bob,
        &[
            ("title", "Merge Test"),
            ("section", "1"),
            ("text", "== A ==\nBob's."),
            ("basetimestamp", &stamp.replace(['-', ':', 'T', 'Z'], "")),
        ],
    )
    .await;
    assert_eq!(code(&clash), "editconflict", "{clash}");
}

#[tokio::test]
async fn revisions_page_through_history_with_continue() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    for n in 0..5 {
        edit(
            &mut bob,
            &[("title", "Many"), ("text", &format!("Version {n}."))],
        )
        .await;
    }
    let first = get(&mut bob, "action=query&prop=revisions&rvprop=ids|content&rvlimit=2&titles=Many&format=json&formatversion=2").await;
    let revs = first["query"]["pages"][0]["revisions"]
        .as_array()
        .expect("revisions")
        .clone();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0]["content"], "Version 4.");
    let next = first["continue"]["rvcontinue"]
        .as_str()
        .expect("continue")
        .to_owned();
    let second = get(&mut bob, &format!("action=query&prop=revisions&rvprop=ids|content&rvlimit=2&titles=Many&rvcontinue={next}&format=json&formatversion=2")).await;
    assert_eq!(
        second["query"]["pages"][0]["revisions"][0]["content"],
        "Version 2."
    );
    let newer = get(&mut bob, "action=query&prop=revisions&rvprop=ids|content&rvlimit=1&rvdir=newer&titles=Many&format=json&formatversion=2").await;
    assert_eq!(
        newer["query"]["pages"][0]["revisions"][0]["content"],
        "Version 0."
    );
    // A missing and an invalid title.
    let odd = get(
        &mut bob,
        "action=query&prop=info&titles=No%20Such%20Page|%5Bbad%5D&format=json&formatversion=2",
    )
    .await;
    let pages = odd["query"]["pages"].as_array().expect("pages");
    assert!(
        pages
            .iter()
            .any(|p| p["missing"] == true && p["title"] == "No Such Page"),
        "{odd}"
    );
    assert!(pages.iter().any(|p| p["invalid"] == true), "{odd}");
}

#[tokio::test]
async fn lists_allpages_recentchanges_search_categories_backlinks() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    edit(
        &mut bob,
        &[
            ("title", "Zeta Person"),
            ("text", "A quokka keeper. [[Category:Keepers]]"),
        ],
    )
    .await;
    edit(
        &mut bob,
        &[("title", "Zeta Friend"), ("text", "Knew [[Zeta Person]].")],
    )
    .await;
    let all = get(
        &mut bob,
        "action=query&list=allpages&apfrom=Zeta&aplimit=1&format=json",
    )
    .await;
    assert_eq!(all["query"]["allpages"][0]["title"], "Zeta Friend");
    let next = all["continue"]["apcontinue"]
        .as_str()
        .expect("continue")
        .to_owned();
    let rest = get(
        &mut bob,
        &format!("action=query&list=allpages&apcontinue={next}&aplimit=5&format=json"),
    )
    .await;
    assert_eq!(
        rest["query"]["allpages"][0]["title"], "Zeta Person",
        "{rest}"
    );
    let generated = get(&mut bob, "action=query&generator=allpages&gapfrom=Zeta&gaplimit=2&prop=info&format=json&formatversion=2").await;
    assert_eq!(
        generated["query"]["pages"].as_array().map(Vec::len),
        Some(2)
    );
    let recent = get(
        &mut bob,
        "action=query&list=recentchanges&rclimit=1&format=json",
    )
    .await;
    assert_eq!(recent["query"]["recentchanges"][0]["title"], "Zeta Friend");
    assert_eq!(recent["query"]["recentchanges"][0]["type"], "new");
    assert!(recent["continue"]["rccontinue"].is_string());
    let found = get(
        &mut bob,
        "action=query&list=search&srsearch=quokka&format=json",
    )
    .await;
    assert_eq!(found["query"]["search"][0]["title"], "Zeta Person");
    let members = get(
        &mut bob,
        "action=query&list=categorymembers&cmtitle=Category:Keepers&format=json",
    )
    .await;
    assert_eq!(
        members["query"]["categorymembers"][0]["title"],
        "Zeta Person"
    );
    let links = get(
        &mut bob,
        "action=query&list=backlinks&bltitle=Zeta%20Person&format=json",
    )
    .await;
    assert_eq!(links["query"]["backlinks"][0]["title"], "Zeta Friend");
}

#[tokio::test]
async fn paraminfo_describes_the_modules_pywikibot_reads() {
    let app = TestApp::new();
    let mut client = app.client();
    let info = get(
        &mut client,
        "action=paraminfo&modules=main|paraminfo|query|edit|query%2Brevisions|nosuch&format=json",
    )
    .await;
    let modules = info["paraminfo"]["modules"].as_array().expect("modules");
    let main = modules.iter().find(|m| m["path"] == "main").expect("main");
    let action = main["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "action")
        .expect("action");
    assert!(
        action["type"]
            .as_array()
            .expect("type")
            .iter()
            .any(|a| a == "edit")
    );
    let query = modules
        .iter()
        .find(|m| m["path"] == "query")
        .expect("query");
    let generator = query["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "generator");
    assert!(generator.is_some());
    let edit = modules.iter().find(|m| m["path"] == "edit").expect("edit");
    assert_eq!(edit["mustbeposted"], true);
    assert!(
        modules
            .iter()
            .any(|m| m["path"] == "query+revisions" && m["prefix"] == "rv")
    );
    assert!(
        modules
            .iter()
            .any(|m| m["name"] == "nosuch" && m["missing"] == true)
    );
}

#[tokio::test]
async fn multipart_posts_are_read_like_forms() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    let token = csrf(&mut bob).await;
    let mut body = String::new();
    for (name, value) in [
        ("action", "edit"),
        ("title", "Multi Part"),
        ("text", "Line one.\nLine two."),
        ("token", token.as_str()),
        ("format", "json"),
    ] {
        body.push_str(&format!(
            "--b0undary\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str("--b0undary--\r\n");
    let request = Request::post("/w/api.php")
        .header(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=b0undary",
        )
        .body(Body::from(body))
        .expect("request");
    let answer = bob.send(request).await.json();
    assert_eq!(answer["edit"]["result"], "Success", "{answer}");
}

#[tokio::test]
async fn a_private_wiki_answers_readapidenied_until_login() {
    let settings = plutarch::web::Settings {
        read_access: plutarch::auth::ReadAccess::Users,
        ..plutarch::web::Settings::default()
    };
    let app = TestApp::with_settings(settings);
    app.add_user("bob", plutarch::auth::Role::Editor, PASSWORD);
    let mut client = app.client();
    let answer = get(
        &mut client,
        "action=query&prop=revisions&titles=Main%20Page&format=json",
    )
    .await;
    assert_eq!(code(&answer), "readapidenied");
    let answer = login(&mut client, "bob", PASSWORD).await;
    assert_eq!(answer["login"]["result"], "Success");
    let answer = get(
        &mut client,
        "action=query&prop=info&titles=Main%20Page&format=json",
    )
    .await;
    assert!(answer.get("error").is_none(), "{answer}");
}

#[tokio::test]
async fn tokens_answer_each_known_type_of_a_list_and_warn_about_the_rest() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    let answer = get(
        &mut bob,
        "action=query&meta=tokens&type=csrf|watch|patrol|rollback|userrights|createaccount|login|nosuch&format=json&formatversion=2",
    )
    .await;
    let tokens = &answer["query"]["tokens"];
    let csrf = tokens["csrftoken"].as_str().expect("csrf token");
    assert!(csrf.len() > 2 && csrf.ends_with("+\\"), "{csrf}");
    for kind in ["watch", "patrol", "rollback", "userrights", "createaccount"] {
        assert_eq!(tokens[format!("{kind}token")], csrf, "{kind}: {answer}");
    }
    assert!(
        tokens["logintoken"]
            .as_str()
            .is_some_and(|t| t.ends_with("+\\"))
    );
    assert!(tokens.get("nosuchtoken").is_none());
    assert_eq!(
        answer["warnings"]["tokens"]["warnings"],
        "Unrecognized value for parameter \"type\": nosuch."
    );
    // What pywikibot does at start: every type paraminfo lists, in one request.
    let info = get(
        &mut bob,
        "action=paraminfo&modules=query%2Btokens&format=json",
    )
    .await;
    let types = info["paraminfo"]["modules"][0]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "type")
        .and_then(|p| p["type"].as_array())
        .expect("type values")
        .iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join("|");
    assert!(types.contains("csrf") && types.contains("login"), "{types}");
    let all = get(
        &mut bob,
        &format!("action=query&meta=tokens&type={types}&format=json"),
    )
    .await;
    assert!(
        all.get("error").is_none() && all.get("warnings").is_none(),
        "{all}"
    );
    assert_eq!(all["query"]["tokens"]["csrftoken"], csrf);
    // Anonymous: MediaWiki's "+\" for the write tokens.
    let mut anonymous = app.client();
    let anon = get(
        &mut anonymous,
        "action=query&meta=tokens&type=watch|csrf&format=json",
    )
    .await;
    assert_eq!(anon["query"]["tokens"]["watchtoken"], "+\\");
    assert_eq!(anon["query"]["tokens"]["csrftoken"], "+\\");
}

#[tokio::test]
async fn paraminfo_describes_limits_allusers_templates_and_rcshow_for_pywikibot() {
    let app = TestApp::new();
    let mut client = app.client();
    let info = get(
        &mut client,
        "action=paraminfo&modules=query|query%2Ballusers|query%2Btemplates|query%2Brecentchanges|query%2Brevisions&format=json",
    )
    .await;
    let modules = info["paraminfo"]["modules"].as_array().expect("modules");
    let module = |path: &str| {
        modules
            .iter()
            .find(|m| m["path"] == path)
            .unwrap_or_else(|| panic!("{path}: {info}"))
    };
    let parameter = |path: &str, name: &str| {
        module(path)["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{path} {name}"))
    };
    assert_eq!(module("query+allusers")["prefix"], "au");
    for path in ["query+allusers", "query+recentchanges", "query+revisions"] {
        let limit = parameter(path, "limit");
        assert_eq!(limit["type"], "limit", "{path}");
        assert_eq!(limit["max"], 500, "{path}");
        assert_eq!(limit["highmax"], 500, "{path}");
    }
    let show = parameter("query+recentchanges", "show");
    assert!(
        show["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|v| v == "!bot") && t.iter().any(|v| v == "minor"))
    );
    assert_eq!(module("query+templates")["prefix"], "tl");
    assert_eq!(module("query+templates")["generator"], true);
    let generator = parameter("query", "generator");
    assert!(
        generator["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|v| v == "templates"))
    );
    assert_eq!(generator["submodules"]["templates"], "query+templates");
}

#[tokio::test]
async fn allusers_lists_accounts_by_name_from_a_start_with_continue() {
    let app = TestApp::with_roles();
    let mut client = app.client();
    let one = get(
        &mut client,
        "action=query&list=allusers&aufrom=bob&aulimit=1&auprop=editcount|groups|registration&format=json",
    )
    .await;
    assert_eq!(one["query"]["allusers"][0]["name"], "bob", "{one}");
    assert!(one["query"]["allusers"][0]["userid"].as_i64().is_some());
    assert!(
        one["query"]["allusers"][0]["groups"]
            .as_array()
            .is_some_and(|g| g.iter().any(|v| v == "user"))
    );
    assert_eq!(one["continue"]["aucontinue"], "carol");
    let rest = get(
        &mut client,
        "action=query&list=allusers&aucontinue=carol&format=json",
    )
    .await;
    let names: Vec<&str> = rest["query"]["allusers"]
        .as_array()
        .expect("allusers")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, ["carol"], "{rest}");
    assert!(rest.get("continue").is_none());
    let all = get(&mut client, "action=query&list=allusers&format=json").await;
    let names: Vec<&str> = all["query"]["allusers"]
        .as_array()
        .expect("allusers")
        .iter()
        .filter_map(|u| u["name"].as_str())
        .collect();
    assert_eq!(names, ["alice", "bob", "carol"], "no system account: {all}");
    let prefixed = get(
        &mut client,
        "action=query&list=allusers&auprefix=ca&format=json",
    )
    .await;
    assert_eq!(prefixed["query"]["allusers"][0]["name"], "carol");
    assert_eq!(
        prefixed["query"]["allusers"].as_array().map(Vec::len),
        Some(1)
    );
    let upto = get(
        &mut client,
        "action=query&list=allusers&auto=bob&format=json",
    )
    .await;
    assert_eq!(upto["query"]["allusers"].as_array().map(Vec::len), Some(2));
    let nobody = get(
        &mut client,
        "action=query&list=allusers&aufrom=zed&aulimit=1&format=json",
    )
    .await;
    assert_eq!(nobody["query"]["allusers"], serde_json::json!([]));
}

#[tokio::test]
async fn generator_templates_gives_the_templates_a_page_uses() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    edit(
        &mut bob,
        &[
            ("title", "Templated Person"),
            ("text", "{{Infobox person|name=T}} A person."),
        ],
    )
    .await;
    edit(
        &mut bob,
        &[("title", "Plain Person"), ("text", "A person.")],
    )
    .await;
    let used = get(
        &mut bob,
        "action=query&generator=templates&titles=Templated%20Person&prop=info&format=json&formatversion=2",
    )
    .await;
    let titles: Vec<&str> = used["query"]["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(titles, ["Template:Infobox person"], "{used}");
    let other_namespace = get(
        &mut bob,
        "action=query&generator=templates&titles=Templated%20Person&gtlnamespace=0&format=json&formatversion=2",
    )
    .await;
    assert!(
        other_namespace["query"]["pages"].is_null(),
        "{other_namespace}"
    );
    let none = get(
        &mut bob,
        "action=query&generator=templates&titles=Plain%20Person&format=json&formatversion=2",
    )
    .await;
    assert!(none["query"]["pages"].is_null(), "{none}");
}

#[tokio::test]
async fn rcshow_filters_are_refused_and_unknown_siprops_warned_about() {
    let app = TestApp::new();
    let mut client = app.client();
    let refused = get(
        &mut client,
        "action=query&list=recentchanges&rcshow=!bot&format=json",
    )
    .await;
    assert_eq!(code(&refused), "badvalue", "{refused}");
    let info = get(
        &mut client,
        "action=query&meta=siteinfo&siprop=general|extensions|magicwords|interwikimap&format=json&formatversion=2",
    )
    .await;
    assert_eq!(info["query"]["extensions"], serde_json::json!([]));
    assert_eq!(info["query"]["general"]["sitename"], "Plutarch");
    assert_eq!(
        info["warnings"]["siteinfo"]["warnings"],
        "Unrecognized values for parameter \"siprop\": magicwords, interwikimap."
    );
    let v1 = get(
        &mut client,
        "action=query&meta=siteinfo&siprop=magicwords&format=json",
    )
    .await;
    assert_eq!(
        v1["warnings"]["siteinfo"]["*"],
        "Unrecognized value for parameter \"siprop\": magicwords."
    );
}

#[tokio::test]
async fn a_basetimestamp_of_the_latest_revisions_second_edits_the_latest_after_ones_own_edits() {
    let app = TestApp::with_roles();
    let mut bob = app.client();
    login(&mut bob, "bob", PASSWORD).await;
    edit(&mut bob, &[("title", "Same Second"), ("text", "Lead.\n")]).await;
    // Likely in the same second as the creation: then "the earliest revision of that second"
    // would be the creation, and the full-text edit below would conflict with this append,
    // were the append not bob's own (another's edit in that second still conflicts: see
    // a_stale_basetimestamp_merges_other_sections_and_conflicts_on_the_same_one).
    let appended = edit(
        &mut bob,
        &[("title", "Same Second"), ("appendtext", "More.\n")],
    )
    .await;
    let stamp = appended["edit"]["newtimestamp"]
        .as_str()
        .expect("timestamp")
        .to_owned();
    let saved = edit(
        &mut bob,
        &[
            ("title", "Same Second"),
            ("text", "Lead.\nMore.\nBy a bot.\n"),
            ("basetimestamp", &stamp),
        ],
    )
    .await;
    assert_eq!(saved["edit"]["result"], "Success", "{saved}");
    let read = get(
        &mut bob,
        "action=query&prop=revisions&rvprop=content&rvslots=main&titles=Same%20Second&format=json&formatversion=2",
    )
    .await;
    assert_eq!(
        read["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"],
        "Lead.\nMore.\nBy a bot.\n",
        "{read}"
    );
}
