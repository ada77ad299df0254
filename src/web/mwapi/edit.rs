//! `action=edit`: a whole page, a section (MediaWiki's numbering), `section=new`, appended or
//! prepended text, saved through the same `wiki` save as every other edit. `basetimestamp`
//! (or `baserevid`) names the revision the client read, so Plutarch's section merge applies;
//! a clash is `editconflict`.

use serde_json::{Map, Value, json};

use super::reply::{MwError, parse_timestamp, timestamp};
use super::{Answer, Call};
use crate::auth::Role;
use crate::wiki::{self, SaveOutcome, SaveRequest, Title, WikiError, mediawiki};

pub(super) async fn run(call: &Call<'_>) -> Result<Answer, MwError> {
    call.require_post("edit")?;
    let p = call.params;
    // Checks in MediaWiki's order: the token, the assertion, then the page.
    let token = call.required("token")?;
    if !call.caller.csrf_matches(token) {
        return Err(MwError::new("badtoken", "Invalid CSRF token."));
    }
    match p.get("assert") {
        Some("user") if call.caller.user().is_none() => {
            return Err(MwError::new(
                "assertuserfailed",
                "You are no longer logged in, so the action could not be completed.",
            ));
        }
        Some("bot") if !call.caller.user().is_some_and(|u| u.has(Role::Admin)) => {
            return Err(MwError::new(
                "assertbotfailed",
                "You do not have the \"bot\" right, so the action could not be completed.",
            ));
        }
        _ => {}
    }
    let Some(user) = call.caller.user() else {
        return Err(MwError::new(
            "permissiondenied",
            "You don't have permission to edit pages: sign in with action=login first.",
        ));
    };
    if !user.has(Role::Editor) {
        return Err(MwError::new(
            "permissiondenied",
            "You don't have permission to edit pages: this needs the editor role.",
        ));
    }
    let db = call.state.db();
    let title = match (p.get("title"), p.int("pageid")?) {
        (Some(raw), None) => Title::new(raw)?,
        (None, Some(id)) => wiki::title_of_page_id(db, id)
            .await
            .map_err(|_| MwError::new("nosuchpageid", format!("There is no page with ID {id}.")))?,
        (Some(_), Some(_)) => {
            return Err(MwError::new(
                "invalidparammix",
                "The parameters \"title\" and \"pageid\" can not be used together.",
            ));
        }
        (None, None) => return Err(MwError::missing_param("title")),
    };
    let existing = mediawiki::page_summary(db, &title).await?;
    if existing.is_none() && p.flag("nocreate") {
        return Err(MwError::new(
            "missingtitle",
            "The page you specified doesn't exist.",
        ));
    }
    if existing.is_some() && p.flag("createonly") {
        return Err(MwError::new(
            "articleexists",
            "The article you tried to create has been created already.",
        ));
    }
    if existing.as_ref().is_some_and(|s| s.protection.is_some()) && !user.has(Role::Admin) {
        return Err(MwError::new(
            "protectedpage",
            "This page has been protected to prevent editing or other actions.",
        ));
    }
    // The revision the client read: baserevid, else the earliest of basetimestamp's second
    // (the safe reading when several revisions share it), except that when basetimestamp is
    // the latest revision's second and the revisions after that earliest one are all the
    // caller's own, the latest (MediaWiki sees no conflict with one's own edits; pywikibot
    // sends only basetimestamp), else the latest (MediaWiki overwrites when no base is given).
    let base = match (&existing, p.int("baserevid")?, p.get("basetimestamp")) {
        (None, _, _) => None,
        (Some(_), Some(id), _) => Some(id),
        (Some(summary), None, Some(raw)) => {
            let at = parse_timestamp(raw).ok_or_else(|| {
                MwError::new(
                    "badtimestamp_basetimestamp",
                    format!("Invalid value \"{raw}\" for timestamp parameter \"basetimestamp\"."),
                )
            })?;
            let read = mediawiki::revision_read_at(db, &title, &at)
                .await?
                .unwrap_or(summary.latest.id);
            let same_second = timestamp(&summary.latest.timestamp) == timestamp(&at);
            if same_second && only_own_since(db, summary.latest.id, read, &user.name).await? {
                Some(summary.latest.id)
            } else {
                Some(read)
            }
        }
        (Some(summary), None, None) => Some(summary.latest.id),
    };
    let base_text = match base {
        Some(id) => {
            let (found, _) = wiki::revision_for(db, id, true).await?;
            if found.title != title.as_str() {
                return Err(MwError::new(
                    "nosuchrevid",
                    format!("There is no revision with ID {id} of this page."),
                ));
            }
            found.text
        }
        None => String::new(),
    };
    let markup = new_text(call, &base_text)?;
    let request = SaveRequest {
        title: title.clone(),
        markup,
        base_revision: base,
        section: None,
        summary: p
            .get("summary")
            .unwrap_or("")
            .chars()
            .take(wiki::MAX_SUMMARY_CHARS)
            .collect(),
        author_id: user.id,
    };
    let outcome = wiki::save_page(db, request).await.map_err(|e| match e {
        WikiError::Conflict { .. } => MwError::new("editconflict", "Edit conflict: someone changed the same part of the page since the revision you edited."),
        WikiError::Protected(_) => MwError::new("protectedpage", "This page has been protected to prevent editing or other actions."),
        other => MwError::from(other),
    })?;
    result(call, &title, existing.map(|s| s.latest.id), &outcome).await
}

