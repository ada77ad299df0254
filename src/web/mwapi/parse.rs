//! `action=parse`: a page (`page`, `pageid` or `oldid`) rendered, with `prop=text|sections|
//! revid|categories|links|displaytitle|wikitext` and `section`, in format version 1 (`text` as
//! `{"*": html}`) or 2 (`text` as a string).
//!
//! Sections are numbered as MediaWiki numbers them: a leading `= Title =` line is section 1
//! (spanning the page), so section `n + 1` there is our section `n`.

use serde_json::{Map, Value, json};

use super::params::Params;
use super::reply::MwError;
use super::{Call, positive_integer as number, split_values};
use crate::auth::policy::may_see_hidden;
use crate::doc::SectionInfo;
use crate::markup;
use crate::render::{self, RenderOptions};
use crate::web::AppState;
use crate::wiki::{self, Title};

/// What `prop` shows when it is not given.
const DEFAULT_PROPS: &str = "text|langlinks|categories|links|templates|images|externallinks|sections|revid|displaytitle|iwlinks|properties|parsewarnings";

/// `action=parse`.
pub(super) async fn answer(call: &Call<'_>) -> Result<Value, MwError> {
    let (state, params, v2) = (call.state, call.params, call.format.v2);
    let see_hidden = may_see_hidden(call.caller.user());
    let db = state.db();
    let (title, revision) = target(state, params, see_hidden).await?;
    let page = wiki::read_page_for(db, &title, Some(revision), see_hidden)
        .await?
        .ok_or_else(|| MwError::new("missingtitle", "The page you specified doesn't exist."))?;
    if page.text_hidden {
        return Err(MwError::new(
            "permissiondenied",
            format!("You don't have permission to view the text of revision {revision}."),
        ));
    }
    let props = split_values(params.get("prop").unwrap_or(DEFAULT_PROPS));
    let wants = |name: &str| props.contains(&name);
    let outline = markup::outline(&page.page.text);
    let has_title_line = outline.title.is_some();
    let section = match params.get("section") {
        None => None,
        Some(raw) => Some(section_of(
            raw,
            has_title_line,
            outline.sections.len(),
            &title,
        )?),
    };

    let mut parse = Map::new();
    parse.insert("title".into(), json!(page.page.title));
    let standing = wiki::page_standing(db, &title).await?;
    parse.insert("pageid".into(), json!(standing.id));
    if wants("revid") {
        parse.insert("revid".into(), json!(revision));
    }
    if wants("displaytitle") {
        let shown = outline
            .title
            .clone()
            .unwrap_or_else(|| page.page.title.clone());
        let shown = maud::html! { (shown) }.into_string();
        parse.insert("displaytitle".into(), json!(shown));
    }
    if wants("wikitext") {
        let text = match section {
            Some(Section::Ours(index)) => section_markup(&page.page.text, &outline.sections, index),
            Some(Section::BeforeTitle) => String::new(),
            _ => page.page.text.clone(),
        };
        parse.insert("wikitext".into(), one_of(v2, text));
    }
    if wants("sections") {
        let key = title.as_str().replace(' ', "_");
        parse.insert(
            "sections".into(),
            Value::Array(sections(
                &outline,
                title_line_offset(&page.page.text, &outline),
                &key,
            )),
        );
    }
    if wants("categories") {
        let categories = standing
            .categories
            .iter()
            .map(|name| {
                let name = name.replace(' ', "_");
                if v2 {
                    json!({"sortkey": "", "category": name})
                } else {
                    json!({"sortkey": "", "*": name})
                }
            })
            .collect();
        parse.insert("categories".into(), Value::Array(categories));
    }
    if wants("links") {
        let links = wiki::links(db, &title).await?;
        let links = links
            .into_iter()
            .map(|link| {
                let ns = Title::new(&link.title).map_or(0, |t| t.namespace().number());
                if v2 {
                    json!({"ns": ns, "title": link.title, "exists": link.exists})
                } else if link.exists {
                    json!({"ns": ns, "exists": "", "*": link.title})
                } else {
                    json!({"ns": ns, "*": link.title})
                }
            })
            .collect();
        parse.insert("links".into(), Value::Array(links));
    }
    for empty in [
        "langlinks",
        "templates",
        "images",
        "externallinks",
        "iwlinks",
        "properties",
        "parsewarnings",
    ] {
        if wants(empty) {
            parse.insert(empty.into(), json!([]));
        }
    }
    if wants("text") {
        let html = render_html(page, section).await?;
        parse.insert("text".into(), one_of(v2, html));
    }
    Ok(json!({ "parse": parse }))
}

