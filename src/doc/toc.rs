//! Table-of-contents numbers, as MediaWiki gives them (shared by the outline and the
//! rendered table, which also numbers headings that make no section).

/// Numbers headings like MediaWiki's table of contents (`1`, `2`, `2.1`…), where the
/// nesting follows the relative order of levels, not their absolute values.
pub fn numbers(levels: &[u8]) -> Vec<String> {
    // Port of Parser::finalizeHeadings: `level_of[t]` is the heading level last seen at TOC
    // depth t, `count[t]` how many headings depth t has had since its parent changed.
    let mut level_of = [0u8; 8];
    let mut count = [0usize; 8];
    let mut depth = 0usize;
    let mut previous = 0u8;
    let mut out = Vec::with_capacity(levels.len());
    for &level in levels {
        if level > previous {
            depth = (depth + 1).min(7);
            count[depth] = 0;
        } else if level < previous && depth > 1 {
            let mut found = None;
            for i in (1..=depth).rev() {
                if level_of[i] == level {
                    found = Some(i);
                    break;
                } else if level_of[i] < level {
                    found = Some(i + 1);
                    break;
                }
            }
            depth = found.unwrap_or(1).min(7);
        }
        depth = depth.max(1);
        level_of[depth] = level;
        count[depth] += 1;
        let number: Vec<String> = (1..=depth)
            .filter(|&i| count[i] > 0)
            .map(|i| count[i].to_string())
            .collect();
        out.push(number.join("."));
        previous = level;
    }
    out
}
