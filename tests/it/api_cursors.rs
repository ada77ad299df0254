//! Cursors keep their word: people, timelines and links page by keyset, so an item added before
//! the cursor mid-listing neither repeats one already shown nor hides one still to come.

use serde_json::{Value, json};

use crate::api_support::{create, editor, get, latest, put};
use crate::support::TestApp;

fn titles(page: &Value, list: &str) -> Vec<String> {
    page[list]
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["title"].as_str().expect("a title").to_owned())
        .collect()
}

/// Walks a list from `first` (a path ending in `?…` or `&…`-ready query) to its end.
async fn walk(app: &TestApp, path: &str, list: &str, mut cursor: Option<String>) -> Vec<String> {
    let mut seen = Vec::new();
    while let Some(c) = cursor {
        let page = get(app, &format!("{path}&cursor={c}")).await.ok(200);
        seen.extend(titles(&page, list));
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    seen
}

/// A person whose sort key comes before everyone's, born before everyone.
const EARLY: &str = "{{Infobox person\n| name = Aaron Aardvark\n| birth_date = 1500\n| death_date = 1560\n}}\nAaron Aardvark was a scholar.\n";

#[tokio::test]
async fn people_added_mid_listing_neither_repeat_nor_hide_others() {
    let app = TestApp::new();
    let token = editor(&app);
    for order in ["", "&sort=-born", "&sort=died"] {
        let path = format!("/api/people?limit=2{order}");
        let all = titles(&get(&app, "/api/people?limit=500").await.ok(200), "people");
        let first = get(&app, &path).await.ok(200);
        let mut seen = titles(&first, "people");
        assert_eq!(seen.len(), 2);
        // Someone who sorts first in every one of these orders (or last, for -born: then they
        // come in the walk, once) arrives between two requests.
        let name = format!("Aaron Aardvark {}", order.len());
        let markup = EARLY.replace("Aaron Aardvark", &name);
        create(&app, &token, &name.replace(' ', "_"), &markup).await;
        let cursor = first["next_cursor"].as_str().map(str::to_owned);
        seen.extend(walk(&app, &path, "people", cursor).await);
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{order}: nobody repeats: {seen:?}"
        );
        for title in &all {
            assert!(seen.contains(title), "{order}: {title} is not skipped");
        }
    }
}

#[tokio::test]
async fn everyones_timeline_pages_by_keyset() {
    let app = TestApp::new();
    let token = editor(&app);
    let all = get(&app, "/api/timeline?limit=500").await.ok(200)["events"]
        .as_array()
        .unwrap()
        .len();
    let first = get(&app, "/api/timeline?limit=3").await.ok(200);
    let shown: Vec<Value> = first["events"].as_array().unwrap().clone();
    create(&app, &token, "Aaron_Aardvark", EARLY).await;
    let mut rest = Vec::new();
    let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = get(&app, &format!("/api/timeline?limit=3&cursor={c}"))
            .await
            .ok(200);
        rest.extend(page["events"].as_array().unwrap().iter().cloned());
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    assert!(rest.iter().all(|e| !shown.contains(e)), "nothing repeats");
    assert_eq!(shown.len() + rest.len(), all, "nothing is skipped");
}

#[tokio::test]
async fn a_pages_timeline_reads_one_revision_throughout() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = get(&app, "/api/pages/Ada_Lovelace/timeline?limit=1")
        .await
        .ok(200);
    let revision = first["revision"].as_i64().unwrap();
    let (markup, base) = latest(&app, "Ada_Lovelace").await;
    let earlier = format!("In 1801 her family moved to Kent.\n{markup}");
    put(
        &app,
        &token,
        "/api/pages/Ada_Lovelace",
        &json!({"markup": earlier, "base_revision": base}),
    )
    .await
    .ok(200);
    let cursor = first["next_cursor"].as_str().expect("more events");
    let next = get(
        &app,
        &format!("/api/pages/Ada_Lovelace/timeline?limit=1&cursor={cursor}"),
    )
    .await
    .ok(200);
    assert_eq!(next["revision"], revision, "the listing's revision");
    assert_ne!(next["events"][0], first["events"][0]);
    // The cursor carries its listing's revision: another `?revision=` beside it is ignored.
    let beside = get(
        &app,
        &format!("/api/pages/Ada_Lovelace/timeline?limit=1&revision=1&cursor={cursor}"),
    )
    .await
    .ok(200);
    assert_eq!(beside["revision"], revision, "the cursor's revision wins");
    assert_eq!(beside["events"], next["events"]);
}

#[tokio::test]
async fn links_page_by_title_and_old_offset_cursors_are_refused() {
    let app = TestApp::new();
    let token = editor(&app);
    let first_revision = create(&app, &token, "Hub", "[[Bravo]] [[Charlie]] [[Delta]]\n").await;
    let first = get(&app, "/api/pages/Hub/links?limit=2").await.ok(200);
    assert_eq!(titles(&first, "links"), ["Bravo", "Charlie"]);
    put(
        &app,
        &token,
        "/api/pages/Hub",
        &json!({"markup": "[[Alpha]] [[Bravo]] [[Charlie]] [[Delta]]\n", "base_revision": first_revision}),
    )
    .await
    .ok(200);
    let cursor = first["next_cursor"].as_str().map(str::to_owned);
    assert_eq!(
        walk(&app, "/api/pages/Hub/links?limit=2", "links", cursor).await,
        ["Delta"]
    );
    for path in [
        "/api/people?cursor=o2",
        "/api/timeline?cursor=o2",
        "/api/pages/Ada_Lovelace/timeline?cursor=o2",
        "/api/pages/Hub/links?cursor=o2",
    ] {
        let problem = get(&app, path).await.problem(400);
        assert_eq!(problem["type"], "/problems/bad-parameter", "{path}");
    }
}
