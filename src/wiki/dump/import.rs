//! `plutarch import-xml`: a MediaWiki dump with its whole history, streamed.
//!
//! A reading thread decompresses and parses the XML, maps each title onto our namespaces, and
//! works out each revision's outline and hashes (and the full analysis of each page's last
//! text); this thread writes, in transactions of [`BATCH_REVISIONS`] revisions. Every revision
//! keeps its author (an account here by that name, else the name itself, as MediaWiki keeps
//! imported authors), time and summary; its section ids follow the page's previous revision as
//! for any edit. A page's links, categories, facts and search rows are written once, from its
//! last revision. A revision the page already has (same time, same text) is not added again.
//! A broken revision is reported and skipped; a dump that cannot be read on (malformed, or cut
//! short) stops the import there, and everything before stays.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, sync_channel};
use std::vec::IntoIter;

use crate::doc::Outline;
use crate::doc::namespace::Namespace;
use crate::markup;
use crate::store::revisions::sha256;
use crate::store::{self, Db, PageRow, StoreError, accounts, dumps, pages};

use super::super::analysis::{Analysis, chunk_texts};
use super::super::samples::SYSTEM_USER_ID;
use super::super::save::{
    ImportReference, ImportStamp, StagedIndex, index_imported, insert_imported,
};
use super::super::{Title, WikiError, max_page_bytes};
use super::input;
use super::prepare::{self, Raw};
use super::read::{Contributor, DumpReader, DumpRevision, DumpText, Item, PageHead, ReadError};

/// Revisions per transaction: commits are rare, and the write lock is held about a second.
const BATCH_REVISIONS: usize = 5000;
/// Text bytes per transaction.
const BATCH_BYTES: usize = 64 * 1024 * 1024;
/// How many jobs (of up to a few hundred revisions) may be read ahead of the writer.
const JOBS_AHEAD: usize = 16;
/// The name a revision whose contributor was hidden in its wiki is credited to.
pub const HIDDEN_AUTHOR: &str = "(username removed)";
/// The audit log's action for an import.
pub const LOGGED_AS: &str = "import-xml";

/// Something in the dump that was not imported, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The byte offset in the (uncompressed) XML.
    pub position: u64,
    /// The page's title as the dump writes it.
    pub page: String,
    /// The revision's id in the dump, when the problem is one revision.
    pub revision: Option<i64>,
    /// Why.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlImport {
    /// Pages created.
    pub pages_created: usize,
    /// Existing pages that got revisions.
    pub pages_updated: usize,
    /// Pages that had every revision already.
    pub pages_unchanged: usize,
    /// Revisions added.
    pub revisions_added: usize,
    /// Revisions the pages had already (same time, same text).
    pub revisions_present: usize,
    /// Revisions whose text was hidden in their wiki (not in the dump), not imported.
    pub revisions_hidden: usize,
    /// Revisions whose text does not have the SHA-1 the dump gives (imported as they are).
    pub sha1_mismatches: usize,
    /// Pages and revisions skipped, with the reason.
    pub problems: Vec<Problem>,
    /// Where and why the dump could not be read on, if it could not.
    pub stopped: Option<ReadError>,
}

/// How far an import is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Pages read.
    pub pages: u64,
    /// Revisions read.
    pub revisions: u64,
    /// Bytes of the file read.
    pub bytes: u64,
    /// The file's size.
    pub size: u64,
}

/// A revision's text, ready for the writer.
pub(super) struct Ready {
    pub(super) text: String,
    outline: Outline,
    chunk_sha256: Vec<[u8; 32]>,
    sha256: [u8; 32],
}

/// What the reading thread (through the workers) hands the writer.
pub(super) enum Message {
    /// A page starts: its title here, or why it cannot be imported.
    Page {
        dump_title: String,
        title: Result<Title, String>,
        position: u64,
    },
    /// A revision: its text ready, or why it cannot be imported.
    Revision {
        dump: Box<DumpRevision>,
        ready: Result<Box<Ready>, Reject>,
        sha1_mismatch: bool,
        position: u64,
    },
    /// The page ends; the analysis of its last revision's text, if it had one.
    PageEnd { last: Option<Box<Analysis>> },
    /// The dump cannot be read on.
    Stopped(ReadError),
}

