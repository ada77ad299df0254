//! Mentions (issue 13): which people each source document names. The names of every person
//! (page title, display name, redirects to the page, infobox aliases) make one Aho–Corasick
//! automaton ([`crate::bio::mentions::Matcher`]), kept in memory per database and rebuilt once
//! when the names change. A source's mentions are stored when it is saved; when people's names
//! change, the `rescan-mentions` job rescans every source in small batches in the background.
//! Nothing is matched per request: the views and the API read stored rows.

use std::sync::{Arc, Mutex};

use crate::bio::boilerplate::boilerplate;
use crate::bio::mentions::{Matcher, Name};
use crate::store::facts::NewPerson;
use crate::store::mentions::{self as store, NewMention, StoredMention};
use crate::store::{self as storage, Connection, Db, StoreError, jobs, pages, revisions};

use super::title::Namespace;
use super::{Title, WikiError, sections};

/// The version of the mention reading: raise it when sources are read differently, and the
/// next start queues a rescan of every source ([`backfill`]).
pub const MENTION_VERSION: i64 = 1;
/// The most people stored as mentioned by one source (the most mentioned first).
pub const MAX_PEOPLE_PER_SOURCE: usize = 2000;
/// The most rows a view or the API lists in one direction.
pub const MAX_LISTED: usize = 500;
/// The name of the rescan job's kind.
pub const RESCAN_KIND: &str = "rescan-mentions";

/// A stored mention: a source, a person it names, how often, and where first.
pub type Mention = StoredMention;

/// The automata in memory: per database file, the names token it was built under.
type Built = (String, i64, Arc<Matcher>);

/// Databases whose automaton is kept (a server has one; tests open many).
const KEPT: usize = 8;

static AUTOMATA: Mutex<Vec<Built>> = Mutex::new(Vec::new());

/// The automaton over every person's names as `conn` sees them: the one kept in memory when
/// the names have not changed since it was built, else built now (once) and kept.
pub(crate) fn matcher(conn: &Connection) -> Result<Arc<Matcher>, WikiError> {
    let token = store::names_token(conn)?;
    let file = store::database_file(conn);
    if let Some(file) = &file {
        let kept = AUTOMATA.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, _, matcher)) = kept.iter().find(|(f, t, _)| f == file && *t == token) {
            return Ok(Arc::clone(matcher));
        }
    }
    let names = store::all_names(conn)?
        .into_iter()
        .map(|(person, name)| Name { person, name })
        .collect();
    let matcher = Arc::new(
        Matcher::new(names)
            .map_err(|e| WikiError::Invalid(format!("the names automaton failed: {e}")))?,
    );
    if let Some(file) = file {
        let mut kept = AUTOMATA.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(f, _, _)| *f != file);
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push((file, token, Arc::clone(&matcher)));
    }
    Ok(matcher)
}

/// The people `text` names (outside its boilerplate), by `matcher`: one row per person, the
/// most mentioned first, at most [`MAX_PEOPLE_PER_SOURCE`].
pub(crate) fn read_mentions(matcher: &Matcher, text: &str) -> Vec<NewMention> {
    let skip = boilerplate(text);
    let mut found: Vec<NewMention> = Vec::new();
    let mut index = std::collections::HashMap::new();
    for mention in matcher.mentions(text, &skip) {
        match index.get(&mention.person) {
            Some(&i) => {
                let row: &mut NewMention = &mut found[i];
                row.count += 1;
            }
            None => {
                index.insert(mention.person, found.len());
                found.push(NewMention {
                    person_id: mention.person,
                    count: 1,
                    span: (mention.span.start as i64, mention.span.end as i64),
                    name: text[mention.span].to_owned(),
                });
            }
        }
    }
    found.sort_by(|a, b| b.count.cmp(&a.count).then(a.span.cmp(&b.span)));
    found.truncate(MAX_PEOPLE_PER_SOURCE);
    found
}

/// Stores the mentions of source `page_id` read from `text` with today's automaton.
fn scan(tx: &Connection, page_id: i64, text: &str) -> Result<(), WikiError> {
    let matcher = matcher(tx)?;
    store::replace(tx, page_id, &read_mentions(&matcher, text))?;
    Ok(())
}

