//! Biographies read from their text (issue 13): the lead sentence, dated events with where
//! each was read, who is a person without an infobox, consistency checks, the backfill from an
//! older database, through the real router.

use serde_json::Value;

use crate::api_support::{create, editor, get};
use crate::support::TestApp;

/// A biography of our own without an infobox, in the forms the lead and the body use.
const ROWAN: &str = "'''Rowan Ash''' (born March 1950) is a Welsh trade unionist and campaigner who led the Ferry Workers' Union.

She was suspended from the union in April 2001 and then expelled in October 2003.

== Early life ==
Ash was born in [[Cardigan, Ceredigion|Cardigan]] in 1950.

== Union work ==
In the 1970s, Ash organised the ferry crews. At the union's 1979 conference she moved a motion to end night shifts by 1985.

Every year between 1981 and 1990, Ash was elected to the executive. She was a councillor for Aberaeron from 1986 until 1994.<ref>A source.</ref>

In late 2003, Ash was expelled from the union. A letter signed by 68 members came in sixth place; see page 1999 of the report, which cost £1200 and was read at 1930 hours.

[[Category:1950 births]]
[[Category:Living people]]
";

async fn with(title: &str, markup: &str) -> TestApp {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, title, markup).await;
    app
}

fn dates(events: &Value) -> Vec<String> {
    events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| match e["qualifier"].as_str() {
            Some(q) => format!("{q} {}", e["date"]["text"].as_str().unwrap_or("")),
            None => e["date"]["text"].as_str().unwrap_or("").to_owned(),
        })
        .collect()
}

