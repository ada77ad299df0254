//! History, diffs, undo and revert as MediaWiki users expect them, and how times, summaries
//! and links read (issue 15), over the real router.

use axum::http::StatusCode;
use plutarch::auth::Role;

use crate::support::{Client, TestApp};

const PASSWORD: &str = "correct horse battery";

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("edna", Role::Editor, PASSWORD);
    app
}

/// Opens the edit form at `path` and returns (csrf, base_revision, section, markup).
async fn open_form(client: &mut Client<'_>, path: &str) -> (String, String, String, String) {
    let form = client.get(path).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let field = |name: &str| {
        form.attrs(&format!("form.edit input[name={name}]"), "value")
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    (
        form.csrf_of("form.edit"),
        field("base_revision"),
        field("section"),
        form.texts("form.edit textarea#markup").concat(),
    )
}

/// Saves `change(markup)` as the text of section `section` of Ada Lovelace; returns the
/// answer (a redirect).
async fn edit_section(
    edna: &mut Client<'_>,
    section: &str,
    change: impl Fn(&str) -> String,
    summary: &str,
) -> crate::support::Page {
    let (csrf, base, section, markup) =
        open_form(edna, &format!("/wiki/Ada_Lovelace/edit?section={section}")).await;
    let saved = edna
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("section", &section),
                ("markup", &change(&markup)),
                ("summary", summary),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    saved
}

#[tokio::test]
async fn times_read_as_dates_in_time_elements_and_recent_changes_group_by_day() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_section(
        &mut edna,
        "0",
        |m| format!("{m}A dated sentence.\n"),
        "Dated",
    )
    .await;
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    let times = history.texts("table.history time.when");
    assert!(!times.is_empty());
    assert!(
        times
            .iter()
            .all(|t| t.ends_with("(UTC)") && t.contains(", ")),
        "{times:?}"
    );
    let stamps = history.attrs("table.history time.when", "datetime");
    assert!(stamps.iter().all(|s| s.contains('T')), "{stamps:?}");
    let recent = app.get("/recent").await;
    assert_eq!(
        recent.texts("h2.day").first().map(String::as_str),
        Some("Today")
    );
    assert!(!recent.texts("ul.changes time.when").is_empty());
    assert!(
        !recent.body.contains("style="),
        "no inline styles: the CSP forbids them"
    );
}

/// The revision ids of the history, newest first.
async fn revision_ids(client: &mut Client<'_>) -> Vec<String> {
    let history = client.get("/wiki/Ada_Lovelace/history").await;
    history.attrs("table.history input[name=to]", "value")
}

