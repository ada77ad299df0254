-- Issue 15: contributions of imported authors. `/user/NAME` lists the revisions whose
-- `author_name` (0021: an imported author without an account here) is NAME, newest first, as
-- one range of this index; only imported revisions name their author this way.
CREATE INDEX revisions_by_author_name ON revisions (author_name, id DESC)
    WHERE author_name IS NOT NULL;
