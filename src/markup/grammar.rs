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
/// `at_line_start`: up to the first newline outside a comment, or `to`. Returns where the
/// tokens stop (the position of that newline, or `to`).
pub(crate) fn tokens(
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
        // Unreachable with this grammar (every rule ends in `other`), but never lose text.
        out.push(Token {
            kind: Kind::Text,
            start: from,
            end: to,
        });
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
    if end == from && from < to && text.as_bytes()[from] != b'\n' {
        // Defensive: the grammar always consumes something; if not, treat a char as text.
        let next = slice.chars().next().map_or(to, |c| from + c.len_utf8());
        out.push(Token {
            kind: Kind::Other,
            start: from,
            end: next,
        });
        return next;
    }
    end
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
}
