//! Rendering at save (issue 20): after an edit commits, the page is rendered off the request
//! path and kept, so the first view after a save (signed in or not) comes from memory; a later
//! edit still makes that rendering stale.

use std::time::Duration;

use axum::http::StatusCode;
use plutarch::auth::Role;
use serde_json::json;

use crate::api_support::{create, latest, post, token_for};
use crate::deletion::edit;
use crate::support::{Client, PASSWORD, TestApp};

const PAGE: &str = "Wren_Hollis";

/// Waits (at most 10 s) until `n` pages in all were rendered after saves.
async fn until_rendered_at_save(app: &TestApp, n: u64) {
    for _ in 0..1000 {
        if app.state.render_counts().at_save >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "{n} renderings at save expected: {:?}",
        app.state.render_counts()
    );
}

/// The page as a signed-in reader, an anonymous one and an admin see it: each must show
/// `text`.
async fn views_show(app: &TestApp, readers: &mut [Client<'_>], text: &str) {
    for reader in readers.iter_mut() {
        let page = reader.get(&format!("/wiki/{PAGE}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(text), "signed in: {text}");
    }
    let anonymous = app.get(&format!("/wiki/{PAGE}")).await;
    assert!(anonymous.body.contains(text), "anonymous: {text}");
}

#[tokio::test]
async fn the_first_view_after_each_kind_of_save_comes_from_the_cache() {
    let app = TestApp::with_roles();
    let token = token_for(&app, "writer", Role::Editor);
    let first = create(&app, &token, PAGE, "Wren wrote almanacs.\n").await;
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    let carol = app.client().signed_in("carol", PASSWORD).await;
    let alice = app.client().signed_in("alice", PASSWORD).await;
    let mut readers = [carol, alice];
    until_rendered_at_save(&app, 1).await;
    let mut renders = 1;
    let on_request = app.state.render_counts().on_request;
    views_show(&app, &mut readers, "Wren wrote almanacs.").await;

    // An API write.
    edit(
        &app,
        &token,
        PAGE,
        first,
        "Wren wrote almanacs and tide tables.\n",
    )
    .await;
    renders += 1;
    until_rendered_at_save(&app, renders).await;
    views_show(&app, &mut readers, "tide tables").await;

    // The edit form.
    let form = bob.get(&format!("/wiki/{PAGE}/edit")).await;
    let base = form.attrs("form.edit input[name=base_revision]", "value");
    let saved = bob
        .post_form(
            &format!("/wiki/{PAGE}/edit"),
            &[
                ("csrf", &form.csrf_of("form.edit")),
                ("base_revision", &base.concat()),
                ("section", ""),
                ("markup", "Wren wrote almanacs in Bristol.\n"),
                ("summary", "where"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    renders += 1;
    until_rendered_at_save(&app, renders).await;
    views_show(&app, &mut readers, "in Bristol").await;
    let page = bob.get(&format!("/wiki/{PAGE}")).await;
    assert!(page.body.contains("in Bristol"), "the editor's own view");

    // A revert.
    post(
        &app,
        &token,
        &format!("/api/pages/{PAGE}/revert"),
        &json!({"to_revision": first}),
    )
    .await
    .ok(200);
    renders += 1;
    until_rendered_at_save(&app, renders).await;
    views_show(&app, &mut readers, "Wren wrote almanacs.").await;

    assert_eq!(
        app.state.render_counts().on_request,
        on_request,
        "every view after a save came from the renderings made at save"
    );
}

#[tokio::test]
async fn a_later_edit_makes_the_rendering_made_at_save_stale() {
    let app = TestApp::with_roles();
    let token = token_for(&app, "writer", Role::Editor);
    create(&app, &token, PAGE, "Wren wrote almanacs.\n").await;
    let carol = app.client().signed_in("carol", PASSWORD).await;
    let mut readers = [carol];
    until_rendered_at_save(&app, 1).await;
    views_show(&app, &mut readers, "Wren wrote almanacs.").await;
    // Each view right after its save, whether the rendering at save is done or not, shows that
    // save and never the text before it.
    for round in 0..5 {
        let (_, base) = latest(&app, PAGE).await;
        let text = format!("Wren wrote almanacs, edition {round}.\n");
        edit(&app, &token, PAGE, base, &text).await;
        views_show(&app, &mut readers, &format!("edition {round}")).await;
        if round > 0 {
            let anonymous = app.get(&format!("/wiki/{PAGE}")).await;
            assert!(
                !anonymous.body.contains(&format!("edition {}", round - 1)),
                "nothing stale"
            );
        }
    }
}

#[tokio::test]
async fn a_page_over_256_kib_renders_when_read_not_at_save() {
    let app = TestApp::new();
    let token = token_for(&app, "writer", Role::Editor);
    let long = "Wren wrote a long almanac.\n".repeat(11_000);
    create(&app, &token, PAGE, &long).await;
    let page = app.get(&format!("/wiki/{PAGE}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Wren wrote a long almanac."));
    // Renderings at save run in order: once the small page's is done, the long one was left.
    create(&app, &token, "Small_page", "Short.\n").await;
    until_rendered_at_save(&app, 1).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(app.state.render_counts().at_save, 1, "only the small page");
    assert_eq!(
        app.state.render_counts().on_request,
        1,
        "the long one, when read"
    );
}
