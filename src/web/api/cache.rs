//! Answers to API reads, kept in memory per audience until what they show changes.
//!
//! A read's JSON depends on its URL, the database and who may see what (admins see hidden
//! revisions), so an answer is kept under its [`Audience`] and URL, with the
//! [`Db::generation`](crate::store::Db::generation) it was computed at. An answer about one
//! page (`/api/pages/{title}…`) stays valid while that page has not changed
//! ([`Db::is_fresh`](crate::store::Db::is_fresh)): an edit of another page keeps it. Any
//! other answer (listings, search, revisions by id) is valid only at its generation, which
//! every write that changes what readers see moves on. Nothing stale is ever served. Hits skip
//! SQLite, parsing and serialisation, which is what lets section reads keep up with a tight
//! client loop.
//!
//! The bearer token is checked before the cache is asked: a bad or revoked token is 401
//! whatever is cached. Every answer to a request with a token or a session cookie says
//! `Cache-Control: private, no-store`, so no shared cache in front can hand it to anyone else.

use std::collections::HashMap;
use std::sync::RwLock;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiState;
use crate::auth::{Role, User};
use crate::store::Db;
use crate::web::ApiUser;
use crate::wiki::Title;

/// Who may see what: answers are shared only within one audience. Hidden (and deleted)
/// content is shown to admins only, so it never reaches another audience's entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Audience {
    /// No token.
    Anonymous,
    /// A valid token of a reader.
    Reader,
    /// A valid token of an editor.
    Editor,
    /// A valid token of an admin.
    Admin,
}

impl Audience {
    fn of(user: Option<&User>) -> Self {
        match user.map(|u| u.role) {
            None => Self::Anonymous,
            Some(Role::Reader) => Self::Reader,
            Some(Role::Editor) => Self::Editor,
            Some(Role::Admin) => Self::Admin,
        }
    }

    /// The prefix of this audience's cache keys.
    fn name(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Reader => "reader",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }
}

/// The cache key of a read: its audience, then its path and query.
fn key(audience: Audience, path_and_query: &str) -> String {
    format!("{} {path_and_query}", audience.name())
}

/// `Cache-Control` of answers computed for a token or a session.
const PRIVATE: HeaderValue = HeaderValue::from_static("private, no-store");

/// Whether the request carries a token or a cookie (a session), so its answer is private.
fn is_personal(request: &Request) -> bool {
    let headers = request.headers();
    headers.contains_key(header::AUTHORIZATION) || headers.contains_key(header::COOKIE)
}

/// Marks `response` private when it was computed for a token or a session.
fn mark(mut response: Response, personal: bool) -> Response {
    if personal {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, PRIVATE);
    }
    response
}

/// At most this many answers are kept; when full, the cache starts over.
const CAPACITY: usize = 4096;
/// At most this many bytes of answers are kept; when full, the cache starts over.
const BUDGET: usize = 64 * 1024 * 1024;
/// Larger answers (whole long pages) are not kept.
const LARGEST: usize = 1024 * 1024;

#[derive(Debug, Clone)]
struct Entry {
    generation: u64,
    /// The page the answer is about (normalised title), if it is about one page only.
    page: Option<String>,
    body: Bytes,
    etag: Option<HeaderValue>,
}

impl Entry {
    /// Whether nothing the answer shows changed since it was made.
    fn is_fresh(&self, db: &Db) -> bool {
        match &self.page {
            Some(title) => db.is_fresh([title.as_str()], self.generation),
            None => db.generation() == self.generation,
        }
    }
}

