-- Accounts: sessions, API tokens, sign-in throttling and the audit log.
-- Builds on `users` from 0001. Times are Unix seconds (INTEGER) where the server compares them,
-- RFC 3339 text where people read them.

-- One user name per person, whatever the ASCII case ("Admin" cannot impersonate "admin").
CREATE UNIQUE INDEX users_name_nocase ON users (name COLLATE NOCASE);

-- Browser sessions. Only the SHA-256 of the cookie value is kept, so a copy of the database
-- does not let anyone sign in. `csrf` is the per-session token every form carries.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API tokens (`Authorization: Bearer plt_…`), again only as SHA-256 hashes.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);

-- Failed sign-ins, per account name (lower-cased, whether or not it exists) and per client
-- address. Rows older than the throttling window are swept on the next failure.
CREATE TABLE sign_in_failures (
    id      INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address, at);

-- Who did what: sign-ins, failures, lockouts, role changes, tokens, protections, hidden
-- revisions. `actor` is NULL for anonymous clients (a failed sign-in, say).
CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    at     TEXT NOT NULL,
    actor  INTEGER REFERENCES users (id),
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
