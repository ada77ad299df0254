-- The biography layer: people, their facts and their timelines, kept in step with each page's
-- latest revision by every save, move, delete, undelete and import (src/store/facts.rs).
-- Dates are kept as their text (which reads back to the same date, see src/bio/dates.rs) and
-- as the interval of days they can mean, `from`..`to` as ISO `YYYY-MM-DD` (a `February 1944`
-- is 1944-02-01..1944-02-29), so "born after X" (`born_to >= X`) and "born before Y"
-- (`born_from <= Y`) are index ranges that keep every fact whose interval overlaps.

-- One row per live page whose infobox is a person's.
CREATE TABLE people (
    page_id   INTEGER PRIMARY KEY REFERENCES pages (id),
    name      TEXT NOT NULL,
    sort_key  TEXT NOT NULL,          -- {{DEFAULTSORT:}}, else the title
    born_text TEXT,
    born_from TEXT,
    born_to   TEXT,
    died_text TEXT,
    died_from TEXT,
    died_to   TEXT
);
CREATE INDEX people_by_sort_key ON people (sort_key, page_id);
CREATE INDEX people_by_born ON people (born_from, born_to);
CREATE INDEX people_by_born_end ON people (born_to);
CREATE INDEX people_by_died ON people (died_from, died_to);
CREATE INDEX people_by_died_end ON people (died_to);

-- One row per item of a person's facts: `birth_place`, `death_place`, `place` (the words a
-- place filter matches: each place whole and each of its comma-separated parts),
-- `occupation`, `organisation` (with `field`: employer, party, alma_mater…), `position`,
-- `nationality`, `known_for`, `spouse`. `normalized` and `link_key` are lower case, for filters.
CREATE TABLE facts (
    page_id    INTEGER NOT NULL REFERENCES pages (id),
    kind       TEXT NOT NULL,
    position   INTEGER NOT NULL,
    value      TEXT NOT NULL,
    normalized TEXT NOT NULL,
    link       TEXT,                  -- the normalised title the item links to
    link_key   TEXT,                  -- lower(link)
    field      TEXT,
    date_from  TEXT,                  -- the item's start..end, when it has dates
    date_to    TEXT,
    PRIMARY KEY (page_id, kind, position)
) WITHOUT ROWID;
CREATE INDEX facts_by_value ON facts (kind, normalized, page_id);
CREATE INDEX facts_by_link ON facts (kind, link_key, page_id) WHERE link_key IS NOT NULL;

-- Everyone's timeline: birth, death and every dated fact.
CREATE TABLE events (
    page_id   INTEGER NOT NULL REFERENCES pages (id),
    position  INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    label     TEXT NOT NULL,
    date_text TEXT NOT NULL,
    date_from TEXT NOT NULL,
    date_to   TEXT NOT NULL,
    link      TEXT,
    PRIMARY KEY (page_id, position)
) WITHOUT ROWID;
CREATE INDEX events_by_date ON events (date_from, page_id, position);

-- Which version of the fact extraction the rows above come from. Pages saved before this
-- migration have no rows: the start-up backfill (src/wiki/facts.rs) reads every latest
-- revision once when this is below its version, then raises it.
CREATE TABLE bio_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO bio_index (id, version) VALUES (1, 0);
