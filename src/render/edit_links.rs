//! One rendering for editors and readers: the article rendered with its sections' `[edit]`
//! links, and the same HTML without them for those who may not edit (issue 20: a save renders
//! the page once, not once per kind of reader).
//!
//! The links are the `span.mw-editsection` that [`heading`](super::article) writes after a
//! heading's text; nothing else makes that class (users' markup cannot set `class`), and the
//! span holds only links whose text and attributes are escaped, so it ends at the first
//! `</span>`.

use memchr::memmem;

/// How an edit-links span starts (maud writes `span.mw-editsection` so).
const OPEN: &str = "<span class=\"mw-editsection\">";
const CLOSE: &str = "</span>";

/// `html` without the sections' edit links: what the renderer makes without `edit_url`.
pub fn without_edit_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let open = memmem::Finder::new(OPEN);
    let close = memmem::Finder::new(CLOSE);
    while let Some(start) = open.find(rest.as_bytes()) {
        let (before, span) = rest.split_at(start);
        out.push_str(before);
        match close.find(span.as_bytes()) {
            Some(end) => rest = &span[end + CLOSE.len()..],
            // Not the renderer's span after all: keep it as it is.
            None => {
                rest = span;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;
    use crate::render::{RenderOptions, article};

    fn rendered(text: &str, edit: bool, stars: bool) -> String {
        let doc = parse(text);
        let edit_url = |i: usize| format!("/wiki/P/edit?section={i}");
        let mut options = RenderOptions::default();
        if edit {
            options.edit_url = Some(&edit_url);
            options.watch_stars = stars;
        }
        article(&doc, &options).into_string()
    }

    #[test]
    fn the_links_removed_are_the_rendering_without_them() {
        let text = "Lead with '''bold''' and a <ref>note</ref>.\n\n== Early life ==\nText \
                    [[Link|label]].\n\n=== Family & <b>friends</b> ===\nMore.\n\n== Edit \
                    section: </span> ==\nA <span title=\"x\">span</span>.\n\n== Works ==\n\
                    * one\n\n== References ==\n<references />\n";
        for stars in [false, true] {
            let editing = rendered(text, true, stars);
            assert!(editing.contains(OPEN), "{editing}");
            assert_eq!(without_edit_links(&editing), rendered(text, false, false));
        }
    }

    #[test]
    fn text_without_the_links_is_kept_whole() {
        assert_eq!(without_edit_links("<p>plain</p>"), "<p>plain</p>");
        let unclosed = format!("<p>a</p>{OPEN}[never closed");
        assert_eq!(without_edit_links(&unclosed), unclosed);
    }
}
