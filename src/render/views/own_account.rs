//! "Your account" (issue 15): change your password, your sessions and API tokens, sign out
//! everywhere, and your watchlist's private feed.

use maud::{Markup, html};

use super::account::csrf_field;
use super::{Layout, SignedIn, layout, when};

/// One session as listed.
pub struct SessionLine<'a> {
    /// Its handle (the start of its hash), posted to end it.
    pub handle: &'a str,
    /// When it began (RFC 3339).
    pub created: String,
    /// When it was last used.
    pub last_seen: String,
    /// Whether it is the session showing this page.
    pub current: bool,
}

/// One API token as listed.
pub struct TokenLine<'a> {
    /// Its id, posted to revoke it.
    pub id: i64,
    /// Its label.
    pub label: &'a str,
    /// When it was made.
    pub created: &'a str,
    /// When it was last used.
    pub last_used: Option<&'a str>,
}

/// What the account page shows.
pub struct AccountPage<'a> {
    /// The signed-in user.
    pub user: SignedIn<'a>,
    /// Their role.
    pub role: &'a str,
    /// Live sessions.
    pub sessions: &'a [SessionLine<'a>],
    /// API tokens.
    pub tokens: &'a [TokenLine<'a>],
    /// A message after an action ("Password changed…"), if any.
    pub notice: Option<&'a str>,
    /// A problem with the last action, if any.
    pub problem: Option<&'a str>,
}

/// The account page.
pub fn page(account: &AccountPage<'_>) -> Markup {
    let csrf = account.user.csrf;
    layout(
        Layout {
            title: "Your account",
            user: Some(account.user),
            ..Layout::default()
        },
        html! {
            h1.page-title { "Your account" }
            p { "Signed in as " strong { (account.user.name) } " (" (account.role) "). "
                a href=(super::authors::contributions_url(account.user.name)) { "Your contributions" } " · "
                a href="/watchlist" { "Your watchlist" } }
            @if let Some(notice) = account.notice { p.notice role="status" { (notice) } }
            @if let Some(problem) = account.problem { p.error role="alert" { (problem) } }

            h2 { "Change your password" }
            form.edit.change-password method="post" action="/account/password" {
                (csrf_field(csrf))
                label for="current-password" { "Current password" }
                input #current-password type="password" name="current" required autocomplete="current-password" maxlength="1024";
                label for="new-password" { "New password" }
                input #new-password type="password" name="new" required autocomplete="new-password" minlength="8" maxlength="1024";
                label for="repeat-password" { "New password again" }
                input #repeat-password type="password" name="repeat" required autocomplete="new-password" minlength="8" maxlength="1024";
                p.meta { "Your other sessions end; this one goes on." }
                p { button type="submit" { "Change password" } }
            }

            h2 { "Your sessions" }
            table.account-list.sessions {
                thead { tr { th scope="col" { "Signed in" } th scope="col" { "Last used" } th scope="col" { "" } } }
                tbody {
                    @for session in account.sessions {
                        tr {
                            td { (when::time(&session.created)) }
                            td { (when::time(&session.last_seen)) }
                            td {
                                @if session.current { "this session" } @else {
                                    form.inline method="post" action="/account/sessions/end" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="session" value=(session.handle);
                                        button type="submit" { "Sign out" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form.sign-out-everywhere method="post" action="/account/sign-out-everywhere" {
                (csrf_field(csrf))
                p { button type="submit" { "Sign out everywhere" } " " span.meta { "(this session too)" } }
            }

            h2 { "Your API tokens" }
            @if account.tokens.is_empty() {
                p { "You have no API tokens." }
            } @else {
                table.account-list.tokens {
                    thead { tr { th scope="col" { "Label" } th scope="col" { "Made" } th scope="col" { "Last used" } th scope="col" { "" } } }
                    tbody {
                        @for token in account.tokens {
                            tr {
                                td { @if token.label.is_empty() { span.meta { "(no label)" } } @else { (token.label) } }
                                td { (when::time(token.created)) }
                                td { @if let Some(used) = token.last_used { (when::time(used)) } @else { "never" } }
                                td {
                                    form.inline method="post" action="/account/tokens/revoke" {
                                        (csrf_field(csrf))
                                        input type="hidden" name="token" value=(token.id);
                                        button type="submit" { "Revoke" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
