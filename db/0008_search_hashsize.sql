-- FTS5 keeps the terms of the rows written in a transaction in memory and writes them out as a
-- new index segment whenever they pass `hashsize` bytes (1 MiB by default), and later writes
-- merge small segments into larger ones. An import batch indexes about 10 MB of text: with the
-- default it made a segment per megabyte and spent about a third of its search-index time
-- merging them. With 64 MiB a batch makes one segment. An edit's few terms are not affected:
-- this is a ceiling, not an allocation.
INSERT INTO search (search, rank) VALUES ('hashsize', 67108864);
