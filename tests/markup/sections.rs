//! Section outlines: the contract's JSON and MediaWiki's heading rules.

use plutarch::markup::{outline, parse, sections_json};

use super::common::shared;

#[test]
fn seed_article_gives_the_contract_json() {
    let Some(path) = shared("seeds/biography-article.wiki") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("seed is UTF-8");
    let json: serde_json::Value = serde_json::from_str(&sections_json(&text)).expect("valid JSON");
    let expected = serde_json::json!({
      "title": "Peter Willsman",
      "sections": [
        {"index": 0, "level": 0, "title": "", "anchor": "", "number": "", "parent": null,
         "byte_start": 0, "byte_end": 408},
        {"index": 1, "level": 2, "title": "Early life and career",
         "anchor": "Early_life_and_career", "number": "1", "parent": null,
         "byte_start": 408, "byte_end": 545},
        {"index": 2, "level": 2, "title": "Political activism", "anchor": "Political_activism",
         "number": "2", "parent": null, "byte_start": 545, "byte_end": 4405},
        {"index": 3, "level": 3, "title": "Antisemitism allegations",
         "anchor": "Antisemitism_allegations", "number": "2.1", "parent": 2,
         "byte_start": 2473, "byte_end": 4405}
      ]
    });
    assert_eq!(json, expected);
    assert_eq!(parse(&text).outline, outline(&text));
}

#[test]
fn json_field_order_is_the_contracts() {
    let json = sections_json("= T =\nlead\n== A ==\n");
    let order = [
        "\"title\"",
        "\"sections\"",
        "\"index\"",
        "\"level\"",
        "\"anchor\"",
        "\"number\"",
        "\"parent\"",
        "\"byte_start\"",
        "\"byte_end\"",
    ];
    let mut last = 0;
    for key in order {
        let at = json[last..]
            .find(key)
            .map(|n| n + last)
            .unwrap_or_else(|| panic!("{key} missing or out of order in {json}"));
        last = at;
    }
}

fn titles(text: &str) -> Vec<(u8, String, String)> {
    outline(text)
        .sections
        .iter()
        .skip(1)
        .map(|s| (s.level, s.title.clone(), s.anchor.clone()))
        .collect()
}

#[test]
fn headings_need_no_spaces_and_keep_surplus_equals() {
    assert_eq!(
        titles("==A==\n=B==\n===C=\n"),
        [
            (2, "A".into(), "A".into()),
            (1, "B=".into(), "B=".into()),
            (1, "==C".into(), "==C".into()),
        ]
    );
}

#[test]
fn lines_of_equals_are_headings() {
    assert_eq!(
        titles("x\n===\n=====\n==\n"),
        [(1, "=".into(), "=".into()), (2, "=".into(), "=_2".into())]
    );
}

#[test]
fn trailing_text_makes_a_paragraph_but_comments_do_not() {
    assert_eq!(titles("x\n== A == b\n== C == <!-- c -->\t\n").len(), 1);
}

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}= Title =\r\nLead\r\n== A ==\r\nx\r\n=== B ===\r\n";
    let o = outline(text);
    assert_eq!(o.title.as_deref(), Some("Title"));
    assert_eq!(o.sections[1].title, "A");
    assert_eq!(o.sections[1].byte_start, text.find("== A").unwrap_or(0));
    assert_eq!(o.sections[2].parent, Some(1));
    assert_eq!(o.sections[0].byte_start, 0);
}

#[test]
fn title_only_from_the_first_non_blank_line() {
    assert_eq!(outline("\n\n= T =\n").title.as_deref(), Some("T"));
    assert_eq!(outline("x\n= T =\n").title, None);
    assert_eq!(outline("== T ==\n").title, None);
    let o = outline("= T =\n= U =\n");
    assert_eq!(o.sections[1].level, 1);
    assert_eq!(o.sections[1].number, "1");
}

#[test]
fn hidden_headings() {
    let text = "<nowiki>\n== a ==\n</nowiki>\n<pre>\n== b ==\n</pre>\n<!--\n== c ==\n-->\n{{T|x=\n== d ==\n}}\n<ref>\n== e ==\n</ref>\n== f ==\n";
    assert_eq!(titles(text), [(2, "f".into(), "f".into())]);
}

#[test]
fn unterminated_comment_runs_to_the_end() {
    assert!(titles("a\n<!-- x\n== a ==\n").is_empty());
}

#[test]
fn unclosed_braces_and_brackets_do_not_move_sections() {
    let text = "{{Infobox\n== A ==\n[[link\n== B ==\n{{x}}\n";
    assert_eq!(titles(text).len(), 2);
}

#[test]
fn repeated_anchors_and_numbers() {
    let o = outline("== a ==\n== A ==\n=== a_2 ===\n== b ==\n==== c ====\n=== d ===\n");
    let got: Vec<(&str, &str, Option<usize>)> = o
        .sections
        .iter()
        .skip(1)
        .map(|s| (s.anchor.as_str(), s.number.as_str(), s.parent))
        .collect();
    assert_eq!(
        got,
        [
            ("a", "1", None),
            ("A_2", "2", None),
            ("a_2_2", "2.1", Some(2)),
            ("b", "3", None),
            ("c", "3.1", Some(4)),
            ("d", "3.2", Some(4)),
        ]
    );
}

#[test]
fn titles_are_plain_text() {
    assert_eq!(
        titles(
            "== [[Cat|I love my ''cat'']] ==\n== [[Dog]]s ==\n== A&amp;B <!-- x --> ==\n== x<ref>note</ref> ==\n"
        ),
        [
            (2, "I love my cat".into(), "I_love_my_cat".into()),
            (2, "Dogs".into(), "Dogs".into()),
            (2, "A&B".into(), "A&B".into()),
            (2, "x".into(), "x".into()),
        ]
    );
}

#[test]
fn byte_spans_include_subsections() {
    let text = "lead\n== A ==\na\n=== A1 ===\nb\n== B ==\nc\n";
    let o = outline(text);
    let spans: Vec<(usize, usize)> = o
        .sections
        .iter()
        .map(|s| (s.byte_start, s.byte_end))
        .collect();
    let a = text.find("== A ==").unwrap_or(0);
    let a1 = text.find("=== A1").unwrap_or(0);
    let b = text.find("== B ==").unwrap_or(0);
    assert_eq!(spans, [(0, a), (a, b), (a1, b), (b, text.len())]);
}
