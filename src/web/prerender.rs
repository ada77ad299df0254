//! Rendering at save (issue 20): after a change commits, the pages it changed that readers
//! will ask for are rendered off the request path and kept in the page caches (the article
//! part for signed-in readers, the whole page for anonymous ones), so the first view after an
//! edit is served from memory too, as MediaWiki fills its parser cache on save.
//!
//! It listens to the database's announcements, sent after every commit that says which pages
//! it changed (a web edit, a section edit, an API write, a revert or an undo), so it never
//! holds the writer nor delays the answer to the save. Each rendering reads the generation
//! before it reads the page and is kept at that generation, so an edit made meanwhile or later
//! makes it stale like any other entry ([`PageCache`](super::cache::PageCache)): nothing stale
//! is served. A change that does not say which pages it touched (a move, an undelete, an
//! import) renders nothing ahead: those pages render when read.
//!
//! A view that misses the cache while its page is being rendered here waits (briefly) for that
//! rendering instead of doing the same work a second time.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::Bytes;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{mpsc, watch};

use super::pages::{self, article_key};
use super::shareable::TaggedPage;
use super::{AppState, WebError};
use crate::auth::Role;
use crate::store::Db;
use crate::store::changes::Changed;
use crate::wiki::Title;

/// A change of at most this many pages renders all of them (an edit: the page, a few
/// categories or links); a larger one renders only those that were kept (readers wanted them).
const ALWAYS_UP_TO: usize = 8;
/// At most this many pages are rendered for one change.
const MOST_PER_CHANGE: usize = 16;
/// Renderings waiting to start; more are dropped (their pages render when read).
const QUEUE: usize = 64;
/// How long a view waits for a rendering of its page in progress before rendering it itself.
const MOST_WAIT: Duration = Duration::from_millis(50);

/// How far a rendering at save has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Stage {
    /// Queued or rendering.
    Queued,
    /// The article part is kept for signed-in readers.
    ArticleKept,
    /// The whole page is kept for anonymous readers too (or nothing will be kept).
    Done,
}

/// How many times pages were rendered for the caches, and where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderCounts {
    /// Renderings of the latest revision in a request (a view that missed the caches).
    pub on_request: u64,
    /// Renderings after a save, off the request path.
    pub at_save: u64,
}

/// The renderings at save in progress, and the counts.
#[derive(Debug, Default)]
pub(super) struct Prerenders {
    /// Whether a listener runs (without a runtime to run it on, nobody renders ahead).
    running: AtomicBool,
    /// The generation the listener has heard of: changes up to it are queued (or left).
    heard: AtomicU64,
    /// The pages queued or rendering: the id of the latest rendering of each, and what tells
    /// that it is done.
    pending: Mutex<HashMap<String, (u64, watch::Receiver<Stage>)>>,
    next_id: AtomicU64,
    on_request: AtomicU64,
    at_save: AtomicU64,
}

/// One page to render.
struct Job {
    title: Title,
    id: u64,
    stage: watch::Sender<Stage>,
}

