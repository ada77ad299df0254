//! The API's JSON shapes: serde types that belong to the API, filled from `wiki` values (never
//! database rows). Request bodies refuse unknown fields.

use serde::{Deserialize, Deserializer, Serialize, de};

use crate::doc::SectionInfo;
use crate::store::RevisionMeta;
use crate::wiki::jobs::JobStatus;
use crate::wiki::{self, AuditEntry, SectionEntry};

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
    /// The title's namespace, by MediaWiki's number (0 for articles, 14 for categories…).
    pub(crate) namespace: i64,
    /// The text of the leading `= Title =` line, if any.
    pub(crate) display_title: Option<String>,
    pub(crate) markup: String,
    pub(crate) revision: Revision,
    /// The same as `revision` (every answer names its revision as `revision_info`).
    pub(crate) revision_info: Revision,
    /// The page's stable id (kept across moves): `GET /api/page-ids/{id}` reads it.
    pub(crate) page_id: i64,
    /// Whether only admins may edit it.
    pub(crate) protected: bool,
    /// Who protected it, when and why (null when it is not protected).
    pub(crate) protection: Option<Protection>,
    /// Its categories (names without `Category:`), in name order.
    pub(crate) categories: Vec<String>,
}

/// Who protected a page, when and why.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Protection {
    pub(crate) by: String,
    /// RFC 3339, UTC.
    pub(crate) at: String,
    pub(crate) reason: String,
}

/// `GET /api/pages?titles=A|B`: each title's page read, in the order asked (a title asked
/// twice once), or what stands in for it.
#[derive(Debug, Serialize)]
pub(crate) struct PageReads {
    pub(crate) pages: Vec<PageOrAbsence>,
}

/// A page read, or a title with no live page.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum PageOrAbsence {
    Page(Box<Page>),
    Absent(Absence),
}

/// A title asked for that has no live page: `missing` (never existed) or `deleted`.
#[derive(Debug, Serialize)]
pub(crate) struct Absence {
    pub(crate) title: String,
    pub(crate) missing: bool,
    pub(crate) deleted: bool,
    /// Why the text asked for is not a title at all.
    pub(crate) invalid: Option<String>,
}

/// `GET /api/pages[?titles=A|B]`: a listing, or (with `titles`) several pages read at once.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PagesQuery {
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
    /// Titles separated by `|`, at most [`MAX_TITLES`].
    pub(crate) titles: Option<String>,
}

/// The most titles one `GET /api/pages?titles=` reads.
pub(crate) const MAX_TITLES: usize = 50;

/// `GET /api/recent`: the newest revisions across live pages.
#[derive(Debug, Serialize)]
pub(crate) struct RecentChanges {
    pub(crate) changes: Vec<RecentChange>,
    pub(crate) next_cursor: Option<String>,
}

/// One recent change: a history entry with its page's title.
#[derive(Debug, Serialize)]
pub(crate) struct RecentChange {
    pub(crate) title: String,
    #[serde(flatten)]
    pub(crate) entry: HistoryItem,
}

/// One section in the sections JSON: the outline entry and the stable id.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Section {
    pub(crate) index: usize,
    pub(crate) level: u8,
    /// The heading (kept for old clients; `heading` is preferred).
    pub(crate) title: String,
    /// The heading's plain text ("" for the lead).
    pub(crate) heading: String,
    pub(crate) anchor: String,
    pub(crate) number: String,
    pub(crate) parent: Option<usize>,
    pub(crate) byte_start: usize,
    pub(crate) byte_end: usize,
    pub(crate) id: String,
    /// The enclosing section's stable id (preferred over `parent`, its index).
    pub(crate) parent_id: Option<String>,
}

impl From<&SectionEntry> for Section {
    fn from(entry: &SectionEntry) -> Self {
        let SectionInfo {
            index,
            level,
            title,
            anchor,
            number,
            parent,
            byte_start,
            byte_end,
        } = entry.info.clone();
        Self {
            index,
            level,
            heading: title.clone(),
            title,
            anchor,
            number,
            parent,
            byte_start,
            byte_end,
            id: entry.id.clone(),
            parent_id: entry.parent_id.clone(),
        }
    }
}

