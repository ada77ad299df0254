//! Reading pages: the latest revision (cached whole for anonymous readers, and without its
//! frame for signed-in ones), an old revision, a redirect followed with a note.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::prerender::Stage;
use super::session::{CurrentUser, MaybeUser};
use super::shareable::TaggedPage;
use super::tabs::Allowed;
use super::{AppState, WebError, page_actions, tabs};
use crate::auth::{Role, policy};
use crate::render::RefSource;
use crate::render::views::{self, Layout, moderation::HiddenNote};
use crate::wiki::{self, Namespace, Title};

/// The query a read accepts.
#[derive(Debug, Default, Deserialize)]
pub(super) struct ReadQuery {
    /// Show this old revision.
    revision: Option<i64>,
    /// `no`: show a redirect page itself instead of its target.
    redirect: Option<String>,
    /// What the reader just did (`edit`, `revert`, `undo`): a notice says it was saved.
    saved: Option<String>,
}

/// A page's article part (everything but the frame that names the reader), kept for
/// signed-in readers: the frame is added per request, so a signed-in view costs no parse and
/// no render while the page has not changed.
#[derive(Debug)]
pub(super) struct RenderedArticle {
    /// The `<title>`.
    display_title: String,
    /// The page shown (the tabs' URLs name it).
    title: Title,
    /// Whether it is protected (editors then see "View source" rather than Edit).
    protected: bool,
    /// All its tabs: each reader sees those for what they may do ([`tabs::Tabs::for_viewer`]).
    tabs: tabs::Tabs,
    /// The article part's HTML.
    html: String,
    /// Whether it shows today's date or an age: kept for today only.
    pub(super) dated: bool,
    /// The URL of the page's Atom feed.
    feed: String,
}

impl RenderedArticle {
    /// The same article for those who may not edit it: without the sections' `[edit]` links.
    fn without_edit_links(&self) -> Self {
        Self {
            display_title: self.display_title.clone(),
            title: self.title.clone(),
            protected: self.protected,
            tabs: self.tabs.clone(),
            html: crate::render::without_edit_links(&self.html),
            dated: self.dated,
            feed: self.feed.clone(),
        }
    }

    /// The whole page with the frame for `user` (`None`: an anonymous reader).
    pub(super) fn page(&self, user: Option<&CurrentUser>) -> String {
        self.page_with(user, None)
    }

    /// [`Self::page`] with a notice of what the reader just did.
    fn page_with(&self, user: Option<&CurrentUser>, notice: Option<&str>) -> String {
        let allowed = Allowed::of(user.map(|u| &**u), self.protected);
        let tabs = self.tabs.clone().for_viewer(&self.title, allowed);
        let (tab_refs, more) = (tabs.as_refs(), tabs.more_refs());
        views::layout(
            Layout {
                title: &self.display_title,
                tabs: &tab_refs,
                more: &more,
                user: user.map(CurrentUser::signed_in),
                feed: Some(&self.feed),
                notice,
            },
            maud::PreEscaped(self.html.clone()),
        )
        .into_string()
    }

    /// The whole page for `user`.
    fn framed(&self, user: &MaybeUser, notice: Option<&str>) -> Response {
        Html(self.page_with(user.0.as_ref(), notice)).into_response()
    }
}

impl ReadQuery {
    fn is_plain(&self) -> bool {
        self.revision.is_none() && self.redirect.is_none()
    }

    /// The notice for what the reader just did, if they say so (only signed-in readers see it:
    /// anonymous pages are shared).
    fn notice(&self) -> Option<&'static str> {
        match self.saved.as_deref()? {
            "edit" => Some("Your edit was saved."),
            "revert" => Some(
                "The page was reverted: the text of the chosen revision is saved again as the latest revision (see the history).",
            ),
            "undo" => Some(
                "The change was undone: its inverse is saved as the latest revision (see the history).",
            ),
            _ => None,
        }
    }
}

