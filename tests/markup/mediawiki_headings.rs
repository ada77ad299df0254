//! MediaWiki's own heading tests (`../shared/corpus/mediawiki-parser-tests/headings.txt`):
//! for every case whose sections all come from the page's own text, our outline must give
//! the same levels, TOC numbers, anchors, offsets and titles.

use plutarch::markup::outline;

use super::common::shared;

struct Case {
    name: String,
    wikitext: String,
    /// (level, number, anchor, offset in code points, title as HTML)
    sections: Vec<(u8, String, String, usize, String)>,
    all_from_text: bool,
}

fn field<'a>(line: &'a str, key: &str) -> &'a str {
    let Some(at) = line.find(key) else { return "" };
    let rest = &line[at + key.len()..];
    match [
        " toclevel:",
        " number:",
        " title:",
        " off:",
        " anchor/linkAnchor:",
        " line:",
    ]
    .iter()
    .filter_map(|k| rest.find(k))
    .min()
    {
        Some(end) => &rest[..end],
        None => rest,
    }
}

fn cases(text: &str) -> Vec<Case> {
    let mut out = Vec::new();
    for block in text.split("\n!! test\n").skip(1) {
        let name = block.lines().next().unwrap_or("").to_string();
        let Some(w) = block.find("\n!! wikitext\n") else {
            continue;
        };
        let after = &block[w + "\n!! wikitext\n".len()..];
        let wikitext = after[..after.find("\n!! ").unwrap_or(after.len())].to_string();
        // The PHP parser's metadata is the reference (Parsoid's differs on HTML headings).
        let meta = ["\n!! metadata\n", "\n!! metadata/php\n"]
            .iter()
            .find_map(|m| block.find(m).map(|at| &block[at + m.len()..]));
        let Some(meta) = meta else { continue };
        let meta = &meta[..meta.find("\n!! ").unwrap_or(meta.len())];
        let mut sections = Vec::new();
        let mut all_from_text = true;
        for line in meta
            .lines()
            .filter(|l| l.trim_start().starts_with('h') && l.contains(" index:"))
        {
            let trimmed = line.trim_start();
            let level = trimmed[1..2].parse().unwrap_or(0);
            let index = field(line, " index:");
            if index.parse::<usize>().is_err() {
                all_from_text = false;
                continue;
            }
            sections.push((
                level,
                field(line, " number:").to_string(),
                field(line, " anchor/linkAnchor:").to_string(),
                field(line, " off:").parse().unwrap_or(usize::MAX),
                field(line, " line:").to_string(),
            ));
        }
        if !meta.contains("Sections:") {
            continue;
        }
        out.push(Case {
            name,
            wikitext,
            sections,
            all_from_text,
        });
    }
    out
}

