//! Undo, a word diff and an old revision in a real headless Chromium (issue 15): two edits of
//! the lead, the history with its (cur | prev) and undo links, undoing the older edit on top of
//! the newer one, a one-word change shown as a word diff, an old revision with its
//! older/newer links. Screenshots of the history, the word diff and the old revision are kept
//! in `test-artifacts/` (`history-view.png`, `word-diff.png`, `old-revision.png`).

use fantoccini::{Client, Locator};

use crate::browser::{PASSWORD, click, expect_no_text, expect_text, sign_in_as_admin};
use crate::browser_support::Browser;
use crate::server::Server;

const MUSIC: &str = "She also studied music with a harpist.";
const POETRY: &str = "She called her method poetical science.";

/// Replaces the text of the edit form's textarea with what `change` makes of it, with the
/// summary `summary`, and saves.
async fn edit(client: &Client, url: &str, summary: &str, change: impl Fn(&str) -> String) {
    client.goto(url).await.expect("edit form");
    let textarea = client
        .find(Locator::Css("#markup"))
        .await
        .expect("textarea");
    let text = textarea
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    client
        .execute(
            "document.querySelector('#markup').value = arguments[0];\
             document.querySelector('#summary').value = arguments[1];",
            vec![change(&text).into(), summary.into()],
        )
        .await
        .expect("fill the form");
    click(client, Locator::Css("form.edit button[value=save]")).await;
    expect_text(client, "p.notice", "Your edit was saved.").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_editor_undoes_an_older_edit_and_reads_a_word_diff_and_an_old_revision() {
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
    sign_in_as_admin(c, &base).await;
    expect_text(c, "header.site", "admin").await;

    let lead = format!("{base}/wiki/Ada_Lovelace/edit?section=0");
    edit(c, &lead, "Music", |t| format!("{t}\n{MUSIC}\n")).await;
    let career = format!("{base}/wiki/Ada_Lovelace/edit?section=2");
    edit(c, &career, "Poetry", |t| format!("{t}\n{POETRY}\n")).await;

    // The history: (cur | prev) and undo on each row; undo the music edit.
    c.goto(&format!("{base}/wiki/Ada_Lovelace/history"))
        .await
        .expect("history");
    expect_text(c, "table.history", "Poetry").await;
    browser.screenshot("history-view").await;
    click(
        c,
        Locator::XPath("(//table[contains(@class,'history')]//a[contains(@class,'undo')])[2]"),
    )
    .await;
    expect_text(c, "p.banner", "The change can be undone").await;
    expect_text(c, "section.changes", MUSIC).await;
    click(c, Locator::Css("form.edit button[value=save]")).await;
    expect_text(c, "p.notice", "Your edit was saved.").await;
    expect_no_text(c, "article.page", MUSIC).await;
    expect_text(c, "article.page", POETRY).await;

    // A one-word change, shown as a word diff.
    edit(
        c,
        &format!("{base}/wiki/Ada_Lovelace/edit?section=1"),
        "Word",
        |t| t.replace("the only legitimate child", "the only lawful child"),
    )
    .await;
    c.goto(&format!("{base}/wiki/Ada_Lovelace/history"))
        .await
        .expect("history");
    click(c, Locator::Css("table.history tbody tr:first-child a.prev")).await;
    expect_text(c, "tr.added ins.word", "lawful").await;
    expect_text(c, "tr.removed del.word", "legitimate").await;
    browser.screenshot("word-diff").await;

    // An old revision: older and newer links, and a title naming it.
    c.goto(&format!("{base}/wiki/Ada_Lovelace/history"))
        .await
        .expect("history");
    click(
        c,
        Locator::Css("table.history tbody tr:nth-child(3) td.revision a[href*='revision=']"),
    )
    .await;
    expect_text(c, "nav.revision-nav", "Older revision").await;
    expect_text(c, "nav.revision-nav", "Newer revision").await;
    let title = c.title().await.expect("title");
    assert!(title.contains("(revision "), "{title}");
    browser.screenshot("old-revision").await;

    browser.close().await;
    let (clean, stderr) = server.terminate();
    assert!(clean, "{stderr}");
}
