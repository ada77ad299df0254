//! `action=query`: `meta` (siteinfo, userinfo, tokens), the page set (`titles`, `pageids`,
//! `revids`, `redirects`, `generator=allpages`) with `prop=info` and `prop=revisions`, and the
//! lists (allpages, recentchanges, search, categorymembers, backlinks), with `continue`.

use serde_json::{Map, Value, json};

use super::reply::{MwError, timestamp};
use super::{Answer, Call, groups, rights};
use crate::doc::namespace::Namespace;
use crate::wiki::mediawiki::{self, PageSummary};
use crate::wiki::{self, HitsFrom, Title};

/// The most revisions `prop=revisions` reads for one page in one answer.
const MAX_REVISIONS: usize = 500;
/// The most revisions with their text in one answer (MediaWiki's limit for content).
const MAX_CONTENT_REVISIONS: usize = 50;
/// The most revisions looked through for `rvdir=newer` (the oldest first).
const MAX_NEWER_SCAN: usize = 5000;
/// The most items a list gives in one answer.
const MAX_LIST: usize = 500;

pub(super) async fn run(call: &Call<'_>) -> Result<Answer, MwError> {
    let mut query = Map::new();
    let mut continuation = Map::new();
    let mut warnings: Vec<(&str, String)> = Vec::new();
    for meta in call.params.list("meta")? {
        match meta.as_str() {
            "siteinfo" => {
                let (props, unknown) = siteinfo(call)?;
                for (key, value) in props {
                    query.insert(key, value);
                }
                warnings.extend(unknown.map(|text| ("siteinfo", text)));
            }
            "userinfo" => {
                query.insert("userinfo".to_owned(), userinfo(call));
            }
            "tokens" => {
                let asked = tokens(call)?;
                query.insert("tokens".to_owned(), asked.tokens);
                warnings.extend(asked.unknown.map(|text| ("tokens", text)));
                if let Some(cookie) = asked.cookie {
                    let mut answer = finish(call, query, continuation);
                    answer.cookies.push(cookie);
                    warn(call, &mut answer, warnings);
                    return Ok(answer);
                }
            }
            _ => {}
        }
    }
    for list in call.params.list("list")? {
        let (items, more) = match list.as_str() {
            "allpages" => allpages(call, "ap").await?,
            "recentchanges" => recentchanges(call).await?,
            "search" => search(call, &mut query).await?,
            "categorymembers" => categorymembers(call).await?,
            "backlinks" => backlinks(call).await?,
            "allusers" => allusers(call).await?,
            other => {
                return Err(MwError::new(
                    "badvalue",
                    format!("Unrecognized value for parameter \"list\": {other}."),
                ));
            }
        };
        query.insert(list.clone(), Value::Array(items));
        if let Some((key, value)) = more {
            continuation.insert(key, value);
        }
    }
    pages(call, &mut query, &mut continuation).await?;
    let mut answer = finish(call, query, continuation);
    warn(call, &mut answer, warnings);
    Ok(answer)
}

/// Adds the modules' warnings to an answer, as MediaWiki writes them
/// (`warnings.MODULE.warnings` in format version 2, `warnings.MODULE.*` in version 1).
fn warn(call: &Call<'_>, answer: &mut Answer, warnings: Vec<(&str, String)>) {
    if warnings.is_empty() {
        return;
    }
    let key = if call.format.v2 { "warnings" } else { "*" };
    let all: Map<String, Value> = warnings
        .into_iter()
        .map(|(module, text)| (module.to_owned(), json!({ key: text })))
        .collect();
    answer
        .body
        .insert("warnings".to_owned(), Value::Object(all));
}

/// MediaWiki's warning about values a multi-value parameter does not know.
fn unrecognized(name: &str, values: &[String]) -> Option<String> {
    match values {
        [] => None,
        [one] => Some(format!(
            "Unrecognized value for parameter \"{name}\": {one}."
        )),
        many => Some(format!(
            "Unrecognized values for parameter \"{name}\": {}.",
            many.join(", ")
        )),
    }
}

fn finish(call: &Call<'_>, query: Map<String, Value>, continuation: Map<String, Value>) -> Answer {
    let mut answer = Answer::default();
    answer
        .body
        .insert("batchcomplete".to_owned(), flag_value(call));
    if !continuation.is_empty() {
        let mut continuation = continuation;
        continuation.insert("continue".to_owned(), json!("-||"));
        answer
            .body
            .insert("continue".to_owned(), Value::Object(continuation));
    }
    if !query.is_empty() {
        answer.body.insert("query".to_owned(), Value::Object(query));
    }
    answer
}

fn flag_value(call: &Call<'_>) -> Value {
    if call.format.v2 {
        json!(true)
    } else {
        json!("")
    }
}

