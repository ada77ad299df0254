//! Source documents: `Source:` pages whose text is a document a biography cites (an article, a
//! blog post, a letter), with metadata about where it came from (`plutarch import --source`).
//! What cites a source is its backlinks (`/wiki/Source:X/links`).

use crate::bio::kinds::{SourceKind, UnknownKind};
use crate::store::sources::{self, SourceRow};
use crate::store::{self as store, Db};

use super::citations::CitingSentence;

use super::{Title, TitleError, WikiError};

/// The namespace of source documents.
pub const NAMESPACE: &str = "Source";
/// The longest URL, in bytes.
pub const MAX_URL_BYTES: usize = 2000;
/// The longest publisher, in characters.
pub const MAX_PUBLISHER_CHARS: usize = 200;

/// Why source metadata is refused (named after the `plutarch import` options).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Not an `http://` or `https://` URL with a host.
    #[error(
        "--url must be an http:// or https:// address with a host and no spaces or control characters (got {0:?})"
    )]
    Url(String),
    /// Not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or not a real date.
    #[error("--date must be YYYY, YYYY-MM or YYYY-MM-DD and a real date (got {0:?})")]
    Date(String),
    /// Longer than allowed.
    #[error("--{field} can be at most {max} {unit} long (this one is {found})")]
    TooLong {
        /// The option.
        field: &'static str,
        /// The limit.
        max: usize,
        /// What it counts.
        unit: &'static str,
        /// The length given.
        found: usize,
    },
    /// Not a kind on the list.
    #[error("--kind: {0}")]
    Kind(#[from] UnknownKind),
    /// Empty, or with control characters.
    #[error("--{0} must not be empty or contain control characters")]
    Text(&'static str),
    /// A kind taken away: a source keeps one, which can be changed but not removed.
    #[error("--kind can be changed but not removed: the kinds are {list}", list = SourceKind::NAMES.join(", "))]
    KindRemoved,
}

/// A source document's metadata, validated. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMeta {
    /// Where the document was found: an http or https URL.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published, as given: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// What kind of document it is.
    pub kind: Option<SourceKind>,
}

impl SourceMeta {
    /// Checks the metadata given to `plutarch import --source`.
    pub fn new(
        url: Option<&str>,
        publisher: Option<&str>,
        date: Option<&str>,
        kind: Option<&str>,
    ) -> Result<Self, SourceError> {
        Ok(Self {
            url: url.map(check_url).transpose()?,
            publisher: publisher
                .map(|p| check_text("publisher", p, MAX_PUBLISHER_CHARS))
                .transpose()?,
            date: date.map(check_date).transpose()?,
            kind: kind.map(SourceKind::parse).transpose()?,
        })
    }

    pub(crate) fn from_row(row: SourceRow) -> Self {
        Self {
            url: row.url,
            publisher: row.publisher,
            date: row.date,
            // Stored kinds come from the list (migration 0013 mapped the older ones).
            kind: row
                .kind
                .as_deref()
                .map(|k| SourceKind::parse(k).unwrap_or(SourceKind::Other)),
        }
    }

    pub(crate) fn to_row(&self, imported_at: String) -> SourceRow {
        SourceRow {
            url: self.url.clone(),
            publisher: self.publisher.clone(),
            date: self.date.clone(),
            kind: self.kind.map(|k| k.as_str().to_owned()),
            kind_note: None,
            imported_at,
        }
    }
}

/// Whether `url` is an `http://` or `https://` URL with a host (any case in the scheme).
pub fn is_web_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn check_url(url: &str) -> Result<String, SourceError> {
    if url.len() > MAX_URL_BYTES {
        return Err(SourceError::TooLong {
            field: "url",
            max: MAX_URL_BYTES,
            unit: "bytes",
            found: url.len(),
        });
    }
    if !is_web_url(url) {
        return Err(SourceError::Url(url.to_owned()));
    }
    Ok(url.to_owned())
}

