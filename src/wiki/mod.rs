//! The rules of the wiki: titles, saving edits (whole pages and sections, with merges and
//! conflicts), reading pages, sections, history and diffs, search, import and export.
//!
//! Web handlers and the CLI call these functions; this module decides, `store` keeps. Every
//! async function here runs its SQL on a blocking thread through [`Db`](crate::store::Db).

mod analysis;
pub mod backups;
pub mod citation_report;
pub mod citations;
mod clean;
pub mod contributions;
mod diff;
pub mod dump;
mod facts;
pub mod files;
mod identity;
pub mod jobs;
pub mod mediawiki;
pub mod mentions;
mod merge;
pub mod moderation;
pub mod namespaces;
mod page_revisions;
mod people;
pub mod quote_checks;
mod read;
pub mod samples;
mod save;
mod search;
mod search_index;
mod sections;
mod source;
pub mod source_edit;
pub mod sources;
pub mod talk;
mod templates;
pub mod title;
pub mod transfer;
mod undo;
pub mod watchlist;

pub use clean::markup as clean_markup;
pub use diff::{
    DiffLine, DiffSegment, LineTag, RevisionDiff, SectionChange, SectionDiff, diff, diff_for,
    diff_texts,
};
pub use facts::{
    EXTRACTION_VERSION, PageFacts, PageInfo, backfill, is_person, page_facts, page_info,
};
pub use moderation::{
    ArchivedHistory, AuditEntry, DELETED, ModerationNote, UNDELETED, archived_history,
    deletion_log, hide_revision, protect_page, protection, unhide_revision,
};
pub use namespaces::{NamespaceReport, backfill_namespaces};
pub use page_revisions::{ListedRevision, RevisionWindow, RevisionsFrom, page_revisions};
pub use people::{
    EventKey, FilterError, MAX_FILTER_CHARS, PeopleFilter, PeopleParams, PersonItem, PersonKey,
    TimelineEvent, TimelineRange, people, timeline,
};
pub use read::{
    HistoryEntry, Holdings, LinkInfo, PageListing, PageStanding, PageView, SectionView, all_pages,
    backlinks, category_members, history, history_for, holdings, links, page_standing, read_page,
    read_page_for, recent_changes, revision, revision_for, revision_meta, section, sections,
    title_of_page_id, wanted_pages,
};
pub use save::{
    DeletionNotice, MoveOutcome, Precondition, SaveOutcome, SaveRequest, delete_page,
    delete_page_with, deletion_notice, is_deleted, move_page, revert, save_blocking, save_page,
    save_page_if, undelete_page,
};
pub use search::{
    HitsFrom, SearchHit, SearchResults, SearchSection, hit_named, page_exists, page_named, search,
};
pub use sections::{SectionEntry, SectionKey};
pub use source::{
    DiffNeighbours, Preview, diff_neighbours, empty_document, existing_links, first_heading,
    latest_markup, latest_size, preview, preview_section,
};
pub use title::{Namespace, Title, TitleError};
pub use undo::{UndoPlan, UndoRequest, plan_undo, undo};

use crate::store::StoreError;

/// Works out everything a save derives from a text alone (one parse, the outline, links, the
/// search text, the person's facts) and returns the length of the search text. For the memory
/// bounds in `tests/markup/cost.rs` and the timings of `examples/hostile.rs`, which have no
/// database.
#[doc(hidden)]
pub fn analyse(text: &str, title: &str) -> usize {
    let analysis = analysis::Analysis::of(text, title);
    analysis.bodies.iter().map(String::len).sum()
}

/// What the start-up backfills did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backfills {
    /// The namespace backfill: pages renamed and re-indexed.
    pub namespaces: NamespaceReport,
    /// How many pages' facts were read again.
    pub facts_read: usize,
    /// How many pages' citations were read again.
    pub citations_read: usize,
    /// Whether a rescan of every source's mentions was queued (a database from before them).
    pub mentions_queued: bool,
    /// How many pages were re-indexed for search (the index came from an older reading).
    pub search_reindexed: usize,
    /// Live pages whose titles hold an invisible character (made before such titles were
    /// refused), for an admin to move: see [`invisible_titles`].
    pub invisible_titles: Vec<String>,
}

/// The live pages whose titles hold a character that shows nothing (`K`, U+200B, `hidden`
/// passes for `Khidden`). New titles refuse them ([`Title::check_new`]); these came before.
/// Listed on the audit log page for admins to move.
pub async fn invisible_titles(db: &crate::store::Db) -> Result<Vec<String>, WikiError> {
    Ok(with_invisible(
        db.read(crate::store::pages::all_latest).await?,
    ))
}

/// [`invisible_titles`] on this thread: every start checks them (logged as warnings).
pub fn invisible_titles_blocking(db: &crate::store::Db) -> Result<Vec<String>, WikiError> {
    Ok(with_invisible(
        db.read_blocking(crate::store::pages::all_latest)?,
    ))
}

fn with_invisible(titles: Vec<(String, i64)>) -> Vec<String> {
    titles
        .into_iter()
        .map(|(title, _)| title)
        .filter(|t| t.chars().any(crate::doc::chars::is_invisible))
        .collect()
}

/// Brings an older database's derived data up to date, in order: titles under today's namespace
/// rules ([`backfill_namespaces`]), then people's facts ([`backfill`], which reads the renamed
/// titles). Every start runs it (`serve`, `import`), and so do the tests that open a database
/// an older version made; on an up-to-date database it does nothing.
pub fn backfill_all(db: &crate::store::Db) -> Result<Backfills, WikiError> {
    let namespaces = backfill_namespaces(db)?;
    let facts_read = backfill(db)?;
    let citations_read = citations::backfill(db)?;
    let mentions_queued = mentions::backfill(db)?; // after the facts: it reads their aliases
    let search_reindexed = search_index::backfill_search(db)?;
    Ok(Backfills {
        search_reindexed,
        mentions_queued,
        namespaces,
        facts_read,
        citations_read,
        invisible_titles: invisible_titles_blocking(db)?,
    })
}

