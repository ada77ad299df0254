//! Account views: the sign-in form, the audit log, and the hidden CSRF field every form that
//! changes something carries.

use maud::{Markup, html};

use super::{Layout, SignedIn, layout, when};

/// The hidden field with the CSRF token (`name="csrf"`): put it in every form that changes
/// something; the handler checks it before changing anything.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// What the sign-in page shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignInForm<'a> {
    /// The CSRF token for this form.
    pub csrf: &'a str,
    /// Where to go after signing in (a path on this site).
    pub next: &'a str,
    /// The name typed last time (kept after a failed attempt).
    pub name: &'a str,
    /// What went wrong last time, if anything.
    pub message: Option<&'a str>,
    /// Who is signed in already, if anyone.
    pub user: Option<SignedIn<'a>>,
}

/// The sign-in page.
pub fn sign_in_page(form: &SignInForm<'_>) -> Markup {
    layout(
        Layout {
            title: "Sign in",
            user: form.user,
            ..Layout::default()
        },
        html! {
            h1 { "Sign in" }
            @if let Some(user) = form.user {
                p.notice { "You are signed in as " strong { (user.name) } ". Signing in again replaces that session." }
            }
            @if let Some(message) = form.message {
                p.error role="alert" { (message) }
            }
            form.sign-in action="/login" method="post" {
                (csrf_field(form.csrf))
                input type="hidden" name="next" value=(form.next);
                p {
                    label for="sign-in-name" { "User name" }
                    input #sign-in-name type="text" name="name" value=(form.name) required autocomplete="username" maxlength="64" autofocus;
                }
                p {
                    label for="sign-in-password" { "Password" }
                    input #sign-in-password type="password" name="password" required autocomplete="current-password" maxlength="1024";
                }
                p { button type="submit" { "Sign in" } }
            }
        },
    )
}

/// One line of the audit log, as shown.
#[derive(Debug, Clone, Copy)]
pub struct LogLine<'a> {
    /// When (RFC 3339).
    pub at: &'a str,
    /// Who (a user name), or `None` for an anonymous client.
    pub actor: Option<&'a str>,
    /// What happened.
    pub action: &'a str,
    /// To what.
    pub target: &'a str,
    /// Details.
    pub detail: &'a str,
}

/// What the audit log page shows.
#[derive(Debug, Clone, Copy)]
pub struct AuditLog<'a> {
    /// The entries, newest first.
    pub lines: &'a [LogLine<'a>],
    /// The URL of older entries, if any.
    pub older: Option<&'a str>,
    /// Titles that hold an invisible character, to be moved.
    pub invisible_titles: &'a [String],
}

/// The audit log page (`/admin/log`), newest first, with a link to older entries; above it,
/// any page titles that hide an invisible character, each with a link to move it.
pub fn audit_log_page(log: &AuditLog<'_>, user: SignedIn<'_>) -> Markup {
    let (lines, older) = (log.lines, log.older);
    layout(
        Layout {
            title: "Audit log",
            user: Some(user),
            ..Layout::default()
        },
        html! {
            h1 { "Audit log" }
            @if !log.invisible_titles.is_empty() {
                section.invisible-titles {
                    h2 { "Titles with invisible characters" }
                    p { "These pages were made before titles refused characters that show nothing; each can pass for another page. Move them to a plain title." }
                    ul {
                        @for title in log.invisible_titles {
                            li {
                                code { (crate::doc::chars::reveal(title)) }
                                " (" a href=(format!("{}/move", crate::render::links::page_url(title))) { "move" } ")"
                            }
                        }
                    }
                }
            }
            p { "Sign-ins, failed sign-ins, lockouts, new users, role changes, API tokens, protections, hidden revisions, pages renamed into their namespace and jobs started, newest first. Background work is on the " a href="/admin/jobs" { "jobs" } " page." }
            @if lines.is_empty() {
                p.empty { "Nothing has been logged yet." }
            } @else {
                table.audit-log {
                    thead { tr { th { "When" } th { "Who" } th { "What" } th { "Target" } th { "Details" } } }
                    tbody {
                        @for line in lines {
                            tr {
                                td { (when::time(line.at)) }
                                td { @if let Some(actor) = line.actor { (actor) } @else { em { "anonymous" } } }
                                td.action { (line.action) }
                                td.target { (line.target) }
                                td { (line.detail) }
                            }
                        }
                    }
                }
            }
            @if let Some(url) = older {
                p { a rel="next" href=(url) { "Older entries" } }
            }
        },
    )
}
