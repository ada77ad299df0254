//! Namespaces through the router: titles written any way reach the canonical page, localised
//! category links fill the category, and the API says which namespace a page is in.

use plutarch::auth::Role;

use crate::api_support::{create, get, token_for};
use crate::support::TestApp;

#[tokio::test]
async fn localised_and_lower_case_prefixes_reach_the_canonical_pages() {
    let app = TestApp::new();
    let token = token_for(&app, "editor", Role::Editor);
    create(&app, &token, "talk:ada", "Was she the first programmer?").await;
    create(
        &app,
        &token,
        "Ada",
        "Ada was a poet's daughter. [[Kategorie:Mathematicians]] [[talk:ada|Talk]]",
    )
    .await;

    let talk = get(&app, "/api/pages/Talk:Ada").await.ok(200);
    assert_eq!(talk["title"], "Talk:Ada");
    assert_eq!(talk["namespace"], 1);
    let ada = get(&app, "/api/pages/Ada").await.ok(200);
    assert_eq!(ada["namespace"], 0);

    // `[[Kategorie:…]]` is a category: its page lists Ada, and its title written any other
    // way is sent there.
    let page = app.get("/wiki/Category:Mathematicians").await;
    assert_eq!(page.status, 200);
    assert!(
        !page.texts("a[href='/wiki/Ada']").is_empty(),
        "{}",
        page.body
    );
    for path in [
        "/wiki/kategorie:Mathematicians",
        "/wiki/CAT%C3%89GORIE:_mathematicians",
    ] {
        let page = app.get(path).await;
        assert_eq!(page.status, 308, "{path}");
        assert_eq!(
            page.header(axum::http::header::LOCATION),
            Some("/wiki/Category:Mathematicians"),
            "{path}"
        );
    }
    // And not a link: it is not a wanted page, and Ada links to her talk page, which exists.
    let links = get(&app, "/api/pages/Ada/links").await.ok(200);
    let links = links.to_string();
    assert!(!links.contains("Kategorie"), "{links}");
    assert!(links.contains("Talk:Ada"), "{links}");
}
