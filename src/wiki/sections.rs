//! Sections of a stored revision: public ids, keys, outline entries and spans.

use serde::Serialize;

use crate::doc::SectionInfo;
use crate::markup;
use crate::store::StoredSection;

/// How a request names a section: by its index in a revision, its stable id, or its anchor.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SectionKey {
    /// 0 for the lead, then 1, 2, … in document order.
    Index(usize),
    /// The stable id (`s` followed by hex digits).
    Id(String),
    /// The heading's anchor, written `anchor:Early_life` (spaces taken as `_`).
    Anchor(String),
}

impl SectionKey {
    /// Reads a key as written in a URL: all digits is an index, `anchor:` and an anchor is an
    /// anchor, anything else an id.
    pub fn parse(raw: &str) -> Self {
        if let Some(anchor) = raw.strip_prefix("anchor:") {
            Self::Anchor(anchor.replace(' ', "_"))
        } else if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
            // An index too large for usize cannot exist: it stays an (unknown) id.
            raw.parse()
                .map_or_else(|_| Self::Id(raw.to_owned()), Self::Index)
        } else {
            Self::Id(raw.to_owned())
        }
    }

    /// Reads an optional `?section=` parameter: missing or empty is no section.
    pub fn from_param(raw: Option<&str>) -> Option<Self> {
        raw.filter(|s| !s.is_empty()).map(Self::parse)
    }
}

impl std::fmt::Display for SectionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Index(i) => write!(f, "{i}"),
            Self::Id(id) => f.write_str(id),
            Self::Anchor(anchor) => write!(f, "anchor:{anchor}"),
        }
    }
}

impl std::str::FromStr for SectionKey {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

/// The public form of a stored section id: never all digits.
pub(crate) fn public_id(id: i64) -> String {
    format!("s{id:x}")
}

/// The stored form of a public section id.
pub(crate) fn parse_id(id: &str) -> Option<i64> {
    let hex = id.strip_prefix('s')?;
    if hex.is_empty() || hex.len() > 15 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    i64::from_str_radix(hex, 16).ok()
}

/// One section of a stored revision: its outline entry and its stable id (the API's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionEntry {
    /// Index, level, title, anchor, number, parent, byte span.
    #[serde(flatten)]
    pub info: SectionInfo,
    /// The stable id: kept across edits of the text, renames and moves.
    pub id: String,
    /// The stable id of the enclosing section (`info.parent`'s), if any.
    #[serde(skip)]
    pub parent_id: Option<String>,
}

impl SectionEntry {
    /// The entries of one revision from its outline and its sections' ids, in order: each
    /// entry learns its parent's id.
    pub(crate) fn list(infos: Vec<SectionInfo>, ids: &[i64]) -> Vec<Self> {
        let ids: Vec<String> = ids.iter().map(|&id| public_id(id)).collect();
        infos
            .into_iter()
            .zip(&ids)
            .map(|(info, id)| Self {
                parent_id: info.parent.and_then(|p| ids.get(p).cloned()),
                info,
                id: id.clone(),
            })
            .collect()
    }
}

/// The outline entries of `text` (the concatenation of `rows`' chunks), with their ids.
///
/// The outline comes from the markup engine when it agrees with the stored chunk boundaries (it
/// always does for text saved by this version); otherwise, say after the engine changed how it
/// reads headings, the entries are rebuilt from the stored levels and titles, so ids and spans
/// stay right.
pub(crate) fn entries(text: &str, rows: &[StoredSection]) -> Vec<SectionEntry> {
    let outline = markup::outline(text);
    let starts = chunk_starts(rows);
    let agrees = outline.sections.len() == rows.len()
        && outline
            .sections
            .iter()
            .zip(&starts)
            .all(|(s, &start)| s.byte_start == start);
    let infos = if agrees {
        outline.sections
    } else {
        rebuild(rows, &starts, text.len())
    };
    let ids: Vec<i64> = rows.iter().map(|r| r.section_id).collect();
    SectionEntry::list(infos, &ids)
}

fn chunk_starts(rows: &[StoredSection]) -> Vec<usize> {
    let mut offset = 0;
    rows.iter()
        .map(|row| {
            let start = offset;
            offset += row.text.len();
            start
        })
        .collect()
}

fn rebuild(rows: &[StoredSection], starts: &[usize], len: usize) -> Vec<SectionInfo> {
    let levels: Vec<u8> = rows.iter().map(|r| r.level).collect();
    let mut anchors = RebuiltAnchors::default();
    let mut counters = [0usize; 7];
    let mut infos = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let (end_index, parent) = span_and_parent(&levels, i);
        let byte_end = starts.get(end_index).copied().unwrap_or(len);
        let (anchor, number) = if i == 0 {
            (String::new(), String::new())
        } else {
            let anchor = anchors.unique(row.title.replace(' ', "_"));
            let depth = usize::from(row.level.clamp(1, 6));
            counters[depth] += 1;
            counters[depth + 1..].iter_mut().for_each(|c| *c = 0);
            let number = counters[1..=depth]
                .iter()
                .skip_while(|&&c| c == 0)
                .map(|c| c.max(&1).to_string())
                .collect::<Vec<_>>()
                .join(".");
            (anchor, number)
        };
        infos.push(SectionInfo {
            index: i,
            level: row.level,
            title: row.title.clone(),
            anchor,
            number,
            parent,
            byte_start: starts[i],
            byte_end,
        });
    }
    infos
}