/// The page an API path is about (`/pages/{title}` and what is under it), normalised; `None`
/// for every other path (listings, revisions by id, diffs, search).
pub(crate) fn page_of(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/api").unwrap_or(path);
    let segment = rest.strip_prefix("/pages/")?.split('/').next()?;
    let raw = percent_encoding::percent_decode_str(segment)
        .decode_utf8()
        .ok()?;
    Title::new(&raw).ok().map(|title| title.as_str().to_owned())
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
    fn get(&self, key: &str, db: &Db) -> Option<Entry> {
        let entries = self.entries.read().ok()?;
        entries.map.get(key).filter(|e| e.is_fresh(db)).cloned()
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

/// Middleware: checks the bearer token (if any) first, answers a `GET` from its audience's
/// cache when it can, keeps successful answers that are the same for that whole audience, and
/// marks answers computed for a token or a session private.
pub(crate) async fn cached(
    State(state): State<ApiState>,
    request: Request,
    next: Next,
) -> Response {
    let personal = is_personal(&request);
    if request.method() != Method::GET {
        return mark(next.run(request).await, personal);
    }
    let (mut parts, body) = request.into_parts();
    let user = if parts.headers.contains_key(header::AUTHORIZATION) {
        match ApiUser::from_request_parts(&mut parts, &state.app).await {
            Ok(user) => {
                // The handlers' extractors find it here and do not look the token up again.
                parts.extensions.insert(user.clone());
                Some(user)
            }
            Err(rejection) => return mark(rejection.into_response(), personal),
        }
    } else {
        None
    };
    let audience = Audience::of(user.as_deref());
    let request = Request::from_parts(parts, body);
    // Read before the handler runs: an answer computed while a write lands is kept under the
    // older generation, which that write has already made stale.
    let db = state.app.db();
    let generation = db.generation();
    let key = key(
        audience,
        request.uri().path_and_query().map_or("", |p| p.as_str()),
    );
    let page = page_of(request.uri().path());
    if let Some(entry) = state.cache.get(&key, db) {
        return mark(json_response(entry), personal);
    }
    let response = mark(next.run(request).await, personal);
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
            page,
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
            page: None,
            body: Bytes::from_static(body.as_bytes()),
            etag: None,
        }
    }

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("cache.db")).unwrap();
        (dir, db)
    }

    /// A write on `db` that says it changed `titles`.
    fn change(db: &Db, titles: &[&str]) {
        let titles: Vec<String> = titles.iter().map(|t| (*t).to_owned()).collect();
        db.write_blocking(move |_| {
            crate::store::changes::pages(titles);
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn the_page_of_a_path_is_its_normalised_title() {
        assert_eq!(
            page_of("/api/pages/ada_Lovelace").as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(
            page_of("/pages/Ada%20Lovelace/sections/s1").as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(page_of("/api/pages").as_deref(), None);
        assert_eq!(page_of("/api/revisions/3").as_deref(), None);
        assert_eq!(page_of("/api/pages/%FF").as_deref(), None);
    }

    #[test]
    fn a_page_answer_lasts_until_its_page_changes_and_a_listing_until_anything_does() {
        let (_dir, db) = db();
        let about_ada = Entry {
            page: Some("Ada".to_owned()),
            ..entry(db.generation(), "{}")
        };
        let listing = entry(db.generation(), "[]");
        change(&db, &["Alan"]);
        assert!(about_ada.is_fresh(&db), "another page changed");
        assert!(!listing.is_fresh(&db), "listings show every page");
        change(&db, &["Ada"]);
        assert!(!about_ada.is_fresh(&db));
    }

    #[test]
    fn each_audience_has_its_own_keys() {
        let audiences = [
            Audience::Anonymous,
            Audience::Reader,
            Audience::Editor,
            Audience::Admin,
        ];
        let keys: std::collections::HashSet<String> = audiences
            .iter()
            .map(|a| key(*a, "/api/pages/Ada/revisions"))
            .collect();
        assert_eq!(keys.len(), audiences.len());
    }

    #[test]
    fn an_answer_is_found_by_its_key_while_fresh() {
        let (_dir, db) = db();
        let cache = JsonCache::default();
        cache.put("/api/search?q=x", entry(db.generation(), "{}"));
        assert!(cache.get("/api/search?q=x", &db).is_some());
        assert!(cache.get("/api/search?q=y", &db).is_none());
        change(&db, &[]);
        assert!(cache.get("/api/search?q=x", &db).is_none());
    }

    #[test]
    fn a_full_cache_starts_over_and_counts_its_bytes() {
        let cache = JsonCache::default();
        for i in 0..CAPACITY {
            cache.put(&i.to_string(), entry(1, "x"));
        }
        cache.put("one more", entry(1, "y"));
        let entries = cache.entries.read().unwrap();
        assert!(!entries.map.contains_key("0"));
        assert!(entries.map.contains_key("one more"));
        drop(entries);
        cache.put("one more", entry(2, "zz"));
        let bytes = cache.entries.read().unwrap().bytes;
        assert_eq!(bytes, "one more".len() + 2);
    }
}
