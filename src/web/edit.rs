//! Editing: the form (whole page or one section), preview, save, and conflicts.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;
use serde::Deserialize;

use super::drafts::{DRAFT_COOKIE, DRAFT_LIFETIME, Draft, KEPT_QUERY};
use super::session::{ClientAddress, CurrentUser, MaybeUser, cookie, login_url, set_cookie};
use super::{AppState, WebError, diff_view, tabs};
use crate::auth::{Role, policy};
use crate::render::views::{self, edit::EditConflict, edit::EditPage};
use crate::render::{self, RenderOptions};
use crate::wiki::{self, EditFlags, SaveOutcome, SaveRequest, SectionKey, Title, WikiError};

/// `?section=K` on the edit form; `?draft=kept` after signing in again gives back the text
/// kept when a save arrived after the session had ended.
#[derive(Debug, Deserialize)]
pub(super) struct EditQuery {
    section: Option<String>,
    draft: Option<String>,
    /// `biography`: a page not yet written starts from the biography skeleton.
    preload: Option<String>,
}

/// What the form says when a save came with a token no longer valid (signed out and in again
/// in another tab, say).
pub(super) const STALE_FORM: &str = "Your form had expired (perhaps you signed in again in another tab), so nothing was saved yet. Your text is kept below: press Save to save it.";

/// What the form says when it gives back the text kept while the person signed in again.
pub(super) const RESUMED_DRAFT: &str = "Your session had ended, so nothing was saved yet. Your text is kept below: press Save to save it.";

/// What the edit form posts.
#[derive(Debug, Deserialize)]
pub(super) struct EditForm {
    csrf: String,
    markup: String,
    #[serde(default)]
    summary: String,
    #[serde(default, deserialize_with = "empty_as_none")]
    base_revision: Option<i64>,
    section: Option<String>,
    #[serde(default)]
    action: String,
    /// The "This is a minor edit" checkbox (sent only when ticked).
    #[serde(default)]
    minor: Option<String>,
}

/// An empty form field is no value (a form sends `base_revision=` for a page not yet created).
fn empty_as_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

pub(super) struct FormState<'a> {
    pub(super) title: &'a Title,
    pub(super) section: Option<&'a str>,
    pub(super) section_title: Option<String>,
    pub(super) markup: &'a str,
    pub(super) base_revision: Option<i64>,
    pub(super) summary: &'a str,
    pub(super) preview: Option<Markup>,
    pub(super) conflict: Option<(i64, String, Markup)>,
    pub(super) problem: Option<String>,
    pub(super) protected: bool,
    /// The difference an undo makes, shown above the form (see `super::undo`).
    pub(super) changes: Option<Markup>,
    /// Whether "This is a minor edit" is ticked.
    pub(super) minor: bool,
}

pub(super) fn form_page(user: &CurrentUser, form: FormState<'_>) -> Markup {
    let action = format!("/wiki/{}/edit", form.title.url_segment());
    let section_history = form
        .section
        .map(|key| format!("/wiki/{}/history?section={key}", form.title.url_segment()));
    // A form without a base revision creates the page.
    let allowed = tabs::Allowed {
        exists: form.base_revision.is_some(),
        ..tabs::Allowed::of(Some(&**user), form.protected)
    };
    let tabs = tabs::for_page(form.title, tabs::Tab::Edit, allowed);
    let tabs = tabs.refs();
    let conflict = form
        .conflict
        .as_ref()
        .map(|(latest, current, difference)| EditConflict {
            latest_revision: *latest,
            current_markup: current,
            difference: difference.clone(),
        });
    views::edit::page(&EditPage {
        title: form.title.as_str(),
        action: &action,
        section: form.section,
        section_title: form.section_title.as_deref(),
        markup: form.markup,
        base_revision: form.base_revision,
        summary: form.summary,
        csrf: user.csrf_token(),
        preview: form.preview,
        conflict,
        section_history: section_history.as_deref(),
        problem: form.problem.as_deref(),
        tabs: tabs.view(),
        user: Some(user.signed_in()),
        protected: form.protected,
        changes: form.changes,
        minor: form.minor,
    })
}

