//! People's facts: the `bio` layer's reading of each page's latest revision, kept in
//! `store::facts` by every write (and by a backfill for pages saved before there were facts),
//! and a page's facts at any revision.

use crate::bio::{self, Biography, Check, Event, FactDate, FactValue, Origin, Person};
use crate::doc::Document;
use crate::markup;
use crate::store::facts::{self as store, NewEvent, NewFact, NewPerson, StoredDate, TextPlace};
use crate::store::{
    self as storage, Connection, Db, RevisionMeta, StoreError, page_info, pages, revisions,
};

use super::citation_report::{LatestText, report_of};
use super::moderation;
use super::read::page_and_revision;
use super::sections::{self, SectionEntry};
use super::{Title, WikiError};

/// The version of the fact extraction: raise it when `bio` reads pages differently, and the
/// next start re-reads every page ([`backfill`]).
pub const EXTRACTION_VERSION: i64 = 3; // 3: infobox aliases (mentions, issue 13)

/// The longest sort key kept, in characters.
const MAX_SORT_KEY_CHARS: usize = 300;

/// Rewrites `page_id`'s person from its latest text (inside the save's transaction). Only the
/// section holding the infobox is parsed (and the `{{DEFAULTSORT:}}` line); the text's facts
/// and events come from one pass over the raw text (a save that parsed the whole text already
/// hands its parse to [`person_of`] instead).
pub(crate) fn index(
    tx: &Connection,
    page_id: i64,
    title: &str,
    text: &str,
) -> Result<(), StoreError> {
    write(tx, page_id, person_of(text, None, title).as_ref())
}

/// The person the text of page `title` describes, ready to be stored (`None`: nobody). `doc` is
/// the whole text's parse when there is one already (an import's analysis, worked out on its
/// reading threads); otherwise only the section holding the infobox is parsed here. The text's
/// own facts and events (the lead sentence, dated sentences) are read from the raw text, so a
/// page without an infobox is never parsed here. No database.
pub(crate) fn person_of(text: &str, doc: Option<&Document>, title: &str) -> Option<NewPerson> {
    person_sorted_as(text, doc, title, default_sort(text).as_deref())
}

/// [`person_of`], the text's `{{DEFAULTSORT:…}}` key read already (`sort_key`, as
/// [`default_sort`] gives it).
pub(crate) fn person_sorted_as(
    text: &str,
    doc: Option<&Document>,
    title: &str,
    sort_key: Option<&str>,
) -> Option<NewPerson> {
    let biography = biography_of(text, doc, title)?;
    Some(stored_person(&biography, sort_key.unwrap_or(title)))
}

/// The biography of page `title` from its text (see [`person_of`]), section ids not named and
/// without its checks (what is stored needs none).
pub(super) fn biography_of(text: &str, doc: Option<&Document>, title: &str) -> Option<Biography> {
    let infobox = infobox_person(text, doc, title);
    let starts: Vec<usize> = match doc {
        Some(doc) => doc.outline.sections.iter().map(|s| s.byte_start).collect(),
        None => markup::outline(text)
            .sections
            .iter()
            .map(|s| s.byte_start)
            .collect(),
    };
    bio::biography_unchecked(infobox, text, &starts, title)
}

/// The person of the page's infobox, if it has a person's.
fn infobox_person(text: &str, doc: Option<&Document>, title: &str) -> Option<Person> {
    let at = infobox_start(text)?;
    let parsed;
    let doc = match doc {
        Some(doc) => doc,
        None => {
            let mut section = markup::parse(section_at(text, at));
            if !bio::has_infobox(&section) {
                // The `{{Infobox` was not a template there (in `<nowiki>`, a comment…): read
                // it all.
                section = markup::parse(text);
            }
            parsed = section;
            &parsed
        }
    };
    bio::person(doc, title)
}

/// Makes `person` the person of page `page_id` (inside the save's transaction).
pub(crate) fn write(
    tx: &Connection,
    page_id: i64,
    person: Option<&NewPerson>,
) -> Result<(), StoreError> {
    store::replace(tx, page_id, person)
}

