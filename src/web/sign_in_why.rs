//! Why the sign-in form is shown, read from where it goes back to (`next`): "Sign in to edit
//! X", "Sign in to watch X"… (issue 15), so a person sent there from a link knows what for.

use crate::wiki::Title;

/// What a person was trying to do when sent to sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Goal {
    /// Edit (or create) a page, or one of its sections.
    Edit(Title),
    /// Another action on a page: the verb ("watch", "move"…) and the page.
    OnPage(&'static str, Title),
    /// Something not about one page, said whole.
    Other(&'static str),
}

impl Goal {
    /// The goal behind `next` (a path and query on this site), if it names one.
    pub(super) fn of(next: &str) -> Option<Self> {
        let path = next.split(['?', '#']).next().unwrap_or_default();
        if let Some(rest) = path.strip_prefix("/wiki/") {
            let (segment, action) = rest.split_once('/')?;
            let raw = percent_encoding::percent_decode_str(segment)
                .decode_utf8()
                .ok()?;
            let title = Title::new(&raw).ok()?;
            let verb = match action {
                "edit" => return Some(Self::Edit(title)),
                "watch" => "watch",
                "move" => "move",
                "delete" => "delete",
                "topic" => "add a topic to",
                "revert" => "revert",
                "undo" => "undo a change to",
                _ => return None,
            };
            return Some(Self::OnPage(verb, title));
        }
        Some(Self::Other(match path {
            "/watchlist" => "Sign in to see your watchlist.",
            "/account" => "Sign in to see your account.",
            "/new-biography" => "Sign in to write a new biography.",
            "/admin/log" | "/admin/users" | "/admin/jobs" => "Sign in as an admin to go on.",
            _ => return None,
        }))
    }

    /// The sentence the form shows; `exists` says whether an edited page exists yet.
    pub(super) fn sentence(&self, exists: bool) -> String {
        match self {
            Self::Edit(title) if exists => format!("Sign in to edit “{}”.", title.as_str()),
            Self::Edit(title) => format!("Sign in to create “{}”.", title.as_str()),
            Self::OnPage(verb, title) => format!("Sign in to {verb} “{}”.", title.as_str()),
            Self::Other(sentence) => (*sentence).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Goal;

    fn said(next: &str, exists: bool) -> Option<String> {
        Goal::of(next).map(|goal| goal.sentence(exists))
    }

    #[test]
    fn the_path_says_what_the_sign_in_is_for() {
        assert_eq!(
            said("/wiki/Ada_Lovelace/edit?section=2", true).as_deref(),
            Some("Sign in to edit “Ada Lovelace”.")
        );
        assert_eq!(
            said("/wiki/Ada_Lovelace/edit", false).as_deref(),
            Some("Sign in to create “Ada Lovelace”.")
        );
        assert_eq!(
            said("/wiki/Sk%C5%82odowska/watch?section=1", true).as_deref(),
            Some("Sign in to watch “Skłodowska”.")
        );
        assert_eq!(
            said("/watchlist", true).as_deref(),
            Some("Sign in to see your watchlist.")
        );
        assert_eq!(said("/wiki/Ada_Lovelace", true), None);
        assert_eq!(said("/recent", true), None);
        assert_eq!(said("/wiki/%FF/edit", true), None);
    }
}
