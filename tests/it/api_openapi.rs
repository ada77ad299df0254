//! The OpenAPI document matches what the server does: real answers of every route, for each
//! status we can provoke, are checked against the document's schemas, and every operation in
//! the document is exercised.
//!
//! The checker handles the JSON Schema subset the document uses: `$ref`, `type` (one or a
//! list), `const`, `enum`, `oneOf`, `properties`, `required`, `additionalProperties`, `items`,
//! `minimum`, `maximum`, `minLength`, `maxLength`. (`format` and `pattern` are not checked.)

use std::collections::BTreeSet;

use axum::http::{Method, header};
use plutarch::auth::Role;
use serde_json::{Value, json};

use crate::api_support::{Answer, Call, create, editor, latest, token_for};
use crate::support::TestApp;

/// Where `value` breaks `schema` (empty: it conforms).
fn violations(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        let target = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no {reference}"));
        return violations(doc, target, value, at);
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = options
            .iter()
            .filter(|o| violations(doc, o, value, at).is_empty())
            .count();
        if matching != 1 {
            errors.push(format!("{at}: matches {matching} of oneOf, not 1: {value}"));
        }
    }
    if let Some(expected) = schema.get("const") {
        if expected != value {
            errors.push(format!("{at}: {value} is not {expected}"));
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        if !choices.contains(value) {
            errors.push(format!("{at}: {value} is not one of {choices:?}"));
        }
    }
    if let Some(kind) = schema.get("type") {
        let kinds: Vec<&str> = match kind {
            Value::String(k) => vec![k.as_str()],
            Value::Array(ks) => ks.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type in schema at {at}"),
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let fits = kinds.contains(&actual) || (actual == "integer" && kinds.contains(&"number"));
        if !fits {
            errors.push(format!("{at}: {actual} where {kinds:?} was expected"));
            return errors;
        }
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n < m)
        {
            errors.push(format!("{at}: {n} is below the minimum"));
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|m| n > m)
        {
            errors.push(format!("{at}: {n} is above the maximum"));
        }
    }
    if let Some(s) = value.as_str() {
        let chars = s.chars().count() as u64;
        if schema
            .get("minLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| chars < m)
        {
            errors.push(format!("{at}: shorter than minLength"));
        }
        if schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| chars > m)
        {
            errors.push(format!("{at}: longer than maxLength"));
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap();
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing required {name}"));
            }
        }
        for (name, item) in object {
            let inner = format!("{at}.{name}");
            match properties.and_then(|p| p.get(name)) {
                Some(property) => errors.extend(violations(doc, property, item, &inner)),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{at}: undocumented property {name}"));
                    }
                    Some(extra @ Value::Object(_)) => {
                        errors.extend(violations(doc, extra, item, &inner));
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            errors.extend(violations(doc, items, item, &format!("{at}[{i}]")));
        }
    }
    errors
}

/// Checks one real answer against the document; returns the operation it exercised.
#[track_caller]
fn conforms(doc: &Value, method: &Method, template: &str, answer: &Answer) -> String {
    let method_name = method.as_str().to_ascii_lowercase();
    let operation = doc["paths"][template]
        .get(&method_name)
        .unwrap_or_else(|| panic!("{method} {template} is not in the document"));
    let status = answer.status.as_str().to_owned();
    let response = operation["responses"].get(&status).unwrap_or_else(|| {
        panic!(
            "{method} {template} answered {status}, which the document does not list: {}",
            String::from_utf8_lossy(&answer.body)
        )
    });
    let response = match response.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap(),
        None => response,
    };
    match response.get("content").and_then(Value::as_object) {
        None => assert!(
            answer.body.is_empty(),
            "{method} {template} {status}: a body"
        ),
        Some(content) => {
            let kind = answer.header(header::CONTENT_TYPE).unwrap_or("");
            let media = content
                .get(kind)
                .unwrap_or_else(|| panic!("{method} {template} {status}: content type {kind}"));
            // An HTML document (MediaWiki's REST `/html`) is checked as a string.
            let body = if kind.starts_with("text/") {
                Value::String(String::from_utf8_lossy(&answer.body).into_owned())
            } else {
                answer.json()
            };
            let errors = violations(doc, &media["schema"], &body, "$");
            assert!(
                errors.is_empty(),
                "{method} {template} {status}: {errors:#?}"
            );
        }
    }
    if response["headers"].get("Retry-After").is_some() {
        let seconds = answer.header(header::RETRY_AFTER).unwrap_or("");
        assert!(
            seconds.parse::<u32>().is_ok_and(|s| s > 0),
            "{method} {template} {status}: Retry-After {seconds:?}"
        );
    }
    if response["headers"].get("ETag").is_some() {
        let etag = answer.header(header::ETAG).unwrap_or("");
        // Revision tags (`"r12"`), and a source's metadata tag (`"m<tag>-<key>"`).
        assert!(
            (etag.starts_with("\"r") || etag.starts_with("\"m")) && etag.ends_with('"'),
            "{method} {template} {status}: ETag {etag:?}"
        );
    }
    format!("{method_name} {template}")
}

/// A request to check: method, path, the document's path template, token, JSON body.
type Probe<'a> = (Method, String, &'a str, Option<&'a str>, Option<Value>);