/// [`write`] for many pages at once, in page order (the end of an import batch).
pub(crate) fn write_many(
    tx: &Connection,
    pages: &[store::PagePerson<'_>],
) -> Result<(), StoreError> {
    store::replace_many(tx, pages)
}

/// Forgets a deleted page's person.
pub(crate) fn forget(tx: &Connection, page_id: i64) -> Result<(), StoreError> {
    store::clear(tx, page_id)
}

/// Where the first `{{Infobox …` (or `{{Template:Infobox …`) call starts, if any: pages
/// without one are not about a person and are not parsed at all.
fn infobox_start(text: &str) -> Option<usize> {
    template_openings(text).find(|&at| {
        let name = text[at + 2..].trim_start();
        let name = strip_prefix_ignore_case(name, "template:").unwrap_or(name);
        strip_prefix_ignore_case(name, "infobox").is_some()
    })
}

/// Where each `{{` of `text` starts, left to right and not overlapping (as
/// `str::match_indices` finds them), by memchr's vectorised search: a page has hundreds, and an
/// import looks through every page twice (issue 13: a generic substring search was 1 % of an
/// import's instructions).
fn template_openings(text: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(text.as_bytes(), b"{{")
}

fn strip_prefix_ignore_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// The section (heading to next heading) that holds byte `at`.
fn section_at(text: &str, at: usize) -> &str {
    let outline = markup::outline(text);
    let starts: Vec<usize> = outline.sections.iter().map(|s| s.byte_start).collect();
    let index = starts.iter().rposition(|&start| start <= at).unwrap_or(0);
    let start = starts.get(index).copied().unwrap_or(0);
    let end = starts.get(index + 1).copied().unwrap_or(text.len());
    text.get(start..end).unwrap_or(text)
}

/// The page's `{{DEFAULTSORT:…}}` key, read by the parser from its line alone.
pub(crate) fn default_sort(text: &str) -> Option<String> {
    let at = template_openings(text).find(|&at| {
        strip_prefix_ignore_case(text[at + 2..].trim_start(), "defaultsort").is_some()
    })?;
    let line_end = text[at..].find('\n').map_or(text.len(), |n| at + n);
    markup::parse(&text[at..line_end]).default_sort
}

/// A normalised page title from a link target.
fn title_of(link: Option<&String>) -> Option<String> {
    let link = link?;
    Title::new(link.trim_start_matches(':'))
        .ok()
        .map(|t| t.as_str().to_owned())
}

fn stored_date(date: &FactDate) -> StoredDate {
    StoredDate {
        text: date.text.clone(),
        interval: date.interval(),
    }
}

fn stored_person(biography: &Biography, sort_key: &str) -> NewPerson {
    let person = &biography.person;
    let mut facts = Vec::new();
    let mut push = |kind: &'static str, value: &FactValue| {
        let interval = match (&value.start, &value.end) {
            (None, None) => None,
            (start, end) => Some((
                start.as_ref().and_then(|d| d.interval()).map(|i| i.0),
                end.as_ref().and_then(|d| d.interval()).map(|i| i.1),
            )),
        };
        facts.push(NewFact {
            kind,
            value: value.text.clone(),
            link: title_of(value.link.as_ref()),
            field: value.field.clone(),
            interval,
            from: text_place(&value.from),
        });
    };
    for (kind, place) in [
        ("birth_place", &person.birth_place),
        ("death_place", &person.death_place),
    ] {
        if let Some(place) = place {
            push(kind, place);
        }
    }
    if let Some(name) = &person.birth_name {
        push("birth_name", name);
    }
    for (kind, values) in [
        ("occupation", &person.occupations),
        ("organisation", &person.organisations),
        ("position", &person.positions),
        ("nationality", &person.nationality),
        ("known_for", &person.known_for),
        ("spouse", &person.spouses),
    ] {
        for value in values {
            push(kind, value);
        }
    }
    // What a place filter matches: each place whole, each comma-separated part, its link.
    for place in [&person.birth_place, &person.death_place]
        .into_iter()
        .flatten()
    {
        let parts = std::iter::once(place.text.as_str()).chain(place.text.split(','));
        let link = title_of(place.link.as_ref());
        for term in parts.map(str::trim).chain(link.as_deref()) {
            if !term.is_empty() {
                push(
                    "place",
                    &FactValue {
                        text: term.to_owned(),
                        link: None,
                        field: None,
                        start: None,
                        end: None,
                        from: place.from.clone(),
                    },
                );
            }
        }
    }
    // Other names, for the mentions automaton (issue 13).
    for alias in &person.aliases {
        facts.push(NewFact {
            kind: "alias",
            value: alias.clone(),
            ..NewFact::default()
        });
    }
    let events = biography
        .events
        .iter()
        .filter_map(|e| {
            Some(NewEvent {
                kind: e.kind.as_str(),
                interval: e.interval()?,
                label: e.label.clone(),
                date_text: e.date.text.clone(),
                link: title_of(e.link.as_ref()),
                qualifier: e.qualifier.map(bio::Qualifier::as_str),
                from: text_place(&e.from),
            })
        })
        .collect();
    NewPerson {
        name: person.name.clone(),
        sort_key: sort_key.trim().chars().take(MAX_SORT_KEY_CHARS).collect(),
        born: person.birth_date.as_ref().map(stored_date),
        died: person.death_date.as_ref().map(stored_date),
        facts,
        events,
    }
}

