//! The real MediaWiki clients from PyPI (mwclient, pywikibot) against the real binary
//! (issue 19): `tests/clients/mw_clients.py` drives them against `plutarch serve` on a
//! temporary database and a free 127.0.0.1 port.
//!
//! The Python environment is `PLUTARCH_MW_VENV` (default `target/py-venv`, which `.ci/run`
//! makes). Without it the test says why and passes, except under `CI=true`, where it fails.

use std::path::PathBuf;
use std::process::Command;

use crate::server::Server;

fn venv_python() -> Option<PathBuf> {
    let venv = std::env::var_os("PLUTARCH_MW_VENV").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/py-venv"),
        PathBuf::from,
    );
    let python = venv.join("bin/python");
    python.is_file().then_some(python)
}

/// mwclient makes the pages pywikibot then reads, edits and lists: one server for both.
#[test]
fn mwclient_and_pywikibot_read_and_edit_pages() {
    run_client("all");
}

/// Runs the checks of `client` (`mwclient`, `pywikibot` or `all`) against a fresh server.
fn run_client(client: &str) {
    let Some(python) = venv_python() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but there is no Python environment with mwclient and pywikibot (target/py-venv; .ci/run makes it)"
        );
        eprintln!(
            "skipped: no Python environment with mwclient and pywikibot (make one with `python3 -m venv target/py-venv && target/py-venv/bin/pip install mwclient pywikibot`, or set PLUTARCH_MW_VENV)"
        );
        return;
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let db_path = dir.path().join("wiki.db");
    let token = {
        let db = plutarch::store::Db::open(&db_path).expect("database");
        plutarch::auth::add_user(
            &db,
            None,
            "Clientbot",
            plutarch::auth::Role::Editor,
            "a long enough password",
        )
        .expect("user");
        plutarch::auth::create_api_token(&db, "Clientbot", "bot").expect("token")
    };
    let server = Server::start(&db_path);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/clients/mw_clients.py");
    let output = Command::new(python)
        .arg(script)
        .args([server.addr.as_str(), "Clientbot", token.as_str(), client])
        .current_dir(dir.path())
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the clients failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("all client checks passed"), "{stdout}");
    drop(server);
}
