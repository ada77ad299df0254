//! The biography pages: `/people`, `/timeline`, `/wiki/{title}/timeline`, `/wiki/{title}/info`,
//! and the Info and Timeline tabs; hostile fact values come out escaped in HTML and in SVG.

use axum::http::StatusCode;

use crate::api_support::{create, editor};
use crate::support::TestApp;

#[tokio::test]
async fn the_people_page_filters_with_a_form() {
    let app = TestApp::new();
    let all = app.get("/people").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.texts("table.people tbody tr").len(), 7);
    // In name order, names read as they sort (issue 15).
    let names = all.texts("table.people td a");
    assert_eq!(names[0], "Curie, Marie");
    assert_eq!(
        all.attrs("table.people td a", "title")[0],
        "Marie Skłodowska-Curie"
    );
    let mut sorted = names.clone();
    sorted.sort_by_key(|name| name.to_lowercase());
    assert_eq!(names, sorted, "the order shown is the order sorted");
    assert_eq!(
        all.attrs("form.people-filter input[name=born_after]", "name")
            .len(),
        1
    );
    let born = app.get("/people?born_after=1900&sort=-born").await;
    assert_eq!(
        born.texts("table.people td a"),
        ["Alan Turing", "Elspeth Varga"]
    );
    assert_eq!(
        born.attrs("form.people-filter input[name=born_after]", "value"),
        ["1900"],
        "the form shows the filter back"
    );
    assert_eq!(
        born.attrs("select[name=sort] option[selected]", "value"),
        ["-born"]
    );
    let place = app
        .get("/people?place=london&occupation=mathematician")
        .await;
    assert_eq!(
        place.texts("table.people td a"),
        ["Lovelace, Ada", "Turing, Alan"]
    );
    let none = app.get("/people?organisation=nowhere").await;
    assert_eq!(none.texts("table.people tr").len(), 0);
    assert!(none.body.contains("Nobody matches these filters"));
}

#[tokio::test]
async fn a_bad_filter_is_a_400_page_that_names_it() {
    let app = TestApp::new();
    let bad = app.get("/people?died_before=1944-02-32").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let alert = bad.texts("p.error");
    assert_eq!(alert.len(), 1);
    assert!(alert[0].starts_with("died_before"), "{alert:?}");
    assert_eq!(
        bad.attrs("input[name=died_before]", "value"),
        ["1944-02-32"]
    );
}

