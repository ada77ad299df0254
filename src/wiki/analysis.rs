//! What a save needs to know about a text, worked out from the text alone (no database): its
//! hash, its section outline and the hash of each section chunk, what it points at, the plain
//! text the search index keeps, and the person it describes (the `bio` layer's facts).
//!
//! The text is parsed exactly once here. An edit analyses its text inside the save; an import
//! analyses each file on a worker thread while the writer thread writes the files before it
//! (`transfer`), and hands the analysis to the save. Anything else a save must derive from the
//! parsed document belongs here too, so that it is also computed off the writer.

use foldhash::HashSetExt;

use crate::doc::{Outline, PageLinks};
use crate::markup;
use crate::store::facts::NewPerson;
use crate::store::revisions::sha256;
use crate::store::search::IndexedBody;

use super::Title;

/// A text's analysis (see the module documentation).
#[derive(Debug, Clone)]
pub(crate) struct Analysis {
    /// SHA-256 of the whole text.
    pub sha256: [u8; 32],
    /// The section outline, exactly [`markup::outline`] of the text.
    pub outline: Outline,
    /// SHA-256 of each section chunk (the lead, then each heading to the next heading).
    pub chunk_sha256: Vec<[u8; 32]>,
    /// What the text points at, titles normalised.
    pub targets: Targets,
    /// The plain text of each section for the search index (a heading chunk without its heading
    /// line); empty for a redirect, which is not indexed.
    pub bodies: Vec<String>,
    /// What the search index keeps of each of `bodies` (folded, hashed): worked out here, off
    /// an import's writer (issue 13).
    pub indexed: Vec<IndexedBody>,
    /// The person the page describes, ready to be stored.
    pub person: Option<NewPerson>,
    /// The `<ref>`s that may cite a stored source (bound by the save).
    pub cites: Vec<crate::bio::cites::Candidate>,
    /// The text's `{{DEFAULTSORT:…}}` key ([`super::facts::default_sort`]): read here, off an
    /// import's writer (issue 13), for the person and the category links.
    pub default_sort: Option<String>,
}

/// What a text points at, with titles normalised; targets that are not valid titles are left
/// out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Targets {
    /// Internal link targets, in order of first appearance (each written form once), then the
    /// `File:` pages of the files the page shows: a file shown is stored as a link to its page,
    /// so its "What links here" lists the pages showing it and an upload refreshes them.
    pub links: Vec<String>,
    /// Categories with the sort key written in the link (`None` when absent or blank: the
    /// page's title sorts it).
    pub categories: Vec<(String, Option<String>)>,
    /// Templates used.
    pub templates: Vec<String>,
    /// The redirect target of a `#REDIRECT [[…]]` page.
    pub redirect: Option<String>,
}

impl Analysis {
    /// Analyses `text`, the text of page `title` (one full parse).
    pub fn of(text: &str, title: &str) -> Self {
        Self::of_headed(markup::Headed::of(text), title)
    }

    /// [`Analysis::of`] a text whose headings are found already (an import reads its title
    /// line from them first).
    pub fn of_headed(headed: markup::Headed<'_>, title: &str) -> Self {
        let text = headed.text();
        let document = headed.parse();
        let default_sort = super::facts::default_sort(text);
        let person =
            super::facts::person_sorted_as(text, Some(&document), title, default_sort.as_deref());
        let outline = document.outline;
        let starts: Vec<usize> = outline.sections.iter().map(|s| s.byte_start).collect();
        let chunks: Vec<&str> = chunk_texts(text, &starts);
        let targets = Targets::from_links(&document.links);
        let bodies = if targets.redirect.is_some() {
            Vec::new()
        } else {
            search_bodies(title, &chunks)
        };
        Self {
            sha256: sha256(text),
            chunk_sha256: chunks.iter().map(|c| sha256(c)).collect(),
            outline,
            targets,
            indexed: bodies.iter().map(|b| IndexedBody::of(b)).collect(),
            bodies,
            person,
            cites: crate::bio::cites::candidates(text),
            default_sort,
        }
    }
}

impl Targets {
    /// Normalises what the parser found.
    pub fn from_links(found: &PageLinks) -> Self {
        // A biography links to the same pages many times: normalise each target once.
        let mut seen: foldhash::HashSet<&str> = HashSetExt::with_capacity(found.links.len());
        Self {
            links: found
                .links
                .iter()
                .chain(&found.files)
                .filter(|t| seen.insert(t.as_str()))
                .filter_map(|t| normal(t))
                .collect(),
            categories: found
                .categories
                .iter()
                .filter_map(|(name, sort)| {
                    let sort = sort.clone().filter(|s| !s.trim().is_empty());
                    Some((normal(name)?, sort))
                })
                .collect(),
            templates: found.templates.iter().filter_map(|t| normal(t)).collect(),
            redirect: found.redirect.as_deref().and_then(normal),
        }
    }