/// Whether `title` is a source document's.
fn is_source(title: &str) -> bool {
    Title::new(title).is_ok_and(|t| t.namespace() == Namespace::Source)
}

/// The names a person's page gives them besides its title (display name, aliases), sorted.
fn names_of(person: Option<&NewPerson>) -> Vec<String> {
    let Some(person) = person else {
        return Vec::new();
    };
    let mut names: Vec<String> = std::iter::once(person.name.clone())
        .chain(
            person
                .facts
                .iter()
                .filter(|f| f.kind == "alias" || f.kind == "birth_name")
                .map(|f| f.value.clone()),
        )
        .collect();
    names.sort();
    names
}

/// What a page's new latest text means for mentions, before its person and redirect are
/// written (the save, a move, an undelete): when the names it gives a person change (its
/// display name or aliases, whether it is a person, a redirect to a person made or removed),
/// the automaton is
/// stale and every source is rescanned ([`names_changed`]); a source's own mentions are read
/// again now. `staged`: an import, whose people are written at the end of its batch (which
/// calls [`names_changed`] itself).
pub(crate) fn on_index(tx: &Connection, page: &Indexed<'_>) -> Result<(), WikiError> {
    let to_person = |target: Option<&str>| match target {
        Some(target) => store::is_person(tx, target),
        None => Ok(false),
    };
    let renamed = page.old_redirect != page.redirect
        && (to_person(page.old_redirect)? || to_person(page.redirect)?);
    if renamed || (!page.staged && store::own_names(tx, page.page_id)? != names_of(page.person)) {
        names_changed(tx)?;
    }
    if is_source(page.title) {
        if page.redirect.is_some() {
            store::clear_source(tx, page.page_id)?;
        } else {
            scan(tx, page.page_id, page.text)?;
        }
    }
    Ok(())
}

/// A page's new latest text, as [`on_index`] sees it.
pub(crate) struct Indexed<'a> {
    /// The page.
    pub page_id: i64,
    /// Its title.
    pub title: &'a str,
    /// Its latest text.
    pub text: &'a str,
    /// The person it describes.
    pub person: Option<&'a NewPerson>,
    /// Where it redirects now.
    pub redirect: Option<&'a str>,
    /// Where it redirected before.
    pub old_redirect: Option<&'a str>,
    /// An import's save, whose people are written at the end of its batch.
    pub staged: bool,
}

/// People's names changed: a new names token (the automaton is rebuilt when next needed) and a
/// rescan of every source, queued unless one is waiting or running (which starts over) or there
/// is no source to read.
pub(crate) fn names_changed(tx: &Connection) -> Result<(), StoreError> {
    store::renew_names_token(tx)?;
    if store::any_source(tx)? && !jobs::pending(tx, RESCAN_KIND)? {
        jobs::enqueue(
            tx,
            RESCAN_KIND,
            &initial_payload(super::jobs::DEFAULT_BATCH),
            super::jobs::unix_now(),
            None,
        )?;
    }
    Ok(())
}

/// A page is deleted: its mentions (as a source and as a person) go, and when it named a
/// person (a person's page, a redirect) the names changed.
pub(crate) fn forget(tx: &Connection, page_id: i64) -> Result<(), StoreError> {
    let redirect = pages::by_id(tx, page_id)?.and_then(|p| p.redirect_to);
    if redirect.is_some() || !store::own_names(tx, page_id)?.is_empty() {
        names_changed(tx)?;
    }
    store::clear_page(tx, page_id)
}

/// The rescan job's payload: the last source done, the batch size, and the names token the
/// walk reads under (a walk whose token is no longer current starts over).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rescan {
    /// The last source page id done.
    #[serde(default)]
    pub after: i64,
    /// Sources per step.
    #[serde(default = "default_batch")]
    pub batch: usize,
    /// The names token the walk reads under (`None`: not started).
    #[serde(default)]
    pub names: Option<i64>,
}

fn default_batch() -> usize {
    super::jobs::DEFAULT_BATCH
}

