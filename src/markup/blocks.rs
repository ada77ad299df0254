//! Lines -> blocks: paragraphs, lists, preformatted text, rules and tables.
//!
//! The inline engine hands over one logical line at a time (a template spanning lines is
//! part of the line it started on); this module decides which block the line belongs to.

use super::text::{self, append, push_text};
use crate::doc::{
    Block, Cell, CellAlign, CellLayout, Inline, ItemKind, List, ListItem, ListKind, MAX_CELL_SPAN,
    MAX_TABLE_DEPTH, Row, Table,
};

/// What the start of a line said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LineKind<'a> {
    Normal,
    List(&'a [u8]),
    Hr,
    SpacePre,
    TableStart,
    TableEnd,
    TableRow,
    TableCaption,
    TableHead,
    TableCell,
}

/// Where a table line splits: before the inline at `.0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Split {
    /// `||` or `!!`: a new cell.
    Cell,
    /// `|` after cell attributes: what came before is dropped.
    Attr,
}

struct Container<'a> {
    /// The markup the text borrows from.
    base: &'a str,
    blocks: Vec<Block<'a>>,
    para: Vec<Inline<'a>>,
    pre: Vec<Inline<'a>>,
    lists: Vec<List<'a>>,
    prefix: Vec<u8>,
}

struct TableFrame<'a> {
    table: Table<'a>,
    cell: Option<(bool, CellLayout, Container<'a>)>,
}

/// Collects the blocks of one section (or one fragment).
pub(crate) struct Builder<'a> {
    root: Container<'a>,
    tables: Vec<TableFrame<'a>>,
}

/// Splits a `; term : definition` line at the first `:` outside links and templates.
fn split_definition(mut inlines: Vec<Inline<'_>>) -> (Vec<Inline<'_>>, Option<Vec<Inline<'_>>>) {
    let found = inlines
        .iter()
        .enumerate()
        .find_map(|(i, inline)| match inline {
            Inline::Text { text } => text.find(':').map(|at| (i, at)),
            _ => None,
        });
    let Some((i, at)) = found else {
        return (inlines, None);
    };
    let mut detail = inlines.split_off(i + 1);
    if let Some(Inline::Text { text }) = inlines.last_mut() {
        let mut colon = text::split_off(text, at);
        let after = text::split_off(&mut colon, 1);
        if !after.is_empty() {
            detail.insert(0, Inline::Text { text: after });
        }
    }
    (inlines, Some(detail))
}

/// The nodes of one table cell: those from index `from` up to `to` of the line, less any
/// before `attr` (the `|` that ends the cell's attributes), and the layout those attributes
/// give.
fn take_cell<'a>(
    nodes: &mut impl Iterator<Item = Inline<'a>>,
    from: usize,
    to: usize,
    attr: Option<usize>,
) -> (CellLayout, Vec<Inline<'a>>) {
    let len = to.saturating_sub(from);
    let attributes = attr.map_or(0, |a| a.saturating_sub(from).min(len));
    let layout = if attributes == 0 {
        CellLayout::default()
    } else {
        let attribute_nodes: Vec<Inline<'a>> = nodes.by_ref().take(attributes).collect();
        cell_layout(&crate::doc::plain_text(&attribute_nodes))
    };
    (layout, nodes.by_ref().take(len - attributes).collect())
}

