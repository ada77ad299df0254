-- A page's templates are written with one statement, as its links are since 0029 (issue 13:
-- `links::replace_many` gives a page's template names as one array, `rarray`, instead of a
-- statement a row; a biography uses about 15). A statement that writes many rows and may fail
-- part-way on an immediate foreign key first copies every page it changes into a statement
-- journal; with the key checked when the transaction commits it needs none. The rows and the
-- index are as before (0001): only the foreign key is now DEFERRABLE INITIALLY DEFERRED. Every
-- row's page still must exist, or the commit fails.
CREATE TABLE templates_checked_at_commit (
    page_id INTEGER NOT NULL REFERENCES pages (id) DEFERRABLE INITIALLY DEFERRED,
    name    TEXT NOT NULL,
    PRIMARY KEY (page_id, name)
) WITHOUT ROWID;
INSERT INTO templates_checked_at_commit (page_id, name)
SELECT page_id, name FROM templates ORDER BY page_id, name;
DROP TABLE templates;
ALTER TABLE templates_checked_at_commit RENAME TO templates;
CREATE INDEX templates_by_name ON templates (name, page_id);
