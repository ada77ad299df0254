//! The worst page for each feature, saved through the API of a real `plutarch serve` and then
//! read through every view and API route under a short request deadline. Each answer is 200
//! (or 404 where the route is only for people), or 503 with `Retry-After` when the deadline
//! cut it short; the server's peak memory stays under a bound; and afterwards a plain page
//! read answers at once. (Issue: "No request can take the wiki down".)

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::server::{Server, plutarch};

/// The server's request deadline in this test.
const DEADLINE: &str = "3s";
/// A request that has not answered by then was not cut off by the deadline: a failure.
const PATIENCE: Duration = Duration::from_secs(30);
/// The server's peak resident memory over the whole test (its `VmHWM`).
const PEAK_MEMORY_BOUND: u64 = 1536 << 20;
/// How many times a save that the deadline cut short is tried again.
const SAVE_RETRIES: usize = 4;
/// Just under the page limit (2 MiB by default).
const PAGE: usize = 1900 << 10;

/// `piece` repeated to just under the page limit.
fn at_page_limit(piece: &str) -> String {
    piece.repeat(PAGE / piece.len())
}

/// The pages: a name for the report, a title, and the markup.
fn worst_pages() -> Vec<(&'static str, String)> {
    vec![
        (
            "a table row of 10,000 cells",
            format!("{{|\n{}\n|}}\n", "|x||".repeat(10_000)),
        ),
        (
            "a header row of 10,000 cells",
            format!("{{|\n{}\n|}}\n", "!x!!".repeat(10_000)),
        ),
        ("a line of 200,000 a=", "a=".repeat(200_000)),
        (
            "a section of 40,000 repetitions of one word",
            format!("Lead.\n== Words ==\n{}\n", "telescope ".repeat(40_000)),
        ),
        ("open brackets", at_page_limit("[[")),
        ("close brackets and braces", at_page_limit("]]}}")),
        (
            "100,000 nested templates",
            format!("{}x{}", "{{a|".repeat(100_000), "}}".repeat(100_000)),
        ),
        ("apostrophes", at_page_limit("''a'''")),
        ("4,900 headings", "== h ==\ntelescope\n".repeat(4_900)),
        ("a deep list", format!("{} deep\n", "*".repeat(100_000))),
        ("unclosed refs", at_page_limit("<ref>")),
        (
            "unclosed comments in refs",
            at_page_limit("<ref><!--</ref>"),
        ),
        ("unclosed inline tags", at_page_limit("<b><i><span>")),
        ("nested tables", at_page_limit("{|\n|\n")),
        ("table rows", at_page_limit("{|\n|-\n| a || b\n")),
        (
            "links and URLs on one line",
            at_page_limit("[[a|b]]c http://x.org/y_z "),
        ),
        ("external link openers", at_page_limit("[http://x.org ")),
        (
            "named references reused",
            at_page_limit("<ref name=\"n\">telescope</ref><ref name=\"n\" />"),
        ),
    ]
}

/// A response: status, headers (lower-case names) and body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on a new connection; panics if no answer comes within `PATIENCE`.
fn call(addr: &str, method: &str, path: &str, token: Option<&str>, body: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let authorization = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let content_type = if body.is_empty() {
        ""
    } else {
        "Content-Type: application/json\r\n"
    };
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{authorization}\
         {content_type}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .expect("send head");
    stream.write_all(body.as_bytes()).expect("send body");
    let mut raw = Vec::new();
    if let Err(e) = stream.read_to_end(&mut raw) {
        panic!("{method} {path}: no answer within {PATIENCE:?} ({e})");
    }
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{method} {path}: no status line in {head:?}"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_owned(),
    }
}

/// Saves `markup` as `title` on top of `base`; the new revision id.
fn save(addr: &str, token: &str, title: &str, base: Option<i64>, markup: &str) -> i64 {
    let body = serde_json::json!({"markup": markup, "base_revision": base, "summary": "worst"});
    let path = format!("/api/pages/{title}");
    // A save cut short by the deadline on a busy machine changed nothing (503 with
    // `Retry-After`): the client tries again, as a real one does, a few times.
    let mut answer = call(addr, "PUT", &path, Some(token), &body.to_string());
    for _ in 0..SAVE_RETRIES {
        if answer.status != 503 {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
        answer = call(addr, "PUT", &path, Some(token), &body.to_string());
    }
    assert!(
        matches!(answer.status, 200 | 201),
        "PUT {title}: {} {}",
        answer.status,
        &answer.body[..answer.body.len().min(300)]
    );
    let json: serde_json::Value =
        serde_json::from_str(answer.body.trim()).expect("the write answers JSON");
    json["revision"].as_i64().expect("a revision id")
}

/// The server's peak resident memory (Linux); `None` elsewhere.
fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib << 10)
}

fn editor_token(db: &Path) -> String {
    let run = |args: &[&str]| {
        let output = plutarch()
            .args(args)
            .arg("--db")
            .arg(db)
            .stdin(Stdio::null())
            .output()
            .expect("run plutarch");
        assert!(output.status.success(), "{args:?}: {output:?}");
        String::from_utf8(output.stdout).expect("UTF-8")
    };
    run(&[
        "user",
        "add",
        "worst",
        "--role",
        "editor",
        "--password",
        "worst case editor",
    ]);
    let out = run(&["token", "create", "worst"]);
    out.lines().last().expect("a token").trim().to_owned()
}