/// `GET /wiki/{title}/edit[?section=K]`: the form, filled with the latest markup.
pub(super) async fn form(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<EditQuery>,
    headers: HeaderMap,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    if query.section.as_deref() == Some("new") {
        // MediaWiki's `section=new`: a new topic at the end of the page (issue 15).
        return Ok(Redirect::to(&super::talk::topic_url(&title)).into_response());
    }
    let protected = protection(&state, &title, &user).await?;
    if query.draft.is_some()
        && let Some(draft) =
            cookie(&headers, DRAFT_COOKIE).and_then(|id| state.drafts().take(id, title.as_str()))
    {
        return Ok(resumed(&state, &user, &title, &draft, protected));
    }
    let section = query.section.filter(|s| !s.is_empty());
    let page = match &section {
        Some(key) => {
            let found = wiki::section(state.db(), &title, &SectionKey::parse(key), None).await?;
            let heading = found.section.info.title.clone();
            (found.markup, Some(found.revision), Some(heading))
        }
        None => match wiki::latest_markup(state.db(), &title).await? {
            Some((markup, revision)) => (markup, Some(revision), None),
            None => (String::new(), None, None),
        },
    };
    let (mut markup, base_revision, section_title) = page;
    if base_revision.is_none() && markup.is_empty() && query.preload.as_deref() == Some("biography")
    {
        markup = views::edit::biography_skeleton(title.as_str());
    }
    Ok(form_page(
        &user,
        FormState {
            title: &title,
            section: section.as_deref(),
            section_title,
            markup: &markup,
            base_revision,
            summary: "",
            preview: None,
            conflict: None,
            problem: None,
            protected,
            changes: None,
            minor: false,
        },
    )
    .into_response())
}

/// The edit form with a kept draft (after signing in again), and the draft cookie cleared.
fn resumed(
    state: &AppState,
    user: &CurrentUser,
    title: &Title,
    draft: &Draft,
    protected: bool,
) -> Response {
    let section = draft.section.as_deref();
    let page = FormState {
        title,
        section,
        section_title: section.and_then(|_| wiki::first_heading(&draft.markup)),
        markup: &draft.markup,
        base_revision: draft.base_revision,
        summary: &draft.summary,
        preview: None,
        conflict: None,
        problem: Some(RESUMED_DRAFT.to_owned()),
        protected,
        changes: None,
        minor: false,
    };
    let mut response = form_page(user, page).into_response();
    let secure = state.settings().secure_cookies;
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(DRAFT_COOKIE, "", 0, secure));
    response
}

/// Whether a form post came from a page of this site: `Sec-Fetch-Site: same-origin`, or an
/// `Origin` that is the configured base URL or the request's own host. Only such a post may
/// leave a draft to be given back after signing in (another site must not fill someone's edit
/// form).
fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let value = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if value(header::HeaderName::from_static("sec-fetch-site")) == Some("same-origin") {
        return true;
    }
    let Some(origin) = value(header::ORIGIN) else {
        return false;
    };
    if state.settings().base_url.as_deref() == Some(origin.trim_end_matches('/')) {
        return true;
    }
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    authority.is_some() && authority == value(header::HOST)
}