/// The payload a new rescan starts from.
pub(crate) fn initial_payload(batch: usize) -> String {
    serde_json::to_string(&Rescan {
        after: 0,
        batch,
        names: None,
    })
    .unwrap_or_else(|_| "{}".to_owned())
}

/// What one step of the rescan did: the payload to carry on from, sources done, sources in
/// all, and whether it is finished.
pub(crate) struct RescanStep {
    pub payload: String,
    pub done: i64,
    pub total: i64,
    pub finished: bool,
}

/// One step of the rescan: the next `batch` sources, read with today's automaton.
pub(crate) fn rescan_step(
    tx: &Connection,
    payload: &str,
    done: i64,
) -> Result<RescanStep, WikiError> {
    let mut walk: Rescan = serde_json::from_str(payload)
        .map_err(|e| WikiError::Invalid(format!("the job's payload is not valid: {e}")))?;
    if walk.batch == 0 || walk.batch > super::jobs::MAX_BATCH {
        return Err(WikiError::Invalid(format!(
            "a batch is 1 to {} pages, not {}",
            super::jobs::MAX_BATCH,
            walk.batch
        )));
    }
    let token = store::names_token(tx)?;
    let mut done = done;
    if walk.names != Some(token) {
        // Names changed since the walk began: start over under the new names.
        walk = Rescan {
            after: 0,
            names: Some(token),
            ..walk
        };
        done = 0;
    }
    let matcher = matcher(tx)?;
    let batch = store::sources_after(tx, walk.after, walk.batch)?;
    for &(page_id, revision) in &batch {
        let rows = revisions::sections(tx, revision)?;
        let text = sections::full_text(&rows);
        store::replace(tx, page_id, &read_mentions(&matcher, &text))?;
        walk.after = page_id;
    }
    done += batch.len() as i64;
    let total = done + store::sources_count_after(tx, walk.after)?;
    Ok(RescanStep {
        payload: serde_json::to_string(&walk).unwrap_or_else(|_| "{}".to_owned()),
        done,
        total,
        finished: batch.len() < walk.batch,
    })
}

/// Queues a rescan of every source once, when the stored mentions come from an older reading
/// (or none: a database from before migration 16). Returns whether it queued one.
pub fn backfill(db: &Db) -> Result<bool, WikiError> {
    Ok(db.write_blocking(|conn| {
        let tx = storage::begin_write(conn)?;
        if store::version(&tx)? >= MENTION_VERSION {
            return Ok(false);
        }
        names_changed(&tx)?;
        store::set_version(&tx, MENTION_VERSION)?;
        tx.commit()?;
        Ok(true)
    })?)
}

/// Both directions of a page's mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMentions {
    /// The page's title.
    pub title: String,
    /// The sources that mention this page's person (empty unless it is a person's page).
    pub mentioned_in: Vec<Mention>,
    /// The people this page names (empty unless it is a source).
    pub mentions: Vec<Mention>,
}

/// The mentions of and by the live page `title` (following no redirect), at most
/// [`MAX_LISTED`] each way.
pub async fn page_mentions(db: &Db, title: &Title) -> Result<PageMentions, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| Ok(page_mentions_blocking(conn, &title)))
        .await?
}

fn page_mentions_blocking(conn: &Connection, title: &str) -> Result<PageMentions, WikiError> {
    let page = super::save::live_page(conn, title)?
        .ok_or_else(|| super::save::no_live_page(conn, title))?;
    Ok(PageMentions {
        mentioned_in: store::of_person(conn, page.id, MAX_LISTED)?,
        mentions: store::of_source(conn, page.id, MAX_LISTED)?,
        title: page.title,
    })
}