/// `GET /api/pages/{title}/sections`.
#[derive(Debug, Serialize)]
pub(crate) struct Sections {
    pub(crate) title: String,
    pub(crate) display_title: Option<String>,
    pub(crate) revision: i64,
    /// The revision read.
    pub(crate) revision_info: Revision,
    pub(crate) sections: Vec<Section>,
}

/// `GET /api/pages/{title}/sections/{key}`: the entry plus its text in three forms.
#[derive(Debug, Serialize)]
pub(crate) struct SectionText {
    #[serde(flatten)]
    pub(crate) section: Section,
    /// The page's title (`title` is the section's heading).
    pub(crate) page: String,
    pub(crate) revision: i64,
    /// The revision read.
    pub(crate) revision_info: Revision,
    /// The span a section write replaces: heading line to the next heading of the same or a
    /// higher level, subsections included.
    pub(crate) markup: String,
    /// That span rendered.
    pub(crate) html: String,
    /// That span as plain text.
    pub(crate) text: String,
}

/// A line of a revision list.
#[derive(Debug, Serialize)]
pub(crate) struct HistoryItem {
    #[serde(flatten)]
    pub(crate) revision: Revision,
    /// The same fields as one object (preferred).
    pub(crate) revision_info: Revision,
    /// The revision it replaced (null for the first).
    pub(crate) parent: Option<i64>,
    /// Its size minus its parent's.
    pub(crate) size_delta: i64,
    /// Headings of the sections it changed or added ("" for the lead).
    pub(crate) changed_sections: Vec<String>,
    /// Headings of the sections it removed.
    pub(crate) removed_sections: Vec<String>,
    /// Whether an admin hid it: then its summary and headings are empty unless the caller's
    /// token is an admin's.
    pub(crate) hidden: bool,
}

impl From<wiki::HistoryEntry> for HistoryItem {
    fn from(entry: wiki::HistoryEntry) -> Self {
        Self {
            revision: Revision::from(&entry.revision),
            revision_info: Revision::from(&entry.revision),
            parent: entry.revision.parent_id,
            size_delta: entry.size_delta,
            changed_sections: entry.changed_sections,
            removed_sections: entry.removed_sections,
            hidden: entry.hidden,
        }
    }
}

/// `GET …/revisions`.
#[derive(Debug, Serialize)]
pub(crate) struct Revisions {
    pub(crate) revisions: Vec<HistoryItem>,
    pub(crate) next_cursor: Option<String>,
}

/// `GET /api/revisions/{id}`.
#[derive(Debug, Serialize)]
pub(crate) struct RevisionText {
    #[serde(flatten)]
    pub(crate) revision: Revision,
    /// The same fields as one object (preferred).
    pub(crate) revision_info: Revision,
    pub(crate) parent: Option<i64>,
    /// The page's current title.
    pub(crate) title: String,
    pub(crate) markup: String,
}

/// A line of `GET /api/pages`.
#[derive(Debug, Serialize)]
pub(crate) struct PageItem {
    pub(crate) title: String,
    /// The latest revision.
    pub(crate) revision: i64,
    pub(crate) size: i64,
    pub(crate) timestamp: String,
    /// For a redirect, its target.
    pub(crate) redirect_to: Option<String>,
    /// The latest revision as one object (preferred over `revision`, `size` and `timestamp`).
    pub(crate) revision_info: Revision,
}

/// `GET /api/pages`.
#[derive(Debug, Serialize)]
pub(crate) struct Pages {
    pub(crate) pages: Vec<PageItem>,
    pub(crate) next_cursor: Option<String>,
}

/// An outgoing link.
#[derive(Debug, Serialize)]
pub(crate) struct Link {
    pub(crate) title: String,
    pub(crate) exists: bool,
}

/// `GET …/links`.
#[derive(Debug, Serialize)]
pub(crate) struct Links {
    pub(crate) links: Vec<Link>,
    pub(crate) next_cursor: Option<String>,
}

/// A page that links here.
#[derive(Debug, Serialize)]
pub(crate) struct Backlink {
    pub(crate) title: String,
    /// Whether that page is a redirect to this one.
    pub(crate) redirect: bool,
}

