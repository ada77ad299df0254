//! The seed documents end to end through the router (issue 13): the seed article imported as a
//! page and the seed blog post as a `blog` source (the library's import, as `plutarch import`
//! runs it), a redirect for the short name, and a sentence of our own in "Antisemitism
//! allegations" citing the blog with one quotation that is in it and one that is not; then the
//! people list, both timelines, the info view, the source page and the API.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::api_support::{create, editor, get, latest, put};
use crate::mentions::run_jobs;
use crate::support::TestApp;
use plutarch::wiki::transfer::{self, ImportResult};

/// The quotation of our sentence that is in the blog post (outside its donation appeal).
pub(crate) const IN_THE_BLOG: &str = "a list of MPs that I suggest you take down";
/// The quotation of our sentence that is not.
pub(crate) const NOT_IN_THE_BLOG: &str = "never jumped to conclusions";
/// Where the seed article says he was expelled: our sentence goes after it.
const ANCHOR: &str = "In late 2022, Willsman was expelled from the Labour Party.";

/// The seed documents, or `None` (with the reason printed) when `../shared/seeds` is absent.
pub(crate) fn seeds() -> Option<(PathBuf, PathBuf)> {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let article = seeds.join("biography-article.wiki");
    let blog = seeds.join("source-blog-post.txt");
    if !(article.is_file() && blog.is_file()) {
        eprintln!("skipped: ../shared/seeds (the seed article and blog post) is absent");
        return None;
    }
    Some((article, blog))
}

/// The seed article with our sentence citing `source` after the expulsion.
pub(crate) fn with_citation(article: &str, source: &str) -> String {
    let sentence = format!(
        " A blog post on the affair quoted Shai Masot offering \"{IN_THE_BLOG}\" and said \
         Willsman had \u{201c}{NOT_IN_THE_BLOG}\u{201d}.<ref source=\"{source}\">blog post</ref>"
    );
    assert!(article.contains(ANCHOR), "the seed article changed");
    article.replacen(ANCHOR, &format!("{ANCHOR}{sentence}"), 1)
}

/// Imports `file` (as a source of `kind` when given) and returns the title it was saved under.
fn import(app: &TestApp, file: &Path, kind: Option<&str>) -> String {
    let author = transfer::author_id(&app.db, "editor")
        .expect("read")
        .expect("the editor");
    let meta = kind.map(|k| {
        plutarch::wiki::sources::SourceMeta::new(None, Some("Labour Heartlands"), None, Some(k))
            .expect("metadata")
    });
    let mut title = None;
    transfer::import(
        &app.db,
        &[file.to_path_buf()],
        author,
        "Imported",
        meta.as_ref()
            .map(|meta| transfer::AsSource { meta, title: None }),
        &mut |_, result| {
            if let ImportResult::Created(t) | ImportResult::Updated(t) = result {
                title = Some(t.clone());
            }
        },
    )
    .expect("import");
    title.expect("imported")
}

fn url_of(title: &str) -> String {
    title.replace(' ', "_")
}

