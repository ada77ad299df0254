//! The pest grammar (`grammar/wiki.pest`) and a token view of it. pest's types stay here.

use pest::Parser;
use pest_derive::Parser;

/// The generated parser.
#[derive(Parser)]
#[grammar = "grammar/wiki.pest"]
pub(crate) struct WikiParser;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    TplOpen,
    TplClose,
    LinkOpen,
    LinkClose,
    ExtOpen,
    Pipe2,
    Pipe,
    Bang2,
    Equals,
    Quotes,
    Comment,
    TagClose,
    TagOpen,
    Entity,
    Magic,
    Other,
    Hr,
    TableStart,
    TableEnd,
    TableRow,
    TableCaption,
    TableHead,
    TableCell,
    ListPrefix,
    SpacePre,
}

/// A token: its kind and its byte range in the whole text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

fn kind(rule: Rule) -> Kind {
    match rule {
        Rule::text => Kind::Text,
        Rule::tpl_open => Kind::TplOpen,
        Rule::tpl_close => Kind::TplClose,
        Rule::link_open => Kind::LinkOpen,
        Rule::link_close => Kind::LinkClose,
        Rule::ext_open => Kind::ExtOpen,
        Rule::pipe2 => Kind::Pipe2,
        Rule::pipe => Kind::Pipe,
        Rule::bang2 => Kind::Bang2,
        Rule::equals => Kind::Equals,
        Rule::quotes => Kind::Quotes,
        Rule::comment => Kind::Comment,
        Rule::tag_close => Kind::TagClose,
        Rule::tag_open => Kind::TagOpen,
        Rule::entity => Kind::Entity,
        Rule::magic => Kind::Magic,
        Rule::hr => Kind::Hr,
        Rule::table_start => Kind::TableStart,
        Rule::table_end => Kind::TableEnd,
        Rule::table_row => Kind::TableRow,
        Rule::table_caption => Kind::TableCaption,
        Rule::table_head => Kind::TableHead,
        Rule::table_cell => Kind::TableCell,
        Rule::list_prefix => Kind::ListPrefix,
        Rule::space_pre => Kind::SpacePre,
        _ => Kind::Other,
    }
}

/// Tokenises one line of `text[from..to]` into `out`, with line-start tokens when
/// `at_line_start`: up to the first newline outside a comment, or just after the first tag,
/// or `to`. Returns where the tokens stop.
///
/// Plain text runs are found with a byte table and the fixed two-character delimiters by
/// `simple`; every other token (line starts, tags, comments, entities, external links,
/// behaviour switches) is read by the pest grammar, one entry rule per leading character.
/// Nothing looks past `to`: a fragment (a `<ref>`'s content) tokenises as if the text ended
/// there.
/// [`tokens_by_grammar`] is the same thing done by pest alone: the reference the tests hold
/// this path to.
pub(crate) fn tokens(
    text: &str,
    from: usize,
    to: usize,
    at_line_start: bool,
    out: &mut Vec<Token>,
) -> usize {
    out.clear();
    let bytes = text.as_bytes();
    let mut pos = from;
    if at_line_start && pos < to && LINE_START[bytes[pos] as usize] {
        // Line-start tokens never cross a newline, so pest gets only this line: when none
        // matches, pest's error looks up the line of the failure by scanning back from the
        // end of its input, and a whole section there made many such lines quadratic.
        let line_end = memchr::memchr(b'\n', &bytes[pos..to]).map_or(to, |n| pos + n);
        let rule = match bytes[pos] {
            b'-' => Rule::dash_head,
            b'{' => Rule::brace_head,
            b'|' => Rule::pipe_head,
            b'!' => Rule::bang_head,
            b'*' | b'#' | b':' | b';' => Rule::list_head,
            _ => Rule::line_head,
        };
        if let Some(t) = one(text, pos, line_end, rule) {
            pos = t.end;
            out.push(t);
        }
    }
    loop {
        let run = text_run(&bytes[..to], pos, to);
        if run > pos {
            out.push(Token {
                kind: Kind::Text,
                start: pos,
                end: run,
            });
            pos = run;
        }
        if pos >= to || bytes[pos] == b'\n' {
            return pos;
        }
        let rule = match bytes[pos] {
            b'<' => Rule::lt_token,
            b'&' => Rule::amp_token,
            b'[' => Rule::bracket_token,
            b'_' => Rule::underscore_token,
            _ => Rule::token,
        };
        let t = simple(&bytes[..to], pos).or_else(|| one(text, pos, to, rule));
        let Some(t) = t.filter(|t| t.end > pos) else {
            // Unreachable: `other` matches any character but a newline. Never loop forever.
            let next = text[pos..]
                .chars()
                .next()
                .map_or(to, |c| pos + c.len_utf8());
            out.push(Token {
                kind: Kind::Other,
                start: pos,
                end: next,
            });
            pos = next;
            continue;
        };
        pos = t.end;
        out.push(t);
        if t.kind == Kind::TagOpen {
            return pos;
        }
    }
}

