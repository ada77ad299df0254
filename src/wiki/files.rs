//! Files (issue 16): uploads as versions of `File:` pages, their originals and thumbnails, and
//! the files a page shows. An upload is checked by `media` (type from the bytes, pixel and
//! frame limits) before anything is written; the first upload of a name creates the file page
//! with its description, in the same write transaction, so two uploads of one name never
//! overwrite each other: the second is a conflict.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use crate::doc::namespace::{Namespace as DocNamespace, split as split_namespace};
use crate::media::{self, Kind, MediaError};
use crate::store::files::{self as file_store, FileVersion, NewVersion};
use crate::store::{self, Connection, Db, changes};

use super::save::{SaveRequest, live_page, save_in};
use super::title::Namespace;
use super::{Title, TitleError, WikiError, now_timestamp};

/// The largest upload when none is configured (`serve --max-upload-bytes`).
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// How many uploads one user may make in an hour when none is configured.
pub const DEFAULT_UPLOADS_PER_HOUR: u32 = 60;

/// The longest comment of an upload, in characters.
pub const MAX_COMMENT_CHARS: usize = 500;

/// What can go wrong with a file.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The bytes are not an image we keep (type, name, pixels, frames).
    #[error(transparent)]
    Media(#[from] MediaError),
    /// The upload is larger than the limit.
    #[error(
        "the file is {bytes} bytes, more than the upload limit of {max} bytes (serve --max-upload-bytes)"
    )]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The uploader made too many uploads lately.
    #[error(
        "you uploaded {per_hour} files in the last hour, the most this wiki takes from one person: try again later"
    )]
    RateLimited {
        /// The limit.
        per_hour: u32,
    },
    /// Someone uploaded this name (or a new version of it) since the upload's base.
    #[error(
        "{title} was uploaded by someone else meanwhile (it is now at version {latest_version}): nothing was saved; look at it, then upload a new version if you still want to"
    )]
    Conflict {
        /// The file page.
        title: String,
        /// Its latest version.
        latest_version: i64,
    },
    /// The name cannot be a file's.
    #[error("{0}")]
    BadName(String),
    /// No such file, or no such version of it.
    #[error("there is no file {0}")]
    Missing(String),
    /// The wiki's rules (the description page's save).
    #[error(transparent)]
    Wiki(#[from] WikiError),
}

impl From<store::StoreError> for FileError {
    fn from(error: store::StoreError) -> Self {
        Self::Wiki(error.into())
    }
}

impl From<TitleError> for FileError {
    fn from(error: TitleError) -> Self {
        Self::Wiki(error.into())
    }
}

/// The limits an upload is held to (from the server's settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// The largest file, in bytes.
    pub max_bytes: usize,
    /// Uploads per user and hour.
    pub per_hour: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            per_hour: DEFAULT_UPLOADS_PER_HOUR,
        }
    }
}

/// An upload: a new file, or a new version of one.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The file page (`File:Name.jpg`).
    pub title: Title,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The description page's text, for a new file (ignored for a new version).
    pub description: String,
    /// The comment of this version.
    pub comment: String,
    /// The version this upload replaces; `None` for a new file (a conflict if it exists).
    pub base_version: Option<i64>,
    /// Who uploads.
    pub uploader_id: i64,
}

/// What an upload did.
#[derive(Debug, Clone)]
pub struct Uploaded {
    /// The file page.
    pub title: String,
    /// The version made.
    pub version: FileVersion,
    /// Whether the file is new (its page was created).
    pub created: bool,
    /// Things the uploader should know (a GPS position in the EXIF data).
    pub warnings: Vec<String>,
}

