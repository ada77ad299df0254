//! Turns the wiki's revision differences into the diff view's rows.

use maud::Markup;

use crate::render::views::diff::{self, DiffEnd, DiffLine, LineChange, SectionDiff};
use crate::store::RevisionMeta;
use crate::wiki::{self, LineTag, SectionChange};

fn line(line: &wiki::DiffLine) -> DiffLine {
    DiffLine {
        change: match line.tag {
            LineTag::Equal => LineChange::Same,
            LineTag::Insert => LineChange::Added,
            LineTag::Delete => LineChange::Removed,
        },
        pieces: line
            .segments
            .iter()
            .map(|s| (s.emphasized, s.text.clone()))
            .collect(),
    }
}

/// The view rows of every section of a page whose URL segment is `segment`.
pub(super) fn sections(segment: &str, sections: &[wiki::SectionDiff]) -> Vec<SectionDiff> {
    sections
        .iter()
        .map(|s| SectionDiff {
            title: s
                .new
                .as_ref()
                .or(s.old.as_ref())
                .map(|(_, title)| title.clone())
                .unwrap_or_default(),
            status: match s.change {
                SectionChange::Added => "added",
                SectionChange::Removed => "removed",
                SectionChange::Moved => "moved",
                SectionChange::Changed => "changed",
                SectionChange::Unchanged => "unchanged",
            },
            lines: s.lines.iter().map(line).collect(),
            history_url: format!("/wiki/{segment}/history?section={}", s.id),
        })
        .collect()
}

/// One end of a diff.
pub(super) fn end<'a>(
    meta: &'a RevisionMeta,
    hidden: bool,
    user_pages: &super::authors::UserPages,
) -> DiffEnd<'a> {
    DiffEnd {
        hidden,
        id: meta.id,
        timestamp: &meta.timestamp,
        author: user_pages.author(&meta.author),
        summary: &meta.summary,
    }
}

/// The difference between the current text and the user's, for an edit conflict.
pub(super) fn text_difference(current: &str, yours: &str) -> Markup {
    let lines: Vec<DiffLine> = wiki::diff_texts(current, yours).iter().map(line).collect();
    diff::lines(&lines)
}
