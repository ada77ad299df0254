//! The client's address behind a reverse proxy (issue 20): `X-Forwarded-For` counts only when
//! the connection comes from a configured trusted proxy, and then its rightmost untrusted hop
//! is the client, for the API rate limit and the sign-in throttle alike.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use plutarch::web::Settings;

use crate::support::TestApp;

/// An app that lets each client one API request a second, behind proxies in 10.0.0.0/8.
fn app_behind_proxy() -> TestApp {
    TestApp::with_settings(Settings {
        api_rate: std::num::NonZeroU32::new(1),
        trusted_proxies: vec!["10.0.0.0/8".parse().expect("a network")],
        ..Settings::default()
    })
}

/// The status of `GET /api/pages` from `peer` with this `X-Forwarded-For`.
async fn status_from(app: &TestApp, peer: &str, forwarded: &str) -> u16 {
    let peer: SocketAddr = peer.parse().expect("peer address");
    let mut request = Request::get("/api/pages")
        .header("X-Forwarded-For", forwarded)
        .body(Body::empty())
        .expect("request");
    request.extensions_mut().insert(ConnectInfo(peer));
    app.send(request).await.status.as_u16()
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    let app = app_behind_proxy();
    assert_eq!(
        status_from(&app, "192.0.2.1:4000", "198.51.100.1").await,
        200
    );
    // Another X-Forwarded-For does not make the same peer another client.
    assert_eq!(
        status_from(&app, "192.0.2.1:4001", "198.51.100.2").await,
        429
    );
    // A trusted proxy's own requests count as another client.
    assert_eq!(status_from(&app, "10.0.0.2:4000", "").await, 200);
}

#[tokio::test]
async fn a_trusted_proxy_names_the_rightmost_untrusted_hop() {
    let app = app_behind_proxy();
    let front = "10.0.0.2:5000";
    assert_eq!(status_from(&app, front, "198.51.100.1").await, 200);
    // Two clients behind the same proxy have a rate each.
    assert_eq!(status_from(&app, front, "198.51.100.2").await, 200);
    // Behind two proxies (the inner one trusted too), the same client is still itself.
    assert_eq!(
        status_from(&app, front, "198.51.100.3, 10.0.0.9").await,
        200
    );
    assert_eq!(status_from(&app, front, "198.51.100.3").await, 429);
    // What the client wrote to the left of the hop the proxy added cannot make it another.
    assert_eq!(
        status_from(&app, front, "203.0.113.77, 198.51.100.1").await,
        429
    );
}

#[tokio::test]
async fn without_trusted_proxies_forwarded_for_is_never_read() {
    let app = TestApp::with_settings(Settings {
        api_rate: std::num::NonZeroU32::new(1),
        ..Settings::default()
    });
    assert_eq!(
        status_from(&app, "10.0.0.2:5000", "198.51.100.1").await,
        200
    );
    assert_eq!(
        status_from(&app, "10.0.0.2:5000", "198.51.100.2").await,
        429
    );
}
