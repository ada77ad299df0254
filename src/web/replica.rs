//! Read replicas (issue 20, `serve --replica-of URL`): a read-only Plutarch over a database
//! Litestream keeps current (see [`store::replica`](crate::store::replica) for the file).
//!
//! - Writes belong to the primary: any request that is not a GET or HEAD, and the forms whose
//!   answers lead to one (sign-in, edit, move, delete), get a 307 to the same path and query
//!   on the primary ([`route`]).
//! - Read your writes: after a write, the primary sets a short cookie naming its newest
//!   revision and audit-log event ([`REVISION_COOKIE`], [`mark_writes`],
//!   [`WriteMarks`](store::revisions::WriteMarks): a deletion or a protection makes no revision
//!   but is logged); a replica that does not hold both yet sends the request to the primary
//!   too, so an editor always sees what they did.
//! - The caches follow the replication: a watch ([`spawn`]) looks at the file every
//!   [`WATCH_EVERY`] and, when it changed, marks everything changed, so no page rendered from
//!   the old data is served once the new data is there.
//! - Lag: a task asks the primary for its newest revision (`/healthz?revision`,
//!   [`primary_health`]) every [`LAG_EVERY`]; the lag is how long ago the replica was last
//!   known to hold everything the primary held ([`Lag`]).
//!   `/healthz` reads it from memory and answers 503 past `--max-lag` ([`health`]).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Empty};
use serde::Serialize;

use super::AppState;
use super::session::{cookie, set_cookie};
use super::upstream::{self, HttpTarget};
use crate::store::revisions::WriteMarks;
use crate::store::{self, Db};

/// The cookie naming the newest revision and audit-log event after a write (`REVISION.EVENT`;
/// a bare `REVISION` from an older primary is read with event 0): a replica without them sends
/// the reader to the primary.
pub const REVISION_COOKIE: &str = "plutarch_rev";
/// How long the cookie lives: longer than a healthy replica's lag, short enough that the
/// editor's reads soon go back to the replicas (and their caches).
pub const REVISION_COOKIE_SECONDS: i64 = 10;
/// How often the replica looks for changes of its file.
pub const WATCH_EVERY: Duration = Duration::from_millis(100);
/// The query of `/healthz` that asks a primary for its newest revision.
pub const REVISION_QUERY: &str = "revision";
/// How often the replica asks the primary for its newest revision.
pub const LAG_EVERY: Duration = Duration::from_millis(250);
/// How long one question to the primary may take.
const ASK_TIMEOUT: Duration = Duration::from_secs(2);
/// The most primary answers kept while the replica is behind (past it, newer answers are
/// dropped, which can only make the lag look longer).
const MOST_POLLS: usize = 4096;

/// Errors of `--replica-of`.
#[derive(Debug, thiserror::Error)]
pub enum PrimaryUrlError {
    /// Not an `http://host[:port][/prefix]` URL.
    #[error("--replica-of takes the primary's http://HOST[:PORT][/PREFIX], not {0:?}")]
    Invalid(String),
}

/// The primary a replica follows: where clients are sent for writes, and where the lag task
/// asks (cheap to clone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimaryUrl(std::sync::Arc<Primary>);

#[derive(Debug, PartialEq, Eq)]
struct Primary {
    /// Where it is.
    target: HttpTarget,
    /// `http://host:port/prefix`, without a trailing slash: the start of every redirect.
    origin: String,
}

impl PrimaryUrl {
    /// Reads `http://host[:port][/prefix]`.
    pub fn parse(url: &str) -> Result<Self, PrimaryUrlError> {
        let target =
            HttpTarget::parse(url).ok_or_else(|| PrimaryUrlError::Invalid(url.to_owned()))?;
        let origin = target.origin();
        Ok(Self(std::sync::Arc::new(Primary { target, origin })))
    }

    /// The primary's URL for the request `uri` (same path and query).
    fn same_on_primary(&self, uri: &Uri) -> String {
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        format!("{}{path}", self.0.origin)
    }
}

impl std::fmt::Display for PrimaryUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.origin)
    }
}

/// How a replica is run (`serve --replica-of`, `--max-lag`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaOf {
    /// The primary.
    pub primary: PrimaryUrl,
    /// Past this lag, `/healthz` answers 503.
    pub max_lag: Duration,
}

/// What a replica knows, in memory (never read from the database by `/healthz`).
#[derive(Debug)]
pub(super) struct Replica {
    of: ReplicaOf,
    /// The newest revision in the replica's database, as last read (it only grows).
    latest: AtomicI64,
    /// The newest audit-log event in the replica's database, as last read (it only grows).
    latest_event: AtomicI64,
    lag: Mutex<Lag>,
}

