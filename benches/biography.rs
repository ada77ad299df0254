//! What reading a biography from its text costs: cutting the prose into sentences, the lead's
//! facts, the dated events and the checks (`bio::biography`, without the infobox, which the
//! parse gives), then the same as an import reads it for storing (`biography_unchecked`: no
//! checks, no sentence kept with each event), on the real biographies and on generated ones,
//! side by side with the parse the import makes of the same texts anyway.
//!
//! The real corpus is `../shared/corpus/wikipedia/*.txt` (skipped when absent); generated
//! biographies are read from `PLUTARCH_SYNTHETIC_DIR` (a folder made by `gen_synthetic.py`),
//! the first 300 files.
//!
//!     cargo bench --bench biography -- --warm-up-time 1 --measurement-time 3

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plutarch::bio::{biography, biography_unchecked};
use plutarch::markup::{outline, parse};

/// The binary's allocator (see `src/main.rs`), so that these figures are the server's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A page's title, text and section starts.
struct Page {
    title: String,
    text: String,
    starts: Vec<usize>,
}

fn pages_in(dir: &Path, extension: &str, at_most: usize) -> Vec<Page> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|f| f.extension().is_some_and(|e| e == extension));
    files.sort();
    files
        .iter()
        .take(at_most)
        .filter_map(|f| {
            let text = std::fs::read_to_string(f).ok()?;
            let title = f.file_stem()?.to_string_lossy().into_owned();
            let starts = outline(&text)
                .sections
                .iter()
                .map(|s| s.byte_start)
                .collect();
            Some(Page {
                title,
                text,
                starts,
            })
        })
        .collect()
}

fn corpora() -> Vec<(&'static str, Vec<Page>)> {
    let mut out = Vec::new();
    let wikipedia = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wikipedia");
    let real = pages_in(&wikipedia, "txt", usize::MAX);
    if real.is_empty() {
        eprintln!("skipped the Wikipedia corpus: ../shared/corpus/wikipedia is absent");
    } else {
        out.push(("wikipedia", real));
    }
    if let Some(dir) = std::env::var_os("PLUTARCH_SYNTHETIC_DIR") {
        let generated = pages_in(Path::new(&dir), "wiki", 300);
        if generated.is_empty() {
            eprintln!("skipped the generated biographies: no .wiki files in {dir:?}");
        } else {
            out.push(("generated", generated));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    for (name, pages) in corpora() {
        let bytes: usize = pages.iter().map(|p| p.text.len()).sum();
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function("biography from the text", |b| {
            b.iter(|| {
                for page in &pages {
                    black_box(biography(None, &page.text, &page.starts, &page.title));
                }
            })
        });
        group.bench_function("biography as stored (no checks)", |b| {
            b.iter(|| {
                for page in &pages {
                    black_box(biography_unchecked(
                        None,
                        &page.text,
                        &page.starts,
                        &page.title,
                    ));
                }
            })
        });
        group.bench_function("parse", |b| {
            b.iter(|| {
                for page in &pages {
                    black_box(parse(&page.text));
                }
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
