//! Parser functions (`{{#if:…}}`, `{{lc:…}}`) and magic words (`{{PAGENAME}}`), as
//! MediaWiki and its ParserFunctions extension define them. A branch is expanded only when
//! it is taken.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::tree::{Node, Tree};
use super::{Expander, Frame, error, expr, time};
use crate::doc::namespace::{self, Namespace};

/// The most characters `padleft`/`padright` make (as MediaWiki: 500).
const MAX_PAD: usize = 500;

/// Works out `{{name…}}` if it is a function or a magic word; `false` if it is not one.
pub(super) fn call(
    ex: &mut Expander<'_>,
    name: &str,
    tree: &Tree,
    args: &[Vec<Node>],
    frame: &Frame,
    out: &mut String,
) -> bool {
    if args.is_empty()
        && let Some(value) = magic_word(ex, name)
    {
        ex.push(out, &value);
        return true;
    }
    let Some((function, first)) = name.split_once(':') else {
        return false;
    };
    let function = function.trim();
    let lower = function.to_ascii_lowercase();
    let first = first.trim();
    let mut a = Args {
        ex,
        tree,
        args,
        frame,
    };
    let result = match lower.as_str() {
        "#if" => {
            let branch = if first.is_empty() { 1 } else { 0 };
            a.trimmed(branch)
        }
        "#ifeq" => {
            let other = a.trimmed(0);
            let branch = if same(first, &other) { 1 } else { 2 };
            a.trimmed(branch)
        }
        "#iferror" => {
            if first.contains("class=\"error\"") {
                a.trimmed(0)
            } else if args.len() > 1 {
                a.trimmed(1)
            } else {
                first.to_owned()
            }
        }
        "#ifexpr" => match expr::evaluate(first) {
            Ok(value) => a.trimmed(if value != 0.0 { 0 } else { 1 }),
            Err(e) => error(&format!("Expression error: {e}")),
        },
        "#expr" if first.is_empty() => String::new(),
        "#expr" => match expr::evaluate(first) {
            Ok(value) => expr::format(value),
            Err(e) => error(&format!("Expression error: {e}")),
        },
        "#switch" => switch(&mut a, first),
        "#tag" => tag(&mut a, first),
        "#time" => {
            let date = a.trimmed(0);
            if date.is_empty() || date.eq_ignore_ascii_case("now") {
                a.ex.note_dated();
            }
            let today = a.ex.context.today;
            time::format(first, &date, today)
        }
        "lc" => first.to_lowercase(),
        "uc" => first.to_uppercase(),
        "lcfirst" => {
            let mut chars = first.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => String::new(),
            }
        }
        "ucfirst" => namespace::upper_first(first),
        "urlencode" => urlencode(first, &a.trimmed(0)),
        "padleft" | "padright" => {
            let length = a.trimmed(0).parse::<usize>().unwrap_or(0).min(MAX_PAD);
            let pad = a.raw(1).unwrap_or_else(|| "0".to_owned());
            pad_to(first, length, &pad, lower == "padleft")
        }
        _ => return false,
    };
    ex.push(out, &result);
    true
}

/// A function's arguments after the first, expanded when asked for.
struct Args<'a, 'e> {
    ex: &'a mut Expander<'e>,
    tree: &'a Tree,
    args: &'a [Vec<Node>],
    frame: &'a Frame,
}

impl Args<'_, '_> {
    /// Argument `i` (0 = the one after the first) expanded, `None` if absent.
    fn raw(&mut self, i: usize) -> Option<String> {
        let part = self.args.get(i)?;
        Some(self.ex.part(self.tree, part, self.frame))
    }

    /// Argument `i` expanded and trimmed, empty if absent.
    fn trimmed(&mut self, i: usize) -> String {
        self.raw(i).map(|s| s.trim().to_owned()).unwrap_or_default()
    }
}

