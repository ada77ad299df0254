-- Source kinds from a fixed list (news, opinion, blog, self-published, press release, primary,
-- academic, reference, other; `bio::kinds::SourceKind`). A free-text kind from before the list
-- is mapped onto it by the words in it, in the order `SourceKind::from_free_text` tries them
-- (unknown ones become `other`); the old text is kept in `kind_note` unless it was already a
-- name on the list.
ALTER TABLE sources ADD COLUMN kind_note TEXT;

UPDATE sources SET kind_note = kind
WHERE kind IS NOT NULL
  AND lower(trim(kind)) NOT IN ('news', 'opinion', 'blog', 'self-published', 'press release',
                                'primary', 'academic', 'reference', 'other');

UPDATE sources SET kind = CASE
    WHEN kind IS NULL THEN NULL
    WHEN lower(trim(kind)) IN ('news', 'opinion', 'blog', 'self-published', 'press release',
                               'primary', 'academic', 'reference', 'other') THEN lower(trim(kind))
    WHEN lower(kind) LIKE '%self-published%' OR lower(kind) LIKE '%self published%'
      OR lower(kind) LIKE '%personal website%' THEN 'self-published'
    WHEN lower(kind) LIKE '%blog%' THEN 'blog'
    WHEN lower(kind) LIKE '%opinion%' OR lower(kind) LIKE '%op-ed%' OR lower(kind) LIKE '%column%'
      OR lower(kind) LIKE '%editorial%' OR lower(kind) LIKE '%comment%' THEN 'opinion'
    WHEN lower(kind) LIKE '%press release%' OR lower(kind) LIKE '%press statement%'
      OR lower(kind) LIKE '%media release%' THEN 'press release'
    WHEN lower(kind) LIKE '%news%' OR lower(kind) LIKE '%report%' OR lower(kind) LIKE '%wire%'
      THEN 'news'
    WHEN lower(kind) LIKE '%journal%' OR lower(kind) LIKE '%paper%' OR lower(kind) LIKE '%thesis%'
      OR lower(kind) LIKE '%monograph%' OR lower(kind) LIKE '%academic%' THEN 'academic'
    WHEN lower(kind) LIKE '%encyclop%' OR lower(kind) LIKE '%dictionary%'
      OR lower(kind) LIKE '%almanac%' OR lower(kind) LIKE '%reference%' THEN 'reference'
    WHEN lower(kind) LIKE '%letter%' OR lower(kind) LIKE '%speech%'
      OR lower(kind) LIKE '%transcript%' OR lower(kind) LIKE '%interview%'
      OR lower(kind) LIKE '%diary%' OR lower(kind) LIKE '%court%' OR lower(kind) LIKE '%hansard%'
      OR lower(kind) LIKE '%record%' OR lower(kind) LIKE '%archive%' THEN 'primary'
    ELSE 'other'
END;
