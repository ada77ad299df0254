//! The table of contents.

use maud::{Markup, html};

use super::links::fragment;
use crate::doc::{Document, SectionInfo};

struct Node<'a> {
    info: &'a SectionInfo,
    children: Vec<Node<'a>>,
}

fn depth(info: &SectionInfo) -> usize {
    info.number.split('.').count()
}

/// Nests sections by the depth of their TOC number (`2.1` is inside `2`).
fn tree(sections: &[SectionInfo]) -> Vec<Node<'_>> {
    let mut stack: Vec<Node<'_>> = Vec::new();
    let mut roots = Vec::new();
    for info in sections.iter().skip(1) {
        let d = depth(info);
        while stack.len() >= d {
            let Some(node) = stack.pop() else { break };
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => roots.push(node),
            }
        }
        stack.push(Node {
            info,
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
                li class=(format!("toclevel-{}", depth(node.info))) {
                    a href=(fragment(&node.info.anchor)) {
                        span.tocnumber { (node.info.number) }
                        " "
                        span.toctext { (node.info.title) }
                    }
                    @if !node.children.is_empty() { (items(&node.children)) }
                }
            }
        }
    }
}

/// The table of contents of a document.
pub(crate) fn toc(doc: &Document) -> Markup {
    let nodes = tree(&doc.outline.sections);
    html! {
        nav #toc.toc aria-labelledby="mw-toc-heading" {
            h2 #mw-toc-heading { "Contents" }
            (items(&nodes))
        }
    }
}