/// The page and revision asked for: `oldid`, else the latest revision of `page` or `pageid`.
async fn target(
    state: &AppState,
    params: &Params,
    see_hidden: bool,
) -> Result<(Title, i64), MwError> {
    let db = state.db();
    let given = ["page", "pageid", "oldid"]
        .iter()
        .filter(|p| params.flag(p))
        .count();
    if given > 1 {
        return Err(MwError::new(
            "invalidparammix",
            "The parameters \"page\", \"pageid\" and \"oldid\" can not be used together.",
        ));
    }
    if let Some(raw) = params.get("oldid") {
        let id = number(raw, "oldid")?;
        let (found, hidden) = wiki::revision_for(db, id, see_hidden).await?;
        if hidden.is_some() && !see_hidden {
            return Err(MwError::new(
                "permissiondenied",
                format!("You don't have permission to view the text of revision {id}."),
            ));
        }
        return Ok((Title::new(&found.title)?, id));
    }
    let title = match (params.get("page"), params.get("pageid")) {
        (Some(raw), _) => Title::new(raw)?,
        (None, Some(raw)) => wiki::title_of_page_id(db, number(raw, "pageid")?).await?,
        (None, None) => {
            return Err(MwError::new(
                "missingparam",
                "One of the parameters \"page\", \"pageid\" and \"oldid\" is required (parsing given text is not supported here).",
            ));
        }
    };
    let (revision, _) = wiki::sections(db, &title, None).await?;
    Ok((title, revision))
}

/// A text as format version 2 has it, or as version 1 does (`{"*": text}`).
fn one_of(v2: bool, text: String) -> Value {
    if v2 {
        json!(text)
    } else {
        json!({ "*": text })
    }
}

/// Which part of the page a MediaWiki section number names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Our section with this index.
    Ours(usize),
    /// The `= Title =` section: the whole page.
    Whole,
    /// What comes before the `= Title =` line: nothing.
    BeforeTitle,
}

/// MediaWiki's section `raw` of a page with `count` sections of ours (the lead included).
fn section_of(
    raw: &str,
    has_title_line: bool,
    count: usize,
    title: &Title,
) -> Result<Section, MwError> {
    let missing = || {
        MwError::new(
            "nosuchsection",
            format!("There is no section {raw} in {title}."),
        )
    };
    let n: usize = raw.trim().parse().map_err(|_| missing())?;
    let found = match (has_title_line, n) {
        (false, n) => Section::Ours(n),
        (true, 0) => Section::BeforeTitle,
        (true, 1) => Section::Whole,
        (true, n) => Section::Ours(n - 1),
    };
    match found {
        Section::Ours(index) if index >= count => Err(missing()),
        found => Ok(found),
    }
}

/// The markup of our section `index` (its span, subsections included).
fn section_markup(text: &str, sections: &[SectionInfo], index: usize) -> String {
    sections
        .get(index)
        .and_then(|s| text.get(s.byte_start..s.byte_end))
        .unwrap_or_default()
        .to_owned()
}

/// The page, or one section of it, rendered in MediaWiki's wrapper.
async fn render_html(page: wiki::PageView, section: Option<Section>) -> Result<String, MwError> {
    tokio::task::spawn_blocking(move || {
        let link_exists = |target: &str| page.link_exists(target);
        let mut options = RenderOptions::new(&link_exists);
        options.page_title = Some(&page.page.title);
        let inner = match section {
            None | Some(Section::Whole) => render::article(&page.doc, &options).into_string(),
            Some(Section::Ours(index)) => render::section(&page.doc, index, &options).into_string(),
            Some(Section::BeforeTitle) => String::new(),
        };
        format!("<div class=\"mw-parser-output\">{inner}</div>")
    })
    .await
    .map_err(|e| MwError::new("internal_api_error", format!("rendering a page: {e}")))
}

