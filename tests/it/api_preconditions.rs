//! The API's validators keep their word (issue 18): an ETag names the body it came with (a
//! section's rendered HTML gets a render key, so a link turning blue changes it), `If-Match` is
//! an RFC 9110 precondition compared on the revision part (412 when stale, `*` for "exists"),
//! a write with no precondition at all to an existing page is 428, and `merged` says when a
//! write landed on top of newer revisions.

use axum::http::{Method, header};
use serde_json::json;

use crate::api_support::{Call, create, editor, get, latest, put};
use crate::support::TestApp;

const PAGE: &str = "Lead with a link to [[Nobody Yet]].\n== A ==\nAlpha.\n== B ==\nBeta.\n";

fn etag(answer: &crate::api_support::Answer) -> String {
    answer.header(header::ETAG).expect("an ETag").to_owned()
}

#[tokio::test]
async fn a_section_etag_changes_when_its_html_does_and_markup_etags_name_the_revision() {
    let app = TestApp::new();
    let token = editor(&app);
    let revision = create(&app, &token, "Tagged", PAGE).await;
    let lead = get(&app, "/api/pages/Tagged/sections/0").await;
    let red = etag(&lead);
    assert!(
        red.starts_with(&format!("\"r{revision}-")),
        "{red}: the revision, then the render key"
    );
    assert_eq!(
        get(&app, "/api/pages/Tagged").await.header(header::ETAG),
        Some(format!("\"r{revision}\"").as_str()),
        "markup only: the revision names it"
    );
    assert_eq!(
        etag(&get(&app, "/api/pages/Tagged/sections/0").await),
        red,
        "the same body, the same tag"
    );

    create(&app, &token, "Nobody_Yet", "Now somebody.\n").await;
    let blue = get(&app, "/api/pages/Tagged/sections/0").await;
    assert_eq!(
        latest(&app, "Tagged").await.1,
        revision,
        "Tagged itself did not change"
    );
    assert_ne!(
        etag(&blue),
        red,
        "the link turned blue: another body, another tag"
    );
    assert!(etag(&blue).starts_with(&format!("\"r{revision}-")));
    assert!(
        etag(&get(&app, "/api/pages/Tagged/sections/1").await)
            .starts_with(&format!("\"r{revision}-")),
        "every section of a revision carries the revision"
    );

    // If-Match compares the revision part only: the write after the link turned blue, with
    // the tag read before, is not refused.
    let written = Call::new(&app, Method::PUT, "/api/pages/Tagged/sections/1")
        .token(&token)
        .header("if-match", &red)
        .json(&json!({"markup": "== A ==\nAlpha, edited.\n"}))
        .send()
        .await
        .ok(200);
    assert_eq!(written["changed"], true);
}

#[tokio::test]
async fn a_stale_if_match_is_412_with_the_current_etag_and_star_means_the_page_exists() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Guarded", PAGE).await;
    let tag = etag(&get(&app, "/api/pages/Guarded/sections/2").await);
    // Someone else changes section A.
    let second = put(
        &app,
        &token,
        "/api/pages/Guarded/sections/1",
        &json!({"markup": "== A ==\nAlpha, theirs.\n", "base_revision": first}),
    )
    .await
    .ok(200)["revision"]
        .as_i64()
        .expect("revision");

    // With the stale If-Match a write to B is refused, though B did not change (with
    // base_revision it would merge: see the next test).
    let before = latest(&app, "Guarded").await;
    let refused = Call::new(&app, Method::PUT, "/api/pages/Guarded/sections/2")
        .token(&token)
        .header("if-match", &tag)
        .json(&json!({"markup": "== B ==\nBeta, mine.\n"}))
        .send()
        .await;
    assert_eq!(refused.problem(412)["latest_revision"], second);
    assert_eq!(
        refused.header(header::ETAG),
        Some(format!("\"r{second}\"").as_str())
    );
    assert_eq!(latest(&app, "Guarded").await, before, "nothing saved");

    let star = Call::new(&app, Method::PUT, "/api/pages/Guarded")
        .token(&token)
        .header("if-match", "*")
        .json(&json!({"markup": "All new.\n"}))
        .send()
        .await
        .ok(200);
    assert_eq!(star["changed"], true);
    assert_eq!(latest(&app, "Guarded").await.0, "All new.\n");

    // `*` on a page that does not exist fails too: there is nothing to match.
    Call::new(&app, Method::PUT, "/api/pages/Not_there")
        .token(&token)
        .header("if-match", "*")
        .json(&json!({"markup": "New.\n"}))
        .send()
        .await
        .problem(412);
    assert_eq!(get(&app, "/api/pages/Not_there").await.status.as_u16(), 404);
}

#[tokio::test]
async fn merged_says_whether_a_write_landed_on_top_of_newer_revisions() {
    let app = TestApp::new();
    let token = editor(&app);
    let base = create(&app, &token, "Shared_work", PAGE).await;
    let on_latest = put(
        &app,
        &token,
        "/api/pages/Shared_work/sections/1",
        &json!({"markup": "== A ==\nAlpha, one.\n", "base_revision": base}),
    )
    .await
    .ok(200);
    assert_eq!(on_latest["merged"], false, "based on the latest");
    let on_older = put(
        &app,
        &token,
        "/api/pages/Shared_work/sections/2",
        &json!({"markup": "== B ==\nBeta, two.\n", "base_revision": base}),
    )
    .await
    .ok(200);
    assert_eq!(on_older["merged"], true, "A changed since its base");
    let (markup, _) = latest(&app, "Shared_work").await;
    assert!(markup.contains("Alpha, one.") && markup.contains("Beta, two."));
}