#[tokio::test]
async fn history_rows_link_cur_and_prev_and_revert_asks_for_a_summary() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_section(&mut edna, "0", |m| format!("{m}About music.\n"), "Music").await;
    edit_section(&mut edna, "0", |m| format!("{m}About poetry.\n"), "Poetry").await;
    let ids = revision_ids(&mut edna).await;
    assert_eq!(ids.len(), 3, "{ids:?}");
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    let cur = history.attrs("table.history a.cur", "href");
    let prev = history.attrs("table.history a.prev", "href");
    // The latest has no cur link, the first revision no prev link.
    assert_eq!(
        cur,
        [
            format!("/wiki/Ada_Lovelace/diff?from={}&to={}", ids[1], ids[0]),
            format!("/wiki/Ada_Lovelace/diff?from={}&to={}", ids[2], ids[0]),
        ]
    );
    assert_eq!(
        prev,
        [
            format!("/wiki/Ada_Lovelace/diff?from={}&to={}", ids[1], ids[0]),
            format!("/wiki/Ada_Lovelace/diff?from={}&to={}", ids[2], ids[1]),
        ]
    );
    let cur_diff = edna.get(&cur[1]).await;
    assert_eq!(cur_diff.status, StatusCode::OK);
    let added = cur_diff.texts("tr.added").concat();
    assert!(added.contains("About music.") && added.contains("About poetry."));

    // Revert: a form asks why, then says what it did.
    let revert_links = history.attrs("table.history a.revert", "href");
    assert_eq!(revert_links.len(), 2, "not for the latest");
    let form = edna.get(&revert_links[1]).await;
    assert_eq!(form.status, StatusCode::OK);
    let suggested = form
        .attrs("form.revert input[name=summary]", "value")
        .concat();
    assert!(
        suggested.starts_with(&format!("Reverted to revision {} by ", ids[2])),
        "{suggested}"
    );
    let csrf = form.csrf_of("form.revert");
    let reverted = edna
        .post_form(
            "/wiki/Ada_Lovelace/revert",
            &[
                ("csrf", &csrf),
                ("to_revision", &ids[2]),
                ("summary", "Back to the sample: music belongs elsewhere"),
            ],
        )
        .await;
    assert_eq!(reverted.status, StatusCode::SEE_OTHER);
    let location = reverted.header(axum::http::header::LOCATION).unwrap_or("");
    let page = edna.get(location).await;
    assert!(
        page.texts("p.notice").concat().contains("reverted"),
        "{}",
        page.texts("main").concat()
    );
    assert!(!page.body.contains("About music."));
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    assert!(
        history
            .texts("table.history tbody tr")
            .concat()
            .contains("Back to the sample: music belongs elsewhere")
    );
    // Anonymous readers get no revert or undo links, and the forms want a session.
    let anonymous = app.get("/wiki/Ada_Lovelace/history").await;
    assert!(anonymous.attrs("a.revert, a.undo", "href").is_empty());
    assert_eq!(
        app.get(&revert_links[0]).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn undo_takes_back_one_change_on_top_of_later_ones_and_conflicts_on_the_same_lines() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_section(&mut edna, "0", |m| format!("{m}About music.\n"), "Music").await;
    edit_section(
        &mut edna,
        "3",
        |m| format!("{m}A later career line.\n"),
        "Career",
    )
    .await;
    let ids = revision_ids(&mut edna).await;
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    let undo = format!("/wiki/Ada_Lovelace/undo?revision={}", ids[1]);
    assert!(
        history.attrs("a.undo", "href").contains(&undo),
        "an undo link per revision"
    );

    let form = edna.get(&undo).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.texts("section.changes tr.removed")
            .concat()
            .contains("About music.")
    );
    let markup = form.texts("form.edit textarea#markup").concat();
    assert!(!markup.contains("About music.") && markup.contains("A later career line."));
    let summary = form
        .attrs("form.edit input[name=summary]", "value")
        .concat();
    assert!(
        summary.starts_with(&format!("Undid revision {}", ids[1])),
        "{summary}"
    );
    let base = form
        .attrs("form.edit input[name=base_revision]", "value")
        .concat();
    assert_eq!(base, ids[0], "based on the latest");
    let saved = edna
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &form.csrf_of("form.edit")),
                ("base_revision", &base),
                ("markup", &markup),
                ("summary", &summary),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get("/wiki/Ada_Lovelace").await;
    assert!(!page.body.contains("About music.") && page.body.contains("A later career line."));

    // A later edit of the same line: undoing the earlier change conflicts, shown like an edit
    // conflict with the current text to undo by hand.
    edit_section(&mut edna, "0", |m| format!("{m}First line.\n"), "First").await;
    edit_section(
        &mut edna,
        "0",
        |m| m.replace("First line.", "First line, changed."),
        "Changed",
    )
    .await;
    let ids = revision_ids(&mut edna).await;
    let conflict = edna
        .get(&format!("/wiki/Ada_Lovelace/undo?revision={}", ids[1]))
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(
        conflict
            .texts("p.banner")
            .concat()
            .contains("could not be undone")
    );
    assert!(
        conflict
            .texts("form.edit textarea#markup")
            .concat()
            .contains("First line, changed."),
        "the current text, to undo by hand"
    );
    // The revision that created the page has nothing to go back to.
    let first = ids.last().cloned().unwrap_or_default();
    let refused = edna
        .get(&format!("/wiki/Ada_Lovelace/undo?revision={first}"))
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    // A revision of another page is not this page's.
    let other = app.get("/wiki/Alan_Turing/history").await;
    let turing = other
        .attrs("table.history input[name=to]", "value")
        .concat();
    let elsewhere = edna
        .get(&format!("/wiki/Ada_Lovelace/undo?revision={turing}"))
        .await;
    assert!(elsewhere.status.is_client_error(), "{}", elsewhere.status);
}

