//! The open connections, their activity, and the cap on how many there may be.
//!
//! Each admitted connection holds a [`Ticket`] until it closes. At the cap, the connection that
//! has been idle longest (no request in progress, no bytes moved) is told to close to make room:
//! idle sockets cost an attacker nothing, so they must not be able to keep anyone else out. Only
//! when every connection is busy with a request is a newcomer refused (see `refusal`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::Notify;
use tokio::time::{Duration, Instant};

/// What one connection has been doing: bytes moved, requests being handled, responses being
/// sent.
#[derive(Debug)]
pub(super) struct Activity {
    opened: Instant,
    /// Milliseconds after `opened` of the last read or write that moved bytes.
    last_io_ms: AtomicU64,
    /// Requests whose handler is running.
    requests: AtomicUsize,
    /// Responses whose body is still being sent.
    responses: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Self {
            opened: Instant::now(),
            last_io_ms: AtomicU64::new(0),
            requests: AtomicUsize::new(0),
            responses: AtomicUsize::new(0),
        }
    }

    /// Bytes moved just now.
    pub(super) fn moved_bytes(&self) {
        let ms = self.opened.elapsed().as_millis();
        self.last_io_ms
            .store(u64::try_from(ms).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    fn last_io(&self) -> Instant {
        self.opened + Duration::from_millis(self.last_io_ms.load(Ordering::Relaxed))
    }

    /// A request's handler has started; it counts until the guard is dropped.
    pub(super) fn request_started(self: &Arc<Self>) -> InProgress {
        self.requests.fetch_add(1, Ordering::AcqRel);
        InProgress {
            activity: Arc::clone(self),
            what: Work::Request,
        }
    }

    /// A response's body is being sent; it counts until the guard is dropped.
    pub(super) fn response_started(self: &Arc<Self>) -> InProgress {
        self.responses.fetch_add(1, Ordering::AcqRel);
        InProgress {
            activity: Arc::clone(self),
            what: Work::Response,
        }
    }

    /// Whether the connection is neither handling a request nor sending a response (it waits
    /// for the next request, or for the first bytes of it).
    pub(super) fn is_idle(&self) -> bool {
        self.requests.load(Ordering::Acquire) == 0 && self.responses.load(Ordering::Acquire) == 0
    }

    /// When the connection is to be closed if it moves no bytes until then: `idle` after the
    /// last bytes when idle, `stalled` when a response is being sent (a client that stops
    /// reading), never while a handler runs (a slow answer is not the client's doing).
    pub(super) fn quiet_deadline(&self, idle: Duration, stalled: Duration) -> Option<Instant> {
        if self.requests.load(Ordering::Acquire) > 0 {
            None
        } else if self.responses.load(Ordering::Acquire) > 0 {
            Some(self.last_io() + stalled)
        } else {
            Some(self.last_io() + idle)
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Work {
    Request,
    Response,
}

/// Counts a request or a response as in progress while it lives.
#[derive(Debug)]
pub(super) struct InProgress {
    activity: Arc<Activity>,
    what: Work,
}

impl Drop for InProgress {
    fn drop(&mut self) {
        let counter = match self.what {
            Work::Request => &self.activity.requests,
            Work::Response => &self.activity.responses,
        };
        counter.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One admitted connection, as the registry sees it.
#[derive(Debug)]
struct Slot {
    activity: Arc<Activity>,
    /// Set (once) when the registry asks the connection to make room.
    evicted: AtomicBool,
    evict: Notify,
}

/// The open connections and the cap.
#[derive(Debug)]
pub(super) struct Registry {
    max: usize,
    open: Mutex<Open>,
    emptied: Notify,
}

#[derive(Debug, Default)]
struct Open {
    next_id: u64,
    slots: HashMap<u64, Arc<Slot>>,
    /// Slots asked to close that have not closed yet: they no longer count against the cap.
    evicted: usize,
}

fn lock(mutex: &Mutex<Open>) -> MutexGuard<'_, Open> {
    // The registry's state stays consistent between statements, so a poisoned lock is usable.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Registry {
    /// A registry admitting at most `max` connections at once (at least one).
    pub(super) fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            max: max.max(1),
            open: Mutex::new(Open::default()),
            emptied: Notify::new(),
        })
    }

    /// Admits a new connection, asking the longest-idle one to close if the cap is reached;
    /// `None` when every connection is busy with a request.
    pub(super) fn admit(self: &Arc<Self>) -> Option<Ticket> {
        let mut open = lock(&self.open);
        if open.slots.len() - open.evicted >= self.max {
            let idlest = open
                .slots
                .values()
                .filter(|slot| !slot.evicted.load(Ordering::Acquire) && slot.activity.is_idle())
                .min_by_key(|slot| slot.activity.last_io())?;
            idlest.evicted.store(true, Ordering::Release);
            idlest.evict.notify_one();
            open.evicted += 1;
        }
        let id = open.next_id;
        open.next_id += 1;
        let slot = Arc::new(Slot {
            activity: Arc::new(Activity::new()),
            evicted: AtomicBool::new(false),
            evict: Notify::new(),
        });
        open.slots.insert(id, Arc::clone(&slot));
        Some(Ticket {
            id,
            slot,
            registry: Arc::clone(self),
        })
    }

    /// How many connections are open.
    pub(super) fn open(&self) -> usize {
        lock(&self.open).slots.len()
    }

    /// Resolves once every connection has closed.
    pub(super) async fn all_closed(&self) {
        loop {
            let emptied = self.emptied.notified();
            tokio::pin!(emptied);
            emptied.as_mut().enable();
            if self.open() == 0 {
                return;
            }
            emptied.await;
        }
    }
}

/// An admitted connection's place in the registry, given back when dropped.
#[derive(Debug)]
pub(super) struct Ticket {
    id: u64,
    slot: Arc<Slot>,
    registry: Arc<Registry>,
}

impl Ticket {
    /// What the connection has been doing (updated by its reads, writes and requests).
    pub(super) fn activity(&self) -> &Arc<Activity> {
        &self.slot.activity
    }

    /// Resolves when the registry asks this connection to close to make room.
    pub(super) async fn evicted(&self) {
        self.slot.evict.notified().await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut open = lock(&self.registry.open);
        open.slots.remove(&self.id);
        if self.slot.evicted.load(Ordering::Acquire) {
            open.evicted -= 1;
        }
        if open.slots.is_empty() {
            self.registry.emptied.notify_waiters();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn at_the_cap_the_idlest_connection_makes_room() {
        let registry = Registry::new(2);
        let first = registry.admit().expect("room");
        let second = registry.admit().expect("room");
        let _sending = second.activity().response_started();
        let third = registry
            .admit()
            .expect("the idle first connection makes room");
        // The first was told to close (a permit is stored, so this resolves at once).
        first.evicted().await;
        let _busy_too = third.activity().request_started();
        assert!(
            registry.admit().is_none(),
            "every counted connection is busy"
        );
        drop(first);
        assert_eq!(registry.open(), 2);
        assert!(registry.admit().is_none(), "still busy: nothing to evict");
    }

    #[tokio::test]
    async fn all_closed_waits_for_the_last_ticket() {
        let registry = Registry::new(4);
        let ticket = registry.admit().expect("room");
        let waiting = tokio::spawn({
            let registry = Arc::clone(&registry);
            async move { registry.all_closed().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiting.is_finished());
        drop(ticket);
        waiting.await.expect("resolves");
    }
}
