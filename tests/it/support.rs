//! Test helpers that read like specs: a `TestApp` over a temporary database, `get`, selectors,
//! and a `Client` that keeps cookies like a browser.

#![allow(
    dead_code,
    reason = "each test module uses a different part of the helpers"
)]

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use plutarch::auth::{self, Role};
use plutarch::store::Db;
use plutarch::web::Settings;
use plutarch::{AppState, app, wiki};
use tower::ServiceExt;

/// The password of the users of [`TestApp::with_roles`].
pub const PASSWORD: &str = "correct horse battery";

/// The app over a fresh temporary database holding the sample pages.
pub struct TestApp {
    pub router: Router,
    pub db: Db,
    /// The state behind the router (for what only it tells: how often pages were rendered).
    pub state: AppState,
    _dir: Option<tempfile::TempDir>,
}

/// A response, read whole.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

/// `application/x-www-form-urlencoded` encoding of `fields`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, NON_ALPHANUMERIC),
                utf8_percent_encode(v, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl TestApp {
    pub fn new() -> Self {
        Self::with_settings(Settings::default())
    }

    pub fn with_settings(settings: Settings) -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut app = Self::at(&dir.path().join("test.db"), settings);
        app._dir = Some(dir);
        app
    }

    /// The app over the database at `path` (made by the binary, say).
    pub fn at(path: &std::path::Path, settings: Settings) -> Self {
        let db = Db::open(path).expect("open database");
        wiki::samples::ensure_samples(&db).expect("samples");
        // What every start runs after the migrations.
        wiki::backfill_all(&db).expect("the start-up backfills");
        let state = AppState::with_settings(db.clone(), settings);
        let router = app(state.clone());
        Self {
            router,
            db,
            state,
            _dir: None,
        }
    }

    /// A read replica (`serve --replica-of http://primary.test`) over the database at `path`,
    /// which another `Db` (the "primary") writes: no samples, no backfills, nothing written.
    /// Call it inside a Tokio runtime: its background tasks start.
    pub fn replica(path: &std::path::Path, max_lag: std::time::Duration) -> Self {
        let db = Db::open_replica(path).expect("open the replica's database");
        let settings = Settings {
            replica_of: Some(plutarch::web::replica::ReplicaOf {
                primary: plutarch::web::replica::PrimaryUrl::parse("http://primary.test")
                    .expect("primary url"),
                max_lag,
            }),
            ..Settings::default()
        };
        let state = AppState::with_settings(db.clone(), settings);
        // The change watch and the lag task (in the test's runtime).
        plutarch::web::replica::spawn(&state);
        Self {
            router: app(state.clone()),
            db,
            state,
            _dir: None,
        }
    }

    /// The app with three users, all with [`PASSWORD`]: alice (admin), bob (editor) and carol
    /// (reader).
    pub fn with_roles() -> Self {
        let app = Self::new();
        app.add_user("alice", Role::Admin, PASSWORD);
        app.add_user("bob", Role::Editor, PASSWORD);
        app.add_user("carol", Role::Reader, PASSWORD);
        app
    }

    /// Checks that the page at `path` is for admins: anonymous clients are sent to sign in,
    /// bob (editor) and carol (reader) of [`TestApp::with_roles`] get 403.
    pub async fn assert_admins_only(&self, path: &str) {
        let page = self.get(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}: sign in first");
        for name in ["bob", "carol"] {
            let mut browser = self.client().signed_in(name, PASSWORD).await;
            let page = browser.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}: {name}");
            assert!(page.body.contains("needs the admin role"), "{path}: {name}");
        }
    }

    /// Creates a user directly (as `plutarch user add` would).
    pub fn add_user(&self, name: &str, role: Role, password: &str) {
        auth::add_user(&self.db, None, name, role, password).expect("add user");
    }

    /// A browser with its own cookie jar.
    pub fn client(&self) -> Client<'_> {
        Client {
            app: self,
            cookies: BTreeMap::new(),
            address: None,
        }
    }

    pub async fn send(&self, request: Request<Body>) -> Page {
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

    pub async fn get(&self, path: &str) -> Page {
        let request = Request::get(path).body(Body::empty()).expect("request");
        self.send(request).await
    }

    /// A form post without cookies.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.client().post_form(path, fields).await
    }

    /// The actions in the audit log, newest first.
    pub fn audit_actions(&self) -> Vec<(String, String, String)> {
        self.db
            .read_blocking(|conn| plutarch::store::accounts::audit_log(conn, None, 1000))
            .expect("audit log")
            .into_iter()
            .map(|e| (e.action, e.target, e.detail))
            .collect()
    }
}

