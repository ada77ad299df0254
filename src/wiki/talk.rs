//! Talk pages (issue 15): "Add topic" appends a new section at the end of a page, as
//! MediaWiki's `section=new` does, through the ordinary save (so merges, limits, protection
//! and the caches behave as for any edit).

use super::contributions::user_page;
use super::{SaveOutcome, SaveRequest, Title, WikiError, latest_markup, save_page};
use crate::store::Db;

/// The longest topic subject, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// How many times a new topic is tried again when the page changed under it.
const ATTEMPTS: usize = 3;

/// A new topic for a page.
#[derive(Debug, Clone)]
pub struct NewTopic {
    /// The page (usually a talk page).
    pub title: Title,
    /// The new section's heading.
    pub subject: String,
    /// What it says.
    pub text: String,
    /// Who adds it.
    pub author_id: i64,
    /// Their name, for the signature.
    pub author_name: String,
}

/// The subject, trimmed, if it makes a heading: one line, not empty, not too long, not
/// wrapped in `=` (which would change its level).
pub fn check_subject(subject: &str) -> Result<&str, WikiError> {
    let subject = subject.trim();
    if subject.is_empty() {
        return Err(WikiError::Invalid("a new topic needs a subject".to_owned()));
    }
    if subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(WikiError::Invalid(format!(
            "a subject has at most {MAX_SUBJECT_CHARS} characters"
        )));
    }
    if subject.contains(['\n', '\r']) || subject.starts_with('=') || subject.ends_with('=') {
        return Err(WikiError::Invalid(
            "a subject is one line and does not start or end with “=”".to_owned(),
        ));
    }
    Ok(subject)
}

/// `page` with the topic appended as a level-2 section, signed by `author` at `when`.
pub fn with_topic(page: &str, subject: &str, text: &str, author: &str, when: &str) -> String {
    let mut out = page.trim_end().to_owned();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(&format!("== {subject} ==\n"));
    let text = text.trim();
    if !text.is_empty() {
        out.push_str(text);
        out.push_str("\n\n");
    }
    out.push_str(&format!("— {} {when}\n", signature(author)));
    out
}

/// When a topic was signed, as MediaWiki's signatures write it: `13:52, 2 December 2026 (UTC)`
/// (it stays in the page's text, so it is written for people, not as a stored timestamp).
fn signature_time(now: time::OffsetDateTime) -> String {
    let now = now.to_offset(time::UtcOffset::UTC);
    let month = crate::doc::calendar::MONTHS[usize::from(u8::from(now.month())) - 1];
    format!(
        "{:02}:{:02}, {} {month} {} (UTC)",
        now.hour(),
        now.minute(),
        now.day(),
        now.year()
    )
}

/// A link to the author's user page, or their plain name when it cannot be one.
fn signature(author: &str) -> String {
    let plain = !author.contains(['[', ']', '|', '{', '}', '<', '>', '\'', '&']);
    match user_page(author) {
        Some(title) if plain => format!("[[{}|{author}]]", title.as_str()),
        _ => format!("<nowiki>{}</nowiki>", author.replace('<', "&lt;")),
    }
}

/// Appends the topic at the end of the page (creating the page if need be), trying again from
/// the new latest text if someone saved in between.
pub async fn add_topic(db: &Db, topic: &NewTopic) -> Result<SaveOutcome, WikiError> {
    let subject = check_subject(&topic.subject)?;
    let when = signature_time(time::OffsetDateTime::now_utc());
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (page, base) = match latest_markup(db, &topic.title).await? {
            Some((page, revision)) => (page, Some(revision)),
            None => (String::new(), None),
        };
        let request = SaveRequest {
            title: topic.title.clone(),
            markup: with_topic(&page, subject, &topic.text, &topic.author_name, &when),
            base_revision: base,
            section: None,
            summary: format!("/* {subject} */ new topic"),
            author_id: topic.author_id,
        };
        match save_page(db, request).await {
            Err(WikiError::Conflict { .. }) if attempt < ATTEMPTS => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_goes_at_the_end_signed() {
        let page = with_topic("Intro.\n\n== Old ==\nYes.\n\n", "New", " Why? ", "bob", "T");
        assert_eq!(
            page,
            "Intro.\n\n== Old ==\nYes.\n\n== New ==\nWhy?\n\n— [[User:Bob|bob]] T\n"
        );
        assert_eq!(
            with_topic("", "First", "", "a|b", "T"),
            "== First ==\n— <nowiki>a|b</nowiki> T\n"
        );
    }

    #[test]
    fn a_signature_reads_as_mediawiki_writes_it() {
        let at = time::macros::datetime!(2026-12-02 13:52:09 UTC);
        assert_eq!(signature_time(at), "13:52, 2 December 2026 (UTC)");
        let east = time::macros::datetime!(2026-01-01 00:05 +02:00);
        assert_eq!(signature_time(east), "22:05, 31 December 2025 (UTC)");
    }

    #[test]
    fn a_subject_is_one_plain_line() {
        assert_eq!(check_subject("  Sources  ").unwrap(), "Sources");
        for bad in ["", "  ", "a\nb", "= x", "x =", &"x".repeat(201)] {
            assert!(check_subject(bad).is_err(), "{bad:?}");
        }
    }
}
