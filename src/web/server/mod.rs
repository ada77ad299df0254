//! Serving the app on a socket: our own accept loop over hyper, so that no client can hold the
//! server with connections or slow requests.
//!
//! `axum::serve` builds hyper's connection without a timer, so hyper's header timeout never
//! applied, and it has no body or idle deadlines and no connection cap: 1,100 silent sockets
//! used up a 1,024 file limit and took the whole site down. Here every connection has
//!
//! - a **header timeout**: a request head must be complete this long after the server starts
//!   waiting for it (hyper's, with a timer);
//! - a **body timeout**: a request body must be complete this long after its head (408 then),
//!   and a response the client stops reading may stall this long;
//! - an **idle timeout**: a connection with no request in progress that moves no bytes for this
//!   long is closed (hyper's header timer also runs while a kept-alive connection waits, so the
//!   shorter of the two applies to a silent connection);
//!
//! and there are at most [`ServeOptions::max_connections`] of them (see `registry` for who
//! makes room, and `refusal` for the 503 past the cap). Accept errors (out of file descriptors,
//! say) back off instead of spinning. Shutdown lets requests in progress finish, for at most
//! [`ServeOptions::shutdown_grace`].

mod body_deadline;
mod connection;
mod refusal;
mod registry;

use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use super::{AppState, app};

/// How the server treats connections (the `serve` options of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// The most connections open at once.
    pub max_connections: usize,
    /// How long a request head may take to arrive.
    pub header_timeout: Duration,
    /// How long a request body may take to arrive, after its head; and how long a response
    /// may stall because the client does not read it.
    pub body_timeout: Duration,
    /// How long a connection may stay silent with no request in progress.
    pub idle_timeout: Duration,
    /// How long requests in progress may take to finish at shutdown.
    pub shutdown_grace: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            max_connections: default_max_connections(),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(5),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Half the process's open-file limit (`ulimit -n`), between 16 and 16,384: the other half is
/// for the database (a few files per connection to it), refusals past the cap, and logs.
pub fn default_max_connections() -> usize {
    let limit = open_file_limit().unwrap_or(1024);
    usize::try_from(limit / 2)
        .unwrap_or(usize::MAX)
        .clamp(16, 16_384)
}

#[cfg(target_os = "linux")]
fn open_file_limit() -> Option<u64> {
    rustix::process::getrlimit(rustix::process::Resource::Nofile).current
}

#[cfg(not(target_os = "linux"))]
fn open_file_limit() -> Option<u64> {
    None
}

/// How serving ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// Every connection closed within the grace period.
    Cleanly,
    /// The grace period ran out with this many connections still open (their requests are
    /// abandoned when the process exits).
    AfterGrace(usize),
}

/// Serves the app on `listener` until `shutdown` resolves, then lets requests in progress
/// finish for at most `options.shutdown_grace`.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    options: ServeOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Stopped {
    let db = state.db().clone();
    let reads = state.db().clone();
    let watcher = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(e) = db.check_external_writes().await {
                tracing::warn!("cannot check the database for outside changes: {e}");
            }
        }
    });
    let app = app(state);
    let registry = registry::Registry::new(options.max_connections);
    let mut refusals = refusal::Refusals::new();
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    let mut backoff = Backoff::default();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => {
                backoff.reset();
                pair
            }
            Err(e) => {
                let pause = backoff.next();
                tracing::warn!("cannot accept a connection: {e} (trying again in {pause:?})");
                tokio::select! {
                    () = tokio::time::sleep(pause) => continue,
                    () = &mut shutdown => break,
                }
            }
        };
        match registry.admit() {
            Some(ticket) => {
                tokio::spawn(connection::serve(
                    stream,
                    peer,
                    ticket,
                    app.clone(),
                    options,
                    stopping.clone(),
                ));
            }
            None => refusals.refuse(stream, options.max_connections),
        }
    }
    // New connections are refused by the kernel from now on.
    drop(listener);
    let _ = stop.send(true);
    let stopped = match tokio::time::timeout(options.shutdown_grace, registry.all_closed()).await {
        Ok(()) => Stopped::Cleanly,
        Err(_) => {
            // Issue 17: a runaway read must not keep the server alive past the grace period:
            // reads still running are interrupted, and new ones answer 503.
            reads.stop_reads();
            Stopped::AfterGrace(registry.open())
        }
    };
    watcher.abort();
    stopped
}

/// Pauses after failed accepts: 10 ms, doubling to at most a second, until one succeeds.
#[derive(Debug, Default)]
struct Backoff {
    failures: u32,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let pause = Duration::from_millis(10 << self.failures.min(7)).min(Duration::from_secs(1));
        self.failures = self.failures.saturating_add(1);
        pause
    }

    fn reset(&mut self) {
        self.failures = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_errors_back_off_up_to_a_second() {
        let mut backoff = Backoff::default();
        let pauses: Vec<Duration> = (0..9).map(|_| backoff.next()).collect();
        assert_eq!(pauses[0], Duration::from_millis(10));
        assert_eq!(pauses[1], Duration::from_millis(20));
        assert_eq!(pauses[8], Duration::from_secs(1));
        backoff.reset();
        assert_eq!(backoff.next(), Duration::from_millis(10));
    }

    #[test]
    fn the_default_cap_leaves_file_descriptors_to_spare() {
        let cap = default_max_connections();
        assert!((16..=16_384).contains(&cap));
        if let Some(limit) = open_file_limit() {
            assert!(cap as u64 <= limit.max(32) / 2);
        }
    }
}
