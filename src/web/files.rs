//! Serving stored files (issue 16): the original at `/file/{name}` and thumbnails at
//! `/thumb/{width}/{name}`, and the upload form (`/upload`). Only image types decided from the bytes are ever stored, and they
//! go out with their own type and `X-Content-Type-Options: nosniff`, so a polyglot is never
//! read as a script or a page. Answers carry an ETag (the blob's hash), so the layer in
//! `shareable` answers 304 to a current copy.

use std::collections::HashMap;

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, Query, RawQuery, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::session::CurrentUser;
use super::{AppState, WebError};
use crate::auth::Role;
use crate::render::views;
use crate::wiki::files::{self, FileError};

/// How long a thumbnail URL that names its blob (`?v=…`) may be kept: it never changes.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// How long an original or an unversioned thumbnail URL may be kept (a new version may come).
const SHORT: &str = "public, max-age=300";

impl From<FileError> for WebError {
    fn from(error: FileError) -> Self {
        match error {
            FileError::Wiki(e) => e.into(),
            FileError::Missing(_) => Self::NotFound,
            FileError::TooLarge { .. } => Self::TooLarge(error.to_string()),
            FileError::Conflict { .. } | FileError::RateLimited { .. } => {
                Self::Unprocessable(error.to_string())
            }
            FileError::Media(_) | FileError::BadName(_) => Self::Unprocessable(error.to_string()),
        }
    }
}

/// `GET /file/{name}` (`?version=N` for an older one): the version's bytes, as the type they
/// were found to be.
pub(super) async fn original(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let version = match query.as_deref() {
        None | Some("") => None,
        Some(q) => Some(
            q.strip_prefix("version=")
                .and_then(|v| v.parse::<i64>().ok())
                .ok_or_else(|| {
                    WebError::BadRequest(
                        "a file takes only ?version=N (a version number)".to_owned(),
                    )
                })?,
        ),
    };
    let title = files::file_title(&raw).map_err(|_| WebError::NotFound)?;
    let (version, bytes) = files::original(state.db(), &title, version)
        .await?
        .ok_or(WebError::NotFound)?;
    Ok(image_response(&version.mime, &version.sha256, SHORT, bytes))
}

/// `GET /thumb/{width}/{name}`: a thumbnail at the standard width for `width` (made on the
/// first request and kept). `?v=` (the blob key pages link with) makes it cacheable for a
/// year; any other query is refused.
pub(super) async fn thumbnail(
    State(state): State<AppState>,
    Path((width, raw)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let width: u32 = width
        .trim_end_matches("px")
        .parse()
        .ok()
        .filter(|w| *w > 0)
        .ok_or_else(|| WebError::BadRequest(format!("{width:?} is not a width in pixels")))?;
    let key = match query.as_deref() {
        None | Some("") => None,
        Some(q) => match q.strip_prefix("v=") {
            Some(key) if !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(key.to_owned())
            }
            _ => {
                return Err(WebError::BadRequest(
                    "a thumbnail takes only ?v=KEY (the key pages link with)".to_owned(),
                ));
            }
        },
    };
    let title = files::file_title(&raw).map_err(|_| WebError::NotFound)?;
    let served = files::thumbnail(state.db(), &title, width)
        .await?
        .ok_or(WebError::NotFound)?;
    let cache = match key {
        Some(key) if served.sha256.starts_with(&key) => IMMUTABLE,
        _ => SHORT,
    };
    let tag = format!("{}-{}", served.sha256, served.thumbnail.width);
    Ok(image_response(
        &served.thumbnail.mime,
        &tag,
        cache,
        served.thumbnail.bytes,
    ))
}

/// Image bytes with their type, `nosniff`, an ETag and a `Cache-Control`.
fn image_response(mime: &str, tag: &str, cache: &'static str, bytes: Vec<u8>) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    if let Ok(mime) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, mime);
    }
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&format!("\"f{tag}\"")) {
        headers.insert(header::ETAG, etag);
    }
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    response
}

/// The upload form's query: the file's name (from a missing file's placeholder) and, for a new
/// version, the version it follows.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UploadQuery {
    #[serde(default)]
    name: String,
    base: Option<i64>,
}

/// `GET /upload` (`?name=X` to name the file, from a missing file's placeholder; `?name=X&base=N`
/// for a new version): the upload form, for editors.
pub(super) async fn upload_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<UploadQuery>,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let name: String = query.name.chars().take(240).collect();
    let base_version = query.base;
    let form = views::files::UploadForm {
        csrf: user.csrf_token(),
        name: &name,
        base_version,
        max_bytes: state.settings().uploads.max_bytes,
    };
    let page = views::layout(
        views::Layout {
            title: "Upload a file",
            user: Some(user.signed_in()),
            ..views::Layout::default()
        },
        views::files::upload_form(&form),
    );
    Ok(page.into_response())
}

/// The longest text field of the upload form, in bytes.
const MAX_FORM_FIELD: usize = 8 * 1024;

/// `POST /upload`: the form's upload; the file page on success.
pub(super) async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let mut multipart = multipart
        .map_err(|e| WebError::BadRequest(format!("cannot read the upload: {}", e.body_text())))?;
    let limits = state.settings().uploads;
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    let bad = |e: MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => WebError::TooLarge(format!(
            "the upload is larger than the limit of {} bytes",
            limits.max_bytes
        )),
        _ => WebError::BadRequest(format!("cannot read the upload: {}", e.body_text())),
    };
    while let Some(mut field) = multipart.next_field().await.map_err(bad)? {
        let part = field.name().unwrap_or_default().to_owned();
        let limit = if part == "file" {
            limits.max_bytes
        } else {
            MAX_FORM_FIELD
        };
        let file_name = field.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            if bytes.len() + chunk.len() > limit {
                return Err(FileError::TooLarge {
                    bytes: bytes.len() + chunk.len(),
                    max: limit,
                }
                .into());
            }
            bytes.extend_from_slice(&chunk);
        }
        if part == "file" {
            file = Some((file_name, bytes));
        } else {
            fields.insert(part, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    user.check_csrf(field("csrf"))?;
    user.require(Role::Editor)?;
    let (file_name, bytes) = file
        .filter(|(_, bytes)| !bytes.is_empty())
        .ok_or_else(|| WebError::Unprocessable("Choose a file to upload.".to_owned()))?;
    let name = match field("name").trim() {
        "" => file_name.unwrap_or_default(),
        name => name.to_owned(),
    };
    let title = files::file_title(&name)?;
    let base_version =
        match field("base_version").trim() {
            "" => None,
            base => Some(base.parse().map_err(|_| {
                WebError::BadRequest(format!("base_version {base:?} is not a number"))
            })?),
        };
    let description = files::information_text(
        field("description"),
        field("author"),
        field("source"),
        field("licence"),
        field("date"),
    );
    let upload = files::Upload {
        title,
        bytes,
        description,
        comment: field("comment").to_owned(),
        base_version,
        uploader_id: user.id,
    };
    let done = files::upload(state.db(), upload, limits).await?;
    let url = format!("/wiki/{}", crate::wiki::title::url_segment(&done.title));
    if done.warnings.is_empty() {
        return Ok(Redirect::to(&url).into_response());
    }
    let page = views::layout(
        views::Layout {
            title: "Uploaded",
            user: Some(user.signed_in()),
            ..views::Layout::default()
        },
        maud::html! {
            article.page {
                h1.page-title { "Uploaded " (done.title) }
                @for warning in &done.warnings { p.banner role="note" { (warning) } }
                p { a href=(url) { "Go to the file's page" } }
            }
        },
    );
    Ok(page.into_response())
}
