//! Property tests: any input parses and renders; the outline fast path agrees with parse();
//! spans are sane; nothing unsafe reaches the HTML.

use plutarch::markup::{outline, parse};
use proptest::prelude::*;

use super::common::render;

/// Wiki-flavoured text: markup characters and fragments are much more likely than in
/// arbitrary strings.
fn wikiish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\n".to_string()),
        Just("== ".to_string()),
        Just(" ==".to_string()),
        Just("=".to_string()),
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("|".to_string()),
        Just("''".to_string()),
        Just("'''".to_string()),
        Just("<ref>".to_string()),
        Just("</ref>".to_string()),
        Just("<ref name=a/>".to_string()),
        Just("<nowiki>".to_string()),
        Just("</nowiki>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<pre>".to_string()),
        Just("</pre>".to_string()),
        Just("{|\n".to_string()),
        Just("|-\n".to_string()),
        Just("|}\n".to_string()),
        Just("* ".to_string()),
        Just("#: ".to_string()),
        Just("[http://a.org ".to_string()),
        Just("]".to_string()),
        Just("http://x.org/a ".to_string()),
        Just("&amp;".to_string()),
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("__TOC__".to_string()),
        Just("\r\n".to_string()),
        Just("\u{feff}".to_string()),
        "[a-zé ]{1,6}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn check(text: &str) {
    let doc = parse(text);
    assert_eq!(doc.outline, outline(text));
    assert_eq!(doc.sections.len(), doc.outline.sections.len());
    let secs = &doc.outline.sections;
    assert_eq!(secs[0].byte_start, 0);
    for (i, s) in secs.iter().enumerate() {
        assert_eq!(s.index, i);
        assert!(s.byte_start <= s.byte_end && s.byte_end <= text.len());
        assert!(text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end));
        if i > 0 {
            assert!((1..=6).contains(&s.level));
            assert!(text[s.byte_start..].starts_with('='));
            assert!(s.byte_start >= secs[i - 1].byte_start);
            if let Some(p) = s.parent {
                assert!(p < i && secs[p].level < s.level && secs[p].byte_end >= s.byte_end);
            }
        }
    }
    // Anchors are unique ignoring ASCII case.
    let mut anchors: Vec<String> = secs
        .iter()
        .skip(1)
        .map(|s| s.anchor.to_ascii_lowercase())
        .collect();
    anchors.sort();
    let n = anchors.len();
    anchors.dedup();
    assert_eq!(anchors.len(), n);
    let html = render(text).to_ascii_lowercase();
    assert!(!html.contains("<script") && !html.contains("href=\"javascript"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_string(text in ".{0,300}") {
        check(&text);
    }

    #[test]
    fn wiki_like_text(text in wikiish()) {
        check(&text);
    }

    /// Section spans tile the text: the lead, then each section up to the next heading.
    #[test]
    fn sections_cover_the_text(text in wikiish()) {
        let o = outline(&text);
        let starts: Vec<usize> = o.sections.iter().map(|s| s.byte_start).collect();
        for (i, s) in o.sections.iter().enumerate().skip(1) {
            let next_same_or_higher = o.sections[i + 1..].iter().find(|t| t.level <= s.level).map_or(text.len(), |t| t.byte_start);
            prop_assert_eq!(s.byte_end, next_same_or_higher);
        }
        prop_assert_eq!(o.sections[0].byte_end, starts.get(1).copied().unwrap_or(text.len()));
    }
}
