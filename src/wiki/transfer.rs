//! Import and export of pages as files (`plutarch import`, `plutarch export`).
//!
//! Import: a page's title is the text of its leading `= Title =` line, else the file name
//! without extension, percent-decoded; the stored text is the file's bytes unchanged. Files go in
//! batches, one transaction per batch, and a file that fails leaves nothing behind while the
//! others still go in (see `save_batch`). Export: one `TITLE.wiki` per live page, the title
//! percent-encoded where a file name could not hold it, the latest text byte for byte.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::thread::Scope;

use percent_encoding::percent_decode_str;

use crate::markup;
use crate::store::revisions::{self, sha256};
use crate::store::{self, Db, PageRow, StoreError, pages};

use super::analysis::Analysis;
use super::save::{Indexing, SaveOutcome, SaveRequest, StagedIndex, live_page, save_in_with};
use super::sources::{self, SourceMeta};
use super::{Title, WikiError, max_page_bytes, now_timestamp};

mod in_order;

use in_order::InOrder;

/// The extensions an import picks up in folders.
pub const EXTENSIONS: &[&str] = &["wiki", "txt", "mediawiki"];

/// Files per transaction: large enough that commits (each an fsync, and a rewrite of every index
/// page the batch touched) are rare, small enough that a long import does not hold the write
/// lock for long (about a second; edits from the server wait for it, up to the busy timeout).
/// Measured on 10,000 biographies: 1,000 files a batch write 14 % fewer bytes than 500.
const BATCH_FILES: usize = 1000;
/// Bytes per transaction, for the same reasons.
const BATCH_BYTES: usize = 32 * 1024 * 1024;
/// How many files may be read and analysed ahead of the writer, for each reading thread (the
/// threads share one window of this times their number): with two readers, about a batch.
/// While the writer finishes a batch (its links, search rows and facts, and the commit: about a
/// third of its time) the readers prepare the next one; with 64 they sat idle then. 10,000
/// biographies: 6.1–6.6 s with 64, 5.0–5.9 s with 512 (peak memory about 200 MB).
const READ_AHEAD: usize = 512;
/// The most reading threads.
const MAX_READERS: usize = 4;

/// The files named by `paths`: files as given, folders searched recursively for
/// [`EXTENSIONS`] (in name order).
pub fn collect_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)?;
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, files)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportResult {
    /// A new page.
    Created(String),
    /// A new revision of an existing page.
    Updated(String),
    /// The page already had this text.
    Unchanged(String),
    /// Skipped, with the reason.
    Failed(String),
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Pages created.
    pub created: usize,
    /// Pages that got a new revision.
    pub updated: usize,
    /// Files whose text the page already had.
    pub unchanged: usize,
    /// Files skipped, with the reason.
    pub failed: Vec<(PathBuf, String)>,
}

/// The title for a file: its leading `= Title =` line, else its file name without extension,
/// percent-decoded.
pub fn title_for(path: &Path, text: &str) -> Result<Title, String> {
    title_from(path, markup::outline(text).title.as_deref())
}

/// [`title_for`], given the text's title line (from its outline).
fn title_from(path: &Path, title_line: Option<&str>) -> Result<Title, String> {
    if let Some(title) = title_line.and_then(|t| Title::new(t).ok()) {
        return Ok(title);
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| "the file name is not valid UTF-8".to_string())?;
    let decoded = percent_decode_str(stem)
        .decode_utf8()
        .map_or_else(|_| stem.to_string(), |s| s.into_owned());
    Title::new(&decoded).map_err(|e| format!("no usable title: {e}"))
}

/// The extension of the file that records a page's title beside its text when the title is too
/// long to be the text file's name (see [`export`]).
pub const TITLE_EXTENSION: &str = "title";

/// The title recorded beside `path` (`X.title` next to `X.wiki`), if there is such a file: it
/// wins over the title line and the file name, being exactly what was exported.
fn recorded_title(path: &Path) -> Result<Option<Title>, String> {
    let beside = path.with_extension(TITLE_EXTENSION);
    let Ok(recorded) = std::fs::read(&beside) else {
        return Ok(None);
    };
    let recorded = String::from_utf8(recorded)
        .map_err(|_| format!("{} is not valid UTF-8", beside.display()))?;
    let recorded = recorded.strip_suffix('\n').unwrap_or(&recorded);
    Title::new(recorded)
        .map(Some)
        .map_err(|e| format!("{} holds no usable title: {e}", beside.display()))
}

