//! CORS on the real binary: off by default, on for the origins in `PLUTARCH_CORS_ORIGINS`,
//! and only under `/api`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::server::Server;

/// A raw HTTP/1.1 request; the response head, lower-cased, and the status code.
fn request(server: &Server, method: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        server.addr
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    let head = response
        .split("\r\n\r\n")
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head)
}

const PREFLIGHT: &[(&str, &str)] = &[
    ("Origin", "https://a.example"),
    ("Access-Control-Request-Method", "PUT"),
    (
        "Access-Control-Request-Headers",
        "authorization, content-type, if-match",
    ),
];

#[test]
fn cors_is_off_by_default() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let server = Server::start_with(
        &dir.path().join("wiki.db"),
        &[("PLUTARCH_CORS_ORIGINS", "")],
    );
    let (status, head) = request(
        &server,
        "GET",
        "/api/pages/Ada_Lovelace",
        &[("Origin", "https://a.example")],
    );
    assert_eq!(status, 200);
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let (status, head) = request(&server, "OPTIONS", "/api/pages/Ada_Lovelace", PREFLIGHT);
    assert_eq!(status, 405, "{head}");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
}

#[test]
fn cors_allows_the_configured_origins_on_the_api_only() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let server = Server::start_with(
        &dir.path().join("wiki.db"),
        &[(
            "PLUTARCH_CORS_ORIGINS",
            "https://a.example, https://b.example",
        )],
    );
    let (status, head) = request(
        &server,
        "GET",
        "/api/pages/Ada_Lovelace/sections",
        &[("Origin", "https://b.example")],
    );
    assert_eq!(status, 200);
    assert!(
        head.contains("access-control-allow-origin: https://b.example"),
        "{head}"
    );
    assert!(
        head.contains("access-control-expose-headers") && head.contains("etag"),
        "{head}"
    );
    // Another origin gets no permission.
    let (_, head) = request(
        &server,
        "GET",
        "/api/pages/Ada_Lovelace",
        &[("Origin", "https://evil.example")],
    );
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    // A preflight for a write.
    let (status, head) = request(
        &server,
        "OPTIONS",
        "/api/pages/Ada_Lovelace/sections/1",
        PREFLIGHT,
    );
    assert_eq!(status, 200, "{head}");
    assert!(
        head.contains("access-control-allow-origin: https://a.example"),
        "{head}"
    );
    assert!(
        head.contains("access-control-allow-methods") && head.contains("put"),
        "{head}"
    );
    assert!(
        head.contains("authorization") && head.contains("if-match"),
        "{head}"
    );
    // Problems carry the header too, so a browser client can read why.
    let (status, head) = request(
        &server,
        "GET",
        "/api/pages/Nobody",
        &[("Origin", "https://a.example")],
    );
    assert_eq!(status, 404);
    assert!(
        head.contains("access-control-allow-origin: https://a.example"),
        "{head}"
    );
    // Pages for people are not opened to other sites.
    let (_, head) = request(
        &server,
        "GET",
        "/wiki/Ada_Lovelace",
        &[("Origin", "https://a.example")],
    );
    assert!(!head.contains("access-control-allow-origin"), "{head}");
}
