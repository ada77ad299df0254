-- Deleted pages move to an archive. A deleted page's row keeps its id (so the revisions,
-- sections and other rows that point at it stay as they are) but takes the title
-- `#deleted/<id>`, which no legal title can have (titles never contain `#`), so its title is
-- free for a new page with a fresh history. This table remembers the title it had, who deleted
-- it, when and why; admins can undelete it (back to its title, or merged into the page that
-- took the title since). A row here means `pages.deleted = 1`.
CREATE TABLE deleted_pages (
    page_id    INTEGER PRIMARY KEY REFERENCES pages (id),
    title      TEXT NOT NULL,
    deleted_by INTEGER NOT NULL REFERENCES users (id),
    deleted_at TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deleted_pages_by_title ON deleted_pages (title, page_id);

-- Pages deleted before the archive: who deleted them, when and why come from the last
-- `page deleted` line of the audit log for the title (the system account and now if none).
INSERT INTO deleted_pages (page_id, title, deleted_by, deleted_at, reason)
SELECT p.id, p.title,
       coalesce((SELECT a.actor FROM audit_log a
                 WHERE a.action = 'page deleted' AND a.target = p.title AND a.actor IS NOT NULL
                 ORDER BY a.id DESC LIMIT 1), 1),
       coalesce((SELECT a.at FROM audit_log a
                 WHERE a.action = 'page deleted' AND a.target = p.title
                 ORDER BY a.id DESC LIMIT 1), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
       coalesce((SELECT a.detail FROM audit_log a
                 WHERE a.action = 'page deleted' AND a.target = p.title
                 ORDER BY a.id DESC LIMIT 1), '')
FROM pages p WHERE p.deleted = 1;

UPDATE pages SET title = '#deleted/' || id WHERE deleted = 1;
