//! Comparing two revisions section by section: sections are matched by stable id, so a moved
//! or renamed section is compared with itself, not with whatever now sits at its position.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::store::{Db, RevisionMeta, StoredSection, revisions};

use super::WikiError;
use super::sections::public_id;

/// How a section differs between the two revisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionChange {
    /// Only in the newer revision.
    Added,
    /// Only in the older revision.
    Removed,
    /// Same text, other place among the sections.
    Moved,
    /// Other text (perhaps also moved).
    Changed,
    /// Same text, same place.
    Unchanged,
}

/// Whether a diff line was kept, removed or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineTag {
    /// In both.
    Equal,
    /// Only in the older text.
    Delete,
    /// Only in the newer text.
    Insert,
}

/// A run of a line's text; `emphasized` runs are the words that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffSegment {
    /// Whether this run changed.
    pub emphasized: bool,
    /// The text.
    pub text: String,
}

/// One line of a section's diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// Kept, removed or added.
    pub tag: LineTag,
    /// Line number in the older section (1-based), if the line is there.
    pub old_line: Option<usize>,
    /// Line number in the newer section, if the line is there.
    pub new_line: Option<usize>,
    /// The line's text in runs (word-level changes emphasized).
    pub segments: Vec<DiffSegment>,
}

/// One section's difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionDiff {
    /// The section's stable id.
    pub id: String,
    /// What happened to it.
    pub change: SectionChange,
    /// Its index and heading in the older revision.
    pub old: Option<(usize, String)>,
    /// Its index and heading in the newer revision.
    pub new: Option<(usize, String)>,
    /// Line by line, for changed, added and removed sections (with a little context); empty
    /// otherwise.
    pub lines: Vec<DiffLine>,
}

/// The difference between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionDiff {
    /// The older revision.
    pub from: RevisionMeta,
    /// The newer revision.
    pub to: RevisionMeta,
    /// Every section of either revision, in the newer revision's order (removed ones where they
    /// were). Empty when `text_hidden`.
    pub sections: Vec<SectionDiff>,
    /// Whether the older revision is hidden.
    pub from_hidden: bool,
    /// Whether the newer revision is hidden.
    pub to_hidden: bool,
    /// Whether the difference was left out because one side is hidden and the reader may not
    /// see hidden revisions (a diff shows the text of both sides); the hidden side's summary
    /// is then empty too.
    pub text_hidden: bool,
}

/// Compares revision `from` with revision `to`, section by section. When either is hidden the
/// difference and the hidden side's summary are left out (see [`diff_for`]).
pub async fn diff(db: &Db, from: i64, to: i64) -> Result<RevisionDiff, WikiError> {
    diff_for(db, from, to, false).await
}

/// [`diff`], showing hidden revisions when `see_hidden` (admins).
pub async fn diff_for(
    db: &Db,
    from: i64,
    to: i64,
    see_hidden: bool,
) -> Result<RevisionDiff, WikiError> {
    db.read(move |conn| {
        Ok((|| {
            let meta = |id| -> Result<(RevisionMeta, i64), WikiError> {
                revisions::meta(conn, id)?.ok_or(WikiError::RevisionMissing(id))
            };
            let ((mut from_meta, from_page), (mut to_meta, to_page)) = (meta(from)?, meta(to)?);
            if from_page != to_page {
                return Err(WikiError::DifferentPages { from, to });
            }
            let hidden = super::moderation::hidden_among(conn, &[from, to])?;
            let (from_hidden, to_hidden) = (hidden.contains(&from), hidden.contains(&to));
            let text_hidden = (from_hidden || to_hidden) && !see_hidden;
            if text_hidden {
                for (meta, hidden) in [(&mut from_meta, from_hidden), (&mut to_meta, to_hidden)] {
                    if hidden {
                        meta.summary.clear();
                    }
                }
                return Ok(RevisionDiff {
                    from: from_meta,
                    to: to_meta,
                    sections: Vec::new(),
                    from_hidden,
                    to_hidden,
                    text_hidden,
                });
            }
            let old = revisions::sections(conn, from)?;
            let new = revisions::sections(conn, to)?;
            Ok(RevisionDiff {
                from: from_meta,
                to: to_meta,
                sections: diff_sections(&old, &new),
                from_hidden,
                to_hidden,
                text_hidden,
            })
        })())
    })
    .await?
}

