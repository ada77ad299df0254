//! Who is asking: the session middleware, the extractors handlers use, CSRF checks, API
//! tokens, and the read-access rule.
//!
//! - [`MaybeUser`]: the signed-in user, if any (for pages anyone may see).
//! - [`CurrentUser`]: a signed-in user, else a redirect to `/login` (for forms).
//! - [`Editor`], [`Admin`]: a signed-in user with at least that role, else 403.
//! - [`check_csrf`] / [`CurrentUser::check_csrf`]: the `csrf` field of a form post.
//! - [`ApiUser`]: the user behind `Authorization: Bearer plt_…`, else a problem+json 401;
//!   [`ApiUser::require`] answers 403 for a role too low.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{AppState, WebError};
use crate::auth::session::{self as sessions, SESSION_COOKIE, SessionUser};
use crate::auth::{ReadAccess, Role, User, token_user};
use crate::render::views::SignedIn;

/// The name of the hidden form field that carries the CSRF token.
pub const CSRF_FIELD: &str = "csrf";

/// Whether a path belongs to the JSON API (which answers problem+json, not pages), or to
/// MediaWiki's REST routes (whose problems are reshaped as MediaWiki's errors).
pub(super) fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/w/rest.php/")
}

/// Paths anyone may reach even when reading needs an account.
fn always_open(path: &str) -> bool {
    path == "/login"
        || path == "/healthz"
        // The Action API answers `readapidenied` itself, in MediaWiki's shape, and lets
        // clients sign in through it (`mwapi`).
        || super::mwapi::is_action_api(path)
        || path.starts_with("/static/")
        || path.starts_with("/problems/")
}

/// Whether `path` is a page's edit form, `/wiki/{title}/edit`.
fn is_edit_path(path: &str) -> bool {
    path.strip_prefix("/wiki/")
        .and_then(|rest| rest.strip_suffix("/edit"))
        .is_some_and(|title| !title.is_empty() && !title.contains('/'))
}

/// The value of cookie `name` in the request, if any.
pub(super) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, `Path=/`, `Secure` when configured.
/// `max_age` 0 deletes the cookie.
pub(super) fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// What `next=` escapes: everything but unreserved characters and `/`.
const NEXT_ESCAPE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// `/login?next=…` for a path on this site.
pub(super) fn login_url(next: &str) -> String {
    match safe_next(next) {
        "/" => "/login".to_owned(),
        next => format!("/login?next={}", utf8_percent_encode(next, NEXT_ESCAPE)),
    }
}

/// `next` if it is a path on this site, else `/`: never `//evil.example` or `https://…`
/// (an open redirect would let a link to our sign-in page send people elsewhere).
pub(super) fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    if local { next } else { "/" }
}

/// What the middleware found out about the client, for the extractors.
#[derive(Debug, Clone)]
struct Visitor(Option<SessionUser>);

/// Middleware: finds the session behind the cookie (one indexed read; last use is written at
/// most every few minutes) and enforces the read-access setting. `/healthz` and `/static`
/// skip it (no database).
pub(super) async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if path == "/healthz" || path.starts_with("/static/") {
        return next.run(request).await;
    }
    let session = match cookie(request.headers(), SESSION_COOKIE) {
        Some(value) => match sessions::lookup(state.db(), value).await {
            Ok(found) => found,
            Err(e) => return WebError::from(e).into_response(),
        },
        None => None,
    };
    // An edit posted after the session ended goes on to its handler even on a private wiki: it
    // reads nothing, keeps the text and sends the person to sign in (`edit::keep_for_sign_in`).
    let ended_edit = request.method() == axum::http::Method::POST && is_edit_path(path);
    if state.settings().read_access == ReadAccess::Users
        && session.is_none()
        && !always_open(path)
        && !ended_edit
    {
        if is_api(path) {
            match api_user(&state, request.headers()).await {
                Ok(user) => {
                    request.extensions_mut().insert(user);
                }
                Err(rejection) => return rejection.into_response(),
            }
        } else {
            let next = request
                .uri()
                .path_and_query()
                .map_or("/", |p| p.as_str())
                .to_owned();
            return WebError::SignInRequired { next }.into_response();
        }
    }
    let signed_in = session.is_some();
    request.extensions_mut().insert(Visitor(session));
    let mut response = next.run(request).await;
    if signed_in && !response.headers().contains_key(header::CACHE_CONTROL) {
        // Pages for a signed-in user carry their name and CSRF token: never stored, never shared.
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

/// A signed-in user, from the session cookie. Dereferences to [`User`] (`id`, `name`,
/// `role`, `has(role)`). Anonymous clients are redirected to `/login` and come back after.
#[derive(Debug, Clone)]
pub struct CurrentUser(SessionUser);

impl std::ops::Deref for CurrentUser {
    type Target = User;

    fn deref(&self) -> &User {
        &self.0.user
    }
}

impl CurrentUser {
    /// The session's CSRF token, for the hidden `csrf` field of every form that changes
    /// something (`render::views::account::csrf_field`).
    pub fn csrf_token(&self) -> &str {
        &self.0.csrf
    }

    /// What the layout shows in the header (name, and the sign-out form's token).
    pub fn signed_in(&self) -> SignedIn<'_> {
        SignedIn {
            name: &self.0.user.name,
            csrf: &self.0.csrf,
            admin: self.0.user.has(Role::Admin),
        }
    }

    /// 403 unless the user has `role` or a higher one.
    pub fn require(&self, role: Role) -> Result<(), WebError> {
        if self.has(role) {
            Ok(())
        } else {
            Err(WebError::Forbidden(format!(
                "this needs the {role} role, and {} is a {}",
                self.name, self.role
            )))
        }
    }

    /// 403 (and nothing changed) unless `token`, the form's `csrf` field, is this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        check_csrf(self, token)
    }

    pub(super) fn session(&self) -> &SessionUser {
        &self.0
    }
}

