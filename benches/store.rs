//! Storage benchmarks: size growth and durable edit rate (printed), then criterion timings of
//! reads, section reads by id, searches and durable edits at 1,000 and 10,000 pages (10 sections
//! each, so 10,000 pages are 100,000 searchable sections).
//!
//! `cargo bench --bench store -- --warm-up-time 1 --measurement-time 3`
//! (`PLUTARCH_BENCH_PAGES=1000,10000,100000` changes the sizes).

use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use plutarch::store::{Db, pages};
use plutarch::wiki::{self, SaveRequest, SectionKey, Title, samples::SYSTEM_USER_ID};

/// The binary's allocator (see `src/main.rs`), so that these figures are the server's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORDS: &[&str] = &[
    "river",
    "bridge",
    "engineer",
    "painter",
    "school",
    "london",
    "paris",
    "letters",
    "family",
    "war",
    "science",
    "mathematics",
    "music",
    "garden",
    "railway",
    "journal",
    "society",
    "prize",
    "museum",
    "harbour",
    "theory",
    "machine",
    "novel",
    "poem",
    "church",
    "village",
    "ship",
    "mountain",
    "translation",
    "archive",
    "election",
    "parliament",
    "hospital",
    "nurse",
    "theatre",
    "lecture",
    "university",
    "printing",
    "telescope",
    "observatory",
    "chemistry",
    "medicine",
];

/// A small deterministic generator (no dependency needed for reproducible text).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn word(&mut self) -> &'static str {
        // Skewed towards the first words, like real text.
        let a = self.next() as usize % WORDS.len();
        let b = self.next() as usize % WORDS.len();
        WORDS[a.min(b)]
    }

    fn sentence(&mut self, n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        s.push_str(&format!(" {}.", self.next() % 100_000));
        s
    }
}

/// A page of `sections` sections of about `section_bytes` bytes each.
fn article(rng: &mut Rng, title: &str, sections: usize, section_bytes: usize) -> String {
    let mut text = format!("= {title} =\n'''{title}''' was a person. [[Category:People]]\n");
    for s in 1..sections {
        text.push_str(&format!("== Part {s} ==\n"));
        let start = text.len();
        while text.len() - start < section_bytes {
            text.push_str(&rng.sentence(12));
            text.push_str(" [[");
            text.push_str(rng.word());
            text.push_str("]]\n");
        }
    }
    text
}

