//! User management for admins (issue 15): `/admin/users` lists the people with accounts, with
//! their role and when the account was made, a form per person to change the role, and a form
//! to add a user with a password.

use maud::{Markup, html};

use super::account::csrf_field;
use super::{Layout, SignedIn, layout};

/// The roles a form offers, in order.
const ROLES: [&str; 3] = ["reader", "editor", "admin"];

/// One person in the list.
#[derive(Debug, Clone, Copy)]
pub struct UserLine<'a> {
    /// Their user name.
    pub name: &'a str,
    /// Their role.
    pub role: &'a str,
    /// When the account was made (RFC 3339).
    pub created_at: &'a str,
}

/// What the page shows.
#[derive(Debug, Clone, Copy)]
pub struct UsersPage<'a> {
    /// The people, by name.
    pub users: &'a [UserLine<'a>],
    /// The admin looking.
    pub user: SignedIn<'a>,
    /// What was just done ("bob is now an editor."), if anything.
    pub notice: Option<&'a str>,
    /// Why the last form was refused, if it was.
    pub problem: Option<&'a str>,
    /// The name typed in the add form (kept after a refusal).
    pub name: &'a str,
}

fn role_select(id: &str, current: &str) -> Markup {
    html! {
        select id=(id) name="role" {
            @for role in ROLES {
                @if role == current {
                    option value=(role) selected { (role) }
                } @else {
                    option value=(role) { (role) }
                }
            }
        }
    }
}

/// The page.
pub fn page(page: &UsersPage<'_>) -> Markup {
    layout(
        Layout {
            title: "Users",
            user: Some(page.user),
            notice: page.notice,
            ..Layout::default()
        },
        html! {
            h1 { "Users" }
            p.meta {
                "Changes of role and new accounts are in the " a href="/admin/log" { "audit log" } ". "
                "The last admin keeps their role."
            }
            @if let Some(problem) = page.problem { p.error role="alert" { (problem) } }
            table.users {
                thead { tr { th { "Name" } th { "Role" } th { "Account made" } } }
                tbody {
                    @for (index, line) in page.users.iter().enumerate() {
                        tr {
                            td.name { a href=(super::authors::contributions_url(line.name)) { (line.name) } }
                            td.role {
                                form.set-role method="post" action="/admin/users/role" {
                                    (csrf_field(page.user.csrf))
                                    input type="hidden" name="name" value=(line.name);
                                    label.visually-hidden for=(format!("role-{index}")) { "Role of " (line.name) }
                                    (role_select(&format!("role-{index}"), line.role))
                                    " "
                                    button type="submit" { "Change" }
                                }
                            }
                            td.created { (super::when::time(line.created_at)) }
                        }
                    }
                }
            }
            h2 { "Add a user" }
            form.add-user method="post" action="/admin/users/add" {
                (csrf_field(page.user.csrf))
                p {
                    label for="new-name" { "User name" } " "
                    input #new-name type="text" name="name" value=(page.name) required maxlength="64" autocomplete="off";
                }
                p {
                    label for="new-password" { "Password" } " "
                    input #new-password type="password" name="password" required minlength="8" maxlength="1024" autocomplete="new-password";
                }
                p {
                    label for="new-role" { "Role" } " "
                    (role_select("new-role", "editor"))
                }
                p { button.primary type="submit" { "Add user" } }
            }
        },
    )
}
