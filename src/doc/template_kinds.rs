//! Wikipedia's own templates, by kind: which built-in treatment a template call gets when no
//! `Template:` page defines it. Wikipedia has thousands of templates (many of them Lua modules
//! no one will copy); an article brought from there needs the common ones to look right, and
//! most of them fall into a few kinds that are drawn alike.
//!
//! Names are compared as [`template_key`] gives them: lower case, spaces for `_`, without a
//! `Template:` prefix.

use std::collections::HashMap;

use crate::doc::{Param, plain_text};

/// What a template is, for drawing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// Page-level switches and maintenance notices: drawn as nothing.
    Invisible,
    /// Navigation boxes, sidebars, authority control, portals, stub notices: gathered into one
    /// collapsed box at the end of the page.
    Navigation,
    /// A note about other pages (`{{Main}}`, `{{See also}}`…): a block of its own.
    Hatnote(Hatnote),
    /// A link to another site (`{{Official website}}`, `{{IMDb name}}`…).
    ExternalLink,
    /// A citation (`{{cite web}}`, `{{citation}}`, `{{Internetquelle}}`…).
    Citation,
    /// A short reference to a work cited in full elsewhere (`{{harvnb}}`, `{{sfn}}`…).
    ShortCitation,
    /// An infobox.
    Infobox,
    /// A template that draws images (`{{multiple image}}`, `{{wide image}}`…): a figure.
    Figure,
    /// Anything else: a built-in inline template or an unknown one.
    Other,
}

/// The kinds of hatnote, for their lead-in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hatnote {
    /// `{{Main}}`: "Main article: …".
    Main,
    /// `{{See also}}`: "See also: …".
    SeeAlso,
    /// `{{Further}}`: "Further information: …".
    Further,
    /// `{{About}}`: "This article is about …. For …, see …".
    About,
    /// `{{Redirect}}`: "“X” redirects here. For …, see …".
    Redirect,
    /// `{{Distinguish}}`: "Not to be confused with …".
    Distinguish,
    /// `{{For}}`: "For …, see …".
    For,
}

/// A template's name as the kinds compare it: lower case, spaces for `_`, single spaces,
/// without a `Template:` prefix.
pub fn template_key(name: &str) -> String {
    let name = name.trim();
    if name.is_ascii() {
        ascii_template_key(name)
    } else {
        unicode_template_key(name)
    }
}