/// Every view and API route that reads `title`, given its revisions `a` < `b` < `c`.
fn reads(title: &str, [a, b, c]: [i64; 3]) -> Vec<String> {
    [
        format!("/wiki/{title}"),
        format!("/wiki/{title}?revision={b}"),
        format!("/wiki/{title}/edit"),
        format!("/wiki/{title}/edit?section=1"),
        format!("/wiki/{title}/history"),
        format!("/wiki/{title}/history?section=1"),
        format!("/wiki/{title}/diff?from={a}&to={b}"),
        format!("/wiki/{title}/diff?from={b}&to={c}"),
        format!("/wiki/{title}/links"),
        format!("/wiki/{title}/feed"),
        format!("/wiki/{title}/info"),
        format!("/wiki/{title}/timeline"),
        "/search?q=telescope".to_owned(),
        "/search?q=a".to_owned(),
        "/recent".to_owned(),
        "/recent.atom".to_owned(),
        "/pages".to_owned(),
        "/people".to_owned(),
        "/timeline".to_owned(),
        format!("/api/pages/{title}"),
        format!("/api/pages/{title}?revision={b}"),
        format!("/api/pages/{title}/sections"),
        format!("/api/pages/{title}/sections/0"),
        format!("/api/pages/{title}/sections/1"),
        format!("/api/pages/{title}/sections/0/revisions"),
        format!("/api/pages/{title}/revisions"),
        format!("/api/pages/{title}/links"),
        format!("/api/pages/{title}/backlinks"),
        format!("/api/revisions/{b}"),
        format!("/api/diff?from={a}&to={b}"),
        format!("/api/diff?from={b}&to={c}"),
        "/api/search?q=telescope".to_owned(),
        format!("/api/pages/{title}/facts"),
        format!("/api/pages/{title}/timeline"),
        "/api/people".to_owned(),
        "/api/timeline".to_owned(),
    ]
    .into()
}

/// Routes that answer 404 for a page that is not a person, or a section it does not have.
fn may_be_missing(path: &str) -> bool {
    path.contains("Worst_")
        && ["/timeline", "/facts", "/sections/1", "section=1"]
            .iter()
            .any(|part| path.contains(part))
}

#[test]
fn the_worst_page_of_each_feature_is_read_through_every_route() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("worst.db");
    let token = editor_token(&db);
    let server = Server::start_with(
        &db,
        &[
            ("PLUTARCH_REQUEST_DEADLINE", DEADLINE),
            ("RUST_LOG", "warn"),
        ],
    );
    let addr = server.addr.clone();
    let mut report = Vec::new();
    for (number, (name, markup)) in worst_pages().into_iter().enumerate() {
        let title = format!("Worst_{number}");
        let started = Instant::now();
        let a = save(&addr, &token, &title, None, "A small first revision.\n");
        let b = save(&addr, &token, &title, Some(a), &markup);
        let c = save(
            &addr,
            &token,
            &title,
            Some(b),
            &format!("{markup}\nThe end.\n"),
        );
        let saved = started.elapsed();
        let mut cut_short = 0;
        for path in reads(&title, [a, b, c]) {
            let answer = call(&addr, "GET", &path, None, "");
            match answer.status {
                200 => {}
                404 if may_be_missing(&path) => {}
                // The edit form sends an anonymous reader to sign in.
                303 if path.contains("/edit") => {}
                503 => {
                    assert!(
                        answer.header("retry-after").is_some(),
                        "{name}: GET {path} answered 503 without Retry-After"
                    );
                    cut_short += 1;
                }
                other => panic!(
                    "{name}: GET {path} answered {other}: {}",
                    &answer.body[..answer.body.len().min(300)]
                ),
            }
            assert!(
                !answer.body.contains('\0'),
                "{name}: GET {path} sent a NUL byte"
            );
        }
        report.push(format!(
            "{name}: {} KB saved three times in {saved:.1?}, read in {:.1?} ({cut_short} cut short)",
            markup.len() >> 10,
            started.elapsed() - saved
        ));
    }
    println!("{}", report.join("\n"));

    let plain = Instant::now();
    let answer = call(&addr, "GET", "/wiki/Main_Page", None, "");
    assert_eq!(
        answer.status, 200,
        "a plain page read after the worst pages"
    );
    println!("a plain page read afterwards: {:.1?}", plain.elapsed());
    let health = call(&addr, "GET", "/healthz", None, "");
    assert_eq!(health.status, 200);

    if let Some(peak) = peak_memory(server.pid()) {
        println!("the server's peak memory: {} MiB", peak >> 20);
        assert!(
            peak <= PEAK_MEMORY_BOUND,
            "the server peaked at {} MiB (bound {} MiB)",
            peak >> 20,
            PEAK_MEMORY_BOUND >> 20
        );
    }
    let (clean, stderr) = server.terminate();
    assert!(clean, "the server stopped cleanly: {stderr}");
}