fn diff_sections(old: &[StoredSection], new: &[StoredSection]) -> Vec<SectionDiff> {
    let old_by_id: HashMap<i64, &StoredSection> = old.iter().map(|s| (s.section_id, s)).collect();
    let new_by_id: HashMap<i64, &StoredSection> = new.iter().map(|s| (s.section_id, s)).collect();
    // Sections in both, in each order; those outside the longest common order moved.
    let old_common: Vec<i64> = old
        .iter()
        .map(|s| s.section_id)
        .filter(|id| new_by_id.contains_key(id))
        .collect();
    let new_common: Vec<i64> = new
        .iter()
        .map(|s| s.section_id)
        .filter(|id| old_by_id.contains_key(id))
        .collect();
    let mut moved = std::collections::HashSet::new();
    // Myers is quadratic when the orders differ wholly (thousands of sections, reversed):
    // past the deadline it settles for a coarser answer, more sections "moved".
    let deadline = Instant::now() + Duration::from_millis(100);
    let ops = similar::capture_diff_slices_deadline(
        similar::Algorithm::Myers,
        &old_common,
        &new_common,
        Some(deadline),
    );
    for op in ops {
        for change in op.iter_changes(&old_common, &new_common) {
            if change.tag() != ChangeTag::Equal {
                moved.insert(change.value());
            }
        }
    }
    let deadlines = Deadlines::start();
    let section_diff = |old, new, moved| section_diff(old, new, moved, &deadlines);
    let mut result = Vec::new();
    let mut old_iter = old.iter().peekable();
    for section in new {
        // Removed sections that came before this one in the old revision go first.
        while let Some(o) = old_iter.peek() {
            if new_by_id.contains_key(&o.section_id) {
                if o.section_id == section.section_id {
                    old_iter.next();
                }
                break;
            }
            result.push(section_diff(Some(o), None, false));
            old_iter.next();
        }
        let before = old_by_id.get(&section.section_id).copied();
        result.push(section_diff(
            before,
            Some(section),
            moved.contains(&section.section_id),
        ));
    }
    for o in old_iter {
        if !new_by_id.contains_key(&o.section_id) {
            result.push(section_diff(Some(o), None, false));
        }
    }
    result
}

fn section_diff(
    old: Option<&StoredSection>,
    new: Option<&StoredSection>,
    moved: bool,
    deadlines: &Deadlines,
) -> SectionDiff {
    let label = |s: &StoredSection| (s.position, s.title.clone());
    let change = match (old, new) {
        (None, _) => SectionChange::Added,
        (_, None) => SectionChange::Removed,
        (Some(o), Some(n)) if o.sha256 != n.sha256 => SectionChange::Changed,
        _ if moved => SectionChange::Moved,
        _ => SectionChange::Unchanged,
    };
    let lines = match change {
        SectionChange::Moved | SectionChange::Unchanged => Vec::new(),
        _ => line_diff(
            old.map_or("", |s| s.text.as_str()),
            new.map_or("", |s| s.text.as_str()),
            deadlines,
        ),
    };
    SectionDiff {
        id: public_id(new.or(old).map_or(0, |s| s.section_id)),
        change,
        old: old.map(label),
        new: new.map(label),
        lines,
    }
}

/// The difference between two texts (an edit conflict's current text and the user's), line
/// by line with word-level emphasis and two lines of context.
pub fn diff_texts(old: &str, new: &str) -> Vec<DiffLine> {
    line_diff(old, new, &Deadlines::start())
}