/// The people the source `title` mentions, most mentioned first (for the source's API answer);
/// `None` when no live page has that title.
pub async fn source_mentions(db: &Db, title: &Title) -> Result<Option<Vec<Mention>>, WikiError> {
    let title = title.as_str().to_owned();
    db.read(move |conn| {
        Ok(
            match pages::by_title(conn, &title)?.filter(|p| !p.deleted) {
                Some(page) => Some(store::of_source(conn, page.id, MAX_LISTED)?),
                None => None,
            },
        )
    })
    .await
    .map_err(WikiError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wiki::jobs::{JobKind, Ran, enqueue_blocking, job_blocking, run_one_blocking};
    use crate::wiki::{SaveRequest, samples::SYSTEM_USER_ID, save_blocking};

    fn save(db: &Db, title: &str, markup: &str) {
        db.write_blocking(|conn| {
            let request = SaveRequest {
                title: Title::new(title).unwrap(),
                markup: markup.to_owned(),
                base_revision: None,
                section: None,
                summary: String::new(),
                author_id: SYSTEM_USER_ID,
            };
            Ok(save_blocking(conn, &request))
        })
        .unwrap()
        .unwrap();
    }

    fn step(db: &Db) -> Ran {
        db.write_blocking(|conn| Ok(run_one_blocking(conn, super::super::jobs::unix_now())))
            .unwrap()
            .unwrap()
    }

    fn named_in(db: &Db, title: &str) -> Vec<String> {
        let title = Title::new(title).unwrap();
        db.read_blocking(|conn| {
            let page = pages::by_title(conn, title.as_str())?.unwrap();
            store::of_person(conn, page.id, MAX_LISTED)
        })
        .unwrap()
        .into_iter()
        .map(|m| format!("{} {}×{}", m.source, m.name, m.count))
        .collect()
    }

    #[test]
    fn a_rescan_walks_in_batches_and_starts_over_when_names_change_meanwhile() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("rescan.db")).unwrap();
        save(
            &db,
            "Ada Lovelace",
            "{{Infobox person|name=Ada Lovelace|birth_date=1815}}\nAda Lovelace was a mathematician.\n",
        );
        for i in 0..3 {
            save(
                &db,
                &format!("Source:Letter {i}"),
                "Lady Lovelace wrote to Babbage.\n",
            );
        }
        assert!(named_in(&db, "Ada Lovelace").is_empty());
        let id = db
            .write_blocking(|conn| Ok(enqueue_blocking(conn, JobKind::RescanMentions, 1, None)))
            .unwrap()
            .unwrap();
        assert!(matches!(
            step(&db),
            Ran::Stepped {
                finished: false,
                ..
            }
        ));
        let job = job_blocking(&db, id).unwrap().unwrap();
        assert_eq!((job.done, job.total), (1, Some(3)));

        // A redirect gives her another name while the walk is under way: it starts over (no
        // second job), and every source is read under the new names.
        save(&db, "Lady Lovelace", "#REDIRECT [[Ada Lovelace]]\n");
        let queued = db
            .read_blocking(|conn| jobs::recent(conn, 10))
            .unwrap()
            .into_iter()
            .filter(|j| j.kind == RESCAN_KIND)
            .count();
        assert_eq!(queued, 1, "the running rescan is reused");
        assert!(matches!(
            step(&db),
            Ran::Stepped {
                finished: false,
                ..
            }
        ));
        let job = job_blocking(&db, id).unwrap().unwrap();
        assert_eq!((job.done, job.total), (1, Some(3)), "started over");
        while step(&db) != Ran::Idle {}
        let job = job_blocking(&db, id).unwrap().unwrap();
        assert_eq!((job.state.as_str(), job.done), ("done", 3));
        assert_eq!(
            named_in(&db, "Ada Lovelace"),
            [
                "Source:Letter 0 Lady Lovelace×1",
                "Source:Letter 1 Lady Lovelace×1",
                "Source:Letter 2 Lady Lovelace×1"
            ]
        );
    }

    #[test]
    fn a_source_stores_a_bounded_number_of_people() {
        let names = (0..MAX_PEOPLE_PER_SOURCE as i64 + 50)
            .map(|i| Name {
                person: i,
                name: format!("Person{i:05}"),
            })
            .collect();
        let matcher = Matcher::new(names).unwrap();
        let text: String = (0..MAX_PEOPLE_PER_SOURCE + 50)
            .map(|i| format!("Person{i:05} "))
            .collect::<String>()
            + "Person00007 Person00007";
        let found = read_mentions(&matcher, &text);
        assert_eq!(found.len(), MAX_PEOPLE_PER_SOURCE);
        assert_eq!(
            (found[0].person_id, found[0].count),
            (7, 3),
            "most mentioned first"
        );
    }
}
