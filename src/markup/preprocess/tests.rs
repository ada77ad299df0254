use super::*;

const TODAY: Day = Day {
    year: 2026,
    month: 12,
    day: 4,
};

fn pages(list: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
    let map: HashMap<String, String> = list
        .iter()
        .map(|(t, x)| ((*t).to_owned(), (*x).to_owned()))
        .collect();
    move |title: &str| map.get(title).cloned()
}

fn expand_with(list: &[(&str, &str)], text: &str) -> (String, Used) {
    let source = pages(list);
    let mut ex = Expander::new(
        &source,
        PageContext {
            title: "Ada Lovelace",
            today: TODAY,
        },
        Limits::default(),
    );
    let out = ex.expand(text);
    (out, ex.into_used())
}

fn expand(list: &[(&str, &str)], text: &str) -> String {
    expand_with(list, text).0
}

#[test]
fn parameters_positional_named_and_defaults() {
    let t = [(
        "Template:Greet",
        "Hi {{{1}}}, {{{who|nobody}}}, {{{2|}}}{{{3}}}",
    )];
    assert_eq!(
        expand(&t, "{{greet|Ada|who= Bob }}"),
        "Hi Ada, Bob, {{{3}}}"
    );
    assert_eq!(expand(&t, "{{Greet| x }}"), "Hi  x , nobody, {{{3}}}");
    assert_eq!(expand(&t, "{{ Greet |1=a|1=b}}"), "Hi b, nobody, {{{3}}}");
    // At the page's own level a parameter has only its default.
    assert_eq!(expand(&[], "{{{1|lead}}} {{{1}}}"), "lead {{{1}}}");
}

