-- Full-text search over the latest revision of every live page, one row per section.
-- The rowid is `page_id * 8192 + section position` (a page has at most 5000 sections), so a
-- page's rows are one rowid range and a save replaces them without scanning the index.
CREATE VIRTUAL TABLE search USING fts5 (
    page_title,
    section_title,
    body,
    section_id UNINDEXED,
    anchor UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
