//! The JSON API through the real router: one test (or more) per route and per error status.

use axum::http::{Method, header};
use serde_json::{Value, json};

use crate::api_support::{Call, create, editor, get, latest, put};
use crate::support::TestApp;

#[tokio::test]
async fn the_openapi_document_is_served() {
    let app = TestApp::new();
    let doc = get(&app, "/api/openapi.json").await.ok(200);
    assert_eq!(doc["openapi"], "3.1.0");
}

#[tokio::test]
async fn a_page_reads_as_markup_with_its_revision_and_etag() {
    let app = TestApp::new();
    let answer = get(&app, "/api/pages/Ada_Lovelace").await;
    let page = answer.ok(200);
    assert_eq!(page["title"], "Ada Lovelace");
    assert!(page["markup"].as_str().unwrap().contains("== "));
    let revision = page["revision"]["id"].as_i64().unwrap();
    assert!(
        page["revision"]["timestamp"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert!(page["revision"]["author"].is_string());
    assert_eq!(
        page["revision"]["size"].as_u64().unwrap() as usize,
        page["markup"].as_str().unwrap().len()
    );
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str())
    );
    // Twice: the second answer comes from the cache and is the same.
    let again = get(&app, "/api/pages/Ada_Lovelace").await;
    assert_eq!(again.body, answer.body);
    assert_eq!(again.header(header::ETAG), answer.header(header::ETAG));
}

#[tokio::test]
async fn a_missing_page_is_a_404_problem() {
    let app = TestApp::new();
    let problem = get(&app, "/api/pages/Nobody_Here").await.problem(404);
    assert!(problem["detail"].as_str().unwrap().contains("Nobody Here"));
}

#[tokio::test]
async fn an_invalid_title_is_a_422_problem() {
    let app = TestApp::new();
    let problem = get(&app, "/api/pages/a%5Bb").await.problem(422);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("cannot contain")
    );
}

#[tokio::test]
async fn an_unknown_api_route_is_a_404_problem() {
    let app = TestApp::new();
    get(&app, "/api/no/such/thing").await.problem(404);
    get(&app, "/api").await.problem(404);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_problem_with_allow() {
    let app = TestApp::new();
    let answer = Call::new(&app, Method::PATCH, "/api/pages/Ada_Lovelace")
        .send()
        .await;
    answer.problem(405);
    let allow = answer.header(header::ALLOW).unwrap_or_default();
    assert!(allow.contains("GET"), "Allow: {allow}");
}

/// The contract's example: the seed biography's sections.
const SEED: &str = include_str!("api_data/biography-article.wiki");

#[tokio::test]
async fn sections_have_the_contract_shape_with_ids_and_revision() {
    let app = TestApp::new();
    let token = editor(&app);
    let revision = create(&app, &token, "Peter_Willsman", SEED).await;
    let answer = get(&app, "/api/pages/Peter_Willsman/sections").await;
    let mut body = answer.ok(200);
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str())
    );
    assert_eq!(body["revision"], revision);
    let ids: Vec<String> = body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().expect("an id").to_owned())
        .collect();
    assert!(
        ids.iter()
            .all(|id| !id.is_empty() && !id.bytes().all(|b| b.is_ascii_digit())),
        "{ids:?}"
    );
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    // The added, unambiguous fields (issue 18) say what `title` and `parent` say.
    for section in body["sections"].as_array_mut().unwrap() {
        let section = section.as_object_mut().unwrap();
        assert_eq!(section.remove("heading"), section.get("title").cloned());
        let parent_id = section.remove("parent_id").unwrap();
        let parent = section["parent"].as_u64().map(|p| ids[p as usize].clone());
        assert_eq!(parent_id, json!(parent));
        section.remove("id");
    }
    let info = body
        .as_object_mut()
        .unwrap()
        .remove("revision_info")
        .unwrap();
    assert_eq!(info["id"], body["revision"]);
    body.as_object_mut().unwrap().remove("revision");
    let mut expected = json!({
          "title": "Peter Willsman",
          "display_title": "Peter Willsman",
          "sections": [
            {"index": 0, "level": 0, "title": "", "anchor": "", "number": "", "parent": null,
             "byte_start": 0, "byte_end": 408},
            {"index": 1, "level": 2, "title": "Early life and career",
             "anchor": "Early_life_and_career", "number": "1", "parent": null,
             "byte_start": 408, "byte_end": 545},
            {"index": 2, "level": 2, "title": "Political activism", "anchor": "Political_activism",
             "number": "2", "parent": null, "byte_start": 545, "byte_end": 4405},
            {"index": 3, "level": 3, "title": "Antisemitism allegations",
             "anchor": "Antisemitism_allegations", "number": "2.1", "parent": 2,
             "byte_start": 2473, "byte_end": 4405}
          ]
    });
    // The first-cut outline has no table-of-contents numbers yet (the markup engine adds
    // them); everything else must match the contract already.
    if body["sections"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["number"] == "")
    {
        for section in expected["sections"].as_array_mut().unwrap() {
            section["number"] = json!("");
        }
    }
    assert_eq!(body, expected);
}

