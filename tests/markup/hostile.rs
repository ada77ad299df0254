//! Hostile inputs: each parses and renders without panic, stack overflow or quadratic time.
//! (Timing is left to the benchmarks; these run in the test profile, which is optimised, and
//! a quadratic case would take minutes, not the fraction of a second these take.)

use plutarch::markup::{outline, parse};

use super::common::render;
use super::pieces::{PIECES, ROWS, around};

fn survive(text: &str) {
    let doc = parse(text);
    assert_eq!(doc.outline, outline(text));
    let html = render(text);
    assert!(html.starts_with("<div"));
}

const MB: usize = 1 << 20;

#[test]
fn a_megabyte_of_open_brackets() {
    survive(&"[[".repeat(MB / 2));
}

#[test]
fn a_megabyte_of_close_brackets_and_braces() {
    survive(&"]]}}".repeat(MB / 4));
}

#[test]
fn a_hundred_thousand_nested_templates() {
    let text = format!("{}x{}", "{{a|".repeat(100_000), "}}".repeat(100_000));
    survive(&text);
    survive(&"{{".repeat(100_000));
}

#[test]
fn a_megabyte_line_of_apostrophes() {
    survive(&"'".repeat(MB));
    survive(&"''a'''".repeat(MB / 6));
}

#[test]
fn two_hundred_thousand_headings() {
    let text = "== h ==\n".repeat(200_000);
    let o = outline(&text);
    assert_eq!(o.sections.len(), 200_001);
    assert_eq!(o.sections[200_000].anchor, "h_200000");
    survive(&text);
}

#[test]
fn a_hundred_thousand_heading_lines_that_fail() {
    // Candidate lines (they begin with `=`) that are no headings, asked of the grammar in
    // batches, with a real heading every tenth line.
    let text: String = (0..100_000)
        .map(|i| match i % 10 {
            0 => "== real ==\n",
            1..=4 => "==x\n",
            5..=8 => "== a = b\n",
            _ => "=<!-- a note --> x\n",
        })
        .collect();
    let o = outline(&text);
    assert_eq!(o.sections.len(), 10_001);
    survive(&text);
}

#[test]
fn deep_lists() {
    survive(&format!("{} deep\n", "*".repeat(100_000)));
    survive(
        &(1..2000)
            .map(|n| format!("{} x\n", "*#:;".repeat(n % 50)))
            .collect::<String>(),
    );
}

#[test]
fn unclosed_tags_and_comments() {
    survive(&"<nowiki>".repeat(MB / 8));
    survive(&"<ref>".repeat(MB / 5));
    survive(&"<pre>x".repeat(MB / 6));
    survive(&"<!--".repeat(MB / 4));
    survive(&"<ref><!--</ref>".repeat(MB / 15));
    survive(&"<b><i><span>".repeat(MB / 12));
    survive(&"<references>".repeat(MB / 12));
}

#[test]
fn deep_tables() {
    survive(&"{|\n|\n".repeat(50_000));
    survive(&"{|\n|-\n| a || b\n".repeat(20_000));
}

#[test]
fn many_links_and_urls_on_one_line() {
    survive(&"[[a|b]]c http://x.org/y_z ".repeat(MB / 30));
    survive(&"[http://x.org ".repeat(MB / 14));
    survive(&"http://a.b/&amp;".repeat(MB / 16));
}

#[test]
fn nul_and_odd_characters() {
    survive("\0\u{feff}\u{feff}= a =\r\r\n\u{2028}== b ==\n\t{|\n!\u{0}");
}

#[test]
fn many_distinct_templates_and_refs() {
    // Regression: the template list was deduplicated by a linear scan (quadratic).
    survive(
        &(0..100_000)
            .map(|i| format!("{{{{t{i}}}}}"))
            .collect::<String>(),
    );
    survive(
        &(0..50_000)
            .map(|i| format!("<ref name=r{i}>x</ref><ref name=r{i}/>"))
            .collect::<String>(),
    );
}

#[test]
fn many_lines_that_almost_start_a_table_or_a_rule() {
    // Regression: each line that began like a line-start token but was none (`{{`, `-`, a
    // tab) made pest build an error whose line lookup scanned the rest of the section.
    survive(&"{{t}}\n-x\n\tx\n".repeat(100_000));
}

#[test]
fn every_construct_repeated_to_half_a_megabyte() {
    // Each piece of markup, alone and unbalanced, repeated on one line and on many lines: a
    // step that rescans what came before (like the line-start regression above) shows up here
    // as minutes instead of seconds.
    for piece in PIECES {
        let count = (MB / 2) / (piece.len() + 1);
        survive(&piece.repeat(count));
        survive(&format!("{piece}\n").repeat(count));
    }
}

#[test]
fn rows_of_many_cells_lines_of_many_equals_signs_and_big_infoboxes() {
    // Regression (issue 17): each cell of a row copied the rest of the row, so a row of
    // 10,000 cells (39 KB) took 20 s and 8.4 GB; the search text looked for the line's ends
    // at every `=`.
    for (name, unit, prefix, suffix) in ROWS {
        for lines in [false, true] {
            let text = around(prefix, unit, suffix, MB, lines);
            survive(&text);
            // The search text, facts and links (an infobox has no search text).
            std::hint::black_box(plutarch::wiki::analyse(&text, name));
        }
    }
    let html = render(&around("{|\n", "|x||", "", 40_000, false));
    // 10,000 cells of `x` and the empty one the last `||` opens.
    assert_eq!(html.matches("<td").count(), 10_001);
}
