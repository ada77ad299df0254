//! The API's answer cache knows who is asking (issue 18): answers are shared only within one
//! audience, the token is checked before any cached answer, and answers for a token or a
//! session are `private, no-store`.

use axum::http::{Method, header};
use plutarch::auth::Role;
use serde_json::json;

use crate::api_support::{Answer, Call, create, get, put, token_for};
use crate::support::TestApp;

/// A page whose first revision (summary `SECRET SUMMARY`) an admin hid; the admin's token.
async fn page_with_hidden_revision(app: &TestApp) -> String {
    let admin = token_for(app, "admin", Role::Admin);
    let body = json!({"markup": "First.\n", "base_revision": null, "summary": "SECRET SUMMARY"});
    let first = put(app, &admin, "/api/pages/Ada", &body).await.ok(201)["revision"]
        .as_i64()
        .expect("revision");
    let body = json!({"markup": "Second.\n", "base_revision": first, "summary": "clean"});
    put(app, &admin, "/api/pages/Ada", &body).await.ok(200);
    let user = plutarch::auth::token_user(&app.db, &admin)
        .await
        .expect("lookup")
        .expect("admin");
    let title = plutarch::wiki::Title::new("Ada").expect("title");
    plutarch::wiki::hide_revision(&app.db, &title, first, user.id, "address")
        .await
        .expect("hide");
    admin
}

async fn as_user(app: &TestApp, token: &str, path: &str) -> Answer {
    Call::new(app, Method::GET, path).token(token).send().await
}

fn shows_secret(answer: &Answer) -> bool {
    String::from_utf8_lossy(&answer.body).contains("SECRET SUMMARY")
}

#[tokio::test]
async fn anonymous_first_then_admin_each_get_their_own_answer() {
    let app = TestApp::new();
    let admin = page_with_hidden_revision(&app).await;
    let path = "/api/pages/Ada/revisions";
    let anonymous = get(&app, path).await;
    anonymous.ok(200);
    assert!(!shows_secret(&anonymous));
    let admins = as_user(&app, &admin, path).await;
    admins.ok(200);
    assert!(shows_secret(&admins), "the admin got the anonymous answer");
    // And again, both from the cache now.
    assert!(!shows_secret(&get(&app, path).await));
    assert!(shows_secret(&as_user(&app, &admin, path).await));
}

#[tokio::test]
async fn admin_first_then_anonymous_never_shares_hidden_text() {
    let app = TestApp::new();
    let admin = page_with_hidden_revision(&app).await;
    let path = "/api/pages/Ada/revisions";
    for _ in 0..2 {
        let admins = as_user(&app, &admin, path).await;
        admins.ok(200);
        assert!(shows_secret(&admins));
        let anonymous = get(&app, path).await;
        anonymous.ok(200);
        assert!(
            !shows_secret(&anonymous),
            "an anonymous reader got the admin's answer"
        );
    }
    let editor = token_for(&app, "editor", Role::Editor);
    assert!(!shows_secret(&as_user(&app, &editor, path).await));
}

#[tokio::test]
async fn a_bad_or_revoked_token_is_401_even_after_a_cached_200() {
    let app = TestApp::new();
    let reader = token_for(&app, "reader", Role::Reader);
    let editor = token_for(&app, "writer", Role::Editor);
    create(&app, &editor, "Ada", "Text.\n").await;
    let path = "/api/pages/Ada";
    get(&app, path).await.ok(200);
    as_user(&app, &reader, path).await.ok(200);
    as_user(&app, &reader, path).await.ok(200);
    as_user(&app, "plt_not_a_token", path).await.problem(401);
    as_user(&app, &reader, path).await.ok(200);
    plutarch::auth::revoke_api_tokens(&app.db, None, "reader").expect("revoke");
    as_user(&app, &reader, path).await.problem(401);
    as_user(&app, &reader, path).await.problem(401);
    get(&app, path).await.ok(200);
}

#[tokio::test]
async fn answers_for_a_token_or_a_session_are_private() {
    let app = TestApp::new();
    let reader = token_for(&app, "reader", Role::Reader);
    let editor = token_for(&app, "writer", Role::Editor);
    create(&app, &editor, "Ada", "Text.\n").await;
    let path = "/api/pages/Ada";
    let anonymous = get(&app, path).await;
    // Shareable (issue 20): the same for every anonymous reader.
    assert_eq!(
        anonymous.header(header::CACHE_CONTROL),
        Some("public, max-age=0, s-maxage=60")
    );
    for _ in 0..2 {
        let read = as_user(&app, &reader, path).await;
        read.ok(200);
        assert_eq!(
            read.header(header::CACHE_CONTROL),
            Some("private, no-store")
        );
    }
    let bad = as_user(&app, "plt_not_a_token", path).await;
    assert_eq!(bad.header(header::CACHE_CONTROL), Some("private, no-store"));
    let body = json!({"markup": "More.\n", "base_revision": null, "summary": "x"});
    let write = put(&app, &editor, "/api/pages/Bea", &body).await;
    write.ok(201);
    assert_eq!(
        write.header(header::CACHE_CONTROL),
        Some("private, no-store")
    );
    let with_cookie = Call::new(&app, Method::GET, path)
        .header("cookie", "plutarch_session=whatever")
        .send()
        .await;
    assert_eq!(
        with_cookie.header(header::CACHE_CONTROL),
        Some("private, no-store")
    );
}
