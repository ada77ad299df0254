//! Purges of the caches in front (issue 20): after every change readers see, an HTTP `PURGE`
//! of each URL it affects to each configured cache (`serve --purge-url`), and the same again
//! after a short delay (`--purge-rebound`: a copy fetched from a lagging replica, or by a
//! request already in flight, while the first purge landed, is dropped too, as MediaWiki does).
//!
//! It listens to the database's announcements ([`Db::announcements`]), so it runs after the
//! commit and never in a request: a cache that is down or slow costs a logged warning, never
//! an edit. A change the database cannot name (a write that did not say, another process's
//! import) purges everything: one `PURGE /` with `X-Purge-All: yes`, which the Varnish
//! configuration (`deploy/varnish.vcl`) turns into a ban of the whole site.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderValue, Method, Request, header};
use http_body_util::Empty;
use tokio::sync::broadcast::error::RecvError;

use super::upstream::{self, HttpTarget};
use crate::store::Db;
use crate::store::changes::Changed;
use crate::wiki::Title;

/// The rebound delay when none is configured.
pub const DEFAULT_PURGE_REBOUND: Duration = Duration::from_secs(5);
/// How long one purge may take (connecting, sending, hearing the answer).
const TIMEOUT: Duration = Duration::from_secs(5);
/// A change of more pages than this purges everything instead (an import, a mass revert).
const MOST_PAGES: usize = 200;

/// Errors of purge settings.
#[derive(Debug, thiserror::Error)]
pub enum PurgeUrlError {
    /// Not an `http://host[:port][/prefix]` URL.
    #[error("a purge URL is http://HOST[:PORT][/PREFIX], not {0:?}")]
    Invalid(String),
}

/// One cache to purge: where to connect, and the path its URLs start with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeTarget(HttpTarget);

impl PurgeTarget {
    /// Reads `http://host[:port][/prefix]` (a Varnish listening locally, say).
    pub fn parse(url: &str) -> Result<Self, PurgeUrlError> {
        HttpTarget::parse(url)
            .map(Self)
            .ok_or_else(|| PurgeUrlError::Invalid(url.to_owned()))
    }
}

/// What to purge: some URLs, or everything.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Purge {
    Urls(Vec<String>),
    Everything,
}

/// Listings that show every page (and so change with any of them).
const LISTINGS: [&str; 10] = [
    "/",
    "/recent",
    "/recent.atom",
    "/pages",
    "/people",
    "/timeline",
    "/api/pages",
    "/api/recent",
    "/api/people",
    "/api/timeline",
];

/// The views and API reads of one page (by its URL segment).
const PAGE_PATHS: [&str; 13] = [
    "/wiki/{}",
    "/wiki/{}/history",
    "/wiki/{}/feed",
    "/wiki/{}/links",
    "/wiki/{}/info",
    "/wiki/{}/timeline",
    "/api/pages/{}",
    "/api/pages/{}/sections",
    "/api/pages/{}/revisions",
    "/api/pages/{}/links",
    "/api/pages/{}/backlinks",
    "/api/pages/{}/facts",
    "/api/pages/{}/timeline",
];

/// The URLs a change affects: for each page it changed (the page saved, the pages whose links
/// to it change colour, the categories it joined or left, as the save noted), its views and
/// API reads; and every listing.
fn affected(changed: &Changed) -> Option<Purge> {
    match changed {
        Changed::Nothing => None,
        Changed::Unknown => Some(Purge::Everything),
        Changed::Pages(titles) if titles.len() > MOST_PAGES => Some(Purge::Everything),
        Changed::Pages(titles) => {
            let mut urls: Vec<String> = Vec::new();
            for title in titles.iter().filter_map(|t| Title::new(t).ok()) {
                let segment = title.url_segment();
                urls.extend(PAGE_PATHS.iter().map(|p| p.replace("{}", &segment)));
            }
            urls.extend(LISTINGS.iter().map(|l| (*l).to_owned()));
            Some(Purge::Urls(urls))
        }
    }
}

/// Starts purging `targets` after every change of `db`, with `host` as the `Host` of the
/// purges (the site's public name, under which the caches keep its pages). Runs until the
/// runtime ends.
pub fn spawn(db: &Db, targets: Vec<PurgeTarget>, rebound: Duration, host: String) {
    if targets.is_empty() {
        return;
    }
    let mut announcements = db.announcements();
    tokio::spawn(async move {
        loop {
            let purge = match announcements.recv().await {
                Ok(changed) => affected(&changed),
                Err(RecvError::Lagged(_)) => Some(Purge::Everything),
                Err(RecvError::Closed) => return,
            };
            let Some(purge) = purge else { continue };
            let (targets, host) = (targets.clone(), host.clone());
            tokio::spawn(async move {
                send_all(&targets, &purge, &host).await;
                tokio::time::sleep(rebound).await;
                send_all(&targets, &purge, &host).await;
            });
        }
    });
}

async fn send_all(targets: &[PurgeTarget], purge: &Purge, host: &str) {
    for target in targets {
        let result = match purge {
            Purge::Everything => send(target, "/", host, true).await,
            Purge::Urls(urls) => {
                let mut result = Ok(());
                for url in urls {
                    result = send(target, url, host, false).await;
                    if result.is_err() {
                        break;
                    }
                }
                result
            }
        };
        if let Err(e) = result {
            tracing::warn!(cache = %target.0.address, "cannot purge: {e}");
        }
    }
}

/// Sends one `PURGE` of `path` and waits for its answer (any status: a cache that did not
/// hold the URL may say 404).
async fn send(
    target: &PurgeTarget,
    path: &str,
    host: &str,
    everything: bool,
) -> Result<(), String> {
    let request = Request::builder()
        .method(Method::from_bytes(b"PURGE").map_err(|e| e.to_string())?)
        .uri(format!("{}{path}", target.0.prefix))
        .header(header::HOST, host);
    let request = if everything {
        request.header("x-purge-all", HeaderValue::from_static("yes"))
    } else {
        request
    };
    let request = request
        .body(Empty::<Bytes>::new())
        .map_err(|e| e.to_string())?;
    upstream::exchange(&target.0, request, TIMEOUT, |_| async { Ok(()) }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_urls_are_plain_http_with_an_optional_prefix() {
        let target = PurgeTarget::parse("http://127.0.0.1:6081/").unwrap();
        assert_eq!(target.0.address, "127.0.0.1:6081");
        assert_eq!(target.0.prefix, "");
        let target = PurgeTarget::parse("http://cache/wiki-site").unwrap();
        assert_eq!(target.0.address, "cache:80");
        assert_eq!(target.0.prefix, "/wiki-site");
        assert!(PurgeTarget::parse("https://cache").is_err());
        assert!(PurgeTarget::parse("cache:80").is_err());
        assert!(PurgeTarget::parse("http://cache/?all").is_err());
    }

    #[test]
    fn a_change_of_pages_purges_their_views_and_every_listing() {
        let changed = Changed::Pages(["Ada Lovelace".to_owned()].into());
        let Some(Purge::Urls(urls)) = affected(&changed) else {
            panic!("urls");
        };
        assert!(urls.contains(&"/wiki/Ada_Lovelace".to_owned()));
        assert!(urls.contains(&"/api/pages/Ada_Lovelace/revisions".to_owned()));
        assert!(urls.contains(&"/recent.atom".to_owned()));
        assert_eq!(affected(&Changed::Nothing), None);
        assert_eq!(affected(&Changed::Unknown), Some(Purge::Everything));
    }
}