/// [`template_key`] the general way, for any name: Unicode lower case, in several passes.
fn unicode_template_key(name: &str) -> String {
    let lower = name.trim().replace('_', " ").to_lowercase();
    let bare = match lower.strip_prefix("template:") {
        Some(rest) => rest.trim(),
        None => lower.as_str(),
    };
    bare.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`template_key`] of a trimmed ASCII name, in one pass and one allocation (a parse asks for
/// the key of every template: issue 13 measured the general way at about 1 % of an import's
/// reading). `_` never matches a letter of `template:`, so the prefix is looked for first.
fn ascii_template_key(name: &str) -> String {
    let bare = match name.get(..9) {
        Some(head) if head.eq_ignore_ascii_case("template:") => &name[9..],
        _ => name,
    };
    let mut key = String::with_capacity(bare.len());
    let mut space = false;
    for b in bare.bytes() {
        if b == b'_' || char::from(b).is_whitespace() {
            space = !key.is_empty();
        } else {
            if space {
                key.push(' ');
                space = false;
            }
            key.push(char::from(b.to_ascii_lowercase()));
        }
    }
    key
}

const INVISIBLE: &[&str] = &[
    "short description",
    "engvarb",
    "engvara",
    "good article",
    "featured article",
    "lesenswert",
    "exzellent",
    "italic title",
    "lowercase title",
    "displaytitle",
    "defaultsort",
    "persondata",
    "personendaten",
    "refimprove",
    "more citations needed",
    "unreferenced",
    "unreferenced section",
    "original research",
    "inconsistent citations",
    "verify source",
    "better source",
    "better source needed",
    "expand list",
    "expand section",
    "multiple issues",
    "notability",
    "orphan",
    "dead end",
    "cleanup",
    "copy edit",
    "update",
    "one source",
    "primary sources",
    "pov",
    "advert",
    "coi",
    "tone",
    "fansite",
    "blp sources",
    "wikify",
    "underlinked",
    "compact toc",
    "toc limit",
    "toc right",
    "clear",
    "clr",
    "-",
    "anchor",
    "anker",
    "anchors",
    "refbegin",
    "refend",
    "div col end",
    "col-end",
    "col-begin",
    "col-break",
    "col-2",
    "col-3",
    "end",
    "stack end",
    "s-end",
    "fs end",
    "update after",
    "external links",
    "updated",
    "request quotation",
    "use dmy dates",
    "fs mid",
    "fs start",
    "scottish football updater",
    "featured list",
    "protection padlock",
    "subscription required",
    "registration required",
    "dmoz",
    "coord missing",
    "dablink",
    "bots",
    "nobots",
    "wikiquote",
    "interlanguage link multi",
];

const INVISIBLE_PREFIXES: &[&str] = &[
    "use ",
    "pp-",
    "pp ",
    "defaultsort:",
    "sortierung:",
    "displaytitle:",
    "italic title",
    "good article",
    "featured article",
    "engvar",
];

const NAVIGATION: &[&str] = &[
    "authority control",
    "normdaten",
    "portal",
    "portal bar",
    "portal-inline",
    "navboxes",
    "navbox",
    "naviblock",
    "sister project links",
    "sister project",
    "wikispecies",
    "wiktionary",
    "taxonbar",
    "s-start",
    "s-bef",
    "s-aft",
    "s-ttl",
    "s-off",
    "s-gov",
    "s-par",
    "s-ppo",
    "s-vac",
    "s-reg",
    "s-mil",
    "s-sports",
    "s-hou",
    "succession box",
    "navigationsleiste",
    "wikiatlas",
];

const NAVIGATION_SUFFIXES: &[&str] = &[
    "-stub", " stub", " navbox", " sidebar", " footer", " topics", " series",
];

/// `{{Main}}` and its cousins, with the German names the corpus uses.
const HATNOTES: &[(&str, Hatnote)] = &[
    ("main", Hatnote::Main),
    ("main article", Hatnote::Main),
    ("hauptartikel", Hatnote::Main),
    ("details", Hatnote::Further),
    ("see also", Hatnote::SeeAlso),
    ("seealso", Hatnote::SeeAlso),
    ("siehe auch", Hatnote::SeeAlso),
    ("further", Hatnote::Further),
    ("further2", Hatnote::Further),
    ("further information", Hatnote::Further),
    ("about", Hatnote::About),
    ("other uses", Hatnote::About),
    ("otheruses", Hatnote::About),
    ("redirect", Hatnote::Redirect),
    ("redirect-distinguish", Hatnote::Redirect),
    ("weiterleitungshinweis", Hatnote::Redirect),
    ("distinguish", Hatnote::Distinguish),
    ("for", Hatnote::For),
    ("other people", Hatnote::For),
    ("begriffsklärungshinweis", Hatnote::For),
];

/// Hatnote families whose variants (`2`, `-distinguish`…) read alike.
const HATNOTE_FAMILIES: &[(&str, Hatnote)] = &[
    ("redirect", Hatnote::Redirect),
    ("about", Hatnote::About),
    ("distinguish", Hatnote::Distinguish),
    ("other uses", Hatnote::About),
    ("for", Hatnote::For),
    ("main", Hatnote::Main),
    ("see also", Hatnote::SeeAlso),
    ("further", Hatnote::Further),
    ("related articles", Hatnote::SeeAlso),
];

const EXTERNAL_LINKS: &[&str] = &[
    "fide",
    "iep",
    "in our time",
    "lookfrom",
    "commonskategorie",
    "commonskategorie-inlyn",
    "commons",
    "commons category",
    "commonscat",
    "commons and category",
    "official website",
    "official",
    "imdb name",
    "imdb title",
    "imdb company",
    "allmovie name",
    "allmusic",
    "discogs artist",
    "twitter",
    "facebook",
    "instagram",
    "youtube",
    "find a grave",
    "c-span",
    "gutenberg author",
    "internet archive author",
    "librivox author",
    "iaaf name",
    "worldathletics",
    "soccerway",
    "national-football-teams",
    "fifa player",
    "olympedia",
    "sports-reference",
    "espncricinfo",
    "cricinfo",
    "reptiledatabase",
    "google books",
    "google buch",
    "sep entry",
    "dnb-portal",
    "isfdb name",
    "mathgenealogy",
    "worldcat id",
];

const CITATIONS: &[&str] = &[
    "iucn",
    "cite iucn",
    "citation",
    "internetquelle",
    "literatur",
    "webarchiv",
    "cite",
    "vcite web",
    "vcite book",
    "vcite journal",
    "vcite news",
];

/// Infoboxes in English, Afrikaans, Norwegian and Danish, and the taxobox.
const INFOBOX_PREFIXES: &[&str] = &["infobox", "taxobox", "inligtingskas", "infoboks"];

/// Links to a profile on another site, by the way their names end (`{{IAFD name}}`,
/// `{{Chessgames player}}`, `{{TED speaker}}`, `{{Baseballstats}}`, `{{StortingetBio}}`).
const EXTERNAL_SUFFIXES: &[&str] = &[
    " name", " player", " speaker", " author", "bio", "stats", " profile", " link", "-inline",
];

/// Templates that draw images: shown as figures.
const FIGURES: &[&str] = &[
    "multiple image",
    "double image",
    "triple image",
    "wide image",
    "image frame",
    "chess diagram",
    "css image crop",
    "panorama",
];

const SHORT_CITATIONS: &[&str] = &[
    "harvnb",
    "harv",
    "harvp",
    "harvtxt",
    "harvs",
    "harvcol",
    "harvcolnb",
    "sfn",
    "sfnp",
    "sfnm",
    "rp",
];

/// The kind of template `key` (as [`template_key`] gives it) names. An article calls
/// templates by the hundred (issue 13: an import classifies every call on its reading threads):
/// the names listed whole are looked up in one map, only the others go through the prefix and
/// suffix rules.
pub fn kind_of(key: &str) -> TemplateKind {
    static LISTED: std::sync::LazyLock<HashMap<&'static str, TemplateKind>> =
        std::sync::LazyLock::new(|| {
            listed_names()
                .map(|name| (name, kind_by_rules(name, Lists::Consulted)))
                .collect()
        });
    match LISTED.get(key) {
        Some(&kind) => kind,
        None => kind_by_rules(key, Lists::Skipped),
    }
}

/// Every name the lists give whole.
fn listed_names() -> impl Iterator<Item = &'static str> {
    let lists = [
        CITATIONS,
        SHORT_CITATIONS,
        INVISIBLE,
        NAVIGATION,
        EXTERNAL_LINKS,
        FIGURES,
    ];
    let hatnotes = HATNOTES.iter().map(|(name, _)| *name);
    lists.into_iter().flatten().copied().chain(hatnotes)
}

