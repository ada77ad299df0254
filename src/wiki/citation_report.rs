//! A page's citation report (issue 13): each `<ref>` with its section, its citing sentence, the
//! stored source it cites (if any) and that source's kind, the quotations it attributes to the
//! source with their stored checks ([`super::quote_checks`]), and, for a biography of a living
//! person, the claims that rest only on weak sources.
//!
//! The footnotes are read from the latest text (one linear pass: every `<ref>`, whether or not
//! it cites a stored source, since a claim cited by a blog and by a book does not rest on the
//! blog alone); the quotation checks are read from the stored rows, never worked out here.

use std::collections::HashMap;

use crate::bio::Person;
use crate::bio::cites::{self, Target};
use crate::bio::evidence::{self, Support};
use crate::bio::kinds::SourceKind;
use crate::store::citations::{self as store, QuotationCheck};
use crate::store::{Connection, Db, PageRow, StoreError, revisions, sources};

use super::citations::{CitedSource, source_title};
use super::quote_checks::current_sha256;
use super::read::page_and_revision;
use super::sections::{self, SectionEntry};
use super::{Title, WikiError};

/// A quotation a citing sentence attributes to its source, and whether the source has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedQuotation {
    /// The quotation, as the article gives it.
    pub quotation: String,
    /// Whether it is in the source's latest text (`None`: not checked: the source is not
    /// stored, or its text changed and the check is queued).
    pub found: Option<bool>,
    /// Where it is in the source's stored text (bytes), when found.
    pub span: Option<(usize, usize)>,
}

/// One `<ref>` of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitedReference {
    /// The section it is in.
    pub section: Option<SectionEntry>,
    /// The stored source it cites, if any (a move followed).
    pub source: Option<CitedSource>,
    /// The citing sentence, plain (empty when none precedes the `<ref>` in its section).
    pub sentence: String,
    /// The citing sentence's bytes in the page's stored text.
    pub span: (usize, usize),
    /// The quotations the sentence attributes to the source, checked.
    pub quotations: Vec<CheckedQuotation>,
}

impl CitedReference {
    /// The cited source's kind, when it is stored and has one.
    pub fn kind(&self) -> Option<SourceKind> {
        self.source.as_ref().and_then(|s| s.meta.kind)
    }

    /// Whether it cites a weak source (an opinion, a blog, a self-published document).
    pub fn is_weak(&self) -> bool {
        self.source.as_ref().is_some_and(CitedSource::is_weak)
    }
}

/// A sentence of a biography of a living person that rests only on weak sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeakClaim {
    /// The section it is in.
    pub section: Option<SectionEntry>,
    /// The sentence, plain.
    pub sentence: String,
    /// Its bytes in the page's stored text.
    pub span: (usize, usize),
    /// The weak sources it cites (titles, each once).
    pub sources: Vec<String>,
}

/// A page's citation report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationReport {
    /// The page's title.
    pub title: String,
    /// The revision read (the latest).
    pub revision: i64,
    /// Whether the page is a biography of a living person.
    pub living: bool,
    /// Each `<ref>`, in order of the text.
    pub references: Vec<CitedReference>,
    /// For a living person, the sentences that rest only on weak sources; else empty.
    pub weak_claims: Vec<WeakClaim>,
}

impl CitationReport {
    /// The quotations not found in their (stored) source, with their reference.
    pub fn not_found(&self) -> impl Iterator<Item = (&CitedReference, &CheckedQuotation)> {
        self.references.iter().flat_map(|r| {
            r.quotations
                .iter()
                .filter(|q| q.found == Some(false))
                .map(move |q| (r, q))
        })
    }
}

/// The citation report of the live page `title`'s latest revision.
pub async fn citation_report(db: &Db, title: &Title) -> Result<CitationReport, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| Ok(report_blocking(conn, &title)))
        .await?
}

/// [`citation_report`] inside a read.
pub(crate) fn report_blocking(conn: &Connection, title: &str) -> Result<CitationReport, WikiError> {
    let latest = LatestText::read(conn, title)?;
    let biography = super::facts::biography_of(&latest.text, None, &latest.page.title);
    report_of(conn, &latest, biography.as_ref().map(|b| &b.person))
}

/// A live page's latest revision and its text, read once for the views that need both its
/// facts and its citation report.
pub(crate) struct LatestText {
    pub page: PageRow,
    pub revision: i64,
    pub text: String,
    pub entries: Vec<SectionEntry>,
}

impl LatestText {
    /// Reads the live page `title`'s latest revision.
    pub(crate) fn read(conn: &Connection, title: &str) -> Result<Self, WikiError> {
        let (page, revision) = page_and_revision(conn, title, None)?;
        let rows = revisions::sections(conn, revision)?;
        let text = sections::full_text(&rows);
        let entries = sections::entries(&text, &rows);
        Ok(Self {
            page,
            revision,
            text,
            entries,
        })
    }
}