/// `GET /`: the main page, or while none is written, a default one.
pub(super) async fn main_page(
    State(state): State<AppState>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    // Until someone writes the main page (an imported wiki has none, or it was deleted), `/`
    // shows a default one rather than a 404 (issue 15). For anonymous readers it is kept until
    // anything shown changes (writing the main page is such a change).
    if user.0.is_none()
        && let Some(page) = state.welcome_cache().get(state.db())
    {
        return Ok(page.response());
    }
    match show(
        &state,
        &user,
        Title::new(wiki::MAIN_PAGE)?,
        ReadQuery::default(),
    )
    .await
    {
        Err(WebError::MissingPage(_)) => super::lists::welcome(&state, &user).await,
        Ok(found) if found.status() == axum::http::StatusCode::NOT_FOUND => {
            super::lists::welcome(&state, &user).await
        }
        other => other,
    }
}

/// `GET /wiki/{title}`: a page; a title written with spaces redirects to its `_` form.
pub(super) async fn read(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Query(query): Query<ReadQuery>,
    user: MaybeUser,
) -> Result<Response, WebError> {
    let title = Title::new(&raw)?;
    if raw != title.as_str().replace(' ', "_") {
        let to = format!("/wiki/{}", title.url_segment());
        return Ok(Redirect::permanent(&to).into_response());
    }
    show(&state, &user, title, query).await
}

async fn show(
    state: &AppState,
    user: &MaybeUser,
    title: Title,
    query: ReadQuery,
) -> Result<Response, WebError> {
    // Anonymous readers of the latest revision all see the same page: serve it from memory
    // while the database has not changed.
    let cacheable = user.0.is_none() && query.is_plain();
    // Signed-in readers share the article part by role (what a role may do may show in it).
    // An editor's source page carries a form with the session's CSRF token: never shared.
    let source_editor = title.namespace() == Namespace::Source
        && user
            .0
            .as_ref()
            .is_some_and(|u| u.has(crate::auth::Role::Editor));
    let article_key = match (&user.0, query.is_plain()) {
        (Some(reader), true) if !source_editor => Some(article_key(reader.role, title.as_str())),
        _ => None,
    };
    if let Some(found) = cached(
        state,
        user,
        &title,
        cacheable,
        article_key.as_deref(),
        query.notice(),
    ) {
        return Ok(found);
    }
    // Just saved: the page is being rendered off the request path; wait for that instead of
    // rendering it twice.
    let stage = match cacheable {
        true => Stage::Done,
        false => Stage::ArticleKept,
    };
    if (cacheable || article_key.is_some())
        && state
            .prerenders()
            .wait(title.as_str(), stage, state.db())
            .await
    {
        if let Some(found) = cached(
            state,
            user,
            &title,
            cacheable,
            article_key.as_deref(),
            query.notice(),
        ) {
            return Ok(found);
        }
    }
    let generation = state.db().generation();
    let revision = match (query.revision, query.redirect.as_deref()) {
        (Some(revision), _) => Some(revision),
        (None, Some("no")) => wiki::latest_markup(state.db(), &title)
            .await?
            .map(|(_, revision)| revision),
        (None, _) => None,
    };
    let see_hidden = policy::may_see_hidden(user.0.as_deref());
    let parts = match ReadParts::read(state, &title, revision, see_hidden).await? {
        Ok(parts) => parts,
        Err(members) => {
            return match (query.revision, &members) {
                (Some(_), _) => Err(WebError::NotFound),
                (None, Some(members)) if !members.is_empty() => Ok(category_without_page(
                    state, user, &title, members, generation, cacheable,
                )),
                (None, _) => match page_actions::deleted_page(state, user, &title).await? {
                    Some(deleted) => Ok(deleted),
                    None => Err(WebError::MissingPage(title)),
                },
            };
        }
    };
    let editor = user.0.as_ref().filter(|_| source_editor);
    let may_edit = Allowed::of(user.0.as_deref(), parts.page.protected).edit;
    let article = Arc::new(parts.render(editor, may_edit)?);
    state.prerenders().count_on_request();
    let redirected = parts.page.redirected_from.is_some();
    if let (Some(key), false) = (&article_key, redirected) {
        state
            .article_cache()
            .put_for(key, generation, Arc::clone(&article), article.dated);
        return Ok(article.framed(user, query.notice()));
    }
    if cacheable && !redirected {
        let page = TaggedPage::new(Bytes::from(article.page(None)));
        state
            .page_cache()
            .put_for(title.as_str(), generation, page.clone(), article.dated);
        return Ok(page.response());
    }
    Ok(article.framed(user, query.notice()))
}

