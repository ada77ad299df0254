-- Which page transcludes which (MediaWiki's templatelinks): every page a page's expansion asked
-- for, `Template:X` or (for `{{:Page}}`) any other, whether it exists or not, nested calls
-- included, by full title. Saving one of them refreshes the pages that use it (the job
-- `refresh-transclusions`, src/wiki/templates.rs) and empties their cached views.
CREATE TABLE transclusions (
    page_id INTEGER NOT NULL REFERENCES pages (id),
    title   TEXT NOT NULL,
    PRIMARY KEY (page_id, title)
) WITHOUT ROWID;
CREATE INDEX transclusions_by_title ON transclusions (title, page_id);
-- Until now no template page was expanded: what each page calls is what its own text calls.
INSERT OR IGNORE INTO transclusions (page_id, title)
SELECT page_id, 'Template:' || name FROM templates;
