//! Watchlists (issue 15): a signed-in user watches a page or one section of it; their
//! watchlist is the recent changes to what they watch (a section watch: only the edits that
//! changed that section), also as a private Atom feed behind a revocable token.

use super::read::{HistoryEntry, listed_changes};
use super::sections::{parse_id, public_id};
use super::{Title, WikiError, now_timestamp};
use crate::auth::secret::{random_hex, sha256_hex};
use crate::store::watches::{self, WHOLE_PAGE};
use crate::store::{Connection, Db, moderation, pages, revisions};

/// The most watches one user keeps.
pub const MAX_WATCHES: i64 = 2000;

/// A section of a page as the watch form lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchableSection {
    /// Its stable public id (`s1a`).
    pub id: String,
    /// Its heading (empty for the lead).
    pub title: String,
    /// Whether the user watches it.
    pub watched: bool,
}

/// What a user watches on one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageWatches {
    /// The page's title, as stored.
    pub title: String,
    /// Whether they watch the whole page.
    pub page: bool,
    /// The sections of its latest revision, in page order.
    pub sections: Vec<WatchableSection>,
}

/// The live page called `title`: (id, latest revision).
fn live_page(conn: &Connection, title: &str) -> Result<(i64, i64), WikiError> {
    match pages::by_title(conn, title)? {
        Some(pages::PageRow {
            id,
            latest_revision: Some(latest),
            deleted: false,
            ..
        }) => Ok((id, latest)),
        _ => Err(WikiError::PageMissing(title.to_owned())),
    }
}

/// What `user_id` watches on `title`, with every section of its latest revision.
pub async fn on_page(db: &Db, user_id: i64, title: &Title) -> Result<PageWatches, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            let (page_id, latest) = live_page(conn, &title)?;
            let watched = watches::on_page(conn, user_id, page_id)?;
            let sections = revisions::sections(conn, latest)?
                .into_iter()
                .map(|s| WatchableSection {
                    id: public_id(s.section_id),
                    title: if s.position == 0 {
                        String::new()
                    } else {
                        s.title
                    },
                    watched: watched.contains(&s.section_id),
                })
                .collect();
            Ok(PageWatches {
                title,
                page: watched.contains(&WHOLE_PAGE),
                sections,
            })
        })())
    })
    .await?
}

/// Watches (`on`) or stops watching `title`, or one of its sections (by public id); true if
/// anything changed. A section must be one of the page's; a user keeps at most
/// [`MAX_WATCHES`].
pub async fn set_watch(
    db: &Db,
    user_id: i64,
    title: &Title,
    section: Option<&str>,
    on: bool,
) -> Result<bool, WikiError> {
    let title = title.as_str().to_owned();
    let section = section.map(str::to_owned);
    db.write_private(move |conn| {
        Ok((|| {
            let (page_id, _) = live_page(conn, &title)?;
            let section_id = match &section {
                None => WHOLE_PAGE,
                Some(key) => parse_id(key)
                    .filter(|&id| revisions::section_belongs_to(conn, id, page_id).unwrap_or(false))
                    .ok_or_else(|| WikiError::SectionMissing {
                        title: title.clone(),
                        key: key.clone(),
                    })?,
            };
            if !on {
                return Ok(watches::unwatch(conn, user_id, page_id, section_id)?);
            }
            if watches::count(conn, user_id)? >= MAX_WATCHES {
                return Err(WikiError::Invalid(format!(
                    "a watchlist holds at most {MAX_WATCHES} pages and sections"
                )));
            }
            Ok(watches::watch(
                conn,
                user_id,
                page_id,
                section_id,
                &now_timestamp(),
            )?)
        })())
    })
    .await?
}

/// The changes to what `user_id` watches, newest first, older than `before` (a revision id).
/// Hidden revisions come without their summary.
pub async fn changes(
    db: &Db,
    user_id: i64,
    limit: usize,
    before: Option<i64>,
) -> Result<Vec<HistoryEntry>, WikiError> {
    let (metas, hidden) = db
        .read(move |conn| {
            let metas = watches::changes(conn, user_id, limit, before)?;
            let ids: Vec<i64> = metas.iter().map(|m| m.id).collect();
            let hidden = moderation::hidden_among(conn, &ids)?;
            Ok((metas, hidden))
        })
        .await?;
    Ok(listed_changes(metas, &hidden))
}

/// Makes a new private feed token for `user_id` (replacing any earlier one) and returns it:
/// only its SHA-256 is kept, so it is shown once.
pub async fn new_feed_token(db: &Db, user_id: i64) -> Result<String, WikiError> {
    let token = random_hex(32);
    let hash = sha256_hex(&token);
    db.write_private(move |conn| watches::set_feed_token(conn, user_id, &hash, &now_timestamp()))
        .await?;
    Ok(token)
}

/// Revokes `user_id`'s feed token; true if they had one.
pub async fn revoke_feed_token(db: &Db, user_id: i64) -> Result<bool, WikiError> {
    Ok(db
        .write_private(move |conn| watches::delete_feed_token(conn, user_id))
        .await?)
}

/// When `user_id`'s feed token was made, if they have one.
pub async fn feed_token_made(db: &Db, user_id: i64) -> Result<Option<String>, WikiError> {
    Ok(db
        .read(move |conn| watches::feed_token_made(conn, user_id))
        .await?)
}

/// Whose watchlist a feed token opens: (user id, name). Tokens are 64 hex digits; anything
/// else opens nothing without a lookup.
pub async fn feed_owner(db: &Db, token: &str) -> Result<Option<(i64, String)>, WikiError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let hash = sha256_hex(token);
    Ok(db
        .read(move |conn| watches::feed_owner(conn, &hash))
        .await?)
}
