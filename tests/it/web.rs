//! The pages people use, over the real router: edit (whole page and one section), preview,
//! conflicts, history, diffs, revert, search, recent changes and feeds, lists.

use axum::http::{StatusCode, header};
use plutarch::auth::Role;

use crate::support::{Client, TestApp};

const PASSWORD: &str = "correct horse battery";

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("edna", Role::Editor, PASSWORD);
    app.add_user("rita", Role::Reader, PASSWORD);
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
    let markup = form.texts("form.edit textarea#markup").concat();
    (
        form.csrf_of("form.edit"),
        field("base_revision"),
        field("section"),
        markup,
    )
}

#[tokio::test]
async fn an_editor_edits_one_section_and_sees_the_change() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let page = edna.get("/wiki/Ada_Lovelace").await;
    let edit_links = page.attrs("h2 a[href*='/edit?section=']", "href");
    let early_life = edit_links
        .first()
        .expect("sections have edit links")
        .clone();
    let (csrf, base, section, markup) = open_form(&mut edna, &early_life).await;
    assert!(
        markup.starts_with("== Early life =="),
        "only the section: {markup}"
    );
    assert!(!markup.contains("== Career"), "not the next section");
    let changed = format!("{markup}She kept a notebook of flying machines.\n");

    let preview = edna
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("section", &section),
                ("markup", &changed),
                ("summary", "Flying machines"),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(
        preview
            .texts(".preview")
            .concat()
            .contains("flying machines")
    );
    assert_eq!(
        preview.texts("textarea#markup").concat(),
        changed,
        "the text is kept"
    );
    assert!(
        !app.get("/wiki/Ada_Lovelace")
            .await
            .body
            .contains("flying machines")
    );

    let saved = edna
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("section", &section),
                ("markup", &changed),
                ("summary", "Flying machines"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let location = saved.header(header::LOCATION).expect("redirect").to_owned();
    assert!(
        location.starts_with("/wiki/Ada_Lovelace?saved=edit#Early_life"),
        "{location}"
    );
    let page = app.get("/wiki/Ada_Lovelace").await;
    assert!(
        page.body
            .contains("She kept a notebook of flying machines.")
    );
    assert!(page.texts(".last-edit").concat().contains("edna"));
    assert!(
        page.texts("h2").len() >= 4,
        "the other sections are still there"
    );
}

/// Posts the edit form with `action` (`save` or `preview`).
async fn post_edit(
    client: &mut Client<'_>,
    path: &str,
    (csrf, base, section): (&str, &str, &str),
    markup: &str,
    action: &str,
) -> crate::support::Page {
    client
        .post_form(
            path,
            &[
                ("csrf", csrf),
                ("base_revision", base),
                ("section", section),
                ("markup", markup),
                ("action", action),
            ],
        )
        .await
}

#[tokio::test]
async fn a_stale_section_edit_is_a_conflict_that_keeps_the_users_text() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let (csrf, base, section, markup) =
        open_form(&mut edna, "/wiki/Ada_Lovelace/edit?section=1").await;
    let form = (csrf.as_str(), base.as_str(), section.as_str());
    let first = format!("{markup}First writer's sentence.\n");
    let second = format!("{markup}Second writer's sentence.\n");
    let path = "/wiki/Ada_Lovelace/edit";
    let saved = post_edit(&mut edna, path, form, &first, "save").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let conflict = post_edit(&mut edna, path, form, &second, "save").await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(conflict.texts("#conflict-heading"), ["Edit conflict"]);
    assert_eq!(
        conflict.texts("textarea#markup").concat(),
        second,
        "their text is kept"
    );
    assert!(
        conflict
            .texts("textarea.current")
            .concat()
            .contains("First writer's sentence.")
    );
    assert!(
        !conflict.texts(".diff ins, .diff del").is_empty(),
        "the difference is shown"
    );
    let page = app.get("/wiki/Ada_Lovelace").await;
    assert!(
        !page.body.contains("Second writer"),
        "nothing was overwritten"
    );

    // Merging by hand and saving again, based on the latest revision, works.
    let latest = conflict
        .attrs("form.edit input[name=base_revision]", "value")
        .concat();
    let merged = format!("{markup}First writer's sentence.\nSecond writer's sentence.\n");
    let form = (csrf.as_str(), latest.as_str(), section.as_str());
    let saved = post_edit(&mut edna, path, form, &merged, "save").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get("/wiki/Ada_Lovelace").await;
    assert!(page.body.contains("First writer") && page.body.contains("Second writer"));
}