impl Replica {
    pub(super) fn new(of: ReplicaOf) -> Self {
        Self {
            of,
            latest: AtomicI64::new(0),
            latest_event: AtomicI64::new(0),
            lag: Mutex::new(Lag::new(Instant::now())),
        }
    }

    /// What the replica holds, as last read.
    fn holds(&self) -> WriteMarks {
        WriteMarks {
            revision: self.latest.load(Ordering::Acquire),
            event: self.latest_event.load(Ordering::Acquire),
        }
    }

    fn lag(&self) -> std::sync::MutexGuard<'_, Lag> {
        self.lag
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The lag: the replica was known to hold everything the primary held when the newest
/// primary answer naming a revision it has was asked for. Until then (and while the primary
/// does not answer), the lag grows.
#[derive(Debug)]
pub(super) struct Lag {
    /// When the replica last held everything the primary held (at start: the start).
    caught_up_at: Instant,
    /// Primary answers newer than that: when asked, and the primary's newest revision.
    polls: VecDeque<(Instant, i64)>,
    /// The primary's newest revision at its last answer.
    primary_latest: Option<i64>,
    /// Why the last question to the primary failed, if it did.
    primary_error: Option<String>,
    /// Whether the replica has read its own newest revision yet: until then it cannot say it
    /// holds what the primary holds, however early the primary answered.
    read_own: bool,
}

impl Lag {
    fn new(start: Instant) -> Self {
        Self {
            caught_up_at: start,
            polls: VecDeque::new(),
            primary_latest: None,
            primary_error: None,
            read_own: false,
        }
    }

    /// The primary said, when asked at `asked`, that its newest revision is `primary_latest`.
    fn answered(&mut self, asked: Instant, primary_latest: i64) {
        self.primary_latest = Some(primary_latest);
        self.primary_error = None;
        if self.polls.len() < MOST_POLLS {
            self.polls.push_back((asked, primary_latest));
        }
    }

    /// The replica now holds every revision up to `replica_latest`.
    fn holds(&mut self, replica_latest: i64) {
        while let Some(&(asked, primary_latest)) = self.polls.front() {
            if primary_latest > replica_latest {
                break;
            }
            self.caught_up_at = self.caught_up_at.max(asked);
            self.polls.pop_front();
        }
    }

    fn at(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.caught_up_at)
    }
}

/// Starts a replica's background work: the change watch and the lag task. Nothing on a
/// primary. Runs until the runtime ends.
pub fn spawn(state: &AppState) {
    let Some(replica) = state.replica() else {
        return;
    };
    let (db, watched) = (state.db().clone(), std::sync::Arc::clone(replica));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(WATCH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut first = true;
        loop {
            tick.tick().await;
            match db.check_replication().await {
                Ok(changed) if changed || first => {
                    if refresh_latest(&db, &watched).await {
                        first = false;
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("cannot look at the replica's database: {e}"),
            }
        }
    });
    let asking = std::sync::Arc::clone(replica);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(LAG_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let asked = Instant::now();
            match ask_primary(&asking.of.primary).await {
                Ok(primary_latest) => asking.lag().answered(asked, primary_latest),
                Err(e) => {
                    tracing::debug!("cannot ask the primary for its newest revision: {e}");
                    asking.lag().primary_error = Some(e);
                }
            }
            // What the replica holds now (the watch keeps it, after marking the caches stale)
            // covers what the primary had then.
            asking.lag().holds(asking.latest.load(Ordering::Acquire));
        }
    });
}

/// Reads the replica's newest revision and event into memory; whether it could.
async fn refresh_latest(db: &Db, replica: &Replica) -> bool {
    match db.read(store::revisions::write_marks).await {
        Ok(marks) => {
            replica
                .latest_event
                .fetch_max(marks.event, Ordering::AcqRel);
            replica.latest.fetch_max(marks.revision, Ordering::AcqRel);
            let mut lag = replica.lag();
            lag.read_own = true;
            lag.holds(replica.latest.load(Ordering::Acquire));
            true
        }
        Err(e) => {
            tracing::warn!("cannot read the replica's newest revision: {e}");
            false
        }
    }
}

