//! Rendered pages, kept in memory until their page changes: whole pages for anonymous readers,
//! and the article part of a page (everything but the frame that names the reader) for
//! signed-in ones, as MediaWiki's parser cache keeps the parsed article.
//!
//! A page view is most of the traffic of a wiki, and its HTML changes only when the page, or a
//! page it shows (a link's colour, a category's members), changes. An entry remembers the
//! [`Db::generation`] it was rendered at and stays valid while [`Db::is_fresh`] says its page
//! has not changed since: an edit elsewhere keeps it, an edit of the page (or of a page it
//! links to coming or going) does not, so nothing stale is ever served.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

use crate::store::Db;

/// At most this many pages are kept; when full, the cache starts over.
const CAPACITY: usize = 4096;

/// Renderings of pages, each under a key and valid while its page has not changed.
#[derive(Debug)]
pub(super) struct PageCache<T = Bytes> {
    /// Each rendering with its generation and, for one that depends on today's date, the day
    /// (since the Unix epoch, UTC) it is valid for.
    entries: RwLock<HashMap<String, Entry<T>>>,
}

/// A rendering with its generation and the day it is valid for (`None`: any day).
type Entry<T> = (u64, Option<u64>, T);

/// Today, as days since the Unix epoch (UTC).
pub(super) fn today() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400)
}

impl<T> Default for PageCache<T> {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl<T: Clone> PageCache<T> {
    /// What was rendered under `key`, if its page `title` has not changed since.
    pub(super) fn get(&self, key: &str, title: &str, db: &Db) -> Option<T> {
        let entries = self.entries.read().ok()?;
        match entries.get(key) {
            Some((seen, day, body))
                if db.is_fresh([title], *seen) && day.is_none_or(|day| day == today()) =>
            {
                Some(body.clone())
            }
            _ => None,
        }
    }

    /// Whether something is kept under `key`, stale or not.
    pub(super) fn holds(&self, key: &str) -> bool {
        self.entries
            .read()
            .is_ok_and(|entries| entries.contains_key(key))
    }

    /// Keeps `body` under `key`, rendered at `generation` (read before rendering).
    pub(super) fn put(&self, key: &str, generation: u64, body: T) {
        self.put_for(key, generation, body, false);
    }

    /// [`put`](Self::put), for today only when `dated` (the rendering shows today's date or
    /// an age).
    pub(super) fn put_for(&self, key: &str, generation: u64, body: T, dated: bool) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.len() >= CAPACITY && !entries.contains_key(key) {
            entries.clear();
        }
        entries.insert(key.to_owned(), (generation, dated.then(today), body));
    }
}

/// One rendering that depends on the whole wiki (the default main page lists the newest
/// changes and counts every page): valid while nothing shown has changed anywhere.
#[derive(Debug)]
pub(super) struct WikiWide<T> {
    entry: RwLock<Option<(u64, T)>>,
}

impl<T> Default for WikiWide<T> {
    fn default() -> Self {
        Self {
            entry: RwLock::new(None),
        }
    }
}

impl<T: Clone> WikiWide<T> {
    /// The rendering, if nothing shown has changed since it was made.
    pub(super) fn get(&self, db: &Db) -> Option<T> {
        let entry = self.entry.read().ok()?;
        match &*entry {
            Some((seen, body)) if *seen == db.generation() => Some(body.clone()),
            _ => None,
        }
    }

    /// Keeps `body`, rendered at `generation` (read before rendering).
    pub(super) fn put(&self, generation: u64, body: T) {
        if let Ok(mut entry) = self.entry.write() {
            *entry = Some((generation, body));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("cache.db")).unwrap();
        (dir, db)
    }

    #[test]
    fn a_wiki_wide_entry_lasts_until_anything_shown_changes() {
        let (_dir, db) = db();
        let cache: WikiWide<Bytes> = WikiWide::default();
        cache.put(db.generation(), Bytes::from_static(b"welcome"));
        assert_eq!(cache.get(&db), Some(Bytes::from_static(b"welcome")));
        db.write_private_blocking(|_| Ok(())).unwrap();
        assert_eq!(
            cache.get(&db),
            Some(Bytes::from_static(b"welcome")),
            "a session's bookkeeping changes nothing shown"
        );
        db.write_blocking(|_| {
            crate::store::changes::pages(["Alan"]);
            Ok(())
        })
        .unwrap();
        assert_eq!(cache.get(&db), None);
    }

    #[test]
    fn an_entry_lasts_until_its_page_changes() {
        let (_dir, db) = db();
        let cache: PageCache = PageCache::default();
        cache.put("Ada", db.generation(), Bytes::from_static(b"page"));
        assert_eq!(
            cache.get("Ada", "Ada", &db),
            Some(Bytes::from_static(b"page"))
        );
        assert_eq!(cache.get("Alan", "Alan", &db), None);
        db.write_blocking(|_| {
            crate::store::changes::pages(["Alan"]);
            Ok(())
        })
        .unwrap();
        assert!(
            cache.get("Ada", "Ada", &db).is_some(),
            "another page changed"
        );
        db.write_blocking(|_| {
            crate::store::changes::pages(["Ada"]);
            Ok(())
        })
        .unwrap();
        assert_eq!(cache.get("Ada", "Ada", &db), None, "its page changed");
        cache.put("Ada", db.generation(), Bytes::from_static(b"again"));
        db.write_blocking(|_| Ok(())).unwrap();
        assert_eq!(
            cache.get("Ada", "Ada", &db),
            None,
            "a write that did not say"
        );
    }

    #[test]
    fn a_full_cache_starts_over() {
        let (_dir, db) = db();
        let cache: PageCache = PageCache::default();
        for i in 0..CAPACITY {
            cache.put(&i.to_string(), 0, Bytes::new());
        }
        cache.put("one more", 0, Bytes::new());
        assert_eq!(cache.get("0", "0", &db), None);
        assert!(cache.get("one more", "one more", &db).is_some());
    }
}
