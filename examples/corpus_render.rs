//! The measure of issue 14: how Wikipedia's articles look once rendered. Reads
//! `../shared/corpus/wikipedia/*.txt` (or the folder given), parses and renders each page as
//! the wiki does (expanded with no template pages, then parsed; links to pages of the corpus
//! exist, others are missing), and counts per
//! page, in the HTML:
//!
//! - placeholder boxes of unknown templates;
//! - raw markup leaking into the text (`{{`, `}}`, `[[`, `]]`, `{|`, `|}`, `'''`, `<ref`),
//!   outside placeholders and code;
//! - footnotes holding a placeholder;
//! - infobox rows labelled with a raw parameter name (a digit or `_` in the label, or a layout
//!   parameter).
//!
//! Prints one line per page with anything found, the totals, the same for the biographies
//! listed in `../shared/corpus/biographies.txt`, and the most frequent placeholder names.
//!
//!     cargo run --example corpus_render [-- FOLDER] [--names N] [--html OUT_DIR]
//!
//! `--html OUT_DIR` also writes each rendered page there, with the stylesheet, to look at.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use plutarch::markup::expansion::expand;
use plutarch::markup::preprocess::{Day, NoTemplates, PageContext};
use plutarch::render::{RenderOptions, article, normalize_title};

/// What the measure finds on one page.
#[derive(Default, Debug, Clone, Copy)]
struct Findings {
    placeholders: usize,
    raw_markup: usize,
    footnotes: usize,
    footnotes_with_placeholder: usize,
    raw_infobox_rows: usize,
}

impl Findings {
    fn any(&self) -> bool {
        self.placeholders
            + self.raw_markup
            + self.footnotes_with_placeholder
            + self.raw_infobox_rows
            > 0
    }

    fn add(&mut self, other: &Findings) {
        self.placeholders += other.placeholders;
        self.raw_markup += other.raw_markup;
        self.footnotes += other.footnotes;
        self.footnotes_with_placeholder += other.footnotes_with_placeholder;
        self.raw_infobox_rows += other.raw_infobox_rows;
    }
}

const PLACEHOLDER: &str = "class=\"template-placeholder\"";
const RAW: [&str; 8] = ["{{", "}}", "[[", "]]", "{|", "|}", "'''", "<ref"];
const LAYOUT: [&str; 10] = [
    "Image",
    "Caption",
    "Alt",
    "Image size",
    "Imagesize",
    "Module",
    "Embed",
    "Signature",
    "Name",
    "Landscape",
];

/// The text outside tags, with placeholders, `<code>` and `<pre>` left out, entities decoded.
fn visible_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    // The element being skipped and how deep in elements of its name we are.
    let mut skip: Option<(String, usize)> = None;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if skip.is_none() {
            out.push_str(&rest[..lt]);
        }
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match &mut skip {
            Some((skipped, depth)) if *skipped == name => {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skip = None;
                    }
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
            }
            Some(_) => {}
            None => {
                if !closing && (tag.contains(PLACEHOLDER) || name == "code" || name == "pre") {
                    skip = Some((name, 1));
                }
            }
        }
    }
    if skip.is_none() {
        out.push_str(rest);
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn count_raw(text: &str) -> usize {
    RAW.iter().map(|m| text.matches(m).count()).sum()
}

/// The footnotes (`<li id="cite_note-…">…</li>`), each as its HTML.
fn footnotes(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<li id=\"cite_note-") {
        let from = &rest[at..];
        let end = from.find("</li>").unwrap_or(from.len());
        out.push(&from[..end]);
        rest = &from[end..];
    }
    out
}

/// The row labels of every infobox.
fn infobox_labels(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<table class=\"infobox") {
        let from = &rest[at..];
        let end = from.find("</table>").unwrap_or(from.len());
        let table = &from[..end];
        let mut cells = table;
        while let Some(th) = cells.find("<th scope=\"row\"") {
            let after = &cells[th..];
            let open = after.find('>').map_or(after.len(), |i| i + 1);
            let close = after.find("</th>").unwrap_or(after.len());
            out.push(visible_text(&after[open..close.max(open)]));
            cells = &after[close.max(open)..];
        }
        rest = &from[end..];
    }
    out
}

fn is_raw_label(label: &str) -> bool {
    let label = label.trim();
    label.contains('_')
        || label.chars().any(|c| c.is_ascii_digit()) && label.chars().any(char::is_alphabetic)
        || LAYOUT.contains(&label)
}

