//! `plutarch import-xml` and `plutarch export-xml`: MediaWiki dumps with full history
//! (issue 19).

use std::path::Path;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::store::Db;
use crate::wiki::dump::{self, Progress, Site};

/// The progress bar of an import: bytes of the file, with pages and revisions.
fn import_bar(size: u64) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    let template = "{bar:40} {bytes}/{total_bytes} {msg} ({bytes_per_sec}, {eta} left)";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// Imports the dump at `file`, prints a summary, and fails when something was not imported.
pub(super) fn import_xml(db_path: &Path, file: &Path) -> Result<()> {
    if !file.is_file() {
        bail!("cannot import {}: no such file", file.display());
    }
    let db = Db::open(db_path)?;
    super::backfills(&db)?;
    let started = Instant::now();
    let bar = import_bar(std::fs::metadata(file)?.len());
    let mut last = Progress::default();
    let report = dump::import_xml(&db, file, &mut |progress| {
        let new_page = progress.pages != last.pages;
        last = *progress;
        if new_page || progress.revisions % 256 == 0 {
            bar.set_position(progress.bytes);
            bar.set_message(format!(
                "{} pages, {} revisions",
                progress.pages, progress.revisions
            ));
        }
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    for problem in &report.problems {
        let revision = problem
            .revision
            .map(|r| format!(", revision {r}"))
            .unwrap_or_default();
        eprintln!(
            "skipped at byte {} (page {:?}{revision}): {}",
            problem.position, problem.page, problem.reason
        );
    }
    println!(
        "imported {} revisions ({} pages created, {} updated, {} unchanged) from {} in {seconds:.1} s ({:.0} revisions/s); {} revisions were here already",
        report.revisions_added,
        report.pages_created,
        report.pages_updated,
        report.pages_unchanged,
        file.display(),
        last.revisions as f64 / seconds.max(1e-9),
        report.revisions_present,
    );
    if report.revisions_hidden > 0 {
        println!(
            "{} revisions had their text hidden in their wiki (not in the dump): not imported",
            report.revisions_hidden
        );
    }
    if report.sha1_mismatches > 0 {
        println!(
            "{} revisions have a text whose SHA-1 is not the one the dump gives (imported as they are)",
            report.sha1_mismatches
        );
    }
    println!("logged as one {} event in the admin log", dump::LOGGED_AS);
    if let Some(stop) = &report.stopped {
        bail!(
            "the dump could not be read on {stop}: everything before it was imported (import the dump again once it is whole: what is here already is not added twice)"
        );
    }
    if !report.problems.is_empty() {
        bail!("{} pages or revisions were skipped", report.problems.len());
    }
    Ok(())
}

/// Writes the dump to `file`, prints a summary, and fails when revisions had to be left out.
pub(super) fn export_xml(
    db_path: &Path,
    file: &Path,
    current: bool,
    base_url: Option<&str>,
) -> Result<()> {
    if file.exists() {
        bail!("{} exists already: give a new file", file.display());
    }
    let db = Db::open(db_path)?;
    let started = Instant::now();
    let bar = super::progress_bar(0, "pages");
    let base = format!(
        "{}/wiki/Main_Page",
        base_url.unwrap_or("http://localhost").trim_end_matches('/')
    );
    let site = Site {
        name: "Plutarch",
        base: &base,
    };
    let report = dump::export_xml(&db, file, current, &site, &mut |done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    })?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    for left in &report.left_out {
        eprintln!(
            "left out revision {} of {:?}: it holds U+{:04X}, which XML 1.0 cannot carry",
            left.revision, left.title, left.character as u32
        );
    }
    println!(
        "exported {} pages, {} revisions ({} hidden, text marked deleted) to {} in {seconds:.1} s ({:.0} revisions/s)",
        report.pages,
        report.revisions,
        report.hidden,
        file.display(),
        report.revisions as f64 / seconds.max(1e-9),
    );
    if !report.left_out.is_empty() {
        bail!(
            "{} revisions were left out: XML 1.0 cannot carry their text",
            report.left_out.len()
        );
    }
    Ok(())
}