/// 403 unless `token` (a form's `csrf` field) is the CSRF token of `user`'s session. Call it
/// first in every handler of a form post, before changing anything.
pub fn check_csrf(user: &CurrentUser, token: &str) -> Result<(), WebError> {
    if crate::auth::secret::secrets_equal(&user.0.csrf, token) {
        Ok(())
    } else {
        Err(WebError::Csrf)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        match MaybeUser::from_request_parts(parts, state).await {
            Ok(MaybeUser(Some(user))) => Ok(user),
            _ => Err(WebError::SignInRequired {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned(),
            }),
        }
    }
}

/// The signed-in user, if any. Never rejects.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl MaybeUser {
    /// The signed-in user of the request with these extensions (after [`authenticate`]).
    pub(super) fn of(extensions: &axum::http::Extensions) -> Self {
        let found = extensions.get::<Visitor>().and_then(|v| v.0.clone());
        Self(found.map(CurrentUser))
    }

    /// What the layout shows in the header: `None` shows "Sign in".
    pub fn signed_in(&self) -> Option<SignedIn<'_>> {
        self.0.as_ref().map(CurrentUser::signed_in)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MaybeUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
}

/// A signed-in editor (or admin); others get 403, anonymous clients the sign-in page.
#[derive(Debug, Clone)]
pub struct Editor(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Editor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        user.require(Role::Editor)?;
        Ok(Self(user))
    }
}

/// A signed-in admin; others get 403, anonymous clients the sign-in page.
#[derive(Debug, Clone)]
pub struct Admin(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        user.require(Role::Admin)?;
        Ok(Self(user))
    }
}

/// The client's address for throttling and the log: the peer address of the connection,
/// or `unknown` when there is none (tests without a socket). `X-Forwarded-For` is believed
/// only from a configured trusted proxy (`serve --trusted-proxy`, see `proxies`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
}

impl ClientAddress {
    /// The address of the request with these extensions: the client a trusted proxy named, else
    /// the peer (`unknown` without a socket).
    pub fn of(extensions: &axum::http::Extensions) -> Self {
        // Worked out from a trusted proxy's X-Forwarded-For (`proxies::resolve`).
        if let Some(resolved) = extensions.get::<Self>() {
            return resolved.clone();
        }
        let address = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |ConnectInfo(a)| a.ip().to_string());
        Self(address)
    }
}

/// The user behind an API token (`Authorization: Bearer plt_…`). Dereferences to [`User`].
/// Session cookies are not accepted for API writes: a token cannot be sent by another site.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl std::ops::Deref for ApiUser {
    type Target = User;

    fn deref(&self) -> &User {
        &self.0
    }
}

impl ApiUser {
    /// 403 (problem+json) unless the user has `role` or a higher one.
    pub fn require(&self, role: Role) -> Result<(), ApiRejection> {
        if self.has(role) {
            Ok(())
        } else {
            Err(ApiRejection::Forbidden(format!(
                "this needs the {role} role, and {} is a {}",
                self.name, self.role
            )))
        }
    }
}

async fn api_user(state: &AppState, headers: &HeaderMap) -> Result<ApiUser, ApiRejection> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiRejection::MissingToken)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiRejection::BadToken)?;
    match token_user(state.db(), token).await {
        Ok(Some(user)) => Ok(ApiUser(user)),
        Ok(None) => Err(ApiRejection::BadToken),
        Err(e) => Err(ApiRejection::from(e)),
    }
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiRejection;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiRejection> {
        if let Some(user) = parts.extensions.get::<ApiUser>() {
            return Ok(user.clone());
        }
        api_user(state, &parts.headers).await
    }
}

/// Why the API refused a request, answered as RFC 9457 problem+json.
#[derive(Debug, thiserror::Error)]
pub enum ApiRejection {
    /// No `Authorization` header (401).
    #[error(
        "this needs an API token: send `Authorization: Bearer TOKEN` (create one with `plutarch token create NAME`)"
    )]
    MissingToken,
    /// A token that is malformed, unknown or revoked (401).
    #[error("the API token is not valid")]
    BadToken,
    /// The token's user may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The body is too large (413).
    #[error("{0}")]
    TooLarge(String),
    /// The token could not be checked now (a read stopped by its deadline or the shutdown): 503,
    /// with `Retry-After`.
    #[error("{0}")]
    Unavailable(String),
    /// Something broke on our side (500, logged once).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<crate::store::StoreError> for ApiRejection {
    fn from(error: crate::store::StoreError) -> Self {
        match error.unavailable() {
            Some(reason) => Self::Unavailable(reason),
            None => Self::Internal(error.to_string()),
        }
    }
}

impl IntoResponse for ApiRejection {
    /// The API's own problem answer (its `type`, status and headers), so a refusal before any
    /// handler reads like one from a handler.
    fn into_response(self) -> Response {
        super::api::rejection(self)
    }
}
