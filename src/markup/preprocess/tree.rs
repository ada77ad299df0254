//! A text as the preprocessor sees it: text, calls `{{…}}` and parameters `{{{…}}}`, split
//! into parts at `|` and into name and value at a part's first `=`.
//!
//! The grammar reads the tokens (`grammar::pp_token`); this module pairs them with an explicit
//! stack, by MediaWiki's rule: a run of `}` closes the innermost open run of `{`, three braces
//! at a time as a parameter when both runs have three, else two as a call; what is left of the
//! opening run stays open around what was closed. `[[…]]` is kept together so that a link's
//! `|` does not split a call. Whatever is still open at the end is text. At most
//! [`MAX_OPEN`] runs are open at once: beyond that, braces are text. No recursion.

use memchr::memmem;

use super::super::grammar::{IncludeTag, PpToken, pp_token};

/// The most brace or link runs open at once.
pub(super) const MAX_OPEN: usize = 200;

/// How a text is read: as a page shown, or as a page transcluded into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Shown: `<noinclude>` tags vanish (their content stays), `<includeonly>` content goes.
    Page,
    /// Transcluded: only `<onlyinclude>` content if there is any; `<noinclude>` content goes,
    /// `<includeonly>` tags vanish; comments go.
    Transclusion,
}

/// A node of the tree. Text is a byte range of the tree's source.
#[derive(Debug)]
pub(super) enum Node {
    /// Source text.
    Text(usize, usize),
    /// The first `=` of a part (after the first): name before, value after.
    Equals(usize),
    /// `{{name|…}}`.
    Call(Box<Call>),
    /// `{{{name|default}}}`.
    Param(Box<Call>),
}

/// A call or a parameter: its parts, the first being the name.
#[derive(Debug, Default)]
pub(super) struct Call {
    pub parts: Vec<Vec<Node>>,
}