#[tokio::test]
async fn a_biography_without_an_infobox_has_facts_from_its_text() {
    let app = with("Rowan_Ash", ROWAN).await;
    let facts = get(&app, "/api/pages/Rowan_Ash/facts").await.ok(200);
    assert_eq!(facts["person"], true);
    assert_eq!(facts["because"], "lead");
    let person = &facts["facts"];
    assert_eq!(person["birth_date"]["value"], "1950-03");
    assert_eq!(person["birth_date"]["precision"], "month");
    let from = &person["birth_date"]["from"];
    assert_eq!(from["kind"], "text");
    assert_eq!(from["section"], facts_section(&app, 0).await);
    let span = [
        from["span"][0].as_u64().unwrap() as usize,
        from["span"][1].as_u64().unwrap() as usize,
    ];
    assert!(ROWAN[span[0]..span[1]].starts_with("Rowan Ash''' (born March 1950)"));
    assert!(
        from["sentence"]
            .as_str()
            .unwrap()
            .starts_with("Rowan Ash (born March 1950) is a Welsh")
    );
    assert_eq!(person["birth_place"]["text"], "Cardigan");
    assert_eq!(
        person["birth_place"]["from"]["section"],
        facts_section(&app, 1).await
    );
    assert_eq!(person["nationality"][0]["text"], "Welsh");
    let jobs: Vec<&str> = person["occupations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["text"].as_str().unwrap())
        .collect();
    assert_eq!(jobs, ["trade unionist", "campaigner"]);

    let timeline = get(&app, "/api/pages/Rowan_Ash/timeline").await.ok(200);
    let found = dates(&timeline["events"]);
    for want in [
        "March 1950",
        "1970s",
        "1979",
        "1981–1990",
        "1986–1994",
        "April 2001",
        "October 2003",
        "late 2003",
    ] {
        assert!(found.contains(&want.to_owned()), "{want} in {found:?}");
    }
    for not in ["1985", "68", "1999", "1200", "1930"] {
        assert!(
            !found.iter().any(|d| d == not),
            "{not} is not an event: {found:?}"
        );
    }
    let event = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["date"]["text"] == "1981–1990")
        .unwrap();
    assert_eq!(event["kind"], "event");
    assert_eq!(event["from"]["section"], facts_section(&app, 2).await);
    let birth = &timeline["events"][0];
    assert_eq!(
        (birth["kind"].as_str(), birth["from"]["kind"].as_str()),
        (Some("birth"), Some("text"))
    );

    // The expulsion, October 2003 in the lead and late 2003 in the body: the check says so.
    let check = facts["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["about"] == "same_event")
        .expect("the expulsion compared");
    assert_eq!(check["consistent"], true);
    let compared: Vec<&str> = check["compared"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(compared, ["October 2003", "late 2003"]);
    assert_eq!(facts["inconsistencies"], serde_json::json!([]));

    // In the people list and everyone's timeline, with where each event was read.
    let people = get(&app, "/api/people?born_after=1949&born_before=1951")
        .await
        .ok(200);
    assert!(
        people["people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["title"] == "Rowan Ash")
    );
    let everyone = get(&app, "/api/timeline?from=2003&to=2003").await.ok(200);
    let ours: Vec<&Value> = everyone["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["title"] == "Rowan Ash")
        .collect();
    assert_eq!(ours.len(), 2, "{ours:?}");
    let late = ours
        .iter()
        .find(|e| e["qualifier"] == "late")
        .expect("late 2003");
    assert_eq!(late["from"]["kind"], "text");
    assert_eq!(late["from"]["section"], facts_section(&app, 2).await);
    let span = &late["from"]["span"];
    let (a, b) = (
        span[0].as_u64().unwrap() as usize,
        span[1].as_u64().unwrap() as usize,
    );
    assert!(ROWAN[a..b].starts_with("In late 2003"));

    let info = app.get("/wiki/Rowan_Ash/info").await;
    assert_eq!(info.status, 200);
    assert!(info.body.contains("Dated events"));
    assert!(info.body.contains("href=\"/wiki/Rowan_Ash#Union%5Fwork\""));
    assert!(info.body.contains("Consistency checks"));
    assert_eq!(app.get("/wiki/Rowan_Ash/timeline").await.status, 200);
    assert!(app.get("/people").await.body.contains("Rowan Ash"));
}

/// The stable id of section `index` of Rowan Ash.
async fn facts_section(app: &TestApp, index: usize) -> Value {
    let sections = get(app, "/api/pages/Rowan_Ash/sections").await.ok(200);
    sections["sections"][index]["id"].clone()
}

#[tokio::test]
async fn the_infobox_wins_and_disagreements_are_shown() {
    let app = with(
        "Ivy_Hale",
        "{{Infobox person\n| birth_date = 12 May 1901\n| birth_place = York\n| death_date = 1899\n| office = Mayor\n| term_start = 1950\n| term_end = 1940\n}}\n'''Ivy Hale''' (born 12 May 1902) was an English painter.\n\n== Life ==\nHale was born in Leeds in 1902. In 2095, a statue of her was put up. In 1850, her school opened. Hale retired in 1960. In 1970, Hale retired from painting.\n",
    )
    .await;
    let facts = get(&app, "/api/pages/Ivy_Hale/facts").await.ok(200);
    assert_eq!(facts["because"], "infobox");
    assert_eq!(facts["facts"]["birth_date"]["text"], "12 May 1901");
    assert_eq!(facts["facts"]["birth_date"]["from"]["kind"], "infobox");
    assert_eq!(facts["facts"]["birth_place"]["text"], "York");
    let about: Vec<&str> = facts["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["about"].as_str().unwrap())
        .collect();
    for want in [
        "birth_date",
        "birth_place",
        "death_before_birth",
        "event_before_birth",
        "event_after_death",
        "term_order",
        "same_event",
    ] {
        assert!(about.contains(&want), "{want} in {about:?}");
    }
    let birth = facts["inconsistencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["about"] == "birth_date")
        .unwrap();
    assert_eq!(birth["compared"][0]["from"]["kind"], "infobox");
    assert_eq!(birth["compared"][1]["from"]["kind"], "text");
    let info = app.get("/wiki/Ivy_Hale/info").await;
    assert!(info.body.contains("class=\"inconsistency\""));
}

#[tokio::test]
async fn pages_that_are_not_people_stay_out() {
    let app = TestApp::new();
    let token = editor(&app);
    for (title, text) in [
        (
            "Acme_Ltd",
            "'''Acme Ltd''' (1890–1990) was a British company that made anvils in 1901.\n[[Category:1890 establishments]]\n",
        ),
        (
            "The_Howlers",
            "'''The Howlers''' are a rock band formed in Leeds in 1970.\n",
        ),
        (
            "SS_Brisk",
            "'''SS Brisk''' was a steamship launched in 1911.\n",
        ),
        (
            "Aberaeron",
            "'''Aberaeron''' is a town in Ceredigion. In 1807 its harbour was built.\n",
        ),
        ("List_of_poets", "This is a list of poets born in 1900.\n"),
    ] {
        create(&app, &token, title, text).await;
        let facts = get(&app, &format!("/api/pages/{title}/facts"))
            .await
            .ok(200);
        assert_eq!(facts["person"], false, "{title}");
    }
    for (title, text) in [
        (
            "Cai_Bryn",
            "Cai Bryn wrote hymns.\n[[Category:1820 deaths]]\n",
        ),
        (
            "Gwen_Tal",
            "Gwen Tal schrieb.\n{{Personendaten|NAME=Tal, Gwen}}\n",
        ),
    ] {
        create(&app, &token, title, text).await;
        let facts = get(&app, &format!("/api/pages/{title}/facts"))
            .await
            .ok(200);
        assert_eq!(facts["person"], true, "{title}");
    }
}

/// The seed article, when the shared folder is there (it is not part of the repository).
fn seed() -> Option<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    ["../shared", "../../shared"]
        .iter()
        .map(|dir| root.join(dir).join("seeds/biography-article.wiki"))
        .find_map(|path| std::fs::read_to_string(path).ok())
}

#[tokio::test]
async fn the_seed_article_reads_as_a_biography() {
    let Some(text) = seed() else {
        eprintln!("skipped: ../shared/seeds/biography-article.wiki is not here");
        return;
    };
    let app = with("Peter_Willsman", &text).await;
    let facts = get(&app, "/api/pages/Peter_Willsman/facts").await.ok(200);
    assert_eq!(facts["person"], true);
    let person = &facts["facts"];
    assert_eq!(person["birth_date"]["value"], "1944-02");
    assert_eq!(person["birth_date"]["precision"], "month");
    assert_eq!(person["birth_place"]["text"], "Andover");
    assert_eq!(person["nationality"][0]["text"], "British");
    assert_eq!(person["occupations"][0]["text"], "political activist");
    let timeline = get(&app, "/api/pages/Peter_Willsman/timeline?limit=100")
        .await
        .ok(200);
    let found = dates(&timeline["events"]);
    for want in [
        "1970s",
        "1976",
        "1981",
        "1981–1994",
        "1986–1990",
        "1994",
        "1995",
        "1998",
        "2014",
        "2016",
        "2017",
        "2018",
        "July 2018",
        "January 2019",
        "May 2019",
        "November 2022",
        "late 2022",
    ] {
        assert!(found.contains(&want.to_owned()), "{want} in {found:?}");
    }
    assert!(!found.contains(&"1977".to_owned()), "by 1977 is a deadline");
    let expelled = facts["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["about"] == "same_event")
        .expect("the expulsion compared");
    assert_eq!(expelled["consistent"], true);
    assert_eq!(expelled["compared"][0]["value"], "November 2022");
    assert_eq!(expelled["compared"][1]["value"], "late 2022");
    assert_eq!(facts["inconsistencies"], serde_json::json!([]));
    assert!(app.get("/people").await.body.contains("Peter Willsman"));
    assert!(app.get("/timeline").await.body.contains("Peter Willsman"));
    assert_eq!(app.get("/wiki/Peter_Willsman/timeline").await.status, 200);
    let info = app.get("/wiki/Peter_Willsman/info").await.body;
    assert!(info.contains("href=\"/wiki/Peter_Willsman#Antisemitism%5Fallegations\""));
    assert!(info.contains("July 2018"));
}

#[tokio::test]
async fn a_database_at_the_previous_schema_gets_text_facts_at_start() {
    let app = with("Rowan_Ash", ROWAN).await;
    // Make it the database the previous main left (schema 9): none of the tables and columns of
    // migrations 10 and later, no fact rows for a page without an infobox, extraction version 1.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DELETE FROM people; DELETE FROM facts; DELETE FROM events;
                 ALTER TABLE facts DROP COLUMN section;
                 ALTER TABLE facts DROP COLUMN span_start;
                 ALTER TABLE facts DROP COLUMN span_end;
                 ALTER TABLE events DROP COLUMN qualifier;
                 ALTER TABLE events DROP COLUMN section;
                 ALTER TABLE events DROP COLUMN span_start;
                 ALTER TABLE events DROP COLUMN span_end;
                 ALTER TABLE sources DROP COLUMN kind_note;
                 DROP TABLE jobs;
                 DROP TABLE title_rules;
                 DROP TABLE deleted_pages;
                 DROP TABLE citations; DROP TABLE citation_index; DROP INDEX sources_by_url;
                 DROP TABLE mentions; DROP TABLE mention_index; DROP TABLE source_search_index;
                 UPDATE bio_index SET version = 1;
                 DROP INDEX pages_by_title_nocase;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP TABLE transclusions;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 PRAGMA user_version = 9;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    // What every start runs: the migrations, then the backfills (`TestApp::at`).
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let people = get(
        &reopened,
        "/api/people?born_after=1950-03&born_before=1950-03",
    )
    .await
    .ok(200);
    let titles: Vec<&str> = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Rowan Ash"]);
    let everyone = get(&reopened, "/api/timeline?from=1981&to=1981")
        .await
        .ok(200);
    let ours = everyone["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["title"] == "Rowan Ash")
        .expect("the text's events");
    assert_eq!(ours["date"]["text"], "1981–1990");
    assert_eq!(ours["from"]["kind"], "text");
    assert_eq!(
        plutarch::wiki::backfill(&reopened.db).expect("backfill"),
        0,
        "once"
    );
}
