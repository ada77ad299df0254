//! The grammar's token rules (`grammar/wiki.pest`) written out by hand, for the tokeniser's
//! hot path: calling into pest costs far more than the few byte tests a token needs.
//!
//! Each function is a literal reading of one rule and says which. `grammar.rs` tests that
//! tokenising this way gives exactly what the pest grammar gives (on the Wikipedia corpus and
//! on generated input), so the grammar stays the definition of the syntax.

use memchr::memmem;

use super::grammar::{Kind, Token};

fn token(kind: Kind, start: usize, end: usize) -> Option<Token> {
    Some(Token { kind, start, end })
}

/// `ws*`: spaces and tabs from `at`.
fn skip_ws(bytes: &[u8], mut at: usize, to: usize) -> usize {
    while at < to && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

/// `(!"\n" ~ ANY)*`: up to the end of the line.
fn line_end(bytes: &[u8], at: usize, to: usize) -> usize {
    memchr::memchr(b'\n', &bytes[at..to]).map_or(to, |n| at + n)
}

/// `line_head`: the first of `hr | table_start | table_end | table_row | table_caption |
/// table_head | table_cell | list_prefix | space_pre` that matches at `at`.
pub(crate) fn line_head(bytes: &[u8], at: usize, to: usize) -> Option<Token> {
    let get = |i: usize| (i < to).then(|| bytes[i]);
    // hr = "----" ~ "-"*
    if to - at >= 4 && &bytes[at..at + 4] == b"----" {
        let mut end = at + 4;
        while get(end) == Some(b'-') {
            end += 1;
        }
        return token(Kind::Hr, at, end);
    }
    let w = skip_ws(bytes, at, to);
    match (get(w), get(w + 1)) {
        // table_start = ws* ~ "{|" ~ (!"\n" ~ ANY)*
        (Some(b'{'), Some(b'|')) => return token(Kind::TableStart, at, line_end(bytes, w + 2, to)),
        // table_end = ws* ~ "|}" ~ !"}"
        (Some(b'|'), Some(b'}')) if get(w + 2) != Some(b'}') => {
            return token(Kind::TableEnd, at, w + 2);
        }
        // table_row = ws* ~ "|-" ~ (!"\n" ~ ANY)*
        (Some(b'|'), Some(b'-')) => return token(Kind::TableRow, at, line_end(bytes, w + 2, to)),
        // table_caption = ws* ~ "|+"
        (Some(b'|'), Some(b'+')) => return token(Kind::TableCaption, at, w + 2),
        // table_head = ws* ~ "!"
        (Some(b'!'), _) => return token(Kind::TableHead, at, w + 1),
        // table_cell = ws* ~ "|" ~ !"|"
        (Some(b'|'), next) if next != Some(b'|') => return token(Kind::TableCell, at, w + 1),
        _ => {}
    }
    // list_prefix = ("*" | "#" | ":" | ";")+
    let mut end = at;
    while matches!(get(end), Some(b'*' | b'#' | b':' | b';')) {
        end += 1;
    }
    if end > at {
        return token(Kind::ListPrefix, at, end);
    }
    // space_pre = " "
    (get(at) == Some(b' ')).then(|| Token {
        kind: Kind::SpacePre,
        start: at,
        end: at + 1,
    })
}

/// `other`: one character (at the bytes this module handles, always one byte).
fn other(at: usize) -> Option<Token> {
    token(Kind::Other, at, at + 1)
}

/// `tag_name = ASCII_ALPHA ~ ASCII_ALPHANUMERIC*`: where the name ends, if there is one.
fn tag_name(bytes: &[u8], at: usize, to: usize) -> Option<usize> {
    if at >= to || !bytes[at].is_ascii_alphabetic() {
        return None;
    }
    let mut end = at + 1;
    while end < to && bytes[end].is_ascii_alphanumeric() {
        end += 1;
    }
    Some(end)
}

/// `lt_token = comment | tag_close | tag_open | other`, at a `<`.
pub(crate) fn lt_token(bytes: &[u8], at: usize, to: usize) -> Option<Token> {
    let rest = &bytes[at..to];
    // comment = "<!--" ~ (!"-->" ~ ANY)* ~ ("-->" | EOI)
    if rest.starts_with(b"<!--") {
        let end = memmem::find(&rest[4..], b"-->").map_or(to, |n| at + 4 + n + 3);
        return token(Kind::Comment, at, end);
    }
    // tag_close = "</" ~ tag_name ~ ws* ~ ">"
    if rest.starts_with(b"</") {
        if let Some(name_end) = tag_name(bytes, at + 2, to) {
            let w = skip_ws(bytes, name_end, to);
            if w < to && bytes[w] == b'>' {
                return token(Kind::TagClose, at, w + 1);
            }
        }
    }
    // tag_open = "<" ~ tag_name ~ (!(">" | "<" | "\n") ~ ANY)* ~ ">"
    if let Some(name_end) = tag_name(bytes, at + 1, to) {
        let stop = bytes[name_end..to]
            .iter()
            .position(|b| matches!(b, b'>' | b'<' | b'\n'))
            .map(|n| name_end + n);
        if let Some(gt) = stop.filter(|&p| bytes[p] == b'>') {
            return token(Kind::TagOpen, at, gt + 1);
        }
    }
    other(at)
}

/// Up to `max` bytes matching `pred` from `at` (a bounded, greedy repetition).
fn run_of(bytes: &[u8], at: usize, to: usize, max: usize, pred: fn(&u8) -> bool) -> usize {
    bytes[at..to]
        .iter()
        .take(max)
        .take_while(|b| pred(b))
        .count()
}

/// `amp_token = entity | other`, at a `&`; `entity = "&" ~ ("#" ~ ("x" | "X") ~
/// ASCII_HEX_DIGIT{1,6} | "#" ~ ASCII_DIGIT{1,7} | ASCII_ALPHANUMERIC{1,32}) ~ ";"`.
pub(crate) fn amp_token(bytes: &[u8], at: usize, to: usize) -> Option<Token> {
    let get = |i: usize| (i < to).then(|| bytes[i]);
    let body = at + 1;
    let end = match (get(body), get(body + 1)) {
        (Some(b'#'), Some(b'x' | b'X')) => {
            let n = run_of(bytes, body + 2, to, 6, u8::is_ascii_hexdigit);
            (n > 0).then_some(body + 2 + n)
        }
        (Some(b'#'), _) => {
            let n = run_of(bytes, body + 1, to, 7, u8::is_ascii_digit);
            (n > 0).then_some(body + 1 + n)
        }
        _ => {
            let n = run_of(bytes, body, to, 32, u8::is_ascii_alphanumeric);
            (n > 0).then_some(body + n)
        }
    };
    match end {
        Some(e) if get(e) == Some(b';') => token(Kind::Entity, at, e + 1),
        _ => other(at),
    }
}

/// The `url_scheme` alternatives, in the grammar's order (matched ignoring ASCII case).
const URL_SCHEMES: [&[u8]; 24] = [
    b"https://",
    b"http://",
    b"ftp://",
    b"ftps://",
    b"sftp://",
    b"irc://",
    b"ircs://",
    b"news:",
    b"mailto:",
    b"//",
    b"git://",
    b"svn://",
    b"gopher://",
    b"nntp://",
    b"telnet://",
    b"tel:",
    b"geo:",
    b"magnet:",
    b"urn:",
    b"xmpp:",
    b"sip:",
    b"sips:",
    b"ssh://",
    b"mms://",
];

/// `bracket_token = ext_open | other`, at a lone `[`; `ext_open = "[" ~ url_scheme ~
/// (!(" " | "\t" | "[" | "]" | "<" | ">" | "\"" | "{" | "}" | "|" | "\n") ~ ANY)+`.
pub(crate) fn bracket_token(bytes: &[u8], at: usize, to: usize) -> Option<Token> {
    let rest = &bytes[at + 1..to];
    let scheme = URL_SCHEMES
        .iter()
        .find(|s| rest.len() >= s.len() && rest[..s.len()].eq_ignore_ascii_case(s));
    if let Some(scheme) = scheme {
        let from = at + 1 + scheme.len();
        let n = bytes[from..to]
            .iter()
            .take_while(|b| !b" \t[]<>\"{}|\n".contains(b))
            .count();
        if n > 0 {
            return token(Kind::ExtOpen, at, from + n);
        }
    }
    other(at)
}

/// `underscore_token = magic | other`, at `__`; `magic = "__" ~ ASCII_ALPHA{1,32} ~ "__"`.
pub(crate) fn underscore_token(bytes: &[u8], at: usize, to: usize) -> Option<Token> {
    if at + 2 > to {
        return other(at);
    }
    let n = run_of(bytes, at + 2, to, 32, u8::is_ascii_alphabetic);
    let end = at + 2 + n;
    if n > 0 && to >= end + 2 && &bytes[end..end + 2] == b"__" {
        return token(Kind::Magic, at, end + 2);
    }
    other(at)
}