#[tokio::test]
async fn every_route_answers_as_the_openapi_document_says() {
    let app = TestApp::new();
    let doc = Call::new(&app, Method::GET, "/api/openapi.json")
        .send()
        .await
        .ok(200);
    assert_eq!(doc["openapi"], "3.1.0");
    let token = editor(&app);
    let reader = token_for(&app, "reader", Role::Reader);
    let admin = token_for(&app, "boss", Role::Admin);
    let first = create(
        &app,
        &token,
        "Checked",
        "Lead [[Ada Lovelace]] [[Nowhere]].\n== A ==\nAlpha.\n=== A1 ===\nSub.\n== B ==\nBeta.\n",
    )
    .await;
    let edit = json!({"markup": "== B ==\nBeta, again.\n", "base_revision": first});
    let second = Call::new(&app, Method::PUT, "/api/pages/Checked/sections/3")
        .token(&token)
        .json(&edit)
        .send()
        .await;
    let second = second.ok(200)["revision"].as_i64().unwrap();
    let (_, ada) = latest(&app, "Ada_Lovelace").await;
    create(&app, &token, "Undoable", "One.\n\nTwo.\n\nThree.\n").await;
    let undoable = Call::new(&app, Method::PUT, "/api/pages/Undoable")
        .token(&token)
        .header("if-match", "*")
        .json(&json!({"markup": "One, changed.\n\nTwo.\n\nThree.\n"}))
        .send()
        .await;
    let undoable = undoable.ok(200)["revision"].as_i64().unwrap();
    // A living person citing a stored source with one quotation in it and one not (issue 13).
    create(
        &app,
        &token,
        "Source:Quoted",
        "Masot said: \u{201c}Could I give you a list?\u{201d}\n",
    )
    .await;
    create(
        &app,
        &token,
        "Quoting",
        "Jo Quoting (born 1970) is a British activist.\n\n== Said ==\n\
         He was asked \"could I give you a list\" and \"never\".\
         <ref source=\"Source:Quoted\">p. 1</ref> Plain claim.<ref>A book.</ref>\n",
    )
    .await;
    app.db
        .write_blocking(|conn| {
            Ok(plutarch::wiki::jobs::enqueue_blocking(
                conn,
                plutarch::wiki::jobs::JobKind::ReindexSearch,
                10,
                None,
            ))
        })
        .expect("write")
        .expect("a job to list");

    let pages = "/api/pages/{title}";
    let section = "/api/pages/{title}/sections/{key}";
    let sources = "/api/sources/{title}";
    create(
        &app,
        &token,
        "Source:Checked_source",
        "Checked source\n\nAda said: \"It works.\"\n\nShare this: Facebook Twitter\n",
    )
    .await;
    // MediaWiki's REST routes (issue 19) read and write a page of their own.
    let rest_first = create(&app, &token, "Rest_checked", "One.\n== Part ==\nTwo.\n").await;
    let rest_second = Call::new(&app, Method::PUT, "/api/pages/Rest_checked")
        .token(&token)
        .json(&json!({"markup": "One.\n== Part ==\nTwo, again.\n", "base_revision": rest_first}))
        .send()
        .await
        .ok(200)["revision"]
        .as_i64()
        .unwrap();
    let rest = "/w/rest.php/v1/page/{title}";
    let rest_revision = "/w/rest.php/v1/revision/{id}";
    let rest_compare = "/w/rest.php/v1/revision/{from}/compare/{to}";
    // (method, path, template, token, body)
    let calls: Vec<Probe<'_>> = vec![
        (
            Method::GET,
            "/w/rest.php/v1/page/Rest_checked".into(),
            rest,
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/page/Nobody_here".into(),
            rest,
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/page/A%5Bb%5D".into(),
            rest,
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/page/Rest_checked?x=1".into(),
            rest,
            None,
            None,
        ),
        (
            Method::PUT,
            "/w/rest.php/v1/page/Rest_checked".into(),
            rest,
            Some(&token),
            Some(
                json!({"source": "One.\n== Part ==\nTwo, REST.\n", "latest": {"id": rest_second}}),
            ),
        ),
        (
            Method::PUT,
            "/w/rest.php/v1/page/Rest_checked".into(),
            rest,
            Some(&token),
            Some(json!({"source": "Conflict.\n", "latest": {"id": rest_first}})),
        ),
        (
            Method::PUT,
            "/w/rest.php/v1/page/Rest_created".into(),
            rest,
            Some(&token),
            Some(json!({"source": "Made.\n"})),
        ),
        (
            Method::PUT,
            "/w/rest.php/v1/page/Rest_checked".into(),
            rest,
            None,
            Some(json!({"source": "X.\n"})),
        ),
        (
            Method::PUT,
            "/w/rest.php/v1/page/Rest_checked".into(),
            rest,
            Some(&reader),
            Some(json!({"source": "X.\n", "latest": {"id": rest_first}})),
        ),
        (
            Method::POST,
            "/w/rest.php/v1/page".into(),
            "/w/rest.php/v1/page",
            Some(&token),
            Some(json!({"source": "Posted.\n", "title": "Rest_posted", "comment": "new"})),
        ),
        (
            Method::POST,
            "/w/rest.php/v1/page".into(),
            "/w/rest.php/v1/page",
            Some(&token),
            Some(json!({"source": "Again.\n", "title": "Rest_posted"})),
        ),
        (
            Method::GET,
            "/w/rest.php/v1/page/Rest_checked/bare".into(),
            "/w/rest.php/v1/page/{title}/bare",
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/page/Rest_checked/html".into(),
            "/w/rest.php/v1/page/{title}/html",
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/page/Rest_checked/history".into(),
            "/w/rest.php/v1/page/{title}/history",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/w/rest.php/v1/page/Rest_checked/history?older_than={rest_second}"),
            "/w/rest.php/v1/page/{title}/history",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/w/rest.php/v1/revision/{rest_first}"),
            rest_revision,
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/revision/999999".into(),
            rest_revision,
            None,
            None,
        ),
        (
            Method::GET,
            format!("/w/rest.php/v1/revision/{rest_first}/bare"),
            "/w/rest.php/v1/revision/{id}/bare",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/w/rest.php/v1/revision/{rest_first}/compare/{rest_second}"),
            rest_compare,
            None,
            None,
        ),
        (
            Method::GET,
            format!("/w/rest.php/v1/revision/{rest_first}/compare/999999"),
            rest_compare,
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/search/page?q=part&limit=5".into(),
            "/w/rest.php/v1/search/page",
            None,
            None,
        ),
        (
            Method::GET,
            "/w/rest.php/v1/search/page?q=part&limit=0".into(),
            "/w/rest.php/v1/search/page",
            None,
            None,
        ),
        (
            Method::GET,
            "/w/api.php?action=query&meta=siteinfo&format=json&formatversion=2".into(),
            "/w/api.php",
            None,
            None,
        ),
        (
            Method::GET,
            "/w/api.php?action=frobnicate&format=json".into(),
            "/w/api.php",
            None,
            None,
        ),
        (
            Method::POST,
            "/w/api.php?action=query&meta=tokens&format=json".into(),
            "/w/api.php",
            None,
            None,
        ),
        (
            Method::GET,
            "/api.php?action=query&meta=userinfo&format=json".into(),
            "/api.php",
            None,
            None,
        ),
        (
            Method::POST,
            "/api.php?action=query&meta=userinfo&format=json".into(),
            "/api.php",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/openapi.json".into(),
            "/api/openapi.json",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages?limit=2".into(),
            "/api/pages",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages?limit=0".into(),
            "/api/pages",
            None,
            None,
        ),
        (Method::GET, "/api/pages/Checked".into(), pages, None, None),
        (
            Method::GET,
            format!("/api/pages/Checked?revision={first}"),
            pages,
            None,
            None,
        ),
        (
            Method::GET,
            format!("/api/pages/Checked?revision={ada}"),
            pages,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked?revision=x".into(),
            pages,
            None,
            None,
        ),
        (Method::GET, "/api/pages/Nobody".into(), pages, None, None),
        (Method::GET, "/api/pages/a%7Cb".into(), pages, None, None),
        (
            Method::GET,
            "/api/pages/Checked/sections".into(),
            "/api/pages/{title}/sections",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nobody/sections".into(),
            "/api/pages/{title}/sections",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/sections/1".into(),
            section,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/sections/0".into(),
            section,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/sections/9".into(),
            section,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/sections/1/revisions".into(),
            "/api/pages/{title}/sections/{key}/revisions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/sections/9/revisions".into(),
            "/api/pages/{title}/sections/{key}/revisions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/revisions?limit=1".into(),
            "/api/pages/{title}/revisions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/revisions?cursor=x".into(),
            "/api/pages/{title}/revisions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/links".into(),
            "/api/pages/{title}/links",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nobody/links".into(),
            "/api/pages/{title}/links",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nowhere/backlinks".into(),
            "/api/pages/{title}/backlinks",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/a%7Cb/backlinks".into(),
            "/api/pages/{title}/backlinks",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/api/revisions/{first}"),
            "/api/revisions/{id}",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/revisions/999999".into(),
            "/api/revisions/{id}",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages?titles=Checked|Nowhere|Ada_Lovelace".into(),
            "/api/pages",
            None,
            None,
        ),
        (
            Method::GET,
            format!(
                "/api/pages?titles={}",
                (0..51)
                    .map(|i| format!("P{i}"))
                    .collect::<Vec<_>>()
                    .join("%7C")
            ),
            "/api/pages",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/page-ids/1".into(),
            "/api/page-ids/{id}",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/page-ids/999999".into(),
            "/api/page-ids/{id}",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/recent?limit=2".into(),
            "/api/recent",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/recent?cursor=x".into(),
            "/api/recent",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/revisions/x".into(),
            "/api/revisions/{id}",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/api/diff?from={first}&to={second}"),
            "/api/diff",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/api/diff?from={first}&to={ada}"),
            "/api/diff",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/api/diff?from={first}&to=999999"),
            "/api/diff",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/diff?from=1".into(),
            "/api/diff",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/search?q=alpha".into(),
            "/api/search",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/search?q=the&limit=1".into(),
            "/api/search",
            None,
            None,
        ),
        (Method::GET, "/api/search".into(), "/api/search", None, None),
        // People, facts and timelines.
        (
            Method::GET,
            "/api/pages/Ada_Lovelace/facts".into(),
            "/api/pages/{title}/facts",
            None,
            None,
        ),
        (
            Method::GET,
            format!("/api/pages/Checked/facts?revision={first}"),
            "/api/pages/{title}/facts",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nobody/facts".into(),
            "/api/pages/{title}/facts",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/a%7Cb/facts".into(),
            "/api/pages/{title}/facts",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/facts?revision=x".into(),
            "/api/pages/{title}/facts",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Ada_Lovelace/mentions".into(),
            "/api/pages/{title}/mentions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nobody/mentions".into(),
            "/api/pages/{title}/mentions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/a%7Cb/mentions".into(),
            "/api/pages/{title}/mentions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Quoting/citations".into(),
            "/api/pages/{title}/citations",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Ada_Lovelace/citations".into(),
            "/api/pages/{title}/citations",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nobody/citations".into(),
            "/api/pages/{title}/citations",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/a%7Cb/citations".into(),
            "/api/pages/{title}/citations",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Quoting/citations?limit=1".into(),
            "/api/pages/{title}/citations",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Ada_Lovelace/mentions?limit=1".into(),
            "/api/pages/{title}/mentions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/sources/Source:Checked_source".into(),
            sources,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/sources/Checked".into(),
            sources,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/sources/a%7Cb".into(),
            sources,
            None,
            None,
        ),
        (
            Method::GET,
            "/api/sources/Source:Checked_source?limit=1".into(),
            sources,
            None,
            None,
        ),
        (
            Method::PATCH,
            "/api/sources/Source:Checked_source".into(),
            sources,
            Some(&token),
            Some(json!({"kind": "news", "publisher": "Checked Press", "url": null})),
        ),
        (
            Method::PATCH,
            "/api/sources/Source:Checked_source".into(),
            sources,
            Some(&token),
            Some(json!({"kind": "gossip"})),
        ),
        (
            Method::PATCH,
            "/api/sources/Source:Checked_source".into(),
            sources,
            Some(&token),
            Some(json!({"kind": "news", "colour": "red"})),
        ),
        (
            Method::PATCH,
            "/api/sources/Source:Checked_source".into(),
            sources,
            Some(&reader),
            Some(json!({"kind": "news"})),
        ),
        (
            Method::PATCH,
            "/api/sources/Source:Checked_source".into(),
            sources,
            None,
            Some(json!({"kind": "news"})),
        ),
        (
            Method::PATCH,
            "/api/sources/Source:Nobody".into(),
            sources,
            Some(&token),
            Some(json!({"kind": "news"})),
        ),
        (
            Method::GET,
            "/api/pages/Ada_Lovelace/timeline?limit=1".into(),
            "/api/pages/{title}/timeline",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked/timeline".into(),
            "/api/pages/{title}/timeline",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Nobody/timeline".into(),
            "/api/pages/{title}/timeline",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/a%7Cb/timeline".into(),
            "/api/pages/{title}/timeline",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Ada_Lovelace/timeline?cursor=x".into(),
            "/api/pages/{title}/timeline",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/people?born_after=1900&sort=-born&limit=2".into(),
            "/api/people",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/people?alive=maybe".into(),
            "/api/people",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/timeline?from=1850&to=1950&limit=3".into(),
            "/api/timeline",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/timeline?to=1950-13".into(),
            "/api/timeline",
            None,
            None,
        ),
        // Writes.
        (
            Method::PUT,
            "/api/pages/Created".into(),
            pages,
            Some(&token),
            Some(json!({"markup": "New.\n", "base_revision": null})),
        ),
        (
            Method::PUT,
            "/api/pages/Checked".into(),
            pages,
            Some(&token),
            Some(json!({"markup": "Whole.\n", "base_revision": second, "summary": "s"})),
        ),
        (
            Method::PUT,
            "/api/pages/Created".into(),
            pages,
            None,
            Some(json!({"markup": "x"})),
        ),
        (
            Method::PUT,
            "/api/pages/Created".into(),
            pages,
            Some(&reader),
            Some(json!({"markup": "x"})),
        ),
        (
            Method::PUT,
            "/api/pages/Created".into(),
            pages,
            Some(&token),
            Some(json!({"markup": "x", "extra": 1})),
        ),
        (
            Method::PUT,
            "/api/pages/Created".into(),
            pages,
            Some(&token),
            Some(json!({"markup": "x", "base_revision": null})),
        ),
        (
            Method::PUT,
            "/api/pages/Created".into(),
            pages,
            Some(&token),
            Some(
                json!({"markup": "x".repeat(plutarch::wiki::max_page_bytes() + 1), "base_revision": null}),
            ),
        ),
        (
            Method::PUT,
            "/api/pages/a%7Cb".into(),
            pages,
            Some(&token),
            Some(json!({"markup": "x"})),
        ),
        (
            Method::PUT,
            "/api/pages/Checked/sections/1".into(),
            section,
            Some(&token),
            Some(json!({"markup": "== A ==\nAlpha 2.\n", "base_revision": first})),
        ),
        (
            Method::PUT,
            "/api/pages/Checked/sections/1".into(),
            section,
            Some(&token),
            Some(json!({"markup": "== A ==\nAlpha 3.\n", "base_revision": first})),
        ),
        (
            Method::PUT,
            "/api/pages/Checked/sections/1".into(),
            section,
            None,
            Some(json!({"markup": "x"})),
        ),
        (
            Method::PUT,
            "/api/pages/Checked/sections/1".into(),
            section,
            Some(&reader),
            Some(json!({"markup": "x"})),
        ),
        (
            Method::PUT,
            "/api/pages/Checked/sections/1".into(),
            section,
            Some(&token),
            Some(json!({"markup": 1})),
        ),
        (
            Method::PUT,
            "/api/pages/Nobody/sections/1".into(),
            section,
            Some(&token),
            Some(json!({"markup": "x", "base_revision": 1})),
        ),
        (
            Method::PUT,
            "/api/pages/a%7Cb/sections/1".into(),
            section,
            Some(&token),
            Some(json!({"markup": "x", "base_revision": 1})),
        ),
        (
            Method::POST,
            "/api/pages/Checked/revert".into(),
            "/api/pages/{title}/revert",
            Some(&token),
            Some(json!({"to_revision": first})),
        ),
        (
            Method::POST,
            "/api/pages/Checked/revert".into(),
            "/api/pages/{title}/revert",
            None,
            Some(json!({"to_revision": first})),
        ),
        (
            Method::POST,
            "/api/pages/Checked/revert".into(),
            "/api/pages/{title}/revert",
            Some(&reader),
            Some(json!({"to_revision": first})),
        ),
        (
            Method::POST,
            "/api/pages/Checked/revert".into(),
            "/api/pages/{title}/revert",
            Some(&token),
            Some(json!({"to": first})),
        ),
        (
            Method::POST,
            "/api/pages/Checked/revert".into(),
            "/api/pages/{title}/revert",
            Some(&token),
            Some(json!({"to_revision": ada})),
        ),
        (
            Method::POST,
            "/api/pages/Nobody/revert".into(),
            "/api/pages/{title}/revert",
            Some(&token),
            Some(json!({"to_revision": first})),
        ),
        (
            Method::POST,
            "/api/pages/Checked/move".into(),
            "/api/pages/{title}/move",
            Some(&token),
            Some(json!({"to": "Checked again"})),
        ),
        (
            Method::POST,
            "/api/pages/Checked_again/move".into(),
            "/api/pages/{title}/move",
            None,
            Some(json!({"to": "x"})),
        ),
        (
            Method::POST,
            "/api/pages/Checked_again/move".into(),
            "/api/pages/{title}/move",
            Some(&reader),
            Some(json!({"to": "x"})),
        ),
        (
            Method::POST,
            "/api/pages/Checked_again/move".into(),
            "/api/pages/{title}/move",
            Some(&token),
            Some(json!({})),
        ),
        (
            Method::POST,
            "/api/pages/Checked_again/move".into(),
            "/api/pages/{title}/move",
            Some(&token),
            Some(json!({"to": "Ada Lovelace"})),
        ),
        (
            Method::POST,
            "/api/pages/Nobody/move".into(),
            "/api/pages/{title}/move",
            Some(&token),
            Some(json!({"to": "Somebody"})),
        ),
        (
            Method::DELETE,
            "/api/pages/Created".into(),
            pages,
            None,
            None,
        ),
        (
            Method::DELETE,
            "/api/pages/Created".into(),
            pages,
            Some(&token),
            None,
        ),
        (
            Method::DELETE,
            "/api/pages/Created".into(),
            pages,
            Some(&admin),
            None,
        ),
        (
            Method::DELETE,
            "/api/pages/Created".into(),
            pages,
            Some(&admin),
            None,
        ),
        (
            Method::DELETE,
            "/api/pages/a%7Cb".into(),
            pages,
            Some(&admin),
            None,
        ),
        // Issue 18: a deleted page answers 410 until an admin undeletes it.
        (Method::GET, "/api/pages/Created".into(), pages, None, None),
        (
            Method::GET,
            "/api/log/deletions?limit=1".into(),
            "/api/log/deletions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/log/deletions?cursor=r1".into(),
            "/api/log/deletions",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Created/archive?limit=1".into(),
            "/api/pages/{title}/archive",
            None,
            None,
        ),
        (
            Method::GET,
            "/api/pages/Created/archive".into(),
            "/api/pages/{title}/archive",
            Some(&token),
            None,
        ),
        (
            Method::GET,
            "/api/pages/Created/archive?limit=1".into(),
            "/api/pages/{title}/archive",
            Some(&admin),
            None,
        ),
        (
            Method::GET,
            "/api/pages/a%7Cb/archive".into(),
            "/api/pages/{title}/archive",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Created/undelete".into(),
            "/api/pages/{title}/undelete",
            None,
            None,
        ),
        (
            Method::POST,
            "/api/pages/Created/undelete".into(),
            "/api/pages/{title}/undelete",
            Some(&token),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Created/undelete".into(),
            "/api/pages/{title}/undelete",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Created/undelete".into(),
            "/api/pages/{title}/undelete",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            "/api/pages/a%7Cb/undelete".into(),
            "/api/pages/{title}/undelete",
            Some(&admin),
            None,
        ),
        // Moderation through the API: undo (editors), protect and hide (admins).
        (
            Method::POST,
            "/api/pages/Undoable/undo".into(),
            "/api/pages/{title}/undo",
            Some(&token),
            Some(json!({"revision": undoable})),
        ),
        (
            Method::POST,
            "/api/pages/Undoable/undo".into(),
            "/api/pages/{title}/undo",
            None,
            Some(json!({"revision": undoable})),
        ),
        (
            Method::POST,
            "/api/pages/Undoable/undo".into(),
            "/api/pages/{title}/undo",
            Some(&reader),
            Some(json!({"revision": undoable})),
        ),
        (
            Method::POST,
            "/api/pages/Undoable/undo".into(),
            "/api/pages/{title}/undo",
            Some(&token),
            Some(json!({"to_revision": undoable})),
        ),
        (
            Method::POST,
            "/api/pages/Undoable/undo".into(),
            "/api/pages/{title}/undo",
            Some(&token),
            Some(json!({"revision": ada})),
        ),
        (
            Method::POST,
            "/api/pages/Nobody/undo".into(),
            "/api/pages/{title}/undo",
            Some(&token),
            Some(json!({"revision": undoable})),
        ),
        (
            Method::POST,
            "/api/pages/Checked_again/undo".into(),
            "/api/pages/{title}/undo",
            Some(&token),
            Some(json!({"revision": first})),
        ),
        (
            Method::POST,
            "/api/pages/Checked_again/undo".into(),
            "/api/pages/{title}/undo",
            Some(&token),
            Some(json!({"revision": second})),
        ),
        (
            Method::POST,
            "/api/pages/Undoable/protect".into(),
            "/api/pages/{title}/protect",
            Some(&admin),
            Some(json!({"reason": "checked"})),
        ),
        (
            Method::POST,
            "/api/pages/Undoable/protect".into(),
            "/api/pages/{title}/protect",
            None,
            None,
        ),
        (
            Method::POST,
            "/api/pages/Undoable/protect".into(),
            "/api/pages/{title}/protect",
            Some(&token),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Nobody/protect".into(),
            "/api/pages/{title}/protect",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Undoable/unprotect".into(),
            "/api/pages/{title}/unprotect",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Undoable/unprotect".into(),
            "/api/pages/{title}/unprotect",
            Some(&token),
            None,
        ),
        (
            Method::POST,
            "/api/pages/Undoable/unprotect".into(),
            "/api/pages/{title}/unprotect",
            Some(&admin),
            Some(json!({"why": 1})),
        ),
        (
            Method::POST,
            format!("/api/revisions/{first}/hide"),
            "/api/revisions/{id}/hide",
            Some(&admin),
            Some(json!({"reason": "checked"})),
        ),
        (
            Method::POST,
            format!("/api/revisions/{ada}/hide"),
            "/api/revisions/{id}/hide",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            "/api/revisions/999999/hide".into(),
            "/api/revisions/{id}/hide",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            format!("/api/revisions/{first}/hide"),
            "/api/revisions/{id}/hide",
            None,
            None,
        ),
        (
            Method::POST,
            format!("/api/revisions/{first}/unhide"),
            "/api/revisions/{id}/unhide",
            Some(&admin),
            None,
        ),
        (
            Method::POST,
            format!("/api/revisions/{first}/unhide"),
            "/api/revisions/{id}/unhide",
            Some(&token),
            None,
        ),
        (
            Method::GET,
            "/api/admin/jobs".into(),
            "/api/admin/jobs",
            Some(&admin),
            None,
        ),
        (
            Method::GET,
            "/api/admin/jobs".into(),
            "/api/admin/jobs",
            Some(&reader),
            None,
        ),
        (
            Method::GET,
            "/api/admin/jobs".into(),
            "/api/admin/jobs",
            None,
            None,
        ),
        (Method::GET, "/api/me".into(), "/api/me", Some(&token), None),
        (Method::GET, "/api/me".into(), "/api/me", None, None),
        (
            Method::GET,
            "/api/pages/Checked/revisions".into(),
            "/api/pages/{title}/revisions",
            Some("not a token"),
            None,
        ),
        (
            Method::GET,
            "/api/pages/Checked_again/sections/anchor:A".into(),
            section,
            None,
            None,
        ),
        (
            Method::GET,
            "/problems/edit-conflict".into(),
            "/problems/{kind}",
            None,
            None,
        ),
        (
            Method::GET,
            "/problems/nothing".into(),
            "/problems/{kind}",
            None,
            None,
        ),
    ];
    let mut exercised = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    for (method, path, template, token, body) in calls {
        let mut call = Call::new(&app, method.clone(), &path);
        if let Some(token) = token {
            call = call.token(token);
        }
        if let Some(body) = &body {
            call = call.json(body);
        }
        let answer = call.send().await;
        statuses.insert(answer.status.as_u16());
        exercised.insert(conforms(&doc, &method, template, &answer));
    }
    // 415 and a raw malformed body.
    let answer = Call::new(&app, Method::PUT, "/api/pages/Checked_again")
        .token(&token)
        .raw("text/plain", "x")
        .send()
        .await;
    conforms(&doc, &Method::PUT, pages, &answer);
    statuses.insert(answer.status.as_u16());
    // 412: a stale If-Match.
    let answer = Call::new(&app, Method::PUT, "/api/pages/Checked")
        .token(&token)
        .header("if-match", &format!("\"r{first}\""))
        .json(&json!({"markup": "Stale.\n"}))
        .send()
        .await;
    conforms(&doc, &Method::PUT, pages, &answer);
    statuses.insert(answer.status.as_u16());
    // 412 and 415 of a source's metadata.
    let answer = Call::new(&app, Method::PATCH, "/api/sources/Source:Checked_source")
        .token(&token)
        .header("if-match", "\"m0000000000000000-00\"")
        .json(&json!({"kind": "blog"}))
        .send()
        .await;
    conforms(&doc, &Method::PATCH, sources, &answer);
    statuses.insert(answer.status.as_u16());
    let answer = Call::new(&app, Method::PATCH, "/api/sources/Source:Checked_source")
        .token(&token)
        .raw("text/plain", "kind=blog")
        .send()
        .await;
    conforms(&doc, &Method::PATCH, sources, &answer);
    // 304 of a source.
    let read = Call::new(&app, Method::GET, "/api/sources/Source:Checked_source")
        .send()
        .await;
    let etag = read.header(header::ETAG).expect("ETag").to_owned();
    let answer = Call::new(&app, Method::GET, "/api/sources/Source:Checked_source")
        .header("if-none-match", &etag)
        .send()
        .await;
    assert_eq!(answer.status, 304);
    conforms(&doc, &Method::GET, sources, &answer);
    // 304: a read whose ETag the client already has (issue 20).
    let read = Call::new(&app, Method::GET, "/api/pages/Checked")
        .send()
        .await;
    let etag = read.header(header::ETAG).expect("ETag").to_owned();
    let answer = Call::new(&app, Method::GET, "/api/pages/Checked")
        .header("if-none-match", &etag)
        .send()
        .await;
    conforms(&doc, &Method::GET, pages, &answer);
    statuses.insert(answer.status.as_u16());

    // Files (issue 16): a multipart upload, a read, a revert, and their refusals.
    let png = {
        let image = image::RgbImage::from_pixel(4, 3, image::Rgb([1, 2, 3]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image
            .write_to(&mut bytes, image::ImageFormat::Png)
            .expect("a PNG");
        bytes.into_inner()
    };
    let boundary = "openapi-boundary";
    let upload_body = |name: &str, bytes: &[u8], base: Option<i64>| {
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\r\n"
        )
        .into_bytes();
        body.extend(bytes);
        if let Some(base) = base {
            body.extend(
                format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"base_version\"\r\n\r\n{base}")
                    .as_bytes(),
            );
        }
        body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
        body
    };
    let multipart_type = format!("multipart/form-data; boundary={boundary}");
    for (name, bytes, base, token) in [
        ("Probe.png", png.as_slice(), None, Some(&token)),
        ("Probe.png", png.as_slice(), Some(1), Some(&token)),
        ("Probe.png", png.as_slice(), None, Some(&token)),
        ("Probe.png", b"<html>".as_slice(), None, Some(&token)),
        ("Probe.png", png.as_slice(), None, Some(&reader)),
        ("Probe.png", png.as_slice(), None, None),
    ] {
        let mut call = Call::new(&app, Method::POST, "/api/files")
            .raw(&multipart_type, upload_body(name, bytes, base));
        if let Some(token) = token {
            call = call.token(token);
        }
        let answer = call.send().await;
        statuses.insert(answer.status.as_u16());
        exercised.insert(conforms(&doc, &Method::POST, "/api/files", &answer));
    }
    for path in [
        "/api/files/Probe.png",
        "/api/files/File:Nothing.png",
        "/api/files/a%2Fb",
    ] {
        let answer = Call::new(&app, Method::GET, path).send().await;
        exercised.insert(conforms(&doc, &Method::GET, "/api/files/{title}", &answer));
    }
    for (body, token) in [
        (json!({"to_version": 1, "base_version": 2}), Some(&token)),
        (json!({"to_version": 1, "base_version": 1}), Some(&token)),
        (json!({"to_version": 9, "base_version": 3}), Some(&token)),
        (json!({"to": 1}), Some(&token)),
        (json!({"to_version": 1, "base_version": 3}), None),
    ] {
        let mut call = Call::new(&app, Method::POST, "/api/files/Probe.png/revert").json(&body);
        if let Some(token) = token {
            call = call.token(token);
        }
        let answer = call.send().await;
        exercised.insert(conforms(
            &doc,
            &Method::POST,
            "/api/files/{title}/revert",
            &answer,
        ));
    }

    let documented: BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| *k != "parameters")
                .map(move |m| format!("{m} {path}"))
        })
        .collect();
    assert_eq!(
        exercised, documented,
        "every documented operation is exercised"
    );
    assert_eq!(
        statuses,
        BTreeSet::from([
            200, 201, 204, 304, 400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428
        ]),
        "every status is provoked"
    );
}

