-- Minor edits (issue 19): MediaWiki's rev_minor_edit. 1 for a revision its author marked minor
-- (the edit form's "This is a minor edit", the Action API's `minor`, the JSON API's
-- `minor: true`, a dump's `<minor/>`); history and recent changes show it as "m", and the
-- Action API's `rcshow=minor` and `rvprop=flags` report it.
ALTER TABLE revisions ADD COLUMN minor INTEGER NOT NULL DEFAULT 0;
