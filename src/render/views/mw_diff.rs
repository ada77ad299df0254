//! A line diff as MediaWiki's diff table rows (`action=compare`'s body): `<tr>` rows of four
//! cells, `diff-lineno` headers where a run of lines starts, a removed line beside the added
//! line that replaced it, changed words in `<del>`/`<ins class="diffchange">`.

use maud::{Markup, html};

use super::diff::{DiffLine, LineChange};

/// A diff line with its line numbers in the older and newer text (1-based).
pub struct NumberedLine {
    /// The line.
    pub line: DiffLine,
    /// Its number in the older text, if it is there.
    pub old_line: Option<usize>,
    /// Its number in the newer text, if it is there.
    pub new_line: Option<usize>,
}

/// The rows of a diff table, as one string of `<tr>` elements.
pub fn rows(lines: &[NumberedLine]) -> String {
    let mut out = String::new();
    // Where the next line would be if the run went on: a gap starts a new header.
    let mut expected: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < lines.len() {
        let (old, new) = start_of(&lines[i..]);
        if expected != Some((old, new)) {
            out.push_str(&header(old, new).into_string());
        }
        // A run of removed lines, then the added lines that replaced them, paired.
        let removed = lines[i..]
            .iter()
            .take_while(|l| l.line.change == LineChange::Removed)
            .count();
        let added = lines[i + removed..]
            .iter()
            .take_while(|l| l.line.change == LineChange::Added)
            .count();
        if removed + added == 0 {
            out.push_str(&context(&lines[i].line).into_string());
            i += 1;
        } else {
            for k in 0..removed.max(added) {
                let old_side = (k < removed).then(|| &lines[i + k].line);
                let new_side = (k < added).then(|| &lines[i + removed + k].line);
                out.push_str(&changed(old_side, new_side).into_string());
            }
            i += removed + added;
        }
        expected = Some(next_after(&lines[..i]));
    }
    out
}

/// The line numbers (older, newer) where `lines` start: a line missing on one side takes the
/// number that side would have next.
fn start_of(lines: &[NumberedLine]) -> (usize, usize) {
    let old = lines.iter().find_map(|l| l.old_line).unwrap_or(1);
    let new = lines.iter().find_map(|l| l.new_line).unwrap_or(1);
    (old, new)
}

/// The line numbers (older, newer) that would follow `lines`.
fn next_after(lines: &[NumberedLine]) -> (usize, usize) {
    let old = lines
        .iter()
        .rev()
        .find_map(|l| l.old_line)
        .map_or(1, |n| n + 1);
    let new = lines
        .iter()
        .rev()
        .find_map(|l| l.new_line)
        .map_or(1, |n| n + 1);
    (old, new)
}

fn header(old: usize, new: usize) -> Markup {
    html! {
        tr {
            td colspan="2" class="diff-lineno" { "Line " (old) ":" }
            td colspan="2" class="diff-lineno" { "Line " (new) ":" }
        }
    }
}

fn context(line: &DiffLine) -> Markup {
    html! {
        tr {
            td class="diff-marker" {}
            td class="diff-context diff-side-deleted" { div { (text(line, "del")) } }
            td class="diff-marker" {}
            td class="diff-context diff-side-added" { div { (text(line, "ins")) } }
        }
    }
}

fn changed(old: Option<&DiffLine>, new: Option<&DiffLine>) -> Markup {
    html! {
        tr {
            @if let Some(old) = old {
                td class="diff-marker" data-marker="−" {}
                td class="diff-deletedline diff-side-deleted" { div { (text(old, "del")) } }
            } @else {
                td colspan="2" class="diff-empty diff-side-deleted" {}
            }
            @if let Some(new) = new {
                td class="diff-marker" data-marker="+" {}
                td class="diff-addedline diff-side-added" { div { (text(new, "ins")) } }
            } @else {
                td colspan="2" class="diff-empty diff-side-added" {}
            }
        }
    }
}

/// A line's text without its line break, changed words in `tag` (`del` or `ins`).
fn text(line: &DiffLine, tag: &str) -> Markup {
    let last = line.pieces.len().saturating_sub(1);
    html! {
        @for (at, (changed, piece)) in line.pieces.iter().enumerate() {
            @let piece = if at == last { piece.trim_end_matches(['\n', '\r']) } else { piece.as_str() };
            @if *changed && line.change != LineChange::Same && !piece.is_empty() {
                @if tag == "del" {
                    del class="diffchange diffchange-inline" { (piece) }
                } @else {
                    ins class="diffchange diffchange-inline" { (piece) }
                }
            } @else {
                (piece)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(
        change: LineChange,
        old: Option<usize>,
        new: Option<usize>,
        pieces: &[(bool, &str)],
    ) -> NumberedLine {
        NumberedLine {
            line: DiffLine {
                change,
                pieces: pieces.iter().map(|(c, t)| (*c, (*t).to_owned())).collect(),
            },
            old_line: old,
            new_line: new,
        }
    }

    #[test]
    fn a_changed_line_sits_beside_its_replacement_under_one_header() {
        let table = rows(&[
            line(LineChange::Same, Some(1), Some(1), &[(false, "One.\n")]),
            line(
                LineChange::Removed,
                Some(2),
                None,
                &[(false, "Two "), (true, "<b>"), (false, "\n")],
            ),
            line(
                LineChange::Added,
                None,
                Some(2),
                &[(false, "Two "), (true, "new"), (false, "\n")],
            ),
            line(LineChange::Added, None, Some(3), &[(false, "Extra.\n")]),
        ]);
        assert_eq!(table.matches("diff-lineno").count(), 2, "{table}");
        assert!(table.contains("Line 1:"), "{table}");
        assert!(
            table.contains("<del class=\"diffchange diffchange-inline\">&lt;b&gt;</del>"),
            "{table}"
        );
        assert!(
            table.contains("<ins class=\"diffchange diffchange-inline\">new</ins>"),
            "{table}"
        );
        assert!(
            table.contains("<td colspan=\"2\" class=\"diff-empty diff-side-deleted\"></td>"),
            "{table}"
        );
        assert_eq!(table.matches("<tr>").count(), 4, "{table}");
    }

    #[test]
    fn a_gap_in_the_lines_starts_a_new_header() {
        let table = rows(&[
            line(LineChange::Same, Some(1), Some(1), &[(false, "A\n")]),
            line(LineChange::Same, Some(9), Some(8), &[(false, "B\n")]),
        ]);
        assert!(
            table.contains("Line 1:") && table.contains("Line 9:"),
            "{table}"
        );
        assert!(table.contains("Line 8:"), "{table}");
    }
}