/// A file's page title from a name as typed or sent (`Portrait.jpg`, `File:Portrait.jpg`),
/// refused when it could not be a file name: no path (`/`, `\`), not hidden (`.x`), with an
/// extension.
pub fn file_title(name: &str) -> Result<Title, FileError> {
    let name = name.trim();
    let bare = match split_namespace(name) {
        Some((DocNamespace::File, rest)) => rest.trim(),
        _ => name,
    };
    if bare.contains(['/', '\\', ':']) || bare.starts_with('.') || bare.contains("..") {
        return Err(FileError::BadName(format!(
            "a file name cannot hold '/', '\\', ':' or '..', nor start with '.' (got {bare:?})"
        )));
    }
    if bare
        .rsplit_once('.')
        .is_none_or(|(stem, ext)| stem.trim().is_empty() || ext.is_empty())
    {
        return Err(FileError::BadName(format!(
            "a file name needs a name and an extension such as .jpg or .png (got {bare:?})"
        )));
    }
    let title = Title::new(&format!("File:{bare}"))?;
    title.check_new()?;
    if title.namespace() != Namespace::File {
        return Err(FileError::BadName(format!("{bare:?} is not a file name")));
    }
    Ok(title)
}

/// The SHA-256 of `bytes`, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}

/// The `{{Information}}` text of a new file's page, from the upload form's fields.
pub fn information_text(
    description: &str,
    author: &str,
    source: &str,
    licence: &str,
    date: &str,
) -> String {
    let clean = |v: &str| v.replace(['|', '{', '}', '\n'], " ").trim().to_owned();
    format!(
        "{{{{Information\n| description = {}\n| author = {}\n| source = {}\n| licence = {}\n| date = {}\n}}}}\n",
        clean(description),
        clean(author),
        clean(source),
        clean(licence),
        clean(date),
    )
}

/// Uploads a file or a new version of one (see [`Upload`]).
pub async fn upload(db: &Db, upload: Upload, limits: UploadLimits) -> Result<Uploaded, FileError> {
    if upload.bytes.len() > limits.max_bytes {
        return Err(FileError::TooLarge {
            bytes: upload.bytes.len(),
            max: limits.max_bytes,
        });
    }
    check_comment(&upload.comment)?;
    let name = upload.title.text().to_owned();
    // Decoding takes time: off the async threads, and before the writer is taken.
    let bytes = upload.bytes;
    let (inspected, bytes) =
        tokio::task::spawn_blocking(move || (media::inspect(&bytes, &name), bytes))
            .await
            .map_err(|e| store::StoreError::Task(e.to_string()))?;
    let inspected = inspected?;
    let sha256 = sha256_hex(&bytes);
    let request = Upload { bytes, ..upload };
    let mut warnings = Vec::new();
    if inspected.gps {
        warnings.push(
            "this image's EXIF data holds a GPS position (where it was taken): the original file keeps it and anyone can download it; thumbnails shown on pages do not carry it. Upload a copy without it if the place should stay private.".to_owned(),
        );
    }
    let uploaded = db
        .write(move |conn| {
            Ok(store_upload(
                conn,
                &request,
                &sha256,
                &inspected,
                limits.per_hour,
            ))
        })
        .await??;
    Ok(Uploaded {
        warnings,
        ..uploaded
    })
}

fn check_comment(comment: &str) -> Result<(), FileError> {
    let chars = comment.chars().count();
    if chars > MAX_COMMENT_CHARS {
        return Err(FileError::Wiki(WikiError::Invalid(format!(
            "an upload comment can be at most {MAX_COMMENT_CHARS} characters long (this one is {chars})"
        ))));
    }
    Ok(())
}

