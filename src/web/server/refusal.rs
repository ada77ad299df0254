//! The answer past the connection cap: `503` with `Retry-After`, then close.
//!
//! The connection is accepted and answered rather than left in the kernel's backlog: a full
//! backlog looks to a load balancer like a dead server, and keeps `/healthz` from answering once
//! connections free up. Refusals are themselves bounded (a few at a time, a second each), so a
//! flood past the cap cannot use up the file descriptors the cap protects.

use std::sync::{Arc, LazyLock};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;
use tokio::time::Instant;

/// Refusals answered at once; past this, a refused connection gets what fits in its socket
/// buffer and is closed straight away.
const AT_ONCE: usize = 64;
/// How long one refusal may take (writing the answer, then reading what the client sent, so
/// that closing does not reset the connection before the client reads the answer).
const TIME: Duration = Duration::from_secs(1);
/// At most this much of the refused request is read (and dropped).
const DRAIN_BYTES: usize = 64 * 1024;
/// What `Retry-After` says, in seconds.
pub(super) const RETRY_AFTER_SECS: u64 = 5;

static BUSY: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let body = "The server is busy: it has as many connections as it can take. Please try again in a few seconds.\n";
    format!(
        "HTTP/1.1 503 Service Unavailable\r\nretry-after: {RETRY_AFTER_SECS}\r\ncontent-type: text/plain; charset=utf-8\r\nx-content-type-options: nosniff\r\ncache-control: no-store\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
});

/// How often the log says that connections are being refused.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Answers connections past the cap.
#[derive(Debug)]
pub(super) struct Refusals {
    slots: Arc<Semaphore>,
    /// Refusals not yet logged, and when the log last spoke of them.
    unlogged: u64,
    logged_at: Option<Instant>,
}

impl Refusals {
    pub(super) fn new() -> Self {
        Self {
            slots: Arc::new(Semaphore::new(AT_ONCE)),
            unlogged: 0,
            logged_at: None,
        }
    }

    /// Answers `stream` with 503 and closes it, in the background. The log hears of refusals
    /// at most every ten seconds (a flood must not flood the log too).
    pub(super) fn refuse(&mut self, stream: TcpStream, max_connections: usize) {
        self.unlogged += 1;
        if self.logged_at.is_none_or(|at| at.elapsed() >= LOG_EVERY) {
            tracing::warn!(
                "refused {} connection(s): all {max_connections} connections are busy with requests",
                self.unlogged
            );
            self.unlogged = 0;
            self.logged_at = Some(Instant::now());
        }
        match Arc::clone(&self.slots).try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(TIME, answer(stream)).await;
                    drop(permit);
                });
            }
            Err(_) => {
                let _ = stream.try_write(&BUSY);
            }
        }
    }
}

async fn answer(mut stream: TcpStream) -> std::io::Result<()> {
    stream.write_all(&BUSY).await?;
    stream.shutdown().await?;
    let mut scratch = [0_u8; 4096];
    let mut read = 0;
    while read < DRAIN_BYTES {
        match stream.read(&mut scratch).await? {
            0 => break,
            n => read += n,
        }
    }
    Ok(())
}
