//! A page's text with its templates expanded ([`preprocess`](super::preprocess)), ready to
//! parse. Each section's body is expanded on its own and the heading lines are kept as
//! written, so the page's sections are those of its own text: a heading that a template makes
//! is not a section (as MediaWiki's section editing has it), and a call never spans a heading
//! (the heading scanner does not look inside paired braces).

use crate::doc::{Document, Outline};

use super::preprocess::{Expander, Limits, PageContext, Templates, Used};
use super::sections::{HeadingLine, Headings, headings, outline_from};

/// A text expanded (see the module documentation).
pub struct Expanded {
    text: String,
    found: Headings,
    outline: Outline,
    used: Used,
}

impl Expanded {
    /// The expanded text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What the expansion used (pages, today's date, a limit met).
    pub fn used(&self) -> &Used {
        &self.used
    }

    /// The parsed document: the expanded text's blocks under the own text's sections (byte
    /// offsets in the outline are those of the own text, as section edits need).
    pub fn document(&self) -> Document<'_> {
        let mut doc = super::parse_found(&self.text, self.found.clone());
        doc.outline = self.outline.clone();
        doc
    }
}

/// Expands the templates of `text`, the text of the page `context.title`.
pub fn expand(text: &str, templates: &dyn Templates, context: PageContext<'_>) -> Expanded {
    let found = headings(text);
    let outline = outline_from(text, &found);
    if !text.contains("{{") {
        return Expanded {
            text: text.to_owned(),
            found,
            outline,
            used: Used::default(),
        };
    }
    let mut expander = Expander::new(templates, context, Limits::default());
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut cursor = 0;
    let mut moved = |h: &HeadingLine, out: &mut String, cursor: &mut usize| {
        out.push_str(&expander.expand(&text[*cursor..h.start]));
        let at = out.len();
        out.push_str(&text[h.start..h.body_start]);
        *cursor = h.body_start;
        HeadingLine {
            start: at,
            level: h.level,
            content: (h.content.0 - h.start + at, h.content.1 - h.start + at),
            body_start: h.body_start - h.start + at,
        }
    };
    let title = found.title.map(|h| moved(&h, &mut out, &mut cursor));
    let sections = found
        .sections
        .iter()
        .map(|h| moved(h, &mut out, &mut cursor))
        .collect();
    out.push_str(&expander.expand(&text[cursor..]));
    Expanded {
        text: out,
        found: Headings {
            title,
            sections,
            hidden: None,
        },
        outline,
        used: expander.into_used(),
    }
}
