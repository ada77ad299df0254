-- The job queue (src/wiki/jobs.rs): work too big for one transaction (re-indexing every page,
-- later template refreshes, mention rescans, purges), done by the writer a small batch at a
-- time between edits. A job survives a restart: its progress is committed with each batch.
-- `state`: queued (not started), running (started, more to do), done, failed (gave up after
-- too many failed attempts). `payload` is the kind's JSON (its cursor, batch size…);
-- `attempts` counts failed attempts, `run_at` (Unix seconds) is when it is next due, later
-- and later after each failure. `done`/`total` is its progress (`total` unknown until its
-- first batch).
CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL DEFAULT '{}',
    state      TEXT NOT NULL DEFAULT 'queued'
               CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    run_at     INTEGER NOT NULL,
    last_error TEXT,
    done       INTEGER NOT NULL DEFAULT 0,
    total      INTEGER,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at, id) WHERE state IN ('queued', 'running');
