//! Template expansion before block parsing, as MediaWiki's preprocessor does it: `{{Name|…}}`
//! becomes the text of `Template:Name` with its `{{{parameters}}}` filled in, parser
//! functions (`#if`, `#expr`…) and magic words (`PAGENAME`…) are worked out, and a call of a
//! template that has no page stays as it is for the renderer (its built-in kinds).
//!
//! Pure: the caller says which pages exist through [`Templates`]. Bounded as MediaWiki is:
//! [`Limits`] caps the depth of nested expansion, the nodes visited, the bytes made (so the
//! cost is linear in what comes out) and the size of the result; a template that calls itself
//! or a page built to explode gives an error in the text, never a hang or a panic.

mod expr;
mod functions;
mod time;
mod tree;

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::doc::namespace::{self, Namespace};
use tree::{Call, Mode, Node, Tree};

/// Where template texts come from.
pub trait Templates {
    /// The latest text of the page `title` (`Template:Name`, or any page for `{{:Page}}`),
    /// if it exists.
    fn text(&self, title: &str) -> Option<String>;
}

/// No template pages at all (calls stay for the renderer; functions still work).
pub struct NoTemplates;

impl Templates for NoTemplates {
    fn text(&self, _: &str) -> Option<String> {
        None
    }
}

impl<F: Fn(&str) -> Option<String>> Templates for F {
    fn text(&self, title: &str) -> Option<String> {
        self(title)
    }
}

/// A calendar day (for `CURRENTYEAR`, `{{#time}}` and ages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// The year.
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
    /// 1 to 31.
    pub day: u8,
}

impl Day {
    /// Today (UTC).
    pub fn today() -> Self {
        let now = ::time::OffsetDateTime::now_utc();
        Self {
            year: now.year(),
            month: u8::from(now.month()),
            day: now.day(),
        }
    }
}

/// The page being expanded.
#[derive(Debug, Clone, Copy)]
pub struct PageContext<'a> {
    /// Its full title (`Template:Infobox`, `Ada Lovelace`).
    pub title: &'a str,
    /// Today.
    pub today: Day,
}

/// MediaWiki's limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Calls, parameters and functions nested inside each other.
    pub depth: usize,
    /// Nodes visited in all.
    pub nodes: usize,
    /// Bytes of the result.
    pub output: usize,
    /// Bytes made in all (arguments included): the cost bound.
    pub work: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            depth: 40,
            nodes: 1_000_000,
            output: 2 * 1024 * 1024,
            work: 8 * 1024 * 1024,
        }
    }
}

/// What an expansion used and met.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Used {
    /// Every page transcluded or asked for (`Template:X`, `:Page` as `Page`), existing or
    /// not: saving any of them may change the result.
    pub pages: BTreeSet<String>,
    /// Whether the result depends on today's date.
    pub dated: bool,
    /// The limit met, if one was.
    pub limit: Option<&'static str>,
}

/// The error text MediaWiki puts in a page (and `#iferror` finds).
pub(crate) fn error(message: &str) -> String {
    format!("<strong class=\"error\">{message}</strong>")
}

/// The arguments of a template call, expanded.
#[derive(Debug, Default)]
struct Frame {
    args: HashMap<String, String>,
}

/// The expansion of one page (its state across sections).
pub struct Expander<'e> {
    templates: &'e dyn Templates,
    context: PageContext<'e>,
    limits: Limits,
    trees: HashMap<String, Option<Rc<Tree>>>,
    open: Vec<String>,
    depth: usize,
    nodes: usize,
    work: usize,
    output: usize,
    used: Used,
}

impl<'e> Expander<'e> {
    /// An expander for the page `context`.
    pub fn new(templates: &'e dyn Templates, context: PageContext<'e>, limits: Limits) -> Self {
        Self {
            templates,
            context,
            limits,
            trees: HashMap::new(),
            open: Vec::new(),
            depth: 0,
            nodes: 0,
            work: 0,
            output: 0,
            used: Used::default(),
        }
    }

