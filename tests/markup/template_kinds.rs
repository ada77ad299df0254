//! Wikipedia's templates by kind, with no `Template:` page (issue 14): each kind drawn as
//! Wikipedia draws it, checked with CSS selectors on fixtures of our own.

use plutarch::markup::parse;
use plutarch::render::{RenderOptions, article};

use super::common::{attrs, render, texts as select};

#[test]
fn page_level_and_maintenance_templates_draw_nothing() {
    let html = render(
        "{{Short description|A painter}}\n{{Use dmy dates|date=May 2020}}\n{{pp-move-indef}}\n\
         {{EngvarB}}\n{{Good article}}\n{{Refimprove|date=2019}}\nAda paints.",
    );
    assert!(select(&html, ".template-placeholder").is_empty(), "{html}");
    assert_eq!(select(&html, "p").concat().trim(), "Ada paints.");
    assert!(!html.contains("A painter"));
}

#[test]
fn navigation_templates_gather_in_one_collapsed_box_at_the_end() {
    let html = render(
        "Ada paints.\n\n== Life ==\nText.\n\n{{Painters of Ruritania}}\n{{Authority control}}\n\
         {{Portal|Art|Biography}}\n{{Ruritania-painter-stub}}\n[[Category:Painters]]",
    );
    assert!(select(&html, ".template-placeholder").is_empty(), "{html}");
    assert_eq!(select(&html, "details.navboxes").len(), 1);
    assert_eq!(
        select(&html, "details.navboxes li"),
        [
            "Painters of Ruritania",
            "Authority control",
            "Portals: Art, Biography",
            "Ruritania-painter-stub"
        ]
    );
    // The box comes after the text and before the categories.
    let navbox = html.find("navboxes").unwrap_or(0);
    assert!(navbox > html.find("Text.").unwrap_or(usize::MAX));
    assert!(navbox < html.find("catlinks").unwrap_or(0));
}

#[test]
fn hatnotes_are_blocks_with_links_that_know_whether_pages_exist() {
    let text = "== Career ==\n{{Main|Painting in Ruritania|Missing school}}\n\
                {{See also|Ada's brush}}\nShe painted.\n{{Further|Missing book}}\n\
                {{Distinguish|Ada the baker}}";
    let html = render(text);
    assert_eq!(
        select(&html, "div.hatnote"),
        [
            "Main articles: Painting in Ruritania and Missing school",
            "See also: Ada's brush",
            "Further information: Missing book",
            "Not to be confused with Ada the baker."
        ]
    );
    assert_eq!(
        attrs(&html, "div.hatnote a.new", "href"),
        ["/wiki/Missing_school/edit", "/wiki/Missing_book/edit"]
    );
    assert_eq!(select(&html, "p"), ["She painted."]);
    // Recorded as links of the page, as MediaWiki does.
    let links = parse(text).links.links;
    for page in [
        "Painting in Ruritania",
        "Missing school",
        "Ada's brush",
        "Missing book",
    ] {
        assert!(links.iter().any(|l| l == page), "{page} in {links:?}");
    }
}

#[test]
fn external_link_templates_are_links() {
    let html = render(
        "* {{Official website|https://ada.example.org}}\n* {{IMDb name|0000001|Ada Lovelace}}\n\
         * {{Commons category|Ada Lovelace}}",
    );
    assert_eq!(
        attrs(&html, "a.external", "href"),
        [
            "https://ada.example.org",
            "https://www.imdb.com/name/nm0000001/",
            "https://commons.wikimedia.org/wiki/Category:Ada_Lovelace"
        ]
    );
    assert_eq!(
        select(&html, "a.external"),
        [
            "Official website",
            "Ada Lovelace at IMDb",
            "Media related to Ada Lovelace at Wikimedia Commons"
        ]
    );
}

#[test]
fn citations_follow_wikipedias_style() {
    let html = render(
        "Ada.<ref>{{cite news|last=Smith|first=Jo|title=A painter's life|work=The Daily Example\
         |date=2 May 2001|url=https://news.example.org/a|archive-url=https://archive.example.org/a\
         |archive-date=3 May 2002|access-date=4 May 2020}}</ref> \
         Bob.<ref>{{cite book|last=Jones|title=Brushes|publisher=Example Press|year=1999|pages=5-9|isbn=978-0-00-000000-0}}</ref>\n\
         {{reflist}}",
    );
    let cites = select(&html, "cite.citation");
    assert_eq!(
        cites[0],
        "Smith, Jo (2 May 2001). \u{201c}A painter's life\u{201d}. The Daily Example. \
         Archived from the original on 3 May 2002. Retrieved 4 May 2020. "
    );
    assert_eq!(
        select(&html, "cite.citation i"),
        ["The Daily Example", "Brushes"]
    );
    assert!(cites[1].contains("pp. 5\u{2013}9"), "{}", cites[1]);
    assert!(cites[1].contains("ISBN 978-0-00-000000-0"));
    assert_eq!(
        attrs(&html, "cite.citation a.external", "href"),
        [
            "https://news.example.org/a",
            "https://archive.example.org/a"
        ]
    );
}

