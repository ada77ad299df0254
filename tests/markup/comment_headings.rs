//! A heading line led by a comment (`<!-- note -->== Career ==`): in MediaWiki a heading
//! with an anchor and a table-of-contents entry, but not an editable section ("Editable
//! headings can only have trailing comments and whitespace" in MediaWiki's `headings.txt`).
//! The section model stays as it is: the line stays in the previous section's text.

use plutarch::doc::Block;
use plutarch::markup::{outline, parse};
use plutarch::render::{RenderOptions, TocMode, article};

use super::common::{attrs, render, trimmed_texts};

/// MediaWiki's case, without its `<noinclude>` line.
const CASE: &str = "==== test ====\nyup\n\n==== test 2 ====\nanother yup\n\n\
                    <!-- well -->==== ha ha ====\nback to nope\n\n\
                    ==== he he ====  <!-- but this is ok -->\nsee\n";

#[test]
fn the_outline_keeps_only_editable_headings() {
    let o = outline(CASE);
    let titles: Vec<&str> = o
        .sections
        .iter()
        .skip(1)
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["test", "test 2", "he he"]);
    let doc = parse(CASE);
    assert_eq!(doc.outline, o);
    // The comment-led line stays inside section 2's text and blocks.
    let two = &o.sections[2];
    assert!(CASE[two.byte_start..two.byte_end].contains("==== ha ha ===="));
    let kinds: Vec<&str> = doc.sections[2]
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph { .. } => "p",
            Block::Heading { .. } => "heading",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["p", "heading", "p"]);
    let Block::Heading {
        level,
        title,
        anchor,
        ..
    } = &doc.sections[2].blocks[1]
    else {
        unreachable!("checked above")
    };
    assert_eq!(
        (*level, title.as_str(), anchor.as_str()),
        (4, "ha ha", "ha_ha")
    );
}

#[test]
fn it_renders_with_its_anchor_and_contents_entry_but_no_edit_link() {
    let html = render(CASE);
    // Every heading, in order, with MediaWiki's ids.
    assert_eq!(
        attrs(&html, "div.mw-parser-output > h4", "id"),
        ["test", "test_2", "ha_ha", "he_he"]
    );
    assert_eq!(
        trimmed_texts(&html, "div.mw-parser-output > h4"),
        ["test[edit]", "test 2[edit]", "ha ha", "he he[edit]"]
    );
    // Edit links for the three sections only, numbered as sections.
    assert_eq!(
        attrs(&html, ".mw-editsection a", "href"),
        ["/edit?section=1", "/edit?section=2", "/edit?section=3"]
    );
    // The table of contents lists all four (MediaWiki shows it from four headings on),
    // numbered together: metadata "number:1" to "number:5" less the `<noinclude>` line.
    assert_eq!(
        attrs(&html, "#toc a", "href"),
        ["#test", "#test_2", "#ha_ha", "#he_he"]
    );
    assert_eq!(
        trimmed_texts(&html, "#toc .tocnumber"),
        ["1", "2", "3", "4"]
    );
    assert_eq!(
        trimmed_texts(&html, "div.mw-parser-output > p"),
        ["yup", "another yup", "back to nope", "see"]
    );
}

#[test]
fn nesting_numbers_and_anchors_count_every_heading() {
    let text = "Lead.\n== A ==\n<!-- x -->=== A ===\nsub\n<!-- y --><!-- z -->== Career ==\n\
                text\n== Career ==\nmore\n";
    let doc = parse(text);
    let titles: Vec<&str> = doc
        .outline
        .sections
        .iter()
        .skip(1)
        .map(|s| s.anchor.as_str())
        .collect();
    // The sections keep the anchors `outline()` gives them; the others avoid those.
    assert_eq!(titles, ["A", "Career"]);
    let exists = |_: &str| true;
    let mut options = RenderOptions::new(&exists);
    options.toc = TocMode::Force;
    let html = article(&doc, &options).into_string();
    assert_eq!(
        attrs(&html, "#toc a", "href"),
        ["#A", "#A_2", "#Career_2", "#Career"]
    );
    assert_eq!(
        trimmed_texts(&html, "#toc .tocnumber"),
        ["1", "1.1", "2", "3"]
    );
    assert_eq!(attrs(&html, "div.mw-parser-output > h3", "id"), ["A_2"]);
}

#[test]
fn only_comments_may_lead_and_hidden_lines_stay_text() {
    for (text, why) in [
        (
            "Lead.\n<!-- a --> == spaced ==\n",
            "a space after the comment",
        ),
        ("Lead.\n <!-- a -->== indented ==\n", "a space before it"),
        ("Lead.\n<!-- a -->== open\n", "no closing run"),
        ("Lead.\n<!-- a -->==\n", "two = alone"),
        (
            "Lead.\n{{Box|\n<!-- a -->== in a call ==\n}}\n",
            "inside a template call",
        ),
        (
            "Lead.\n<nowiki>\n<!-- a -->== in nowiki ==\n</nowiki>\n",
            "inside nowiki",
        ),
        (
            "Lead.\n<!-- a\n== in a comment == -->\n",
            "inside a comment",
        ),
        ("Lead.<!-- a -->== mid-line ==\n", "not at a line start"),
    ] {
        let doc = parse(text);
        let headings = doc
            .sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter(|b| matches!(b, Block::Heading { .. }))
            .count();
        assert_eq!(headings, 0, "{why}: {text:?}");
        assert_eq!(doc.outline.sections.len(), 1, "{why}");
    }
    // At the very start of the text, and with more comments.
    let doc = parse("<!-- a --><!-- b -->== First ==\nText.\n");
    assert!(matches!(
        doc.sections[0].blocks.first(),
        Some(Block::Heading { level: 2, .. })
    ));
}
