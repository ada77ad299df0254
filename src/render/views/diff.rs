//! The difference between two revisions, section by section, with word-level highlights. It
//! reads without colour: removed lines are marked `−`, added ones `+`, and the words that
//! changed are `<del>` and `<ins>`.

use maud::{Markup, html};

use super::{Layout, PageTabs, SignedIn, layout};

/// How a line of a section changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineChange {
    /// In both revisions (context).
    Same,
    /// Only in the newer revision.
    Added,
    /// Only in the older revision.
    Removed,
}

/// One line of a section diff: pieces of text, each marked changed or not.
pub struct DiffLine {
    /// How the line changed.
    pub change: LineChange,
    /// (changed within the line?, text).
    pub pieces: Vec<(bool, String)>,
}

/// One section's changes.
pub struct SectionDiff {
    /// The section's heading in the newer revision (or the older, if removed); empty for the lead.
    pub title: String,
    /// What happened: "changed", "added", "removed", "moved", "renamed", "unchanged".
    pub status: &'static str,
    /// The changed lines with a little context; empty when unchanged.
    pub lines: Vec<DiffLine>,
    /// The URL of this section's own history.
    pub history_url: String,
}

/// A revision at one end of the diff.
pub struct DiffEnd<'a> {
    /// The revision id.
    pub id: i64,
    /// When.
    pub timestamp: &'a str,
    /// Who.
    pub author: super::authors::Author<'a>,
    /// Why.
    pub summary: &'a str,
    /// Whether this revision is hidden (its summary is then empty unless the reader is an
    /// admin).
    pub hidden: bool,
}

/// What the diff view shows.
pub struct DiffPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The page's URL segment.
    pub segment: &'a str,
    /// The older revision.
    pub from: DiffEnd<'a>,
    /// The newer revision.
    pub to: DiffEnd<'a>,
    /// Section by section.
    pub sections: &'a [SectionDiff],
    /// The diff one edit earlier, if any.
    pub previous: Option<&'a str>,
    /// The diff one edit later, if any.
    pub next: Option<&'a str>,
    /// Tabs for the page.
    pub tabs: PageTabs<'a>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// Whether the difference was left out because a side is hidden (`sections` is empty).
    pub text_hidden: bool,
}

/// The lines of one section diff, as a table (also used for edit conflicts). A changed line
/// marks only the words that changed (`ins.word`, `del.word`); a line wholly added or removed
/// is one `ins` or `del`. The line's kind shows by its background and its `+`/`−` mark.
pub fn lines(lines: &[DiffLine]) -> Markup {
    html! {
        table.diff-lines {
            @for line in lines {
                @match line.change {
                    LineChange::Same => tr.same { td.mark aria-hidden="true" { " " } td { (plain(line)) } },
                    LineChange::Added => tr.added { td.mark { "+" } td { (added(line)) } },
                    LineChange::Removed => tr.removed { td.mark { "−" } td { (removed(line)) } },
                }
            }
        }
    }
}

/// Whether only some words of the line changed (else the whole line is new or gone).
fn partly_changed(line: &DiffLine) -> bool {
    line.pieces.iter().any(|(changed, _)| *changed)
        && line.pieces.iter().any(|(changed, _)| !*changed)
}

fn plain(line: &DiffLine) -> Markup {
    html! { @for (_, text) in &line.pieces { (text) } }
}

fn added(line: &DiffLine) -> Markup {
    if !partly_changed(line) {
        return html! { ins { (plain(line)) } };
    }
    html! {
        @for (changed, text) in &line.pieces {
            @if *changed { ins.word { (text) } } @else { (text) }
        }
    }
}

fn removed(line: &DiffLine) -> Markup {
    if !partly_changed(line) {
        return html! { del { (plain(line)) } };
    }
    html! {
        @for (changed, text) in &line.pieces {
            @if *changed { del.word { (text) } } @else { (text) }
        }
    }
}

fn end(label: &str, end: &DiffEnd<'_>, segment: &str) -> Markup {
    html! {
        div.diff-end {
            strong { (label) " " }
            a href=(format!("/wiki/{segment}?revision={}", end.id)) { "revision " (end.id) }
            " of " (super::when::time(end.timestamp)) " by " (super::authors::link(end.author))
            @if end.hidden && end.summary.is_empty() {
                " — " span.meta.summary-hidden { (super::moderation::SUMMARY_HIDDEN) }
            } @else if !end.summary.is_empty() {
                " — " em { (super::summary::summary(segment, end.summary)) }
            }
            @if end.hidden { " " span.meta.hidden-mark { "(hidden)" } }
        }
    }
}

/// The diff page.
pub fn page(diff: &DiffPage<'_>) -> Markup {
    let heading = format!("{}: differences between revisions", diff.title);
    let changed = diff
        .sections
        .iter()
        .filter(|s| s.status != "unchanged")
        .count();
    layout(
        Layout {
            title: &heading,
            tabs: diff.tabs,
            user: diff.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            div.diff-ends {
                (end("From", &diff.from, diff.segment))
                (end("To", &diff.to, diff.segment))
            }
            nav.diff-nav aria-label="Neighbouring edits" {
                @if let Some(previous) = diff.previous { a rel="prev" href=(previous) { "← Older edit" } }
                @if let Some(next) = diff.next { " " a rel="next" href=(next) { "Newer edit →" } }
            }
            @if diff.text_hidden {
                (super::moderation::hidden_notice(None, false))
            } @else if diff.from.hidden || diff.to.hidden {
                (super::moderation::hidden_notice(None, true))
            } @else if changed == 0 {
                p { "No difference: the two revisions hold the same text." }
            }
            @for section in diff.sections.iter().filter(|s| s.status != "unchanged") {
                section.section-diff {
                    h2 {
                        @if section.title.is_empty() { "Lead" } @else { (section.title) }
                        " " span.status { "(" (section.status) ")" }
                        " " a.section-history href=(section.history_url) { "section history" }
                    }
                    (lines(&section.lines))
                }
            }
            @let unchanged = diff.sections.len() - changed;
            @if unchanged > 0 && changed > 0 {
                p.meta { (unchanged) " unchanged section" @if unchanged > 1 { "s" } " not shown." }
            }
        },
    )
}
