//! Uploaded files (issue 16): blobs by SHA-256, the versions of each `File:` page, and the
//! thumbnails made from them. The rules (types, limits, conflicts) live in `wiki::files`.

use rusqlite::{Connection, OptionalExtension, params};

use super::StoreError;

/// One version of a file, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersion {
    /// The file page's id.
    pub page_id: i64,
    /// Its number, from 1.
    pub version: i64,
    /// The SHA-256 of its bytes, in hex.
    pub sha256: String,
    /// Its type, decided from the bytes (`image/png`, …).
    pub mime: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames (1 unless an animation).
    pub frames: u32,
    /// Size in bytes.
    pub size: i64,
    /// Who uploaded it (a user id).
    pub uploader_id: i64,
    /// Who uploaded it (their name).
    pub uploader: String,
    /// When (RFC 3339).
    pub uploaded_at: String,
    /// The uploader's comment.
    pub comment: String,
}

/// A version to add (its number comes from [`add_version`]).
#[derive(Debug, Clone, Copy)]
pub struct NewVersion<'a> {
    /// The file page's id.
    pub page_id: i64,
    /// The SHA-256 of the bytes (hex); the blob must be stored ([`put_blob`]).
    pub sha256: &'a str,
    /// Its type.
    pub mime: &'a str,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames.
    pub frames: u32,
    /// Size in bytes.
    pub size: i64,
    /// Who uploads.
    pub uploader_id: i64,
    /// When.
    pub uploaded_at: &'a str,
    /// Their comment.
    pub comment: &'a str,
}

/// A stored thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnail {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Its type.
    pub mime: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

const VERSION_COLUMNS: &str = "v.page_id, v.version, v.blob_sha256, v.mime, v.width, v.height,
    v.frames, v.size, v.uploader_id, coalesce(u.name, ''), v.uploaded_at, v.comment";

fn version_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<FileVersion> {
    version_at(row, 0)
}

/// A version read from the row's columns from `start` on ([`VERSION_COLUMNS`]).
fn version_at(row: &rusqlite::Row<'_>, start: usize) -> rusqlite::Result<FileVersion> {
    Ok(FileVersion {
        page_id: row.get(start)?,
        version: row.get(start + 1)?,
        sha256: row.get(start + 2)?,
        mime: row.get(start + 3)?,
        width: row.get(start + 4)?,
        height: row.get(start + 5)?,
        frames: row.get(start + 6)?,
        size: row.get(start + 7)?,
        uploader_id: row.get(start + 8)?,
        uploader: row.get(start + 9)?,
        uploaded_at: row.get(start + 10)?,
        comment: row.get(start + 11)?,
    })
}

/// A title and the version after it.
fn titled_version(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, FileVersion)> {
    Ok((row.get(0)?, version_at(row, 1)?))
}

/// Stores `bytes` under their hash, unless stored already; true if they were new.
pub fn put_blob(conn: &Connection, sha256: &str, bytes: &[u8]) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO file_blobs (sha256, bytes) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )?
        .execute(params![sha256, bytes])?
        == 1)
}

/// The bytes stored under `sha256`.
pub fn blob(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT bytes FROM file_blobs WHERE sha256 = ?1")?
        .query_row([sha256], |row| row.get(0))
        .optional()?)
}

/// How many blobs are stored (for tests of deduplication and the figures).
pub fn blob_count(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM file_blobs")?
        .query_row([], |row| row.get(0))?)
}

/// Adds a version after the page's latest, and returns its number.
pub fn add_version(conn: &Connection, new: &NewVersion<'_>) -> Result<i64, StoreError> {
    let version = latest_number(conn, new.page_id)?.unwrap_or(0) + 1;
    conn.prepare_cached(
        "INSERT INTO file_versions (page_id, version, blob_sha256, mime, width, height, frames,
             size, uploader_id, uploaded_at, comment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        new.page_id,
        version,
        new.sha256,
        new.mime,
        new.width,
        new.height,
        new.frames,
        new.size,
        new.uploader_id,
        new.uploaded_at,
        new.comment,
    ])?;
    Ok(version)
}

