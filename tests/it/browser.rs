//! End to end in a real headless Chromium: sign in, open a biography, edit one section,
//! preview, save, see the change, open the history, compare two revisions, revert.
//! Screenshots of the read view and the diff view are kept in `test-artifacts/`.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::browser_support::Browser;
use crate::server::Server;

const PASSWORD: &str = "a long enough password";
const ADDED: &str = "She also wrote poetry, which she called poetical science.";

/// The text of `css` once it satisfies `wanted` (pages load after a click), or the last text
/// seen after ten seconds.
async fn text_when(client: &Client, css: &str, wanted: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = match client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if wanted(&text) || std::time::Instant::now() > deadline {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until `css` contains `needle`; panics with what it saw otherwise.
async fn expect_text(client: &Client, css: &str, needle: &str) {
    let text = text_when(client, css, |t| t.contains(needle)).await;
    assert!(
        text.contains(needle),
        "{css} should contain {needle:?}: {text}"
    );
}

/// Waits until `css` no longer contains `needle`.
async fn expect_no_text(client: &Client, css: &str, needle: &str) {
    let text = text_when(client, css, |t| !t.is_empty() && !t.contains(needle)).await;
    assert!(
        !text.contains(needle),
        "{css} should not contain {needle:?}: {text}"
    );
}

async fn click(client: &Client, locator: Locator<'_>) {
    client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(locator)
        .await
        .unwrap_or_else(|e| panic!("cannot find {locator:?}: {e}"))
        .click()
        .await
        .expect("click");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_edits_a_section_then_compares_and_reverts() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let server = Server::start_with(
        &dir.path().join("browser.db"),
        &[("PLUTARCH_ADMIN_PASSWORD", PASSWORD)],
    );
    let base = format!("http://{}", server.addr);
    let c = &browser.client;

    // Sign in.
    c.goto(&format!("{base}/login")).await.expect("login page");
    c.find(Locator::Css("#sign-in-name"))
        .await
        .expect("name field")
        .send_keys("admin")
        .await
        .expect("type name");
    c.find(Locator::Css("#sign-in-password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type password");
    click(c, Locator::Css("form.sign-in button[type=submit]")).await;
    expect_text(c, "header.site", "admin").await;

    // Open a biography and edit its "Early life" section.
    c.goto(&format!("{base}/wiki/Ada_Lovelace"))
        .await
        .expect("page");
    browser.screenshot("read-view").await;
    click(
        c,
        Locator::XPath("//h2[contains(., 'Early life')]//a[contains(., 'edit')]"),
    )
    .await;
    let textarea = c.find(Locator::Css("#markup")).await.expect("textarea");
    let before = textarea
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert!(
        before.starts_with("== Early life"),
        "only the section: {before}"
    );
    textarea
        .send_keys(&format!("\n{ADDED}\n"))
        .await
        .expect("type");

    // Preview: rendered, not saved.
    click(c, Locator::Css("button[value=preview]")).await;
    expect_text(c, ".preview", ADDED).await;
    let unsaved = server.get("/wiki/Ada_Lovelace");
    assert!(!unsaved.contains(ADDED), "a preview saves nothing");

    // Save and see the change on the page.
    c.find(Locator::Css("#summary"))
        .await
        .expect("summary")
        .send_keys("Mention her poetry")
        .await
        .expect("type summary");
    click(c, Locator::Css("button[value=save]")).await;
    expect_text(c, "article.page", ADDED).await;

    // History: compare the two newest revisions.
    c.goto(&format!("{base}/wiki/Ada_Lovelace/history"))
        .await
        .expect("history");
    expect_text(c, "table.history", "Mention her poetry").await;
    click(c, Locator::Css("form.compare > button[type=submit]")).await;
    expect_text(c, "main", "differences between revisions").await;
    expect_text(c, "section.section-diff", ADDED).await;
    assert!(
        c.find(Locator::Css("tr.added ins")).await.is_ok(),
        "the added line is marked"
    );
    browser.screenshot("diff-view").await;

    // Revert to the revision before the edit.
    c.goto(&format!("{base}/wiki/Ada_Lovelace/history"))
        .await
        .expect("history");
    click(
        c,
        Locator::XPath("(//button[contains(., 'Revert to this')])[1]"),
    )
    .await;
    expect_no_text(c, "article.page", ADDED).await;
    c.goto(&format!("{base}/wiki/Ada_Lovelace/history"))
        .await
        .expect("history");
    assert_eq!(
        c.find_all(Locator::Css("table.history tbody tr"))
            .await
            .expect("rows")
            .len(),
        3,
        "sample, edit and revert are three revisions"
    );

    browser.close().await;
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
}
