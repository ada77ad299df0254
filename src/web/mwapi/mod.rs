//! MediaWiki's Action API at `/w/api.php` (and `/api.php`), enough for mwclient and pywikibot
//! to read and edit pages with their normal calls (issue 19).
//!
//! One handler reads the parameters (query string, and a form or multipart body for POST),
//! works out who is calling (session cookie, bearer token, or nobody), and dispatches on
//! `action` to one module per action (`parse`, `compare` and `rsd` among them); anything else answers `unknown_action`. Answers are
//! JSON in format version 1 or 2; errors are HTTP 200 with `{"error": {"code", "info"}}`, as
//! MediaWiki sends them.

mod compare;
mod edit;
mod login;
mod paraminfo;
mod params;
mod parse;
mod query;
mod reply;
mod rsd;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::AppState;
use super::session::{ClientAddress, MaybeUser};
use crate::auth::{ReadAccess, Role, User, token_user};
use params::Params;
use reply::{Format, MwError};

/// A multi-value parameter's values (`a|b|c`), empty ones left out.
fn split_values(raw: &str) -> Vec<&str> {
    raw.split('|').filter(|v| !v.is_empty()).collect()
}

/// A positive integer parameter `name`, or `badinteger`.
fn positive_integer(raw: &str, name: &str) -> Result<i64, MwError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            MwError::new(
                "badinteger",
                format!("Invalid value \"{raw}\" for integer parameter \"{name}\"."),
            )
        })
}

/// The paths the Action API answers at.
pub(super) const PATHS: [&str; 2] = ["/w/api.php", "/api.php"];

/// Whether `path` is the Action API's.
pub(super) fn is_action_api(path: &str) -> bool {
    PATHS.contains(&path)
}

/// The suffix MediaWiki puts on every edit token; an anonymous caller's token is this alone.
pub(super) const TOKEN_SUFFIX: &str = "+\\";

/// Who calls: a signed-in session, a bearer token's user, or nobody.
#[derive(Debug, Clone)]
pub(super) enum Caller {
    /// Nobody signed in.
    Anonymous,
    /// A session (cookie): its csrf token is the session's.
    Session(crate::auth::SessionUser),
    /// `Authorization: Bearer plt_…`: the csrf token is derived from the token.
    Bearer {
        /// Whose token.
        user: User,
        /// A secret derived from the token, the csrf token's first part.
        csrf: String,
    },
}

impl Caller {
    /// The user, if any.
    pub(super) fn user(&self) -> Option<&User> {
        match self {
            Self::Anonymous => None,
            Self::Session(session) => Some(&session.user),
            Self::Bearer { user, .. } => Some(user),
        }
    }

    /// The csrf token MediaWiki clients send back with writes.
    pub(super) fn csrf_token(&self) -> String {
        let secret = match self {
            Self::Anonymous => "",
            Self::Session(session) => &session.csrf,
            Self::Bearer { csrf, .. } => csrf,
        };
        format!("{secret}{TOKEN_SUFFIX}")
    }

    /// Whether `token` is this caller's csrf token.
    pub(super) fn csrf_matches(&self, token: &str) -> bool {
        crate::auth::secret::secrets_equal(&self.csrf_token(), token)
    }
}

/// One request, as the action modules see it.
pub(super) struct Call<'a> {
    state: &'a AppState,
    params: &'a Params,
    format: Format,
    caller: &'a Caller,
    headers: &'a HeaderMap,
    address: &'a str,
    posted: bool,
}

impl Call<'_> {
    /// A required parameter.
    fn required(&self, name: &str) -> Result<&str, MwError> {
        self.params
            .get(name)
            .ok_or_else(|| MwError::missing_param(name))
    }

    /// `mustbeposted` unless the request is a POST.
    fn require_post(&self, action: &str) -> Result<(), MwError> {
        if self.posted {
            Ok(())
        } else {
            Err(MwError::new(
                "mustbeposted",
                format!("The \"{action}\" module requires a POST request."),
            ))
        }
    }

    /// The site's address as clients reach it (`http://host`), for `server`.
    fn server(&self) -> String {
        let host = self
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| h.len() <= 255 && !h.contains(['/', ' ', '\\']))
            .unwrap_or("localhost");
        let scheme = if self.state.settings().secure_cookies {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{host}")
    }
}

/// What a module answers: the top-level object and any cookies to set.
#[derive(Debug, Default)]
pub(super) struct Answer {
    pub body: Map<String, Value>,
    pub cookies: Vec<HeaderValue>,
}

impl Answer {
    /// An answer of one top-level key.
    pub(super) fn of(key: &str, value: Value) -> Self {
        let mut body = Map::new();
        body.insert(key.to_owned(), value);
        Self {
            body,
            cookies: Vec::new(),
        }
    }
}

