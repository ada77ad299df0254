//! Files (issue 16): `POST /api/files` uploads (multipart: a `file` part, optional `name`,
//! `description`, `comment` and `base_version`), `GET /api/files/{name}` describes one with its
//! versions, `POST /api/files/{name}/revert` makes an older version the latest again.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::extract::{ApiJson, ApiPath, Writer};
use super::{ApiState, error::ApiError, json};
use crate::media::MediaError;
use crate::store::files::FileVersion;
use crate::wiki::files::{self, FileError, Upload};

impl From<FileError> for ApiError {
    fn from(error: FileError) -> Self {
        match error {
            FileError::Wiki(e) => e.into(),
            FileError::Media(
                MediaError::NotAnImage(_) | MediaError::Svg | MediaError::Mismatch { .. },
            ) => Self::UnsupportedMediaType(error.to_string()),
            FileError::Media(_) => Self::Unprocessable(error.to_string()),
            FileError::TooLarge { .. } => Self::TooLarge(error.to_string()),
            // An hour's budget: the client may try again when the oldest upload leaves it.
            FileError::RateLimited { .. } => Self::RateLimited { retry_after: 3600 },
            FileError::Conflict { .. } => Self::TitleTaken(error.to_string()),
            FileError::BadName(_) => Self::InvalidTitle(error.to_string()),
            FileError::Missing(_) => Self::NotFound(error.to_string()),
        }
    }
}

/// One version of a file.
#[derive(Debug, Serialize)]
pub(crate) struct Version {
    version: i64,
    sha256: String,
    mime: String,
    width: u32,
    height: u32,
    frames: u32,
    size: i64,
    uploader: String,
    uploaded_at: String,
    comment: String,
}

impl From<&FileVersion> for Version {
    fn from(v: &FileVersion) -> Self {
        Self {
            version: v.version,
            sha256: v.sha256.clone(),
            mime: v.mime.clone(),
            width: v.width,
            height: v.height,
            frames: v.frames,
            size: v.size,
            uploader: v.uploader.clone(),
            uploaded_at: v.uploaded_at.clone(),
            comment: v.comment.clone(),
        }
    }
}

/// The answer to an upload or a revert.
#[derive(Debug, Serialize)]
struct Uploaded {
    title: String,
    /// Where the original is served.
    url: String,
    created: bool,
    #[serde(flatten)]
    version: Version,
    /// Things the uploader should know (a GPS position in the EXIF data).
    warnings: Vec<String>,
}

/// `GET /api/files/{name}`.
#[derive(Debug, Serialize)]
struct FileAnswer {
    title: String,
    url: String,
    /// Newest first.
    versions: Vec<Version>,
    /// The pages that show it.
    usage: Vec<String>,
}

/// The URL of a file's original.
fn file_url(title: &str) -> String {
    let name = title.strip_prefix("File:").unwrap_or(title);
    format!("/file/{}", crate::wiki::title::url_segment(name))
}

/// `POST /api/files`: a new file (201), or a new version with `base_version` (200).
pub(crate) async fn upload(
    State(state): State<ApiState>,
    writer: Writer,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let multipart = multipart.map_err(|e| {
        ApiError::BadRequest(format!(
            "send the upload as multipart/form-data with a file part ({})",
            e.body_text()
        ))
    })?;
    let limits = state.app.settings().uploads;
    let form = read_form(multipart, limits.max_bytes).await?;
    let (file_name, bytes) = form
        .file
        .ok_or_else(|| ApiError::BadRequest("send the image in a part called file".into()))?;
    let name = form.name.or(file_name).ok_or_else(|| {
        ApiError::BadRequest("name the file: a name part, or a file name on the file part".into())
    })?;
    let title = files::file_title(&name)?;
    let upload = Upload {
        title,
        bytes,
        description: form.description.unwrap_or_default(),
        comment: form.comment.unwrap_or_default(),
        base_version: form.base_version,
        uploader_id: writer.id(),
    };
    let done = files::upload(state.app.db(), upload, limits).await?;
    let body = Uploaded {
        url: file_url(&done.title),
        title: done.title,
        created: done.created,
        version: Version::from(&done.version),
        warnings: done.warnings,
    };
    let status = match body.created {
        true => StatusCode::CREATED,
        false => StatusCode::OK,
    };
    Ok((status, json(&body)).into_response())
}

/// The parts of an upload.
#[derive(Debug, Default)]
struct Form {
    file: Option<(Option<String>, Vec<u8>)>,
    name: Option<String>,
    description: Option<String>,
    comment: Option<String>,
    base_version: Option<i64>,
}

/// The longest text part (a description), in bytes.
const MAX_TEXT_PART: usize = 32 * 1024;

async fn read_form(mut multipart: Multipart, max_bytes: usize) -> Result<Form, ApiError> {
    let mut form = Form::default();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let part = field.name().unwrap_or_default().to_owned();
        let limit = match part.as_str() {
            "file" => max_bytes,
            _ => MAX_TEXT_PART,
        };
        let file_name = field.file_name().map(str::to_owned);
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if bytes.len() + chunk.len() > limit {
                return Err(match part.as_str() {
                    "file" => FileError::TooLarge {
                        bytes: bytes.len() + chunk.len(),
                        max: max_bytes,
                    }
                    .into(),
                    _ => ApiError::TooLarge(format!(
                        "the {part} part is larger than {MAX_TEXT_PART} bytes"
                    )),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || {
            String::from_utf8(bytes.clone())
                .map_err(|_| ApiError::BadRequest(format!("the {part} part is not UTF-8 text")))
        };
        match part.as_str() {
            "file" => form.file = Some((file_name, bytes)),
            "name" => form.name = Some(text()?),
            "description" => form.description = Some(text()?),
            "comment" => form.comment = Some(text()?),
            "base_version" => {
                let value = text()?;
                form.base_version = Some(value.trim().parse().map_err(|_| {
                    ApiError::BadRequest(format!("base_version {value:?} is not a number"))
                })?);
            }
            other => {
                return Err(ApiError::BadRequest(format!(
                    "unknown part {other:?}: an upload has file, name, description, comment and base_version"
                )));
            }
        }
    }
    Ok(form)
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> ApiError {
    match error.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
            "the upload is larger than the limit: {}",
            error.body_text()
        )),
        _ => ApiError::BadRequest(format!("cannot read the upload: {}", error.body_text())),
    }
}

/// `GET /api/files/{name}`: the file's versions.
pub(crate) async fn read(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = files::file_title(&raw)?;
    let info = files::file_info(state.app.db(), &title)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no file {}", title.as_str())))?;
    Ok(json(&FileAnswer {
        url: file_url(&info.title),
        title: info.title,
        versions: info.versions.iter().map(Version::from).collect(),
        usage: info.usage,
    }))
}

/// `POST /api/files/{name}/revert`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevertFile {
    /// The version to make the latest again.
    to_version: i64,
    /// The version the file must be at (else 409).
    base_version: i64,
}

/// `POST /api/files/{name}/revert`: a new version with an older version's bytes.
pub(crate) async fn revert(
    State(state): State<ApiState>,
    writer: Writer,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<RevertFile>,
) -> Result<Response, ApiError> {
    let title = files::file_title(&raw)?;
    let version = files::revert(
        state.app.db(),
        &title,
        body.to_version,
        body.base_version,
        writer.id(),
        "",
    )
    .await?;
    Ok(json(&Uploaded {
        url: file_url(title.as_str()),
        title: title.as_str().to_owned(),
        created: false,
        version: Version::from(&version),
        warnings: Vec::new(),
    }))
}
