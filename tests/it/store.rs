//! Storage and the edit rules, over a temporary database: saves, sections and their ids,
//! merges and conflicts, history, links, search, and failures.

use std::collections::HashSet;

use plutarch::store::Db;
use plutarch::wiki::{
    self, SaveOutcome, SaveRequest, SectionKey, Title, WikiError, samples::SYSTEM_USER_ID,
};

struct Wiki {
    db: Db,
    _dir: tempfile::TempDir,
}

fn wiki() -> Wiki {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = Db::open(&dir.path().join("store.db")).expect("open");
    Wiki { db, _dir: dir }
}

fn t(title: &str) -> Title {
    Title::new(title).expect("title")
}

const BIO: &str = "= Grace Example =\n'''Grace Example''' (1900–1980) was an [[engineer]].\n\
== Early life ==\nBorn in [[Leeds]].\n\
== Career ==\nBuilt bridges.\n=== Awards ===\nMany.\n\
== Legacy ==\nRemembered. [[Category:Engineers|Example, Grace]]\n";

impl Wiki {
    async fn save(
        &self,
        title: &str,
        markup: &str,
        base: Option<i64>,
        section: Option<&str>,
    ) -> Result<SaveOutcome, WikiError> {
        wiki::save_page(
            &self.db,
            SaveRequest {
                title: t(title),
                markup: markup.to_owned(),
                base_revision: base,
                section: section.map(SectionKey::parse),
                summary: String::new(),
                author_id: SYSTEM_USER_ID,
            },
        )
        .await
    }

    async fn create(&self, title: &str, markup: &str) -> i64 {
        let outcome = self.save(title, markup, None, None).await.expect("create");
        assert!(outcome.created());
        outcome.revision()
    }

    async fn text(&self, title: &str) -> String {
        wiki::read_page(&self.db, &t(title), None)
            .await
            .expect("read")
            .expect("page exists")
            .page
            .text
    }

    async fn ids(&self, title: &str) -> Vec<(String, String)> {
        let (_, sections) = wiki::sections(&self.db, &t(title), None)
            .await
            .expect("sections");
        sections.into_iter().map(|s| (s.info.title, s.id)).collect()
    }

    async fn id_of(&self, title: &str, heading: &str) -> String {
        self.ids(title)
            .await
            .into_iter()
            .find(|(h, _)| h == heading)
            .map(|(_, id)| id)
            .unwrap_or_else(|| panic!("no section {heading}"))
    }
}

#[tokio::test]
async fn a_page_is_created_then_edited_and_reads_back_byte_for_byte() {
    let w = wiki();
    let text = "\u{feff}Lead with a BOM\r\n== Windows ==\r\nLines end in CRLF.\r\nZoë ünïcode";
    let first = w.create("Grace Example", text).await;
    assert_eq!(w.text("Grace Example").await, text);
    let outcome = w
        .save("Grace Example", BIO, Some(first), None)
        .await
        .unwrap();
    assert!(matches!(outcome, SaveOutcome::Saved { created: false, .. }));
    assert!(outcome.revision() > first);
    assert_eq!(w.text("Grace Example").await, BIO);
    let old = wiki::revision(&w.db, first).await.unwrap();
    assert_eq!(old.text, text, "old revisions stay readable");
}

