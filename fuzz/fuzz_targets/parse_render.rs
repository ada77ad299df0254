//! Any UTF-8 input parses and renders without panicking; the outline fast path agrees with
//! the full parse, and no `javascript:` link or raw `<script>` reaches the HTML. Template
//! expansion too: the text before the first NUL is `Template:T` (and `Template:U`), the rest
//! the page; the expanded page keeps the page's own outline and renders as safely.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plutarch::markup::expansion::expand;
use plutarch::markup::preprocess::{Day, PageContext};
use plutarch::markup::{outline, parse};
use plutarch::render::{RenderOptions, article, plain_text, section};

fuzz_target!(|data: &[u8]| {
    let Ok(whole) = std::str::from_utf8(data) else { return };
    let (template, text) = whole.split_once('\0').unwrap_or(("", whole));
    let pages = |title: &str| match title {
        "Template:T" | "Template:U" => Some(template.to_owned()),
        _ => None,
    };
    let context = PageContext {
        title: "Fuzz",
        today: Day { year: 2026, month: 12, day: 4 },
    };
    let expanded = expand(text, &pages, context);
    let expanded_doc = expanded.document();
    assert_eq!(expanded_doc.outline, outline(text));
    let doc = parse(text);
    assert_eq!(doc.outline, outline(text));
    for s in &doc.outline.sections {
        assert!(s.byte_start <= s.byte_end && s.byte_end <= text.len());
        assert!(text.is_char_boundary(s.byte_start));
    }
    let exists = |t: &str| t.len() % 2 == 0;
    let edit = |i: usize| format!("/edit/{i}");
    let mut options = RenderOptions::new(&exists);
    options.edit_url = Some(&edit);
    let html = article(&doc, &options).into_string();
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script tag in {html}");
    assert!(!lower.contains("href=\"javascript:"), "javascript link in {html}");
    assert!(!lower.contains("href=\"data:"), "data link in {html}");
    let html = article(&expanded_doc, &options).into_string().to_ascii_lowercase();
    assert!(!html.contains("<script"), "script tag in {html}");
    assert!(!html.contains("href=\"javascript:"), "javascript link in {html}");
    for i in 0..doc.outline.sections.len().min(4) {
        let _ = section(&doc, i, &options).into_string();
        let _ = plain_text(&doc, i);
    }
});
