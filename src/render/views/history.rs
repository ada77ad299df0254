//! A page's history: revisions newest first, with a form to compare two, (cur | prev) diff
//! links, revert and undo links; and the form that asks for a revert's summary.

use maud::{Markup, html};

use super::authors::{self, Author};
use super::{Layout, PageTabs, SignedIn, layout, moderation};

/// One revision in the list.
pub struct HistoryRow<'a> {
    /// The revision id.
    pub id: i64,
    /// The revision before it (`None`: it created the page).
    pub parent: Option<i64>,
    /// When (RFC 3339).
    pub timestamp: &'a str,
    /// Who.
    pub author: Author<'a>,
    /// The edit summary.
    pub summary: &'a str,
    /// Size in bytes.
    pub size: i64,
    /// Size change from the previous revision.
    pub delta: i64,
    /// Titles of the sections this revision changed (empty string is the lead).
    pub changed_sections: &'a [String],
    /// Whether the revision is hidden (its summary is then empty unless the reader is an
    /// admin).
    pub hidden: bool,
    /// Marked a minor edit: shown as "m", as MediaWiki does.
    pub minor: bool,
}

/// What the history view shows.
pub struct HistoryPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The page's URL segment (for links).
    pub segment: &'a str,
    /// When showing one section's history: its title.
    pub section_title: Option<&'a str>,
    /// Newest first.
    pub rows: &'a [HistoryRow<'a>],
    /// Whether the reader may revert (editors and up).
    pub can_revert: bool,
    /// The URL of the next (older) page of revisions.
    pub older: Option<&'a str>,
    /// Tabs for the page.
    pub tabs: PageTabs<'a>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// Whether the page is protected.
    pub protected: bool,
    /// For admins: the CSRF token of the protect and hide forms (`None`: no such forms).
    pub moderate: Option<&'a str>,
    /// The page's latest revision (the "cur" of the diff links; it cannot be hidden, so it has
    /// no hide button).
    pub latest: Option<i64>,
    /// The URL of the page's Atom feed.
    pub feed: &'a str,
}

