//! The commonest nodes written straight into the output buffer: text, links, bold and italic,
//! footnote marks, paragraphs and lists. Through `html!` each would cost a `Markup` string of
//! its own, copied into its parent's; here they cost nothing but the bytes they add.
//!
//! [`Renderer::inlines`] and [`Renderer::block`] return splices ([`maud::Render`] values)
//! that `html!` writes into its own buffer, so the rest of the renderer uses them as before.
//! The output is byte for byte what the `html!` forms gave (the HTML snapshots check it);
//! everything from the input goes through [`escape`], as maud's own escaping would.

use std::fmt::Write;

use maud::Render;

use super::article::{Renderer, href_of};
use super::hatnotes::is_block_template_at;
use super::links::{fragment_into, normalize_title, page_url_into};
use super::toc;
use crate::doc::{Block, Inline, ItemKind, List, ListKind};

/// Escapes text or an attribute value into `out` exactly as maud does (`&`, `<`, `>`, `"`),
/// copying the runs between those characters whole.
pub(crate) fn escape(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(entity);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Inline content as a splice for `html!`.
pub(crate) struct InlineHtml<'s, 'd> {
    renderer: &'s Renderer<'s>,
    content: &'s [Inline<'d>],
}

impl Render for InlineHtml<'_, '_> {
    fn render_to(&self, out: &mut String) {
        self.renderer.write_inlines(out, self.content);
    }
}

/// One block as a splice for `html!`.
pub(crate) struct BlockHtml<'s, 'd> {
    renderer: &'s Renderer<'s>,
    block: &'s Block<'d>,
}

impl Render for BlockHtml<'_, '_> {
    fn render_to(&self, out: &mut String) {
        self.renderer.write_block(out, self.block);
    }
}