/// Bytes that may begin a line-start token.
const LINE_START: [bool; 256] = {
    let mut t = [false; 256];
    let chars = b"-{|!*#:; \t";
    let mut i = 0;
    while i < chars.len() {
        t[chars[i] as usize] = true;
        i += 1;
    }
    t
};

/// Bytes that end a `text` run (`'`, `_`, `!` only when doubled; see the grammar).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    let chars = b"[]{}|=<&\n'_!";
    let mut i = 0;
    while i < chars.len() {
        t[chars[i] as usize] = true;
        i += 1;
    }
    t
};

/// The end of the `text` run starting at `pos` (the grammar's `text` rule, by table).
fn text_run(bytes: &[u8], mut pos: usize, to: usize) -> usize {
    while pos < to {
        let b = bytes[pos];
        if SPECIAL[b as usize] {
            if matches!(b, b'\'' | b'_' | b'!') && bytes.get(pos + 1) != Some(&b) {
                pos += 1;
                continue;
            }
            return pos;
        }
        pos += 1;
    }
    to
}

/// Tokens whose shape is a fixed string, recognised without calling pest.
fn simple(bytes: &[u8], pos: usize) -> Option<Token> {
    let next = bytes.get(pos + 1).copied();
    let (kind, len) = match (bytes[pos], next) {
        (b'{', Some(b'{')) => (Kind::TplOpen, 2),
        (b'}', Some(b'}')) => (Kind::TplClose, 2),
        (b'[', Some(b'[')) => (Kind::LinkOpen, 2),
        (b']', Some(b']')) => (Kind::LinkClose, 2),
        (b'|', Some(b'|')) => (Kind::Pipe2, 2),
        (b'|', _) => (Kind::Pipe, 1),
        (b'=', _) => (Kind::Equals, 1),
        (b'!', Some(b'!')) => (Kind::Bang2, 2),
        (b'\'', Some(b'\'')) => (
            Kind::Quotes,
            bytes[pos..].iter().take_while(|&&b| b == b'\'').count(),
        ),
        (b'{' | b'}' | b']', _) => (Kind::Other, 1),
        _ => return None,
    };
    Some(Token {
        kind,
        start: pos,
        end: pos + len,
    })
}

/// Asks the grammar for one token (`rule` is one of the `*token` rules or `line_head`).
fn one(text: &str, pos: usize, to: usize, rule: Rule) -> Option<Token> {
    let outer = WikiParser::parse(rule, &text[pos..to]).ok()?.next()?;
    let inner = outer.into_inner().next()?;
    let span = inner.as_span();
    Some(Token {
        kind: kind(inner.as_rule()),
        start: pos + span.start(),
        end: pos + span.end(),
    })
}

