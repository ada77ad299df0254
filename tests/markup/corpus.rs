//! Real Wikipedia articles (from `../shared`, not in the repository): every one parses and
//! renders without panicking, and `outline()` agrees with `parse()`.

use plutarch::markup::{outline, parse};

use super::common::{render, shared};

#[test]
fn every_corpus_article_parses_and_renders() {
    let Some(dir) = shared("corpus/wikipedia") else {
        return;
    };
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("readable corpus") {
        let path = entry.expect("entry").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let doc = parse(&text);
        assert_eq!(doc.outline, outline(&text), "{}", path.display());
        assert_eq!(doc.sections.len(), doc.outline.sections.len());
        let html = render(&text);
        assert!(!html.contains("<script"), "{}", path.display());
        count += 1;
    }
    assert!(count > 50, "only {count} articles");
}