/// The primary's newest revision: `GET /healthz?revision` (0 when it has none). Unlike an API
/// read, it needs no token on a wiki only users may read, and no rate limit counts it.
async fn ask_primary(primary: &PrimaryUrl) -> Result<i64, String> {
    let target = &primary.0.target;
    let request = axum::http::Request::builder()
        .uri(format!("{}/healthz?{REVISION_QUERY}", target.prefix))
        .header(header::HOST, &target.authority)
        .header(header::ACCEPT, "application/json")
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    upstream::exchange(target, request, ASK_TIMEOUT, |response| async move {
        if response.status() != StatusCode::OK {
            return Err(format!("the primary answered {}", response.status()));
        }
        let body = http_body_util::Limited::new(response.into_body(), 1 << 20)
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        newest_revision(&body)
    })
    .await
}

/// The newest revision in a primary's [`PrimaryHealth`] answer.
fn newest_revision(body: &[u8]) -> Result<i64, String> {
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    json.get("latest_revision")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| "no latest_revision in the primary's answer".to_owned())
}

/// GET forms whose answers lead to a write (their POSTs go to the primary, and the sign-in
/// form's CSRF token is the answering server's own).
fn is_write_form(path: &str) -> bool {
    path == "/login"
        || (path.starts_with("/wiki/")
            && ["/edit", "/move", "/delete"]
                .iter()
                .any(|action| path.ends_with(action)))
}

