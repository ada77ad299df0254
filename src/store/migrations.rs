//! Schema migrations from `db/NNNN_name.sql`, applied in order, tracked by `PRAGMA user_version`.

use std::path::Path;

use rusqlite::Connection;
use rusqlite_migration::{M, Migrations};

use super::StoreError;

/// Every migration, in order. A landed migration is never edited: add a new file.
const MIGRATIONS: &[M<'static>] = &[
    M::up(include_str!("../../db/0001_pages.sql")),
    M::up(include_str!("../../db/0002_search.sql")),
    M::up(include_str!("../../db/0003_accounts.sql")),
    M::up(include_str!("../../db/0004_protection.sql")),
    M::up(include_str!("../../db/0005_facts.sql")),
    M::up(include_str!("../../db/0006_sources.sql")),
    M::up(include_str!("../../db/0007_link_targets.sql")),
    M::up(include_str!("../../db/0008_search_hashsize.sql")),
    M::up(include_str!("../../db/0009_search_contentless.sql")),
    M::up(include_str!("../../db/0010_namespaces.sql")),
    M::up(include_str!("../../db/0011_jobs.sql")),
    M::up(include_str!("../../db/0012_text_facts.sql")),
    M::up(include_str!("../../db/0013_source_kinds.sql")),
    M::up(include_str!("../../db/0014_deleted_pages.sql")),
    M::up(include_str!("../../db/0015_citations.sql")),
    M::up(include_str!("../../db/0016_mentions.sql")),
    M::up(include_str!("../../db/0017_quotation_checks.sql")),
    M::up(include_str!("../../db/0018_source_search.sql")),
    M::up(include_str!("../../db/0019_pages_title_nocase.sql")),
    M::up(include_str!("../../db/0020_contributions_watchlist.sql")),
    M::up(include_str!("../../db/0021_imported_revisions.sql")),
    M::up(include_str!(
        "../../db/0022_deletions_and_category_keys.sql"
    )),
    M::up(include_str!("../../db/0023_imported_authors.sql")),
    M::up(include_str!("../../db/0024_transclusions.sql")),
    M::up(include_str!("../../db/0025_files.sql")),
    M::up(include_str!("../../db/0026_lookup_indexes.sql")),
    M::up(include_str!("../../db/0027_minor_edits.sql")),
    M::up(include_str!("../../db/0028_figure_template_files.sql")),
    M::up(include_str!("../../db/0029_links_checked_at_commit.sql")),
    M::up(include_str!(
        "../../db/0030_templates_checked_at_commit.sql"
    )),
];

/// The newest schema version this Plutarch knows.
pub(crate) fn supported_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings the schema up to date, refusing a database made by a newer version.
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    let supported = MIGRATIONS.len() as i64;
    if found > supported {
        return Err(StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported,
        });
    }
    Migrations::from_slice(MIGRATIONS).to_latest(conn)?;
    Ok(())
}

/// A database at schema `version`, as an older Plutarch left it (for tests that build one with
/// that version's store functions, then migrate it with [`migrate`]).
#[cfg(test)]
pub(crate) fn at_version(path: &Path, version: usize) -> Connection {
    let mut conn = Connection::open(path).expect("open a test database");
    Migrations::from_slice(MIGRATIONS)
        .to_version(&mut conn, version)
        .expect("migrate a test database");
    conn
}

