//! Section writes from several clients: a property test of random interleavings of reads and
//! writes against a model (a serial replay of the accepted writes), and truly concurrent
//! writers.

use proptest::prelude::*;
use serde_json::json;

use crate::api_support::{create, editor, get, latest, put};
use crate::support::TestApp;

/// Sections of the test page: the lead and four level-2 sections.
const SECTIONS: usize = 5;
const CLIENTS: usize = 3;
const WORDS: &[&str] = &["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

fn heading(position: usize) -> String {
    format!("== S{position} ==\n")
}

fn initial() -> Vec<String> {
    (0..SECTIONS)
        .map(|p| {
            if p == 0 {
                "Lead.\n".to_owned()
            } else {
                format!("{}Body {p}.\n", heading(p))
            }
        })
        .collect()
}

/// What a client does next.
#[derive(Debug, Clone)]
enum Op {
    /// Reads section `position`, and will name it by id (or by index) when it writes.
    Read {
        client: usize,
        position: usize,
        by_id: bool,
    },
    /// Writes the section it last read, based on the revision it read, with new words (and
    /// perhaps no final newline).
    Write {
        client: usize,
        words: Vec<&'static str>,
        newline: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..CLIENTS, 0..SECTIONS, any::<bool>()).prop_map(|(client, position, by_id)| Op::Read {
            client,
            position,
            by_id
        }),
        (
            0..CLIENTS,
            prop::collection::vec(prop::sample::select(WORDS), 1..4),
            prop::bool::weighted(0.8)
        )
            .prop_map(|(client, words, newline)| Op::Write {
                client,
                words,
                newline
            }),
    ]
}

/// What a client remembers from its last read.
#[derive(Debug, Clone)]
struct Snapshot {
    revision: i64,
    key: String,
    position: usize,
    markup: String,
}

async fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let app = TestApp::new();
    let token = editor(&app);
    let mut model = initial();
    create(&app, &token, "Contended", &model.concat()).await;
    let mut clients: Vec<Option<Snapshot>> = vec![None; CLIENTS];
    for op in ops {
        match op {
            Op::Read {
                client,
                position,
                by_id,
            } => {
                let section = get(&app, &format!("/api/pages/Contended/sections/{position}"))
                    .await
                    .ok(200);
                let markup = section["markup"].as_str().unwrap().to_owned();
                prop_assert_eq!(&markup, &model[position], "a read sees the model");
                let key = if by_id {
                    section["id"].as_str().unwrap().to_owned()
                } else {
                    position.to_string()
                };
                clients[client] = Some(Snapshot {
                    revision: section["revision"].as_i64().unwrap(),
                    key,
                    position,
                    markup,
                });
            }
            Op::Write {
                client,
                words,
                newline,
            } => {
                let Some(snapshot) = clients[client].clone() else {
                    continue;
                };
                let p = snapshot.position;
                let mut markup = if p == 0 {
                    format!("Lead {}.", words.join(" "))
                } else {
                    format!("{}{}.", heading(p), words.join(" "))
                };
                if newline {
                    markup.push('\n');
                }
                let body = json!({"markup": markup, "base_revision": snapshot.revision});
                let path = format!("/api/pages/Contended/sections/{}", snapshot.key);
                let answer = put(&app, &token, &path, &body).await;
                // The rule: accepted exactly when the section's span is unchanged since the
                // base revision.
                if model[p] == snapshot.markup {
                    answer.ok(200);
                    if !markup.ends_with('\n') && p + 1 < SECTIONS {
                        markup.push('\n');
                    }
                    model[p] = markup;
                } else {
                    let problem = answer.problem(409);
                    prop_assert_eq!(problem["current_markup"].as_str(), Some(model[p].as_str()));
                }
            }
        }
    }
    // The page is the serial replay of the accepted writes.
    prop_assert_eq!(latest(&app, "Contended").await.0, model.concat());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn interleaved_section_writes_equal_a_serial_replay_of_the_accepted_ones(
        ops in prop::collection::vec(op(), 1..40)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(ops))?;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_of_different_sections_all_succeed() {
    let app = std::sync::Arc::new(TestApp::new());
    let token = editor(&app);
    let base = create(&app, &token, "Crowded", &initial().concat()).await;
    let mut tasks = Vec::new();
    for p in 1..SECTIONS {
        let (app, token) = (app.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"markup": format!("{}Written by {p}.\n", heading(p)), "base_revision": base});
            put(&app, &token, &format!("/api/pages/Crowded/sections/{p}"), &body)
                .await
                .status
                .as_u16()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    let mut expected = initial();
    for (p, chunk) in expected.iter_mut().enumerate().skip(1) {
        *chunk = format!("{}Written by {p}.\n", heading(p));
    }
    assert_eq!(latest(&app, "Crowded").await.0, expected.concat());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_of_one_section_exactly_one_wins() {
    let app = std::sync::Arc::new(TestApp::new());
    let token = editor(&app);
    let base = create(&app, &token, "Fought_over", &initial().concat()).await;
    let mut tasks = Vec::new();
    for n in 0..6 {
        let (app, token) = (app.clone(), token.clone());
        tasks.push(tokio::spawn(async move {
            let body =
                json!({"markup": format!("{}Writer {n}.\n", heading(2)), "base_revision": base});
            let answer = put(&app, &token, "/api/pages/Fought_over/sections/2", &body).await;
            (n, answer.status.as_u16())
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        let (n, status) = task.await.unwrap();
        assert!(status == 200 || status == 409, "{status}");
        if status == 200 {
            winners.push(n);
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let mut expected = initial();
    expected[2] = format!("{}Writer {}.\n", heading(2), winners[0]);
    assert_eq!(latest(&app, "Fought_over").await.0, expected.concat());
}
