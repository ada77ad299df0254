//! The citation check: sections with prose but no `<ref>` citation in them.

use crate::doc::{Block, Document, Inline, List, MAX_DEPTH, Section, plain_text};

/// Headings of sections that list rather than claim, so need no citation of their own.
const NON_PROSE_HEADINGS: [&str; 12] = [
    "references",
    "notes",
    "footnotes",
    "citations",
    "sources",
    "bibliography",
    "external links",
    "see also",
    "further reading",
    "works",
    "publications",
    "selected works",
];

/// Fewer letters than this is not prose (a caption, a stray word).
const MIN_PROSE_LETTERS: usize = 20;

/// The indexes of the sections (0 for the lead) that have prose (paragraphs or list items of
/// real text) but no citation in them. Each section is judged by its own text, not its
/// subsections'.
pub fn unsourced_sections(doc: &Document) -> Vec<usize> {
    doc.sections
        .iter()
        .enumerate()
        .filter(|(index, section)| {
            let heading = doc
                .outline
                .sections
                .get(*index)
                .map(|s| s.title.trim().to_lowercase())
                .unwrap_or_default();
            !NON_PROSE_HEADINGS.contains(&heading.as_str()) && needs_citation(section)
        })
        .map(|(index, _)| index)
        .collect()
}

fn needs_citation(section: &Section) -> bool {
    let mut check = Check::default();
    check.blocks(&section.blocks, 0);
    check.prose && !check.cited
}

#[derive(Default)]
struct Check {
    prose: bool,
    cited: bool,
}

impl Check {
    fn blocks(&mut self, blocks: &[Block], depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for block in blocks {
            match block {
                Block::Paragraph { content } => self.prose_text(content, depth),
                Block::List(list) => self.list(list, depth + 1),
                Block::Table(table) => {
                    for cell in table.rows.iter().flat_map(|r| r.cells.iter()) {
                        self.cites(&[], depth);
                        self.blocks_cited(&cell.blocks, depth + 1);
                    }
                }
                Block::Template(_)
                | Block::Heading { .. }
                | Block::Rule
                | Block::Preformatted { .. }
                | Block::References { .. } => {}
            }
            if self.cited {
                return;
            }
        }
    }

    /// A table counts for citations, not for prose.
    fn blocks_cited(&mut self, blocks: &[Block], depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for block in blocks {
            match block {
                Block::Paragraph { content } | Block::Preformatted { content } => {
                    self.cites(content, depth)
                }
                Block::List(list) => {
                    for item in &list.items {
                        self.cites(&item.content, depth);
                    }
                }
                _ => {}
            }
        }
    }

    fn list(&mut self, list: &List, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for item in &list.items {
            self.prose_text(&item.content, depth);
            for sub in &item.sublists {
                self.list(sub, depth + 1);
            }
        }
    }

    fn prose_text(&mut self, content: &[Inline], depth: usize) {
        let letters = plain_text(content)
            .chars()
            .filter(|c| c.is_alphabetic())
            .take(MIN_PROSE_LETTERS)
            .count();
        if letters >= MIN_PROSE_LETTERS {
            self.prose = true;
        }
        self.cites(content, depth);
    }

    fn cites(&mut self, content: &[Inline], depth: usize) {
        if depth > MAX_DEPTH || self.cited {
            return;
        }
        for inline in content {
            match inline {
                Inline::Ref { .. } => {
                    self.cited = true;
                    return;
                }
                Inline::Italic { content }
                | Inline::Bold { content }
                | Inline::Html { content, .. } => self.cites(content, depth + 1),
                Inline::Link { label, .. } => self.cites(label, depth + 1),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup;

    fn unsourced(text: &str) -> Vec<usize> {
        unsourced_sections(&markup::parse(text))
    }

    #[test]
    fn sections_with_prose_and_no_ref_are_listed() {
        let text = "Lead text that says something about the person.<ref>A book.</ref>

== Early life ==
She was born in a town and grew up by the sea there.

== Career ==
She worked as a ''cartographer'' for many years.<ref name=\"x\">Source</ref>

== Honours ==
* Gold medal of the society for her atlas of the rivers

== Short ==
Tiny.

== References ==
<references />

== External links ==
* [https://example.org An official website with a long name]
";
        assert_eq!(unsourced(text), [1, 3]);
    }

    #[test]
    fn a_cited_list_item_or_a_reused_ref_counts() {
        let text = "== A ==
* A claim made in a list item about the person.<ref name=\"a\">Source</ref>

== B ==
Another long enough claim about the person here.<ref name=\"a\" />
";
        assert!(unsourced(text).is_empty());
    }

    #[test]
    fn an_infobox_alone_is_not_prose() {
        assert!(unsourced("{{Infobox person\n| name = A\n}}\n").is_empty());
    }

    #[test]
    fn deep_lists_are_bounded() {
        let deep = format!("{} a long enough claim about somebody\n", "*".repeat(5000));
        assert_eq!(unsourced(&deep), [0]);
    }
}