/// `meta=siteinfo` (`siprop`: general, namespaces, namespacealiases, extensions (none)), and
/// the warning about the props it does not know (which pywikibot reads to give up on them).
fn siteinfo(call: &Call<'_>) -> Result<(Map<String, Value>, Option<String>), MwError> {
    let mut props = call.params.list("siprop")?;
    if props.is_empty() {
        props.push("general".to_owned());
    }
    let mut out = Map::new();
    let mut unknown = Vec::new();
    for prop in props {
        match prop.as_str() {
            "extensions" => {
                out.insert("extensions".to_owned(), json!([]));
            }
            "general" => {
                out.insert("general".to_owned(), general(call));
            }
            "namespaces" => {
                out.insert("namespaces".to_owned(), namespaces(call));
            }
            "namespacealiases" => {
                let key = if call.format.v2 { "alias" } else { "*" };
                let aliases: Vec<Value> = Namespace::ALL
                    .iter()
                    .flat_map(|ns| {
                        ns.aliases().iter().map(move |alias| {
                            let mut entry = Map::new();
                            entry.insert("id".to_owned(), json!(ns.number()));
                            entry.insert(key.to_owned(), json!(alias));
                            Value::Object(entry)
                        })
                    })
                    .collect();
                out.insert("namespacealiases".to_owned(), Value::Array(aliases));
            }
            _ => unknown.push(prop),
        }
    }
    Ok((out, unrecognized("siprop", &unknown)))
}

/// `thumblimits` and `imagelimits` as MediaWiki writes them (`BCassoc`): an object keyed
/// `"0"`, `"1"`, ... in format version 2 (pywikibot reads them with `.values()`), a list in
/// version 1.
fn limits_list(call: &Call<'_>, items: Vec<Value>) -> Value {
    if call.format.v2 {
        Value::Object(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| (i.to_string(), item))
                .collect(),
        )
    } else {
        Value::Array(items)
    }
}

fn general(call: &Call<'_>) -> Value {
    let server = call.server();
    let servername = server.split("://").nth(1).unwrap_or("localhost").to_owned();
    let main = wiki::MAIN_PAGE;
    let thumbs: Vec<Value> = [120, 150, 180, 200, 250, 300]
        .into_iter()
        .map(|w| json!(w))
        .collect();
    let images: Vec<Value> = [
        (320, 240),
        (640, 480),
        (800, 600),
        (1024, 768),
        (1280, 1024),
        (2560, 2048),
    ]
    .into_iter()
    .map(|(width, height)| json!({"width": width, "height": height}))
    .collect();
    let thumblimits = limits_list(call, thumbs);
    let imagelimits = limits_list(call, images);
    let mut general = json!({
        "mainpage": main,
        "base": format!("{server}/wiki/{}", main.replace(' ', "_")),
        "sitename": "Plutarch",
        "logo": format!("{server}/static/style.css"),
        "generator": "MediaWiki 1.39.0",
        "phpversion": "8.1.0",
        "phpsapi": "plutarch",
        "dbtype": "sqlite",
        "dbversion": "3",
        "langconversion": "",
        "linkconversion": "",
        "titleconversion": "",
        "linkprefixcharset": "",
        "linkprefix": "",
        "linktrail": "/^([a-z]+)(.*)$/sD",
        "legaltitlechars": " %!\"$&'()*,\\-.\\/0-9:;=?@A-Z\\\\^_`a-z~\\x80-\\xFF+",
        "invalidusernamechars": "@:",
        "case": "first-letter",
        "lang": "en",
        "fallback": [],
        "fallback8bitEncoding": "windows-1252",
        "writeapi": "",
        "maxarticlesize": wiki::max_page_bytes(),
        "timezone": "UTC",
        "timeoffset": 0,
    });
    let more = json!({
        "articlepath": "/wiki/$1",
        "scriptpath": "/w",
        "script": "/w/index.php",
        "variantarticlepath": false,
        "server": server,
        "servername": servername,
        "wikiid": "plutarch",
        "time": timestamp(&crate::wiki::now_timestamp()),
        "maxuploadsize": 0,
        "minuploadchunksize": 1024,
        "thumblimits": thumblimits,
        "imagelimits": imagelimits,
        "magiclinks": {"ISBN": false, "PMID": false, "RFC": false},
        "categorycollation": "uppercase",
        "nofollowlinks": true,
        "interwikimagic": true,
        "allcentralidlookupproviders": ["local"],
        "centralidlookupprovider": "local"
    });
    if let (Value::Object(general), Value::Object(more)) = (&mut general, more) {
        general.extend(more);
    }
    if let (true, Value::Object(general)) = (call.format.v2, &mut general) {
        {
            for key in [
                "writeapi",
                "langconversion",
                "linkconversion",
                "titleconversion",
            ] {
                let on = key == "writeapi";
                general.insert(key.to_owned(), json!(on));
            }
            general.insert("rtl".to_owned(), json!(false));
        }
    }
    general
}

