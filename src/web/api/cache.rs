//! Answers to API reads, kept in memory per database generation.
//!
//! A read's JSON depends only on its URL and the database, so an answer is valid for the
//! [`Db::generation`](crate::store::Db::generation) it was computed at; any write moves the
//! generation on, so nothing stale is ever served. Hits skip SQLite, parsing and
//! serialisation, which is what lets section reads keep up with a tight client loop.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiState;

/// At most this many answers are kept; when full, the cache starts over.
const CAPACITY: usize = 4096;
/// At most this many bytes of answers are kept; when full, the cache starts over.
const BUDGET: usize = 64 * 1024 * 1024;
/// Larger answers (whole long pages) are not kept.
const LARGEST: usize = 1024 * 1024;

#[derive(Debug, Clone)]
struct Entry {
    generation: u64,
    body: Bytes,
    etag: Option<HeaderValue>,
}

#[derive(Debug, Default)]
struct Entries {
    map: HashMap<String, Entry>,
    bytes: usize,
}

/// The answers, by path and query.
#[derive(Debug, Default)]
pub(crate) struct JsonCache {
    entries: RwLock<Entries>,
}

impl JsonCache {
    fn get(&self, key: &str, generation: u64) -> Option<Entry> {
        let entries = self.entries.read().ok()?;
        entries
            .map
            .get(key)
            .filter(|e| e.generation == generation)
            .cloned()
    }

    fn put(&self, key: &str, entry: Entry) {
        let Ok(mut entries) = self.entries.write() else {
            return;
        };
        let size = key.len() + entry.body.len();
        if (entries.map.len() >= CAPACITY || entries.bytes + size > BUDGET)
            && !entries.map.contains_key(key)
        {
            entries.map.clear();
            entries.bytes = 0;
        }
        if let Some(old) = entries.map.insert(key.to_owned(), entry) {
            entries.bytes -= key.len() + old.body.len();
        }
        entries.bytes += size;
    }
}

fn json_response(entry: Entry) -> Response {
    let mut response = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        entry.body,
    )
        .into_response();
    if let Some(etag) = entry.etag {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// Marks an answer that only its reader may see (a hidden revision shown to an admin): the
/// cache does not keep it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotShared;

/// Middleware: answers a `GET` from the cache when it can, and keeps successful answers that
/// are the same for everyone.
pub(crate) async fn cached(
    State(state): State<ApiState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    // Read before the handler runs: an answer computed while a write lands is kept under the
    // older generation, which that write has already made stale.
    let generation = state.app.db().generation();
    let key = request.uri().path_and_query().map_or("", |p| p.as_str());
    if let Some(entry) = state.cache.get(key, generation) {
        return json_response(entry);
    }
    let key = key.to_owned();
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == b"application/json");
    if response.status() != StatusCode::OK
        || !is_json
        || response.extensions().get::<NotShared>().is_some()
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "cannot read the answer").into_response();
    };
    if body.len() <= LARGEST {
        let entry = Entry {
            generation,
            body: body.clone(),
            etag: parts.headers.get(header::ETAG).cloned(),
        };
        state.cache.put(&key, entry);
    }
    Response::from_parts(parts, Body::from(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(generation: u64, body: &'static str) -> Entry {
        Entry {
            generation,
            body: Bytes::from_static(body.as_bytes()),
            etag: None,
        }
    }

    #[test]
    fn an_answer_is_valid_only_at_its_generation() {
        let cache = JsonCache::default();
        cache.put("/api/pages/Ada", entry(3, "{}"));
        assert!(cache.get("/api/pages/Ada", 3).is_some());
        assert!(cache.get("/api/pages/Ada", 4).is_none());
        assert!(cache.get("/api/pages/Alan", 3).is_none());
    }

    #[test]
    fn a_full_cache_starts_over_and_counts_its_bytes() {
        let cache = JsonCache::default();
        for i in 0..CAPACITY {
            cache.put(&i.to_string(), entry(1, "x"));
        }
        cache.put("one more", entry(1, "y"));
        assert!(cache.get("0", 1).is_none());
        assert!(cache.get("one more", 1).is_some());
        cache.put("one more", entry(2, "zz"));
        let bytes = cache.entries.read().unwrap().bytes;
        assert_eq!(bytes, "one more".len() + 2);
    }
}
