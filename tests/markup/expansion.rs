//! Template expansion (issue 14), property tests: whatever the templates and the page hold,
//! expansion ends, stays within its limits, never panics, and keeps the page's own outline.

use plutarch::markup::expansion::expand;
use plutarch::markup::outline;
use plutarch::markup::preprocess::{Day, Limits, PageContext};
use proptest::prelude::*;

/// Template-flavoured text: calls of each other, parameters, functions, include tags.
fn templateish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("{{".to_string()),
        Just("}}".to_string()),
        Just("{{{".to_string()),
        Just("}}}".to_string()),
        Just("{{A".to_string()),
        Just("{{B|".to_string()),
        Just("{{C}}".to_string()),
        Just("{{{1|".to_string()),
        Just("{{{1}}}".to_string()),
        Just("{{#if:".to_string()),
        Just("{{#switch:".to_string()),
        Just("{{#expr:".to_string()),
        Just("{{#time:Y|".to_string()),
        Just("{{padleft:".to_string()),
        Just("|".to_string()),
        Just("=".to_string()),
        Just("\n".to_string()),
        Just("\n== H ==\n".to_string()),
        Just("[[".to_string()),
        Just("]]".to_string()),
        Just("<noinclude>".to_string()),
        Just("</noinclude>".to_string()),
        Just("<includeonly>".to_string()),
        Just("<onlyinclude>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<nowiki>".to_string()),
        Just("1+2*".to_string()),
        "[a-z ]{0,6}".prop_map(|s| s),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

fn check(a: &str, b: &str, c: &str, page: &str) {
    let pages = |title: &str| match title {
        "Template:A" => Some(a.to_owned()),
        "Template:B" => Some(b.to_owned()),
        "Template:C" => Some(c.to_owned()),
        _ => None,
    };
    let context = PageContext {
        title: "Page",
        today: Day {
            year: 2026,
            month: 12,
            day: 4,
        },
    };
    let expanded = expand(page, &pages, context);
    let limits = Limits::default();
    assert!(expanded.text().len() <= limits.output + page.len() + 512);
    let doc = expanded.document();
    assert_eq!(doc.outline, outline(page));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn expansion_is_bounded_and_keeps_the_outline(
        a in templateish(), b in templateish(), c in templateish(), page in templateish()
    ) {
        check(&a, &b, &c, &page);
    }
}

/// Templates that call each other many times each: the limits stop them quickly.
#[test]
fn templates_calling_each_other_many_times_stop_at_the_limits() {
    let a = "{{B}}{{B}}{{B}}{{B}}{{B}}{{B}}{{B}}{{B}}{{A}}";
    let b = "{{C|{{{1|x}}}{{{1|x}}}}}{{C}}{{C}}{{C}}{{C}}{{C}}{{A}}";
    let c = "{{A}}{{B}}{{C}}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    check(a, b, c, &"{{A}}{{B}}{{C}}\n".repeat(200));
}