/// Whether [`kind_by_rules`] looks a name up in the lists of whole names: skipped for a name
/// in none of them, which only the prefix and suffix rules can classify.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lists {
    Consulted,
    Skipped,
}

/// The kind of template `key` names, by the rules in their order (the first that holds).
fn kind_by_rules(key: &str, lists: Lists) -> TemplateKind {
    let listed = |list: &[&str]| lists == Lists::Consulted && list.contains(&key);
    if INFOBOX_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return TemplateKind::Infobox;
    }
    if key.starts_with("cite ") || listed(CITATIONS) {
        return TemplateKind::Citation;
    }
    if listed(SHORT_CITATIONS) {
        return TemplateKind::ShortCitation;
    }
    let hatnote = HATNOTES
        .iter()
        .find(|(n, _)| lists == Lists::Consulted && *n == key);
    if let Some((_, h)) = hatnote {
        return TemplateKind::Hatnote(*h);
    }
    // Numbered and combined variants: `{{Redirect2}}`, `{{About-distinguish2}}`, `{{For2}}`.
    if let Some((_, h)) = HATNOTE_FAMILIES.iter().find(|(n, _)| {
        key.strip_prefix(n)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', ' ', '1', '2', '3', '4']))
    }) {
        return TemplateKind::Hatnote(*h);
    }
    if listed(INVISIBLE) || INVISIBLE_PREFIXES.iter().any(|p| key.starts_with(p)) {
        return TemplateKind::Invisible;
    }
    if listed(NAVIGATION)
        || NAVIGATION_SUFFIXES.iter().any(|s| key.ends_with(s))
        || key.starts_with("portal")
        || key.starts_with("navbox")
    {
        return TemplateKind::Navigation;
    }
    if listed(EXTERNAL_LINKS) || EXTERNAL_SUFFIXES.iter().any(|s| key.ends_with(s)) {
        return TemplateKind::ExternalLink;
    }
    if listed(FIGURES) {
        return TemplateKind::Figure;
    }
    TemplateKind::Other
}