fn check_text(field: &'static str, text: &str, max: usize) -> Result<String, SourceError> {
    let text = text.trim();
    if text.is_empty() || text.chars().any(char::is_control) {
        return Err(SourceError::Text(field));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(SourceError::TooLong {
            field,
            max,
            unit: "characters",
            found: chars,
        });
    }
    Ok(text.to_owned())
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, each part all digits and the whole a real date.
fn check_date(date: &str) -> Result<String, SourceError> {
    let invalid = || SourceError::Date(date.to_owned());
    let parts: Vec<&str> = date.split('-').collect();
    let widths_ok = parts.len() <= 3
        && parts
            .iter()
            .zip([4, 2, 2])
            .all(|(p, w)| p.len() == w && p.bytes().all(|b| b.is_ascii_digit()));
    if !widths_ok {
        return Err(invalid());
    }
    let number = |i: usize| parts.get(i).and_then(|p| p.parse::<u8>().ok());
    let year: i32 = parts[0].parse().map_err(|_| invalid())?;
    let month = match number(1) {
        Some(m) => time::Month::try_from(m).map_err(|_| invalid())?,
        None => return Ok(date.to_owned()),
    };
    if let Some(day) = number(2) {
        time::Date::from_calendar_date(year, month, day).map_err(|_| invalid())?;
    }
    Ok(date.to_owned())
}

/// The longest headline, in characters.
const MAX_HEADLINE_CHARS: usize = 150;

/// The headline of a source document: its first line, when it reads as one. That is one short
/// line that is a single sentence at most and either has no final full stop (`Labour suspends
/// an NEC member`) or is title-like (a `:` or dash in it, or at least two words in five
/// capitalised) and followed by a blank line. The final full stop is left out.
pub fn headline(text: &str) -> Option<&str> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let mut lines = text.lines();
    let line = lines.next()?.trim();
    let blank_after = lines.next().is_some_and(|l| l.trim().is_empty());
    let words: Vec<&str> = line.split_whitespace().collect();
    let short = !words.is_empty() && line.chars().count() <= MAX_HEADLINE_CHARS;
    let body = line.strip_suffix('.').unwrap_or(line);
    let one_sentence = !body.contains(". ");
    if !short || !one_sentence {
        return None;
    }
    let capitalised = words
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_uppercase()))
        .count();
    let title_like = body.contains(':')
        || body.contains(" – ")
        || body.contains(" - ")
        || capitalised * 5 >= words.len() * 2;
    (!line.ends_with('.') || title_like && blank_after).then_some(body.trim_end())
}

/// The title a file imported as a source gets: `Source:` + its title (unless it has it).
pub fn source_title(title: &Title) -> Result<Title, TitleError> {
    if title.namespace() == super::title::Namespace::Source {
        return Ok(title.clone());
    }
    Title::new(&format!("{NAMESPACE}:{title}"))
}

/// A source document's metadata, when it was set, and the sentences citing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// The metadata (all empty for a `Source:` page never imported as one).
    pub meta: SourceMeta,
    /// When it was imported (RFC 3339), if it was.
    pub imported_at: Option<String>,
    /// The sentences of pages citing it.
    pub cited_by: Vec<CitingSentence>,
    /// The people it mentions, most mentioned first (issue 13).
    pub mentions: Vec<super::mentions::Mention>,
}

