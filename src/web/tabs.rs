//! The tabs above a page: Read, Edit, History, What links here, Info, and Timeline for people.

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
}

/// Owned tabs; [`Tabs::as_refs`] gives the borrowed form the layout takes.
pub(super) struct Tabs(Vec<(&'static str, String, bool)>);

impl Tabs {
    pub(super) fn as_refs(&self) -> Vec<(&str, &str, bool)> {
        self.0
            .iter()
            .map(|(label, url, current)| (*label, url.as_str(), *current))
            .collect()
    }
}

/// The tabs of `title`'s pages, with `current` marked.
pub(super) fn for_page(title: &Title, current: Tab) -> Tabs {
    let base = format!("/wiki/{}", title.url_segment());
    Tabs(vec![
        ("Read", base.clone(), current == Tab::Read),
        ("Edit", format!("{base}/edit"), current == Tab::Edit),
        (
            "History",
            format!("{base}/history"),
            current == Tab::History,
        ),
        (
            "What links here",
            format!("{base}/links"),
            current == Tab::Links,
        ),
        ("Info", format!("{base}/info"), current == Tab::Info),
    ])
}

/// The tabs of a person's pages: [`for_page`]'s and their timeline.
pub(super) fn for_person(title: &Title, current: Tab) -> Tabs {
    let mut tabs = for_page(title, current);
    tabs.0.push((
        "Timeline",
        format!("/wiki/{}/timeline", title.url_segment()),
        current == Tab::Timeline,
    ));
    tabs
}
