//! When a read must stop: the request's deadline, a client that has gone, a server shutting
//! down. Reads check these through SQLite's progress handler, so a statement past its time is
//! interrupted between two steps of SQLite's virtual machine instead of running on.
//!
//! The deadline travels with the request as a task-local value ([`within`]): the web layer sets
//! it once per request, every [`Db::read`](super::Db::read) under it obeys it, and the CLI and
//! tests, which set none, read without one.

use std::future::Future;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

tokio::task_local! {
    static DEADLINE: Instant;
}

/// Runs `work` (a request) with `deadline`: the reads it makes are interrupted past it.
pub async fn within<F: Future>(deadline: Instant, work: F) -> F::Output {
    DEADLINE.scope(deadline, work).await
}

/// The deadline of the request this task serves, if it has one.
pub(crate) fn current() -> Option<Instant> {
    DEADLINE.try_with(|deadline| *deadline).ok()
}

/// Why a read was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Interruption {
    /// The request ran past its deadline.
    #[error("the request ran past its deadline")]
    Deadline,
    /// The client went away before the answer was ready.
    #[error("the client went away")]
    Abandoned,
    /// The server is shutting down.
    #[error("the server is shutting down")]
    ShuttingDown,
}

/// What one read watches: its deadline, its caller, and the server. Shared between the
/// caller (which marks it abandoned when dropped, see [`AbandonOnDrop`]) and the progress
/// handler of the connection running the read.
#[derive(Debug)]
pub(crate) struct Watch {
    deadline: Option<Instant>,
    abandoned: AtomicBool,
    shutting_down: Arc<AtomicBool>,
    /// Why the read was stopped (the first reason found), kept to report the right error.
    stopped: OnceLock<Interruption>,
}

impl Watch {
    pub(crate) fn new(deadline: Option<Instant>, shutting_down: Arc<AtomicBool>) -> Arc<Self> {
        Arc::new(Self {
            deadline,
            abandoned: AtomicBool::new(false),
            shutting_down,
            stopped: OnceLock::new(),
        })
    }

    /// Why the read must stop now, if it must.
    pub(crate) fn check(&self) -> Option<Interruption> {
        let why = if self.shutting_down.load(Ordering::Acquire) {
            Interruption::ShuttingDown
        } else if self.abandoned.load(Ordering::Acquire) {
            Interruption::Abandoned
        } else if self.deadline.is_some_and(|d| Instant::now() >= d) {
            Interruption::Deadline
        } else {
            return None;
        };
        let _ = self.stopped.set(why);
        Some(why)
    }

    /// Why the read was stopped, if [`check`](Self::check) ever said so.
    pub(crate) fn stopped(&self) -> Option<Interruption> {
        self.stopped.get().copied()
    }

    /// The deadline, for waits before the read starts.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

/// Marks a read abandoned when the future awaiting it is dropped (the client went away, or a
/// timeout gave up on it), so its blocking thread stops at the next progress check. Dropped
/// after a read that finished, it changes nothing: the watch is not looked at again.
pub(crate) struct AbandonOnDrop(pub(crate) Arc<Watch>);

impl Drop for AbandonOnDrop {
    fn drop(&mut self) {
        self.0.abandoned.store(true, Ordering::Release);
    }
}
