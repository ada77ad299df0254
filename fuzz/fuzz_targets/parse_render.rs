//! Any UTF-8 input parses and renders without panicking; the outline fast path agrees with
//! the full parse, and no `javascript:` link or raw `<script>` reaches the HTML.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plutarch::markup::{outline, parse};
use plutarch::render::{RenderOptions, article, plain_text, section};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
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
    for i in 0..doc.outline.sections.len().min(4) {
        let _ = section(&doc, i, &options).into_string();
        let _ = plain_text(&doc, i);
    }
});
