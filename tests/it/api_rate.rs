//! The API's request rate per client (issue 18): past `serve --api-rate`, 429 with
//! `Retry-After`, counted by token when one is sent, else by address.

use plutarch::web::Settings;

use crate::api_support::{Call, get, token_for};
use crate::support::TestApp;

#[tokio::test]
async fn past_its_rate_a_client_gets_429_with_retry_after_and_others_go_on() {
    let app = TestApp::with_settings(Settings {
        api_rate: std::num::NonZeroU32::new(2),
        ..Settings::default()
    });
    let token = token_for(&app, "reader", plutarch::auth::Role::Reader);
    get(&app, "/api/pages").await.ok(200);
    get(&app, "/api/pages").await.ok(200);
    let refused = get(&app, "/api/pages").await;
    let problem = refused.problem(429);
    assert_eq!(problem["type"], "/problems/rate-limited");
    let wait: u64 = refused
        .header(axum::http::header::RETRY_AFTER)
        .and_then(|s| s.parse().ok())
        .expect("Retry-After in seconds");
    assert!(wait >= 1);

    // A token counts on its own: the reader's requests are not held up by the address's.
    for _ in 0..2 {
        Call::new(&app, axum::http::Method::GET, "/api/pages")
            .token(&token)
            .send()
            .await
            .ok(200);
    }
    Call::new(&app, axum::http::Method::GET, "/api/pages")
        .token(&token)
        .send()
        .await
        .problem(429);
    // Pages outside the API are not counted.
    assert_eq!(app.get("/wiki/Ada_Lovelace").await.status.as_u16(), 200);
}

#[tokio::test]
async fn without_a_rate_nothing_is_refused() {
    let app = TestApp::new();
    for _ in 0..50 {
        get(&app, "/api/pages?limit=1").await.ok(200);
    }
}

#[tokio::test]
async fn the_action_api_counts_in_the_same_buckets_and_refuses_in_mediawiki_s_shape() {
    let app = TestApp::with_settings(Settings {
        api_rate: std::num::NonZeroU32::new(2),
        ..Settings::default()
    });
    let siteinfo = "/w/api.php?action=query&meta=siteinfo&format=json";
    assert_eq!(get(&app, siteinfo).await.status.as_u16(), 200);
    // The address's second request goes to /api: one bucket for both.
    get(&app, "/api/pages").await.ok(200);
    for path in [siteinfo, "/api.php?action=query&meta=userinfo&format=json"] {
        let refused = get(&app, path).await;
        assert_eq!(refused.status.as_u16(), 429, "{path}");
        assert_eq!(refused.json()["error"]["code"], "ratelimited");
        assert_eq!(
            refused.header("mediawiki-api-error".parse().unwrap()),
            Some("ratelimited")
        );
        let wait: u64 = refused
            .header(axum::http::header::RETRY_AFTER)
            .and_then(|s| s.parse().ok())
            .expect("Retry-After in seconds");
        assert!(wait >= 1);
    }
}
