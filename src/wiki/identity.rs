//! Section identity: which sections of a new text are which sections of an earlier revision.
//!
//! When a revision is saved, each of its sections gets the stable id of a section of the
//! reference revision (normally the one the edit replaces), in passes, each old id used once:
//!
//! 1. the lead is the lead;
//! 2. ids the caller fixes (a section edit: the first heading of the new markup keeps the
//!    edited section's id);
//! 3. identical chunks (same content hash), in order: unchanged and moved sections;
//! 4. the same heading title, in order: sections whose text changed;
//! 5. the same level and a similar body (at least 60 % of lines alike, by `similar`), closest
//!    position first: renamed sections, even moved;
//! 6. anything left is a new section and gets a new id.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// A section of the reference revision.
#[derive(Debug, Clone)]
pub(crate) struct OldSection<'a> {
    pub id: i64,
    pub sha256: [u8; 32],
    pub level: u8,
    pub title: &'a str,
    pub text: &'a str,
    /// Whether this is the lead of its revision.
    pub lead: bool,
}

/// A section of the new text.
#[derive(Debug, Clone)]
pub(crate) struct NewChunk<'a> {
    pub sha256: [u8; 32],
    pub level: u8,
    pub title: &'a str,
    pub text: &'a str,
}

/// The least similarity (0..1) for pass 5.
const SIMILAR_ENOUGH: f32 = 0.6;
/// Above this many candidate pairs, pass 5 compares only sections at the same position.
const MAX_PAIRS: usize = 2500;
/// How long pass 5 may compare one pair of bodies.
const PAIR_TIME: Duration = Duration::from_millis(20);
/// How long pass 5 may compare bodies, all pairs together.
const SIMILARITY_TIME: Duration = Duration::from_millis(250);

