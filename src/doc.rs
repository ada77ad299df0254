//! The document model: what a page's markup means, independent of storage and HTTP.
//!
//! A leaf module: it uses nothing else of ours. `markup` produces these types, `render`,
//! `bio`, `wiki` and the API consume them.

use serde::Serialize;

/// The section outline of a text: the shape of `plutarch parse` and of the sections API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outline {
    /// The text of a leading `= Title =` line, if the first non-blank line is one.
    pub title: Option<String>,
    /// Section 0 (the lead) first, then one entry per heading in document order.
    pub sections: Vec<SectionInfo>,
}

/// One section of an outline, with its byte span in the text exactly as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionInfo {
    /// 0 for the lead, then 1, 2, … in document order.
    pub index: usize,
    /// 0 for the lead, else the heading level (1 to 6).
    pub level: u8,
    /// The heading's plain text, markup removed.
    pub title: String,
    /// The HTML id, as MediaWiki makes it (`_` for spaces, `_2`… for repeats).
    pub anchor: String,
    /// The table-of-contents number, such as `2.1`; empty for the lead.
    pub number: String,
    /// The index of the enclosing section, if any.
    pub parent: Option<usize>,
    /// Where the section's heading line starts, in UTF-8 bytes.
    pub byte_start: usize,
    /// Where the section ends (the next heading of the same or a higher level).
    pub byte_end: usize,
}

/// What a page points at: kept up to date by the store on every save.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageLinks {
    /// Targets of internal links, as written (before title normalisation), without fragment.
    pub links: Vec<String>,
    /// Category names (without the `Category:` prefix) with their optional sort key.
    pub categories: Vec<(String, Option<String>)>,
    /// Names of the templates the page uses.
    pub templates: Vec<String>,
    /// The target of a `#REDIRECT [[Target]]` page.
    pub redirect: Option<String>,
}

/// A parsed page. (First cut: the outline and the raw text of each section's body; the
/// markup engine replaces this with blocks and inlines.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// The section outline.
    pub outline: Outline,
    /// For each section of the outline, the text between its heading line and the next heading.
    pub bodies: Vec<String>,
    /// What the page links to.
    pub links: PageLinks,
}
