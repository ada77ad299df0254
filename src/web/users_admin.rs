//! User management for admins (issue 15): `GET /admin/users` lists the people with accounts;
//! `POST /admin/users/role` changes one's role and `POST /admin/users/add` adds a user with a
//! password, under the command line's rules (`auth::set_role`, `auth::add_user`: valid names
//! and passwords, the last admin keeps the role), audit-logged as the admin who did it. Every
//! post checks the CSRF token, then the role.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::Admin;
use super::{AppState, WebError};
use crate::auth::{self, AuthError, Role};
use crate::render::views::users_admin::{UserLine, UsersPage, page};

/// At most this many people are listed.
const MOST_LISTED: i64 = 2000;

/// `?done=` after a form: which fixed notice to show (never text from the request).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "role" => Some("The role was changed."),
        "added" => Some("The user was added."),
        _ => None,
    }
}

/// The page, with a notice or a problem.
async fn users_page(
    state: &AppState,
    admin: &Admin,
    notice: Option<&str>,
    problem: Option<&str>,
    name: &str,
) -> Result<Response, WebError> {
    let db = state.db().clone();
    let users = tokio::task::spawn_blocking(move || auth::list_users(&db, MOST_LISTED))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .map_err(auth_error)?;
    let lines: Vec<UserLine<'_>> = users
        .iter()
        .map(|u| UserLine {
            name: &u.name,
            role: &u.role,
            created_at: &u.created_at,
        })
        .collect();
    let body = page(&UsersPage {
        users: &lines,
        user: admin.0.signed_in(),
        notice,
        problem,
        name,
    });
    let status = match problem {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    Ok((status, body).into_response())
}

/// What the account rules refuse is said on the page; a broken store is an error.
fn auth_error(error: AuthError) -> WebError {
    match error {
        AuthError::Store(e) => e.into(),
        other => WebError::Internal(other.to_string()),
    }
}

/// Whether the rules refused the change (shown on the page), rather than something broke.
fn refusal(error: &AuthError) -> Option<String> {
    match error {
        AuthError::Store(_) | AuthError::Hash(_) => None,
        other => {
            let text = other.to_string();
            let mut chars = text.chars();
            let first = chars.next()?;
            Some(format!(
                "{}{}: nothing was changed.",
                first.to_uppercase(),
                chars.as_str()
            ))
        }
    }
}

/// `GET /admin/users`.
pub(super) async fn list(
    State(state): State<AppState>,
    admin: Admin,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    users_page(&state, &admin, notice(done.done.as_deref()), None, "").await
}

/// What the role form posts.
#[derive(Debug, Deserialize)]
pub(super) struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

fn parse_role(role: &str) -> Result<Role, WebError> {
    Role::parse(role).ok_or_else(|| {
        WebError::BadRequest(format!(
            "`{role}` is not a role: use reader, editor or admin"
        ))
    })
}

/// `POST /admin/users/role`: gives a person another role.
pub(super) async fn set_role(
    State(state): State<AppState>,
    admin: Admin,
    Form(form): Form<RoleForm>,
) -> Result<Response, WebError> {
    admin.0.check_csrf(&form.csrf)?;
    let role = parse_role(&form.role)?;
    let (db, actor, name) = (state.db().clone(), admin.0.id, form.name.clone());
    let outcome =
        tokio::task::spawn_blocking(move || auth::set_role(&db, Some(actor), &name, role))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/users?done=role").into_response()),
        Err(e) => match refusal(&e) {
            Some(problem) => users_page(&state, &admin, None, Some(&problem), "").await,
            None => Err(auth_error(e)),
        },
    }
}

/// What the add form posts.
#[derive(Debug, Deserialize)]
pub(super) struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/users/add`: a new account with a password.
pub(super) async fn add(
    State(state): State<AppState>,
    admin: Admin,
    Form(form): Form<AddForm>,
) -> Result<Response, WebError> {
    admin.0.check_csrf(&form.csrf)?;
    let role = parse_role(&form.role)?;
    let (db, actor) = (state.db().clone(), admin.0.id);
    let (name, password) = (form.name.clone(), form.password);
    let outcome = tokio::task::spawn_blocking(move || {
        auth::add_user(&db, Some(actor), &name, role, &password)
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    match outcome {
        Ok(_) => Ok(Redirect::to("/admin/users?done=added").into_response()),
        Err(e) => match refusal(&e) {
            Some(problem) => users_page(&state, &admin, None, Some(&problem), &form.name).await,
            None => Err(auth_error(e)),
        },
    }
}
