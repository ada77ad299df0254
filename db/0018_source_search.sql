-- Source documents are searched without their boilerplate (issue 13: a donation appeal, share
-- buttons, a cookie notice are not what the source says). Which version of that reading the
-- search rows of `Source:` pages come from: the start-up backfill (src/wiki/source_edit.rs)
-- rewrites them once when this is below its version.
CREATE TABLE source_search_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO source_search_index (id, version) VALUES (1, 0);