/// The latest revision of `title` from memory, if it has not changed since it was kept: the
/// whole page for an anonymous reader (`cacheable`), the article part framed for a signed-in
/// one (under `article_key`).
fn cached(
    state: &AppState,
    user: &MaybeUser,
    title: &Title,
    cacheable: bool,
    article_key: Option<&str>,
    notice: Option<&str>,
) -> Option<Response> {
    if cacheable {
        if let Some(page) = state
            .page_cache()
            .get(title.as_str(), title.as_str(), state.db())
        {
            return Some(page.response());
        }
    }
    let key = article_key?;
    let article = state.article_cache().get(key, title.as_str(), state.db())?;
    Some(article.framed(user, notice))
}

/// The key of a page's article part for signed-in readers with `role`.
pub(super) fn article_key(role: Role, title: &str) -> String {
    format!("{role} {title}")
}

/// Pages larger than this are not rendered at save (a page near the size limit can take
/// seconds to render: it would compete with the requests for the CPU); they render when read.
const MOST_BYTES_RENDERED_AT_SAVE: i64 = 256 << 10;

/// The latest revision of a page rendered for the caches, as readers who may not see hidden
/// text see it.
pub(super) struct LatestRenders {
    /// For those who may not edit it (anonymous readers, readers; editors when protected):
    /// without the sections' `[edit]` links.
    pub(super) reading: RenderedArticle,
    /// For those who may edit it: with them.
    pub(super) editing: RenderedArticle,
    /// Whether the latest revision is hidden (admins then see more than others).
    pub(super) hidden: bool,
    /// Whether the page is protected (editors then get `reading`).
    pub(super) protected: bool,
}

