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

/// The worst pages found for each feature (issue 17), each as (name, the repeated unit, what
/// comes before and after): a table row of many cells, a header row of many cells, a line of many `=`, and an
/// infobox (the facts extraction) with many fields, items and dates.
pub const ROWS: &[Row] = &[
    ("table row |x||", "|x||", "{|\n", ""),
    ("header row !x!!", "!x!!", "{|\n", ""),
    ("line of a=", "a=", "", ""),
    (
        "infobox of many fields",
        "|f=x",
        "{{Infobox person|name=A",
        "}}",
    ),
    (
        "infobox field of many items",
        "[[a]], ",
        "{{Infobox person|name=A|occupation=",
        "}}",
    ),
    (
        "infobox of many dates",
        "|birth_date={{birth date|1900|1|1}}",
        "{{Infobox person|name=A",
        "}}",
    ),
    (
        "infobox date of many parts",
        "1 January 1900 ",
        "{{Infobox person|name=A|birth_date=",
        "}}",
    ),
];

/// (name, unit, prefix, suffix): see [`ROWS`].
pub type Row = (&'static str, &'static str, &'static str, &'static str);

/// `unit` repeated up to about `bytes` bytes, or that with a line break after each unit when
/// `lines` is set.
pub fn repeated(unit: &str, bytes: usize, lines: bool) -> String {
    around("", unit, "", bytes, lines)
}

/// `unit` repeated as by [`repeated`], between `prefix` and `suffix`.
pub fn around(prefix: &str, unit: &str, suffix: &str, bytes: usize, lines: bool) -> String {
    let step = unit.len() + usize::from(lines);
    let mut text = String::with_capacity(prefix.len() + bytes + step + suffix.len());
    text.push_str(prefix);
    for _ in 0..bytes / step {
        text.push_str(unit);
        if lines {
            text.push('\n');
        }
    }
    text.push_str(suffix);
    text
}
