-- Source documents (`plutarch import --source`): the metadata of a `Source:` page, kept beside
-- its text, one row per page. A later import of the same source replaces the row. `date` is
-- kept as given (YYYY, YYYY-MM or YYYY-MM-DD: a source's date is often known only to the year
-- or month); `imported_at` is when this metadata was last set (RFC 3339, UTC).
CREATE TABLE sources (
    page_id     INTEGER PRIMARY KEY REFERENCES pages (id),
    url         TEXT,
    publisher   TEXT,
    date        TEXT,
    kind        TEXT,
    imported_at TEXT NOT NULL
);
