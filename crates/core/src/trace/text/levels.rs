//! The level of a 3.14 `cached` line, whose indentation CPython only prints when the name is
//! shorter than its field.

use super::{Entry, Figures};
use crate::model::names::Names;

/// Levels of every line. A cached line's level is exact when its name is padded
/// (padding + name length = 2 × level). Otherwise it lies between the level of the previous
/// timed line P (the import stack only grows until the next line is printed) and the next
/// timed line's level Q + 1; it takes the level of a padded cached line in the same block
/// (between the same two timed lines, levels only grow, and neighbours share an importer),
/// else P + 1 (the module that started after the previous line: imports at the top of a file),
/// kept within [P, Q + 1] and 2 × level ≤ name length.
pub(super) fn resolve_levels(entries: &[Entry], names: &Names) -> Vec<u32> {
    let n = entries.len();
    let mut levels: Vec<u32> = entries.iter().map(|e| e.level).collect();
    let mut previous_timed: u32 = 0;
    let mut i = 0;
    while i < n {
        if matches!(entries[i].figures, Figures::Timed { .. }) {
            previous_timed = levels[i];
            i += 1;
            continue;
        }
        let block_start = i;
        while i < n && matches!(entries[i].figures, Figures::Cached { .. }) {
            i += 1;
        }
        let block = block_start..i;
        let next_timed = entries.get(i).map(|e| e.level);
        let lowest = previous_timed;
        let explicit = |j: usize| -> Option<u32> {
            let Figures::Cached { pad } = entries[j].figures else {
                return None;
            };
            let len = names.name(entries[j].module).len() as u32;
            (pad > 0).then(|| ((pad + len) / 2).max(lowest))
        };
        let mut last_known: Option<u32> = None;
        for j in block.clone() {
            if let Some(level) = explicit(j) {
                levels[j] = level;
                last_known = Some(level);
                continue;
            }
            let anchor = last_known.or_else(|| (j + 1..block.end).find_map(explicit));
            let level = anchor.unwrap_or_else(|| {
                let len = names.name(entries[j].module).len() as u32;
                let guess = match next_timed {
                    Some(q) => (lowest + 1).min(q + 1),
                    None => lowest,
                };
                guess.min(len / 2).max(lowest)
            });
            levels[j] = level;
        }
    }
    levels
}