/// The metadata of the `Source:` page `title` and what cites it; `None` when it is not a live
/// `Source:` page.
pub async fn source_info(db: &Db, title: &Title) -> Result<Option<SourceInfo>, WikiError> {
    if title.namespace() != super::title::Namespace::Source {
        return Ok(None);
    }
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        let Some(page) = store::pages::by_title(conn, &title)?.filter(|p| !p.deleted) else {
            return Ok(None);
        };
        let row = sources::get(conn, page.id)?;
        Ok(Some(SourceInfo {
            imported_at: row.as_ref().map(|r| r.imported_at.clone()),
            meta: row.map(SourceMeta::from_row).unwrap_or_default(),
            cited_by: super::citations::cited_by(conn, &page.title)?,
            mentions: store::mentions::of_source(conn, page.id, super::mentions::MAX_LISTED)?,
        }))
    })
    .await
    .map_err(WikiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_web_addresses() {
        for ok in [
            "https://example.org/a?b=c#d",
            "HTTP://Example.org",
            "http://[::1]:8080/",
        ] {
            assert!(SourceMeta::new(Some(ok), None, None, None).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://example.org/",
            "https://",
            "https:///path",
            "https://exa mple.org",
            "//example.org",
            "example.org",
        ] {
            assert_eq!(
                SourceMeta::new(Some(bad), None, None, None),
                Err(SourceError::Url(bad.to_owned())),
                "{bad}"
            );
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_URL_BYTES));
        assert!(matches!(
            SourceMeta::new(Some(&long), None, None, None),
            Err(SourceError::TooLong { field: "url", .. })
        ));
    }

    #[test]
    fn dates_are_a_year_a_month_or_a_day() {
        for ok in ["1843", "1843-07", "1843-07-31", "2024-02-29"] {
            let meta = SourceMeta::new(None, None, Some(ok), None).expect(ok);
            assert_eq!(meta.date.as_deref(), Some(ok));
        }
        for bad in [
            "43",
            "1843-7",
            "1843-13",
            "1843-00",
            "1843-02-30",
            "2023-02-29",
            "1843/07",
            "1843-07-31-1",
            "",
            "year",
            "１８４３",
        ] {
            assert_eq!(
                SourceMeta::new(None, None, Some(bad), None),
                Err(SourceError::Date(bad.to_owned())),
                "{bad}"
            );
        }
    }

    #[test]
    fn texts_are_bounded_and_printable() {
        let meta = SourceMeta::new(None, Some("  The Times "), None, Some("News")).unwrap();
        assert_eq!(meta.kind, Some(SourceKind::News));
        assert_eq!(
            SourceMeta::new(None, None, None, Some("newspaper")),
            Err(SourceError::Kind(UnknownKind("newspaper".into())))
        );
        assert_eq!(meta.publisher.as_deref(), Some("The Times"));
        assert_eq!(
            SourceMeta::new(None, Some(""), None, None),
            Err(SourceError::Text("publisher"))
        );
        let long = "x".repeat(MAX_PUBLISHER_CHARS + 1);
        assert!(matches!(
            SourceMeta::new(None, Some(&long), None, None),
            Err(SourceError::TooLong {
                field: "publisher",
                ..
            })
        ));
    }

    #[test]
    fn headlines_are_short_first_lines() {
        assert_eq!(
            headline(
                "Peter Willsman Points the finger at the Israeli embassy: Whats behind the claims.\n\nBody."
            ),
            Some(
                "Peter Willsman Points the finger at the Israeli embassy: Whats behind the claims"
            )
        );
        assert_eq!(
            headline("Labour suspends an NEC member\nHe said so."),
            Some("Labour suspends an NEC member")
        );
        for not in [
            "Pete Willsman was recorded claiming the embassy was behind it.\n\nMore.",
            "Ada Lovelace: A Life.\nNo blank line after it.",
            "",
            "   \n\n",
            "First sentence here. Second sentence here.\n\nBody.",
        ] {
            assert_eq!(headline(not), None, "{not:?}");
        }
        assert_eq!(headline(&"Long ".repeat(40)), None);
    }

    #[test]
    fn source_titles_get_the_namespace_once() {
        let plain = Title::new("blog post").unwrap();
        assert_eq!(source_title(&plain).unwrap().as_str(), "Source:Blog post");
        let already = Title::new("Source:Blog post").unwrap();
        assert_eq!(source_title(&already).unwrap(), already);
    }
}
