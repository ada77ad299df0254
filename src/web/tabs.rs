//! The tabs above a page: Read, Edit, History, What links here, Info, Timeline (people only)
//! and Move.

use crate::wiki::Title;

/// Which tab is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tab {
    Read,
    Edit,
    History,
    Links,
    Info,
    Timeline,
    /// The move form (and the admins' delete form).
    Move,
    /// A talk page's "Add topic" form.
    Topic,
    /// The watch form (a star for the page and each section).
    Watch,
}

/// Owned tabs; [`Tabs::as_refs`] gives the borrowed form the layout takes.
#[derive(Debug, Clone)]
pub(super) struct Tabs(Vec<(String, String, bool)>);

impl Tabs {
    /// Owned copies of borrowed tabs.
    pub(super) fn from_refs(tabs: &[(&str, &str, bool)]) -> Self {
        Self(
            tabs.iter()
                .map(|(label, url, current)| ((*label).to_owned(), (*url).to_owned(), *current))
                .collect(),
        )
    }

    pub(super) fn as_refs(&self) -> Vec<(&str, &str, bool)> {
        self.0
            .iter()
            .map(|(label, url, current)| (label.as_str(), url.as_str(), *current))
            .collect()
    }
}

/// The tabs of `title`'s pages, with `current` marked: after Read, the page's Discussion (its
/// talk page) or, on a talk page, the page it discusses and "Add topic" (issue 15).
pub(super) fn for_page(title: &Title, current: Tab) -> Tabs {
    let base = format!("/wiki/{}", title.url_segment());
    let mut talk = Vec::new();
    if title.namespace().is_talk() {
        if let Some(subject) = title.subject() {
            talk.push((
                "Subject page".to_owned(),
                format!("/wiki/{}", subject.url_segment()),
                false,
            ));
        }
        talk.push((
            "Add topic".to_owned(),
            format!("{base}/topic"),
            current == Tab::Topic,
        ));
    } else if let Some(discussion) = title.talk() {
        talk.push((
            "Discussion".to_owned(),
            format!("/wiki/{}", discussion.url_segment()),
            false,
        ));
    }
    Tabs(
        [("Read".to_owned(), base.clone(), current == Tab::Read)]
            .into_iter()
            .chain(talk)
            .chain([
                (
                    "Edit".to_owned(),
                    format!("{base}/edit"),
                    current == Tab::Edit,
                ),
                (
                    "History".to_owned(),
                    format!("{base}/history"),
                    current == Tab::History,
                ),
                (
                    "What links here".to_owned(),
                    format!("{base}/links"),
                    current == Tab::Links,
                ),
                (
                    "Info".to_owned(),
                    format!("{base}/info"),
                    current == Tab::Info,
                ),
                (
                    "Move".to_owned(),
                    format!("{base}/move"),
                    current == Tab::Move,
                ),
                (
                    "☆ Watch".to_owned(),
                    format!("{base}/watch"),
                    current == Tab::Watch,
                ),
            ])
            .collect(),
    )
}

/// The tabs of a person's pages: [`for_page`]'s with their timeline before Move.
pub(super) fn for_person(title: &Title, current: Tab) -> Tabs {
    let mut tabs = for_page(title, current);
    let at = tabs
        .0
        .iter()
        .position(|(label, _, _)| label == "Move")
        .unwrap_or(tabs.0.len());
    tabs.0.insert(
        at,
        (
            "Timeline".to_owned(),
            format!("/wiki/{}/timeline", title.url_segment()),
            current == Tab::Timeline,
        ),
    );
    tabs
}