#[tokio::test]
async fn the_seed_article_cites_the_seed_blog_with_a_quotation_in_it_and_one_not() {
    let Some((article_path, blog_path)) = seeds() else {
        return;
    };
    let app = TestApp::new();
    let token = editor(&app);
    let article = std::fs::read_to_string(&article_path).expect("seed article");
    let blog = std::fs::read_to_string(&blog_path).expect("seed blog");
    assert_eq!(import(&app, &article_path, None), "Peter Willsman");
    let source = import(&app, &blog_path, Some("blog"));
    assert!(source.starts_with("Source:"), "{source}");
    create(
        &app,
        &token,
        "Pete_Willsman",
        "#REDIRECT [[Peter Willsman]]\n",
    )
    .await;
    let (_, revision) = latest(&app, "Peter_Willsman").await;
    put(
        &app,
        &token,
        "/api/pages/Peter_Willsman",
        &serde_json::json!({"markup": with_citation(&article, &source), "base_revision": revision}),
    )
    .await
    .ok(200);
    run_jobs(&app).await;

    // The people list and both timelines.
    assert!(app.get("/people").await.body.contains("Peter Willsman"));
    assert!(app.get("/timeline").await.body.contains("Peter Willsman"));
    let timeline = get(&app, "/api/pages/Peter_Willsman/timeline?limit=100")
        .await
        .ok(200);
    assert!(timeline["events"].as_array().unwrap().len() >= 10);
    assert_eq!(app.get("/wiki/Peter_Willsman/timeline").await.status, 200);

    // The facts.
    let facts = get(&app, "/api/pages/Peter_Willsman/facts").await.ok(200);
    assert_eq!(facts["person"], true);
    assert_eq!(facts["facts"]["birth_date"]["text"], "February 1944");

    // The citations: the quotation in the blog is found there, the other is not.
    let report = get(&app, "/api/pages/Peter_Willsman/citations")
        .await
        .ok(200);
    assert_eq!(report["living"], true);
    let cited: Vec<&Value> = report["references"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["source"] == source.as_str())
        .collect();
    assert_eq!(cited.len(), 1, "{report}");
    let cite = cited[0];
    assert_eq!(cite["section"]["heading"], "Antisemitism allegations");
    assert_eq!(
        (&cite["kind"], &cite["weak"]),
        (&"blog".into(), &true.into())
    );
    let quotations = cite["quotations"].as_array().unwrap();
    assert_eq!(quotations.len(), 2);
    assert_eq!(quotations[0]["quotation"], IN_THE_BLOG);
    assert_eq!(quotations[0]["found"], true);
    let span = quotations[0]["span"].as_array().unwrap();
    let (a, b) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
    assert_eq!(&blog[a as usize..b as usize], IN_THE_BLOG);
    assert_eq!(quotations[1]["quotation"], NOT_IN_THE_BLOG);
    assert_eq!(quotations[1]["found"], false);
    let weak: Vec<&str> = report["weak_claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["sentence"].as_str().unwrap())
        .collect();
    assert_eq!(weak.len(), 1, "{weak:?}");
    assert!(weak[0].starts_with("A blog post on the affair"));

    // The info view: the quotation not found first, then the weak claim, then the facts.
    let info = app.get("/wiki/Peter_Willsman/info").await;
    assert_eq!(
        info.texts("section.quotations-not-found li q"),
        [NOT_IN_THE_BLOG]
    );
    assert_eq!(info.texts("section.weak-claims li q").len(), 1);
    let body = &info.body;
    let first = body.find("quotations-not-found").expect("shown");
    assert!(first < body.find("weak-claims").expect("shown"));
    assert!(body.find("weak-claims") < body.find("<h2>Facts</h2>"));
    assert!(
        info.attrs("ul.quotation-check li.quotation-found a", "href")
            .contains(&format!("/wiki/{}", url_of(&source)))
    );
    assert!(
        info.body
            .contains("href=\"/wiki/Peter_Willsman#Antisemitism%5Fallegations\"")
    );

    // The source page: cited by the article's section, mentioning him (through the redirect).
    let page = app.get(&format!("/wiki/{}", url_of(&source))).await;
    assert_eq!(page.status, 200);
    let citing = page.texts("section.cited-by li q");
    assert_eq!(citing.len(), 1);
    assert!(citing[0].contains(IN_THE_BLOG));
    assert!(
        page.texts("section.cited-by li a")[0].contains("Antisemitism allegations"),
        "the section"
    );
    let mentions = get(&app, &format!("/api/pages/{}/mentions", url_of(&source)))
        .await
        .ok(200);
    assert_eq!(mentions["mentions"][0]["person"], "Peter Willsman");
    assert_eq!(mentions["mentions"][0]["count"], 5, "as Peter and as Pete");
}