fn namespace_entry(call: &Call<'_>, id: i64, name: &str, canonical: Option<&str>) -> Value {
    let mut entry = Map::new();
    entry.insert("id".to_owned(), json!(id));
    entry.insert("case".to_owned(), json!("first-letter"));
    if let Some(canonical) = canonical {
        entry.insert("canonical".to_owned(), json!(canonical));
    }
    entry.insert(
        if call.format.v2 { "name" } else { "*" }.to_owned(),
        json!(name),
    );
    call.format.set_flag(&mut entry, "content", id == 0);
    call.format
        .set_flag(&mut entry, "subpages", id > 0 && id % 2 == 1);
    if call.format.v2 {
        entry.insert("subpages".to_owned(), json!(id > 0 && id % 2 == 1));
        entry.insert("nonincludable".to_owned(), json!(false));
    }
    Value::Object(entry)
}

fn namespaces(call: &Call<'_>) -> Value {
    let mut all = Map::new();
    all.insert(
        "-2".to_owned(),
        namespace_entry(call, -2, "Media", Some("Media")),
    );
    all.insert(
        "-1".to_owned(),
        namespace_entry(call, -1, "Special", Some("Special")),
    );
    for ns in Namespace::ALL {
        let canonical = (ns != Namespace::Main).then(|| ns.name());
        all.insert(
            ns.number().to_string(),
            namespace_entry(call, ns.number(), ns.name(), canonical),
        );
    }
    Value::Object(all)
}

/// `meta=userinfo`: who the caller is, with groups and rights.
fn userinfo(call: &Call<'_>) -> Value {
    let user = call.caller.user();
    let mut info = Map::new();
    match user {
        Some(user) => {
            info.insert("id".to_owned(), json!(user.id));
            info.insert("name".to_owned(), json!(user.name));
        }
        None => {
            info.insert("id".to_owned(), json!(0));
            info.insert("name".to_owned(), json!(call.address));
            call.format.set_flag(&mut info, "anon", true);
        }
    }
    info.insert("groups".to_owned(), json!(groups(user)));
    info.insert("rights".to_owned(), json!(rights(user)));
    info.insert("editcount".to_owned(), json!(0));
    if call.format.v2 {
        info.insert("messages".to_owned(), json!(false));
    }
    Value::Object(info)
}

/// MediaWiki's `rcshow` values, described by `paraminfo` so clients can name their filters;
/// `list=recentchanges` refuses them all (none is honoured yet).
pub(super) const RC_SHOW: [&str; 8] = [
    "!anon",
    "!bot",
    "!minor",
    "!redirect",
    "anon",
    "bot",
    "minor",
    "redirect",
];

/// The token types `meta=tokens` knows: `csrf`, `login`, and the other write tokens, which
/// are the csrf token (MediaWiki's `+\\` alone for an anonymous caller).
pub(super) const TOKEN_TYPES: [&str; 9] = [
    "createaccount",
    "csrf",
    "deleteglobalaccount",
    "login",
    "patrol",
    "rollback",
    "setglobalaccountstatus",
    "userrights",
    "watch",
];

/// What `meta=tokens` answers.
struct Tokens {
    /// `{TYPEtoken: token}` for each known type asked for.
    tokens: Value,
    /// The login token's cookie, when a login token was asked for.
    cookie: Option<axum::http::HeaderValue>,
    /// The warning about the unknown types asked for, if any (MediaWiki answers the known
    /// ones and warns about the rest).
    unknown: Option<String>,
}

/// `meta=tokens` (`type`: a `|`-list of [`TOKEN_TYPES`]; csrf when none).
fn tokens(call: &Call<'_>) -> Result<Tokens, MwError> {
    let mut types = call.params.list("type")?;
    if types.is_empty() {
        types.push("csrf".to_owned());
    }
    let mut out = Map::new();
    let mut cookie = None;
    let mut unknown = Vec::new();
    for kind in types {
        match kind.as_str() {
            "login" => {
                let (token, set_cookie) = super::login::login_token(call);
                out.insert("logintoken".to_owned(), json!(token));
                cookie = set_cookie;
            }
            known if TOKEN_TYPES.contains(&known) => {
                out.insert(format!("{kind}token"), json!(call.caller.csrf_token()));
            }
            _ => unknown.push(kind),
        }
    }
    let unknown = unrecognized("type", &unknown);
    Ok(Tokens {
        tokens: Value::Object(out),
        cookie,
        unknown,
    })
}

/// A page of the page set, as asked for.
enum Wanted {
    /// A live page.
    Live(Box<PageSummary>),
    /// No live page by this title.
    Missing(Title),
    /// Not a title at all.
    Invalid { raw: String, reason: String },
    /// No live page has this id.
    MissingId(i64),
}

