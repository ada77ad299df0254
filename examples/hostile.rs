//! The time of parse + render + extraction (outline, search text, facts and citations, links) of
//! each hostile construct at n and 4n bytes, and their ratio: about 4 when the work is linear.
//! Run by `bench/hostile.sh`; sizes in KB with `HOSTILE_KB` (n, default 128); `HOSTILE_ONLY=text`
//! times only the constructs whose name contains `text`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use plutarch::markup::{outline, parse};
use plutarch::render::{RenderOptions, article};

#[path = "../tests/markup/pieces.rs"]
mod pieces;

use pieces::{PIECES, ROWS, around, repeated};

/// The binary's allocator (see `src/main.rs`), so that these figures are the server's.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Everything a page view and a save do with a text, without the database.
fn markup_work(text: &str) {
    let exists = |t: &str| t.len() % 2 == 0;
    let options = RenderOptions::new(&exists);
    let doc = parse(text);
    black_box(article(&doc, &options).into_string());
    // The facts view: the person, their dated events, the sections without citations.
    let person = plutarch::bio::person(&doc, "Hostile");
    black_box(person.as_ref().map(plutarch::bio::events));
    black_box(plutarch::bio::unsourced_sections(&doc));
    black_box(outline(text));
    black_box(plutarch::wiki::analyse(text, "Hostile"));
}

/// The fastest of three runs.
fn time(work: &dyn Fn()) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// One row of the table: `make(bytes)` timed at n and 4n (0 when `HOSTILE_ONLY` is set and
/// not part of `name`).
fn row(name: &str, n: usize, make: &dyn Fn(usize) -> Box<dyn Fn()>) -> f64 {
    if std::env::var("HOSTILE_ONLY").is_ok_and(|only| !name.contains(&only)) {
        return 0.0;
    }
    let small = time(&*make(n));
    let large = time(&*make(4 * n));
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-9);
    println!(
        "{:<36} {:>9} {:>10.2} {:>10.2} {:>7.2}",
        format!("{name:?}"),
        n,
        small.as_secs_f64() * 1e3,
        large.as_secs_f64() * 1e3,
        ratio
    );
    ratio
}

fn main() {
    let kb: usize = std::env::var("HOSTILE_KB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(128);
    let n = kb * 1024;
    println!(
        "{:<36} {:>9} {:>10} {:>10} {:>7}",
        "construct", "n bytes", "ms at n", "ms at 4n", "ratio"
    );
    let mut worst = (0.0, String::new());
    let mut note = |name: String, ratio: f64| {
        if ratio > worst.0 {
            worst = (ratio, name);
        }
    };
    for (name, unit, prefix, suffix) in ROWS {
        for lines in [false, true] {
            let label = format!("{name}{}", if lines { " (lines)" } else { "" });
            let ratio = row(&label, 2 * n, &|bytes| {
                let text = around(prefix, unit, suffix, bytes, lines);
                Box::new(move || markup_work(&text))
            });
            note(label, ratio);
        }
    }
    for piece in PIECES {
        for lines in [false, true] {
            let label = format!("{piece}{}", if lines { " (lines)" } else { "" });
            let ratio = row(&label, n, &|bytes| {
                let text = repeated(piece, bytes, lines);
                Box::new(move || markup_work(&text))
            });
            note(label, ratio);
        }
    }
    // Diffs (history, edit conflicts): every line changed, and one long line of changed words.
    for (name, old, new) in [
        ("diff: every line", "a\n", "b\n"),
        ("diff: words", "a ", "b "),
    ] {
        let ratio = row(name, n / 4, &|bytes| {
            let (old, new) = (old.repeat(bytes / 2), new.repeat(bytes / 2));
            Box::new(move || drop(black_box(plutarch::wiki::diff_texts(&old, &new))))
        });
        note(name.to_owned(), ratio);
    }
    // Many changed paragraphs apart, each a line of changed words: the word-level emphasis of
    // each is a diff of its own.
    let ratio = row("diff: 16 changed paragraphs", n, &|bytes| {
        let paragraph = |word: &str| format!("{}\nsame\n", word.repeat(bytes / 32));
        let (old, new) = (paragraph("a ").repeat(16), paragraph("b ").repeat(16));
        Box::new(move || drop(black_box(plutarch::wiki::diff_texts(&old, &new))))
    });
    note("diff: 16 changed paragraphs".to_owned(), ratio);
    println!("worst ratio: {:.2} ({})", worst.0, worst.1);
}
