//! Reading a template call: its normalised name and its parameters. Shared by `render` (which
//! draws templates) and the rest of `bio` (which reads facts from them).

use crate::doc::{Inline, Param, Template, plain_text};

/// The template's name, lower case, spaces for underscores, without a `Template:` prefix.
pub fn key(t: &Template) -> String {
    let lower = t.name.trim().replace('_', " ").to_lowercase();
    match lower.strip_prefix("template:") {
        Some(rest) => rest.trim().to_owned(),
        None => lower,
    }
}

/// The positional parameters, in order.
pub fn positional<'t>(t: &'t Template<'t>) -> Vec<&'t Param<'t>> {
    t.params.iter().filter(|p| p.name.is_none()).collect()
}

/// The plain text of each positional parameter, trimmed.
pub fn positional_texts(t: &Template) -> Vec<String> {
    positional(t)
        .iter()
        .map(|p| plain_text(&p.value).trim().to_owned())
        .collect()
}

/// The first named parameter with one of `names` (ASCII case ignored) that has content.
pub fn named<'t>(t: &'t Template<'t>, names: &[&str]) -> Option<&'t Param<'t>> {
    t.params.iter().find(|p| {
        p.name
            .as_deref()
            .is_some_and(|n| names.iter().any(|w| n.eq_ignore_ascii_case(w)))
            && has_content(&p.value)
    })
}

/// The trimmed plain text of a parameter, empty when there is none.
pub fn text_of(p: Option<&Param>) -> String {
    p.map(|p| plain_text(&p.value).trim().to_owned())
        .unwrap_or_default()
}

/// Whether inline content holds anything but blank text.
pub fn has_content(value: &[Inline]) -> bool {
    value
        .iter()
        .any(|i| !matches!(i, Inline::Text { text } if text.trim().is_empty()))
}