#[tokio::test]
async fn reads_past_their_deadline_answer_as_the_document_says() {
    let doc = Call::new(&TestApp::new(), Method::GET, "/api/openapi.json")
        .send()
        .await
        .ok(200);
    let app = TestApp::with_settings(plutarch::web::Settings {
        request_deadline: std::time::Duration::from_nanos(1),
        ..plutarch::web::Settings::default()
    });
    let reads = [
        ("/api/pages", "/api/pages"),
        ("/api/pages/Ada_Lovelace", "/api/pages/{title}"),
        (
            "/api/pages/Ada_Lovelace/sections",
            "/api/pages/{title}/sections",
        ),
        (
            "/api/pages/Ada_Lovelace/revisions",
            "/api/pages/{title}/revisions",
        ),
        ("/api/revisions/1", "/api/revisions/{id}"),
        ("/api/search?q=ada", "/api/search"),
        ("/api/pages/Ada_Lovelace/facts", "/api/pages/{title}/facts"),
        ("/api/people", "/api/people"),
        ("/api/timeline", "/api/timeline"),
    ];
    for (path, template) in reads {
        let answer = Call::new(&app, Method::GET, path).send().await;
        assert_eq!(answer.status.as_u16(), 503, "{path}");
        conforms(&doc, &Method::GET, template, &answer);
    }
}