/// `GET …/backlinks`.
#[derive(Debug, Serialize)]
pub(crate) struct Backlinks {
    pub(crate) backlinks: Vec<Backlink>,
    pub(crate) next_cursor: Option<String>,
}

/// Where a search hit is.
#[derive(Debug, Serialize)]
pub(crate) struct HitSection {
    pub(crate) index: usize,
    pub(crate) id: String,
    pub(crate) anchor: String,
    /// The heading (kept for old clients; `heading` is preferred).
    pub(crate) title: String,
    pub(crate) heading: String,
}

/// One search hit.
#[derive(Debug, Serialize)]
pub(crate) struct Hit {
    pub(crate) title: String,
    pub(crate) section: HitSection,
    /// Text around the match, HTML-escaped, with the matches in `<mark>…</mark>`.
    pub(crate) snippet: String,
    /// The page's other matching sections (issue 15: one hit per page), in the page's order.
    pub(crate) other_sections: Vec<HitSection>,
    /// How many other sections match in all (more than listed when some were left out).
    pub(crate) other_sections_total: usize,
}

impl From<wiki::SearchSection> for HitSection {
    fn from(section: wiki::SearchSection) -> Self {
        Self {
            index: section.index,
            id: section.id,
            anchor: section.anchor,
            heading: section.title.clone(),
            title: section.title,
        }
    }
}

impl From<wiki::SearchHit> for Hit {
    fn from(hit: wiki::SearchHit) -> Self {
        Self {
            title: hit.title,
            section: HitSection::from(hit.section),
            snippet: hit.snippet,
            other_sections: hit
                .other_sections
                .into_iter()
                .map(HitSection::from)
                .collect(),
            other_sections_total: hit.other_sections_total,
        }
    }
}

/// `GET /api/search`.
#[derive(Debug, Serialize)]
pub(crate) struct Hits {
    /// One per page, best first.
    pub(crate) hits: Vec<Hit>,
    /// How many pages match in all.
    pub(crate) total: usize,
    pub(crate) next_cursor: Option<String>,
}

/// A section's place in one side of a diff.
#[derive(Debug, Serialize)]
pub(crate) struct DiffPlace {
    pub(crate) index: usize,
    /// The heading (kept for old clients; `heading` is preferred).
    pub(crate) title: String,
    pub(crate) heading: String,
}

/// One section of a diff.
#[derive(Debug, Serialize)]
pub(crate) struct DiffSection {
    pub(crate) id: String,
    /// `added`, `removed`, `moved`, `changed` or `unchanged`.
    pub(crate) change: &'static str,
    pub(crate) from: Option<DiffPlace>,
    pub(crate) to: Option<DiffPlace>,
    /// Changed lines with a little context; empty for unchanged and moved sections.
    pub(crate) lines: Vec<DiffLine>,
}

/// A line of a section's diff.
#[derive(Debug, Serialize)]
pub(crate) struct DiffLine {
    /// `equal`, `delete` or `insert`.
    pub(crate) tag: &'static str,
    pub(crate) from_line: Option<usize>,
    pub(crate) to_line: Option<usize>,
    /// The line in runs; `changed` runs are the words that differ.
    pub(crate) segments: Vec<DiffRun>,
}

/// A run of a diff line.
#[derive(Debug, Serialize)]
pub(crate) struct DiffRun {
    pub(crate) changed: bool,
    pub(crate) text: String,
}

impl From<wiki::DiffLine> for DiffLine {
    fn from(line: wiki::DiffLine) -> Self {
        Self {
            tag: match line.tag {
                wiki::LineTag::Equal => "equal",
                wiki::LineTag::Delete => "delete",
                wiki::LineTag::Insert => "insert",
            },
            from_line: line.old_line,
            to_line: line.new_line,
            segments: line
                .segments
                .into_iter()
                .map(|s| DiffRun {
                    changed: s.emphasized,
                    text: s.text,
                })
                .collect(),
        }
    }
}