/// A text and its tree.
#[derive(Debug)]
pub(super) struct Tree {
    pub src: String,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opener {
    Brace,
    Link,
}

/// An open run on the stack.
struct Open {
    kind: Opener,
    start: usize,
    count: usize,
    parts: Vec<Vec<Node>>,
    /// Where each `|` after the first part stands (to give them back as text).
    pipes: Vec<usize>,
    /// Whether the current part has had its `=`.
    equals: bool,
}

fn push_text(nodes: &mut Vec<Node>, from: usize, to: usize) {
    if from >= to {
        return;
    }
    if let Some(Node::Text(_, end)) = nodes.last_mut()
        && *end == from
    {
        *end = to;
        return;
    }
    nodes.push(Node::Text(from, to));
}

fn target<'a>(stack: &'a mut [Open], root: &'a mut Vec<Node>) -> &'a mut Vec<Node> {
    match stack.last_mut() {
        Some(open) => open.parts.last_mut().map_or(root, |p| p),
        None => root,
    }
}

/// The byte ranges of `src` a mode reads: all of it, or only the `<onlyinclude>` spans.
fn spans(src: &str, mode: Mode) -> Vec<(usize, usize)> {
    if mode == Mode::Page {
        return vec![(0, src.len())];
    }
    let lower = src.to_ascii_lowercase();
    let (open, close) = (b"<onlyinclude>".as_slice(), b"</onlyinclude>".as_slice());
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(n) = memmem::find(&lower.as_bytes()[at..], open) {
        let from = at + n + open.len();
        let to = memmem::find(&lower.as_bytes()[from..], close).map_or(src.len(), |n| from + n);
        found.push((from, to));
        at = (to + close.len()).min(src.len());
    }
    if found.is_empty() {
        found.push((0, src.len()));
    }
    found
}

/// Where the section of an include tag's content ends: after the matching closing tag, or
/// at the end of the span.
fn skip_to_close(src: &str, from: usize, to: usize, name: &str) -> usize {
    let closing = format!("</{name}>");
    let lower = src[from..to].to_ascii_lowercase();
    memmem::find(lower.as_bytes(), closing.as_bytes()).map_or(to, |n| from + n + closing.len())
}

/// Builds the tree of `src` read in `mode`.
pub(super) fn build(src: String, mode: Mode) -> Tree {
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let bytes = src.as_bytes();
    for (from, to) in spans(&src, mode) {
        let mut pos = from;
        let mut text_from = from;
        while pos < to {
            let b = bytes[pos];
            if !matches!(b, b'{' | b'}' | b'[' | b']' | b'<' | b'|' | b'=') {
                pos += 1;
                continue;
            }
            if b == b'|' || b == b'=' {
                let Some(open) = stack.last_mut().filter(|o| o.kind == Opener::Brace) else {
                    pos += 1;
                    continue;
                };
                push_text(
                    open.parts.last_mut().map_or(&mut root, |p| p),
                    text_from,
                    pos,
                );
                if b == b'|' {
                    open.parts.push(Vec::new());
                    open.pipes.push(pos);
                    open.equals = false;
                } else if open.parts.len() > 1 && !open.equals {
                    open.equals = true;
                    if let Some(part) = open.parts.last_mut() {
                        part.push(Node::Equals(pos));
                    }
                } else if let Some(part) = open.parts.last_mut() {
                    push_text(part, pos, pos + 1);
                }
                pos += 1;
                text_from = pos;
                continue;
            }
            let token = pp_token(&src[..to], pos);
            if matches!(token, PpToken::Other) {
                pos += 1;
                continue;
            }
            push_text(target(&mut stack, &mut root), text_from, pos);
            pos = match token {
                PpToken::Open(n) => {
                    if n >= 2 && stack.len() < MAX_OPEN {
                        stack.push(Open {
                            kind: Opener::Brace,
                            start: pos,
                            count: n,
                            parts: vec![Vec::new()],
                            pipes: Vec::new(),
                            equals: false,
                        });
                    } else {
                        push_text(target(&mut stack, &mut root), pos, pos + n);
                    }
                    pos + n
                }
                PpToken::Close(n) => close_braces(&mut stack, &mut root, pos, n),
                PpToken::Link(true) => {
                    if stack.len() < MAX_OPEN {
                        stack.push(Open {
                            kind: Opener::Link,
                            start: pos,
                            count: 2,
                            parts: vec![Vec::new()],
                            pipes: Vec::new(),
                            equals: false,
                        });
                    } else {
                        push_text(target(&mut stack, &mut root), pos, pos + 2);
                    }
                    pos + 2
                }
                PpToken::Link(false) => {
                    if stack.last().is_some_and(|o| o.kind == Opener::Link) {
                        if let Some(open) = stack.pop() {
                            let into = target(&mut stack, &mut root);
                            push_text(into, open.start, open.start + 2);
                            for part in open.parts {
                                for node in part {
                                    append(into, node);
                                }
                            }
                            push_text(into, pos, pos + 2);
                        }
                    } else {
                        push_text(target(&mut stack, &mut root), pos, pos + 2);
                    }
                    pos + 2
                }
                PpToken::Comment(end) => {
                    if mode == Mode::Page && stack.is_empty() {
                        push_text(&mut root, pos, end.min(to));
                    }
                    end.min(to)
                }
                PpToken::Include {
                    name,
                    closing,
                    empty,
                    end,
                } => {
                    let end = end.min(to);
                    let skipped = match (mode, name) {
                        (Mode::Page, IncludeTag::IncludeOnly) => Some("includeonly"),
                        (Mode::Transclusion, IncludeTag::NoInclude) => Some("noinclude"),
                        _ => None,
                    };
                    match skipped {
                        Some(tag) if !closing && !empty => skip_to_close(&src, end, to, tag),
                        _ => end,
                    }
                }
                PpToken::Verbatim { name, end } => {
                    let end = end.min(to);
                    let empty = bytes[..end].ends_with(b"/>");
                    let stop = if empty {
                        end
                    } else {
                        let tag = src[name.0..name.1].to_ascii_lowercase();
                        skip_to_close(&src, end, to, &tag)
                    };
                    push_text(target(&mut stack, &mut root), pos, stop);
                    stop
                }
                PpToken::Other => pos + 1,
            };
            text_from = pos;
        }
        push_text(target(&mut stack, &mut root), text_from, to);
    }
    while let Some(open) = stack.pop() {
        let into = target(&mut stack, &mut root);
        flatten(open, into);
    }
    Tree { src, nodes: root }
}

/// Appends a node, joining touching text.
fn append(into: &mut Vec<Node>, node: Node) {
    match node {
        Node::Text(a, b) => push_text(into, a, b),
        Node::Equals(at) => push_text(into, at, at + 1),
        other => into.push(other),
    }
}

/// An open run that never closed, given back as text around the calls it holds.
fn flatten(open: Open, into: &mut Vec<Node>) {
    push_text(into, open.start, open.start + open.count);
    let mut pipes = open.pipes.into_iter();
    for (i, part) in open.parts.into_iter().enumerate() {
        if i > 0
            && let Some(at) = pipes.next()
        {
            push_text(into, at, at + 1);
        }
        for node in part {
            append(into, node);
        }
    }
}

/// A run of `n` `}` at `pos`: closes calls and parameters while the innermost open run is
/// of braces. Returns where the run ends.
fn close_braces(stack: &mut Vec<Open>, root: &mut Vec<Node>, pos: usize, n: usize) -> usize {
    let mut used = 0;
    while used < n {
        let Some(top) = stack.last() else { break };
        if top.kind != Opener::Brace {
            break;
        }
        let m = (n - used).min(top.count);
        let take = match m {
            0 | 1 => break,
            2 => 2,
            _ => 3,
        };
        let Some(open) = stack.pop() else { break };
        let call = Box::new(Call { parts: open.parts });
        let node = if take == 3 {
            Node::Param(call)
        } else {
            Node::Call(call)
        };
        let left = open.count - take;
        if left >= 2 {
            stack.push(Open {
                kind: Opener::Brace,
                start: open.start,
                count: left,
                parts: vec![vec![node]],
                pipes: Vec::new(),
                equals: false,
            });
        } else {
            let into = target(stack, root);
            if left == 1 {
                push_text(into, open.start, open.start + 1);
            }
            into.push(node);
        }
        used += take;
    }
    push_text(target(stack, root), pos + used, pos + n);
    pos + n
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tree written back as a string, calls as `C(…)` and parameters as `P(…)`.
    fn show(tree: &Tree) -> String {
        fn walk(src: &str, nodes: &[Node], out: &mut String) {
            for node in nodes {
                match node {
                    Node::Text(a, b) => out.push_str(&src[*a..*b]),
                    Node::Equals(_) => out.push('='),
                    Node::Call(c) | Node::Param(c) => {
                        out.push_str(if matches!(node, Node::Call(_)) {
                            "C("
                        } else {
                            "P("
                        });
                        for (i, part) in c.parts.iter().enumerate() {
                            if i > 0 {
                                out.push('|');
                            }
                            walk(src, part, out);
                        }
                        out.push(')');
                    }
                }
            }
        }
        let mut out = String::new();
        walk(&tree.src, &tree.nodes, &mut out);
        out
    }

    fn page(text: &str) -> String {
        show(&build(text.to_owned(), Mode::Page))
    }

    #[test]
    fn braces_pair_as_mediawiki_pairs_them() {
        assert_eq!(page("a {{b|c=d}} e"), "a C(b|c=d) e");
        assert_eq!(page("{{{1|x}}}"), "P(1|x)");
        assert_eq!(page("{{{{{a}}}}}"), "C(P(a))");
        assert_eq!(page("{{{a}}"), "{C(a)");
        assert_eq!(page("{{a}}}"), "C(a)}");
        assert_eq!(page("{{a|{{b}}|c}}"), "C(a|C(b)|c)");
        assert_eq!(page("{{a|[[b|c]]}}"), "C(a|[[b|c]])");
        assert_eq!(page("{{a|b"), "{{a|b");
        assert_eq!(page("x}} {{"), "x}} {{");
        assert_eq!(page("{ {a} }"), "{ {a} }");
    }

    #[test]
    fn include_tags_depend_on_the_mode() {
        let text = "a<noinclude>b</noinclude><includeonly>c</includeonly>d".to_owned();
        assert_eq!(show(&build(text.clone(), Mode::Page)), "abd");
        assert_eq!(show(&build(text, Mode::Transclusion)), "acd");
        let only = "x<onlyinclude>y</onlyinclude>z<onlyinclude>w</onlyinclude>".to_owned();
        assert_eq!(show(&build(only.clone(), Mode::Transclusion)), "yw");
        assert_eq!(show(&build(only, Mode::Page)), "xyzw");
    }

    #[test]
    fn comments_and_nowiki_hide_braces() {
        assert_eq!(page("<!-- {{a}} -->{{b}}"), "<!-- {{a}} -->C(b)");
        assert_eq!(page("<nowiki>{{a}}</nowiki>"), "<nowiki>{{a}}</nowiki>");
        assert_eq!(page("{{a|<!-- x -->b}}"), "C(a|b)");
        assert_eq!(page("<nowiki/>{{a}}"), "<nowiki/>C(a)");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "{{a|".repeat(10_000) + &"}}".repeat(10_000);
        let tree = build(text.clone(), Mode::Page);
        assert_eq!(show(&tree).len(), text.len() - MAX_OPEN);
    }
}
