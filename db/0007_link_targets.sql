-- Link targets, interned: a `links` row is two integers instead of a title in two text indexes.
-- A biography links to about 90 pages, most of them linked from many other pages, so each
-- title is kept once here. A title that no page links to any more keeps its row (a few bytes;
-- every query starts from `links`, so it is never shown) and its id is reused if a link to it
-- comes back.
CREATE TABLE link_targets (
    id    INTEGER PRIMARY KEY,
    title TEXT NOT NULL UNIQUE
);
INSERT INTO link_targets (title) SELECT DISTINCT target FROM links ORDER BY target;

-- What each page's latest revision links to (rewritten on every save). A target with no live
-- page of its title is a missing-page link.
CREATE TABLE links_by_id (
    page_id   INTEGER NOT NULL REFERENCES pages (id),
    target_id INTEGER NOT NULL REFERENCES link_targets (id),
    PRIMARY KEY (page_id, target_id)
) WITHOUT ROWID;
INSERT INTO links_by_id (page_id, target_id)
SELECT l.page_id, t.id FROM links l JOIN link_targets t ON t.title = l.target
ORDER BY l.page_id, t.id;
DROP TABLE links;
ALTER TABLE links_by_id RENAME TO links;
CREATE INDEX links_by_target ON links (target_id, page_id);