/// Renders the latest revision of `title` for the caches (at save, off the request path):
/// `None` for a page that has none to keep (no live page, a redirect, or a text over
/// [`MOST_BYTES_RENDERED_AT_SAVE`]).
pub(super) async fn render_latest(
    state: &AppState,
    title: &Title,
) -> Result<Option<LatestRenders>, WebError> {
    // No live page (deleted since, say): nothing to keep; a large one renders when read.
    let size = wiki::latest_size(state.db(), title).await?;
    if size.is_none_or(|size| size > MOST_BYTES_RENDERED_AT_SAVE) {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let Ok(parts) = ReadParts::read(state, title, None, false).await? else {
        return Ok(None);
    };
    if parts.page.redirected_from.is_some() {
        return Ok(None);
    }
    let read = started.elapsed();
    let hidden = parts.page.hidden.is_some();
    let protected = parts.page.protected;
    // One rendering with the sections' [edit] links; readers get the same without them.
    let (reading, editing) = tokio::task::spawn_blocking(move || {
        let editing = parts.render(None, true)?;
        Ok::<_, WebError>((editing.without_edit_links(), editing))
    })
    .await
    .map_err(|e| WebError::Internal(format!("rendering a page: {e}")))??;
    tracing::debug!(title = title.as_str(), ?read, total = ?started.elapsed(), "rendered at save");
    Ok(Some(LatestRenders {
        reading,
        editing,
        hidden,
        protected,
    }))
}

/// What the read view of a page is made from, read from the database.
struct ReadParts {
    /// The revision shown.
    page: wiki::PageView,
    /// For a category: its members.
    members: Option<Vec<(String, String)>>,
    /// For a `Source:` page: what is stored about the source.
    source: Option<wiki::sources::SourceInfo>,
    /// For an old revision: the revisions before and after it.
    neighbours: (Option<i64>, Option<i64>),
    /// For a `File:` page: the uploaded file's versions.
    file: Option<wiki::files::FileInfo>,
}

impl ReadParts {
    /// Reads `title` at `revision` (latest when `None`); when there is no such page, the
    /// members of the category it names instead (if it is one).
    async fn read(
        state: &AppState,
        title: &Title,
        revision: Option<i64>,
        see_hidden: bool,
    ) -> Result<Result<Self, Option<Vec<(String, String)>>>, WebError> {
        let members = match title.namespace() {
            Namespace::Category => Some(category_members(state, title).await?),
            _ => None,
        };
        let Some(page) = wiki::read_page_for(state.db(), title, revision, see_hidden).await? else {
            return Ok(Err(members));
        };
        let shown = Title::new(&page.page.title)?;
        let source = match shown.namespace() {
            Namespace::Source => wiki::sources::source_info(state.db(), &shown).await?,
            _ => None,
        };
        let file = match shown.namespace() {
            Namespace::File => wiki::files::file_info(state.db(), &shown).await?,
            _ => None,
        };
        let neighbours = match page.is_latest {
            true => (None, None),
            false => {
                let id = page.page.revision.id;
                let found = wiki::diff_neighbours(state.db(), id, id).await?;
                (
                    found.previous.map(|(older, _)| older),
                    found.next.map(|(_, newer)| newer),
                )
            }
        };
        Ok(Ok(Self {
            page,
            members,
            source,
            neighbours,
            file,
        }))
    }

    /// The article part, the same for every reader who `may_edit` the page or not (the frame
    /// naming the reader is added per request; only those who may edit see the sections'
    /// `[edit]` links); with `editor` (an editor reading a `Source:` page, whose answer is
    /// never kept), also the form to change the source's kind and metadata, with their CSRF
    /// token.
    fn render(
        &self,
        editor: Option<&CurrentUser>,
        may_edit: bool,
    ) -> Result<RenderedArticle, WebError> {
        let page = &self.page;
        let source = &self.source;
        let shown = Title::new(&page.page.title)?;
        let segment = shown.url_segment();
        let link_exists = |target: &str| page.link_exists(target);
        let edit_url = |index: usize| match page.section_ids.get(index) {
            Some(id) => format!("/wiki/{segment}/edit?section={id}"),
            None => format!("/wiki/{segment}/edit?section={index}"),
        };
        let tabs = match wiki::is_person(&page.doc, &page.page.text) {
            true => tabs::for_person(&shown, tabs::Tab::Read),
            false => tabs::for_page(&shown, tabs::Tab::Read),
        };
        let tabs = tabs.as_refs();
        let current_url = format!("/wiki/{segment}");
        let redirect_url = page
            .redirected_from
            .as_deref()
            .map(|from| format!("/wiki/{}?redirect=no", wiki::title::url_segment(from)));
        let reference_sources: Vec<Option<RefSource<'_>>> = page
            .reference_sources
            .iter()
            .map(|s| {
                s.as_ref().map(|s| RefSource {
                    title: &s.title,
                    publisher: s.meta.publisher.as_deref(),
                    date: s.meta.date.as_deref(),
                    kind: s.meta.kind.map(|k| k.as_str()),
                    weak: s.is_weak(),
                })
            })
            .collect();
        let citing_urls: Vec<String> = source
            .iter()
            .flat_map(|s| &s.cited_by)
            .map(|c| {
                let segment = wiki::title::url_segment(&c.page);
                match c.anchor.as_str() {
                    "" => format!("/wiki/{segment}"),
                    anchor => format!("/wiki/{segment}#{anchor}"),
                }
            })
            .collect();
        let citing: Vec<views::source::Citing<'_>> = source
            .iter()
            .flat_map(|s| &s.cited_by)
            .zip(&citing_urls)
            .map(|(c, url)| views::source::Citing {
                page: &c.page,
                url,
                section: &c.heading,
                sentence: &c.sentence,
            })
            .collect();
        let mentioned: Option<Vec<views::source::Mentioned<'_>>> = source.as_ref().map(|s| {
            s.mentions
                .iter()
                .map(|m| views::source::Mentioned {
                    text: &m.person_name,
                    url: format!("/wiki/{}", wiki::title::url_segment(&m.person)),
                    count: m.count,
                })
                .collect()
        });
        let cited_by = source
            .as_ref()
            .map(|_| (citing, wiki::citations::how_to_cite(&page.page.title)));
        let source_box = source.as_ref().map(|s| views::source::SourceBox {
            url: s.meta.url.as_deref(),
            publisher: s.meta.publisher.as_deref(),
            date: s.meta.date.as_deref(),
            kind: s.meta.kind.map(|k| k.as_str()),
        });
        let form_action = format!("/wiki/{segment}/source");
        let form_tag = source
            .as_ref()
            .map(|s| wiki::source_edit::metadata_tag(&s.meta))
            .unwrap_or_default();
        let source_form = match (editor, source_box) {
            (Some(editor), Some(current))
                if page.is_latest && policy::may_edit(editor, page.protected) =>
            {
                Some(views::source::MetadataForm {
                    action: &form_action,
                    csrf: editor.csrf_token(),
                    tag: &form_tag,
                    current,
                })
            }
            _ => None,
        };
        // A source's boilerplate is folded apart from its text (issue 13).
        let (found_boilerplate, found_quotations) = match source {
            Some(_) => wiki::source_edit::boilerplate_and_quotations(&page.page.text),
            None => (Vec::new(), Vec::new()),
        };
        let without = wiki::source_edit::without_boilerplate(&page.page.text, &found_boilerplate);
        let folded_doc = without.as_deref().map(crate::markup::parse);
        let folded: Vec<views::source::Folded<'_>> = match &folded_doc {
            Some(_) => found_boilerplate
                .iter()
                .map(|b| views::source::Folded {
                    label: b.label,
                    text: page.page.text.get(b.span.clone()).unwrap_or_default(),
                })
                .collect(),
            None => Vec::new(),
        };
        let quoted: Vec<views::source::Quoted<'_>> = found_quotations
            .iter()
            .map(|q| views::source::Quoted {
                text: &q.text,
                speaker: q.speaker.as_deref(),
            })
            .collect();
        let files = crate::render::StoredFiles::new(page.files.iter().map(|f| {
            let image = crate::render::StoredImage {
                width: f.width,
                height: f.height,
                key: f.sha256.get(..12).unwrap_or(&f.sha256).to_owned(),
            };
            (f.name.clone(), image)
        }));
        let file = self.file.as_ref().map(file_box);
        let view = views::read::ReadPage {
            file,
            files: &files,
            title: &page.page.title,
            doc: folded_doc.as_ref().unwrap_or(&page.doc),
            boilerplate: &folded,
            quotations: source.as_ref().map(|_| quoted.as_slice()),
            link_exists: &link_exists,
            edit_url: (page.is_latest && may_edit).then_some(&edit_url as &dyn Fn(usize) -> String),
            saved: Some((&page.page.revision.author, &page.page.revision.timestamp)),
            members: self.members.as_deref(),
            old_revision: (!page.is_latest)
                .then_some((page.page.revision.id, current_url.as_str())),
            neighbours: self.neighbours,
            redirected_from: page.redirected_from.as_deref().zip(redirect_url.as_deref()),
            tabs: &tabs,
            // The frame is added per request.
            user: None,
            protected: page.protected,
            hidden: page.hidden.as_ref().map(|note| {
                let note = HiddenNote {
                    by: &note.by,
                    at: &note.at,
                    reason: &note.reason,
                };
                (Some(note), !page.text_hidden)
            }),
            mentions: mentioned.as_deref(),
            cited_by: cited_by
                .as_ref()
                .map(|(c, how)| (c.as_slice(), how.as_str())),
            reference_sources: &reference_sources,
            source: source_box.filter(|_| source.as_ref().is_some_and(|s| s.imported_at.is_some())),
            source_form,
        };
        Ok(RenderedArticle {
            display_title: match view.old_revision {
                Some((id, _)) => format!("{} (revision {id})", views::read::display_title(&view)),
                None => views::read::display_title(&view).to_owned(),
            },
            title: shown.clone(),
            protected: page.protected,
            tabs: tabs::Tabs::from_refs(&tabs),
            html: views::read::article_part(&view).into_string(),
            dated: page.dated,
            feed: format!("/wiki/{segment}/feed"),
        })
    }
}