fn measure(html: &str, names: &mut BTreeMap<String, usize>) -> Findings {
    let mut rest = html;
    let mut placeholders = 0;
    while let Some(at) = rest.find(PLACEHOLDER) {
        placeholders += 1;
        let after = &rest[at..];
        let open = after.find('>').map_or(0, |i| i + 1);
        let close = after.find("</span>").unwrap_or(open);
        let name = visible_text(&after[open..close.max(open)]);
        let name = name.trim_matches(['{', '}']).trim().to_lowercase();
        *names.entry(name).or_default() += 1;
        rest = &after[open..];
    }
    let notes = footnotes(html);
    Findings {
        placeholders,
        raw_markup: count_raw(&visible_text(html)),
        footnotes: notes.len(),
        footnotes_with_placeholder: notes.iter().filter(|n| n.contains(PLACEHOLDER)).count(),
        raw_infobox_rows: infobox_labels(html)
            .iter()
            .filter(|l| is_raw_label(l))
            .count(),
    }
}

/// Writes a page as a file that shows with the wiki's stylesheet (for looking at it, and for
/// screenshots).
fn write_page(dir: &Path, title: &str, html: &str) {
    let css = Path::new(env!("CARGO_MANIFEST_DIR")).join("static/style.css");
    let page = format!(
        "<!doctype html><meta charset=utf-8><title>{title}</title>\
         <link rel=stylesheet href=\"file://{}\"><main><article class=page>\
         <h1 class=page-title>{title}</h1>{html}</article></main>",
        css.display()
    );
    let name: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    if std::fs::create_dir_all(dir).is_ok() {
        let _ = std::fs::write(dir.join(format!("{name}.html")), page);
    }
}

fn title_of(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    normalize_title(&stem.replace(['-', '_'], " ")).into_owned()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let mut dir = root.join("wikipedia");
    let mut show_names = 25;
    let mut html_dir: Option<PathBuf> = None;
    while let Some(arg) = args.next() {
        if arg == "--html" {
            html_dir = args.next().map(PathBuf::from);
        } else if arg == "--names" {
            show_names = args.next().and_then(|n| n.parse().ok()).unwrap_or(25);
        } else {
            dir = PathBuf::from(arg);
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|f| f.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let biographies: HashSet<String> = std::fs::read_to_string(root.join("biographies.txt"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.trim().to_string())
        .collect();
    let titles: HashSet<String> = files.iter().map(|f| title_of(f)).collect();
    let exists = |t: &str| titles.contains(t);
    let mut names = BTreeMap::new();
    let (mut all, mut bios) = (Findings::default(), Findings::default());
    let (mut flagged, mut flagged_bios, mut bio_count) = (0, 0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        // As `plutarch import` reads a file: wikitext saved still escaped as XML is unescaped.
        let text = plutarch::wiki::transfer::unescaped_file_text(&text).into_owned();
        // As the wiki reads a page: expanded first (no template pages here, so only parser
        // functions and magic words change), then parsed.
        let context = PageContext {
            title: &title_of(file),
            today: Day::today(),
        };
        let expanded = expand(&text, &NoTemplates, context);
        let doc = expanded.document();
        let html = article(&doc, &RenderOptions::new(&exists)).into_string();
        if let Some(dir) = &html_dir {
            write_page(dir, &title_of(file), &html);
        }
        let mut page_names = BTreeMap::new();
        let found = measure(&html, &mut page_names);
        for (name, count) in &page_names {
            *names.entry(name.clone()).or_default() += count;
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bio = biographies.contains(&stem);
        all.add(&found);
        if bio {
            bio_count += 1;
            bios.add(&found);
        }
        if found.any() {
            flagged += 1;
            flagged_bios += usize::from(bio);
            println!(
                "{stem}{}: placeholders {} {:?}, raw markup {}, footnotes with a placeholder {}/{}, raw infobox rows {}",
                if bio { " (biography)" } else { "" },
                found.placeholders,
                page_names.keys().collect::<Vec<_>>(),
                found.raw_markup,
                found.footnotes_with_placeholder,
                found.footnotes,
                found.raw_infobox_rows
            );
        }
    }
    let percent = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!();
    println!(
        "pages with any: {flagged} of {}; biographies with any: {flagged_bios} of {bio_count}",
        files.len()
    );
    println!(
        "placeholders {} ({} names), raw markup {}, footnotes with a placeholder {} of {} ({:.1} %), raw infobox rows {}",
        all.placeholders,
        names.len(),
        all.raw_markup,
        all.footnotes_with_placeholder,
        all.footnotes,
        percent(all.footnotes_with_placeholder, all.footnotes),
        all.raw_infobox_rows
    );
    println!(
        "biographies: placeholders {}, raw markup {}, footnotes with a placeholder {} of {}, raw infobox rows {}",
        bios.placeholders,
        bios.raw_markup,
        bios.footnotes_with_placeholder,
        bios.footnotes,
        bios.raw_infobox_rows
    );
    let mut ranked: Vec<(&String, &usize)> = names.iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = ranked
        .iter()
        .take(show_names)
        .map(|(n, c)| format!("{n} {c}"))
        .collect();
    if !top.is_empty() {
        println!("most frequent placeholders: {}", top.join(", "));
    }
}
