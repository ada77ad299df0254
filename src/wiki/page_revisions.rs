//! A window of a page's revisions, paged both ways (MediaWiki's REST history: `older_than`,
//! `newer_than`), newest first, with whether there are more on either side.

use crate::store::{Connection, Db, RevisionMeta, revisions};

use super::WikiError;
use super::moderation;
use super::save::{live_page, no_live_page};
use super::title::Title;

/// Where a window of revisions starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevisionsFrom {
    /// The latest revisions.
    Latest,
    /// Revisions older than this id.
    OlderThan(i64),
    /// Revisions newer than this id (the oldest of them first, shown newest first).
    NewerThan(i64),
}

/// One revision of a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRevision {
    /// Who, when, why, how big (the summary is empty when hidden from the reader).
    pub meta: RevisionMeta,
    /// Whether the revision is hidden.
    pub hidden: bool,
}

/// A window of a page's revisions, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionWindow {
    /// The page's id.
    pub page_id: i64,
    /// The revisions shown.
    pub revisions: Vec<ListedRevision>,
    /// Whether older revisions than the last shown exist.
    pub has_older: bool,
    /// Whether newer revisions than the first shown exist.
    pub has_newer: bool,
}

/// Up to `limit` revisions of the live page `title` from `from`, newest first. The summaries of
/// hidden revisions are left out unless `see_hidden` (admins).
pub async fn page_revisions(
    db: &Db,
    title: &Title,
    from: RevisionsFrom,
    limit: usize,
    see_hidden: bool,
) -> Result<RevisionWindow, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| Ok(window(conn, &title, from, limit, see_hidden)))
        .await?
}

fn window(
    conn: &Connection,
    title: &str,
    from: RevisionsFrom,
    limit: usize,
    see_hidden: bool,
) -> Result<RevisionWindow, WikiError> {
    let page = live_page(conn, title)?.ok_or_else(|| no_live_page(conn, title))?;
    let (metas, has_older, has_newer) = match from {
        RevisionsFrom::Latest | RevisionsFrom::OlderThan(_) => {
            let before = match from {
                RevisionsFrom::OlderThan(id) => Some(id),
                _ => None,
            };
            let mut metas = revisions::history(conn, page.id, limit + 1, before)?;
            let has_older = metas.len() > limit;
            metas.truncate(limit);
            let has_newer = match metas.first() {
                Some(first) => !revisions::history_newer(conn, page.id, 1, first.id)?.is_empty(),
                None => before.is_some(),
            };
            (metas, has_older, has_newer)
        }
        RevisionsFrom::NewerThan(after) => {
            let mut metas = revisions::history_newer(conn, page.id, limit + 1, after)?;
            let has_newer = metas.len() > limit;
            metas.truncate(limit);
            metas.reverse();
            let has_older = match metas.last() {
                Some(last) => !revisions::history(conn, page.id, 1, Some(last.id))?.is_empty(),
                None => true,
            };
            (metas, has_older, has_newer)
        }
    };
    let ids: Vec<i64> = metas.iter().map(|m| m.id).collect();
    let hidden = moderation::hidden_among(conn, &ids)?;
    let revisions = metas
        .into_iter()
        .map(|mut meta| {
            let hidden = hidden.contains(&meta.id);
            if hidden && !see_hidden {
                meta.summary.clear();
            }
            ListedRevision { meta, hidden }
        })
        .collect();
    Ok(RevisionWindow {
        page_id: page.id,
        revisions,
        has_older,
        has_newer,
    })
}