/// The parameters naming an infobox's portrait, first found first (as the renderer reads them).
pub const PORTRAIT_PARAMETERS: [&str; 3] = ["image", "photo", "bild"];

/// The files a figure template shows (see [`figure_files`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FigureFiles {
    /// `image1`…`image10` (or `file1`…), each with its number (its caption's).
    Several(Vec<(usize, String)>),
    /// One file: `image`, `file`, else the first positional parameter (if any).
    One(Option<String>),
}

/// The trimmed plain text of the first parameter named one of `names` (ASCII case ignored)
/// that has some.
fn named_text(params: &[Param<'_>], names: &[&str]) -> Option<String> {
    params
        .iter()
        .filter(|p| {
            p.name
                .as_deref()
                .is_some_and(|n| names.iter().any(|w| n.trim().eq_ignore_ascii_case(w)))
        })
        .map(|p| plain_text(&p.value).trim().to_owned())
        .find(|text| !text.is_empty())
}

/// The files a figure template's parameters name, as the renderer draws them and the parser
/// records them (one reading for both).
pub fn figure_files(params: &[Param<'_>]) -> FigureFiles {
    let several: Vec<(usize, String)> = (1..=10)
        .filter_map(|i| {
            named_text(params, &[&format!("image{i}"), &format!("file{i}")]).map(|f| (i, f))
        })
        .collect();
    if !several.is_empty() {
        return FigureFiles::Several(several);
    }
    let one = named_text(params, &["image", "file"]).or_else(|| {
        params
            .iter()
            .find(|p| p.name.is_none())
            .map(|p| plain_text(&p.value).trim().to_owned())
            .filter(|f| !f.is_empty())
    });
    FigureFiles::One(one)
}

/// The files a call of a template of kind `kind` ([`kind_of`] its key) shows: an infobox's
/// portrait, a figure template's images (a single name that is no file name, without a `.`,
/// is none).
pub fn files_shown(kind: TemplateKind, params: &[Param<'_>]) -> Vec<String> {
    match kind {
        TemplateKind::Infobox => named_text(params, &PORTRAIT_PARAMETERS)
            .into_iter()
            .collect(),
        TemplateKind::Figure => match figure_files(params) {
            FigureFiles::Several(files) => files.into_iter().map(|(_, f)| f).collect(),
            FigureFiles::One(file) => file.filter(|f| f.contains('.')).into_iter().collect(),
        },
        _ => Vec::new(),
    }
}

/// Whether a template of kind `kind` ([`kind_of`] its key) links its positional parameters as
/// pages (hatnotes do).
pub fn links_its_parameters(kind: TemplateKind) -> bool {
    matches!(kind, TemplateKind::Hatnote(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_compared_as_keys() {
        assert_eq!(template_key(" Template:See_also "), "see also");
        assert_eq!(template_key("Cite  web"), "cite web");
    }

    #[test]
    fn an_ascii_name_has_the_key_the_general_way_gives() {
        for name in [
            "_Template:Foo",
            "Template:_Foo_ bar__",
            "TEMPLATE:\tCite\x0bweb\x0c",
            "template :foo",
            "Template:",
            "template:template:x",
            "  Reflist  ",
            "a_\r\n_b",
            "Templat",
            "_",
            "",
        ] {
            assert_eq!(template_key(name), unicode_template_key(name), "{name:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn any_ascii_name_has_the_key_the_general_way_gives(
            name in "(Template:|template:|TEMPLATE:|_| |\t|\x0b|\r|[A-Za-z0-9:_ -]){0,24}"
        ) {
            proptest::prop_assert_eq!(template_key(&name), unicode_template_key(&name));
        }
    }

    #[test]
    fn the_map_of_listed_names_answers_as_the_rules_do() {
        let others = [
            "lang",
            "convert",
            "infobox person",
            "cite web",
            "redirect2",
            "for2",
            "pp-move",
            "use dmy dates",
            "x navbox",
            "portal bar",
            "imdb name",
            "chess diagram",
            "main",
            "further2",
            "seealso",
            "anchor",
            "sfn",
            "",
            "about-distinguish2",
        ];
        for name in listed_names().chain(others) {
            assert_eq!(
                kind_of(name),
                kind_by_rules(name, Lists::Consulted),
                "{name}"
            );
        }
        // Listed names a prefix rule claims first keep that rule's kind.
        assert_eq!(kind_of("portal"), TemplateKind::Navigation);
        assert_eq!(
            kind_of("redirect-distinguish"),
            TemplateKind::Hatnote(Hatnote::Redirect)
        );
    }

    #[test]
    fn each_kind_has_its_templates() {
        let kind = |name: &str| kind_of(&template_key(name));
        assert_eq!(kind("Use dmy dates"), TemplateKind::Invisible);
        assert_eq!(kind("pp-move-indef"), TemplateKind::Invisible);
        assert_eq!(kind("Short description"), TemplateKind::Invisible);
        assert_eq!(kind("EngvarB"), TemplateKind::Invisible);
        assert_eq!(kind("SORTIERUNG:Lovelace, Ada"), TemplateKind::Invisible);
        assert_eq!(kind("Authority control"), TemplateKind::Navigation);
        assert_eq!(kind("Poland-athletics-bio-stub"), TemplateKind::Navigation);
        assert_eq!(kind("Portal"), TemplateKind::Navigation);
        assert_eq!(kind("Main"), TemplateKind::Hatnote(Hatnote::Main));
        assert_eq!(kind("See also"), TemplateKind::Hatnote(Hatnote::SeeAlso));
        assert_eq!(kind("Redirect2"), TemplateKind::Hatnote(Hatnote::Redirect));
        assert_eq!(
            kind("About-distinguish2"),
            TemplateKind::Hatnote(Hatnote::About)
        );
        assert_eq!(kind("Format"), TemplateKind::Other);
        assert_eq!(kind("IAFD name"), TemplateKind::ExternalLink);
        assert_eq!(kind("Multiple image"), TemplateKind::Figure);
        assert_eq!(kind("Inligtingskas Persoon"), TemplateKind::Infobox);
        assert_eq!(kind("Official website"), TemplateKind::ExternalLink);
        assert_eq!(kind("cite web"), TemplateKind::Citation);
        assert_eq!(kind("Internetquelle"), TemplateKind::Citation);
        assert_eq!(kind("Harvnb"), TemplateKind::ShortCitation);
        assert_eq!(kind("Infobox person"), TemplateKind::Infobox);
        assert_eq!(kind("convert"), TemplateKind::Other);
        assert_eq!(kind("Nosuchtemplate"), TemplateKind::Other);
    }
}
