//! Issue 15, people and watching: contributions by author name, your account, talk pages and
//! the watchlist, through the real router.

use axum::http::StatusCode;
use plutarch::auth::Role;
use plutarch::store::{accounts, pages};
use plutarch::wiki::{self, SaveRequest, Title};

use crate::support::{PASSWORD, TestApp};

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("bob", Role::Editor, PASSWORD);
    app.add_user("carol", Role::Reader, PASSWORD);
    app
}

fn user_id(app: &TestApp, name: &str) -> i64 {
    app.db
        .read_blocking(|conn| accounts::user_by_name(conn, name))
        .expect("user")
        .expect("known user")
        .id
}

/// Saves `markup` as the whole of `title` (creating it if need be), as `author`; the new
/// revision.
fn save(app: &TestApp, author: &str, title: &str, markup: &str, summary: &str) -> i64 {
    let base = app
        .db
        .read_blocking(|conn| pages::latest(conn, title))
        .expect("read")
        .map(|page| page.revision.id);
    let request = SaveRequest {
        title: Title::new(title).expect("title"),
        markup: markup.to_owned(),
        base_revision: base,
        section: None,
        summary: summary.to_owned(),
        author_id: user_id(app, author),
    };
    app.db
        .write_blocking(|conn| Ok(wiki::save_blocking(conn, &request)))
        .expect("store")
        .expect("saved")
        .revision()
}

#[tokio::test]
async fn an_authors_contributions_are_listed_newest_first_with_diffs_and_paged() {
    let app = app();
    let first = save(
        &app,
        "bob",
        "Grace Hopper",
        "Grace wrote compilers.\n",
        "new page",
    );
    let second = save(
        &app,
        "bob",
        "Grace Hopper",
        "Grace Hopper wrote compilers.\n",
        "name",
    );
    let page = app.get("/user/bob").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.texts("h1"), ["Contributions of bob"]);
    let links = page.attrs("ul.contributions li a", "href");
    assert_eq!(
        links,
        [
            "/wiki/Grace_Hopper".to_owned(),
            format!("/wiki/Grace_Hopper/diff?from={first}&to={second}"),
            "/wiki/Grace_Hopper".to_owned(),
        ],
        "newest first, the first edit a new page"
    );
    assert!(page.body.contains("(new page)"));
    assert!(page.body.contains("name"), "the summary is shown");

    // Imported and system authors have contributions too; an unknown name is a 404.
    let samples = app.get("/user/Plutarch").await;
    assert_eq!(samples.status, StatusCode::OK);
    assert!(
        samples.body.contains("/wiki/Ada_Lovelace"),
        "{}",
        samples.body
    );
    let nobody = app.get("/user/nobody_here").await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND);
    assert!(nobody.body.contains("No author is called “nobody_here”"));

    // Fifty to a page, then an older page that goes on where it stopped.
    for n in 0..50 {
        save(&app, "bob", "Grace Hopper", &format!("Edit {n}.\n"), "");
    }
    let page = app.get("/user/bob").await;
    assert_eq!(page.texts("ul.contributions li").len(), 50);
    let older = page.attrs("a[rel=next]", "href");
    assert_eq!(older.len(), 1, "{}", page.body);
    assert!(older[0].starts_with("/user/bob?before="), "{older:?}");
    let rest = app.get(&older[0]).await;
    assert_eq!(rest.texts("ul.contributions li").len(), 2, "{}", rest.body);
    assert!(rest.texts("a[rel=next]").is_empty());
}

#[tokio::test]
async fn author_names_link_to_contributions_and_to_the_user_page_when_it_exists() {
    let app = app();
    let before = save(&app, "bob", "Ada Lovelace", "Ada.\n", "shorter");
    let diff = format!("/wiki/Ada_Lovelace/diff?to={before}");
    for path in ["/wiki/Ada_Lovelace/history", "/recent", diff.as_str()] {
        let page = app.get(path).await;
        assert!(
            page.attrs(".author a", "href")
                .contains(&"/user/bob".to_owned()),
            "{path}: {}",
            page.body
        );
        assert!(
            page.attrs(".author a[href^='/wiki/User:']", "href")
                .is_empty(),
            "{path}"
        );
    }
    save(&app, "bob", "User:Bob", "I am Bob.\n", "about me");
    for path in [
        "/wiki/Ada_Lovelace/history",
        "/recent",
        diff.as_str(),
        "/user/bob",
    ] {
        let page = app.get(path).await;
        assert!(
            page.attrs(".author a", "href")
                .contains(&"/wiki/User:Bob".to_owned()),
            "{path}: {}",
            page.body
        );
    }
    // A name with a space and an underscore reads back from its URL.
    app.add_user("Ann_Lee", Role::Editor, PASSWORD);
    save(&app, "Ann_Lee", "Ada Lovelace", "Ada L.\n", "");
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    let link = history.attrs(".author a[href*='Ann']", "href");
    assert_eq!(link, ["/user/Ann%5FLee"]);
    let page = app.get(&link[0]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["Contributions of Ann_Lee"]);
}