/// The upload in one write transaction: rate, conflict, description page, blob, version.
fn store_upload(
    conn: &mut Connection,
    upload: &Upload,
    sha256: &str,
    inspected: &media::Inspected,
    per_hour: u32,
) -> Result<Uploaded, FileError> {
    let tx = store::begin_write(conn)?;
    let hour_ago = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
    let since = hour_ago
        .format(&time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default();
    if file_store::uploads_since(&tx, upload.uploader_id, &since)? >= i64::from(per_hour) {
        return Err(FileError::RateLimited { per_hour });
    }
    let title = upload.title.as_str();
    let page = live_page(&tx, title)?;
    let latest = match &page {
        Some(page) => file_store::latest_number(&tx, page.id)?,
        None => None,
    };
    if latest != upload.base_version {
        return Err(FileError::Conflict {
            title: title.to_owned(),
            latest_version: latest.unwrap_or(0),
        });
    }
    let (page_id, created) = match page {
        Some(page) => (page.id, false),
        None => {
            save_in(
                &tx,
                &SaveRequest {
                    title: upload.title.clone(),
                    markup: upload.description.clone(),
                    base_revision: None,
                    section: None,
                    summary: upload.comment.clone(),
                    author_id: upload.uploader_id,
                },
            )?;
            let page = live_page(&tx, title)?.ok_or_else(|| FileError::Missing(title.into()))?;
            (page.id, true)
        }
    };
    file_store::put_blob(&tx, sha256, &upload.bytes)?;
    let version = add_version(
        &tx,
        page_id,
        sha256,
        inspected,
        upload.bytes.len() as i64,
        upload.uploader_id,
        &upload.comment,
    )?;
    note_shown_file(&tx, title)?;
    tx.commit()?;
    Ok(Uploaded {
        title: title.to_owned(),
        version,
        created,
        warnings: Vec::new(),
    })
}

/// Notes that file `title` changed: its own page and the pages that show it (a file shown is
/// recorded as a link to it) are stale, no other.
fn note_shown_file(tx: &Connection, title: &str) -> Result<(), FileError> {
    let showing = store::links::dependents(tx, title, None)?;
    changes::pages(std::iter::once(title.to_owned()).chain(showing));
    Ok(())
}

/// Adds a version.
fn add_version(
    tx: &Connection,
    page_id: i64,
    sha256: &str,
    inspected: &media::Inspected,
    size: i64,
    uploader_id: i64,
    comment: &str,
) -> Result<FileVersion, FileError> {
    let uploaded_at = now_timestamp();
    let number = file_store::add_version(
        tx,
        &NewVersion {
            page_id,
            sha256,
            mime: inspected.kind.mime(),
            width: inspected.width,
            height: inspected.height,
            frames: inspected.frames,
            size,
            uploader_id,
            uploaded_at: &uploaded_at,
            comment,
        },
    )?;
    file_store::version(tx, page_id, Some(number))?
        .ok_or_else(|| FileError::Missing(format!("version {number}")))
}

/// Makes an older version of a file the latest again (a new version with its bytes), if the
/// file is still at `base_version`; `summary` (may be empty) follows the comment.
pub async fn revert(
    db: &Db,
    title: &Title,
    to_version: i64,
    base_version: i64,
    uploader_id: i64,
    summary: &str,
) -> Result<FileVersion, FileError> {
    let title = title.as_str().to_owned();
    let summary: String = summary.trim().chars().take(MAX_SUMMARY_CHARS).collect();
    db.write(move |conn| {
        Ok((|| {
            let tx = store::begin_write(conn)?;
            let page = live_page(&tx, &title)?.ok_or_else(|| FileError::Missing(title.clone()))?;
            let latest = file_store::latest_number(&tx, page.id)?
                .ok_or_else(|| FileError::Missing(title.clone()))?;
            if latest != base_version {
                return Err(FileError::Conflict {
                    title: title.clone(),
                    latest_version: latest,
                });
            }
            let old = file_store::version(&tx, page.id, Some(to_version))?
                .ok_or_else(|| FileError::Missing(format!("{title} version {to_version}")))?;
            let kind = Kind::from_mime(&old.mime)
                .ok_or_else(|| FileError::Missing(format!("{title} version {to_version}")))?;
            let inspected = media::Inspected {
                kind,
                width: old.width,
                height: old.height,
                frames: old.frames,
                gps: false,
            };
            let comment = match summary.as_str() {
                "" => format!("Reverted to version {to_version}"),
                why => format!("Reverted to version {to_version}: {why}"),
            };
            let version = add_version(
                &tx,
                page.id,
                &old.sha256,
                &inspected,
                old.size,
                uploader_id,
                &comment,
            )?;
            note_shown_file(&tx, &title)?;
            tx.commit()?;
            Ok(version)
        })())
    })
    .await?
}

/// A file: its versions (newest first).
#[derive(Debug, Clone)]
pub struct FileInfo {
    /// The file page.
    pub title: String,
    /// Its versions, newest first.
    pub versions: Vec<FileVersion>,
    /// The pages that show it (their links to the file page), in title order, at most
    /// [`MAX_USAGE`].
    pub usage: Vec<String>,
}

/// The most pages a file's usage lists.
pub const MAX_USAGE: usize = 500;

/// The longest summary of a revert, in characters.
const MAX_SUMMARY_CHARS: usize = 500;

/// The file `title` with its versions, or `None` if it has none.
pub async fn file_info(db: &Db, title: &Title) -> Result<Option<FileInfo>, FileError> {
    let title = title.as_str().to_owned();
    Ok(db
        .read(move |conn| {
            let Some(page) = live_page(conn, &title).map_err(wiki_to_store)? else {
                return Ok(None);
            };
            let versions = file_store::versions(conn, page.id)?;
            if versions.is_empty() {
                return Ok(None);
            }
            let usage = crate::store::links::incoming(conn, &title, MAX_USAGE, None)?
                .into_iter()
                .map(|(page, _)| page)
                .collect();
            Ok(Some(FileInfo {
                title,
                versions,
                usage,
            }))
        })
        .await?)
}

fn wiki_to_store(error: WikiError) -> store::StoreError {
    match error {
        WikiError::Store(e) => e,
        other => store::StoreError::Task(other.to_string()),
    }
}

/// The bytes of a file's version (its latest when `None`), with the version.
pub async fn original(
    db: &Db,
    title: &Title,
    version: Option<i64>,
) -> Result<Option<(FileVersion, Vec<u8>)>, FileError> {
    let title = title.as_str().to_owned();
    Ok(db
        .read(move |conn| {
            let Some(page) = live_page(conn, &title).map_err(wiki_to_store)? else {
                return Ok(None);
            };
            let Some(version) = file_store::version(conn, page.id, version)? else {
                return Ok(None);
            };
            Ok(file_store::blob(conn, &version.sha256)?.map(|bytes| (version, bytes)))
        })
        .await?)
}

/// A thumbnail served: the standard width's, with the hash of the blob it was made from.
#[derive(Debug, Clone)]
pub struct ServedThumbnail {
    /// The SHA-256 of the original's bytes.
    pub sha256: String,
    /// The thumbnail.
    pub thumbnail: file_store::Thumbnail,
}

/// The thumbnail of a file's latest version at the standard width for `width`: from the
/// database, or made now and kept (a write that changes nothing a reader sees).
pub async fn thumbnail(
    db: &Db,
    title: &Title,
    width: u32,
) -> Result<Option<ServedThumbnail>, FileError> {
    let width = media::standard_width(width);
    let title_text = title.as_str().to_owned();
    let found = db
        .read(move |conn| {
            let Some(page) = live_page(conn, &title_text).map_err(wiki_to_store)? else {
                return Ok(None);
            };
            let Some(version) = file_store::version(conn, page.id, None)? else {
                return Ok(None);
            };
            match file_store::thumbnail(conn, &version.sha256, width)? {
                Some(thumbnail) => Ok(Some((version, Ok(thumbnail)))),
                None => {
                    Ok(file_store::blob(conn, &version.sha256)?.map(|bytes| (version, Err(bytes))))
                }
            }
        })
        .await?;
    let Some((version, found)) = found else {
        return Ok(None);
    };
    let bytes = match found {
        Ok(thumbnail) => {
            return Ok(Some(ServedThumbnail {
                sha256: version.sha256,
                thumbnail,
            }));
        }
        Err(bytes) => bytes,
    };
    let kind = Kind::from_mime(&version.mime)
        .ok_or_else(|| FileError::Missing(title.as_str().to_owned()))?;
    let made = tokio::task::spawn_blocking(move || media::thumbnail(&bytes, kind, width))
        .await
        .map_err(|e| store::StoreError::Task(e.to_string()))??;
    let thumbnail = file_store::Thumbnail {
        // Stored under the standard width asked for, whatever size it came out.
        width,
        height: made.height,
        mime: made.kind.mime().to_owned(),
        bytes: made.bytes,
    };
    let sha256 = version.sha256.clone();
    let kept = thumbnail.clone();
    db.write_private(move |conn| {
        changes::nothing_shown();
        file_store::put_thumbnail(conn, &sha256, &kept)
    })
    .await?;
    Ok(Some(ServedThumbnail {
        sha256: version.sha256,
        thumbnail: file_store::Thumbnail {
            width: made.width,
            ..thumbnail
        },
    }))
}

/// A file a page shows, as the renderer needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownFile {
    /// The name without `File:` (normalised).
    pub name: String,
    /// Width of the original.
    pub width: u32,
    /// Height of the original.
    pub height: u32,
    /// The SHA-256 of its bytes (its thumbnails' URLs name it, so they can be kept long).
    pub sha256: String,
}