/// A file's wikitext, unescaped when it was saved still escaped as XML (copied out of a
/// dump's `<text>` element or a page's source view: `&lt;ref&gt;`, `&quot;`): such a file has
/// no `<`, `>` or `"` of its own, and has `&lt;` before a tag name, `/` or `!--`. Its
/// entities are decoded once, as the XML reader would have; any other text is kept as is
/// (a page may well write `&lt;` to show a `<`).
pub fn unescaped_file_text(text: &str) -> std::borrow::Cow<'_, str> {
    let escaped = !text.contains(['<', '>', '"'])
        && text.match_indices("&lt;").any(|(at, _)| {
            let after = &text[at + 4..];
            after.starts_with(|c: char| c.is_ascii_alphabetic())
                || after.starts_with('/')
                || after.starts_with("!--")
        });
    if !escaped {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = [
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&apos;", '\''),
            ("&#39;", '\''),
            ("&amp;", '&'),
        ]
        .into_iter()
        .find(|(entity, _)| rest.starts_with(entity));
        match decoded {
            Some((entity, c)) => {
                out.push(c);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// A file read, checked and analysed, ready for the writer.
struct Prepared {
    title: Title,
    text: String,
    /// `None` when the page already had this text as the file was read (a re-import): the save
    /// will most likely change nothing, and works the analysis out itself if it must.
    analysis: Option<Analysis>,
}

/// Reads, checks and analyses one file (on a reading thread), or says why it cannot be
/// imported. A source document's title gets the `Source:` namespace.
fn prepare(db: &Db, path: &Path, as_source: Option<Option<&Title>>) -> Result<Prepared, String> {
    let max = max_page_bytes();
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot read it: {e}"))?
        .len();
    if size > max as u64 {
        return Err(format!(
            "it is {size} bytes, more than the limit of {max} bytes"
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "it is not valid UTF-8 (invalid byte at offset {}); convert it to UTF-8 first",
            e.utf8_error().valid_up_to()
        )
    })?;
    let text = match super::clean::markup(&text) {
        std::borrow::Cow::Owned(clean) => clean,
        std::borrow::Cow::Borrowed(_) => text,
    };
    let text = match unescaped_file_text(&text) {
        std::borrow::Cow::Owned(unescaped) => unescaped,
        std::borrow::Cow::Borrowed(_) => text,
    };
    // The headings are found once: for the title line here, and for the analysis's parse.
    let headed = markup::Headed::of(&text);
    let title_line = headed.title();
    // A source document without a `= Title =` line is titled by its headline, if it has one.
    let title_line = title_line.or_else(|| {
        as_source
            .and_then(|_| sources::headline(&text))
            .map(str::to_owned)
    });
    let mut title = match (as_source.flatten(), recorded_title(path)?) {
        // `--title` wins over everything the file says.
        (Some(given), _) => given.clone(),
        (None, Some(title)) => title,
        (None, None) => title_from(path, title_line.as_deref())?,
    };
    if as_source.is_some() {
        title = sources::source_title(&title).map_err(|e| format!("no usable title: {e}"))?;
    }
    // Only a shortcut: when the read fails, the file is analysed and the save decides.
    let stored = db
        .read_blocking(|conn| latest_sha256(conn, title.as_str()))
        .ok()
        .flatten();
    // A new page's text is not hashed here (the save hashes its sections anyway).
    let unchanged = stored.is_some_and(|stored| stored == sha256(&text));
    let analysis = (!unchanged).then(|| Analysis::of_headed(headed, title.as_str()));
    Ok(Prepared {
        title,
        text,
        analysis,
    })
}

/// A file read, checked and analysed by a reading thread, or why it cannot be imported.
type Read = Result<Prepared, String>;

/// Starts the reading threads in `scope`, one per core (at most [`MAX_READERS`]): the parse is
/// most of the work that needs no database, so it runs beside the writer. They hand the files
/// out in the order given, each taking the next file nobody took, all together at most
/// [`READ_AHEAD`] files a thread ahead of the writer.
fn start_readers<'scope>(
    scope: &'scope Scope<'scope, '_>,
    db: &'scope Db,
    files: &'scope [PathBuf],
    as_source: Option<Option<&'scope Title>>,
) -> InOrder<Read> {
    let count = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, MAX_READERS);
    InOrder::start(
        scope,
        count,
        READ_AHEAD * count,
        files.len(),
        yield_to_the_writer,
        move |index| prepare(db, &files[index], as_source),
    )
}

/// How much the reading threads lower their priority (their nice value, 0 to 19).
const READER_NICENESS: i32 = 10;

/// Lowers the calling reading thread's scheduling priority (on Linux; elsewhere nothing). The
/// writer thread is the import's limit, and the readers run ahead of it, so whenever the three
/// threads want more cores than there are, the writer should run. Measured with
/// `bench/store-import.sh` on 2 cores, alternating runs: about 9 % less time at niceness 10,
/// 6 % at 5. Only this thread changes (on Linux the nice value is per thread), and raising
/// niceness needs no privilege; should it fail anyway, the import runs as before.
fn yield_to_the_writer() {
    #[cfg(target_os = "linux")]
    {
        let thread = rustix::thread::gettid();
        let _ = rustix::process::setpriority_process(Some(thread), READER_NICENESS);
    }
}

/// Files imported as source documents: their metadata, and the title given (`--title`, one
/// file only), if any.
#[derive(Debug, Clone, Copy)]
pub struct AsSource<'a> {
    /// The metadata every file gets.
    pub meta: &'a SourceMeta,
    /// The title (the `Source:` namespace is added when missing).
    pub title: Option<&'a Title>,
}