/// `GET|POST /w/api.php` and `/api.php`.
pub(super) async fn handle(
    State(state): State<AppState>,
    MaybeUser(session): MaybeUser,
    ClientAddress(address): ClientAddress,
    request: Request,
) -> Response {
    let posted = request.method() == Method::POST;
    let headers = request.headers().clone();
    let query = request.uri().query().map(str::to_owned);
    let body = match Bytes::from_request(request, &state).await {
        Ok(body) => body,
        Err(rejection) => {
            // Past the body limit: MediaWiki's error, with the HTTP status that says so (413).
            let error = MwError::new("toobig", rejection.body_text());
            let mut response = reply::refuse(Format { v2: false }, &error);
            *response.status_mut() = rejection.status();
            return response;
        }
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let params = match Params::read(query.as_deref(), content_type, &body) {
        Ok(params) => params,
        Err(error) => return reply::refuse(Format { v2: false }, &error),
    };
    if params.get("action") == Some("rsd") {
        return (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/xml; charset=utf-8"),
            )],
            rsd::answer(&state),
        )
            .into_response();
    }
    let format = Format::asked(&params);
    let caller = match caller(&state, session, &headers).await {
        Ok(caller) => caller,
        Err(error) => return reply::refuse(format, &error),
    };
    let call = Call {
        state: &state,
        params: &params,
        format,
        caller: &caller,
        headers: &headers,
        address: &address,
        posted,
    };
    match dispatch(&call).await {
        Ok(answer) => {
            let mut response = reply::respond(&Value::Object(answer.body));
            for cookie in answer.cookies {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
            response
        }
        Err(error) => reply::refuse(format, &error),
    }
}

/// The caller: a bearer token wins over the session cookie.
async fn caller(
    state: &AppState,
    session: Option<super::session::CurrentUser>,
    headers: &HeaderMap,
) -> Result<Caller, MwError> {
    if let Some(value) = headers.get(header::AUTHORIZATION) {
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .unwrap_or("");
        return match token_user(state.db(), token).await {
            Ok(Some(user)) => Ok(Caller::Bearer {
                user,
                csrf: crate::auth::secret::sha256_hex(&format!("mwapi-csrf:{token}"))[..32]
                    .to_owned(),
            }),
            Ok(None) => Err(MwError::new(
                "mwoauth-invalid-authorization",
                "The authorization headers in your request are not valid: the API token is not valid.",
            )),
            Err(e) => Err(MwError::from(crate::wiki::WikiError::from(e))),
        };
    }
    Ok(match session {
        Some(user) => Caller::Session(user.session().clone()),
        None => Caller::Anonymous,
    })
}

/// One module per action.
async fn dispatch(call: &Call<'_>) -> Result<Answer, MwError> {
    match call.params.get("format") {
        None | Some("json" | "jsonfm") => {}
        Some(other) => {
            return Err(MwError::new(
                "badvalue",
                format!("Unrecognized value for parameter \"format\": {other}."),
            ));
        }
    }
    let action = call.params.get("action").unwrap_or("help");
    if call.state.settings().read_access == ReadAccess::Users
        && call.caller.user().is_none()
        && !open_to_anonymous(action, call.params)
    {
        return Err(MwError::new(
            "readapidenied",
            "You need read permission to use this module.",
        ));
    }
    match action {
        "query" => query::run(call).await,
        "edit" => edit::run(call).await,
        "login" => login::login(call).await,
        "clientlogin" => login::clientlogin(call).await,
        "logout" => login::logout(call).await,
        "paraminfo" => paraminfo::run(call),
        "parse" => Ok(as_answer(parse::answer(call).await?)),
        "compare" => Ok(as_answer(compare::answer(call).await?)),
        other => Err(MwError::new(
            "unknown_action",
            format!(
                "Unrecognized value for parameter \"action\": {}.",
                other.chars().take(100).collect::<String>()
            ),
        )),
    }
}

/// A `parse` or `compare` answer (one object) as the dispatcher's.
fn as_answer(value: Value) -> Answer {
    match value {
        Value::Object(body) => Answer {
            body,
            cookies: Vec::new(),
        },
        other => Answer::of("result", other),
    }
}

/// What a private wiki answers before signing in: signing in, and the tokens and site facts
/// that needs.
fn open_to_anonymous(action: &str, params: &Params) -> bool {
    match action {
        "login" | "clientlogin" | "logout" | "paraminfo" => true,
        "query" => {
            params.get("prop").is_none()
                && params.get("list").is_none()
                && params.get("titles").is_none()
                && params.get("pageids").is_none()
                && params.get("revids").is_none()
                && params.get("generator").is_none()
        }
        _ => false,
    }
}

/// MediaWiki's groups for a Plutarch role.
pub(super) fn groups(user: Option<&User>) -> Vec<&'static str> {
    let mut groups = vec!["*"];
    if let Some(user) = user {
        groups.extend(["user", "autoconfirmed"]);
        if user.has(Role::Admin) {
            groups.extend(["sysop", "bot"]);
        }
    }
    groups
}

/// MediaWiki's rights for a Plutarch role.
pub(super) fn rights(user: Option<&User>) -> Vec<&'static str> {
    let mut rights = vec!["read"];
    if let Some(user) = user {
        rights.extend(["writeapi", "viewmywatchlist"]);
        if user.has(Role::Editor) {
            rights.extend(["edit", "createpage", "createtalk", "minoredit", "move"]);
        }
        if user.has(Role::Admin) {
            rights.extend(["protect", "editprotected", "delete", "undelete", "bot"]);
        }
    }
    rights
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_positive_and_versions_are_one_or_two() {
        assert_eq!(positive_integer(" 12 ", "fromrev"), Ok(12));
        for bad in ["0", "-1", "x", ""] {
            assert_eq!(
                positive_integer(bad, "fromrev").map_err(|e| e.code),
                Err("badinteger".to_owned())
            );
        }
        let version = |v: &str| {
            let query = format!("formatversion={v}");
            let params = Params::read(Some(&query), None, &[]).expect("parameters");
            Format::asked(&params).v2
        };
        assert!(version("2"));
        assert!(version("latest"));
        assert!(!version("1"));
        assert!(!Format::asked(&Params::default()).v2);
        assert_eq!(split_values("text||links"), ["text", "links"]);
    }
}
