//! The API's JSON shapes: serde types that belong to the API, filled from `wiki` values (never
//! database rows). Request bodies refuse unknown fields.

use serde::{Deserialize, Serialize};

use crate::store::RevisionMeta;

/// A revision: who, when, why, how big.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Revision {
    pub(crate) id: i64,
    /// RFC 3339, UTC.
    pub(crate) timestamp: String,
    /// The author's user name.
    pub(crate) author: String,
    pub(crate) summary: String,
    /// The text's size in bytes.
    pub(crate) size: i64,
}

impl From<&RevisionMeta> for Revision {
    fn from(meta: &RevisionMeta) -> Self {
        Self {
            id: meta.id,
            timestamp: meta.timestamp.clone(),
            author: meta.author.clone(),
            summary: meta.summary.clone(),
            size: meta.size,
        }
    }
}

/// `GET /api/pages/{title}`.
#[derive(Debug, Serialize)]
pub(crate) struct Page {
    pub(crate) title: String,
    /// The text of the leading `= Title =` line, if any.
    pub(crate) display_title: Option<String>,
    pub(crate) markup: String,
    pub(crate) revision: Revision,
}

/// `?revision=N` on reads.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RevisionQuery {
    pub(crate) revision: Option<i64>,
}