#[tokio::test]
async fn diffs_mark_only_the_changed_words_of_a_line() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_section(
        &mut edna,
        "1",
        |m| m.replace("the only legitimate child", "the only lawful child"),
        "Word",
    )
    .await;
    let ids = revision_ids(&mut edna).await;
    let diff = edna
        .get(&format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[1], ids[0]
        ))
        .await;
    assert_eq!(diff.texts("tr.added ins.word"), ["lawful"]);
    assert_eq!(diff.texts("tr.removed del.word"), ["legitimate"]);
    assert!(
        diff.texts("tr.added > td > ins:not(.word)").is_empty(),
        "the line is not wrapped whole"
    );
    assert!(
        diff.texts("tr.added")
            .concat()
            .contains("Ada was the only lawful child")
    );
    let css = app.get("/static/style.css").await.body;
    assert!(css.contains(
        "table.diff-lines ins, table.diff-lines del { background: none; text-decoration: none; }"
    ));
}

#[tokio::test]
async fn an_old_revision_links_older_and_newer_and_names_itself_in_the_title() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_section(&mut edna, "0", |m| format!("{m}One.\n"), "One").await;
    edit_section(&mut edna, "0", |m| format!("{m}Two.\n"), "Two").await;
    let ids = revision_ids(&mut edna).await;
    let middle = app
        .get(&format!("/wiki/Ada_Lovelace?revision={}", ids[1]))
        .await;
    assert_eq!(
        middle.texts("title").concat(),
        format!("Ada Lovelace (revision {}) — Plutarch", ids[1])
    );
    assert_eq!(
        middle.attrs("nav.revision-nav a[rel=prev]", "href"),
        [format!("/wiki/Ada_Lovelace?revision={}", ids[2])]
    );
    assert_eq!(
        middle.attrs("nav.revision-nav a[rel=next]", "href"),
        [format!("/wiki/Ada_Lovelace?revision={}", ids[0])]
    );
    let first = app
        .get(&format!("/wiki/Ada_Lovelace?revision={}", ids[2]))
        .await;
    assert!(
        first
            .attrs("nav.revision-nav a[rel=prev]", "href")
            .is_empty()
    );
    let latest = app.get("/wiki/Ada_Lovelace").await;
    assert_eq!(latest.texts("title").concat(), "Ada Lovelace — Plutarch");
    assert!(latest.texts("nav.revision-nav").is_empty());
}

#[tokio::test]
async fn a_section_edit_summary_names_the_section_and_links_to_it() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let saved = edit_section(
        &mut edna,
        "1",
        |m| format!("{m}A childhood note.\n"),
        "note",
    )
    .await;
    let location = saved.header(axum::http::header::LOCATION).unwrap_or("");
    assert!(
        location.starts_with("/wiki/Ada_Lovelace?saved=edit#Early_life"),
        "{location}"
    );
    let page = edna.get(location).await;
    assert_eq!(page.texts("p.notice"), ["Your edit was saved."]);
    assert!(
        app.get(location).await.texts("p.notice").is_empty(),
        "only for the editor"
    );
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    assert_eq!(
        history.attrs("table.history span.autocomment a", "href"),
        ["/wiki/Ada_Lovelace#Early_life"]
    );
    assert!(
        history
            .texts("table.history tbody tr")
            .concat()
            .contains("→Early life: note")
    );
    let recent = app.get("/recent").await;
    assert_eq!(
        recent
            .attrs("ul.changes span.autocomment a", "href")
            .first()
            .map(String::as_str),
        Some("/wiki/Ada_Lovelace#Early_life")
    );
    let api = app.get("/api/pages/Ada_Lovelace/revisions").await;
    assert!(
        api.body.contains("\"/* Early life */ note\""),
        "the API keeps it raw: {}",
        api.body
    );
    // The whole page's edit has no section to name.
    edit_section(&mut edna, "0", |m| format!("{m}Lead.\n"), "lead note").await;
    let api = app.get("/api/pages/Ada_Lovelace/revisions").await;
    assert!(api.body.contains("\"lead note\""));
}

