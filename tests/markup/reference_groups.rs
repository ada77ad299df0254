//! Reference groups as Wikipedia has them: `<ref group>`, `{{efn}}` and `{{notelist}}`,
//! `{{refn}}`, `{{reflist|group=…}}`, list-defined references (`{{reflist|refs=…}}`) and a note
//! with a citation inside it (`{{#tag:ref|… <ref>…</ref>|group=…}}`).

use plutarch::markup::expansion::expand;
use plutarch::markup::preprocess::{Day, NoTemplates, PageContext};
use plutarch::render::{RenderOptions, article};

use super::common::{attrs, trimmed_texts as select};

/// The page as the wiki renders it: templates expanded first (no template pages), then parsed.
fn render(text: &str) -> String {
    let context = PageContext {
        title: "Page",
        today: Day {
            year: 2026,
            month: 12,
            day: 4,
        },
    };
    let expanded = expand(text, &NoTemplates, context);
    let doc = expanded.document();
    let exists = |_: &str| true;
    article(&doc, &RenderOptions::new(&exists)).into_string()
}

/// Every citation's link leads to an item of a list, and every id is given once.
fn assert_links_resolve(html: &str) {
    let ids = attrs(html, "[id]", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "an id is given twice: {ids:?}");
    for href in attrs(html, "sup.reference a", "href") {
        let target = href.trim_start_matches('#');
        assert!(
            attrs(html, "ol.references li", "id")
                .iter()
                .any(|id| id == target),
            "{href} leads nowhere in {html}"
        );
    }
    for href in attrs(html, "ol.references .backlinks a", "href") {
        let target = href.trim_start_matches('#');
        assert!(ids.iter().any(|id| id == target), "{href} leads nowhere");
    }
}

#[test]
fn efn_notes_are_lettered_and_listed_by_notelist_apart_from_the_references() {
    let html = render(
        "A<ref>First source</ref> B{{efn|Note one}} C{{efn|Note two}} D<ref>Second source</ref>\
         E{{efn|Note one}}\n== Notes ==\n{{notelist}}\n== References ==\n{{reflist}}\n",
    );
    assert_eq!(
        select(&html, "sup.reference"),
        ["[1]", "[a]", "[b]", "[2]", "[c]"]
    );
    assert_eq!(
        select(&html, "ol.references.lower-alpha .reference-text"),
        ["Note one", "Note two", "Note one"]
    );
    assert_eq!(
        select(&html, "ol.references:not(.lower-alpha) .reference-text"),
        ["First source", "Second source"]
    );
    assert!(select(&html, "section.footnotes").is_empty());
    assert_links_resolve(&html);
}

#[test]
fn efn_variants_count_in_their_own_styles() {
    let html =
        render("a{{efn-ua|Upper}} b{{efn-lr|Roman}} c{{efn-lr|Roman two}} d{{efn-lg|Greek}}\n");
    assert_eq!(
        select(&html, "sup.reference"),
        ["[A]", "[i]", "[ii]", "[α]"]
    );
    assert_eq!(
        attrs(&html, "ol.references", "class"),
        [
            "references upper-alpha",
            "references lower-roman",
            "references lower-greek"
        ]
    );
    assert_links_resolve(&html);
}

#[test]
fn a_named_group_is_labelled_with_its_name_and_listed_where_its_tag_is() {
    let html = render(
        "a<ref group=\"note\">Aside</ref> b<ref>Source</ref> c<ref group=note name=x>Second aside</ref> \
         d<ref group=\"note\" name=\"x\"/>\n== Notes ==\n<references group=\"note\"/>\n\
         == References ==\n<references />\n",
    );
    assert_eq!(
        select(&html, "sup.reference"),
        ["[note 1]", "[1]", "[note 2]", "[note 2]"]
    );
    assert_eq!(
        select(&html, "ol.references .reference-text"),
        ["Aside", "Second aside", "Source"]
    );
    // Each list counts its own group from 1.
    assert_eq!(attrs(&html, "ol.references", "start"), ["1", "1"]);
    assert_links_resolve(&html);
}

#[test]
fn refn_and_reflist_take_a_group_parameter() {
    let html = render(
        "a{{refn|group=nb|A note}} b<ref>Source</ref> c{{refn|Plain note}}\n\
         == Notes ==\n{{reflist|group=nb}}\n== References ==\n{{reflist}}\n",
    );
    assert_eq!(select(&html, "sup.reference"), ["[nb 1]", "[1]", "[2]"]);
    assert_eq!(
        select(&html, "ol.references .reference-text"),
        ["A note", "Source", "Plain note"]
    );
    assert_links_resolve(&html);
}

