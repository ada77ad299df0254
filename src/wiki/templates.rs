//! Templates are pages: a page's text is expanded ([`markup::expansion`]) with the latest text
//! of the `Template:` pages (and `{{:Page}}` pages) it calls before it is parsed, and what it
//! transcludes is stored (`store::transclusions`). Saving a page that others transclude
//! queues a job ([`REFRESH_KIND`]) that refreshes them: their links and categories from their
//! expanded text, what they transclude, and (through `store::changes`) their cached views.

use serde::{Deserialize, Serialize};

use crate::markup::expansion::{self, Expanded};
use crate::markup::preprocess::{Day, PageContext, Templates};
use crate::store::{
    Connection, changes, jobs as job_store, links, pages, revisions, transclusions,
};

use super::analysis::Targets;
use super::{WikiError, sections};

/// The job kind that refreshes the pages transcluding a page.
pub const REFRESH_KIND: &str = "refresh-transclusions";

/// Template texts read from the store (the latest revision of each live page).
pub(crate) struct Stored<'c> {
    conn: &'c Connection,
}

impl Templates for Stored<'_> {
    fn text(&self, title: &str) -> Option<String> {
        latest_text(self.conn, title).ok().flatten()
    }
}

/// The latest text of the live page `title`, if any.
fn latest_text(conn: &Connection, title: &str) -> Result<Option<String>, WikiError> {
    let Some(page) = pages::by_title(conn, title)? else {
        return Ok(None);
    };
    let Some(revision) = page.latest_revision.filter(|_| !page.deleted) else {
        return Ok(None);
    };
    Ok(Some(sections::full_text(&revisions::sections(
        conn, revision,
    )?)))
}

/// The text of page `title` expanded with the stored templates, as of today.
pub(crate) fn expand(conn: &Connection, title: &str, text: &str) -> Expanded {
    let context = PageContext {
        title,
        today: Day::today(),
    };
    expansion::expand(text, &Stored { conn }, context)
}

/// Stores what page `page_id` (`title`, latest text `text`) transcludes and, when templates
/// changed its text or `own_links_current` is false, the links and categories of the expanded
/// text (a save has just written those of its own text: `own_links_current`). Notes the pages
/// whose views changed.
pub(crate) fn index(
    tx: &Connection,
    page_id: i64,
    title: &str,
    text: &str,
    own_links_current: bool,
) -> Result<(), WikiError> {
    let expanded = expand(tx, title, text);
    let used: Vec<String> = expanded.used().pages.iter().cloned().collect();
    transclusions::replace(tx, page_id, &used)?;
    if own_links_current && expanded.text() == text {
        return Ok(());
    }
    let doc = expanded.document();
    let targets = Targets::from_links(&doc.links);
    let categories = targets.categories_sorted_as(title);
    let retargeted = links::replace(tx, page_id, &targets.links, &categories, &targets.templates)?;
    let mut touched = vec![title.to_owned()];
    touched.extend(retargeted.links.iter().cloned());
    touched.extend(
        retargeted
            .categories
            .iter()
            .map(|name| format!("Category:{name}")),
    );
    changes::pages(touched);
    Ok(())
}

/// After a save of `title`: queues a refresh of the pages transcluding it, if there are any.
pub(crate) fn on_save(tx: &Connection, title: &str) -> Result<(), WikiError> {
    if transclusions::user_count(tx, title)? == 0 {
        return Ok(());
    }
    let payload = Refresh {
        title: Some(title.to_owned()),
        after: 0,
        batch: super::jobs::DEFAULT_BATCH,
    };
    job_store::enqueue(tx, REFRESH_KIND, &to_json(&payload), unix_now(), None)?;
    Ok(())
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// The payload of a refresh: the pages transcluding `title` (every live page when `None`),
/// after page id `after`, `batch` per step.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Refresh {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    after: i64,
    #[serde(default = "default_batch")]
    batch: usize,
}

fn default_batch() -> usize {
    super::jobs::DEFAULT_BATCH
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned())
}

/// The payload a refresh started by hand begins with: every live page.
pub(crate) fn initial_payload(batch: usize) -> String {
    to_json(&Refresh {
        title: None,
        after: 0,
        batch,
    })
}

/// What a refresh step did.
pub(crate) struct RefreshStep {
    pub payload: String,
    pub done: i64,
    pub finished: bool,
}

/// One step of a refresh: a batch of pages indexed again from their expanded text.
pub(crate) fn refresh_step(
    tx: &Connection,
    payload: &str,
    done: i64,
) -> Result<RefreshStep, WikiError> {
    let mut refresh: Refresh = serde_json::from_str(payload)
        .map_err(|e| WikiError::Invalid(format!("the job's payload is not valid: {e}")))?;
    if refresh.batch == 0 || refresh.batch > super::jobs::MAX_BATCH {
        return Err(WikiError::Invalid(format!(
            "a batch is 1 to {} pages, not {}",
            super::jobs::MAX_BATCH,
            refresh.batch
        )));
    }
    let batch: Vec<(i64, String, i64)> = match &refresh.title {
        Some(title) => transclusions::users_after(tx, title, refresh.after, refresh.batch)?,
        None => job_store::live_pages_after(tx, refresh.after, refresh.batch)?
            .into_iter()
            .map(|(id, title, revision, _)| (id, title, revision))
            .collect(),
    };
    let mut titles = Vec::with_capacity(batch.len());
    for (page_id, title, revision) in &batch {
        let text = sections::full_text(&revisions::sections(tx, *revision)?);
        // A refresh of every page (started by hand, or by an upgrade that records more of what
        // pages point at) writes each page's links again; one for a template's users only
        // where the template changed them.
        index(tx, *page_id, title, &text, refresh.title.is_some())?;
        titles.push(title.clone());
        refresh.after = *page_id;
    }
    changes::pages(titles);
    Ok(RefreshStep {
        payload: to_json(&refresh),
        done: done + batch.len() as i64,
        finished: batch.len() < refresh.batch,
    })
}
