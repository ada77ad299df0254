-- Lookups that scanned every page (issue 13: importing many source documents at once slowed
-- down with every source). A source document goes to the live source page whose latest text is
-- the same (by the revision's hash), and the quotations citing a source are found through the
-- redirects to it.
CREATE INDEX revisions_by_sha256 ON revisions (sha256);
CREATE INDEX pages_by_redirect ON pages (redirect_to) WHERE redirect_to IS NOT NULL;
