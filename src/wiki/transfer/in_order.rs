//! Jobs done by worker threads and handed out in their order: an import's reading threads
//! prepare files while its writer saves them one by one, in the order given.
//!
//! Each worker takes the next job no worker has taken yet. Giving worker `k` of `n` the jobs
//! `k`, `k + n`, `k + 2n`… instead (as the import did) lets one worker fall behind the other:
//! the writer then waits for the slow one's next job while the fast one waits with a full queue,
//! and a core stands idle. `bench/import-timeline.py` showed the readers of an import of
//! 10,000 generated biographies blocked about 1.2 s each, over 4,000 times, and 2.3 of 13
//! core-seconds unused (issue 13).
//!
//! At most `window` jobs are done ahead of the taker: a worker waits before taking a job that far
//! ahead, so the results waiting to be taken stay bounded, however slow one job is.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::Scope;

/// The results of `count` jobs, handed out in order (see the module documentation).
pub(super) struct InOrder<T> {
    shared: Arc<Shared<T>>,
}

/// What the workers and the taker share.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// Signalled whenever a job is done, a result taken, a worker ends, or the taker stops.
    changed: Condvar,
}

struct State<T> {
    /// Jobs given to workers so far (the next job is this one).
    given: usize,
    /// Results taken so far (the next result to take is this job's).
    taken: usize,
    /// Results done and not yet taken, by job.
    done: BTreeMap<usize, T>,
    /// Workers still running.
    working: usize,
    /// No more jobs are to be given: the taker stopped, or a worker panicked.
    stopped: bool,
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A worker that panicked while holding the lock left the state consistent (each change
        // is a single assignment or insertion); its panic reaches the scope.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State<T>>) -> MutexGuard<'a, State<T>> {
        self.changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Send> InOrder<T> {
    /// Starts `workers` threads in `scope` (at least one) doing jobs `0..count` with `job`, at
    /// most `window` jobs ahead of [`InOrder::next`]; each thread first calls `on_start`.
    pub(super) fn start<'scope>(
        scope: &'scope Scope<'scope, '_>,
        workers: usize,
        window: usize,
        count: usize,
        on_start: fn(),
        job: impl Fn(usize) -> T + Send + Sync + 'scope,
    ) -> Self
    where
        T: 'scope,
    {
        let window = window.max(1);
        let workers = workers.max(1);
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                given: 0,
                taken: 0,
                done: BTreeMap::new(),
                working: workers,
                stopped: false,
            }),
            changed: Condvar::new(),
        });
        let job = Arc::new(job);
        for _ in 0..workers {
            let job = Arc::clone(&job);
            let shared = Arc::clone(&shared);
            scope.spawn(move || {
                let _ending = Ending(&shared);
                on_start();
                while let Some(index) = next_job(&shared, window, count) {
                    let result = job(index);
                    shared.lock().done.insert(index, result);
                    shared.changed.notify_all();
                }
            });
        }
        Self { shared }
    }

    /// The next job's result, in order; `None` once every job's result was taken, or when a
    /// worker died (its panic reaches the scope).
    pub(super) fn next(&mut self) -> Option<T> {
        let shared = &self.shared;
        let mut state = shared.lock();
        loop {
            let wanted = state.taken;
            if let Some(result) = state.done.remove(&wanted) {
                state.taken += 1;
                drop(state);
                shared.changed.notify_all();
                return Some(result);
            }
            if state.working == 0 {
                return None;
            }
            state = shared.wait(state);
        }
    }
}

impl<T> Drop for InOrder<T> {
    /// The taker stops (a database error, or done): the workers take no more jobs.
    fn drop(&mut self) {
        self.shared.lock().stopped = true;
        self.shared.changed.notify_all();
    }
}

/// The next job for a worker, once it is less than `window` jobs ahead of the taker; `None` when
/// all jobs are given or the work stopped.
fn next_job<T>(shared: &Shared<T>, window: usize, count: usize) -> Option<usize> {
    let mut state = shared.lock();
    loop {
        if state.stopped || state.given >= count {
            return None;
        }
        if state.given < state.taken + window {
            state.given += 1;
            return Some(state.given - 1);
        }
        state = shared.wait(state);
    }
}

