//! HTML ids for headings, as MediaWiki makes them (TOC numbers are `doc::toc`'s).

use std::collections::{HashMap, HashSet};

pub(crate) use crate::doc::toc::numbers as toc_numbers;

/// The longest anchor we produce, in characters.
pub(crate) const MAX_ANCHOR_CHARS: usize = 1024;

/// Hands out unique anchors for one page: repeats (ignoring ASCII case) get `_2`, `_3`…
#[derive(Default)]
pub(crate) struct Anchors {
    taken: HashSet<String>,
    /// The next suffix to try for a base anchor, so repeats cost O(1) each, not O(n).
    next: HashMap<String, usize>,
}

impl Anchors {
    /// Marks `anchor` as taken (an anchor another heading already has).
    pub(crate) fn reserve(&mut self, anchor: &str) {
        self.taken.insert(anchor.to_ascii_lowercase());
    }

    /// The anchor for a heading titled `title`, unique on the page.
    pub(crate) fn unique(&mut self, title: &str) -> String {
        let base = base_anchor(title);
        let key = base.to_ascii_lowercase();
        if self.taken.insert(key.clone()) {
            return base;
        }
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        loop {
            let suffix = format!("_{n}");
            let room = MAX_ANCHOR_CHARS.saturating_sub(suffix.len());
            let mut candidate = truncate_chars(&base, room).to_string();
            candidate.push_str(&suffix);
            if self.taken.insert(candidate.to_ascii_lowercase()) {
                self.next.insert(key, n + 1);
                return candidate;
            }
            n += 1;
        }
    }
}

/// MediaWiki's HTML5 id: whitespace and underscores collapse to one `_`, the ends trimmed.
pub(crate) fn base_anchor(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending = false;
    for c in title.chars() {
        if c == ' '
            || c == '_'
            || c == '\t'
            || c == '\n'
            || c == '\r'
            || c == '\u{a0}'
            || c == '\u{c}'
        {
            pending = !out.is_empty();
            continue;
        }
        if pending {
            out.push('_');
            pending = false;
        }
        out.push(c);
    }
    truncate_chars(&out, MAX_ANCHOR_CHARS).to_string()
}

fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((at, _)) => &s[..at],
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_become_underscores_and_collapse() {
        assert_eq!(
            base_anchor(" Early  life_ and career "),
            "Early_life_and_career"
        );
    }

    #[test]
    fn repeats_get_suffixes_ignoring_ascii_case() {
        let mut a = Anchors::default();
        assert_eq!(a.unique("Foo bar"), "Foo_bar");
        assert_eq!(a.unique("Foo Bar"), "Foo_Bar_2");
        assert_eq!(a.unique("a_2"), "a_2");
        assert_eq!(a.unique("a"), "a");
        assert_eq!(a.unique("a"), "a_3");
    }

    #[test]
    fn anchors_are_capped() {
        let long = "x".repeat(3000);
        let mut a = Anchors::default();
        assert_eq!(a.unique(&long).chars().count(), 1024);
        assert_eq!(a.unique(&long).chars().count(), 1024);
    }

    #[test]
    fn numbers_follow_relative_levels() {
        assert_eq!(
            toc_numbers(&[2, 3, 2, 3, 4, 3, 4, 4, 2]),
            [
                "1", "1.1", "2", "2.1", "2.1.1", "2.2", "2.2.1", "2.2.2", "3"
            ]
        );
        assert_eq!(
            toc_numbers(&[2, 6, 3, 1, 5, 2]),
            ["1", "1.1", "1.2", "2", "2.1", "2.2"]
        );
        assert_eq!(toc_numbers(&[3, 2]), ["1", "2"]);
    }
}
