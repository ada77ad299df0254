//! Problem types: each kind of error has its own `type` URI, which resolves, so clients branch on
//! `type` and never read `detail`.

use axum::http::Method;
use plutarch::auth::{ReadAccess, Role};
use plutarch::web::Settings;
use serde_json::{Value, json};

use crate::api_support::{Call, create, editor, get, post, put, token_for};
use crate::support::TestApp;

/// The `type` of a problem answer with `status`.
#[track_caller]
fn kind(problem: &Value) -> &str {
    problem["type"].as_str().expect("a type")
}

#[tokio::test]
async fn each_kind_of_error_names_its_type() {
    let app = TestApp::new();
    let token = editor(&app);
    let first = create(&app, &token, "Typed", "Lead.\n== A ==\nAlpha.\n").await;
    let ada = get(&app, "/api/pages/Ada_Lovelace").await.ok(200)["revision"]["id"]
        .as_i64()
        .unwrap();

    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/pages/Nobody".into(), 404, "/problems/page-missing"),
        (
            "/api/pages/Typed/sections/9".into(),
            404,
            "/problems/section-missing",
        ),
        (
            "/api/revisions/999999".into(),
            404,
            "/problems/revision-missing",
        ),
        (
            format!("/api/pages/Typed?revision={ada}"),
            404,
            "/problems/revision-missing",
        ),
        ("/api/nothing/here".into(), 404, "/problems/not-found"),
        (
            "/api/people?alive=maybe".into(),
            400,
            "/problems/bad-parameter",
        ),
        (
            "/api/pages?cursor=zz".into(),
            400,
            "/problems/bad-parameter",
        ),
        ("/api/pages/a%7Cb".into(), 422, "/problems/invalid-title"),
        (
            format!("/api/diff?from={first}&to={ada}"),
            422,
            "/problems/different-pages",
        ),
    ];
    for (path, status, expected) in cases {
        let problem = get(&app, &path).await.problem(status);
        assert_eq!(kind(&problem), expected, "{path}: {problem}");
    }

    // A missing revision is missing, not "of this page"; one of another page names the page.
    let missing = get(&app, "/api/revisions/999999").await.problem(404);
    assert_eq!(missing["detail"], "there is no revision 999999");
    let elsewhere = get(&app, &format!("/api/pages/Typed?revision={ada}"))
        .await
        .problem(404);
    assert_eq!(
        elsewhere["detail"],
        format!("the page Typed has no revision {ada}")
    );

    let edit = json!({"markup": "Lead 2.\n== A ==\nAlpha.\n", "base_revision": first});
    put(&app, &token, "/api/pages/Typed", &edit).await.ok(200);
    let clash = json!({"markup": "Lead 3.\n== A ==\nAlpha.\n", "base_revision": first});
    let conflict = put(&app, &token, "/api/pages/Typed", &clash)
        .await
        .problem(409);
    assert_eq!(kind(&conflict), "/problems/edit-conflict");
    let taken = post(
        &app,
        &token,
        "/api/pages/Typed/move",
        &json!({"to": "Ada Lovelace"}),
    )
    .await
    .problem(409);
    assert_eq!(kind(&taken), "/problems/title-taken");
    let malformed = put(&app, &token, "/api/pages/Typed", &json!({"markup": 1}))
        .await
        .problem(400);
    assert_eq!(kind(&malformed), "/problems/bad-request");
    let reader = token_for(&app, "reader", Role::Reader);
    let refused = put(&app, &reader, "/api/pages/Typed", &edit)
        .await
        .problem(403);
    assert_eq!(kind(&refused), "/problems/forbidden");
    let anonymous = Call::new(&app, Method::PUT, "/api/pages/Typed")
        .json(&edit)
        .send()
        .await
        .problem(401);
    assert_eq!(kind(&anonymous), "/problems/unauthorized");
}

#[tokio::test]
async fn every_documented_type_resolves_to_its_meaning() {
    let app = TestApp::with_settings(Settings {
        read_access: ReadAccess::Users,
        ..Settings::default()
    });
    let doc = get(&app, "/api/openapi.json").await;
    // The document itself needs a token in this mode; the problem pages do not.
    assert_eq!(doc.status.as_u16(), 401);
    let doc = get(&TestApp::new(), "/api/openapi.json").await.ok(200);
    let types = doc["components"]["schemas"]["Problem"]["properties"]["type"]["oneOf"]
        .as_array()
        .expect("the types")
        .clone();
    assert!(types.len() >= 20, "{types:?}");
    for listed in types {
        let uri = listed["const"].as_str().unwrap();
        let entry = get(&app, uri).await.ok(200);
        assert_eq!(entry["type"], uri);
        assert_eq!(entry["title"], listed["title"]);
        assert_eq!(entry["description"], listed["description"]);
        assert!(
            entry["status"]
                .as_u64()
                .is_some_and(|s| (400..600).contains(&s))
        );
    }
    let deleted = get(&app, "/problems/page-deleted").await.ok(200);
    assert_eq!(deleted["status"], 410);
    let unknown = get(&app, "/problems/no-such-kind").await.problem(404);
    assert_eq!(kind(&unknown), "/problems/not-found");
}
