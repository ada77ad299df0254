//! Never lose what someone typed (issue 15): a save with a stale form token shows the form
//! again with the text; a save after the session ended keeps the text through signing in.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plutarch::auth::Role;

use crate::support::{Client, Page, TestApp, form_body};

const PASSWORD: &str = "correct horse battery";

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("edna", Role::Editor, PASSWORD);
    app.add_user("otto", Role::Editor, PASSWORD);
    app
}

/// The edit form's fields: (csrf, base_revision, section, markup).
fn fields(form: &Page) -> (String, String, String, String) {
    let field = |name: &str| {
        form.attrs(&format!("form.edit input[name={name}]"), "value")
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    (
        field("csrf"),
        field("base_revision"),
        field("section"),
        form.texts("form.edit textarea#markup").concat(),
    )
}

/// Opens the form for Ada Lovelace's first section after the lead.
async fn open_section(client: &mut Client<'_>) -> (String, String, String, String) {
    let page = client.get("/wiki/Ada_Lovelace").await;
    let link = page.attrs("h2 a[href*='/edit?section=']", "href")[0].clone();
    let form = client.get(&link).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    fields(&form)
}

/// Whether Ada Lovelace's page, as an anonymous reader sees it, shows `text`.
async fn ada_shows(app: &TestApp, text: &str) -> bool {
    app.get("/wiki/Ada_Lovelace").await.body.contains(text)
}

/// The same form fields with another CSRF token (the first field).
fn with_csrf<'a, const N: usize>(
    mut form: [(&'a str, &'a str); N],
    csrf: &'a str,
) -> [(&'a str, &'a str); N] {
    form[0] = ("csrf", csrf);
    form
}

/// Posts the edit form as a browser does from our page (`Sec-Fetch-Site: same-origin`), or
/// from another site.
async fn post_edit(client: &mut Client<'_>, fields: &[(&str, &str)], fetch_site: &str) -> Page {
    let request = Request::post("/wiki/Ada_Lovelace/edit")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", fetch_site)
        .body(Body::from(form_body(fields)))
        .expect("request");
    client.send(request).await
}

#[tokio::test]
async fn a_stale_form_token_shows_the_form_again_with_the_text_and_saves_nothing() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let (old_csrf, base, section, markup) = open_section(&mut edna).await;
    // Signed out and in again in another tab: a new session, a new token.
    let sign_out = edna.sign_out_token().await;
    edna.post_form("/logout", &[("csrf", &sign_out)]).await;
    let mut edna = edna.signed_in("edna", PASSWORD).await;
    let typed = format!("{markup}She kept a notebook of flying machines.\n");
    let form = [
        ("csrf", old_csrf.as_str()),
        ("base_revision", &base),
        ("section", &section),
        ("markup", &typed),
        ("summary", "Flying machines"),
        ("action", "save"),
    ];
    let again = post_edit(&mut edna, &form, "same-origin").await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(
        again
            .texts("p.banner")
            .concat()
            .contains("nothing was saved")
    );
    let (csrf, again_base, again_section, again_text) = fields(&again);
    assert_ne!(csrf, old_csrf, "a fresh token");
    assert_eq!(csrf, edna.sign_out_token().await, "the new session's token");
    assert_eq!((again_base, again_section), (base.clone(), section.clone()));
    assert_eq!(again_text, typed, "the text is kept");
    assert_eq!(
        again.attrs("form.edit input[name=summary]", "value"),
        ["Flying machines"]
    );
    assert!(!ada_shows(&app, "flying machines").await);

    let form = with_csrf(form, &csrf);
    let saved = post_edit(&mut edna, &form, "same-origin").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(ada_shows(&app, "flying machines").await);
}