#[tokio::test]
async fn one_section_by_index_or_id_has_its_span_html_and_text() {
    let app = TestApp::new();
    let token = editor(&app);
    create(&app, &token, "Peter_Willsman", SEED).await;
    let sections = get(&app, "/api/pages/Peter_Willsman/sections")
        .await
        .ok(200);
    let political = &sections["sections"][2];
    let by_index = get(&app, "/api/pages/Peter_Willsman/sections/2")
        .await
        .ok(200);
    let id = political["id"].as_str().unwrap();
    let by_id = get(&app, &format!("/api/pages/Peter_Willsman/sections/{id}"))
        .await
        .ok(200);
    assert_eq!(by_index, by_id);
    assert_eq!(by_index["id"], political["id"]);
    assert_eq!(by_index["title"], "Political activism");
    assert_eq!(by_index["page"], "Peter Willsman");
    assert_eq!(by_index["revision"], sections["revision"]);
    // The span includes the subsection, exactly the bytes of the stored text.
    assert_eq!(by_index["markup"], &SEED[545..4405]);
    let html = by_index["html"].as_str().unwrap();
    assert!(
        html.contains("Political activism") && html.contains("<h3"),
        "{html}"
    );
    let text = by_index["text"].as_str().unwrap();
    assert!(text.starts_with("Political activism"), "{text}");
    assert!(
        text.contains("Antisemitism allegations") && !text.contains('<'),
        "{text}"
    );
    // The lead holds the title line.
    let lead = get(&app, "/api/pages/Peter_Willsman/sections/0")
        .await
        .ok(200);
    assert!(
        lead["markup"]
            .as_str()
            .unwrap()
            .starts_with("= Peter Willsman =")
    );
}

#[tokio::test]
async fn a_missing_section_is_a_404_problem() {
    let app = TestApp::new();
    get(&app, "/api/pages/Ada_Lovelace/sections/99")
        .await
        .problem(404);
    get(&app, "/api/pages/Ada_Lovelace/sections/s999999")
        .await
        .problem(404);
    get(&app, "/api/pages/Ada_Lovelace/sections/nonsense")
        .await
        .problem(404);
    get(&app, "/api/pages/Nobody/sections/1").await.problem(404);
    get(&app, "/api/pages/Nobody/sections").await.problem(404);
}

