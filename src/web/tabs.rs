//! The tabs above a page: Read, Edit, History, What links here, Info, Timeline (people only)
//! and Move; [`Tabs::for_viewer`] keeps only what the person looking may do (issue 15): View
//! source instead of Edit, and Move, Protect and Delete in a "More" menu for those allowed.

use crate::auth::{User, policy};
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
    /// The read-only markup, for those who may not edit the page.
    Source,
}

/// What the person looking may do with a page: the tabs offer only that.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Allowed {
    /// Edit (and so move) the page.
    pub(super) edit: bool,
    /// Protect, unprotect and delete it (admins).
    pub(super) moderate: bool,
}

impl Allowed {
    /// What `user` (`None`: an anonymous reader) may do with a page that is `protected` or not.
    pub(super) fn of(user: Option<&User>, protected: bool) -> Self {
        Self {
            edit: user.is_some_and(|u| policy::may_edit(u, protected)),
            moderate: user.is_some_and(|u| policy::may_protect(u) && policy::may_delete(u)),
        }
    }
}

/// Owned tabs, and the entries of the page's "More" menu; [`Tabs::as_refs`] and
/// [`Tabs::more_refs`] give the borrowed forms the layout takes.
#[derive(Debug, Clone, Default)]
pub(super) struct Tabs {
    tabs: Vec<(String, String, bool)>,
    more: Vec<(String, String)>,
}

impl Tabs {
    /// Owned copies of borrowed tabs.
    pub(super) fn from_refs(tabs: &[(&str, &str, bool)]) -> Self {
        Self {
            tabs: tabs
                .iter()
                .map(|(label, url, current)| ((*label).to_owned(), (*url).to_owned(), *current))
                .collect(),
            more: Vec::new(),
        }
    }

    pub(super) fn as_refs(&self) -> Vec<(&str, &str, bool)> {
        self.tabs
            .iter()
            .map(|(label, url, current)| (label.as_str(), url.as_str(), *current))
            .collect()
    }

    /// The "More" menu's entries, as (label, URL).
    pub(super) fn more_refs(&self) -> Vec<(&str, &str)> {
        self.more
            .iter()
            .map(|(label, url)| (label.as_str(), url.as_str()))
            .collect()
    }

    /// These tabs of `title`'s pages as someone who may do `allowed` sees them: "View source"
    /// instead of Edit for those who may not edit, and Move (for those who may edit), Protect
    /// and Delete (for admins) in the "More" menu rather than among the tabs.
    pub(super) fn for_viewer(mut self, title: &Title, allowed: Allowed) -> Self {
        let base = format!("/wiki/{}", title.url_segment());
        let edit_url = format!("{base}/edit");
        let move_url = format!("{base}/move");
        let mut moved = None;
        self.tabs.retain_mut(|(label, url, current)| {
            if *url == move_url {
                moved = Some(*current);
                return false;
            }
            if *url == edit_url && !allowed.edit {
                "View source".clone_into(label);
                *url = format!("{base}/source");
            }
            true
        });
        if allowed.edit && moved.is_some() {
            self.more.push(("Move".to_owned(), move_url));
        }
        if allowed.moderate {
            self.more.extend([
                (
                    "Protect or unprotect".to_owned(),
                    format!("{base}/history#protect"),
                ),
                ("Delete".to_owned(), format!("{base}/delete")),
                ("Audit log".to_owned(), "/admin/log".to_owned()),
            ]);
        }
        self
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
    let tabs: Vec<_> = [("Read".to_owned(), base.clone(), current == Tab::Read)]
        .into_iter()
        .chain(talk)
        .chain([
            (
                "Edit".to_owned(),
                format!("{base}/edit"),
                matches!(current, Tab::Edit | Tab::Source),
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
        .collect();
    Tabs {
        tabs,
        more: Vec::new(),
    }
}

/// The tabs of a person's pages: [`for_page`]'s with their timeline before Move.
pub(super) fn for_person(title: &Title, current: Tab) -> Tabs {
    let mut tabs = for_page(title, current);
    let at = tabs
        .tabs
        .iter()
        .position(|(label, _, _)| label == "Move")
        .unwrap_or(tabs.tabs.len());
    tabs.tabs.insert(
        at,
        (
            "Timeline".to_owned(),
            format!("/wiki/{}/timeline", title.url_segment()),
            current == Tab::Timeline,
        ),
    );
    tabs
}
