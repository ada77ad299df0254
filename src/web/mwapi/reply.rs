//! Answers in MediaWiki's shapes: `format=json` with `formatversion=1` (flags as `""`, text
//! under `*`, pages keyed by id) or `2` (flags as `true`, lists), and errors as HTTP 200 with
//! `{"error": {"code", "info"}}`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::wiki::WikiError;

/// A refusal in MediaWiki's terms: a code clients test for and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MwError {
    /// `badtoken`, `editconflict`, `missingtitle`…
    pub code: String,
    /// What went wrong.
    pub info: String,
}

impl MwError {
    pub(super) fn new(code: &str, info: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            info: info.into(),
        }
    }

    /// A missing required parameter.
    pub(super) fn missing_param(name: &str) -> Self {
        Self::new(
            "missingparam",
            format!("The \"{name}\" parameter must be set."),
        )
    }
}

impl From<WikiError> for MwError {
    fn from(error: WikiError) -> Self {
        let info = error.to_string();
        let code = match &error {
            WikiError::Title(_) => "invalidtitle",
            WikiError::PageMissing(_) => "missingtitle",
            WikiError::PageDeleted(_) => "pagedeleted",
            WikiError::SectionMissing { .. } => "nosuchsection",
            WikiError::RevisionMissing(_) | WikiError::NotThisPagesRevision { .. } => "nosuchrevid",
            WikiError::Conflict { .. } | WikiError::PreconditionFailed { .. } => "editconflict",
            WikiError::UndoConflict { .. } => "undofailure",
            WikiError::TooLarge { .. } => "contenttoobig",
            WikiError::Protected(_) => "protectedpage",
            WikiError::RevisionHidden(_) => "permissiondenied",
            WikiError::TitleTaken(_) => "articleexists",
            WikiError::Store(e) if e.unavailable().is_some() => "maxlag",
            WikiError::Store(_) => {
                // Logged here, and never shown: the details are the server's.
                tracing::error!(%info, "Action API request failed");
                return Self::new(
                    "internal_api_error_StoreError",
                    "The server could not answer this request.",
                );
            }
            _ => "invalidparammix",
        };
        Self::new(code, info)
    }
}

impl From<crate::wiki::TitleError> for MwError {
    fn from(error: crate::wiki::TitleError) -> Self {
        Self::new("invalidtitle", error.to_string())
    }
}

/// The output format a request asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Format {
    /// `formatversion=2` (else 1).
    pub v2: bool,
}

impl Format {
    /// The format version `params` ask for: 2 for `formatversion=2` or `latest`, else 1.
    pub(super) fn asked(params: &super::params::Params) -> Self {
        Self {
            v2: params
                .get("formatversion")
                .is_some_and(|v| v == "2" || v == "latest"),
        }
    }

    /// A flag as this format writes it (`true`, or `""`), or nothing when off.
    pub(super) fn set_flag(self, object: &mut Map<String, Value>, key: &str, on: bool) {
        if on {
            let value = if self.v2 {
                Value::Bool(true)
            } else {
                json!("")
            };
            object.insert(key.to_owned(), value);
        }
    }

    /// The key of text content: `content` (2) or `*` (1).
    pub(super) fn content_key(self) -> &'static str {
        if self.v2 { "content" } else { "*" }
    }

    /// The body of an error answer.
    pub(super) fn error(self, error: &MwError) -> Value {
        let mut body = json!({"code": error.code, "info": error.info});
        let docref = "See /w/api.php?action=help for the modules this wiki answers (a subset of MediaWiki's Action API; see also /api/openapi.json).";
        if let Value::Object(object) = &mut body {
            if self.v2 {
                object.insert("docref".to_owned(), json!(docref));
            } else {
                object.insert("*".to_owned(), json!(docref));
            }
        }
        json!({ "error": body })
    }
}

/// An answer: JSON, never stored by caches (it is computed for a session or token).
/// An error answer: the error in `format`'s shape, and its code in the `MediaWiki-API-Error`
/// header as MediaWiki sends it.
pub(super) fn refuse(format: Format, error: &MwError) -> Response {
    let mut response = respond(&format.error(error));
    if let Ok(code) = HeaderValue::from_str(&error.code) {
        response.headers_mut().insert("mediawiki-api-error", code);
    }
    response
}

pub(super) fn respond(value: &Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        body,
    )
        .into_response()
}

/// A MediaWiki timestamp (`2024-05-01T12:00:00Z`) from a stored one.
pub(super) fn timestamp(stored: &str) -> String {
    stored.to_owned()
}

/// Reads a timestamp as MediaWiki takes it (`20240501120000`, or ISO 8601 with `Z`), into the
/// stored form (`2024-05-01T12:00:00Z`).
pub(super) fn parse_timestamp(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.len() == 14 && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "{}-{}-{}T{}:{}:{}Z",
            &raw[0..4],
            &raw[4..6],
            &raw[6..8],
            &raw[8..10],
            &raw[10..12],
            &raw[12..14]
        ));
    }
    let format = time::format_description::well_known::Rfc3339;
    let parsed = time::OffsetDateTime::parse(raw, &format).ok()?;
    let utc = parsed.to_offset(time::UtcOffset::UTC);
    let out = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    utc.format(&out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_read_in_both_forms() {
        assert_eq!(
            parse_timestamp("20240501120003").as_deref(),
            Some("2024-05-01T12:00:03Z")
        );
        assert_eq!(
            parse_timestamp("2024-05-01T12:00:03Z").as_deref(),
            Some("2024-05-01T12:00:03Z")
        );
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    #[test]
    fn wiki_errors_get_mediawiki_codes() {
        let missing = MwError::from(WikiError::PageMissing("Nobody".to_owned()));
        assert_eq!(missing.code, "missingtitle");
        assert_eq!(
            MwError::from(WikiError::RevisionMissing(9)).code,
            "nosuchrevid"
        );
        assert_eq!(
            MwError::from(WikiError::RevisionHidden(9)).code,
            "permissiondenied"
        );
        let body = Format { v2: false }.error(&missing);
        assert_eq!(body["error"]["code"], "missingtitle");
        assert!(
            body["error"]["info"]
                .as_str()
                .is_some_and(|i| !i.is_empty())
        );
    }
}
