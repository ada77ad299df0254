//! The biography API: `/api/pages/{title}/facts`, `/api/pages/{title}/timeline`, `/api/people`
//! and `/api/timeline`, over the sample biographies and pages written for each test.

use axum::http::header;
use serde_json::{Value, json};

use crate::api_support::{create, editor, get, latest, post, put};
use crate::support::TestApp;

/// A biography with every kind of fact.
const WILLOW: &str = "{{Infobox officeholder
| name = Wendy Willow
| birth_date = February 1944
| birth_place = [[Andover]], Hampshire
| death_date = {{death date and age|2020|5|1|1944|2|1}}
| death_place = London
| occupation = {{hlist|Activist|Researcher}}
| party = [[Labour Party (UK)|Labour]] (1960–2019)
| employer = NUPE (1970–1980)<br>Acme
| office = Secretary of the Society
| term_start = 1975
| term_end = 1990
| spouse = {{marriage|Sam Oak|1966|1999}}
| known_for = Committee work
}}
Wendy Willow was a long-serving activist and secretary of the society.<ref>A source.</ref>

== Early life ==
She was born in Andover and studied at the local school for many years.

== Career ==
She worked as a researcher for a trade union in London.<ref>Another source.</ref>

[[Category:Activists]]
{{DEFAULTSORT:Willow, Wendy}}
";

async fn app_with_willow() -> (TestApp, String) {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Wendy_Willow", WILLOW).await;
    (app, token)
}

fn titles(list: &Value, key: &str) -> Vec<String> {
    list[key]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| p["title"].as_str().expect("title").to_owned())
        .collect()
}

async fn people(app: &TestApp, query: &str) -> Vec<String> {
    let found = get(app, &format!("/api/people?{query}")).await.ok(200);
    titles(&found, "people")
}

#[tokio::test]
async fn facts_are_typed_with_dates_places_and_memberships() {
    let (app, _) = app_with_willow().await;
    let answer = get(&app, "/api/pages/Wendy_Willow/facts").await;
    let (_, revision) = latest(&app, "Wendy_Willow").await;
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str())
    );
    let body = answer.ok(200);
    assert_eq!(body["person"], true);
    let facts = &body["facts"];
    assert_eq!(facts["name"], "Wendy Willow");
    assert_eq!(facts["infobox"], "officeholder");
    assert_eq!(
        facts["birth_date"],
        json!({"value": "1944-02", "precision": "month", "text": "February 1944", "from": {"kind": "infobox"}})
    );
    assert_eq!(facts["death_date"]["value"], "2020-05-01");
    assert_eq!(
        facts["birth_place"],
        json!({"text": "Andover, Hampshire", "link": "Andover", "from": {"kind": "infobox"}})
    );
    assert_eq!(facts["occupations"][1]["text"], "Researcher");
    let party = &facts["organisations"][0];
    assert_eq!(party["text"], "Labour");
    assert_eq!(party["link"], "Labour Party (UK)");
    assert_eq!(party["field"], "party");
    assert_eq!(party["start"]["value"], "1960");
    assert_eq!(party["end"]["value"], "2019");
    assert_eq!(facts["organisations"][2]["text"], "Acme");
    assert_eq!(facts["positions"][0]["start"]["value"], "1975");
    assert_eq!(facts["spouses"][0]["text"], "Sam Oak");
    // The citation check: "Early life" has prose and no <ref>.
    let unsourced = body["unsourced_sections"].as_array().unwrap();
    assert_eq!(unsourced.len(), 1, "{unsourced:?}");
    assert_eq!(unsourced[0]["index"], 1);
    assert_eq!(unsourced[0]["anchor"], "Early_life");
    assert!(unsourced[0]["id"].as_str().unwrap().starts_with('s'));
}

