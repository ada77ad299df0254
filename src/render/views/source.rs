//! The box a source document's read view shows above its text: publisher, date, kind and the
//! URL it came from.

use maud::{Markup, html};

use super::account::csrf_field;
use crate::bio::kinds::SourceKind;

/// A source document's metadata, as shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct SourceBox<'a> {
    /// Where it was found (shown as a link only when it is http or https).
    pub url: Option<&'a str>,
    /// Who published it.
    pub publisher: Option<&'a str>,
    /// When: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<&'a str>,
    /// What kind of document it is.
    pub kind: Option<&'a str>,
}

/// Whether `url` may be a link's `href`: http and https only (the metadata is checked on import;
/// this keeps the view safe whatever the database holds).
fn web_href(url: &str) -> Option<&str> {
    let scheme = url.split_once("://")?.0;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(url)
}

/// The box, as a description list.
pub fn source_box(source: &SourceBox<'_>) -> Markup {
    html! {
        aside.source-box aria-label="About this source" {
            p.source-box-title { "Source document" }
            dl {
                @if let Some(publisher) = source.publisher { dt { "Publisher" } dd { (publisher) } }
                @if let Some(date) = source.date { dt { "Date" } dd { time datetime=(date) { (date) } } }
                @if let Some(kind) = source.kind { dt { "Kind" } dd { (kind) } }
                @if let Some(url) = source.url {
                    dt { "URL" }
                    dd {
                        @if let Some(href) = web_href(url) {
                            a.external href=(href) rel="nofollow noopener" { (url) }
                        } @else {
                            (url)
                        }
                    }
                }
            }
        }
    }
}

/// The form editors change a source's kind and metadata with (posted to `action`).
#[derive(Debug, Clone, Copy)]
pub struct MetadataForm<'a> {
    /// Where it posts (`/wiki/{title}/source`).
    pub action: &'a str,
    /// The session's CSRF token.
    pub csrf: &'a str,
    /// The metadata's tag when the form was made: a save over someone else's change is refused.
    pub tag: &'a str,
    /// The metadata now.
    pub current: SourceBox<'a>,
}

/// The metadata form, folded under "Edit kind and metadata". An empty field removes the value.
pub fn metadata_form(form: &MetadataForm<'_>) -> Markup {
    let current = form.current;
    html! {
        details.source-edit {
            summary { "Edit kind and metadata" }
            form method="post" action=(form.action) {
                (csrf_field(form.csrf))
                input type="hidden" name="tag" value=(form.tag);
                p {
                    label for="source-kind" { "Kind" } " "
                    select #source-kind name="kind" {
                        @if current.kind.is_none() { option value="" selected { "(not set)" } }
                        @for name in SourceKind::NAMES {
                            option value=(name) selected[current.kind == Some(name)] { (name) }
                        }
                    }
                }
                p {
                    label for="source-url" { "URL" } " "
                    input #source-url type="url" name="url" maxlength="2000" size="60" value=(current.url.unwrap_or(""));
                }
                p {
                    label for="source-publisher" { "Publisher" } " "
                    input #source-publisher type="text" name="publisher" maxlength="200" size="40" value=(current.publisher.unwrap_or(""));
                }
                p {
                    label for="source-date" { "Date (YYYY, YYYY-MM or YYYY-MM-DD)" } " "
                    input #source-date type="text" name="date" maxlength="10" size="10" value=(current.date.unwrap_or(""));
                }
                p.hint { "An empty field removes the value. Changes are written to the audit log." }
                button type="submit" { "Save metadata" }
            }
        }
    }
}

/// Boilerplate of a source, shown folded apart from its text.
#[derive(Debug, Clone, Copy)]
pub struct Folded<'a> {
    /// What it is (`donation appeal`).
    pub label: &'a str,
    /// Its text, as stored.
    pub text: &'a str,
}

/// The source's boilerplate, each stretch folded under "Not part of the source: …", as plain
/// paragraphs.
pub fn boilerplate(folded: &[Folded<'_>]) -> Markup {
    html! {
        @for b in folded {
            details.boilerplate {
                summary { "Not part of the source: " (b.label) }
                div.boilerplate-text {
                    @for paragraph in b.text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                        p { (paragraph) }
                    }
                }
            }
        }
    }
}