/// Where a fact was read, as stored (`None`: the infobox).
fn text_place(from: &Origin) -> Option<TextPlace> {
    let t = from.text()?;
    let number = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    Some(TextPlace {
        section: number(t.section_index),
        span: (number(t.span[0]), number(t.span[1])),
    })
}

/// Reads every live page's latest revision into the fact tables once, when they come from an
/// older extraction (or none: a database from before migration 5). Returns how many pages were
/// read (0 when the tables were up to date).
pub fn backfill(db: &Db) -> Result<usize, WikiError> {
    let read = db.write_blocking(|conn| {
        let tx = storage::begin_write(conn)?;
        if store::version(&tx)? >= EXTRACTION_VERSION {
            return Ok(0);
        }
        let read = each_latest_text(&tx, |page, text| index(&tx, page.id, &page.title, text))?;
        store::set_version(&tx, EXTRACTION_VERSION)?;
        tx.commit()?;
        Ok(read)
    })?;
    Ok(read)
}

/// Calls `read` with every live page and its latest text (the start-up backfills); returns how
/// many pages there were.
pub(crate) fn each_latest_text(
    tx: &Connection,
    mut read: impl FnMut(&storage::PageRow, &str) -> Result<(), StoreError>,
) -> Result<usize, StoreError> {
    let all = pages::all_latest(tx)?;
    for (title, revision) in &all {
        let Some(page) = pages::by_title(tx, title)? else {
            continue;
        };
        let text = revisions::text(tx, *revision)?;
        read(&page, &text)?;
    }
    Ok(all.len())
}

/// A page's facts at a revision.
#[derive(Debug, Clone)]
pub struct PageFacts {
    /// The page's title.
    pub title: String,
    /// The revision read.
    pub revision: i64,
    /// The person, when the page is about one (each fact says where it was read).
    pub person: Option<Person>,
    /// Why the page is about a person.
    pub because: Option<bio::Because>,
    /// The person's dated facts and the text's dated events, earliest first.
    pub events: Vec<Event>,
    /// What was compared, and whether it agrees (the inconsistencies are those that do not).
    pub checks: Vec<Check>,
    /// The sections with prose but no citation, with their ids.
    pub unsourced_sections: Vec<SectionEntry>,
    /// The sections, with their ids (to link an origin to its section).
    pub sections: Vec<SectionEntry>,
}

impl PageFacts {
    /// The checks that found a disagreement.
    pub fn inconsistencies(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.consistent)
    }

    /// The section a text origin points at.
    pub fn section_of(&self, from: &Origin) -> Option<&SectionEntry> {
        let t = from.text()?;
        self.sections.get(t.section_index)
    }
}

/// The facts of `title` at `revision` (its latest when `None`). A redirect page reads as
/// itself, like the sections.
pub async fn page_facts(
    db: &Db,
    title: &Title,
    revision: Option<i64>,
) -> Result<PageFacts, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| Ok(page_facts_blocking(conn, &title, revision)))
        .await?
}

fn page_facts_blocking(
    conn: &Connection,
    title: &str,
    revision: Option<i64>,
) -> Result<PageFacts, WikiError> {
    let (page, revision) = page_and_revision(conn, title, revision)?;
    let rows = revisions::sections(conn, revision)?;
    let text = sections::full_text(&rows);
    let entries = sections::entries(&text, &rows);
    Ok(facts_of(&page.title, revision, &text, entries))
}