/// Why a revision is not imported.
pub(super) enum Reject {
    /// Its text was hidden in its wiki.
    Hidden,
    /// Something is wrong with it.
    Broken(String),
}

/// Imports the dump at `path`, calling `progress` as it goes. Fails only when the file cannot
/// be opened or the database fails; what is wrong in the dump is in the report.
pub fn import_xml(
    db: &Db,
    path: &Path,
    progress: &mut dyn FnMut(&Progress),
) -> Result<XmlImport, WikiError> {
    let opened = input::open(path)
        .map_err(|e| WikiError::Invalid(format!("cannot open {}: {e}", path.display())))?;
    let size = opened.size;
    let read = std::sync::Arc::clone(&opened.read);
    let (sender, receiver) = sync_channel(JOBS_AHEAD);
    let max_text = max_page_bytes();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let report = std::thread::scope(|scope| {
        scope.spawn(move || {
            prepare::run(workers, sender, |jobs| {
                read_dump(opened.xml, max_text, jobs)
            });
        });
        let mut writer = Writer::new(receiver);
        let mut report = XmlImport::default();
        let mut counts = Progress {
            size,
            ..Progress::default()
        };
        while !writer.done {
            db.write_blocking(|conn| {
                writer.batch(conn, &mut report, &mut counts, &mut |c| {
                    progress(&Progress {
                        bytes: read.load(Ordering::Relaxed),
                        ..*c
                    })
                })
            })?;
        }
        Ok::<_, WikiError>(report)
    })?;
    let detail = format!(
        "{} pages created, {} updated; {} revisions added, {} present already{}",
        report.pages_created,
        report.pages_updated,
        report.revisions_added,
        report.revisions_present,
        match &report.stopped {
            Some(stop) => format!("; stopped {stop}"),
            None => String::new(),
        }
    );
    let target = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    db.write_blocking(|conn| {
        accounts::log_event(conn, Some(SYSTEM_USER_ID), LOGGED_AS, &target, &detail)
    })?;
    Ok(report)
}

/// The reading thread: parses the dump into jobs for the workers, until the end, an error, or
/// the writer stops listening.
fn read_dump(xml: Box<dyn std::io::BufRead + Send>, max_text: usize, jobs: &mut prepare::Jobs) {
    let mut reader = DumpReader::new(xml, max_text);
    let mut page_title: Option<Title> = None;
    loop {
        let position = reader.position();
        let raw = match reader.next_item() {
            Ok(None) => break,
            Err(stop) => {
                if jobs.push(Raw::Ready(Message::Stopped(stop)), None) {
                    jobs.send(None);
                }
                return;
            }
            Ok(Some(Item::Page(head))) => {
                let title = title_for(&head, reader.namespaces());
                page_title = title.clone().ok();
                Raw::Ready(Message::Page {
                    dump_title: head.title,
                    title,
                    position,
                })
            }
            Ok(Some(Item::Revision(dump))) => Raw::Revision { dump, position },
            Ok(Some(Item::PageEnd)) => Raw::PageEnd,
        };
        if !jobs.push(raw, page_title.as_ref()) {
            return;
        }
    }
    jobs.send(None);
}

/// A revision's text with its outline and hashes, or why it is not imported.
pub(super) fn prepare(text: DumpText, timestamp: &str) -> Result<Box<Ready>, Reject> {
    if !is_timestamp(timestamp) {
        return Err(Reject::Broken(format!(
            "its timestamp {timestamp:?} is not YYYY-MM-DDTHH:MM:SSZ"
        )));
    }
    let text = match text {
        DumpText::Text(text) => text,
        DumpText::Deleted => return Err(Reject::Hidden),
        DumpText::TooLarge(max) => {
            return Err(Reject::Broken(format!(
                "its text is larger than the limit of {max} bytes"
            )));
        }
    };
    let text = match super::super::clean::markup(&text) {
        std::borrow::Cow::Owned(clean) => clean,
        std::borrow::Cow::Borrowed(_) => text,
    };
    let outline = markup::outline(&text);
    let starts: Vec<usize> = outline.sections.iter().map(|s| s.byte_start).collect();
    let chunk_sha256 = chunk_texts(&text, &starts)
        .iter()
        .map(|c| sha256(c))
        .collect();
    Ok(Box::new(Ready {
        sha256: sha256(&text),
        text,
        outline,
        chunk_sha256,
    }))
}