/// The OpenAPI document as `app` serves it.
async fn document(app: &TestApp) -> Value {
    Call::new(app, Method::GET, "/api/openapi.json")
        .send()
        .await
        .ok(200)
}

/// The path of `template` with sample values for its segments.
fn sample_path(template: &str) -> String {
    template
        .replace("{title}", "Ada_Lovelace")
        .replace("{key}", "1")
        .replace("{id}", "1")
}

/// The query parameters `operation` declares (its own and its path's).
fn declared_query(doc: &Value, template: &str, method: &str) -> Vec<String> {
    let item = &doc["paths"][template];
    let mut names = Vec::new();
    for list in [&item["parameters"], &item[method]["parameters"]] {
        for parameter in list.as_array().into_iter().flatten() {
            if parameter["in"] == "query" {
                names.push(parameter["name"].as_str().unwrap().to_owned());
            }
        }
    }
    names
}

#[tokio::test]
async fn every_operation_refuses_a_parameter_it_does_not_declare_and_names_those_it_does() {
    let app = TestApp::new();
    let doc = document(&app).await;
    let mut checked = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        if !template.starts_with("/api/") {
            continue; // the problem type pages are documents, not API operations
        }
        for method in item.as_object().unwrap().keys() {
            if method == "parameters" {
                continue;
            }
            let path = format!("{}?born_afer=1950&limit=2", sample_path(template));
            let verb = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
            let answer = Call::new(&app, verb.clone(), &path).send().await;
            let problem = answer.problem(400);
            conforms(&doc, &verb, template, &answer);
            let accepted = declared_query(&doc, template, method);
            let mut unknown = vec!["born_afer"];
            if !accepted.iter().any(|a| a == "limit") {
                unknown.push("limit");
            }
            assert_eq!(
                problem["unknown_parameters"],
                json!(unknown),
                "{method} {path}"
            );
            assert_eq!(
                problem["accepted_parameters"],
                json!(accepted),
                "{method} {path}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} operations");
}

#[tokio::test]
async fn declared_lengths_are_the_code_s_and_count_characters() {
    let app = TestApp::new();
    let doc = document(&app).await;
    let mut checked = 0;
    for (template, item) in doc["paths"].as_object().unwrap() {
        let Some(parameters) = item["get"]["parameters"].as_array() else {
            continue;
        };
        for parameter in parameters.iter().filter(|p| p["in"] == "query") {
            let Some(max) = parameter["schema"]["maxLength"].as_u64() else {
                continue;
            };
            let name = parameter["name"].as_str().unwrap();
            if name == "titles" {
                // Not a filter: up to 50 titles at once (their count is checked, see
                // api_integrations).
                continue;
            }
            // The text filters: one limit, the code's.
            assert_eq!(max as usize, plutarch::wiki::MAX_FILTER_CHARS, "{name}");
            let path = |n: u64| format!("{template}?{name}={}", "%C3%A9".repeat(n as usize));
            let at_most = Call::new(&app, Method::GET, &path(max)).send().await;
            assert_eq!(at_most.status.as_u16(), 200, "{name}: {max} characters");
            conforms(&doc, &Method::GET, template, &at_most);
            let over = Call::new(&app, Method::GET, &path(max + 1)).send().await;
            assert!(
                over.problem(400)["detail"].as_str().unwrap().contains(name),
                "{name}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 4, "place, occupation, organisation, category");
}

#[tokio::test]
async fn every_date_the_document_s_pattern_allows_is_read_and_others_are_refused() {
    let app = TestApp::new();
    for date in [
        "",
        "0001",
        "1944-02",
        "1944-02-30",
        "2023-02-31",
        "9999-12-31",
    ] {
        for parameter in ["born_after", "died_before"] {
            let path = format!("/api/people?{parameter}={date}");
            Call::new(&app, Method::GET, &path).send().await.ok(200);
        }
        Call::new(&app, Method::GET, &format!("/api/timeline?from={date}"))
            .send()
            .await
            .ok(200);
    }
    for date in ["0000", "1944-13", "1944-02-32", "1944-00", "1944-02-00"] {
        let path = format!("/api/people?born_after={date}");
        Call::new(&app, Method::GET, &path)
            .send()
            .await
            .problem(400);
    }
}

#[test]
fn the_title_pattern_refuses_every_character_that_shows_nothing() {
    let doc: Value =
        serde_json::from_str(include_str!("../../src/web/api/openapi.json")).expect("JSON");
    let pattern = doc["components"]["schemas"]["MoveBody"]["properties"]["to"]["pattern"]
        .as_str()
        .expect("a title pattern");
    // The excluded class, as (first, last) ranges of `\uXXXX` or `\uXXXX-\uXXXX`.
    let mut rest = pattern.rsplit("[^").next().expect("a class");
    let mut ranges = Vec::new();
    while let Some(at) = rest.find("\\u") {
        let hex = |s: &str| u32::from_str_radix(&s[..4], 16).expect("hex");
        let first = hex(&rest[at + 2..]);
        rest = &rest[at + 6..];
        let last = match rest.strip_prefix("-\\u") {
            Some(r) => {
                rest = &r[4..];
                hex(r)
            }
            None => first,
        };
        ranges.push((first, last));
    }
    let excluded = |c: char| ranges.iter().any(|&(a, b)| (a..=b).contains(&u32::from(c)));
    assert!(excluded('\u{200B}') && excluded('\u{9F}') && !excluded('K') && !excluded('é'));
    for c in (0..0x11000).filter_map(char::from_u32) {
        if plutarch::doc::chars::is_invisible(c) {
            assert!(
                excluded(c),
                "U+{:04X} is not in the title pattern",
                u32::from(c)
            );
        }
    }
}

#[test]
fn the_checker_catches_what_it_should() {
    let doc = json!({"components": {"schemas": {"N": {"type": "object", "required": ["a"], "additionalProperties": false,
        "properties": {"a": {"type": ["integer", "null"], "minimum": 0}, "b": {"enum": ["x"]}}}}}});
    let schema = json!({"$ref": "#/components/schemas/N"});
    assert!(violations(&doc, &schema, &json!({"a": 1, "b": "x"}), "$").is_empty());
    assert!(violations(&doc, &schema, &json!({"a": null}), "$").is_empty());
    assert_eq!(violations(&doc, &schema, &json!({"b": "x"}), "$").len(), 1);
    assert_eq!(violations(&doc, &schema, &json!({"a": -1}), "$").len(), 1);
    assert_eq!(violations(&doc, &schema, &json!({"a": "1"}), "$").len(), 1);
    assert_eq!(
        violations(&doc, &schema, &json!({"a": 1, "b": "y"}), "$").len(),
        1
    );
    assert_eq!(
        violations(&doc, &schema, &json!({"a": 1, "c": 1}), "$").len(),
        1
    );
    let list = json!({"type": "array", "items": {"type": "string"}});
    assert_eq!(violations(&doc, &list, &json!(["a", 1]), "$").len(), 1);
}
