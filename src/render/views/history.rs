//! A page's history: revisions newest first, with a form to compare two and revert links.

use maud::{Markup, html};

use super::authors::{self, Author};
use super::{Layout, SignedIn, layout, moderation};

/// One revision in the list.
pub struct HistoryRow<'a> {
    /// The revision id.
    pub id: i64,
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
    /// The CSRF token for the revert forms.
    pub csrf: &'a str,
    /// The URL of the next (older) page of revisions.
    pub older: Option<&'a str>,
    /// Tabs for the page.
    pub tabs: &'a [(&'a str, &'a str, bool)],
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// Whether the page is protected.
    pub protected: bool,
    /// For admins: the CSRF token of the protect and hide forms (`None`: no such forms).
    pub moderate: Option<&'a str>,
    /// The page's latest revision, when known (it cannot be hidden, so it has no hide button).
    pub latest: Option<i64>,
}

fn signed(delta: i64) -> String {
    if delta > 0 {
        format!("+{delta}")
    } else {
        delta.to_string()
    }
}

/// The history page.
pub fn page(history: &HistoryPage<'_>) -> Markup {
    let heading = match history.section_title {
        Some(section) => format!("History of {} — section “{section}”", history.title),
        None => format!("History of {}", history.title),
    };
    let diff_action = format!("/wiki/{}/diff", history.segment);
    let revert_action = format!("/wiki/{}/revert", history.segment);
    layout(
        Layout {
            title: &heading,
            tabs: history.tabs,
            user: history.user,
        },
        html! {
            h1.page-title { (heading) }
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
                                @if history.can_revert { th scope="col" { "Revert" } }
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
                                    td {
                                        a href=(format!("/wiki/{}?revision={}", history.segment, row.id)) {
                                            time datetime=(row.timestamp) { (row.timestamp) }
                                        }
                                        " " span.meta { "#" (row.id) }
                                    }
                                    td { (authors::link(row.author)) }
                                    td {
                                        @if row.hidden && history.moderate.is_none() {
                                            span.meta.summary-hidden { (moderation::SUMMARY_HIDDEN) }
                                        } @else {
                                            @if row.hidden { span.meta.hidden-mark { "(hidden) " } }
                                            @if row.summary.is_empty() { span.meta { "(no summary)" } } @else { (row.summary) }
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
                                        td {
                                            @if position > 0 {
                                                button type="submit" form=(format!("revert-{}", row.id)) { "Revert to this" }
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
                @if history.can_revert {
                    @for row in history.rows.iter().skip(1) {
                        form #(format!("revert-{}", row.id)) method="post" action=(revert_action) hidden {
                            input type="hidden" name="csrf" value=(history.csrf);
                            input type="hidden" name="to_revision" value=(row.id);
                        }
                    }
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
