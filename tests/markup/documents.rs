//! Whole documents as JSON snapshots (fixtures written for these tests).

use plutarch::markup::{links, outline, parse};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/markup")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn curie_document() {
    let text = fixture("curie.wiki");
    let doc = parse(&text);
    assert_eq!(doc.outline, outline(&text));
    assert_eq!(doc.links, links(&text));
    assert_eq!(doc.outline.title.as_deref(), Some("Marie Curie"));
    assert_eq!(doc.default_sort.as_deref(), Some("Curie, Marie"));
    assert_eq!(
        doc.links.categories,
        [
            ("Physicists".to_string(), None),
            ("Nobel laureates".to_string(), Some("Curie".to_string()))
        ]
    );
    assert_eq!(doc.refs.len(), 2);
    assert_eq!(doc.refs[0].uses, 2);
    insta::assert_json_snapshot!("curie", doc);
}

#[test]
fn broken_document() {
    let text = fixture("broken.wiki");
    let doc = parse(&text);
    let titles: Vec<&str> = doc
        .outline
        .sections
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["", "Still a section", "Unterminated comment"]);
    insta::assert_json_snapshot!("broken", doc);
}

#[test]
fn structures_document() {
    let text = fixture("structures.wiki");
    let doc = parse(&text);
    assert_eq!(doc.toc, plutarch::doc::TocRequest::Hide);
    insta::assert_json_snapshot!("structures", doc);
}

#[test]
fn redirect_document() {
    let doc = parse("#REDIRECT [[Marie Curie#Career]]\n[[Category:Redirects]]\n");
    assert_eq!(doc.links.redirect.as_deref(), Some("Marie Curie"));
    assert_eq!(doc.links.categories.len(), 1);
}

#[test]
fn links_are_raw_targets() {
    let l = links("[[a b#c|d]] [[:Category:X]] [[category:Y|k]] [[ Z ]] {{T|x}} {{t2}} {{T|y}}");
    assert_eq!(l.links, ["a b", "Category:X", "Z"]);
    assert_eq!(l.categories, [("Y".to_string(), Some("k".to_string()))]);
    assert_eq!(l.templates, ["T", "t2"]);
}

#[test]
fn text_borrows_from_the_markup_unless_decoded_or_joined_across_a_gap() {
    use plutarch::doc::{Block, Inline};
    use std::borrow::Cow;
    let text = "Plain words\nover two lines [[Target|label]].\n\nA&amp;B a<!-- c -->b\n";
    let doc = parse(text);
    let paragraphs: Vec<&[Inline<'_>]> = doc.sections[0]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph { content } => Some(content.as_slice()),
            _ => None,
        })
        .collect();
    let [first, second] = paragraphs[..] else {
        panic!("two paragraphs expected: {paragraphs:?}");
    };
    assert!(
        matches!(
            &first[0],
            Inline::Text {
                text: Cow::Borrowed("Plain words\nover two lines ")
            }
        ),
        "{first:?}"
    );
    assert!(
        matches!(&first[1], Inline::Link { target: Cow::Borrowed("Target"), label, .. }
            if matches!(&label[..], [Inline::Text { text: Cow::Borrowed("label") }])),
        "{first:?}"
    );
    assert!(
        matches!(second, [Inline::Text { text: Cow::Owned(t) }] if t == "A&B ab"),
        "{second:?}"
    );
}

#[test]
fn an_owned_document_equals_the_borrowed_one() {
    let text = fixture("curie.wiki");
    let owned = parse(&text).into_owned();
    drop(text);
    assert_eq!(
        serde_json::to_string(&owned).ok(),
        serde_json::to_string(&parse(&fixture("curie.wiki"))).ok()
    );
    assert!(owned.sections.len() > 1);
}
