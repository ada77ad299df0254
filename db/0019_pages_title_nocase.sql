-- Search goes to the page whose title equals the query ignoring ASCII case (`ada lovelace` is
-- `Ada Lovelace`, issue 15). Without an index that ignores case that lookup read every title on
-- each search that named no page exactly; with it, it is one index search.
CREATE INDEX pages_by_title_nocase ON pages (title COLLATE NOCASE);
