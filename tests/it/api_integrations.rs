//! What integrations need from the API (issue 18): a stable page id in every page read and a
//! read by it, the page's protection and categories, recent changes with a keyset cursor, and
//! several titles in one read.

use plutarch::wiki::{self, Title, samples::SYSTEM_USER_ID};
use serde_json::{Value, json};

use crate::api_support::{create, editor, get, latest, put};
use crate::support::TestApp;

fn title(raw: &str) -> Title {
    Title::new(raw).expect("title")
}

#[tokio::test]
async fn a_page_keeps_its_id_through_a_move_and_is_read_by_it_until_deleted() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Grace_Hopper", "Grace wrote compilers.\n").await;
    let page = get(&app, "/api/pages/Grace_Hopper").await.ok(200);
    let id = page["page_id"].as_i64().expect("a page id");

    wiki::move_page(
        &app.db,
        &title("Grace Hopper"),
        &title("Grace Brewster Hopper"),
        SYSTEM_USER_ID,
        "",
    )
    .await
    .expect("moved");
    let moved = get(&app, "/api/pages/Grace_Brewster_Hopper").await.ok(200);
    assert_eq!(moved["page_id"], id, "the id stays with the page");
    let by_id = get(&app, &format!("/api/page-ids/{id}")).await.ok(200);
    assert_eq!(by_id["title"], "Grace Brewster Hopper");
    assert_eq!(by_id["markup"], "Grace wrote compilers.\n");

    wiki::delete_page(
        &app.db,
        &title("Grace Brewster Hopper"),
        SYSTEM_USER_ID,
        "test",
    )
    .await
    .expect("deleted");
    get(&app, &format!("/api/page-ids/{id}")).await.problem(410);
    get(&app, "/api/page-ids/999999").await.problem(404);
    get(&app, "/api/page-ids/x").await.problem(400);
}

#[tokio::test]
async fn a_page_read_says_whether_it_is_protected_and_lists_its_categories() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Ada",
        "Ada wrote programs.\n[[Category:Mathematicians]]\n[[Category:Writers]]\n",
    )
    .await;
    let open = get(&app, "/api/pages/Ada").await.ok(200);
    assert_eq!(open["protected"], false);
    assert_eq!(open["protection"], Value::Null);
    assert_eq!(open["categories"], json!(["Mathematicians", "Writers"]));

    wiki::protect_page(&app.db, &title("Ada"), true, SYSTEM_USER_ID, "edit war")
        .await
        .expect("protected");
    let guarded = get(&app, "/api/pages/Ada").await.ok(200);
    assert_eq!(guarded["protected"], true);
    assert_eq!(guarded["protection"]["reason"], "edit war");
    assert!(guarded["protection"]["at"].as_str().is_some());
}

#[tokio::test]
async fn recent_changes_page_by_keyset_so_an_edit_made_meanwhile_repeats_nothing() {
    let app = TestApp::new();
    let token = editor(&app);
    for name in ["One", "Two", "Three"] {
        create(&app, &token, name, &format!("{name}.\n")).await;
    }
    let first = get(&app, "/api/recent?limit=2").await.ok(200);
    let titles = |answer: &Value| -> Vec<String> {
        answer["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .map(|c| c["title"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(titles(&first), ["Three", "Two"]);
    assert!(first["changes"][0]["revision_info"]["id"].is_i64());
    let cursor = first["next_cursor"].as_str().expect("more").to_owned();

    // An edit lands between the two pages of the listing.
    let (_, base) = latest(&app, "One").await;
    put(
        &app,
        &token,
        "/api/pages/One",
        &json!({"markup": "One, again.\n", "base_revision": base}),
    )
    .await
    .ok(200);
    let second = get(&app, &format!("/api/recent?limit=2&cursor={cursor}"))
        .await
        .ok(200);
    let next = titles(&second);
    assert_eq!(next[0], "One", "the next older change, not Two again");
    assert!(!next.contains(&"Two".to_owned()) && !next.contains(&"Three".to_owned()));
}

#[tokio::test]
async fn several_titles_are_read_at_once_in_the_order_asked() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Gone_soon", "Temporary.\n").await;
    wiki::delete_page(&app.db, &title("Gone soon"), SYSTEM_USER_ID, "")
        .await
        .expect("deleted");
    let answer = get(
        &app,
        "/api/pages?titles=Mary_Seacole|Nobody_here|Ada_Lovelace|Gone_soon|mary_Seacole",
    )
    .await
    .ok(200);
    let pages = answer["pages"].as_array().expect("pages");
    assert_eq!(pages.len(), 4, "Mary Seacole asked twice is read once");
    assert_eq!(pages[0]["title"], "Mary Seacole");
    assert!(pages[0]["markup"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(
        pages[0]["page_id"],
        get(&app, "/api/pages/Mary_Seacole").await.ok(200)["page_id"]
    );
    assert_eq!(
        pages[1],
        json!({"title": "Nobody here", "missing": true, "deleted": false, "invalid": null})
    );
    assert_eq!(pages[2]["title"], "Ada Lovelace");
    assert_eq!(
        pages[3],
        json!({"title": "Gone soon", "missing": false, "deleted": true, "invalid": null})
    );

    let too_many: Vec<String> = (0..51).map(|i| format!("P{i}")).collect();
    get(&app, &format!("/api/pages?titles={}", too_many.join("|")))
        .await
        .problem(400);
    // An empty list names no page at all: refused, not answered with one empty title.
    get(&app, "/api/pages?titles=").await.problem(400);
    // limit and cursor mean nothing beside titles, but a malformed one is still refused.
    get(&app, "/api/pages?titles=Ada_Lovelace&limit=9999999")
        .await
        .problem(400);
    get(&app, "/api/pages?titles=Ada_Lovelace&cursor=zz")
        .await
        .problem(400);
    // Text that is not a title is answered for itself, as MediaWiki does, not by failing the
    // titles that are fine.
    let answer = get(&app, "/api/pages?titles=a%5Bb|Ada_Lovelace")
        .await
        .ok(200);
    assert_eq!(answer["pages"][0]["title"], "a[b");
    assert_eq!(answer["pages"][0]["missing"], false);
    assert!(
        answer["pages"][0]["invalid"]
            .as_str()
            .is_some_and(|why| why.contains('[')),
        "{answer}"
    );
    assert_eq!(answer["pages"][1]["title"], "Ada Lovelace");
    let long = "é".repeat(200);
    let answer = get(&app, &format!("/api/pages?titles={long}"))
        .await
        .ok(200);
    assert!(answer["pages"][0]["invalid"].is_string(), "{answer}");
}
