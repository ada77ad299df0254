//! Helpers shared by the markup tests.

use std::path::PathBuf;

use plutarch::render::{RenderOptions, article};

/// `../shared` next to the repository, if it is there.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: {} is absent", path.display());
        None
    }
}

/// Renders markup with every page existing except those named `Missing…`, and edit links.
pub fn render(text: &str) -> String {
    let doc = plutarch::markup::parse(text);
    let exists = |t: &str| !t.starts_with("Missing");
    let edit = |i: usize| format!("/edit?section={i}");
    let mut options = RenderOptions::new(&exists);
    options.edit_url = Some(&edit);
    article(&doc, &options).into_string()
}

/// The text of each element `css` selects in `html`, as written.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse(css).expect("valid selector");
    doc.select(&sel).map(|e| e.text().collect()).collect()
}

/// [`texts`], each trimmed.
pub fn trimmed_texts(html: &str, css: &str) -> Vec<String> {
    texts(html, css)
        .into_iter()
        .map(|t| t.trim().to_owned())
        .collect()
}

/// The attribute `attr` of each element `css` selects in `html` that has it.
pub fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    let doc = scraper::Html::parse_fragment(html);
    let sel = scraper::Selector::parse(css).expect("valid selector");
    doc.select(&sel)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}
