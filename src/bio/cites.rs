//! Citations of stored sources: which `<ref>`s of a page cite a source document, the sentence
//! each supports, and the quotations that sentence attributes to it.
//!
//! A `<ref>` cites a stored source in three ways: `<ref source="Source:Title">page or
//! quotation</ref>`, a link to a `Source:` page in it (`<ref>[[Source:Title|…]]</ref>`), or a
//! `{{cite …|url=…}}` whose URL is a stored source's (the caller knows which URLs are). A named
//! reuse (`<ref name="a" />`) cites what the named footnote cites.
//!
//! [`candidates`] and [`cites`] read the raw text (the sentence spans must point into the stored
//! text), [`target_of`] reads a parsed footnote (for the references list). Both are linear and
//! never panic.

use foldhash::HashMap;

use crate::doc::{Inline, Reference, plain_text};

use super::prose::{Sentence, sentences};
use super::quotes::quotations;

/// The namespace of source documents, as a lower-case prefix.
const SOURCE_PREFIX: &str = "source:";
/// The longest sentence kept with a citation, in bytes (a longer one is cut at a character).
pub const MAX_SENTENCE_BYTES: usize = 600;
/// The longest quotation kept, in bytes.
pub const MAX_QUOTATION_BYTES: usize = 1000;
/// The most citations read from one page.
pub const MAX_CITES: usize = 2000;

/// What a `<ref>` cites.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// A `Source:` page, by its title as written.
    Page(String),
    /// The URL of a `{{cite …}}`: a stored source when one has this URL.
    Url(String),
}

/// A citation in a page's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cite {
    /// What it cites.
    pub target: Target,
    /// The section it is in (0 for the lead).
    pub section: usize,
    /// The citing sentence's byte span in the text (the `<ref>` itself when no sentence
    /// precedes it in its section).
    pub span: (usize, usize),
    /// The citing sentence's plain text (empty when there is none), at most
    /// [`MAX_SENTENCE_BYTES`].
    pub sentence: String,
    /// The quotations the sentence attributes to the source: each quotation in the sentence,
    /// and the `<ref>`'s own text when it is one (`<ref source="…">"…"</ref>`).
    pub quotations: Vec<String>,
}

/// A `<ref>` tag in the raw text.
struct RefTag<'t> {
    /// The byte offset of `<ref`.
    at: usize,
    name: Option<String>,
    source: Option<String>,
    /// The text between `<ref …>` and `</ref>` (`None` for `<ref … />`).
    content: Option<&'t str>,
}

/// A `<ref>` that may cite a stored source, found in one cheap pass (no sentences): a save's
/// analysis finds these off the writer, and the writer keeps those whose target is a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The byte offset of its `<ref`.
    pub at: usize,
    /// What it cites.
    pub target: Target,
    /// Its own text when that is a quotation (`<ref source="…">"…"</ref>`).
    pub quotation: Option<String>,
}

/// The `<ref>`s of `text` that cite a `Source:` page or a `{{cite}}` URL, in order of the text
/// (at most [`MAX_CITES`]).
pub fn candidates(text: &str) -> Vec<Candidate> {
    every_ref(text)
        .into_iter()
        .filter_map(|(tag, target)| {
            Some(Candidate {
                at: tag.at,
                target: target?,
                quotation: tag.content.and_then(quotation_in_ref),
            })
        })
        .take(MAX_CITES)
        .collect()
}

/// Every `<ref>` tag of `text` with what it cites, if anything: its own target, else (a named
/// reuse) the target of the first footnote of that name.
fn every_ref(text: &str) -> Vec<(RefTag<'_>, Option<Target>)> {
    let tags = ref_tags(text);
    let mut named: HashMap<String, Target> = HashMap::default();
    let mut targets = Vec::with_capacity(tags.len());
    for tag in &tags {
        let target = tag
            .source
            .as_deref()
            .map(|s| Target::Page(s.to_owned()))
            .or_else(|| tag.content.and_then(target_in_markup));
        if let (Some(name), Some(target)) = (tag.name.as_deref(), &target) {
            named
                .entry(name.to_owned())
                .or_insert_with(|| target.clone());
        }
        targets.push(target);
    }
    tags.into_iter()
        .zip(targets)
        .map(|(tag, target)| {
            let target = target.or_else(|| named.get(tag.name.as_deref()?).cloned());
            (tag, target)
        })
        .collect()
}

