//! The real binary: a `plutarch` command, and a running `plutarch serve` on a free port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The `plutarch` binary, with the environment cleared of our variables.
pub fn plutarch() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plutarch"));
    command
        .env_remove("PLUTARCH_DB")
        .env_remove("PLUTARCH_ADDR")
        .env_remove("PLUTARCH_BASE_URL");
    command
}

/// A running `plutarch serve`, stopped with SIGTERM when dropped.
pub struct Server {
    child: Child,
    /// `HOST:PORT`.
    pub addr: String,
}

impl Server {
    pub fn start(db: &Path) -> Self {
        Self::start_with(db, &[])
    }

    /// Starts `serve` on a free port with extra environment variables.
    pub fn start_with(db: &Path, env: &[(&str, &str)]) -> Self {
        Self::start_full(db, env, &[])
    }

    /// Starts `serve` on a free port with extra environment variables and `serve` options.
    pub fn start_full(db: &Path, env: &[(&str, &str)], options: &[&str]) -> Self {
        let mut command = plutarch();
        command
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(db)
            .args(options)
            .envs(env.iter().copied());
        Self::spawn(command)
    }

    /// Starts `command` (a `plutarch serve` on a free port, perhaps behind a wrapper) and waits
    /// for its address.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start plutarch");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("serve printed its address")
                .expect("read stdout");
            if let Some(addr) = line.strip_prefix("listening on http://") {
                break addr.to_string();
            }
        };
        Self { child, addr }
    }

    /// A raw HTTP/1.1 GET; the whole response as text.
    pub fn get(&self, path: &str) -> String {
        self.request("GET", path, &[], "")
    }

    /// A raw HTTP/1.1 request with extra headers and a body; the whole response as text.
    pub fn request(&self, method: &str, path: &str, headers: &[&str], body: &str) -> String {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let extra: String = headers.iter().map(|h| format!("{h}\r\n")).collect();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{extra}Content-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends SIGTERM and returns (exit success, standard error).
    pub fn terminate(mut self) -> (bool, String) {
        let pid = self.child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(status.is_ok_and(|s| s.success()), "kill -TERM");
        let exit = self.child.wait().expect("wait");
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            err.read_to_string(&mut stderr).expect("stderr");
        }
        (exit.success(), stderr)
    }
}

impl Drop for Server {
    /// A test that ends (or fails) without `terminate` must not leave the server running.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A GET with a `Host` header the client chose; the whole response.
fn get_with_host(server: &Server, path: &str, host: &str) -> String {
    let mut stream = TcpStream::connect(&server.addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[test]
fn feed_links_use_the_configured_address_never_the_host_header() {
    // Regression: `Host: evil.example` gave feed links there, which a shared cache then served
    // to everyone.
    let dir = tempfile::tempdir().expect("temporary folder");
    let server = Server::start_with(
        &dir.path().join("wiki.db"),
        &[("PLUTARCH_BASE_URL", "https://wiki.example.org/")],
    );
    for path in ["/recent.atom", "/wiki/Ada_Lovelace/feed"] {
        let feed = get_with_host(&server, path, "evil.example");
        assert!(feed.starts_with("HTTP/1.1 200"), "{feed}");
        assert!(!feed.contains("evil.example"), "{feed}");
        assert!(feed.contains("href=\"https://wiki.example.org/"), "{feed}");
        assert!(feed.contains("<id>https://wiki.example.org/"), "{feed}");
    }
    drop(server);
    // Without a configured address: the one the server listens on.
    let server = Server::start(&dir.path().join("wiki.db"));
    let feed = get_with_host(&server, "/recent.atom", "evil.example");
    assert!(!feed.contains("evil.example"), "{feed}");
    assert!(
        feed.contains(&format!("href=\"http://{}/recent", server.addr)),
        "{feed}"
    );
}

#[test]
fn a_base_url_that_is_not_a_site_address_is_refused_at_start() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for bad in [
        "wiki.example.org",
        "https://",
        "https://a.example/?q=1",
        "javascript:alert(1)",
    ] {
        let output = plutarch()
            .args(["serve", "--addr", "127.0.0.1:0", "--db"])
            .arg(dir.path().join("wiki.db"))
            .args(["--base-url", bad])
            .output()
            .expect("run");
        assert!(!output.status.success(), "{bad}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("base"), "{bad}: {err}");
    }
}