/// Where the `= Title =` line starts (the first line that is not blank), if the page has one.
fn title_line_offset(text: &str, outline: &crate::doc::Outline) -> Option<usize> {
    outline
        .title
        .as_ref()
        .map(|_| wiki::mediawiki::title_line_start(text))
}

/// The sections as `prop=sections` lists them, in MediaWiki's numbering: the `= Title =` line
/// first (level 1) when there is one, our sections after it one deeper.
fn sections(outline: &crate::doc::Outline, title_at: Option<usize>, key: &str) -> Vec<Value> {
    let mut listed = Vec::new();
    let shift = usize::from(title_at.is_some());
    if let (Some(at), Some(heading)) = (title_at, &outline.title) {
        let anchor = heading.replace(' ', "_");
        listed.push(json!({
            "toclevel": 1,
            "level": "1",
            "line": heading,
            "number": "1",
            "index": "1",
            "fromtitle": key,
            "byteoffset": at,
            "anchor": anchor,
            "linkanchor": anchor,
        }));
    }
    for s in outline.sections.iter().skip(1) {
        let depth = 1 + ancestors(&outline.sections, s) + shift;
        let number = if shift == 1 {
            format!("1.{}", s.number)
        } else {
            s.number.clone()
        };
        listed.push(json!({
            "toclevel": depth,
            "level": s.level.to_string(),
            "line": s.title,
            "number": number,
            "index": (s.index + shift).to_string(),
            "fromtitle": key,
            "byteoffset": s.byte_start,
            "anchor": s.anchor,
            "linkanchor": s.anchor,
        }));
    }
    listed
}

/// How many sections enclose `section`.
fn ancestors(sections: &[SectionInfo], section: &SectionInfo) -> usize {
    let mut count = 0;
    let mut at = section.parent;
    while let Some(parent) = at.filter(|p| *p != 0) {
        count += 1;
        at = sections.get(parent).and_then(|s| s.parent);
        if count > sections.len() {
            break;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_line_is_section_one_and_shifts_the_others() {
        let title = Title::new("Ada").unwrap();
        assert_eq!(section_of("2", false, 3, &title), Ok(Section::Ours(2)));
        assert_eq!(section_of("0", true, 3, &title), Ok(Section::BeforeTitle));
        assert_eq!(section_of("1", true, 3, &title), Ok(Section::Whole));
        assert_eq!(section_of("3", true, 3, &title), Ok(Section::Ours(2)));
        assert_eq!(
            section_of("4", true, 3, &title).map_err(|e| e.code),
            Err("nosuchsection".to_owned())
        );
        assert!(section_of("x", false, 3, &title).is_err());
    }

    #[test]
    fn the_title_line_is_found_after_blank_lines() {
        let text = "\n\n= Ada =\nLead.\n";
        assert_eq!(title_line_offset(text, &markup::outline(text)), Some(2));
        assert_eq!(
            title_line_offset("Lead.\n", &markup::outline("Lead.\n")),
            None
        );
    }

    #[test]
    fn sections_are_listed_in_mediawiki_numbering() {
        let text = "= Ada =\nLead.\n== Life ==\nA.\n=== Youth ===\nB.\n";
        let outline = markup::outline(text);
        let listed = sections(&outline, title_line_offset(text, &outline), "Ada");
        let shape: Vec<(String, String, String, i64)> = listed
            .iter()
            .map(|s| {
                (
                    s["line"].as_str().unwrap().to_owned(),
                    s["index"].as_str().unwrap().to_owned(),
                    s["level"].as_str().unwrap().to_owned(),
                    s["toclevel"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            [
                ("Ada".into(), "1".into(), "1".into(), 1),
                ("Life".into(), "2".into(), "2".into(), 2),
                ("Youth".into(), "3".into(), "3".into(), 3),
            ]
        );
        let text = "Lead.\n== Life ==\nA.\n";
        let plain = markup::outline(text);
        let listed = sections(&plain, title_line_offset(text, &plain), "X");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["index"], "1");
        assert_eq!(listed[0]["toclevel"], 1);
    }
}
