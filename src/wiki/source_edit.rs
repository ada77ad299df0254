//! A source as evidence (issue 13): what `GET /api/sources/{title}` reads (its metadata, what
//! cites it, whom it mentions, its quotations and its boilerplate) and how editors change its
//! kind and metadata (`PATCH /api/sources/{title}`, the form on the source page).
//!
//! The metadata lives beside the text (the `sources` table), not in it, so a change makes no
//! revision: the audit log keeps who changed what, from what to what, in the same transaction.

use std::ops::Range;

use crate::bio::boilerplate;
use crate::bio::quotes::{self, Quotation};
use crate::store::{self as store, Connection, Db, PageRow, StoreError, accounts, revisions};

use super::citations::CitingSentence;
use super::mentions::Mention;
use super::save::{live_page, no_live_page};
use super::sources::{SourceError, SourceMeta};
use super::title::Namespace;
use super::{Title, WikiError, now_timestamp};

/// The audit log's action for a change of a source's kind or metadata.
pub const SOURCE_METADATA: &str = "source metadata changed";

/// One field of a metadata change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Change {
    /// Left as it is.
    #[default]
    Keep,
    /// Removed.
    Clear,
    /// Set to this (checked as `plutarch import --source` checks it).
    Set(String),
}

impl Change {
    fn given(&self) -> Option<&str> {
        match self {
            Self::Set(value) => Some(value),
            _ => None,
        }
    }

    fn apply<T: Clone>(&self, old: &Option<T>, new: Option<T>) -> Option<T> {
        match self {
            Self::Keep => old.clone(),
            Self::Clear => None,
            Self::Set(_) => new,
        }
    }
}

/// A change of a source's metadata: each field kept, removed or set (a JSON merge patch).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourcePatch {
    /// Where the document was found.
    pub url: Change,
    /// Who published it.
    pub publisher: Change,
    /// When it was published.
    pub date: Change,
    /// What kind of document it is (changed, never removed).
    pub kind: Change,
}

impl SourcePatch {
    /// `old` with this change made, every value given checked.
    pub fn apply(&self, old: &SourceMeta) -> Result<SourceMeta, SourceError> {
        if self.kind == Change::Clear {
            return Err(SourceError::KindRemoved);
        }
        let given = SourceMeta::new(
            self.url.given(),
            self.publisher.given(),
            self.date.given(),
            self.kind.given(),
        )?;
        Ok(SourceMeta {
            url: self.url.apply(&old.url, given.url),
            publisher: self.publisher.apply(&old.publisher, given.publisher),
            date: self.date.apply(&old.date, given.date),
            kind: self.kind.apply(&old.kind, given.kind),
        })
    }
}

/// A short tag of a source's metadata (16 hex digits of a SHA-256): the part of the source's
/// ETag that `If-Match` compares, so a change based on an older read is refused.
pub fn metadata_tag(meta: &SourceMeta) -> String {
    use sha2::{Digest, Sha256};
    use std::fmt::Write;
    let mut hash = Sha256::new();
    for field in [
        meta.url.as_deref(),
        meta.publisher.as_deref(),
        meta.date.as_deref(),
        meta.kind.map(|k| k.as_str()),
    ] {
        match field {
            Some(value) => {
                hash.update([1]);
                hash.update((value.len() as u64).to_le_bytes());
                hash.update(value.as_bytes());
            }
            None => hash.update([0]),
        }
    }
    hash.finalize()[..8]
        .iter()
        .fold(String::new(), |mut tag, byte| {
            let _ = write!(tag, "{byte:02x}");
            tag
        })
}

/// Why a source cannot be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum SourceEditError {
    /// No live page, a deleted one, a protected one, the store…
    #[error(transparent)]
    Wiki(#[from] WikiError),
    /// A value that is refused.
    #[error(transparent)]
    Invalid(#[from] SourceError),
    /// The page exists but is not a source document (not in the `Source:` namespace).
    #[error(
        "{0} is not a source: only pages in the Source: namespace are (read it at /api/pages/…)"
    )]
    NotASource(String),
    /// `If-Match` names metadata the source no longer has.
    #[error(
        "the source's metadata changed since it was read (it is now tagged {current}); nothing was saved: read it again"
    )]
    Stale {
        /// The metadata's tag now.
        current: String,
    },
}

impl From<StoreError> for SourceEditError {
    fn from(error: StoreError) -> Self {
        Self::Wiki(error.into())
    }
}

/// A stretch of boilerplate in a source's stored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Boilerplate {
    /// Its bytes in the stored text (whole paragraphs).
    pub span: Range<usize>,
    /// What it is: `donation appeal`, `share buttons`, `cookie notice`…
    pub label: &'static str,
}

/// A quotation in a source's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceQuotation {
    /// The quoted words (inside the quotation marks).
    pub text: String,
    /// Who said it, as the text says, if it says.
    pub speaker: Option<String>,
    /// The quoted words' bytes in the stored text.
    pub span: Range<usize>,
}