/// Tokenises all of `text` line by line as the parser does, building nothing: how many
/// tokens there are. The benchmark uses it to show what reading the tokens costs.
pub(crate) fn count_tokens(text: &str) -> usize {
    let (mut pos, mut line_start, mut count) = (0, true, 0);
    let mut out = Vec::new();
    while pos < text.len() {
        let stop = tokens(text, pos, text.len(), line_start, &mut out);
        count += out.len();
        line_start = text.as_bytes().get(stop) == Some(&b'\n');
        pos = if line_start {
            stop + 1
        } else {
            stop.max(pos + 1)
        };
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
    }
    count
}

/// [`tokens`] done by the grammar alone: the reference the fast path is tested against.
#[cfg(test)]
pub(crate) fn tokens_by_grammar(
    text: &str,
    from: usize,
    to: usize,
    at_line_start: bool,
    out: &mut Vec<Token>,
) -> usize {
    out.clear();
    let slice = &text[from..to];
    let rule = if at_line_start {
        Rule::line
    } else {
        Rule::rest
    };
    let Ok(mut pairs) = WikiParser::parse(rule, slice) else {
        return to;
    };
    let Some(line) = pairs.next() else { return to };
    let end = from + line.as_span().end();
    for pair in line.into_inner() {
        let span = pair.as_span();
        out.push(Token {
            kind: kind(pair.as_rule()),
            start: from + span.start(),
            end: from + span.end(),
        });
    }
    end
}

/// A heading line as the grammar's `heading` rule sees it, at the start of `line`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeadingMatch {
    /// Where the closing `=` run ends (the `=` runs and title are `line[..core_end]`).
    pub core_end: usize,
    /// Just after the line's newline (or the end of the text).
    pub line_end: usize,
}

/// Asks the grammar whether `line` begins with a heading line.
pub(crate) fn heading(line: &str) -> Option<HeadingMatch> {
    let outer = WikiParser::parse(Rule::heading, line).ok()?.next()?;
    let core = outer.clone().into_inner().next()?;
    Some(HeadingMatch {
        core_end: core.as_span().end(),
        line_end: outer.as_span().end(),
    })
}