fn to_primary(primary: &PrimaryUrl, uri: &Uri) -> Response {
    let location = primary.same_on_primary(uri);
    match HeaderValue::from_str(&location) {
        Ok(location) => (
            StatusCode::TEMPORARY_REDIRECT,
            [
                (header::LOCATION, location),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// Middleware on a replica: writes, write forms, and reads by someone who just saved a
/// revision this replica does not hold yet go to the primary (307: same method, same body).
pub(super) async fn route(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(replica) = state.replica() else {
        return next.run(request).await;
    };
    let method = request.method();
    let read = method == Method::GET || method == Method::HEAD;
    let path = request.uri().path();
    if path == "/healthz" && read {
        return next.run(request).await;
    }
    if !read || is_write_form(path) {
        return to_primary(&replica.of.primary, request.uri());
    }
    let wanted = cookie(request.headers(), REVISION_COOKIE).and_then(parse_marks);
    if wanted.is_some_and(|wanted| !replica.holds().covers(&wanted)) {
        return to_primary(&replica.of.primary, request.uri());
    }
    next.run(request).await
}

/// [`REVISION_COOKIE`]'s value: `REVISION.EVENT`, or a bare `REVISION`.
fn parse_marks(value: &str) -> Option<WriteMarks> {
    let (revision, event) = value.split_once('.').unwrap_or((value, "0"));
    Some(WriteMarks {
        revision: revision.parse().ok()?,
        event: event.parse().ok()?,
    })
}

/// Middleware on a primary: after a request that changed what readers see (a save, a revert,
/// a deletion, a protection, an API write), the answer sets [`REVISION_COOKIE`] to the newest
/// revision and event, so that the replicas send this client's next reads here until they
/// hold them.
pub(super) async fn mark_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    if state.replica().is_some() || method == Method::GET || method == Method::HEAD {
        return next.run(request).await;
    }
    let before = state.db().generation();
    let mut response = next.run(request).await;
    let wrote = state.db().generation() != before;
    if wrote && !response.status().is_client_error() && !response.status().is_server_error() {
        // Read after the write's commit: at least the revision it wrote (perhaps a newer one
        // of someone else, which only makes replicas wait a little longer).
        if let Ok(marks) = state.db().read(store::revisions::write_marks).await {
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(
                    REVISION_COOKIE,
                    &format!("{}.{}", marks.revision, marks.event),
                    REVISION_COOKIE_SECONDS,
                    state.settings().secure_cookies,
                ),
            );
        }
    }
    response
}

/// A primary's `/healthz?revision` answer.
#[derive(Debug, Serialize)]
struct PrimaryHealth {
    status: &'static str,
    role: &'static str,
    latest_revision: i64,
}

/// `GET /healthz?revision` on a primary: its newest revision (one indexed read), never cached;
/// 503 when the database cannot answer.
pub(super) async fn primary_health(state: &AppState) -> Response {
    match state.db().read(store::revisions::latest_id).await {
        Ok(latest_revision) => (
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(PrimaryHealth {
                status: "ok",
                role: "primary",
                latest_revision,
            }),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!("/healthz?revision: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CACHE_CONTROL, "no-store")],
                "the database cannot answer",
            )
                .into_response()
        }
    }
}

/// A replica's `/healthz` answer.
#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
    role: &'static str,
    primary: String,
    lag_ms: u128,
    max_lag_ms: u128,
    latest_revision: i64,
    primary_revision: Option<i64>,
    primary_error: Option<String>,
}

/// `GET /healthz` on a replica, from memory: 200 once the primary answered and while the lag
/// is at most `--max-lag`, else 503, with the figures as JSON.
pub(super) fn health(replica: &Replica) -> Response {
    let lag = replica.lag();
    let lag_now = lag.at(Instant::now());
    // Not before the primary answered once and the replica read its own newest revision:
    // until then nothing says the replica is current.
    let healthy = lag.read_own && lag.primary_latest.is_some() && lag_now <= replica.of.max_lag;
    let body = Health {
        status: if healthy { "ok" } else { "lagging" },
        role: "replica",
        primary: replica.of.primary.to_string(),
        lag_ms: lag_now.as_millis(),
        max_lag_ms: replica.of.max_lag.as_millis(),
        latest_revision: replica.latest.load(Ordering::Acquire),
        primary_revision: lag.primary_latest,
        primary_error: lag.primary_error.clone(),
    };
    drop(lag);
    let status = if healthy {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        axum::Json(body),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_url_is_plain_http_and_redirects_keep_path_and_query() {
        let primary = PrimaryUrl::parse("http://127.0.0.1:18201/").expect("url");
        assert_eq!(primary.0.target.address, "127.0.0.1:18201");
        let uri: Uri = "/wiki/Ada/edit?section=2".parse().expect("uri");
        assert_eq!(
            primary.same_on_primary(&uri),
            "http://127.0.0.1:18201/wiki/Ada/edit?section=2"
        );
        let prefixed = PrimaryUrl::parse("http://wiki.internal/site").expect("url");
        assert_eq!(prefixed.0.target.address, "wiki.internal:80");
        assert_eq!(
            prefixed.same_on_primary(&"/".parse().expect("uri")),
            "http://wiki.internal/site/"
        );
        for bad in ["https://x", "x:80", "http://x/?a", "http://u@x/"] {
            assert!(PrimaryUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_lag_runs_from_the_last_answer_the_replica_had_caught_up_with() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let mut lag = Lag::new(start);
        assert_eq!(lag.at(at(500)), Duration::from_millis(500), "no answer yet");
        lag.answered(at(100), 7);
        lag.holds(7);
        assert_eq!(lag.at(at(300)), Duration::from_millis(200));
        // The primary moves on; the replica follows a second later.
        lag.answered(at(1000), 9);
        lag.answered(at(1250), 10);
        lag.holds(7);
        assert_eq!(lag.at(at(2000)), Duration::from_millis(1900));
        lag.holds(9);
        assert_eq!(lag.at(at(2000)), Duration::from_millis(1000));
        lag.holds(12);
        assert_eq!(lag.at(at(2000)), Duration::from_millis(750));
        // The primary stops answering: the lag grows.
        assert_eq!(lag.at(at(60_000)), Duration::from_millis(58_750));
    }

    #[test]
    fn the_cookie_names_a_revision_and_an_event_and_older_cookies_a_revision() {
        let marks = |revision, event| WriteMarks { revision, event };
        assert_eq!(parse_marks("12.7"), Some(marks(12, 7)));
        assert_eq!(parse_marks("12"), Some(marks(12, 0)));
        for bad in ["", "x", "12.", ".7", "12.7.1", "12.x"] {
            assert_eq!(parse_marks(bad), None, "{bad}");
        }
        // A deletion after the revision: the replica must hold the event too.
        assert!(!marks(12, 6).covers(&marks(12, 7)));
        assert!(marks(13, 7).covers(&marks(12, 7)));
        assert!(!marks(11, 9).covers(&marks(12, 7)));
    }

    #[test]
    fn the_newest_revision_is_read_from_the_primarys_health() {
        assert_eq!(
            newest_revision(br#"{"status":"ok","role":"primary","latest_revision":42}"#),
            Ok(42)
        );
        assert_eq!(newest_revision(br#"{"latest_revision":0}"#), Ok(0));
        assert!(newest_revision(br#"{"changes":[]}"#).is_err());
        assert!(newest_revision(b"<html>").is_err());
    }

    #[test]
    fn write_forms_are_sent_to_the_primary() {
        assert!(is_write_form("/login"));
        assert!(is_write_form("/wiki/Ada/edit"));
        assert!(is_write_form("/wiki/Ada/move"));
        assert!(!is_write_form("/wiki/Ada"));
        assert!(!is_write_form("/wiki/Ada/history"));
    }
}
