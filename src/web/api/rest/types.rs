//! The REST routes' bodies, in MediaWiki's shapes (`openapi.json` describes each).

use serde::{Deserialize, Serialize};

use crate::store::RevisionMeta;

/// Every page here is wikitext.
pub(super) const CONTENT_MODEL: &str = "wikitext";

/// The license of the content: this wiki names none (MediaWiki answers its site's).
#[derive(Debug, Clone, Serialize)]
pub(super) struct License {
    pub(super) url: &'static str,
    pub(super) title: &'static str,
}

/// The license every answer names.
pub(super) const LICENSE: License = License { url: "", title: "" };

/// A page's latest revision.
#[derive(Debug, Serialize)]
pub(super) struct Latest {
    pub(super) id: i64,
    pub(super) timestamp: String,
}

/// `GET page/{title}` (with `source`), `…/bare` (with `html_url`), and the answer to writes.
#[derive(Debug, Serialize)]
pub(super) struct PageObject {
    pub(super) id: i64,
    pub(super) key: String,
    pub(super) title: String,
    pub(super) latest: Latest,
    pub(super) content_model: &'static str,
    pub(super) license: License,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) html_url: Option<String>,
}

/// An author, as MediaWiki names them (`id` is not kept with revisions here: `null`).
#[derive(Debug, Serialize)]
pub(super) struct UserRef {
    pub(super) id: Option<i64>,
    pub(super) name: String,
}

/// One revision of `GET page/{title}/history`.
#[derive(Debug, Serialize)]
pub(super) struct HistoryRevision {
    pub(super) id: i64,
    pub(super) timestamp: String,
    pub(super) minor: bool,
    pub(super) size: i64,
    /// `null` when the revision is hidden from the reader.
    pub(super) comment: Option<String>,
    pub(super) user: UserRef,
    pub(super) delta: i64,
}

impl HistoryRevision {
    pub(super) fn new(meta: RevisionMeta, comment_hidden: bool) -> Self {
        Self {
            id: meta.id,
            delta: meta.size - meta.parent_size,
            size: meta.size,
            timestamp: meta.timestamp,
            minor: false,
            comment: (!comment_hidden).then_some(meta.summary),
            user: UserRef {
                id: None,
                name: meta.author,
            },
        }
    }
}

/// `GET page/{title}/history`.
#[derive(Debug, Serialize)]
pub(super) struct History {
    pub(super) revisions: Vec<HistoryRevision>,
    pub(super) latest: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) older: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) newer: Option<String>,
}

/// The page of a revision.
#[derive(Debug, Serialize)]
pub(super) struct RevisionPage {
    pub(super) id: i64,
    pub(super) key: String,
    pub(super) title: String,
}

/// `GET revision/{id}` (with `source`) and `…/bare` (with `html_url`).
#[derive(Debug, Serialize)]
pub(super) struct RevisionObject {
    pub(super) id: i64,
    pub(super) size: i64,
    pub(super) minor: bool,
    pub(super) timestamp: String,
    pub(super) content_model: &'static str,
    pub(super) page: RevisionPage,
    pub(super) license: License,
    pub(super) user: UserRef,
    pub(super) comment: Option<String>,
    pub(super) delta: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) html_url: Option<String>,
}

/// A side of `GET revision/{from}/compare/{to}`.
#[derive(Debug, Serialize)]
pub(super) struct CompareSide {
    pub(super) id: i64,
    pub(super) slot_role: &'static str,
    pub(super) sections: Vec<CompareSection>,
}

/// A heading of one side, with the byte offset of its line.
#[derive(Debug, Serialize)]
pub(super) struct CompareSection {
    pub(super) level: u8,
    pub(super) heading: String,
    pub(super) offset: usize,
}

/// Byte offsets of a diff line in the older (`from`) and newer (`to`) text.
#[derive(Debug, Serialize)]
pub(super) struct Offsets {
    pub(super) from: Option<usize>,
    pub(super) to: Option<usize>,
}

/// One line of a comparison: `type` 0 context, 1 added, 2 deleted; `lineNumber` its line in
/// the newer text (none for a deleted line).
#[derive(Debug, Serialize)]
pub(super) struct DiffItem {
    #[serde(rename = "type")]
    pub(super) kind: u8,
    #[serde(rename = "lineNumber", skip_serializing_if = "Option::is_none")]
    pub(super) line_number: Option<usize>,
    pub(super) text: String,
    pub(super) offset: Offsets,
}

/// `GET revision/{from}/compare/{to}`.
#[derive(Debug, Serialize)]
pub(super) struct Comparison {
    pub(super) from: CompareSide,
    pub(super) to: CompareSide,
    pub(super) diff: Vec<DiffItem>,
}

/// One page of `GET search/page`.
#[derive(Debug, Serialize)]
pub(super) struct SearchPage {
    pub(super) id: i64,
    pub(super) key: String,
    pub(super) title: String,
    pub(super) excerpt: String,
    pub(super) matched_title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) thumbnail: Option<String>,
}

/// `GET search/page`.
#[derive(Debug, Serialize)]
pub(super) struct SearchPages {
    pub(super) pages: Vec<SearchPage>,
}

/// `GET page/{title}/history` parameters.
#[derive(Debug, Deserialize)]
pub(super) struct HistoryQuery {
    pub(super) older_than: Option<i64>,
    pub(super) newer_than: Option<i64>,
}

/// `GET search/page` parameters.
#[derive(Debug, Deserialize)]
pub(super) struct SearchQuery {
    pub(super) q: String,
    pub(super) limit: Option<usize>,
}

/// A base revision, as `{"id": N}` (a `timestamp` beside it is taken and not used).
#[derive(Debug, Deserialize)]
pub(super) struct LatestId {
    pub(super) id: i64,
    #[serde(default, rename = "timestamp")]
    pub(super) _timestamp: Option<String>,
}

/// `PUT page/{title}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UpdateBody {
    pub(super) source: String,
    #[serde(default)]
    pub(super) comment: String,
    pub(super) latest: Option<LatestId>,
    pub(super) content_model: Option<String>,
    pub(super) token: Option<String>,
}

/// `POST page`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateBody {
    pub(super) source: String,
    pub(super) title: String,
    #[serde(default)]
    pub(super) comment: String,
    pub(super) content_model: Option<String>,
    pub(super) token: Option<String>,
}