/// The image extensions a name in page text may end with.
const IMAGE_EXTENSIONS: [&str; 7] = ["jpg", "jpeg", "jpe", "png", "gif", "webp", "svg"];

/// The names of files `text` may show: every `[[File:…]]` target and every infobox value that
/// is an image name (`| image = Portrait.jpg`). Read from the text so the lookup is done
/// before rendering; a name that is no stored file is simply not found.
pub fn file_names_in(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for piece in text.split(['[', ']', '|', '=', '\n', '{', '}']) {
        let piece = piece.trim();
        if piece.is_empty() || piece.len() > 255 {
            continue;
        }
        let bare = match split_namespace(piece) {
            Some((DocNamespace::File, rest)) => rest.trim(),
            _ => piece,
        };
        let is_image = bare
            .rsplit_once('.')
            .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()));
        if !is_image {
            continue;
        }
        if let Ok(title) = Title::new(&format!("File:{bare}")) {
            if title.namespace() == Namespace::File {
                names.insert(title.as_str().to_owned());
            }
        }
    }
    names
}

/// The stored files among those `text` may show (see [`file_names_in`]).
pub(crate) fn shown_files(conn: &Connection, text: &str) -> Result<Vec<ShownFile>, WikiError> {
    let titles: Vec<String> = file_names_in(text).into_iter().collect();
    if titles.is_empty() {
        return Ok(Vec::new());
    }
    Ok(file_store::latest_by_titles(conn, &titles)?
        .into_iter()
        .map(|(title, version)| ShownFile {
            name: title.strip_prefix("File:").unwrap_or(&title).to_owned(),
            width: version.width,
            height: version.height,
            sha256: version.sha256,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_refuse_paths() {
        assert_eq!(file_title("a b.jpg").unwrap().as_str(), "File:A b.jpg");
        assert_eq!(file_title("Image:x.png").unwrap().as_str(), "File:X.png");
        for bad in [
            "../etc/passwd.png",
            "a/b.png",
            "..\\x.png",
            ".hidden.png",
            "noext",
            ".png",
        ] {
            assert!(file_title(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_are_found_in_links_and_infoboxes() {
        let text = "{{Infobox person\n| image = Ada portrait.jpg\n}}\n[[File:b.png|thumb|A caption]] [[Image:C.GIF]] [[Paris]] x.txt";
        let found: Vec<String> = file_names_in(text).into_iter().collect();
        assert_eq!(found, ["File:Ada portrait.jpg", "File:B.png", "File:C.GIF"]);
    }

    #[test]
    fn information_text_keeps_fields_from_breaking_the_template() {
        let text = information_text("A|b", "Me}}", "", "CC BY 4.0", "1900");
        assert!(text.contains("| description = A b\n"));
        assert!(text.contains("| author = Me\n"));
        assert!(text.starts_with("{{Information\n"));
    }
}

/// The folder of an export that holds the files' bytes (beside the pages' `.wiki` files).
pub const EXPORT_FOLDER: &str = "files";

/// The extensions of image files an import takes as files.
pub const IMAGE_FILE_EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "jpe", "png", "gif", "webp"];

/// Whether `path` names an image file (by its extension: its bytes decide its type later).
pub fn is_image_path(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        IMAGE_FILE_EXTENSIONS
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Writes the latest bytes of every file into `dir/files/NAME` (the pages' descriptions are
/// exported with the other pages); returns how many. Names were checked at upload (no path,
/// no leading dot), and are checked again here.
pub fn export_files(db: &Db, dir: &std::path::Path) -> Result<usize, FileError> {
    let all = db.read_blocking(file_store::all_latest)?;
    if all.is_empty() {
        return Ok(0);
    }
    let folder = dir.join(EXPORT_FOLDER);
    std::fs::create_dir_all(&folder).map_err(|e| {
        FileError::BadName(format!(
            "cannot create the folder {}: {e}",
            folder.display()
        ))
    })?;
    let mut written = 0;
    for (title, version) in all {
        let name = file_title(&title)?.text().to_owned();
        let bytes = db
            .read_blocking(|conn| file_store::blob(conn, &version.sha256))?
            .ok_or_else(|| FileError::Missing(title.clone()))?;
        std::fs::write(folder.join(&name), bytes).map_err(|e| {
            FileError::BadName(format!(
                "cannot write {name} into {}: {e}",
                folder.display()
            ))
        })?;
        written += 1;
    }
    Ok(written)
}

/// What importing one image file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileImport {
    /// A new file page.
    Created(String),
    /// The bytes joined an existing page (a description imported before them), or became a
    /// new version.
    Added(String),
    /// The file already had these bytes.
    Unchanged(String),
}

/// Imports the image at `path` as the file of its name (on this thread, for the CLI): a new
/// file page (described as imported) unless the page exists; its bytes become the first
/// version, or a new one if they differ from the latest. Exported pages and their `files/`
/// import back as the same pages, each with one revision and one version.
pub fn import_file(
    db: &Db,
    path: &std::path::Path,
    uploader_id: i64,
) -> Result<FileImport, FileError> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| FileError::BadName(format!("{} has no UTF-8 name", path.display())))?;
    let title = file_title(name)?;
    let bytes = std::fs::read(path)
        .map_err(|e| FileError::BadName(format!("cannot read {}: {e}", path.display())))?;
    let limits = UploadLimits::default();
    if bytes.len() > limits.max_bytes {
        return Err(FileError::TooLarge {
            bytes: bytes.len(),
            max: limits.max_bytes,
        });
    }
    let inspected = media::inspect(&bytes, title.text())?;
    let sha256 = sha256_hex(&bytes);
    let text = title.as_str().to_owned();
    let latest = db.read_blocking(|conn| {
        let page = live_page(conn, &text).map_err(wiki_to_store)?;
        let Some(page) = page else {
            return Ok(None);
        };
        Ok(Some(file_store::version(conn, page.id, None)?))
    })?;
    let (base_version, existed) = match &latest {
        Some(Some(version)) if version.sha256 == sha256 => {
            return Ok(FileImport::Unchanged(text));
        }
        Some(Some(version)) => (Some(version.version), true),
        Some(None) => (None, true),
        None => (None, false),
    };
    let upload = Upload {
        title,
        bytes,
        description: "Imported file.\n".to_owned(),
        comment: "Imported".to_owned(),
        base_version,
        uploader_id,
    };
    db.write_blocking(|conn| Ok(store_upload(conn, &upload, &sha256, &inspected, u32::MAX)))??;
    Ok(match existed {
        true => FileImport::Added(text),
        false => FileImport::Created(text),
    })
}