/// A `<ref>` of a page's text, whatever it cites, with the sentence it supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// What it cites, when that may be a stored source (a `Source:` page, a `{{cite}}` URL).
    pub target: Option<Target>,
    /// The section it is in (0 for the lead).
    pub section: usize,
    /// The citing sentence's byte span (the `<ref>` itself when no sentence precedes it).
    pub span: (usize, usize),
    /// The citing sentence's plain text, at most [`MAX_SENTENCE_BYTES`].
    pub sentence: String,
}

/// Every `<ref>` of `text` (at most [`MAX_CITES`]), whose sections start at `starts`, with the
/// sentence it supports: what a page's citation report lists. Linear in the text.
pub fn footnotes(text: &str, starts: &[usize]) -> Vec<Footnote> {
    let refs = every_ref(text);
    if refs.is_empty() {
        return Vec::new();
    }
    let all = sentences(text, starts);
    refs.into_iter()
        .take(MAX_CITES)
        .map(|(tag, target)| {
            let section = starts.iter().rposition(|&s| s <= tag.at).unwrap_or(0);
            let sentence = citing_sentence(&all, section, tag.at);
            Footnote {
                target,
                section,
                span: sentence.map_or((tag.at, tag.at), |s| s.span),
                sentence: sentence.map_or_else(String::new, |s| cut(&s.text, MAX_SENTENCE_BYTES)),
            }
        })
        .collect()
}