/// The target of `#REDIRECT [[Target]]` at the start of `text`, and where it ends.
pub(crate) fn redirect(text: &str) -> Option<(String, usize)> {
    let head = text.trim_start_matches(['\u{feff}']);
    let offset = text.len() - head.len();
    let t = head.trim_start();
    if t.len() < 9 || !t.as_bytes()[..9].eq_ignore_ascii_case(b"#redirect") {
        return None;
    }
    let pair = WikiParser::parse(Rule::redirect, head).ok()?.next()?;
    let end = offset + pair.as_span().end();
    let target = pair
        .into_inner()
        .find(|p| p.as_rule() == Rule::redirect_target)?;
    Some((target.as_str().trim().to_string(), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Kind, &str)> {
        let mut out = Vec::new();
        tokens(line, 0, line.len(), true, &mut out);
        out.iter()
            .map(|t| (t.kind, &line[t.start..t.end]))
            .collect()
    }

    #[test]
    fn text_runs_are_whole() {
        assert_eq!(
            kinds("Hello, world (1944)."),
            [(Kind::Text, "Hello, world (1944).")]
        );
        assert_eq!(kinds("O'Brien's"), [(Kind::Text, "O'Brien's")]);
    }

    #[test]
    fn delimiters() {
        use Kind::*;
        assert_eq!(
            kinds("a{{b|c=d}}[[e]]"),
            [
                (Text, "a"),
                (TplOpen, "{{"),
                (Text, "b"),
                (Pipe, "|"),
                (Text, "c"),
                (Equals, "="),
                (Text, "d"),
                (TplClose, "}}"),
                (LinkOpen, "[["),
                (Text, "e"),
                (LinkClose, "]]")
            ]
        );
        assert_eq!(
            kinds("''a'''b"),
            [(Quotes, "''"), (Text, "a"), (Quotes, "'''"), (Text, "b")]
        );
        assert_eq!(
            kinds("[https://x.org/a?b=c label]"),
            [
                (ExtOpen, "[https://x.org/a?b=c"),
                (Text, " label"),
                (Other, "]")
            ]
        );
        assert_eq!(
            kinds("[javascript:x]"),
            [(Other, "["), (Text, "javascript:x"), (Other, "]")]
        );
    }

    #[test]
    fn line_starts() {
        use Kind::*;
        assert_eq!(kinds("*# a")[0], (ListPrefix, "*#"));
        assert_eq!(kinds("----")[0], (Hr, "----"));
        assert_eq!(kinds("{| class=x")[0], (TableStart, "{| class=x"));
        assert_eq!(kinds("|-")[0], (TableRow, "|-"));
        assert_eq!(kinds("|}")[0], (TableEnd, "|}"));
        assert_eq!(kinds("|}}")[0], (TableCell, "|"));
        assert_eq!(
            kinds("| a || b")[..3],
            [(TableCell, "|"), (Text, " a "), (Pipe2, "||")]
        );
        assert_eq!(kinds(" x")[0], (SpacePre, " "));
    }

    #[test]
    fn tags_comments_entities() {
        use Kind::*;
        assert_eq!(kinds("<ref name=\"a\">"), [(TagOpen, "<ref name=\"a\">")]);
        assert_eq!(kinds("</ref >"), [(TagClose, "</ref >")]);
        assert_eq!(
            kinds("<!-- a\nb -->c"),
            [(Comment, "<!-- a\nb -->"), (Text, "c")]
        );
        assert_eq!(
            kinds("&amp;&#8212;&x"),
            [
                (Entity, "&amp;"),
                (Entity, "&#8212;"),
                (Other, "&"),
                (Text, "x")
            ]
        );
        assert_eq!(kinds("__NOTOC__"), [(Magic, "__NOTOC__")]);
    }

    #[test]
    fn redirects() {
        assert_eq!(
            redirect("#REDIRECT [[Foo bar#x]]\n").map(|r| r.0),
            Some("Foo bar#x".into())
        );
        assert_eq!(
            redirect("  #redirect:[[Foo|y]] {{R}}").map(|r| r.0),
            Some("Foo".into())
        );
        assert_eq!(redirect("#REDIRECT Foo"), None);
    }

    fn same_tokens(text: &str) {
        same_tokens_up_to(text, text.len());
    }

    /// The fast path and pest alone agree on `text[..to]`.
    fn same_tokens_up_to(text: &str, to: usize) {
        let mut pos = 0;
        let mut line_start = true;
        let (mut fast, mut slow) = (Vec::new(), Vec::new());
        while pos < to {
            let a = tokens(text, pos, to, line_start, &mut fast);
            let b = tokens_by_grammar(text, pos, to, line_start, &mut slow);
            assert_eq!((a, &fast), (b, &slow), "at {pos}..{to} in {text:?}");
            line_start = text.as_bytes().get(a) == Some(&b'\n');
            pos = if line_start { a + 1 } else { a.max(pos + 1) };
            while !text.is_char_boundary(pos) {
                pos += 1;
            }
        }
    }

    #[test]
    fn a_fragment_tokenises_as_if_the_text_ended_there() {
        // Cut inside `]]`, `''`, `|}}` and a comment: nothing past the cut may decide a token.
        let text = "a]] b'' <!-- c -->\n|}}\n&amp; [http://x.org y]";
        for to in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            same_tokens_up_to(text, to);
        }
        let mut out = Vec::new();
        tokens(text, 0, 2, true, &mut out);
        assert_eq!(out.last().map(|t| t.kind), Some(Kind::Other));
    }

    #[test]
    fn fast_path_matches_the_grammar_on_the_corpus() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wikipedia");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            println!("skipped: {} is absent", dir.display());
            return;
        };
        for entry in entries.flatten() {
            if let Ok(text) = std::fs::read_to_string(entry.path()) {
                same_tokens(&text);
            }
        }
    }

    /// Where `entity` as first written ends on `text` (which starts with `&`): its counted
    /// repetitions `#` `x` hex{1,6}, `#` digit{1,7} or alnum{1,32}, each the longest run up to
    /// its bound, then `;`. The first alternative that matches is kept, as in the grammar.
    fn entity_by_count(text: &str) -> Option<usize> {
        let b = text.as_bytes();
        let run = |from: usize, most: usize, ok: fn(&u8) -> bool| {
            let n = b
                .get(from..)
                .map_or(0, |r| r.iter().take(most).take_while(|c| ok(c)).count());
            (n > 0).then_some(from + n)
        };
        let name_end = match (b.get(1), b.get(2)) {
            (Some(b'#'), Some(b'x' | b'X')) => run(3, 6, u8::is_ascii_hexdigit),
            (Some(b'#'), _) => run(2, 7, u8::is_ascii_digit),
            _ => run(1, 32, u8::is_ascii_alphanumeric),
        }?;
        (b.get(name_end) == Some(&b';')).then_some(name_end + 1)
    }

    /// Where `ext_open` as first written ends on `text` (which starts with `[https://`): one or
    /// more characters that are not a URL's stops.
    fn url_by_char(text: &str) -> Option<usize> {
        let from = "[https://".len();
        let stops = " \t[]<>\"{}|\n";
        let run = text[from..]
            .find(|c| stops.contains(c))
            .unwrap_or(text.len() - from);
        (run > 0).then_some(from + run)
    }

    /// The first token of `text` on its own (not at a line start): its kind and end.
    fn first_token(text: &str) -> Option<(Kind, usize)> {
        let mut out = Vec::new();
        tokens(text, 0, text.len(), false, &mut out);
        out.first().map(|t| (t.kind, t.end))
    }

    /// The first token a rule's reference expects: `kind` up to `end` when it matches, else the
    /// one-character `Other` the entry rules fall back to.
    fn matched_or_other(kind: Kind, end: Option<usize>) -> Option<(Kind, usize)> {
        Some(end.map_or((Kind::Other, 1), |end| (kind, end)))
    }

    #[test]
    fn entities_at_their_bounds() {
        for (name, longest) in [("x", 6), ("", 7)] {
            for n in 1..=longest + 1 {
                let digits = "1".repeat(n);
                let text = format!("&#{name}{digits};");
                let expected = (n <= longest).then_some(text.len());
                assert_eq!(entity_by_count(&text), expected, "{text}");
            }
        }
        for n in [1, 31, 32, 33, 40] {
            let text = format!("&{};", "a".repeat(n));
            assert_eq!(entity_by_count(&text), (n <= 32).then_some(text.len()));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// `entity`'s nested options match what its counted form matched.
        #[test]
        fn entity_matches_its_counted_form(
            text in "&(#[xX]?)?([0-9a-fA-FzZ]{0,8}|[0-9a-z]{28,36})[; &<a]{0,3}"
        ) {
            proptest::prop_assert_eq!(
                first_token(&text),
                matched_or_other(Kind::Entity, entity_by_count(&text))
            );
        }

        /// `ext_open`'s URL, one search for its stops, ends where the rule tried at every
        /// character ended.
        #[test]
        fn url_ends_where_its_characters_end(
            text in "\\[https://([a-z0-9/.%?=&_:-]|[ \t\\[\\]<>\"{}|\n]|é){0,24}"
        ) {
            proptest::prop_assert_eq!(
                first_token(&text),
                matched_or_other(Kind::ExtOpen, url_by_char(&text))
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_path_matches_the_grammar(text in "[a '_!\\[\\]{}|=<>&;#*:/\n\t-]{0,60}(nowiki|ref|http://|!--|--|amp;|#x41;|__TOC__)?[a '!\\[\\]{}|=<>\n]{0,20}", cut in 0usize..=8) {
            same_tokens(&text);
            let mut to = text.len() * cut / 8;
            while !text.is_char_boundary(to) {
                to += 1;
            }
            same_tokens_up_to(&text, to);
            // The engine also starts lines mid-text (after a tag, in a `<ref>`): any start.
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            for from in (0..to).filter(|&i| text.is_char_boundary(i)) {
                for line_start in [true, false] {
                    let a = tokens(&text, from, to, line_start, &mut fast);
                    let b = tokens_by_grammar(&text, from, to, line_start, &mut slow);
                    proptest::prop_assert_eq!((a, &fast), (b, &slow), "at {}..{}", from, to);
                }
            }
        }
    }
}

/// A token of the preprocessor (`preprocess::tree`), read by the grammar's `pp_*` rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PpToken {
    /// A run of `{` of this length.
    Open(usize),
    /// A run of `}` of this length.
    Close(usize),
    /// `[[` (true) or `]]` (false); a lone bracket is `Other`.
    Link(bool),
    /// A comment ending at this offset.
    Comment(usize),
    /// An include tag ending at this offset.
    Include {
        /// Which one.
        name: IncludeTag,
        /// `</…>`.
        closing: bool,
        /// `<…/>`.
        empty: bool,
        /// Where the tag ends.
        end: usize,
    },
    /// A tag whose content is not expanded: its name's range and where the opening tag ends
    /// (a `/>` before it makes it empty).
    Verbatim {
        /// The name's byte range.
        name: (usize, usize),
        /// Where the opening tag ends.
        end: usize,
    },
    /// One character of text.
    Other,
}

/// The three include tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IncludeTag {
    NoInclude,
    IncludeOnly,
    OnlyInclude,
}