fn db_bytes(db: &Db) -> u64 {
    db.write_blocking(|c| {
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    })
    .expect("checkpoint");
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let path = db.path();
    size(path) + size(&path.with_extension("db-wal"))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn edit(db: &Db, rt: &tokio::runtime::Runtime, title: &Title, section: usize, n: usize) {
    let key = SectionKey::Index(section);
    let current = rt
        .block_on(wiki::section(db, title, &key, None))
        .expect("section");
    let markup = current.markup.replacen(". ", &format!(" edit {n}. "), 1);
    rt.block_on(wiki::save_page(
        db,
        SaveRequest {
            title: title.clone(),
            markup,
            base_revision: Some(current.revision),
            section: Some(key),
            summary: format!("edit {n}"),
            author_id: SYSTEM_USER_ID,
        },
    ))
    .expect("save");
}

/// 1,000 edits, each of one section of a 50 KB article: how much the database grows, and how
/// many durable edits per second (each its own transaction, synchronous=FULL).
fn growth_and_edit_rate() {
    let dir = tempfile::tempdir().expect("temp");
    let db = Db::open(&dir.path().join("growth.db")).expect("open");
    let rt = runtime();
    let mut rng = Rng(7);
    let title = Title::new("Fifty Kilobytes").expect("title");
    let text = article(&mut rng, title.as_str(), 40, 1250);
    rt.block_on(wiki::save_page(
        &db,
        SaveRequest {
            title: title.clone(),
            markup: text.clone(),
            base_revision: None,
            section: None,
            summary: String::new(),
            author_id: SYSTEM_USER_ID,
        },
    ))
    .expect("create");
    let before = db_bytes(&db);
    let started = Instant::now();
    for n in 0..1000 {
        edit(&db, &rt, &title, 1 + n % 39, n);
    }
    let elapsed = started.elapsed();
    let after = db_bytes(&db);
    println!(
        "growth: 1000 one-section edits of a {} KB article grew the database by {:.2} MB ({} -> {} bytes); whole-text storage would add {:.1} MB",
        text.len() / 1024,
        (after - before) as f64 / 1e6,
        before,
        after,
        (text.len() * 1000) as f64 / 1e6
    );
    println!(
        "durable edits: {:.0} per second (read section + save, each edit one fsynced transaction; {:.2} ms each)",
        1000.0 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
}

/// Durable edits from `clients` concurrent writers (each editing its own page), which share
/// fsyncs through the store's group commit.
fn concurrent_edit_rate(clients: usize, edits_each: usize) {
    let dir = tempfile::tempdir().expect("temp");
    let db = Db::open(&dir.path().join("concurrent.db")).expect("open");
    let rt = runtime();
    let mut rng = Rng(11);
    let titles: Vec<Title> = (0..clients)
        .map(|c| Title::new(&format!("Client {c}")).expect("title"))
        .collect();
    for title in &titles {
        let markup = article(&mut rng, title.as_str(), 10, 500);
        rt.block_on(wiki::save_page(
            &db,
            SaveRequest {
                title: title.clone(),
                markup,
                base_revision: None,
                section: None,
                summary: String::new(),
                author_id: SYSTEM_USER_ID,
            },
        ))
        .expect("create");
    }
    let started = Instant::now();
    rt.block_on(async {
        let mut tasks = Vec::new();
        for title in titles {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                for n in 0..edits_each {
                    let key = SectionKey::Index(1 + n % 9);
                    let current = wiki::section(&db, &title, &key, None).await.expect("read");
                    let markup = current.markup.replacen(". ", &format!(" edit {n}. "), 1);
                    wiki::save_page(
                        &db,
                        SaveRequest {
                            title: title.clone(),
                            markup,
                            base_revision: Some(current.revision),
                            section: Some(key),
                            summary: String::new(),
                            author_id: SYSTEM_USER_ID,
                        },
                    )
                    .await
                    .expect("save");
                }
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
    });
    let total = clients * edits_each;
    println!(
        "durable edits, {clients} concurrent writers: {:.0} per second ({total} edits, each acknowledged after its group's fsync)",
        total as f64 / started.elapsed().as_secs_f64()
    );
}

/// A wiki of `n` pages of 10 sections (about 3 KB each), built through `import`.
fn wiki_of(n: usize, dir: &Path) -> Db {
    let files = dir.join("files");
    std::fs::create_dir_all(&files).expect("mkdir");
    let mut rng = Rng(n as u64);
    for i in 0..n {
        let title = format!("Person {i:06}");
        std::fs::write(
            files.join(format!("{title}.wiki")),
            article(&mut rng, &title, 10, 300),
        )
        .expect("write");
    }
    let db = Db::open(&dir.join("wiki.db")).expect("open");
    let list = wiki::transfer::collect_files(&[files]).expect("list");
    let started = Instant::now();
    let report = wiki::transfer::import(&db, &list, SYSTEM_USER_ID, "bench", None, &mut |_, _| {})
        .expect("import");
    let elapsed = started.elapsed();
    assert_eq!(report.created, n);
    println!(
        "import: {n} pages ({} sections) in {:.1} s = {:.0} pages/s; database {:.1} MB",
        n * 10,
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        db_bytes(&db) as f64 / 1e6
    );
    db
}

fn at_size(c: &mut Criterion, n: usize) {
    let dir = tempfile::tempdir().expect("temp");
    let db = wiki_of(n, dir.path());
    let rt = runtime();
    let title = Title::new(&format!("Person {:06}", n / 2)).expect("title");
    let (_, sections) = rt
        .block_on(wiki::sections(&db, &title, None))
        .expect("sections");
    let id = SectionKey::Id(sections[5].id.clone());
    let mut group = c.benchmark_group("store");
    group.bench_with_input(BenchmarkId::new("latest_text", n), &n, |b, _| {
        b.iter(|| {
            db.read_blocking(|conn| pages::latest(conn, title.as_str()))
                .expect("read")
                .expect("page")
        })
    });
    group.bench_with_input(BenchmarkId::new("read_page_parsed", n), &n, |b, _| {
        b.iter(|| {
            rt.block_on(wiki::read_page(&db, &title, None))
                .expect("read")
        })
    });
    group.bench_with_input(BenchmarkId::new("section_by_id", n), &n, |b, _| {
        b.iter(|| {
            rt.block_on(wiki::section(&db, &title, &id, None))
                .expect("section")
        })
    });
    for query in ["telescope", "observatory telescope", "chemi*"] {
        group.bench_with_input(
            BenchmarkId::new(format!("search '{query}'"), n),
            &n,
            |b, _| {
                b.iter(|| {
                    rt.block_on(wiki::search(&db, query, 20, wiki::HitsFrom::Offset(0)))
                        .expect("search")
                })
            },
        );
    }
    let mut count = 0;
    group.bench_with_input(BenchmarkId::new("durable_section_edit", n), &n, |b, _| {
        b.iter(|| {
            count += 1;
            edit(&db, &rt, &title, 1 + count % 9, count);
        })
    });
    group.finish();
}

fn main() {
    growth_and_edit_rate();
    for clients in [1, 4, 16] {
        concurrent_edit_rate(clients, 1600 / clients);
    }
    let sizes: Vec<usize> = std::env::var("PLUTARCH_BENCH_PAGES")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
        .configure_from_args();
    for n in sizes {
        at_size(&mut c, n);
    }
    c.final_summary();
}