#[tokio::test]
async fn facts_follow_revisions_and_pages_without_a_person() {
    let (app, token) = app_with_willow().await;
    let (markup, first) = latest(&app, "Wendy_Willow").await;
    let edited = markup.replace("February 1944", "{{birth date|1945|3|2}}");
    put(
        &app,
        &token,
        "/api/pages/Wendy_Willow",
        &json!({"markup": edited, "base_revision": first}),
    )
    .await
    .ok(200);
    let now = get(&app, "/api/pages/Wendy_Willow/facts").await.ok(200);
    assert_eq!(now["facts"]["birth_date"]["value"], "1945-03-02");
    let then = get(
        &app,
        &format!("/api/pages/Wendy_Willow/facts?revision={first}"),
    )
    .await
    .ok(200);
    assert_eq!(then["revision"], first);
    assert_eq!(then["facts"]["birth_date"]["value"], "1944-02");
    // The people list follows the latest revision.
    assert_eq!(
        people(&app, "born_after=1945-03-02&born_before=1945-03-02").await,
        ["Wendy Willow"]
    );

    create(
        &app,
        &token,
        "Plain",
        "Just a page with a sentence that has no citation.\n",
    )
    .await;
    let plain = get(&app, "/api/pages/Plain/facts").await.ok(200);
    assert_eq!(plain["person"], false);
    assert_eq!(plain["facts"], Value::Null);
    assert_eq!(plain["unsourced_sections"][0]["index"], 0);
}

#[tokio::test]
async fn facts_errors_are_problems() {
    let app = TestApp::new();
    get(&app, "/api/pages/Nobody/facts").await.problem(404);
    get(&app, "/api/pages/a%7Cb/facts").await.problem(422);
    get(&app, "/api/pages/Ada_Lovelace/facts?revision=x")
        .await
        .problem(400);
    let (_, other) = latest(&app, "Alan_Turing").await;
    get(
        &app,
        &format!("/api/pages/Ada_Lovelace/facts?revision={other}"),
    )
    .await
    .problem(404);
    get(&app, "/api/pages/Nobody/timeline").await.problem(404);
    get(&app, "/api/pages/Ada_Lovelace/timeline?limit=0")
        .await
        .problem(400);
}