/// Imports `files` in order, authored by `author_id`, calling `progress` after each file; with
/// `source`, as source documents (`Source:` pages) with that metadata. Fails only when the
/// database does; a file that cannot be imported is reported and skipped.
///
/// Reading threads read and analyse the files, at most [`READ_AHEAD`] files a thread ahead,
/// while this thread saves them, batch by batch.
pub fn import(
    db: &Db,
    files: &[PathBuf],
    author_id: i64,
    summary: &str,
    source: Option<AsSource<'_>>,
    progress: &mut dyn FnMut(&Path, &ImportResult),
) -> Result<ImportReport, WikiError> {
    let edit = Edit {
        author_id,
        summary,
        source: source.map(|s| s.meta),
    };
    std::thread::scope(|scope| {
        let mut prepared = start_readers(scope, db, files, source.map(|s| s.title));
        let mut report = ImportReport::default();
        let mut rest = files;
        while !rest.is_empty() {
            let results =
                db.write_blocking(|conn| save_batch(conn, &mut prepared, rest.len(), &edit))?;
            if results.is_empty() {
                break; // the reading thread died; the scope passes its panic on
            }
            for (path, result) in rest.iter().zip(&results) {
                match result {
                    ImportResult::Created(_) => report.created += 1,
                    ImportResult::Updated(_) => report.updated += 1,
                    ImportResult::Unchanged(_) => report.unchanged += 1,
                    ImportResult::Failed(reason) => {
                        report.failed.push((path.clone(), reason.clone()))
                    }
                }
                progress(path, result);
            }
            rest = &rest[results.len()..];
        }
        Ok(report)
    })
}

/// Saves the next prepared files (at most `left`, and at most a batch) in one transaction,
/// their links and search rows written together at the end.
///
/// A file is saved without a savepoint of its own. A savepoint copies each database page the
/// file's rows touch into a journal, 16 KiB a page and about 70 pages a biography: without
/// them the writer of an import of generated biographies executes 8 % fewer instructions
/// (`bench/import-instructions.sh`). Nearly every file that cannot be saved fails before it
/// writes a row (a bad title, a protected page, a conflict) and is simply reported. Should one
/// fail after writing (a new page with too many sections), the transaction is undone, the
/// batch's files so far and that one are saved again from their texts, each in a savepoint of
/// its own, and the batch ends there: only the failed file is left out.
fn save_batch(
    conn: &mut store::Connection,
    prepared: &mut InOrder<Read>,
    left: usize,
    edit: &Edit<'_>,
) -> Result<Vec<ImportResult>, StoreError> {
    let mut tx = store::begin_write(conn)?;
    let mut batch = Batch::default();
    let mut bytes = 0;
    while batch.results.len() < left.min(BATCH_FILES) && bytes <= BATCH_BYTES {
        let Some(file) = prepared.next() else {
            break;
        };
        let mut file = match file {
            Ok(file) => file,
            Err(reason) => {
                batch.results.push(ImportResult::Failed(reason.clone()));
                batch.kept.push(Err(reason));
                continue;
            }
        };
        bytes += file.text.len();
        let before = store::rows_written(&tx);
        let result = match batch.save(&tx, &mut file, edit) {
            Err(e) if !matches!(e, WikiError::Store(_)) && store::rows_written(&tx) != before => {
                // Rows of the failed file are in the transaction: undo it.
                drop(tx);
                tx = store::begin_write(conn)?;
                batch.save_again(&mut tx, &mut file, edit)?;
                break;
            }
            saved => reported(saved)?,
        };
        batch.results.push(result);
        batch.kept.push(Ok(Prepared {
            analysis: None,
            ..file
        }));
    }
    StagedIndex::write_all(&tx, &batch.staged)?;
    tx.commit()?;
    Ok(batch.results)
}

