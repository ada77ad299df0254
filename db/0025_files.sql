-- Uploaded files (issue 16). The bytes live in the database, once per content: a blob is keyed
-- by the SHA-256 of its bytes (hex), so the same image uploaded twice, or a revert to an older
-- version, stores nothing new. A file is a `File:` page; each upload is one of its versions.
CREATE TABLE file_blobs (
    sha256 TEXT PRIMARY KEY,
    bytes  BLOB NOT NULL
) WITHOUT ROWID;

-- The versions of each file page, numbered from 1. Type and size were decided from the bytes.
CREATE TABLE file_versions (
    page_id     INTEGER NOT NULL REFERENCES pages (id),
    version     INTEGER NOT NULL CHECK (version >= 1),
    blob_sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
    mime        TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    frames      INTEGER NOT NULL DEFAULT 1,
    size        INTEGER NOT NULL,
    uploader_id INTEGER NOT NULL REFERENCES users (id),
    uploaded_at TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (page_id, version)
) WITHOUT ROWID;

-- Thumbnails made on first request, by blob and standard width: derived data (a reader sees
-- nothing change when one is stored, so storing it moves no cache).
CREATE TABLE file_thumbnails (
    blob_sha256 TEXT NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    mime        TEXT NOT NULL,
    bytes       BLOB NOT NULL,
    PRIMARY KEY (blob_sha256, width)
) WITHOUT ROWID;

-- The files a page shows (figures, galleries, an infobox's portrait) are recorded from now on as
-- links to their `File:` pages, so an upload refreshes only the pages showing it. Pages saved
-- before have none: one refresh of every page (the durable job `refresh-transclusions`, small
-- batches between edits) records them.
INSERT INTO jobs (kind, payload, run_at, created_at, updated_at)
SELECT 'refresh-transclusions', '{"after":0,"batch":20}', CAST(strftime('%s', 'now') AS INTEGER),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE EXISTS (SELECT 1 FROM pages);