#[tokio::test]
async fn line_breaks_sent_by_browsers_are_saved_as_the_wiki_writes_them() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let (csrf, base, section, markup) =
        open_form(&mut edna, "/wiki/Ada_Lovelace/edit?section=1").await;
    let form = (csrf.as_str(), base.as_str(), section.as_str());
    let crlf = format!("{markup}One more line.\n").replace('\n', "\r\n");
    let saved = post_edit(&mut edna, "/wiki/Ada_Lovelace/edit", form, &crlf, "save").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    let ids = history.attrs("table.history input[name=to]", "value");
    let diff = app
        .get(&format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[1], ids[0]
        ))
        .await;
    assert_eq!(
        diff.texts("tr.added").len(),
        1,
        "one added line: {:?}",
        diff.texts("tr.added")
    );
    assert!(diff.texts("tr.removed").is_empty());
}

#[tokio::test]
async fn creating_a_page_is_editing_a_page_that_does_not_exist() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let (csrf, base, _, markup) = open_form(&mut edna, "/wiki/Hypatia/edit").await;
    assert!(base.is_empty() && markup.is_empty());
    let saved = edna
        .post_form(
            "/wiki/Hypatia/edit",
            &[
                ("csrf", &csrf),
                (
                    "markup",
                    "'''Hypatia''' taught mathematics in Alexandria.\n",
                ),
                ("summary", "New page"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get("/wiki/Hypatia").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("taught mathematics"));
}

#[tokio::test]
async fn readers_and_anonymous_visitors_cannot_edit_and_nothing_changes() {
    let app = app();
    let anonymous = app.get("/wiki/Ada_Lovelace/edit").await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "anonymous: sign in first"
    );
    assert!(
        anonymous
            .header(header::LOCATION)
            .unwrap_or("")
            .starts_with("/login")
    );
    let mut rita = app.client().signed_in("rita", PASSWORD).await;
    assert_eq!(
        rita.get("/wiki/Ada_Lovelace/edit").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = rita.sign_out_token().await;
    let post = rita
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &csrf),
                ("markup", "vandalised"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(post.status, StatusCode::FORBIDDEN);
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let forged = edna
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", "forged"),
                ("markup", "vandalised"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        !app.get("/wiki/Ada_Lovelace")
            .await
            .body
            .contains("vandalised")
    );
}

async fn edit_lead(edna: &mut Client<'_>, sentence: &str, summary: &str) {
    let (csrf, base, section, markup) = open_form(edna, "/wiki/Ada_Lovelace/edit?section=0").await;
    let saved = edna
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("section", &section),
                ("markup", &format!("{markup}{sentence}\n")),
                ("summary", summary),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

#[tokio::test]
async fn history_lists_revisions_and_compares_and_reverts_them() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_lead(&mut edna, "An added sentence about music.", "Music").await;
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    assert_eq!(history.status, StatusCode::OK);
    let rows = history.texts("table.history tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains("edna") && rows[0].contains("Music"),
        "newest first"
    );
    assert!(
        rows[0].contains("lead"),
        "which sections changed: {}",
        rows[0]
    );
    let ids = history.attrs("table.history input[name=to]", "value");

    let diff = edna
        .get(&format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[1], ids[0]
        ))
        .await;
    assert_eq!(diff.status, StatusCode::OK);
    assert!(diff.texts("tr.added ins").concat().contains("music"));
    let section_history = diff.attrs(".section-diff a.section-history", "href");
    assert_eq!(
        section_history.len(),
        1,
        "one changed section, with its history link"
    );
    let lead = app.get(&section_history[0]).await;
    assert_eq!(lead.status, StatusCode::OK);
    assert_eq!(lead.texts("table.history tbody tr").len(), 2);
    assert!(
        diff.texts("tr.added .mark").concat().contains('+'),
        "readable without colour"
    );
    assert!(
        diff.attrs("a[rel=prev]", "href").is_empty(),
        "no edit before the first"
    );
    edit_lead(&mut edna, "A second added sentence.", "Second").await;
    let diff = edna
        .get(&format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[1], ids[0]
        ))
        .await;
    assert_eq!(
        diff.attrs("a[rel=next]", "href").len(),
        1,
        "a link to the newer edit"
    );
    edit_lead(&mut edna, "A third added sentence.", "Third").await;
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    let ids = history.attrs("table.history input[name=to]", "value");
    let form = edna
        .get(&format!("/wiki/Ada_Lovelace/revert?to={}", ids[3]))
        .await;
    let csrf = form.csrf_of("form.revert");
    let reverted = edna
        .post_form(
            "/wiki/Ada_Lovelace/revert",
            &[("csrf", &csrf), ("to_revision", &ids[3])],
        )
        .await;
    assert_eq!(reverted.status, StatusCode::SEE_OTHER);
    assert!(
        !app.get("/wiki/Ada_Lovelace")
            .await
            .body
            .contains("about music")
    );
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    assert_eq!(history.texts("table.history tbody tr").len(), 5);
    assert!(
        history.attrs("a.revert", "href").is_empty(),
        "no revert for anonymous readers"
    );
}

