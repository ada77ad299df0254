-- Issue 15: a user's contributions and their watchlist.

-- Contributions (`/user/NAME`): one author's revisions, newest first, as one index range.
CREATE INDEX revisions_by_author ON revisions (author_id, id DESC);

-- What a signed-in user watches: a whole page (`section_id` 0) or one section of it (a stable
-- section id from `sections`). The watchlist lists the recent changes to these.
CREATE TABLE watches (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    page_id    INTEGER NOT NULL REFERENCES pages (id),
    section_id INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, page_id, section_id)
) WITHOUT ROWID;

-- The private Atom feed of a user's watchlist: one revocable token each, kept only as its
-- SHA-256 (as sessions and API tokens are).
CREATE TABLE watchlist_feeds (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
