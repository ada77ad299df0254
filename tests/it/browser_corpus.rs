//! Issue 14 in the browser: five biographies of the Wikipedia corpus (`../shared/corpus`)
//! imported with `plutarch import` and looked at at 1280 px against Wikipedia's conventions
//! (the checklist in the README's development section): the infobox floats right beside the
//! lead, citations are upright, hatnotes stand on lines of their own, navigation boxes come in
//! one box at the end, before the categories, figures are framed with their captions, and no
//! placeholder of an unknown template shows. Screenshots of each page's top and end are kept
//! as `test-artifacts/corpus-*-1280px.png`.

use std::path::Path;

use fantoccini::{Client, Locator};

use crate::browser_support::Browser;
use crate::server::Server;

/// The five biographies (file names in `../shared/corpus/wikipedia/` without `.txt`), and
/// what each shows beside its infobox: a hatnote, a figure in the text, navigation boxes.
const BIOGRAPHIES: [(&str, Shows); 5] = [
    (
        "Harry-McPherson",
        Shows {
            hatnote: true,
            figure: false,
            navboxes: true,
        },
    ),
    (
        "al_Haytham",
        Shows {
            hatnote: true,
            figure: true,
            navboxes: true,
        },
    ),
    (
        "Allen-R.-Morris",
        Shows {
            hatnote: false,
            figure: true,
            navboxes: false,
        },
    ),
    (
        "Britt-Morgan",
        Shows {
            hatnote: true,
            figure: false,
            navboxes: true,
        },
    ),
    (
        "Elizabeth-Gilbert",
        Shows {
            hatnote: false,
            figure: false,
            navboxes: true,
        },
    ),
];

struct Shows {
    hatnote: bool,
    figure: bool,
    navboxes: bool,
}

/// A number the page's script answers.
async fn number(client: &Client, script: &str) -> f64 {
    client
        .execute(script, vec![])
        .await
        .expect("script")
        .as_f64()
        .unwrap_or(f64::NAN)
}

/// A string the page's script answers.
async fn string(client: &Client, script: &str) -> String {
    client
        .execute(script, vec![])
        .await
        .expect("script")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// How many elements match `css`.
async fn count(client: &Client, css: &str) -> usize {
    client
        .find_all(Locator::Css(css))
        .await
        .expect("find")
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn five_corpus_biographies_look_as_wikipedia_draws_them() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wikipedia");
    if !corpus.is_dir() {
        eprintln!("skipped: ../shared/corpus/wikipedia (the Wikipedia corpus) is absent");
        return;
    }
    let Some(browser) = Browser::start().await else {
        return;
    };
    use crate::import_export::{plutarch, run, stderr};
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("corpus.db");
    let files: Vec<_> = BIOGRAPHIES
        .iter()
        .map(|(name, _)| corpus.join(format!("{name}.txt")))
        .collect();
    let imported = run(plutarch(&db).arg("import").args(&files));
    assert!(imported.status.success(), "{}", stderr(&imported));
    let server = Server::start(&db);
    let base = format!("http://{}", server.addr);
    let c = &browser.client;
    c.set_window_size(1280, 1000).await.expect("window size");

    for (name, shows) in &BIOGRAPHIES {
        c.goto(&format!("{base}/wiki/{name}")).await.expect(name);
        let page = format!("{name}: ");
        assert_eq!(count(c, "article.page").await, 1, "{page}the article");
        assert_eq!(
            count(c, ".template-placeholder").await,
            0,
            "{page}no unknown template shows"
        );
        // The infobox floats right, beside the lead, titled.
        assert_eq!(count(c, "table.infobox").await, 1, "{page}one infobox");
        let float = string(
            c,
            "return getComputedStyle(document.querySelector('table.infobox')).float;",
        )
        .await;
        assert_eq!(float, "right", "{page}the infobox floats right");
        let right_edge = number(
            c,
            "const a = document.querySelector('article.page').getBoundingClientRect();\
             const b = document.querySelector('table.infobox').getBoundingClientRect();\
             return a.right - b.right;",
        )
        .await;
        assert!(
            right_edge.abs() < 40.0,
            "{page}the infobox stands at the right: {right_edge}"
        );
        // Citations are upright (Wikipedia's style: titles in quotes, works in italics).
        let italic = number(
            c,
            "return [...document.querySelectorAll('cite.citation')]\
             .filter(e => getComputedStyle(e).fontStyle !== 'normal').length;",
        )
        .await;
        assert_eq!(italic, 0.0, "{page}citations are upright");
        if shows.hatnote {
            let display = string(
                c,
                "return getComputedStyle(document.querySelector('.hatnote')).display;",
            )
            .await;
            assert_eq!(display, "block", "{page}a hatnote is a line of its own");
        }
        if shows.figure {
            assert!(
                count(c, "article.page .figure").await > 0,
                "{page}figures are drawn as figures"
            );
            assert!(
                count(c, "article.page .figure .figure-caption").await > 0,
                "{page}with their captions"
            );
        }
        // Navigation boxes: one box, after the text, before the categories.
        if shows.navboxes {
            assert_eq!(
                count(c, "details.navboxes").await,
                1,
                "{page}one navigation box"
            );
            let order = number(
                c,
                "const n = document.querySelector('details.navboxes');\
                 const k = document.querySelector('.catlinks');\
                 const r = document.querySelector('ol.references');\
                 if (!k) return 1;\
                 return (n.compareDocumentPosition(k) & Node.DOCUMENT_POSITION_FOLLOWING) &&\
                        (!r || (r.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)) ? 1 : 0;",
            )
            .await;
            assert_eq!(
                order, 1.0,
                "{page}the box comes after the references, before the categories"
            );
        }
        c.execute("window.scrollTo(0, 0);", vec![])
            .await
            .expect("scroll");
        browser.screenshot(&format!("corpus-{name}-1280px")).await;
        c.execute("window.scrollTo(0, document.body.scrollHeight);", vec![])
            .await
            .expect("scroll");
        browser
            .screenshot(&format!("corpus-{name}-end-1280px"))
            .await;
    }

    browser.close().await;
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
}
