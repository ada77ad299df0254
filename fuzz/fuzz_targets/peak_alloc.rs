//! Any UTF-8 input parses, renders and is analysed (outline, search text, facts, links) with a
//! peak of live memory bounded by a constant times its length plus a fixed allowance: a step
//! whose memory grows faster than the input (issue 17: a 39 KB table row took 8.4 GB) fails.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plutarch::markup::{outline, parse};
use plutarch::render::{RenderOptions, article};

#[path = "../../tests/markup/counting.rs"]
mod counting;

use counting::{Counting, peak_of};

#[global_allocator]
static COUNTING: Counting = Counting;

/// Bytes of peak per input byte: the same bound as `tests/markup/cost.rs`.
const PER_BYTE: usize = 200;
/// What any input may use besides: tables, buffers and the empty document.
const ALLOWANCE: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let exists = |t: &str| t.len() % 2 == 0;
    let options = RenderOptions::new(&exists);
    let peak = peak_of(|| {
        let doc = parse(text);
        drop(article(&doc, &options).into_string());
        drop(outline(text));
        plutarch::wiki::analyse(text, "Fuzz");
    });
    let bound = PER_BYTE * text.len() + ALLOWANCE;
    assert!(
        peak <= bound,
        "{} bytes of input peaked at {peak} bytes, over {bound}",
        text.len()
    );
});
