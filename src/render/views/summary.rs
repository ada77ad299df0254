//! Edit summaries as MediaWiki shows them: a summary that starts with `/* Section title */`
//! (a section edit's) shows that part as a link to the section, `→Section title:`, then the
//! rest. The stored summary (and the API's) keeps the raw text.

use maud::{Markup, html};

use crate::render::links::fragment;

/// The section a summary names and the rest of it, when it starts with `/* … */`.
pub fn section_part(summary: &str) -> Option<(&str, &str)> {
    let rest = summary.trim_start().strip_prefix("/*")?;
    let (section, after) = rest.split_once("*/")?;
    let section = section.trim();
    (!section.is_empty()).then_some((section, after.trim_start()))
}

/// A summary of a change to the page whose URL segment is `segment`.
pub fn summary(segment: &str, summary: &str) -> Markup {
    match section_part(summary) {
        Some((section, rest)) => html! {
            span.autocomment {
                a href=(format!("/wiki/{segment}{}", fragment(section))) title=(format!("Section {section}")) { "→" (section) }
                @if !rest.is_empty() { ": " }
            }
            (rest)
        },
        None => html! { (summary) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_comment_becomes_a_link_and_the_rest_stays_text() {
        assert_eq!(
            section_part("/* Early life */ typo"),
            Some(("Early life", "typo"))
        );
        assert_eq!(section_part("no comment"), None);
        assert_eq!(section_part("/* */ empty"), None);
        let html = summary("Ada_Lovelace", "/* Early life */ <b>typo</b>").into_string();
        assert_eq!(
            html,
            "<span class=\"autocomment\"><a href=\"/wiki/Ada_Lovelace#Early_life\" title=\"Section Early life\">→Early life</a>: </span>&lt;b&gt;typo&lt;/b&gt;"
        );
    }
}
