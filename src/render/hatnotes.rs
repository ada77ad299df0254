//! Hatnotes (`{{Main}}`, `{{See also}}`, `{{Further}}`, `{{About}}`, `{{Redirect}}`,
//! `{{Distinguish}}`, `{{For}}`) and the box of navigation templates at the end of a page.

use maud::{Markup, html};

use super::article::Renderer;
use crate::bio::args::positional_texts;
use crate::doc::template_kinds::{Hatnote, TemplateKind, kind_of, template_key};
use crate::doc::{Block, Document, Inline, Template};

impl Renderer<'_> {
    /// Pages joined as Wikipedia's hatnotes join them: "A", "A and B", "A, B and C".
    fn page_list(&self, pages: &[String]) -> Markup {
        html! {
            @for (i, page) in pages.iter().enumerate() {
                @if i > 0 { @if i + 1 == pages.len() { " and " } @else { ", " } }
                @let (target, label) = match page.split_once('#') {
                    Some((p, f)) if !p.is_empty() => (p.to_string(), format!("{p} \u{a7} {f}")),
                    _ => (page.clone(), page.clone()),
                };
                (self.link_to(&target, None, &[Inline::text(label)]))
            }
        }
    }

    /// "For X, see Y." from alternating description/page arguments.
    fn for_see(&self, args: &[String], page: &str) -> Markup {
        let what = args.first().cloned().unwrap_or_else(|| "other uses".into());
        let targets: Vec<String> = if args.len() > 1 {
            args[1..]
                .iter()
                .filter(|a| !a.is_empty())
                .cloned()
                .collect()
        } else {
            vec![format!("{page} (disambiguation)")]
        };
        html! { "For " (what) ", see " (self.page_list(&targets)) "." }
    }

    /// A hatnote: a block of its own (`div`, or a `span` drawn as a block inside a line).
    pub(crate) fn hatnote(&self, kind: Hatnote, t: &Template, block: bool) -> Markup {
        let args: Vec<String> = positional_texts(t)
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let page = self.options.page_title.unwrap_or("this page");
        let body = match kind {
            Hatnote::Main => {
                let label = if args.len() > 1 {
                    "Main articles: "
                } else {
                    "Main article: "
                };
                html! { (label) (self.page_list(&args)) }
            }
            Hatnote::SeeAlso => html! { "See also: " (self.page_list(&args)) },
            Hatnote::Further => html! { "Further information: " (self.page_list(&args)) },
            Hatnote::Distinguish => {
                html! { "Not to be confused with " (self.page_list(&args)) "." }
            }
            Hatnote::For => self.for_see(&args, page),
            Hatnote::About => {
                let about = args.first().cloned().unwrap_or_default();
                html! {
                    @if !about.is_empty() { "This article is about " (about) ". " }
                    (self.for_see(args.get(1..).unwrap_or(&[]), page))
                }
            }
            Hatnote::Redirect => {
                let from = args.first().cloned().unwrap_or_default();
                html! {
                    "\u{201c}" (from) "\u{201d} redirects here. "
                    (self.for_see(args.get(1..).unwrap_or(&[]), &from))
                }
            }
        };
        if block {
            html! { div.hatnote role="note" { (body) } }
        } else {
            html! { span.hatnote role="note" { (body) } }
        }
    }

    /// The navigation templates of the page (navboxes, authority control, portals, stub
    /// notices) as one collapsed box, or nothing when there are none.
    pub(crate) fn navigation_box(&self) -> Markup {
        let found = navigation_templates(self.doc, self.first_end_section);
        if found.is_empty() {
            return html! {};
        }
        html! {
            details.navboxes {
                summary { "Navigation and related pages (" (found.len()) ")" }
                ul {
                    @for t in &found { li { (navigation_entry(t)) } }
                }
            }
        }
    }
}

/// What a navigation template's entry in the box says: its name, and what it names.
fn navigation_entry(t: &Template) -> String {
    let key = template_key(&t.name);
    let args = positional_texts(t);
    let name = t
        .name
        .trim()
        .trim_start_matches("Template:")
        .replace('_', " ");
    if key.starts_with("portal") && !args.is_empty() {
        return format!("Portals: {}", args.join(", "));
    }
    name
}