#[test]
fn list_defined_references_take_their_content_from_refs() {
    let html = render(
        "X<ref name=\"a\"/> Y<ref name=\"b\" /> X again<ref name=\"a\"/>\n\
         == References ==\n{{reflist|refs=\n<ref name=\"a\">Alpha source</ref>\n\
         <ref name=\"b\">Beta source</ref>\n}}\n",
    );
    assert_eq!(select(&html, "sup.reference"), ["[1]", "[2]", "[1]"]);
    assert_eq!(
        select(&html, "ol.references .reference-text"),
        ["Alpha source", "Beta source"]
    );
    // Alpha is cited twice (two back-links), Beta once; the definitions cite nothing.
    assert_eq!(
        select(&html, "ol.references li:first-child .backlinks a").len(),
        2
    );
    assert_eq!(
        select(&html, "ol.references li:last-child .backlinks a").len(),
        1
    );
    assert!(!html.contains("Footnote without content"));
    assert!(select(&html, "section.footnotes").is_empty());
    assert_links_resolve(&html);
}

#[test]
fn notelist_refs_define_notes_of_its_group() {
    let html = render(
        "X{{efn|name=n1}} Y<ref>Source</ref>\n{{notelist|refs={{efn|name=n1|Defined note}}\n\
         <ref name=\"n2\">Unused</ref>}}\n{{reflist}}\n",
    );
    assert_eq!(select(&html, "sup.reference"), ["[a]", "[1]"]);
    let notes = select(&html, "ol.references.lower-alpha .reference-text");
    assert_eq!(notes.first().map(String::as_str), Some("Defined note"));
    assert_eq!(
        select(&html, "ol.references:not(.lower-alpha) .reference-text"),
        ["Source"]
    );
}

#[test]
fn groups_without_a_list_go_to_the_end_notes_before_references() {
    let html =
        render("a<ref>Source</ref> b{{efn|A note}} c<ref group=g>G note</ref>\n== Life ==\nText\n");
    assert_eq!(
        select(&html, "section.footnotes h2"),
        ["Notes", "Notes", "References"]
    );
    assert_eq!(
        select(&html, "section.footnotes .reference-text"),
        ["A note", "G note", "Source"]
    );
    assert_links_resolve(&html);
}

#[test]
fn a_reference_after_its_groups_list_waits_for_the_end() {
    let html =
        render("a{{efn|First}}\n{{notelist}}\nb{{efn|Second}} c<ref>Source</ref>\n{{reflist}}\n");
    assert_eq!(select(&html, "sup.reference"), ["[a]", "[b]", "[1]"]);
    assert_eq!(
        select(&html, "section.footnotes .reference-text"),
        ["Second"]
    );
    // The second note keeps its letter: its list starts at b.
    assert_eq!(attrs(&html, "section.footnotes ol", "start"), ["2"]);
    assert_links_resolve(&html);
}

#[test]
fn a_note_with_a_citation_inside_makes_two_footnotes() {
    let html = render(
        "Murchison{{#tag:ref|He sold the company in 1927.<ref>''Oil Weekly'', 1927.</ref>|group=note}} \
         later<ref>A source</ref>.\n== Notes ==\n{{reflist|group=note}}\n\
         == References ==\n{{reflist}}\n",
    );
    // In the text the note and the later source; the inner citation is in the note's list.
    assert_eq!(select(&html, "sup.reference"), ["[note 1]", "[2]", "[1]"]);
    let lists = select(&html, "ol.references");
    assert_eq!(lists.len(), 2, "{html}");
    assert!(
        lists[0].contains("He sold the company in 1927.[1]"),
        "{}",
        lists[0]
    );
    assert_eq!(
        select(&html, "ol.references:last-of-type .reference-text"),
        ["Oil Weekly, 1927.", "A source"]
    );
    assert!(
        !html.contains("&lt;ref") && !html.contains("&lt;/ref"),
        "{html}"
    );
    assert_links_resolve(&html);
}

#[test]
fn a_nested_ref_in_a_plain_ref_closes_at_the_right_tag() {
    let html = render(
        "a<ref group=n>Outer <ref>Inner</ref> tail</ref> b\n<references group=n/>\n<references/>\n",
    );
    assert_eq!(select(&html, "sup.reference"), ["[n 1]", "[1]"]);
    assert_eq!(
        select(&html, "ol.references .reference-text"),
        ["Outer [1] tail", "Inner"]
    );
    assert!(!html.contains("&lt;/ref"), "{html}");
}