#[tokio::test]
async fn pages_with_a_feed_name_it_in_the_head_and_history_links_it() {
    let app = app();
    for (path, feed) in [
        ("/wiki/Ada_Lovelace", "/wiki/Ada_Lovelace/feed"),
        ("/wiki/Ada_Lovelace/history", "/wiki/Ada_Lovelace/feed"),
        ("/recent", "/recent.atom"),
    ] {
        let page = app.get(path).await;
        assert_eq!(
            page.attrs(
                "head link[rel=alternate][type='application/atom+xml']",
                "href"
            ),
            [feed],
            "{path}"
        );
    }
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    assert_eq!(
        history.attrs("main a[type='application/atom+xml']", "href"),
        ["/wiki/Ada_Lovelace/feed"]
    );
    assert!(
        app.get("/pages")
            .await
            .attrs("head link[rel=alternate]", "href")
            .is_empty()
    );
    let css = app.get("/static/style.css").await.body;
    assert!(css.contains("a.external:not(.autonumber)::after"));
}

#[tokio::test]
async fn the_edit_form_has_markup_help_and_a_new_biography_starts_from_a_skeleton() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let form = edna.get("/wiki/Ada_Lovelace/edit").await;
    assert!(
        form.texts(".edit-area aside.markup-help dt")
            .concat()
            .contains("[[Ada Lovelace]]")
    );

    let search = edna.get("/search?q=Jo+Bloggs").await;
    let start = search.attrs("p.new-biography a.new-biography", "href");
    assert_eq!(start, ["/wiki/Jo_Bloggs/edit?preload=biography"]);
    let welcome_link = "/new-biography";
    let asked = edna.get(welcome_link).await;
    assert_eq!(asked.status, StatusCode::OK);
    let named = edna.get("/new-biography?title=Jo+Bloggs").await;
    assert_eq!(
        named.header(axum::http::header::LOCATION),
        Some("/wiki/Jo_Bloggs/edit?preload=biography")
    );
    let new = edna.get(&start[0]).await;
    let markup = new.texts("form.edit textarea#markup").concat();
    assert!(
        markup.starts_with("{{Infobox person\n| name = Jo Bloggs\n"),
        "{markup}"
    );
    assert!(markup.contains("== Early life ==") && markup.contains("<references />"));
    // An existing page opens as it is.
    let existing = edna.get("/wiki/Ada_Lovelace/edit?preload=biography").await;
    assert!(
        !existing
            .texts("textarea#markup")
            .concat()
            .contains("| name = Ada Lovelace\n| image")
    );
    assert_eq!(
        app.get("/new-biography").await.status,
        StatusCode::SEE_OTHER,
        "editors only"
    );
}