/// Marks a worker's end, also when its job panics: a panicking job stops the work, so that the
/// other workers do not wait forever for a taker that waits for the lost job.
struct Ending<'a, T>(&'a Shared<T>);

impl<T> Drop for Ending<'_, T> {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.working -= 1;
        if std::thread::panicking() {
            state.stopped = true;
        }
        drop(state);
        self.0.changed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    fn nothing() {}

    #[test]
    fn results_come_in_order_whatever_order_the_jobs_end_in() {
        let taken: Vec<usize> = std::thread::scope(|scope| {
            let mut results = InOrder::start(scope, 3, 8, 200, nothing, |i| {
                // Early jobs are slow: later ones end first.
                if i % 7 == 0 {
                    std::thread::sleep(Duration::from_millis(2));
                }
                i * 10
            });
            std::iter::from_fn(|| results.next()).collect()
        });
        assert_eq!(taken, (0..200).map(|i| i * 10).collect::<Vec<_>>());
    }

    /// Waits (at most 10 s) until `count` reaches `wanted`; its value then.
    fn reaches(count: &AtomicUsize, wanted: usize) -> usize {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while count.load(Ordering::SeqCst) < wanted && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        count.load(Ordering::SeqCst)
    }

    /// Two workers doing jobs `0..count` at most `window` ahead, each job counted in `started`
    /// and giving its own number.
    fn counted<'scope>(
        scope: &'scope Scope<'scope, '_>,
        window: usize,
        count: usize,
        started: &'scope AtomicUsize,
    ) -> InOrder<usize> {
        InOrder::start(scope, 2, window, count, nothing, move |i| {
            started.fetch_add(1, Ordering::SeqCst);
            i
        })
    }

    /// What `count` reaches on its way to `wanted` (see [`reaches`]), and its value a moment
    /// later.
    fn settles(count: &AtomicUsize, wanted: usize) -> (usize, usize) {
        let reached = reaches(count, wanted);
        std::thread::sleep(Duration::from_millis(30));
        (reached, count.load(Ordering::SeqCst))
    }

    #[test]
    fn workers_never_run_more_than_the_window_ahead() {
        let started = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let mut results = counted(scope, 5, 100, &started);
            // Nothing taken yet: the workers stop after the first 5 jobs.
            assert_eq!(settles(&started, 5), (5, 5));
            assert_eq!(results.next(), Some(0));
            assert_eq!(settles(&started, 6), (6, 6));
            while results.next().is_some() {}
        });
        assert_eq!(started.load(Ordering::SeqCst), 100);
    }

    #[test]
    fn a_slow_job_does_not_stop_the_other_workers_within_the_window() {
        // The job the taker waits for is slow; the other worker goes on with all the next ones
        // (with jobs dealt out in turn it would have done only its own, then waited).
        let others_done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let mut results = InOrder::start(scope, 2, 50, 40, nothing, |i| {
                if i == 0 {
                    reaches(&others_done, 39)
                } else {
                    others_done.fetch_add(1, Ordering::SeqCst);
                    i
                }
            });
            assert_eq!(
                results.next(),
                Some(39),
                "all 39 others were done meanwhile"
            );
            while results.next().is_some() {}
        });
    }

    #[test]
    fn a_stopped_taker_stops_the_workers() {
        let started = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let mut results = counted(scope, 4, 1_000_000, &started);
            assert_eq!(results.next(), Some(0));
            drop(results);
        });
        // The scope ended, so every worker did, after at most the window's jobs past the one
        // taken.
        assert!(started.load(Ordering::SeqCst) <= 5);
    }

    #[test]
    fn a_panicking_job_ends_the_results_and_reaches_the_scope() {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            std::thread::scope(|scope| {
                let mut results = InOrder::start(scope, 2, 4, 100, nothing, |i| {
                    assert!(i != 3, "job 3 fails");
                    i
                });
                let taken: Vec<usize> = std::iter::from_fn(|| results.next()).collect();
                assert_eq!(taken, [0, 1, 2]);
            })
        }));
        assert!(outcome.is_err(), "the worker's panic reaches the scope");
    }
}