/// The files of a batch being saved: what became of each, the search and link rows staged for
/// the batch's end, and each file's title and text, kept in case the batch must be saved again.
#[derive(Default)]
struct Batch {
    results: Vec<ImportResult>,
    staged: std::collections::BTreeMap<i64, StagedIndex>,
    /// The files so far, in order: without their analysis (a save works it out again), or why
    /// a file could not be read.
    kept: Vec<Result<Prepared, String>>,
}

impl Batch {
    /// Saves `file` in `tx`, staging its index rows.
    fn save(
        &mut self,
        tx: &store::Connection,
        file: &mut Prepared,
        edit: &Edit<'_>,
    ) -> Result<ImportResult, WikiError> {
        let slot = RefCell::new(None);
        let result = import_one(tx, file, edit, &slot)?;
        if let Some(index) = slot.into_inner() {
            self.staged.insert(index.page_id, index);
        }
        Ok(result)
    }

    /// Saves `file` in a savepoint of its own: a file that fails leaves nothing behind.
    fn save_in_savepoint(
        &mut self,
        tx: &mut store::WriteTx<'_>,
        file: &mut Prepared,
        edit: &Edit<'_>,
    ) -> Result<ImportResult, StoreError> {
        let savepoint = tx.savepoint()?;
        let saved = self.save(&savepoint, file, edit);
        if saved.is_ok() {
            savepoint.commit()?;
        }
        reported(saved)
    }

    /// Saves the files kept so far, then `failed` (the file that failed after writing), into
    /// `tx`, a new transaction (the first one was undone), each in a savepoint of its own.
    fn save_again(
        &mut self,
        tx: &mut store::WriteTx<'_>,
        failed: &mut Prepared,
        edit: &Edit<'_>,
    ) -> Result<(), StoreError> {
        self.staged.clear();
        self.results.clear();
        for file in std::mem::take(&mut self.kept) {
            let result = match file {
                Ok(mut file) => self.save_in_savepoint(tx, &mut file, edit)?,
                Err(reason) => ImportResult::Failed(reason),
            };
            self.results.push(result);
        }
        let result = self.save_in_savepoint(tx, failed, edit)?;
        self.results.push(result);
        Ok(())
    }
}

/// What a file's save says of the file: a database error stops the import, any other error is
/// the file's failure, reported.
fn reported(saved: Result<ImportResult, WikiError>) -> Result<ImportResult, StoreError> {
    match saved {
        Ok(result) => Ok(result),
        Err(WikiError::Store(e)) => Err(e),
        Err(e) => Ok(ImportResult::Failed(e.to_string())),
    }
}

/// Who imports, why, and as what.
struct Edit<'a> {
    author_id: i64,
    summary: &'a str,
    /// Source metadata, when the files are source documents.
    source: Option<&'a SourceMeta>,
}

impl Edit<'_> {
    /// The URL the source documents were found at, if given.
    fn source_url(&self) -> Option<&str> {
        self.source.and_then(|s| s.url.as_deref())
    }
}

