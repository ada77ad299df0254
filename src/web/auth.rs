//! Signing in and out, and the audit log.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::session::{Admin, ClientAddress, MaybeUser, cookie, safe_next, set_cookie};
use super::sign_in_why::Goal;
use super::{AppState, WebError};
use crate::auth::session::{self as sessions, LIFETIME_SECS, SESSION_COOKIE, SignIn};
use crate::auth::{AuthError, SignInOutcome};
use crate::render::views::account::{self, LogLine, SignInForm};
use crate::store::accounts;

/// The cookie holding the nonce of the sign-in form's CSRF token (see `AnonymousCsrf`).
const FORM_COOKIE: &str = "plutarch_form";
/// How long a sign-in form stays usable.
const FORM_COOKIE_SECS: i64 = 2 * 60 * 60;

/// `?next=` on the sign-in page.
#[derive(Debug, Deserialize)]
pub(super) struct NextQuery {
    #[serde(default)]
    next: String,
}

/// The fields of a form post, or all-empty fields when the body is not a form at all (so a
/// bare cross-site POST meets the CSRF check and gets its 403). Only a body over the size
/// limit keeps its own answer (413).
fn fields_or_empty<T: Default>(form: Result<Form<T>, FormRejection>) -> Result<T, WebError> {
    match form {
        Ok(Form(fields)) => Ok(fields),
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            Err(WebError::TooLarge(rejection.body_text()))
        }
        Err(_) => Ok(T::default()),
    }
}

/// The sign-in form's fields.
#[derive(Debug, Default, Deserialize)]
pub(super) struct SignInFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
}

/// The sign-in page with a fresh form, `status`, and a message.
fn sign_in_response(
    state: &AppState,
    headers: &HeaderMap,
    user: &MaybeUser,
    status: StatusCode,
    fields: (&str, &str),
    message: Option<&str>,
) -> Response {
    let csrf = state.anonymous_csrf();
    let existing = cookie(headers, FORM_COOKIE).filter(|n| n.len() == 32);
    let nonce = existing.map_or_else(|| csrf.new_nonce(), str::to_owned);
    let (name, next) = fields;
    let page = account::sign_in_page(&SignInForm {
        csrf: &csrf.token(&nonce),
        next: safe_next(next),
        name,
        message,
        user: user.signed_in(),
    });
    let mut response = (status, page).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if existing.is_none() {
        let secure = state.settings().secure_cookies;
        headers.append(
            header::SET_COOKIE,
            set_cookie(FORM_COOKIE, &nonce, FORM_COOKIE_SECS, secure),
        );
    }
    response
}

/// `GET /login`: the sign-in form, saying what it is for when `next` tells (issue 15).
pub(super) async fn login_form(
    State(state): State<AppState>,
    user: MaybeUser,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    // Sent here by a save after the session had ended (`edit::keep_for_sign_in`).
    let kept = query
        .next
        .strip_suffix(super::drafts::KEPT_QUERY)
        .is_some_and(|rest| rest.ends_with("/edit?"));
    let why = match Goal::of(safe_next(&query.next)) {
        _ if kept => Some(KEPT_DRAFT.to_owned()),
        Some(goal) => {
            let exists = match &goal {
                Goal::Edit(title) => crate::wiki::page_exists(state.db(), title.as_str())
                    .await?
                    .is_some(),
                _ => true,
            };
            Some(goal.sentence(exists))
        }
        None => None,
    };
    Ok(sign_in_response(
        &state,
        &headers,
        &user,
        StatusCode::OK,
        ("", &query.next),
        why.as_deref(),
    ))
}

/// Why the sign-in form is shown after a save that came once the session had ended.
const KEPT_DRAFT: &str = "Your session had ended, so your edit is not saved yet. Sign in to get back to it: your text is kept.";

fn wait_message(seconds: i64, locked: bool) -> String {
    let minutes = (seconds + 59) / 60;
    let when = if seconds < 90 {
        format!("{seconds} seconds")
    } else {
        format!("{minutes} minutes")
    };
    if locked {
        format!(
            "Sign-in is locked for this account or address after too many failed attempts. Try again in {when}."
        )
    } else {
        format!(
            "Too many failed sign-ins for this account or address. Wait {when} before trying again."
        )
    }
}