/// The schema version of a database made by the last release without namespaces.
#[cfg(test)]
pub(crate) const BEFORE_NAMESPACES: usize = 9;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        assert!(Migrations::from_slice(MIGRATIONS).validate().is_ok());
    }

    /// A database at schema `version` holding `rows` (SQL), then migrated to the latest.
    fn upgraded_from(version: usize, rows: &str) -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        let migrations = Migrations::from_slice(MIGRATIONS);
        migrations.to_version(&mut conn, version).unwrap();
        conn.execute_batch(rows).unwrap();
        migrations.to_latest(&mut conn).unwrap();
        conn
    }

    #[test]
    fn an_older_database_with_pages_is_left_to_the_namespace_backfill() {
        let rules = |conn: &Connection| crate::store::titles::rules_version(conn).unwrap();
        let with_pages = upgraded_from(
            BEFORE_NAMESPACES,
            "INSERT INTO pages (id, title) VALUES (1, 'Image:foo.jpg');",
        );
        assert_eq!(rules(&with_pages), 0, "the backfill has work to do");
        let empty = upgraded_from(BEFORE_NAMESPACES, "");
        assert_eq!(rules(&empty), 1, "nothing to rename");
        let queued: i64 = empty
            .query_row("SELECT count(*) FROM jobs", [], |row| row.get(0))
            .unwrap();
        assert_eq!(queued, 0);
    }

    #[test]
    fn free_text_source_kinds_map_onto_the_list_and_keep_their_text_as_a_note() {
        let conn = upgraded_from(
            12,
            "INSERT INTO pages (id, title) VALUES
                 (1, 'Source:A'), (2, 'Source:B'), (3, 'Source:C'), (4, 'Source:D'),
                 (5, 'Source:E'), (6, 'Source:F'), (7, 'Source:G');
             INSERT INTO sources (page_id, kind, imported_at) VALUES
                 (1, 'blog post', 'x'), (2, 'newspaper article', 'x'), (3, 'News', 'x'),
                 (4, 'pamphlet', 'x'), (5, NULL, 'x'), (6, 'Op-Ed', 'x'),
                 (7, 'letter to the editor', 'x');",
        );
        let kinds: Vec<(Option<String>, Option<String>)> = conn
            .prepare("SELECT kind, kind_note FROM sources ORDER BY page_id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            kinds,
            [
                (some("blog"), some("blog post")),
                (some("news"), some("newspaper article")),
                (some("news"), None),
                (some("other"), some("pamphlet")),
                (None, None),
                (some("opinion"), some("Op-Ed")),
                (some("primary"), some("letter to the editor")),
            ]
        );
        // The SQL of the migration and `SourceKind::from_free_text` agree.
        for (text, kind) in [
            ("blog post", "blog"),
            ("newspaper article", "news"),
            ("Op-Ed", "opinion"),
            ("letter to the editor", "primary"),
        ] {
            let mapped = crate::bio::kinds::SourceKind::from_free_text(text).map(|k| k.as_str());
            assert_eq!(mapped, Some(kind), "{text}");
        }
    }

    #[test]
    fn pages_deleted_before_the_archive_move_to_it_and_free_their_titles() {
        let conn = upgraded_from(
            13,
            "INSERT INTO users (id, name, role, created_at) VALUES (2, 'root', 'admin', 'x');
             INSERT INTO pages (id, title, deleted) VALUES (1, 'Ada', 0), (2, 'Byron', 1),
                 (3, 'Clare', 1);
             INSERT INTO audit_log (at, actor, action, target, detail) VALUES
                 ('2026-01-02T00:00:00Z', 2, 'page deleted', 'Byron', 'libel');",
        );
        let pages: Vec<(i64, String)> = conn
            .prepare("SELECT id, title FROM pages ORDER BY id")
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let titles: Vec<&str> = pages.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(titles, ["Ada", "#deleted/2", "#deleted/3"]);
        let archive: Vec<(i64, String, i64, String)> = conn
            .prepare(
                "SELECT page_id, title, deleted_by, reason FROM deleted_pages ORDER BY page_id",
            )
            .unwrap()
            .query_map([], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            archive,
            [
                (2, "Byron".to_owned(), 2, "libel".to_owned()),
                (3, "Clare".to_owned(), 1, String::new())
            ]
        );
    }

    #[test]
    fn revisions_of_a_schema_19_database_are_local_and_keep_their_authors() {
        let conn = upgraded_from(
            19,
            "INSERT INTO users (id, name, role, created_at) VALUES (2, 'ada', 'editor', 'x');
             INSERT INTO pages (id, title) VALUES (1, 'Ada');
             INSERT INTO revisions (id, page_id, author_id, timestamp, size, sha256)
                 VALUES (1, 1, 2, '2020-01-01T00:00:00Z', 0, x'00'),
                        (2, 1, 1, '2020-01-02T00:00:00Z', 0, x'00');
             UPDATE pages SET latest_revision = 2 WHERE id = 1;",
        );
        let recent = crate::store::pages::recent_changes(&conn, 10, None).unwrap();
        let authors: Vec<&str> = recent.iter().map(|r| r.author.as_str()).collect();
        assert_eq!(
            authors,
            ["Plutarch", "ada"],
            "every old revision is a local edit"
        );
        let imported: i64 = conn
            .query_row(
                "SELECT count(*) FROM revisions WHERE imported = 1 OR author_name IS NOT NULL",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(imported, 0);
    }

    #[test]
    fn links_of_an_older_database_keep_their_targets() {
        let conn = upgraded_from(
            6,
            "INSERT INTO pages (id, title) VALUES (1, 'Ada'), (2, 'Byron');
             INSERT INTO links (page_id, target) VALUES
                 (1, 'Byron'), (1, 'London'), (2, 'Ada'), (2, 'London');",
        );
        let links: Vec<(i64, String)> = conn
            .prepare(
                "SELECT l.page_id, t.title FROM links l JOIN link_targets t ON t.id = l.target_id
                 ORDER BY l.page_id, t.title",
            )
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected = [(1, "Byron"), (1, "London"), (2, "Ada"), (2, "London")];
        assert_eq!(
            links,
            expected.map(|(page, title)| (page, title.to_owned()))
        );
        let titles: i64 = conn
            .query_row("SELECT count(*) FROM link_targets", [], |row| row.get(0))
            .unwrap();
        assert_eq!(titles, 3, "each target once");
    }

    #[test]
    fn links_of_a_schema_28_database_are_kept_and_checked_at_commit() {
        let mut conn = upgraded_from(
            28,
            "INSERT INTO pages (id, title) VALUES (1, 'Ada'), (2, 'Byron');
             INSERT INTO link_targets (id, title) VALUES (7, 'Byron'), (8, 'London');
             INSERT INTO links (page_id, target_id) VALUES (1, 7), (1, 8), (2, 8);",
        );
        let rows = |conn: &Connection, sql: &str| -> Vec<(i64, i64)> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        let by_target = "SELECT target_id, page_id FROM links INDEXED BY links_by_target
                         ORDER BY target_id, page_id";
        assert_eq!(rows(&conn, by_target), [(7, 1), (8, 1), (8, 2)]);
        // A row naming a missing target is refused when the transaction commits, not before.
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute("INSERT INTO links (page_id, target_id) VALUES (2, 99)", [])
            .expect("the statement itself passes");
        assert!(tx.commit().is_err(), "the commit checks the key");
        assert_eq!(rows(&conn, by_target), [(7, 1), (8, 1), (8, 2)]);
    }

    #[test]
    fn templates_of_a_schema_29_database_are_kept_and_checked_at_commit() {
        let mut conn = upgraded_from(
            29,
            "INSERT INTO pages (id, title) VALUES (1, 'Ada'), (2, 'Byron');
             INSERT INTO templates (page_id, name) VALUES
                 (1, 'Infobox person'), (1, 'Cite web'), (2, 'Cite web');",
        );
        let rows = |conn: &Connection| -> Vec<(String, i64)> {
            conn.prepare(
                "SELECT name, page_id FROM templates INDEXED BY templates_by_name
                 ORDER BY name, page_id",
            )
            .unwrap()
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
        };
        let kept = [("Cite web", 1), ("Cite web", 2), ("Infobox person", 1)]
            .map(|(name, page)| (name.to_owned(), page));
        assert_eq!(rows(&conn), kept);
        // A row naming a missing page is refused when the transaction commits, not before.
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute(
            "INSERT INTO templates (page_id, name) VALUES (99, 'Cite book')",
            [],
        )
        .expect("the statement itself passes");
        assert!(tx.commit().is_err(), "the commit checks the key");
        assert_eq!(rows(&conn), kept);
    }

    #[test]
    fn search_rows_of_an_older_database_stay_searchable_and_are_rewritten_by_the_next_save() {
        use crate::store::search::{self, SearchRow};

        let conn = upgraded_from(
            8,
            "INSERT INTO pages (id, title) VALUES (1, 'Ada');
             INSERT INTO search (rowid, page_title, section_title, body, section_id, anchor)
             VALUES (8192, 'Ada', '', 'She wrote about the engine', 's1', ''),
                    (8193, 'Ada', 'Later life', 'She died in London', 's2', 'Later_life');",
        );
        let matches = |query: &str| -> Vec<i64> {
            conn.prepare("SELECT rowid FROM search WHERE search MATCH ?1 ORDER BY rowid")
                .unwrap()
                .query_map([query], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(matches("engine"), [8192]);
        assert_eq!(matches("london OR ada"), [8192, 8193]);
        let shown: (String, String, String, Option<Vec<u8>>) = conn
            .query_row(
                "SELECT section_title, section_id, anchor, body_sha256 FROM search_rows WHERE id = 8193",
                [],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            shown,
            ("Later life".into(), "s2".into(), "Later_life".into(), None)
        );

        // The next save of the page knows no hash for the old rows, so it rewrites them all.
        let rows = [
            SearchRow {
                position: 0,
                section_title: "",
                body: "She wrote about the engine",
                section_id: "s1",
                anchor: "",
            },
            SearchRow {
                position: 1,
                section_title: "Later life",
                body: "She died in Marylebone",
                section_id: "s2",
                anchor: "Later_life",
            },
        ];
        search::update_page(&conn, 1, "Ada", &rows).unwrap();
        assert_eq!(matches("london"), Vec::<i64>::new());
        assert_eq!(matches("marylebone"), [8193]);
        assert_eq!(matches("engine"), [8192]);
        let hashed: i64 = conn
            .query_row(
                "SELECT count(*) FROM search_rows WHERE body_sha256 IS NOT NULL",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(hashed, 2);
    }
}