/// The boilerplate of a source's text, labelled, and its quotations outside it.
pub fn boilerplate_and_quotations(text: &str) -> (Vec<Boilerplate>, Vec<SourceQuotation>) {
    let spans = boilerplate::boilerplate(text);
    let quotations = quotes::quotations(text, &spans)
        .into_iter()
        .map(|Quotation { span, speaker }| SourceQuotation {
            text: text.get(span.clone()).unwrap_or_default().to_owned(),
            speaker,
            span,
        })
        .collect();
    let labelled = spans
        .into_iter()
        .map(|span| Boilerplate {
            label: boilerplate::label(&text[span.clone()]),
            span,
        })
        .collect();
    (labelled, quotations)
}

/// `text` without its boilerplate, for showing the source with the boilerplate folded apart;
/// `None` when there is none, or when leaving it out could change what the rest shows (a
/// heading or a footnote in it).
pub fn without_boilerplate(text: &str, boilerplate: &[Boilerplate]) -> Option<String> {
    let unsafe_to_cut = |b: &Boilerplate| {
        let cut = &text[b.span.clone()];
        cut.to_ascii_lowercase().contains("<ref") || cut.lines().any(|l| l.starts_with('='))
    };
    if boilerplate.is_empty() || boilerplate.iter().any(unsafe_to_cut) {
        return None;
    }
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for b in boilerplate {
        kept.push_str(&text[from..b.span.start]);
        from = b.span.end;
    }
    kept.push_str(&text[from..]);
    Some(kept)
}

/// A source document as the API reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceView {
    /// The page holding the source.
    pub title: String,
    /// The title asked for, when it was a redirect to the source (a moved source).
    pub redirected_from: Option<String>,
    /// The page's stable id.
    pub page_id: i64,
    /// Its latest revision.
    pub revision: i64,
    /// The metadata (all empty for a `Source:` page never given any).
    pub meta: SourceMeta,
    /// The free-text kind from before kinds came from a list, when it was not on it.
    pub kind_note: Option<String>,
    /// When the metadata was last set (RFC 3339), if it was.
    pub imported_at: Option<String>,
    /// The tag of the metadata ([`metadata_tag`]).
    pub tag: String,
    /// The sentences of pages citing it.
    pub cited_by: Vec<CitingSentence>,
    /// The people it mentions, most mentioned first.
    pub mentions: Vec<Mention>,
    /// Its quotations, outside the boilerplate, with byte spans in the stored text.
    pub quotations: Vec<SourceQuotation>,
    /// Its boilerplate.
    pub boilerplate: Vec<Boilerplate>,
}

/// The live page holding the source `title` (following one redirect: a moved source), and the
/// redirect's title when there was one.
fn holding_page(
    conn: &Connection,
    title: &str,
) -> Result<(PageRow, Option<String>), SourceEditError> {
    let page = live_page(conn, title)?.ok_or_else(|| no_live_page(conn, title))?;
    let (page, from) = match page.redirect_to.clone() {
        Some(target) => {
            let moved = live_page(conn, &target)?.ok_or_else(|| no_live_page(conn, &target))?;
            (moved, Some(page.title))
        }
        None => (page, None),
    };
    let is_source = Title::new(&page.title).is_ok_and(|t| t.namespace() == Namespace::Source);
    if !is_source {
        return Err(SourceEditError::NotASource(page.title));
    }
    Ok((page, from))
}

/// The source `title` as the API reads it.
pub async fn source_view(db: &Db, title: &Title) -> Result<SourceView, SourceEditError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| Ok(read_view(conn, &title)))
        .await
        .map_err(SourceEditError::from)?
}

fn read_view(conn: &Connection, title: &str) -> Result<SourceView, SourceEditError> {
    let (page, redirected_from) = holding_page(conn, title)?;
    let revision = page
        .latest_revision
        .ok_or_else(|| WikiError::PageMissing(page.title.clone()))?;
    let text = revisions::text(conn, revision)?;
    let row = store::sources::get(conn, page.id)?;
    let (boilerplate, quotations) = boilerplate_and_quotations(&text);
    let kind_note = row.as_ref().and_then(|r| r.kind_note.clone());
    let imported_at = row.as_ref().map(|r| r.imported_at.clone());
    let meta = row.map(SourceMeta::from_row).unwrap_or_default();
    Ok(SourceView {
        tag: metadata_tag(&meta),
        cited_by: super::citations::cited_by(conn, &page.title)?,
        mentions: store::mentions::of_source(conn, page.id, super::mentions::MAX_LISTED)?,
        title: page.title,
        redirected_from,
        page_id: page.id,
        revision,
        meta,
        kind_note,
        imported_at,
        quotations,
        boilerplate,
    })
}

/// What a change of metadata did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceUpdate {
    /// The page holding the source.
    pub title: String,
    /// The title given, when it was a redirect to the source.
    pub redirected_from: Option<String>,
    /// Whether anything changed (false: the source already had this metadata).
    pub changed: bool,
}

