//! Markup leftovers of issue 14: `<gallery>` as a grid, link labels over a line break,
//! `<blockquote>` opened at a line end, `:{|` indented tables, `<math>` as readable source.

use plutarch::doc::image::ImageSize;
use plutarch::doc::{Block, Inline};
use plutarch::markup::parse;
use plutarch::render::{FileResolver, RenderOptions, ResolvedFile, article};

use super::common::{attrs, render, trimmed_texts as select};

/// Only `Stored.jpg` is stored.
struct OneFile;

impl FileResolver for OneFile {
    fn resolve(&self, name: &str, _size: Option<ImageSize>) -> Option<ResolvedFile> {
        (name == "Stored.jpg").then(|| ResolvedFile {
            width: 120,
            height: 80,
            thumbnail_url: "/files/thumb/Stored.jpg".to_owned(),
            srcset: String::new(),
        })
    }
}

#[test]
fn a_gallery_is_a_grid_of_figures_through_the_file_resolver() {
    let text = "Before.\n<gallery>\nFile:Stored.jpg|The [[Tower]] at ''dusk''\nImage:Gone.png|alt=x|Lost\nDatei:Other.jpg\n</gallery>\nAfter.\n";
    let doc = parse(text);
    let exists = |_: &str| true;
    let mut options = RenderOptions::new(&exists);
    options.files = &OneFile;
    let html = article(&doc, &options).into_string();
    assert_eq!(
        select(&html, ".gallery .gallery-item .figure-caption"),
        ["The Tower at dusk", "Lost"]
    );
    assert_eq!(
        attrs(&html, ".gallery .gallery-item img", "src"),
        ["/files/thumb/Stored.jpg"]
    );
    assert_eq!(
        select(&html, ".gallery .gallery-item .figure-missing"),
        ["File:Gone.png", "File:Other.jpg"]
    );
    assert!(!html.contains("&lt;gallery"), "{html}");
    assert!(!html.contains("File:Stored.jpg|"), "{html}");
    assert!(select(&html, "p").iter().any(|p| p.contains("After.")));
    // Without stored files every one is a placeholder.
    let placeholders = render(text);
    assert_eq!(
        select(&placeholders, ".gallery .figure-missing").len(),
        3,
        "{placeholders}"
    );
}

#[test]
fn a_link_label_goes_on_over_a_line_break_within_its_paragraph() {
    let html = render("See [[Ada Lovelace|the first\nprogrammer]] here.\n");
    assert_eq!(
        select(&html, "a[href='/wiki/Ada_Lovelace']"),
        ["the first\nprogrammer"]
    );
    let figure = render("[[File:X.jpg|thumb|A caption\nthat goes on]]\n");
    assert_eq!(
        select(&figure, ".figure-caption"),
        ["A caption\nthat goes on"]
    );
    // A blank line, a list or a new link ends the label: the brackets stay text.
    for text in [
        "[[Ada|the first\n\nprogrammer]]",
        "[[Ada|the first\n* programmer]]",
        "[[Ada|the first\n[[Byron]] programmer]]",
    ] {
        let html = render(text);
        assert!(
            select(&html, "a[href='/wiki/Ada']").is_empty(),
            "{text}: {html}"
        );
    }
}

#[test]
fn a_blockquote_opened_at_a_line_end_holds_the_lines_up_to_its_end() {
    let html = render(
        "Intro.\n<blockquote>\nFirst line of the quote,\nand its ''second''.\n</blockquote>\nAfter.\n",
    );
    let quotes = select(&html, "blockquote");
    assert_eq!(quotes.len(), 1, "{html}");
    assert!(quotes[0].contains("First line of the quote,"), "{html}");
    assert!(quotes[0].contains("and its second."), "{html}");
    assert!(!quotes[0].contains("After"), "{html}");
    assert_eq!(select(&html, "blockquote i"), ["second"]);
    // On one line it works as before.
    let inline = render("<blockquote>One line.</blockquote>\n");
    assert_eq!(select(&inline, "blockquote"), ["One line."]);
}

#[test]
fn an_indented_table_is_a_table() {
    let text = ":{| class=\"wikitable\"\n! Year !! Event\n|-\n| 1843 || Notes\n|}\nAfter.\n";
    let html = render(text);
    assert_eq!(select(&html, "table th"), ["Year", "Event"], "{html}");
    assert_eq!(select(&html, "table td"), ["1843", "Notes"]);
    assert!(!html.contains("{|"), "{html}");
    let doc = parse(text);
    assert!(
        doc.sections[0]
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Table(_)))
    );
    // A definition line that is no table stays one.
    let dd = render(":indented {| not a table\n");
    assert!(select(&dd, "table").is_empty(), "{dd}");
}

#[test]
fn math_is_readable_source_in_a_code_box() {
    let html = render("Energy: <math>E = mc^2 + \\frac{\\alpha}{2}</math>.\n");
    assert_eq!(select(&html, "code"), ["E = mc² + (α)/(2)"], "{html}");
    assert_eq!(
        attrs(&html, "code", "title"),
        ["E = mc^2 + \\frac{\\alpha}{2}"]
    );
    let doc = parse("<math>\\sqrt{x}</math>");
    let found = doc.sections[0].blocks.iter().any(|b| match b {
        Block::Paragraph { content } => content
            .iter()
            .any(|i| matches!(i, Inline::Html { tag, .. } if tag == "code")),
        _ => false,
    });
    assert!(found, "{doc:?}");
}

#[test]
fn the_files_a_page_shows_are_recorded_apart_from_its_links() {
    let text = "{{Infobox person\n| name = Ada\n| Image = Ada portrait.jpg\n}}\n\
                [[Image:engine.png|thumb|The engine]] [[Paris]]\n\
                <gallery>\nDatei:Map.jpg|A map\nFile:Loom.gif\n</gallery>\n";
    let doc = plutarch::markup::parse(text);
    assert_eq!(
        doc.links.files,
        [
            "File:Ada portrait.jpg",
            "File:engine.png",
            "File:Map.jpg",
            "File:Loom.gif"
        ]
    );
    assert_eq!(doc.links.links, ["Paris"]);
}
