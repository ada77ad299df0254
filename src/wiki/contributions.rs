//! Contributions (issue 15): what one author name wrote, across pages, and which authors have
//! a `User:` page.

use std::collections::HashSet;

use super::read::{HistoryEntry, redact};
use super::{Title, WikiError};
use crate::store::{Db, moderation, pages, revisions};

/// The longest author name looked up, in bytes (account names are shorter).
pub const MAX_AUTHOR_BYTES: usize = 255;

/// An author's revisions of live pages, newest first, older than `before` (a revision id: the
/// cursor): an account's, else those imported under that author name (an imported author
/// without an account). `None` when no author has this name: tried as given, then with `_`
/// read as a space (as author names appear in URLs). Hidden revisions come without their
/// summary.
pub async fn contributions(
    db: &Db,
    author: &str,
    limit: usize,
    before: Option<i64>,
) -> Result<Option<(String, Vec<HistoryEntry>)>, WikiError> {
    if author.is_empty() || author.len() > MAX_AUTHOR_BYTES {
        return Ok(None);
    }
    let author = author.to_owned();
    let found = db
        .read(move |conn| {
            Ok((|| {
                let spaced = author.replace('_', " ");
                let mut found = None;
                for name in [author.as_str(), spaced.as_str()] {
                    if let Some(id) = pages::user_id(conn, name)? {
                        found = Some((name.to_owned(), Some(id)));
                        break;
                    }
                }
                // An imported author without an account here: their revisions name them.
                if found.is_none() {
                    for name in [author.as_str(), spaced.as_str()] {
                        if revisions::has_author_name(conn, name)? {
                            found = Some((name.to_owned(), None));
                            break;
                        }
                    }
                }
                let Some((name, id)) = found else {
                    return Ok::<_, WikiError>(None);
                };
                let author = match id {
                    Some(id) => revisions::Author::Account(id),
                    None => revisions::Author::Imported(&name),
                };
                let metas = revisions::by_author(conn, author, limit, before)?;
                let ids: Vec<i64> = metas.iter().map(|m| m.id).collect();
                let hidden = moderation::hidden_among(conn, &ids)?;
                Ok(Some((name, metas, hidden)))
            })())
        })
        .await??;
    Ok(found.map(|(name, metas, hidden)| {
        let entries = metas
            .into_iter()
            .map(|meta| {
                let mut entry = HistoryEntry {
                    size_delta: meta.size - meta.parent_size,
                    changed_sections: Vec::new(),
                    removed_sections: Vec::new(),
                    hidden: hidden.contains(&meta.id),
                    revision: meta,
                };
                if entry.hidden {
                    redact(&mut entry);
                }
                entry
            })
            .collect();
        (name, entries)
    }))
}

/// The `User:` page title of an author name, if the name makes a title.
pub fn user_page(author: &str) -> Option<Title> {
    Title::new(&format!("User:{author}")).ok()
}

/// Which of `authors` have a live `User:` page, by author name.
pub async fn with_user_pages<'a>(
    db: &Db,
    authors: impl IntoIterator<Item = &'a str>,
) -> Result<HashSet<String>, WikiError> {
    let mut asked: Vec<(String, String)> = Vec::new();
    for author in authors {
        if asked.iter().any(|(name, _)| name == author) {
            continue;
        }
        if let Some(title) = user_page(author) {
            asked.push((author.to_owned(), title.as_str().to_owned()));
        }
    }
    if asked.is_empty() {
        return Ok(HashSet::new());
    }
    let titles: Vec<String> = asked.iter().map(|(_, title)| title.clone()).collect();
    let live: HashSet<String> = db
        .read(move |conn| pages::existing(conn, &titles))
        .await?
        .into_iter()
        .collect();
    Ok(asked
        .into_iter()
        .filter(|(_, title)| live.contains(title))
        .map(|(name, _)| name)
        .collect())
}