/// Assigns old ids to new sections (index 0 is the lead); `None` = a new section.
pub(crate) fn assign(
    new: &[NewChunk<'_>],
    old: &[OldSection<'_>],
    forced: &[(usize, i64)],
) -> Vec<Option<i64>> {
    let mut ids: Vec<Option<i64>> = vec![None; new.len()];
    let mut used = vec![false; old.len()];
    // Where each old id is: a lookup, so that matching stays linear in the sections.
    let mut by_id: HashMap<i64, Vec<usize>> = HashMap::with_capacity(old.len());
    for (k, o) in old.iter().enumerate() {
        by_id.entry(o.id).or_default().push(k);
    }
    let take = |used: &mut Vec<bool>, id: i64| {
        for &k in by_id.get(&id).map_or(&[][..], Vec::as_slice) {
            used[k] = true;
        }
    };
    for &(index, id) in forced {
        if index < ids.len() && ids[index].is_none() && !ids.contains(&Some(id)) {
            ids[index] = Some(id);
            take(&mut used, id);
        }
    }
    if !new.is_empty() && ids[0].is_none() {
        if let Some(k) = old.iter().enumerate().position(|(k, o)| o.lead && !used[k]) {
            ids[0] = Some(old[k].id);
            take(&mut used, old[k].id);
        }
    }
    // Pass 3: identical chunks.
    let mut by_hash: HashMap<[u8; 32], VecDeque<usize>> = HashMap::new();
    for (k, o) in old.iter().enumerate() {
        if !used[k] && !o.lead {
            by_hash.entry(o.sha256).or_default().push_back(k);
        }
    }
    for (i, n) in new.iter().enumerate().skip(1) {
        if ids[i].is_some() {
            continue;
        }
        if let Some(queue) = by_hash.get_mut(&n.sha256) {
            while let Some(k) = queue.pop_front() {
                if !used[k] {
                    used[k] = true;
                    ids[i] = Some(old[k].id);
                    take(&mut used, old[k].id);
                    break;
                }
            }
        }
    }
    // Pass 4: same heading title.
    let mut by_title: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (k, o) in old.iter().enumerate() {
        if !used[k] && !o.lead && !o.title.is_empty() {
            by_title.entry(o.title).or_default().push_back(k);
        }
    }
    for (i, n) in new.iter().enumerate().skip(1) {
        if ids[i].is_some() || n.title.is_empty() {
            continue;
        }
        if let Some(queue) = by_title.get_mut(n.title) {
            while let Some(k) = queue.pop_front() {
                if !used[k] {
                    used[k] = true;
                    ids[i] = Some(old[k].id);
                    take(&mut used, old[k].id);
                    break;
                }
            }
        }
    }
    // Pass 5: same level, similar body.
    let open_new: Vec<usize> = (1..new.len()).filter(|&i| ids[i].is_none()).collect();
    let open_old: Vec<usize> = (0..old.len())
        .filter(|&k| !used[k] && !old[k].lead)
        .collect();
    if open_new.is_empty() || open_old.is_empty() {
        return ids;
    }
    let everywhere = open_new.len().saturating_mul(open_old.len()) <= MAX_PAIRS;
    let candidates: Vec<(usize, usize)> = if everywhere {
        open_new
            .iter()
            .flat_map(|&i| open_old.iter().map(move |&k| (i, k)))
            .collect()
    } else {
        let mut open = vec![false; old.len()];
        for &k in &open_old {
            open[k] = true;
        }
        open_new
            .iter()
            .filter(|&&i| open.get(i).copied().unwrap_or(false))
            .map(|&i| (i, i))
            .collect()
    };
    let mut pairs: Vec<(f32, usize, usize, usize)> = Vec::new();
    // One deadline for all the comparisons: 20 ms a pair was 50 s for 2,500 pairs of long,
    // unlike bodies, on the single writer. Past it, the sections left are new ones.
    let deadline = Instant::now() + SIMILARITY_TIME;
    for (i, k) in candidates {
        if new[i].level != old[k].level {
            continue;
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        let until = (now + PAIR_TIME).min(deadline);
        let score = similarity(body(new[i].text), body(old[k].text), i == k, until);
        if score >= SIMILAR_ENOUGH {
            pairs.push((score, i.abs_diff(k), i, k));
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, i, k) in pairs {
        if ids[i].is_none() && !used[k] {
            ids[i] = Some(old[k].id);
            take(&mut used, old[k].id);
        }
    }
    ids
}

/// A chunk without its heading line.
fn body(chunk: &str) -> &str {
    chunk.split_once('\n').map_or("", |(_, rest)| rest)
}

/// How alike two bodies are, 0..1. Two empty bodies are alike only at the same position.
/// Settling for a coarser answer past `until`.
fn similarity(a: &str, b: &str, same_position: bool, until: Instant) -> f32 {
    if a.trim().is_empty() && b.trim().is_empty() {
        return if same_position { 1.0 } else { 0.0 };
    }
    similar::TextDiff::configure()
        .deadline(until)
        .diff_lines(a, b)
        .ratio()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::revisions::sha256;

    fn chunks(text: &str) -> Vec<(u8, String, String)> {
        let outline = crate::markup::outline(text);
        let starts: Vec<usize> = outline.sections.iter().map(|s| s.byte_start).collect();
        outline
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let end = starts.get(i + 1).copied().unwrap_or(text.len());
                (s.level, s.title.clone(), text[starts[i]..end].to_string())
            })
            .collect()
    }

    /// Ids for `new` given `old` whose sections have ids 100, 101, …
    fn ids_after(old: &str, new: &str) -> Vec<Option<i64>> {
        let old = chunks(old);
        let new = chunks(new);
        let old: Vec<OldSection<'_>> = old
            .iter()
            .enumerate()
            .map(|(k, (level, title, text))| OldSection {
                id: 100 + k as i64,
                sha256: sha256(text),
                level: *level,
                title,
                text,
                lead: k == 0,
            })
            .collect();
        let new: Vec<NewChunk<'_>> = new
            .iter()
            .map(|(level, title, text)| NewChunk {
                sha256: sha256(text),
                level: *level,
                title,
                text,
            })
            .collect();
        assign(&new, &old, &[])
    }

    const TEXT: &str = "Lead.\n== Early life ==\nBorn in a small town by the sea.\nWent to school there.\n== Career ==\nWorked as an engineer for ten years.\nThen taught.\n== Legacy ==\nRemembered.\n";

    #[test]
    fn a_page_of_many_sections_is_matched_in_linear_time() {
        // Regression: each match scanned every old section, and the same-position pass
        // walked all pairs: quadratic in the number of sections. Saves cap a page at
        // `MAX_SECTIONS` (5,000), where that cost 60 ms on the single writer.
        // 50,000 sections took 6 s that way (test profile), so this would take about a minute.
        let n = 150_000;
        let started = std::time::Instant::now();
        let old_text: String = (0..n).map(|i| format!("== S{i} ==\nA{i}\n")).collect();
        let same = ids_after(&old_text, &old_text);
        assert_eq!(same.iter().filter(|id| id.is_some()).count(), n + 1);
        let renamed: String = (0..n).map(|i| format!("== T{i} ==\nA{i}\n")).collect();
        let ids = ids_after(&old_text, &renamed);
        assert_eq!(ids[1], Some(101));
        // Renamed sections are compared within a time budget (`SIMILARITY_TIME`): on a busy
        // machine the last ones may be left new, but none is ever given another's id.
        for (i, id) in ids.iter().enumerate().skip(1) {
            assert!(
                id.is_none_or(|id| id == 100 + i as i64),
                "section {i}: {id:?}"
            );
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }

    #[test]
    fn unchanged_sections_keep_their_ids() {
        assert_eq!(
            ids_after(TEXT, TEXT),
            [Some(100), Some(101), Some(102), Some(103)]
        );
    }

    #[test]
    fn an_edited_section_keeps_its_id() {
        let new = TEXT.replace("ten years", "twelve years");
        assert_eq!(
            ids_after(TEXT, &new),
            [Some(100), Some(101), Some(102), Some(103)]
        );
    }

    #[test]
    fn a_renamed_and_moved_section_keeps_its_id() {
        let new = "Lead.\n== Work ==\nWorked as an engineer for ten years.\nThen taught.\n== Early life ==\nBorn in a small town by the sea.\nWent to school there.\n== Legacy ==\nRemembered.\n";
        assert_eq!(
            ids_after(TEXT, new),
            [Some(100), Some(102), Some(101), Some(103)]
        );
    }

    #[test]
    fn a_new_section_gets_a_new_id_and_a_deleted_one_is_gone() {
        let new = "Lead.\n== Early life ==\nBorn in a small town by the sea.\nWent to school there.\n== Awards ==\nMany.\n== Legacy ==\nRemembered.\n";
        assert_eq!(
            ids_after(TEXT, new),
            [Some(100), Some(101), None, Some(103)]
        );
    }

    #[test]
    fn forced_ids_win() {
        let new = chunks(TEXT);
        let new: Vec<NewChunk<'_>> = new
            .iter()
            .map(|(level, title, text)| NewChunk {
                sha256: sha256(text),
                level: *level,
                title,
                text,
            })
            .collect();
        let ids = assign(&new, &[], &[(2, 7)]);
        assert_eq!(ids, [None, None, Some(7), None]);
    }

    #[test]
    fn many_renamed_sections_of_long_unlike_bodies_are_matched_in_bounded_time() {
        // Regression: pass 5 compared up to `MAX_PAIRS` pairs with 20 ms each, and this took
        // 56 s (test profile; 274 ms with one deadline for the pass). The answer is the same.
        let section = |name: &str, k: usize| -> String {
            let lines: String = (0..2000).map(|j| format!("{name}{k}_{j}\n")).collect();
            format!("== {name}{k} ==\n{lines}")
        };
        let old: String = (0..50).map(|k| section("o", k)).collect();
        let new: String = (0..50).map(|k| section("n", k)).collect();
        let ids = ids_after(&old, &new);
        assert!(ids[1..].iter().all(Option::is_none), "nothing alike");
    }
}
