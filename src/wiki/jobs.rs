//! The job queue: work too big for one transaction, done by the writer a small batch at a time
//! between edits, and kept in SQLite so that it survives a restart.
//!
//! A job is a row (`store::jobs`): its kind, its payload (the kind's JSON: a cursor, a batch
//! size), its state and progress. [`run_one`] takes the job due first and runs one step of it
//! in one write: the step does a bounded amount of work (one batch) and returns the payload
//! to carry on from, which is committed with its work. The writer is then free for the edits
//! that queued meanwhile; the next step is a write of its own. A step that fails rolls back
//! and is tried again later and later ([`backoff`]) until [`MAX_ATTEMPTS`], then the job is
//! `failed`. `serve` runs [`run_forever`]; `plutarch jobs run` drains the queue itself.
//!
//! A kind is a variant of [`JobKind`] with a `step` function: template refreshes, mention
//! rescans and purges are new variants.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::store::jobs::{self as store, JobRow};
use crate::store::{self as storage, Connection, Db, StoreError, accounts, changes};

use super::{WikiError, save};

/// A job's state and progress, as stored (what admins are shown).
pub type JobStatus = JobRow;

/// Failed attempts after which a job is given up (`failed`).
pub const MAX_ATTEMPTS: i64 = 5;
/// The wait after a job's first failed attempt; it doubles with each further one.
pub const FIRST_BACKOFF_SECONDS: i64 = 10;
/// How long an idle runner waits before it looks for due jobs again.
const IDLE_POLL: std::time::Duration = std::time::Duration::from_secs(2);
/// Pages per step of a page-walking job, unless its payload says otherwise: about 20 ms of
/// writer time for biographies of 10 KB (`bench/jobs-reindex.sh`), so an edit waits little.
pub const DEFAULT_BATCH: usize = 20;
/// The most pages a step may take (a step must stay short: edits wait for it).
pub const MAX_BATCH: usize = 500;
/// How many jobs the lists show (the admin page, the API, `plutarch jobs list`), newest first.
pub const LISTED: usize = 100;

/// Refuses a batch size outside 1 to [`MAX_BATCH`].
fn check_batch(batch: usize) -> Result<(), WikiError> {
    if batch == 0 || batch > MAX_BATCH {
        return Err(WikiError::Invalid(format!(
            "a batch is 1 to {MAX_BATCH} pages, not {batch}"
        )));
    }
    Ok(())
}

/// The kinds of job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    /// Rewrites every live page's search rows from the chunks of its latest revision, `batch`
    /// pages per step, resuming after page id `after`.
    ReindexSearch,
    /// Reads every source document's mentions of people again with today's automaton, `batch`
    /// sources per step (queued by itself when people's names change; see `wiki::mentions`).
    RescanMentions,
    /// Checks again the quotations citing a source whose text changed (queued by itself when
    /// there are many; see `wiki::quote_checks`), or every quotation when started by hand.
    RecheckQuotations,
    /// Indexes again, from their expanded text, the pages transcluding a page that was saved
    /// (queued by the save; see `wiki::templates`), or every page when started by hand.
    RefreshTransclusions,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [
        Self::ReindexSearch,
        Self::RescanMentions,
        Self::RecheckQuotations,
        Self::RefreshTransclusions,
    ];

    /// The kind's name, as stored and as the CLI and the admin page write it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::ReindexSearch => "reindex-search",
            Self::RescanMentions => super::mentions::RESCAN_KIND,
            Self::RecheckQuotations => super::quote_checks::RECHECK_KIND,
            Self::RefreshTransclusions => super::templates::REFRESH_KIND,
        }
    }

    /// What the kind does, for people.
    pub const fn description(self) -> &'static str {
        match self {
            Self::ReindexSearch => "Re-index every page's search rows from its latest revision",
            Self::RescanMentions => {
                "Read again which people every source mentions, with everyone's names as they are now"
            }
            Self::RecheckQuotations => {
                "Check again every quotation attributed to a stored source against its text"
            }
            Self::RefreshTransclusions => {
                "Expand every page's templates again and store its links, categories and transclusions"
            }
        }
    }

    /// The payload a new job of this kind starts from.
    pub fn initial_payload(self, batch: usize) -> String {
        match self {
            Self::ReindexSearch => to_json(&PageWalk { after: 0, batch }),
            Self::RescanMentions => super::mentions::initial_payload(batch),
            Self::RecheckQuotations => super::quote_checks::initial_payload(batch),
            Self::RefreshTransclusions => super::templates::initial_payload(batch),
        }
    }

    /// One step: a bounded amount of work, inside the caller's transaction.
    fn step(self, tx: &Connection, job: &JobRow) -> Result<Step, WikiError> {
        match self {
            Self::ReindexSearch => reindex_search_step(tx, job),
            Self::RescanMentions => {
                let step = super::mentions::rescan_step(tx, &job.payload, job.done)?;
                Ok(Step {
                    payload: step.payload,
                    done: step.done,
                    total: Some(step.total),
                    finished: step.finished,
                })
            }
            Self::RecheckQuotations => {
                let step = super::quote_checks::recheck_step(tx, &job.payload, job.done)?;
                Ok(Step {
                    payload: step.payload,
                    done: step.done,
                    total: None,
                    finished: step.finished,
                })
            }
            Self::RefreshTransclusions => {
                let step = super::templates::refresh_step(tx, &job.payload, job.done)?;
                Ok(Step {
                    payload: step.payload,
                    done: step.done,
                    total: None,
                    finished: step.finished,
                })
            }
        }
    }
}