#[tokio::test]
async fn diffs_link_to_neighbouring_edits() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    for n in 1..=3 {
        edit_lead(&mut edna, &format!("Sentence number {n}."), "More").await;
    }
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    let ids = history.attrs("table.history input[name=to]", "value");
    let middle = app
        .get(&format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[2], ids[1]
        ))
        .await;
    assert_eq!(
        middle.attrs("a[rel=prev]", "href"),
        [format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[3], ids[2]
        )]
    );
    assert_eq!(
        middle.attrs("a[rel=next]", "href"),
        [format!(
            "/wiki/Ada_Lovelace/diff?from={}&to={}",
            ids[1], ids[0]
        )]
    );
    let other_page = app
        .get(&format!(
            "/wiki/Alan_Turing/diff?from={}&to={}",
            ids[2], ids[1]
        ))
        .await;
    assert_eq!(
        other_page.status,
        StatusCode::NOT_FOUND,
        "revisions of another page"
    );
}

#[tokio::test]
async fn reverting_restores_the_old_text() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_lead(&mut edna, "An added sentence about music.", "Music").await;
    let history = edna.get("/wiki/Ada_Lovelace/history").await;
    let ids = history.attrs("table.history input[name=to]", "value");

    let form = edna
        .get(&format!("/wiki/Ada_Lovelace/revert?to={}", ids[1]))
        .await;
    let csrf = form.csrf_of("form.revert");
    let reverted = edna
        .post_form(
            "/wiki/Ada_Lovelace/revert",
            &[("csrf", &csrf), ("to_revision", &ids[1])],
        )
        .await;
    assert_eq!(reverted.status, StatusCode::SEE_OTHER);
    assert!(
        !app.get("/wiki/Ada_Lovelace")
            .await
            .body
            .contains("about music")
    );
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    assert_eq!(history.texts("table.history tbody tr").len(), 3);
    assert!(
        app.get("/wiki/Ada_Lovelace/history")
            .await
            .attrs("a.revert", "href")
            .is_empty(),
        "no revert for anonymous readers"
    );
}

#[tokio::test]
async fn an_old_revision_is_shown_with_a_banner() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_lead(&mut edna, "A newer sentence.", "Newer").await;
    let history = app.get("/wiki/Ada_Lovelace/history").await;
    let ids = history.attrs("table.history input[name=to]", "value");
    let old = app
        .get(&format!("/wiki/Ada_Lovelace?revision={}", ids[1]))
        .await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.texts(".banner").concat().contains("old revision"));
    assert!(!old.body.contains("A newer sentence."));
    assert!(
        old.attrs("a[href*='/edit?section=']", "href").is_empty(),
        "no section edit links"
    );
    assert_eq!(
        app.get("/wiki/Ada_Lovelace?revision=999999").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn section_history_lists_only_the_edits_of_that_section() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_lead(&mut edna, "Only the lead changed.", "Lead only").await;
    let form = edna.get("/wiki/Ada_Lovelace/edit?section=2").await;
    let link = form.attrs("a", "href");
    assert!(
        link.iter()
            .any(|h| h == "/wiki/Ada_Lovelace/history?section=2"),
        "the section edit form links to the section's history"
    );
    let career = app.get("/wiki/Ada_Lovelace/history?section=2").await;
    assert_eq!(career.status, StatusCode::OK);
    assert_eq!(
        career.texts("table.history tbody tr").len(),
        1,
        "only the first revision"
    );
    assert!(career.texts("h1").concat().contains("Career"));
}

