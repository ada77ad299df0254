//! Revisions and their section chunks.
//!
//! A revision is an ordered list of chunks (the lead, then each heading's own text up to the next
//! heading of any level); concatenated, they are the saved text byte for byte. A chunk is stored
//! once by its SHA-256, so an edit of one section of a long article stores one new chunk plus one
//! small row per section.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::StoreError;
use super::pages::{META_COLUMNS, META_JOINS, PageRevision, RevisionMeta, meta_from_row};

/// The SHA-256 of a text.
pub fn sha256(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

/// A section of a revision to save.
#[derive(Debug, Clone, Copy)]
pub struct NewSection<'a> {
    /// Its stable id (from [`allocate_section`] or an earlier revision of the same page).
    pub section_id: i64,
    /// Heading level (0 for the lead).
    pub level: u8,
    /// Heading title ("" for the lead).
    pub title: &'a str,
    /// The chunk: from the heading line to the next heading of any level.
    pub text: &'a str,
    /// The chunk's SHA-256 ([`sha256`] of `text`).
    pub sha256: [u8; 32],
}

/// A section of a stored revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSection {
    /// Position in the revision (0 = lead).
    pub position: usize,
    /// Stable id.
    pub section_id: i64,
    /// The chunk's content hash.
    pub sha256: [u8; 32],
    /// Heading level (0 for the lead).
    pub level: u8,
    /// Heading title as saved ("" for the lead).
    pub title: String,
    /// The chunk text.
    pub text: String,
    /// Whether this revision changed the section (new, or another chunk than in the parent).
    pub changed: bool,
}

/// What a new revision holds.
#[derive(Debug, Clone)]
pub struct NewRevision<'a> {
    /// The page.
    pub page_id: i64,
    /// The page's latest revision before this one.
    pub parent_id: Option<i64>,
    /// Who saved it.
    pub author_id: i64,
    /// When (RFC 3339).
    pub timestamp: &'a str,
    /// Why.
    pub summary: &'a str,
    /// The sections in order: their chunks concatenated are the text.
    pub sections: &'a [NewSection<'a>],
    /// The SHA-256 of the whole text (the chunks concatenated).
    pub sha256: [u8; 32],
    /// Where it came from: written here, or imported from a dump (issue 19).
    pub origin: Origin<'a>,
    /// Marked a minor edit by its author (db/0027).
    pub minor: bool,
}

/// Where a revision came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin<'a> {
    /// Saved here.
    Here,
    /// Imported from a dump, with the author's name when they have no account here (the
    /// revision's `author_id` is then the system account).
    Imported {
        /// The author as the dump names them, if not an account here.
        author_name: Option<&'a str>,
    },
}

/// A fresh stable section id for a section of `page_id`.
pub fn allocate_section(conn: &Connection, page_id: i64) -> Result<i64, StoreError> {
    conn.prepare_cached("INSERT INTO sections (page_id) VALUES (?1)")?
        .execute([page_id])?;
    Ok(conn.last_insert_rowid())
}

/// Whether section `section_id` was ever a section of page `page_id`.
pub fn section_belongs_to(
    conn: &Connection,
    section_id: i64,
    page_id: i64,
) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sections WHERE id = ?1 AND page_id = ?2")?
        .exists(params![section_id, page_id])?)
}

