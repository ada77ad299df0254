//! Detaching a [`Document`] from the markup it borrows from: `into_owned()` on each type.

use std::borrow::Cow;

use super::{
    Block, Cell, Document, Inline, List, ListItem, Param, Reference, Row, Section, Table, Template,
};

fn own(s: Cow<'_, str>) -> Cow<'static, str> {
    Cow::Owned(s.into_owned())
}

fn own_all(inlines: Vec<Inline<'_>>) -> Vec<Inline<'static>> {
    inlines.into_iter().map(Inline::into_owned).collect()
}

impl Document<'_> {
    /// The same document, owning all its text (for keeping it after the markup is gone).
    pub fn into_owned(self) -> Document<'static> {
        Document {
            outline: self.outline,
            sections: self
                .sections
                .into_iter()
                .map(|s| Section {
                    heading: own_all(s.heading),
                    blocks: s.blocks.into_iter().map(Block::into_owned).collect(),
                })
                .collect(),
            links: self.links,
            refs: self
                .refs
                .into_iter()
                .map(|r| Reference {
                    name: r.name,
                    group: r.group,
                    number: r.number,
                    content: own_all(r.content),
                    uses: r.uses,
                    source: r.source,
                })
                .collect(),
            unlisted_refs: self.unlisted_refs,
            toc: self.toc,
            toc_position: self.toc_position,
            no_edit_section: self.no_edit_section,
            default_sort: self.default_sort,
        }
    }
}

impl Block<'_> {
    /// The same block, owning all its text.
    pub fn into_owned(self) -> Block<'static> {
        match self {
            Block::Paragraph { content } => Block::Paragraph {
                content: own_all(content),
            },
            Block::List(list) => Block::List(list.into_owned()),
            Block::Rule => Block::Rule,
            Block::Preformatted { content } => Block::Preformatted {
                content: own_all(content),
            },
            Block::Table(table) => Block::Table(Table {
                caption: own_all(table.caption),
                sortable: table.sortable,
                rows: table
                    .rows
                    .into_iter()
                    .map(|row| Row {
                        cells: row
                            .cells
                            .into_iter()
                            .map(|cell| Cell {
                                header: cell.header,
                                layout: cell.layout,
                                blocks: cell.blocks.into_iter().map(Block::into_owned).collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            }),
            Block::Template(t) => Block::Template(t.into_owned()),
            Block::Heading {
                level,
                content,
                title,
                anchor,
            } => Block::Heading {
                level,
                content: own_all(content),
                title,
                anchor,
            },
            Block::References { group, from, to } => Block::References { group, from, to },
        }
    }
}

impl List<'_> {
    /// The same list, owning all its text.
    pub fn into_owned(self) -> List<'static> {
        List {
            kind: self.kind,
            items: self
                .items
                .into_iter()
                .map(|item| ListItem {
                    kind: item.kind,
                    content: own_all(item.content),
                    sublists: item.sublists.into_iter().map(List::into_owned).collect(),
                })
                .collect(),
        }
    }
}

impl Template<'_> {
    /// The same template call, owning all its text.
    pub fn into_owned(self) -> Template<'static> {
        Template {
            name: own(self.name),
            params: self
                .params
                .into_iter()
                .map(|p| Param {
                    name: p.name.map(own),
                    value: own_all(p.value),
                })
                .collect(),
        }
    }
}

impl Inline<'_> {
    /// The same inline content, owning all its text.
    pub fn into_owned(self) -> Inline<'static> {
        match self {
            Inline::Text { text } => Inline::Text { text: own(text) },
            Inline::Italic { content } => Inline::Italic {
                content: own_all(content),
            },
            Inline::Bold { content } => Inline::Bold {
                content: own_all(content),
            },
            Inline::Link {
                target,
                fragment,
                label,
            } => Inline::Link {
                target: own(target),
                fragment: fragment.map(own),
                label: own_all(label),
            },
            Inline::File {
                target,
                caption,
                options,
            } => Inline::File {
                target,
                caption: own_all(caption),
                options,
            },
            Inline::Gallery { items } => Inline::Gallery {
                items: items
                    .into_iter()
                    .map(|item| crate::doc::GalleryItem {
                        target: item.target,
                        caption: own_all(item.caption),
                    })
                    .collect(),
            },
            Inline::ExternalLink { url, label, number } => Inline::ExternalLink {
                url: own(url),
                label: label.map(own_all),
                number,
            },
            Inline::Url { url } => Inline::Url { url: own(url) },
            Inline::Template(t) => Inline::Template(t.into_owned()),
            Inline::Ref { index, use_number } => Inline::Ref { index, use_number },
            Inline::Html {
                tag,
                attrs,
                content,
            } => Inline::Html {
                tag: own(tag),
                attrs,
                content: own_all(content),
            },
            Inline::LineBreak => Inline::LineBreak,
            Inline::Pre { text } => Inline::Pre { text: own(text) },
            Inline::References { group, from, to } => Inline::References { group, from, to },
        }
    }
}