/// `POST /login`: checks the form's CSRF token, then the password (throttled), then starts
/// a new session (ending the one the browser had) and goes to `next`.
pub(super) async fn login(
    State(state): State<AppState>,
    user: MaybeUser,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    form: Result<Form<SignInFields>, FormRejection>,
) -> Result<Response, WebError> {
    let fields = fields_or_empty(form)?;
    let again = |status, message: &str| {
        sign_in_response(
            &state,
            &headers,
            &user,
            status,
            (&fields.name, &fields.next),
            Some(message),
        )
    };
    let nonce = cookie(&headers, FORM_COOKIE).unwrap_or("");
    if !state.anonymous_csrf().verify(nonce, &fields.csrf) {
        return Ok(again(
            StatusCode::FORBIDDEN,
            "This form has expired or did not come from this site. Please sign in again.",
        ));
    }
    let db = state.db().clone();
    let old_session = cookie(&headers, SESSION_COOKIE).map(str::to_owned);
    let (name, password) = (fields.name.clone(), fields.password.clone());
    let outcome = tokio::task::spawn_blocking(move || {
        sessions::sign_in(
            &db,
            SignIn {
                name: &name,
                password: &password,
                address: &address,
                old_session: old_session.as_deref(),
            },
        )
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
    .map_err(|e| match e {
        AuthError::Store(e) => WebError::from(e),
        other => WebError::Internal(other.to_string()),
    })?;
    let response = match outcome {
        SignInOutcome::SignedIn { session_id, .. } => {
            let secure = state.settings().secure_cookies;
            let mut response = Redirect::to(safe_next(&fields.next)).into_response();
            let headers = response.headers_mut();
            headers.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &session_id, LIFETIME_SECS, secure),
            );
            headers.append(header::SET_COOKIE, set_cookie(FORM_COOKIE, "", 0, secure));
            response
        }
        SignInOutcome::Refused => again(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Wrong user name or password.",
        ),
        SignInOutcome::Wait(seconds) | SignInOutcome::Locked(seconds) => {
            let locked = matches!(outcome, SignInOutcome::Locked(_));
            let mut response = again(
                StatusCode::TOO_MANY_REQUESTS,
                &wait_message(seconds, locked),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
    };
    Ok(response)
}

/// The sign-out form's field.
#[derive(Debug, Default, Deserialize)]
pub(super) struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`: ends the session (its cookie is worthless afterwards) and goes home.
pub(super) async fn logout(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    form: Result<Form<CsrfField>, FormRejection>,
) -> Result<Response, WebError> {
    let form = fields_or_empty(form)?;
    if let Some(user) = &user {
        user.check_csrf(&form.csrf)?;
        sessions::sign_out(state.db(), user.session()).await?;
    }
    let mut response = Redirect::to("/").into_response();
    let secure = state.settings().secure_cookies;
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, secure),
    );
    Ok(response)
}

/// `?before=` on the audit log.
#[derive(Debug, Deserialize)]
pub(super) struct LogQuery {
    before: Option<i64>,
}

/// Entries per page of the audit log.
const LOG_PAGE: i64 = 100;

/// `GET /admin/log`: the audit log, newest first (admins only).
pub(super) async fn audit_log(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Query(query): Query<LogQuery>,
) -> Result<Response, WebError> {
    let entries = state
        .db()
        .read(move |conn| accounts::audit_log(conn, query.before, LOG_PAGE))
        .await?;
    let invisible = crate::wiki::invisible_titles(state.db()).await?;
    let lines: Vec<LogLine<'_>> = entries
        .iter()
        .map(|e| LogLine {
            at: &e.at,
            actor: e.actor.as_deref(),
            action: &e.action,
            target: &e.target,
            detail: &e.detail,
        })
        .collect();
    let older = (entries.len() as i64 == LOG_PAGE)
        .then(|| {
            entries
                .last()
                .map(|e| format!("/admin/log?before={}", e.id))
        })
        .flatten();
    let page = account::AuditLog {
        lines: &lines,
        older: older.as_deref(),
        invisible_titles: &invisible,
    };
    Ok(account::audit_log_page(&page, admin.signed_in()).into_response())
}