fn chunk_id(conn: &Connection, section: &NewSection<'_>, lead: bool) -> Result<i64, StoreError> {
    let hash = section.sha256;
    debug_assert!(
        hash == sha256(section.text),
        "a chunk's hash is not its text's"
    );
    let found: Option<(i64, u8)> = conn
        .prepare_cached("SELECT id, level FROM chunks WHERE sha256 = ?1")?
        .query_row([&hash[..]], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    match found {
        Some((id, level)) => {
            // A chunk first seen as a lead has no heading data; its first use as a section
            // records it (a heading's level and title depend only on its own line).
            if level == 0 && !lead && section.level > 0 {
                conn.prepare_cached("UPDATE chunks SET level = ?1, title = ?2 WHERE id = ?3")?
                    .execute(params![section.level, section.title, id])?;
            }
            Ok(id)
        }
        None => {
            let (level, title) = if lead {
                (0, "")
            } else {
                (section.level, section.title)
            };
            conn.prepare_cached(
                "INSERT INTO chunks (sha256, level, title, text) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![&hash[..], level, title, section.text])?;
            Ok(conn.last_insert_rowid())
        }
    }
}

/// The chunks of a revision's sections by section id: what the next revision of the page
/// reuses without a lookup for a section it leaves unchanged (an import writes a page's
/// revisions one after another, each usually changing one section).
#[derive(Debug, Clone, Default)]
pub struct SectionChunks(HashMap<i64, KnownChunk>);

/// A section's chunk in a revision.
#[derive(Debug, Clone, Copy)]
struct KnownChunk {
    /// The chunk's row.
    id: i64,
    /// Its content hash.
    sha256: [u8; 32],
    /// Whether it is the revision's lead (a lead's chunk may lack heading data).
    lead: bool,
}

impl SectionChunks {
    /// The chunks of stored revision `revision`.
    pub fn of_revision(conn: &Connection, revision: i64) -> Result<Self, StoreError> {
        let mut statement = conn.prepare_cached(
            "SELECT rs.section_id, rs.chunk_id, c.sha256, rs.position = 0
             FROM revision_sections rs JOIN chunks c ON c.id = rs.chunk_id
             WHERE rs.revision_id = ?1",
        )?;
        let rows = statement.query_map([revision], |row| {
            let hash: Vec<u8> = row.get(2)?;
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, i64>(1)?,
                hash,
                row.get::<_, bool>(3)?,
            ))
        })?;
        let mut chunks = HashMap::new();
        for row in rows {
            let (section, id, hash, lead) = row?;
            let sha256 = <[u8; 32]>::try_from(hash.as_slice())
                .map_err(|_| StoreError::Task(format!("chunk {id} has no 32-byte hash")))?;
            chunks.insert(section, KnownChunk { id, sha256, lead });
        }
        Ok(Self(chunks))
    }

    /// The chunk that section `section_id` had, if it had `sha256` in the same role (lead or
    /// not).
    fn same(&self, section_id: i64, sha256: &[u8; 32], lead: bool) -> Option<i64> {
        self.0
            .get(&section_id)
            .filter(|k| k.sha256 == *sha256 && k.lead == lead)
            .map(|k| k.id)
    }

    /// The chunk row that section `section_id` had.
    fn chunk_of(&self, section_id: i64) -> Option<i64> {
        self.0.get(&section_id).map(|k| k.id)
    }
}

/// Stores a revision: its row, its chunks (new ones only) and its section list. Returns its id.
/// The caller updates the page (see `pages::set_latest`) in the same transaction.
pub fn insert(conn: &Connection, revision: &NewRevision<'_>) -> Result<i64, StoreError> {
    let parent = match revision.parent_id {
        Some(parent) => SectionChunks::of_revision(conn, parent)?,
        None => SectionChunks::default(),
    };
    Ok(insert_after(conn, revision, &parent)?.0)
}

