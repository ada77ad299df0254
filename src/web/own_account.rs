//! "Your account" (issue 15): `GET /account` and its forms — change your password, end a
//! session, revoke an API token, sign out everywhere. Every form carries the session's CSRF
//! token; every change is in the audit log.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::{CurrentUser, set_cookie};
use super::{AppState, WebError};
use crate::auth::AuthError;
use crate::auth::own_account::{
    self, AccountView, PasswordChange, session_handle, unix_to_rfc3339,
};
use crate::auth::session::SESSION_COOKIE;
use crate::render::views::own_account::{AccountPage, SessionLine, TokenLine, page};

/// `?done=` after a form: which fixed notice to show (never text from the request).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Done {
    done: Option<String>,
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "password" => Some("Your password was changed; your other sessions ended."),
        "session" => Some("That session was signed out."),
        "token" => Some("The API token was revoked."),
        _ => None,
    }
}

fn auth_error(error: AuthError) -> WebError {
    match error {
        AuthError::Store(e) => e.into(),
        e @ AuthError::BadPassword(_) => WebError::Unprocessable(e.to_string()),
        other => WebError::Internal(other.to_string()),
    }
}

/// The account page for `user`, with `notice` or `problem`.
async fn account_page(
    state: &AppState,
    user: &CurrentUser,
    notice: Option<&str>,
    problem: Option<&str>,
) -> Result<maud::Markup, WebError> {
    let AccountView { sessions, tokens } = own_account::view(state.db(), user.session())
        .await
        .map_err(auth_error)?;
    let current = &user.session().id_hash;
    let sessions: Vec<SessionLine<'_>> = sessions
        .iter()
        .map(|s| SessionLine {
            handle: session_handle(s),
            created: unix_to_rfc3339(s.created_at),
            last_seen: unix_to_rfc3339(s.last_seen),
            current: &s.id_hash == current,
        })
        .collect();
    let tokens: Vec<TokenLine<'_>> = tokens
        .iter()
        .map(|t| TokenLine {
            id: t.id,
            label: &t.label,
            created: &t.created_at,
            last_used: t.last_used_at.as_deref(),
        })
        .collect();
    Ok(page(&AccountPage {
        user: user.signed_in(),
        role: user.role.as_str(),
        sessions: &sessions,
        tokens: &tokens,
        notice,
        problem,
    }))
}

/// `GET /account`
pub(super) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<Done>,
) -> Result<Response, WebError> {
    let page = account_page(&state, &user, notice(done.done.as_deref()), None).await?;
    Ok(page.into_response())
}

/// The password form.
#[derive(Debug, Deserialize)]
pub(super) struct PasswordForm {
    csrf: String,
    current: String,
    new: String,
    repeat: String,
}

/// `POST /account/password`: the current password asked again; the new one twice.
pub(super) async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if form.new != form.repeat {
        let page = account_page(
            &state,
            &user,
            None,
            Some("The two new passwords differ: nothing was changed."),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let db = state.db().clone();
    let session = user.session().clone();
    let outcome = tokio::task::spawn_blocking(move || {
        own_account::change_password(&db, &session, &form.current, &form.new)
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?;
    let problem = match outcome {
        Ok(PasswordChange::Changed(_)) => {
            return Ok(Redirect::to("/account?done=password").into_response());
        }
        Ok(PasswordChange::WrongPassword) => {
            "Your current password was not right: nothing was changed.".to_owned()
        }
        Err(AuthError::BadPassword(why)) => format!("The new password will not do: {why}."),
        Err(e) => return Err(auth_error(e)),
    };
    let page = account_page(&state, &user, None, Some(&problem)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The end-a-session form.
#[derive(Debug, Deserialize)]
pub(super) struct EndSession {
    csrf: String,
    session: String,
}

/// `POST /account/sessions/end`: signs one of your sessions out.
pub(super) async fn end_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<EndSession>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let ended = own_account::end_session(state.db(), user.session(), &form.session)
        .await
        .map_err(auth_error)?;
    if !ended {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to("/account?done=session").into_response())
}

/// The revoke-a-token form.
#[derive(Debug, Deserialize)]
pub(super) struct RevokeToken {
    csrf: String,
    token: i64,
}

/// `POST /account/tokens/revoke`: revokes one of your API tokens.
pub(super) async fn revoke_token(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<RevokeToken>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let revoked = own_account::revoke_token(state.db(), user.session(), form.token)
        .await
        .map_err(auth_error)?;
    if !revoked {
        return Err(WebError::NotFound);
    }
    Ok(Redirect::to("/account?done=token").into_response())
}

/// The sign-out-everywhere form.
#[derive(Debug, Deserialize)]
pub(super) struct CsrfOnly {
    csrf: String,
}

/// `POST /account/sign-out-everywhere`: ends every session of yours, this one too.
pub(super) async fn sign_out_everywhere(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    own_account::sign_out_everywhere(state.db(), user.session())
        .await
        .map_err(auth_error)?;
    let mut response = Redirect::to("/login").into_response();
    let secure = state.settings().secure_cookies;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, secure),
    );
    Ok(response)
}
