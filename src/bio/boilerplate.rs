//! Boilerplate in a source document: text that is not the document's content (a donation
//! appeal, share buttons, a newsletter sign-up, a cookie notice, "related articles"). It is found
//! by paragraph, kept out of search, quotations and mentions, and shown folded on the source
//! page; the stored text is never changed.

use std::ops::Range;

/// Phrases that make a short paragraph boilerplate wherever it is.
const STRONG: &[&str] = &[
    "share this",
    "share on facebook",
    "share on twitter",
    "share on x",
    "click to share",
    "subscribe to our newsletter",
    "sign up for our newsletter",
    "sign up to our newsletter",
    "newsletter sign-up",
    "newsletter signup",
    "we use cookies",
    "this site uses cookies",
    "this website uses cookies",
    "accept cookies",
    "cookie policy",
    "related articles",
    "related posts",
    "you may also like",
    "read more:",
    "donate button",
    "begging bowl",
    "donate today",
    "make a donation",
    "support us",
    "support our journalism",
];

/// Phrases that mark a paragraph as part of an appeal: boilerplate when they run on to the end
/// of the document, where appeals and footers sit.
const WEAK: &[&str] = &[
    "support",
    "donat",
    "contribution",
    "subscribe",
    "newsletter",
    "needs you",
    "help us",
    "ad-free",
    "follow us",
    "thank you for reading",
    "all rights reserved",
    "copyright",
    "share",
];

/// A paragraph longer than this (in bytes) is content even with a strong phrase in it.
const MAX_STRONG_PARAGRAPH: usize = 300;

/// The boilerplate in `text`: byte ranges of whole paragraphs (runs of lines between blank
/// lines), in order and not overlapping. A paragraph is boilerplate when it is short and has a
/// strong phrase ("share this", "we use cookies", "related articles"), or when it starts the
/// document's tail in which at least half the paragraphs, first and last included, have an
/// appeal phrase. Linear in the text.
pub fn boilerplate(text: &str) -> Vec<Range<usize>> {
    let paragraphs = paragraphs(text);
    let marks: Vec<(bool, bool)> = paragraphs
        .iter()
        .map(|range| {
            let lower = text[range.clone()].to_lowercase();
            let strong =
                range.len() <= MAX_STRONG_PARAGRAPH && STRONG.iter().any(|p| lower.contains(p));
            (strong, strong || WEAK.iter().any(|p| lower.contains(p)))
        })
        .collect();
    let tail_start = appeal_tail(&marks);
    let mut spans: Vec<Range<usize>> = Vec::new();
    for (i, (range, (strong, _))) in paragraphs.iter().zip(&marks).enumerate() {
        if !(*strong || tail_start.is_some_and(|start| i >= start)) {
            continue;
        }
        match spans.last_mut() {
            Some(last) if text[last.end..range.start].trim().is_empty() => last.end = range.end,
            _ => spans.push(range.clone()),
        }
    }
    spans
}

/// The first paragraph of the longest tail (ending at the last paragraph, which must be marked)
/// whose first paragraph is marked and in which at least half the paragraphs are marked.
/// A tail of one paragraph needs a strong phrase.
fn appeal_tail(marks: &[(bool, bool)]) -> Option<usize> {
    let (last_strong, last_marked) = *marks.last()?;
    if !last_marked {
        return None;
    }
    let mut best = last_strong.then_some(marks.len() - 1);
    let mut marked = 0usize;
    for (i, (_, weak)) in marks.iter().enumerate().rev() {
        marked += usize::from(*weak);
        let len = marks.len() - i;
        if *weak && len >= 2 && marked * 2 >= len {
            best = Some(i);
        }
    }
    best
}

/// The paragraphs of `text`: byte ranges of runs of non-blank lines, without their line ends.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            out.extend(current.take());
        } else {
            let end = offset + content.len();
            match &mut current {
                Some(range) => range.end = end,
                None => current = Some(offset..end),
            }
        }
        offset += line.len();
    }
    out.extend(current);
    out
}