/// Changes the metadata of the source `title` (following one redirect) by `patch`, as
/// `actor_id` (an editor; a protected page: an admin), when its metadata still has the tag
/// `if_tag` (if given). A change is written to the audit log with what it changed.
pub async fn update_source(
    db: &Db,
    title: &Title,
    patch: SourcePatch,
    actor_id: i64,
    if_tag: Option<String>,
) -> Result<SourceUpdate, SourceEditError> {
    let title = title.as_str().to_owned();
    db.write(move |conn| Ok(update_in(conn, &title, &patch, actor_id, if_tag.as_deref())))
        .await
        .map_err(SourceEditError::from)?
}

fn update_in(
    conn: &mut Connection,
    title: &str,
    patch: &SourcePatch,
    actor_id: i64,
    if_tag: Option<&str>,
) -> Result<SourceUpdate, SourceEditError> {
    let tx = store::begin_write(conn)?;
    let (page, redirected_from) = holding_page(&tx, title)?;
    super::moderation::ensure_may_edit(&tx, &page, actor_id)?; // protection (issue 7)
    let row = store::sources::get(&tx, page.id)?;
    let old = row.map(SourceMeta::from_row).unwrap_or_default();
    let current = metadata_tag(&old);
    if if_tag.is_some_and(|tag| tag != current) {
        return Err(SourceEditError::Stale { current });
    }
    let new = patch.apply(&old)?;
    // (`set` keeps the note of an old free-text kind: it says what the source was called.)
    let changed = new != old && store::sources::set(&tx, page.id, &new.to_row(now_timestamp()))?;
    if changed {
        accounts::log_event(
            &tx,
            Some(actor_id),
            SOURCE_METADATA,
            &page.title,
            &describe(&old, &new),
        )?;
        // Its kind, publisher and date show on its page and in the references of the pages
        // citing it. A new URL may bind citations of other pages: anything may have changed.
        if new.url == old.url {
            let mut shown = store::citations::citing_titles(&tx, page.id, &page.title)?;
            shown.push(page.title.clone());
            store::changes::pages(shown);
        }
    } else {
        store::changes::nothing_shown();
    }
    tx.commit()?;
    Ok(SourceUpdate {
        title: page.title,
        redirected_from,
        changed,
    })
}

/// What changed, for the audit log: `kind: blog → opinion; publisher: (none) → The Times`.
fn describe(old: &SourceMeta, new: &SourceMeta) -> String {
    let shown = |v: Option<&str>| v.map_or_else(|| "(none)".to_owned(), str::to_owned);
    [
        (
            "kind",
            old.kind.map(|k| k.as_str()),
            new.kind.map(|k| k.as_str()),
        ),
        ("url", old.url.as_deref(), new.url.as_deref()),
        (
            "publisher",
            old.publisher.as_deref(),
            new.publisher.as_deref(),
        ),
        ("date", old.date.as_deref(), new.date.as_deref()),
    ]
    .into_iter()
    .filter(|(_, before, after)| before != after)
    .map(|(field, before, after)| format!("{field}: {} → {}", shown(before), shown(after)))
    .collect::<Vec<_>>()
    .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bio::kinds::SourceKind;

    fn set(value: &str) -> Change {
        Change::Set(value.to_owned())
    }

    #[test]
    fn a_patch_keeps_clears_and_sets_fields_and_checks_what_it_sets() {
        let old = SourceMeta::new(
            Some("https://example.org/a"),
            Some("The Blog"),
            Some("2018"),
            Some("blog"),
        )
        .unwrap();
        let patch = SourcePatch {
            publisher: Change::Clear,
            date: set("2018-08-02"),
            kind: set("Opinion"),
            ..SourcePatch::default()
        };
        let new = patch.apply(&old).unwrap();
        assert_eq!(new.url, old.url);
        assert_eq!(new.publisher, None);
        assert_eq!(new.date.as_deref(), Some("2018-08-02"));
        assert_eq!(new.kind, Some(SourceKind::Opinion));
        assert_eq!(
            describe(&old, &new),
            "kind: blog → opinion; publisher: The Blog → (none); date: 2018 → 2018-08-02"
        );

        let bad_kind = SourcePatch {
            kind: set("gossip"),
            ..SourcePatch::default()
        };
        assert!(matches!(bad_kind.apply(&old), Err(SourceError::Kind(_))));
        let no_kind = SourcePatch {
            kind: Change::Clear,
            ..SourcePatch::default()
        };
        assert_eq!(no_kind.apply(&old), Err(SourceError::KindRemoved));
        let bad_url = SourcePatch {
            url: set("javascript:alert(1)"),
            ..SourcePatch::default()
        };
        assert!(matches!(bad_url.apply(&old), Err(SourceError::Url(_))));
    }

    #[test]
    fn the_tag_changes_with_any_field() {
        let base = SourceMeta::default();
        let tags: std::collections::HashSet<String> = [
            base.clone(),
            SourceMeta {
                url: Some("https://a.example".into()),
                ..base.clone()
            },
            SourceMeta {
                publisher: Some("https://a.example".into()),
                ..base.clone()
            },
            SourceMeta {
                kind: Some(SourceKind::News),
                ..base.clone()
            },
        ]
        .iter()
        .map(metadata_tag)
        .collect();
        assert_eq!(tags.len(), 4);
        assert_eq!(metadata_tag(&base).len(), 16);
    }
}