/// The spans and alignment of a cell's attributes (`rowspan="2" align=center`,
/// `style="text-align: right"`); the rest is dropped.
pub(crate) fn cell_layout(attributes: &str) -> CellLayout {
    let mut layout = CellLayout::default();
    let span = |v: &str| {
        v.trim()
            .parse::<u16>()
            .ok()
            .filter(|n| *n > 1)
            .map(|n| n.min(MAX_CELL_SPAN))
    };
    let align = |v: &str| match v.trim().to_ascii_lowercase().as_str() {
        "left" => Some(CellAlign::Left),
        "center" | "centre" => Some(CellAlign::Center),
        "right" => Some(CellAlign::Right),
        _ => None,
    };
    for (name, value) in super::inline::parse_attrs(attributes) {
        match name.as_str() {
            "rowspan" => layout.rowspan = span(&value).unwrap_or(0),
            "colspan" => layout.colspan = span(&value).unwrap_or(0),
            "align" => layout.align = align(&value).or(layout.align),
            "style" => {
                for declaration in value.split(';') {
                    if let Some((property, v)) = declaration.split_once(':') {
                        if property.trim().eq_ignore_ascii_case("text-align") {
                            layout.align = align(v).or(layout.align);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    layout
}

fn is_blank(inlines: &[Inline<'_>]) -> bool {
    inlines
        .iter()
        .all(|i| matches!(i, Inline::Text { text } if text.trim().is_empty()))
}

fn list_kind(c: u8) -> ListKind {
    match c {
        b'*' => ListKind::Bullet,
        b'#' => ListKind::Ordered,
        _ => ListKind::Definition,
    }
}

fn item_kind(c: u8) -> ItemKind {
    match c {
        b';' => ItemKind::Term,
        b':' => ItemKind::Detail,
        _ => ItemKind::Item,
    }
}

fn compatible(a: u8, b: u8) -> bool {
    a == b || (matches!(a, b';' | b':') && matches!(b, b';' | b':'))
}

/// Trims whitespace at both ends of inline content.
pub(crate) fn trim_inlines(inlines: &mut Vec<Inline<'_>>) {
    let mut empty_head = 0;
    for inline in inlines.iter_mut() {
        let Inline::Text { text } = inline else { break };
        text::trim_start(text);
        if !text.is_empty() {
            break;
        }
        empty_head += 1;
    }
    inlines.drain(..empty_head);
    while let Some(Inline::Text { text }) = inlines.last_mut() {
        text::trim_end(text);
        if text.is_empty() {
            inlines.pop();
        } else {
            break;
        }
    }
}

/// Templates that stand for a block of their own (boxes, reference lists).
pub(crate) fn is_block_template(name: &str) -> bool {
    const PREFIXES: [&str; 16] = [
        "infobox",
        "navbox",
        "sidebar",
        "portal",
        "authority control",
        "reflist",
        "refbegin",
        "refend",
        "commons",
        "taxobox",
        "short description",
        "use dmy",
        "use mdy",
        "clear",
        "div col",
        "s-",
    ];
    // ASCII case folding is enough: no prefix has a letter that a non-ASCII character
    // lower-cases to (the Kelvin sign's `k`).
    let name = name.trim().as_bytes();
    PREFIXES
        .iter()
        .any(|p| name.len() >= p.len() && name[..p.len()].eq_ignore_ascii_case(p.as_bytes()))
}

impl<'a> Container<'a> {
    fn new(base: &'a str) -> Self {
        Container {
            base,
            blocks: Vec::new(),
            para: Vec::new(),
            pre: Vec::new(),
            lists: Vec::new(),
            prefix: Vec::new(),
        }
    }

    fn flush_para(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let mut run = Vec::new();
        for inline in std::mem::take(&mut self.para) {
            let block = match inline {
                Inline::Template(t) if is_block_template(&t.name) => Block::Template(t),
                Inline::References { group, from, to } => Block::References { group, from, to },
                Inline::Pre { text } => Block::Preformatted {
                    content: vec![Inline::Text { text }],
                },
                other => {
                    run.push(other);
                    continue;
                }
            };
            self.push_run(&mut run);
            self.blocks.push(block);
        }
        self.push_run(&mut run);
    }

    fn push_run(&mut self, run: &mut Vec<Inline<'a>>) {
        trim_inlines(run);
        if run.is_empty() {
            return;
        }
        // Exactly as long as it is (a paragraph per table cell adds up), and `run` keeps its
        // buffer for the next one.
        #[expect(
            clippy::drain_collect,
            reason = "an exact-size copy is the point; mem::take would keep the spare room"
        )]
        let content: Vec<Inline<'a>> = run.drain(..).collect();
        // A paragraph of templates only (and spaces) is a row of templates, not prose.
        if content.iter().all(|i| matches!(i, Inline::Template(_))) {
            for i in content {
                if let Inline::Template(t) = i {
                    self.blocks.push(Block::Template(t));
                }
            }
        } else {
            self.blocks.push(Block::Paragraph { content });
        }
    }

    fn flush_pre(&mut self) {
        if !self.pre.is_empty() {
            let content = std::mem::take(&mut self.pre);
            self.blocks.push(Block::Preformatted { content });
        }
    }

    fn pop_list(&mut self) {
        let Some(list) = self.lists.pop() else { return };
        self.prefix.truncate(self.lists.len());
        match self.lists.last_mut() {
            Some(parent) => {
                if parent.items.is_empty() {
                    parent.items.push(ListItem {
                        kind: ItemKind::Item,
                        content: Vec::new(),
                        sublists: Vec::new(),
                    });
                }
                if let Some(item) = parent.items.last_mut() {
                    item.sublists.push(list);
                }
            }
            None => self.blocks.push(Block::List(list)),
        }
    }

    fn flush_lists(&mut self) {
        while !self.lists.is_empty() {
            self.pop_list();
        }
        self.prefix.clear();
    }

    fn flush_all(&mut self) {
        self.flush_para();
        self.flush_pre();
        self.flush_lists();
    }

    fn list_item(&mut self, prefix: &[u8], mut content: Vec<Inline<'a>>) {
        self.flush_para();
        self.flush_pre();
        let common = self
            .prefix
            .iter()
            .zip(prefix)
            .take_while(|(a, b)| compatible(**a, **b))
            .count();
        // Deeper levels than the shared prefix close; the new item goes into the list at the
        // new prefix's depth, opening the missing levels.
        while self.lists.len() > common.min(prefix.len()) {
            self.pop_list();
        }
        for (depth, &c) in prefix.iter().enumerate().skip(self.lists.len()) {
            if let Some(parent) = self.lists.last_mut() {
                if parent.items.is_empty() {
                    let kind = item_kind(self.prefix.get(depth - 1).copied().unwrap_or(b'*'));
                    parent.items.push(ListItem {
                        kind,
                        content: Vec::new(),
                        sublists: Vec::new(),
                    });
                }
            }
            self.lists.push(List {
                kind: list_kind(c),
                items: Vec::new(),
            });
            self.prefix.push(c);
            if depth + 1 < prefix.len() {
                // An intermediate level holds the deeper list in an empty item.
                if let Some(list) = self.lists.last_mut() {
                    list.items.push(ListItem {
                        kind: item_kind(c),
                        content: Vec::new(),
                        sublists: Vec::new(),
                    });
                }
            }
        }
        if let (Some(list), Some(&c)) = (self.lists.last_mut(), prefix.last()) {
            if let Some(last) = self.prefix.last_mut() {
                *last = c;
            }
            trim_inlines(&mut content);
            list.items.push(ListItem {
                kind: item_kind(c),
                content,
                sublists: Vec::new(),
            });
        }
    }

    fn line(&mut self, kind: &LineKind<'_>, inlines: Vec<Inline<'a>>, newline: &'a str) {
        let blank = is_blank(&inlines);
        match kind {
            LineKind::List(prefix) if prefix.last() == Some(&b';') => {
                // `; term : definition` on one line: the first `:` in the text splits it.
                let (term, detail) = split_definition(inlines);
                self.list_item(prefix, term);
                if let Some(detail) = detail {
                    let mut p = prefix.to_vec();
                    if let Some(last) = p.last_mut() {
                        *last = b':';
                    }
                    self.list_item(&p, detail);
                }
            }
            LineKind::List(prefix) if !prefix.is_empty() => self.list_item(prefix, inlines),
            LineKind::Hr => {
                self.flush_all();
                self.blocks.push(Block::Rule);
                if !blank {
                    self.para.extend(inlines);
                }
            }
            LineKind::SpacePre if !blank => {
                self.flush_para();
                self.flush_lists();
                if !self.pre.is_empty() {
                    push_text(self.base, &mut self.pre, newline);
                }
                append(self.base, &mut self.pre, inlines);
            }
            _ if blank => self.flush_all(),
            _ => {
                self.flush_pre();
                self.flush_lists();
                if !self.para.is_empty() {
                    push_text(self.base, &mut self.para, newline);
                }
                append(self.base, &mut self.para, inlines);
            }
        }
    }

    fn finish(mut self) -> Vec<Block<'a>> {
        self.flush_all();
        // A table cell's container lives on in the document: no spare capacity (a row of
        // many cells kept four blocks' room each).
        self.blocks.shrink_to_fit();
        self.blocks
    }
}

impl<'a> Builder<'a> {
    /// A builder for blocks whose text borrows from `base`.
    pub(crate) fn new(base: &'a str) -> Self {
        Builder {
            root: Container::new(base),
            tables: Vec::new(),
        }
    }

    /// Whether a table is open (so that table marks at line starts mean something).
    pub(crate) fn in_table(&self) -> bool {
        !self.tables.is_empty()
    }

    /// Whether another table may open.
    pub(crate) fn may_open_table(&self) -> bool {
        self.tables.len() < MAX_TABLE_DEPTH
    }

    /// How many blocks the section has so far (where `__TOC__` goes).
    pub(crate) fn position(&self) -> usize {
        self.root.blocks.len() + usize::from(!self.root.para.is_empty())
    }

    fn current(&mut self) -> &mut Container<'a> {
        // The innermost open cell, else the container the innermost table sits in.
        let open_cell = self.tables.iter().rposition(|t| t.cell.is_some());
        match open_cell {
            Some(i) if i + 1 == self.tables.len() => match &mut self.tables[i].cell {
                Some((_, _, c)) => c,
                None => &mut self.root,
            },
            _ => {
                // Lines between `{|` and the first cell go before the table, as MediaWiki does.
                let depth = self.tables.len();
                if depth >= 2 {
                    if let Some((_, _, c)) = &mut self.tables[depth - 2].cell {
                        return c;
                    }
                }
                &mut self.root
            }
        }
    }

    fn close_cell(&mut self) {
        if let Some(frame) = self.tables.last_mut() {
            if let Some((header, layout, container)) = frame.cell.take() {
                let blocks = container.finish();
                if frame.table.rows.is_empty() {
                    frame.table.rows.push(Row::default());
                }
                if let Some(row) = frame.table.rows.last_mut() {
                    row.cells.push(Cell {
                        header,
                        layout,
                        blocks,
                    });
                }
            }
        }
    }

    /// Opens a cell of the innermost table with `content` as its first line.
    fn open_cell(
        &mut self,
        header: bool,
        (layout, mut content): (CellLayout, Vec<Inline<'a>>),
        newline: &'a str,
    ) {
        trim_inlines(&mut content);
        let mut container = Container::new(self.root.base);
        container.line(&LineKind::Normal, content, newline);
        if let Some(frame) = self.tables.last_mut() {
            frame.cell = Some((header, layout, container));
        }
    }

    fn close_table(&mut self) {
        self.close_cell();
        if let Some(frame) = self.tables.pop() {
            let mut table = frame.table;
            table.rows.retain(|r| !r.cells.is_empty());
            let block = Block::Table(table);
            let container = self.current();
            container.flush_all();
            container.blocks.push(block);
        }
    }

    /// Adds one logical line; `newline` is the line break before it (joining it to a
    /// paragraph or preformatted text that goes on).
    pub(crate) fn line(
        &mut self,
        kind: LineKind<'_>,
        mut inlines: Vec<Inline<'a>>,
        splits: &[(usize, Split)],
        newline: &'a str,
    ) {
        match kind {
            LineKind::TableStart => {
                self.current().flush_all();
                let sortable = super::inline::parse_attrs(&crate::doc::plain_text(&inlines))
                    .iter()
                    .any(|(k, v)| k == "class" && v.split_whitespace().any(|c| c == "sortable"));
                self.tables.push(TableFrame {
                    table: Table {
                        sortable,
                        ..Table::default()
                    },
                    cell: None,
                });
            }
            LineKind::TableEnd => {
                self.close_table();
                if !is_blank(&inlines) {
                    self.current().line(&LineKind::Normal, inlines, newline);
                }
            }
            LineKind::TableRow => {
                self.close_cell();
                if let Some(frame) = self.tables.last_mut() {
                    frame.table.rows.push(Row::default());
                }
            }
            LineKind::TableCaption => {
                self.close_cell();
                if let Some(&(at, Split::Attr)) = splits.first() {
                    inlines.drain(..at.min(inlines.len()));
                }
                trim_inlines(&mut inlines);
                if let Some(frame) = self.tables.last_mut() {
                    frame.table.caption = inlines;
                }
            }
            LineKind::TableCell | LineKind::TableHead => {
                self.close_cell();
                let header = kind == LineKind::TableHead;
                // One pass over the line's nodes: each cell takes its own nodes (never a
                // copy of the rest of the line, which made a row of n cells cost n^2) and is
                // built at once.
                let mut nodes = inlines.into_iter();
                let mut consumed = 0;
                let mut attr_at: Option<usize> = None;
                for &(at, split) in splits {
                    match split {
                        Split::Attr if attr_at.is_none() => attr_at = Some(at),
                        Split::Attr => {}
                        Split::Cell => {
                            let at = at.max(consumed);
                            let content = take_cell(&mut nodes, consumed, at, attr_at.take());
                            self.open_cell(header, content, newline);
                            self.close_cell();
                            consumed = at;
                        }
                    }
                }
                let content = take_cell(&mut nodes, consumed, usize::MAX, attr_at);
                self.open_cell(header, content, newline);
            }
            other => self.current().line(&other, inlines, newline),
        }
    }

    /// Closes everything still open and returns the blocks.
    pub(crate) fn finish(mut self) -> Vec<Block<'a>> {
        while !self.tables.is_empty() {
            self.close_table();
        }
        self.root.finish()
    }
}
