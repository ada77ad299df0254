//! Memory bounds: parsing, rendering and extracting (outline, search text, facts, links) of each
//! hostile construct at page scale peak at a small constant times the input's size.
//!
//! Measured with this test binary's counting allocator (`counting.rs`): deterministic, unlike
//! time (the time ratios are `bench/hostile.sh`'s).

use plutarch::markup::{outline, parse};

use super::common::render;
use super::counting::{Counting, peak_of};
use super::pieces::{PIECES, ROWS, around, repeated};

#[global_allocator]
static COUNTING: Counting = Counting;

/// The bound: this many times the input's size, plus a fixed allowance. A parsed document
/// keeps a node of some dozens of bytes for each construct, and the densest constructs here
/// are a cell every four bytes (the 40 KB row of `|x||`: 166 bytes per input byte at the peak
/// of the parse, measured; 130 at 2 MB) or a node every two or three (`''` on each line: 160).
/// The quadratic cases of issue 17 were far over it: a 39 KB row peaked at 8.4 GB, 215,000
/// bytes per byte.
const PER_BYTE: usize = 200;
const ALLOWANCE: usize = 256 * 1024;

/// Measures parse, the facts view (person, events, sections without citations), render (with
/// the table of contents), outline and the save's analysis (search text, facts, links) of
/// `text` one by one; returns what went over the bound. Prints each step's bytes per input byte
/// (`--nocapture` shows them).
fn over_bound(name: &str, text: &str) -> Vec<String> {
    let bound = PER_BYTE * text.len() + ALLOWANCE;
    let steps: [(&str, &dyn Fn()); 5] = [
        ("parse", &|| drop(parse(text))),
        ("facts view", &|| {
            let doc = parse(text);
            let person = plutarch::bio::person(&doc, "Hostile");
            drop(person.as_ref().map(plutarch::bio::events));
            drop(plutarch::bio::unsourced_sections(&doc));
        }),
        ("render", &|| drop(render(text))),
        ("outline", &|| drop(outline(text))),
        ("analyse", &|| {
            plutarch::wiki::analyse(text, "Hostile");
        }),
    ];
    let mut over = Vec::new();
    for (step, work) in steps {
        let peak = peak_of(work);
        println!(
            "{name:?} {step}: {} bytes, peak {peak} ({:.1} per byte)",
            text.len(),
            peak as f64 / text.len().max(1) as f64
        );
        if peak > bound {
            over.push(format!(
                "{name:?}: {step} of {} bytes peaked at {peak} bytes, over {bound}",
                text.len()
            ));
        }
    }
    over
}

/// Asserts that every text of `cases` stays within the bound, naming all that do not.
fn assert_within_bound(cases: impl IntoIterator<Item = (String, String)>) {
    let over: Vec<String> = cases
        .into_iter()
        .flat_map(|(name, text)| over_bound(&name, &text))
        .collect();
    assert!(
        over.is_empty(),
        "over {PER_BYTE} bytes per input byte + {ALLOWANCE}:\n{}",
        over.join("\n")
    );
}

const KB: usize = 1024;

#[test]
fn the_counter_sees_an_allocation() {
    let peak = peak_of(|| drop(std::hint::black_box(vec![0u8; 100_000])));
    assert!((100_000..110_000).contains(&peak), "{peak}");
}

#[test]
fn a_table_row_of_ten_thousand_cells() {
    // Issue 17: 39 KB peaked at 8.4 GB.
    let text = around("{|\n", "|x||", "", 40_000, false);
    assert_within_bound([("10,000 cells".to_owned(), text)]);
}

#[test]
fn rows_of_many_cells_and_lines_of_many_equals_signs_at_two_megabytes() {
    let rows = ROWS.iter().flat_map(|(name, unit, prefix, suffix)| {
        [false, true].map(|lines| {
            let text = around(prefix, unit, suffix, 2 * KB * KB, lines);
            (format!("{name} (lines: {lines})"), text)
        })
    });
    // Issue 17: a line of 200,000 `a=`.
    let equals = ("a= x 200,000".to_owned(), "a=".repeat(200_000));
    assert_within_bound(rows.chain([equals]));
}

#[test]
fn every_hostile_piece_at_half_a_megabyte() {
    assert_within_bound(PIECES.iter().flat_map(|piece| {
        [false, true].map(|lines| {
            let text = repeated(piece, 512 * KB, lines);
            (format!("{piece} (lines: {lines})"), text)
        })
    }));
}
