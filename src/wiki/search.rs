//! Search: user queries made safe for FTS5, hits with HTML-escaped snippets, and the crude
//! plain-text form of markup that is indexed.

use std::sync::LazyLock;

use memchr::memmem::Finder;
use serde::Serialize;

pub use crate::store::search::HitsFrom;
use crate::store::search::{self as fts, MARK_END, MARK_START};
use crate::store::{Db, pages};

use super::analysis::search_body;
use super::{Title, WikiError};

/// The section a hit is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchSection {
    /// Its index in the latest revision.
    pub index: usize,
    /// Its stable id.
    pub id: String,
    /// Its HTML anchor ("" for the lead).
    pub anchor: String,
    /// Its heading ("" for the lead).
    pub title: String,
}

/// One search result: a page, its best section with a snippet, and its other matching sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    /// The page's title.
    pub title: String,
    /// Its best section.
    pub section: SearchSection,
    /// Text around the match, HTML-escaped, with matches in `<mark>…</mark>`.
    pub snippet: String,
    /// The page's other sections that match, in the page's order (at most
    /// [`MAX_OTHER_SECTIONS`](crate::store::search::MAX_OTHER_SECTIONS)).
    pub other_sections: Vec<SearchSection>,
    /// How many other sections match in all.
    pub other_sections_total: usize,
    /// Its place in the ranking: the next page starts after it.
    #[serde(skip)]
    pub place: HitsFrom,
}

/// A page of search results and how many pages match in all.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// One per page, best first.
    pub hits: Vec<SearchHit>,
    /// How many pages match.
    pub total: usize,
}

/// Searches the latest revisions of all live pages, one result per page, best first (bm25;
/// page and section titles count more than text). Every word of `query` must occur (a trailing
/// `*` makes a word a prefix); FTS5 syntax in the query is treated as text; accents and letters
/// such as `ł` and `ß` fold to plain letters on both sides.
pub async fn search(
    db: &Db,
    query: &str,
    limit: usize,
    from: HitsFrom,
) -> Result<SearchResults, WikiError> {
    let Some(fts_query) = fts_query(query) else {
        return Ok(SearchResults::default());
    };
    let found = db
        .read_search(move |conn| fts::query(conn, &fts_query, limit, from, &search_body))
        .await?;
    let section = |position: usize, id: String, anchor: String, title: String| SearchSection {
        index: position,
        id,
        anchor,
        title,
    };
    let hits = found
        .pages
        .into_iter()
        .map(|page| SearchHit {
            title: page.best.page_title,
            section: section(
                page.best.position,
                page.best.section_id,
                page.best.anchor,
                page.best.section_title,
            ),
            snippet: snippet_html(&page.best.snippet),
            other_sections: page
                .others
                .into_iter()
                .map(|o| section(o.position, o.section_id, o.anchor, o.section_title))
                .collect(),
            other_sections_total: page.others_total,
            place: HitsFrom::After {
                rank: page.rank,
                row: page.page_id,
            },
        })
        .collect();
    Ok(SearchResults {
        hits,
        total: found.total,
    })
}

/// The result whose page title is the query, ignoring case, accents and written-out letters
/// (`strasse` is `Straße`, `marie sklodowska-curie` is `Marie Skłodowska-Curie`), for "go to
/// page" when no title matched exactly.
pub fn hit_named<'h>(hits: &'h [SearchHit], query: &str) -> Option<&'h SearchHit> {
    let title = Title::new(query).ok()?;
    let wanted = fold_title(title.as_str());
    hits.iter().find(|hit| fold_title(&hit.title) == wanted)
}

/// A title as [`hit_named`] compares it.
fn fold_title(title: &str) -> String {
    fold(&crate::doc::fold::text(title))
}

/// The live page whose title is exactly `query` (after normalisation), for "go to page".
pub async fn page_exists(db: &Db, query: &str) -> Result<Option<Title>, WikiError> {
    let Ok(title) = Title::new(query) else {
        return Ok(None);
    };
    let probe = vec![title.as_str().to_owned()];
    let found = db.read(move |conn| pages::existing(conn, &probe)).await?;
    Ok((!found.is_empty()).then_some(title))
}

/// The live page a query names, for "go to page": its title exactly (after normalisation),
/// else ignoring case (`ada lovelace` is `Ada Lovelace`).
pub async fn page_named(db: &Db, query: &str) -> Result<Option<Title>, WikiError> {
    let Ok(title) = Title::new(query) else {
        return Ok(None);
    };
    let probe = title.as_str().to_owned();
    let found = db
        .read(move |conn| pages::title_for_query(conn, &probe))
        .await?;
    Ok(found.and_then(|found| Title::new(&found).ok()))
}

