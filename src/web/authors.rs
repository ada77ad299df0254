//! Which authors on a page have a `User:` page, so every author name links the same way
//! ([`views::authors::link`](crate::render::views::authors::link)).

use std::collections::HashSet;

use super::WebError;
use crate::render::views::authors::Author;
use crate::store::Db;
use crate::wiki;

/// The author names among those shown whose `User:` page exists.
#[derive(Debug, Default)]
pub(super) struct UserPages(HashSet<String>);

impl UserPages {
    /// Looks the `User:` pages of `names` up (one query per distinct name).
    pub(super) async fn of<'a>(
        db: &Db,
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, WebError> {
        Ok(Self(wiki::contributions::with_user_pages(db, names).await?))
    }

    /// `name` as the views show an author.
    pub(super) fn author<'a>(&self, name: &'a str) -> Author<'a> {
        Author {
            name,
            user_page: self.0.contains(name),
        }
    }
}