/// The citation report of `latest`, whose person (when it is a biography) is `person`.
pub(crate) fn report_of(
    conn: &Connection,
    latest: &LatestText,
    person: Option<&Person>,
) -> Result<CitationReport, WikiError> {
    let (page, revision, text) = (&latest.page, latest.revision, &latest.text);
    let starts: Vec<usize> = latest.entries.iter().map(|e| e.info.byte_start).collect();
    let living = evidence::is_living(text, person, this_year());

    let mut resolver = Resolver::new(conn);
    let mut stored: HashMap<(Span, Key), Vec<StoredQuotation>> = HashMap::new();
    for row in store::of_page(conn, page.id)? {
        let c = row.citation;
        let key = match (c.source_id, c.target) {
            (Some(id), _) => Key::Id(id),
            (None, Some(title)) => Key::Title(title),
            (None, None) => continue,
        };
        let span = (to_usize(c.span.0), to_usize(c.span.1));
        if let Some(quotation) = c.quotation {
            let list = stored.entry((span, key)).or_default();
            if !list.iter().any(|(q, _)| *q == quotation) {
                list.push((quotation, c.check));
            }
        }
    }

    let mut references = Vec::new();
    for footnote in cites::footnotes(text, &starts) {
        let key = match &footnote.target {
            Some(target) => resolver.key(target)?,
            None => None,
        };
        let source = match &key {
            Some(key) => resolver.source(key)?,
            None => None,
        };
        let mut quotations = Vec::new();
        if let Some(key) = &key {
            let current = match &source {
                Some((id, _)) => resolver.sha256(*id)?,
                None => None,
            };
            for (quotation, check) in stored
                .get(&(footnote.span, key.clone()))
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                let fresh = check.filter(|c| current.is_some_and(|s| s == c.sha256));
                quotations.push(CheckedQuotation {
                    quotation: quotation.clone(),
                    found: fresh.map(|c| c.found.is_some()),
                    span: fresh
                        .and_then(|c| c.found)
                        .map(|(a, b)| (to_usize(a), to_usize(b))),
                });
            }
        }
        references.push(CitedReference {
            section: latest.entries.get(footnote.section).cloned(),
            source: source.map(|(_, s)| s),
            sentence: footnote.sentence,
            span: footnote.span,
            quotations,
        });
    }

    let weak_claims = if living {
        weak_claims(&references)
    } else {
        Vec::new()
    };
    Ok(CitationReport {
        title: page.title.clone(),
        revision,
        living,
        references,
        weak_claims,
    })
}

/// The sentences whose references are all to weak sources, with those sources.
fn weak_claims(references: &[CitedReference]) -> Vec<WeakClaim> {
    let cited: Vec<((usize, usize), Support)> = references
        .iter()
        .map(|r| {
            let support = match r.is_weak() {
                true => Support::Weak,
                false => Support::Other,
            };
            (r.span, support)
        })
        .collect();
    evidence::weak_only(&cited)
        .into_iter()
        .filter_map(|span| {
            let of_sentence: Vec<&CitedReference> =
                references.iter().filter(|r| r.span == span).collect();
            let first = of_sentence.first()?;
            let mut titles: Vec<String> = Vec::new();
            for title in of_sentence
                .iter()
                .filter_map(|r| r.source.as_ref().map(|s| s.title.clone()))
            {
                if !titles.contains(&title) {
                    titles.push(title);
                }
            }
            Some(WeakClaim {
                section: first.section.clone(),
                sentence: first.sentence.clone(),
                span,
                sources: titles,
            })
        })
        .collect()
}

/// A sentence's bytes in the page's text.
type Span = (usize, usize);
/// A quotation as stored, with its check.
type StoredQuotation = (String, Option<QuotationCheck>);

/// How a citation names its source: a `Source:` title (normalised, as written) or a page id
/// (a `{{cite|url=}}` of a stored source's URL).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Title(String),
    Id(i64),
}

/// Looks sources up once per request.
struct Resolver<'c> {
    conn: &'c Connection,
    any_url: Option<bool>,
    keys: HashMap<Target, Option<Key>>,
    sources: HashMap<Key, Option<(i64, CitedSource)>>,
    hashes: HashMap<i64, Option<[u8; 32]>>,
}

impl<'c> Resolver<'c> {
    fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            any_url: None,
            keys: HashMap::new(),
            sources: HashMap::new(),
            hashes: HashMap::new(),
        }
    }

    fn key(&mut self, target: &Target) -> Result<Option<Key>, StoreError> {
        if let Some(key) = self.keys.get(target) {
            return Ok(key.clone());
        }
        let key = match target {
            Target::Page(written) => source_title(written).map(Key::Title),
            Target::Url(url) => {
                let any = match self.any_url {
                    Some(any) => any,
                    None => *self.any_url.insert(sources::any_url(self.conn)?),
                };
                match any {
                    true => sources::page_by_url(self.conn, url)?.map(Key::Id),
                    false => None,
                }
            }
        };
        self.keys.insert(target.clone(), key.clone());
        Ok(key)
    }

    fn source(&mut self, key: &Key) -> Result<Option<(i64, CitedSource)>, StoreError> {
        if let Some(found) = self.sources.get(key) {
            return Ok(found.clone());
        }
        let found = match key {
            Key::Title(title) => sources::resolve_title(self.conn, title)?,
            Key::Id(id) => sources::resolve_id(self.conn, *id)?,
        }
        .map(|found| (found.0, CitedSource::of(found)));
        self.sources.insert(key.clone(), found.clone());
        Ok(found)
    }

    fn sha256(&mut self, id: i64) -> Result<Option<[u8; 32]>, StoreError> {
        if let Some(hash) = self.hashes.get(&id) {
            return Ok(*hash);
        }
        let hash = current_sha256(self.conn, id)?;
        self.hashes.insert(id, hash);
        Ok(hash)
    }
}

fn to_usize(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// The year now (UTC), for whether a person born long ago can still be alive.
fn this_year() -> i64 {
    i64::from(time::OffsetDateTime::now_utc().year())
}
