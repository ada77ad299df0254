-- Revisions imported from a MediaWiki dump (issue 19). Builds on `revisions` from 0001.
--
-- `author_name`: the author as the dump names them (a user name or an IP address) when they have
-- no account here, as MediaWiki keeps imported authors; such a revision's `author_id` is the
-- system account (1), and every listing shows `author_name` instead of that account's name.
-- NULL for every revision written here and for imported ones whose author has an account.
ALTER TABLE revisions ADD COLUMN author_name TEXT;

-- `imported`: 1 for a revision that came from a dump. The import is one logged event (in
-- `audit_log`), so its revisions stay out of recent changes and feeds; the partial index keeps
-- that listing one index range however many revisions were imported.
ALTER TABLE revisions ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
CREATE INDEX revisions_edited ON revisions (id) WHERE imported = 0;