/// A save or preview from someone no longer signed in: keeps the text (when the post came from
/// this site) and sends them to sign in, coming back to the form with it.
fn keep_for_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    client: &str,
    raw: &str,
    form: EditForm,
) -> Response {
    let title = match Title::new(raw) {
        Ok(title) => title,
        Err(e) => return WebError::from(e).into_response(),
    };
    let segment = title.url_segment();
    let plain = format!("/wiki/{segment}/edit");
    if !same_origin(state, headers) {
        return WebError::SignInRequired { next: plain }.into_response();
    }
    let draft = Draft {
        title: title.as_str().to_owned(),
        markup: form.markup,
        summary: form.summary,
        section: form.section.filter(|s| !s.is_empty()),
        base_revision: form.base_revision,
    };
    let Some(id) = state.drafts().keep(client, draft) else {
        return WebError::SignInRequired { next: plain }.into_response();
    };
    let mut response = Redirect::to(&login_url(&format!("{plain}?{KEPT_QUERY}"))).into_response();
    let secure = state.settings().secure_cookies;
    let max_age = i64::try_from(DRAFT_LIFETIME.as_secs()).unwrap_or(i64::MAX);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(DRAFT_COOKIE, &id, max_age, secure),
    );
    response
}

/// `POST /wiki/{title}/edit`: preview (renders, saves nothing) or save. A post whose session
/// has ended keeps the text through signing in again; one whose form token is stale (the
/// person signed in again elsewhere) shows the form again with the text and a fresh token.
pub(super) async fn submit(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    MaybeUser(user): MaybeUser,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<EditForm>,
) -> Result<Response, WebError> {
    // Browsers send a textarea's line breaks as CRLF (HTML's form encoding); the wiki's text
    // uses LF, as MediaWiki's does, so an edit does not rewrite every line. A NUL becomes
    // U+FFFD here too, so that the form never echoes one back.
    let form = EditForm {
        markup: wiki::clean_markup(&form.markup.replace("\r\n", "\n")).into_owned(),
        ..form
    };
    let Some(user) = user else {
        return Ok(keep_for_sign_in(&state, &headers, &client, &raw, form));
    };
    let stale = user.check_csrf(&form.csrf).is_err();
    // A stale token fills the form again with the posted text and a fresh token: only for a
    // post from this site, as a kept draft (another site must not fill someone's edit form).
    if stale && !(user.has(Role::Editor) && same_origin(&state, &headers)) {
        return Err(WebError::Csrf);
    }
    user.require(Role::Editor)?;
    let title = Title::new(&raw)?;
    let protected = protection(&state, &title, &user).await?;
    let section = form.section.as_deref().filter(|s| !s.is_empty());
    let section_title = section.and_then(|_| wiki::first_heading(&form.markup));
    let minor = form.minor.is_some();
    let mut page = FormState {
        title: &title,
        section,
        section_title,
        markup: &form.markup,
        base_revision: form.base_revision,
        summary: &form.summary,
        preview: None,
        conflict: None,
        problem: None,
        protected,
        changes: None,
        minor,
    };
    if stale {
        page.problem = Some(STALE_FORM.to_owned());
        return Ok((StatusCode::FORBIDDEN, form_page(&user, page)).into_response());
    }
    if form.action == "preview" {
        page.preview = Some(preview(&state, &title, section.is_some(), &form.markup).await?);
        return Ok(form_page(&user, page).into_response());
    }
    let request = SaveRequest {
        title: title.clone(),
        markup: form.markup.clone(),
        base_revision: form.base_revision,
        section: section.map(SectionKey::parse),
        summary: section_summary(page.section_title.as_deref(), &form.summary),
        author_id: user.id,
    };
    match wiki::save_page_flagged(state.db(), request, EditFlags { minor }).await {
        Ok(outcome) => {
            let anchor = saved_anchor(&outcome, section);
            let to = format!("/wiki/{}?saved=edit{anchor}", title.url_segment());
            Ok(Redirect::to(&to).into_response())
        }
        Err(WikiError::Conflict {
            latest_revision,
            current_markup,
            your_markup,
        }) => {
            let difference = diff_view::text_difference(&current_markup, &your_markup);
            page.conflict = Some((latest_revision, current_markup, difference));
            let body = form_page(&user, page);
            Ok((StatusCode::CONFLICT, body).into_response())
        }
        Err(e @ WikiError::TooLarge { .. }) => {
            // The contract: larger writes get 413 (issue 7: with the message, on the form).
            page.problem = Some(e.to_string());
            let body = form_page(&user, page);
            Ok((StatusCode::PAYLOAD_TOO_LARGE, body).into_response())
        }
        Err(
            e @ (WikiError::TooManySections(_)
            | WikiError::Invalid(_)
            | WikiError::SectionMissing { .. }),
        ) => {
            page.problem = Some(e.to_string());
            let body = form_page(&user, page);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Whether the page is protected; 403 with the notice when it is and `user` is not an admin
/// (issue 7), so an editor is told before typing anything.
pub(super) async fn protection(
    state: &AppState,
    title: &Title,
    user: &CurrentUser,
) -> Result<bool, WebError> {
    let protected = wiki::protection(state.db(), title).await?.is_some();
    if protected && !policy::may_edit(user, true) {
        return Err(WebError::Forbidden(
            views::moderation::PROTECTED_NOTICE.to_owned(),
        ));
    }
    Ok(protected)
}

/// A section edit's summary starts with `/* Section title */`, as MediaWiki's do (history and
/// recent changes show it as a link to the section); one that already names a section is kept.
fn section_summary(section_title: Option<&str>, summary: &str) -> String {
    match section_title {
        Some(title) if !summary.trim_start().starts_with("/*") => {
            format!("/* {title} */ {}", summary.trim())
                .trim_end()
                .to_owned()
        }
        _ => summary.to_owned(),
    }
}

/// `#anchor` of the edited section after a save, so the reader lands where they edited.
fn saved_anchor(outcome: &SaveOutcome, section: Option<&str>) -> String {
    let Some(key) = section else {
        return String::new();
    };
    let key = SectionKey::parse(key);
    outcome
        .sections()
        .iter()
        .find(|s| match &key {
            SectionKey::Id(id) => &s.id == id,
            SectionKey::Index(i) => s.info.index == *i,
            SectionKey::Anchor(anchor) => &s.info.anchor == anchor,
        })
        .map(|s| format!("#{}", s.info.anchor))
        .unwrap_or_default()
}

/// The preview of `text`; of a section (`in_section`), with the footnotes it reuses by name
/// from the rest of the page.
async fn preview(
    state: &AppState,
    title: &Title,
    in_section: bool,
    text: &str,
) -> Result<Markup, WebError> {
    let whole = match in_section {
        true => wiki::latest_markup(state.db(), title).await?,
        false => None,
    };
    let preview = match whole {
        Some((page, _)) => wiki::preview_section(state.db(), text, &page).await?,
        None => wiki::preview(state.db(), text).await?,
    };
    let link_exists = |target: &str| preview.link_exists(target);
    Ok(render::article(
        &preview.doc,
        &RenderOptions::new(&link_exists),
    ))
}

/// `?title=` of the new-biography form.
#[derive(Debug, Deserialize)]
pub(super) struct NewBiographyQuery {
    title: Option<String>,
}

/// `GET /new-biography[?title=NAME]`: the form asking the person's name; with one, the edit
/// form of that page, starting from the biography skeleton (an existing page opens as it is).
pub(super) async fn new_biography(
    Query(query): Query<NewBiographyQuery>,
    user: CurrentUser,
) -> Result<Response, WebError> {
    user.require(Role::Editor)?;
    let name = query.title.as_deref().map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Ok(views::edit::new_biography(Some(user.signed_in()), None).into_response());
    }
    match Title::new(name) {
        Ok(title) => Ok(Redirect::to(&format!(
            "/wiki/{}/edit?preload=biography",
            title.url_segment()
        ))
        .into_response()),
        Err(e) => {
            let problem = format!("That name cannot be a title: {e}");
            let body = views::edit::new_biography(Some(user.signed_in()), Some(&problem));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}