#[test]
fn short_citations_and_notes_are_footnotes() {
    let html = render(
        "Ada.{{sfn|Smith|2001|p=5}} Again.{{sfn|Smith|2001|p=5}} Note.{{efn|An aside.}} \
         Ref.{{#tag:ref|Tagged.|name=t}} Page.<ref>{{harvnb|Smith|Jones|2001|pp=3-4}}</ref>{{rp|12}}\n\
         {{reflist}}",
    );
    assert!(select(&html, ".template-placeholder").is_empty(), "{html}");
    assert_eq!(
        select(&html, "ol.references .reference-text"),
        [
            "Smith 2001, p. 5.",
            "Tagged.",
            "Smith & Jones 2001, pp. 3\u{2013}4.",
            // `{{efn}}` notes are their own lettered group, listed at the end without a notelist.
            "An aside.",
        ]
    );
    // The two identical short citations share one footnote.
    assert_eq!(
        select(&html, "sup.reference a"),
        ["[1]", "[1]", "[a]", "[2]", "[3]"]
    );
    assert_eq!(select(&html, "sup.reference-page"), [":12"]);
}

#[test]
fn inline_templates_give_their_text() {
    let html = render(
        "A {{convert|19000|sqft|m2}} hall, {{lang|fr|la vie}}, {{lang-de|Leben}}, \
         {{nowrap|one line}}, 1900{{ndash}}1950{{snd}}then, {{flagicon|ESP}} {{hlist|a|b}} \
         {{IPAc-en|ˈ|æ|d|ə}}",
    );
    assert!(select(&html, ".template-placeholder").is_empty(), "{html}");
    assert_eq!(select(&html, ".convert"), ["19,000 sq ft (1,800 m²)"]);
    assert_eq!(attrs(&html, "span[lang]", "lang"), ["fr", "de"]);
    assert!(html.contains("German: <span lang=\"de\">Leben</span>"));
    assert!(html.contains("1900\u{2013}1950\u{a0}\u{2013} then"));
    assert_eq!(select(&html, ".flagicon"), ["Spain"]);
    assert_eq!(select(&html, "ul.hlist li"), ["a", "b"]);
    assert_eq!(select(&html, ".ipa"), ["/ˈædə/"]);
}

#[test]
fn dates_show_ages_and_their_day_order() {
    let html = render(
        "Born {{birth date|1815|12|10|df=y}}; died {{death date and age|1852|11|27|1815|12|10}}; \
         also {{death date and age|1852|11|27|1815|12|10|df=yes}}.",
    );
    assert_eq!(
        select(&html, ".date"),
        [
            "10 December 1815",
            "November 27, 1852 (aged 36)",
            "27 November 1852 (aged 36)"
        ]
    );
    let html = render("{{birth date and age|1990|1|1}}");
    assert!(select(&html, ".date")[0].starts_with("January 1, 1990 (age "));
}

#[test]
fn unknown_templates_stay_visible_placeholders() {
    let html = render("Text {{No such template here|x}} more.");
    assert_eq!(
        select(&html, ".template-placeholder"),
        ["{{No such template here}}"]
    );
}

const INFOBOX: &str = "{{Infobox officeholder
| name = Ada Example
| image = Ada.jpg
| image_size = 220px
| caption = Ada in 1840
| birth_name = Augusta Ada
| birth_date = {{birth date|1815|12|10|df=y}}
| birth_place = [[London]]
| death_date = {{death date and age|1852|11|27|1815|12|10|df=y}}
| death_place = Marylebone
| office = Mayor of Example
| term_start = 1840
| term_end = 1845
| predecessor = Bob
| office2 = Governor of Sample
| term_start2 = 1846
| term_end2 = 1850
| successor2 = Carol
| spouse = William
| alma_mater = Home
| awards = * One prize
* Another prize
| years1 = 1830–1835 | clubs1 = [[Example FC]] | caps1 = 40 | goals1 = 3
| years2 = 1835–1836 | clubs2 = Sample United | caps2 = 12 | goals2 = 0
}}
Ada Example was a mayor.";

