//! The page's chrome knows who is looking (issue 15): error pages show the signed-in user and
//! the page's tabs, each person is offered only what they can do (View source instead of Edit,
//! a "More" menu with Move, Protect and Delete for those allowed), the sign-in form says why it
//! was shown, and the anonymous page kept in memory never carries an editor's links.

use axum::http::StatusCode;

use crate::support::{Client, PASSWORD, Page, TestApp};

/// The labels of the page's tabs.
fn tabs(page: &Page) -> Vec<String> {
    page.texts("nav.tabs > a")
}

/// The labels of the page's "More" menu.
fn more(page: &Page) -> Vec<String> {
    page.texts("nav.tabs details.page-actions li a")
}

/// The signed-in name in the header, if any.
fn header_user(page: &Page) -> Option<String> {
    page.texts("header.site .user-name").into_iter().next()
}

async fn protect(alice: &mut Client<'_>, title: &str) {
    let csrf = alice.sign_out_token().await;
    let protected = alice
        .post_form(
            &format!("/wiki/{title}/protect"),
            &[("csrf", &csrf), ("protected", "on"), ("reason", "")],
        )
        .await;
    assert_eq!(
        protected.status,
        StatusCode::SEE_OTHER,
        "{}",
        protected.body
    );
}

#[tokio::test]
async fn error_pages_show_the_signed_in_user_and_the_pages_tabs() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;

    // A page not written yet: bob is named, the tabs are the page's, and he may create it.
    let missing = bob.get("/wiki/Grace_Hopper").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(
        header_user(&missing).as_deref(),
        Some("bob"),
        "{}",
        missing.body
    );
    assert!(!missing.texts("header.site").concat().contains("Sign in"));
    assert_eq!(tabs(&missing)[0], "Read");
    assert!(tabs(&missing).contains(&"History".to_owned()));
    assert_eq!(
        missing
            .attrs("main a[href='/wiki/Grace_Hopper/edit']", "href")
            .len(),
        1,
        "{}",
        missing.body
    );

    // No such address: named, no tabs.
    let nowhere = bob.get("/nowhere/at/all").await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);
    assert_eq!(header_user(&nowhere).as_deref(), Some("bob"));
    assert!(tabs(&nowhere).is_empty());

    // A form that expired (a move posted with a wrong token): named, with the page's tabs.
    let expired = bob
        .post_form(
            "/wiki/Mary_Seacole/move",
            &[("csrf", "stale"), ("to", "Elsewhere"), ("summary", "")],
        )
        .await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    assert_eq!(expired.texts("h1"), ["Form expired"]);
    assert_eq!(header_user(&expired).as_deref(), Some("bob"));
    assert!(
        tabs(&expired).contains(&"Edit".to_owned()),
        "{:?}",
        tabs(&expired)
    );

    // Not allowed: carol (a reader) asks for the edit form; the tabs offer her the source.
    let mut carol = app.client().signed_in("carol", PASSWORD).await;
    let refused = carol.get("/wiki/Mary_Seacole/edit").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(header_user(&refused).as_deref(), Some("carol"));
    assert!(tabs(&refused).contains(&"View source".to_owned()));
    assert!(!tabs(&refused).contains(&"Edit".to_owned()));
    let missing = carol.get("/wiki/Grace_Hopper").await;
    assert!(missing.body.contains("can read pages but not create them"));

    // An invalid title: named, no tabs (there is no page).
    let bad = bob.get("/wiki/a%7Cb").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(header_user(&bad).as_deref(), Some("bob"));

    // Anonymous: "Sign in", the page's tabs, and "sign in to create".
    let anonymous = app.get("/wiki/Grace_Hopper").await;
    assert_eq!(header_user(&anonymous), None);
    assert!(anonymous.texts("header.site").concat().contains("Sign in"));
    assert_eq!(
        anonymous.texts("main p a"),
        ["Sign in to create the page “Grace Hopper”"]
    );
    assert_eq!(
        anonymous.header(axum::http::header::CACHE_CONTROL),
        Some("no-store"),
        "an error is never kept"
    );
}

