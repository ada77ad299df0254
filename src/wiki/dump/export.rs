//! `plutarch export-xml`: every live page with its whole history (or its latest revision
//! only) in MediaWiki's schema 0.11, from one snapshot of the database. Hidden revisions are
//! written with their text and summary marked deleted, as MediaWiki writes them; deleted pages
//! are left out. A revision whose text or summary holds a character XML 1.0 cannot carry is
//! left out and reported, never changed.

use std::io::Write;
use std::path::Path;

use crate::doc::namespace::Namespace;
use crate::store::{Db, StoreError, dumps, revisions};

use super::super::{Title, WikiError};
use super::input::Output;
use super::write::{self, Site};

/// A revision left out of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftOut {
    /// The page's title.
    pub title: String,
    /// The revision.
    pub revision: i64,
    /// The character XML 1.0 cannot carry.
    pub character: char,
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XmlExport {
    /// Pages written.
    pub pages: usize,
    /// Revisions written (hidden ones included).
    pub revisions: usize,
    /// Hidden revisions, written with their text marked deleted.
    pub hidden: usize,
    /// Revisions left out: XML 1.0 cannot carry their text or summary.
    pub left_out: Vec<LeftOut>,
}

/// Writes the dump to `path` (a new file; `.gz` and `.bz2` are compressed), with every
/// revision or, when `current`, the latest of each page; `progress` after each page.
pub fn export_xml(
    db: &Db,
    path: &Path,
    current: bool,
    site: &Site<'_>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<XmlExport, WikiError> {
    let io_error =
        |e: std::io::Error| WikiError::Invalid(format!("cannot write {}: {e}", path.display()));
    let mut out = Output::create(path).map_err(io_error)?;
    let mut report = XmlExport::default();
    let written = db.read_blocking(|conn| {
        dumps::in_snapshot(conn, |conn| {
            let io = |e: std::io::Error| StoreError::Task(format!("cannot write: {e}"));
            write::header(&mut out, site).map_err(io)?;
            let pages = dumps::live_pages(conn)?;
            let total = pages.len();
            for (done, page) in pages.iter().enumerate() {
                let ns = Title::new(&page.title).map_or(Namespace::Main, |t| t.namespace());
                write::page_start(
                    &mut out,
                    &page.title,
                    ns,
                    page.id,
                    page.redirect_to.as_deref(),
                )
                .map_err(io)?;
                let from = if current { page.latest_revision } else { 0 };
                for revision in dumps::revisions_from(conn, page.id, from)? {
                    let text = if revision.hidden {
                        None
                    } else {
                        Some(revisions::text(conn, revision.id)?)
                    };
                    let unwritable = text
                        .as_deref()
                        .and_then(write::first_not_xml10)
                        .or_else(|| write::first_not_xml10(&revision.summary))
                        .or_else(|| write::first_not_xml10(&revision.author));
                    if let Some(character) = unwritable {
                        report.left_out.push(LeftOut {
                            title: page.title.clone(),
                            revision: revision.id,
                            character,
                        });
                        continue;
                    }
                    write::revision(
                        &mut out,
                        &write::Revision {
                            id: revision.id,
                            parent_id: revision.parent_id,
                            timestamp: &revision.timestamp,
                            author: &revision.author,
                            account: revision.account,
                            summary: &revision.summary,
                            size: revision.size,
                            minor: revision.minor,
                            text: text.as_deref(),
                        },
                    )
                    .map_err(io)?;
                    report.revisions += 1;
                    report.hidden += usize::from(revision.hidden);
                }
                write::page_end(&mut out).map_err(io)?;
                report.pages += 1;
                progress(done + 1, total);
            }
            write::footer(&mut out).map_err(io)?;
            out.flush().map_err(io)
        })
    });
    written?;
    out.finish().map_err(io_error)?;
    Ok(report)
}
