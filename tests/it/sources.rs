//! Source documents: `plutarch import --source` through the real binary, the metadata in the
//! store, the box on the read view, what cites a source, and refused metadata.

use std::path::{Path, PathBuf};
use std::process::Output;

use axum::http::StatusCode;
use plutarch::store::Db;
use plutarch::store::sources;
use plutarch::web::Settings;

use crate::import_export::{plutarch, run, stderr, stdout};
use crate::support::TestApp;

const POST: &str = "Pete Willsman was recorded claiming the Israeli embassy was behind it.\n\n\
                    He said so at a meeting of the party's national executive.\n";

/// A folder with a plain-text blog post, and the database path beside it.
fn fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp");
    let post = dir.path().join("Willsman blog post.txt");
    std::fs::write(&post, POST).expect("write the post");
    let db = dir.path().join("wiki.db");
    (dir, post, db)
}

fn import_source(db: &Path, post: &Path, extra: &[&str]) -> Output {
    run(plutarch(db)
        .args(["import", "--source"])
        .args(extra)
        .arg(post))
}

fn metadata(db: &Path, title: &str) -> Option<sources::SourceRow> {
    let db = Db::open(db).expect("open");
    db.read_blocking(|conn| sources::by_title(conn, title))
        .expect("read the metadata")
}

const FULL: &[&str] = &[
    "--url",
    "https://blog.example.org/2018/08/willsman?ref=a&b=c",
    "--publisher",
    "The <Example> Blog",
    "--date",
    "2018-08",
    "--kind",
    "blog",
];

#[tokio::test]
async fn a_source_keeps_its_metadata_shows_it_and_lists_what_cites_it() {
    let (_dir, post, db) = fixture();
    let output = import_source(&db, &post, FULL);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("1 pages created"),
        "{}",
        stdout(&output)
    );

    let row = metadata(&db, "Source:Willsman blog post").expect("the metadata is stored");
    assert_eq!(
        row.url.as_deref(),
        Some("https://blog.example.org/2018/08/willsman?ref=a&b=c")
    );
    assert_eq!(row.publisher.as_deref(), Some("The <Example> Blog"));
    assert_eq!(row.date.as_deref(), Some("2018-08"));
    assert_eq!(row.kind.as_deref(), Some("blog"));
    assert!(row.imported_at.ends_with('Z'), "{}", row.imported_at);

    let app = TestApp::at(&db, Settings::default());
    let page = app.get("/wiki/Source:Willsman_blog_post").await;
    assert_eq!(page.status, StatusCode::OK);
    let in_box = page.texts("aside.source-box dd");
    assert_eq!(
        in_box,
        [
            "The <Example> Blog",
            "2018-08",
            "blog",
            "https://blog.example.org/2018/08/willsman?ref=a&b=c"
        ]
    );
    assert!(
        page.body.contains("The &lt;Example&gt; Blog"),
        "the publisher is escaped"
    );
    assert_eq!(
        page.attrs("aside.source-box a", "href"),
        ["https://blog.example.org/2018/08/willsman?ref=a&b=c"]
    );
    assert_eq!(
        page.attrs("aside.source-box a", "rel"),
        ["nofollow noopener"]
    );
    // Plain text is the lead: no section headings, the text shown as paragraphs.
    assert!(page.texts("article.page .mw-parser-output h2").is_empty());
    assert!(page.body.contains("He said so at a meeting"));

    // A page that cites the source shows up in what links to it.
    let biography = _dir.path().join("Pete Willsman.wiki");
    std::fs::write(
        &biography,
        "'''Pete Willsman''' is a politician.<ref>[[Source:Willsman blog post]]</ref>\n",
    )
    .expect("write the biography");
    let output = run(plutarch(&db).arg("import").arg(&biography));
    assert!(output.status.success(), "{}", stderr(&output));
    let app = TestApp::at(&db, Settings::default());
    let links = app.get("/wiki/Source:Willsman_blog_post/links").await;
    assert_eq!(links.status, StatusCode::OK);
    assert!(
        links
            .attrs("a", "href")
            .iter()
            .any(|h| h == "/wiki/Pete_Willsman"),
        "{}",
        links.body
    );
    // An ordinary page has no source box.
    let plain = app.get("/wiki/Pete_Willsman").await;
    assert!(plain.texts("aside.source-box").is_empty());
}

