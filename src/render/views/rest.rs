//! A page's rendered HTML as a whole document, as MediaWiki's REST API serves it
//! (`/w/rest.php/v1/page/{title}/html`): no site frame, the revision named in the head.

use maud::{DOCTYPE, Markup, html};

/// `body` (a rendered article) as a standalone document titled `title`, of revision `revision`.
pub fn html_document(title: &str, revision: i64, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" about=(format!("/w/rest.php/v1/revision/{revision}")) {
            head {
                meta charset="utf-8";
                meta property="mw:revisionId" content=(revision);
                title { (title) }
                link rel="stylesheet" href=(super::stylesheet_url());
            }
            body.mw-body-content.mw-parser-output lang="en" {
                (body)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_names_its_revision_and_escapes_its_title() {
        let page = html_document("A <b>", 12, html! { p { "Text." } }).into_string();
        assert!(page.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(page.contains("<title>A &lt;b&gt;</title>"), "{page}");
        assert!(page.contains("content=\"12\""), "{page}");
        assert!(page.contains("<p>Text.</p>"), "{page}");
    }
}
