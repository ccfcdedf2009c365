//! Orderings of modules: the one sort that the explorer's views and the reports share.

use super::dominators::Dominators;
use super::graph::{ImportGraph, ModuleId};
use rayon::slice::ParallelSliceMut;

/// What sorting looks at: the graph's figures and the retained costs.
#[derive(Clone, Copy)]
pub struct Keys<'a> {
    /// The graph the keys read.
    pub graph: &'a ImportGraph,
    /// Where retained costs come from.
    pub dominators: &'a Dominators,
}

impl Keys<'_> {
    /// The figure a time sort orders by (`None` for name and import order).
    pub fn time_us(&self, key: SortKey, id: ModuleId) -> Option<u64> {
        let m = self.graph.module(id);
        match key {
            SortKey::Cumulative => Some(m.cumulative_us),
            SortKey::SelfTime => Some(m.self_us),
            SortKey::Retained => Some(self.dominators.retained_us(id)),
            SortKey::Name | SortKey::ImportOrder => None,
        }
    }
}

/// What a list of modules is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    /// Cumulative time.
    Cumulative,
    /// Self time.
    SelfTime,
    /// What deferring the module alone would save.
    Retained,
    /// Full name.
    Name,
    /// Order of first import.
    ImportOrder,
}

impl SortKey {
    /// Every key, in the order `s` cycles through them.
    pub const ALL: [SortKey; 5] = [
        SortKey::Cumulative,
        SortKey::SelfTime,
        SortKey::Retained,
        SortKey::Name,
        SortKey::ImportOrder,
    ];

    /// The key after this one.
    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }

    /// The key as a header names it.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Cumulative => "cumulative",
            SortKey::SelfTime => "self",
            SortKey::Retained => "retained",
            SortKey::Name => "name",
            SortKey::ImportOrder => "import order",
        }
    }

    /// Times read heaviest first; names and import order read top to bottom.
    pub fn default_descending(self) -> bool {
        matches!(
            self,
            SortKey::Cumulative | SortKey::SelfTime | SortKey::Retained
        )
    }
}

/// A key and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// What to sort by.
    pub key: SortKey,
    /// Largest first.
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort {
            key: SortKey::Cumulative,
            descending: true,
        }
    }
}

impl Sort {
    /// `key` in its natural direction (times largest first, names A to Z).
    pub fn by(key: SortKey) -> Sort {
        Sort {
            key,
            descending: key.default_descending(),
        }
    }

    /// ▼ or ▲.
    pub fn arrow(self) -> &'static str {
        if self.descending { "▼" } else { "▲" }
    }

    /// Every module of the graph in this order.
    pub fn all(self, keys: &Keys) -> Vec<ModuleId> {
        self.top(keys, usize::MAX)
    }

    /// The first `k` modules of the graph in this order: a partial selection, then a sort of
    /// those `k` only — the same modules in the same order as the head of `all`.
    pub fn top(self, keys: &Keys, k: usize) -> Vec<ModuleId> {
        let mut ids: Vec<ModuleId> = keys.graph.ids().collect();
        if k < ids.len() {
            let graph = keys.graph;
            if self.key == SortKey::Name {
                ids.select_nth_unstable_by(k, |&a, &b| self.by_name(graph, a, b));
            } else {
                let mut keyed = self.keyed(keys, &ids);
                keyed.select_nth_unstable(k);
                keyed.truncate(k);
                ids = keyed.into_iter().map(|(_, id)| id).collect();
            }
            ids.truncate(k);
        }
        self.sort(keys, &mut ids);
        ids
    }

    fn by_name(self, graph: &ImportGraph, a: ModuleId, b: ModuleId) -> std::cmp::Ordering {
        let by_name = graph.name(a).cmp(graph.name(b));
        if self.descending {
            by_name.reverse()
        } else {
            by_name
        }
        .then(a.cmp(&b))
    }

    /// Each id with its sort key, so comparisons do not chase modules around memory; unique,
    /// since ties fall back to import order.
    fn keyed(self, keys: &Keys, ids: &[ModuleId]) -> Vec<(u64, ModuleId)> {
        ids.iter().map(|&id| (self.key_of(keys, id), id)).collect()
    }

    /// The key a time or import-order sort compares, ascending whatever the direction.
    fn key_of(self, keys: &Keys, id: ModuleId) -> u64 {
        let v = keys.time_us(self.key, id).unwrap_or(u64::from(id.raw()));
        if self.descending { u64::MAX - v } else { v }
    }

    /// Sorts ids; ties fall back to import order, whatever the direction.
    pub fn sort(self, keys: &Keys, ids: &mut [ModuleId]) {
        let graph = keys.graph;
        if self.key == SortKey::Name {
            ids.sort_unstable_by(|&a, &b| self.by_name(graph, a, b));
            return;
        }
        // A few ids (most modules' children) sort in place: gathering keys first pays off
        // only where comparisons outnumber the ids by far.
        if ids.len() <= 32 {
            ids.sort_unstable_by_key(|&id| (self.key_of(keys, id), id));
            return;
        }
        sort_keyed(self.keyed(keys, ids), ids);
    }
}