/// Signs in through the form at `location` (a `/login?next=…` address) and returns the answer.
async fn sign_in_at(client: &mut Client<'_>, location: &str) -> Page {
    let login = client.get(location).await;
    assert_eq!(login.status, StatusCode::OK);
    let next = login.attrs("form.sign-in input[name=next]", "value")[0].clone();
    let csrf = login.csrf_of("form.sign-in");
    client
        .post_form(
            "/login",
            &[
                ("name", "edna"),
                ("password", PASSWORD),
                ("csrf", &csrf),
                ("next", &next),
            ],
        )
        .await
}

/// What a save after the session ended left: where it sent the browser, and the form's fields.
struct Ended {
    location: String,
    typed: String,
    base: String,
    section: String,
}

/// Opens a section's form, ends the session (expired, or ended elsewhere: the browser's cookie
/// no longer counts) and saves `sentence` added to the section, from this site.
async fn save_after_the_session_ended(client: &mut Client<'_>, sentence: &str) -> Ended {
    let (csrf, base, section, markup) = open_section(client).await;
    client.cookies.remove("plutarch_session");
    let typed = format!("{markup}{sentence}\n");
    let form = [
        ("csrf", csrf.as_str()),
        ("base_revision", &base),
        ("section", &section),
        ("markup", &typed),
        ("summary", "Flying machines"),
        ("action", "save"),
    ];
    let bounced = post_edit(client, &form, "same-origin").await;
    assert_eq!(bounced.status, StatusCode::SEE_OTHER);
    let location = bounced
        .header(header::LOCATION)
        .expect("to sign in")
        .to_owned();
    Ended {
        location,
        typed,
        base,
        section,
    }
}

#[tokio::test]
async fn a_save_after_the_session_ended_comes_back_to_the_form_after_signing_in() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let ended =
        save_after_the_session_ended(&mut edna, "She kept a notebook of flying machines.").await;
    let (location, typed) = (ended.location.clone(), ended.typed.clone());
    let (base, section) = (ended.base.clone(), ended.section.clone());
    let form = [
        ("csrf", ""),
        ("base_revision", base.as_str()),
        ("section", &section),
        ("markup", &typed),
        ("summary", "Flying machines"),
        ("action", "save"),
    ];
    assert!(location.starts_with("/login?next="), "{location}");
    assert!(edna.cookies.contains_key("plutarch_draft"));
    let login = edna.get(&location).await;
    assert!(
        login
            .texts("p.error")
            .concat()
            .contains("your text is kept")
    );

    // Meanwhile someone else changes the same section.
    let mut otto = app.client().signed_in("otto", PASSWORD).await;
    let (otto_csrf, otto_base, otto_section, otto_markup) = open_section(&mut otto).await;
    let otto_saved = otto
        .post_form(
            "/wiki/Ada_Lovelace/edit",
            &[
                ("csrf", &otto_csrf),
                ("base_revision", &otto_base),
                ("section", &otto_section),
                (
                    "markup",
                    &otto_markup.replacen("\n", "\nOtto was here first.\n", 1),
                ),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(otto_saved.status, StatusCode::SEE_OTHER);
    // Otto cannot get edna's text, even by asking for a draft.
    let otto_form = otto.get("/wiki/Ada_Lovelace/edit?draft=kept").await;
    assert!(!otto_form.body.contains("flying machines"));

    let signed_in = sign_in_at(&mut edna, &location).await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.body
    );
    let back = signed_in.header(header::LOCATION).expect("back").to_owned();
    assert_eq!(back, "/wiki/Ada_Lovelace/edit?draft=kept");
    let resumed = edna.get(&back).await;
    assert_eq!(resumed.status, StatusCode::OK);
    assert!(
        resumed
            .texts("p.banner")
            .concat()
            .contains("nothing was saved")
    );
    let (new_csrf, resumed_base, resumed_section, resumed_text) = fields(&resumed);
    assert_eq!(
        (resumed_base, resumed_section),
        (base.clone(), section.clone())
    );
    assert_eq!(resumed_text, typed);
    assert_eq!(new_csrf, edna.sign_out_token().await);
    assert!(
        !edna.cookies.contains_key("plutarch_draft"),
        "given back once"
    );
    assert!(!ada_shows(&app, "flying machines").await);

    // Saving meets Otto's change: the usual conflict, with edna's text kept.
    let form = with_csrf(form, &new_csrf);
    let conflict = post_edit(&mut edna, &form, "same-origin").await;
    assert_eq!(conflict.status, StatusCode::CONFLICT, "{}", conflict.body);
    assert_eq!(fields(&conflict).3, typed);
    assert_eq!(fields(&conflict).2, section);

    // The draft is gone once given back.
    let again = edna.get(&back).await;
    assert!(!again.body.contains("flying machines"));
}