/// Prefix searches allowed in one query: each expands to every indexed word it starts.
const MAX_PREFIXES: usize = 4;
/// The shortest stem a prefix search takes (`a*` matches nearly every section).
const MIN_PREFIX_CHARS: usize = 2;
/// The most terms a query keeps, after duplicates are removed. Each term costs a pass over its
/// list of occurrences (to rank, bm25 counts the sections holding it), so the work a query may
/// do is bounded by this times the longest list.
const MAX_TERMS: usize = 12;

/// A user query as FTS5 syntax: each word quoted (so `AND`, `"`, `:`, `(`, `-`… are text), all
/// words required, a trailing `*` kept as a prefix search. `None` when nothing is left.
///
/// Words are cut into terms where the index's tokenizer cuts them (at anything but letters and
/// digits), so `the.the.the…` is the one term `the`, not a phrase of a hundred terms; control
/// characters separate terms too (a NUL would end FTS5's quoted string early). Terms that
/// fold to the same word (case, Latin diacritics) are kept once: `the ` × 75 cost 2–4 s on a
/// 46 MB wiki, each copy scanning the same occurrences again. At most [`MAX_TERMS`] are kept.
///
/// Prefixes are bounded: over 100,000 sections, 32 one-letter prefixes took 2.2 s of a reader
/// thread. A stem shorter than [`MIN_PREFIX_CHARS`], or past the first [`MAX_PREFIXES`]
/// prefixes, is searched as a whole word.
pub(crate) fn fts_query(query: &str) -> Option<String> {
    let mut prefixes = 0;
    let mut kept: Vec<(String, bool)> = Vec::new();
    let mut terms = Vec::new();
    'words: for word in query.split(|c: char| c.is_whitespace() || c.is_control()) {
        let (stem, star) = match word.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (word, false),
        };
        let tokens: Vec<&str> = stem
            .split(|c: char| !is_token_char(c))
            .filter(|token| !token.is_empty())
            .collect();
        let last = tokens.len().saturating_sub(1);
        for (i, token) in tokens.into_iter().enumerate() {
            let prefix = star
                && i == last
                && token.chars().count() >= MIN_PREFIX_CHARS
                && prefixes < MAX_PREFIXES;
            let token = crate::doc::fold::text(token);
            let key = (fold(&token), prefix);
            if kept.contains(&key) {
                continue;
            }
            if terms.len() == MAX_TERMS {
                break 'words;
            }
            prefixes += usize::from(prefix);
            kept.push(key);
            let star = if prefix { "*" } else { "" };
            terms.push(format!("\"{token}\"{star}"));
        }
    }
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Whether `c` belongs to a word, as the index's tokenizer (`unicode61`) sees it: letters and
/// digits, and the combining accents that `remove_diacritics` drops. The snippet markers are
/// not letters, so they never reach a query.
fn is_token_char(c: char) -> bool {
    (c.is_alphanumeric() && c != MARK_START && c != MARK_END)
        || ('\u{300}'..='\u{36F}').contains(&c)
}

/// A term as the tokenizer folds it, near enough to find duplicates: lower case, without the
/// diacritics of Latin letters (U+00C0 to U+017F) and without combining accents.
fn fold(term: &str) -> String {
    term.chars()
        .filter(|c| !('\u{300}'..='\u{36F}').contains(c))
        .flat_map(char::to_lowercase)
        .map(|c| {
            let base = u32::from(c)
                .checked_sub(0xC0)
                .and_then(|i| LATIN_BASE.as_bytes().get(i as usize))
                .copied()
                .filter(|&b| b != b'?');
            base.map_or(c, char::from)
        })
        .collect()
}

/// The base letter of each of U+00C0 to U+017F, lower case (`?`: none, the letter stays).
const LATIN_BASE: &str = "aaaaaa?ceeeeiiii?nooooo??uuuuy??aaaaaa?ceeeeiiii?nooooo??uuuuy?yaaaaaaccccccccdd??eeeeeeeeeegggggggghh??iiiiiiiii???jjkk?llllll????nnnnnn???oooooo??rrrrrrsssssssstttt??uuuuuuuuuuuuwwyyyzzzzzz?";

/// Escapes a snippet for HTML, then turns the hit markers into `<mark>` tags.
pub(crate) fn snippet_html(snippet: &str) -> String {
    let mut html = String::with_capacity(snippet.len() + 32);
    for c in snippet.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            MARK_START => html.push_str("<mark>"),
            MARK_END => html.push_str("</mark>"),
            c => html.push(c),
        }
    }
    html
}