/// [`insert`], given the chunks of the parent revision (`revision.parent_id`'s, or none for a
/// first revision): an unchanged section reuses its chunk without a lookup. Returns the id and
/// the new revision's chunks, for the revision after it.
pub fn insert_after(
    conn: &Connection,
    revision: &NewRevision<'_>,
    parent: &SectionChunks,
) -> Result<(i64, SectionChunks), StoreError> {
    let size: usize = revision.sections.iter().map(|s| s.text.len()).sum();
    let text_hash = revision.sha256;
    debug_assert!(
        revision
            .sections
            .iter()
            .fold(Sha256::new(), |h, s| h.chain_update(s.text.as_bytes()))
            .finalize()[..]
            == text_hash[..],
        "the revision's hash is not the hash of its sections"
    );
    // A local revision not marked minor leaves the import's columns and the minor flag to their
    // defaults, in the statement every save has used since before they existed (tests save at
    // older schemas); any other revision names them all.
    let head = params![
        revision.page_id,
        revision.parent_id,
        revision.author_id,
        revision.timestamp,
        revision.summary,
        size as i64,
        &text_hash[..],
    ];
    match (&revision.origin, revision.minor) {
        (Origin::Here, false) => conn
            .prepare_cached(
                "INSERT INTO revisions (page_id, parent_id, author_id, timestamp, summary, size,
                                        sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(head)?,
        (origin, minor) => {
            let (imported, author_name) = match origin {
                Origin::Here => (false, None),
                Origin::Imported { author_name } => (true, *author_name),
            };
            let mut values: Vec<&dyn rusqlite::ToSql> = head.to_vec();
            values.extend([&imported as &dyn rusqlite::ToSql, &author_name, &minor]);
            conn.prepare_cached(
                "INSERT INTO revisions (page_id, parent_id, author_id, timestamp, summary, size,
                                        sha256, imported, author_name, minor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?
            .execute(values.as_slice())?
        }
    };
    let id = conn.last_insert_rowid();
    let mut insert_row = conn.prepare_cached(
        "INSERT INTO revision_sections (revision_id, position, section_id, chunk_id, changed)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut chunks = HashMap::with_capacity(revision.sections.len());
    for (position, section) in revision.sections.iter().enumerate() {
        let lead = position == 0;
        let chunk = match parent.same(section.section_id, &section.sha256, lead) {
            Some(chunk) => chunk,
            None => chunk_id(conn, section, lead)?,
        };
        let changed = parent.chunk_of(section.section_id) != Some(chunk);
        insert_row.execute(params![
            id,
            position as i64,
            section.section_id,
            chunk,
            changed
        ])?;
        chunks.insert(
            section.section_id,
            KnownChunk {
                id: chunk,
                sha256: section.sha256,
                lead,
            },
        );
    }
    Ok((id, SectionChunks(chunks)))
}

/// Copies a revision's sections into a new revision of the same text (a move's log entry),
/// marked minor as MediaWiki marks a move's null revision.
pub fn insert_copy(
    conn: &Connection,
    of: i64,
    author_id: i64,
    timestamp: &str,
    summary: &str,
) -> Result<i64, StoreError> {
    conn.prepare_cached(
        "INSERT INTO revisions (page_id, parent_id, author_id, timestamp, summary, size, sha256,
                                minor)
         SELECT page_id, id, ?2, ?3, ?4, size, sha256, 1 FROM revisions WHERE id = ?1",
    )?
    .execute(params![of, author_id, timestamp, summary])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO revision_sections (revision_id, position, section_id, chunk_id, changed)
         SELECT ?2, position, section_id, chunk_id, 0 FROM revision_sections WHERE revision_id = ?1",
    )?
    .execute(params![of, id])?;
    Ok(id)
}

/// The newest revision's id (0 in an empty database): what a replica compares with its
/// primary, and the position a read-your-writes cookie names. Cheap: the rowid's maximum.
pub fn latest_id(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT coalesce(max(id), 0) FROM revisions")?
        .query_row([], |row| row.get(0))?)
}

/// What a database holds of a client's writes: its newest revision, and its newest audit-log
/// event (a deletion, a protection, a hidden revision or a source's metadata makes no revision
/// but is logged). Both ids only grow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteMarks {
    /// The newest revision's id (0 without any).
    pub revision: i64,
    /// The newest audit-log event's id (0 without any).
    pub event: i64,
}

impl WriteMarks {
    /// Whether a database at `self` holds every write made before `other` was read.
    pub fn covers(&self, other: &WriteMarks) -> bool {
        self.revision >= other.revision && self.event >= other.event
    }
}

/// The newest revision and audit-log event, in one read.
pub fn write_marks(conn: &Connection) -> Result<WriteMarks, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT (SELECT coalesce(max(id), 0) FROM revisions),
                    (SELECT coalesce(max(id), 0) FROM audit_log)",
        )?
        .query_row([], |row| {
            Ok(WriteMarks {
                revision: row.get(0)?,
                event: row.get(1)?,
            })
        })?)
}