#[tokio::test]
async fn old_revisions_read_with_the_revision_parameter() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Old_and_new", "Lead one.\n== A ==\nAlpha.\n").await;
    let edit = json!({"markup": "Lead two.\n== A ==\nAlpha.\n", "base_revision": first});
    let second = put(&app, &token, "/api/pages/Old_and_new", &edit)
        .await
        .ok(200)["revision"]
        .as_i64()
        .unwrap();
    let old = get(&app, &format!("/api/pages/Old_and_new?revision={first}")).await;
    assert_eq!(old.ok(200)["markup"], "Lead one.\n== A ==\nAlpha.\n");
    assert_eq!(
        old.header(header::ETAG),
        Some(format!("\"r{first}\"").as_str())
    );
    let now = get(&app, "/api/pages/Old_and_new").await.ok(200);
    assert_eq!(now["revision"]["id"], second);
    let old_sections = get(
        &app,
        &format!("/api/pages/Old_and_new/sections?revision={first}"),
    )
    .await
    .ok(200);
    assert_eq!(old_sections["revision"], first);
    let old_lead = get(
        &app,
        &format!("/api/pages/Old_and_new/sections/0?revision={first}"),
    )
    .await
    .ok(200);
    assert_eq!(old_lead["markup"], "Lead one.\n");
    // A revision of another page is not one of this page's.
    let (_, ada) = latest(&app, "Ada_Lovelace").await;
    get(&app, &format!("/api/pages/Old_and_new?revision={ada}"))
        .await
        .problem(404);
    get(&app, "/api/pages/Old_and_new?revision=abc")
        .await
        .problem(400);
}