/// `#ifeq` and `#switch` equality: as numbers when both are numbers, else as text.
fn same(a: &str, b: &str) -> bool {
    match (number(a), number(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty()
        || !text
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        return None;
    }
    text.parse().ok()
}

/// `{{#switch: value | a = x | b | c = y | #default = z}}`, as ParserFunctions does it: cases
/// without `=` fall through to the next value; a last part without `=` is the default.
fn switch(a: &mut Args<'_, '_>, value: &str) -> String {
    let mut found = false;
    let mut default: Option<usize> = None;
    let mut last_bare: Option<usize> = None;
    for i in 0..a.args.len() {
        let part = &a.args[i];
        match part.iter().position(|n| matches!(n, Node::Equals(_))) {
            Some(at) => {
                last_bare = None;
                if found {
                    return a
                        .ex
                        .part(a.tree, &part[at + 1..], a.frame)
                        .trim()
                        .to_owned();
                }
                let key = a.ex.part(a.tree, &part[..at], a.frame);
                let key = key.trim();
                if same(key, value) {
                    return a
                        .ex
                        .part(a.tree, &part[at + 1..], a.frame)
                        .trim()
                        .to_owned();
                }
                if key == "#default" {
                    default = Some(i);
                }
            }
            None => {
                last_bare = Some(i);
                let key = a.ex.part(a.tree, part, a.frame);
                if same(key.trim(), value) {
                    found = true;
                }
            }
        }
    }
    if let Some(i) = last_bare {
        return a.trimmed(i);
    }
    match default {
        Some(i) => {
            let part = &a.args[i];
            let at = part
                .iter()
                .position(|n| matches!(n, Node::Equals(_)))
                .map_or(0, |at| at + 1);
            a.ex.part(a.tree, &part[at..], a.frame).trim().to_owned()
        }
        None => String::new(),
    }
}

/// `{{#tag:name|content|attr=value}}`: the tag as markup.
fn tag(a: &mut Args<'_, '_>, name: &str) -> String {
    let name = name.trim().to_ascii_lowercase();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return error("#tag needs a tag name");
    }
    let content = a.raw(0).unwrap_or_default();
    let mut open = format!("<{name}");
    for i in 1..a.args.len() {
        let part = &a.args[i];
        if let (Some(key), value) = a.ex.named(a.tree, part, a.frame) {
            let key = key.trim();
            if key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && !key.is_empty() {
                let value = value.trim().trim_matches('"').replace('"', "&quot;");
                open.push_str(&format!(" {key}=\"{value}\""));
            }
        }
    }
    format!("{open}>{content}</{name}>")
}

/// What characters `urlencode` leaves as they are (PHP's `urlencode`: letters, digits, `-_.`).
const QUERY: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.');
/// `WIKI` style keeps `/` and `:` too.
const WIKI: &AsciiSet = &QUERY.remove(b'/').remove(b':');

fn urlencode(text: &str, kind: &str) -> String {
    match kind {
        "WIKI" => utf8_percent_encode(&text.replace(' ', "_"), WIKI).to_string(),
        "PATH" => utf8_percent_encode(text, QUERY).to_string(),
        _ => utf8_percent_encode(text, QUERY)
            .to_string()
            .replace("%20", "+"),
    }
}

/// `text` padded to `length` characters with `pad` repeated (on the left or the right).
fn pad_to(text: &str, length: usize, pad: &str, left: bool) -> String {
    let have = text.chars().count();
    if pad.is_empty() || have >= length {
        return text.to_owned();
    }
    let padding: String = pad.chars().cycle().take(length - have).collect();
    if left {
        padding + text
    } else {
        text.to_owned() + &padding
    }
}

/// A magic word without arguments.
fn magic_word(ex: &mut Expander<'_>, name: &str) -> Option<String> {
    let title = ex.context.title;
    let (space, rest) = match namespace::split(title) {
        Some((space, rest)) => (space, rest),
        None => (Namespace::Main, title),
    };
    Some(match name {
        "!" => "|".to_owned(),
        "=" => "=".to_owned(),
        "PAGENAME" => rest.to_owned(),
        "FULLPAGENAME" => title.to_owned(),
        "NAMESPACE" => {
            if space == Namespace::Main {
                String::new()
            } else {
                space.name().to_owned()
            }
        }
        "CURRENTYEAR" => {
            ex.note_dated();
            ex.context.today.year.to_string()
        }
        "CURRENTMONTH" => {
            ex.note_dated();
            format!("{:02}", ex.context.today.month)
        }
        "CURRENTDAY" => {
            ex.note_dated();
            ex.context.today.day.to_string()
        }
        _ => return None,
    })
}