/// A crude plain-text form of markup for the index: templates, comments, tags and reference
/// bodies dropped; links and bold/italic reduced to their text. (The renderer's plain-text
/// function will replace it.) The snippet markers never survive, so hits cannot be forged.
///
/// Runs of ordinary text are copied whole: only the bytes in [`SPECIAL`] can start markup (or
/// be a snippet marker), so the loop stops at those alone.
pub(crate) fn plain_text(markup: &str) -> String {
    let mut out = String::with_capacity(markup.len());
    let bytes = markup.as_bytes();
    // Where each closing mark is next: a mark that never comes is searched for once, not
    // from every opening (`<ref>` x n without `</ref>` was n^2).
    let mut comment_end = NextMatch::new(bytes, &COMMENT_END);
    let mut ref_end = NextMatch::new(bytes, &REF_END);
    let mut tag_end = NextMatch::new(bytes, &TAG_END);
    let mut link_end = NextMatch::new(bytes, &LINK_END);
    let mut url_end = NextMatch::new(bytes, &URL_END);
    let mut lines = LineEdges::default();
    let mut i = 0;
    let mut template_depth = 0usize;
    while i < bytes.len() {
        let rest = &markup[i..];
        if rest.starts_with("{{") {
            template_depth += 1;
            i += 2;
        } else if rest.starts_with("}}") && template_depth > 0 {
            template_depth -= 1;
            i += 2;
        } else if template_depth > 0 {
            // Only a brace can open or close a template.
            i += 1 + memchr::memchr2(b'{', b'}', &bytes[i + 1..]).unwrap_or(bytes.len() - i - 1);
        } else if !SPECIAL[usize::from(bytes[i])] {
            let run = bytes[i..]
                .iter()
                .position(|&b| SPECIAL[usize::from(b)])
                .unwrap_or(bytes.len() - i);
            // SPECIAL holds ASCII bytes and a UTF-8 lead byte, so the run ends on a boundary.
            out.push_str(&rest[..run]);
            i += run;
        } else if rest.starts_with("<!--") {
            i += comment_end.after(i).map_or(rest.len(), |n| n + 3);
        } else if rest.starts_with("<ref") && !rest.starts_with("<references") {
            let open_end = tag_end.after(i).map_or(rest.len(), |n| n + 1);
            if rest[..open_end].ends_with("/>") {
                i += open_end;
            } else {
                i += ref_end.after(i).map_or(open_end, |n| n + 6);
            }
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        {
            i += tag_end.after(i).map_or(1, |n| n + 1);
            out.push(' ');
        } else if rest.starts_with("[[") {
            let end = link_end.after(i).unwrap_or(rest.len());
            let inner = &rest[2..end.max(2)];
            let target = inner.split('|').next().unwrap_or("");
            let bare = target.trim_start_matches(':');
            if !["category:", "file:", "image:"].iter().any(|prefix| {
                bare.get(..prefix.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
            }) || target.starts_with(':')
            {
                out.push_str(inner.rsplit('|').next().unwrap_or(""));
            }
            i += (end + 2).min(rest.len());
        } else if rest.starts_with("''") {
            i += rest.len() - rest.trim_start_matches('\'').len();
        } else if rest.starts_with('[')
            && (rest[1..].starts_with("http://") || rest[1..].starts_with("https://"))
        {
            let end = url_end.after(i).unwrap_or(rest.len());
            if let Some((_, label)) = rest[1..end].split_once(' ') {
                out.push_str(label);
            }
            i += (end + 1).min(rest.len());
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            match c {
                MARK_START | MARK_END => out.push(' '),
                '=' if lines.at_edge(markup, i) => {}
                c => out.push(c),
            }
            i += c.len_utf8();
        }
    }
    out
}

/// The closing marks [`plain_text`] looks for, each searcher built once: a page's every
/// section is indexed, and building five searchers for each cost more than most of their
/// searches (issue 13: an import's reading threads do this for every section).
static COMMENT_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"-->"));
static REF_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"</ref>"));
static TAG_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b">"));
static LINK_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"]]"));
static URL_END: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"]"));

/// The next occurrence of a needle at or after a position that only moves forward, searched
/// again only once the position has passed the last answer: every byte is searched at most
/// once, however often the question is asked.
struct NextMatch<'t> {
    haystack: &'t [u8],
    finder: &'static Finder<'static>,
    /// The occurrence found from `from`, as an absolute position (`None`: there is none).
    found: Option<usize>,
    from: usize,
}

