//! Undo: taking back the change one revision made, on top of whatever the page says now, as
//! MediaWiki's undo does.
//!
//! The change of revision N is the way from its text back to its parent's; that change is
//! merged line by line into the base text (the page's latest, or the revision the client
//! names) by a three-way merge whose common ancestor is N's text. Where a later edit touched
//! the same lines (or the lines right next to them), the undo is refused with
//! [`WikiError::UndoConflict`] and nothing is saved. The result is saved like any edit based on
//! the base revision, so an edit that lands meanwhile merges section by section or conflicts.

use std::ops::Range;

use similar::{Algorithm, DiffTag, capture_diff_slices};

use crate::store::{Db, revisions};

use super::moderation::ensure_may_read;
use super::save::{live_page, no_live_page, own_revision, save_page};
use super::{SaveOutcome, SaveRequest, Title, WikiError};

/// An undo as asked for.
#[derive(Debug, Clone)]
pub struct UndoRequest {
    /// The page.
    pub title: Title,
    /// The revision whose change is taken back.
    pub revision: i64,
    /// The revision the undo is applied to; `None` for the page's latest.
    pub base_revision: Option<i64>,
    /// The edit summary; empty for "Undid revision N by AUTHOR".
    pub summary: String,
    /// Who undoes.
    pub author_id: i64,
}

/// The three texts an undo works on.
#[derive(Debug)]
struct UndoTexts {
    undone: String,
    parent: String,
    base: String,
    base_revision: i64,
    undone_author: String,
}

/// What an undo would save, worked out without saving anything (the browser shows it in the
/// edit form before the person saves it).
#[derive(Debug, Clone)]
pub struct UndoPlan {
    /// The page's text with the change taken back.
    pub markup: String,
    /// The revision that text is based on.
    pub base_revision: i64,
    /// The summary to save it with.
    pub summary: String,
}

/// Works out the undo `request` asks for: the base text with the change of
/// `request.revision` taken back, or [`WikiError::UndoConflict`] when later edits touched the
/// same lines. A revision the author may not read (hidden, for a non-admin) is refused as
/// missing; so is the revision that created the page (there is nothing before it to go back
/// to: delete the page instead).
pub async fn plan_undo(db: &Db, request: &UndoRequest) -> Result<UndoPlan, WikiError> {
    let texts = {
        let request = request.clone();
        db.read(move |conn| Ok(read_texts(conn, &request)))
            .await??
    };
    let markup = merge_undo(&texts.undone, &texts.parent, &texts.base).ok_or_else(|| {
        WikiError::UndoConflict {
            latest_revision: texts.base_revision,
            current_markup: texts.base.clone(),
        }
    })?;
    let summary = if request.summary.trim().is_empty() {
        format!(
            "Undid revision {} by {}",
            request.revision, texts.undone_author
        )
    } else {
        request.summary.clone()
    };
    Ok(UndoPlan {
        markup,
        base_revision: texts.base_revision,
        summary,
    })
}

/// Takes back the change `request.revision` made to its page (see [`plan_undo`]) and saves the
/// result as a new revision based on `request.base_revision` (or the latest).
pub async fn undo(db: &Db, request: UndoRequest) -> Result<SaveOutcome, WikiError> {
    let plan = plan_undo(db, &request).await?;
    save_page(
        db,
        SaveRequest {
            title: request.title,
            markup: plan.markup,
            base_revision: Some(plan.base_revision),
            section: None,
            summary: plan.summary,
            author_id: request.author_id,
        },
    )
    .await
}

fn read_texts(
    conn: &crate::store::Connection,
    request: &UndoRequest,
) -> Result<UndoTexts, WikiError> {
    let title = request.title.as_str();
    let page = live_page(conn, title)?.ok_or_else(|| no_live_page(conn, title))?;
    own_revision(conn, &page, request.revision)?;
    ensure_may_read(conn, request.revision, request.author_id)?;
    let (meta, _) = revisions::meta(conn, request.revision)?
        .ok_or(WikiError::RevisionMissing(request.revision))?;
    let parent = meta.parent_id.ok_or_else(|| {
        WikiError::Invalid(format!(
            "revision {} created the page {}: there is nothing before it to go back to",
            request.revision, page.title
        ))
    })?;
    ensure_may_read(conn, parent, request.author_id)?;
    let base_revision = match request.base_revision {
        Some(base) => {
            own_revision(conn, &page, base)?;
            ensure_may_read(conn, base, request.author_id)?;
            base
        }
        None => page
            .latest_revision
            .ok_or_else(|| WikiError::PageMissing(page.title.clone()))?,
    };
    Ok(UndoTexts {
        undone: revisions::text(conn, request.revision)?,
        parent: revisions::text(conn, parent)?,
        base: revisions::text(conn, base_revision)?,
        base_revision,
        undone_author: meta.author,
    })
}

