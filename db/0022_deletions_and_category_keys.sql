-- A deleted title says publicly that the page was deleted, when and why (issue 15); an admin
-- may keep the reason to admins. Reasons typed before this migration were written when only
-- admins could read them, so they stay private; the date and the fact of the deletion show.
ALTER TABLE deleted_pages ADD COLUMN reason_private INTEGER NOT NULL DEFAULT 0
    CHECK (reason_private IN (0, 1));
UPDATE deleted_pages SET reason_private = 1 WHERE reason <> '';

-- Category members sort by `[[Category:X|key]]`, else the page's `{{DEFAULTSORT:…}}`, else its
-- title (issue 15); saves before this sorted a link without a key by the title. A person's
-- page has its DEFAULTSORT stored in `people.sort_key` already: those rows change here; any
-- other page with a DEFAULTSORT sorts by it from its next save.
UPDATE categories SET sort_key = (SELECT sort_key FROM people WHERE people.page_id = categories.page_id)
WHERE page_id IN (SELECT page_id FROM people)
  AND sort_key = (SELECT title FROM pages WHERE pages.id = categories.page_id);
