//! Writing MediaWiki's XML export format, schema 0.11: the header with siteinfo and
//! namespaces, then pages with their revisions, as `importDump.php` reads them.

use std::io::{self, Write};

use sha1::{Digest, Sha1};

use crate::doc::namespace::Namespace;

/// The schema written.
pub const SCHEMA: &str = "0.11";

/// Whether `c` cannot appear in an XML 1.0 document at all, not even as a reference.
pub fn not_xml10(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The first character of `text` that XML 1.0 cannot carry, if any.
pub fn first_not_xml10(text: &str) -> Option<char> {
    let bytes = text.as_bytes();
    // Only bytes below 0x20 and the lead byte of U+FFFE/U+FFFF can start one.
    let suspect = bytes
        .iter()
        .any(|&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0xEF);
    if !suspect {
        return None;
    }
    text.chars().find(|&c| not_xml10(c))
}

/// Writes `text` escaped for element content or an attribute value: `&`, `<`, `>` and `"` as
/// entities, CR as `&#13;` (a literal CR would read back as LF). The caller has checked the
/// text with [`first_not_xml10`].
pub fn escaped(out: &mut impl Write, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        out.write_all(&bytes[from..i])?;
        out.write_all(entity)?;
        from = i + 1;
    }
    out.write_all(&bytes[from..])
}

/// MediaWiki's SHA-1 of a text: the digest in base 36, 31 digits, lower case.
pub fn sha1_base36(text: &str) -> String {
    let mut number: [u8; 20] = Sha1::digest(text.as_bytes()).into();
    let mut digits = Vec::with_capacity(31);
    for _ in 0..31 {
        let mut remainder = 0u32;
        for byte in number.iter_mut() {
            let value = (remainder << 8) | u32::from(*byte);
            *byte = (value / 36) as u8;
            remainder = value % 36;
        }
        digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[remainder as usize]);
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// The wiki as siteinfo describes it.
#[derive(Debug, Clone)]
pub struct Site<'a> {
    /// The site's name.
    pub name: &'a str,
    /// The main page's URL.
    pub base: &'a str,
}

/// Writes the document's start and siteinfo, with every namespace.
pub fn header(out: &mut impl Write, site: &Site<'_>) -> io::Result<()> {
    writeln!(
        out,
        r#"<mediawiki xmlns="http://www.mediawiki.org/xml/export-{SCHEMA}/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.mediawiki.org/xml/export-{SCHEMA}/ http://www.mediawiki.org/xml/export-{SCHEMA}.xsd" version="{SCHEMA}" xml:lang="en">"#
    )?;
    out.write_all(b"  <siteinfo>\n    <sitename>")?;
    escaped(out, site.name)?;
    out.write_all(b"</sitename>\n    <dbname>plutarch</dbname>\n    <base>")?;
    escaped(out, site.base)?;
    writeln!(
        out,
        "</base>\n    <generator>Plutarch {}</generator>\n    <case>first-letter</case>\n    <namespaces>",
        env!("CARGO_PKG_VERSION")
    )?;
    for ns in Namespace::ALL {
        if ns == Namespace::Main {
            writeln!(out, r#"      <namespace key="0" case="first-letter" />"#)?;
        } else {
            writeln!(
                out,
                r#"      <namespace key="{}" case="first-letter">{}</namespace>"#,
                ns.number(),
                ns.name()
            )?;
        }
    }
    out.write_all(b"    </namespaces>\n  </siteinfo>\n")
}

/// Writes a page's start: title, namespace, id and redirect.
pub fn page_start(
    out: &mut impl Write,
    title: &str,
    ns: Namespace,
    id: i64,
    redirect: Option<&str>,
) -> io::Result<()> {
    out.write_all(b"  <page>\n    <title>")?;
    escaped(out, title)?;
    writeln!(
        out,
        "</title>\n    <ns>{}</ns>\n    <id>{id}</id>",
        ns.number()
    )?;
    if let Some(target) = redirect {
        out.write_all(b"    <redirect title=\"")?;
        escaped(out, target)?;
        out.write_all(b"\" />\n")?;
    }
    Ok(())
}

/// A revision to write.
#[derive(Debug, Clone)]
pub struct Revision<'a> {
    /// Its id.
    pub id: i64,
    /// Its parent's id.
    pub parent_id: Option<i64>,
    /// RFC 3339, UTC.
    pub timestamp: &'a str,
    /// The author's name.
    pub author: &'a str,
    /// Their account id, when they have one here.
    pub account: Option<i64>,
    /// The edit summary (left out when hidden).
    pub summary: &'a str,
    /// The text's size in bytes.
    pub size: i64,
    /// Marked a minor edit (`<minor/>`).
    pub minor: bool,
    /// The text, or `None` for a hidden revision (marked deleted, as MediaWiki writes it).
    pub text: Option<&'a str>,
}