#[tokio::test]
async fn a_post_from_another_site_leaves_no_draft() {
    let app = app();
    let mut browser = app.client();
    let form = [
        ("csrf", "whatever"),
        ("markup", "Planted text"),
        ("action", "save"),
    ];
    let bounced = post_edit(&mut browser, &form, "cross-site").await;
    assert_eq!(bounced.status, StatusCode::SEE_OTHER);
    assert_eq!(
        bounced.header(header::LOCATION),
        Some("/login?next=/wiki/Ada_Lovelace/edit")
    );
    assert!(!browser.cookies.contains_key("plutarch_draft"));
}

#[tokio::test]
async fn a_stale_token_from_another_site_fills_no_form() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let form = [
        ("csrf", "not the session's token"),
        ("markup", "Planted text"),
        ("action", "save"),
    ];
    let refused = post_edit(&mut edna, &form, "cross-site").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(!refused.body.contains("Planted text"), "{}", refused.body);
    assert!(
        refused
            .attrs("form.edit input[name=csrf]", "value")
            .is_empty()
    );
}

#[tokio::test]
async fn a_section_preview_resolves_a_named_footnote_defined_in_another_section() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let create = edna.get("/wiki/Mary_Somerville/edit").await;
    let saved = edna
        .post_form(
            "/wiki/Mary_Somerville/edit",
            &[
                ("csrf", &create.csrf_of("form.edit")),
                (
                    "markup",
                    "Mary Somerville was a writer.<ref name=\"toole\">Toole, Science, 1992.</ref>\n\n\
                     == Later life ==\nShe moved to Italy.<ref name=\"toole\" />\n\n\
                     == References ==\n<references />\n",
                ),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = edna.get("/wiki/Mary_Somerville").await;
    let link = page.attrs("h2 a[href*='/edit?section=']", "href")[0].clone();
    let form = edna.get(&link).await;
    let (csrf, base, section, markup) = fields(&form);
    assert!(markup.starts_with("== Later life =="), "{markup}");
    let preview = edna
        .post_form(
            "/wiki/Mary_Somerville/edit",
            &[
                ("csrf", &csrf),
                ("base_revision", &base),
                ("section", &section),
                ("markup", &format!("{markup}She wrote on physics.\n")),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK);
    let shown = preview.texts(".preview").concat();
    assert!(shown.contains("Toole, Science, 1992."), "{shown}");
    assert!(!shown.contains("Footnote without content"), "{shown}");
}

#[tokio::test]
async fn on_a_private_wiki_an_ended_session_keeps_the_text_too() {
    let app = TestApp::with_settings(plutarch::web::Settings {
        read_access: plutarch::auth::ReadAccess::Users,
        ..plutarch::web::Settings::default()
    });
    app.add_user("edna", Role::Editor, PASSWORD);
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let ended = save_after_the_session_ended(&mut edna, "Private words.").await;
    let (location, typed, section) = (ended.location, ended.typed, ended.section);
    // The page itself stays closed to anonymous readers.
    assert_eq!(
        edna.get("/wiki/Ada_Lovelace").await.status,
        StatusCode::SEE_OTHER
    );
    let signed_in = sign_in_at(&mut edna, &location).await;
    let back = signed_in.header(header::LOCATION).expect("back").to_owned();
    let resumed = edna.get(&back).await;
    assert_eq!(fields(&resumed).3, typed);
    assert_eq!(fields(&resumed).2, section);
}