/// The number of a file page's latest version, if it has any.
pub fn latest_number(conn: &Connection, page_id: i64) -> Result<Option<i64>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT max(version) FROM file_versions WHERE page_id = ?1")?
        .query_row([page_id], |row| row.get(0))?)
}

/// One version of a file page (its latest when `version` is `None`).
pub fn version(
    conn: &Connection,
    page_id: i64,
    version: Option<i64>,
) -> Result<Option<FileVersion>, StoreError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM file_versions v LEFT JOIN users u ON u.id = v.uploader_id
         WHERE v.page_id = ?1 AND v.version = coalesce(?2,
             (SELECT max(version) FROM file_versions WHERE page_id = ?1))"
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(params![page_id, version], version_from_row)
        .optional()?)
}

/// Every version of a file page, newest first.
pub fn versions(conn: &Connection, page_id: i64) -> Result<Vec<FileVersion>, StoreError> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM file_versions v LEFT JOIN users u ON u.id = v.uploader_id
         WHERE v.page_id = ?1 ORDER BY v.version DESC"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([page_id], version_from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The latest version of each live file page among `titles` (full titles, `File:X.jpg`), as
/// (title, version).
pub fn latest_by_titles(
    conn: &Connection,
    titles: &[String],
) -> Result<Vec<(String, FileVersion)>, StoreError> {
    let sql = format!(
        "SELECT p.title, {VERSION_COLUMNS} FROM pages p
         JOIN file_versions v ON v.page_id = p.id
             AND v.version = (SELECT max(version) FROM file_versions WHERE page_id = p.id)
         LEFT JOIN users u ON u.id = v.uploader_id
         WHERE p.title = ?1 AND p.deleted = 0"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let mut found = Vec::new();
    for title in titles {
        let row = statement.query_row([title], titled_version).optional()?;
        found.extend(row);
    }
    Ok(found)
}

/// How many versions `uploader_id` uploaded since `since` (RFC 3339), for the upload rate.
pub fn uploads_since(conn: &Connection, uploader_id: i64, since: &str) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM file_versions WHERE uploader_id = ?1 AND uploaded_at >= ?2",
        )?
        .query_row(params![uploader_id, since], |row| row.get(0))?)
}

/// The thumbnail of blob `sha256` at `width`, if made.
pub fn thumbnail(
    conn: &Connection,
    sha256: &str,
    width: u32,
) -> Result<Option<Thumbnail>, StoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT width, height, mime, bytes FROM file_thumbnails
             WHERE blob_sha256 = ?1 AND width = ?2",
        )?
        .query_row(params![sha256, width], |row| {
            Ok(Thumbnail {
                width: row.get(0)?,
                height: row.get(1)?,
                mime: row.get(2)?,
                bytes: row.get(3)?,
            })
        })
        .optional()?)
}

/// Keeps a thumbnail of blob `sha256` (a second one of the same width is ignored). Not a
/// content change: the caller's write notes nothing shown.
pub fn put_thumbnail(
    conn: &Connection,
    sha256: &str,
    thumbnail: &Thumbnail,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO file_thumbnails (blob_sha256, width, height, mime, bytes)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    )?
    .execute(params![
        sha256,
        thumbnail.width,
        thumbnail.height,
        thumbnail.mime,
        thumbnail.bytes
    ])?;
    Ok(())
}

/// Every live file page with its latest version, by title (for the export).
pub fn all_latest(conn: &Connection) -> Result<Vec<(String, FileVersion)>, StoreError> {
    let sql = format!(
        "SELECT p.title, {VERSION_COLUMNS} FROM pages p
         JOIN file_versions v ON v.page_id = p.id
             AND v.version = (SELECT max(version) FROM file_versions WHERE page_id = p.id)
         LEFT JOIN users u ON u.id = v.uploader_id
         WHERE p.deleted = 0 ORDER BY p.title"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map([], titled_version)?;
    Ok(rows.collect::<Result<_, _>>()?)
}