/// Saves one file, and a source document's metadata. The file's text is lent to the save
/// (moved into its request and given back, whatever the outcome) rather than copied: copying
/// every text on the writer thread was 2.9 % of the CPU samples of an import of 3,000 generated
/// biographies (`perf record`), most of it page faults on fresh memory.
fn import_one(
    tx: &store::Connection,
    file: &mut Prepared,
    edit: &Edit<'_>,
    slot: &RefCell<Option<StagedIndex>>,
) -> Result<ImportResult, WikiError> {
    // A source goes where the same document already is (issue 13).
    let title = match edit.source {
        Some(_) => source_target(tx, file, edit.source_url())?,
        None => file.title.clone(),
    };
    // Analysed under the title it was read for: under another, the save analyses it again.
    let analysis = file.analysis.as_ref().filter(|_| title == file.title);
    let base = live_page(tx, title.as_str())?.and_then(|p| p.latest_revision);
    let request = SaveRequest {
        title: title.clone(),
        markup: std::mem::take(&mut file.text),
        base_revision: base,
        section: None,
        summary: edit.summary.to_owned(),
        author_id: edit.author_id,
    };
    let name = title.to_string();
    let indexing = Indexing::Staged(slot);
    let saved = save_in_with(tx, &request, indexing, analysis);
    // Given back before anything else: a batch saved again needs every file's text.
    file.text = request.markup;
    let outcome = saved?;
    let mut metadata_changed = false;
    if let Some(source) = edit.source {
        let page =
            live_page(tx, title.as_str())?.ok_or_else(|| WikiError::PageMissing(name.clone()))?;
        metadata_changed = store::sources::set(tx, page.id, &source.to_row(now_timestamp()))?;
    }
    Ok(match outcome {
        SaveOutcome::Saved { created: true, .. } => ImportResult::Created(name),
        SaveOutcome::Saved { .. } => ImportResult::Updated(name),
        SaveOutcome::Unchanged { .. } if metadata_changed => ImportResult::Updated(name),
        SaveOutcome::Unchanged { .. } => ImportResult::Unchanged(name),
    })
}

/// The page a source document is imported into: the live source with the same URL, else the
/// one whose latest text is the same (both found wherever they were moved), else its own
/// title, or the page a redirect there leads to (a moved source). A redirect is never written
/// over: one that leads to no source page is refused.
fn source_target(
    tx: &store::Connection,
    file: &Prepared,
    url: Option<&str>,
) -> Result<Title, WikiError> {
    if let Some(url) = url {
        if let Some(id) = store::sources::page_by_url(tx, url)? {
            if let Some((_, title, _)) = store::sources::resolve_id(tx, id)? {
                return Ok(Title::new(&title)?);
            }
        }
    }
    if let Some((_, title)) = store::sources::page_with_text(tx, &sha256(&file.text))? {
        return Ok(Title::new(&title)?);
    }
    let Some(target) = live_page(tx, file.title.as_str())?.and_then(|p| p.redirect_to) else {
        return Ok(file.title.clone());
    };
    let moved = live_page(tx, &target)?
        .filter(|p| p.redirect_to.is_none())
        .and_then(|p| Title::new(&p.title).ok())
        .filter(|t| t.namespace() == super::Namespace::Source);
    moved.ok_or_else(|| {
        WikiError::Invalid(format!(
            "{} is a redirect to {target}, which is not a source page: a source is never written over a redirect (import it with --title)",
            file.title
        ))
    })
}

/// The hash of the latest text of the live page `title`, if there is one.
fn latest_sha256(conn: &store::Connection, title: &str) -> Result<Option<[u8; 32]>, StoreError> {
    match pages::by_title(conn, title)?.filter(|p| !p.deleted) {
        Some(PageRow {
            latest_revision: Some(revision),
            ..
        }) => revisions::text_sha256(conn, revision),
        _ => Ok(None),
    }
}

/// The id of the user called `name`, for `--author`.
pub fn author_id(db: &Db, name: &str) -> Result<Option<i64>, WikiError> {
    Ok(db.read_blocking(|conn| pages::user_id(conn, name))?)
}

/// Whether a character is percent-encoded in file names: controls, `/`, `\\`, `:` and the other
/// Windows-reserved ones, and `%` itself so decoding is unambiguous. Other non-ASCII characters
/// stay as they are.
fn unsafe_in_file_name(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '%'
        )
}

fn encode_file_name(title: &str) -> String {
    let mut name = String::with_capacity(title.len());
    for c in title.chars() {
        if unsafe_in_file_name(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                name.push_str(&format!("%{b:02X}"));
            }
        } else {
            name.push(c);
        }
    }
    name
}

/// Names Windows reserves whatever the extension.
const RESERVED: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// The file name a page is exported to: its title percent-encoded where needed, plus `.wiki`.
/// It never contains a path separator, never starts with `.`, never ends with `.` or a space
/// before the extension, and is never a Windows device name; [`title_for`] reads it back.
pub fn file_name(title: &str) -> String {
    let mut name = encode_file_name(title);
    if name.starts_with('.') {
        name.replace_range(..1, "%2E");
    }
    if name.ends_with('.') {
        name.replace_range(name.len() - 1.., "%2E");
    } else if name.ends_with(' ') {
        name.replace_range(name.len() - 1.., "%20");
    }
    let stem_upper = name.to_ascii_uppercase();
    if RESERVED.iter().any(|r| stem_upper == *r) {
        let first = name.as_bytes()[0];
        name.replace_range(..1, &format!("%{first:02X}"));
    }
    name + ".wiki"
}

