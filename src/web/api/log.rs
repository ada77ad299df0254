//! Logs: the deletion log (`GET /api/log/deletions`), read from the audit log.

use axum::extract::State;
use axum::response::Response;

use super::cursor::{self, Kind, ListQuery};
use super::error::ApiError;
use super::extract::ApiQuery;
use super::types::{DeletionLog, DeletionLogEntry};
use super::{ApiState, json};
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