/// The title of the page shown at `/`.
pub const MAIN_PAGE: &str = "Main Page";

/// The largest page text accepted by default (`PLUTARCH_MAX_PAGE_BYTES` overrides it).
pub const DEFAULT_MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;
/// The longest edit summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 500;
/// The most sections a page may have.
pub const MAX_SECTIONS: usize = 5000;

/// The page limit of this process, once known.
static MAX_PAGE_BYTES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Sets the largest page text accepted, in bytes, for this process (`serve --max-page-bytes`),
/// before any page is saved. The one place the limit lives: the web layer's body limit is
/// derived from the same value. Returns false when the limit was already fixed.
pub fn set_max_page_bytes(bytes: usize) -> bool {
    MAX_PAGE_BYTES.set(bytes.max(1)).is_ok()
}

/// The largest page text accepted, in bytes: as set by [`set_max_page_bytes`], else
/// `PLUTARCH_MAX_PAGE_BYTES`, else 2 MiB.
pub fn max_page_bytes() -> usize {
    *MAX_PAGE_BYTES.get_or_init(|| {
        std::env::var("PLUTARCH_MAX_PAGE_BYTES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or(DEFAULT_MAX_PAGE_BYTES)
    })
}

/// What can go wrong when applying the wiki's rules.
#[derive(Debug, thiserror::Error)]
pub enum WikiError {
    /// The title is not acceptable.
    #[error(transparent)]
    Title(#[from] TitleError),
    /// No live page has this title.
    #[error("there is no page called {0}")]
    PageMissing(String),
    /// The page with this title was deleted (it is in the archive; admins can undelete it) and
    /// no page has the title now.
    #[error("the page {0} was deleted")]
    PageDeleted(String),
    /// The page has no such section (in the revision the request named).
    #[error("the page {title} has no section {key}")]
    SectionMissing {
        /// The page.
        title: String,
        /// The key as given.
        key: String,
    },
    /// No revision has this id.
    #[error("there is no revision {0}")]
    RevisionMissing(i64),
    /// The revision exists, but of another page (or of none that is live).
    #[error("the page {title} has no revision {revision}")]
    NotThisPagesRevision {
        /// The page named.
        title: String,
        /// The revision asked for.
        revision: i64,
    },
    /// Two revisions of different pages, where one page's were needed (a diff).
    #[error(
        "revisions {from} and {to} are of different pages: a diff compares one page's revisions"
    )]
    DifferentPages {
        /// The first revision.
        from: i64,
        /// The second.
        to: i64,
    },
    /// Undoing a revision's changes would clash with later edits of the same sections.
    #[error(
        "cannot undo: later edits changed the same sections (the page is now at revision {latest_revision})"
    )]
    UndoConflict {
        /// The page's latest revision.
        latest_revision: i64,
        /// The page's latest markup.
        current_markup: String,
    },
    /// Someone else changed what this edit changes since its base revision: nothing was saved.
    #[error(
        "edit conflict: the page changed since revision you edited (it is now at revision {latest_revision})"
    )]
    Conflict {
        /// The page's latest revision (0 if the page does not exist any more).
        latest_revision: i64,
        /// The latest markup of what was edited (the page, or the section's span).
        current_markup: String,
        /// The markup that was sent.
        your_markup: String,
    },
    /// The text is larger than [`max_page_bytes`].
    #[error("the page would be {bytes} bytes long, more than the limit of {max} bytes")]
    TooLarge {
        /// The size it would have.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// More than [`MAX_SECTIONS`] sections.
    #[error("the page would have {0} sections, more than the limit of {MAX_SECTIONS}")]
    TooManySections(usize),
    /// A request that is well formed but cannot be carried out.
    #[error("{0}")]
    Invalid(String),
    /// Moving onto a title that is taken.
    #[error("there is already a page called {0}")]
    TitleTaken(String),
    /// The page is protected and the author is not an admin (see `moderation`).
    #[error("the page {0} is protected: only admins can edit it")]
    Protected(String),
    /// Hiding the page's latest revision: its text is what the page shows (revert first).
    #[error(
        "revision {revision} is the current text of {title}: revert to an earlier revision first, then hide this one"
    )]
    HidingLatest {
        /// The page.
        title: String,
        /// Its latest revision.
        revision: i64,
    },
    /// The revision is hidden, and the reader may not see hidden revisions.
    #[error("the text of revision {0} is hidden")]
    RevisionHidden(i64),
    /// The write's precondition (`If-Match`) does not hold: the page is not at the revision it
    /// names (or does not exist). Nothing was saved.
    #[error("{}", precondition_failed(*latest_revision))]
    PreconditionFailed {
        /// The page's latest revision, if it exists.
        latest_revision: Option<i64>,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn precondition_failed(latest: Option<i64>) -> String {
    match latest {
        Some(latest) => format!(
            "the page is at revision {latest}, not the one If-Match names; nothing was saved (read it again, or send base_revision to merge)"
        ),
        None => "there is no page here for If-Match to match; nothing was saved".to_owned(),
    }
}

/// The current time as stored in revisions: RFC 3339 in UTC, second precision.
pub(crate) fn now_timestamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    let format =
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    now.format(&format)
        .unwrap_or_else(|_| now.unix_timestamp().to_string())
}