/// Writes into `ids` the ids of `keyed` ordered by key, ties by id (keys are unique with their
/// ids). When every key has the same high half (times below 2^32 µs, 71 minutes, as real ones
/// are), the low half and the id pack into one u64, which sorts faster than a pair; sorted on
/// every core.
pub fn sort_keyed(mut keyed: Vec<(u64, ModuleId)>, ids: &mut [ModuleId]) {
    let high = keyed.first().map_or(0, |&(k, _)| k >> 32);
    if keyed.iter().all(|&(k, _)| k >> 32 == high) {
        let mut packed: Vec<u64> = keyed
            .iter()
            .map(|&(k, id)| (k << 32) | u64::from(id.raw()))
            .collect();
        drop(keyed);
        packed.par_sort_unstable();
        for (slot, p) in ids.iter_mut().zip(packed) {
            *slot = ModuleId::new(p as u32);
        }
        return;
    }
    keyed.par_sort_unstable();
    for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
        *slot = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::SynthTree;

    /// A full order is by key, ties by import order, whether keys pack into one word (all
    /// below 2^32 µs) or not (one module of 2^32 + 1 µs, whose low half alone would sort it
    /// among the smallest).
    #[test]
    fn full_orders_follow_the_keys() {
        let small = SynthTree::generate(2000, 3).to_importtime();
        let big = format!("{small}import time: 4294967297 | 4294967297 | big\n");
        for text in [small, big] {
            let g = crate::trace::from_bytes("t", text.as_bytes()).unwrap();
            let d = Dominators::compute(&g);
            let keys = Keys {
                graph: &g,
                dominators: &d,
            };
            for key in [SortKey::Cumulative, SortKey::SelfTime, SortKey::Retained] {
                for descending in [true, false] {
                    let all = Sort { key, descending }.all(&keys);
                    let rank = |id| {
                        let v = keys.time_us(key, id).unwrap();
                        (if descending { u64::MAX - v } else { v }, id)
                    };
                    assert!(
                        all.windows(2).all(|w| rank(w[0]) < rank(w[1])),
                        "{key:?} descending {descending}, {} modules",
                        g.len()
                    );
                    // A few ids (sorted in place, not gathered) follow the same order.
                    let mut few: Vec<ModuleId> = g.ids().step_by(97).take(20).collect();
                    Sort { key, descending }.sort(&keys, &mut few);
                    assert!(few.windows(2).all(|w| rank(w[0]) < rank(w[1])), "{key:?}");
                }
            }
        }
    }

    /// `top(k)` is the head of `all`, for every key, direction and a spread of k.
    #[test]
    fn top_is_the_head_of_the_full_order() {
        let text = SynthTree::generate(3000, 7).to_importtime();
        let g = crate::trace::from_bytes("t", text.as_bytes()).unwrap();
        let d = Dominators::compute(&g);
        let keys = Keys {
            graph: &g,
            dominators: &d,
        };
        for key in SortKey::ALL {
            for descending in [true, false] {
                let sort = Sort { key, descending };
                let all = sort.all(&keys);
                assert_eq!(all.len(), g.len());
                for k in [0, 1, 25, 2999, 3000, 5000] {
                    assert_eq!(sort.top(&keys, k), all[..k.min(all.len())], "{key:?} {k}");
                }
            }
        }
    }
}
