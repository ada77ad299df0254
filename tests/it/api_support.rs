//! Helpers for the JSON API tests: requests with JSON bodies and tokens, answers as JSON.

#![allow(
    dead_code,
    reason = "each API test module uses a different part of the helpers"
)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use crate::support::TestApp;

/// An API answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON (panics with the body if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts a problem+json answer with `status`, and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            self.header(header::CONTENT_TYPE),
            Some("application/problem+json")
        );
        let problem = self.json();
        assert_eq!(problem["status"], status);
        assert!(problem["type"].is_string(), "{problem}");
        assert!(problem["title"].is_string(), "{problem}");
        assert!(
            problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "{problem}"
        );
        problem
    }

    /// Asserts a 200 (or `status`) JSON answer and returns its body.
    #[track_caller]
    pub fn ok(&self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header(header::CONTENT_TYPE), Some("application/json"));
        self.json()
    }
}

/// A request under construction.
pub struct Call<'a> {
    app: &'a TestApp,
    request: axum::http::request::Builder,
    body: Body,
}

impl<'a> Call<'a> {
    pub fn new(app: &'a TestApp, method: Method, path: &str) -> Self {
        Self {
            app,
            request: Request::builder().method(method).uri(path),
            body: Body::empty(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request = self.request.header(name, value);
        self
    }

    pub fn token(self, token: &str) -> Self {
        self.header("authorization", &format!("Bearer {token}"))
    }

    pub fn json(mut self, body: &Value) -> Self {
        self.request = self
            .request
            .header(header::CONTENT_TYPE, "application/json");
        self.body = Body::from(body.to_string());
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Body>) -> Self {
        self.request = self.request.header(header::CONTENT_TYPE, content_type);
        self.body = body.into();
        self
    }

    pub async fn send(self) -> Answer {
        let request = self.request.body(self.body).expect("request");
        let response = self
            .app
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Answer {
            status,
            headers,
            body,
        }
    }
}

/// `GET path`.
pub async fn get(app: &TestApp, path: &str) -> Answer {
    Call::new(app, Method::GET, path).send().await
}

/// A user with `role` and an API token for them (as `plutarch user add` and `plutarch token
/// create` make them).
pub fn token_for(app: &TestApp, name: &str, role: plutarch::auth::Role) -> String {
    plutarch::auth::add_user(&app.db, None, name, role, "a long enough password").expect("user");
    plutarch::auth::create_api_token(&app.db, name, "test").expect("token")
}

/// An editor's token.
pub fn editor(app: &TestApp) -> String {
    token_for(app, "editor", plutarch::auth::Role::Editor)
}

/// `PUT path` with a JSON body and a token.
pub async fn put(app: &TestApp, token: &str, path: &str, body: &Value) -> Answer {
    Call::new(app, Method::PUT, path)
        .token(token)
        .json(body)
        .send()
        .await
}

/// `POST path` with a JSON body and a token.
pub async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Answer {
    Call::new(app, Method::POST, path)
        .token(token)
        .json(body)
        .send()
        .await
}

/// The latest markup and revision of a page.
pub async fn latest(app: &TestApp, title: &str) -> (String, i64) {
    let page = get(app, &format!("/api/pages/{title}")).await.ok(200);
    (
        page["markup"].as_str().expect("markup").to_owned(),
        page["revision"]["id"].as_i64().expect("revision"),
    )
}

/// Creates a page and returns its first revision.
pub async fn create(app: &TestApp, token: &str, title: &str, markup: &str) -> i64 {
    let body = serde_json::json!({"markup": markup, "base_revision": null, "summary": "new"});
    let written = put(app, token, &format!("/api/pages/{title}"), &body)
        .await
        .ok(201);
    written["revision"].as_i64().expect("revision")
}