fn change_name(change: wiki::SectionChange) -> &'static str {
    match change {
        wiki::SectionChange::Added => "added",
        wiki::SectionChange::Removed => "removed",
        wiki::SectionChange::Moved => "moved",
        wiki::SectionChange::Changed => "changed",
        wiki::SectionChange::Unchanged => "unchanged",
    }
}

/// `GET /api/diff`.
#[derive(Debug, Serialize)]
pub(crate) struct Diff {
    pub(crate) from: Revision,
    pub(crate) to: Revision,
    pub(crate) sections: Vec<DiffSection>,
}

impl From<wiki::RevisionDiff> for Diff {
    fn from(diff: wiki::RevisionDiff) -> Self {
        let place = |p: Option<(usize, String)>| {
            p.map(|(index, title)| DiffPlace {
                index,
                heading: title.clone(),
                title,
            })
        };
        Self {
            from: Revision::from(&diff.from),
            to: Revision::from(&diff.to),
            sections: diff
                .sections
                .into_iter()
                .map(|s| DiffSection {
                    id: s.id,
                    change: change_name(s.change),
                    from: place(s.old),
                    to: place(s.new),
                    lines: s.lines.into_iter().map(DiffLine::from).collect(),
                })
                .collect(),
        }
    }
}

/// What a write answers.
#[derive(Debug, Serialize)]
pub(crate) struct Written {
    pub(crate) title: String,
    /// The page's latest revision after the write.
    pub(crate) revision: i64,
    /// That revision: its timestamp, author, summary and size.
    pub(crate) revision_info: Revision,
    /// The page's sections after the write, with their ids.
    pub(crate) sections: Vec<Section>,
    /// Whether a new revision was made (false when the text was already so).
    pub(crate) changed: bool,
    /// Whether the edit was merged with edits made since its base revision.
    pub(crate) merged: bool,
}

impl Written {
    /// The answer to a save whose latest revision is `latest`.
    pub(crate) fn new(outcome: &wiki::SaveOutcome, latest: &RevisionMeta) -> Self {
        let (title, merged, changed) = match outcome {
            wiki::SaveOutcome::Saved { title, merged, .. } => (title, *merged, true),
            wiki::SaveOutcome::Unchanged { title, .. } => (title, false, false),
        };
        Self {
            title: title.clone(),
            revision: outcome.revision(),
            revision_info: Revision::from(latest),
            sections: outcome.sections().iter().map(Section::from).collect(),
            changed,
            merged,
        }
    }
}

/// What a move answers: the page under its new title, and the redirect left behind.
#[derive(Debug, Serialize)]
pub(crate) struct Moved {
    #[serde(flatten)]
    pub(crate) page: Written,
    pub(crate) redirect: RedirectLeft,
}

/// The redirect a move leaves at the old title.
#[derive(Debug, Serialize)]
pub(crate) struct RedirectLeft {
    pub(crate) title: String,
    pub(crate) revision: i64,
    /// That revision.
    pub(crate) revision_info: Revision,
}

/// `?revision=N` on reads.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct RevisionQuery {
    pub(crate) revision: Option<i64>,
}

/// `?from=A&to=B`.
#[derive(Debug, Deserialize)]
pub(crate) struct DiffQuery {
    pub(crate) from: i64,
    pub(crate) to: i64,
}

/// `?q=…&limit=&cursor=`.
#[derive(Debug, Deserialize)]
pub(crate) struct SearchQuery {
    pub(crate) q: String,
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
}

/// The body of `PUT /api/pages/{title}` and `PUT …/sections/{key}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EditBody {
    pub(crate) markup: String,
    /// The revision the edit is based on; null (or absent) creates a page. `If-Match` may
    /// carry it instead.
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub(crate) base_revision: Option<i64>,
    #[serde(default)]
    pub(crate) summary: String,
}

/// The body of `POST …/revert`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RevertBody {
    #[serde(deserialize_with = "whole_number")]
    pub(crate) to_revision: i64,
    #[serde(default)]
    pub(crate) summary: String,
}

/// The body of `POST …/undo`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct UndoBody {
    #[serde(deserialize_with = "whole_number")]
    pub(crate) revision: i64,
    #[serde(default, deserialize_with = "optional_whole_number")]
    pub(crate) base_revision: Option<i64>,
    #[serde(default)]
    pub(crate) summary: String,
}

