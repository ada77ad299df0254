//! `action=compare`: two revisions (`fromrev`/`torev`), or the latest revisions of pages
//! (`fromtitle`/`totitle`, `fromid`/`toid`), or `torelative=prev|cur`, compared line by line;
//! the body is MediaWiki's diff table rows (`*` in format version 1, `body` in 2).

use serde_json::{Map, Value, json};

use super::params::Params;
use super::reply::MwError;
use super::{Call, positive_integer as number};
use crate::auth::policy::may_see_hidden;
use crate::render::views::diff::{DiffLine, LineChange};
use crate::render::views::mw_diff::{self, NumberedLine};
use crate::store::PageRevision;
use crate::web::AppState;
use crate::wiki::{self, LineTag, Title};

/// `action=compare`.
pub(super) async fn answer(call: &Call<'_>) -> Result<Value, MwError> {
    let (state, params, v2) = (call.state, call.params, call.format.v2);
    let see_hidden = may_see_hidden(call.caller.user());
    let from = side(state, params, "from", see_hidden).await?;
    let to = match params.get("torelative") {
        None => side(state, params, "to", see_hidden).await?,
        Some(relative) => {
            if ["totitle", "toid", "torev"].iter().any(|p| params.flag(p)) {
                return Err(MwError::new(
                    "invalidparammix",
                    "The parameters \"torelative\", \"totitle\", \"toid\" and \"torev\" can not be used together.",
                ));
            }
            relative_to(state, &from, relative, see_hidden).await?
        }
    };
    let (from_id, to_id) = (page_id(state, &from).await?, page_id(state, &to).await?);
    let (old, new) = (from.text.clone(), to.text.clone());
    let body = tokio::task::spawn_blocking(move || table(&old, &new))
        .await
        .map_err(|e| MwError::new("internal_api_error", format!("comparing: {e}")))?;
    let mut compare = Map::new();
    for (prefix, found, id) in [("from", &from, from_id), ("to", &to, to_id)] {
        let ns = Title::new(&found.title).map_or(0, |t| t.namespace().number());
        compare.insert(format!("{prefix}id"), json!(id));
        compare.insert(format!("{prefix}revid"), json!(found.revision.id));
        compare.insert(format!("{prefix}ns"), json!(ns));
        compare.insert(format!("{prefix}title"), json!(found.title));
    }
    let body_key = if v2 { "body" } else { "*" };
    compare.insert(body_key.to_owned(), json!(body));
    Ok(json!({ "compare": compare }))
}

/// One side: `{prefix}rev`, else the latest revision of `{prefix}title` or `{prefix}id`.
async fn side(
    state: &AppState,
    params: &Params,
    prefix: &str,
    see_hidden: bool,
) -> Result<PageRevision, MwError> {
    let db = state.db();
    let get = |name: &str| params.get(&format!("{prefix}{name}"));
    let given = ["title", "id", "rev"]
        .into_iter()
        .filter(|n| get(n).is_some())
        .count();
    if given > 1 {
        return Err(MwError::new(
            "invalidparammix",
            format!(
                "The parameters \"{prefix}title\", \"{prefix}id\" and \"{prefix}rev\" can not be used together."
            ),
        ));
    }
    let revision = match (get("rev"), get("title"), get("id")) {
        (Some(raw), _, _) => number(raw, &format!("{prefix}rev"))?,
        (None, Some(raw), _) => latest(state, &Title::new(raw)?).await?,
        (None, None, Some(raw)) => {
            let title = wiki::title_of_page_id(db, number(raw, &format!("{prefix}id"))?).await?;
            latest(state, &title).await?
        }
        (None, None, None) => {
            return Err(MwError::new(
                "missingparam",
                format!(
                    "One of the parameters \"{prefix}title\", \"{prefix}id\" and \"{prefix}rev\" is required."
                ),
            ));
        }
    };
    readable(state, revision, see_hidden).await
}

/// The latest revision of the live page `title`.
async fn latest(state: &AppState, title: &Title) -> Result<i64, MwError> {
    Ok(wiki::sections(state.db(), title, None).await?.0)
}

/// Revision `id` with its text, unless it is hidden from the reader.
async fn readable(state: &AppState, id: i64, see_hidden: bool) -> Result<PageRevision, MwError> {
    let (found, hidden) = wiki::revision_for(state.db(), id, see_hidden).await?;
    if hidden.is_some() && !see_hidden {
        return Err(MwError::new(
            "permissiondenied",
            format!("You don't have permission to view the text of revision {id}."),
        ));
    }
    Ok(found)
}

/// `torelative`: the revision before `from` (`prev`) or its page's latest (`cur`).
async fn relative_to(
    state: &AppState,
    from: &PageRevision,
    relative: &str,
    see_hidden: bool,
) -> Result<PageRevision, MwError> {
    match relative {
        "prev" => match from.revision.parent_id {
            Some(parent) => readable(state, parent, see_hidden).await,
            None => Err(MwError::new(
                "baddiff",
                "The diff cannot be retrieved: the revision has no previous revision.",
            )),
        },
        "cur" => {
            let latest = latest(state, &Title::new(&from.title)?).await?;
            readable(state, latest, see_hidden).await
        }
        other => Err(MwError::new(
            "badvalue",
            format!(
                "Unrecognized value for parameter \"torelative\": {other} (this wiki takes prev and cur)."
            ),
        )),
    }
}

/// The id of the page a revision belongs to.
async fn page_id(state: &AppState, found: &PageRevision) -> Result<i64, MwError> {
    let title = Title::new(&found.title)?;
    Ok(wiki::page_standing(state.db(), &title).await?.id)
}

/// The diff table rows of two texts.
fn table(old: &str, new: &str) -> String {
    let lines: Vec<NumberedLine> = wiki::diff_texts(old, new)
        .into_iter()
        .map(|line| NumberedLine {
            line: DiffLine {
                change: match line.tag {
                    LineTag::Equal => LineChange::Same,
                    LineTag::Insert => LineChange::Added,
                    LineTag::Delete => LineChange::Removed,
                },
                pieces: line
                    .segments
                    .into_iter()
                    .map(|s| (s.emphasized, s.text))
                    .collect(),
            },
            old_line: line.old_line,
            new_line: line.new_line,
        })
        .collect();
    mw_diff::rows(&lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_shows_the_changed_words() {
        let rows = table("Ada was born.\n", "Ada was born in London.\n");
        assert!(rows.contains("diff-deletedline"), "{rows}");
        assert!(
            rows.contains("<ins class=\"diffchange diffchange-inline\">"),
            "{rows}"
        );
        assert!(rows.contains("Line 1:"), "{rows}");
        assert!(table("Same.\n", "Same.\n").is_empty());
    }
}
