//! Rendered HTML: what a reader would look for, checked with CSS selectors, plus snapshots.

use plutarch::markup::parse;
use plutarch::render::{RenderOptions, TocMode, article, plain_text, section};

use super::common::{attrs, render, texts as select};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/markup")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

#[test]
fn curie_article() {
    let html = render(&fixture("curie.wiki"));
    // The title line is the page layout's job, not the article's.
    assert!(select(&html, "h1").is_empty());
    assert_eq!(
        select(&html, "h2 .mw-editsection a"),
        ["edit", "edit", "edit", "edit"]
    );
    assert_eq!(
        attrs(&html, ".mw-parser-output > h2", "id"),
        ["Early_life", "Career", "Honours", "References"]
    );
    assert_eq!(
        attrs(&html, "h3", "id"),
        ["Research_in_Paris", "Later_years"]
    );
    assert_eq!(
        attrs(&html, "h2 .mw-editsection a", "href")[0],
        "/edit?section=1"
    );
    // Six headings: a table of contents, before the first heading.
    assert_eq!(
        select(&html, "#toc .tocnumber"),
        ["1", "2", "2.1", "2.2", "3", "4"]
    );
    assert_eq!(select(&html, "table.infobox caption"), ["Marie Curie"]);
    assert!(
        select(&html, "table.infobox td")
            .iter()
            .any(|t| t == "November 7, 1867Warsaw, Congress Poland")
    );
    assert!(
        select(&html, "table.infobox td")
            .iter()
            .any(|t| t == "July 4, 1934 (aged 66)")
    );
    assert_eq!(select(&html, "sup.reference a"), ["[1]", "[1]", "[2]"]);
    assert_eq!(
        attrs(&html, "ol.references li", "id"),
        ["cite_note-1", "cite_note-2"]
    );
    assert_eq!(
        attrs(&html, "ol.references li .backlinks a", "href"),
        ["#cite_ref-1-0", "#cite_ref-1-1", "#cite_ref-2-0"]
    );
    assert!(
        select(&html, "cite.citation")
            .iter()
            .any(|c| c.contains("Marie Curie – Facts"))
    );
    assert_eq!(
        attrs(&html, "a.external", "rel")
            .iter()
            .filter(|r| *r == "nofollow noopener")
            .count(),
        3
    );
    assert_eq!(select(&html, "a.external.autonumber"), ["[1]"]);
    assert_eq!(attrs(&html, "a[href='/wiki/Poland']", "title"), ["Poland"]);
    assert_eq!(select(&html, "table.wikitable th"), ["Year", "Prize"]);
    assert_eq!(select(&html, "table.wikitable caption"), ["Prizes"]);
    assert_eq!(
        attrs(&html, ".catlinks a", "href"),
        [
            "/wiki/Category:Physicists",
            "/wiki/Category:Nobel_laureates"
        ]
    );
    assert_eq!(select(&html, ".template-placeholder"), Vec::<String>::new());
    assert_eq!(select(&html, "sup.noprint"), ["[citation needed]"]);
    insta::assert_snapshot!("curie_html", html);
}

#[test]
fn missing_pages_link_to_their_edit_form() {
    let html = render("[[Missing person|someone]] and [[Present]]");
    assert_eq!(attrs(&html, "a.new", "href"), ["/wiki/Missing_person/edit"]);
    assert_eq!(attrs(&html, "a:not(.new)", "href"), ["/wiki/Present"]);
}

#[test]
fn titles_in_urls() {
    let html = render("[[AC/DC]] [[café au lait]] [[a&amp;b]] [[Page#Sec tion|x]] [[#Local bit]]");
    assert_eq!(
        attrs(&html, "a", "href"),
        [
            "/wiki/AC%2FDC",
            "/wiki/Caf%C3%A9_au_lait",
            "/wiki/A%26b",
            "/wiki/Page#Sec_tion",
            "#Local_bit"
        ]
    );
}

