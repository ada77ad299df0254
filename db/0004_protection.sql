-- Moderation: protected pages and hidden revisions. Builds on `pages`, `revisions` and `users`
-- from 0001; every change is also written to `audit_log` (0003) in the same transaction.

-- A page listed here can be edited (saved, reverted, moved) only by admins. Keyed by the
-- page's internal id, so protection survives a move.
CREATE TABLE page_protection (
    page_id      INTEGER PRIMARY KEY REFERENCES pages (id),
    protected_by INTEGER NOT NULL REFERENCES users (id),
    protected_at TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT ''
);

-- A revision listed here has its text and summary shown to admins only. A hidden revision is
-- never a page's latest revision (hiding the latest needs a revert first), so the search
-- index and exports, which hold only latest revisions, never hold hidden text.
CREATE TABLE hidden_revisions (
    revision_id INTEGER PRIMARY KEY REFERENCES revisions (id),
    hidden_by   INTEGER NOT NULL REFERENCES users (id),
    hidden_at   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT ''
);