#[tokio::test]
async fn an_anonymous_reader_sees_view_source_and_no_edit_links() {
    let app = TestApp::with_roles();
    let page = app.get("/wiki/Mary_Seacole").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(tabs(&page).contains(&"View source".to_owned()));
    assert!(!tabs(&page).contains(&"Edit".to_owned()));
    assert!(!tabs(&page).contains(&"Move".to_owned()));
    assert!(more(&page).is_empty(), "no menu for what they cannot do");
    assert!(page.texts(".mw-editsection").is_empty(), "no [edit] links");

    let source = app.get("/wiki/Mary_Seacole/source").await;
    assert_eq!(source.status, StatusCode::OK);
    assert_eq!(source.texts("h1"), ["View source of Mary Seacole"]);
    let text = source.texts("textarea.view-source[readonly]").concat();
    assert!(text.starts_with("= Mary Seacole ="), "{text}");
    let sign_in = source.attrs("p.banner a", "href");
    assert_eq!(sign_in, ["/login?next=/wiki/Mary_Seacole/edit"]);
    assert_eq!(
        source.texts("nav.tabs a[aria-current=page]"),
        ["View source"]
    );

    // The sign-in form says what it is for.
    let form = app.get(&sign_in[0]).await;
    assert!(
        form.body.contains("Sign in to edit “Mary Seacole”."),
        "{}",
        form.body
    );
    let create = app.get("/login?next=/wiki/Grace_Hopper/edit").await;
    assert!(create.body.contains("Sign in to create “Grace Hopper”."));
    let watch = app.get("/login?next=/wiki/Mary_Seacole/watch").await;
    assert!(watch.body.contains("Sign in to watch “Mary Seacole”."));
    let plain = app.get("/login").await;
    assert!(plain.texts("p.error").is_empty());

    assert_eq!(
        app.get("/wiki/Grace_Hopper/source").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn editors_edit_and_move_admins_also_protect_and_delete_from_the_page() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let page = bob.get("/wiki/Mary_Seacole").await;
    assert!(tabs(&page).contains(&"Edit".to_owned()));
    assert!(!tabs(&page).contains(&"View source".to_owned()));
    assert_eq!(more(&page), ["Move"]);
    assert!(!page.texts(".mw-editsection").is_empty());
    assert_eq!(
        page.attrs("header.site nav.account a", "href"),
        ["/account", "/watchlist"],
        "no admin links for an editor"
    );

    let mut alice = app.client().signed_in("alice", PASSWORD).await;
    let page = alice.get("/wiki/Mary_Seacole").await;
    assert_eq!(
        more(&page),
        ["Move", "Protect or unprotect", "Delete", "Audit log"]
    );
    assert_eq!(
        page.attrs("header.site nav.account a", "href"),
        ["/account", "/watchlist", "/admin/users", "/admin/log"]
    );
    // The menu's protect entry leads to the form on the history page.
    let history = alice.get("/wiki/Mary_Seacole/history").await;
    assert_eq!(history.attrs("form#protect", "action").len(), 1);

    // Protected: bob sees the source, told why; the admin still edits.
    protect(&mut alice, "Mary_Seacole").await;
    let page = bob.get("/wiki/Mary_Seacole").await;
    assert!(tabs(&page).contains(&"View source".to_owned()));
    assert!(more(&page).is_empty(), "{:?}", more(&page));
    assert!(page.texts(".mw-editsection").is_empty());
    let source = bob.get("/wiki/Mary_Seacole/source").await;
    assert!(
        source
            .texts("p.banner")
            .concat()
            .contains("This page is protected: only admins can edit it."),
        "{}",
        source.body
    );
    let page = alice.get("/wiki/Mary_Seacole").await;
    assert!(tabs(&page).contains(&"Edit".to_owned()));
    assert!(!page.texts(".mw-editsection").is_empty());
    assert_eq!(more(&page)[0], "Move");
}

#[tokio::test]
async fn the_anonymous_page_kept_in_memory_never_carries_an_editors_links() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    // Each order: anonymous first, then bob, then anonymous again (from memory), and the
    // pages rendered at save after an edit.
    let first = app.get("/wiki/Ada_Lovelace").await;
    let editor = bob.get("/wiki/Ada_Lovelace").await;
    let again = app.get("/wiki/Ada_Lovelace").await;
    assert!(first.texts(".mw-editsection").is_empty());
    assert!(!editor.texts(".mw-editsection").is_empty());
    assert_eq!(first.body, again.body);

    let form = bob.get("/wiki/Ada_Lovelace/edit").await;
    let csrf = form.csrf_of("form.edit");
    let base = form.attrs("input[name=base_revision]", "value").concat();
    let markup = form.texts("textarea#markup").concat();
    let saved = bob
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &csrf),
                ("markup", &format!("{markup}\n\nOne more sentence.")),
                ("summary", "a sentence"),
                ("base_revision", &base),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for _ in 0..2 {
        let anonymous = app.get("/wiki/Ada_Lovelace").await;
        assert!(anonymous.body.contains("One more sentence."));
        assert!(anonymous.texts(".mw-editsection").is_empty());
        assert!(tabs(&anonymous).contains(&"View source".to_owned()));
        let editor = bob.get("/wiki/Ada_Lovelace").await;
        assert!(!editor.texts(".mw-editsection").is_empty());
        assert_eq!(more(&editor), ["Move"]);
    }
}