fn signed(delta: i64) -> String {
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

/// "(cur | prev)": links to the diffs of a revision with the latest and with its parent.
fn diff_links(history: &HistoryPage<'_>, row: &HistoryRow<'_>) -> Markup {
    let diff = |from: i64, to: i64| format!("/wiki/{}/diff?from={from}&to={to}", history.segment);
    html! {
        span.diff-links {
            "("
            @match history.latest.filter(|latest| *latest != row.id) {
                Some(latest) => a.cur href=(diff(row.id, latest)) title="Difference with the latest revision" { "cur" },
                None => span.meta { "cur" },
            }
            " | "
            @match row.parent {
                Some(parent) => a.prev href=(diff(parent, row.id)) title="Difference with the revision before" { "prev" },
                None => span.meta { "prev" },
            }
            ")"
        }
    }
}

/// The history page.
pub fn page(history: &HistoryPage<'_>) -> Markup {
    let heading = match history.section_title {
        Some(section) => format!("History of {} — section “{section}”", history.title),
        None => format!("History of {}", history.title),
    };
    let diff_action = format!("/wiki/{}/diff", history.segment);
    layout(
        Layout {
            title: &heading,
            tabs: history.tabs,
            user: history.user,
            feed: Some(history.feed),
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            p.meta.history-links {
                "Compare: (cur) with the latest revision, (prev) with the one before. "
                a href=(history.feed) type="application/atom+xml" { "Atom feed of this page's changes" }
            }
            @if history.protected { (moderation::protected_notice()) }
            @if let Some(csrf) = history.moderate {
                (moderation::protect_form(history.segment, csrf, history.protected))
                p.page-admin { a href=(format!("/wiki/{}/delete", history.segment)) { "Delete this page" } }
            }
            @if history.rows.is_empty() {
                p { "No revisions." }
            } @else {
                form.compare method="get" action=(diff_action) {
                    p { "Choose two revisions and compare them." }
                    table.history {
                        thead {
                            tr {
                                th scope="col" { abbr title="compare from" { "from" } }
                                th scope="col" { abbr title="compare to" { "to" } }
                                th scope="col" { "Revision" }
                                th scope="col" { "Author" }
                                th scope="col" { "Summary" }
                                th scope="col" { "Size" }
                                th scope="col" { "Sections changed" }
                                @if history.can_revert { th scope="col" { "Actions" } }
                                @if history.moderate.is_some() { th scope="col" { "Hide" } }
                            }
                        }
                        tbody {
                            @for (position, row) in history.rows.iter().enumerate() {
                                tr #(format!("r{}", row.id)) {
                                    td {
                                        input type="radio" name="from" value=(row.id)
                                            aria-label=(format!("compare from revision {}", row.id))
                                            checked[position == 1];
                                    }
                                    td {
                                        input type="radio" name="to" value=(row.id)
                                            aria-label=(format!("compare to revision {}", row.id))
                                            checked[position == 0];
                                    }
                                    td.revision {
                                        (diff_links(history, row))
                                        " "
                                        a href=(format!("/wiki/{}?revision={}", history.segment, row.id)) {
                                            (super::when::time(row.timestamp))
                                        }
                                        " " span.meta { "#" (row.id) }
                                        @if row.minor { " " (super::lists::minor_mark()) }
                                    }
                                    td { (authors::link(row.author)) }
                                    td {
                                        @if row.hidden && history.moderate.is_none() {
                                            span.meta.summary-hidden { (moderation::SUMMARY_HIDDEN) }
                                        } @else {
                                            @if row.hidden { span.meta.hidden-mark { "(hidden) " } }
                                            @if row.summary.is_empty() { span.meta { "(no summary)" } } @else { (super::summary::summary(history.segment, row.summary)) }
                                        }
                                    }
                                    td.size {
                                        (row.size) " bytes "
                                        span class=(if row.delta < 0 { "delta minus" } else { "delta plus" }) {
                                            "(" (signed(row.delta)) ")"
                                        }
                                    }
                                    td {
                                        @for (i, section) in row.changed_sections.iter().enumerate() {
                                            @if i > 0 { ", " }
                                            @if section.is_empty() { "lead" } @else { (section) }
                                        }
                                    }
                                    @if history.can_revert {
                                        td.actions {
                                            @if history.latest != Some(row.id) {
                                                a.revert href=(format!("/wiki/{}/revert?to={}", history.segment, row.id)) { "revert to this" }
                                            }
                                            @if row.parent.is_some() && (!row.hidden || history.moderate.is_some()) {
                                                @if history.latest != Some(row.id) { " · " }
                                                a.undo href=(format!("/wiki/{}/undo?revision={}", history.segment, row.id)) { "undo" }
                                            }
                                        }
                                    }
                                    @if history.moderate.is_some() {
                                        td.hide {
                                            (moderation::hide_controls(row.id, row.hidden, history.latest == Some(row.id)))
                                        }
                                    }
                                }
                            }
                        }
                    }
                    button type="submit" { "Compare selected revisions" }
                }
                @if let Some(csrf) = history.moderate {
                    @for row in history.rows {
                        (moderation::hide_form(history.segment, csrf, row.id, row.hidden))
                    }
                }
                @if let Some(older) = history.older {
                    p { a rel="next" href=(older) { "Older revisions" } }
                }
            }
        },
    )
}

/// What the revert form shows.
pub struct RevertPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The page's URL segment.
    pub segment: &'a str,
    /// The revision whose text becomes the latest again.
    pub to: i64,
    /// When it was saved (RFC 3339).
    pub timestamp: &'a str,
    /// Who saved it.
    pub author: &'a str,
    /// The page's latest revision.
    pub latest: i64,
    /// The CSRF token.
    pub csrf: &'a str,
    /// Tabs for the page.
    pub tabs: PageTabs<'a>,
    /// The signed-in user.
    pub user: Option<SignedIn<'a>>,
}

/// The form that asks for a revert's summary before reverting.
pub fn revert_page(revert: &RevertPage<'_>) -> Markup {
    let heading = format!("Revert {} to revision {}", revert.title, revert.to);
    let segment = revert.segment;
    layout(
        Layout {
            title: &heading,
            tabs: revert.tabs,
            user: revert.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            p {
                "The text of "
                a href=(format!("/wiki/{segment}?revision={}", revert.to)) { "revision " (revert.to) }
                " (saved by " (revert.author) ", " (super::when::time(revert.timestamp)) ") "
                "will be saved again as the page's latest revision. Nothing is lost: every revision stays in the "
                a href=(format!("/wiki/{segment}/history")) { "history" } "."
            }
            p {
                a href=(format!("/wiki/{segment}/diff?from={}&to={}", revert.to, revert.latest)) { "What changed since then" }
            }
            form.revert method="post" action=(format!("/wiki/{segment}/revert")) {
                input type="hidden" name="csrf" value=(revert.csrf);
                input type="hidden" name="to_revision" value=(revert.to);
                label for="summary" { "Why (the edit summary)" }
                input #summary type="text" name="summary" maxlength="500" required
                    value=(format!("Reverted to revision {} by {}", revert.to, revert.author));
                div.actions { button.primary type="submit" { "Revert" } }
            }
        },
    )
}