#[tokio::test]
async fn a_deleted_page_says_when_and_why_unless_the_reason_is_kept_to_admins() {
    let app = TestApp::with_roles();
    let mut alice = app
        .client()
        .signed_in("alice", crate::support::PASSWORD)
        .await;
    for (title, reason, private) in [
        ("Mary_Seacole", "A copyright violation", false),
        ("Alan_Turing", "Private matter", true),
    ] {
        let form = alice.get(&format!("/wiki/{title}/delete")).await;
        let csrf = form.csrf_of("form.delete-page");
        let mut fields = vec![("csrf", csrf.as_str()), ("reason", reason)];
        if private {
            fields.push(("reason_private", "on"));
        }
        let done = alice
            .post_form(&format!("/wiki/{title}/delete"), &fields)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
    }
    let public = app.get("/wiki/Mary_Seacole").await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
    let notice = public.texts(".deleted-notice").concat();
    assert!(
        notice.contains("This page was deleted on") && notice.contains("(UTC)"),
        "{notice}"
    );
    assert!(notice.contains("A copyright violation"), "{notice}");
    assert_eq!(public.attrs(".deleted-notice time", "datetime").len(), 1);
    let private = app.get("/wiki/Alan_Turing").await;
    let notice = private.texts(".deleted-notice").concat();
    assert!(
        notice.contains("kept to admins") && !notice.contains("Private matter"),
        "{notice}"
    );
    let admin_view = alice.get("/wiki/Alan_Turing").await;
    assert!(
        admin_view
            .texts(".deleted-notice")
            .concat()
            .contains("Private matter")
    );
}

#[tokio::test]
async fn what_links_here_marks_redirects_and_categories_sort_by_key_with_a_count() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let form = edna.get("/wiki/Countess_Lovelace/edit").await;
    let saved = edna
        .post_form(
            "/wiki/Countess_Lovelace/edit",
            &[
                ("csrf", &form.csrf_of("form.edit")),
                ("markup", "#REDIRECT [[Ada Lovelace]]\n"),
                ("summary", "redirect"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let links = app.get("/wiki/Ada_Lovelace/links").await;
    let rows = links.texts("ul.page-list li");
    assert!(
        rows.contains(&"Countess Lovelace (redirect page)".to_owned()),
        "{rows:?}"
    );
    assert!(rows.contains(&"Main Page".to_owned()), "{rows:?}");

    let category = app.get("/wiki/Category:Mathematicians").await;
    // {{DEFAULTSORT:Lovelace, Ada}}, {{DEFAULTSORT:Turing, Alan}}; Ramanujan sorts by title.
    let members = category.texts("section.category-members ul.page-list li");
    assert_eq!(
        members,
        ["Ada Lovelace", "Srinivasa Ramanujan", "Alan Turing"]
    );
    assert_eq!(
        category.texts("p.member-count"),
        ["This category has 3 pages, listed by their sort keys."]
    );
}

#[tokio::test]
async fn a_database_of_the_previous_schema_keeps_old_deletion_reasons_private_and_sorts_people() {
    let app = TestApp::with_roles();
    let mut alice = app
        .client()
        .signed_in("alice", crate::support::PASSWORD)
        .await;
    let form = alice.get("/wiki/Mary_Seacole/delete").await;
    let csrf = form.csrf_of("form.delete-page");
    let fields = [("csrf", csrf.as_str()), ("reason", "Typed for admins")];
    alice.post_form("/wiki/Mary_Seacole/delete", &fields).await;
    // The database the previous main leaves (schema 19): no private flag, and category links
    // without a key sorted by the page's title.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 UPDATE categories SET sort_key = (SELECT title FROM pages WHERE id = page_id);
                 DROP TABLE transclusions;
                 PRAGMA user_version = 19;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    let old_order = app.get("/wiki/Category:Mathematicians").await;
    assert_eq!(
        old_order.texts("section.category-members li"),
        ["Ada Lovelace", "Alan Turing", "Srinivasa Ramanujan"],
        "the old keys"
    );
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let category = reopened.get("/wiki/Category:Mathematicians").await;
    assert_eq!(
        category.texts("section.category-members li"),
        ["Ada Lovelace", "Srinivasa Ramanujan", "Alan Turing"]
    );
    let deleted = reopened.get("/wiki/Mary_Seacole").await;
    let notice = deleted.texts(".deleted-notice").concat();
    assert!(
        notice.contains("kept to admins") && !notice.contains("Typed for admins"),
        "{notice}"
    );
}