#[test]
fn include_tags_and_colon_pages() {
    let t = [
        (
            "Template:Box",
            "<noinclude>docs</noinclude>[{{{1}}}]<includeonly>!</includeonly>",
        ),
        ("Template:Only", "a<onlyinclude>b</onlyinclude>c"),
        ("Ada", "main text"),
    ];
    assert_eq!(expand(&t, "{{Box|x}}"), "[x]!");
    assert_eq!(expand(&t, "{{Only}}"), "b");
    assert_eq!(expand(&t, "{{:Ada}}"), "main text");
    let (_, used) = expand_with(&t, "{{:Ada}}{{Box}}{{Missing}}");
    let want: BTreeSet<String> = ["Ada", "Template:Box", "Template:Missing"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(used.pages, want);
}

#[test]
fn redirects_of_templates_are_followed_once() {
    let t = [
        ("Template:Old", "#REDIRECT [[Template:New]]"),
        ("Template:New", "new {{{1}}}"),
        ("Template:Loop", "#REDIRECT [[Template:Loop2]]"),
        ("Template:Loop2", "#REDIRECT [[Template:Loop]]"),
    ];
    assert_eq!(expand(&t, "{{old|x}}"), "new x");
    assert_eq!(expand(&t, "{{Loop}}"), "#REDIRECT [[Template:Loop]]");
}

#[test]
fn missing_templates_stay_for_the_renderer_with_arguments_expanded() {
    let t = [
        ("Template:Wrap", "{{cite web|title={{{1}}}|url=x}}"),
        ("Template:Name", "Ada"),
    ];
    assert_eq!(
        expand(&t, "{{Wrap|{{Name}}}}"),
        "{{cite web|title=Ada|url=x}}"
    );
    let text = "{{Infobox person\n| name = {{Name}}\n| born = 1815\n}}";
    assert_eq!(
        expand(&t, text),
        "{{Infobox person\n| name = Ada\n| born = 1815\n}}"
    );
    let plain = "{{Use dmy dates|date=May 2020}} {{cite web |url=https://x |title=T}}";
    assert_eq!(expand(&t, plain), plain);
}

#[test]
fn conditionals() {
    let cases = [
        ("{{#if: x | yes | no }}", "yes"),
        ("{{#if: | yes | no }}", "no"),
        ("{{#if:  | yes }}", ""),
        ("{{#ifeq: 01 | 1 | same | different}}", "same"),
        ("{{#ifeq: a | A | same | different}}", "different"),
        ("{{#switch: b | a = 1 | b = 2 | #default = 3}}", "2"),
        ("{{#switch: z | a = 1 | b = 2 | #default = 3}}", "3"),
        ("{{#switch: c | a | c | d = 4 | e = 5}}", "4"),
        ("{{#switch: q | a = 1 | last}}", "last"),
        ("{{#switch: 2.0 | 2 = two}}", "two"),
        ("{{#iferror: {{#expr: 1/0}} | bad | good}}", "bad"),
        ("{{#iferror: {{#expr: 1+1}} | bad | good}}", "good"),
        ("{{#iferror: {{#expr: 1+1}} | bad}}", "2"),
        ("{{#ifexpr: 2 > 1 | more | less}}", "more"),
    ];
    for (text, want) in cases {
        assert_eq!(expand(&[], text), want, "{text}");
    }
}

#[test]
fn an_untaken_branch_is_not_expanded() {
    let t = [("Template:Used", "u")];
    let (out, used) = expand_with(&t, "{{#if: x | {{Used}} | {{Unused}} }}");
    assert_eq!(out, "u");
    assert!(used.pages.contains("Template:Used"));
    assert!(!used.pages.contains("Template:Unused"));
}

#[test]
fn text_functions_and_magic_words() {
    let cases = [
        ("{{lc:ÀDA}}", "àda"),
        ("{{uc:ada}}", "ADA"),
        ("{{ucfirst:ada}}", "Ada"),
        ("{{lcfirst:ADA}}", "aDA"),
        ("{{urlencode:a b&c/é}}", "a+b%26c%2F%C3%A9"),
        ("{{urlencode:a b/c|WIKI}}", "a_b/c"),
        ("{{padleft:7|3}}", "007"),
        ("{{padleft:7|5|ab}}", "abab7"),
        ("{{padright:7|3|x}}", "7xx"),
        ("{{padleft:7|100000}}", &format!("{}7", "0".repeat(499))),
        ("{{PAGENAME}}", "Ada Lovelace"),
        ("{{FULLPAGENAME}}", "Ada Lovelace"),
        ("{{NAMESPACE}}", ""),
        ("{{CURRENTYEAR}}", "2026"),
        ("a{{!}}b{{=}}c", "a|b=c"),
        (
            "{{#tag:ref|Cited|name=\"n1\"}}",
            "<ref name=\"n1\">Cited</ref>",
        ),
        ("{{#time: Y | 1815-12-10}}", "1815"),
        ("{{#expr: {{CURRENTYEAR}} - 1815}}", "211"),
        ("{{#expr: }}", ""),
    ];
    for (text, want) in cases {
        assert_eq!(expand(&[], text), *want, "{text}");
    }
}

#[test]
fn namespace_magic_words_see_the_page() {
    let source = NoTemplates;
    let mut ex = Expander::new(
        &source,
        PageContext {
            title: "Template:Infobox",
            today: TODAY,
        },
        Limits::default(),
    );
    assert_eq!(
        ex.expand("{{NAMESPACE}}|{{PAGENAME}}|{{FULLPAGENAME}}"),
        "Template|Infobox|Template:Infobox"
    );
}

#[test]
fn output_that_depends_on_today_is_noted() {
    assert!(!expand_with(&[], "{{#time: Y | 1990}}").1.dated);
    assert!(expand_with(&[], "{{#time: Y}}").1.dated);
    assert!(expand_with(&[], "{{#time: Y|now}}").1.dated);
    assert!(expand_with(&[], "{{CURRENTYEAR}}").1.dated);
    let t = [("Template:Age", "{{#expr: {{CURRENTYEAR}} - {{{1}}} }}")];
    let (out, used) = expand_with(&t, "{{Age|1990}}");
    assert_eq!(out, "36");
    assert!(used.dated);
}

#[test]
fn a_block_made_by_a_template_starts_a_line() {
    let t = [("Template:List", "* one\n* two")];
    assert_eq!(expand(&t, "Items: {{List}}"), "Items: \n* one\n* two");
    assert_eq!(expand(&t, "{{List}}"), "* one\n* two");
}

#[test]
fn loops_are_errors_in_the_page() {
    let t = [
        ("Template:Self", "x{{Self}}"),
        ("Template:A", "{{B}}"),
        ("Template:B", "{{A}}"),
    ];
    let out = expand(&t, "{{Self}}");
    assert_eq!(
        out,
        "x<strong class=\"error\">Template loop detected: [[Template:Self]]</strong>"
    );
    assert!(expand(&t, "{{A}}").contains("Template loop detected: [[Template:A]]"));
}

#[test]
fn depth_is_limited() {
    // Deep, Deepx, Deepxx…: each a page of its own calling the next (not a loop).
    let source = |title: &str| {
        title
            .starts_with("Template:Deep")
            .then(|| "{{Deep{{{1|}}}|{{{1|}}}x}}".to_owned())
    };
    let mut ex = Expander::new(
        &source,
        PageContext {
            title: "Ada",
            today: TODAY,
        },
        Limits::default(),
    );
    let out = ex.expand("{{Deep|x}}");
    assert!(out.contains("Expansion depth limit exceeded"), "{out}");
    let nested = "{{#if:1|".repeat(500) + "x" + &"}}".repeat(500);
    let out = expand(&[], &nested);
    assert!(out.contains("Expansion depth limit exceeded"), "{out}");
}

#[test]
fn an_exploding_page_stops_with_an_error() {
    // Each level calls the next ten times: 10^9 calls if nothing stopped it.
    let mut t: Vec<(String, String)> = Vec::new();
    for level in 0..9 {
        t.push((
            format!("Template:L{level}"),
            format!("{{{{L{}}}}}", level + 1).repeat(10),
        ));
    }
    t.push(("Template:L9".into(), "x".repeat(100)));
    let list: Vec<(&str, &str)> = t.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (out, used) = expand_with(&list, "{{L0}}");
    assert!(used.limit.is_some());
    assert!(out.len() <= Limits::default().output + 200, "{}", out.len());
    assert!(out.ends_with("</strong>"), "{}", &out[out.len() - 100..]);
    // Arguments that double at each level are bounded too.
    let doubling = [("Template:D", "{{D|{{{1|x}}}{{{1|x}}}{{{1|x}}}{{{1|x}}}}}")];
    let (_, used) = expand_with(&doubling, "{{D}}");
    assert!(used.limit.is_some() || used.pages.len() == 1);
}
