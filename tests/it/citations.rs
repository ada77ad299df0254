//! Citations of stored sources (issue 13): the three ways to cite, the references list, the
//! source page's **Cited by** and how to cite it, and the backfill of an older database.

use plutarch::store::sources::{self, SourceRow};
use plutarch::store::{Db, pages};

use crate::api_support::{create, editor, latest, put};
use crate::support::TestApp;

const BLOG_URL: &str = "https://blog.example.org/2018/willsman";

const BLOG: &str = "Willsman points at the embassy\n\n\
    Pete Willsman told the meeting: \u{201c}I think the embassy is behind it.\u{201d}\n\n\
    Please donate to keep this blog going.\n";

/// `Source:Willsman blog` (a blog, with a URL) and `Source:Evening News` (news), with metadata.
async fn sources(app: &TestApp, token: &str) {
    create(app, token, "Source:Willsman_blog", BLOG).await;
    create(
        app,
        token,
        "Source:Evening_News",
        "The executive met on Monday.\n",
    )
    .await;
    describe(
        &app.db,
        "Source:Willsman blog",
        Some(BLOG_URL),
        "The Example Blog",
        "blog",
    );
    describe(&app.db, "Source:Evening News", None, "Evening News", "news");
}

pub(crate) fn describe(db: &Db, title: &str, url: Option<&str>, publisher: &str, kind: &str) {
    db.write_blocking(|conn| {
        let page = pages::by_title(conn, title)?.expect("the source page");
        sources::set(
            conn,
            page.id,
            &SourceRow {
                url: url.map(str::to_owned),
                publisher: Some(publisher.to_owned()),
                date: Some("2018-08".to_owned()),
                kind: Some(kind.to_owned()),
                kind_note: None,
                imported_at: "2024-01-01T00:00:00Z".to_owned(),
            },
        )
    })
    .expect("set the metadata");
}

const ARTICLE: &str = "'''Rowan Vale''' (born 1944) is a British activist.\
<ref source=\"Source:Evening News\">p. 2</ref>\n\n\
== Allegations ==\n\
In July 2018 Vale said \u{201c}the embassy is behind it\u{201d}.\
<ref>[[Source:Willsman blog|the blog]]</ref> \
He said it again later.<ref>{{cite web |url=https://blog.example.org/2018/willsman |title=Post}}</ref> \
He denied the rest.<ref>{{cite web |url=https://elsewhere.example.org/ |title=Other}}</ref>\n\n\
== References ==\n<references />\n";

#[tokio::test]
async fn the_three_ways_to_cite_bind_to_sources_shown_in_the_references_and_cited_by() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    create(&app, &token, "Rowan_Vale", ARTICLE).await;

    let article = app.get("/wiki/Rowan_Vale").await;
    assert_eq!(article.status, 200);
    assert_eq!(
        article.attrs("ol.references span.cited-source a", "href"),
        [
            "/wiki/Source:Evening_News",
            "/wiki/Source:Willsman_blog",
            "/wiki/Source:Willsman_blog"
        ],
        "the fourth reference cites a URL no source has"
    );
    assert_eq!(
        article.texts("ol.references .source-kind"),
        ["news", "blog", "blog"]
    );
    assert_eq!(
        article.texts("ol.references .source-publisher"),
        ["Evening News", "The Example Blog", "The Example Blog"]
    );
    assert_eq!(
        article.texts("ol.references strong.weak-source-note"),
        ["Weak source: blog", "Weak source: blog"]
    );
    assert_eq!(
        article.attrs("sup.reference.weak-source", "id"),
        ["cite_ref-2-0", "cite_ref-3-0"],
        "the blog's citations are marked where they stand"
    );

    let blog = app.get("/wiki/Source:Willsman_blog").await;
    assert_eq!(
        blog.texts("section.cited-by li q"),
        [
            "In July 2018 Vale said \u{201c}the embassy is behind it\u{201d}.",
            "He said it again later."
        ]
    );
    assert_eq!(
        blog.attrs("section.cited-by li a", "href"),
        [
            "/wiki/Rowan_Vale#Allegations",
            "/wiki/Rowan_Vale#Allegations"
        ]
    );
    assert_eq!(
        blog.attrs("input#how-to-cite", "value"),
        ["<ref source=\"Source:Willsman blog\">page or quotation</ref>"]
    );
    let news = app.get("/wiki/Source:Evening_News").await;
    assert_eq!(
        news.texts("section.cited-by li q"),
        ["Rowan Vale (born 1944) is a British activist."]
    );
    assert_eq!(
        news.attrs("section.cited-by li a", "href"),
        ["/wiki/Rowan_Vale"]
    );

    // The article stops citing the blog: the blog's page (cached) says so at once.
    let (_, revision) = latest(&app, "Rowan_Vale").await;
    let body = serde_json::json!({
        "markup": "'''Rowan Vale''' is an activist.\n",
        "base_revision": revision,
        "summary": "cut",
    });
    put(&app, &token, "/api/pages/Rowan_Vale", &body)
        .await
        .ok(200);
    let blog = app.get("/wiki/Source:Willsman_blog").await;
    assert!(blog.texts("section.cited-by li").is_empty());
    assert!(blog.body.contains("No page cites this source yet."));
}

