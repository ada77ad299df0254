//! Sources as evidence (issue 13): `GET /api/sources/{title}` (metadata, kind, what cites it,
//! whom it mentions, its quotations and boilerplate) and `PATCH /api/sources/{title}` (editors
//! change its kind and metadata, a JSON merge patch).
//!
//! The answer's ETag is `"m<metadata tag>-<body key>"`: the body key changes whenever the
//! answer does (so `If-None-Match` gives 304 only for the same answer), and `If-Match` on a
//! PATCH compares the metadata tag only (a new citation does not make a metadata edit stale).

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde::{Deserialize, Deserializer, Serialize};

use super::extract::{ApiJson, ApiPath, Writer};
use super::types::Mentioned;
use super::{ApiState, error::ApiError, json, render_key, title};
use crate::wiki::source_edit::{self, Change, SourceEditError, SourcePatch, SourceView};

impl From<SourceEditError> for ApiError {
    fn from(error: SourceEditError) -> Self {
        match error {
            SourceEditError::Wiki(e) => e.into(),
            // The messages name the `plutarch import` options (`--kind`): here they are fields.
            SourceEditError::Invalid(e) => {
                let detail = e.to_string();
                Self::Unprocessable(detail.strip_prefix("--").unwrap_or(&detail).to_owned())
            }
            e @ SourceEditError::NotASource(_) => Self::NotASource(e.to_string()),
            e @ SourceEditError::Stale { .. } => Self::PreconditionFailed {
                detail: e.to_string(),
                latest_revision: None,
            },
        }
    }
}

/// `GET /api/sources/{title}`.
#[derive(Debug, Serialize)]
pub(crate) struct Source {
    /// The page holding the source.
    title: String,
    /// The title asked for, when it redirected here (a moved source).
    redirected_from: Option<String>,
    page_id: i64,
    revision: i64,
    url: Option<String>,
    publisher: Option<String>,
    date: Option<String>,
    /// A name from the fixed list, or null when none was ever given.
    kind: Option<&'static str>,
    /// The free-text kind from before the list, when it was not on it.
    kind_note: Option<String>,
    /// Whether its kind makes it weak evidence (opinion, blog, self-published).
    weak: bool,
    imported_at: Option<String>,
    cited_by: Vec<Citing>,
    mentions: Vec<Mentioned>,
    quotations: Vec<SourceQuotation>,
    boilerplate: Vec<Boilerplate>,
    /// The `<ref>` to copy to cite it.
    how_to_cite: String,
}

/// A sentence of a page citing the source.
#[derive(Debug, Serialize)]
struct Citing {
    page: String,
    /// The section's stable id (null when the page no longer has it).
    section: Option<String>,
    /// The section's title (empty for the lead).
    heading: String,
    anchor: String,
    sentence: String,
    /// The sentence's bytes in the citing page's stored text.
    span: [usize; 2],
}

/// A quotation in the source (outside its boilerplate).
#[derive(Debug, Serialize)]
struct SourceQuotation {
    text: String,
    speaker: Option<String>,
    /// The quoted words' bytes in the source's stored text.
    span: [usize; 2],
}

/// Boilerplate in the source: kept out of search, quotations and mentions.
#[derive(Debug, Serialize)]
struct Boilerplate {
    /// What it is: `donation appeal`, `share buttons`…
    label: &'static str,
    /// Its bytes in the stored text (whole paragraphs).
    span: [usize; 2],
}

impl From<SourceView> for Source {
    fn from(view: SourceView) -> Self {
        Self {
            how_to_cite: crate::wiki::citations::how_to_cite(&view.title),
            title: view.title,
            redirected_from: view.redirected_from,
            page_id: view.page_id,
            revision: view.revision,
            url: view.meta.url,
            publisher: view.meta.publisher,
            date: view.meta.date,
            kind: view.meta.kind.map(|k| k.as_str()),
            weak: view.meta.kind.is_some_and(|k| k.is_weak()),
            kind_note: view.kind_note,
            imported_at: view.imported_at,
            cited_by: view
                .cited_by
                .into_iter()
                .map(|c| Citing {
                    page: c.page,
                    section: c.section,
                    heading: c.heading,
                    anchor: c.anchor,
                    sentence: c.sentence,
                    span: [c.span.0, c.span.1],
                })
                .collect(),
            mentions: view.mentions.into_iter().map(Into::into).collect(),
            quotations: view
                .quotations
                .into_iter()
                .map(|q| SourceQuotation {
                    text: q.text,
                    speaker: q.speaker,
                    span: [q.span.start, q.span.end],
                })
                .collect(),
            boilerplate: view
                .boilerplate
                .into_iter()
                .map(|b| Boilerplate {
                    label: b.label,
                    span: [b.span.start, b.span.end],
                })
                .collect(),
        }
    }
}

