//! `action=paraminfo` (`modules`): the modules this API has and their parameters, in the shape
//! pywikibot reads at start (`main`'s `action` with its submodules, `query`'s `prop`, `list`,
//! `meta` and `generator`, each module's `path`, `prefix`, `parameters`, `mustbeposted`).

use serde_json::{Map, Value, json};

use super::reply::MwError;
use super::{Answer, Call};

/// The most items a list gives in one answer (`query::MAX_LIST`).
const MAX_LIMIT: usize = 500;

/// The action modules, and whether each must be posted.
const ACTIONS: [(&str, bool); 6] = [
    ("clientlogin", true),
    ("edit", true),
    ("login", true),
    ("logout", true),
    ("paraminfo", false),
    ("query", false),
];

/// Query submodules: (name, group, prefix, parameters).
const QUERY_MODULES: [(&str, &str, &str, &[&str]); 14] = [
    ("info", "prop", "in", &["prop"]),
    (
        "revisions",
        "prop",
        "rv",
        &[
            "prop", "slots", "limit", "section", "startid", "endid", "dir", "continue",
        ],
    ),
    ("siteinfo", "meta", "si", &["prop"]),
    ("userinfo", "meta", "ui", &["prop"]),
    ("tokens", "meta", "", &["type"]),
    (
        "allpages",
        "list",
        "ap",
        &["from", "continue", "namespace", "filterredir", "limit"],
    ),
    (
        "recentchanges",
        "list",
        "rc",
        &["prop", "show", "limit", "continue"],
    ),
    ("search", "list", "sr", &["search", "limit", "offset"]),
    ("categorymembers", "list", "cm", &["title", "limit"]),
    ("backlinks", "list", "bl", &["title", "limit", "continue"]),
    (
        "allusers",
        "list",
        "au",
        &["from", "to", "prefix", "prop", "limit", "continue"],
    ),
    ("templates", "prop", "tl", &["namespace"]),
    ("allpages", "generator", "gap", &[]),
    ("templates", "generator", "gtl", &[]),
];

/// Parameters of the action modules (without prefix).
fn action_parameters(action: &str) -> &'static [&'static str] {
    match action {
        "edit" => &[
            "title",
            "pageid",
            "section",
            "sectiontitle",
            "text",
            "summary",
            "minor",
            "notminor",
            "bot",
            "baserevid",
            "basetimestamp",
            "starttimestamp",
            "recreate",
            "createonly",
            "nocreate",
            "watchlist",
            "md5",
            "prependtext",
            "appendtext",
            "contentformat",
            "contentmodel",
            "token",
        ],
        "login" => &["name", "password", "domain", "token"],
        "clientlogin" => &[
            "requests",
            "messageformat",
            "returnurl",
            "continue",
            "token",
        ],
        "logout" => &["token"],
        "paraminfo" => &["modules", "helpformat"],
        _ => &[],
    }
}

fn parameter(name: &str, kind: Value, multi: bool) -> Value {
    let mut p = json!({"index": 0, "name": name, "type": kind});
    if let (true, Value::Object(object)) = (multi, &mut p) {
        {
            object.insert("multi".to_owned(), json!(true));
            object.insert("limit".to_owned(), json!(50));
            object.insert("lowlimit".to_owned(), json!(50));
            object.insert("highlimit".to_owned(), json!(500));
        }
    }
    p
}

/// A list's `limit` as MediaWiki describes it (pywikibot pages by its `max`, or `highmax`
/// with `apihighlimits`): what `params::limit` clamps to.
fn limit_parameter() -> Value {
    json!({
        "index": 0,
        "name": "limit",
        "type": "limit",
        "default": 10,
        "min": 1,
        "max": MAX_LIMIT,
        "highmax": MAX_LIMIT,
    })
}

fn module(
    name: &str,
    path: &str,
    group: Option<&str>,
    prefix: &str,
    parameters: Vec<Value>,
    posted: bool,
) -> Value {
    let mut m = json!({
        "name": name,
        "classname": "Plutarch",
        "path": path,
        "prefix": prefix,
        "source": "Plutarch",
        "sourcename": "plutarch",
        "licensetag": "MIT OR Apache-2.0",
        "licenselink": "",
        "readrights": true,
        "helpurls": [],
        "parameters": parameters,
        "templatedparameters": [],
        "dynamicparameters": false,
    });
    if let Value::Object(object) = &mut m {
        if let Some(group) = group {
            object.insert("group".to_owned(), json!(group));
        }
        if posted {
            object.insert("mustbeposted".to_owned(), json!(true));
            object.insert("writerights".to_owned(), json!(true));
        }
        if matches!(group, Some("generator")) || matches!(name, "allpages" | "templates") {
            object.insert("generator".to_owned(), json!(true));
        }
    }
    m
}