#[test]
fn infoboxes_group_numbered_parameters_and_hide_layout() {
    let html = render(INFOBOX);
    assert_eq!(select(&html, "table.infobox caption"), ["Ada Example"]);
    assert_eq!(
        select(&html, "table.infobox .figure-caption"),
        ["Ada in 1840"]
    );
    assert_eq!(
        select(&html, "table.infobox .figure-missing"),
        ["File:Ada.jpg"]
    );
    let labels = select(
        &html,
        "table.infobox > tbody > tr > th[scope=row], table.infobox > tr > th[scope=row]",
    );
    for label in &labels {
        assert!(
            !label.chars().any(|c| c.is_ascii_digit() || c == '_'),
            "{label}"
        );
        assert!(!["Image", "Caption", "Image size", "Name"].contains(&label.as_str()));
    }
    for wanted in [
        "Born",
        "Died",
        "In office",
        "Predecessor",
        "Successor",
        "Spouse(s)",
        "Alma mater",
    ] {
        assert!(labels.iter().any(|l| l == wanted), "{wanted} in {labels:?}");
    }
    assert!(
        select(&html, "table.infobox td")
            .iter()
            .any(|t| t == "Augusta Ada10 December 1815London")
    );
    assert_eq!(
        select(&html, "table.infobox th.infobox-header"),
        ["Mayor of Example", "Governor of Sample", "Senior career"]
    );
    assert_eq!(
        select(&html, "ul.infobox-list li"),
        ["One prize", "Another prize"]
    );
    assert_eq!(
        select(&html, "table.infobox-career td"),
        [
            "1830–1835",
            "Example FC",
            "40",
            "(3)",
            "1835–1836",
            "Sample United",
            "12",
            "(0)"
        ]
    );
}

#[test]
fn an_infobox_without_a_name_takes_the_page_title() {
    let doc = parse("{{Infobox person\n| occupation = Painter\n}}\nText.");
    let exists = |_: &str| true;
    let options = RenderOptions {
        page_title: Some("Ada Example"),
        ..RenderOptions::new(&exists)
    };
    let html = article(&doc, &options).into_string();
    assert_eq!(select(&html, "table.infobox caption"), ["Ada Example"]);
    assert_eq!(select(&html, "table.infobox th"), ["Occupation"]);
}

#[test]
fn files_are_figures_with_captions_and_missing_ones_are_framed() {
    let html = render(
        "[[File:Ada portrait.jpg|thumb|right|200px|alt=A woman|Ada in 1840]] Text.\n\n\
         [[Datei:Haus.png|mini|Ein Haus]]",
    );
    assert_eq!(
        select(&html, ".figure.thumb .figure-caption"),
        ["Ada in 1840", "Ein Haus"]
    );
    assert_eq!(
        select(&html, ".figure.thumb .figure-missing"),
        ["File:Ada portrait.jpg", "File:Haus.png"]
    );
    assert_eq!(
        attrs(&html, ".figure-missing", "href"),
        ["/upload?name=Ada+portrait.jpg", "/upload?name=Haus.png"]
    );
}

#[test]
fn tables_keep_spans_alignment_and_sorting_as_classes() {
    let html = render(
        "{| class=\"wikitable sortable\"\n! rowspan=2 | Year !! colspan=\"2\" style=\"text-align: center\" | Prize\n\
         |-\n| align=right | 1903 || Physics || Shared\n|-\n| 1911 || colspan=3 | Chemistry\n|}",
    );
    assert_eq!(select(&html, "table.wikitable.sortable").len(), 1);
    assert_eq!(attrs(&html, "th[rowspan]", "rowspan"), ["2"]);
    assert_eq!(select(&html, "th[colspan='2'].align-center"), ["Prize"]);
    assert_eq!(select(&html, "td.align-right"), ["1903"]);
    assert_eq!(select(&html, "td[colspan='3']"), ["Chemistry"]);
    // No inline style reaches the page.
    assert!(!html.contains("style="), "{html}");
}

#[test]
fn unknown_templates_are_drawn_by_what_they_look_like_and_where_they_stand() {
    let html = render(
        "Ada sailed from {{lbx|Porthmere}} and {{Lbq|Alpha|B2}} with {{Ruritanian Painters League}}.\n\n\
         * {{Ruritanien}}: 3 boats\n* {{DEU-1935}}: 2 boats\n\n\
         {{Painting in words|Related}}\n\
         A census.<ref>{{RuriCensus|unit=town|3520}}</ref> {{Odd template|a=1|b=2}}\n\n\
         == References ==\n<references/>\n\n\
         {{Regatta report\n| Previous = [[Regatta 1901]]\n| Next = [[Regatta 1903]]\n}}\n",
    );
    // Shorthands of one or two plain words show their first word.
    assert_eq!(select(&html, "span.shorthand"), ["Porthmere", "Alpha"]);
    // Flag templates named by a country (or its code with a flag's year) show the country.
    assert_eq!(select(&html, "li span.flagicon"), ["Ruritanien", "Germany"]);
    // In a footnote, an unknown template is the source it names.
    assert_eq!(
        select(&html, ".reference-text cite.named-source"),
        ["RuriCensus: unit town, 3520."]
    );
    // Named like a navigation box (three words, no parameters), like a sidebar (words and a
    // short parameter, alone on its line), or alone among the sections a page ends with: in
    // the box at the end.
    assert_eq!(
        select(&html, "details.navboxes li"),
        [
            "Ruritanian Painters League",
            "Painting in words",
            "Regatta report"
        ]
    );
    assert!(!html.contains("Related"), "{html}");
    // Anything else stays a visible placeholder.
    assert_eq!(select(&html, ".template-placeholder"), ["{{Odd template}}"]);
}
