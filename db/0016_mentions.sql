-- Mentions (issue 13): which people each source document (a live `Source:` page) names, by
-- any of their names (page title, display name, redirects to the page, infobox aliases),
-- counted on word boundaries outside boilerplate (src/bio/mentions.rs). One row per source and
-- person: how many times, and the first mention's bytes in the source's stored text with the
-- name as written there. Written when a source is saved, rewritten by the `rescan-mentions`
-- job when people's names change.
CREATE TABLE mentions (
    source_id  INTEGER NOT NULL REFERENCES pages (id),
    person_id  INTEGER NOT NULL REFERENCES pages (id),
    count      INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    PRIMARY KEY (source_id, person_id)
) WITHOUT ROWID;
CREATE INDEX mentions_by_person ON mentions (person_id, source_id);

-- `version`: which version of the mention reading the rows above come from (the start-up
-- backfill queues a rescan when it is below src/wiki/mentions.rs's). `names`: a token that
-- changes whenever any person's names change (a person saved with other names, a redirect
-- made or removed, a page moved, deleted or undeleted); the automaton kept in memory is
-- rebuilt when it was built under another token.
CREATE TABLE mention_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    names   INTEGER NOT NULL
);
INSERT INTO mention_index (id, version, names) VALUES (1, 0, 0);
