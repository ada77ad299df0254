-- Quotation checks (issue 13): for a citation row with a quotation, whether the quotation is in
-- the cited source's text (boilerplate left out; quotes, dashes, whitespace and case
-- normalised: src/bio/quotes.rs), worked out when the citing page is saved and again when the
-- source's text changes (src/wiki/quote_checks.rs). `checked_sha256` is the SHA-256 of the
-- source text checked against (NULL: not checked, the source not stored); a check whose hash is
-- not the source's latest text's is stale (its recheck is queued) and is read as not checked.
-- `found_start`..`found_end`: the quotation's bytes in that text, NULL when it is not there.
ALTER TABLE citations ADD COLUMN checked_sha256 BLOB;
ALTER TABLE citations ADD COLUMN found_start INTEGER;
ALTER TABLE citations ADD COLUMN found_end INTEGER;