/// The anchors [`rebuild`] hands out: a title's, else with `_2`, `_3`… until no earlier one
/// has it (ignoring ASCII case). Each base remembers its next suffix, so that n repeats of a
/// title cost n steps, not n^2 candidates each checked against every anchor (n^3).
#[derive(Default)]
struct RebuiltAnchors {
    /// Every anchor so far, ASCII lower case.
    taken: std::collections::HashSet<String>,
    /// The next suffix to try for a base (ASCII lower case).
    next: std::collections::HashMap<String, usize>,
}

impl RebuiltAnchors {
    fn unique(&mut self, base: String) -> String {
        let key = base.to_ascii_lowercase();
        if self.taken.insert(key.clone()) {
            return base;
        }
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        loop {
            let candidate = format!("{base}_{n}");
            n += 1;
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                self.next.insert(key, n);
                return candidate;
            }
        }
    }
}

/// For section `i` given every section's level: the index just past its span (its subsections
/// included) and its parent.
pub(crate) fn span_and_parent(levels: &[u8], i: usize) -> (usize, Option<usize>) {
    if i == 0 {
        return (1.min(levels.len()), None);
    }
    let level = levels[i];
    let end = (i + 1..levels.len())
        .find(|&j| levels[j] <= level)
        .unwrap_or(levels.len());
    let parent = (1..i).rev().find(|&p| levels[p] < level);
    (end, parent)
}

/// The position of `key` among `rows`.
pub(crate) fn resolve(rows: &[StoredSection], key: &SectionKey) -> Option<usize> {
    match key {
        SectionKey::Index(i) => (*i < rows.len()).then_some(*i),
        SectionKey::Id(id) => {
            let id = parse_id(id)?;
            rows.iter().position(|r| r.section_id == id)
        }
        SectionKey::Anchor(anchor) => entries(&full_text(rows), rows)
            .iter()
            .position(|e| e.info.anchor == *anchor),
    }
}

/// The chunk positions `[start, end)` of section `position`'s span, subsections included.
pub(crate) fn span(rows: &[StoredSection], position: usize) -> (usize, usize) {
    let levels: Vec<u8> = rows.iter().map(|r| r.level).collect();
    (position, span_and_parent(&levels, position).0)
}

/// The text of chunks `[start, end)`.
pub(crate) fn span_text(rows: &[StoredSection], (start, end): (usize, usize)) -> String {
    rows[start..end].iter().map(|r| r.text.as_str()).collect()
}

/// The whole text of a revision.
pub(crate) fn full_text(rows: &[StoredSection]) -> String {
    span_text(rows, (0, rows.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_indexes_when_all_digits() {
        assert_eq!(SectionKey::parse("0"), SectionKey::Index(0));
        assert_eq!(SectionKey::parse("12"), SectionKey::Index(12));
        assert_eq!(SectionKey::parse("s1f"), SectionKey::Id("s1f".into()));
        assert_eq!(
            SectionKey::parse("99999999999999999999999"),
            SectionKey::Id("99999999999999999999999".into())
        );
    }

    #[test]
    fn public_ids_round_trip_and_are_never_digits() {
        for id in [1, 9, 10, 255, 123_456_789] {
            let public = public_id(id);
            assert!(!public.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(parse_id(&public), Some(id));
        }
        assert_eq!(parse_id("12"), None);
        assert_eq!(parse_id("s"), None);
        assert_eq!(parse_id("sxyz"), None);
    }

    #[test]
    fn spans_include_subsections() {
        let levels = [0, 2, 3, 3, 2, 4];
        assert_eq!(span_and_parent(&levels, 0), (1, None));
        assert_eq!(span_and_parent(&levels, 1), (4, None));
        assert_eq!(span_and_parent(&levels, 2), (3, Some(1)));
        assert_eq!(span_and_parent(&levels, 4), (6, None));
        assert_eq!(span_and_parent(&levels, 5), (6, Some(4)));
    }

    #[test]
    fn rebuilt_anchors_are_unique_ignoring_case() {
        let mut anchors = RebuiltAnchors::default();
        let got: Vec<String> = ["A", "a", "A_2", "A", "b", "B", "a_3"]
            .into_iter()
            .map(|t| anchors.unique(t.to_owned()))
            .collect();
        assert_eq!(got, ["A", "a_2", "A_2_2", "A_3", "b", "B_2", "a_3_2"]);
        // Many repeats stay cheap (each was checked against every anchor before, n^3).
        let mut anchors = RebuiltAnchors::default();
        let last = (0..20_000).map(|_| anchors.unique("x".to_owned())).last();
        assert_eq!(last.as_deref(), Some("x_20000"));
    }
}