fn strip_html(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Cases outside what we promise, with the reason.
const SKIPPED: [(&str, &str); 6] = [
    (
        "TOC with french spacing (T324763)",
        "French typography (no-break spaces before « » ? !) is not applied",
    ),
    (
        "1. Ensure sections in extensions are ignored + TOC is inserted outside extensions",
        "<spantag> is an extension only the test harness defines",
    ),
    (
        "Handle extension content in section headers properly (non-Cite version)",
        "an extension tag that only the test harness defines",
    ),
    (
        "Section headings with TOC, language conversion rules, and displaytitle",
        "language conversion -{ }- is not supported",
    ),
    (
        "Ensure headings with special chars get the right anchors",
        "a level-1 heading on the first line is our document title",
    ),
    (
        "Decoding of HTML entities in headings and links for IDs and link fragments (T103714)",
        "MediaWiki decodes entities twice for ids; we decode once",
    ),
];

#[test]
fn mediawiki_heading_cases() {
    let Some(path) = shared("corpus/mediawiki-parser-tests/headings.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("UTF-8");
    let (mut checked, mut skipped) = (0, 0);
    let mut failures = Vec::new();
    for case in cases(&text) {
        if let Some((_, why)) = SKIPPED.iter().find(|(n, _)| *n == case.name) {
            println!("skipped {:?}: {why}", case.name);
            skipped += 1;
            continue;
        }
        if !case.all_from_text {
            println!(
                "skipped {:?}: headings from templates or HTML <hN> tags",
                case.name
            );
            skipped += 1;
            continue;
        }
        let o = outline(&case.wikitext);
        let got: Vec<(u8, String, String, usize, String)> = o
            .sections
            .iter()
            .skip(1)
            .map(|s| {
                (
                    s.level,
                    s.number.clone(),
                    s.anchor.clone(),
                    case.wikitext[..s.byte_start].chars().count(),
                    s.title.clone(),
                )
            })
            .collect();
        let want: Vec<(u8, String, String, usize, String)> = case
            .sections
            .iter()
            .map(|(l, n, a, off, line)| (*l, n.clone(), a.clone(), *off, strip_html(line)))
            .collect();
        if got != want {
            failures.push(format!("{}:\n  got  {got:?}\n  want {want:?}", case.name));
        }
        checked += 1;
    }
    println!("checked {checked} cases, skipped {skipped}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 10, "only {checked} cases checked");
}

/// The `(level, id)` of each `<hN id="…">` in Parsoid's HTML (HTML5 ids, as ours).
fn parsoid_headings(block: &str) -> Option<Vec<(u8, String)>> {
    let at = block.find("\n!! html/parsoid\n")?;
    let html = &block[at..];
    let html = &html[..html[1..].find("\n!! ").map_or(html.len(), |n| n + 1)];
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        let level = rest.as_bytes().first().copied().filter(u8::is_ascii_digit);
        let Some(level) = level else { continue };
        let Some(id_at) = rest.find(" id=") else {
            break;
        };
        if rest[..id_at].contains('>') {
            continue;
        }
        let quote = rest[id_at + 4..].chars().next().unwrap_or('"');
        let id = &rest[id_at + 5..];
        let id = &id[..id.find(quote).unwrap_or(id.len())];
        let id = id
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&");
        out.push((level - b'0', id));
    }
    Some(out)
}

/// Parsoid cases outside what we promise, with the reason.
const PARSOID_SKIPPED: [(&str, &str); 4] = [
    (
        "T198618: style element in ToC",
        "<style> is not an allowed tag: shown as text, not dropped",
    ),
    (
        "Heading with line break in nowiki",
        "a heading line ends at its first newline outside a comment",
    ),
    (
        "Heading with nonbreaking space in prefix/suffix (T235684)",
        "a no-break space at the ends of a title is trimmed",
    ),
    (
        "Editable headings can only have trailing comments and whitespace",
        "other trailing text makes the line a paragraph (issue 3)",
    ),
];

#[test]
fn mediawiki_heading_ids_from_parsoid_html() {
    let Some(path) = shared("corpus/mediawiki-parser-tests/headings.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).expect("UTF-8");
    let (mut checked, mut failures) = (0, Vec::new());
    for block in text.split("\n!! test\n").skip(1) {
        let name = block.lines().next().unwrap_or("");
        let Some(w) = block.find("\n!! wikitext\n") else {
            continue;
        };
        let after = &block[w + "\n!! wikitext\n".len()..];
        let wikitext = &after[..after.find("\n!! ").unwrap_or(after.len())];
        let out_of_scope = [
            "{{",
            "<h",
            "-{",
            "spantag",
            "<tag",
            "<span id",
            "__NOEDITSECTION__",
            "&#",
        ]
        .iter()
        .find(|m| wikitext.contains(*m));
        if let Some(m) = out_of_scope {
            println!("skipped {name:?}: uses {m}");
            continue;
        }
        if let Some((_, why)) = PARSOID_SKIPPED.iter().find(|(n, _)| *n == name) {
            println!("skipped {name:?}: {why}");
            continue;
        }
        let Some(want) = parsoid_headings(block) else {
            continue;
        };
        let o = outline(wikitext);
        if o.title.is_some() {
            println!("skipped {name:?}: a level-1 heading on the first line is our document title");
            continue;
        }
        let got: Vec<(u8, String)> = o
            .sections
            .iter()
            .skip(1)
            .map(|s| (s.level, s.anchor.clone()))
            .collect();
        if got != want {
            failures.push(format!("{name}:\n  got  {got:?}\n  want {want:?}"));
        }
        checked += 1;
    }
    println!("checked {checked} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