/// When one diff (of two texts, or of all the sections of two revisions) stops searching for
/// the best answer and settles for a coarser one. Shared by all its parts: `similar` gives each
/// change of a line diff 500 ms of its own for word-level emphasis, so 16 changed paragraphs of
/// 8 KB took 5 s (`bench/hostile.sh`), a page of many would take minutes, and each changed
/// section had its own deadlines too.
struct Deadlines {
    /// For the line diffs: past it, a diff settles for more lines changed.
    lines: Instant,
    /// For the word-level emphasis: past it, changed lines show whole.
    emphasis: Instant,
}

impl Deadlines {
    fn start() -> Self {
        let now = Instant::now();
        Self {
            lines: now + Duration::from_millis(200),
            emphasis: now + Duration::from_millis(500),
        }
    }
}

/// A line diff with word-level emphasis, keeping two lines of context around changes.
fn line_diff(old: &str, new: &str, deadlines: &Deadlines) -> Vec<DiffLine> {
    let diff = TextDiff::configure()
        .deadline(deadlines.lines)
        .diff_lines(old, new);
    let mut lines = Vec::new();
    for group in diff.grouped_ops(2) {
        for op in group {
            for change in diff.iter_inline_changes_deadline(&op, Some(deadlines.emphasis)) {
                let tag = match change.tag() {
                    ChangeTag::Equal => LineTag::Equal,
                    ChangeTag::Delete => LineTag::Delete,
                    ChangeTag::Insert => LineTag::Insert,
                };
                let segments = change
                    .iter_strings_lossy()
                    .map(|(emphasized, text)| DiffSegment {
                        emphasized,
                        text: text.into_owned(),
                    })
                    .collect();
                lines.push(DiffLine {
                    tag,
                    old_line: change.old_index().map(|i| i + 1),
                    new_line: change.new_index().map(|i| i + 1),
                    segments,
                });
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(position: usize, section_id: i64) -> StoredSection {
        StoredSection {
            position,
            section_id,
            sha256: [0; 32],
            level: 2,
            title: format!("S{section_id}"),
            text: format!("== S{section_id} ==\n"),
            changed: false,
        }
    }

    #[test]
    fn a_page_of_many_sections_in_reverse_order_diffs_in_bounded_time() {
        let n = 100_000;
        let old: Vec<_> = (0..n).map(|i| section(i, i as i64)).collect();
        let new: Vec<_> = (0..n).map(|i| section(i, (n - 1 - i) as i64)).collect();
        let started = std::time::Instant::now();
        let diffs = diff_sections(&old, &new);
        // Without the deadline, 40,000 sections took 16 s (test profile) and this is six times
        // the work; with it, under a second. Saves cap a page at `MAX_SECTIONS` (5,000), so
        // this guards the diff itself, not a page one can save today.
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
        assert_eq!(diffs.len(), n);
    }

    #[test]
    fn changes_past_the_deadline_still_show_every_line() {
        // Enough words that the emphasis runs out of time (5 s before one deadline was shared,
        // see `Deadlines`): whatever is emphasised, every changed line is there, whole.
        let paragraph = |word: &str| format!("{}\nsame\n", word.repeat(4000));
        let (old, new) = (paragraph("a ").repeat(16), paragraph("b ").repeat(16));
        let lines = diff_texts(&old, &new);
        let text_of = |tag: LineTag| -> Vec<String> {
            lines
                .iter()
                .filter(|l| l.tag == tag)
                .map(|l| l.segments.iter().map(|s| s.text.as_str()).collect())
                .collect()
        };
        let inserted = text_of(LineTag::Insert);
        assert_eq!(inserted.len(), 16);
        assert!(inserted.iter().all(|l| *l == "b ".repeat(4000) + "\n"));
        assert_eq!(text_of(LineTag::Delete).len(), 16);
    }
}
