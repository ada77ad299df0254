//! The Action API's errors: `{"error": {"code", "info"}}` with HTTP 200, as MediaWiki answers
//! them (its clients read the code, not the status), and the code in `MediaWiki-API-Error`.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::wiki::WikiError;

/// An Action API error: MediaWiki's `code` and a human `info`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {info}")]
pub(crate) struct MwError {
    /// MediaWiki's error code (`missingtitle`, `nosuchrevid`…).
    pub(crate) code: String,
    /// What went wrong, for people.
    pub(crate) info: String,
}

impl MwError {
    pub(crate) fn new(code: &str, info: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            info: info.into(),
        }
    }

    /// The answer's body.
    pub(crate) fn body(&self) -> Value {
        json!({
            "error": {
                "code": self.code,
                "info": self.info,
                "*": "See /w/api.php for the modules this wiki answers."
            }
        })
    }
}

impl IntoResponse for MwError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut response = (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            )],
            body,
        )
            .into_response();
        if let Ok(code) = HeaderValue::from_str(&self.code) {
            response.headers_mut().insert("mediawiki-api-error", code);
        }
        response
    }
}

impl From<WikiError> for MwError {
    fn from(error: WikiError) -> Self {
        let info = error.to_string();
        let code = match &error {
            WikiError::Title(_) => "invalidtitle",
            WikiError::PageMissing(_) | WikiError::PageDeleted(_) => "missingtitle",
            WikiError::RevisionMissing(_) | WikiError::NotThisPagesRevision { .. } => "nosuchrevid",
            WikiError::SectionMissing { .. } => "nosuchsection",
            WikiError::RevisionHidden(_) => "permissiondenied",
            WikiError::Protected(_) => "protectedpage",
            WikiError::Conflict { .. } => "editconflict",
            WikiError::TitleTaken(_) => "articleexists",
            WikiError::TooLarge { .. } => "contenttoobig",
            WikiError::Store(e) if e.unavailable().is_some() => "readonly",
            _ => "internal_api_error",
        };
        if code == "internal_api_error" {
            tracing::error!(%info, "Action API request failed");
            return Self::new(code, "the server could not answer this request");
        }
        Self::new(code, info)
    }
}

impl From<crate::wiki::TitleError> for MwError {
    fn from(error: crate::wiki::TitleError) -> Self {
        Self::new("invalidtitle", format!("bad title: {error}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let body = missing.body();
        assert_eq!(body["error"]["code"], "missingtitle");
        assert!(
            body["error"]["info"]
                .as_str()
                .is_some_and(|i| !i.is_empty())
        );
    }
}