/// A browser: keeps the cookies the app sets and sends them back.
pub struct Client<'a> {
    app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    /// The peer address the app sees (none: like a test without a socket).
    pub address: Option<SocketAddr>,
}

impl Client<'_> {
    fn prepare(&self, mut request: Request<Body>) -> Request<Body> {
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("cookie header"));
        }
        if let Some(address) = self.address {
            request.extensions_mut().insert(ConnectInfo(address));
        }
        request
    }

    fn remember(&mut self, page: &Page) {
        for value in page.headers.get_all(header::SET_COOKIE) {
            let value = value.to_str().expect("ASCII cookie");
            let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
            let (name, content) = pair.split_once('=').expect("name=value");
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), content.to_owned());
            }
        }
    }

    pub async fn send(&mut self, request: Request<Body>) -> Page {
        let page = self.app.send(self.prepare(request)).await;
        self.remember(&page);
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form_body(fields)))
            .expect("request");
        self.send(request).await
    }

    /// Opens the sign-in form and submits it.
    pub async fn sign_in(&mut self, name: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let csrf = form.csrf_of("form.sign-in");
        self.post_form(
            "/login",
            &[("name", name), ("password", password), ("csrf", &csrf)],
        )
        .await
    }

    /// Signs in and checks that it worked.
    pub async fn signed_in(mut self, name: &str, password: &str) -> Self {
        let page = self.sign_in(name, password).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "signed in: {}",
            page.body
        );
        self
    }

    /// The name in the page header, if signed in. (The sign-in page, because it is the page
    /// the accounts code draws; every page shows the same header once its handler passes the
    /// user to the layout.)
    pub async fn who_am_i(&mut self) -> Option<String> {
        self.get("/login")
            .await
            .texts(".user-name")
            .into_iter()
            .next()
    }

    /// The CSRF token of the header's sign-out form.
    pub async fn sign_out_token(&mut self) -> String {
        self.get("/login").await.csrf_of("form.sign-out")
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

    /// Attribute `name` of every element matching `selector`.
    pub fn attrs(&self, selector: &str, name: &str) -> Vec<String> {
        let selector = scraper::Selector::parse(selector).expect("selector");
        self.html()
            .select(&selector)
            .filter_map(|e| e.value().attr(name).map(str::to_owned))
            .collect()
    }

    /// The CSRF token of the (first) form on the page.
    pub fn csrf(&self) -> String {
        self.csrf_of("form")
    }

    /// The CSRF token of the first form matching `form`.
    pub fn csrf_of(&self, form: &str) -> String {
        self.attrs(&format!("{form} input[name=csrf]"), "value")
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("a form {form} with a CSRF token: {}", self.body))
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every `Set-Cookie` header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().expect("ASCII").to_owned())
            .collect()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("JSON body")
    }
}

/// Replaces `from` with `to` in every stored chunk, telling no cache: a view still holding
/// `from` afterwards came from a cache. Waits first for the renderings after the saves before
/// (a rendering still running would read the change and keep it, as if cached before it).
pub async fn change_behind_the_caches(app: &TestApp, from: &str, to: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.state.rendering_at_save() {
        assert!(
            std::time::Instant::now() < deadline,
            "the renderings after the saves never ended"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    let (from, to) = (from.to_owned(), to.to_owned());
    app.db
        .write_blocking(move |conn| {
            conn.execute(
                "UPDATE chunks SET text = replace(text, ?1, ?2)",
                [from.as_str(), to.as_str()],
            )?;
            plutarch::store::changes::nothing_shown();
            Ok(())
        })
        .expect("a quiet change");
}
