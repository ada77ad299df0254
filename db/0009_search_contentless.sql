-- The search index keeps no copy of the text it indexes. FTS5's own content table held the plain
-- text of every section again: a quarter of the database after an import of biographies, and
-- most of what an import wrote besides the sections themselves. A contentless index
-- (`content=''`) keeps only the terms; `contentless_delete=1` lets a save delete a row by its
-- rowid alone. Snippets are made at query time from the section's chunk in the latest
-- revision (src/store/search.rs), and what a hit shows besides its snippet is kept below.
CREATE VIRTUAL TABLE search_terms USING fts5 (
    page_title,
    section_title,
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    content = '',
    contentless_delete = 1
);
-- One index segment per import batch, as in 0008.
INSERT INTO search_terms (search_terms, rank) VALUES ('hashsize', 67108864);

-- One row per indexed section, with the same rowid as its terms (`page_id * 8192 + position`).
-- `body_sha256` is the hash of the indexed plain text, so that a save rewrites only the rows
-- that changed; rows carried over from the old index have none, and the page's next save
-- rewrites them.
CREATE TABLE search_rows (
    id            INTEGER PRIMARY KEY,
    page_title    TEXT NOT NULL,
    section_title TEXT NOT NULL,
    section_id    TEXT NOT NULL,
    anchor        TEXT NOT NULL,
    body_sha256   BLOB
);

INSERT INTO search_terms (rowid, page_title, section_title, body)
SELECT rowid, page_title, section_title, body FROM search ORDER BY rowid;
INSERT INTO search_rows (id, page_title, section_title, section_id, anchor)
SELECT rowid, page_title, section_title, section_id, anchor FROM search ORDER BY rowid;
DROP TABLE search;
ALTER TABLE search_terms RENAME TO search;
