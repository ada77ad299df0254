//! Edits kept across a sign-in: when a save arrives after the session has ended, the text is
//! kept here for a while and the person is sent to sign in; the edit form then gives it back.
//!
//! Why a short-lived draft on the server, keyed by a random id in an `HttpOnly` cookie, rather
//! than carrying the text through the sign-in form in hidden fields: the sign-in form's body
//! limit stays small (`security::FORM_BODY_LIMIT`; a page-sized `/login` would let slow bodies
//! hold memory again) and the password post never carries page text. The cookie, not the URL,
//! holds the id, so a shared link or the history cannot reach someone else's text; the id is
//! 128 random bits, a draft is handed back once and only for the page it was typed for, and the
//! store is bounded in count, total size and age, so it cannot grow without limit. Drafts live
//! in memory: a restart loses them (the person then sees the page's latest text).

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The cookie holding a kept draft's id.
pub(super) const DRAFT_COOKIE: &str = "plutarch_draft";
/// How long a draft is kept: as long as a sign-in form stays usable.
pub(super) const DRAFT_LIFETIME: Duration = Duration::from_secs(2 * 60 * 60);
/// At most this many drafts are kept; the oldest goes first.
const MAX_DRAFTS: usize = 64;
/// At most this many drafts of one client address are kept; its oldest goes first, so one
/// client posting without a session cannot push out everyone else's drafts.
const MAX_PER_CLIENT: usize = 4;
/// The query that asks the edit form for the kept draft (`/wiki/T/edit?draft=kept`).
pub(super) const KEPT_QUERY: &str = "draft=kept";
/// At most this many bytes of text are kept in all; the oldest drafts go first.
const MAX_BYTES: usize = 32 * 1024 * 1024;

/// An edit not yet saved: what the form held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    /// The title of the page, as in its URL segment.
    pub title: String,
    pub markup: String,
    pub summary: String,
    pub section: Option<String>,
    pub base_revision: Option<i64>,
}

impl Draft {
    fn bytes(&self) -> usize {
        self.title.len()
            + self.markup.len()
            + self.summary.len()
            + self.section.as_ref().map_or(0, String::len)
    }
}

/// The kept drafts, newest last.
#[derive(Debug, Default)]
pub(super) struct Drafts {
    kept: Mutex<VecDeque<Kept>>,
}

#[derive(Debug)]
struct Kept {
    id: String,
    /// The address of the client that posted it.
    client: String,
    at: Instant,
    draft: Draft,
}

impl Drafts {
    /// The kept drafts, without those that are too old.
    fn live(&self) -> std::sync::MutexGuard<'_, VecDeque<Kept>> {
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        kept.retain(|k| now.duration_since(k.at) < DRAFT_LIFETIME);
        kept
    }

    /// Keeps `draft`, posted by the client at `client`, and returns its new id (for the
    /// cookie), or `None` when it alone is larger than the store.
    pub(super) fn keep(&self, client: &str, draft: Draft) -> Option<String> {
        let size = draft.bytes();
        if size > MAX_BYTES {
            return None;
        }
        let id = crate::auth::secret::random_hex(16);
        let mut kept = self.live();
        while kept.iter().filter(|k| k.client == client).count() >= MAX_PER_CLIENT {
            let Some(oldest) = kept.iter().position(|k| k.client == client) else {
                break;
            };
            kept.remove(oldest);
        }
        let mut total: usize = kept.iter().map(|k| k.draft.bytes()).sum();
        while kept.len() >= MAX_DRAFTS || total + size > MAX_BYTES {
            match kept.pop_front() {
                Some(old) => total -= old.draft.bytes(),
                None => break,
            }
        }
        kept.push_back(Kept {
            id: id.clone(),
            client: client.to_owned(),
            at: Instant::now(),
            draft,
        });
        Some(id)
    }

    /// Hands back (once) the draft with this id if it is for the page `title` and not too old.
    pub(super) fn take(&self, id: &str, title: &str) -> Option<Draft> {
        let mut kept = self.live();
        let position = kept.iter().position(|k| {
            crate::auth::secret::secrets_equal(&k.id, id) && k.draft.title == title
        })?;
        kept.remove(position).map(|k| k.draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(title: &str, bytes: usize) -> Draft {
        Draft {
            title: title.to_owned(),
            markup: "x".repeat(bytes),
            summary: String::new(),
            section: Some("2".to_owned()),
            base_revision: Some(7),
        }
    }

    #[test]
    fn a_draft_is_given_back_once_and_only_for_its_page() {
        let drafts = Drafts::default();
        let id = drafts
            .keep("10.0.0.1", draft("Ada_Lovelace", 10))
            .expect("kept");
        assert_eq!(drafts.take(&id, "Hypatia"), None);
        assert_eq!(
            drafts.take("0123456789abcdef0123456789abcdef", "Ada_Lovelace"),
            None
        );
        assert_eq!(
            drafts.take(&id, "Ada_Lovelace"),
            Some(draft("Ada_Lovelace", 10))
        );
        assert_eq!(drafts.take(&id, "Ada_Lovelace"), None);
    }

    #[test]
    fn one_client_cannot_push_out_the_drafts_of_others() {
        let drafts = Drafts::default();
        let theirs = drafts
            .keep("10.0.0.1", draft("Ada_Lovelace", 10))
            .expect("kept");
        for _ in 0..MAX_DRAFTS * 2 {
            drafts.keep("10.6.6.6", draft("Flood", 1));
        }
        assert_eq!(drafts.live().len(), 1 + MAX_PER_CLIENT);
        assert_eq!(
            drafts.take(&theirs, "Ada_Lovelace"),
            Some(draft("Ada_Lovelace", 10))
        );
    }

    #[test]
    fn the_store_is_bounded_in_count_and_size() {
        let drafts = Drafts::default();
        let first = drafts.keep("10.0.0.1", draft("A", 1)).expect("kept");
        for n in 0..MAX_DRAFTS {
            drafts.keep(&format!("10.0.1.{n}"), draft("B", 1));
        }
        assert_eq!(drafts.take(&first, "A"), None, "the oldest went first");
        let big = drafts
            .keep("10.0.0.2", draft("C", MAX_BYTES / 2))
            .expect("kept");
        drafts.keep("10.0.0.3", draft("D", MAX_BYTES / 2));
        assert_eq!(
            drafts.take(&big, "C"),
            None,
            "evicted to stay under the size"
        );
        assert_eq!(drafts.keep("10.0.0.4", draft("E", MAX_BYTES + 1)), None);
        let kept = drafts.kept.lock().expect("lock");
        assert!(kept.len() <= MAX_DRAFTS);
        assert!(kept.iter().map(|k| k.draft.bytes()).sum::<usize>() <= MAX_BYTES);
    }
}
