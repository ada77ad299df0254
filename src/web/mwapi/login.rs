//! `action=login`, `action=clientlogin`, `action=logout`, and the login token: a session like
//! the sign-in form's (same throttle, same log), started with the password or with an API
//! token sent as a bot password (`lgname=user@label`).

use serde_json::json;

use super::reply::MwError;
use super::{Answer, Call, Caller, TOKEN_SUFFIX};
use crate::auth::session::{
    self as sessions, Credential, LIFETIME_SECS, SESSION_COOKIE, SignIn, SignInOutcome,
};
use crate::auth::{AuthError, User};
use crate::web::session::{cookie, set_cookie};

/// The cookie holding the nonce the login token is made from.
const LOGIN_COOKIE: &str = "plutarch_mwlogin";
/// How long a login token stays usable.
const LOGIN_COOKIE_SECS: i64 = 60 * 60;

/// The login token for this client (and the cookie to set when it has none yet).
pub(super) fn login_token(call: &Call<'_>) -> (String, Option<axum::http::HeaderValue>) {
    let csrf = call.state.anonymous_csrf();
    match cookie(call.headers, LOGIN_COOKIE).filter(|n| n.len() == 32) {
        Some(nonce) => (format!("{}{TOKEN_SUFFIX}", csrf.token(nonce)), None),
        None => {
            let nonce = csrf.new_nonce();
            let secure = call.state.settings().secure_cookies;
            let set = set_cookie(LOGIN_COOKIE, &nonce, LOGIN_COOKIE_SECS, secure);
            (format!("{}{TOKEN_SUFFIX}", csrf.token(&nonce)), Some(set))
        }
    }
}

/// Whether `token` is the login token of this client's cookie.
fn login_token_matches(call: &Call<'_>, token: &str) -> bool {
    let Some(nonce) = cookie(call.headers, LOGIN_COOKIE) else {
        return false;
    };
    token
        .strip_suffix(TOKEN_SUFFIX)
        .is_some_and(|token| call.state.anonymous_csrf().verify(nonce, token))
}

/// How an attempt ended, in the terms both login modules answer with.
enum Attempt {
    SignedIn {
        user: User,
        cookie: axum::http::HeaderValue,
    },
    Refused,
    Throttled(i64),
}

async fn attempt(call: &Call<'_>, name: &str, password: &str) -> Result<Attempt, MwError> {
    // A bot password: `user@label` and an API token as its password.
    let (name, credential) = match name.split_once('@') {
        Some((user, _label)) => (user.to_owned(), Credential::ApiToken),
        None => (name.to_owned(), Credential::Password),
    };
    let db = call.state.db().clone();
    let address = call.address.to_owned();
    let old_session = cookie(call.headers, SESSION_COOKIE).map(str::to_owned);
    let password = password.to_owned();
    let outcome = tokio::task::spawn_blocking(move || {
        sessions::sign_in_with(
            &db,
            SignIn {
                name: &name,
                password: &password,
                address: &address,
                old_session: old_session.as_deref(),
            },
            credential,
        )
    })
    .await
    .map_err(|e| MwError::new("internal_api_error", e.to_string()))?
    .map_err(|e| match e {
        AuthError::Store(e) => MwError::from(crate::wiki::WikiError::from(e)),
        other => MwError::new("internal_api_error", other.to_string()),
    })?;
    Ok(match outcome {
        SignInOutcome::SignedIn { user, session_id } => {
            let secure = call.state.settings().secure_cookies;
            Attempt::SignedIn {
                user,
                cookie: set_cookie(SESSION_COOKIE, &session_id, LIFETIME_SECS, secure),
            }
        }
        SignInOutcome::Refused => Attempt::Refused,
        SignInOutcome::Wait(seconds) | SignInOutcome::Locked(seconds) => {
            Attempt::Throttled(seconds)
        }
    })
}

fn throttled_reason(seconds: i64) -> String {
    format!(
        "You have made too many recent login attempts. Please wait {} minutes before trying again.",
        (seconds + 59) / 60
    )
}

/// `action=login` (`lgname`, `lgpassword`, `lgtoken`).
pub(super) async fn login(call: &Call<'_>) -> Result<Answer, MwError> {
    call.require_post("login")?;
    let name = call.params.get("lgname").unwrap_or("");
    let password = call.params.get("lgpassword").unwrap_or("");
    let token = call.params.get("lgtoken").unwrap_or("");
    if !login_token_matches(call, token) {
        // MediaWiki answers a missing or stale token with the token to use.
        let (token, set) = login_token(call);
        let mut answer = Answer::of(
            "login",
            json!({"result": "NeedToken", "token": token,
                   "reason": "Fetch a login token from action=query&meta=tokens&type=login and send it as lgtoken."}),
        );
        answer.cookies.extend(set);
        return Ok(answer);
    }
    let answer = match attempt(call, name, password).await? {
        Attempt::SignedIn { user, cookie } => {
            let mut answer = Answer::of(
                "login",
                json!({"result": "Success", "lguserid": user.id, "lgusername": user.name}),
            );
            answer.cookies.push(cookie);
            answer
        }
        Attempt::Refused => Answer::of(
            "login",
            json!({"result": "Failed",
                   "reason": "Incorrect username or password entered. Please try again."}),
        ),
        Attempt::Throttled(seconds) => Answer::of(
            "login",
            json!({"result": "Failed", "reason": throttled_reason(seconds)}),
        ),
    };
    Ok(answer)
}

/// `action=clientlogin` (`username`, `password`, `logintoken`, `loginreturnurl`).
pub(super) async fn clientlogin(call: &Call<'_>) -> Result<Answer, MwError> {
    call.require_post("clientlogin")?;
    let token = call.required("logintoken")?;
    if !login_token_matches(call, token) {
        return Err(MwError::new("badtoken", "Invalid CSRF token."));
    }
    let name = call.params.get("username").unwrap_or("");
    let password = call.params.get("password").unwrap_or("");
    let answer = match attempt(call, name, password).await? {
        Attempt::SignedIn { user, cookie } => {
            let mut answer = Answer::of(
                "clientlogin",
                json!({"status": "PASS", "username": user.name}),
            );
            answer.cookies.push(cookie);
            answer
        }
        Attempt::Refused => Answer::of(
            "clientlogin",
            json!({"status": "FAIL", "message": "Incorrect username or password entered. Please try again.",
                   "messagecode": "wrongpassword"}),
        ),
        Attempt::Throttled(seconds) => Answer::of(
            "clientlogin",
            json!({"status": "FAIL", "message": throttled_reason(seconds),
                   "messagecode": "login-throttled"}),
        ),
    };
    Ok(answer)
}

/// `action=logout` (with the csrf `token`): ends the session.
pub(super) async fn logout(call: &Call<'_>) -> Result<Answer, MwError> {
    call.require_post("logout")?;
    let token = call.required("token")?;
    if !call.caller.csrf_matches(token) {
        return Err(MwError::new("badtoken", "Invalid CSRF token."));
    }
    let mut answer = Answer::default();
    if let Caller::Session(session) = call.caller {
        sessions::sign_out(call.state.db(), session)
            .await
            .map_err(|e| MwError::from(crate::wiki::WikiError::from(e)))?;
        let secure = call.state.settings().secure_cookies;
        answer
            .cookies
            .push(set_cookie(SESSION_COOKIE, "", 0, secure));
    }
    Ok(answer)
}
