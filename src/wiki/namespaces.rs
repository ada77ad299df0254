//! The namespace backfill: a database written before namespaces (schema 9 and older) may hold
//! pages titled `image:Foo.jpg` (stored as `Image:foo.jpg`), `talk:ada` or `Kategorie:X`, and
//! links, redirects and categories written under the old rules. Once, at start-up, this renames
//! those pages to their canonical titles (`File:Foo.jpg`…) and re-indexes every page that is
//! renamed or refers to a title that is now written otherwise, so that its links, categories,
//! redirect, search rows and facts follow today's rules. SQL cannot apply the title rules, hence
//! code, versioned like the facts backfill.
//!
//! A page whose canonical title is already taken gets the first free `Title (2)`, `Title (3)`…
//! (pages in id order, so the result is always the same); every rename is written to the audit
//! log and returned.

use std::collections::BTreeSet;

use crate::store::{self as storage, Connection, Db, accounts, pages, titles};

use super::{Title, WikiError, save};

/// The version of the title rules: raise it when titles are normalised differently, and the
/// next start brings the stored titles in line ([`backfill_namespaces`]).
pub const TITLE_RULES_VERSION: i64 = 1;

/// The audit log's action for a page renamed by the backfill.
pub const RENAMED_ACTION: &str = "page renamed (namespaces)";

/// How many free `Title (N)` to try before giving up on a clash.
const MAX_SUFFIX: usize = 1000;

/// A page the backfill renamed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    /// The title it had.
    pub from: String,
    /// The title it has now.
    pub to: String,
    /// Whether its canonical title was taken, so it got a numbered one.
    pub clash: bool,
}

/// What the backfill did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamespaceReport {
    /// The pages renamed, in page order.
    pub renamed: Vec<Renamed>,
    /// How many live pages were re-indexed.
    pub reindexed: usize,
}

/// Brings stored titles in line with today's title rules, once (nothing to do on a database
/// already at [`TITLE_RULES_VERSION`]). One transaction: a database is either all old or all
/// new.
pub fn backfill_namespaces(db: &Db) -> Result<NamespaceReport, WikiError> {
    db.write_blocking(|conn| {
        Ok((|| {
            let tx = storage::begin_write(conn)?;
            let report = backfill_in(&tx)?;
            tx.commit()?;
            Ok(report)
        })())
    })?
}

fn backfill_in(tx: &Connection) -> Result<NamespaceReport, WikiError> {
    let mut report = NamespaceReport::default();
    if titles::rules_version(tx)? >= TITLE_RULES_VERSION {
        return Ok(report);
    }
    let mut touched = BTreeSet::new();
    for (id, old) in titles::pages_with_colon(tx)? {
        let Some(canonical) = changed(&old) else {
            continue;
        };
        let (to, clash) = free_title(tx, &canonical)?;
        pages::rename(tx, id, &to)?;
        let detail = if clash {
            format!("to {to} ({canonical} was taken)")
        } else {
            format!("to {to}")
        };
        accounts::log_event(tx, None, RENAMED_ACTION, &old, &detail)?;
        report.renamed.push(Renamed {
            from: old,
            to,
            clash,
        });
        touched.insert(id);
    }
    for (page_id, title) in titles::references_with_colon(tx)? {
        if changed(&title).is_some() {
            touched.insert(page_id);
        }
    }
    for id in touched {
        if let Some(page) = pages::by_id(tx, id)?
            && save::reindex_live(tx, &page)?
        {
            report.reindexed += 1;
        }
    }
    titles::set_rules_version(tx, TITLE_RULES_VERSION)?;
    Ok(report)
}

/// The title `stored` normalises to today, when that differs (an invalid title stays as it is).
fn changed(stored: &str) -> Option<String> {
    let normal = Title::new(stored).ok()?;
    (normal.as_str() != stored).then(|| normal.as_str().to_owned())
}

