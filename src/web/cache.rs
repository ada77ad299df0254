//! Rendered pages for anonymous readers, kept in memory per database generation.
//!
//! A page view is most of the traffic of a wiki, and its HTML changes only when the database
//! does. An entry is valid only for the [`Db::generation`](crate::store::Db::generation) it
//! was rendered at; any write moves the generation on, so nothing stale is ever served.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::Bytes;

/// At most this many pages are kept; when full, the cache starts over.
const CAPACITY: usize = 4096;

#[derive(Debug, Default)]
pub(super) struct PageCache {
    entries: RwLock<HashMap<String, (u64, Bytes)>>,
}

impl PageCache {
    /// The page rendered for `key`, if it was rendered at `generation`.
    pub(super) fn get(&self, key: &str, generation: u64) -> Option<Bytes> {
        let entries = self.entries.read().ok()?;
        match entries.get(key) {
            Some((seen, body)) if *seen == generation => Some(body.clone()),
            _ => None,
        }
    }

    /// Keeps `body` for `key`, valid at `generation`.
    pub(super) fn put(&self, key: &str, generation: u64, body: Bytes) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        if entries.len() >= CAPACITY && !entries.contains_key(key) {
            entries.clear();
        }
        entries.insert(key.to_owned(), (generation, body));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_valid_only_at_its_generation() {
        let cache = PageCache::default();
        cache.put("Ada", 3, Bytes::from_static(b"page"));
        assert_eq!(cache.get("Ada", 3), Some(Bytes::from_static(b"page")));
        assert_eq!(cache.get("Ada", 4), None);
        assert_eq!(cache.get("Alan", 3), None);
    }

    #[test]
    fn a_full_cache_starts_over() {
        let cache = PageCache::default();
        for i in 0..CAPACITY {
            cache.put(&i.to_string(), 1, Bytes::new());
        }
        cache.put("one more", 1, Bytes::new());
        assert_eq!(cache.get("0", 1), None);
        assert!(cache.get("one more", 1).is_some());
    }
}