impl FromStr for JobKind {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.name() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::ALL.iter().map(|kind| kind.name()).collect();
                format!("unknown job kind {name:?} (known: {})", known.join(", "))
            })
    }
}

/// What a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Step {
    /// The payload to carry on from.
    payload: String,
    /// Work done so far, this step's included.
    done: i64,
    /// Work in all, as far as known.
    total: Option<i64>,
    /// Nothing left to do.
    finished: bool,
}

/// The payload of a job that walks every live page in id order.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageWalk {
    /// The last page id done.
    #[serde(default)]
    after: i64,
    /// Pages per step.
    #[serde(default = "default_batch")]
    batch: usize,
}

fn default_batch() -> usize {
    DEFAULT_BATCH
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

fn reindex_search_step(tx: &Connection, job: &JobRow) -> Result<Step, WikiError> {
    let mut walk: PageWalk = serde_json::from_str(&job.payload)
        .map_err(|e| WikiError::Invalid(format!("the job's payload is not valid: {e}")))?;
    check_batch(walk.batch)?;
    let total = match job.total {
        Some(total) => total,
        None => job.done + store::live_pages_count_after(tx, walk.after)?,
    };
    let pages = store::live_pages_after(tx, walk.after, walk.batch)?;
    for (page_id, title, revision, redirect) in &pages {
        save::rewrite_search_rows(tx, *page_id, title, *revision, *redirect)?;
        walk.after = *page_id;
    }
    let done = job.done + pages.len() as i64;
    Ok(Step {
        payload: to_json(&walk),
        done,
        total: Some(total.max(done)),
        finished: pages.len() < walk.batch,
    })
}

/// The wait before a job that has failed `attempts` times (this one included) is tried again.
pub fn backoff(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 20) - 1;
    FIRST_BACKOFF_SECONDS.saturating_mul(1 << doublings)
}

/// What [`run_one`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// No job was due.
    Idle,
    /// A step of job `id` worked; `finished` when the job is done.
    Stepped {
        /// The job.
        id: i64,
        /// Whether it is done.
        finished: bool,
    },
    /// A step of job `id` failed and was rolled back; `gave_up` when the job is now `failed`.
    Failed {
        /// The job.
        id: i64,
        /// Why.
        error: String,
        /// Whether it will not be tried again.
        gave_up: bool,
    },
}

/// The audit log's action for a job someone started.
pub const STARTED_ACTION: &str = "job started";

/// Queues a job of `kind` (due now), asked for by `user` (`None`: the system), and writes it to
/// the audit log. Returns its id.
pub fn enqueue_blocking(
    conn: &mut Connection,
    kind: JobKind,
    batch: usize,
    user: Option<i64>,
) -> Result<i64, WikiError> {
    check_batch(batch)?;
    let tx = storage::begin_write(conn)?;
    let id = store::enqueue(
        &tx,
        kind.name(),
        &kind.initial_payload(batch),
        unix_now(),
        user,
    )?;
    accounts::log_event(&tx, user, STARTED_ACTION, kind.name(), &format!("job {id}"))?;
    tx.commit()?;
    changes::nothing_shown(); // a queued job shows only on the (uncached) jobs pages
    Ok(id)
}