#[test]
fn reimporting_a_source_adds_nothing_unless_its_metadata_changed() {
    let (_dir, post, db) = fixture();
    assert!(import_source(&db, &post, FULL).status.success());
    let first = metadata(&db, "Source:Willsman blog post").expect("stored");

    let again = import_source(&db, &post, FULL);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("1 unchanged"), "{}", stdout(&again));
    assert_eq!(metadata(&db, "Source:Willsman blog post"), Some(first));

    let changed = import_source(&db, &post, &["--publisher", "Another Blog"]);
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert!(
        stdout(&changed).contains("1 updated"),
        "{}",
        stdout(&changed)
    );
    let row = metadata(&db, "Source:Willsman blog post").expect("stored");
    assert_eq!(row.publisher.as_deref(), Some("Another Blog"));
    assert_eq!(row.url, None, "the metadata is replaced as a whole");
}

#[test]
fn bad_metadata_is_refused_before_anything_is_imported() {
    let (_dir, post, db) = fixture();
    let long_publisher = "p".repeat(201);
    for (args, message) in [
        (
            vec!["--source", "--url", "javascript:alert(1)"],
            "--url must be an http:// or https:// address",
        ),
        (
            vec!["--source", "--url", "ftp://example.org/post"],
            "--url must be an http:// or https:// address",
        ),
        (
            vec!["--source", "--date", "2018-02-30"],
            "--date must be YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            vec!["--source", "--date", "18 August 2018"],
            "--date must be YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            vec!["--source", "--publisher", long_publisher.as_str()],
            "--publisher can be at most 200 characters",
        ),
        (vec!["--source", "--kind", ""], "unknown source kind"),
        (
            vec!["--source", "--kind", "blog post"],
            "the kinds are news, opinion, blog, self-published",
        ),
        (vec!["--url", "https://example.org"], "--source"),
    ] {
        let output = run(plutarch(&db).arg("import").args(&args).arg(&post));
        assert!(!output.status.success(), "{args:?} was accepted");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    if db.exists() {
        assert_eq!(metadata(&db, "Source:Willsman blog post"), None);
    }
}

#[test]
fn a_source_is_titled_by_its_headline_and_the_import_says_which_page_it_made() {
    let dir = tempfile::tempdir().expect("temp");
    let post = dir.path().join("post-1234.txt");
    std::fs::write(
        &post,
        "Labour suspends NEC member: What is behind the claims.\n\n\
         Pete Willsman was recorded at a meeting.\n",
    )
    .expect("write the post");
    let db = dir.path().join("wiki.db");
    let output = import_source(&db, &post, &["--kind", "blog"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let title = "Source:Labour suspends NEC member: What is behind the claims";
    assert!(
        stdout(&output).contains(&format!("created {title}")),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        metadata(&db, title).and_then(|row| row.kind),
        Some("blog".to_owned())
    );
    let again = import_source(&db, &post, &["--kind", "blog"]);
    assert!(
        stdout(&again).contains(&format!("unchanged {title}")),
        "{}",
        stdout(&again)
    );
}

/// The latest text of the live page `title`, and whether it is a redirect.
fn stored(db: &Path, title: &str) -> Option<(String, Option<String>)> {
    let db = Db::open(db).expect("open");
    let title = title.to_owned();
    db.read_blocking(move |conn| {
        let Some(page) = plutarch::store::pages::by_title(conn, &title)?.filter(|p| !p.deleted)
        else {
            return Ok(None);
        };
        let text = plutarch::store::revisions::text(conn, page.latest_revision.expect("latest"))?;
        Ok(Some((text, page.redirect_to)))
    })
    .expect("read")
}

fn count_sources(db: &Path) -> i64 {
    let db = Db::open(db).expect("open");
    db.read_blocking(|conn| {
        Ok(conn.query_row(
            "SELECT count(*) FROM pages WHERE title LIKE 'Source:%' AND deleted = 0",
            [],
            |row| row.get(0),
        )?)
    })
    .expect("count")
}

fn move_page(db: &Path, from: &str, to: &str) {
    let db = Db::open(db).expect("open");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(plutarch::wiki::move_page(
            &db,
            &plutarch::wiki::Title::new(from).expect("from"),
            &plutarch::wiki::Title::new(to).expect("to"),
            plutarch::wiki::samples::SYSTEM_USER_ID,
            "a better title",
        ))
        .expect("moved");
}

#[test]
fn a_title_is_given_for_one_file_only() {
    let (dir, post, db) = fixture();
    let output = import_source(
        &db,
        &post,
        &["--title", "Willsman at the NEC", "--kind", "blog"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("created Source:Willsman at the NEC"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        stored(&db, "Source:Willsman at the NEC")
            .map(|s| s.0)
            .as_deref(),
        Some(POST)
    );

    let other = dir.path().join("Other post.txt");
    std::fs::write(&other, "Another post.\n").expect("write");
    for extra in [
        ["--title", "Two posts"],
        ["--url", "https://example.org/two"],
    ] {
        let output = run(plutarch(&db)
            .args(["import", "--source"])
            .args(extra)
            .arg(&post)
            .arg(&other));
        assert!(!output.status.success(), "{extra:?} with two files");
        assert!(
            stderr(&output).contains("give exactly one file"),
            "{}",
            stderr(&output)
        );
    }
    let output = run(plutarch(&db)
        .args(["import", "--source", "--title", "Folder"])
        .arg(dir.path()));
    assert!(!output.status.success(), "a folder of several files");
    assert_eq!(stored(&db, "Source:Two posts"), None);
    assert_eq!(stored(&db, "Source:Other post"), None);
    let output = run(plutarch(&db).args(["import", "--title", "X"]).arg(&post));
    assert!(!output.status.success(), "--title needs --source");
}

#[test]
fn a_reimport_updates_the_source_where_it_was_moved_and_never_a_redirect() {
    let (dir, post, db) = fixture();
    let url = "https://blog.example.org/2018/08/willsman";
    let output = import_source(&db, &post, &["--url", url, "--kind", "blog"]);
    assert!(output.status.success(), "{}", stderr(&output));
    move_page(
        &db,
        "Source:Willsman blog post",
        "Source:Willsman on the embassy",
    );
    assert_eq!(
        count_sources(&db),
        2,
        "the source and the redirect the move left"
    );

    // Same URL, new text: the moved page is updated, the redirect left alone.
    let revised = format!("{POST}\nUpdated on 3 August: he apologised.\n");
    std::fs::write(&post, &revised).expect("revise");
    let output = import_source(&db, &post, &["--url", url, "--kind", "blog"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("updated Source:Willsman on the embassy"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        stored(&db, "Source:Willsman on the embassy"),
        Some((revised.clone(), None))
    );
    let (_, redirect) = stored(&db, "Source:Willsman blog post").expect("the redirect");
    assert_eq!(redirect.as_deref(), Some("Source:Willsman on the embassy"));
    assert_eq!(count_sources(&db), 2, "no second copy");

    // Same text without a URL, under another file name: found by its text.
    let copy = dir.path().join("copy-of-the-post.txt");
    std::fs::write(&copy, &revised).expect("copy");
    let output = import_source(&db, &copy, &["--url", url, "--kind", "blog"]);
    assert!(
        stdout(&output).contains("unchanged Source:Willsman on the embassy"),
        "{}",
        stdout(&output)
    );
    let output = import_source(&db, &copy, &["--kind", "blog"]);
    assert!(
        stdout(&output).contains("updated Source:Willsman on the embassy"),
        "the metadata is replaced as a whole (no URL now): {}",
        stdout(&output)
    );
    assert_eq!(count_sources(&db), 2);

    // New text, no URL, its old title a redirect: the move is followed.
    let again = format!("{revised}\nA second update.\n");
    std::fs::write(&post, &again).expect("revise again");
    let output = import_source(&db, &post, &["--kind", "blog"]);
    assert!(
        stdout(&output).contains("updated Source:Willsman on the embassy"),
        "{}",
        stdout(&output)
    );
    assert_eq!(count_sources(&db), 2);
    assert_eq!(
        stored(&db, "Source:Willsman blog post")
            .and_then(|s| s.1)
            .as_deref(),
        Some("Source:Willsman on the embassy")
    );

    // A redirect to a page that is not a source is refused, and stays.
    let ada = dir.path().join("Ada.wiki");
    std::fs::write(&ada, "'''Ada''' was a mathematician.\n").expect("ada");
    assert!(run(plutarch(&db).arg("import").arg(&ada)).status.success());
    let redirect = dir.path().join("redirect.wiki");
    std::fs::write(&redirect, "#REDIRECT [[Ada]]\n").expect("redirect");
    let output = run(plutarch(&db).args(["import", "--source"]).arg(&redirect));
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::write(&redirect, "A new document.\n").expect("document");
    let output = import_source(&db, &redirect, &["--title", "Redirect"]);
    assert!(!output.status.success(), "refused");
    assert!(
        stderr(&output).contains("never written over a redirect"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        stored(&db, "Source:Redirect"),
        Some(("#REDIRECT [[Ada]]\n".to_owned(), Some("Ada".to_owned())))
    );
}

/// A source page: its title, its latest text, and the people it mentions with how often.
type StoredSource = (String, String, Vec<(String, i64)>);

/// The source pages of `db`: title, latest text, and the people each mentions (and how often),
/// in title order.
fn sources_and_mentions(db: &Path) -> Vec<StoredSource> {
    let db = Db::open(db).expect("open");
    db.read_blocking(|conn| {
        let mut pages = conn.prepare(
            "SELECT p.id, p.title FROM pages p
             WHERE p.title LIKE 'Source:%' AND p.deleted = 0 ORDER BY p.title",
        )?;
        let found: Vec<(i64, String)> = pages
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut mentions = conn.prepare(
            "SELECT p.title, m.count FROM mentions m JOIN pages p ON p.id = m.person_id
             WHERE m.source_id = ?1 ORDER BY p.title",
        )?;
        let mut out = Vec::new();
        for (id, title) in found {
            let page = plutarch::store::pages::by_title(conn, &title)?.expect("the page");
            let text =
                plutarch::store::revisions::text(conn, page.latest_revision.expect("latest"))?;
            let named = mentions
                .query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?;
            out.push((title, text, named));
        }
        Ok(out)
    })
    .expect("read the sources")
}

/// Issue 13: many source documents in one import (it slowed down with every source: finding
/// the page with the same text, and the redirects to a source, scanned all pages; both are
/// indexed now) land exactly as the same files imported one by one — the same pages, texts and
/// mentions — and a copy of a text under another file name still goes to the first one's page.
#[test]
fn many_sources_in_one_import_land_as_the_same_files_one_by_one() {
    let dir = tempfile::tempdir().expect("temp");
    let person = dir.path().join("Ada Lovelace.wiki");
    std::fs::write(
        &person,
        "'''Ada Lovelace''' (10 December 1815 – 27 November 1852) was an English mathematician.\n",
    )
    .expect("write the person");
    let folder = dir.path().join("sources");
    std::fs::create_dir(&folder).expect("the folder");
    for i in 0..24 {
        // No headline (two sentences on the first line), so each is titled by its file name;
        // every sixth file repeats the text of the file three before it.
        let n = if i % 6 == 5 { i - 3 } else { i };
        let text = format!(
            "Ada Lovelace wrote note {n} on the engine in 1843. It was printed a year later.\n\n\
             The engine of note {n} was never built.\n"
        );
        std::fs::write(folder.join(format!("Report {i:02}.txt")), text).expect("write");
    }
    let at_once = dir.path().join("at-once.db");
    let one_by_one = dir.path().join("one-by-one.db");
    for db in [&at_once, &one_by_one] {
        let output = run(plutarch(db).arg("import").arg(&person));
        assert!(output.status.success(), "{}", stderr(&output));
    }

    let output = run(plutarch(&at_once).args(["import", "--source"]).arg(&folder));
    assert!(output.status.success(), "{}", stderr(&output));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    for file in &files {
        let output = import_source(&one_by_one, file, &[]);
        assert!(output.status.success(), "{}", stderr(&output));
    }

    let found = sources_and_mentions(&at_once);
    assert_eq!(found, sources_and_mentions(&one_by_one));
    assert_eq!(found.len(), 20, "four files repeat a text: {found:?}");
    assert_eq!(count_sources(&at_once), 20);
    assert!(stored(&at_once, "Source:Report 05").is_none());
    assert!(stored(&at_once, "Source:Report 02").is_some());
    assert!(
        found
            .iter()
            .all(|(_, _, named)| named == &[("Ada Lovelace".to_owned(), 1)]),
        "each names Ada Lovelace once: {found:?}"
    );

    // Again, all at once: nothing changes.
    let again = run(plutarch(&at_once).args(["import", "--source"]).arg(&folder));
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stdout(&again).contains("24 unchanged"),
        "{}",
        stdout(&again)
    );
    assert_eq!(sources_and_mentions(&at_once), found);
}
