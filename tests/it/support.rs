//! Test helpers that read like specs: a `TestApp` over a temporary database, `get`, selectors.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plutarch::store::Db;
use plutarch::{AppState, app, wiki};
use tower::ServiceExt;

/// The app over a fresh temporary database holding the sample pages.
pub struct TestApp {
    pub router: Router,
    _dir: tempfile::TempDir,
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestApp {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let db = Db::open(&dir.path().join("test.db")).expect("open database");
        wiki::samples::ensure_samples(&db).expect("samples");
        let router = app(AppState::new(db));
        Self { router, _dir: dir }
    }

    pub async fn get(&self, path: &str) -> Page {
        let request = Request::get(path).body(Body::empty()).expect("request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
        }
    }
}

impl Page {
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// The text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&selector)
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}