/// [`enqueue_blocking`] on the writer, from a handler.
pub async fn enqueue(db: &Db, kind: JobKind, user: Option<i64>) -> Result<i64, WikiError> {
    db.write_grouped(move |conn| Ok(enqueue_blocking(conn, kind, DEFAULT_BATCH, user)))
        .await?
}

/// Runs one step of the job due first at `now` (Unix seconds), in one write of its own (or a
/// savepoint of the caller's group commit).
pub fn run_one_blocking(conn: &mut Connection, now: i64) -> Result<Ran, WikiError> {
    let mut tx = storage::begin_write(conn)?;
    let Some(job) = store::next_due(&tx, now)? else {
        changes::nothing_shown();
        return Ok(Ran::Idle);
    };
    let stepped = (|| -> Result<Step, WikiError> {
        let kind = JobKind::from_str(&job.kind).map_err(WikiError::Invalid)?;
        let work = tx.savepoint()?;
        let step = kind.step(&work, &job)?;
        store::record_step(
            &work,
            job.id,
            &step.payload,
            step.done,
            step.total,
            step.finished,
        )?;
        work.commit().map_err(StoreError::from)?;
        Ok(step)
    })();
    let ran = match stepped {
        Ok(step) => {
            // A reindex-search step rewrites search rows, which only listings show; cached
            // page views stay. A rescan-mentions step changes what source pages and people's
            // info views list: caches start over. Progress shows only on the (uncached) jobs
            // pages.
            match JobKind::from_str(&job.kind) {
                Ok(JobKind::RescanMentions) => changes::anything(),
                _ => changes::pages(Vec::<String>::new()),
            }
            Ran::Stepped {
                id: job.id,
                finished: step.finished,
            }
        }
        Err(error) => {
            changes::nothing_shown();
            let attempts = job.attempts + 1;
            let gave_up = attempts >= MAX_ATTEMPTS;
            let error = error.to_string();
            store::record_failure(&tx, job.id, &error, now + backoff(attempts), gave_up)?;
            Ran::Failed {
                id: job.id,
                error,
                gave_up,
            }
        }
    };
    tx.commit()?;
    Ok(ran)
}

/// [`run_one_blocking`] now, on the writer, sharing its commit with the edits queued with it;
/// a reader looks first, so an idle queue costs no write.
pub async fn run_one(db: &Db) -> Result<Ran, WikiError> {
    let now = unix_now();
    if db
        .read(move |conn| store::next_due(conn, now))
        .await?
        .is_none()
    {
        return Ok(Ran::Idle);
    }
    db.write_grouped(move |conn| Ok(run_one_blocking(conn, now)))
        .await?
}