/// What a stretch of boilerplate is, for the reader (`Not part of the source: donation
/// appeal`): the kind whose phrases it has, tried in this order, else `boilerplate`.
pub fn label(text: &str) -> &'static str {
    const KINDS: &[(&str, &[&str])] = &[
        (
            "donation appeal",
            &[
                "donat",
                "begging bowl",
                "contribution",
                "support us",
                "support our",
                "needs you",
                "help us",
                "ad-free",
            ],
        ),
        ("cookie notice", &["cookie"]),
        ("newsletter sign-up", &["newsletter", "subscribe"]),
        ("share buttons", &["share"]),
        (
            "related articles",
            &[
                "related articles",
                "related posts",
                "you may also like",
                "read more",
            ],
        ),
        (
            "footer",
            &[
                "all rights reserved",
                "copyright",
                "follow us",
                "thank you for reading",
            ],
        ),
    ];
    let lower = text.to_lowercase();
    KINDS
        .iter()
        .find(|(_, phrases)| phrases.iter().any(|p| lower.contains(p)))
        .map_or("boilerplate", |(kind, _)| kind)
}

/// Whether `span` overlaps any of `spans` (sorted, as [`boilerplate`] returns them).
pub fn overlaps(spans: &[Range<usize>], span: &Range<usize>) -> bool {
    let after = spans.partition_point(|s| s.end <= span.start);
    spans.get(after).is_some_and(|s| s.start < span.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> Vec<&str> {
        boilerplate(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_donation_appeal_at_the_end_is_boilerplate() {
        let text = "Ada Byron met Babbage in 1833.\n\nShe wrote the notes in 1843.\n\n\
                    Support Our Little Paper\n\nWe are funded by readers like you.\n\n\
                    Every contribution helps.\n\nJust click the donate button below";
        let spans = marked(text);
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert!(spans[0].starts_with("Support Our Little Paper"));
        assert!(spans[0].ends_with("donate button below"));
    }

    #[test]
    fn share_buttons_and_cookie_notices_anywhere_are_boilerplate() {
        let text = "We use cookies to improve your experience.\n\nThe bridge opened in 1864.\n\n\
                    Share this: Facebook Twitter\n\nIt was designed by Brunel.";
        assert_eq!(
            marked(text),
            [
                "We use cookies to improve your experience.",
                "Share this: Facebook Twitter"
            ]
        );
    }

    #[test]
    fn content_that_mentions_support_is_not_boilerplate() {
        let text = "The union gave its support to the strike.\n\nThe strike ended in 1889.";
        assert!(marked(text).is_empty());
        let text = "The strike ended in 1889.\n\nThe union gave its support to the strike.";
        assert!(
            marked(text).is_empty(),
            "one weak paragraph is not an appeal"
        );
    }

    #[test]
    fn the_seed_blog_post_ends_in_an_appeal() {
        let seeds = std::env::var("PLUTARCH_SEEDS").unwrap_or_else(|_| "../shared/seeds".into());
        let Ok(text) = std::fs::read_to_string(format!("{seeds}/source-blog-post.txt")) else {
            eprintln!("skipped: {seeds} (PLUTARCH_SEEDS, else ../shared/seeds) is absent");
            return;
        };
        let spans = boilerplate(&text);
        assert_eq!(spans.len(), 1);
        let appeal = &text[spans[0].clone()];
        assert!(appeal.starts_with("Support Labour Heartlands"), "{appeal}");
        assert!(appeal.ends_with("Just click the donate button below"));
        assert!(!appeal.contains("Masot"));
    }

    #[test]
    fn boilerplate_is_labelled_by_what_it_is() {
        assert_eq!(
            label("Support Our Little Paper\n\nJust click the donate button"),
            "donation appeal"
        );
        assert_eq!(
            label("We use cookies to improve your experience."),
            "cookie notice"
        );
        assert_eq!(label("Share this: Facebook Twitter"), "share buttons");
        assert_eq!(label("Sign up for our newsletter"), "newsletter sign-up");
        assert_eq!(label("Related articles"), "related articles");
        assert_eq!(label("Copyright 2018. All rights reserved."), "footer");
        assert_eq!(label("Nothing to say"), "boilerplate");
    }

    #[test]
    fn overlaps_finds_spans_that_touch_boilerplate() {
        let spans = [2..5, 10..12];
        assert!(overlaps(&spans, &(4..6)));
        assert!(overlaps(&spans, &(0..11)));
        assert!(!overlaps(&spans, &(5..10)));
        assert!(!overlaps(&spans, &(12..20)));
    }
}