impl Prerenders {
    fn pending(&self) -> MutexGuard<'_, HashMap<String, (u64, watch::Receiver<Stage>)>> {
        self.pending
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a rendering in a request.
    pub(super) fn count_on_request(&self) {
        self.on_request.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn counts(&self) -> RenderCounts {
        RenderCounts {
            on_request: self.on_request.load(Ordering::Relaxed),
            at_save: self.at_save.load(Ordering::Relaxed),
        }
    }

    /// Waits while the page `title` is being rendered after a save (or while the change is
    /// not yet heard of), until the rendering reaches `stage`, at most [`MOST_WAIT`]. True
    /// when a rendering got there meanwhile (the caches are worth another look).
    pub(super) async fn wait(&self, title: &str, stage: Stage, db: &Db) -> bool {
        if !self.running.load(Ordering::Acquire) {
            return false;
        }
        let deadline = tokio::time::Instant::now() + MOST_WAIT;
        loop {
            let pending = self.pending().get(title).map(|(_, stage)| stage.clone());
            if let Some(mut reached) = pending {
                let _ =
                    tokio::time::timeout_at(deadline, reached.wait_for(|now| *now >= stage)).await;
                return true;
            }
            let heard = self.heard.load(Ordering::Acquire);
            if db.is_fresh([title], heard) || tokio::time::Instant::now() >= deadline {
                return false;
            }
            // The change was announced but the listener has not run yet.
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// Whether renderings at save are queued or running, or a change is not heard of yet.
    pub(super) fn busy(&self, db: &Db) -> bool {
        self.running.load(Ordering::Acquire)
            && (self.heard.load(Ordering::Acquire) < db.generation() || !self.pending().is_empty())
    }

    /// Queues a rendering of `title`.
    fn queue(&self, title: Title, jobs: &mpsc::Sender<Job>) {
        let (stage, waiting) = watch::channel(Stage::Queued);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.pending()
            .insert(title.as_str().to_owned(), (id, waiting));
        if let Err(mpsc::error::TrySendError::Full(job) | mpsc::error::TrySendError::Closed(job)) =
            jobs.try_send(Job { title, id, stage })
        {
            self.finish(&job);
        }
    }

    /// Marks `job` done.
    fn finish(&self, job: &Job) {
        let mut pending = self.pending();
        if pending
            .get(job.title.as_str())
            .is_some_and(|(id, _)| *id == job.id)
        {
            pending.remove(job.title.as_str());
        }
        drop(pending);
        let _ = job.stage.send(Stage::Done);
    }
}

/// The pages of `changed` to render: all of a small change, else those `kept` says readers
/// wanted; at most [`MOST_PER_CHANGE`].
fn to_render(changed: &Changed, kept: impl Fn(&str) -> bool) -> Vec<Title> {
    let Changed::Pages(titles) = changed else {
        return Vec::new();
    };
    let all = titles.len() <= ALWAYS_UP_TO;
    titles
        .iter()
        .filter(|title| all || kept(title))
        .filter_map(|title| Title::new(title).ok())
        .take(MOST_PER_CHANGE)
        .collect()
}

/// Whether a rendering of the page `title` is kept (perhaps stale): readers asked for it.
fn kept(state: &AppState, title: &str) -> bool {
    state.page_cache().holds(title)
        || [Role::Reader, Role::Editor, Role::Admin]
            .into_iter()
            .any(|role| state.article_cache().holds(&article_key(role, title)))
}

/// Renders the latest revision of `title` and keeps it, at the generation read first: the
/// article part (and tells signed-in readers waiting for it), then the whole page.
async fn render(state: &AppState, job: &Job) -> Result<(), WebError> {
    let title = &job.title;
    let generation = state.db().generation();
    let Some(renders) = pages::render_latest(state, title).await? else {
        return Ok(());
    };
    let reading = Arc::new(renders.reading);
    let editing = Arc::new(renders.editing);
    // Who sees the sections' [edit] links: editors unless the page is protected, admins.
    // Admins see a hidden revision's text: theirs renders when read.
    let editors = match renders.protected {
        true => &reading,
        false => &editing,
    };
    let mut kept: Vec<(Role, &Arc<pages::RenderedArticle>)> =
        vec![(Role::Reader, &reading), (Role::Editor, editors)];
    if !renders.hidden {
        kept.push((Role::Admin, &editing));
    }
    for (role, article) in kept {
        state.article_cache().put_for(
            &article_key(role, title.as_str()),
            generation,
            Arc::clone(article),
            article.dated,
        );
    }
    let _ = job.stage.send(Stage::ArticleKept);
    let page = TaggedPage::new(Bytes::from(reading.page(None)));
    state
        .page_cache()
        .put_for(title.as_str(), generation, page, reading.dated);
    state.prerenders().at_save.fetch_add(1, Ordering::Relaxed);
    Ok(())
}

/// Starts rendering at save for `state`, on the current runtime (nothing without one). The
/// tasks end with the state.
pub(super) fn spawn(state: &AppState) {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let prerenders = state.prerenders();
    prerenders
        .heard
        .store(state.db().generation(), Ordering::Release);
    prerenders.running.store(true, Ordering::Release);
    let mut announcements = state.db().announcements();
    let (jobs, mut queued) = mpsc::channel::<Job>(QUEUE);
    let listener = state.downgrade();
    runtime.spawn(async move {
        loop {
            let changed = match announcements.recv().await {
                Ok(changed) => Some(changed),
                // Too far behind: what it missed renders when read.
                Err(RecvError::Lagged(_)) => None,
                Err(RecvError::Closed) => return,
            };
            let Some(state) = AppState::upgrade(&listener) else {
                return;
            };
            let generation = state.db().generation();
            let prerenders = state.prerenders();
            if let Some(changed) = changed {
                for title in to_render(&changed, |title| kept(&state, title)) {
                    prerenders.queue(title, &jobs);
                }
            }
            prerenders.heard.fetch_max(generation, Ordering::AcqRel);
        }
    });
    let worker = state.downgrade();
    runtime.spawn(async move {
        while let Some(job) = queued.recv().await {
            let Some(state) = AppState::upgrade(&worker) else {
                return;
            };
            if let Err(error) = render(&state, &job).await {
                tracing::warn!(title = job.title.as_str(), %error, "rendering a page after its save");
            }
            state.prerenders().finish(&job);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(titles: &[&str]) -> Changed {
        Changed::Pages(titles.iter().map(|t| (*t).to_owned()).collect())
    }

    fn names(titles: &[Title]) -> Vec<&str> {
        titles.iter().map(Title::as_str).collect()
    }

    #[test]
    fn a_small_change_renders_every_page_it_changed() {
        let rendered = to_render(&pages(&["Ada", "Category:Poets"]), |_| false);
        assert_eq!(names(&rendered), ["Ada", "Category:Poets"]);
    }

    #[test]
    fn a_large_change_renders_only_pages_readers_wanted_and_a_bounded_number() {
        let many: Vec<String> = (0..100).map(|i| format!("Page {i:03}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let rendered = to_render(&pages(&many), |title| title == "Page 042");
        assert_eq!(names(&rendered), ["Page 042"]);
        let rendered = to_render(&pages(&many), |_| true);
        assert_eq!(rendered.len(), MOST_PER_CHANGE);
    }

    #[test]
    fn a_change_that_does_not_say_what_it_changed_renders_nothing() {
        assert!(to_render(&Changed::Unknown, |_| true).is_empty());
        assert!(to_render(&Changed::Nothing, |_| true).is_empty());
    }
}
