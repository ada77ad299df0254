//! What MediaWiki's Action API needs from the wiki beyond the ordinary reads: a page's
//! summary for `prop=info`, the revision a `basetimestamp` names, and sections numbered as
//! MediaWiki numbers them (a leading `= Title =` line is section 1 there, while Plutarch keeps
//! it in the lead).

use crate::markup;
use crate::store::{Db, RevisionMeta, revisions};

use super::moderation::ModerationNote;
use super::save::live_page;
use super::{Title, WikiError};

/// What `prop=info` tells of a live page.
#[derive(Debug, Clone)]
pub struct PageSummary {
    /// The page's stable id.
    pub id: i64,
    /// Its normalised title.
    pub title: String,
    /// Its latest revision.
    pub latest: RevisionMeta,
    /// The target, for a redirect.
    pub redirect_to: Option<String>,
    /// Who protected it, if it is protected.
    pub protection: Option<ModerationNote>,
}

/// The summary of the live page `title`, or `None` when there is none.
pub async fn page_summary(db: &Db, title: &Title) -> Result<Option<PageSummary>, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            let Some(page) = live_page(conn, &title)? else {
                return Ok(None);
            };
            let Some(latest) = page.latest_revision else {
                return Ok(None);
            };
            let Some((meta, _)) = revisions::meta(conn, latest)? else {
                return Ok(None);
            };
            Ok::<_, WikiError>(Some(PageSummary {
                id: page.id,
                title: page.title,
                latest: meta,
                redirect_to: page.redirect_to,
                protection: crate::store::moderation::protection(conn, page.id)?,
            }))
        })())
    })
    .await?
}

/// The revision of the live page `title` that a client read at `timestamp` (stored form):
/// the earliest revision of that second, else the newest before it; `None` when the page has
/// none that old (or does not exist).
pub async fn revision_read_at(
    db: &Db,
    title: &Title,
    timestamp: &str,
) -> Result<Option<i64>, WikiError> {
    let (title, timestamp) = (title.as_str().to_owned(), timestamp.to_owned());
    db.read(move |conn| {
        Ok((|| {
            let Some(page) = live_page(conn, &title)? else {
                return Ok(None);
            };
            Ok::<_, WikiError>(revisions::earliest_at(conn, page.id, &timestamp)?)
        })())
    })
    .await?
}

/// The byte spans of a text's sections as MediaWiki numbers them: 0 is what comes before the
/// first heading; a leading `= Title =` line is a level-1 heading like any other, so it is
/// section 1 and its span runs to the next level-1 heading. Spans include subsections.
pub fn mediawiki_sections(text: &str) -> Vec<(usize, usize)> {
    let outline = markup::outline(text);
    // Plutarch's headings after the lead: (start, level).
    let mut headings: Vec<(usize, u8)> = outline
        .sections
        .iter()
        .skip(1)
        .map(|s| (s.byte_start, s.level))
        .collect();
    if outline.title.is_some() {
        headings.insert(0, (title_line_start(text), 1));
    }
    let lead_end = headings.first().map_or(text.len(), |h| h.0);
    let mut spans = vec![(0, lead_end)];
    for (i, &(start, level)) in headings.iter().enumerate() {
        let end = headings[i + 1..]
            .iter()
            .find(|h| h.1 <= level)
            .map_or(text.len(), |h| h.0);
        spans.push((start, end));
    }
    spans
}

/// Where the leading title line starts: the first non-blank line (after a byte-order mark).
pub fn title_line_start(text: &str) -> usize {
    let mut at = if text.starts_with('\u{feff}') { 3 } else { 0 };
    for line in text[at..].split_inclusive('\n') {
        if !line.trim().is_empty() {
            return at;
        }
        at += line.len();
    }
    at
}

/// Section `index` (MediaWiki's numbering) of `text`, without trailing blank space, as
/// MediaWiki's `rvsection` gives it.
pub fn mediawiki_section(text: &str, index: usize) -> Option<&str> {
    let (start, end) = *mediawiki_sections(text).get(index)?;
    Some(text[start..end].trim_end())
}

/// `text` with section `index` (MediaWiki's numbering) replaced by `new`; the blank space that
/// followed the old section is kept, so writing a section back unchanged changes nothing.
pub fn replace_mediawiki_section(text: &str, index: usize, new: &str) -> Option<String> {
    let (start, end) = *mediawiki_sections(text).get(index)?;
    let old = &text[start..end];
    let mut gap = &old[old.trim_end().len()..];
    if gap.is_empty() && end < text.len() {
        gap = "\n\n";
    }
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..start]);
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(new.trim_end());
    out.push_str(gap);
    out.push_str(&text[end..]);
    Some(out)
}

/// `text` with a new section titled `heading` holding `body` at its end (`section=new`).
pub fn append_mediawiki_section(text: &str, heading: Option<&str>, body: &str) -> String {
    let mut out = text.trim_end().to_owned();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    if let Some(heading) = heading.map(str::trim).filter(|h| !h.is_empty()) {
        out.push_str("== ");
        out.push_str(heading);
        out.push_str(" ==\n\n");
    }
    out.push_str(body.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_line_is_section_one_as_in_mediawiki() {
        let text = "= Ada =\nLead.\n\n== Early life ==\nBorn.\n\n== Work ==\nEngines.\n";
        assert_eq!(mediawiki_section(text, 0), Some(""));
        assert_eq!(mediawiki_section(text, 1), Some(text.trim_end()));
        assert_eq!(mediawiki_section(text, 2), Some("== Early life ==\nBorn."));
        assert_eq!(mediawiki_section(text, 3), Some("== Work ==\nEngines."));
        assert_eq!(mediawiki_section(text, 4), None);
    }

    #[test]
    fn without_a_title_line_numbers_match_plutarchs() {
        let text = "Lead.\n== A ==\nx\n=== A1 ===\ny\n== B ==\nz\n";
        assert_eq!(mediawiki_section(text, 0), Some("Lead."));
        assert_eq!(
            mediawiki_section(text, 1),
            Some("== A ==\nx\n=== A1 ===\ny")
        );
        assert_eq!(mediawiki_section(text, 2), Some("=== A1 ===\ny"));
        assert_eq!(mediawiki_section(text, 3), Some("== B ==\nz"));
    }

    #[test]
    fn a_section_written_back_unchanged_changes_nothing() {
        let text = "Lead.\n\n== A ==\nx\n\n== B ==\nz\n";
        for i in 0..3 {
            let section = mediawiki_section(text, i).expect("section");
            assert_eq!(
                replace_mediawiki_section(text, i, section).as_deref(),
                Some(text)
            );
        }
        assert_eq!(
            replace_mediawiki_section(text, 1, "== A ==\nnew").as_deref(),
            Some("Lead.\n\n== A ==\nnew\n\n== B ==\nz\n")
        );
    }

    #[test]
    fn a_new_section_goes_at_the_end() {
        assert_eq!(
            append_mediawiki_section("Lead.\n", Some("Note"), "Hi."),
            "Lead.\n\n== Note ==\n\nHi.\n"
        );
    }
}