/// The sections of a revision, in order, with their chunks (empty if there is no such revision).
pub fn sections(conn: &Connection, revision: i64) -> Result<Vec<StoredSection>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT rs.position, rs.section_id, c.sha256, c.level, c.title, c.text, rs.changed
         FROM revision_sections rs JOIN chunks c ON c.id = rs.chunk_id
         WHERE rs.revision_id = ?1 ORDER BY rs.position",
    )?;
    let rows = statement.query_map([revision], |row| {
        let position: i64 = row.get(0)?;
        let hash: Vec<u8> = row.get(2)?;
        let mut sha256 = [0u8; 32];
        if hash.len() == 32 {
            sha256.copy_from_slice(&hash);
        }
        let lead = position == 0;
        Ok(StoredSection {
            position: position as usize,
            section_id: row.get(1)?,
            sha256,
            level: if lead { 0 } else { row.get(3)? },
            title: if lead { String::new() } else { row.get(4)? },
            text: row.get(5)?,
            changed: row.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The section ids of a revision, in order, without their text.
pub fn section_ids(conn: &Connection, revision: i64) -> Result<Vec<i64>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT section_id FROM revision_sections WHERE revision_id = ?1 ORDER BY position",
    )?;
    let rows = statement.query_map([revision], |row| row.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The full text of a revision, rebuilt from its chunks.
pub fn text(conn: &Connection, revision: i64) -> Result<String, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT c.text FROM revision_sections rs JOIN chunks c ON c.id = rs.chunk_id
         WHERE rs.revision_id = ?1 ORDER BY rs.position",
    )?;
    let mut rows = statement.query([revision])?;
    let mut text = String::new();
    while let Some(row) = rows.next()? {
        text.push_str(row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?);
    }
    Ok(text)
}

/// The stored SHA-256 of a revision's whole text.
pub fn text_sha256(conn: &Connection, revision: i64) -> Result<Option<[u8; 32]>, StoreError> {
    let hash: Option<Vec<u8>> = conn
        .prepare_cached("SELECT sha256 FROM revisions WHERE id = ?1")?
        .query_row([revision], |row| row.get(0))
        .optional()?;
    Ok(hash.and_then(|h| h.try_into().ok()))
}

/// A revision's metadata and the internal id of its page.
pub fn meta(conn: &Connection, revision: i64) -> Result<Option<(RevisionMeta, i64)>, StoreError> {
    let sql =
        format!("SELECT {META_COLUMNS}, r.page_id FROM revisions r {META_JOINS} WHERE r.id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([revision], |row| Ok((meta_from_row(row, 0)?, row.get(9)?)))
        .optional()?)
}

/// A revision with its text.
pub fn page_revision(conn: &Connection, revision: i64) -> Result<Option<PageRevision>, StoreError> {
    let Some((meta, _)) = meta(conn, revision)? else {
        return Ok(None);
    };
    let text = text(conn, revision)?;
    Ok(Some(PageRevision {
        title: meta.page_title.clone(),
        revision: meta,
        text,
    }))
}

/// A page's revisions, newest first, older than `before`.
pub fn history(
    conn: &Connection,
    page_id: i64,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<RevisionMeta>, StoreError> {
    let sql = format!(
        "SELECT {META_COLUMNS} FROM revisions r {META_JOINS}
         WHERE r.page_id = ?1 AND r.id < ?2 ORDER BY r.id DESC LIMIT ?3"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(
        params![page_id, before.unwrap_or(i64::MAX), limit as i64],
        |row| meta_from_row(row, 0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A page's revisions newer than `after`, oldest first (the REST API's `newer_than`).
pub fn history_newer(
    conn: &Connection,
    page_id: i64,
    limit: usize,
    after: i64,
) -> Result<Vec<RevisionMeta>, StoreError> {
    let sql = format!(
        "SELECT {META_COLUMNS} FROM revisions r {META_JOINS}
         WHERE r.page_id = ?1 AND r.id > ?2 ORDER BY r.id ASC LIMIT ?3"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![page_id, after, limit as i64], |row| {
        meta_from_row(row, 0)
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whose revisions a contributions list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author<'a> {
    /// An account here (`revisions_by_author`).
    Account(i64),
    /// An author name of imported revisions, without an account here (`revisions_by_author_name`).
    Imported(&'a str),
    /// An account made with the name of an imported author: both the account's revisions and
    /// those imported under its name.
    Both(i64, &'a str),
}

/// `author`'s revisions of live pages, newest first, older than `before`: one range of the
/// author's index, or for [`Author::Both`] the newest `limit` of two ranges (issue 15,
/// contributions).
pub fn by_author(
    conn: &Connection,
    author: Author<'_>,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<RevisionMeta>, StoreError> {
    let (index, column, key): (&str, &str, &dyn rusqlite::ToSql) = match &author {
        Author::Account(id) => ("revisions_by_author", "author_id", id),
        Author::Imported(name) => ("revisions_by_author_name", "author_name", name),
        Author::Both(id, name) => {
            let mut both = by_author(conn, Author::Account(*id), limit, before)?;
            both.extend(by_author(conn, Author::Imported(name), limit, before)?);
            both.sort_by_key(|meta| std::cmp::Reverse(meta.id));
            both.dedup_by_key(|meta| meta.id);
            both.truncate(limit);
            return Ok(both);
        }
    };
    let sql = format!(
        "SELECT {META_COLUMNS} FROM revisions r INDEXED BY {index} {META_JOINS}
         WHERE r.{column} = ?1 AND r.id < ?2 AND p.deleted = 0 ORDER BY r.id DESC LIMIT ?3"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(
        params![key, before.unwrap_or(i64::MAX), limit as i64],
        |row| meta_from_row(row, 0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether any revision was imported under the author name `name`.
pub fn has_author_name(conn: &Connection, name: &str) -> Result<bool, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT 1 FROM revisions INDEXED BY revisions_by_author_name WHERE author_name = ?1 LIMIT 1",
    )?;
    Ok(statement.exists([name])?)
}

/// The revisions that changed section `section_id` (its own chunk), newest first, older than
/// `before`: one range of the `section_changes` index.
pub fn section_history(
    conn: &Connection,
    section_id: i64,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<RevisionMeta>, StoreError> {
    let sql = format!(
        "SELECT {META_COLUMNS} FROM revision_sections rs JOIN revisions r ON r.id = rs.revision_id
         {META_JOINS}
         WHERE rs.section_id = ?1 AND rs.changed = 1 AND rs.revision_id < ?2
         ORDER BY rs.revision_id DESC LIMIT ?3"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(
        params![section_id, before.unwrap_or(i64::MAX), limit as i64],
        |row| meta_from_row(row, 0),
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// For a revision: the sections it changed, as (section id, heading title as saved).
pub fn changed_sections(
    conn: &Connection,
    revision: i64,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT rs.section_id, CASE WHEN rs.position = 0 THEN '' ELSE c.title END
         FROM revision_sections rs JOIN chunks c ON c.id = rs.chunk_id
         WHERE rs.revision_id = ?1 AND rs.changed = 1 ORDER BY rs.position",
    )?;
    let rows = statement.query_map([revision], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The revisions of the same page just before and just after `revision`, if any.
pub fn neighbours(
    conn: &Connection,
    revision: i64,
) -> Result<(Option<i64>, Option<i64>), StoreError> {
    let mut before = conn.prepare_cached(
        "SELECT id FROM revisions
         WHERE page_id = (SELECT page_id FROM revisions WHERE id = ?1) AND id < ?1
         ORDER BY id DESC LIMIT 1",
    )?;
    let mut after = conn.prepare_cached(
        "SELECT id FROM revisions
         WHERE page_id = (SELECT page_id FROM revisions WHERE id = ?1) AND id > ?1
         ORDER BY id LIMIT 1",
    )?;
    let previous = before.query_row([revision], |row| row.get(0)).optional()?;
    let next = after.query_row([revision], |row| row.get(0)).optional()?;
    Ok((previous, next))
}

/// The revision of page `page_id` that a client which read the page at `timestamp` (stored
/// form, second precision) had in front of it: the EARLIEST revision of that second (so a
/// later edit made in the same second is never taken as seen), else the newest before it.
pub fn earliest_at(
    conn: &Connection,
    page_id: i64,
    timestamp: &str,
) -> Result<Option<i64>, StoreError> {
    let same_second: Option<i64> = conn
        .prepare_cached("SELECT MIN(id) FROM revisions WHERE page_id = ?1 AND timestamp = ?2")?
        .query_row(rusqlite::params![page_id, timestamp], |row| row.get(0))?;
    if same_second.is_some() {
        return Ok(same_second);
    }
    Ok(conn
        .prepare_cached(
            "SELECT id FROM revisions WHERE page_id = ?1 AND timestamp < ?2
             ORDER BY id DESC LIMIT 1",
        )?
        .query_row(rusqlite::params![page_id, timestamp], |row| row.get(0))
        .optional()?)
}
