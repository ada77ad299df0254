//! Three-way merge of a stale whole-page edit, section by section.
//!
//! The units are sections, matched by stable id across the base revision, the latest revision
//! and the edit ("mine", whose ids were assigned against the base). A section changed on one
//! side only is taken from that side; a section changed on both sides (differently) is a
//! conflict. The order comes from the side that kept the base's order; if both sides reordered,
//! added or removed sections, it is a conflict too. Nothing is ever dropped silently.

use std::collections::HashMap;

/// A section in one of the three versions: its id (`None` for a section new in "mine") and its
/// chunk text.
pub(crate) type Unit<'a> = (Option<i64>, &'a str);

/// The merged sections, in order, or `None` on a conflict.
pub(crate) fn merge<'a>(
    base: &[Unit<'a>],
    latest: &[Unit<'a>],
    mine: &[Unit<'a>],
) -> Option<Vec<Unit<'a>>> {
    let index = |units: &[Unit<'a>]| -> HashMap<i64, &'a str> {
        units
            .iter()
            .filter_map(|&(id, text)| id.map(|id| (id, text)))
            .collect()
    };
    let (b, l, m) = (index(base), index(latest), index(mine));
    let mut all: Vec<i64> = b.keys().chain(l.keys()).chain(m.keys()).copied().collect();
    all.sort_unstable();
    all.dedup();
    for id in all {
        let (bt, lt, mt) = (b.get(&id), l.get(&id), m.get(&id));
        if lt != bt && mt != bt && lt != mt {
            return None;
        }
    }
    let order = |units: &[Unit<'a>]| -> Vec<Option<i64>> { units.iter().map(|u| u.0).collect() };
    let (ob, ol, om) = (order(base), order(latest), order(mine));
    if om == ob {
        // I kept the structure: the latest order, with my changed sections.
        Some(
            latest
                .iter()
                .map(|&(id, lt)| {
                    let changed_by_me = id.and_then(|id| Some((b.get(&id)?, m.get(&id)?)));
                    match changed_by_me {
                        Some((bt, mt)) if bt != mt => (id, *mt),
                        _ => (id, lt),
                    }
                })
                .collect(),
        )
    } else if ol == ob {
        // They kept the structure: my order, with their changed sections.
        Some(
            mine.iter()
                .map(|&(id, mt)| {
                    let changed_by_them = id.and_then(|id| Some((b.get(&id)?, l.get(&id)?)));
                    match changed_by_them {
                        Some((bt, lt)) if bt != lt => (id, *lt),
                        _ => (id, mt),
                    }
                })
                .collect(),
        )
    } else {
        None
    }
}

/// Concatenates merged chunks, adding a newline where a chunk that did not end with one (it was
/// last on its side) is followed by another.
pub(crate) fn join(units: &[Unit<'_>]) -> String {
    let mut text = String::with_capacity(units.iter().map(|u| u.1.len() + 1).sum());
    for (i, (_, chunk)) in units.iter().enumerate() {
        text.push_str(chunk);
        if i + 1 < units.len() && !chunk.is_empty() && !chunk.ends_with('\n') {
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &[Unit<'static>] = &[
        (Some(1), "lead\n"),
        (Some(2), "== A ==\na\n"),
        (Some(3), "== B ==\nb"),
    ];

    #[test]
    fn edits_of_different_sections_merge() {
        let latest = [BASE[0], (Some(2), "== A ==\na2\n"), BASE[2]];
        let mine = [BASE[0], BASE[1], (Some(3), "== B ==\nb2")];
        let merged = merge(BASE, &latest, &mine).expect("merges");
        assert_eq!(join(&merged), "lead\n== A ==\na2\n== B ==\nb2");
    }

    #[test]
    fn edits_of_the_same_section_conflict_unless_identical() {
        let latest = [BASE[0], (Some(2), "== A ==\nx\n"), BASE[2]];
        let mine = [BASE[0], (Some(2), "== A ==\ny\n"), BASE[2]];
        assert_eq!(merge(BASE, &latest, &mine), None);
        assert!(merge(BASE, &latest, &latest).is_some());
    }

    #[test]
    fn a_section_added_on_one_side_is_kept() {
        let latest = [BASE[0], (Some(2), "== A ==\na2\n"), BASE[2]];
        let mine = [BASE[0], BASE[1], (None, "== New ==\nn\n"), BASE[2]];
        let merged = merge(BASE, &latest, &mine).expect("merges");
        assert_eq!(join(&merged), "lead\n== A ==\na2\n== New ==\nn\n== B ==\nb");
    }

    #[test]
    fn deleting_a_section_the_other_side_changed_conflicts() {
        let latest = [BASE[0], (Some(2), "== A ==\na2\n"), BASE[2]];
        let mine = [BASE[0], BASE[2]];
        assert_eq!(merge(BASE, &latest, &mine), None);
    }

    #[test]
    fn a_last_chunk_moved_up_gets_its_newline() {
        let units = [(Some(3), "== B ==\nb"), (Some(2), "== A ==\na\n")];
        assert_eq!(join(&units), "== B ==\nb\n== A ==\na\n");
    }
}