/// Runs due jobs, a step at a time, for as long as the server runs (`serve` spawns it). Each
/// step is a write of its own, so edits take turns with it.
pub async fn run_forever(db: Db) {
    loop {
        match run_one(&db).await {
            Ok(Ran::Stepped { .. }) => tokio::task::yield_now().await,
            Ok(Ran::Failed {
                id, error, gave_up, ..
            }) => {
                tracing::warn!(job = id, gave_up, "a job step failed: {error}");
                tokio::task::yield_now().await;
            }
            Ok(Ran::Idle) => tokio::time::sleep(IDLE_POLL).await,
            Err(error) => {
                tracing::error!("the job runner failed: {error}");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

/// Runs due jobs on this thread until none is due (the CLI), calling `on_step` after each
/// step. Returns how many steps ran.
pub fn drain_blocking(db: &Db, on_step: &mut dyn FnMut(&Ran)) -> Result<usize, WikiError> {
    let mut steps = 0;
    loop {
        let ran = db.write_blocking(|conn| Ok(run_one_blocking(conn, unix_now())))??;
        if ran == Ran::Idle {
            return Ok(steps);
        }
        steps += 1;
        on_step(&ran);
    }
}

/// The newest jobs, newest first (the admin page and the API).
pub async fn recent(db: &Db, limit: usize) -> Result<Vec<JobStatus>, WikiError> {
    Ok(db.read(move |conn| store::recent(conn, limit)).await?)
}

/// The newest jobs, newest first, on this thread (the CLI).
pub fn recent_blocking(db: &Db, limit: usize) -> Result<Vec<JobStatus>, WikiError> {
    Ok(db.read_blocking(|conn| store::recent(conn, limit))?)
}

/// One job.
pub fn job_blocking(db: &Db, id: i64) -> Result<Option<JobStatus>, WikiError> {
    Ok(db.read_blocking(|conn| store::get(conn, id))?)
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wiki::{SaveRequest, Title, samples::SYSTEM_USER_ID, save_blocking};

    fn with_pages(path: &std::path::Path, count: usize) -> Db {
        let db = Db::open(path).unwrap();
        db.write_blocking(|conn| {
            for i in 0..count {
                let request = SaveRequest {
                    title: Title::new(&format!("Person {i}")).unwrap(),
                    markup: format!("Person {i} was a zeppelin pilot.\n== Life ==\nBorn in {i}.\n"),
                    base_revision: None,
                    section: None,
                    summary: String::new(),
                    author_id: SYSTEM_USER_ID,
                };
                save_blocking(conn, &request).unwrap();
            }
            Ok(())
        })
        .unwrap();
        db
    }

    fn queue(db: &Db, kind: JobKind, batch: usize) -> i64 {
        db.write_blocking(|conn| Ok(enqueue_blocking(conn, kind, batch, None)))
            .unwrap()
            .unwrap()
    }

    fn step(db: &Db, now: i64) -> Ran {
        db.write_blocking(|conn| Ok(run_one_blocking(conn, now)))
            .unwrap()
            .unwrap()
    }

    fn job(db: &Db, id: i64) -> JobRow {
        job_blocking(db, id).unwrap().unwrap()
    }

    #[test]
    fn a_job_survives_a_restart_and_resumes_where_it_stopped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jobs.db");
        let id = {
            let db = with_pages(&path, 5);
            let id = queue(&db, JobKind::ReindexSearch, 2);
            assert_eq!(
                step(&db, unix_now()),
                Ran::Stepped {
                    id,
                    finished: false
                }
            );
            let half = job(&db, id);
            assert_eq!(
                (half.state.as_str(), half.done, half.total),
                ("running", 2, Some(5))
            );
            id
        };
        // A new process: the job is still there, and carries on from its cursor.
        let db = Db::open(&path).unwrap();
        let steps = drain_blocking(&db, &mut |_| {}).unwrap();
        assert_eq!(steps, 2);
        let finished = job(&db, id);
        assert_eq!(
            (finished.state.as_str(), finished.done, finished.total),
            ("done", 5, Some(5))
        );
        assert_eq!(step(&db, unix_now()), Ran::Idle);
    }

    #[test]
    fn a_failing_job_is_retried_later_and_later_then_given_up() {
        let dir = tempfile::tempdir().unwrap();
        let db = with_pages(&dir.path().join("retry.db"), 1);
        // A payload no step can read: every attempt fails, deterministically.
        let id = db
            .write_blocking(|conn| {
                store::enqueue(
                    conn,
                    JobKind::ReindexSearch.name(),
                    "{\"cursor\": 1}",
                    1000,
                    None,
                )
            })
            .unwrap();
        let mut now = 1000;
        for attempt in 1..=MAX_ATTEMPTS {
            let ran = step(&db, now);
            let Ran::Failed { gave_up, error, .. } = ran else {
                panic!("attempt {attempt} did not fail: {ran:?}");
            };
            assert!(error.contains("payload"), "{error}");
            assert_eq!(gave_up, attempt == MAX_ATTEMPTS);
            let failed = job(&db, id);
            assert_eq!(failed.attempts, attempt);
            assert_eq!(failed.run_at, now + backoff(attempt));
            if attempt < MAX_ATTEMPTS {
                assert_eq!(failed.state, "queued");
                // Not due before its backoff is over.
                assert_eq!(step(&db, failed.run_at - 1), Ran::Idle);
            }
            now = failed.run_at;
        }
        assert_eq!(job(&db, id).state, "failed");
        assert_eq!(step(&db, now + 1_000_000), Ran::Idle);
        assert_eq!((1..=4).map(backoff).collect::<Vec<_>>(), [10, 20, 40, 80]);
    }

    #[test]
    fn kinds_are_named_and_batches_bounded() {
        assert_eq!(
            "reindex-search".parse::<JobKind>(),
            Ok(JobKind::ReindexSearch)
        );
        assert!("reindex".parse::<JobKind>().is_err());
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("kinds.db")).unwrap();
        for batch in [0, MAX_BATCH + 1] {
            let refused = db
                .write_blocking(|conn| {
                    Ok(enqueue_blocking(conn, JobKind::ReindexSearch, batch, None))
                })
                .unwrap();
            assert!(refused.is_err());
        }
    }
}
