//! Plain text from the HTML we rendered: tags dropped, entities decoded, one line per block.

/// Block elements whose end starts a new line.
const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "div",
    "tr",
    "pre",
    "br",
    "table",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "figcaption",
];

/// The text of `html` (which we generated, so it is well formed): what a reader sees, without
/// markup.
pub(crate) fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |n| n + 1);
            let tag = rest[1..end]
                .trim_start_matches('/')
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if BLOCKS.contains(&tag.as_str()) && !out.ends_with('\n') && !out.is_empty() {
                out.push('\n');
            }
            rest = &rest[end..];
        } else {
            let end = rest[..rest.len().min(12)].find(';');
            match end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e))) {
                Some((c, e)) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out.trim().to_owned()
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_and_entities_are_decoded() {
        let html = "<h2 id=\"A\">Early &amp; late</h2><p>She met <a href=\"/wiki/B\">Babbage</a>&#39;s &lt;engine&gt;.</p><p>x &unknown; y</p>";
        assert_eq!(
            plain_text(html),
            "Early & late\nShe met Babbage's <engine>.\nx &unknown; y"
        );
    }
}
