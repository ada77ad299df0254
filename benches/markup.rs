//! Markup throughput on one corpus, side by side: the outline fast path, reading the tokens
//! alone (plain text by byte table, every other token by the pest grammar), the full parse,
//! parse + render, and `parse_wiki_text` for comparison.
//!
//! The corpus is `../shared/corpus/wikipedia/*.txt` concatenated (skipped when absent) and,
//! if `PLUTARCH_SYNTHETIC` names a file made by `gen_synthetic.py`, that file too.
//!
//!     cargo bench --bench markup -- --warm-up-time 1 --measurement-time 3

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use plutarch::markup::expansion::expand;
use plutarch::markup::preprocess::{Day, NoTemplates, PageContext};
use plutarch::markup::{count_tokens, outline, parse};
use plutarch::render::{RenderOptions, article};

/// The binary's allocator (see `src/main.rs`), so that these figures are the server's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn wikipedia() -> Option<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wikipedia");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut text = String::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "txt"))
    {
        if let Ok(t) = std::fs::read_to_string(f) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    (!text.is_empty()).then_some(text)
}

fn corpora() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    match wikipedia() {
        Some(text) => out.push(("wikipedia", text)),
        None => eprintln!("skipped the Wikipedia corpus: ../shared/corpus/wikipedia is absent"),
    }
    if let Some(path) = std::env::var_os("PLUTARCH_SYNTHETIC") {
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push(("synthetic", text)),
            Err(e) => eprintln!("skipped the synthetic corpus: {e}"),
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let exists = |t: &str| t.len() % 3 != 0;
    let options = RenderOptions::new(&exists);
    for (name, text) in corpora() {
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.sample_size(10);
        group.bench_function("outline", |b| b.iter(|| outline(black_box(&text))));
        group.bench_function("tokens", |b| b.iter(|| count_tokens(black_box(&text))));
        group.bench_function("parse", |b| b.iter(|| parse(black_box(&text))));
        group.bench_function("parse+render", |b| {
            b.iter(|| article(&parse(black_box(&text)), &options).into_string())
        });
        let config = parse_wiki_text::Configuration::default();
        group.bench_function("parse_wiki_text", |b| {
            b.iter(|| config.parse(black_box(&text)).nodes.len())
        });
        // Issue 14: the same page through template expansion (no template pages exist: the
        // cost pages that use none pay), beside `parse+render`.
        let context = PageContext {
            title: "Bench",
            today: Day::today(),
        };
        group.bench_function("expand+parse+render", |b| {
            b.iter(|| {
                let expanded = expand(black_box(&text), &NoTemplates, context);
                article(&expanded.document(), &options).into_string()
            })
        });
        group.finish();
    }
    templates(c, &options);
}

/// A page of 200 calls to a 1 KB template (issue 14's figure: under 5 ms), expanded, parsed
/// and rendered.
fn templates(c: &mut Criterion, options: &RenderOptions<'_>) {
    let body = "'''{{{1}}}''' was born in [[{{{2|London}}}]]. {{#if:{{{3|}}}|Known for {{{3}}}.|}} "
        .to_owned()
        + &"Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20);
    let template = body[..1024].to_owned();
    let page: String = (0..200)
        .map(|i| format!("* {{{{Card|Person {i}|Town {i}|things}}}}\n"))
        .collect();
    let pages = move |title: &str| (title == "Template:Card").then(|| template.clone());
    let context = PageContext {
        title: "Bench",
        today: Day::today(),
    };
    // The figure is only honest if every call expands the template page (not a placeholder).
    let sample = expand(&page, &pages, context);
    let html = article(&sample.document(), options).into_string();
    assert_eq!(html.matches("Known for things.").count(), 200, "{html}");
    assert!(html.contains("Person 199") && html.contains("Town 199"));
    let mut group = c.benchmark_group("templates");
    group.sample_size(10);
    group.bench_function("200 calls of a 1 KB template", |b| {
        b.iter(|| {
            let expanded = expand(black_box(&page), &pages, context);
            article(&expanded.document(), options).into_string()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
