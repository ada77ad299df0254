//! The biography reads: a page's facts and timeline, the people list, everyone's timeline.

use axum::extract::State;
use axum::response::Response;

use super::cursor::{self, Kind, ListQuery};
use super::extract::{ApiPath, ApiQuery};
use super::pages::offset;
use super::types::{
    Facts, PageTimeline, PageTimelineQuery, People, PeopleQuery, RevisionQuery, SectionRef,
    Timeline, TimelinePerson, TimelineQuery,
};
use super::{ApiState, error::ApiError, json, json_with_etag, title};
use crate::wiki::{self, FilterError, TimelineRange};

impl From<FilterError> for ApiError {
    fn from(error: FilterError) -> Self {
        Self::BadRequest(error.to_string())
    }
}

/// `GET /api/pages/{title}/facts[?revision=N]`: the person's facts and the citation check.
pub(crate) async fn facts(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevisionQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let found = wiki::page_facts(state.app.db(), &title, query.revision).await?;
    let body = Facts {
        inconsistencies: found.inconsistencies().cloned().collect(),
        because: found.because,
        title: found.title,
        revision: found.revision,
        person: found.person.is_some(),
        facts: found.person,
        checks: found.checks,
        unsourced_sections: found
            .unsourced_sections
            .iter()
            .map(SectionRef::from)
            .collect(),
    };
    Ok(json_with_etag(&body, body.revision))
}

/// `GET /api/pages/{title}/timeline[?revision=N]`: one person's dated facts in date order.
pub(crate) async fn page_timeline(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<PageTimelineQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let (limit, skip) = paging(query.limit, query.cursor)?;
    let found = wiki::page_facts(state.app.db(), &title, query.revision).await?;
    let more = found.events.len() > skip.saturating_add(limit);
    let events = found.events.into_iter().skip(skip).take(limit).collect();
    let body = PageTimeline {
        title: found.title,
        revision: found.revision,
        person: found.person.map(|p| TimelinePerson {
            name: p.name,
            born: p.birth_date,
            died: p.death_date,
        }),
        events,
        next_cursor: next_cursor(more, skip, limit),
    };
    Ok(json_with_etag(&body, body.revision))
}

/// `GET /api/people?…`: people, filtered and sorted.
pub(crate) async fn people(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<PeopleQuery>,
) -> Result<Response, ApiError> {
    let filter = query.params().read()?;
    let (limit, skip) = paging(query.limit, query.cursor)?;
    let found = wiki::people(state.app.db(), &filter, limit + 1, skip).await?;
    let more = found.len() > limit;
    let people = found.into_iter().take(limit).collect();
    Ok(json(&People {
        people,
        next_cursor: next_cursor(more, skip, limit),
    }))
}

/// `GET /api/timeline?from=&to=`: everyone's dated facts in date order.
pub(crate) async fn timeline(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> Result<Response, ApiError> {
    let range = TimelineRange::read(query.from.as_ref(), query.to.as_ref())?;
    let (limit, skip) = paging(query.limit, query.cursor)?;
    let found = wiki::timeline(state.app.db(), &range, limit + 1, skip).await?;
    let more = found.len() > limit;
    let events = found.into_iter().take(limit).collect();
    Ok(json(&Timeline {
        events,
        next_cursor: next_cursor(more, skip, limit),
    }))
}

/// The page size and the offset the cursor names.
fn paging(limit: Option<usize>, cursor: Option<String>) -> Result<(usize, usize), ApiError> {
    let list = ListQuery { limit, cursor };
    Ok((list.limit()?, offset(&list)?))
}

/// The cursor of the next page, when there is one.
fn next_cursor(more: bool, skip: usize, limit: usize) -> Option<String> {
    more.then(|| cursor::after_number(Kind::Offset, skip.saturating_add(limit) as u64))
}