/// `generator=templates`: the titles of the templates the pages titled `raw_titles` use
/// (`Template:NAME` unless the name has another namespace), in `gtlnamespace` when given.
async fn templates_used(call: &Call<'_>, raw_titles: &[String]) -> Result<Vec<String>, MwError> {
    let namespaces = namespace_filter(call, "gtlnamespace")?;
    let mut used = Vec::new();
    for raw in raw_titles {
        let Ok(title) = Title::new(raw) else { continue };
        let page = title.as_str().to_owned();
        let names = call
            .state
            .db()
            .read(move |conn| crate::store::links::templates_of_title(conn, &page))
            .await
            .map_err(|e| MwError::from(wiki::WikiError::from(e)))?;
        for name in names {
            let Ok(named) = Title::new(&name) else {
                continue;
            };
            let template = if named.namespace() == Namespace::Main {
                match Title::new(&format!("Template:{name}")) {
                    Ok(t) => t,
                    Err(_) => continue,
                }
            } else {
                named
            };
            let in_namespaces = namespaces
                .as_ref()
                .is_none_or(|n| n.contains(&template.namespace().number()));
            if in_namespaces && !used.iter().any(|u| u == template.as_str()) {
                used.push(template.as_str().to_owned());
            }
        }
    }
    Ok(used)
}

