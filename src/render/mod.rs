//! [`Document`] -> HTML with maud. Pure.
//!
//! First cut: headings with anchors and escaped paragraphs. The markup engine replaces it.

use maud::{Markup, html};

use crate::doc::Document;

/// How the caller wants an article rendered.
pub struct RenderOptions<'a> {
    /// Whether an internal link's target page exists (missing ones are shown differently).
    pub link_exists: &'a dyn Fn(&str) -> bool,
    /// The edit URL of a section (by index), if edit links are wanted.
    pub edit_url: Option<&'a dyn Fn(usize) -> String>,
}

/// Renders the body of an article.
pub fn article(doc: &Document, options: &RenderOptions<'_>) -> Markup {
    html! {
        @for (section, body) in doc.outline.sections.iter().zip(&doc.bodies) {
            @if section.index > 0 {
                (heading(section.level, &section.anchor, &section.title, options.edit_url.map(|f| f(section.index))))
            }
            @for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                p { (inline(paragraph, options)) }
            }
        }
    }
}

fn heading(level: u8, anchor: &str, title: &str, edit: Option<String>) -> Markup {
    let inner = html! {
        (title)
        @if let Some(url) = edit {
            " " span.edit-link { "[" a href=(url) { "edit" } "]" }
        }
    };
    match level {
        1 => html! { h1 id=(anchor) { (inner) } },
        2 => html! { h2 id=(anchor) { (inner) } },
        3 => html! { h3 id=(anchor) { (inner) } },
        4 => html! { h4 id=(anchor) { (inner) } },
        5 => html! { h5 id=(anchor) { (inner) } },
        _ => html! { h6 id=(anchor) { (inner) } },
    }
}
pub mod views;

/// Text with `[[internal links]]`; everything else escaped as text.
fn inline(text: &str, options: &RenderOptions<'_>) -> Markup {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else {
            break;
        };
        pieces.push((rest[..start].to_string(), None));
        let inner = &rest[start + 2..start + 2 + len];
        let (target, label) = inner.split_once('|').unwrap_or((inner, inner));
        pieces.push((label.to_string(), Some(target.trim().to_string())));
        rest = &rest[start + 4 + len..];
    }
    pieces.push((rest.to_string(), None));
    html! {
        @for (text, target) in &pieces {
            @match target {
                Some(target) if target.starts_with("Category:") => {},
                Some(target) => {
                    @let href = format!("/wiki/{}", target.replace(' ', "_"));
                    @if (options.link_exists)(target) {
                        a href=(href) { (text) }
                    } @else {
                        a.new href=(format!("{href}/edit")) { (text) }
                    }
                }
                None => (text),
            }
        }
    }
}
