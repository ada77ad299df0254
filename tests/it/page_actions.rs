//! Moving and deleting pages through the web forms: editors move (protected pages: admins),
//! admins delete and undelete, every post needs its CSRF token, and refusals change nothing.

use axum::http::StatusCode;
use plutarch::auth::Role;

use crate::support::{Client, TestApp};

const PASSWORD: &str = "correct horse battery";

fn app() -> TestApp {
    let app = TestApp::new();
    app.add_user("ada", Role::Admin, PASSWORD);
    app.add_user("edna", Role::Editor, PASSWORD);
    app.add_user("rita", Role::Reader, PASSWORD);
    app
}

async fn move_page(client: &mut Client<'_>, from: &str, to: &str) -> crate::support::Page {
    let form = client.get(&format!("/wiki/{from}/move")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let csrf = form.csrf_of("form.move-page");
    client
        .post_form(
            &format!("/wiki/{from}/move"),
            &[("csrf", &csrf), ("to", to), ("summary", "a better title")],
        )
        .await
}

#[tokio::test]
async fn an_editor_moves_a_page_and_the_old_title_redirects_to_it() {
    let app = app();
    let before = app.get("/wiki/Mary_Seacole").await;
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let moved = move_page(&mut edna, "Mary_Seacole", "Mary Jane Seacole").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    assert_eq!(
        moved.header(axum::http::header::LOCATION),
        Some("/wiki/Mary_Jane_Seacole")
    );

    let new = app.get("/wiki/Mary_Jane_Seacole").await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(
        new.texts("#content p").first(),
        before.texts("#content p").first(),
        "the text moved with the page"
    );
    let old = app.get("/wiki/Mary_Seacole").await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(old.body.contains("Redirected from"), "{}", old.body);
    let history = app.get("/wiki/Mary_Jane_Seacole/history").await;
    let summaries = history.texts("table.history tbody td").concat();
    assert!(summaries.contains("a better title"), "{summaries}");
    assert!(
        history.texts("table.history tbody tr").len() >= 2,
        "the history came along"
    );
}

#[tokio::test]
async fn a_move_onto_a_taken_or_invalid_title_is_refused_and_changes_nothing() {
    let app = app();
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let taken = move_page(&mut edna, "Mary_Seacole", "Alan Turing").await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.texts(".problem").concat().contains("Alan Turing"));
    assert_eq!(
        taken.attrs("input[name=to]", "value"),
        ["Alan Turing"],
        "the typed title is kept"
    );
    let invalid = move_page(&mut edna, "Mary_Seacole", "Bad [title]").await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!invalid.texts(".problem").is_empty());
    assert_eq!(app.get("/wiki/Mary_Seacole").await.status, StatusCode::OK);
    let turing = app.get("/wiki/Alan_Turing").await;
    assert!(!turing.body.contains("Redirected from"));
}

#[tokio::test]
async fn readers_anonymous_visitors_and_forged_posts_cannot_move_or_delete() {
    let app = app();
    let anonymous = app.get("/wiki/Mary_Seacole/move").await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "to the sign-in page"
    );

    let mut rita = app.client().signed_in("rita", PASSWORD).await;
    assert_eq!(
        rita.get("/wiki/Mary_Seacole/move").await.status,
        StatusCode::FORBIDDEN
    );
    let csrf = rita.sign_out_token().await;
    let refused = rita
        .post_form(
            "/wiki/Mary_Seacole/move",
            &[("csrf", &csrf), ("to", "Someone Else")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    let forged = edna
        .post_form(
            "/wiki/Mary_Seacole/move",
            &[("csrf", "forged"), ("to", "Someone Else")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        edna.get("/wiki/Mary_Seacole/delete").await.status,
        StatusCode::FORBIDDEN,
        "editors do not delete"
    );
    let csrf = edna.sign_out_token().await;
    let refused = edna
        .post_form("/wiki/Mary_Seacole/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let mut ada = app.client().signed_in("ada", PASSWORD).await;
    let forged = ada
        .post_form("/wiki/Mary_Seacole/delete", &[("csrf", "forged")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    assert_eq!(app.get("/wiki/Mary_Seacole").await.status, StatusCode::OK);
    assert_eq!(
        app.get("/wiki/Someone_Else").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn only_admins_move_a_protected_page() {
    let app = app();
    let mut ada = app.client().signed_in("ada", PASSWORD).await;
    let csrf = ada.sign_out_token().await;
    let protected = ada
        .post_form(
            "/wiki/Mary_Seacole/protect",
            &[("csrf", &csrf), ("protected", "on"), ("reason", "")],
        )
        .await;
    assert_eq!(protected.status, StatusCode::SEE_OTHER);
    let mut edna = app.client().signed_in("edna", PASSWORD).await;
    assert_eq!(
        edna.get("/wiki/Mary_Seacole/move").await.status,
        StatusCode::FORBIDDEN
    );
    let moved = move_page(&mut ada, "Mary_Seacole", "Mary Seacole (nurse)").await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
}

#[tokio::test]
async fn an_admin_deletes_a_page_and_brings_it_back() {
    let app = app();
    let mut ada = app.client().signed_in("ada", PASSWORD).await;
    let history = ada.get("/wiki/Mary_Seacole/history").await;
    assert_eq!(
        history.attrs(".page-admin a", "href"),
        ["/wiki/Mary_Seacole/delete"]
    );
    let in_search = |hits: &[String]| hits.iter().any(|h| h.starts_with("/wiki/Mary_Seacole"));
    let hits = app
        .get("/search?q=Crimea")
        .await
        .attrs(".search-hits a", "href");
    assert!(in_search(&hits), "found before: {hits:?}");
    let form = ada.get("/wiki/Mary_Seacole/delete").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf_of("form.delete-page");
    let deleted = ada
        .post_form(
            "/wiki/Mary_Seacole/delete",
            &[("csrf", &csrf), ("reason", "copied from elsewhere")],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);

    let gone = app.get("/wiki/Mary_Seacole").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(gone.texts(".missing").concat().contains("was deleted"));
    assert!(
        gone.texts("form.undelete-page").is_empty(),
        "not for anonymous readers"
    );
    let hits = app
        .get("/search?q=Crimea")
        .await
        .attrs(".search-hits a", "href");
    assert!(!in_search(&hits), "left search: {hits:?}");

    let gone = ada.get("/wiki/Mary_Seacole").await;
    let csrf = gone.csrf_of("form.undelete-page");
    let back = ada
        .post_form(
            "/wiki/Mary_Seacole/undelete",
            &[("csrf", &csrf), ("reason", "it was ours")],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/wiki/Mary_Seacole").await.status, StatusCode::OK);

    let log = app.audit_actions();
    assert!(log.contains(&(
        "page deleted".to_owned(),
        "Mary Seacole".to_owned(),
        "copied from elsewhere".to_owned()
    )));
    assert!(log.contains(&(
        "page undeleted".to_owned(),
        "Mary Seacole".to_owned(),
        "it was ours".to_owned()
    )));
}
