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

-- Pages, by normalised title. `latest_revision` is the revision readers see; a deleted page
-- keeps its row and its history. `redirect_to` is the normalised target of a
-- `#REDIRECT [[Target]]` page, kept in step with the latest revision.
CREATE TABLE pages (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL UNIQUE,
    latest_revision INTEGER REFERENCES revisions (id),
    deleted         INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    redirect_to     TEXT
);

-- Every saved version of every page. Ids come from the AUTOINCREMENT sequence, never from the
-- clock, and are never reused. The text itself lives in `chunks`, listed by
-- `revision_sections`; `sha256` is the hash of the whole text, to check a reconstruction.
CREATE TABLE revisions (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id   INTEGER NOT NULL REFERENCES pages (id),
    parent_id INTEGER REFERENCES revisions (id),
    author_id INTEGER NOT NULL REFERENCES users (id),
    timestamp TEXT NOT NULL,
    summary   TEXT NOT NULL DEFAULT '',
    size      INTEGER NOT NULL,
    sha256    BLOB NOT NULL
);
CREATE INDEX revisions_by_page ON revisions (page_id, id DESC);

-- Section chunks, stored once by content hash: the lead, or one heading line and the text up to
-- the next heading of any level. `level` and `title` describe the chunk's heading when it is used
-- as a section (a chunk used as the lead is shown with level 0, whatever these say).
CREATE TABLE chunks (
    id     INTEGER PRIMARY KEY,
    sha256 BLOB NOT NULL UNIQUE,
    level  INTEGER NOT NULL,
    title  TEXT NOT NULL,
    text   TEXT NOT NULL
);

-- Stable section identities. The public id is `s` followed by this number in hex.
CREATE TABLE sections (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES pages (id)
);

-- A revision is the ordered list of its chunks; concatenated they give the text byte for byte.
-- `changed` is 1 when the section is new in this revision or its chunk differs from the one it
-- had in the parent revision: the partial index makes a section's history one index range.
CREATE TABLE revision_sections (
    revision_id INTEGER NOT NULL REFERENCES revisions (id),
    position    INTEGER NOT NULL,
    section_id  INTEGER NOT NULL REFERENCES sections (id),
    chunk_id    INTEGER NOT NULL REFERENCES chunks (id),
    changed     INTEGER NOT NULL,
    PRIMARY KEY (revision_id, position)
) WITHOUT ROWID;
CREATE INDEX section_changes ON revision_sections (section_id, revision_id) WHERE changed = 1;

-- What each page's latest revision points at (rewritten on every save). Targets are normalised
-- titles; a target with no live page is a missing-page link.
CREATE TABLE links (
    page_id INTEGER NOT NULL REFERENCES pages (id),
    target  TEXT NOT NULL,
    PRIMARY KEY (page_id, target)
) WITHOUT ROWID;
CREATE INDEX links_by_target ON links (target, page_id);

CREATE TABLE categories (
    page_id  INTEGER NOT NULL REFERENCES pages (id),
    name     TEXT NOT NULL,
    sort_key TEXT NOT NULL,
    PRIMARY KEY (page_id, name)
) WITHOUT ROWID;
CREATE INDEX categories_by_name ON categories (name, sort_key, page_id);

CREATE TABLE templates (
    page_id INTEGER NOT NULL REFERENCES pages (id),
    name    TEXT NOT NULL,
    PRIMARY KEY (page_id, name)
) WITHOUT ROWID;
CREATE INDEX templates_by_name ON templates (name, page_id);
