-- The images a figure template shows ({{Multiple image|image1=…}}, drawn by the renderer) are
-- recorded as links to their `File:` pages from now on (issue 16), as 0025 began for file links,
-- galleries and portraits, so an upload refreshes the pages showing them. Pages saved before
-- lack them: one refresh of every page (the durable job `refresh-transclusions`) records them,
-- unless the same refresh is already waiting (a database from before 0025 has it queued).
INSERT INTO jobs (kind, payload, run_at, created_at, updated_at)
SELECT 'refresh-transclusions', '{"after":0,"batch":20}', CAST(strftime('%s', 'now') AS INTEGER),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
WHERE EXISTS (SELECT 1 FROM pages)
  AND NOT EXISTS (
      SELECT 1 FROM jobs
      WHERE kind = 'refresh-transclusions' AND state = 'queued'
        AND payload = '{"after":0,"batch":20}'
  );