/// What a file page shows of its upload: a preview, the original, every version.
fn file_box(info: &wiki::files::FileInfo) -> views::files::FileBox<'_> {
    /// The width of a file page's preview.
    const PREVIEW_WIDTH: u32 = 800;
    let name = info.title.strip_prefix("File:").unwrap_or(&info.title);
    let segment = wiki::title::url_segment(name);
    let preview = match info.versions.first() {
        Some(latest) => {
            let (width, height) = crate::media::scaled(latest.width, latest.height, PREVIEW_WIDTH);
            let key = latest.sha256.get(..12).unwrap_or(&latest.sha256);
            (
                format!("/thumb/{PREVIEW_WIDTH}/{segment}?v={key}"),
                width,
                height,
            )
        }
        None => (format!("/file/{segment}"), 0, 0),
    };
    let latest = info.versions.first().map(|v| v.version);
    let query_name = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>();
    views::files::FileBox {
        name,
        preview,
        original: format!("/file/{segment}"),
        versions: info
            .versions
            .iter()
            .map(|v| views::files::VersionRow {
                revert_url: (Some(v.version) != latest)
                    .then(|| format!("/revert-file?name={query_name}&version={}", v.version)),
                version: v.version,
                uploaded_at: &v.uploaded_at,
                uploader: &v.uploader,
                size: (v.width, v.height),
                bytes: v.size,
                comment: &v.comment,
                url: format!("/file/{segment}?version={}", v.version),
            })
            .collect(),
        upload_url: latest.map(|base| format!("/upload?name={query_name}&base={base}")),
        usage: info
            .usage
            .iter()
            .map(|title| {
                (
                    title.clone(),
                    format!("/wiki/{}", wiki::title::url_segment(title)),
                )
            })
            .collect(),
    }
}

