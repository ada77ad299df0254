//! The biography reads: a page's facts and timeline, the people list, everyone's timeline.

use axum::extract::State;
use axum::response::Response;

use super::cursor::{self, ListQuery};
use super::extract::{ApiPath, ApiQuery};
use super::types::{
    Citations, Facts, Mentions, PageTimeline, PageTimelineQuery, People, PeopleQuery, Revision,
    RevisionQuery, SectionRef, Timeline, TimelinePerson, TimelineQuery,
};
use super::{ApiState, error::ApiError, json, json_with_etag, json_with_render_etag, title};
use crate::wiki::{self, EventKey, FilterError, PersonKey, TimelineRange};

impl From<FilterError> for ApiError {
    fn from(error: FilterError) -> Self {
        Self::BadParameter(error.to_string())
    }
}

/// `GET /api/pages/{title}/facts[?revision=N]`: the person's facts and the citation check.
pub(crate) async fn facts(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<RevisionQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let db = state.app.db();
    let found = wiki::page_facts(db, &title, query.revision).await?;
    let info = wiki::revision_meta(db, found.revision).await?;
    let body = Facts {
        revision_info: Revision::from(&info),
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

/// `GET /api/pages/{title}/mentions`: the sources that mention the page's person and the
/// people the page (a source) mentions, as stored (nothing is matched per request).
pub(crate) async fn mentions(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let found = wiki::mentions::page_mentions(state.app.db(), &title).await?;
    Ok(json(&Mentions {
        title: found.title,
        mentioned_in: found.mentioned_in.into_iter().map(Into::into).collect(),
        mentions: found.mentions.into_iter().map(Into::into).collect(),
    }))
}

/// `GET /api/pages/{title}/citations`: each `<ref>` of the latest revision with its section,
/// sentence, stored source, kind and quotation checks (as stored), and the claims of a living
/// person that rest only on weak sources. The ETag covers the answer (a source's kind or text
/// changes it without a new revision of the page).
pub(crate) async fn citations(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let report = wiki::citation_report::citation_report(state.app.db(), &title).await?;
    let body = Citations::from(report);
    let key = serde_json::to_string(&body).unwrap_or_default();
    Ok(json_with_render_etag(&body, body.revision, &key))
}

/// `GET /api/pages/{title}/timeline[?revision=N]`: one person's dated facts in date order. The
/// cursor holds the revision read and the number of events shown, so every page of one listing
/// reads the same revision: nothing repeats or is skipped when the page is edited meanwhile.
pub(crate) async fn page_timeline(
    State(state): State<ApiState>,
    ApiPath(raw): ApiPath<String>,
    ApiQuery(query): ApiQuery<PageTimelineQuery>,
) -> Result<Response, ApiError> {
    let title = title(&raw)?;
    let list = ListQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = list.limit()?;
    let (revision, skip) = match list.cursor.as_deref() {
        Some(c) => {
            let [revision, shown] = cursor::key(PAGE_EVENTS, c)?;
            let number = |v: &str| v.parse::<u64>().map_err(|_| cursor::invalid(c));
            let revision = i64::try_from(number(&revision)?).map_err(|_| cursor::invalid(c))?;
            let shown = usize::try_from(number(&shown)?).unwrap_or(usize::MAX);
            (Some(revision), shown)
        }
        None => (query.revision, 0),
    };
    let db = state.app.db();
    let found = wiki::page_facts(db, &title, revision).await?;
    let info = wiki::revision_meta(db, found.revision).await?;
    let more = found.events.len() > skip.saturating_add(limit);
    let events = found.events.into_iter().skip(skip).take(limit).collect();
    let shown = skip.saturating_add(limit).to_string();
    let body = PageTimeline {
        revision_info: Revision::from(&info),
        title: found.title,
        revision: found.revision,
        person: found.person.map(|p| TimelinePerson {
            name: p.name,
            born: p.birth_date,
            died: p.death_date,
        }),
        events,
        next_cursor: more
            .then(|| cursor::after_key(PAGE_EVENTS, &[&found.revision.to_string(), &shown])),
    };
    Ok(json_with_etag(&body, body.revision))
}

/// The list letter of a page's timeline cursors (revision, events shown).
const PAGE_EVENTS: char = 'v';
/// The list letter of people cursors (whether the order's date is known, the date, the sort
/// key, the title).
const PEOPLE: char = 'p';
/// The list letter of everyone's timeline cursors (the interval, the title, the position).
const EVENTS: char = 'e';

/// `GET /api/people?…`: people, filtered and sorted, paged by keyset.
pub(crate) async fn people(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<PeopleQuery>,
) -> Result<Response, ApiError> {
    let mut filter = query.params().read()?;
    let list = ListQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = list.limit()?;
    if let Some(c) = list.cursor.as_deref() {
        let [known, date, sort_key, title] = cursor::key(PEOPLE, c)?;
        let date = match known.as_str() {
            "1" => Some(date),
            "0" => None,
            _ => return Err(cursor::invalid(c)),
        };
        filter = filter.after(PersonKey {
            date,
            sort_key,
            title,
        });
    }
    let found = wiki::people(state.app.db(), &filter, limit + 1, 0).await?;
    let (people, next_cursor) = cursor::page(found, limit, |p| {
        let known = if p.key.date.is_some() { "1" } else { "0" };
        let date = p.key.date.as_deref().unwrap_or("");
        cursor::after_key(PEOPLE, &[known, date, &p.key.sort_key, &p.key.title])
    });
    Ok(json(&People {
        people,
        next_cursor,
    }))
}

/// `GET /api/timeline?from=&to=`: everyone's dated facts in date order, paged by keyset.
pub(crate) async fn timeline(
    State(state): State<ApiState>,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> Result<Response, ApiError> {
    let mut range = TimelineRange::read(query.from.as_ref(), query.to.as_ref())?;
    let list = ListQuery {
        limit: query.limit,
        cursor: query.cursor,
    };
    let limit = list.limit()?;
    if let Some(c) = list.cursor.as_deref() {
        let [date_from, date_to, title, position] = cursor::key(EVENTS, c)?;
        let position = position.parse().map_err(|_| cursor::invalid(c))?;
        range = range.after(EventKey {
            date_from,
            date_to,
            title,
            position,
        });
    }
    let found = wiki::timeline(state.app.db(), &range, limit + 1, 0).await?;
    let (events, next_cursor) = cursor::page(found, limit, |e| {
        let k = &e.key;
        cursor::after_key(
            EVENTS,
            &[&k.date_from, &k.date_to, &k.title, &k.position.to_string()],
        )
    });
    Ok(json(&Timeline {
        events,
        next_cursor,
    }))
}
