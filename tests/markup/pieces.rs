//! Hostile markup shared by the hostile tests, the memory bounds (`cost.rs`) and
//! `examples/hostile.rs` (the time ratios of `bench/hostile.sh`).

/// Each piece of markup, alone and unbalanced: repeated on one line and on many lines, a step
/// that rescans what came before shows up as minutes instead of seconds.
pub const PIECES: &[&str] = &[
    "{{t}}",
    "-x",
    "\tx",
    "{|",
    "|}",
    "|-",
    "| a || b",
    "! h !! h",
    "* a",
    "# a",
    "; a : b",
    " pre",
    "<ref>a",
    "<ref name=x>",
    "</ref>",
    "<!--",
    "-->",
    "<nowiki>",
    "<pre>",
    "<b>",
    "</b>",
    "<span ",
    "&amp;",
    "&#",
    "&",
    "[http://x.org a",
    "[",
    "]",
    "[[a|",
    "]]",
    "{{",
    "}}",
    "{{a|b=",
    "''",
    "'''",
    "__TOC__",
    "__X",
    "=",
    "==a==",
    "== a",
    "<references/>",
    "<references>",
    "http://x.org/ ",
    "[[File:a.png|thumb|",
    "[[Category:A]]",
    "<ref name=a/>",
    "<div>",
    "</div>",
    "<math>",
    "<gallery>",
    "{{#if:",
    "|",
    "<br>",
    "[[a]]b ",
    "''a'''b",
    "{{a|[[b|{{c|",
    "<ref>{{cite|url=http://a.b}}</ref>",
];

/// The worst pages found for each feature (issue 17), each as (name, the repeated unit, a
/// prefix): a table row of many cells, a header row of many cells, a line of many `=`.
pub const ROWS: &[(&str, &str, &str)] = &[
    ("table row |x||", "|x||", "{|\n"),
    ("header row !x!!", "!x!!", "{|\n"),
    ("line of a=", "a=", ""),
];

/// `unit` repeated after `prefix` up to about `bytes` bytes, or that text with a line break
/// after each unit when `lines` is set.
pub fn repeated(prefix: &str, unit: &str, bytes: usize, lines: bool) -> String {
    let step = unit.len() + usize::from(lines);
    let mut text = String::with_capacity(prefix.len() + bytes + step);
    text.push_str(prefix);
    for _ in 0..bytes / step {
        text.push_str(unit);
        if lines {
            text.push('\n');
        }
    }
    text
}
