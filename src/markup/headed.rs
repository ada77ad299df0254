//! A text whose headings are found once, for a reader that needs its `= Title =` line before it
//! parses it: an import names each page from that line, then parses the text. Finding the
//! headings is most of [`super::outline`]'s cost, and [`super::parse`] finds them too (issue 13:
//! the import's reading threads did it twice a page).

use super::sections::{Headings, headings};
use super::{heading_title, parse_found};
use crate::doc::Document;

/// A text and its headings.
#[derive(Debug, Clone)]
pub struct Headed<'t> {
    text: &'t str,
    found: Headings,
}

impl<'t> Headed<'t> {
    /// Finds the headings of `text`.
    pub fn of(text: &'t str) -> Self {
        Self {
            text,
            found: headings(text),
        }
    }

    /// The text.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// The title of the text's `= Title =` line: exactly [`super::outline`]`(text).title`.
    pub fn title(&self) -> Option<String> {
        self.found
            .title
            .map(|h| heading_title(self.text, h.content))
    }

    /// The text parsed: exactly [`super::parse`]`(text)`.
    pub fn parse(self) -> Document<'t> {
        parse_found(self.text, self.found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_title_and_document_as_outline_and_parse() {
        for text in [
            "= Ada =\nLead.\n== Life ==\nBorn.\n",
            "No title.\n== Only ==\n",
            "\u{feff}= ''Marked'' [[up]] =\n== A ==\n== A ==\n",
            "",
        ] {
            let headed = Headed::of(text);
            assert_eq!(headed.title(), super::super::outline(text).title, "{text}");
            assert_eq!(headed.parse(), super::super::parse(text), "{text}");
        }
    }
}
