//! Reading a page: its latest revision, parsed, with the existence of what it links to.

use std::collections::HashSet;

use crate::doc::Document;
use crate::markup;
use crate::store::{Db, PageRevision, pages};

use super::{Title, WikiError};

/// A page ready to show.
#[derive(Debug, Clone)]
pub struct PageView {
    /// The revision shown.
    pub page: PageRevision,
    /// Its parsed markup.
    pub doc: Document,
    /// The normalised titles of the linked pages that exist.
    pub existing_links: HashSet<String>,
}

impl PageView {
    /// Whether a link target (as written in markup) is an existing page.
    pub fn link_exists(&self, target: &str) -> bool {
        Title::new(target).is_ok_and(|t| self.existing_links.contains(t.as_str()))
    }
}

/// The latest revision of `title`, parsed; `None` if there is no such page.
pub async fn read_page(db: &Db, title: &Title) -> Result<Option<PageView>, WikiError> {
    let title = title.as_str().to_owned();
    let view = db
        .read(move |conn| {
            let Some(page) = pages::latest(conn, &title)? else {
                return Ok(None);
            };
            let doc = markup::parse(&page.text);
            let targets: Vec<String> = doc
                .links
                .links
                .iter()
                .filter_map(|t| Title::new(t).ok())
                .map(|t| t.as_str().to_owned())
                .collect();
            let existing_links = pages::existing(conn, &targets)?.into_iter().collect();
            Ok(Some(PageView {
                page,
                doc,
                existing_links,
            }))
        })
        .await?;
    Ok(view)
}
