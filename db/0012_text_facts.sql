-- Facts and events read from the text of a biography (issue 13), with where each was read:
-- `section` is the index of the section in the page's latest revision (its stable id is
-- `revision_sections.section_id` at that position), `span_start`..`span_end` the sentence's
-- bytes in the stored text (the sentence itself is not stored: an import writes about 30 text
-- events a page, and their sentences were half the size of the text). Rows from the infobox
-- leave them null. `qualifier` is early, mid, late, before or after. The start-up
-- backfill (src/wiki/facts.rs, extraction version 2) fills them for pages saved before.
ALTER TABLE facts ADD COLUMN section INTEGER;
ALTER TABLE facts ADD COLUMN span_start INTEGER;
ALTER TABLE facts ADD COLUMN span_end INTEGER;
ALTER TABLE events ADD COLUMN qualifier TEXT;
ALTER TABLE events ADD COLUMN section INTEGER;
ALTER TABLE events ADD COLUMN span_start INTEGER;
ALTER TABLE events ADD COLUMN span_end INTEGER;