impl<'t> NextMatch<'t> {
    fn new(haystack: &'t [u8], finder: &'static Finder<'static>) -> Self {
        Self {
            haystack,
            finder,
            found: None,
            from: usize::MAX,
        }
    }

    /// The next occurrence at or after `at`, relative to `at` (as `str::find` on `&text[at..]`).
    fn after(&mut self, at: usize) -> Option<usize> {
        let fresh = at >= self.from && self.found.is_none_or(|f| f >= at);
        if !fresh {
            self.from = at;
            self.found = self.finder.find(&self.haystack[at..]).map(|n| n + at);
        }
        self.found.map(|f| f - at)
    }
}

/// The line [`plain_text`] is in, for deciding whether a `=` is heading markup: where it starts
/// and ends, how far its leading run of `=` goes and where its trailing run (before trailing
/// white space) begins. Worked out once per line, not once per `=` (`a=` x 200,000 on one line
/// took 6.6 s to save).
#[derive(Default)]
struct LineEdges {
    start: usize,
    /// The line break ending the line, or the text's end (`start == end == 0`: none yet).
    end: usize,
    /// The first position after `start` that is not `=`.
    lead_end: usize,
    /// The position after the last character before the trailing `=` run.
    trail_start: usize,
}

impl LineEdges {
    /// Whether position `i` (a `=`) is in a run of `=` at the start or end of its line
    /// (ignoring trailing white space).
    fn at_edge(&mut self, text: &str, i: usize) -> bool {
        if !(self.start <= i && i < self.end) {
            self.measure(text, i);
        }
        i <= self.lead_end || i >= self.trail_start
    }

    fn measure(&mut self, text: &str, i: usize) {
        let bytes = text.as_bytes();
        self.start = memchr::memrchr(b'\n', &bytes[..i]).map_or(0, |n| n + 1);
        self.end = memchr::memchr(b'\n', &bytes[i..]).map_or(text.len(), |n| n + i);
        let line = &text[self.start..self.end];
        self.lead_end = self.start + (line.len() - line.trim_start_matches('=').len());
        let content = line.trim_end().trim_end_matches('=');
        self.trail_start = self.start + content.len();
    }
}