#[tokio::test]
async fn the_people_list_filters_sorts_and_pages() {
    let (app, _) = app_with_willow().await;
    let all = people(&app, "").await;
    assert_eq!(
        all,
        [
            "Marie Skłodowska-Curie",
            "Ada Lovelace",
            "Plutarch",
            "Mary Seacole",
            "Srinivasa Ramanujan",
            "Alan Turing",
            "Elspeth Varga (fictional)",
            "Wendy Willow"
        ],
        "by sort key (DEFAULTSORT, else the title)"
    );
    assert_eq!(
        people(&app, "sort=-name").await.first().map(String::as_str),
        Some("Wendy Willow")
    );
    let by_birth = people(&app, "sort=born").await;
    assert_eq!(by_birth.first().map(String::as_str), Some("Plutarch"));
    assert_eq!(by_birth.last().map(String::as_str), Some("Wendy Willow"));
    assert_eq!(people(&app, "sort=-born").await[0], "Wendy Willow");
    assert_eq!(people(&app, "sort=died").await[0], "Ada Lovelace");

    assert_eq!(
        people(&app, "born_after=1900").await,
        ["Alan Turing", "Elspeth Varga (fictional)", "Wendy Willow"]
    );
    assert_eq!(
        people(&app, "born_before=1815").await,
        ["Ada Lovelace", "Plutarch", "Mary Seacole"]
    );
    assert_eq!(
        people(&app, "born_after=1815-12-11&born_before=1900").await,
        ["Marie Skłodowska-Curie", "Srinivasa Ramanujan"]
    );
    assert_eq!(
        people(&app, "died_after=1950&died_before=1994-09").await,
        ["Alan Turing", "Elspeth Varga (fictional)"]
    );
    assert_eq!(
        people(&app, "died_before=1852-11-26").await,
        Vec::<String>::new(),
        "Plutarch's death date cannot be read"
    );
    assert_eq!(
        people(&app, "place=london").await,
        [
            "Ada Lovelace",
            "Mary Seacole",
            "Alan Turing",
            "Wendy Willow"
        ]
    );
    assert_eq!(people(&app, "place=Andover").await, ["Wendy Willow"]);
    assert_eq!(
        people(
            &app,
            "place=Warsaw,%20Congress%20Poland,%20Russian%20Empire"
        )
        .await,
        ["Marie Skłodowska-Curie"]
    );
    assert_eq!(
        people(&app, "occupation=Mathematician").await,
        ["Ada Lovelace", "Srinivasa Ramanujan", "Alan Turing"]
    );
    assert_eq!(people(&app, "organisation=labour").await, ["Wendy Willow"]);
    assert_eq!(
        people(&app, "organisation=University%20of%20Manchester").await,
        ["Alan Turing"]
    );
    assert_eq!(
        people(&app, "organisation=university_of_paris").await,
        ["Marie Skłodowska-Curie"]
    );
    assert_eq!(
        people(&app, "organisation=labour_party_(uk)").await,
        ["Wendy Willow"],
        "by its link"
    );
    assert_eq!(people(&app, "category=Activists").await, ["Wendy Willow"]);
    assert_eq!(
        people(&app, "category=Category:activists").await,
        ["Wendy Willow"]
    );
    assert_eq!(people(&app, "alive=true").await, Vec::<String>::new());
    assert_eq!(people(&app, "alive=false").await.len(), 8);
    assert_eq!(
        people(&app, "occupation=mathematician&born_after=1900").await,
        ["Alan Turing"],
        "filters combine with AND"
    );

    // Cursors walk the whole list in order.
    let mut seen = Vec::new();
    let mut next = "/api/people?limit=3".to_owned();
    loop {
        let page = get(&app, &next).await.ok(200);
        seen.extend(titles(&page, "people"));
        match page["next_cursor"].as_str() {
            Some(cursor) => next = format!("/api/people?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, all);
    let item = &get(&app, "/api/people?limit=1").await.ok(200)["people"][0];
    assert_eq!(item["sort_key"], "Curie, Marie");
    assert_eq!(item["born"]["value"], "1867-11-07");
}

#[tokio::test]
async fn a_month_birth_overlaps_a_day_range() {
    let (app, _) = app_with_willow().await;
    // Born "February 1944": 1944-02-01..1944-02-29 overlaps every range that touches it.
    for query in [
        "born_after=1944-02-15",
        "born_after=1930&born_before=1944-02-15",
        "born_after=1944-02-29&born_before=1944-03",
        "born_after=1944&born_before=1944",
        "born_after=1943-12-31&born_before=1944-02-01",
    ] {
        assert_eq!(people(&app, query).await, ["Wendy Willow"], "{query}");
    }
    assert!(people(&app, "born_after=1944-03-01").await.is_empty());
    assert_eq!(
        people(&app, "born_before=1944-01-31&born_after=1930").await,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn bad_filters_are_400_naming_the_parameter() {
    let app = TestApp::new();
    for (query, parameter) in [
        ("born_after=1944-13", "born_after"),
        ("born_before=February%201944", "born_before"),
        ("died_after=0000", "died_after"),
        ("died_before=1944-02-32", "died_before"),
        ("alive=maybe", "alive"),
        ("sort=age", "sort"),
    ] {
        let problem = get(&app, &format!("/api/people?{query}"))
            .await
            .problem(400);
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.starts_with(parameter), "{query}: {detail}");
    }
    let long = "x".repeat(301);
    get(&app, &format!("/api/people?place={long}"))
        .await
        .problem(400);
    get(&app, "/api/people?limit=501").await.problem(400);
    get(&app, "/api/people?cursor=t00").await.problem(400);
    let problem = get(&app, "/api/timeline?from=soon").await.problem(400);
    assert!(problem["detail"].as_str().unwrap().starts_with("from"));
    get(&app, "/api/timeline?to=1944-02-32").await.problem(400);
    // A category that cannot be a title is no error (the document allows any name up to its
    // length): nobody is in it.
    assert!(people(&app, "category=a%7Cb").await.is_empty());
    get(&app, "/api/timeline?cursor=r1").await.problem(400);
}

#[tokio::test]
async fn timelines_list_dated_facts_in_date_order() {
    let (app, _) = app_with_willow().await;
    let page = get(&app, "/api/pages/Wendy_Willow/timeline").await;
    assert!(page.header(header::ETAG).is_some());
    let page = page.ok(200);
    assert_eq!(page["person"]["name"], "Wendy Willow");
    assert_eq!(page["person"]["born"]["value"], "1944-02");
    let kinds: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "birth",
            "membership_start",
            "marriage_start",
            "membership_start",
            "position_start",
            "membership_end",
            "position_end",
            "marriage_end",
            "membership_end",
            "death"
        ]
    );
    assert_eq!(page["events"][0]["label"], "Born in Andover, Hampshire");
    assert_eq!(page["events"][0]["link"], "Andover");
    let first_two = get(&app, "/api/pages/Wendy_Willow/timeline?limit=2")
        .await
        .ok(200);
    assert_eq!(first_two["events"].as_array().unwrap().len(), 2);
    let cursor = first_two["next_cursor"].as_str().unwrap();
    let rest = get(
        &app,
        &format!("/api/pages/Wendy_Willow/timeline?limit=20&cursor={cursor}"),
    )
    .await
    .ok(200);
    assert_eq!(rest["events"][0]["kind"], "marriage_start");
    assert_eq!(rest["next_cursor"], Value::Null);

    // Everyone's: in date order, bounded by from/to with the overlap rule.
    let all = get(&app, "/api/timeline?limit=500").await.ok(200);
    let values: Vec<String> = all["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["date"]["value"]
                .as_str()
                .unwrap()
                .chars()
                .take(4)
                .collect()
        })
        .collect();
    let mut sorted = values.clone();
    sorted.sort();
    assert_eq!(values, sorted);
    assert_eq!(all["events"][0]["title"], "Plutarch");
    let window = get(&app, "/api/timeline?from=1944-02-10&to=1944-02-20")
        .await
        .ok(200);
    // The sample's "During the 1940s" (a decade read from its text) overlaps the window too.
    assert_eq!(
        titles(&window, "events"),
        ["Elspeth Varga (fictional)", "Wendy Willow"]
    );
    assert_eq!(window["events"][0]["date"]["text"], "1940s");
    assert_eq!(window["events"][1]["kind"], "birth");
    let page_one = get(&app, "/api/timeline?limit=2").await.ok(200);
    let cursor = page_one["next_cursor"].as_str().unwrap();
    let page_two = get(&app, &format!("/api/timeline?limit=2&cursor={cursor}"))
        .await
        .ok(200);
    assert_eq!(page_two["events"][0], all["events"][2]);

    let plain = get(&app, "/api/pages/Main_Page/timeline").await.ok(200);
    assert_eq!(plain["person"], Value::Null);
    assert_eq!(plain["events"], json!([]));
}

#[tokio::test]
async fn moves_deletes_and_reverts_keep_people_in_step() {
    let (app, token) = app_with_willow().await;
    let (_, first) = latest(&app, "Wendy_Willow").await;
    post(
        &app,
        &token,
        "/api/pages/Wendy_Willow/move",
        &json!({"to": "Wendy Elm"}),
    )
    .await
    .ok(200);
    assert_eq!(people(&app, "place=andover").await, ["Wendy Elm"]);
    let (markup, now) = latest(&app, "Wendy_Elm").await;
    put(
        &app,
        &token,
        "/api/pages/Wendy_Elm",
        &json!({"markup": markup.replace("Infobox officeholder", "Infobox settlement").replace("birth_date", "population").replace("death_date", "area").replace("birth_place", "x").replace("death_place", "y").replace("occupation", "z").replace("spouse", "w").replace("known_for", "v").replace("was a long-serving activist and secretary of the society", "is a town"), "base_revision": now}),
    )
    .await
    .ok(200);
    assert!(
        people(&app, "place=andover").await.is_empty(),
        "no longer a person"
    );
    post(
        &app,
        &token,
        "/api/pages/Wendy_Elm/revert",
        &json!({"to_revision": first}),
    )
    .await
    .ok(200);
    assert_eq!(
        people(&app, "place=andover").await,
        ["Wendy Elm"],
        "reverted"
    );
    let admin = crate::api_support::token_for(&app, "boss", plutarch::auth::Role::Admin);
    let deleted =
        crate::api_support::Call::new(&app, axum::http::Method::DELETE, "/api/pages/Wendy_Elm")
            .token(&admin)
            .send()
            .await;
    assert_eq!(deleted.status.as_u16(), 204);
    assert!(people(&app, "place=andover").await.is_empty(), "deleted");
    // (The sample Elspeth Varga's "During the 1940s" overlaps 1944 too.)
    let timeline = get(&app, "/api/timeline?from=1944&to=1944").await.ok(200);
    assert_eq!(titles(&timeline, "events"), ["Elspeth Varga (fictional)"]);
    let title = plutarch::wiki::Title::new("Wendy Elm").unwrap();
    let admin_id = plutarch::wiki::transfer::author_id(&app.db, "boss")
        .expect("lookup")
        .expect("the admin");
    plutarch::wiki::undelete_page(&app.db, &title, admin_id, "restored")
        .await
        .expect("undelete");
    assert_eq!(
        people(&app, "place=andover").await,
        ["Wendy Elm"],
        "undeleted"
    );
    let timeline = get(&app, "/api/timeline?from=1944&to=1944").await.ok(200);
    assert_eq!(
        titles(&timeline, "events"),
        ["Elspeth Varga (fictional)", "Wendy Elm"]
    );
}

#[tokio::test]
async fn hostile_fact_values_come_back_as_data() {
    let app = TestApp::new();
    let token = editor(&app);
    let many: String = (0..10_000).map(|i| format!("Org{i}, ")).collect();
    let markup = format!(
        "{{{{Infobox person\n| name = <script>alert(1)</script>\n| birth_date = {{{{birth date|99999999999|13|45}}}}\n| occupation = {many}\n}}}}\nText.\n"
    );
    create(&app, &token, "Hostile", &markup).await;
    let facts = get(&app, "/api/pages/Hostile/facts").await.ok(200);
    assert_eq!(
        facts["facts"]["birth_date"],
        json!({"text": "99999999999", "from": {"kind": "infobox"}})
    );
    assert_eq!(facts["facts"]["occupations"].as_array().unwrap().len(), 100);
    assert_eq!(people(&app, "occupation=org99").await, ["Hostile"]);
    assert!(
        people(&app, "occupation=org100").await.is_empty(),
        "bounded"
    );
}

#[tokio::test]
async fn pages_saved_before_facts_existed_are_read_once_at_start() {
    let app = TestApp::new();
    // A database from before migration 5 has pages but no facts: empty the tables and mark
    // them as never filled.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DELETE FROM people; DELETE FROM facts; DELETE FROM events;
                 UPDATE bio_index SET version = 0;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("emptied");
    assert!(
        people(&app, "").await.is_empty(),
        "no facts before the backfill"
    );
    // What every start runs (`serve`, `import`, and `TestApp::at`).
    assert_eq!(plutarch::wiki::backfill(&app.db).expect("backfill"), 8);
    assert_eq!(
        plutarch::wiki::backfill(&app.db).expect("backfill"),
        0,
        "once"
    );
    assert_eq!(people(&app, "place=london").await.len(), 3);
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    assert_eq!(people(&reopened, "place=london").await.len(), 3);
}
