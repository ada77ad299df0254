//! The biography pages: the people list with its filters, everyone's timeline, a person's
//! timeline, and page information (facts, citation check, protection, history in figures).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::session::MaybeUser;
use super::{AppState, WebError, tabs};
use crate::render::views::{self, info, people, timeline};
use crate::store::RevisionMeta;
use crate::wiki::{self, PeopleParams, Title};

/// People per page, on the list and on everyone's timeline.
const PAGE_SIZE: usize = 50;
/// The furthest a list is paged into.
const MAX_OFFSET: usize = 100_000;

#[derive(Debug, Default, Deserialize)]
pub(super) struct Offset {
    offset: Option<usize>,
}

impl Offset {
    fn get(&self) -> usize {
        self.offset.unwrap_or(0).min(MAX_OFFSET)
    }
}

/// `GET /people?…`: the filter form and the people it finds (400 with the form when a filter
/// cannot be read).
pub(super) async fn people_list(
    State(state): State<AppState>,
    Query(params): Query<PeopleParams>,
    Query(offset): Query<Offset>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let offset = offset.get();
    let (found, problem) = match params.read() {
        Ok(filter) => (
            wiki::people(state.db(), &filter, PAGE_SIZE + 1, offset).await?,
            None,
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let fields = filter_fields(&params);
    let more = (found.len() > PAGE_SIZE).then(|| {
        let mut url = String::from("/people?");
        for (name, value) in fields.iter().chain(
            [
                ("alive", params.alive.as_deref().unwrap_or("")),
                ("sort", params.sort.as_deref().unwrap_or("")),
            ]
            .iter(),
        ) {
            if !value.is_empty() {
                url.push_str(&format!(
                    "{name}={}&",
                    utf8_percent_encode(value, NON_ALPHANUMERIC)
                ));
            }
        }
        format!("{url}offset={}", offset + PAGE_SIZE)
    });
    let rows: Vec<people::Listed<'_>> = lives(&found)
        .into_iter()
        .zip(&found)
        .map(|(life, item)| people::Listed {
            life,
            sort_key: &item.sort_key,
        })
        .collect();
    let filters = people::Filters {
        fields: &fields,
        alive: params.alive.as_deref().unwrap_or(""),
        sort: params.sort.as_deref().unwrap_or("name"),
    };
    let page = views::people::page(
        filters,
        &rows,
        problem.as_deref(),
        more.as_deref(),
        user.signed_in(),
    );
    let status = match problem {
        Some(_) => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    Ok((status, page).into_response())
}

/// The first page of people found, as the views draw them.
fn lives(found: &[wiki::PersonItem]) -> Vec<timeline::Life<'_>> {
    found
        .iter()
        .take(PAGE_SIZE)
        .map(|p| timeline::Life {
            title: &p.title,
            name: &p.name,
            born: p.born.as_ref(),
            died: p.died.as_ref(),
        })
        .collect()
}

/// The text filters as given, by name, for the form and the next page's link.
fn filter_fields(params: &PeopleParams) -> Vec<(&'static str, &str)> {
    [
        ("born_after", &params.born_after),
        ("born_before", &params.born_before),
        ("died_after", &params.died_after),
        ("died_before", &params.died_before),
        ("place", &params.place),
        ("occupation", &params.occupation),
        ("organisation", &params.organisation),
        ("category", &params.category),
    ]
    .into_iter()
    .map(|(name, value)| (name, value.as_deref().unwrap_or("")))
    .collect()
}

/// `GET /timeline`: everyone with a known birth date as a bar from birth to death.
pub(super) async fn everyone(
    State(state): State<AppState>,
    Query(offset): Query<Offset>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let offset = offset.get();
    let params = PeopleParams {
        born_after: Some("0001".to_owned()),
        sort: Some("born".to_owned()),
        ..PeopleParams::default()
    };
    let filter = params
        .read()
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let found = wiki::people(state.db(), &filter, PAGE_SIZE + 1, offset).await?;
    let lives = lives(&found);
    let more =
        (found.len() > PAGE_SIZE).then(|| format!("/timeline?offset={}", offset + PAGE_SIZE));
    Ok(views::timeline::everyone(&lives, more.as_deref(), user.signed_in()).into_response())
}

/// `GET /wiki/{title}/timeline`: one person's life and dated facts.
pub(super) async fn person(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let found = wiki::page_facts(state.db(), &title, None).await?;
    let shown = Title::new(&found.title)?;
    let tabs = match found.person {
        Some(_) => tabs::for_person(&shown, tabs::Tab::Timeline),
        None => tabs::for_page(&shown, tabs::Tab::Read),
    }
    .for_viewer(&shown, tabs::Allowed::of(user.0.as_deref(), false));
    let (name, born, died) = match &found.person {
        Some(p) => (
            p.name.as_str(),
            p.birth_date.as_ref(),
            p.death_date.as_ref(),
        ),
        None => (found.title.as_str(), None, None),
    };
    let life = timeline::Life {
        title: &found.title,
        name,
        born,
        died,
    };
    Ok(views::timeline::person(
        &found.title,
        &life,
        &found.events,
        &tabs.as_refs(),
        user.signed_in(),
    )
    .into_response())
}

/// `GET /wiki/{title}/info`: page information.
pub(super) async fn page_info(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    let found = wiki::page_info(state.db(), &title).await?;
    let shown = Title::new(&found.facts.title)?;
    let tabs = match found.facts.person {
        Some(_) => tabs::for_person(&shown, tabs::Tab::Info),
        None => tabs::for_page(&shown, tabs::Tab::Info),
    }
    .for_viewer(
        &shown,
        tabs::Allowed::of(user.0.as_deref(), found.protected),
    );
    let segment = shown.url_segment();
    let unsourced: Vec<info::Unsourced<'_>> = found
        .facts
        .unsourced_sections
        .iter()
        .map(|s| info::Unsourced {
            title: &s.info.title,
            url: section_url(&segment, &s.info.anchor),
            edit_url: format!("/wiki/{segment}/edit?section={}", s.id),
        })
        .collect();
    let read_at = |from: &crate::bio::Origin| {
        found.facts.section_of(from).map(|s| info::ReadAt {
            section: match s.info.title.is_empty() {
                true => "Lead".to_owned(),
                false => s.info.title.clone(),
            },
            url: section_url(&segment, &s.info.anchor),
        })
    };
    let events: Vec<info::Dated<'_>> = found
        .facts
        .events
        .iter()
        .map(|e| info::Dated {
            when: match e.qualifier {
                Some(q) => format!("{} {}", q.as_str(), e.date.text),
                None => e.date.text.clone(),
            },
            label: &e.label,
            at: read_at(&e.from),
        })
        .collect();
    let checks: Vec<info::Checked<'_>> = found
        .facts
        .checks
        .iter()
        .map(|c| info::Checked {
            consistent: c.consistent,
            message: &c.message,
            compared: c
                .compared
                .iter()
                .map(|v| (v.value.as_str(), read_at(&v.from)))
                .collect(),
        })
        .collect();
    let mentioned_in: Vec<views::source::Mentioned<'_>> = found
        .mentioned_in
        .iter()
        .map(|m| views::source::Mentioned {
            text: &m.source,
            url: format!("/wiki/{}", wiki::title::url_segment(&m.source)),
            count: m.count,
        })
        .collect();
    let at_section = |section: Option<&wiki::SectionEntry>| {
        section.map(|s| info::ReadAt {
            section: match s.info.title.is_empty() {
                true => "Lead".to_owned(),
                false => s.info.title.clone(),
            },
            url: section_url(&segment, &s.info.anchor),
        })
    };
    let source_link = |title: &str| {
        (
            title.to_owned(),
            format!("/wiki/{}", wiki::title::url_segment(title)),
        )
    };
    let linked: Vec<Option<(String, String)>> = found
        .citations
        .references
        .iter()
        .map(|r| r.source.as_ref().map(|s| source_link(&s.title)))
        .collect();
    let quotations: Vec<info::Quoted<'_>> = found
        .citations
        .references
        .iter()
        .zip(&linked)
        .flat_map(|(r, source)| r.quotations.iter().map(move |q| (r, source, q)))
        .map(|(r, source, q)| info::Quoted {
            quotation: &q.quotation,
            found: q.found,
            source: source.as_ref().map(|(t, u)| (t.as_str(), u.clone())),
            place: q.span,
            at: at_section(r.section.as_ref()),
        })
        .collect();
    let weak_links: Vec<Vec<(String, String)>> = found
        .citations
        .weak_claims
        .iter()
        .map(|c| c.sources.iter().map(|t| source_link(t)).collect())
        .collect();
    let weak_claims: Vec<info::WeakClaim<'_>> = found
        .citations
        .weak_claims
        .iter()
        .zip(&weak_links)
        .map(|(c, links)| info::WeakClaim {
            sentence: &c.sentence,
            sources: links.iter().map(|(t, u)| (t.as_str(), u.clone())).collect(),
            at: at_section(c.section.as_ref()),
        })
        .collect();
    let view = info::InfoPage {
        living: found.citations.living,
        quotations: &quotations,
        weak_claims: &weak_claims,
        mentioned_in: found.facts.person.as_ref().map(|_| mentioned_in.as_slice()),
        title: &found.facts.title,
        person: found.facts.person.as_ref(),
        unsourced: &unsourced,
        events: &events,
        checks: &checks,
        protected: found.protected,
        revisions: found.revisions,
        created: by(found.created.as_ref()),
        last_edited: by(found.last_edited.as_ref()),
        tabs: &tabs.as_refs(),
        user: user.signed_in(),
    };
    Ok(views::info::page(&view).into_response())
}

/// The URL of a section of the page at `segment` (the page itself for the lead).
fn section_url(segment: &str, anchor: &str) -> String {
    match anchor.is_empty() {
        true => format!("/wiki/{segment}"),
        false => format!(
            "/wiki/{segment}#{}",
            utf8_percent_encode(anchor, NON_ALPHANUMERIC)
        ),
    }
}

/// Who saved a revision, and when.
fn by(meta: Option<&RevisionMeta>) -> Option<(&str, &str)> {
    meta.map(|m| (m.author.as_str(), m.timestamp.as_str()))
}