/// Whether `text` is a time as dumps write it: `YYYY-MM-DDTHH:MM:SSZ`.
fn is_timestamp(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// The title a dump's page gets here: in a namespace we know, our prefix instead of the
/// dump's local one (`Benutzer:X` in namespace 2 is `User:X`); in any other, the title as the
/// dump writes it, prefix included.
fn title_for(head: &PageHead, namespaces: &HashMap<i64, String>) -> Result<Title, String> {
    let known = head
        .ns
        .filter(|&n| n != 0)
        .and_then(|n| Namespace::ALL.into_iter().find(|ns| ns.number() == n));
    let title = match (known, head.ns.and_then(|n| namespaces.get(&n))) {
        (Some(ns), Some(local)) => match head.title.split_once(':') {
            Some((prefix, rest)) if prefix.eq_ignore_ascii_case(local) => {
                format!("{}:{rest}", ns.name())
            }
            _ => head.title.clone(),
        },
        _ => head.title.clone(),
    };
    let title = Title::new(&title).map_err(|e| format!("no usable title: {e}"))?;
    title
        .check_new()
        .map_err(|e| format!("no usable title: {e}"))?;
    Ok(title)
}

/// The page being written.
struct Current {
    /// Its row as it was before this import wrote to it.
    before: PageRow,
    /// The (time, text hash) of the revisions it has.
    stamps: HashSet<(String, [u8; 32])>,
    /// Its latest revision's sections.
    reference: ImportReference,
    /// Its latest revision, if it has one.
    latest: Option<i64>,
    /// The last revision this import added, with its text's hash.
    added: Option<(i64, [u8; 32])>,
    /// Whether the page was created by this import.
    created: bool,
}

/// The writing side.
struct Writer {
    /// Each job's messages, in the dump's order.
    jobs: Receiver<Receiver<Vec<Message>>>,
    /// The rest of the current job's messages.
    messages: IntoIter<Message>,
    /// The current page: `None` before the first, and while a page that cannot be imported is
    /// skipped.
    current: Option<Current>,
    /// The current page's title in the dump.
    dump_title: String,
    /// Authors by name: their account id, if they have one.
    authors: HashMap<String, Option<i64>>,
    done: bool,
}

impl Writer {
    fn new(jobs: Receiver<Receiver<Vec<Message>>>) -> Self {
        Self {
            jobs,
            messages: Vec::new().into_iter(),
            current: None,
            dump_title: String::new(),
            authors: HashMap::new(),
            done: false,
        }
    }

    /// The next message in the dump's order, `None` at the end.
    fn next_message(&mut self) -> Option<Message> {
        loop {
            if let Some(message) = self.messages.next() {
                return Some(message);
            }
            let job = self.jobs.recv().ok()?;
            self.messages = job.recv().ok()?.into_iter();
        }
    }

    /// Writes the next messages in one transaction, until a batch is full or the dump ends.
    fn batch(
        &mut self,
        conn: &mut store::Connection,
        report: &mut XmlImport,
        counts: &mut Progress,
        progress: &mut dyn FnMut(&Progress),
    ) -> Result<(), StoreError> {
        let tx = store::begin_write(conn)?;
        let mut staged = BTreeMap::new();
        let mut revisions = 0;
        let mut bytes = 0;
        while revisions < BATCH_REVISIONS && bytes < BATCH_BYTES {
            let Some(message) = self.next_message() else {
                // The dump ended (or a reading thread died: the scope passes its panic on).
                self.finish_page(&tx, report, &mut staged)?;
                self.done = true;
                break;
            };
            match message {
                Message::Page {
                    dump_title,
                    title,
                    position,
                } => {
                    self.finish_page(&tx, report, &mut staged)?;
                    counts.pages += 1;
                    match title {
                        Ok(title) => self.current = Some(start_page(&tx, &title)?),
                        Err(reason) => report.problems.push(Problem {
                            position,
                            page: dump_title.clone(),
                            revision: None,
                            reason,
                        }),
                    }
                    self.dump_title = dump_title;
                }
                Message::Revision {
                    dump,
                    ready,
                    sha1_mismatch,
                    position,
                } => {
                    counts.revisions += 1;
                    revisions += 1;
                    if let Ok(ready) = &ready {
                        bytes += ready.text.len();
                    }
                    report.sha1_mismatches += usize::from(sha1_mismatch);
                    self.revision(&tx, report, &dump, ready, position)?;
                }
                Message::PageEnd { last } => {
                    self.finish_page_with(&tx, report, &mut staged, last.as_deref())?;
                }
                Message::Stopped(stop) => {
                    self.finish_page(&tx, report, &mut staged)?;
                    report.stopped = Some(stop);
                    self.done = true;
                    break;
                }
            }
            progress(counts);
        }
        if let Some((page, (revision, _))) = self
            .current
            .as_ref()
            .and_then(|page| page.added.map(|added| (page, added)))
        {
            // A page whose history goes on in the next batch: its latest revision so far, so
            // that an import stopped here leaves the page at its last revision imported.
            pages::set_latest_revision(&tx, page.before.id, revision)?;
        }
        StagedIndex::write_all(&tx, &staged)?;
        tx.commit()
    }

    /// Adds one revision to the current page, unless it has it already or it is broken.
    fn revision(
        &mut self,
        tx: &store::Connection,
        report: &mut XmlImport,
        dump: &DumpRevision,
        ready: Result<Box<Ready>, Reject>,
        position: u64,
    ) -> Result<(), StoreError> {
        let Some(page) = self.current.as_mut() else {
            return Ok(()); // a page that cannot be imported
        };
        let problem = |reason: String| Problem {
            position,
            page: self.dump_title.clone(),
            revision: dump.id,
            reason,
        };
        let ready = match ready {
            Ok(ready) => ready,
            Err(Reject::Hidden) => {
                report.revisions_hidden += 1;
                return Ok(());
            }
            Err(Reject::Broken(reason)) => {
                report.problems.push(problem(reason));
                return Ok(());
            }
        };
        let stamp_key = (dump.timestamp.clone(), ready.sha256);
        if page.stamps.contains(&stamp_key) {
            report.revisions_present += 1;
            return Ok(());
        }
        let name = match &dump.contributor {
            Contributor::User(name) => name.as_str(),
            Contributor::Ip(ip) => ip.as_str(),
            Contributor::Hidden => HIDDEN_AUTHOR,
        };
        let account = match &dump.contributor {
            Contributor::User(name) => match self.authors.get(name) {
                Some(account) => *account,
                None => {
                    let account = pages::user_id(tx, name)?;
                    self.authors.insert(name.clone(), account);
                    account
                }
            },
            _ => None,
        };
        let stamp = ImportStamp {
            author_id: account.unwrap_or(SYSTEM_USER_ID),
            author_name: account.is_none().then_some(name),
            timestamp: &dump.timestamp,
            summary: &dump.comment,
            minor: dump.minor,
        };
        let inserted = insert_imported(
            tx,
            page.before.id,
            page.latest,
            &ready.text,
            &ready.outline,
            &ready.chunk_sha256,
            ready.sha256,
            &stamp,
            &mut page.reference,
        );
        match inserted {
            Ok(revision) => {
                page.latest = Some(revision);
                page.added = Some((revision, ready.sha256));
                page.stamps.insert(stamp_key);
                report.revisions_added += 1;
                Ok(())
            }
            Err(WikiError::Store(e)) => Err(e),
            Err(e) => {
                report.problems.push(problem(e.to_string()));
                Ok(())
            }
        }
    }

    fn finish_page(
        &mut self,
        tx: &store::Connection,
        report: &mut XmlImport,
        staged: &mut BTreeMap<i64, StagedIndex>,
    ) -> Result<(), StoreError> {
        self.finish_page_with(tx, report, staged, None)
    }

    /// Ends the current page: indexes its latest revision if this import added any (with the
    /// reader's analysis when it is of that revision's text).
    fn finish_page_with(
        &mut self,
        tx: &store::Connection,
        report: &mut XmlImport,
        staged: &mut BTreeMap<i64, StagedIndex>,
        analysed: Option<&Analysis>,
    ) -> Result<(), StoreError> {
        let Some(page) = self.current.take() else {
            return Ok(());
        };
        let Some((revision, hash)) = page.added else {
            report.pages_unchanged += usize::from(!page.created);
            return Ok(());
        };
        if page.created {
            report.pages_created += 1;
        } else {
            report.pages_updated += 1;
        }
        // The page's latest revision (its revisions were written without it), set here too
        // in case its links and facts cannot be written.
        pages::set_latest_revision(tx, page.before.id, revision)?;
        let text = page.reference.text();
        let analysed_here;
        let analysis = match analysed.filter(|a| a.sha256 == hash) {
            Some(analysis) => analysis,
            None => {
                analysed_here = Analysis::of(&text, &page.before.title);
                &analysed_here
            }
        };
        let slot = RefCell::new(None);
        match index_imported(
            tx,
            &page.before,
            revision,
            &text,
            analysis,
            page.reference.ids(),
            &slot,
        ) {
            Ok(()) => {}
            Err(WikiError::Store(e)) => return Err(e),
            Err(e) => report.problems.push(Problem {
                position: 0,
                page: page.before.title.clone(),
                revision: None,
                reason: format!("its links and facts could not be written: {e}"),
            }),
        }
        if let Some(index) = slot.into_inner() {
            staged.insert(index.page_id, index);
        }
        Ok(())
    }
}

/// Opens the page titled `title` for the import: its row (created if need be), the revisions
/// it has, and its latest revision's sections.
fn start_page(tx: &store::Connection, title: &Title) -> Result<Current, StoreError> {
    let (before, created) = match pages::by_title(tx, title.as_str())? {
        Some(page) => (page, false),
        None => (pages::create(tx, title.as_str())?, true),
    };
    let live = (!before.deleted)
        .then_some(before.latest_revision)
        .flatten();
    let reference = match live {
        Some(latest) => ImportReference::of_revision(tx, latest).map_err(store_error)?,
        None => ImportReference::default(),
    };
    let stamps = if created {
        HashSet::new()
    } else {
        dumps::stamps(tx, before.id)?
    };
    Ok(Current {
        stamps,
        reference,
        latest: live,
        added: None,
        created: created || live.is_none(),
        before,
    })
}

fn store_error(e: WikiError) -> StoreError {
    match e {
        WikiError::Store(e) => e,
        other => StoreError::Task(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_checked_by_shape() {
        assert!(is_timestamp("2001-01-15T13:15:00Z"));
        assert!(!is_timestamp("2001-01-15 13:15:00"));
        assert!(!is_timestamp("2001-01-15T13:15:00+01:00"));
    }

    #[test]
    fn known_namespaces_take_our_prefix_and_others_keep_theirs() {
        let namespaces: HashMap<i64, String> = [
            (0, String::new()),
            (2, "Benutzer".to_owned()),
            (4, "Wikipedia".to_owned()),
        ]
        .into();
        let head = |title: &str, ns: i64| PageHead {
            title: title.to_owned(),
            ns: Some(ns),
            ..PageHead::default()
        };
        let title = |h: &PageHead| title_for(h, &namespaces).map(|t| t.as_str().to_owned());
        assert_eq!(title(&head("Benutzer:Ada", 2)), Ok("User:Ada".to_owned()));
        assert_eq!(
            title(&head("Wikipedia:About", 4)),
            Ok("Wikipedia:About".to_owned())
        );
        assert_eq!(
            title(&head("Ada Lovelace", 0)),
            Ok("Ada Lovelace".to_owned())
        );
    }
}
