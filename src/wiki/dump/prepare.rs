//! The import's preparation of revisions, spread over worker threads.
//!
//! The reading thread parses the dump into jobs (whole pages, or parts of a long page's
//! history); the workers prepare each job's revisions (SHA-1 check, clean markup, outline,
//! hashes) and analyse each page's last text; the writer takes the jobs' results in the dump's
//! order, because the reading thread hands it each job's answer channel as it hands the job out.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::wiki::Title;
use crate::wiki::analysis::Analysis;

use super::import::{Message, prepare};
use super::read::{DumpRevision, DumpText};
use super::write::sha1_base36;

/// A job ends at a page's end once it has this many revisions.
const JOB_REVISIONS: usize = 64;
/// A job ends anywhere once it has this many revisions (a long history)...
const JOB_MAX_REVISIONS: usize = 512;
/// ... or this many bytes of text.
const JOB_MAX_BYTES: usize = 8 * 1024 * 1024;

/// One item of a job, as the reading thread parsed it.
pub(super) enum Raw {
    /// Ready as it is (a page's start, or the dump's stop).
    Ready(Message),
    /// A revision to prepare.
    Revision {
        dump: Box<DumpRevision>,
        position: u64,
    },
    /// The page ends: its last text is to be analysed.
    PageEnd,
}

/// Items in the dump's order, for one worker.
struct Job {
    /// The page being read when the job starts.
    title: Option<Title>,
    items: Vec<Raw>,
    done: SyncSender<Vec<Message>>,
}

/// The jobs the reading thread fills and hands out.
pub(super) struct Jobs {
    /// To the workers.
    workers: SyncSender<Job>,
    /// To the writer, in the dump's order: where each job's messages will come.
    writer: SyncSender<Receiver<Vec<Message>>>,
    job: Job,
    answer: Receiver<Vec<Message>>,
    revisions: usize,
    bytes: usize,
}

impl Jobs {
    fn new(workers: SyncSender<Job>, writer: SyncSender<Receiver<Vec<Message>>>) -> Self {
        let (done, answer) = sync_channel(1);
        Self {
            workers,
            writer,
            job: Job {
                title: None,
                items: Vec::new(),
                done,
            },
            answer,
            revisions: 0,
            bytes: 0,
        }
    }

    /// Adds an item; `page` is the title of the page being read after it. False when the
    /// writer stopped listening.
    pub(super) fn push(&mut self, raw: Raw, page: Option<&Title>) -> bool {
        let page_end = matches!(raw, Raw::PageEnd);
        if let Raw::Revision { dump, .. } = &raw {
            self.revisions += 1;
            if let DumpText::Text(text) = &dump.text {
                self.bytes += text.len();
            }
        }
        self.job.items.push(raw);
        let full = (page_end && self.revisions >= JOB_REVISIONS)
            || self.revisions >= JOB_MAX_REVISIONS
            || self.bytes >= JOB_MAX_BYTES;
        !full || self.send(page.cloned())
    }

    /// Hands the job out, the next one starting on page `title`. False when the writer
    /// stopped listening.
    pub(super) fn send(&mut self, title: Option<Title>) -> bool {
        if self.job.items.is_empty() {
            return true;
        }
        let (done, answer) = sync_channel(1);
        let job = std::mem::replace(
            &mut self.job,
            Job {
                title,
                items: Vec::new(),
                done,
            },
        );
        let answer = std::mem::replace(&mut self.answer, answer);
        self.revisions = 0;
        self.bytes = 0;
        self.writer.send(answer).is_ok() && self.workers.send(job).is_ok()
    }
}

/// Runs `read` with jobs to fill, and `workers` threads preparing them; the writer gets each
/// job's messages from `writer` in order.
pub(super) fn run(
    workers: usize,
    writer: SyncSender<Receiver<Vec<Message>>>,
    read: impl FnOnce(&mut Jobs),
) {
    let (to_workers, from_reader) = sync_channel::<Job>(workers);
    let from_reader = Mutex::new(from_reader);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| work(&from_reader));
        }
        let mut jobs = Jobs::new(to_workers, writer);
        read(&mut jobs);
        // Dropping the jobs closes the workers' channel: they end.
    });
}

/// A worker: prepares jobs until the reading thread is done.
fn work(jobs: &Mutex<Receiver<Job>>) {
    loop {
        let job = match jobs.lock() {
            Ok(jobs) => jobs.recv(),
            Err(_) => return, // another worker panicked; the scope passes it on
        };
        let Ok(job) = job else {
            return;
        };
        // The writer may have stopped listening: nothing to do about it here.
        let _ = job.done.send(prepare_job(job.title, job.items));
    }
}

/// A job's messages: its revisions prepared, its pages' last texts analysed.
fn prepare_job(title: Option<Title>, items: Vec<Raw>) -> Vec<Message> {
    let mut page_title = title;
    // Where the page's last prepared text is in `out` (a page started in an earlier job
    // has none here: the writer analyses its last text itself).
    let mut last: Option<usize> = None;
    let mut out = Vec::with_capacity(items.len());
    for raw in items {
        let message = match raw {
            Raw::Ready(message) => {
                if let Message::Page { title, .. } = &message {
                    page_title = title.as_ref().ok().cloned();
                    last = None;
                }
                message
            }
            Raw::Revision { mut dump, position } => {
                let text = std::mem::replace(&mut dump.text, DumpText::Deleted);
                let sha1_mismatch = matches!((&text, &dump.sha1), (DumpText::Text(t), Some(s)) if sha1_base36(t) != *s);
                let ready = prepare(text, &dump.timestamp);
                if ready.is_ok() {
                    last = Some(out.len());
                }
                Message::Revision {
                    dump,
                    ready,
                    sha1_mismatch,
                    position,
                }
            }
            Raw::PageEnd => {
                let text = last.take().and_then(|i| match &out[i] {
                    Message::Revision { ready: Ok(r), .. } => Some(r.text.as_str()),
                    _ => None,
                });
                let last = match (text, &page_title) {
                    (Some(text), Some(title)) => Some(Box::new(Analysis::of(text, title.as_str()))),
                    _ => None,
                };
                Message::PageEnd { last }
            }
        };
        out.push(message);
    }
    out
}