#[tokio::test]
async fn creating_an_existing_page_without_a_base_is_a_conflict() {
    let w = wiki();
    let first = w.create("Grace Example", BIO).await;
    match w.save("Grace Example", "other", None, None).await {
        Err(WikiError::Conflict {
            latest_revision,
            current_markup,
            your_markup,
        }) => {
            assert_eq!(latest_revision, first);
            assert_eq!(current_markup, BIO);
            assert_eq!(your_markup, "other");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn an_edit_that_changes_nothing_makes_no_revision() {
    let w = wiki();
    let first = w.create("Grace Example", BIO).await;
    let outcome = w
        .save("Grace Example", BIO, Some(first), None)
        .await
        .unwrap();
    assert!(matches!(outcome, SaveOutcome::Unchanged { revision, .. } if revision == first));
    let section = w
        .save(
            "Grace Example",
            "== Career ==\nBuilt bridges.\n=== Awards ===\nMany.\n",
            Some(first),
            Some("2"),
        )
        .await
        .unwrap();
    assert!(matches!(section, SaveOutcome::Unchanged { .. }));
    let history = wiki::history(&w.db, &t("Grace Example"), None, 50, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
}

#[tokio::test]
async fn two_saves_in_the_same_second_are_two_revisions() {
    let w = wiki();
    let a = w.create("Grace Example", "one").await;
    let b = w
        .save("Grace Example", "two", Some(a), None)
        .await
        .unwrap()
        .revision();
    let c = w
        .save("Grace Example", "three", Some(b), None)
        .await
        .unwrap()
        .revision();
    assert!(a < b && b < c);
    let history = wiki::history(&w.db, &t("Grace Example"), None, 50, None)
        .await
        .unwrap();
    let ids: Vec<i64> = history.iter().map(|h| h.revision.id).collect();
    assert_eq!(ids, [c, b, a], "newest first");
    assert_eq!(
        history[0].size_delta, 2,
        "\"three\" is two bytes longer than \"two\""
    );
}

#[tokio::test]
async fn edits_of_different_sections_from_one_base_both_land() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    w.save(
        "Grace Example",
        "== Early life ==\nBorn in [[York]].\n",
        Some(base),
        Some("1"),
    )
    .await
    .unwrap();
    w.save(
        "Grace Example",
        "== Legacy ==\nStill remembered.\n",
        Some(base),
        Some("4"),
    )
    .await
    .unwrap();
    let text = w.text("Grace Example").await;
    assert!(text.contains("Born in [[York]]."), "{text}");
    assert!(text.contains("Still remembered."), "{text}");
}

#[tokio::test]
async fn edits_of_the_same_section_from_one_base_conflict() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    let first = w
        .save(
            "Grace Example",
            "== Early life ==\nBorn in York.\n",
            Some(base),
            Some("1"),
        )
        .await
        .unwrap();
    let second = w
        .save(
            "Grace Example",
            "== Early life ==\nBorn in Hull.\n",
            Some(base),
            Some("1"),
        )
        .await;
    match second {
        Err(WikiError::Conflict {
            latest_revision,
            current_markup,
            your_markup,
        }) => {
            assert_eq!(latest_revision, first.revision());
            assert_eq!(current_markup, "== Early life ==\nBorn in York.\n");
            assert_eq!(your_markup, "== Early life ==\nBorn in Hull.\n");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(w.text("Grace Example").await.contains("York"));
}

#[tokio::test]
async fn a_section_edit_conflicts_when_a_subsection_changed() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    w.save(
        "Grace Example",
        "=== Awards ===\nA medal.\n",
        Some(base),
        Some("3"),
    )
    .await
    .unwrap();
    let result = w
        .save(
            "Grace Example",
            "== Career ==\nBuilt roads.\n",
            Some(base),
            Some("2"),
        )
        .await;
    assert!(
        matches!(result, Err(WikiError::Conflict { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_section_edit_adds_a_newline_at_the_joint_only() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    w.save(
        "Grace Example",
        "== Early life ==\nBorn in York.",
        Some(base),
        Some("1"),
    )
    .await
    .unwrap();
    let text = w.text("Grace Example").await;
    assert!(text.contains("Born in York.\n== Career ==\n"), "{text}");
    let latest = w
        .save("Grace Example", "== Legacy ==\nEnd.", None, None)
        .await;
    assert!(latest.is_err());
}

#[tokio::test]
async fn a_section_edit_by_id_follows_the_section_after_it_moved() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    let legacy = w.id_of("Grace Example", "Legacy").await;
    // Someone moves Legacy to the top.
    let moved = BIO
        .replace(
            "== Legacy ==\nRemembered. [[Category:Engineers|Example, Grace]]\n",
            "",
        )
        .replace(
            "== Early life ==",
            "== Legacy ==\nRemembered. [[Category:Engineers|Example, Grace]]\n== Early life ==",
        );
    w.save("Grace Example", &moved, Some(base), None)
        .await
        .unwrap();
    assert_eq!(w.id_of("Grace Example", "Legacy").await, legacy);
    // An edit based on the old revision, naming the section by index there, lands on it.
    w.save(
        "Grace Example",
        "== Legacy ==\nRevered.\n",
        Some(base),
        Some("4"),
    )
    .await
    .unwrap();
    let text = w.text("Grace Example").await;
    assert!(
        text.contains("== Legacy ==\nRevered.\n== Early life =="),
        "{text}"
    );
    assert_eq!(w.id_of("Grace Example", "Legacy").await, legacy);
}

#[tokio::test]
async fn section_ids_survive_text_edits_renames_and_moves() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    let before = w.ids("Grace Example").await;
    let career = w.id_of("Grace Example", "Career").await;
    let early = w.id_of("Grace Example", "Early life").await;
    assert!(
        before
            .iter()
            .all(|(_, id)| !id.chars().all(|c| c.is_ascii_digit()))
    );
    let unique: HashSet<&String> = before.iter().map(|(_, id)| id).collect();
    assert_eq!(unique.len(), before.len());

    // Text edit.
    let r = w
        .save(
            "Grace Example",
            &BIO.replace("Built bridges.", "Built bridges and dams."),
            Some(base),
            None,
        )
        .await
        .unwrap()
        .revision();
    assert_eq!(w.id_of("Grace Example", "Career").await, career);
    // Rename of the heading.
    let text = w
        .text("Grace Example")
        .await
        .replace("== Career ==", "== Working life ==");
    let r = w
        .save("Grace Example", &text, Some(r), None)
        .await
        .unwrap()
        .revision();
    assert_eq!(w.id_of("Grace Example", "Working life").await, career);
    // Move: Early life after Legacy, and a new section.
    let text = w.text("Grace Example").await;
    let early_text = "== Early life ==\nBorn in [[Leeds]].\n";
    let text = text.replace(early_text, "") + early_text + "== Notes ==\nNew.\n";
    w.save("Grace Example", &text, Some(r), None).await.unwrap();
    assert_eq!(w.id_of("Grace Example", "Early life").await, early);
    assert_eq!(w.id_of("Grace Example", "Working life").await, career);
    let notes = w.id_of("Grace Example", "Notes").await;
    assert!(
        !before.iter().any(|(_, id)| *id == notes),
        "a new section gets a new id"
    );
}

#[tokio::test]
async fn a_section_edit_that_adds_headings_keeps_the_id_on_the_first() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    let early = w.id_of("Grace Example", "Early life").await;
    let outcome = w
        .save(
            "Grace Example",
            "== Childhood ==\nBorn in Leeds.\n== Schooling ==\nIn York.\n",
            Some(base),
            Some(&early),
        )
        .await
        .unwrap();
    let titles: Vec<&str> = outcome
        .sections()
        .iter()
        .map(|s| s.info.title.as_str())
        .collect();
    assert_eq!(
        titles,
        ["", "Childhood", "Schooling", "Career", "Awards", "Legacy"]
    );
    assert_eq!(outcome.sections()[1].id, early);
}

#[tokio::test]
async fn a_stale_whole_page_edit_merges_or_conflicts_by_section() {
    let w = wiki();
    let base = w.create("Grace Example", BIO).await;
    w.save(
        "Grace Example",
        "== Early life ==\nBorn in York.\n",
        Some(base),
        Some("1"),
    )
    .await
    .unwrap();
    // A whole-page edit from the same base that touched Legacy only: merged.
    let mine = BIO.replace("Remembered.", "Widely remembered.");
    let outcome = w
        .save("Grace Example", &mine, Some(base), None)
        .await
        .unwrap();
    assert!(matches!(outcome, SaveOutcome::Saved { merged: true, .. }));
    let text = w.text("Grace Example").await;
    assert!(
        text.contains("Born in York.") && text.contains("Widely remembered."),
        "{text}"
    );
    // One that touched Early life too: a conflict with both texts.
    let mine = BIO.replace("Born in [[Leeds]].", "Born in Hull.");
    match w.save("Grace Example", &mine, Some(base), None).await {
        Err(WikiError::Conflict {
            current_markup,
            your_markup,
            ..
        }) => {
            assert_eq!(current_markup, text);
            assert_eq!(your_markup, mine);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn many_concurrent_writers_lose_no_update() {
    let w = wiki();
    let mut text = String::from("Lead.\n");
    for s in 0..8 {
        text.push_str(&format!("== Part {s} ==\n"));
    }
    w.create("Busy", &text).await;
    let mut tasks = Vec::new();
    for writer in 0..40 {
        let db = w.db.clone();
        tasks.push(tokio::spawn(async move {
            let key = SectionKey::Index(1 + writer % 8);
            loop {
                let section = wiki::section(&db, &t("Busy"), &key, None).await.unwrap();
                let markup = format!("{}writer {writer}\n", section.markup);
                let request = SaveRequest {
                    title: t("Busy"),
                    markup,
                    base_revision: Some(section.revision),
                    section: Some(key.clone()),
                    summary: format!("writer {writer}"),
                    author_id: SYSTEM_USER_ID,
                };
                match wiki::save_page(&db, request).await {
                    Ok(_) => break,
                    Err(WikiError::Conflict { .. }) => continue,
                    Err(e) => panic!("{e}"),
                }
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let text = w.text("Busy").await;
    for writer in 0..40 {
        assert!(
            text.contains(&format!("writer {writer}\n")),
            "writer {writer} lost: {text}"
        );
    }
    let history = wiki::history(&w.db, &t("Busy"), None, 500, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 41);
}

#[tokio::test]
async fn a_sections_history_lists_only_the_revisions_that_changed_it() {
    let w = wiki();
    let r1 = w.create("Grace Example", BIO).await;
    let career = w.id_of("Grace Example", "Career").await;
    let r2 = w
        .save(
            "Grace Example",
            "== Early life ==\nBorn in York.\n",
            Some(r1),
            Some("1"),
        )
        .await
        .unwrap()
        .revision();
    let r3 = w
        .save(
            "Grace Example",
            "== Career ==\nBuilt tunnels.\n=== Awards ===\nMany.\n",
            Some(r2),
            Some(&career),
        )
        .await
        .unwrap()
        .revision();
    let history = wiki::history(
        &w.db,
        &t("Grace Example"),
        Some(SectionKey::Id(career.clone())),
        50,
        None,
    )
    .await
    .unwrap();
    let ids: Vec<i64> = history.iter().map(|h| h.revision.id).collect();
    assert_eq!(ids, [r3, r1]);
    assert_eq!(history[0].changed_sections, ["Career"]);
    let by_index = wiki::history(
        &w.db,
        &t("Grace Example"),
        Some(SectionKey::Index(2)),
        1,
        Some(r3),
    )
    .await
    .unwrap();
    assert_eq!(by_index.len(), 1);
    assert_eq!(by_index[0].revision.id, r1, "the cursor pages back");
}

#[tokio::test]
async fn sections_and_one_section_by_index_or_id() {
    let w = wiki();
    let r = w.create("Grace Example", BIO).await;
    let (revision, sections) = wiki::sections(&w.db, &t("Grace Example"), None)
        .await
        .unwrap();
    assert_eq!(revision, r);
    assert_eq!(sections.len(), 5);
    assert_eq!(sections[3].info.parent, Some(2));
    let by_index = wiki::section(&w.db, &t("Grace Example"), &SectionKey::Index(2), None)
        .await
        .unwrap();
    assert_eq!(
        by_index.markup,
        "== Career ==\nBuilt bridges.\n=== Awards ===\nMany.\n"
    );
    let by_id = wiki::section(
        &w.db,
        &t("Grace Example"),
        &SectionKey::Id(sections[2].id.clone()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(by_id, by_index);
    assert_eq!(
        &BIO[by_id.section.info.byte_start..by_id.section.info.byte_end],
        by_id.markup
    );
    let missing = wiki::section(&w.db, &t("Grace Example"), &SectionKey::Index(9), None).await;
    assert!(matches!(missing, Err(WikiError::SectionMissing { .. })));
    let json = serde_json::to_value(&sections[1]).unwrap();
    assert_eq!(json["title"], "Early life");
    assert_eq!(json["id"], sections[1].id.as_str());
    assert_eq!(json["index"], 1);
}

#[tokio::test]
async fn revert_move_delete_and_undelete() {
    let w = wiki();
    let r1 = w.create("Grace Example", BIO).await;
    let r2 = w
        .save("Grace Example", "Vandalised.", Some(r1), None)
        .await
        .unwrap()
        .revision();
    let career = w.ids("Grace Example").await;
    assert_eq!(career.len(), 1);
    let outcome = wiki::revert(&w.db, &t("Grace Example"), r1, SYSTEM_USER_ID, "")
        .await
        .unwrap();
    assert!(outcome.revision() > r2);
    assert_eq!(w.text("Grace Example").await, BIO);
    let original: Vec<String> = wiki::sections(&w.db, &t("Grace Example"), Some(r1))
        .await
        .unwrap()
        .1
        .into_iter()
        .map(|s| s.id)
        .collect();
    let now: Vec<String> = outcome.sections().iter().map(|s| s.id.clone()).collect();
    assert_eq!(now, original, "sections that come back get their ids back");

    let moved = wiki::move_page(
        &w.db,
        &t("Grace Example"),
        &t("Grace Q. Example"),
        SYSTEM_USER_ID,
        "full name",
    )
    .await
    .unwrap();
    assert!(moved.redirect_revision > moved.revision);
    assert_eq!(w.text("Grace Q. Example").await, BIO);
    let via_redirect = wiki::read_page(&w.db, &t("Grace Example"), None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(via_redirect.page.title, "Grace Q. Example");
    assert_eq!(
        via_redirect.redirected_from.as_deref(),
        Some("Grace Example")
    );
    let history = wiki::history(&w.db, &t("Grace Q. Example"), None, 50, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 4, "the history moved with the page");
    assert!(matches!(
        wiki::move_page(
            &w.db,
            &t("Grace Q. Example"),
            &t("Grace Example"),
            SYSTEM_USER_ID,
            ""
        )
        .await,
        Err(WikiError::TitleTaken(_))
    ));

    wiki::delete_page(&w.db, &t("Grace Q. Example"), SYSTEM_USER_ID, "")
        .await
        .unwrap();
    assert!(
        wiki::read_page(&w.db, &t("Grace Q. Example"), None)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        wiki::search(&w.db, "bridges", 10, wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    wiki::undelete_page(&w.db, &t("Grace Q. Example"), SYSTEM_USER_ID, "")
        .await
        .unwrap();
    assert_eq!(w.text("Grace Q. Example").await, BIO);
    assert_eq!(
        wiki::search(&w.db, "bridges", 10, wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits
            .len(),
        1
    );
}

#[tokio::test]
async fn links_backlinks_and_categories_follow_every_save() {
    let w = wiki();
    let r = w.create("Grace Example", BIO).await;
    w.create("Leeds", "A city.").await;
    let links = wiki::links(&w.db, &t("Grace Example")).await.unwrap();
    let shown: Vec<(&str, bool)> = links.iter().map(|l| (l.title.as_str(), l.exists)).collect();
    assert_eq!(shown, [("Engineer", false), ("Leeds", true)]);
    let back = wiki::backlinks(&w.db, &t("Leeds"), 50, None).await.unwrap();
    assert_eq!(back, [("Grace Example".to_string(), false)]);
    let wanted = wiki::wanted_pages(&w.db, 10).await.unwrap();
    assert_eq!(wanted, [("Engineer".to_string(), 1)]);
    assert!(
        wiki::category_members(&w.db, "Zoë", 5)
            .await
            .unwrap()
            .is_empty()
    );
    let members = wiki::category_members(&w.db, "category:engineers", 50)
        .await
        .unwrap();
    assert_eq!(
        members,
        [("Grace Example".to_string(), "Example, Grace".to_string())]
    );

    w.save("Grace Example", "No links now.", Some(r), None)
        .await
        .unwrap();
    assert!(
        wiki::backlinks(&w.db, &t("Leeds"), 50, None)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        wiki::category_members(&w.db, "Engineers", 50)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn search_ranks_titles_first_and_escapes_snippets() {
    let w = wiki();
    w.create("Grace Example", BIO).await;
    w.create("Bridges", "Bridges span rivers. Grace built some.")
        .await;
    w.create(
        "Code",
        "Beware of <script>alert('bridges')</script> in text & more.",
    )
    .await;
    let hits = wiki::search(&w.db, "bridges", 10, wiki::HitsFrom::Offset(0))
        .await
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].title, "Bridges", "a title match ranks first");
    let grace = hits.iter().find(|h| h.title == "Grace Example").unwrap();
    assert_eq!(grace.section.title, "Career");
    assert_eq!(grace.section.anchor, "Career");
    assert_eq!(grace.section.index, 2);
    assert!(
        grace.snippet.contains("<mark>bridges</mark>"),
        "{}",
        grace.snippet
    );
    let code = hits.iter().find(|h| h.title == "Code").unwrap();
    assert!(!code.snippet.contains("<script"), "{}", code.snippet);
    assert!(
        code.snippet.contains("&lt;script&gt;")
            || !code.snippet.contains('<')
            || code.snippet.contains("<mark>")
    );
    assert!(code.snippet.contains("&amp;"), "{}", code.snippet);
    // FTS5 syntax is text, not an error.
    assert!(
        wiki::search(&w.db, "\"unbalanced OR (", 10, wiki::HitsFrom::Offset(0))
            .await
            .is_ok()
    );
    assert!(
        wiki::search(&w.db, "NEAR(", 10, wiki::HitsFrom::Offset(0))
            .await
            .is_ok()
    );
    assert!(
        wiki::search(&w.db, "", 10, wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(
        wiki::search(&w.db, "bridg*", 10, wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits
            .len(),
        3
    );
    assert_eq!(
        wiki::page_exists(&w.db, "grace_Example").await.unwrap(),
        Some(t("Grace Example"))
    );
}

#[tokio::test]
async fn the_search_index_follows_edits() {
    let w = wiki();
    let r = w.create("Grace Example", BIO).await;
    w.save(
        "Grace Example",
        "== Career ==\nBuilt tunnels.\n",
        Some(r),
        Some("2"),
    )
    .await
    .unwrap();
    assert!(
        wiki::search(&w.db, "bridges", 10, wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits
            .is_empty()
    );
    assert_eq!(
        wiki::search(&w.db, "tunnels", 10, wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits
            .len(),
        1
    );
}

#[tokio::test]
async fn a_diff_goes_section_by_section() {
    let w = wiki();
    let r1 = w.create("Grace Example", BIO).await;
    let text = BIO
        .replace("Built bridges.", "Built many bridges.")
        .replace("== Early life ==\nBorn in [[Leeds]].\n", "")
        + "== Early life ==\nBorn in [[Leeds]].\n";
    let r2 = w
        .save("Grace Example", &text, Some(r1), None)
        .await
        .unwrap()
        .revision();
    let diff = wiki::diff(&w.db, r1, r2).await.unwrap();
    let changes: Vec<(String, wiki::SectionChange)> = diff
        .sections
        .iter()
        .map(|s| {
            (
                s.new.as_ref().map(|n| n.1.clone()).unwrap_or_default(),
                s.change,
            )
        })
        .collect();
    use wiki::SectionChange::*;
    assert_eq!(
        changes,
        [
            ("".into(), Unchanged),
            ("Career".into(), Changed),
            ("Awards".into(), Unchanged),
            ("Legacy".into(), Unchanged),
            ("Early life".into(), Moved),
        ]
    );
    let career = &diff.sections[1];
    assert!(career.lines.iter().any(|l| {
        l.tag == wiki::LineTag::Insert
            && l.segments
                .iter()
                .any(|s| s.emphasized && s.text.contains("many"))
    }));
}

#[tokio::test]
async fn limits_are_typed_errors_that_change_nothing() {
    let w = wiki();
    let big = "x".repeat(wiki::max_page_bytes() + 1);
    assert!(matches!(
        w.save("Big", &big, None, None).await,
        Err(WikiError::TooLarge { .. })
    ));
    let many = "== s ==\n".repeat(wiki::MAX_SECTIONS + 1);
    assert!(matches!(
        w.save("Many", &many, None, None).await,
        Err(WikiError::TooManySections(_))
    ));
    let result = wiki::save_page(
        &w.db,
        SaveRequest {
            title: t("Long"),
            markup: "x".into(),
            base_revision: None,
            section: None,
            summary: "y".repeat(501),
            author_id: SYSTEM_USER_ID,
        },
    )
    .await;
    assert!(matches!(result, Err(WikiError::Invalid(_))));
    assert!(wiki::all_pages(&w.db, 50, None).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_read_only_or_full_database_refuses_writes_and_keeps_reading() {
    let w = wiki();
    let r = w.create("Grace Example", BIO).await;
    // Read-only: as root, chmod does not stop writes, so the writer is switched to query_only.
    w.db.write_blocking(|c| Ok(c.pragma_update(None, "query_only", true)?))
        .unwrap();
    let error = w
        .save("Grace Example", "new", Some(r), None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("read-only"), "{error}");
    assert_eq!(w.text("Grace Example").await, BIO);
    w.db.write_blocking(|c| Ok(c.pragma_update(None, "query_only", false)?))
        .unwrap();
    // Disk full: cap the file at its current size.
    w.db.write_blocking(|c| {
        let pages: i64 = c.query_row("PRAGMA page_count", [], |row| row.get(0))?;
        c.pragma_update(None, "max_page_count", pages)?;
        Ok(())
    })
    .unwrap();
    let huge: String = (0..20_000)
        .map(|i| format!("== S{i} ==\nline {i}\n"))
        .take(4000)
        .collect();
    let error = w
        .save("Grace Example", &huge, Some(r), None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("disk is full"), "{error}");
    assert_eq!(w.text("Grace Example").await, BIO);
    assert_eq!(
        wiki::history(&w.db, &t("Grace Example"), None, 50, None)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn recent_changes_and_all_pages_page_through() {
    let w = wiki();
    for name in ["B", "A", "C"] {
        w.create(name, "text").await;
    }
    let pages = wiki::all_pages(&w.db, 2, None).await.unwrap();
    let titles: Vec<&str> = pages.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["A", "B"]);
    let rest = wiki::all_pages(&w.db, 2, Some("B".into())).await.unwrap();
    assert_eq!(rest[0].title, "C");
    let recent = wiki::recent_changes(&w.db, 2, None).await.unwrap();
    assert_eq!(recent[0].revision.page_title, "C");
    let older = wiki::recent_changes(&w.db, 2, Some(recent[1].revision.id))
        .await
        .unwrap();
    assert_eq!(older.len(), 1);
    assert_eq!(older[0].revision.page_title, "B");
}

/// The writer half of `bench/store-crash.sh`: section edits from 4 concurrent tasks in a loop,
/// printing `acked LINE REVISION` once each save is acknowledged, until it is killed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "run by bench/store-crash.sh"]
async fn crash_writer() {
    use std::io::Write;
    let (Ok(path), Ok(round)) = (
        std::env::var("PLUTARCH_CRASH_DB"),
        std::env::var("PLUTARCH_CRASH_ROUND"),
    ) else {
        return;
    };
    let db = Db::open(std::path::Path::new(&path)).expect("open");
    let page = t("Crash");
    let sections: String = (1..=4).map(|k| format!("== Writer {k} ==\n")).collect();
    // Creating may race with an earlier round's page: a conflict just means it exists.
    let _ = wiki::save_page(
        &db,
        SaveRequest {
            title: page.clone(),
            markup: format!("Lead.\n{sections}"),
            base_revision: None,
            section: None,
            summary: String::new(),
            author_id: SYSTEM_USER_ID,
        },
    )
    .await;
    let mut tasks = Vec::new();
    for k in 1..=4usize {
        let (db, page, round) = (db.clone(), page.clone(), round.clone());
        tasks.push(tokio::spawn(async move {
            let key = SectionKey::Index(k);
            for i in 0.. {
                let line = format!("r{round} t{k} e{i}");
                loop {
                    let current = wiki::section(&db, &page, &key, None).await.expect("read");
                    let request = SaveRequest {
                        title: page.clone(),
                        markup: format!("{}{line} {}\n", current.markup, "x".repeat(200)),
                        base_revision: Some(current.revision),
                        section: Some(key.clone()),
                        summary: line.clone(),
                        author_id: SYSTEM_USER_ID,
                    };
                    match wiki::save_page(&db, request).await {
                        Ok(outcome) => {
                            let mut out = std::io::stdout().lock();
                            writeln!(out, "acked {line} {}", outcome.revision()).expect("log");
                            out.flush().expect("flush");
                            break;
                        }
                        Err(WikiError::Conflict { .. }) => continue,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }
}

/// The checking half of `bench/store-crash.sh`: after a `kill -9`, the database is intact and
/// every acknowledged edit is there.
#[tokio::test]
#[ignore = "run by bench/store-crash.sh"]
async fn crash_check() {
    let (Ok(path), Ok(acks)) = (
        std::env::var("PLUTARCH_CRASH_DB"),
        std::env::var("PLUTARCH_CRASH_ACKS"),
    ) else {
        return;
    };
    let db = Db::open(std::path::Path::new(&path)).expect("reopen after the crash");
    let integrity: String = db
        .read_blocking(|c| Ok(c.query_row("PRAGMA integrity_check", [], |row| row.get(0))?))
        .expect("integrity_check");
    assert_eq!(integrity, "ok");
    let acked = std::fs::read_to_string(&acks).expect("acks");
    let latest = wiki::read_page(&db, &t("Crash"), None)
        .await
        .expect("read")
        .expect("the page exists")
        .page
        .text;
    let mut count = 0;
    for ack in acked.lines().filter(|l| l.starts_with("acked ")) {
        let (line, revision) = ack["acked ".len()..].rsplit_once(' ').expect("ack line");
        let revision: i64 = revision.parse().expect("revision id");
        assert!(
            latest.contains(&format!("{line} ")),
            "acknowledged edit {line} is lost"
        );
        let stored = wiki::revision(&db, revision)
            .await
            .expect("acknowledged revision");
        assert!(
            stored.text.contains(&format!("{line} ")),
            "revision {revision} lacks {line}"
        );
        count += 1;
    }
    println!("crash check: integrity ok, {count} acknowledged edits all present");
}

#[tokio::test]
async fn a_failing_write_in_a_group_commit_undoes_only_itself() {
    let w = wiki();
    let too_many = "== s ==\n".repeat(wiki::MAX_SECTIONS + 1);
    let mut tasks = Vec::new();
    for i in 0..24 {
        let db = w.db.clone();
        let markup = if i % 2 == 0 {
            format!("Page {i}.")
        } else {
            too_many.clone()
        };
        tasks.push(tokio::spawn(async move {
            wiki::save_page(
                &db,
                SaveRequest {
                    title: t(&format!("Page {i}")),
                    markup,
                    base_revision: None,
                    section: None,
                    summary: String::new(),
                    author_id: SYSTEM_USER_ID,
                },
            )
            .await
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        let result = task.await.unwrap();
        assert_eq!(result.is_ok(), i % 2 == 0, "page {i}: {result:?}");
    }
    let pages = wiki::all_pages(&w.db, 100, None).await.unwrap();
    assert_eq!(pages.len(), 12, "no half-created page is left behind");
}

#[tokio::test]
async fn bases_and_keys_must_belong_to_the_page() {
    let w = wiki();
    let a = w.create("Grace Example", BIO).await;
    let b = w.create("Other", "Other text.").await;
    let wrong_base = w.save("Grace Example", "x", Some(b), None).await;
    assert!(
        matches!(wrong_base, Err(WikiError::NotThisPagesRevision { revision, .. }) if revision == b)
    );
    let no_base = w
        .save("Grace Example", "== Career ==\nx\n", None, Some("2"))
        .await;
    assert!(
        matches!(no_base, Err(WikiError::Conflict { latest_revision, .. }) if latest_revision == a)
    );
    let missing = w.save("Nobody", "x", Some(a), None).await;
    assert!(matches!(missing, Err(WikiError::PageMissing(_))));
    let bad_key = w.save("Grace Example", "x", Some(a), Some("s999999")).await;
    assert!(matches!(bad_key, Err(WikiError::SectionMissing { .. })));
    let old = wiki::read_page(&w.db, &t("Grace Example"), Some(b))
        .await
        .unwrap();
    assert!(old.is_none(), "another page's revision is not this page's");
}

#[tokio::test]
async fn a_deleted_page_can_be_created_again_with_a_fresh_history() {
    let w = wiki();
    w.create("Grace Example", BIO).await;
    wiki::delete_page(&w.db, &t("Grace Example"), SYSTEM_USER_ID, "")
        .await
        .unwrap();
    assert!(wiki::all_pages(&w.db, 10, None).await.unwrap().is_empty());
    let outcome = w
        .save("Grace Example", "Fresh start.", None, None)
        .await
        .unwrap();
    assert!(outcome.created());
    let history = wiki::history(&w.db, &t("Grace Example"), None, 10, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 1, "the old history is in the archive");
    assert_eq!(w.text("Grace Example").await, "Fresh start.");
    wiki::undelete_page(&w.db, &t("Grace Example"), SYSTEM_USER_ID, "")
        .await
        .unwrap();
    let history = wiki::history(&w.db, &t("Grace Example"), None, 10, None)
        .await
        .unwrap();
    assert_eq!(history.len(), 2, "undeleted into the new page's history");
    assert_eq!(w.text("Grace Example").await, "Fresh start.");
}