/// The bytes at which [`plain_text`] looks closer: the first bytes of its markup, and `0xEE`,
/// the first byte of the snippet markers (U+E000, U+E001) in UTF-8.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let bytes = b"{}<['=";
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table[0xEE] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_quoted_words() {
        assert_eq!(
            fts_query("ada lovelace"),
            Some("\"ada\" \"lovelace\"".into())
        );
        assert_eq!(
            fts_query("a\"b OR cd*"),
            Some("\"a\" \"b\" \"OR\" \"cd\"*".into())
        );
        assert_eq!(fts_query("  -- ( ) "), None);
    }

    #[test]
    fn repeated_words_count_once_and_terms_are_bounded() {
        assert_eq!(fts_query(&"the ".repeat(75)), Some("\"the\"".into()));
        assert_eq!(
            fts_query("The THE thé Ada ada* ada*"),
            Some("\"The\" \"Ada\" \"ada\"*".into())
        );
        assert_eq!(fts_query("the.the.the-the"), Some("\"the\"".into()));
        let many: String = (0..40).map(|i| format!("w{i} ")).collect();
        let kept = fts_query(&many).expect("terms");
        assert_eq!(kept.matches('"').count(), 2 * MAX_TERMS, "{kept}");
    }

    #[test]
    fn control_characters_separate_terms() {
        assert_eq!(
            fts_query("ada\0lovelace"),
            Some("\"ada\" \"lovelace\"".into())
        );
        assert_eq!(fts_query("\0\u{1}\u{7f}"), None);
        assert_eq!(fts_query("a\u{e000}b"), Some("\"a\" \"b\"".into()));
    }

    #[test]
    fn prefix_searches_are_bounded() {
        assert_eq!(fts_query("a* lo*"), Some("\"a\" \"lo\"*".into()));
        assert_eq!(
            fts_query("ab* cd* ef* gh* ij* kl*"),
            Some("\"ab\"* \"cd\"* \"ef\"* \"gh\"* \"ij\" \"kl\"".into())
        );
    }

    #[test]
    fn snippets_are_escaped_but_marks_kept() {
        let raw = format!("<script>{MARK_START}x{MARK_END} & y");
        assert_eq!(snippet_html(&raw), "&lt;script&gt;<mark>x</mark> &amp; y");
    }

    /// The first, byte-by-byte version of [`plain_text`]: the fast one must agree with it.
    /// A crude plain-text form of markup for the index: templates, comments, tags and reference
    /// bodies dropped; links and bold/italic reduced to their text. (The renderer's plain-text
    /// function will replace it.) The snippet markers never survive, so hits cannot be forged.
    fn plain_text_reference(markup: &str) -> String {
        let mut out = String::with_capacity(markup.len());
        let bytes = markup.as_bytes();
        let mut i = 0;
        let mut template_depth = 0usize;
        while i < bytes.len() {
            let rest = &markup[i..];
            if rest.starts_with("{{") {
                template_depth += 1;
                i += 2;
            } else if rest.starts_with("}}") && template_depth > 0 {
                template_depth -= 1;
                i += 2;
            } else if template_depth > 0 {
                i += rest.chars().next().map_or(1, char::len_utf8);
            } else if rest.starts_with("<!--") {
                i += rest.find("-->").map_or(rest.len(), |n| n + 3);
            } else if rest.starts_with("<ref") && !rest.starts_with("<references") {
                let open_end = rest.find('>').map_or(rest.len(), |n| n + 1);
                if rest[..open_end].ends_with("/>") {
                    i += open_end;
                } else {
                    i += rest.find("</ref>").map_or(open_end, |n| n + 6);
                }
            } else if rest.starts_with('<')
                && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
            {
                i += rest.find('>').map_or(1, |n| n + 1);
                out.push(' ');
            } else if rest.starts_with("[[") {
                let end = rest.find("]]").unwrap_or(rest.len());
                let inner = &rest[2..end.max(2)];
                let target = inner.split('|').next().unwrap_or("");
                let lower = target.trim_start_matches(':').to_ascii_lowercase();
                if !(lower.starts_with("category:")
                    || lower.starts_with("file:")
                    || lower.starts_with("image:"))
                    || target.starts_with(':')
                {
                    out.push_str(inner.rsplit('|').next().unwrap_or(""));
                }
                i += (end + 2).min(rest.len());
            } else if rest.starts_with("''") {
                i += rest.len() - rest.trim_start_matches('\'').len();
            } else if rest.starts_with('[')
                && (rest[1..].starts_with("http://") || rest[1..].starts_with("https://"))
            {
                let end = rest.find(']').unwrap_or(rest.len());
                if let Some((_, label)) = rest[1..end].split_once(' ') {
                    out.push_str(label);
                }
                i += (end + 1).min(rest.len());
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                match c {
                    MARK_START | MARK_END => out.push(' '),
                    '=' if at_line_edge(markup, i) => {}
                    c => out.push(c),
                }
                i += c.len_utf8();
            }
        }
        out
    }

    /// The reference's test: whether position `i` is in a run of `=` at the start or end of a line (heading markup).
    fn at_line_edge(text: &str, i: usize) -> bool {
        let before = &text[..i];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let after = &text[i..];
        let line_end = after.find('\n').unwrap_or(after.len());
        before[line_start..].trim_matches('=').is_empty()
            || after[..line_end].trim_end().trim_matches('=').is_empty()
    }

    proptest::proptest! {
        #[test]
        fn plain_text_agrees_with_the_reference(
            text in "([a-z =\\n'|:\\[\\]{}<>!/-]|ref|http://|\\[\\[Category:|\\[\\[:file:|\\[\\[IMAGE:|é|\u{e000}|\u{e001}){0,80}"
        ) {
            proptest::prop_assert_eq!(plain_text(&text), plain_text_reference(&text));
        }
    }

    #[test]
    fn plain_text_agrees_with_the_reference_on_real_articles() {
        for text in [
            include_str!("../../samples/Ada Lovelace.wiki"),
            include_str!("../../samples/Alan Turing.wiki"),
            include_str!("../../samples/Marie Skłodowska-Curie.wiki"),
            include_str!("../../samples/Main Page.wiki"),
        ] {
            assert_eq!(plain_text(text), plain_text_reference(text));
        }
    }

    #[test]
    fn plain_text_keeps_words_and_drops_markup() {
        let text = plain_text(
            "'''Ada''' was a [[mathematician|maths person]]{{cite web|url=x}}<ref>Book</ref> in [[London]].\n[[Category:People]]<!-- hidden -->",
        );
        assert_eq!(
            text.split_whitespace().collect::<Vec<_>>(),
            ["Ada", "was", "a", "maths", "person", "in", "London."]
        );
    }
}
