-- Users: who wrote what. The system account (id 1) authors the sample pages and cannot sign in.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('system', 'reader', 'editor', 'admin')),
    password_hash TEXT,
    created_at    TEXT NOT NULL
);
INSERT INTO users (id, name, role, password_hash, created_at)
VALUES (1, 'Plutarch', 'system', NULL, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- Pages, by normalised title. `latest_revision` is the revision readers see.
CREATE TABLE pages (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL UNIQUE,
    latest_revision INTEGER REFERENCES revisions (id)
);

-- Every saved version of every page. Ids come from the rowid sequence, never from the clock.
CREATE TABLE revisions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id   INTEGER NOT NULL REFERENCES pages (id),
    parent_id INTEGER REFERENCES revisions (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    timestamp TEXT NOT NULL,
    summary   TEXT NOT NULL DEFAULT '',
    size      INTEGER NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX revisions_by_page ON revisions (page_id, id DESC);