/// The facts of revision `revision` of page `title`, whose text is `text` cut into `entries`.
fn facts_of(title: &str, revision: i64, text: &str, entries: Vec<SectionEntry>) -> PageFacts {
    let doc = markup::parse(text);
    let starts: Vec<usize> = entries.iter().map(|e| e.info.byte_start).collect();
    let mut biography = bio::biography(bio::person(&doc, title), text, &starts, title);
    if let Some(b) = biography.as_mut() {
        let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
        b.name_sections(&ids);
    }
    let unsourced_sections = bio::unsourced_sections(&doc)
        .into_iter()
        .filter_map(|i| entries.get(i).cloned())
        .collect();
    let (person, because, events, checks) = match biography {
        Some(b) => (Some(b.person), Some(b.because), b.events, b.checks),
        None => (None, None, Vec::new(), Vec::new()),
    };
    PageFacts {
        title: title.to_owned(),
        revision,
        person,
        because,
        events,
        checks,
        unsourced_sections,
        sections: entries,
    }
}

/// Whether a parsed page is about a person (a person's infobox, a lead that reads as a
/// biography, a births, deaths or living people category, or `{{Persondata}}`). Cheap enough
/// for every page view: only the lead's first sentence is read, not the page's events.
pub fn is_person(doc: &Document, text: &str) -> bool {
    let starts: Vec<usize> = doc.outline.sections.iter().map(|s| s.byte_start).collect();
    bio::why_a_person(bio::person(doc, "").is_some(), text, &starts).is_some()
}

/// What the page information view shows.
#[derive(Debug, Clone)]
pub struct PageInfo {
    /// The facts and the citation check of the latest revision.
    pub facts: PageFacts,
    /// How many revisions the page has.
    pub revisions: i64,
    /// The first revision (who created the page, and when).
    pub created: Option<RevisionMeta>,
    /// The latest revision.
    pub last_edited: Option<RevisionMeta>,
    /// Whether only admins may edit the page.
    pub protected: bool,
    /// The sources that mention the page's person, as stored (issue 13).
    pub mentioned_in: Vec<super::mentions::Mention>,
    /// Its references, their quotation checks and weak-source claims (issue 13).
    pub citations: super::citation_report::CitationReport,
}

/// The information about a live page (its latest revision).
pub async fn page_info(db: &Db, title: &Title) -> Result<PageInfo, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok((|| {
            // The text is read and the biography found once, for the facts and the report.
            let latest = LatestText::read(conn, &title)?;
            let facts = facts_of(
                &latest.page.title,
                latest.revision,
                &latest.text,
                latest.entries.clone(),
            );
            let citations = report_of(conn, &latest, facts.person.as_ref())?;
            let page = &latest.page;
            let (count, first) = page_info::revision_span(conn, page.id)?;
            let meta = |id: Option<i64>| -> Result<Option<RevisionMeta>, WikiError> {
                Ok(match id {
                    Some(id) => revisions::meta(conn, id)?.map(|(m, _)| m),
                    None => None,
                })
            };
            Ok(PageInfo {
                revisions: count,
                created: meta(first)?,
                last_edited: meta(Some(facts.revision))?,
                protected: moderation::is_protected(conn, page.id)?,
                mentioned_in: crate::store::mentions::of_person(
                    conn,
                    page.id,
                    super::mentions::MAX_LISTED,
                )?,
                citations,
                facts,
            })
        })())
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_infobox_calls_count() {
        assert_eq!(infobox_start("a {{ Infobox person\n}}"), Some(2));
        assert_eq!(infobox_start("{{template:infobox_scientist}}"), Some(0));
        assert_eq!(infobox_start("The infobox is {{cite web}}."), None);
        assert_eq!(infobox_start("{{"), None);
        assert_eq!(infobox_start("{{ é"), None);
    }

    #[test]
    fn the_infobox_section_and_the_sort_key_are_found() {
        let text = "Lead.\n== Life ==\n{{Infobox person\n| born = 1900\n}}\nText.\n== Later ==\nMore.\n{{DEFAULTSORT:Doe, Jo}}\n";
        let at = infobox_start(text).unwrap();
        assert_eq!(
            section_at(text, at),
            "== Life ==\n{{Infobox person\n| born = 1900\n}}\nText.\n"
        );
        assert_eq!(default_sort(text).as_deref(), Some("Doe, Jo"));
        assert_eq!(default_sort("{{DEFAULTSORT"), None);
        assert_eq!(default_sort("No key."), None);
    }

    #[test]
    fn an_infobox_that_is_only_text_does_not_hide_the_real_one() {
        let text = "<nowiki>{{Infobox person}}</nowiki>\n== Life ==\n{{Infobox person\n| birth_date = 1900\n}}\n";
        let at = infobox_start(text).unwrap();
        let chunk = markup::parse(section_at(text, at));
        assert!(!bio::has_infobox(&chunk));
        assert!(bio::person(&markup::parse(text), "X").is_some());
    }
}