/// The body of the moderation routes (protect, unprotect, hide, unhide): why, optionally.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ReasonBody {
    #[serde(default)]
    pub(crate) reason: String,
}

/// Who made a moderation change, when and why; all `null` when there is none (a page not
/// protected, a revision not hidden).
#[derive(Debug, Serialize)]
pub(crate) struct NoteFields {
    pub(crate) by: Option<String>,
    pub(crate) at: Option<String>,
    pub(crate) reason: Option<String>,
}

impl From<Option<wiki::ModerationNote>> for NoteFields {
    fn from(note: Option<wiki::ModerationNote>) -> Self {
        match note {
            Some(note) => Self {
                by: Some(note.by),
                at: Some(note.at),
                reason: Some(note.reason),
            },
            None => Self {
                by: None,
                at: None,
                reason: None,
            },
        }
    }
}

/// A page's protection, as `POST …/protect` and `…/unprotect` answer it.
#[derive(Debug, Serialize)]
pub(crate) struct ProtectionState {
    pub(crate) title: String,
    pub(crate) protected: bool,
    #[serde(flatten)]
    pub(crate) note: NoteFields,
}

/// Whether a revision is hidden, as `POST /api/revisions/{id}/hide` and `…/unhide` answer it.
#[derive(Debug, Serialize)]
pub(crate) struct Visibility {
    pub(crate) revision: i64,
    pub(crate) title: String,
    pub(crate) hidden: bool,
    #[serde(flatten)]
    pub(crate) note: NoteFields,
}

/// The body of `POST …/move`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MoveBody {
    pub(crate) to: String,
    #[serde(default)]
    pub(crate) summary: String,
}

/// A revision id in a body: a JSON integer, also written with a zero fraction (`12.0`), which
/// JSON Schema counts as an integer too.
struct WholeNumber(i64);

impl<'de> Deserialize<'de> for WholeNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl de::Visitor<'_> for Visitor {
            type Value = WholeNumber;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a revision id (an integer)")
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<WholeNumber, E> {
                Ok(WholeNumber(n))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<WholeNumber, E> {
                i64::try_from(n)
                    .map(WholeNumber)
                    .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(n), &self))
            }

            fn visit_f64<E: de::Error>(self, n: f64) -> Result<WholeNumber, E> {
                // Exactly representable integers only (|n| < 2^53), so nothing is rounded.
                if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
                    Ok(WholeNumber(n as i64))
                } else {
                    Err(E::invalid_value(de::Unexpected::Float(n), &self))
                }
            }
        }

        deserializer.deserialize_any(Visitor)
    }
}

fn whole_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    WholeNumber::deserialize(deserializer).map(|n| n.0)
}

