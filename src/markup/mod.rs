//! Markup -> [`Document`]. Pure: no I/O, no async, no SQL.
//!
//! First cut: headings on their own lines, `[[links]]` and categories. The pest grammar
//! replaces it.

use crate::doc::{Document, Outline, PageLinks, SectionInfo};

/// Parses a page's markup. Never fails: there is no syntax error in wiki markup.
pub fn parse(text: &str) -> Document {
    let outline = outline(text);
    let bodies = outline
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let start = if i == 0 {
                title_line_end(text)
            } else {
                line_end(text, s.byte_start)
            };
            let end = outline
                .sections
                .get(i + 1)
                .map_or(text.len(), |next| next.byte_start);
            text.get(start..end.max(start)).unwrap_or("").to_string()
        })
        .collect();
    Document {
        links: links(text),
        outline,
        bodies,
    }
}

fn line_end(text: &str, from: usize) -> usize {
    text[from..].find('\n').map_or(text.len(), |n| from + n + 1)
}

fn title_line_end(text: &str) -> usize {
    let first = text.trim_start_matches(['\n', '\r', ' ']);
    let offset = text.len() - first.len();
    match heading(first.lines().next().unwrap_or("")) {
        Some((1, _)) => line_end(text, offset),
        _ => 0,
    }
}

fn heading(line: &str) -> Option<(u8, String)> {
    let line = line.trim_end_matches(['\n', '\r', ' ', '\t']);
    let open = line.len() - line.trim_start_matches('=').len();
    let close = line.len() - line.trim_end_matches('=').len();
    if open == 0 || close == 0 || line.len() < 3 {
        return None;
    }
    let level = open.min(close).min(6);
    let title = &line[level..line.len() - level];
    Some((level as u8, title.trim().to_string()))
}

/// The section outline of a text, as `plutarch parse` prints it.
pub fn outline(text: &str) -> Outline {
    let mut title = None;
    let mut sections = vec![SectionInfo {
        index: 0,
        level: 0,
        title: String::new(),
        anchor: String::new(),
        number: String::new(),
        parent: None,
        byte_start: 0,
        byte_end: text.len(),
    }];
    let mut offset = 0;
    let mut seen_content = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some((level, heading_title)) = heading(line) else {
            seen_content |= !line.trim().is_empty();
            continue;
        };
        if !seen_content && level == 1 && title.is_none() && sections.len() == 1 {
            title = Some(heading_title);
            seen_content = true;
            continue;
        }
        seen_content = true;
        let index = sections.len();
        sections.push(SectionInfo {
            index,
            level,
            anchor: heading_title.replace(' ', "_"),
            title: heading_title,
            number: String::new(),
            parent: None,
            byte_start: start,
            byte_end: text.len(),
        });
    }
    close_sections(&mut sections);
    Outline { title, sections }
}

fn close_sections(sections: &mut [SectionInfo]) {
    if let Some(first) = sections.get(1).map(|s| s.byte_start) {
        sections[0].byte_end = first;
    }
    for i in 1..sections.len() {
        let level = sections[i].level;
        let end = sections[i + 1..]
            .iter()
            .find(|s| s.level <= level)
            .map(|s| s.byte_start);
        if let Some(end) = end {
            sections[i].byte_end = end;
        }
        sections[i].parent = (1..i).rev().find(|&p| sections[p].level < level);
    }
}

/// What a text links to: internal links, categories, templates and a redirect target.
pub fn links(text: &str) -> PageLinks {
    let mut found = PageLinks::default();
    let mut rest = text;
    while let Some(at) = rest.find("[[") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find("]]") else { break };
        let inner = &rest[..end];
        let target = inner.split('|').next().unwrap_or("").trim();
        let target = target.split('#').next().unwrap_or("").trim();
        if let Some(category) = target.strip_prefix("Category:") {
            let sort = inner.split_once('|').map(|(_, s)| s.to_string());
            found.categories.push((category.trim().to_string(), sort));
        } else if !target.is_empty() {
            found.links.push(target.to_string());
        }
        rest = &rest[end + 2..];
    }
    let head = text.trim_start();
    if head.len() >= 9 && head[..9].eq_ignore_ascii_case("#redirect") {
        found.redirect = found.links.first().cloned();
    }
    found
}