#[tokio::test]
async fn search_finds_sections_and_an_exact_title_goes_to_the_page() {
    let app = app();
    let exact = app.get("/search?q=alan+Turing").await;
    assert_eq!(exact.status, StatusCode::SEE_OTHER);
    assert_eq!(exact.header(header::LOCATION), Some("/wiki/Alan_Turing"));
    let hits = app.get("/search?q=Analytical+Engine").await;
    assert_eq!(hits.status, StatusCode::OK);
    assert!(!hits.texts("ol.search-hits li").is_empty());
    assert!(
        hits.texts("ol.search-hits mark")
            .iter()
            .any(|m| m.eq_ignore_ascii_case("engine"))
    );
    assert!(
        hits.attrs("ol.search-hits a", "href")
            .iter()
            .any(|h| h.contains('#')),
        "a hit links to its section"
    );
    let nothing = app.get("/search?q=zzzyxq").await;
    assert!(nothing.body.contains("No page matches"));
    let hostile = app
        .get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert!(
        !hostile.body.contains("<script>alert(1)"),
        "the query is escaped"
    );
    let long = app.get(&format!("/search?q={}", "a".repeat(400))).await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn recent_changes_list_edits_and_have_an_atom_feed() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    edit_lead(&mut edna, "A recent sentence.", "Recent edit <b>bold</b>").await;
    let recent = app.get("/recent").await;
    assert_eq!(recent.status, StatusCode::OK);
    let first = recent
        .texts("ul.changes li")
        .into_iter()
        .next()
        .unwrap_or_default();
    assert!(
        first.contains("Ada Lovelace") && first.contains("edna"),
        "{first}"
    );
    assert!(
        !recent.body.contains("<b>bold</b>"),
        "summaries are escaped"
    );
    let feed = app.get("/recent.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(
        feed.header(header::CONTENT_TYPE),
        Some("application/atom+xml; charset=utf-8")
    );
    assert!(feed.body.starts_with("<?xml"));
    assert!(
        feed.body
            .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">")
    );
    assert!(feed.body.contains("Recent edit &lt;b&gt;bold&lt;/b&gt;"));
    let page_feed = app.get("/wiki/Ada_Lovelace/feed").await;
    assert_eq!(page_feed.status, StatusCode::OK);
    assert_eq!(page_feed.body.matches("<entry>").count(), 2);
}

#[tokio::test]
async fn all_pages_and_what_links_here_list_pages() {
    let app = app();
    let all = app.get("/pages").await;
    assert_eq!(all.status, StatusCode::OK);
    let titles = all.texts("ul.page-list li");
    assert!(
        titles.contains(&"Ada Lovelace".to_owned()) && titles.contains(&"Main Page".to_owned())
    );
    let links = app.get("/wiki/Ada_Lovelace/links").await;
    assert_eq!(links.status, StatusCode::OK);
    let linking = links.texts("ul.page-list li");
    assert!(linking.contains(&"Main Page".to_owned()), "{linking:?}");
    assert_eq!(
        links.texts("nav.tabs a[aria-current=page]"),
        ["What links here"]
    );
}

#[tokio::test]
async fn pages_have_tabs_and_signed_in_pages_are_not_served_from_the_anonymous_cache() {
    let app = app();
    let anonymous = app.get("/wiki/Ada_Lovelace").await;
    let tabs = anonymous.texts("nav.tabs a");
    assert_eq!(
        tabs,
        [
            "Read",
            "Discussion",
            "View source",
            "History",
            "What links here",
            "Info",
            "Timeline",
            "☆ Watch"
        ],
        "an anonymous reader is offered only what they can do (issue 15)"
    );
    assert_eq!(anonymous.texts("nav.tabs a[aria-current=page]"), ["Read"]);
    assert_eq!(
        anonymous.attrs("header.site nav.site-links a", "href"),
        ["/people", "/timeline", "/recent"]
    );
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let signed_in = edna.get("/wiki/Ada_Lovelace").await;
    assert!(signed_in.texts("header.site").concat().contains("edna"));
    let again = app.get("/wiki/Ada_Lovelace").await;
    assert!(!again.texts("header.site").concat().contains("edna"));
}

#[tokio::test]
async fn a_category_lists_its_members_even_before_it_has_a_page() {
    let app = app();
    let category = app.get("/wiki/Category:Mathematicians").await;
    assert_eq!(category.status, StatusCode::OK, "{}", category.body);
    let members = category.texts(".category-members li");
    assert!(members.contains(&"Ada Lovelace".to_owned()), "{members:?}");
    assert!(
        members.contains(&"Srinivasa Ramanujan".to_owned()),
        "{members:?}"
    );
    let page = app.get("/wiki/Ada_Lovelace").await;
    assert!(
        page.attrs("a", "href")
            .iter()
            .any(|h| h == "/wiki/Category:Mathematicians"),
        "the page links to its categories"
    );
    assert_eq!(
        app.get("/wiki/Category:Nobody_here").await.status,
        StatusCode::NOT_FOUND
    );

    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let (csrf, _, _, _) = open_form(&mut edna, "/wiki/Category:Mathematicians/edit").await;
    let saved = edna
        .post_form(
            "/wiki/Category:Mathematicians/edit",
            &[
                ("csrf", &csrf),
                ("markup", "People known for their work in mathematics.\n"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let category = app.get("/wiki/Category:Mathematicians").await;
    assert!(
        category
            .body
            .contains("People known for their work in mathematics.")
    );
    assert!(category.texts(".category-members li").len() >= 3);
}