/// The page's new text, from the base revision's and the parameters.
fn new_text(call: &Call<'_>, base: &str) -> Result<String, MwError> {
    let p = call.params;
    let text = p.get("text");
    let append = p.get("appendtext");
    let prepend = p.get("prependtext");
    if text.is_none() && append.is_none() && prepend.is_none() {
        return Err(MwError::new(
            "missingparam",
            "One of the parameters \"text\", \"appendtext\" and \"prependtext\" is required.",
        ));
    }
    let section = p.get("section").filter(|s| !s.is_empty());
    if section == Some("new") {
        let body = format!(
            "{}{}{}",
            prepend.unwrap_or(""),
            text.unwrap_or(""),
            append.unwrap_or("")
        );
        let heading = p.get("sectiontitle").or(p.get("summary"));
        return Ok(mediawiki::append_mediawiki_section(base, heading, &body));
    }
    let index = match section {
        None => None,
        Some(raw) => Some(raw.parse::<usize>().map_err(|_| {
            MwError::new(
                "invalidsection",
                "The section parameter must be a valid section ID or \"new\".",
            )
        })?),
    };
    let nosuch = |i: usize| MwError::new("nosuchsection", format!("There is no section {i}."));
    let current = match index {
        None => base.to_owned(),
        Some(i) => mediawiki::mediawiki_section(base, i)
            .ok_or_else(|| nosuch(i))?
            .to_owned(),
    };
    let edited = match text {
        Some(text) => text.to_owned(),
        None => format!(
            "{}{}{}",
            prepend.unwrap_or(""),
            current,
            append.unwrap_or("")
        ),
    };
    Ok(match index {
        None => edited,
        Some(i) => {
            mediawiki::replace_mediawiki_section(base, i, &edited).ok_or_else(|| nosuch(i))?
        }
    })
}

/// The answer: `Success` with the new revision, or `nochange`.
async fn result(
    call: &Call<'_>,
    title: &Title,
    old: Option<i64>,
    outcome: &SaveOutcome,
) -> Result<Answer, MwError> {
    let db = call.state.db();
    let summary = mediawiki::page_summary(db, title)
        .await?
        .ok_or_else(|| MwError::new("missingtitle", "The page you specified doesn't exist."))?;
    let mut edit = Map::new();
    edit.insert("result".to_owned(), json!("Success"));
    edit.insert("pageid".to_owned(), json!(summary.id));
    edit.insert("title".to_owned(), json!(summary.title));
    edit.insert("contentmodel".to_owned(), json!("wikitext"));
    if matches!(outcome, SaveOutcome::Unchanged { .. }) {
        call.format.set_flag(&mut edit, "nochange", true);
    } else {
        let meta = wiki::revision_meta(db, outcome.revision()).await?;
        edit.insert("oldrevid".to_owned(), json!(old.unwrap_or(0)));
        edit.insert("newrevid".to_owned(), json!(meta.id));
        edit.insert("newtimestamp".to_owned(), json!(timestamp(&meta.timestamp)));
        call.format.set_flag(&mut edit, "new", outcome.created());
    }
    Ok(Answer::of("edit", Value::Object(edit)))
}

/// The most revisions [`only_own_since`] looks through.
const MAX_OWN_WALK: usize = 50;

/// Whether every revision after `base` up to `latest` (following parents, at most
/// [`MAX_OWN_WALK`]) was made by `author`.
async fn only_own_since(
    db: &crate::store::Db,
    latest: i64,
    base: i64,
    author: &str,
) -> Result<bool, MwError> {
    let mut id = latest;
    for _ in 0..MAX_OWN_WALK {
        if id == base {
            return Ok(true);
        }
        let (found, _) = wiki::revision_for(db, id, true).await?;
        if found.revision.author != author {
            return Ok(false);
        }
        match found.revision.parent_id {
            Some(parent) => id = parent,
            None => return Ok(false),
        }
    }
    Ok(false)
}
