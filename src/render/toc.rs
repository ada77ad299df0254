//! The table of contents.

use std::borrow::Cow;

use maud::{Markup, html};

use super::links::fragment;
use crate::doc::{Block, Document};

/// One line of the table: a section's heading, or a heading that makes no section.
struct Entry<'a> {
    level: u8,
    anchor: &'a str,
    title: &'a str,
    number: Cow<'a, str>,
}

struct Node<'a> {
    entry: Entry<'a>,
    children: Vec<Node<'a>>,
}

fn depth(entry: &Entry) -> usize {
    entry.number.split('.').count()
}

/// Every heading of the page in order: the sections' and those that make no section
/// (a comment-led heading line, a template's heading), numbered together as MediaWiki
/// numbers them. Without the latter, the outline's own numbers.
fn entries<'a>(doc: &'a Document<'a>) -> Vec<Entry<'a>> {
    let mut out = Vec::with_capacity(doc.outline.sections.len());
    let mut inner = false;
    for (index, info) in doc.outline.sections.iter().enumerate() {
        if index > 0 {
            out.push(Entry {
                level: info.level,
                anchor: &info.anchor,
                title: &info.title,
                number: Cow::Borrowed(&info.number),
            });
        }
        let blocks = doc.sections.get(index).map_or(&[][..], |s| &s.blocks);
        for block in blocks {
            if let Block::Heading {
                level,
                title,
                anchor,
                ..
            } = block
            {
                inner = true;
                out.push(Entry {
                    level: *level,
                    anchor,
                    title,
                    number: Cow::Borrowed(""),
                });
            }
        }
    }
    if inner {
        let levels: Vec<u8> = out.iter().map(|e| e.level).collect();
        for (entry, number) in out.iter_mut().zip(crate::doc::toc::numbers(&levels)) {
            entry.number = Cow::Owned(number);
        }
    }
    out
}

/// How many headings the table would list (MediaWiki shows it from four on).
pub(crate) fn heading_count(doc: &Document) -> usize {
    let inner = doc
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b, Block::Heading { .. }))
        .count();
    doc.outline.sections.len().saturating_sub(1) + inner
}

/// Nests entries by the depth of their TOC number (`2.1` is inside `2`).
fn tree(entries: Vec<Entry<'_>>) -> Vec<Node<'_>> {
    let mut stack: Vec<Node<'_>> = Vec::new();
    let mut roots = Vec::new();
    for entry in entries {
        let d = depth(&entry);
        while stack.len() >= d {
            let Some(node) = stack.pop() else { break };
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => roots.push(node),
            }
        }
        stack.push(Node {
            entry,
            children: Vec::new(),
        });
    }
    while let Some(node) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => roots.push(node),
        }
    }
    roots
}

fn items(nodes: &[Node<'_>]) -> Markup {
    html! {
        ul {
            @for node in nodes {
                li class=(format!("toclevel-{}", depth(&node.entry))) {
                    a href=(fragment(node.entry.anchor)) {
                        span.tocnumber { (node.entry.number) }
                        " "
                        span.toctext { (node.entry.title) }
                    }
                    @if !node.children.is_empty() { (items(&node.children)) }
                }
            }
        }
    }
}

/// The table of contents of a document.
pub(crate) fn toc(doc: &Document) -> Markup {
    let nodes = tree(entries(doc));
    html! {
        nav #toc.toc aria-labelledby="mw-toc-heading" {
            h2 #mw-toc-heading { "Contents" }
            (items(&nodes))
        }
    }
}