    /// Expands a piece of the page's own text (read as a page: `<includeonly>` content goes).
    pub fn expand(&mut self, text: &str) -> String {
        if !text.contains("{{") {
            self.output += text.len();
            return text.to_owned();
        }
        let tree = tree::build(text.to_owned(), Mode::Page);
        let mut out = String::with_capacity(text.len());
        let was = self.used.limit;
        self.nodes_into(&tree, &tree.nodes, &Frame::default(), &mut out);
        if self.output + out.len() > self.limits.output {
            let mut cut = self.limits.output.saturating_sub(self.output);
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            self.used
                .limit
                .get_or_insert("the expanded page is over 2 MB");
        }
        self.output += out.len();
        if was.is_none()
            && let Some(limit) = self.used.limit
        {
            out.push_str(&error(&format!("Template expansion stopped: {limit}.")));
        }
        out
    }

    /// What the expansion used so far.
    pub fn used(&self) -> &Used {
        &self.used
    }

    /// What the expansion used.
    pub fn into_used(self) -> Used {
        self.used
    }

    fn stopped(&self) -> bool {
        self.used.limit.is_some()
    }

    fn stop(&mut self, why: &'static str) {
        self.used.limit.get_or_insert(why);
    }

    fn push(&mut self, out: &mut String, text: &str) {
        self.work += text.len();
        if self.work > self.limits.work {
            self.stop("too much text was made");
            return;
        }
        out.push_str(text);
    }

    fn nodes_into(&mut self, tree: &Tree, nodes: &[Node], frame: &Frame, out: &mut String) {
        for node in nodes {
            if self.stopped() {
                return;
            }
            self.nodes += 1;
            if self.nodes > self.limits.nodes {
                self.stop("too many nodes");
                return;
            }
            match node {
                Node::Text(a, b) => self.push(out, &tree.src[*a..*b]),
                Node::Equals(_) => self.push(out, "="),
                Node::Param(call) => self.nested(out, |ex, out| ex.param(tree, call, frame, out)),
                Node::Call(call) => self.nested(out, |ex, out| ex.call(tree, call, frame, out)),
            }
        }
    }

    /// Runs `f` one level deeper, or puts an error if that is too deep.
    fn nested(&mut self, out: &mut String, f: impl FnOnce(&mut Self, &mut String)) {
        if self.depth >= self.limits.depth {
            let message = error(&format!(
                "Expansion depth limit exceeded ({})",
                self.limits.depth
            ));
            self.push(out, &message);
            return;
        }
        self.depth += 1;
        f(self, out);
        self.depth -= 1;
    }

    /// A part expanded.
    fn part(&mut self, tree: &Tree, part: &[Node], frame: &Frame) -> String {
        let mut out = String::new();
        self.nodes_into(tree, part, frame, &mut out);
        out
    }

    /// A part split at its `=`: (name, value), both expanded; no name when it has no `=`.
    fn named(&mut self, tree: &Tree, part: &[Node], frame: &Frame) -> (Option<String>, String) {
        match part.iter().position(|n| matches!(n, Node::Equals(_))) {
            Some(at) => {
                let name = self.part(tree, &part[..at], frame);
                let value = self.part(tree, &part[at + 1..], frame);
                (Some(name), value)
            }
            None => (None, self.part(tree, part, frame)),
        }
    }

    fn param(&mut self, tree: &Tree, call: &Call, frame: &Frame, out: &mut String) {
        let Some(first) = call.parts.first() else {
            return;
        };
        let name = self.part(tree, first, frame);
        if let Some(value) = frame.args.get(name.trim()) {
            self.push(out, value);
        } else if let Some(default) = call.parts.get(1) {
            let value = self.part(tree, default, frame);
            self.push(out, &value);
        } else {
            let text = format!("{{{{{{{name}}}}}}}");
            self.push(out, &text);
        }
    }

