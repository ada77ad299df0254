//! Connections and requests cannot exhaust the server (issue 17): the real binary on a socket,
//! with short timeouts and a small connection cap.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use crate::server::Server;

/// A server with these `serve` options over a fresh database (in the folder returned with it).
fn server(options: &[&str]) -> (tempfile::TempDir, Server) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let server = Server::start_full(&dir.path().join("wiki.db"), &[], options);
    (dir, server)
}

fn connect(server: &Server) -> TcpStream {
    let stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    stream
}

/// Everything the server sends until it closes the connection; panics if it is still open
/// after the ten-second read timeout.
fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => break,
            Err(e) => panic!(
                "the server kept the connection open ({e}); received {:?}",
                String::from_utf8_lossy(&received)
            ),
        }
    }
    String::from_utf8_lossy(&received).into_owned()
}

/// A new connection on which `request` has been sent.
fn send(server: &Server, request: &str) -> TcpStream {
    let mut stream = connect(server);
    stream.write_all(request.as_bytes()).expect("send");
    stream
}

/// A sign-in form post whose body (announced as 1,000 bytes) stops after a few bytes, returned
/// once its handler is reading the body (the server said `100 Continue`): the connection is
/// busy with a request.
fn start_slow_sign_in(server: &Server) -> TcpStream {
    let mut stream = send(
        server,
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
    );
    let mut received = Vec::new();
    let mut byte = [0_u8];
    while !received.ends_with(b"\r\n\r\n") {
        let n = stream.read(&mut byte).expect("the server reads the body");
        assert_eq!(n, 1, "open: {}", String::from_utf8_lossy(&received));
        received.push(byte[0]);
    }
    assert!(
        received.starts_with(b"HTTP/1.1 100 Continue"),
        "{}",
        String::from_utf8_lossy(&received)
    );
    stream.write_all(b"name=a").expect("send");
    stream
}

fn healthz(server: &Server) -> String {
    let mut stream = send(
        server,
        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    read_until_closed(&mut stream)
}

/// `/healthz` once it answers 200, trying for up to ten seconds (a connection the client has
/// closed takes the server a moment to notice).
fn healthz_eventually(server: &Server) -> String {
    let mut answer = String::new();
    for _ in 0..100 {
        answer = healthz(server);
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    answer
}

#[test]
fn a_silent_connection_is_closed_after_the_idle_timeout() {
    let (_dir, server) = server(&["--idle-timeout", "1s", "--header-timeout", "60s"]);
    let mut silent = connect(&server);
    assert_eq!(
        read_until_closed(&mut silent),
        "",
        "closed without an answer"
    );
    assert!(healthz(&server).starts_with("HTTP/1.1 200"));
}

#[test]
fn a_request_head_that_trickles_in_is_cut_off_by_the_header_timeout() {
    let (_dir, server) = server(&["--idle-timeout", "60s", "--header-timeout", "1s"]);
    let mut slow = send(&server, "GET /healthz HTTP/1.1\r\n");
    let received = read_until_closed(&mut slow);
    assert!(!received.contains("200 OK"), "{received}");
    // A kept-alive connection waiting for its next request is cut off the same way.
    let mut kept = send(&server, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    let received = read_until_closed(&mut kept);
    assert!(received.starts_with("HTTP/1.1 200"), "{received}");
}

#[test]
fn a_slow_body_is_cut_off_with_408() {
    let (_dir, server) = server(&["--body-timeout", "1s"]);
    let mut slow = start_slow_sign_in(&server);
    let received = read_until_closed(&mut slow);
    assert!(
        received.starts_with("HTTP/1.1 408"),
        "408 Request Timeout: {received}"
    );
    assert!(received.contains("did not arrive within 1s"), "{received}");
    assert!(healthz(&server).starts_with("HTTP/1.1 200"));
}

#[test]
fn past_the_cap_idle_connections_make_room_and_busy_ones_leave_a_503() {
    let (_dir, server) = server(&[
        "--max-connections",
        "2",
        "--idle-timeout",
        "60s",
        "--body-timeout",
        "60s",
    ]);
    // Two silent connections fill the cap, but a newcomer takes the place of the idlest.
    // (The server accepts connections in order, so both are in place before the newcomer.)
    let mut idle = [connect(&server), connect(&server)];
    assert!(healthz(&server).starts_with("HTTP/1.1 200"));
    assert_eq!(read_until_closed(&mut idle[0]), "", "evicted");

    // Two requests in progress fill it for real: a newcomer gets 503 with Retry-After.
    let first = start_slow_sign_in(&server);
    let _second = start_slow_sign_in(&server);
    let refused = healthz(&server);
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("retry-after: "), "{refused}");
    assert!(refused.contains("as many connections as it can take"));

    // Once one of them ends, /healthz answers again.
    drop(first);
    let answer = healthz_eventually(&server);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[test]
fn sign_in_refuses_a_large_body_with_413_without_reading_it() {
    let (_dir, server) = server(&[]);
    // Far below the page-sized limit of an edit, far above what a sign-in form needs.
    let mut stream = send(
        &server,
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200000\r\nExpect: 100-continue\r\n\r\n",
    );
    let received = read_until_closed(&mut stream);
    assert!(received.starts_with("HTTP/1.1 413"), "{received}");
    assert!(
        received.contains("limit of 65536 bytes for this form"),
        "{received}"
    );
}

#[test]
fn shutdown_waits_for_requests_only_as_long_as_the_grace_period() {
    let (_dir, server) = server(&["--shutdown-grace", "1s", "--body-timeout", "60s"]);
    let _busy = start_slow_sign_in(&server);
    let (clean, stderr) = server.terminate();
    assert!(clean, "exits with success: {stderr}");
    assert!(
        stderr.contains("shut down after the grace period")
            && stderr.contains("on 1 connection(s)"),
        "{stderr}"
    );
}

#[test]
fn running_out_of_file_descriptors_does_not_stop_the_server() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("wiki.db");
    // A cap far above what 64 file descriptors allow: accepting fails with EMFILE.
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" serve --addr 127.0.0.1:0 --max-connections 1000 --idle-timeout 60s --db \"$1\"")
        .arg(env!("CARGO_BIN_EXE_plutarch"))
        .arg(&db);
    let server = Server::spawn(command);
    let flood: Vec<TcpStream> = (0..100).map(|_| connect(&server)).collect();
    std::thread::sleep(Duration::from_millis(300));
    drop(flood);
    let answer = healthz_eventually(&server);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
    assert!(
        stderr.contains("cannot accept a connection") && stderr.contains("trying again in"),
        "{stderr}"
    );
}
