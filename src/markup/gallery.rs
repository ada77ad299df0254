//! `<gallery>`: one file a line, `File:X.jpg|option|caption`. This module finds each line's
//! file and the byte span of its caption; the inline engine parses the caption.

use crate::doc::MAX_GALLERY_ITEMS;
use crate::doc::namespace::{Namespace, split as split_namespace};

/// One line of a gallery: the file page and where its caption is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GalleryLine {
    /// `File:Name.jpg` (the name as written, without any `File:`/`Image:`/`Datei:` prefix).
    pub(crate) target: String,
    /// The caption's byte span in the text, if the line has one.
    pub(crate) caption: Option<(usize, usize)>,
}

/// Parameters of a gallery line that are options, not its caption.
const OPTIONS: [&str; 7] = [
    "alt=",
    "link=",
    "page=",
    "lang=",
    "class=",
    "thumbtime=",
    "upright",
];

/// The files of the gallery whose content is `text[from..to]` (at most
/// [`MAX_GALLERY_ITEMS`]); blank lines and lines with no file name are skipped.
pub(crate) fn lines(text: &str, from: usize, to: usize) -> Vec<GalleryLine> {
    let mut out = Vec::new();
    let mut start = from;
    for line in text[from..to].split('\n') {
        let line_start = start;
        start += line.len() + 1;
        if out.len() >= MAX_GALLERY_ITEMS {
            break;
        }
        let parts = split_parts(line);
        let Some(&(file_from, file_to)) = parts.first() else {
            continue;
        };
        let file = line[file_from..file_to].trim();
        let name = match split_namespace(file) {
            Some((Namespace::File, rest)) => rest.trim(),
            _ => file,
        };
        if name.is_empty() || name.contains(['[', ']', '{', '}', '<', '>']) {
            continue;
        }
        let caption = parts[1..]
            .iter()
            .rev()
            .find(|&&(a, b)| {
                let part = line[a..b].trim_start().to_ascii_lowercase();
                !OPTIONS.iter().any(|o| part.starts_with(o))
            })
            .map(|&(a, b)| (line_start + a, line_start + b));
        out.push(GalleryLine {
            target: format!("File:{name}"),
            caption,
        });
    }
    out
}

/// The `|`-separated parts of a line, as byte spans; a `|` inside `[[…]]` or `{{…}}` does
/// not separate.
fn split_parts(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut part_start, mut i) = (0usize, 0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' if bytes.get(i + 1) == Some(&bytes[i]) => {
                depth += 1;
                i += 2;
                continue;
            }
            b']' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                depth = depth.saturating_sub(1);
                i += 2;
                continue;
            }
            b'|' if depth == 0 => {
                parts.push((part_start, i));
                part_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if !line.trim().is_empty() {
        parts.push((part_start, bytes.len()));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(String, Option<&str>)> {
        lines(text, 0, text.len())
            .into_iter()
            .map(|l| (l.target, l.caption.map(|(a, b)| &text[a..b])))
            .collect()
    }

    #[test]
    fn each_line_is_a_file_with_its_caption() {
        let text = "\nFile:A.jpg|The [[Tower|tower]] at dusk\n\nImage:B.png\nC.jpg|alt=x|Left|link=\nDatei:D.jpg|upright=1.2\n";
        assert_eq!(
            spans(text),
            [
                ("File:A.jpg".to_owned(), Some("The [[Tower|tower]] at dusk")),
                ("File:B.png".to_owned(), None),
                ("File:C.jpg".to_owned(), Some("Left")),
                ("File:D.jpg".to_owned(), None),
            ]
        );
    }

    #[test]
    fn a_long_gallery_is_cut() {
        let text = "File:A.jpg\n".repeat(MAX_GALLERY_ITEMS + 5);
        assert_eq!(lines(&text, 0, text.len()).len(), MAX_GALLERY_ITEMS);
        let odd = "|only a caption\n[[x]]";
        assert!(lines(odd, 0, odd.len()).is_empty());
    }
}
