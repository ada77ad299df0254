//! What a write changed that readers see, so the caches of rendered pages and API answers
//! forget only that.
//!
//! A write runs on the writer's thread; while it runs, the code that knows what it means (a
//! save knows its page, the pages that link to it, the categories it joined or left) notes
//! that here. When the write is done, [`Db`](super::Db) reads the note:
//!
//! - [`Changed::Unknown`], nothing noted: the write may have changed anything, so every cached
//!   page and answer is stale (the safe default for writes that do not say);
//! - [`Changed::Pages`]: the answers about these pages, and every listing (search, people,
//!   recent changes), are stale; cached views of other pages stay;
//! - [`Changed::Nothing`]: nothing readers see changed (a job's bookkeeping), no cache moves.
//!
//! Writes that never change what readers see (sessions, sign-in attempts) use
//! [`Db::write_private`](super::Db::write_private) and note nothing.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::time::SystemTime;

/// What a write changed, as far as caches care.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Changed {
    /// Nobody said: anything may have changed.
    #[default]
    Unknown,
    /// These pages (by normalised title), and every listing.
    Pages(BTreeSet<String>),
    /// Nothing a reader sees.
    Nothing,
}

impl Changed {
    /// `self` and then `other`, in one write (two saves in one group, say).
    fn and(self, other: Self) -> Self {
        match (self, other) {
            (Self::Unknown, _) | (_, Self::Unknown) => Self::Unknown,
            (Self::Nothing, other) | (other, Self::Nothing) => other,
            (Self::Pages(mut a), Self::Pages(b)) => {
                a.extend(b);
                Self::Pages(a)
            }
        }
    }
}

/// The note of the write running on this thread: `None` until something is noted.
#[derive(Debug, Default)]
struct Note {
    changed: Option<Changed>,
}

thread_local! {
    static NOTE: RefCell<Note> = RefCell::new(Note::default());
}

fn add(changed: Changed) {
    NOTE.with(|note| {
        let mut note = note.borrow_mut();
        note.changed = Some(match note.changed.take() {
            None => changed,
            Some(before) => before.and(changed),
        });
    });
}

/// Notes that the write running on this thread changed these pages (and so every listing).
/// An empty list changes listings only (a search index rebuilt).
pub fn pages<I, S>(titles: I)
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    add(Changed::Pages(titles.into_iter().map(Into::into).collect()));
}

/// Notes that the write running on this thread changed nothing a reader sees.
pub fn nothing_shown() {
    add(Changed::Nothing);
}

/// Notes that the write running on this thread may have changed anything.
pub fn anything() {
    add(Changed::Unknown);
}

/// Forgets this thread's note (before a write starts: a note left by a failed write must not
/// describe the next one).
pub(super) fn clear() {
    NOTE.with(|note| note.borrow_mut().changed = None);
}

/// Takes this thread's note: what the write that just ran changed.
pub(super) fn take() -> Changed {
    NOTE.with(|note| note.borrow_mut().changed.take().unwrap_or_default())
}

/// The generation at which each page last changed, for [`Db::is_fresh`](super::Db::is_fresh),
/// and when (for `Last-Modified`, [`Db::changed_at`](super::Db::changed_at)).
#[derive(Debug)]
pub(super) struct Stamps {
    /// Every page changed at this generation or before (a write that did not say what it
    /// changed, another process's write).
    floor: u64,
    /// When the floor was set; at start, the time the database was opened (what changed
    /// before is not known, and a later time is never wrong for `Last-Modified`).
    floor_time: SystemTime,
    /// Pages changed after `floor`, with the generation and time of their last change.
    pages: HashMap<String, (u64, SystemTime)>,
    /// When anything readers see last changed (listings show every page).
    latest: SystemTime,
}

impl Default for Stamps {
    fn default() -> Self {
        let now = SystemTime::now();
        Self {
            floor: 0,
            floor_time: now,
            pages: HashMap::new(),
            latest: now,
        }
    }
}

impl Stamps {
    /// Records `changed`, made at `generation` (the generation after the write).
    pub(super) fn record(&mut self, changed: &Changed, generation: u64) {
        let now = SystemTime::now();
        match changed {
            Changed::Nothing => return,
            Changed::Unknown => {
                self.floor = generation;
                self.floor_time = now;
                self.pages.clear();
            }
            Changed::Pages(titles) => {
                for title in titles {
                    self.pages.insert(title.clone(), (generation, now));
                }
            }
        }
        self.latest = now;
    }

    /// The generation at which `title` last changed.
    pub(super) fn of(&self, title: &str) -> u64 {
        self.pages
            .get(title)
            .map_or(0, |(generation, _)| *generation)
            .max(self.floor)
    }

    /// When `title` last changed (`None`: anything, for listings), at the latest.
    pub(super) fn time_of(&self, title: Option<&str>) -> SystemTime {
        match title {
            None => self.latest,
            Some(title) => self
                .pages
                .get(title)
                .map_or(self.floor_time, |(_, time)| (*time).max(self.floor_time)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_add_up_and_unknown_wins() {
        clear();
        assert_eq!(take(), Changed::Unknown, "nothing noted is unknown");
        nothing_shown();
        assert_eq!(take(), Changed::Nothing);
        pages(["Ada"]);
        nothing_shown();
        pages(["Alan"]);
        assert_eq!(
            take(),
            Changed::Pages(["Ada".to_owned(), "Alan".to_owned()].into())
        );
        pages(["Ada"]);
        anything();
        assert_eq!(take(), Changed::Unknown);
        assert_eq!(take(), Changed::Unknown, "taking empties the note");
    }

    #[test]
    fn a_page_is_stamped_by_its_own_changes_and_by_unknown_ones() {
        let mut stamps = Stamps::default();
        stamps.record(&Changed::Pages(["Ada".to_owned()].into()), 3);
        assert_eq!(stamps.of("Ada"), 3);
        assert_eq!(stamps.of("Alan"), 0);
        stamps.record(&Changed::Nothing, 4);
        assert_eq!(stamps.of("Alan"), 0);
        stamps.record(&Changed::Unknown, 5);
        assert_eq!(stamps.of("Ada"), 5);
        assert_eq!(stamps.of("Alan"), 5);
        stamps.record(&Changed::Pages(["Alan".to_owned()].into()), 6);
        assert_eq!(stamps.of("Alan"), 6);
        assert_eq!(stamps.of("Ada"), 5);
    }

    #[test]
    fn a_page_is_dated_by_its_last_change_and_listings_by_any() {
        let mut stamps = Stamps::default();
        let start = stamps.time_of(Some("Ada"));
        std::thread::sleep(std::time::Duration::from_millis(5));
        stamps.record(&Changed::Pages(["Ada".to_owned()].into()), 1);
        let ada = stamps.time_of(Some("Ada"));
        assert!(ada > start);
        assert_eq!(stamps.time_of(Some("Alan")), start, "Alan did not change");
        assert_eq!(stamps.time_of(None), ada);
        std::thread::sleep(std::time::Duration::from_millis(5));
        stamps.record(&Changed::Nothing, 2);
        assert_eq!(stamps.time_of(None), ada, "nothing shown changed");
        stamps.record(&Changed::Unknown, 3);
        assert!(stamps.time_of(Some("Alan")) > ada);
    }
}