fn optional_whole_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Option::<WholeNumber>::deserialize(deserializer).map(|n| n.map(|n| n.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revision_ids_may_have_a_zero_fraction_but_no_other() {
        let body: EditBody =
            serde_json::from_str(r#"{"markup": "", "base_revision": 12.0}"#).unwrap();
        assert_eq!(body.base_revision, Some(12));
        let body: EditBody =
            serde_json::from_str(r#"{"markup": "", "base_revision": null}"#).unwrap();
        assert_eq!(body.base_revision, None);
        let body: EditBody = serde_json::from_str(r#"{"markup": ""}"#).unwrap();
        assert_eq!(body.base_revision, None);
        assert!(
            serde_json::from_str::<EditBody>(r#"{"markup": "", "base_revision": 1.5}"#).is_err()
        );
        assert!(
            serde_json::from_str::<EditBody>(r#"{"markup": "", "base_revision": "1"}"#).is_err()
        );
        assert!(serde_json::from_str::<RevertBody>(r#"{"to_revision": 1e300}"#).is_err());
        let body: RevertBody = serde_json::from_str(r#"{"to_revision": 7}"#).unwrap();
        assert_eq!(body.to_revision, 7);
    }
}

/// A section named in an answer: where it is and its stable id.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionRef {
    pub(crate) index: usize,
    pub(crate) id: String,
    pub(crate) anchor: String,
    /// The heading (kept for old clients; `heading` is preferred).
    pub(crate) title: String,
    pub(crate) heading: String,
}

impl From<&SectionEntry> for SectionRef {
    fn from(entry: &SectionEntry) -> Self {
        Self {
            index: entry.info.index,
            id: entry.id.clone(),
            anchor: entry.info.anchor.clone(),
            title: entry.info.title.clone(),
            heading: entry.info.title.clone(),
        }
    }
}

/// `GET /api/pages/{title}/facts`.
#[derive(Debug, Serialize)]
pub(crate) struct Facts {
    pub(crate) title: String,
    pub(crate) revision: i64,
    /// The revision read.
    pub(crate) revision_info: Revision,
    /// Whether the page is about a person (a person's infobox, a lead that reads as a
    /// biography, a births/deaths/living people category, or `{{Persondata}}`).
    pub(crate) person: bool,
    /// Why it is: `infobox`, `lead`, `category`, `persondata`; null when it is not.
    pub(crate) because: Option<crate::bio::Because>,
    /// The person's facts, typed, each with where it was read; null when the page is not
    /// about a person.
    pub(crate) facts: Option<crate::bio::Person>,
    /// The checks that found a disagreement (infobox against text, dates against each other).
    pub(crate) inconsistencies: Vec<crate::bio::Check>,
    /// Every check made, agreeing or not, with what it compared.
    pub(crate) checks: Vec<crate::bio::Check>,
    /// Sections with prose but no `<ref>` citation.
    pub(crate) unsourced_sections: Vec<SectionRef>,
}

/// Who a timeline is about.
#[derive(Debug, Serialize)]
pub(crate) struct TimelinePerson {
    pub(crate) name: String,
    pub(crate) born: Option<crate::bio::FactDate>,
    pub(crate) died: Option<crate::bio::FactDate>,
}

/// `GET /api/pages/{title}/timeline`.
#[derive(Debug, Serialize)]
pub(crate) struct PageTimeline {
    pub(crate) title: String,
    pub(crate) revision: i64,
    /// The revision read.
    pub(crate) revision_info: Revision,
    /// Null when the page is not about a person (then `events` is empty).
    pub(crate) person: Option<TimelinePerson>,
    pub(crate) events: Vec<crate::bio::Event>,
    pub(crate) next_cursor: Option<String>,
}

/// `GET /api/people`.
#[derive(Debug, Serialize)]
pub(crate) struct People {
    pub(crate) people: Vec<wiki::PersonItem>,
    pub(crate) next_cursor: Option<String>,
}

/// `GET /api/timeline`.
#[derive(Debug, Serialize)]
pub(crate) struct Timeline {
    pub(crate) events: Vec<wiki::TimelineEvent>,
    pub(crate) next_cursor: Option<String>,
}

/// `?born_after=&…&sort=&limit=&cursor=` of `GET /api/people` (every filter as text: the
/// `wiki` layer reads them and names the one it cannot read).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PeopleQuery {
    pub(crate) born_after: Option<String>,
    pub(crate) born_before: Option<String>,
    pub(crate) died_after: Option<String>,
    pub(crate) died_before: Option<String>,
    pub(crate) alive: Option<String>,
    pub(crate) place: Option<String>,
    pub(crate) occupation: Option<String>,
    pub(crate) organisation: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) sort: Option<String>,
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
}

impl PeopleQuery {
    /// The filters, apart from paging.
    pub(crate) fn params(&self) -> wiki::PeopleParams {
        wiki::PeopleParams {
            born_after: self.born_after.clone(),
            born_before: self.born_before.clone(),
            died_after: self.died_after.clone(),
            died_before: self.died_before.clone(),
            alive: self.alive.clone(),
            place: self.place.clone(),
            occupation: self.occupation.clone(),
            organisation: self.organisation.clone(),
            category: self.category.clone(),
            sort: self.sort.clone(),
        }
    }
}

/// `?from=&to=&limit=&cursor=` of `GET /api/timeline`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TimelineQuery {
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
}

/// `?revision=&limit=&cursor=` of `GET /api/pages/{title}/timeline`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PageTimelineQuery {
    pub(crate) revision: Option<i64>,
    pub(crate) limit: Option<usize>,
    pub(crate) cursor: Option<String>,
}

/// `GET /api/me`: who the token belongs to.
#[derive(Debug, Serialize)]
pub(crate) struct Me {
    pub(crate) id: i64,
    pub(crate) name: String,
    /// `reader`, `editor` or `admin`.
    pub(crate) role: String,
}

/// One job of the queue, for admins.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Job {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) state: String,
    pub(crate) payload: serde_json::Value,
    pub(crate) attempts: i64,
    /// When it is next due, Unix seconds.
    pub(crate) run_at: i64,
    pub(crate) last_error: Option<String>,
    pub(crate) done: i64,
    pub(crate) total: Option<i64>,
    pub(crate) created_by: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
}

impl From<JobStatus> for Job {
    fn from(row: JobStatus) -> Self {
        Self {
            id: row.id,
            kind: row.kind,
            state: row.state,
            payload: serde_json::from_str(&row.payload).unwrap_or(serde_json::Value::Null),
            attempts: row.attempts,
            run_at: row.run_at,
            last_error: row.last_error,
            done: row.done,
            total: row.total,
            created_by: row.created_by,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// `GET /api/admin/jobs`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Jobs {
    pub(crate) jobs: Vec<Job>,
}

/// One line of `GET /api/log/deletions`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DeletionLogEntry {
    /// The log entry's id (increasing).
    pub(crate) id: i64,
    /// RFC 3339, UTC.
    pub(crate) timestamp: String,
    /// The admin's user name.
    pub(crate) user: Option<String>,
    /// `delete` or `undelete`.
    pub(crate) action: &'static str,
    /// The page's title.
    pub(crate) title: String,
    /// Why, as they wrote it.
    pub(crate) reason: String,
}

impl From<AuditEntry> for DeletionLogEntry {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            timestamp: entry.at,
            user: entry.actor,
            action: if entry.action == wiki::UNDELETED {
                "undelete"
            } else {
                "delete"
            },
            title: entry.target,
            reason: entry.detail,
        }
    }
}

/// `GET /api/log/deletions`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DeletionLog {
    pub(crate) entries: Vec<DeletionLogEntry>,
    pub(crate) next_cursor: Option<String>,
}

/// `GET /api/pages/{title}/archive` (admins).
#[derive(Debug, Serialize)]
pub(crate) struct Archive {
    pub(crate) title: String,
    /// The deleted copies, the most recent history first (empty if none).
    pub(crate) archived: Vec<ArchivedCopy>,
}

/// One deleted copy of a page in the archive.
#[derive(Debug, Serialize)]
pub(crate) struct ArchivedCopy {
    /// Its page id (what `GET /api/page-ids/{id}` answers 410 for).
    pub(crate) page_id: i64,
    /// Who deleted it, when and why.
    pub(crate) deleted: NoteFields,
    /// Its revisions, newest first.
    pub(crate) revisions: Vec<Revision>,
    /// Whether it has older revisions than those listed.
    pub(crate) more: bool,
}

impl From<wiki::ArchivedHistory> for ArchivedCopy {
    fn from(copy: wiki::ArchivedHistory) -> Self {
        Self {
            page_id: copy.page_id,
            deleted: NoteFields::from(Some(copy.deleted)),
            revisions: copy.revisions.iter().map(Revision::from).collect(),
            more: copy.more,
        }
    }
}

/// `GET /api/pages/{title}/mentions`: both directions of a page's mentions.
#[derive(Debug, Serialize)]
pub(crate) struct Mentions {
    pub(crate) title: String,
    /// The sources that mention this person (empty unless the page is a person's).
    pub(crate) mentioned_in: Vec<MentionedIn>,
    /// The people this source mentions (empty unless the page is a source).
    pub(crate) mentions: Vec<Mentioned>,
}

/// A source that mentions a person.
#[derive(Debug, Serialize)]
pub(crate) struct MentionedIn {
    pub(crate) source: String,
    pub(crate) count: i64,
    /// The name as the first mention writes it.
    pub(crate) name: String,
    /// The first mention's bytes in the source's stored text.
    pub(crate) span: [i64; 2],
}

/// A person a source mentions.
#[derive(Debug, Serialize)]
pub(crate) struct Mentioned {
    pub(crate) person: String,
    /// Their display name.
    pub(crate) person_name: String,
    pub(crate) count: i64,
    /// The name as the first mention writes it.
    pub(crate) name: String,
    /// The first mention's bytes in the source's stored text.
    pub(crate) span: [i64; 2],
}

impl From<wiki::mentions::Mention> for MentionedIn {
    fn from(m: wiki::mentions::Mention) -> Self {
        Self {
            source: m.source,
            count: m.count,
            name: m.name,
            span: [m.span.0, m.span.1],
        }
    }
}

impl From<wiki::mentions::Mention> for Mentioned {
    fn from(m: wiki::mentions::Mention) -> Self {
        Self {
            person: m.person,
            person_name: m.person_name,
            count: m.count,
            name: m.name,
            span: [m.span.0, m.span.1],
        }
    }
}

/// `GET /api/pages/{title}/citations`: each `<ref>` of a page with its source, kind and
/// quotation checks, and the weak-source claims of a living person (issue 13).
#[derive(Debug, Serialize)]
pub(crate) struct Citations {
    pub(crate) title: String,
    pub(crate) revision: i64,
    /// Whether the page is a biography of a living person.
    pub(crate) living: bool,
    pub(crate) references: Vec<CitationItem>,
    /// For a living person, the sentences cited only by weak sources; else empty.
    pub(crate) weak_claims: Vec<WeakClaimItem>,
}

/// One `<ref>` of a page.
#[derive(Debug, Serialize)]
pub(crate) struct CitationItem {
    pub(crate) section: Option<SectionRef>,
    /// The stored source's title (a move followed), or null.
    pub(crate) source: Option<String>,
    pub(crate) kind: Option<&'static str>,
    /// An opinion, a blog or a self-published document.
    pub(crate) weak: bool,
    pub(crate) sentence: String,
    /// The sentence's bytes in the page's stored text.
    pub(crate) span: [usize; 2],
    pub(crate) quotations: Vec<QuotationItem>,
}

/// A quotation attributed to a source, checked against its text.
#[derive(Debug, Serialize)]
pub(crate) struct QuotationItem {
    pub(crate) quotation: String,
    /// null: not checked (the source is not stored, or its new text is being checked).
    pub(crate) found: Option<bool>,
    /// Its bytes in the source's stored text, when found.
    pub(crate) span: Option<[usize; 2]>,
}

/// A sentence of a living person's biography that rests only on weak sources.
#[derive(Debug, Serialize)]
pub(crate) struct WeakClaimItem {
    pub(crate) section: Option<SectionRef>,
    pub(crate) sentence: String,
    pub(crate) span: [usize; 2],
    pub(crate) sources: Vec<String>,
}

impl From<crate::wiki::citation_report::CitationReport> for Citations {
    fn from(report: crate::wiki::citation_report::CitationReport) -> Self {
        Self {
            references: report
                .references
                .iter()
                .map(|r| CitationItem {
                    section: r.section.as_ref().map(SectionRef::from),
                    source: r.source.as_ref().map(|s| s.title.clone()),
                    kind: r.kind().map(|k| k.as_str()),
                    weak: r.is_weak(),
                    sentence: r.sentence.clone(),
                    span: [r.span.0, r.span.1],
                    quotations: r
                        .quotations
                        .iter()
                        .map(|q| QuotationItem {
                            quotation: q.quotation.clone(),
                            found: q.found,
                            span: q.span.map(|(a, b)| [a, b]),
                        })
                        .collect(),
                })
                .collect(),
            weak_claims: report
                .weak_claims
                .into_iter()
                .map(|c| WeakClaimItem {
                    section: c.section.as_ref().map(SectionRef::from),
                    sentence: c.sentence,
                    span: [c.span.0, c.span.1],
                    sources: c.sources,
                })
                .collect(),
            title: report.title,
            revision: report.revision,
            living: report.living,
        }
    }
}