/// `canonical` if no page has it, else the first free `canonical (N)`; and whether it clashed.
fn free_title(tx: &Connection, canonical: &str) -> Result<(String, bool), WikiError> {
    if !titles::taken(tx, canonical)? {
        return Ok((canonical.to_owned(), false));
    }
    for n in 2..MAX_SUFFIX {
        let candidate = format!("{canonical} ({n})");
        if !titles::taken(tx, &candidate)? {
            return Ok((candidate, true));
        }
    }
    Err(WikiError::TitleTaken(canonical.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::migrations::{BEFORE_NAMESPACES, at_version};
    use crate::store::{links, pages as page_store, transclusions};
    use crate::wiki::{SaveRequest, samples::SYSTEM_USER_ID, save_blocking, search};

    /// Saves a page the way the last release without namespaces did: the title as its rules
    /// left it, and what it then stored as the page's links, categories and redirect.
    fn old_page(
        conn: &mut Connection,
        title: &str,
        text: &str,
        old_links: &[&str],
        old_redirect: Option<&str>,
    ) -> i64 {
        let request = SaveRequest {
            title: Title::unchecked(title),
            markup: text.to_owned(),
            base_revision: None,
            section: None,
            summary: String::new(),
            author_id: SYSTEM_USER_ID,
        };
        // That release stored no transclusions (db/0023): the table is there for the save only.
        transclusions::old_schema::lend(conn).unwrap();
        save_blocking(conn, &request).expect("save at the old schema");
        transclusions::old_schema::take_back(conn).unwrap();
        let page = page_store::by_title(conn, title).unwrap().unwrap();
        let old_links: Vec<String> = old_links.iter().map(|l| (*l).to_owned()).collect();
        links::replace(conn, page.id, &old_links, &[], &[]).unwrap();
        if let Some(target) = old_redirect {
            page_store::set_latest(conn, page.id, page.latest_revision.unwrap(), Some(target))
                .unwrap();
        }
        page.id
    }

    #[tokio::test]
    async fn an_older_database_gets_canonical_titles_and_everything_that_refers_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let (ada, old_redirect, file, poets_page, poets_category) = {
            let mut conn = at_version(&path, BEFORE_NAMESPACES);
            let file = old_page(&mut conn, "Image:foo.jpg", "A portrait of Ada.", &[], None);
            old_page(&mut conn, "Template:bar", "A template.", &[], None);
            old_page(&mut conn, "Talk:ada", "Was she the first?", &[], None);
            let poets_category =
                old_page(&mut conn, "Category:Poets", "Poets, canonical.", &[], None);
            let poets_page = old_page(&mut conn, "Kategorie:Poets", "Poets, localised.", &[], None);
            let ada = old_page(
                &mut conn,
                "Ada",
                "Ada's [[talk:ada|talk page]], a [[Kategorie:Poets]] poet. [[London]]",
                &["Talk:ada", "Kategorie:Poets", "London"],
                None,
            );
            let redirect = old_page(
                &mut conn,
                "Portrait",
                "#REDIRECT [[image:foo.jpg]]",
                &[],
                Some("Image:foo.jpg"),
            );
            (ada, redirect, file, poets_page, poets_category)
        };

        let db = Db::open(&path).unwrap();
        let report = backfill_namespaces(&db).unwrap();
        let renamed: Vec<(&str, &str, bool)> = report
            .renamed
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str(), r.clash))
            .collect();
        assert_eq!(
            renamed,
            [
                ("Image:foo.jpg", "File:Foo.jpg", false),
                ("Template:bar", "Template:Bar", false),
                ("Talk:ada", "Talk:Ada", false),
                ("Kategorie:Poets", "Category:Poets (2)", true),
            ]
        );
        // The four renamed pages, Ada (her links) and the redirect.
        assert_eq!(report.reindexed, 6);

        db.read_blocking(|conn| {
            let title_of = |id| page_store::by_id(conn, id).map(|p| p.unwrap().title);
            assert_eq!(title_of(file)?, "File:Foo.jpg");
            assert_eq!(title_of(poets_category)?, "Category:Poets");
            assert_eq!(title_of(poets_page)?, "Category:Poets (2)");
            let outgoing = links::outgoing(conn, ada)?;
            assert_eq!(
                outgoing,
                [("London".to_owned(), false), ("Talk:Ada".to_owned(), true)]
            );
            assert_eq!(
                links::categories_of(conn, ada)?,
                [("Poets".to_owned(), "Ada".to_owned())]
            );
            let redirect = page_store::by_id(conn, old_redirect)?.unwrap();
            assert_eq!(redirect.redirect_to.as_deref(), Some("File:Foo.jpg"));
            let logged = accounts::audit_log(conn, None, 10)?;
            let renames = logged
                .iter()
                .filter(|entry| entry.action == RENAMED_ACTION)
                .count();
            assert_eq!(renames, 4);
            Ok(())
        })
        .unwrap();

        // Search shows the new titles.
        let hits = search(&db, "portrait", 10, crate::wiki::HitsFrom::Offset(0))
            .await
            .unwrap()
            .hits;
        let titles: Vec<&str> = hits.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, ["File:Foo.jpg"]);

        // Once is enough: the version is raised.
        let again = backfill_namespaces(&db).unwrap();
        assert_eq!(again, NamespaceReport::default());
    }

    #[test]
    fn a_new_database_has_nothing_to_rename() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("new.db")).unwrap();
        assert_eq!(
            db.read_blocking(titles::rules_version).unwrap(),
            TITLE_RULES_VERSION
        );
        assert_eq!(
            backfill_namespaces(&db).unwrap(),
            NamespaceReport::default()
        );
    }
}