#[tokio::test]
async fn every_page_has_a_discussion_tab_and_add_topic_appends_a_section() {
    let app = app();
    let ada = app.get("/wiki/Ada_Lovelace").await;
    let discussion = ada.attrs("nav.tabs a", "href");
    assert!(
        discussion.contains(&"/wiki/Talk:Ada_Lovelace".to_owned()),
        "{discussion:?}"
    );
    // No talk page yet: it is an ordinary missing page, offered for creation.
    let talk = app.get("/wiki/Talk:Ada_Lovelace").await;
    assert_eq!(talk.status, StatusCode::NOT_FOUND);

    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    // MediaWiki's section=new leads to the topic form.
    let new = bob.get("/wiki/Talk:Ada_Lovelace/edit?section=new").await;
    assert_eq!(new.status, StatusCode::SEE_OTHER);
    let form = bob.get("/wiki/Talk:Ada_Lovelace/topic").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.csrf_of("form.new-topic");
    // A refused subject shows the form again with the text, and saves nothing.
    let refused = bob
        .post_form(
            "/wiki/Talk:Ada_Lovelace/topic",
            &[("csrf", &csrf), ("subject", " "), ("text", "Kept text.")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.texts("textarea#topic-text"), ["Kept text."]);
    assert!(refused.body.contains("needs a subject"));
    // Without the form's token nothing happens.
    let forged = bob
        .post_form(
            "/wiki/Talk:Ada_Lovelace/topic",
            &[("csrf", "nope"), ("subject", "Sources"), ("text", "x")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    for (subject, text) in [
        ("Sources", "Which letters?"),
        ("Birth date", "10 December."),
    ] {
        let saved = bob
            .post_form(
                "/wiki/Talk:Ada_Lovelace/topic",
                &[("csrf", &csrf), ("subject", subject), ("text", text)],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let talk = app.get("/wiki/Talk:Ada_Lovelace").await;
    assert_eq!(talk.status, StatusCode::OK);
    let headings = talk.texts("main h2");
    for subject in ["Sources", "Birth date"] {
        assert!(headings.iter().any(|h| h.contains(subject)), "{headings:?}");
    }
    let body = &talk.body;
    let sources = body.find("Which letters?").expect("first topic");
    let birth = body.find("10 December.").expect("second topic");
    assert!(sources < birth, "the new topic goes at the end");
    assert!(body.contains("/wiki/User:Bob"), "signed");
    let tabs = talk.attrs("nav.tabs a", "href");
    assert!(tabs.contains(&"/wiki/Ada_Lovelace".to_owned()), "{tabs:?}");
    assert!(tabs.contains(&"/wiki/Talk:Ada_Lovelace/topic".to_owned()));
    let history = app.get("/wiki/Talk:Ada_Lovelace/history").await;
    assert!(
        history
            .texts("table.history td")
            .iter()
            .any(|cell| cell == "→Birth date: new topic"),
        "{}",
        history.body
    );

    // Readers cannot add topics.
    let mut carol = app.client().signed_in("carol", PASSWORD).await;
    let form = carol.get("/wiki/Talk:Ada_Lovelace/topic").await;
    assert_eq!(form.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn your_account_changes_your_password_lists_sessions_and_tokens_and_signs_out_everywhere() {
    let app = app();
    let token = plutarch::auth::create_api_token(&app.db, "bob", "my script").expect("token");
    let mut laptop = app.client().signed_in("bob", PASSWORD).await;
    let mut phone = app.client().signed_in("bob", PASSWORD).await;
    let account = laptop.get("/account").await;
    assert_eq!(account.status, StatusCode::OK, "{}", account.body);
    assert_eq!(
        account.header(axum::http::header::CACHE_CONTROL),
        Some("private, no-store")
    );
    assert_eq!(account.texts("table.sessions tbody tr").len(), 2);
    assert_eq!(
        account.texts("table.tokens tbody tr td:first-child"),
        ["my script"]
    );
    assert!(
        !account.body.contains(&token),
        "the token itself is never shown again"
    );
    // The header's name leads here.
    assert_eq!(account.attrs("a.user-name", "href"), ["/account"]);
    let csrf = account.csrf_of("form.change-password");

    // The current password is asked again; a wrong one changes nothing.
    let wrong = laptop
        .post_form(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", "not my password"),
                ("new", "a new long password"),
                ("repeat", "a new long password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("current password was not right"));
    // The form's token is checked first.
    let forged = laptop
        .post_form(
            "/account/password",
            &[
                ("csrf", "forged"),
                ("current", PASSWORD),
                ("new", "a new long password"),
                ("repeat", "a new long password"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let changed = laptop
        .post_form(
            "/account/password",
            &[
                ("csrf", &csrf),
                ("current", PASSWORD),
                ("new", "a new long password"),
                ("repeat", "a new long password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    assert_eq!(
        laptop.who_am_i().await.as_deref(),
        Some("bob"),
        "this session goes on"
    );
    assert_eq!(phone.who_am_i().await, None, "the other session ended");
    let mut again = app.client();
    assert_eq!(
        again.sign_in("bob", PASSWORD).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mut again = app.client().signed_in("bob", "a new long password").await;

    // Ending another session and revoking a token.
    let account = again.get("/account").await;
    let handles = account.attrs(
        "form[action='/account/sessions/end'] input[name=session]",
        "value",
    );
    assert_eq!(
        handles.len(),
        1,
        "the laptop's session; this one has no button"
    );
    let csrf = account.csrf();
    let ended = again
        .post_form(
            "/account/sessions/end",
            &[("csrf", &csrf), ("session", &handles[0])],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER);
    assert_eq!(laptop.who_am_i().await, None);
    let ids = account.attrs(
        "form[action='/account/tokens/revoke'] input[name=token]",
        "value",
    );
    let revoked = again
        .post_form(
            "/account/tokens/revoke",
            &[("csrf", &csrf), ("token", &ids[0])],
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert!(
        again
            .get("/account")
            .await
            .body
            .contains("You have no API tokens.")
    );
    // Someone else's token id is not found (carol cannot revoke bob's tokens).
    plutarch::auth::create_api_token(&app.db, "bob", "second").expect("token");
    let mut carol = app.client().signed_in("carol", PASSWORD).await;
    let carol_csrf = carol.get("/account").await.csrf();
    let theirs = carol
        .post_form(
            "/account/tokens/revoke",
            &[
                ("csrf", &carol_csrf),
                ("token", &(ids[0].parse::<i64>().unwrap() + 1).to_string()),
            ],
        )
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);

    // Signing out everywhere ends this session too.
    let out = again
        .post_form("/account/sign-out-everywhere", &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(again.who_am_i().await, None);
    let actions: Vec<String> = app.audit_actions().into_iter().map(|(a, _, _)| a).collect();
    for action in [
        "password change refused",
        "password changed",
        "session ended",
        "token revoked",
        "signed out everywhere",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    // Signed out, the page asks to sign in.
    assert_eq!(app.get("/account").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_section_watch_lists_only_edits_to_that_section_and_the_feed_is_private() {
    let app = app();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    // Every section edit link has a star leading to the watch form.
    let ada = bob.get("/wiki/Ada_Lovelace").await;
    let stars = ada.attrs("h2 .mw-editsection a.watch-star", "href");
    assert!(!stars.is_empty(), "{}", ada.body);
    assert!(
        stars[0].starts_with("/wiki/Ada_Lovelace/watch?section=s"),
        "{stars:?}"
    );
    let form = bob.get(&stars[0]).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let section = stars[0].rsplit('=').next().expect("id").to_owned();
    let csrf = form.csrf_of("form.watch");
    let watched = bob
        .post_form(
            "/wiki/Ada_Lovelace/watch",
            &[("csrf", &csrf), ("section", &section), ("action", "watch")],
        )
        .await;
    assert_eq!(watched.status, StatusCode::SEE_OTHER, "{}", watched.body);
    let form = bob.get(&stars[0]).await;
    assert_eq!(form.texts("li.asked button[aria-pressed=true]"), ["★"]);
    // Without the form's token nothing is watched.
    let forged = bob
        .post_form(
            "/wiki/Alan_Turing/watch",
            &[("csrf", "forged"), ("action", "watch")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The edits that touched the section so far: the sample's first revision made it.
    let listed = |page: &crate::support::Page| page.texts("ul.watchlist li").len();
    let at_first = listed(&bob.get("/watchlist").await);
    assert_eq!(at_first, 1);
    // An edit of another section is not listed; an edit of the watched one is.
    let (text, _) = app
        .db
        .read_blocking(|conn| pages::latest(conn, "Ada Lovelace"))
        .expect("read")
        .map(|p| (p.text, p.revision.id))
        .expect("page");
    let lead_only = text.replacen("Ada", "Augusta Ada", 1);
    save(&app, "carol", "Ada Lovelace", &lead_only, "lead only");
    let list = bob.get("/watchlist").await;
    assert_eq!(listed(&list), at_first, "{}", list.body);
    assert!(!list.body.contains("lead only"));
    let form = bob.get(&stars[0]).await;
    let heading = form.texts("li.asked").concat();
    let heading = heading
        .trim_start_matches(['☆', '★', ' '])
        .trim()
        .to_owned();
    let heading = heading.trim_end_matches("(watched)").trim().to_owned();
    let marker = format!("== {heading} ==\n");
    assert!(lead_only.contains(&marker), "{marker:?}");
    let section_edit = lead_only.replacen(&marker, &format!("{marker}A new first line.\n"), 1);
    let revision = save(
        &app,
        "carol",
        "Ada Lovelace",
        &section_edit,
        "in the section",
    );
    let list = bob.get("/watchlist").await;
    assert_eq!(listed(&list), at_first + 1, "{}", list.body);
    assert!(
        list.texts("ul.watchlist li")[0].contains("in the section"),
        "newest first"
    );
    assert!(list.body.contains(&format!("to={revision}")));
    assert!(
        list.attrs(".author a", "href")
            .contains(&"/user/carol".to_owned())
    );

    // The whole page: every edit.
    let csrf = list.csrf();
    bob.post_form(
        "/wiki/Ada_Lovelace/watch",
        &[("csrf", &csrf), ("action", "watch")],
    )
    .await;
    let list = bob.get("/watchlist").await;
    assert_eq!(listed(&list), at_first + 2, "every edit of the page");
    assert!(list.body.contains("lead only"));
    // Others do not see it.
    let mut carol = app.client().signed_in("carol", PASSWORD).await;
    assert!(
        carol
            .get("/watchlist")
            .await
            .texts("ul.watchlist li")
            .is_empty()
    );

    // The private feed: shown once, works without a session, stops when revoked.
    let made = bob
        .post_form("/watchlist/feed", &[("csrf", &csrf), ("action", "new")])
        .await;
    let url = made.texts("code.feed-url").concat();
    let path = url.trim_start_matches("http://localhost").to_owned();
    assert!(path.starts_with("/watchlist.atom?token="), "{url}");
    let feed = app.get(&path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("in the section"), "{}", feed.body);
    assert_eq!(
        feed.header(axum::http::header::CACHE_CONTROL),
        Some("private, no-store")
    );
    assert!(
        !bob.get("/watchlist").await.body.contains(&path),
        "shown once"
    );
    assert_eq!(
        app.get("/watchlist.atom?token=abc").await.status,
        StatusCode::NOT_FOUND
    );
    bob.post_form("/watchlist/feed", &[("csrf", &csrf), ("action", "revoke")])
        .await;
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
    // Signed out, the watchlist asks to sign in.
    assert_eq!(app.get("/watchlist").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_database_of_the_previous_schema_gets_contributions_and_watchlists() {
    let app = app();
    save(
        &app,
        "bob",
        "Grace Hopper",
        "Grace.\n",
        "before the upgrade",
    );
    // The database the previous main leaves (schema 19): no author index, no watches.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP TABLE transclusions;
                 PRAGMA user_version = 19;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let version: i64 = reopened
        .db
        .read_blocking(|conn| Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?))
        .expect("version");
    assert!(version >= 20, "migrated: {version}");
    let contributions = reopened.get("/user/bob").await;
    assert!(contributions.body.contains("before the upgrade"));
    let mut bob = reopened.client().signed_in("bob", PASSWORD).await;
    let csrf = bob
        .get("/wiki/Grace_Hopper/watch")
        .await
        .csrf_of("form.watch");
    let watched = bob
        .post_form(
            "/wiki/Grace_Hopper/watch",
            &[("csrf", &csrf), ("action", "watch")],
        )
        .await;
    assert_eq!(watched.status, StatusCode::SEE_OTHER, "{}", watched.body);
    let list = bob.get("/watchlist").await;
    assert!(list.body.contains("before the upgrade"), "{}", list.body);
}
