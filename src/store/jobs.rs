//! The job queue's rows (`db/0011_jobs.sql`): what `wiki::jobs` enqueues, picks and updates.
//! Times are Unix seconds where the runner compares them (`run_at`), RFC 3339 where people read
//! them.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreError;

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobRow {
    /// Its id.
    pub id: i64,
    /// Its kind (`reindex-search`…).
    pub kind: String,
    /// The kind's JSON (cursor, batch size…).
    pub payload: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
    /// Failed attempts so far.
    pub attempts: i64,
    /// When it is next due (Unix seconds).
    pub run_at: i64,
    /// Why its last attempt failed, if it did.
    pub last_error: Option<String>,
    /// Work done (pages, say).
    pub done: i64,
    /// Work in all, once known.
    pub total: Option<i64>,
    /// Who asked for it (`None`: the system).
    pub created_by: Option<String>,
    /// When it was asked for (RFC 3339).
    pub created_at: String,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
}

const COLUMNS: &str = "j.id, j.kind, j.payload, j.state, j.attempts, j.run_at, j.last_error, \
     j.done, j.total, u.name, j.created_at, j.updated_at";

fn job_from_row(row: &Row<'_>) -> rusqlite::Result<JobRow> {
    Ok(JobRow {
        id: row.get(0)?,
        kind: row.get(1)?,
        payload: row.get(2)?,
        state: row.get(3)?,
        attempts: row.get(4)?,
        run_at: row.get(5)?,
        last_error: row.get(6)?,
        done: row.get(7)?,
        total: row.get(8)?,
        created_by: row.get(9)?,
        created_at: row.get(10)?,
        updated_at: row.get(11)?,
    })
}

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// Queues a job, due at `run_at`. Returns its id.
pub fn enqueue(
    conn: &Connection,
    kind: &str,
    payload: &str,
    run_at: i64,
    created_by: Option<i64>,
) -> Result<i64, StoreError> {
    conn.prepare_cached(&format!(
        "INSERT INTO jobs (kind, payload, run_at, created_by, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, {NOW}, {NOW})"
    ))?
    .execute(params![kind, payload, run_at, created_by])?;
    Ok(conn.last_insert_rowid())
}

/// The job due first at `now` (queued or running, `run_at` passed), oldest first.
pub fn next_due(conn: &Connection, now: i64) -> Result<Option<JobRow>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM jobs j LEFT JOIN users u ON u.id = j.created_by
             WHERE j.state IN ('queued', 'running') AND j.run_at <= ?1
             ORDER BY j.run_at, j.id LIMIT 1"
        ))?
        .query_row([now], job_from_row)
        .optional()?)
}

/// One job.
pub fn get(conn: &Connection, id: i64) -> Result<Option<JobRow>, StoreError> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM jobs j LEFT JOIN users u ON u.id = j.created_by WHERE j.id = ?1"
        ))?
        .query_row([id], job_from_row)
        .optional()?)
}

/// The newest `limit` jobs, newest first.
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<JobRow>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM jobs j LEFT JOIN users u ON u.id = j.created_by
         ORDER BY j.id DESC LIMIT ?1"
    ))?;
    let rows = statement.query_map([limit as i64], job_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Records a step that worked: the new payload and progress, `done` when nothing is left.
pub fn record_step(
    conn: &Connection,
    id: i64,
    payload: &str,
    done: i64,
    total: Option<i64>,
    finished: bool,
) -> Result<(), StoreError> {
    let state = if finished { "done" } else { "running" };
    conn.prepare_cached(&format!(
        "UPDATE jobs SET payload = ?2, done = ?3, total = ?4, state = ?5, updated_at = {NOW}
         WHERE id = ?1"
    ))?
    .execute(params![id, payload, done, total, state])?;
    Ok(())
}

/// Records a failed attempt: due again at `run_at`, or `failed` for good when `give_up`.
pub fn record_failure(
    conn: &Connection,
    id: i64,
    error: &str,
    run_at: i64,
    give_up: bool,
) -> Result<(), StoreError> {
    conn.prepare_cached(&format!(
        "UPDATE jobs SET attempts = attempts + 1, last_error = ?2, run_at = ?3,
             state = CASE WHEN ?4 THEN 'failed' ELSE state END, updated_at = {NOW}
         WHERE id = ?1"
    ))?
    .execute(params![id, error, run_at, give_up])?;
    Ok(())
}

/// A live page: id, title, latest revision, whether it is a redirect.
pub type LivePage = (i64, String, i64, bool);

/// Live pages after `after` (by id) with their latest revision and whether they redirect, at
/// most `limit`, in id order: a batch of a job that walks every page.
pub fn live_pages_after(
    conn: &Connection,
    after: i64,
    limit: usize,
) -> Result<Vec<LivePage>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT id, title, latest_revision, redirect_to IS NOT NULL FROM pages
         WHERE id > ?1 AND deleted = 0 AND latest_revision IS NOT NULL
         ORDER BY id LIMIT ?2",
    )?;
    let rows = statement.query_map(params![after, limit as i64], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// How many live pages there are after `after` (a job's remaining work).
pub fn live_pages_count_after(conn: &Connection, after: i64) -> Result<i64, StoreError> {
    Ok(conn.query_row(
        "SELECT count(*) FROM pages WHERE id > ?1 AND deleted = 0 AND latest_revision IS NOT NULL",
        [after],
        |row| row.get(0),
    )?)
}

/// Whether a job of `kind` is queued or running.
pub fn pending(conn: &Connection, kind: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM jobs WHERE kind = ?1 AND state IN ('queued', 'running')")?
        .query_row([kind], |_| Ok(()))
        .optional()?
        .is_some())
}
