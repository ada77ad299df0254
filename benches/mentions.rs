//! Mentions: one pass of the Aho–Corasick automaton of 100,000 names over a 50 KB source.
//!
//! `cargo bench --bench mentions -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, black_box};
use plutarch::bio::boilerplate::boilerplate;
use plutarch::bio::mentions::{Matcher, Name};

const FIRST: &[&str] = &[
    "Ada", "Peter", "Mary", "John", "Keir", "Clara", "Otto", "Rosa", "Ivan", "Emma", "Lewis",
    "Nora", "Hugo", "Alma", "Felix", "Ida", "Oscar", "Ruth", "Silas", "Vera",
];
const WORDS: &[&str] = &[
    "the",
    "committee",
    "said",
    "that",
    "river",
    "was",
    "in",
    "london",
    "letters",
    "and",
    "government",
    "minister",
    "of",
    "by",
    "embassy",
    "report",
    "party",
    "member",
    "election",
    "suspended",
];

/// A deterministic surname for `i`: letters from its digits, so 100,000 of them are distinct.
fn surname(i: usize) -> String {
    let mut name = String::from("W");
    let mut n = i;
    loop {
        name.push(char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    name.push_str("sman");
    name
}

fn main() {
    let names: Vec<Name> = (0..100_000)
        .map(|i| Name {
            person: i as i64 / 2,
            name: format!("{} {}", FIRST[i % FIRST.len()], surname(i)),
        })
        .collect();
    let matcher = Matcher::new(names).expect("the automaton builds");
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < 50_000 {
        if i % 40 == 0 {
            text.push_str(&format!(
                "{} {} ",
                FIRST[i % FIRST.len()],
                surname(i * 7 % 100_000)
            ));
        }
        text.push_str(WORDS[i * 13 % WORDS.len()]);
        text.push(if i % 17 == 16 { '.' } else { ' ' });
        i += 1;
    }
    let skip = boilerplate(&text);
    let found = matcher.people(&text, &skip).len();
    println!(
        "{} bytes, 100,000 names, {found} people mentioned",
        text.len()
    );
    let mut c = Criterion::default().configure_from_args();
    c.bench_function("mentions/100000 names/50 KB", |b| {
        b.iter(|| matcher.mentions(black_box(&text), &skip).len())
    });
    c.final_summary();
}