/// A change between two versions of a text: the lines `old` of the ancestor become the lines
/// `new` of the changed version.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hunk {
    old: Range<usize>,
    new: Range<usize>,
}

/// The changes from `old` to `new`, adjacent ones joined into one.
fn hunks(old: &[&str], new: &[&str]) -> Vec<Hunk> {
    let mut hunks: Vec<Hunk> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match hunks.last_mut() {
            Some(last) if last.old.end == old_range.start && last.new.end == new_range.start => {
                last.old.end = old_range.end;
                last.new.end = new_range.end;
            }
            _ => hunks.push(Hunk {
                old: old_range,
                new: new_range,
            }),
        }
    }
    hunks
}

/// Whether two changes of the same ancestor touch: they overlap, or one starts where the other
/// ends (edits of neighbouring lines are not merged blindly).
fn touch(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// `base` with the change from `undone` to `parent` applied, or `None` when the base changed
/// the same lines since `undone` (a line-based three-way merge whose ancestor is `undone`).
fn merge_undo(undone: &str, parent: &str, base: &str) -> Option<String> {
    let ancestor: Vec<&str> = undone.split_inclusive('\n').collect();
    let wanted: Vec<&str> = parent.split_inclusive('\n').collect();
    let current: Vec<&str> = base.split_inclusive('\n').collect();
    let later = hunks(&ancestor, &current);
    // Where each line of the ancestor that later edits kept is in the base.
    let mut kept: Vec<Option<usize>> = vec![None; ancestor.len()];
    for op in capture_diff_slices(Algorithm::Myers, &ancestor, &current) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            for (old, new) in old_range.zip(new_range) {
                kept[old] = Some(new);
            }
        }
    }
    let mut merged = String::with_capacity(base.len());
    let mut done = 0; // lines of the base already copied
    for hunk in hunks(&ancestor, &wanted) {
        if later.iter().any(|l| touch(&l.old, &hunk.old)) {
            return None;
        }
        let start = match hunk.old.start {
            0 => 0,
            line => kept.get(line - 1).copied().flatten()? + 1,
        };
        let end = if hunk.old.is_empty() {
            start
        } else {
            kept.get(hunk.old.end - 1).copied().flatten()? + 1
        };
        merged.extend(current.get(done..start)?.iter().copied());
        merged.extend(wanted.get(hunk.new.clone())?.iter().copied());
        done = end;
    }
    merged.extend(current.get(done..)?.iter().copied());
    Some(merged)
}

#[cfg(test)]
mod tests {
    use super::merge_undo;

    const UNDONE: &str = "a\nb\nc\nd\ne\nf\n";

    #[test]
    fn an_undo_applies_to_the_latest_text_around_later_edits() {
        // The undone revision changed B to b; a later edit changed f.
        let merged = merge_undo(UNDONE, "a\nB\nc\nd\ne\nf\n", "a\nb\nc\nd\ne\nF\n");
        assert_eq!(merged.as_deref(), Some("a\nB\nc\nd\ne\nF\n"));
    }

    #[test]
    fn undoing_an_addition_removes_it_and_undoing_a_removal_restores_it() {
        let added = merge_undo(UNDONE, "a\nb\nc\nd\ne\n", "a\nb\nc\nd\ne\nf\n");
        assert_eq!(added.as_deref(), Some("a\nb\nc\nd\ne\n"));
        let removed = merge_undo(UNDONE, "x\na\nb\nc\nd\ne\nf\n", "a\nb\nc\nd\ne\nf\ng\n");
        assert_eq!(removed.as_deref(), Some("x\na\nb\nc\nd\ne\nf\ng\n"));
    }

    #[test]
    fn later_edits_of_the_same_or_next_lines_conflict() {
        assert_eq!(
            merge_undo(UNDONE, "a\nB\nc\nd\ne\nf\n", "a\nb2\nc\nd\ne\nf\n"),
            None
        );
        assert_eq!(
            merge_undo(UNDONE, "a\nB\nc\nd\ne\nf\n", "a\nb\nc2\nd\ne\nf\n"),
            None
        );
    }

    #[test]
    fn an_undone_text_without_a_last_newline_merges() {
        let merged = merge_undo("a\nb", "a\nc", "z\na\nb");
        assert_eq!(merged.as_deref(), Some("z\na\nc"));
    }
}
