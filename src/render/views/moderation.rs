//! Moderation views: the protected-page notice, the hidden-revision notes, the form that
//! protects or unprotects a page, and the per-revision hide/unhide controls (admins only).

use maud::{Markup, html};

use super::account::csrf_field;

/// The notice on a protected page's read view, edit form and history.
pub const PROTECTED_NOTICE: &str = "This page is protected: only admins can edit it.";

/// What a reader is told in place of a hidden revision's text.
pub const TEXT_HIDDEN: &str = "(this revision's text is hidden)";

/// What a reader is told in place of a hidden revision's summary.
pub const SUMMARY_HIDDEN: &str = "(summary hidden)";

/// The notice on a protected page.
pub fn protected_notice() -> Markup {
    html! { p.banner.protected role="note" { (PROTECTED_NOTICE) } }
}

/// Who hid a revision, when and why (shown to admins, who still see the text).
#[derive(Debug, Clone, Copy)]
pub struct HiddenNote<'a> {
    /// The admin who hid it.
    pub by: &'a str,
    /// When (RFC 3339).
    pub at: &'a str,
    /// Why.
    pub reason: &'a str,
}

/// The note on a hidden revision: to admins, that it is hidden (with who, when and why) and
/// that they alone see it; to everyone else, that its text is hidden.
pub fn hidden_notice(note: Option<HiddenNote<'_>>, text_shown: bool) -> Markup {
    html! {
        @if text_shown {
            p.banner.hidden-revision role="note" {
                "This revision is hidden: only admins see its text and summary."
                @if let Some(note) = note {
                    " Hidden by " (note.by) " at " time datetime=(note.at) { (note.at) }
                    @if !note.reason.is_empty() { ": " (note.reason) }
                    "."
                }
            }
        } @else {
            p.banner.hidden-revision role="note" { (TEXT_HIDDEN) }
        }
    }
}

/// The form that protects or unprotects a page (admins).
pub fn protect_form(segment: &str, csrf: &str, protected: bool) -> Markup {
    let action = format!("/wiki/{segment}/protect");
    html! {
        form.protect id="protect" method="post" action=(action) {
            (csrf_field(csrf))
            input type="hidden" name="protected" value=(if protected { "off" } else { "on" });
            label for="protect-reason" { "Reason" }
            " "
            input #protect-reason type="text" name="reason" maxlength="500";
            " "
            button type="submit" { @if protected { "Unprotect" } @else { "Protect" } }
        }
    }
}

/// The hidden form behind one revision's hide (or unhide) button; its reason field and
/// button sit in the history row (`form=` attributes), since forms cannot nest in the compare
/// form.
pub fn hide_form(segment: &str, csrf: &str, revision: i64, hidden: bool) -> Markup {
    let action = format!("/wiki/{segment}/hide");
    html! {
        form #(format!("hide-{revision}")) method="post" action=(action) hidden {
            (csrf_field(csrf))
            input type="hidden" name="revision" value=(revision);
            input type="hidden" name="hidden" value=(if hidden { "off" } else { "on" });
        }
    }
}

/// A history row's hide controls: a reason and the button (none for the current revision,
/// which cannot be hidden).
pub fn hide_controls(revision: i64, hidden: bool, latest: bool) -> Markup {
    let form = format!("hide-{revision}");
    html! {
        @if !latest || hidden {
            input type="text" name="reason" form=(form) placeholder="reason" maxlength="500"
                aria-label=(format!("reason for revision {revision}"));
            " "
            button.hide type="submit" form=(form) { @if hidden { "Unhide" } @else { "Hide" } }
        }
    }
}