/// The citations made by the `bound` candidates of `text` (those that cite a stored source),
/// whose sections start at `starts` (byte offsets, the lead's 0 first): each with its section,
/// its sentence and the quotations it attributes to the source.
pub fn cites(text: &str, starts: &[usize], bound: Vec<Candidate>) -> Vec<Cite> {
    if bound.is_empty() {
        return Vec::new();
    }
    let all = sentences(text, starts);
    bound
        .into_iter()
        .map(|candidate| {
            let section = starts.iter().rposition(|&s| s <= candidate.at).unwrap_or(0);
            let sentence = citing_sentence(&all, section, candidate.at);
            let mut quoted: Vec<String> = sentence
                .map(|s| {
                    quotations(&s.text, &[])
                        .into_iter()
                        .map(|q| cut(&s.text[q.span], MAX_QUOTATION_BYTES))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(own) = candidate.quotation {
                if !quoted.contains(&own) {
                    quoted.push(own);
                }
            }
            Cite {
                target: candidate.target,
                section,
                span: sentence.map_or((candidate.at, candidate.at), |s| s.span),
                sentence: sentence.map_or_else(String::new, |s| cut(&s.text, MAX_SENTENCE_BYTES)),
                quotations: quoted,
            }
        })
        .collect()
}

/// The sentence a `<ref>` at `at` supports: the one it stands in, else the last one before it
/// in its section.
fn citing_sentence(all: &[Sentence], section: usize, at: usize) -> Option<&Sentence> {
    let before = all.partition_point(|s| s.span.0 <= at);
    all[..before].last().filter(|s| s.section == section)
}

/// `text` cut to at most `max` bytes, at a character boundary.
fn cut(text: &str, max: usize) -> String {
    let mut end = text.len().min(max);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim().to_owned()
}

/// The `<ref>` tags of `text`, outside comments, in order. One pass: each closing marker is
/// looked for once and the answer reused while it lies ahead.
fn ref_tags(text: &str) -> Vec<RefTag<'_>> {
    // Markers are matched in any case where they stand, without a lowercased copy of the whole
    // text (issue 13: every page of an import is read here).
    let bytes = text.as_bytes();
    let after = |from: usize, byte: u8| memchr::memchr(byte, &bytes[from..]).map(|i| from + i);
    let mut tags = Vec::new();
    let mut close_ahead: Option<Option<usize>> = None;
    let mut from = 0;
    while let Some(found) = next_open(text, from) {
        if text[found..].starts_with("<!--") {
            from =
                memchr::memmem::find(&bytes[found..], b"-->").map_or(text.len(), |e| found + e + 3);
            continue;
        }
        let tag_start = found;
        let after_name = tag_start + 4;
        let Some(gt) = after(after_name, b'>') else {
            break;
        };
        let attrs_src = &text[after_name..gt];
        let self_closing = attrs_src.trim_end().ends_with('/');
        let attrs = attributes(attrs_src.trim_end().trim_end_matches('/'));
        let value = |key: &str| {
            attrs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let (name, source) = (value("name"), value("source"));
        if self_closing {
            tags.push(RefTag {
                at: tag_start,
                name,
                source,
                content: None,
            });
            from = gt + 1;
            continue;
        }
        let close = match close_ahead {
            Some(Some(c)) if c > gt => Some(c),
            Some(None) => None,
            _ => {
                let c = super::prose::find_ignore_case(text, gt, "</ref");
                close_ahead = Some(c);
                c
            }
        };
        let Some(close) = close else {
            from = gt + 1;
            continue;
        };
        tags.push(RefTag {
            at: tag_start,
            name,
            source,
            content: Some(&text[gt + 1..close]),
        });
        from = after(close, b'>').map_or(text.len(), |e| e + 1);
    }
    tags
}

/// The next `<ref` tag (in any case, followed by a space, `>` or `/`) or comment at or after
/// `from`.
fn next_open(text: &str, mut from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while let Some(i) = memchr::memchr(b'<', bytes.get(from..)?) {
        let at = from + i;
        let rest = &bytes[at..];
        if rest.starts_with(b"<!--") {
            return Some(at);
        }
        if rest.len() > 4
            && rest[1..4].eq_ignore_ascii_case(b"ref")
            && matches!(rest[4], b' ' | b'\t' | b'\n' | b'>' | b'/')
        {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// `key="value" key='value' key=value`, in order.
fn attributes(src: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = src.trim_start();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq]
            .trim()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("");
        let after = rest[eq + 1..].trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (&after[1..1 + end], &after[end + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((key.to_owned(), value.to_owned()));
        rest = next.trim_start();
    }
    out
}

/// What a `<ref>`'s markup cites: a `[[Source:…]]` link in it, else a `{{cite …|url=…}}`.
fn target_in_markup(content: &str) -> Option<Target> {
    source_link(content).or_else(|| cite_url(content).map(Target::Url))
}

/// The first `[[Source:Title]]` or `[[Source:Title|label]]` in `markup`.
fn source_link(markup: &str) -> Option<Target> {
    let mut rest = markup;
    while let Some(open) = rest.find("[[") {
        let inner = &rest[open + 2..];
        let end = inner.find("]]").unwrap_or(inner.len());
        let target = inner[..end].split('|').next().unwrap_or("").trim();
        let target = target.trim_start_matches(':').trim_start();
        if is_source_title(target) {
            return Some(Target::Page(target.to_owned()));
        }
        rest = &inner[end..];
    }
    None
}

/// Whether `title` is in the `Source:` namespace (any case, spaces before the colon allowed).
fn is_source_title(title: &str) -> bool {
    let Some((namespace, name)) = title.split_once(':') else {
        return false;
    };
    namespace
        .trim()
        .eq_ignore_ascii_case(&SOURCE_PREFIX[..SOURCE_PREFIX.len() - 1])
        && !name.trim().is_empty()
}

/// The `url=` of the first `{{cite …}}` template in `markup`.
fn cite_url(markup: &str) -> Option<String> {
    let mut rest = markup;
    while let Some(open) = rest.find("{{") {
        let inner = &rest[open + 2..];
        let end = inner.find("}}").unwrap_or(inner.len());
        let mut params = inner[..end].split('|');
        let name = params.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.starts_with("cite") {
            let url = params.find_map(|p| {
                let (key, value) = p.split_once('=')?;
                key.trim().eq_ignore_ascii_case("url").then(|| value.trim())
            });
            if let Some(url) = url.filter(|u| !u.is_empty()) {
                return Some(url.to_owned());
            }
        }
        rest = &inner[end..];
    }
    None
}

/// The `<ref>`'s own text when it is a quotation: it opens with a quotation mark.
fn quotation_in_ref(content: &str) -> Option<String> {
    let content = content.trim();
    let inner = content
        .strip_prefix('"')
        .or_else(|| content.strip_prefix('“'))?;
    let inner = inner.trim_end_matches(['"', '”', '.', ' ']);
    (!inner.trim().is_empty()).then(|| cut(inner, MAX_QUOTATION_BYTES))
}

/// What a parsed footnote cites: its `source` attribute, a `[[Source:…]]` link in it, else a
/// `{{cite …|url=…}}` in it (a source when the URL is one).
pub fn target_of(reference: &Reference<'_>) -> Option<Target> {
    if let Some(source) = &reference.source {
        return Some(Target::Page(source.clone()));
    }
    target_in(&reference.content, 0)
}

fn target_in(content: &[Inline<'_>], depth: usize) -> Option<Target> {
    if depth > crate::doc::MAX_DEPTH {
        return None;
    }
    let mut url = None;
    for inline in content {
        match inline {
            Inline::Link { target, .. } if is_source_title(target) => {
                return Some(Target::Page(target.to_string()));
            }
            Inline::Template(t)
                if url.is_none() && t.name.to_ascii_lowercase().starts_with("cite") =>
            {
                url = t
                    .params
                    .iter()
                    .find(|p| {
                        p.name
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case("url"))
                    })
                    .map(|p| plain_text(&p.value).trim().to_owned())
                    .filter(|u| !u.is_empty());
            }
            Inline::Italic { content }
            | Inline::Bold { content }
            | Inline::Html { content, .. } => {
                if let Some(found) = target_in(content, depth + 1) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    url.map(Target::Url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOG: &str = "https://blog.example.org/post";

    fn read(text: &str) -> Vec<Cite> {
        let mut starts = vec![0];
        starts.extend(text.match_indices("\n==").map(|(i, _)| i + 1));
        let bound = candidates(text)
            .into_iter()
            .filter(|c| !matches!(&c.target, Target::Url(url) if url != BLOG))
            .collect();
        cites(text, &starts, bound)
    }

    #[test]
    fn ref_tags_are_found_in_any_case_and_not_in_comments() {
        let text = "Ada.<REF Name=\"a\" SOURCE=\"Source:Notes\">p. 1</Ref >\
                    <!-- <ref source=\"Source:Hidden\">x</ref> -->\
                    Then.<Ref name=a/> Again.<reference>no</reference><refx>no</refx>\
                    Last.<rEf>[[Source:Letters]]</REF>";
        let tags = ref_tags(text);
        let read: Vec<_> = tags
            .iter()
            .map(|t| (t.at, t.name.as_deref(), t.source.as_deref(), t.content))
            .collect();
        let at = |marker: &str| text.find(marker).unwrap_or(usize::MAX);
        assert_eq!(
            read,
            [
                (at("<REF"), Some("a"), Some("Source:Notes"), Some("p. 1")),
                (at("<Ref name"), Some("a"), None, None),
                (at("<rEf"), None, None, Some("[[Source:Letters]]")),
            ]
        );
        let targets: Vec<_> = every_ref(text).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            targets,
            [
                Some(Target::Page("Source:Notes".into())),
                Some(Target::Page("Source:Notes".into())),
                Some(Target::Page("Source:Letters".into())),
            ]
        );
    }

    #[test]
    fn the_three_ways_to_cite_bind_to_a_source() {
        let text = format!(
            "Ada wrote the notes in 1843.<ref source=\"Source:Notes\">p. 12</ref> \
             She met Babbage.<ref>[[Source:Letters of Ada|the letters]], 1842.</ref>\n\
             == Later ==\nShe was ill.<ref>{{{{cite web |title=Post |url={BLOG} }}}}</ref> \
             Unrelated.<ref>{{{{cite web|url=https://other.example.org}}}}</ref>\n"
        );
        let found = read(&text);
        let targets: Vec<&Target> = found.iter().map(|c| &c.target).collect();
        assert_eq!(
            targets,
            [
                &Target::Page("Source:Notes".into()),
                &Target::Page("Source:Letters of Ada".into()),
                &Target::Url(BLOG.into()),
            ]
        );
        assert_eq!(found[0].sentence, "Ada wrote the notes in 1843.");
        assert_eq!(found[1].sentence, "She met Babbage.");
        assert_eq!((found[0].section, found[2].section), (0, 1));
        assert_eq!(found[2].sentence, "She was ill.");
        let (a, b) = found[0].span;
        assert_eq!(&text[a..b], "Ada wrote the notes in 1843.");
    }

    #[test]
    fn quotations_come_from_the_sentence_and_the_ref() {
        let text = "He called it \u{201c}a plot by the embassy\u{201d} and \"nonsense\".\
                    <ref source=\"Source:Blog\">\"We will not be silenced.\"</ref>\n";
        let found = read(text);
        assert_eq!(
            found[0].quotations,
            [
                "a plot by the embassy",
                "nonsense",
                "We will not be silenced"
            ]
        );
        let page = read("A claim.<ref source=\"Source:Blog\">p. 4</ref>");
        assert!(page[0].quotations.is_empty());
    }

    #[test]
    fn a_named_reuse_cites_the_same_source_and_other_refs_nothing() {
        let text = "One.<ref name=\"b\" source=\"Source:B\">x</ref> Two.<ref name=\"b\" /> \
                    Three.<ref>A book, 1990.</ref> <!-- <ref source=\"Source:C\">y</ref> -->\
                    Four.<ref name=b/>";
        let found = read(text);
        let sentences: Vec<&str> = found.iter().map(|c| c.sentence.as_str()).collect();
        assert_eq!(sentences, ["One.", "Two.", "Four."]);
        assert!(
            found
                .iter()
                .all(|c| c.target == Target::Page("Source:B".into()))
        );
    }

    #[test]
    fn footnotes_are_every_ref_with_its_sentence() {
        let text = "One claim.<ref name=\"b\" source=\"Source:B\">x</ref> \
                    Two claims.<ref>A book, 1990.</ref><ref name=\"b\" />\n== Later ==\n\
                    Three.<ref>{{cite web|url=https://c.example.org}}</ref>";
        let starts = [0, text.find("== Later").unwrap()];
        let found = footnotes(text, &starts);
        let read: Vec<(Option<Target>, usize, &str)> = found
            .iter()
            .map(|f| (f.target.clone(), f.section, f.sentence.as_str()))
            .collect();
        assert_eq!(
            read,
            [
                (Some(Target::Page("Source:B".into())), 0, "One claim."),
                (None, 0, "Two claims."),
                (Some(Target::Page("Source:B".into())), 0, "Two claims."),
                (
                    Some(Target::Url("https://c.example.org".into())),
                    1,
                    "Three."
                ),
            ]
        );
        let (a, b) = found[1].span;
        assert_eq!(&text[a..b], "Two claims.");
        assert!(footnotes("No refs at all.", &[0]).is_empty());
    }

    #[test]
    fn unclosed_and_hostile_refs_cost_little_and_never_panic() {
        let many = "<ref>[[Source:X".repeat(20_000);
        assert!(read(&many).is_empty());
        let odd = "é<ref source='Source:Ö'>“unclosed</ref><ref source=\"\">x</ref><ref";
        assert_eq!(read(odd).len(), 1);
        let page = format!("{}<ref source=\"Source:A\" />", "word ".repeat(1000));
        assert_eq!(read(&page)[0].sentence.len(), MAX_SENTENCE_BYTES - 1);
    }

    #[test]
    fn a_parsed_footnote_knows_its_target() {
        let doc = crate::markup::parse(
            "A.<ref source=\"Source:A\">p. 1</ref> B.<ref>[[Source:B|b]]</ref> \
             C.<ref>{{cite news|url=https://c.example.org|title=C}}</ref> D.<ref>Book.</ref>",
        );
        let targets: Vec<Option<Target>> = doc.refs.iter().map(target_of).collect();
        assert_eq!(
            targets,
            [
                Some(Target::Page("Source:A".into())),
                Some(Target::Page("Source:B".into())),
                Some(Target::Url("https://c.example.org".into())),
                None,
            ]
        );
    }
}