#[tokio::test]
async fn admins_manage_users_from_the_web_under_the_command_lines_rules() {
    let app = TestApp::with_roles();
    app.assert_admins_only("/admin/users").await;
    let mut alice = app.client().signed_in("alice", PASSWORD).await;
    let list = alice.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.texts("table.users td.name"), ["alice", "bob", "carol"]);
    assert_eq!(
        list.attrs("table.users td.created time", "datetime").len(),
        3,
        "when each account was made"
    );
    let csrf = list.csrf_of("form.add-user");

    // Add a user; they can sign in with that password.
    let added = alice
        .post_form(
            "/admin/users/add",
            &[
                ("csrf", &csrf),
                ("name", "dora"),
                ("password", "a long enough password"),
                ("role", "editor"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let mut dora = app.client();
    assert_eq!(
        dora.sign_in("dora", "a long enough password").await.status,
        StatusCode::SEE_OTHER
    );
    // The same rules as the command line: a short password, a taken name.
    for (name, password, why) in [
        ("erin", "short", "Invalid password"),
        ("DORA", "a long enough password", "already exists"),
    ] {
        let refused = alice
            .post_form(
                "/admin/users/add",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("password", password),
                    ("role", "reader"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.texts("p.error").concat().contains(why),
            "{why}: {}",
            refused.body
        );
    }

    // Change a role.
    let changed = alice
        .post_form(
            "/admin/users/role",
            &[("csrf", &csrf), ("name", "carol"), ("role", "editor")],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let list = alice.get("/admin/users?done=role").await;
    assert_eq!(list.texts("p.notice"), ["The role was changed."]);
    assert_eq!(
        list.texts("table.users tr:nth-child(3) option[selected]"),
        ["editor"]
    );
    // The last admin keeps the role.
    let refused = alice
        .post_form(
            "/admin/users/role",
            &[("csrf", &csrf), ("name", "alice"), ("role", "reader")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.texts("p.error").concat().contains("last admin"));
    // Without the form's token, or as an editor: nothing changes.
    let forged = alice
        .post_form(
            "/admin/users/role",
            &[("csrf", "forged"), ("name", "bob"), ("role", "admin")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let bobs = bob.sign_out_token().await;
    let not_admin = bob
        .post_form(
            "/admin/users/role",
            &[("csrf", &bobs), ("name", "bob"), ("role", "admin")],
        )
        .await;
    assert_eq!(not_admin.status, StatusCode::FORBIDDEN);

    // Audit-logged as alice's doing.
    let actions = app.audit_actions();
    assert!(
        actions
            .iter()
            .any(|(action, target, detail)| action == "role changed"
                && target == "carol"
                && detail == "reader -> editor"),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|(action, target, _)| action == "user created" && target == "dora")
    );
    assert_eq!(
        actions
            .iter()
            .filter(|(action, _, _)| action == "role changed")
            .count(),
        1,
        "refused changes are not logged"
    );
}

#[tokio::test]
async fn the_watchlist_groups_changes_by_day_with_times_as_recent_changes_does() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let form = bob.get("/wiki/Mary_Seacole/watch").await;
    let csrf = form.csrf();
    let watched = bob
        .post_form(
            "/wiki/Mary_Seacole/watch",
            &[("csrf", &csrf), ("action", "watch")],
        )
        .await;
    assert_eq!(watched.status, StatusCode::SEE_OTHER, "{}", watched.body);
    let list = bob.get("/watchlist").await;
    assert_eq!(list.texts("h2.day"), ["Today"], "{}", list.body);
    let row = list.html();
    let selector = scraper::Selector::parse("ul.watchlist li time.when").expect("selector");
    let time = row.select(&selector).next().expect("a time in the row");
    let stamp = time.value().attr("datetime").expect("datetime");
    assert!(stamp.ends_with('Z'), "{stamp}");
    let clock: String = time.text().collect();
    assert_eq!(
        clock.len(),
        5,
        "only the time of day under the day's heading: {clock}"
    );
    let recent = app.get("/recent").await;
    assert_eq!(recent.texts("h2.day")[0], "Today");
}