/// Whether a contributor name is an IP address (an anonymous edit imported from a dump).
fn is_ip(name: &str) -> bool {
    name.parse::<std::net::IpAddr>().is_ok()
}

/// Writes one revision.
pub fn revision(out: &mut impl Write, revision: &Revision<'_>) -> io::Result<()> {
    writeln!(out, "    <revision>\n      <id>{}</id>", revision.id)?;
    if let Some(parent) = revision.parent_id {
        writeln!(out, "      <parentid>{parent}</parentid>")?;
    }
    writeln!(out, "      <timestamp>{}</timestamp>", revision.timestamp)?;
    if is_ip(revision.author) && revision.account.is_none() {
        out.write_all(b"      <contributor>\n        <ip>")?;
        escaped(out, revision.author)?;
        out.write_all(b"</ip>\n      </contributor>\n")?;
    } else {
        out.write_all(b"      <contributor>\n        <username>")?;
        escaped(out, revision.author)?;
        out.write_all(b"</username>\n")?;
        if let Some(id) = revision.account {
            writeln!(out, "        <id>{id}</id>")?;
        }
        out.write_all(b"      </contributor>\n")?;
    }
    if revision.minor {
        out.write_all(b"      <minor/>\n")?;
    }
    match revision.text {
        None => out.write_all(b"      <comment deleted=\"deleted\" />\n")?,
        Some(_) if revision.summary.is_empty() => {}
        Some(_) => {
            out.write_all(b"      <comment>")?;
            escaped(out, revision.summary)?;
            out.write_all(b"</comment>\n")?;
        }
    }
    out.write_all(b"      <model>wikitext</model>\n      <format>text/x-wiki</format>\n")?;
    match revision.text {
        None => {
            writeln!(
                out,
                "      <text bytes=\"{}\" deleted=\"deleted\" />\n      <sha1 />",
                revision.size
            )?;
        }
        Some(text) => {
            let sha1 = sha1_base36(text);
            write!(
                out,
                "      <text bytes=\"{}\" sha1=\"{sha1}\" xml:space=\"preserve\">",
                text.len()
            )?;
            escaped(out, text)?;
            writeln!(out, "</text>\n      <sha1>{sha1}</sha1>")?;
        }
    }
    out.write_all(b"    </revision>\n")
}

/// Writes a page's end.
pub fn page_end(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"  </page>\n")
}

/// Writes the document's end.
pub fn footer(out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"</mediawiki>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_is_mediawikis_base_36() {
        // MediaWiki's sha1 of the empty text and of "Hello".
        assert_eq!(sha1_base36(""), "phoiac9h4m842xq45sp7s6u21eteeq1");
        assert_eq!(sha1_base36("a").len(), 31);
    }

    #[test]
    fn escaping_keeps_carriage_returns_and_markup() {
        let mut out = Vec::new();
        escaped(&mut out, "a\r\n<b> & \"c\"").unwrap();
        assert_eq!(out, b"a&#13;\n&lt;b&gt; &amp; &quot;c&quot;");
        assert_eq!(first_not_xml10("tab\tok\r\n"), None);
        assert_eq!(first_not_xml10("bell\u{7}"), Some('\u{7}'));
        assert_eq!(first_not_xml10("\u{FFFF}"), Some('\u{FFFF}'));
        assert_eq!(first_not_xml10("é\u{FFFD}"), None);
    }
}
