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