impl<'s> Renderer<'s> {
    /// Inline content, to splice into `html!`.
    pub(crate) fn inlines<'d>(&'s self, content: &'s [Inline<'d>]) -> InlineHtml<'s, 'd> {
        InlineHtml {
            renderer: self,
            content,
        }
    }

    /// One block, to splice into `html!`.
    pub(crate) fn block<'d>(&'s self, block: &'s Block<'d>) -> BlockHtml<'s, 'd> {
        BlockHtml {
            renderer: self,
            block,
        }
    }

    pub(crate) fn write_inlines(&self, out: &mut String, content: &[Inline<'_>]) {
        for inline in content {
            self.write_inline(out, inline);
        }
    }

    fn write_inline(&self, out: &mut String, inline: &Inline<'_>) {
        match inline {
            Inline::Text { text } => escape(out, text),
            Inline::Italic { content } => self.wrap(out, "i", content),
            Inline::Bold { content } => self.wrap(out, "b", content),
            Inline::Link {
                target,
                fragment,
                label,
            } => self.write_link(out, target, fragment.as_deref(), label),
            Inline::ExternalLink {
                url,
                label: Some(label),
                ..
            } => match href_of(url) {
                Some(href) => {
                    out.push_str("<a class=\"external\" href=\"");
                    escape(out, href);
                    out.push_str("\" rel=\"nofollow noopener\">");
                    self.write_inlines(out, label);
                    out.push_str("</a>");
                }
                None => self.inline(inline).render_to(out),
            },
            // A citation of a weak source carries a mark: the `html!` form writes it.
            Inline::Ref { index, .. } if self.cites_weak_source(*index) => {
                self.inline(inline).render_to(out)
            }
            Inline::Ref { index, use_number } => {
                let n = index + 1;
                let label = self.footnote_label(*index);
                let _ = write!(
                    out,
                    "<sup class=\"reference\" id=\"cite_ref-{n}-{use_number}\"><a href=\"#cite_note-{n}\">["
                );
                escape(out, &label);
                out.push_str("]</a></sup>");
            }
            other => self.inline(other).render_to(out),
        }
    }

    /// `<tag>content</tag>` for a tag of ours.
    fn wrap(&self, out: &mut String, tag: &str, content: &[Inline<'_>]) {
        out.push('<');
        out.push_str(tag);
        out.push('>');
        self.write_inlines(out, content);
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }

    /// A link to a wiki page, coloured by whether it exists.
    pub(crate) fn write_link(
        &self,
        out: &mut String,
        target: &str,
        frag: Option<&str>,
        label: &[Inline<'_>],
    ) {
        let title = normalize_title(target);
        if title.is_empty() {
            out.push_str("<a href=\"");
            fragment_into(out, frag.unwrap_or(""));
        } else if (self.options.link_exists)(&title) {
            out.push_str("<a href=\"");
            page_url_into(out, &title);
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                fragment_into(out, f);
            }
            out.push_str("\" title=\"");
            escape(out, &title);
        } else {
            out.push_str("<a class=\"new\" href=\"");
            page_url_into(out, &title);
            out.push_str("/edit\" title=\"");
            escape(out, &title);
            out.push_str(" (page does not exist)");
        }
        out.push_str("\">");
        self.write_inlines(out, label);
        out.push_str("</a>");
    }

    /// The blocks of section `index`, with the table of contents before block `toc_here`
    /// (where `__TOC__` put it; after the last block when it is past them).
    pub(crate) fn write_section_blocks(
        &self,
        out: &mut String,
        index: usize,
        toc_here: Option<usize>,
    ) {
        let blocks = self
            .doc
            .sections
            .get(index)
            .map(|s| s.blocks.as_slice())
            .unwrap_or(&[]);
        let place = self.place.get();
        self.place.set(super::article::Place {
            at_end: self.first_end_section.is_some_and(|first| first <= index),
            ..place
        });
        for (i, block) in blocks.iter().enumerate() {
            if toc_here == Some(i) {
                toc::toc(self.doc).render_to(out);
            }
            self.write_block(out, block);
        }
        if toc_here.is_some_and(|i| i >= blocks.len()) {
            toc::toc(self.doc).render_to(out);
        }
        self.place.set(place);
    }

    fn write_block(&self, out: &mut String, block: &Block<'_>) {
        match block {
            Block::Paragraph { content } => {
                let cut = content.iter().enumerate().any(|(i, inline)| {
                    matches!(inline, Inline::Template(_))
                        && is_block_template_at(self.doc, content, i, self.at_end())
                });
                if cut {
                    self.write_cut_paragraph(out, content);
                } else {
                    self.wrap(out, "p", content);
                }
            }
            Block::List(list) => self.write_list(out, list),
            Block::Rule => out.push_str("<hr>"),
            Block::Preformatted { content } => self.wrap(out, "pre", content),
            Block::Heading {
                level,
                content,
                anchor,
                ..
            } => {
                // In the table of contents, but no edit link: it makes no section.
                let level = (*level).clamp(1, 6);
                let _ = write!(out, "<h{level} id=\"");
                escape(out, anchor);
                out.push_str("\">");
                self.write_inlines(out, content);
                let _ = write!(out, "</h{level}>");
            }
            other => self.block_markup(other).render_to(out),
        }
    }

    /// A paragraph cut around the templates in it that are blocks of their own: the text
    /// between them in paragraphs (blank runs dropped, line breaks at their edges trimmed),
    /// the templates as blocks.
    fn write_cut_paragraph(&self, out: &mut String, content: &[Inline<'_>]) {
        let mut start = 0;
        for i in 0..=content.len() {
            let at_block =
                i < content.len() && is_block_template_at(self.doc, content, i, self.at_end());
            if !at_block && i < content.len() {
                continue;
            }
            let mut run: Vec<Inline<'_>> = content[start..i].to_vec();
            if let Some(Inline::Text { text }) = run.first_mut() {
                let trimmed = text.trim_start_matches(['\n', ' ']).to_string();
                *text = trimmed.into();
            }
            if let Some(Inline::Text { text }) = run.last_mut() {
                let trimmed = text.trim_end_matches(['\n', ' ']).to_string();
                *text = trimmed.into();
            }
            let blank = run
                .iter()
                .all(|r| matches!(r, Inline::Text { text } if text.trim().is_empty()));
            if !blank {
                self.wrap(out, "p", &run);
            }
            if let Some(Inline::Template(t)) = content.get(i).filter(|_| at_block) {
                self.template_block(t).render_to(out);
            }
            start = i + 1;
        }
    }

    fn write_list(&self, out: &mut String, list: &List<'_>) {
        let tag = match list.kind {
            ListKind::Bullet => "ul",
            ListKind::Ordered => "ol",
            ListKind::Definition => "dl",
        };
        out.push('<');
        out.push_str(tag);
        out.push('>');
        for item in &list.items {
            let item_tag = match (list.kind, item.kind) {
                (ListKind::Definition, ItemKind::Term) => "dt",
                (ListKind::Definition, _) => "dd",
                _ => "li",
            };
            out.push('<');
            out.push_str(item_tag);
            out.push('>');
            self.write_inlines(out, &item.content);
            for sub in &item.sublists {
                self.write_list(out, sub);
            }
            out.push_str("</");
            out.push_str(item_tag);
            out.push('>');
        }
        out.push_str("</");
        out.push_str(tag);
        out.push('>');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_maud_does() {
        let mut out = String::new();
        escape(&mut out, "a<b>&\"c' é");
        let mut maud_out = String::new();
        maud::Escaper::new(&mut maud_out)
            .write_str("a<b>&\"c' é")
            .unwrap_or_default();
        assert_eq!(out, maud_out);
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c' é");
    }
}