fn main_module() -> Value {
    let actions: Vec<&str> = ACTIONS.iter().map(|(a, _)| *a).collect();
    let submodules: Map<String, Value> = actions
        .iter()
        .map(|a| ((*a).to_owned(), json!(a)))
        .collect();
    let mut action = parameter("action", json!(actions), false);
    if let Value::Object(object) = &mut action {
        object.insert("submodules".to_owned(), Value::Object(submodules));
        object.insert("default".to_owned(), json!("help"));
    }
    let mut format = parameter("format", json!(["json", "jsonfm"]), false);
    if let Value::Object(object) = &mut format {
        object.insert(
            "submodules".to_owned(),
            json!({"json": "json", "jsonfm": "jsonfm"}),
        );
        object.insert("default".to_owned(), json!("jsonfm"));
    }
    let mut parameters = vec![action, format];
    for name in [
        "maxlag",
        "smaxage",
        "maxage",
        "assert",
        "assertuser",
        "requestid",
        "servedby",
        "curtimestamp",
        "responselanginfo",
        "origin",
        "uselang",
        "variant",
        "errorformat",
        "errorlang",
        "errorsuselocal",
    ] {
        parameters.push(parameter(name, json!("string"), false));
    }
    module("main", "main", None, "", parameters, false)
}

fn query_module() -> Value {
    let mut parameters = Vec::new();
    for group in ["prop", "list", "meta"] {
        let names: Vec<&str> = QUERY_MODULES
            .iter()
            .filter(|m| m.1 == group)
            .map(|m| m.0)
            .collect();
        let submodules: Map<String, Value> = names
            .iter()
            .map(|n| ((*n).to_owned(), json!(format!("query+{n}"))))
            .collect();
        let mut p = parameter(group, json!(names), true);
        if let Value::Object(object) = &mut p {
            object.insert("submodules".to_owned(), Value::Object(submodules));
            object.insert("submoduleparamprefix".to_owned(), json!("g"));
        }
        parameters.push(p);
    }
    let mut generator = parameter("generator", json!(["allpages", "templates"]), false);
    if let Value::Object(object) = &mut generator {
        object.insert(
            "submodules".to_owned(),
            json!({"allpages": "query+allpages", "templates": "query+templates"}),
        );
        object.insert("submoduleparamprefix".to_owned(), json!("g"));
    }
    parameters.push(generator);
    for name in [
        "continue",
        "titles",
        "pageids",
        "revids",
        "redirects",
        "rawcontinue",
        "indexpageids",
        "export",
        "exportnowrap",
        "iwurl",
        "converttitles",
    ] {
        let multi = matches!(name, "titles" | "pageids" | "revids");
        parameters.push(parameter(name, json!("string"), multi));
    }
    module("query", "query", None, "", parameters, false)
}

fn describe(path: &str) -> Option<Value> {
    match path {
        "main" => return Some(main_module()),
        "query" => return Some(query_module()),
        _ => {}
    }
    if let Some(&(action, posted)) = ACTIONS.iter().find(|(a, _)| *a == path) {
        let prefix = match action {
            "login" => "lg",
            _ => "",
        };
        let parameters = action_parameters(action)
            .iter()
            .map(|p| parameter(p, json!("string"), false))
            .collect();
        return Some(module(
            action,
            action,
            Some("action"),
            prefix,
            parameters,
            posted,
        ));
    }
    let name = path.strip_prefix("query+")?;
    let &(name, group, prefix, names) = QUERY_MODULES
        .iter()
        .find(|m| m.0 == name && m.1 != "generator")?;
    let parameters = names
        .iter()
        .map(|p| {
            let kind = match (name, *p) {
                ("tokens", "type") => json!(super::query::TOKEN_TYPES),
                // MediaWiki's `rcshow` values, which pywikibot checks its filter names
                // against; the list refuses any of them sent (none is honoured yet).
                ("recentchanges", "show") => json!(super::query::RC_SHOW),
                (_, "limit") => return limit_parameter(),
                _ => json!("string"),
            };
            parameter(
                p,
                kind,
                matches!(*p, "prop" | "type" | "namespace" | "show"),
            )
        })
        .collect();
    Some(module(name, path, Some(group), prefix, parameters, false))
}

pub(super) fn run(call: &Call<'_>) -> Result<Answer, MwError> {
    let mut wanted = call.params.list("modules")?;
    // The parameters older clients send instead of `modules`.
    if let Some(raw) = call.params.get("querymodules") {
        wanted.extend(raw.split('|').take(50).map(|m| format!("query+{m}")));
    }
    if call.params.get("mainmodule").is_some() {
        wanted.push("main".to_owned());
    }
    let mut modules = Vec::new();
    for path in &wanted {
        match describe(path) {
            Some(described) => modules.push(described),
            None => modules.push(json!({"name": path, "missing": true})),
        }
    }
    Ok(Answer::of(
        "paraminfo",
        json!({"helpformat": "none", "modules": modules}),
    ))
}
