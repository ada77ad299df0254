//! Plain text of sections, for search and the API.

use super::templates::template_text;
use crate::doc::{Block, Document, Inline, List};

fn inlines(out: &mut String, content: &[Inline]) {
    for i in content {
        match i {
            Inline::Text { text } | Inline::Url { url: text } | Inline::Pre { text } => {
                out.push_str(text)
            }
            Inline::Italic { content }
            | Inline::Bold { content }
            | Inline::Html { content, .. } => inlines(out, content),
            Inline::Link { label, .. } => inlines(out, label),
            Inline::ExternalLink {
                label: Some(label), ..
            } => inlines(out, label),
            Inline::File { caption, .. } => inlines(out, caption),
            Inline::Gallery { items } => {
                for item in items {
                    inlines(out, &item.caption);
                    out.push('\n');
                }
            }
            Inline::Template(t) => out.push_str(&template_text(t)),
            Inline::LineBreak => out.push('\n'),
            Inline::ExternalLink { label: None, .. }
            | Inline::Ref { .. }
            | Inline::References { .. } => {}
        }
    }
}

fn list(out: &mut String, l: &List) {
    for item in &l.items {
        inlines(out, &item.content);
        out.push('\n');
        for sub in &item.sublists {
            list(out, sub);
        }
    }
}

fn blocks(out: &mut String, bs: &[Block], doc: &Document) {
    for b in bs {
        match b {
            Block::Paragraph { content } | Block::Preformatted { content } => {
                inlines(out, content);
                out.push_str("\n\n");
            }
            Block::List(l) => {
                list(out, l);
                out.push('\n');
            }
            Block::Rule => {}
            Block::Heading { title, .. } => {
                out.push_str(title);
                out.push_str("\n\n");
            }
            Block::Table(t) => {
                for row in &t.rows {
                    for cell in &row.cells {
                        blocks(out, &cell.blocks, doc);
                    }
                }
            }
            Block::Template(t) => {
                let text = template_text(t);
                if !text.is_empty() {
                    out.push_str(&text);
                    out.push_str("\n\n");
                }
            }
            Block::References { group, from, to } => {
                let refs = doc.refs.get(*from..*to).unwrap_or(&[]);
                for r in refs.iter().filter(|r| &r.group == group) {
                    inlines(out, &r.content);
                    out.push('\n');
                }
            }
        }
    }
}

/// Section `index` and its subsections as text.
pub(crate) fn section_text(doc: &Document, index: usize) -> String {
    let Some(info) = doc.outline.sections.get(index) else {
        return String::new();
    };
    let end = if index == 0 {
        1
    } else {
        doc.outline
            .sections
            .iter()
            .skip(index + 1)
            .position(|s| s.level <= info.level)
            .map_or(doc.outline.sections.len(), |n| index + 1 + n)
    };
    let mut out = String::new();
    for i in index..end {
        if i > 0 {
            out.push_str(&doc.outline.sections[i].title);
            out.push_str("\n\n");
        }
        if let Some(s) = doc.sections.get(i) {
            blocks(&mut out, &s.blocks, doc);
        }
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out
}