/// The longest file name most file systems take, in bytes.
const MAX_FILE_NAME_BYTES: usize = 255;

/// Where a page is exported: its file name, and whether the title had to be recorded beside it
/// (in `<stem>.title`) because the whole name would pass [`MAX_FILE_NAME_BYTES`].
fn export_name(title: &str) -> (String, bool) {
    let name = file_name(title);
    if name.len() <= MAX_FILE_NAME_BYTES {
        return (name, false);
    }
    // Room for the stem, `~`, 16 hex digits of the title's SHA-256 and the longer of the two
    // extensions (`.title`), so both files' names fit.
    let hash: String = sha256(title)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let suffix = format!("~{hash}");
    let room = MAX_FILE_NAME_BYTES - suffix.len() - 1 - TITLE_EXTENSION.len();
    let stem = name.strip_suffix(".wiki").unwrap_or(&name);
    // Cut at a character, and not inside a `%XX` escape.
    let mut cut = room.min(stem.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let tail = cut.saturating_sub(2);
    if let Some(at) = stem[..cut].get(tail..).and_then(|t| t.find('%')) {
        cut = tail + at;
    }
    (format!("{}{suffix}.wiki", &stem[..cut]), true)
}

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// Files written.
    pub written: usize,
    /// Pages not written, with the reason.
    pub failed: Vec<(String, String)>,
}

/// Writes every live page's latest text into `dir` (created if needed), one file per page.
pub fn export(
    db: &Db,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<ExportReport, WikiError> {
    std::fs::create_dir_all(dir).map_err(|e| {
        WikiError::Invalid(format!("cannot create the folder {}: {e}", dir.display()))
    })?;
    let mut report = ExportReport::default();
    db.read_blocking(|conn| {
        pages::for_each_latest_text(conn, |title, text| {
            // Titles are at most 255 bytes, but encoding can make a name too long for a disk:
            // such a page gets a shortened name, and its title in a file beside it.
            let (name, shortened) = export_name(title);
            let path = dir.join(&name);
            let mut written = std::fs::write(&path, text).map_err(|e| e.to_string());
            if shortened && written.is_ok() {
                let beside = path.with_extension(TITLE_EXTENSION);
                written = std::fs::write(beside, format!("{title}\n")).map_err(|e| e.to_string());
            }
            match written {
                Ok(()) => report.written += 1,
                Err(reason) => report.failed.push((title.to_owned(), reason)),
            }
            progress(title);
            Ok(())
        })
    })?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_too_long_for_a_disk_are_shortened_whole() {
        for title in [
            "é".repeat(127),
            format!("A{}", "/".repeat(200)),
            "x".repeat(255),
        ] {
            let (name, shortened) = export_name(&title);
            assert_eq!(shortened, file_name(&title).len() > MAX_FILE_NAME_BYTES);
            assert!(name.len() + TITLE_EXTENSION.len() - "wiki".len() <= MAX_FILE_NAME_BYTES);
            let stem = name.strip_suffix(".wiki").unwrap();
            let (kept, hash) = stem.rsplit_once('~').unwrap_or((stem, ""));
            assert!(percent_decode_str(kept).decode_utf8().is_ok(), "{name}");
            assert!(
                !kept.ends_with('%') && !kept[kept.len() - 2..].starts_with('%'),
                "{name}"
            );
            assert_eq!(hash.len(), if shortened { 16 } else { 0 });
        }
        assert_ne!(
            export_name(&"é".repeat(127)).0,
            export_name(&"é".repeat(126)).0
        );
    }

    #[test]
    fn file_names_are_safe_and_read_back() {
        for (title, name) in [
            ("Ada Lovelace", "Ada Lovelace.wiki"),
            ("AC/DC", "AC%2FDC.wiki"),
            ("Source:Blog post", "Source%3ABlog post.wiki"),
            ("100% true", "100%25 true.wiki"),
            ("../../etc", "%2E.%2F..%2Fetc.wiki"),
            ("Con", "%43on.wiki"),
            ("Zoë \\ x", "Zoë %5C x.wiki"),
            ("End.", "End%2E.wiki"),
        ] {
            assert_eq!(file_name(title), name);
            let back = percent_decode_str(name.strip_suffix(".wiki").unwrap())
                .decode_utf8()
                .unwrap();
            assert_eq!(back, title);
        }
    }
}