#[tokio::test]
async fn long_lists_page_with_more_links() {
    let app = TestApp::new();
    let token = editor(&app);
    for i in 0..55 {
        let markup = format!(
            "{{{{Infobox person\n| birth_date = {}\n| occupation = Tester\n}}}}\nA test person.\n",
            1950 + i
        );
        create(&app, &token, &format!("Tester_{i:02}"), &markup).await;
    }
    let first = app.get("/people?occupation=tester&sort=born").await;
    assert_eq!(first.texts("table.people tbody tr").len(), 50);
    let more = first.attrs("p.more a", "href");
    assert_eq!(more, ["/people?occupation=tester&sort=born&offset=50"]);
    let second = app.get(&more[0]).await;
    assert_eq!(
        second.texts("table.people td a"),
        [
            "Tester 50",
            "Tester 51",
            "Tester 52",
            "Tester 53",
            "Tester 54"
        ]
    );
    assert!(second.attrs("p.more a", "href").is_empty());
    let everyone = app.get("/timeline").await;
    assert_eq!(everyone.texts("ol.timeline-people li").len(), 50);
    assert_eq!(everyone.attrs("p.more a", "href"), ["/timeline?offset=50"]);
    let rest = app.get("/timeline?offset=50").await;
    let names = rest.texts("ol.timeline-people li a");
    assert_eq!(names.len(), 12, "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("Tester 54"));
    assert!(rest.attrs("p.more a", "href").is_empty());
}

#[tokio::test]
async fn timelines_are_drawn_as_svg_with_a_list_of_events() {
    let app = TestApp::new();
    let turing = app.get("/wiki/Alan_Turing/timeline").await;
    assert_eq!(turing.status, StatusCode::OK);
    assert_eq!(turing.attrs("figure.timeline svg rect.life", "x").len(), 1);
    let marks = turing.attrs("figure.timeline svg g.event circle", "cx");
    let events = turing.texts("ol.timeline-events li");
    assert_eq!(marks.len(), events.len());
    assert_eq!(
        events[0],
        "23 June 1912 — Born in Maida Vale, London, England"
    );
    assert!(events.contains(&"1948 — Joined University of Manchester".to_owned()));
    let xs: Vec<f64> = marks.iter().map(|x| x.parse().unwrap()).collect();
    assert!(
        xs.windows(2).all(|w| w[0] <= w[1]),
        "marks in date order: {xs:?}"
    );
    assert_eq!(turing.texts("nav.tabs a[aria-current=page]"), ["Timeline"]);

    let everyone = app.get("/timeline").await;
    assert_eq!(everyone.status, StatusCode::OK);
    assert_eq!(
        everyone.attrs("figure.timeline svg rect.life", "x").len(),
        7
    );
    assert_eq!(
        everyone.attrs("figure.timeline svg a", "href")[0],
        "/wiki/Plutarch/timeline"
    );
    // Plutarch lived long before the others: the axis starts with them, and his bar is
    // clipped at its left edge with his dates beside it.
    let ticks = everyone.texts("figure.timeline svg g.axis text");
    assert_eq!(ticks.first().map(String::as_str), Some("1800"), "{ticks:?}");
    assert_eq!(
        everyone.texts("figure.timeline svg text.earlier"),
        ["◂ c. AD 46 – after AD 119"]
    );

    let main = app.get("/wiki/Main_Page/timeline").await;
    assert_eq!(main.status, StatusCode::OK);
    assert!(main.body.contains("no dated facts"));
    assert!(main.attrs("svg", "viewBox").is_empty());
    assert_eq!(
        app.get("/wiki/Nobody/timeline").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn page_information_shows_facts_citations_and_protection() {
    let app = TestApp::new();
    let info = app.get("/wiki/Marie_Sk%C5%82odowska-Curie/info").await;
    assert_eq!(info.status, StatusCode::OK);
    let facts = info.texts("table.facts th");
    for label in [
        "Name",
        "Born",
        "Died",
        "Birth place",
        "Organisations",
        "Spouses",
    ] {
        assert!(facts.contains(&label.to_owned()), "{label} in {facts:?}");
    }
    assert!(info.body.contains("1867-11-07, precision: day"));
    assert_eq!(
        info.attrs("ul.fact-values a", "href"),
        ["/wiki/University_of_Paris", "/wiki/Pierre_Curie"]
    );
    let edits = info.attrs("ul.unsourced a[href*=edit]", "href");
    assert!(!edits.is_empty());
    assert!(
        edits
            .iter()
            .all(|e| e.starts_with("/wiki/Marie_Sk%C5%82odowska-Curie/edit?section=s")),
        "{edits:?}"
    );
    assert_eq!(info.texts("ul.unsourced li a")[0], "Early life");
    let rows = info.texts("table.page-info td");
    assert_eq!(rows[0], "Not protected");
    assert_eq!(rows[1], "1");
    assert!(rows[2].ends_with("by Plutarch"), "{rows:?}");
    assert_eq!(info.texts("nav.tabs a[aria-current=page]"), ["Info"]);

    let main = app.get("/wiki/Main_Page/info").await;
    assert!(main.body.contains("does not read as a biography"));
    assert_eq!(
        main.texts("nav.tabs a"),
        [
            "Read",
            "Discussion",
            "View source",
            "History",
            "What links here",
            "Info",
            "☆ Watch"
        ],
        "no Timeline tab for a page that is not about a person; View source and no Move for \
         an anonymous reader"
    );
    assert_eq!(
        app.get("/wiki/Nobody/info").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/wiki/a%7Cb/info").await.status.as_u16() / 100, 4);
}

#[tokio::test]
async fn fact_values_are_escaped_in_html_and_svg() {
    let app = TestApp::new();
    let token = editor(&app);
    let markup = "{{Infobox person
| name = <script>alert('name')</script>
| birth_date = 1900
| birth_place = \"><svg onload=alert(1)>
| death_date = 1950
| employer = <img src=x onerror=alert(2)> (1920–1930)
| occupation = </text><script>alert(3)</script>
}}
A person with a hostile infobox.
";
    create(&app, &token, "Hostile_Person", markup).await;
    for path in [
        "/wiki/Hostile_Person/timeline",
        "/wiki/Hostile_Person/info",
        "/timeline",
        "/people",
        "/people?occupation=%3C/text%3E%3Cscript%3Ealert(3)%3C/script%3E",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for raw in [
            "<script>alert",
            "<svg onload",
            "<img src=x",
            "</text><script>",
        ] {
            assert!(!page.body.contains(raw), "{path} contains {raw}");
        }
    }
    let timeline = app.get("/wiki/Hostile_Person/timeline").await;
    assert!(
        timeline
            .body
            .contains("Joined &lt;img src=x onerror=alert(2)&gt;")
    );
    let labels = timeline.texts("svg g.event text");
    assert!(
        labels
            .iter()
            .any(|l| l.contains("<img src=x onerror=alert(2)>")),
        "{labels:?}"
    );
    let people = app
        .get("/people?occupation=%3C/text%3E%3Cscript%3Ealert(3)%3C/script%3E")
        .await;
    // In name order the link shows the sort key, and the name in its title.
    assert_eq!(
        people.attrs("table.people td a", "title"),
        ["<script>alert('name')</script>"]
    );
    assert!(!people.body.contains("<script>alert('name')"));
    let by_birth = app
        .get("/people?occupation=%3C/text%3E%3Cscript%3Ealert(3)%3C/script%3E&sort=born")
        .await;
    assert_eq!(
        by_birth.texts("table.people td a"),
        ["<script>alert('name')</script>"]
    );
}
