//! Purges of a cache in front (issue 20): after an edit, every URL it affects gets an HTTP
//! PURGE, and again after the rebound delay; a cache that is down fails nothing.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use plutarch::auth::Role;
use plutarch::web::purge::{self, PurgeTarget};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::api_support::{create, token_for};
use crate::support::TestApp;

/// One request the recording cache received: its request line, Host, and when.
#[derive(Debug, Clone)]
struct Received {
    line: String,
    host: String,
    at: Instant,
}

/// A tiny HTTP listener that records the head of every request and answers 200.
async fn recording_cache() -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&received);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let log = Arc::clone(&log);
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                let mut lines = head.lines();
                let line = lines.next().unwrap_or_default().to_owned();
                let host = lines
                    .find_map(|l| {
                        l.strip_prefix("host: ")
                            .or_else(|| l.strip_prefix("Host: "))
                    })
                    .unwrap_or_default()
                    .to_owned();
                log.lock().expect("log").push(Received {
                    line,
                    host,
                    at: Instant::now(),
                });
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                    .await;
            });
        }
    });
    (format!("http://{address}"), received)
}

/// The times at which `line` was received, waiting up to ten seconds for `count` of them.
async fn times_of(received: &Arc<Mutex<Vec<Received>>>, line: &str, count: usize) -> Vec<Instant> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let times: Vec<Instant> = received
            .lock()
            .expect("log")
            .iter()
            .filter(|r| r.line == line)
            .map(|r| r.at)
            .collect();
        if times.len() >= count || Instant::now() > deadline {
            return times;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_purges_what_it_affects_then_again_after_the_rebound() {
    let app = TestApp::new();
    let editor = token_for(&app, "editor", Role::Editor);
    create(&app, &editor, "Zora_Quill", "Zora read [[Ivo Brandt]].\n").await;
    let (url, received) = recording_cache().await;
    let rebound = Duration::from_millis(400);
    purge::spawn(
        &app.db,
        vec![PurgeTarget::parse(&url).expect("purge URL")],
        rebound,
        "wiki.example.org".to_owned(),
    );

    create(&app, &editor, "Ivo_Brandt", "Ivo wrote compilers.\n").await;

    let page = times_of(&received, "PURGE /wiki/Ivo_Brandt HTTP/1.1", 2).await;
    assert_eq!(page.len(), 2, "the page, first and on the rebound");
    assert!(
        page[1].duration_since(page[0]) >= rebound,
        "the second purge waits for the rebound"
    );
    for line in [
        "PURGE /wiki/Ivo_Brandt/history HTTP/1.1",
        "PURGE /api/pages/Ivo_Brandt HTTP/1.1",
        "PURGE /recent.atom HTTP/1.1",
        "PURGE /api/pages HTTP/1.1",
        // Its link to Ivo Brandt turned blue.
        "PURGE /wiki/Zora_Quill HTTP/1.1",
    ] {
        assert_eq!(times_of(&received, line, 2).await.len(), 2, "{line}");
    }
    let log = received.lock().expect("log").clone();
    assert!(log.iter().all(|r| r.host == "wiki.example.org"), "{log:?}");
    assert!(
        log.iter().all(|r| !r.line.contains("Ada")),
        "pages the edit did not touch are kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cache_that_is_down_fails_no_edit() {
    let app = TestApp::new();
    // A port nobody listens on: bound, then closed.
    let closed = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = closed.local_addr().expect("address");
    drop(closed);
    purge::spawn(
        &app.db,
        vec![PurgeTarget::parse(&format!("http://{address}")).expect("purge URL")],
        Duration::from_millis(50),
        "wiki.example.org".to_owned(),
    );
    let editor = token_for(&app, "editor", Role::Editor);
    create(&app, &editor, "Ada", "Ada.\n").await;
    create(&app, &editor, "Alan", "Alan.\n").await;
}
