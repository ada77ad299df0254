-- A page's links are written with one statement (issue 13: `links::replace_many` gives a page's
-- target ids as one array, `rarray`, instead of a statement a row). A statement that writes many
-- rows and may fail part-way on an immediate foreign key first copies every page it changes into
-- a statement journal, which cost more than the statements saved; with the keys checked when the
-- transaction commits it needs none. The rows and the index are as before (0007): only the two
-- foreign keys are now DEFERRABLE INITIALLY DEFERRED. Every row's page and target still must
-- exist, or the commit fails.
CREATE TABLE links_checked_at_commit (
    page_id   INTEGER NOT NULL REFERENCES pages (id) DEFERRABLE INITIALLY DEFERRED,
    target_id INTEGER NOT NULL REFERENCES link_targets (id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (page_id, target_id)
) WITHOUT ROWID;
INSERT INTO links_checked_at_commit (page_id, target_id)
SELECT page_id, target_id FROM links ORDER BY page_id, target_id;
DROP TABLE links;
ALTER TABLE links_checked_at_commit RENAME TO links;
CREATE INDEX links_by_target ON links (target_id, page_id);