#[tokio::test]
async fn a_moved_source_is_still_cited_through_its_redirect() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    create(&app, &token, "Rowan_Vale", ARTICLE).await;
    let moved = crate::api_support::post(
        &app,
        &token,
        "/api/pages/Source:Evening_News/move",
        &serde_json::json!({"to": "Source:The Evening News", "summary": "full name"}),
    )
    .await;
    assert_eq!(moved.status, 200, "{:?}", moved.json());
    let news = app.get("/wiki/Source:The_Evening_News").await;
    assert_eq!(
        news.texts("section.cited-by li q"),
        ["Rowan Vale (born 1944) is a British activist."]
    );
    let article = app.get("/wiki/Rowan_Vale").await;
    assert_eq!(
        article.attrs("ol.references span.cited-source a", "href")[0],
        "/wiki/Source:The_Evening_News"
    );
}

#[tokio::test]
async fn a_database_at_the_previous_schema_gets_its_citations_at_start() {
    let app = TestApp::new();
    let token = editor(&app);
    sources(&app, &token).await;
    create(&app, &token, "Rowan_Vale", ARTICLE).await;
    // Make it the database today's main leaves (schema 14): no citation tables.
    app.db
        .write_blocking(|conn| {
            conn.execute_batch(
                "DROP TABLE citations; DROP TABLE citation_index; DROP INDEX sources_by_url;
                 DROP TABLE mentions; DROP TABLE mention_index; DROP TABLE source_search_index;
                 DROP INDEX pages_by_title_nocase;
                 DROP INDEX revisions_by_author; DROP TABLE watches; DROP TABLE watchlist_feeds;
                 DROP INDEX revisions_by_author_name; DROP INDEX revisions_edited;
                 ALTER TABLE revisions DROP COLUMN imported;
                 ALTER TABLE revisions DROP COLUMN author_name;
                 DROP INDEX revisions_by_sha256; DROP INDEX pages_by_redirect;
                 DROP TABLE file_thumbnails; DROP TABLE file_versions; DROP TABLE file_blobs;
                 ALTER TABLE deleted_pages DROP COLUMN reason_private;
                 DROP TABLE transclusions;
                 PRAGMA user_version = 14;",
            )
            .map_err(plutarch::store::StoreError::from)
        })
        .expect("made old");
    // What every start runs: the migrations, then the backfills (`TestApp::at`).
    let reopened = TestApp::at(app.db.path(), plutarch::web::Settings::default());
    let blog = reopened.get("/wiki/Source:Willsman_blog").await;
    assert_eq!(blog.texts("section.cited-by li q").len(), 2);
    assert_eq!(
        plutarch::wiki::citations::backfill(&reopened.db).expect("backfill"),
        0,
        "once"
    );
}
