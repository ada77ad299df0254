//! `plutarch import` and `plutarch export` through the real binary: byte-for-byte round trips,
//! titles, safe file names, bad files skipped without a half page.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use plutarch::store::Db;
use plutarch::wiki::{self, Title};

pub(crate) fn plutarch(db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plutarch"));
    command
        .env_remove("PLUTARCH_DB")
        .env_remove("PLUTARCH_MAX_PAGE_BYTES")
        .arg("--db")
        .arg(db);
    command
}

pub(crate) fn run(command: &mut Command) -> Output {
    command.output().expect("run plutarch")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write fixture");
    path
}

fn latest_text(db: &Path, title: &str) -> Option<String> {
    let db = Db::open(db).expect("open");
    let title = Title::new(title).expect("title");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(wiki::read_page(&db, &title, None))
        .expect("read")
        .map(|view| view.page.text)
}

fn search(db: &Path, query: &str) -> Vec<String> {
    let db = Db::open(db).expect("open");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime
        .block_on(wiki::search(&db, query, 10, wiki::HitsFrom::Offset(0)))
        .expect("search")
        .hits
        .into_iter()
        .map(|hit| hit.title)
        .collect()
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| {
            let e = e.expect("entry");
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    found.sort();
    found
}

/// Fixtures written for these tests: CRLF and a BOM, non-ASCII, unsafe characters in titles.
fn fixtures(dir: &Path) {
    write(
        dir,
        "ignored name.wiki",
        b"= Zo\xc3\xab Exemple =\nShe was a [[painter]].\n== Work ==\nPaintings.\n",
    );
    write(
        dir,
        "Windows Page.wiki",
        b"\xef\xbb\xbfA lead with a BOM.\r\n== Section ==\r\nCRLF lines.\r\n",
    );
    write(dir, "AC%2FDC fan.wiki", "Likes AC/DC.\n".as_bytes());
    write(
        dir,
        "Source%3AInterview.txt",
        b"A source document, plain text.\n",
    );
    write(
        dir,
        "traversal.wiki",
        b"= A/../../etc/passwd =\nNot a path, a title.\n",
    );
    write(dir, "100%25 sure.mediawiki", b"Percent in the title.");
    write(dir, "notes.md", b"Not picked up from a folder.");
}

#[test]
fn import_then_export_round_trips_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    fixtures(&input);
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db).arg("import").arg(&input));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("6 pages created"),
        "{}",
        stdout(&output)
    );

    assert_eq!(
        latest_text(&db, "Windows Page").as_deref(),
        Some("\u{feff}A lead with a BOM.\r\n== Section ==\r\nCRLF lines.\r\n")
    );
    assert!(
        latest_text(&db, "Zoë Exemple").is_some(),
        "title from the = Title = line"
    );
    assert!(
        latest_text(&db, "AC/DC fan").is_some(),
        "file names are percent-decoded"
    );
    assert!(latest_text(&db, "Source:Interview").is_some());
    assert!(latest_text(&db, "100% sure").is_some());

    let out = dir.path().join("out");
    let output = run(plutarch(&db).arg("export").arg(&out));
    assert!(output.status.success(), "{}", stderr(&output));
    let exported = files(&out);
    let names: Vec<&str> = exported.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "100%25 sure.wiki",
            "A%2F..%2F..%2Fetc%2Fpasswd.wiki",
            "AC%2FDC fan.wiki",
            "Source%3AInterview.wiki",
            "Windows Page.wiki",
            "Zoë Exemple.wiki",
        ]
    );
    assert!(!dir.path().join("etc").exists(), "no path traversal");
    let by_name = |name: &str| &exported.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(
        by_name("Windows Page.wiki"),
        &std::fs::read(input.join("Windows Page.wiki")).unwrap()
    );
    assert_eq!(
        by_name("Zoë Exemple.wiki"),
        &std::fs::read(input.join("ignored name.wiki")).unwrap()
    );

    // Importing the export into a new wiki and exporting again changes nothing.
    let db2 = dir.path().join("again.db");
    let output = run(plutarch(&db2).arg("import").arg(&out));
    assert!(output.status.success(), "{}", stderr(&output));
    let out2 = dir.path().join("out2");
    assert!(
        run(plutarch(&db2).arg("export").arg(&out2))
            .status
            .success()
    );
    assert_eq!(files(&out2), exported);

    // The search index holds the imported pages (it is written once per batch).
    let hits = search(&db, "painter");
    assert_eq!(hits, ["Zoë Exemple"]);

    // Importing the same files again adds no revision.
    let output = run(plutarch(&db).arg("import").arg(&input));
    assert!(output.status.success());
    assert!(
        stdout(&output).contains("0 pages created, 0 updated, 6 unchanged"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn bad_files_are_reported_and_skipped_and_the_rest_go_in() {
    let dir = tempfile::tempdir().expect("temp");
    let good = write(dir.path(), "Good.wiki", b"Fine.\n");
    let latin1 = write(dir.path(), "Latin.wiki", b"caf\xe9\n");
    let big = write(dir.path(), "Big.wiki", &[b'x'; 2000]);
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db)
        .env("PLUTARCH_MAX_PAGE_BYTES", "1000")
        .arg("import")
        .args([&latin1, &good, &big]));
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("Latin.wiki") && err.contains("UTF-8"), "{err}");
    assert!(err.contains("Big.wiki") && err.contains("limit"), "{err}");
    assert!(
        stdout(&output).contains("1 pages created"),
        "{}",
        stdout(&output)
    );
    assert_eq!(latest_text(&db, "Good").as_deref(), Some("Fine.\n"));
    assert_eq!(latest_text(&db, "Latin"), None);
    assert_eq!(latest_text(&db, "Big"), None);
}