    /// The categories with their sort keys, a missing one being `title`.
    pub fn categories_sorted_as(&self, title: &str) -> Vec<(String, String)> {
        self.categories
            .iter()
            .map(|(name, sort)| {
                (
                    name.clone(),
                    sort.clone().unwrap_or_else(|| title.to_owned()),
                )
            })
            .collect()
    }
}

/// A link target as a normalised title (a leading `:` dropped), if it is a valid one.
fn normal(raw: &str) -> Option<String> {
    Title::new(raw.trim_start_matches(':'))
        .ok()
        .map(Title::into_string)
}

/// The chunks of `text` cut at `starts` (the outline's section starts).
pub(crate) fn chunk_texts<'t>(text: &'t str, starts: &[usize]) -> Vec<&'t str> {
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| &text[start..starts.get(i + 1).copied().unwrap_or(text.len())])
        .collect()
}

/// The plain text the search index keeps for each chunk of page `title` (see
/// [`search_body`]).
pub(crate) fn search_bodies(title: &str, chunks: &[&str]) -> Vec<String> {
    let source = is_source(title);
    chunks
        .iter()
        .enumerate()
        .map(|(position, chunk)| body_of(source, position, chunk))
        .collect()
}

/// The plain text the search index keeps for the chunk at `position` of page `title`: the
/// lead whole, a heading chunk without its heading line (the section title is indexed on its
/// own); in a source document, without its boilerplate (issue 13: a donation appeal is not what
/// the source says), found in the chunk itself. Search snippets are made from it again at query
/// time, so it depends on nothing but the title and the chunk.
pub(crate) fn search_body(title: &str, position: usize, chunk: &str) -> String {
    body_of(is_source(title), position, chunk)
}

fn body_of(source: bool, position: usize, chunk: &str) -> String {
    let body = if position == 0 {
        chunk
    } else {
        chunk.split_once('\n').map_or("", |(_, rest)| rest)
    };
    if source {
        return super::search::plain_text(&without_boilerplate(body));
    }
    super::search::plain_text(body)
}

/// Whether `title` is a source document's (a `Source:` page).
fn is_source(title: &str) -> bool {
    super::Title::new(title).is_ok_and(|t| t.namespace() == super::Namespace::Source)
}

/// `text` with its boilerplate paragraphs left out (the paragraphs around them stay apart).
fn without_boilerplate(text: &str) -> std::borrow::Cow<'_, str> {
    let spans = crate::bio::boilerplate::boilerplate(text);
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for span in spans {
        kept.push_str(&text[from..span.start]);
        from = span.end;
    }
    kept.push_str(&text[from..]);
    std::borrow::Cow::Owned(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_agrees_with_the_outline_and_the_parse() {
        let text = "Lead [[ada lovelace]] [[:Category:X]] {{cite web|url=u}}\n\
                    == Life ==\nBorn. [[Category:People| ]][[Category:Poets|Byron]]\n\
                    === Work ===\n[[Analytical Engine|the engine]]\n";
        let analysis = Analysis::of(text, "Ada");
        assert_eq!(analysis.outline, markup::outline(text));
        assert_eq!(analysis.person, None, "no infobox, no person");
        assert_eq!(analysis.sha256, sha256(text));
        assert_eq!(analysis.chunk_sha256.len(), 3);
        let starts: Vec<usize> = analysis
            .outline
            .sections
            .iter()
            .map(|s| s.byte_start)
            .collect();
        assert_eq!(chunk_texts(text, &starts).concat(), text);
        assert_eq!(
            analysis.targets.links,
            ["Ada lovelace", "Category:X", "Analytical Engine"]
        );
        assert_eq!(
            analysis.targets.categories_sorted_as("Ada"),
            [
                ("People".to_owned(), "Ada".to_owned()),
                ("Poets".to_owned(), "Byron".to_owned())
            ]
        );
        assert_eq!(analysis.targets.templates, ["Cite web"]);
        assert_eq!(analysis.bodies.len(), 3);
        assert!(analysis.bodies[1].contains("Born."));
        assert!(!analysis.bodies[1].contains("Life"));
    }

    #[test]
    fn a_redirect_has_a_target_and_no_search_text() {
        let analysis = Analysis::of("#REDIRECT [[ada Lovelace#Life]]\n", "Ada");
        assert_eq!(analysis.targets.redirect.as_deref(), Some("Ada Lovelace"));
        assert!(analysis.bodies.is_empty());
    }
}