/// The members of a category, as (title, URL), in sort order.
async fn category_members(
    state: &AppState,
    title: &Title,
) -> Result<Vec<(String, String)>, WebError> {
    const MAX_MEMBERS: usize = 1000;
    let members = wiki::category_members(state.db(), title.as_str(), MAX_MEMBERS).await?;
    Ok(members
        .into_iter()
        .map(|(member, _sort_key)| {
            let url = format!("/wiki/{}", wiki::title::url_segment(&member));
            (member, url)
        })
        .collect())
}

/// A category that has members but no page of its own: the list, and a link to write the page.
fn category_without_page(
    state: &AppState,
    user: &MaybeUser,
    title: &Title,
    members: &[(String, String)],
    generation: u64,
    cacheable: bool,
) -> Response {
    let doc = wiki::empty_document();
    let no_links = |_: &str| false;
    let tabs = tabs::for_page(title, tabs::Tab::Read);
    let tabs = tabs.as_refs();
    let view = views::read::ReadPage {
        file: None,
        files: &crate::render::NoFiles,
        title: title.as_str(),
        doc: &doc,
        link_exists: &no_links,
        edit_url: None,
        saved: None,
        members: Some(members),
        old_revision: None,
        neighbours: (None, None),
        redirected_from: None,
        tabs: &tabs,
        user: user.signed_in(),
        protected: false,
        hidden: None,
        source: None,
        source_form: None,
        boilerplate: &[],
        quotations: None,
        cited_by: None,
        mentions: None,
        reference_sources: &[],
    };
    let body = Bytes::from(views::read::page(&view).into_string());
    if cacheable {
        let page = TaggedPage::new(body);
        state
            .page_cache()
            .put(title.as_str(), generation, page.clone());
        return page.response();
    }
    Html(body).into_response()
}
