//! The forms that move or delete a page, and the page a deleted title shows (with an undelete
//! button for admins).

use maud::{Markup, html};

use super::account::csrf_field;
use super::{Layout, PageTabs, SignedIn, layout};

/// The page a move or delete form acts on, and who is asking.
#[derive(Debug, Clone, Copy)]
pub struct PageAction<'a> {
    /// The page's current title.
    pub title: &'a str,
    /// Its URL segment (`_` for spaces).
    pub segment: &'a str,
    /// The page tabs.
    pub tabs: PageTabs<'a>,
    /// The signed-in user (the form's CSRF token is theirs).
    pub user: SignedIn<'a>,
}

/// What the move form shows besides its page.
#[derive(Debug, Clone, Copy, Default)]
pub struct MoveFields<'a> {
    /// The title typed so far (after a refused try), else empty.
    pub to: &'a str,
    /// The summary typed so far.
    pub summary: &'a str,
    /// Why the last try was refused, if it was.
    pub problem: Option<&'a str>,
}

/// The form that renames a page and leaves a redirect at the old title.
pub fn move_page(page: &PageAction<'_>, form: &MoveFields<'_>) -> Markup {
    let action = format!("/wiki/{}/move", page.segment);
    action_page(
        page,
        &format!("Move {}", page.title),
        html! {
            p {
                "The page keeps its history and its section ids under the new title; the old "
                "title becomes a redirect to it, so links to it keep working."
            }
            @if let Some(problem) = form.problem { p.problem role="alert" { (problem) } }
            form.move-page method="post" action=(action) {
                (csrf_field(page.user.csrf))
                p {
                    label for="move-to" { "New title" }
                    br;
                    input #move-to type="text" name="to" value=(form.to) required maxlength="255";
                }
                p {
                    label for="move-summary" { "Reason" }
                    br;
                    input #move-summary type="text" name="summary" value=(form.summary) maxlength="500";
                }
                button type="submit" { "Move page" }
            }
        },
    )
}

/// Asks an admin to confirm a deletion, with a reason for the audit log.
pub fn delete_page(page: &PageAction<'_>) -> Markup {
    let action = format!("/wiki/{}/delete", page.segment);
    action_page(
        page,
        &format!("Delete {}", page.title),
        html! {
            p {
                "A deleted page reads as missing and leaves search, categories and “what links "
                "here”. Its history is kept, and an admin can bring it back."
            }
            form.delete-page method="post" action=(action) {
                (csrf_field(page.user.csrf))
                p {
                    label for="delete-reason" { "Reason" }
                    br;
                    input #delete-reason type="text" name="reason" maxlength="500";
                }
                p {
                    input #delete-reason-private type="checkbox" name="reason_private";
                    " "
                    label for="delete-reason-private" { "Keep the reason to admins (readers of the title see only that the page was deleted, and when)" }
                }
                button.danger type="submit" { "Delete page" }
            }
        },
    )
}

/// A move or delete form's page: the layout with the page's tabs, the heading, the form.
fn action_page(page: &PageAction<'_>, heading: &str, form: Markup) -> Markup {
    layout(
        Layout {
            title: heading,
            tabs: page.tabs,
            user: Some(page.user),
            ..Layout::default()
        },
        html! {
            h1 { (heading) }
            (form)
        },
    )
}

/// What a deleted title shows instead of the page.
#[derive(Debug, Clone, Copy)]
pub struct DeletedPage<'a> {
    /// The title.
    pub title: &'a str,
    /// Its URL segment.
    pub segment: &'a str,
    /// When it was deleted (RFC 3339).
    pub deleted_at: &'a str,
    /// Why, when the reader may see it.
    pub reason: Option<&'a str>,
    /// Whether there is a reason kept to admins.
    pub reason_private: bool,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// Whether the user may undelete (admins): shows the undelete form.
    pub may_undelete: bool,
}

/// The 404 of a deleted page: it says so, links to creating the page anew, and offers admins
/// to undelete it.
pub fn deleted_page(page: &DeletedPage<'_>) -> Markup {
    let base = format!("/wiki/{}", page.segment);
    layout(
        Layout {
            title: page.title,
            tabs: PageTabs::default(),
            user: page.user,
            ..Layout::default()
        },
        html! {
            h1 { (page.title) }
            p.missing.deleted-notice {
                "This page was deleted on " (super::when::time(page.deleted_at)) "."
                @match page.reason {
                    Some(reason) => { " Reason: " q.deletion-reason { (reason) } "." @if page.reason_private { " " span.meta { "(kept to admins)" } } }
                    None if page.reason_private => " The reason is kept to admins.",
                    None => " No reason was given.",
                }
            }
            p { "Its history is kept, and an admin can bring it back." }
            p { a href=(format!("{base}/edit")) { "Create the page “" (page.title) "” anew" } }
            @if let (true, Some(user)) = (page.may_undelete, page.user) {
                form.undelete-page method="post" action=(format!("{base}/undelete")) {
                    (csrf_field(user.csrf))
                    label for="undelete-reason" { "Reason" }
                    " "
                    input #undelete-reason type="text" name="reason" maxlength="500";
                    " "
                    button type="submit" { "Undelete" }
                }
            }
        },
    )
}
