//! Logs: the deletion log (`GET /api/log/deletions`), read from the audit log, and the archive
//! of a deleted title's histories (`GET /api/pages/{title}/archive`, admins).

use axum::extract::State;
use axum::response::Response;

use super::cache::NotShared;
use super::cursor::{self, Kind, ListQuery};
use super::error::ApiError;
use super::extract::{ApiPath, ApiQuery, Viewer};
use super::types::{Archive, ArchivedCopy, DeletionLog, DeletionLogEntry};
use super::{ApiState, json, title};
use crate::wiki;

/// `GET /api/log/deletions`: who deleted or undeleted which page, when and why, newest first.
pub(crate) async fn deletions(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit()?;
    let before = match query.cursor.as_deref() {
        Some(c) => Some(i64::try_from(cursor::number(Kind::Log, c)?).unwrap_or(i64::MAX)),
        None => None,
    };
    let entries = wiki::deletion_log(state.app.db(), before, limit + 1).await?;
    let (entries, next_cursor) = cursor::page(entries, limit, |e| {
        cursor::after_number(Kind::Log, e.id.unsigned_abs())
    });
    Ok(json(&DeletionLog {
        entries: entries.into_iter().map(DeletionLogEntry::from).collect(),
        next_cursor,
    }))
}

/// `GET /api/pages/{title}/archive` (admins): every deleted copy of a page once called `title`,
/// who deleted it, when and why, and its revisions newest first (`limit` per copy), which an
/// admin reads by id and brings back with undelete. Never kept for anyone else.
pub(crate) async fn archive(
    State(state): State<ApiState>,
    viewer: Viewer,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let limit = query.limit()?;
    if !viewer.see_hidden() {
        let why = "the archive of deleted pages is for admins".to_owned();
        return Err(match viewer.user() {
            None => ApiError::Unauthorized(why),
            Some(_) => ApiError::Forbidden(why),
        });
    }
    let copies = wiki::archived_history(state.app.db(), &title, limit).await?;
    let mut response = json(&Archive {
        title: title.as_str().to_owned(),
        archived: copies.into_iter().map(ArchivedCopy::from).collect(),
    });
    response.extensions_mut().insert(NotShared);
    Ok(response)
}
