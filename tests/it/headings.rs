//! A heading line led by a comment (`<!-- note -->== Career ==`) on a saved page, through the
//! real page view (issue 14): as in MediaWiki, a heading with its anchor and a table of
//! contents entry but no `[edit]` link; the page's sections (the sections API, section edits)
//! stay those of its own heading lines, the comment-led one inside the section before it.

use axum::http::StatusCode;

use crate::support::{PASSWORD, TestApp};
use crate::templates::edit;

const PAGE: &str = "Lead.\n== Early life ==\nBorn.\n<!-- note -->== Career ==\nWorked.\n\
                    == Family ==\nMarried.\n== Death ==\nDied.\n";

#[tokio::test]
async fn a_comment_led_heading_has_an_anchor_and_a_contents_entry_but_no_edit_link() {
    let app = TestApp::with_roles();
    let mut bob = app.client().signed_in("bob", PASSWORD).await;
    // The same text alone, and with a template call (the page view expands it first, and
    // expansion drops the comment).
    let with_call = PAGE.replace("Worked.", "Worked {{#expr: 6*7}} years.");
    for (title, markup) in [("Ada", PAGE), ("Bea", with_call.as_str())] {
        edit(&app, &mut bob, title, markup).await;
        let page = bob.get(&format!("/wiki/{title}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert_eq!(
            page.attrs("div.mw-parser-output > h2", "id"),
            ["Early_life", "Career", "Family", "Death"],
            "{title}"
        );
        let edits: Vec<String> = page
            .attrs(".mw-editsection a", "href")
            .into_iter()
            .filter(|href| href.contains("/edit?"))
            .collect();
        // Three sections, three edit links (stable section ids in the URLs).
        assert_eq!(
            edits.len(),
            3,
            "{title}: no edit link for the comment-led heading"
        );
        assert!(
            edits
                .iter()
                .all(|e| e.starts_with(&format!("/wiki/{title}/edit?section=")))
        );
        let titles = page.attrs(".mw-editsection a", "title");
        assert!(!titles.iter().any(|t| t.contains("Career")), "{titles:?}");
        // Four headings: MediaWiki's table of contents shows, numbering all of them.
        assert_eq!(
            page.attrs("#toc a", "href"),
            ["#Early_life", "#Career", "#Family", "#Death"],
            "{title}"
        );
        assert_eq!(page.texts("#toc .tocnumber"), ["1", "2", "3", "4"]);

        // The sections are those of the own heading lines.
        let sections = bob.get(&format!("/api/pages/{title}/sections")).await;
        let names: Vec<String> = sections.json()["sections"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|x| x["title"].as_str().map(str::to_owned))
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            names,
            ["Early life", "Family", "Death"],
            "{}",
            sections.body
        );
        // Section 1's edit form holds the comment-led line and its text.
        let form = bob.get(&edits[0]).await;
        let markup = form.texts("textarea#markup").concat();
        assert!(
            markup.contains("Born.\n<!-- note -->== Career ==\nWorked"),
            "{markup}"
        );
        assert!(!markup.contains("Family"), "{markup}");
    }
}
