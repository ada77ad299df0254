-- Namespaces (src/doc/namespace.rs): titles such as `image:X.jpg`, `talk:Ada` or `Kategorie:Y`
-- now fall into a namespace and are written the canonical way (`File:X.jpg`, `Talk:Ada`,
-- `Category:Y`). SQL cannot apply those rules, so the start-up backfill
-- (src/wiki/namespaces.rs) renames the pages an older version titled otherwise, re-indexes what
-- refers to them, and raises this version. A new database has nothing to rename.
CREATE TABLE title_rules (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO title_rules (id, version)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM pages) THEN 0 ELSE 1 END;