/// The page set and its props.
async fn pages(
    call: &Call<'_>,
    query: &mut Map<String, Value>,
    continuation: &mut Map<String, Value>,
) -> Result<(), MwError> {
    let db = call.state.db();
    let mut raw_titles = call.params.list("titles")?;
    if call.params.get("generator") == Some("templates") {
        raw_titles = templates_used(call, &raw_titles).await?;
    } else if let Some(generator) = call.params.get("generator") {
        if generator != "allpages" {
            return Err(MwError::new(
                "badvalue",
                format!("Unrecognized value for parameter \"generator\": {generator}."),
            ));
        }
        let (items, more) = allpages(call, "gap").await?;
        raw_titles.extend(
            items
                .iter()
                .filter_map(|i| i.get("title").and_then(Value::as_str).map(str::to_owned)),
        );
        if let Some((key, value)) = more {
            continuation.insert(key, value);
        }
    }
    let page_ids = call.params.list("pageids")?;
    let rev_ids = call.params.list("revids")?;
    if raw_titles.is_empty() && page_ids.is_empty() && rev_ids.is_empty() {
        return Ok(());
    }
    let mut normalized = Vec::new();
    let mut redirects = Vec::new();
    let mut wanted: Vec<Wanted> = Vec::new();
    let mut revisions_of: Vec<(i64, Vec<i64>)> = Vec::new();
    let follow = call.params.flag("redirects");
    for raw in raw_titles {
        let title = match Title::new(&raw) {
            Ok(title) => title,
            Err(e) => {
                wanted.push(Wanted::Invalid {
                    raw,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if title.as_str() != raw {
            normalized.push(json!({"from": raw, "to": title.as_str()}));
        }
        wanted.push(resolve(call, title, follow, &mut redirects).await?);
    }
    for raw in page_ids {
        let Ok(id) = raw.parse::<i64>() else {
            return Err(MwError::new(
                "badinteger",
                format!("Invalid value \"{raw}\" for integer parameter \"pageids\"."),
            ));
        };
        match wiki::title_of_page_id(db, id).await {
            Ok(title) => wanted.push(resolve(call, title, follow, &mut redirects).await?),
            Err(wiki::WikiError::PageMissing(_) | wiki::WikiError::PageDeleted(_)) => {
                wanted.push(Wanted::MissingId(id));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut bad_revids = Vec::new();
    for raw in rev_ids {
        let Ok(id) = raw.parse::<i64>() else {
            bad_revids.push(json!({"revid": raw, "missing": flag_value(call)}));
            continue;
        };
        match wiki::revision_meta(db, id).await {
            Ok(meta) => {
                let title = Title::new(&meta.page_title)?;
                let found = mediawiki::page_summary(db, &title).await?;
                let Some(summary) = found else {
                    bad_revids.push(json!({"revid": id, "missing": flag_value(call)}));
                    continue;
                };
                match revisions_of.iter_mut().find(|(p, _)| *p == summary.id) {
                    Some((_, ids)) => ids.push(id),
                    None => {
                        revisions_of.push((summary.id, vec![id]));
                        wanted.push(Wanted::Live(Box::new(summary)));
                    }
                }
            }
            Err(wiki::WikiError::RevisionMissing(_)) => {
                bad_revids.push(json!({"revid": id, "missing": flag_value(call)}));
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Props other than info and revisions (categories, imageinfo…) are left out, as MediaWiki
    // leaves out what an extension it lacks would add.
    let props = call.params.list("prop")?;
    let live_count = wanted
        .iter()
        .filter(|w| matches!(w, Wanted::Live(_)))
        .count();
    let mut out: Vec<(String, Value)> = Vec::new();
    let mut missing_key = 0;
    for page in wanted {
        let mut entry = Map::new();
        let key = match &page {
            Wanted::Live(summary) => {
                entry.insert("pageid".to_owned(), json!(summary.id));
                let title = Title::new(&summary.title)?;
                entry.insert("ns".to_owned(), json!(title.namespace().number()));
                entry.insert("title".to_owned(), json!(summary.title));
                summary.id.to_string()
            }
            Wanted::Missing(title) => {
                missing_key -= 1;
                entry.insert("ns".to_owned(), json!(title.namespace().number()));
                entry.insert("title".to_owned(), json!(title.as_str()));
                call.format.set_flag(&mut entry, "missing", true);
                missing_key.to_string()
            }
            Wanted::Invalid { raw, reason } => {
                missing_key -= 1;
                entry.insert("title".to_owned(), json!(raw));
                entry.insert("invalidreason".to_owned(), json!(reason));
                call.format.set_flag(&mut entry, "invalid", true);
                missing_key.to_string()
            }
            Wanted::MissingId(id) => {
                entry.insert("pageid".to_owned(), json!(id));
                call.format.set_flag(&mut entry, "missing", true);
                id.to_string()
            }
        };
        if let Wanted::Live(summary) = &page {
            if props.iter().any(|p| p == "info") {
                info(call, summary, &mut entry)?;
            }
            if props.iter().any(|p| p == "revisions") {
                let chosen = revisions_of
                    .iter()
                    .find(|(p, _)| *p == summary.id)
                    .map(|(_, ids)| ids.clone());
                let revisions = revisions(call, summary, chosen, live_count, continuation).await?;
                entry.insert("revisions".to_owned(), Value::Array(revisions));
            }
        } else if matches!(page, Wanted::Missing(_)) && props.iter().any(|p| p == "info") {
            entry.insert("contentmodel".to_owned(), json!("wikitext"));
            if call
                .params
                .list("inprop")?
                .iter()
                .any(|p| p == "protection")
            {
                entry.insert("protection".to_owned(), json!([]));
                entry.insert("restrictiontypes".to_owned(), json!(["create"]));
            }
        }
        out.push((key, Value::Object(entry)));
    }
    if !normalized.is_empty() {
        query.insert("normalized".to_owned(), Value::Array(normalized));
    }
    if !redirects.is_empty() {
        query.insert("redirects".to_owned(), Value::Array(redirects));
    }
    if !bad_revids.is_empty() {
        query.insert("badrevids".to_owned(), json!(bad_revids));
    }
    let pages = if call.format.v2 {
        Value::Array(out.into_iter().map(|(_, v)| v).collect())
    } else {
        Value::Object(out.into_iter().collect())
    };
    query.insert("pages".to_owned(), pages);
    Ok(())
}

/// A title of the page set: its live page (following one redirect when `follow`), or missing.
async fn resolve(
    call: &Call<'_>,
    title: Title,
    follow: bool,
    redirects: &mut Vec<Value>,
) -> Result<Wanted, MwError> {
    let db = call.state.db();
    let Some(summary) = mediawiki::page_summary(db, &title).await? else {
        return Ok(Wanted::Missing(title));
    };
    if let (true, Some(target)) = (follow, &summary.redirect_to) {
        let target = Title::new(target)?;
        redirects.push(json!({"from": summary.title, "to": target.as_str()}));
        return Ok(match mediawiki::page_summary(db, &target).await? {
            Some(found) => Wanted::Live(Box::new(found)),
            None => Wanted::Missing(target),
        });
    }
    Ok(Wanted::Live(Box::new(summary)))
}

/// `prop=info` (with `inprop=protection`).
fn info(
    call: &Call<'_>,
    summary: &PageSummary,
    entry: &mut Map<String, Value>,
) -> Result<(), MwError> {
    entry.insert("contentmodel".to_owned(), json!("wikitext"));
    entry.insert("pagelanguage".to_owned(), json!("en"));
    entry.insert("pagelanguagehtmlcode".to_owned(), json!("en"));
    entry.insert("pagelanguagedir".to_owned(), json!("ltr"));
    entry.insert(
        "touched".to_owned(),
        json!(timestamp(&summary.latest.timestamp)),
    );
    entry.insert("lastrevid".to_owned(), json!(summary.latest.id));
    entry.insert("length".to_owned(), json!(summary.latest.size));
    call.format
        .set_flag(entry, "redirect", summary.redirect_to.is_some());
    call.format
        .set_flag(entry, "new", summary.latest.parent_id.is_none());
    if call
        .params
        .list("inprop")?
        .iter()
        .any(|p| p == "protection")
    {
        let protection = match &summary.protection {
            Some(_) => json!([
                {"type": "edit", "level": "sysop", "expiry": "infinity"},
                {"type": "move", "level": "sysop", "expiry": "infinity"}
            ]),
            None => json!([]),
        };
        entry.insert("protection".to_owned(), protection);
        entry.insert("restrictiontypes".to_owned(), json!(["edit", "move"]));
    }
    Ok(())
}

/// `prop=revisions` of one page: the revisions `revids` named, else its latest, else (with
/// `rvlimit`, `rvstartid`, `rvendid` or `rvdir`) a run of its history with `rvcontinue`.
async fn revisions(
    call: &Call<'_>,
    summary: &PageSummary,
    chosen: Option<Vec<i64>>,
    pages: usize,
    continuation: &mut Map<String, Value>,
) -> Result<Vec<Value>, MwError> {
    let db = call.state.db();
    let p = call.params;
    let mut props = p.list("rvprop")?;
    if props.is_empty() {
        props = vec![
            "ids".into(),
            "timestamp".into(),
            "flags".into(),
            "comment".into(),
            "user".into(),
        ];
    }
    let content = props.iter().any(|x| x == "content");
    let run = [
        "rvlimit",
        "rvstartid",
        "rvendid",
        "rvdir",
        "rvcontinue",
        "rvstart",
        "rvend",
    ]
    .iter()
    .any(|k| p.get(k).is_some());
    let title = Title::new(&summary.title)?;
    let see_hidden = crate::auth::policy::may_see_hidden(call.caller.user());
    let ids: Vec<i64> = match chosen {
        Some(ids) => ids,
        None if !run => vec![summary.latest.id],
        None => {
            if pages > 1 {
                return Err(MwError::new(
                    "invalidparammix",
                    "titles, pageids or a generator was used to supply multiple pages, but the rvlimit, rvstartid, rvendid, rvdir, rvstart, rvend parameters may only be used on a single page.",
                ));
            }
            let max = if content {
                MAX_CONTENT_REVISIONS
            } else {
                MAX_REVISIONS
            };
            let limit = p.limit("rvlimit", if content { 1 } else { 10 }, max)?;
            let newer = p.get("rvdir") == Some("newer");
            let from = p.int("rvcontinue")?.or(p.int("rvstartid")?);
            let end = p.int("rvendid")?;
            let mut ids: Vec<i64> = if newer {
                let mut all: Vec<i64> =
                    wiki::history_for(db, &title, None, MAX_NEWER_SCAN, None, see_hidden)
                        .await?
                        .into_iter()
                        .map(|e| e.revision.id)
                        .collect();
                all.reverse();
                all.retain(|&id| from.is_none_or(|f| id >= f) && end.is_none_or(|e| id <= e));
                all.truncate(limit + 1);
                all
            } else {
                let before = from.map(|f| f + 1);
                let mut ids: Vec<i64> =
                    wiki::history_for(db, &title, None, limit + 1, before, see_hidden)
                        .await?
                        .into_iter()
                        .map(|e| e.revision.id)
                        .collect();
                ids.retain(|&id| end.is_none_or(|e| id >= e));
                ids
            };
            if ids.len() > limit {
                let next = ids.pop().unwrap_or_default();
                continuation.insert("rvcontinue".to_owned(), json!(next.to_string()));
            }
            ids
        }
    };
    let section =
        match p.get("rvsection") {
            None => None,
            Some(raw) => Some(raw.parse::<usize>().map_err(|_| {
                MwError::new("nosuchsection", format!("There is no section {raw}."))
            })?),
        };
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let (found, hidden) = wiki::revision_for(db, id, see_hidden).await?;
        let meta = &found.revision;
        let mut rev = Map::new();
        let has = |name: &str| props.iter().any(|x| x == name);
        if has("ids") {
            rev.insert("revid".to_owned(), json!(meta.id));
            rev.insert("parentid".to_owned(), json!(meta.parent_id.unwrap_or(0)));
        }
        if has("flags") && call.format.v2 {
            rev.insert("minor".to_owned(), json!(false));
        }
        let text_hidden = hidden.is_some() && !see_hidden;
        if text_hidden {
            call.format.set_flag(&mut rev, "texthidden", true);
            call.format.set_flag(&mut rev, "commenthidden", true);
        }
        if has("user") {
            rev.insert("user".to_owned(), json!(meta.author));
        }
        if has("timestamp") {
            rev.insert("timestamp".to_owned(), json!(timestamp(&meta.timestamp)));
        }
        if has("size") {
            rev.insert("size".to_owned(), json!(meta.size));
        }
        if has("sha1") && !text_hidden {
            rev.insert("sha1".to_owned(), json!(sha1_hex(&found.text)));
        }
        if has("comment") && !text_hidden {
            rev.insert("comment".to_owned(), json!(meta.summary));
        }
        if has("contentmodel") {
            rev.insert("contentmodel".to_owned(), json!("wikitext"));
        }
        if content && !text_hidden {
            let text = match section {
                None => found.text.as_str(),
                Some(index) => {
                    mediawiki::mediawiki_section(&found.text, index).ok_or_else(|| {
                        MwError::new("nosuchsection", format!("There is no section {index}."))
                    })?
                }
            };
            let mut slot = Map::new();
            slot.insert("contentmodel".to_owned(), json!("wikitext"));
            slot.insert("contentformat".to_owned(), json!("text/x-wiki"));
            slot.insert(call.format.content_key().to_owned(), json!(text));
            if p.get("rvslots").is_some() {
                rev.insert("slots".to_owned(), json!({"main": Value::Object(slot)}));
            } else {
                rev.extend(slot);
            }
        }
        out.push(Value::Object(rev));
    }
    Ok(out)
}

fn sha1_hex(text: &str) -> String {
    use sha1::{Digest, Sha1};
    use std::fmt::Write;
    Sha1::digest(text.as_bytes())
        .iter()
        .fold(String::new(), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}

type Listed = (Vec<Value>, Option<(String, Value)>);

/// The namespace filter of a list (`apnamespace`), if any.
fn namespace_filter(call: &Call<'_>, name: &str) -> Result<Option<Vec<i64>>, MwError> {
    let values = call.params.list(name)?;
    if values.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .map(|v| {
            v.parse::<i64>().map_err(|_| {
                MwError::new(
                    "badvalue",
                    format!("Unrecognized value for parameter \"{name}\": {v}."),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// `list=allpages` (prefix `ap`), or `generator=allpages` (prefix `gap`).
async fn allpages(call: &Call<'_>, prefix: &str) -> Result<Listed, MwError> {
    let p = call.params;
    let limit = p.limit(&format!("{prefix}limit"), 10, MAX_LIST)?;
    let namespaces =
        namespace_filter(call, &format!("{prefix}namespace"))?.unwrap_or_else(|| vec![0]);
    let from = p
        .get(&format!("{prefix}continue"))
        .or(p.get(&format!("{prefix}from")))
        .map(|raw| Title::new(raw).map(|t| t.as_str().to_owned()))
        .transpose()?;
    let filter_redirects = p.get(&format!("{prefix}filterredir")).unwrap_or("all");
    let db = call.state.db();
    let mut items = Vec::new();
    let mut next: Option<String> = None;
    // The list's cursor is the last title shown; a starting title is shown itself.
    let mut after = from.as_ref().map(|f| {
        let mut before = f.clone();
        before.pop();
        before
    });
    'pages: loop {
        let batch = wiki::all_pages(db, MAX_LIST, after.clone()).await?;
        let done = batch.len() < MAX_LIST;
        for page in batch {
            after = Some(page.title.clone());
            if from.as_ref().is_some_and(|f| page.title < *f) {
                continue;
            }
            let title = Title::new(&page.title)?;
            let ns = title.namespace().number();
            let redirect = page.redirect_to.is_some();
            let keep = namespaces.contains(&ns)
                && match filter_redirects {
                    "redirects" => redirect,
                    "nonredirects" => !redirect,
                    _ => true,
                };
            if !keep {
                continue;
            }
            if items.len() == limit {
                next = Some(page.title.replace(' ', "_"));
                break 'pages;
            }
            let id = mediawiki::page_summary(db, &title)
                .await?
                .map_or(0, |s| s.id);
            items.push(json!({"pageid": id, "ns": ns, "title": page.title}));
        }
        if done {
            break;
        }
    }
    Ok((items, next.map(|n| (format!("{prefix}continue"), json!(n)))))
}

/// `list=recentchanges` (newest first; `rccontinue` is a revision id).
async fn recentchanges(call: &Call<'_>) -> Result<Listed, MwError> {
    let p = call.params;
    if let Some(show) = p.list("rcshow")?.first() {
        return Err(MwError::new(
            "badvalue",
            format!("The \"rcshow\" filter {show} is not supported by this wiki."),
        ));
    }
    let limit = p.limit("rclimit", 10, MAX_LIST)?;
    let before = p
        .get("rccontinue")
        .and_then(|c| c.split('|').next_back())
        .map(|c| {
            c.parse::<i64>()
                .map_err(|_| MwError::new("badcontinue", "Invalid continue param."))
        })
        .transpose()?
        .map(|c| c + 1);
    let db = call.state.db();
    let mut entries = wiki::recent_changes(db, limit + 1, before).await?;
    let next = (entries.len() > limit)
        .then(|| entries.pop())
        .flatten()
        .map(|e| {
            (
                "rccontinue".to_owned(),
                json!(format!("{}|{}", e.revision.timestamp, e.revision.id)),
            )
        });
    let items = entries
        .into_iter()
        .map(|e| {
            let r = &e.revision;
            let ns = Title::new(&r.page_title).map_or(0, |t| t.namespace().number());
            let kind = if r.parent_id.is_none() { "new" } else { "edit" };
            let mut item = json!({
                "type": kind,
                "ns": ns,
                "title": r.page_title,
                "rcid": r.id,
                "revid": r.id,
                "old_revid": r.parent_id.unwrap_or(0),
                "user": r.author,
                "timestamp": timestamp(&r.timestamp),
                "comment": r.summary,
                "oldlen": r.parent_size,
                "newlen": r.size,
            });
            if let (true, Value::Object(item)) = (e.hidden, &mut item) {
                call.format.set_flag(item, "commenthidden", true);
            }
            item
        })
        .collect();
    Ok((items, next))
}

/// `list=allusers` (`aufrom`, `auto`, `auprefix`, `aulimit`, `aucontinue`; `auprop=groups`):
/// the accounts by name, as pywikibot asks at login to check that its user exists.
async fn allusers(call: &Call<'_>) -> Result<Listed, MwError> {
    let p = call.params;
    let limit = p.limit("aulimit", 10, MAX_LIST)?;
    let from = p
        .get("aucontinue")
        .or_else(|| p.get("aufrom"))
        .unwrap_or("")
        .to_owned();
    let to = p.get("auto").map(str::to_owned);
    let prefix = p.get("auprefix").unwrap_or("").to_owned();
    let with_groups = p.list("auprop")?.iter().any(|v| v == "groups");
    let mut rows = call
        .state
        .db()
        .read(move |conn| {
            crate::store::accounts::users_by_name(conn, &from, to.as_deref(), &prefix, limit + 1)
        })
        .await
        .map_err(|e| MwError::from(wiki::WikiError::from(e)))?;
    let next = (rows.len() > limit)
        .then(|| rows.pop())
        .flatten()
        .map(|row| ("aucontinue".to_owned(), json!(row.name)));
    let items = rows
        .into_iter()
        .map(|row| {
            let mut item = json!({"userid": row.id, "name": row.name});
            if let (true, Value::Object(object)) = (with_groups, &mut item) {
                let user = crate::auth::User::from_row(row);
                object.insert("groups".to_owned(), json!(groups(user.as_ref())));
            }
            item
        })
        .collect();
    Ok((items, next))
}

/// `list=search` (`srsearch`, `srlimit`, `sroffset`).
async fn search(call: &Call<'_>, query: &mut Map<String, Value>) -> Result<Listed, MwError> {
    let p = call.params;
    let text = call.required("srsearch")?;
    if text.chars().count() > 300 {
        return Err(MwError::new("toolong", "The search text is too long."));
    }
    let limit = p.limit("srlimit", 10, MAX_LIST)?;
    let offset = usize::try_from(p.int("sroffset")?.unwrap_or(0).max(0)).unwrap_or(0);
    let found = wiki::search(call.state.db(), text, limit + 1, HitsFrom::Offset(offset)).await?;
    let more = found.hits.len() > limit;
    let items: Vec<Value> = found
        .hits
        .into_iter()
        .take(limit)
        .map(|hit| {
            let ns = Title::new(&hit.title).map_or(0, |t| t.namespace().number());
            json!({"ns": ns, "title": hit.title, "snippet": hit.snippet})
        })
        .collect();
    query.insert("searchinfo".to_owned(), json!({"totalhits": found.total}));
    Ok((
        items,
        more.then(|| ("sroffset".to_owned(), json!(offset + limit))),
    ))
}

/// `list=categorymembers` (`cmtitle` with or without `Category:`, `cmlimit`).
async fn categorymembers(call: &Call<'_>) -> Result<Listed, MwError> {
    let p = call.params;
    let name = call.required("cmtitle")?;
    let limit = p.limit("cmlimit", 10, MAX_LIST)?;
    let members = wiki::category_members(call.state.db(), name, limit).await?;
    let mut items = Vec::with_capacity(members.len());
    for (title, _) in members {
        let parsed = Title::new(&title)?;
        let id = mediawiki::page_summary(call.state.db(), &parsed)
            .await?
            .map_or(0, |s| s.id);
        items.push(json!({"pageid": id, "ns": parsed.namespace().number(), "title": title}));
    }
    Ok((items, None))
}

/// `list=backlinks` (`bltitle`, `bllimit`, `blcontinue`).
async fn backlinks(call: &Call<'_>) -> Result<Listed, MwError> {
    let p = call.params;
    let title = Title::new(call.required("bltitle")?)?;
    let limit = p.limit("bllimit", 10, MAX_LIST)?;
    let after = p.get("blcontinue").map(|c| c.replace('_', " "));
    let mut found = wiki::backlinks(call.state.db(), &title, limit + 1, after).await?;
    let more = found.len() > limit;
    found.truncate(limit);
    let next = more
        .then(|| {
            found
                .last()
                .map(|(t, _)| ("blcontinue".to_owned(), json!(t)))
        })
        .flatten();
    let mut items = Vec::with_capacity(found.len());
    for (linking, redirect) in found {
        let parsed = Title::new(&linking)?;
        let id = mediawiki::page_summary(call.state.db(), &parsed)
            .await?
            .map_or(0, |s| s.id);
        let mut item = Map::new();
        item.insert("pageid".to_owned(), json!(id));
        item.insert("ns".to_owned(), json!(parsed.namespace().number()));
        item.insert("title".to_owned(), json!(linking));
        call.format.set_flag(&mut item, "redirect", redirect);
        items.push(Value::Object(item));
    }
    Ok((items, next))
}