#[test]
fn unsafe_urls_are_text() {
    for evil in [
        "[javascript:alert(1) x]",
        "[JaVaScRiPt:alert(1) x]",
        "[ javascript:alert(1) x]",
        "[java&#x09;script:alert(1) x]",
        "[data:text/html;base64,PHNjcmlwdD4= x]",
        "[vbscript:msgbox(1) x]",
        "{{cite web|url=javascript:alert(1)|title=t}}",
        "{{cite web|url=&#106;avascript:alert(1)|title=t}}",
        "[http://x.org\" onmouseover=\"alert(1) x]",
        "<span title='\" onclick=alert(1)'>s</span>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
    ] {
        let html = render(evil);
        let lower = html.to_ascii_lowercase();
        assert!(
            !lower.contains("href=\"javascript")
                && !lower.contains("href=\"data:")
                && !lower.contains("href=\"vbscript"),
            "{evil} -> {html}"
        );
        assert!(
            !lower.contains("<script")
                && !lower.contains("<img")
                && !lower.contains("<a href=\"javascript"),
            "{evil} -> {html}"
        );
        assert!(
            select(&html, "[onclick], [onmouseover], [onerror]").is_empty(),
            "{evil} -> {html}"
        );
    }
}

#[test]
fn unknown_templates_are_named_placeholders() {
    let html = render("{{Some box|a=<b>x</b>}}");
    assert_eq!(select(&html, ".template-placeholder"), ["{{Some box}}"]);
}

#[test]
fn toc_rules() {
    let three = "== a ==\n== b ==\n== c ==\n";
    let four = "== a ==\n== b ==\n== c ==\n== d ==\n";
    assert!(select(&render(three), "#toc").is_empty());
    assert_eq!(select(&render(four), "#toc").len(), 1);
    assert_eq!(
        select(&render(&format!("__FORCETOC__\n{three}")), "#toc").len(),
        1
    );
    assert!(select(&render(&format!("__NOTOC__\n{four}")), "#toc").is_empty());
    // __TOC__ places it where it stands.
    let html = render("== a ==\nx\n__TOC__\n== b ==\n");
    let toc_at = html.find("id=\"toc\"").unwrap_or(0);
    assert!(
        toc_at > html.find("id=\"a\"").unwrap_or(usize::MAX)
            && toc_at < html.find("id=\"b\"").unwrap_or(0)
    );
    // The caller can force or hide it.
    let exists = |_: &str| true;
    let mut options = RenderOptions::new(&exists);
    options.toc = TocMode::Force;
    assert!(
        article(&parse(three), &options)
            .into_string()
            .contains("id=\"toc\"")
    );
    options.toc = TocMode::Hide;
    assert!(
        !article(&parse(four), &options)
            .into_string()
            .contains("id=\"toc\"")
    );
}

#[test]
fn refs_without_references_are_listed_at_the_end() {
    let html = render("a<ref>one</ref> b<ref name=x>two</ref> c<ref name=x/>\n== S ==\n");
    assert_eq!(
        select(&html, "section.footnotes .reference-text"),
        ["one", "two"]
    );
    assert_eq!(select(&html, "sup.reference"), ["[1]", "[2]", "[2]"]);
}

#[test]
fn reflist_template_lists_refs() {
    let html = render("a<ref>one</ref>\n== Notes ==\n{{Reflist}}\n");
    assert_eq!(select(&html, "ol.references .reference-text"), ["one"]);
    assert!(select(&html, "section.footnotes").is_empty());
}

#[test]
fn sections_and_plain_text() {
    let doc = parse(
        "lead ''x''\n== A ==\n[[a|b]] c<ref>r</ref>\n=== A1 ===\n{{birth date|1944|2|1}}\n== B ==\nz\n",
    );
    let exists = |_: &str| true;
    let options = RenderOptions::new(&exists);
    let html = section(&doc, 1, &options).into_string();
    assert_eq!(select(&html, "h2, h3"), ["A", "A1"]);
    assert!(!html.contains(">z<"));
    assert_eq!(plain_text(&doc, 1), "A\n\nb c\n\nA1\n\n1 February 1944");
    assert_eq!(plain_text(&doc, 0), "lead x");
}

#[test]
fn entities_and_tags() {
    let html = render(
        "&amp;lt; &mdash; &#8212; &#x2014; <b>b</b> <span style=\"x\" title=\"t\">s</span> <foo>bar</foo> a<br/>b",
    );
    assert!(
        html.contains(
            "&amp;lt; — — — <b>b</b> <span title=\"t\">s</span> &lt;foo&gt;bar&lt;/foo&gt; a<br>b"
        ),
        "{html}"
    );
}

