-- Citations of stored sources (issue 13): each `<ref>` of a page's latest revision that cites a
-- source document (`bio::cites`), one row per quotation its sentence attributes to the source,
-- or one row without a quotation when there is none. `target` is the cited `Source:` title,
-- normalised, as the page wrote it (a moved source is found through its redirect);
-- `source_id` is the page of a `{{cite|url=}}` whose URL was a stored source's when the page
-- was saved. `section` is the index of the section in the latest revision (its stable id is
-- `revision_sections.section_id` at that position; `heading` and `anchor` are its title and
-- anchor, empty for the lead), `span_start`..`span_end` the citing
-- sentence's bytes in the stored text, `sentence` its plain text (cut at 600 bytes).
CREATE TABLE citations (
    page_id    INTEGER NOT NULL REFERENCES pages (id),
    position   INTEGER NOT NULL,
    section    INTEGER NOT NULL,
    heading    TEXT NOT NULL,
    anchor     TEXT NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    sentence   TEXT NOT NULL,
    target     TEXT,
    source_id  INTEGER REFERENCES pages (id),
    quotation  TEXT,
    PRIMARY KEY (page_id, position)
) WITHOUT ROWID;
CREATE INDEX citations_by_target ON citations (target) WHERE target IS NOT NULL;
CREATE INDEX citations_by_source ON citations (source_id) WHERE source_id IS NOT NULL;
CREATE INDEX sources_by_url ON sources (url) WHERE url IS NOT NULL;

-- Which version of the citation reading the rows above come from: the start-up backfill
-- (src/wiki/citations.rs) reads every latest revision once when this is below its version.
CREATE TABLE citation_index (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO citation_index (id, version) VALUES (1, 0);
