//! The job queue: admins see and start jobs (`/admin/jobs`, `GET /api/admin/jobs`), others are
//! refused; a re-index walks the pages in batches and an edit is saved between them; the CLI
//! runs a job to the end.

use axum::http::{Method, StatusCode, header};
use plutarch::auth::Role;
use plutarch::store::Db;
use plutarch::wiki::jobs::{self, JobKind, Ran};
use plutarch::wiki::{self, SaveRequest, Title, samples::SYSTEM_USER_ID};
use serde_json::json;

use crate::api_support::{Call, get, put, token_for};
use crate::server::plutarch;
use crate::support::{PASSWORD, TestApp};

/// `count` pages `Person 0`… saved straight through the store.
fn add_people(db: &Db, count: usize) {
    db.write_blocking(|conn| {
        for i in 0..count {
            let request = SaveRequest {
                title: Title::new(&format!("Person {i}")).expect("title"),
                markup: format!("Person {i} flew zeppelins.\n== Life ==\nBorn in {i}.\n"),
                base_revision: None,
                section: None,
                summary: String::new(),
                author_id: SYSTEM_USER_ID,
            };
            wiki::save_blocking(conn, &request).expect("save");
        }
        Ok(())
    })
    .expect("pages");
}

#[tokio::test]
async fn the_jobs_page_is_for_admins_and_starts_a_reindex() {
    let app = TestApp::with_roles();
    app.assert_admins_only("/admin/jobs").await;
    for name in ["bob", "carol"] {
        let mut browser = app.client().signed_in(name, PASSWORD).await;
        let csrf = browser.get("/").await.csrf();
        let refused = browser
            .post_form(
                "/admin/jobs",
                &[("csrf", &csrf), ("kind", "reindex-search")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{name}");
    }
    let mut admin = app.client().signed_in("alice", PASSWORD).await;
    let log = admin.get("/admin/log").await;
    assert_eq!(log.attrs("a[href='/admin/jobs']", "href"), ["/admin/jobs"]);
    let page = admin.get("/admin/jobs").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.texts("td.kind").is_empty(), "no job yet");
    let csrf = page.csrf_of("form.start-job");
    let forged = admin
        .post_form(
            "/admin/jobs",
            &[("csrf", "forged"), ("kind", "reindex-search")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let unknown = admin
        .post_form("/admin/jobs", &[("csrf", &csrf), ("kind", "format-disk")])
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    let started = admin
        .post_form(
            "/admin/jobs",
            &[("csrf", &csrf), ("kind", "reindex-search")],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    assert_eq!(started.header(header::LOCATION), Some("/admin/jobs"));

    // The runner (here: one call, as `serve`'s task makes them) does it; the page shows it.
    while jobs::run_one(&app.db).await.expect("step") != Ran::Idle {}
    let page = admin.get("/admin/jobs").await;
    assert_eq!(page.texts("td.kind"), ["reindex-search"]);
    assert_eq!(page.texts("td.state"), ["done"]);
    let started: Vec<_> = app
        .audit_actions()
        .into_iter()
        .filter(|(action, ..)| action == "job started")
        .collect();
    assert_eq!(started.len(), 1, "{started:?}");
}

#[tokio::test]
async fn the_jobs_api_answers_an_admins_token_only() {
    let app = TestApp::with_roles();
    add_people(&app.db, 3);
    app.db
        .write_blocking(|conn| {
            Ok(jobs::enqueue_blocking(
                conn,
                JobKind::ReindexSearch,
                2,
                None,
            ))
        })
        .expect("write")
        .expect("queue");
    let anonymous = get(&app, "/api/admin/jobs").await;
    anonymous.problem(401);
    for (name, role) in [("reader", Role::Reader), ("editor", Role::Editor)] {
        let token = token_for(&app, name, role);
        let refused = Call::new(&app, Method::GET, "/api/admin/jobs")
            .token(&token)
            .send()
            .await;
        refused.problem(403);
    }
    let admin = token_for(&app, "admin2", Role::Admin);
    let list = |token: String| {
        let app = &app;
        async move {
            Call::new(app, Method::GET, "/api/admin/jobs")
                .token(&token)
                .send()
                .await
                .ok(200)
        }
    };
    let queued = list(admin.clone()).await;
    assert_eq!(queued["jobs"][0]["kind"], "reindex-search");
    assert_eq!(queued["jobs"][0]["state"], "queued");
    assert_eq!(
        queued["jobs"][0]["payload"],
        json!({"after": 0, "batch": 2})
    );

    assert!(matches!(
        jobs::run_one(&app.db).await.expect("step"),
        Ran::Stepped {
            finished: false,
            ..
        }
    ));
    let running = list(admin.clone()).await;
    assert_eq!(running["jobs"][0]["state"], "running");
    assert_eq!(running["jobs"][0]["done"], 2);
    let total = running["jobs"][0]["total"].as_i64().expect("total");
    assert!(total >= 3, "the samples and the three people: {total}");
    // Not from a cache: an anonymous client asking the same address is still refused.
    get(&app, "/api/admin/jobs").await.problem(401);
}

#[tokio::test]
async fn an_edit_is_saved_between_the_batches_of_a_reindex() {
    let app = TestApp::new();
    add_people(&app.db, 60);
    let token = token_for(&app, "editor", Role::Editor);
    let id = app
        .db
        .write_blocking(|conn| {
            Ok(jobs::enqueue_blocking(
                conn,
                JobKind::ReindexSearch,
                10,
                None,
            ))
        })
        .expect("write")
        .expect("queue");
    assert_eq!(
        jobs::run_one(&app.db).await.expect("step"),
        Ran::Stepped {
            id,
            finished: false
        }
    );

    // The reindex has pages left to do, and the writer is free: an edit of a page it has not
    // reached yet is saved at once.
    let (_, base) = crate::api_support::latest(&app, "Person_59").await;
    let body = json!({"markup": "Person 59 flew blimps instead.\n", "base_revision": base, "summary": "blimps"});
    put(&app, &token, "/api/pages/Person_59", &body)
        .await
        .ok(200);
    let job = jobs::job_blocking(&app.db, id).expect("read").expect("job");
    assert_eq!(job.state, "running");
    assert!(job.done < job.total.expect("total"), "{job:?}");

    let mut steps = 1;
    while jobs::run_one(&app.db).await.expect("step") != Ran::Idle {
        steps += 1;
    }
    let job = jobs::job_blocking(&app.db, id).expect("read").expect("job");
    assert_eq!(job.state, "done");
    assert_eq!(Some(job.done), job.total);
    assert!(steps >= 6, "60 people in batches of 10: {steps} steps");
    // The reindex read each page's latest revision when it reached it: the edit stands.
    let hits = get(&app, "/api/search?q=blimps").await.ok(200);
    assert_eq!(hits["hits"][0]["title"], "Person 59");
    let stale = get(&app, "/api/search?q=zeppelins").await.ok(200);
    let titles: Vec<&str> = stale["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|hit| hit["title"].as_str())
        .collect();
    assert!(!titles.contains(&"Person 59"), "{titles:?}");
}

#[test]
fn the_cli_runs_a_reindex_to_the_end() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("wiki.db");
    {
        let db = Db::open(&path).expect("open");
        add_people(&db, 7);
    }
    let output = plutarch()
        .args(["jobs", "run", "reindex-search", "--batch", "3", "--db"])
        .arg(&path)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("queued job 1 (reindex-search)"), "{stdout}");
    assert!(
        stdout.contains("job 1 done: 7 of 7 done in 3 steps"),
        "{stdout}"
    );
    let listed = plutarch()
        .args(["jobs", "list", "--db"])
        .arg(&path)
        .output()
        .expect("run");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.starts_with("1\treindex-search\tdone\t7/7"),
        "{listed}"
    );

    let refused = plutarch()
        .args(["jobs", "run", "reindex-everything", "--db"])
        .arg(&path)
        .output()
        .expect("run");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown job kind"));
}
