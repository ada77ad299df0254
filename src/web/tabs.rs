//! The tabs above a page: Read, Edit, History, What links here, Info, Timeline (people only)
//! and Move; every page about a page builds them with [`for_page`] or [`for_person`] from what
//! the person looking may do ([`Allowed`]), so each page offers only that (issue 15): View
//! source instead of Edit, Create (or nothing) on a missing page, and Move, Protect and Delete
//! in a "More" menu for those allowed.

use super::{AppState, WebError};
use crate::auth::{User, policy};
use crate::render::views::PageTabs;
use crate::wiki::{self, Title};

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
    /// Edit (and so move) the page, or create it when it does not exist.
    pub(super) edit: bool,
    /// Protect, unprotect and delete it (admins).
    pub(super) moderate: bool,
    /// Watch it (anyone signed in).
    pub(super) watch: bool,
    /// Whether the page exists: a missing page has no source, history, information or
    /// watch form to show, and cannot be moved, protected or deleted.
    pub(super) exists: bool,
}

impl Allowed {
    /// What `user` (`None`: an anonymous reader) may do with an existing page that is
    /// `protected` or not.
    pub(super) fn of(user: Option<&User>, protected: bool) -> Self {
        Self {
            edit: user.is_some_and(|u| policy::may_edit(u, protected)),
            moderate: user.is_some_and(|u| policy::may_protect(u) && policy::may_delete(u)),
            watch: user.is_some(),
            exists: true,
        }
    }

    /// What `user` may do with `title`, as it is now (whether it exists, whether it is
    /// protected).
    pub(super) async fn look_up(
        state: &AppState,
        user: Option<&User>,
        title: &Title,
    ) -> Result<Self, WebError> {
        let found = wiki::page_state(state.db(), title).await?;
        Ok(Self {
            exists: found.exists,
            ..Self::of(user, found.protected)
        })
    }
}

/// A page's tabs and "More" menu as one person may use them: only the builders here
/// ([`for_page`], [`for_person`]) make them, from what that person may do.
#[derive(Debug, Clone, Default)]
pub(super) struct Tabs {
    tabs: Vec<(String, String, bool)>,
    more: Vec<(String, String)>,
}

/// Borrowed [`Tabs`], in the shape the views take ([`Self::view`]).
#[derive(Debug)]
pub(super) struct TabRefs<'a> {
    tabs: Vec<(&'a str, &'a str, bool)>,
    more: Vec<(&'a str, &'a str)>,
}

impl TabRefs<'_> {
    pub(super) fn view(&self) -> PageTabs<'_> {
        PageTabs {
            tabs: &self.tabs,
            more: &self.more,
        }
    }
}

impl Tabs {
    pub(super) fn refs(&self) -> TabRefs<'_> {
        TabRefs {
            tabs: self
                .tabs
                .iter()
                .map(|(label, url, current)| (label.as_str(), url.as_str(), *current))
                .collect(),
            more: self
                .more
                .iter()
                .map(|(label, url)| (label.as_str(), url.as_str()))
                .collect(),
        }
    }

    /// These tabs of `title`'s pages as someone who may do `allowed` sees them: "View source"
    /// instead of Edit for those who may not edit, "Create" for a missing page (and nothing for
    /// those who may not create it), Watch only for those signed in, "Add topic" only for
    /// those who may edit, and Move (for those who may edit), Protect and Delete (for admins)
    /// in the "More" menu rather than among the tabs.
    fn for_viewer(mut self, title: &Title, allowed: Allowed) -> Self {
        let base = format!("/wiki/{}", title.url_segment());
        let edit_url = format!("{base}/edit");
        let move_url = format!("{base}/move");
        // What a missing page cannot show: each answers 404 until the page is written.
        let of_existing = [
            format!("{base}/history"),
            format!("{base}/info"),
            format!("{base}/timeline"),
            format!("{base}/watch"),
        ];
        let watch_url = format!("{base}/watch");
        let topic_url = format!("{base}/topic");
        let mut moved = false;
        self.tabs.retain_mut(|(label, url, _)| {
            if *url == move_url {
                moved = true;
                return false;
            }
            if !allowed.exists && of_existing.contains(url) {
                return false;
            }
            if (*url == watch_url && !allowed.watch) || (*url == topic_url && !allowed.edit) {
                return false;
            }
            if *url == edit_url {
                match (allowed.exists, allowed.edit) {
                    (true, true) => {}
                    (true, false) => {
                        "View source".clone_into(label);
                        *url = format!("{base}/source");
                    }
                    (false, true) => "Create".clone_into(label),
                    (false, false) => return false,
                }
            }
            true
        });
        if allowed.exists && allowed.edit && moved {
            self.more.push(("Move".to_owned(), move_url));
        }
        if allowed.exists && allowed.moderate {
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

/// The tabs of `title`'s pages as someone who may do `allowed` sees them, with `current`
/// marked: after Read, the page's Discussion (its talk page) or, on a talk page, the page it
/// discusses and "Add topic" (issue 15).
pub(super) fn for_page(title: &Title, current: Tab, allowed: Allowed) -> Tabs {
    all_tabs(title, current).for_viewer(title, allowed)
}

/// The tabs of a person's pages: [`for_page`]'s with their timeline before Move.
pub(super) fn for_person(title: &Title, current: Tab, allowed: Allowed) -> Tabs {
    let mut tabs = all_tabs(title, current);
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
    tabs.for_viewer(title, allowed)
}

/// Every tab of `title`'s pages, before [`Tabs::for_viewer`] keeps what one person may use.
fn all_tabs(title: &Title, current: Tab) -> Tabs {
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