/// The answer to a PATCH: the source after it, and whether anything changed.
#[derive(Debug, Serialize)]
struct Patched {
    changed: bool,
    #[serde(flatten)]
    source: Source,
}

/// `value` as JSON with the ETag `"m<tag>-<key of the body>"`.
fn tagged<T: Serialize>(value: &T, tag: &str) -> Response {
    let mut response = json(value);
    let key = serde_json::to_string(value)
        .map(|body| render_key(&body))
        .unwrap_or_default();
    if let Ok(etag) = HeaderValue::from_str(&format!("\"m{tag}-{key}\"")) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// `GET /api/sources/{title}`: the source (following one redirect).
pub(crate) async fn read(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let view = source_edit::source_view(state.app.db(), &title).await?;
    let tag = view.tag.clone();
    Ok(tagged(&Source::from(view), &tag))
}

/// A field of a merge patch: absent (keep), `null` (remove) or a value (set).
fn field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Change, D::Error> {
    Ok(match Option::<String>::deserialize(deserializer)? {
        Some(value) => Change::Set(value),
        None => Change::Clear,
    })
}

/// `PATCH /api/sources/{title}`: a JSON merge patch of the metadata.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchBody {
    #[serde(default, deserialize_with = "field")]
    kind: Change,
    #[serde(default, deserialize_with = "field")]
    url: Change,
    #[serde(default, deserialize_with = "field")]
    publisher: Change,
    #[serde(default, deserialize_with = "field")]
    date: Change,
}

/// A PATCH's `If-Match`: `*`, or a source's ETag (`"m<tag>-<key>"`, or `"m<tag>"`); `None`
/// when there is none, or it is `*` (the source must exist, which it must anyway).
#[derive(Debug)]
pub(crate) struct IfMetadata(Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IfMetadata {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(Self(None));
        };
        match value.to_str().map(str::trim) {
            Ok("*") => Ok(Self(None)),
            Ok(value) => metadata_tag(value).map(|t| Self(Some(t))).ok_or_else(|| {
                ApiError::BadRequest(
                    "If-Match must be one ETag as GET /api/sources/{title} sends it, such as \"m0123456789abcdef-0a1b2c3d4e\" (or *)".to_owned(),
                )
            }),
            Err(_) => Err(ApiError::BadRequest(
                "If-Match is not readable text".to_owned(),
            )),
        }
    }
}

/// The metadata tag in `"m<tag>-<key>"` or `"m<tag>"`.
fn metadata_tag(value: &str) -> Option<String> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    let tag = inner.strip_prefix('m')?;
    let tag = tag.split_once('-').map_or(tag, |(tag, _)| tag);
    (tag.len() == 16 && tag.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| tag.to_ascii_lowercase())
}

/// `PATCH /api/sources/{title}`: changes the kind and metadata (editors; a protected page:
/// admins), audit-logged; answers the source after it.
pub(crate) async fn patch(
    State(state): State<ApiState>,
    writer: Writer,
    if_match: IfMetadata,
    ApiPath(raw): ApiPath<String>,
    ApiJson(body): ApiJson<PatchBody>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let patch = SourcePatch {
        url: body.url,
        publisher: body.publisher,
        date: body.date,
        kind: body.kind,
    };
    let db = state.app.db();
    let update = source_edit::update_source(db, &title, patch, writer.id(), if_match.0).await?;
    let holding = crate::wiki::Title::new(&update.title)?;
    let mut view = source_edit::source_view(db, &holding).await?;
    view.redirected_from = update.redirected_from;
    let tag = view.tag.clone();
    let body = Patched {
        changed: update.changed,
        source: Source::from(view),
    };
    Ok(tagged(&body, &tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_names_one_metadata_tag() {
        assert_eq!(
            metadata_tag("\"m0123456789ABCDEF-0a1b2c3d4e\"").as_deref(),
            Some("0123456789abcdef")
        );
        assert_eq!(
            metadata_tag("\"m0123456789abcdef\"").as_deref(),
            Some("0123456789abcdef")
        );
        for bad in [
            "\"r12\"",
            "m0123456789abcdef",
            "W/\"m0123456789abcdef\"",
            "\"m0123\"",
            "\"mxyz3456789abcdef\"",
        ] {
            assert_eq!(metadata_tag(bad), None, "{bad}");
        }
    }
}
