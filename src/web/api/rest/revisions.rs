//! Revision reads: `revision/{id}` (source), `…/bare`, and `revision/{from}/compare/{to}`.

use axum::extract::State;
use axum::response::Response;

use super::types::{
    CompareSection, CompareSide, Comparison, DiffItem, LICENSE, Offsets, RevisionObject,
    RevisionPage, UserRef,
};
use super::{absolute, key};
use crate::markup;
use crate::store::PageRevision;
use crate::web::api::cache::NotShared;
use crate::web::api::extract::{ApiPath, Viewer};
use crate::web::api::{ApiState, error::ApiError, json, json_with_etag};
use crate::wiki::{self, LineTag, Title, WikiError};

/// `GET revision/{id}`: one revision with its markup.
pub(crate) async fn source(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    one(&state, &viewer, id, true).await
}

/// `GET revision/{id}/bare`: one revision without its markup.
pub(crate) async fn bare(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    one(&state, &viewer, id, false).await
}

async fn one(
    state: &ApiState,
    viewer: &Viewer,
    id: i64,
    with_source: bool,
) -> Result<Response, ApiError> {
    let (found, hidden) = readable(state, viewer, id).await?;
    let title = Title::new(&found.title)?;
    let standing = wiki::page_standing(state.app.db(), &title).await?;
    let meta = found.revision;
    let html_url = (!with_source).then(|| {
        absolute(
            state,
            &format!("/page/{}/html", super::segment(&found.title)),
        )
    });
    let body = RevisionObject {
        id: meta.id,
        size: meta.size,
        minor: false,
        delta: meta.size - meta.parent_size,
        timestamp: meta.timestamp,
        content_model: super::types::CONTENT_MODEL,
        page: RevisionPage {
            id: standing.id,
            key: key(&found.title),
            title: found.title,
        },
        license: LICENSE,
        user: UserRef {
            id: None,
            name: meta.author,
        },
        comment: Some(meta.summary),
        source: with_source.then_some(found.text),
        html_url,
    };
    let mut response = json_with_etag(&body, id);
    if hidden {
        response.extensions_mut().insert(NotShared);
    }
    Ok(response)
}

/// Revision `id` with its text, and whether it is hidden: 403 when it is hidden from this
/// reader (admins see hidden revisions), 404 when there is none.
async fn readable(
    state: &ApiState,
    viewer: &Viewer,
    id: i64,
) -> Result<(PageRevision, bool), ApiError> {
    let see_hidden = viewer.see_hidden();
    let (found, hidden) = wiki::revision_for(state.app.db(), id, see_hidden).await?;
    if hidden.is_some() && !see_hidden {
        return Err(WikiError::RevisionHidden(id).into());
    }
    Ok((found, hidden.is_some()))
}

/// `GET revision/{from}/compare/{to}`: the two texts compared line by line (two lines of
/// context around each change), in MediaWiki's shape.
pub(crate) async fn compare(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath((from, to)): ApiPath<(i64, i64)>,
) -> Result<Response, ApiError> {
    let (old, old_hidden) = readable(&state, &viewer, from).await?;
    let (new, new_hidden) = readable(&state, &viewer, to).await?;
    let (old_text, new_text) = (old.text, new.text);
    let body = tokio::task::spawn_blocking(move || Comparison {
        from: side(from, &old_text),
        to: side(to, &new_text),
        diff: diff_items(&old_text, &new_text),
    })
    .await
    .map_err(|e| ApiError::Internal(format!("comparing revisions: {e}")))?;
    let mut response = json(&body);
    if old_hidden || new_hidden {
        response.extensions_mut().insert(NotShared);
    }
    Ok(response)
}

/// One side of a comparison: the revision and its headings.
fn side(id: i64, text: &str) -> CompareSide {
    let outline = markup::outline(text);
    CompareSide {
        id,
        slot_role: "main",
        sections: outline
            .sections
            .into_iter()
            .skip(1)
            .map(|s| CompareSection {
                level: s.level,
                heading: s.title,
                offset: s.byte_start,
            })
            .collect(),
    }
}

/// The byte offset where each line of `text` starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(at, _)| at + 1))
        .collect()
}

/// The line diff of two texts as MediaWiki's diff items.
fn diff_items(old: &str, new: &str) -> Vec<DiffItem> {
    let (old_starts, new_starts) = (line_starts(old), line_starts(new));
    let offset = |starts: &[usize], line: Option<usize>| {
        line.and_then(|n| starts.get(n.saturating_sub(1)).copied())
    };
    wiki::diff_texts(old, new)
        .into_iter()
        .map(|line| {
            let text: String = line.segments.iter().map(|s| s.text.as_str()).collect();
            let text = text
                .strip_suffix('\n')
                .map(|t| t.strip_suffix('\r').unwrap_or(t))
                .unwrap_or(&text)
                .to_owned();
            DiffItem {
                kind: match line.tag {
                    LineTag::Equal => 0,
                    LineTag::Insert => 1,
                    LineTag::Delete => 2,
                },
                line_number: line.new_line,
                text,
                offset: Offsets {
                    from: offset(&old_starts, line.old_line),
                    to: offset(&new_starts, line.new_line),
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A diff item as (type, line number, text, offset from, offset to).
    type Shape<'a> = (u8, Option<usize>, &'a str, Option<usize>, Option<usize>);

    #[test]
    fn diff_items_have_mediawiki_types_lines_and_offsets() {
        let items = diff_items("One.\nTwo.\nThree.\n", "One.\nTwo, changed.\nThree.\n");
        let shape: Vec<Shape<'_>> = items
            .iter()
            .map(|i| {
                (
                    i.kind,
                    i.line_number,
                    i.text.as_str(),
                    i.offset.from,
                    i.offset.to,
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                (0, Some(1), "One.", Some(0), Some(0)),
                (2, None, "Two.", Some(5), None),
                (1, Some(2), "Two, changed.", None, Some(5)),
                (0, Some(3), "Three.", Some(10), Some(19)),
            ]
        );
    }

    #[test]
    fn a_side_lists_its_headings_with_offsets() {
        let side = side(3, "Lead.\n== A ==\nText.\n=== B ===\n");
        let found: Vec<(u8, &str, usize)> = side
            .sections
            .iter()
            .map(|s| (s.level, s.heading.as_str(), s.offset))
            .collect();
        assert_eq!(found, [(2, "A", 6), (3, "B", 20)]);
    }
}