#[tokio::test]
async fn pages_are_listed_in_title_order_page_by_page() {
    let app = TestApp::new();
    let all = get(&app, "/api/pages?limit=500").await.ok(200);
    let expected: Vec<String> = all["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap().to_owned())
        .collect();
    assert!(expected.contains(&"Ada Lovelace".to_owned()));
    assert_eq!(all["next_cursor"], Value::Null);
    // Each line names its latest revision as one object too.
    for page in all["pages"].as_array().unwrap() {
        let info = &page["revision_info"];
        assert_eq!(info["id"], page["revision"], "{page}");
        assert_eq!(info["size"], page["size"]);
        assert_eq!(info["timestamp"], page["timestamp"]);
        assert!(
            info["author"].as_str().is_some_and(|a| !a.is_empty()),
            "{page}"
        );
    }
    let mut seen = Vec::new();
    let mut path = "/api/pages?limit=3".to_owned();
    loop {
        let page = get(&app, &path).await.ok(200);
        let items = page["pages"].as_array().unwrap();
        assert!(items.len() <= 3);
        for item in items {
            assert!(item["revision"].is_i64() && item["size"].is_i64(), "{item}");
            seen.push(item["title"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/pages?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, expected);
}

#[tokio::test]
async fn bad_limits_and_cursors_are_400_problems() {
    let app = TestApp::new();
    get(&app, "/api/pages?limit=0").await.problem(400);
    get(&app, "/api/pages?limit=501").await.problem(400);
    get(&app, "/api/pages?limit=-1").await.problem(400);
    get(&app, "/api/pages?cursor=zz").await.problem(400);
    get(&app, "/api/pages/Ada_Lovelace/revisions?cursor=t41")
        .await
        .problem(400);
    get(&app, "/api/search?q=ada&cursor=r31").await.problem(400);
}

#[tokio::test]
async fn revisions_are_listed_newest_first_page_by_page() {
    let app = TestApp::new();
    let token = editor(&app);
    let mut revision = create(&app, &token, "Busy", "v0\n").await;
    let mut made = vec![revision];
    for i in 1..5 {
        let edit = json!({"markup": format!("v{i}\n"), "base_revision": revision, "summary": format!("edit {i}")});
        revision = put(&app, &token, "/api/pages/Busy", &edit).await.ok(200)["revision"]
            .as_i64()
            .unwrap();
        made.push(revision);
    }
    made.reverse();
    let first = get(&app, "/api/pages/Busy/revisions?limit=2").await.ok(200);
    let items = first["revisions"].as_array().unwrap();
    assert_eq!(items[0]["id"], made[0]);
    assert_eq!(items[0]["summary"], "edit 4");
    assert_eq!(items[0]["author"], "editor");
    assert_eq!(items[0]["size"], 3);
    assert_eq!(items[0]["parent"], made[1]);
    let mut seen: Vec<i64> = items.iter().map(|r| r["id"].as_i64().unwrap()).collect();
    let mut cursor = first["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let page = get(
            &app,
            &format!("/api/pages/Busy/revisions?limit=2&cursor={c}"),
        )
        .await
        .ok(200);
        seen.extend(
            page["revisions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_i64().unwrap()),
        );
        cursor = page["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(seen, made);
    get(&app, "/api/pages/Nobody/revisions").await.problem(404);
}

#[tokio::test]
async fn a_section_lists_only_the_revisions_that_changed_it() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(
        &app,
        &token,
        "Two_parts",
        "Lead.\n== A ==\nAlpha.\n== B ==\nBeta.\n",
    )
    .await;
    let edit_b = json!({"markup": "== B ==\nBeta, changed.\n", "base_revision": first});
    let second = put(&app, &token, "/api/pages/Two_parts/sections/2", &edit_b)
        .await
        .ok(200);
    let b_id = second["sections"][2]["id"].as_str().unwrap().to_owned();
    let a_id = second["sections"][1]["id"].as_str().unwrap().to_owned();
    let b = get(
        &app,
        &format!("/api/pages/Two_parts/sections/{b_id}/revisions"),
    )
    .await
    .ok(200);
    let b_revs: Vec<i64> = b["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(b_revs, [second["revision"].as_i64().unwrap(), first]);
    let a = get(
        &app,
        &format!("/api/pages/Two_parts/sections/{a_id}/revisions"),
    )
    .await
    .ok(200);
    let a_revs: Vec<i64> = a["revisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(a_revs, [first]);
    assert_eq!(b["next_cursor"], Value::Null);
    get(&app, "/api/pages/Two_parts/sections/s99999/revisions")
        .await
        .problem(404);
}

#[tokio::test]
async fn links_say_whether_targets_exist_and_backlinks_list_linking_pages() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Linker",
        "See [[Ada Lovelace]] and [[Nobody Yet]].\n",
    )
    .await;
    let links = get(&app, "/api/pages/Linker/links").await.ok(200);
    let mut found: Vec<(String, bool)> = links["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["title"].as_str().unwrap().to_owned(),
                l["exists"].as_bool().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("Ada Lovelace".to_owned(), true),
            ("Nobody Yet".to_owned(), false)
        ]
    );
    assert_eq!(links["next_cursor"], Value::Null);
    let one = get(&app, "/api/pages/Linker/links?limit=1").await.ok(200);
    assert_eq!(one["links"].as_array().unwrap().len(), 1);
    let cursor = one["next_cursor"].as_str().expect("a cursor");
    let two = get(
        &app,
        &format!("/api/pages/Linker/links?limit=1&cursor={cursor}"),
    )
    .await
    .ok(200);
    assert_eq!(two["links"].as_array().unwrap().len(), 1);
    assert_ne!(one["links"][0], two["links"][0]);
    assert_eq!(two["next_cursor"], Value::Null);

    let back = get(&app, "/api/pages/Nobody_Yet/backlinks").await.ok(200);
    assert_eq!(
        back["backlinks"],
        json!([{"title": "Linker", "redirect": false}])
    );
    assert_eq!(back["next_cursor"], Value::Null);
    get(&app, "/api/pages/Nobody/links").await.problem(404);
}

#[tokio::test]
async fn one_revision_reads_with_its_markup() {
    let app = TestApp::new();
    let (markup, revision) = latest(&app, "Ada_Lovelace").await;
    let answer = get(&app, &format!("/api/revisions/{revision}")).await;
    let body = answer.ok(200);
    assert_eq!(body["id"], revision);
    assert_eq!(body["title"], "Ada Lovelace");
    assert_eq!(body["markup"], markup.as_str());
    assert!(body["timestamp"].is_string() && body["author"].is_string());
    assert_eq!(
        answer.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str())
    );
    get(&app, "/api/revisions/999999").await.problem(404);
    get(&app, "/api/revisions/abc").await.problem(400);
}

#[tokio::test]
async fn a_diff_compares_two_revisions_section_by_section() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(
        &app,
        &token,
        "Diffed",
        "Lead.\n== A ==\nAlpha.\n== B ==\nBeta.\n",
    )
    .await;
    let edit = json!({"markup": "== B ==\nBeta, changed.\n", "base_revision": first});
    let second = put(&app, &token, "/api/pages/Diffed/sections/2", &edit)
        .await
        .ok(200)["revision"]
        .as_i64()
        .unwrap();
    let diff = get(&app, &format!("/api/diff?from={first}&to={second}"))
        .await
        .ok(200);
    assert_eq!(diff["from"]["id"], first);
    assert_eq!(diff["to"]["id"], second);
    let changes: Vec<&str> = diff["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["unchanged", "unchanged", "changed"]);
    let b = &diff["sections"][2];
    assert_eq!(b["from"], json!({"index": 2, "title": "B", "heading": "B"}));
    let lines = b["lines"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["tag"] == "insert"), "{b}");
    assert!(lines.iter().any(|l| l["tag"] == "delete"), "{b}");
    get(&app, &format!("/api/diff?from={first}&to=999999"))
        .await
        .problem(404);
    get(&app, &format!("/api/diff?from={first}"))
        .await
        .problem(400);
}

#[tokio::test]
async fn search_finds_sections_with_marked_snippets() {
    let app = TestApp::new();
    let token = editor(&app);
    create(
        &app,
        &token,
        "Searched",
        "Lead.\n== Engines ==\nThe analytical zyzzyva engine.\n",
    )
    .await;
    let found = get(&app, "/api/search?q=zyzzyva").await.ok(200);
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{found}");
    assert_eq!(hits[0]["title"], "Searched");
    assert_eq!(hits[0]["section"]["index"], 1);
    assert_eq!(hits[0]["section"]["anchor"], "Engines");
    assert_eq!(hits[0]["section"]["title"], "Engines");
    assert!(hits[0]["section"]["id"].is_string());
    assert!(
        hits[0]["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>zyzzyva</mark>")
    );
    assert_eq!(found["next_cursor"], Value::Null);
    let none = get(&app, "/api/search?q=").await.ok(200);
    assert_eq!(none["hits"], json!([]));
    get(&app, "/api/search").await.problem(400);
}

#[tokio::test]
async fn search_pages_through_hits() {
    let app = TestApp::new();
    let all = get(&app, "/api/search?q=the&limit=500").await.ok(200);
    let total = all["hits"].as_array().unwrap().len();
    assert!(total > 2, "{all}");
    let mut seen = Vec::new();
    let mut path = "/api/search?q=the&limit=2".to_owned();
    loop {
        let page = get(&app, &path).await.ok(200);
        seen.extend(page["hits"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert!(c.starts_with('s'), "a place in the ranking: {c}");
                path = format!("/api/search?q=the&limit=2&cursor={c}");
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    assert_eq!(
        &seen,
        all["hits"].as_array().unwrap(),
        "the same hits in the same order"
    );
    // A cursor of earlier versions (an offset) still pages.
    let old = get(&app, "/api/search?q=the&limit=500&cursor=o2")
        .await
        .ok(200);
    assert_eq!(
        old["hits"].as_array().unwrap()[..],
        all["hits"].as_array().unwrap()[2..]
    );
    // Any cursor of the documented form names a place: past the end is an empty page.
    let end = get(&app, "/api/search?q=the&cursor=s7ff0000000000000ffffff")
        .await
        .ok(200);
    assert_eq!(end["hits"], json!([]));
    assert_eq!(end["next_cursor"], json!(null));
}