#[test]
fn two_files_with_one_title_become_two_revisions_in_order() {
    let dir = tempfile::tempdir().expect("temp");
    let first = write(dir.path(), "a.wiki", b"= Same =\nFirst.\n");
    let second = write(dir.path(), "b.wiki", b"= Same =\nSecond.\n");
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db).arg("import").args([&first, &second]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("1 pages created, 1 updated"),
        "{}",
        stdout(&output)
    );
    assert_eq!(
        latest_text(&db, "Same").as_deref(),
        Some("= Same =\nSecond.\n")
    );
}

#[test]
fn a_long_import_keeps_the_order_of_the_files_across_batches_and_reading_threads() {
    // More files than a batch (1000) and than the reading threads read ahead, one title three
    // times far apart, and a bad file in the middle: the revisions land in the order given.
    let dir = tempfile::tempdir().expect("temp");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).expect("mkdir");
    for i in 0..1200 {
        let text = match i {
            3 | 600 | 1101 => format!("= Same =\nWritten by file {i}.\n"),
            _ => format!("Page {i} links to [[Same]].\n"),
        };
        write(&files, &format!("{i:04}.wiki"), text.as_bytes());
    }
    write(&files, "0700b.wiki", b"caf\xe9\n");
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db).arg("import").arg(&files));
    assert!(
        !output.status.success(),
        "the bad file makes the exit code non-zero"
    );
    assert!(
        stdout(&output).contains("1198 pages created, 2 updated, 0 unchanged, 1 failed"),
        "{}",
        stdout(&output)
    );
    assert!(
        stderr(&output).contains("0700b.wiki"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        latest_text(&db, "Same").as_deref(),
        Some("= Same =\nWritten by file 1101.\n")
    );
    assert_eq!(
        latest_text(&db, "0999").as_deref(),
        Some("Page 999 links to [[Same]].\n")
    );
}

#[test]
fn a_file_that_fails_after_its_page_was_made_leaves_nothing_behind() {
    // Files are saved without a savepoint each. A new page with too many sections fails after
    // its page row is written, so the batch is undone and saved again with a savepoint for
    // each file: the files around it go in whole, with their links and search rows, and no
    // half page is left.
    let dir = tempfile::tempdir().expect("temp");
    let files = dir.path().join("files");
    std::fs::create_dir(&files).expect("mkdir");
    write(
        &files,
        "Alpha.wiki",
        b"Alpha links to [[Gamma]] and grows quinces.\n",
    );
    let many = "== s ==\n".repeat(wiki::MAX_SECTIONS + 1);
    write(&files, "Beta.wiki", many.as_bytes());
    write(
        &files,
        "Gamma.wiki",
        b"Gamma links to [[Alpha]] and grows medlars.\n",
    );
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db).arg("import").arg(&files));
    assert!(
        !output.status.success(),
        "the failed file makes the exit code non-zero"
    );
    assert!(
        stdout(&output).contains("2 pages created, 0 updated, 0 unchanged, 1 failed"),
        "{}",
        stdout(&output)
    );
    assert!(stderr(&output).contains("Beta.wiki"), "{}", stderr(&output));
    assert_eq!(
        latest_text(&db, "Alpha").as_deref(),
        Some("Alpha links to [[Gamma]] and grows quinces.\n")
    );
    assert_eq!(latest_text(&db, "Beta"), None);
    assert_eq!(search(&db, "quinces"), ["Alpha"]);
    assert_eq!(search(&db, "medlars"), ["Gamma"]);
    let conn = rusqlite::Connection::open(&db).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).expect(sql) };
    assert_eq!(count("SELECT count(*) FROM pages WHERE title = 'Beta'"), 0);
    assert_eq!(count("SELECT count(*) FROM pages"), 2);
    assert_eq!(count("SELECT count(*) FROM links"), 2);
}

