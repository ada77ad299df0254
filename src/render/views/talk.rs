//! "Add topic" on a talk page (issue 15): a subject and a text, appended as a new section.

use maud::{Markup, html};

use super::account::csrf_field;
use super::{Layout, PageTabs, SignedIn, layout};

/// What the new-topic form shows.
pub struct TopicPage<'a> {
    /// The page's title.
    pub title: &'a str,
    /// The form's action URL.
    pub action: &'a str,
    /// The subject typed so far.
    pub subject: &'a str,
    /// The text typed so far.
    pub text: &'a str,
    /// The CSRF token.
    pub csrf: &'a str,
    /// What was wrong with the last try, if anything.
    pub problem: Option<&'a str>,
    /// Tabs for the page.
    pub tabs: PageTabs<'a>,
    /// The signed-in user.
    pub user: Option<SignedIn<'a>>,
}

/// The new-topic form.
pub fn page(topic: &TopicPage<'_>) -> Markup {
    let heading = format!("{}: add a topic", topic.title);
    layout(
        Layout {
            title: &heading,
            tabs: topic.tabs,
            user: topic.user,
            ..Layout::default()
        },
        html! {
            h1.page-title { (heading) }
            @if let Some(problem) = topic.problem { p.error role="alert" { (problem) } }
            form.new-topic method="post" action=(topic.action) {
                (csrf_field(topic.csrf))
                p {
                    label for="topic-subject" { "Subject" }
                    " "
                    input #topic-subject type="text" name="subject" value=(topic.subject)
                        required maxlength="200" size="60";
                }
                p {
                    label for="topic-text" { "Text" }
                    textarea #topic-text name="text" rows="12" cols="80" { (topic.text) }
                }
                p.meta { "Your name and the time are added at the end." }
                button type="submit" { "Save topic" }
            }
        },
    )
}
