//! HTML character references: decoded into text (maud escapes them again on output).

use std::borrow::Cow;

/// Decodes one entity such as `&amp;`, `&#8212;` or `&#x2014;`; `None` if it is not one.
pub(crate) fn decode(entity: &str) -> Option<char> {
    let inner = entity.strip_prefix('&')?.strip_suffix(';')?;
    if let Some(num) = inner.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        return match char::from_u32(code) {
            Some('\0') | None => None,
            Some(c) => Some(c),
        };
    }
    let c = match inner {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "minus" => '−',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "sbquo" => '‚',
        "bdquo" => '„',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "dagger" => '†',
        "Dagger" => '‡',
        "prime" => '′',
        "Prime" => '″',
        "thinsp" => '\u{2009}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "shy" => '\u{ad}',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "sup1" => '¹',
        "sup2" => '²',
        "sup3" => '³',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "iexcl" => '¡',
        "iquest" => '¿',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "aacute" => 'á',
        "agrave" => 'à',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "iacute" => 'í',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        "alpha" => 'α',
        "beta" => 'β',
        "gamma" => 'γ',
        "delta" => 'δ',
        "pi" => 'π',
        "mu" => 'μ',
        "micro" => 'µ',
        "ordm" => 'º',
        "ordf" => 'ª',
        "not" => '¬',
        "infin" => '∞',
        "asymp" => '≈',
        "ne" => '≠',
        "le" => '≤',
        "ge" => '≥',
        "star" => '☆',
        "hearts" => '♥',
        _ => return None,
    };
    Some(c)
}

/// Decodes every entity in `s` (used for URLs and attribute values); `s` itself when it
/// has none.
pub(crate) fn decode_all(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'&', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let semi = tail.as_bytes().iter().take(40).position(|&b| b == b';');
        match semi.and_then(|n| decode(&tail[..=n]).map(|c| (n, c))) {
            Some((n, c)) => {
                out.push(c);
                rest = &tail[n + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_named_and_numeric() {
        assert_eq!(decode("&amp;"), Some('&'));
        assert_eq!(decode("&#8212;"), Some('—'));
        assert_eq!(decode("&#x2014;"), Some('—'));
        assert_eq!(decode("&#0;"), None);
        assert_eq!(decode("&#xD800;"), None);
        assert_eq!(decode("&bogus;"), None);
        assert_eq!(decode_all("a&amp;b&c&lt;"), "a&b&c<");
    }
}