#[test]
fn an_unknown_author_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp");
    let file = write(dir.path(), "a.wiki", b"x");
    let output = run(plutarch(&dir.path().join("wiki.db"))
        .args(["import", "--author", "nobody"])
        .arg(&file));
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no user called nobody"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_seed_documents_import() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        println!("skipped: {} is absent", seeds.display());
        return;
    }
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db).arg("import").arg(&seeds));
    assert!(output.status.success(), "{}", stderr(&output));
    let article = std::fs::read_to_string(seeds.join("biography-article.wiki")).unwrap();
    let title = plutarch::markup::outline(&article)
        .title
        .expect("the seed has a title line");
    assert_eq!(latest_text(&db, &title).as_deref(), Some(article.as_str()));
    let post = std::fs::read_to_string(seeds.join("source-blog-post.txt")).unwrap();
    let stored = latest_text(&db, "Source-blog-post").expect("plain text imports");
    assert_eq!(stored, post);
    let db = Db::open(&db).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (_, sections) = runtime
        .block_on(wiki::sections(
            &db,
            &Title::new("Source-blog-post").unwrap(),
            None,
        ))
        .unwrap();
    assert_eq!(sections.len(), 1, "plain text is all lead");
}

#[test]
fn titles_too_long_for_a_file_name_are_exported_whole_and_import_back() {
    // Regression: 127 × `é` is a legal title (254 bytes), but `<title>.wiki` is 259 bytes: the
    // export skipped it and exited 1.
    let dir = tempfile::tempdir().expect("temp");
    let db_path = dir.path().join("wiki.db");
    // (`É` then 126 × `é` once normalised: still 254 bytes.)
    let long = Title::new(&"é".repeat(127))
        .expect("title")
        .as_str()
        .to_owned();
    let slashes = format!("A{}", "/".repeat(200));
    {
        let output = run(plutarch(&db_path).args([
            "user",
            "add",
            "ed",
            "--role",
            "editor",
            "--password",
            "long-enough-pw",
        ]));
        assert!(output.status.success(), "{}", stderr(&output));
        let db = Db::open(&db_path).expect("open");
        let author = wiki::transfer::author_id(&db, "ed")
            .expect("read")
            .expect("ed");
        for (title, text) in [
            (&long, "No title line.\n== Life ==\nText.\n"),
            (&slashes, "Slashes.\n"),
        ] {
            let request = wiki::SaveRequest {
                title: Title::new(title).expect("title"),
                markup: text.to_owned(),
                base_revision: None,
                section: None,
                summary: String::new(),
                author_id: author,
            };
            db.write_blocking(|conn| Ok(wiki::save_blocking(conn, &request)))
                .expect("store")
                .expect("saved");
        }
    }
    let out = dir.path().join("out");
    let output = run(plutarch(&db_path).arg("export").arg(&out));
    assert!(output.status.success(), "{}", stderr(&output));
    let exported = files(&out);
    assert!(exported.iter().all(|(name, _)| name.len() <= 255));
    let recorded: Vec<&[u8]> = exported
        .iter()
        .filter(|(name, _)| name.ends_with(".title"))
        .map(|(_, bytes)| bytes.as_slice())
        .collect();
    assert_eq!(
        recorded.len(),
        2,
        "{:?}",
        exported.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert!(recorded.contains(&format!("{long}\n").as_bytes()));

    let db2 = dir.path().join("again.db");
    let output = run(plutarch(&db2).arg("import").arg(&out));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        latest_text(&db2, &long).as_deref(),
        Some("No title line.\n== Life ==\nText.\n")
    );
    assert_eq!(latest_text(&db2, &slashes).as_deref(), Some("Slashes.\n"));
    let out2 = dir.path().join("out2");
    assert!(
        run(plutarch(&db2).arg("export").arg(&out2))
            .status
            .success()
    );
    let pages = |files: Vec<(String, Vec<u8>)>| {
        files
            .into_iter()
            .filter(|(name, _)| name != "Main Page.wiki")
            .collect::<Vec<_>>()
    };
    assert_eq!(pages(files(&out2)), pages(exported));
}

#[test]
fn wikitext_saved_still_escaped_as_xml_is_unescaped_on_import_and_other_text_is_kept() {
    // Issue 14: an article copied out of a dump's `<text>` element keeps its `&lt;ref&gt;`.
    let dir = tempfile::tempdir().expect("temp");
    let escaped = write(
        dir.path(),
        "Escaped.wiki",
        b"Ada sailed.&lt;ref name=&quot;log&quot;&gt;The log &amp;amp; the map.&lt;/ref&gt;\n\n\
          &lt;references/&gt;\n",
    );
    let meant = write(
        dir.path(),
        "Meant.wiki",
        b"Write &lt;ref&gt; to cite, as in <code>x</code>.\n",
    );
    let db = dir.path().join("wiki.db");
    let output = run(plutarch(&db).arg("import").args([&escaped, &meant]));
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        latest_text(&db, "Escaped").as_deref(),
        Some("Ada sailed.<ref name=\"log\">The log &amp; the map.</ref>\n\n<references/>\n")
    );
    // A page with tags of its own wrote its `&lt;` on purpose.
    assert_eq!(
        latest_text(&db, "Meant").as_deref(),
        Some("Write &lt;ref&gt; to cite, as in <code>x</code>.\n")
    );
}