/// A quotation in a source, as listed.
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a> {
    /// The quoted words.
    pub text: &'a str,
    /// Who said it, if the text says.
    pub speaker: Option<&'a str>,
}

/// **Quotations**: the quotations in the source outside its boilerplate.
pub fn quotations(items: &[Quoted<'_>]) -> Markup {
    html! {
        section.quotations #quotations aria-labelledby="quotations-heading" {
            h2 #quotations-heading { "Quotations" }
            @if items.is_empty() {
                p { "This source quotes nobody (outside its boilerplate)." }
            } @else {
                ul.quotation-list {
                    @for q in items {
                        li {
                            q { (q.text) }
                            @if let Some(speaker) = q.speaker { " \u{2014} " span.speaker { (speaker) } }
                        }
                    }
                }
            }
        }
    }
}

/// A page on the other side of a mention: a person a source mentions, or a source that
/// mentions a person.
#[derive(Debug, Clone)]
pub struct Mentioned<'a> {
    /// What the link says (a person's display name, a source's title).
    pub text: &'a str,
    /// Where it goes.
    pub url: String,
    /// How many times the source names the person.
    pub count: i64,
}

/// A list of mentions under `heading` (`id` for its anchor), or `empty` when there is none.
pub fn mentions(id: &str, heading: &str, empty: &str, items: &[Mentioned<'_>]) -> Markup {
    let heading_id = format!("{id}-heading");
    html! {
        section.mentions #(id) aria-labelledby=(heading_id) {
            h2 #(heading_id) { (heading) }
            @if items.is_empty() {
                p { (empty) }
            } @else {
                ul.mention-list {
                    @for m in items {
                        li {
                            a href=(m.url) { (m.text) }
                            " (" (m.count) @if m.count == 1 { " mention" } @else { " mentions" } ")"
                        }
                    }
                }
            }
        }
    }
}

/// A sentence of a page that cites the source, as shown.
#[derive(Debug, Clone, Copy)]
pub struct Citing<'a> {
    /// The citing page.
    pub page: &'a str,
    /// The URL of the citing section (the page's when the section is gone).
    pub url: &'a str,
    /// The section's title (empty for the lead).
    pub section: &'a str,
    /// The citing sentence.
    pub sentence: &'a str,
}

/// **Cited by**: each page and section citing the source, with the citing sentence; and the
/// `<ref>` to copy to cite it.
pub fn cited_by(citing: &[Citing<'_>], how_to_cite: &str) -> Markup {
    html! {
        section.cited-by aria-labelledby="cited-by-heading" {
            h2 #cited-by-heading { "Cited by" }
            @if citing.is_empty() {
                p { "No page cites this source yet." }
            } @else {
                ul.cited-by-list {
                    @for c in citing {
                        li {
                            a href=(c.url) {
                                (c.page)
                                @if !c.section.is_empty() { " \u{a7} " (c.section) }
                            }
                            @if !c.sentence.is_empty() { ": " q.citing-sentence { (c.sentence) } }
                        }
                    }
                }
            }
            p.how-to-cite {
                label for="how-to-cite" { "To cite this source, copy:" }
                " "
                input #how-to-cite type="text" readonly value=(how_to_cite) size="60";
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_become_links_and_everything_is_escaped() {
        let html = source_box(&SourceBox {
            url: Some("javascript:alert(1)"),
            publisher: Some("<b>Times</b>"),
            ..SourceBox::default()
        })
        .into_string();
        assert!(!html.contains("href"), "{html}");
        assert!(html.contains("&lt;b&gt;Times&lt;/b&gt;"), "{html}");
        let html = source_box(&SourceBox {
            url: Some("HTTPS://example.org/a?b=1&c=\"2\""),
            ..SourceBox::default()
        })
        .into_string();
        assert!(
            html.contains(r#"href="HTTPS://example.org/a?b=1&amp;c=&quot;2&quot;""#),
            "{html}"
        );
    }
}