#[test]
fn structures_html() {
    let html = render(&fixture("structures.wiki"));
    assert!(select(&html, "#toc").is_empty());
    assert_eq!(
        select(&html, "pre"),
        ["preformatted line one\npreformatted line two"]
    );
    assert_eq!(select(&html, "dl dt"), ["Term"]);
    assert_eq!(select(&html, "ul > li > ol > li"), ["a.1", "a.2"]);
    assert_eq!(select(&html, "table table td"), ["inner"]);
    assert_eq!(select(&html, "a[href='/wiki/Cat']"), ["cats"]);
    assert_eq!(select(&html, ".figure-caption"), ["A caption with Link"]);
    assert_eq!(
        attrs(&html, "a.free", "href"),
        ["http://example.org/path_(x)"]
    );
    insta::assert_snapshot!("structures_html", html);
}

#[test]
fn definition_on_one_line() {
    let html = render("; Born: 1867\n; Died\n: 1934\n");
    assert_eq!(select(&html, "dt"), ["Born", "Died"]);
    assert_eq!(select(&html, "dd"), ["1867", "1934"]);
}

#[test]
fn broken_markup_stays_text() {
    let html = render(&fixture("broken.wiki"));
    assert_eq!(
        attrs(&html, "h2", "id"),
        ["Still_a_section", "Unterminated_comment"]
    );
    assert!(html.contains("Lead with an {{unclosed template and a [[broken link"));
    assert!(html.contains("&lt;script&gt;") && html.contains("[[Category:]]"));
    assert_eq!(select(&html, "table.infobox caption").len(), 1);
    insta::assert_snapshot!("broken_html", html);
}

#[test]
fn biography_helper_templates() {
    let html = render(
        "{{hlist|writer|[[Physics|physicist]]}} {{marriage|[[Pierre Curie]]|1895|1906|end=died}} {{URL|www.example.org}}\n{{plainlist|\n* [[A]]\n* B\n}}",
    );
    assert_eq!(select(&html, "ul.hlist li"), ["writer", "physicist"]);
    assert!(
        html.contains("Pierre Curie</a> (m. 1895; died. 1906)"),
        "{html}"
    );
    assert_eq!(
        attrs(&html, "a.external", "href"),
        ["https://www.example.org"]
    );
    assert_eq!(select(&html, "ul.plainlist li"), ["A", "B"]);
}

#[test]
fn apostrophes_follow_mediawiki() {
    assert!(
        render("l'''amour''").contains("l'<i>amour</i>"),
        "{}",
        render("l'''amour''")
    );
    assert!(render("'''''both'''''").contains("<i><b>both</b></i>"));
    assert!(
        render("''it'' '''bo''' ''x '''y''' z''")
            .contains("<i>it</i> <b>bo</b> <i>x <b>y</b> z</i>")
    );
    assert!(render("O'Brien's ''book''").contains("O'Brien's <i>book</i>"));
}

#[test]
fn file_and_category_links_are_known_by_every_name() {
    let text = "A [[Image:ada portrait.jpg|thumb|Ada in 1840]] and [[datei:engine.png]], \
                a [[Lêer:kaart.svg|thumb|map]].\n\
                [[Kategorie:Poets]][[Catégorie:mathématiciennes|Lovelace]][[category:People]]\n\
                [[talk:ada|her talk page]] [[:Kategorie:Poets|the poets]]";
    let doc = parse(text);
    assert_eq!(
        doc.links.categories,
        [
            ("Poets".to_owned(), None),
            ("mathématiciennes".to_owned(), Some("Lovelace".to_owned())),
            ("People".to_owned(), None),
        ]
    );
    assert_eq!(doc.links.links, ["talk:ada", "Kategorie:Poets"]);
    let html = render(text);
    assert_eq!(
        attrs(&html, "a.figure-missing", "href"),
        [
            "/upload?name=Ada+portrait.jpg",
            "/upload?name=Engine.png",
            "/upload?name=Kaart.svg"
        ]
    );
    assert_eq!(select(&html, ".figure-caption"), ["Ada in 1840", "map"]);
    let hrefs = attrs(&html, "a", "href");
    assert!(hrefs.contains(&"/wiki/Talk:Ada".to_owned()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"/wiki/Category:Poets".to_owned()),
        "{hrefs:?}"
    );
}
