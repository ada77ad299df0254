//! The edit form: a textarea with the page's (or one section's) markup, a summary, Preview and
//! Save. On a conflict it shows the user's text, the current text and their difference.

use maud::{Markup, html};

use super::{Layout, PageTabs, SignedIn, layout};

/// A conflict to resolve: the page changed since the user's base revision.
pub struct EditConflict<'a> {
    /// The latest revision, which the merged save will be based on.
    pub latest_revision: i64,
    /// The current markup (of the page or the section).
    pub current_markup: &'a str,
    /// The difference from the current text to the user's text.
    pub difference: Markup,
}

/// What the edit view shows.
pub struct EditPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The form's action URL.
    pub action: &'a str,
    /// The section being edited (its key as given), if not the whole page.
    pub section: Option<&'a str>,
    /// The section's heading, for the page heading.
    pub section_title: Option<&'a str>,
    /// The markup in the textarea.
    pub markup: &'a str,
    /// The revision the edit is based on (`None` when creating the page).
    pub base_revision: Option<i64>,
    /// The edit summary typed so far.
    pub summary: &'a str,
    /// The CSRF token for the form.
    pub csrf: &'a str,
    /// The rendered preview, when the user asked for one.
    pub preview: Option<Markup>,
    /// A conflict, when the save could not be applied.
    pub conflict: Option<EditConflict<'a>>,
    /// When editing a section: the URL of that section's own history.
    pub section_history: Option<&'a str>,
    /// A problem with the input (too long, invalid), shown above the form.
    pub problem: Option<&'a str>,
    /// Tabs for the page.
    pub tabs: PageTabs<'a>,
    /// The signed-in user, if any.
    pub user: Option<SignedIn<'a>>,
    /// Whether the page is protected (only admins edit it).
    pub protected: bool,
    /// What saving the form would change (an undo shows it before it is saved).
    pub changes: Option<Markup>,
    /// Whether "This is a minor edit" is ticked (kept across a preview).
    pub minor: bool,
}

/// The edit page.
pub fn page(edit: &EditPage<'_>) -> Markup {
    let heading = match (edit.base_revision, edit.section_title) {
        (None, _) => format!("Creating {}", edit.title),
        (Some(_), Some(section)) => format!("Editing {} (section: {section})", edit.title),
        (Some(_), None) => format!("Editing {}", edit.title),
    };
    let base = edit
        .conflict
        .as_ref()
        .map(|c| c.latest_revision)
        .or(edit.base_revision);
    layout(
        Layout {
            title: &heading,
            tabs: edit.tabs,
            user: edit.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @if let Some(url) = edit.section_history {
                p.meta { a href=(url) { "History of this section" } }
            }
            @if edit.protected { (super::moderation::protected_notice()) }
            @if let Some(problem) = edit.problem {
                p.banner role="alert" { (problem) }
            }
            @if let Some(conflict) = &edit.conflict {
                section.conflict aria-labelledby="conflict-heading" {
                    h2 #conflict-heading { "Edit conflict" }
                    p.banner role="alert" {
                        "Someone else changed this text since you started editing. Your text is "
                        "kept below: merge the two, then save again. The difference from the "
                        "current text to yours:"
                    }
                    div.diff { (conflict.difference) }
                    h3 { "The current text (revision " (conflict.latest_revision) ")" }
                    textarea.current readonly rows="12" aria-label="The current text" { (conflict.current_markup) }
                }
            }
            @if let Some(changes) = &edit.changes {
                section.changes aria-labelledby="changes-heading" {
                    h2 #changes-heading { "The changes you are about to save" }
                    div.diff { (changes) }
                }
            }
            @if let Some(preview) = &edit.preview {
                section.preview aria-labelledby="preview-heading" {
                    h2 #preview-heading { "Preview" }
                    p.banner { "This is only a preview; your changes have not been saved yet." }
                    div.page { (preview) }
                }
            }
            form.edit method="post" action=(edit.action) {
                input type="hidden" name="csrf" value=(edit.csrf);
                @if let Some(base) = base {
                    input type="hidden" name="base_revision" value=(base);
                }
                @if let Some(section) = edit.section {
                    input type="hidden" name="section" value=(section);
                }
                label for="markup" { "Markup" }
                div.edit-area {
                    textarea #markup name="markup" rows="25" spellcheck="true" aria-describedby="markup-help" { (edit.markup) }
                    (markup_help())
                }
                label for="summary" { "Summary of your changes" }
                input #summary type="text" name="summary" value=(edit.summary) maxlength="500";
                @if base.is_some() {
                    // MediaWiki's checkbox; a new page's first revision is never minor.
                    label.minor-edit {
                        input #minor type="checkbox" name="minor" value="1" checked[edit.minor];
                        " This is a minor edit"
                    }
                }
                div.actions {
                    button.primary type="submit" name="action" value="save" { "Save" }
                    button type="submit" name="action" value="preview" { "Preview" }
                }
            }
        },
    )
}

/// The form that starts a new biography: the person's name becomes the page's title.
pub fn new_biography(user: Option<SignedIn<'_>>, problem: Option<&str>) -> Markup {
    layout(
        Layout {
            title: "New biography",
            user,
            ..Layout::default()
        },
        html! {
            h1.page-title { "New biography" }
            @if let Some(problem) = problem { p.banner role="alert" { (problem) } }
            p { "The page starts with an infobox to fill in, a lead and the usual sections." }
            form.new-biography method="get" action="/new-biography" {
                label for="new-title" { "The person's name (the page's title)" }
                input #new-title type="text" name="title" required maxlength="255";
                div.actions { button.primary type="submit" { "Start writing" } }
            }
        },
    )
}

/// A short reminder of the markup, beside the textarea.
fn markup_help() -> Markup {
    let rows: [(&str, &str); 9] = [
        ("'''bold''', ''italic''", "bold, italic"),
        ("[[Ada Lovelace]]", "a link to a page"),
        ("[[Ada Lovelace|Ada]]", "…with other words"),
        ("[https://example.org Words]", "an external link"),
        ("== Heading ==", "a section"),
        ("* item", "a list"),
        ("<ref>Source, page</ref>", "a footnote"),
        ("<references />", "where footnotes are listed"),
        ("[[Category:Poets]]", "a category"),
    ];
    html! {
        aside.markup-help #markup-help aria-label="Markup help" {
            h2 { "Markup help" }
            dl {
                @for (markup, meaning) in rows {
                    dt { code { (markup) } }
                    dd { (meaning) }
                }
            }
        }
    }
}

/// The text a new biography starts from: an `{{Infobox person}}` to fill in, a lead and the
/// usual sections.
pub fn biography_skeleton(name: &str) -> String {
    format!(
        "{{{{Infobox person\n| name = {name}\n| image =\n| birth_date =\n| birth_place =\n| death_date =\n| death_place =\n| occupation =\n}}}}\n'''{name}''' (born …) is …\n\n== Early life ==\n\n== Career ==\n\n== Personal life ==\n\n== References ==\n<references />\n"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_biography_skeleton_names_the_person_in_an_infobox_and_the_lead() {
        let text = super::biography_skeleton("Jo Bloggs");
        assert!(text.starts_with("{{Infobox person\n| name = Jo Bloggs\n"));
        assert!(text.contains("}}\n'''Jo Bloggs''' (born"));
        assert!(text.contains("\n== Early life ==\n"));
    }
}