    fn call(&mut self, tree: &Tree, call: &Call, frame: &Frame, out: &mut String) {
        let Some(first) = call.parts.first() else {
            return;
        };
        let name = self.part(tree, first, frame);
        let args = &call.parts[1..];
        if functions::call(self, name.trim(), tree, args, frame, out) {
            return;
        }
        let Some(title) = template_title(name.trim()) else {
            self.verbatim(&name, tree, args, frame, out);
            return;
        };
        self.used.pages.insert(title.clone());
        let Some(body) = self.load(&title) else {
            self.verbatim(&name, tree, args, frame, out);
            return;
        };
        if self.open.contains(&title) {
            let message = error(&format!("Template loop detected: [[{title}]]"));
            self.push(out, &message);
            return;
        }
        let mut inner = Frame::default();
        let mut index = 0;
        for part in args {
            match self.named(tree, part, frame) {
                (Some(key), value) => {
                    inner
                        .args
                        .insert(key.trim().to_owned(), value.trim().to_owned());
                }
                (None, value) => {
                    index += 1;
                    inner.args.insert(index.to_string(), value);
                }
            }
        }
        self.open.push(title);
        let mut text = String::new();
        self.nodes_into(&body, &body.nodes, &inner, &mut text);
        self.open.pop();
        // As MediaWiki: a result that starts a block (a list, a table) starts a line.
        if (text.starts_with(['*', '#', ':', ';']) || text.starts_with("{|"))
            && !out.is_empty()
            && !out.ends_with('\n')
        {
            self.push(out, "\n");
        }
        self.push(out, &text);
    }

    /// A call of something that has no page: given back with its parts expanded.
    fn verbatim(
        &mut self,
        name: &str,
        tree: &Tree,
        args: &[Vec<Node>],
        frame: &Frame,
        out: &mut String,
    ) {
        self.push(out, "{{");
        self.push(out, name);
        for part in args {
            self.push(out, "|");
            let text = self.part(tree, part, frame);
            self.push(out, &text);
        }
        self.push(out, "}}");
    }

    /// The tree of a page, read once, a redirect followed once.
    fn load(&mut self, title: &str) -> Option<Rc<Tree>> {
        if let Some(tree) = self.trees.get(title) {
            return tree.clone();
        }
        let mut text = self.templates.text(title);
        if let Some(target) = text.as_deref().and_then(redirect_target) {
            self.used.pages.insert(target.clone());
            text = self.templates.text(&target);
        }
        let tree = text.map(|t| Rc::new(tree::build(t, Mode::Transclusion)));
        self.trees.insert(title.to_owned(), tree.clone());
        tree
    }

    fn note_dated(&mut self) {
        self.used.dated = true;
    }
}

/// The page a call names: `Template:Name` (first letter upper case, `_` as space), another
/// namespace's page when it names one, a main-namespace page for `:Page`. `None` for a name
/// that cannot be a title.
fn template_title(name: &str) -> Option<String> {
    if name.is_empty()
        || name.len() > 255
        || name.contains(['{', '}', '[', ']', '<', '>', '|', '\n', '#'])
    {
        return None;
    }
    let name = name.replace('_', " ");
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(page) = name.strip_prefix(':') {
        let page = page.trim();
        if page.is_empty() {
            return None;
        }
        return Some(namespace::canonical(page).unwrap_or_else(|| namespace::upper_first(page)));
    }
    if let Some(title) = namespace::canonical(&name) {
        return Some(title);
    }
    Some(format!(
        "{}:{}",
        Namespace::Template.name(),
        namespace::upper_first(&name)
    ))
}

/// The target of a `#REDIRECT [[…]]` text.
fn redirect_target(text: &str) -> Option<String> {
    let (target, _) = super::grammar::redirect(text)?;
    let target = target
        .split('#')
        .next()?
        .trim()
        .trim_start_matches(':')
        .trim();
    if target.is_empty() {
        return None;
    }
    Some(namespace::canonical(target).unwrap_or_else(|| namespace::upper_first(target)))
}

#[cfg(test)]
mod tests;