/// The preprocessor's token at `pos` (a byte of `{}[]<`), read by the grammar.
pub(crate) fn pp_token(text: &str, pos: usize) -> PpToken {
    let rule = match text.as_bytes().get(pos) {
        Some(b'{') => Rule::pp_open,
        Some(b'}') => Rule::pp_close,
        Some(b'[' | b']') => Rule::pp_link,
        Some(b'<') => Rule::pp_lt,
        _ => return PpToken::Other,
    };
    let Ok(mut pairs) = WikiParser::parse(rule, &text[pos..]) else {
        return PpToken::Other;
    };
    let Some(outer) = pairs.next() else {
        return PpToken::Other;
    };
    let span = outer.as_span();
    let len = span.end() - span.start();
    match rule {
        Rule::pp_open => PpToken::Open(len),
        Rule::pp_close => PpToken::Close(len),
        Rule::pp_link if len == 2 => PpToken::Link(outer.as_str() == "[["),
        Rule::pp_link => PpToken::Other,
        _ => {
            let Some(inner) = outer.into_inner().next() else {
                return PpToken::Other;
            };
            let end = pos + inner.as_span().end();
            match inner.as_rule() {
                Rule::comment => PpToken::Comment(end),
                Rule::include_tag => {
                    let (mut closing, mut empty, mut name) = (false, false, IncludeTag::NoInclude);
                    for part in inner.into_inner() {
                        match part.as_rule() {
                            Rule::include_end if name_seen(&part) => empty = true,
                            Rule::include_end => closing = true,
                            Rule::include_name => {
                                name = match part.as_str().to_ascii_lowercase().as_str() {
                                    "includeonly" => IncludeTag::IncludeOnly,
                                    "onlyinclude" => IncludeTag::OnlyInclude,
                                    _ => IncludeTag::NoInclude,
                                }
                            }
                            _ => {}
                        }
                    }
                    PpToken::Include {
                        name,
                        closing,
                        empty,
                        end,
                    }
                }
                Rule::verbatim_open => {
                    let name = inner.into_inner().next().map_or((pos + 1, pos + 1), |n| {
                        (pos + n.as_span().start(), pos + n.as_span().end())
                    });
                    PpToken::Verbatim { name, end }
                }
                _ => PpToken::Other,
            }
        }
    }
}

/// Whether an `include_end` comes after the tag's name (`<x/>`, not `</x>`).
fn name_seen(end: &pest::iterators::Pair<'_, Rule>) -> bool {
    end.as_span().start() > 1
}
