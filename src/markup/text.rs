//! Text runs as `Cow<str>`: slices of the markup where possible, owned only where entities
//! were decoded or pieces that are not neighbours in the markup were joined.
//!
//! Two slices of the markup that touch (one ends where the other starts) join into one
//! longer slice, so a paragraph whose text nodes meet costs no allocation.

use std::borrow::Cow;

use crate::doc::Inline;

/// The byte offset of `s` in `base`, if `s` lies inside it.
fn offset_in(base: &str, s: &str) -> Option<usize> {
    let start = (s.as_ptr() as usize).checked_sub(base.as_ptr() as usize)?;
    (start + s.len() <= base.len()).then_some(start)
}

/// Appends `next` to `last`: a longer slice of `base` when the two touch there, else an
/// owned string.
pub(crate) fn join<'a>(base: &'a str, last: &mut Cow<'a, str>, next: &str) {
    if next.is_empty() {
        return;
    }
    if let Cow::Borrowed(prev) = last {
        if let (Some(a), Some(b)) = (offset_in(base, prev), offset_in(base, next)) {
            if a + prev.len() == b {
                if let Some(joined) = base.get(a..b + next.len()) {
                    *prev = joined;
                    return;
                }
            }
        }
        if prev.is_empty() {
            // An empty marker node: take the next text as it is when it is a slice of `base`.
            if let Some(b) = offset_in(base, next) {
                if let Some(slice) = base.get(b..b + next.len()) {
                    *prev = slice;
                    return;
                }
            }
        }
    }
    last.to_mut().push_str(next);
}

/// Appends text to inline content, merging it into a text node that ends the content.
pub(crate) fn push_text<'a>(base: &'a str, out: &mut Vec<Inline<'a>>, s: &'a str) {
    if s.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text { text }) => join(base, text, s),
        _ => out.push(Inline::Text {
            text: Cow::Borrowed(s),
        }),
    }
}

/// `part` (a slice of `whole`'s text) as a `Cow` of the same kind: borrowed from the markup
/// when `whole` is.
pub(crate) fn slice_of<'a>(whole: &Cow<'a, str>, part: &str) -> Cow<'a, str> {
    if let Cow::Borrowed(s) = whole {
        if let Some(at) = offset_in(s, part) {
            if let Some(slice) = s.get(at..at + part.len()) {
                return Cow::Borrowed(slice);
            }
        }
    }
    Cow::Owned(part.to_string())
}

/// Appends one inline node, merging text nodes where they meet.
pub(crate) fn push_inline<'a>(base: &'a str, out: &mut Vec<Inline<'a>>, inline: Inline<'a>) {
    match inline {
        Inline::Text { text } => match (out.last_mut(), text) {
            (Some(Inline::Text { text: last }), Cow::Borrowed(s)) => join(base, last, s),
            (Some(Inline::Text { text: last }), Cow::Owned(s)) => last.to_mut().push_str(&s),
            (_, text) => out.push(Inline::Text { text }),
        },
        other => out.push(other),
    }
}

/// Appends `src` to `dst`, merging text nodes where they meet.
pub(crate) fn append<'a>(base: &'a str, dst: &mut Vec<Inline<'a>>, src: Vec<Inline<'a>>) {
    if dst.is_empty() {
        *dst = src;
        return;
    }
    dst.reserve(src.len());
    for inline in src {
        push_inline(base, dst, inline);
    }
}

/// Drops leading whitespace.
pub(crate) fn trim_start(text: &mut Cow<'_, str>) {
    match text {
        Cow::Borrowed(s) => *s = s.trim_start(),
        Cow::Owned(s) => {
            let cut = s.len() - s.trim_start().len();
            s.drain(..cut);
        }
    }
}

/// Drops trailing characters matching `pat`.
pub(crate) fn trim_end_matches(text: &mut Cow<'_, str>, pat: &[char]) {
    match text {
        Cow::Borrowed(s) => *s = s.trim_end_matches(pat),
        Cow::Owned(s) => {
            let keep = s.trim_end_matches(pat).len();
            s.truncate(keep);
        }
    }
}

/// Drops trailing whitespace.
pub(crate) fn trim_end(text: &mut Cow<'_, str>) {
    match text {
        Cow::Borrowed(s) => *s = s.trim_end(),
        Cow::Owned(s) => {
            let keep = s.trim_end().len();
            s.truncate(keep);
        }
    }
}

/// Splits at byte `at` (a char boundary): `text` keeps the head, the tail is returned.
pub(crate) fn split_off<'a>(text: &mut Cow<'a, str>, at: usize) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(s) => {
            let (head, tail) = s.split_at(at);
            *s = head;
            Cow::Borrowed(tail)
        }
        Cow::Owned(s) => Cow::Owned(s.split_off(at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_slices_join_without_allocating() {
        let base = "abc def";
        let mut out = Vec::new();
        push_text(base, &mut out, &base[0..3]);
        push_text(base, &mut out, &base[3..7]);
        assert!(matches!(
            &out[..],
            [Inline::Text {
                text: Cow::Borrowed("abc def")
            }]
        ));
        push_text(base, &mut out, "!");
        assert!(matches!(&out[..], [Inline::Text { text: Cow::Owned(t) }] if t == "abc def!"));
    }

    #[test]
    fn gaps_make_an_owned_string() {
        let base = "ab<!-- x -->cd";
        let mut out = Vec::new();
        push_text(base, &mut out, &base[0..2]);
        push_text(base, &mut out, &base[12..14]);
        assert_eq!(out, [Inline::text("abcd")]);
        assert!(matches!(
            &out[..],
            [Inline::Text {
                text: Cow::Owned(_)
            }]
        ));
    }

    #[test]
    fn trims_and_splits_keep_slices() {
        let mut t = Cow::Borrowed("  a: b  ");
        trim_start(&mut t);
        trim_end(&mut t);
        let tail = split_off(&mut t, 1);
        assert_eq!((t.as_ref(), tail.as_ref()), ("a", ": b"));
        assert!(matches!(tail, Cow::Borrowed(_)));
    }
}