/// The navigation templates of a page, in order: standing alone, or standing on their own
/// line in a paragraph, anywhere in the page.
/// `first_end` is the renderer's [`first_end_section`].
fn navigation_templates<'d>(
    doc: &'d Document<'d>,
    first_end: Option<usize>,
) -> Vec<&'d Template<'d>> {
    let mut found = Vec::new();
    for (index, section) in doc.sections.iter().enumerate() {
        let at_end = first_end.is_some_and(|first| first <= index);
        for block in &section.blocks {
            match block {
                Block::Template(t) if is_navigation_block(doc, t, at_end) => found.push(t),
                Block::Paragraph { content } => {
                    for (i, inline) in content.iter().enumerate() {
                        if let Inline::Template(t) = inline {
                            if is_navigation(t)
                                || (on_own_line(content, i) && is_navigation_block(doc, t, at_end))
                            {
                                found.push(t);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Whether inline `i` of a paragraph stands on a line of its own.
pub(crate) fn on_own_line(content: &[Inline], i: usize) -> bool {
    let before = i
        .checked_sub(1)
        .and_then(|b| content.get(b))
        .is_none_or(|p| matches!(p, Inline::Text { text } if text.ends_with('\n')));
    let after = content
        .get(i + 1)
        .is_none_or(|n| matches!(n, Inline::Text { text } if text.starts_with('\n')));
    before && after
}

/// Whether inline `i` of a paragraph is a template drawn as a block of its own (a hatnote, an
/// infobox, a navigation box, a page-level switch): the paragraph is cut around it, as
/// Wikipedia's `<div>`s cut it.
pub(crate) fn is_block_template_at(
    doc: &Document,
    content: &[Inline],
    i: usize,
    at_end: bool,
) -> bool {
    let Some(Inline::Template(t)) = content.get(i) else {
        return false;
    };
    match kind_of(&template_key(&t.name)) {
        TemplateKind::Hatnote(_)
        | TemplateKind::Navigation
        | TemplateKind::Infobox
        | TemplateKind::Figure
        | TemplateKind::Invisible => true,
        TemplateKind::Other => {
            is_navigation_like(t)
                || (on_own_line(content, i) && is_navigation_block(doc, t, at_end))
        }
        _ => false,
    }
}

fn is_navigation(t: &Template) -> bool {
    kind_of(&template_key(&t.name)) == TemplateKind::Navigation || is_navigation_like(t)
}

/// Sections Wikipedia ends its articles with, where navigation boxes stand (English and
/// German names, as the corpus has them).
const END_SECTIONS: &[&str] = &[
    "references",
    "notes",
    "external links",
    "see also",
    "further reading",
    "bibliography",
    "sources",
    "footnotes",
    "citations",
    "notes and references",
    "weblinks",
    "einzelnachweise",
    "literatur",
    "anmerkungen",
    "siehe auch",
];

/// The first section of `doc` (after the lead) that is one of those an article ends with (its
/// references, external links…): it and every section after it are end sections.
pub(crate) fn first_end_section(doc: &Document) -> Option<usize> {
    doc.outline
        .sections
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, s)| END_SECTIONS.contains(&s.title.trim().to_lowercase().as_str()))
        .map(|(index, _)| index)
}

/// Whether an unknown template, wherever it stands, is named as Wikipedia names its
/// navigation boxes and sidebars: no parameters and a name of three words or more
/// (`{{Politics of Pakistan}}`, `{{Scottish Football League}}`).
pub(crate) fn is_navigation_like(t: &Template) -> bool {
    let key = template_key(&t.name);
    kind_of(&key) == TemplateKind::Other
        && t.params.is_empty()
        && key.split(' ').count() >= 3
        && !super::templates::is_built_in(&key)
        && !key.starts_with('#')
        && !key.contains(':')
}

/// Whether a template standing alone on its lines is a navigation box: one of that kind; an
/// unknown template without parameters (`{{Toronto}}`, `{{Anarchism}}`: Wikipedia's
/// navigation boxes are called so); a sidebar named in words with at most one short word
/// of a parameter (`{{Green anarchism|Related}}`); or, at the end of the page (`at_end`:
/// among its references and external links), any unknown template (a succession box, a
/// "geographic location" box).
pub(crate) fn is_navigation_block(doc: &Document, t: &Template, at_end: bool) -> bool {
    let key = template_key(&t.name);
    match kind_of(&key) {
        TemplateKind::Navigation => true,
        TemplateKind::Other => {
            let named_so = navbox_parameters_only(t) || at_end || is_sidebar_like(&key, t);
            named_so
                && !super::templates::is_built_in(&key)
                && !key.starts_with('#')
                && !key.contains(':')
                && super::templates::is_unknown(doc, t)
        }
        _ => false,
    }
}

/// A template named in two words or more with one short plain parameter
/// (`{{Green anarchism|Related}}`): how sidebars are called.
fn is_sidebar_like(key: &str, t: &Template) -> bool {
    key.contains(' ')
        && matches!(t.params.as_slice(), [p] if p.name.is_none()
            && matches!(p.value.as_slice(), [Inline::Text { text }] if text.trim().len() <= 20))
}

/// Parameters a navigation box takes that say nothing but how it is drawn.
const NAVBOX_PARAMETERS: &[&str] = &["state", "collapsed", "expanded", "nocat", "selected"];

/// Whether a template has no parameters but a navigation box's drawing ones (`state=`).
fn navbox_parameters_only(t: &Template) -> bool {
    t.params.iter().all(|p| {
        p.name
            .as_deref()
            .is_some_and(|n| NAVBOX_PARAMETERS.contains(&n.trim().to_lowercase().as_str()))
    })
}
