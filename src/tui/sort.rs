//! Sort orders shared by the views.

use std::cmp::Ordering;

use crate::graph::{ImportGraph, ModuleId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Cumulative,
    SelfTime,
    Name,
    ImportOrder,
}

impl SortKey {
    pub const ALL: [SortKey; 4] = [
        SortKey::Cumulative,
        SortKey::SelfTime,
        SortKey::Name,
        SortKey::ImportOrder,
    ];

    pub fn next(self) -> SortKey {
        let i = SortKey::ALL.iter().position(|k| *k == self).unwrap_or(0);
        SortKey::ALL[(i + 1) % SortKey::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Cumulative => "cumulative",
            SortKey::SelfTime => "self",
            SortKey::Name => "name",
            SortKey::ImportOrder => "import order",
        }
    }

    /// Times read heaviest first; names and import order read top to bottom.
    pub fn default_descending(self) -> bool {
        matches!(self, SortKey::Cumulative | SortKey::SelfTime)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
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
    pub fn by(key: SortKey) -> Sort {
        Sort {
            key,
            descending: key.default_descending(),
        }
    }

    pub fn arrow(self) -> &'static str {
        if self.descending { "▼" } else { "▲" }
    }

    /// Orders two modules; ties fall back to import order, whatever the direction.
    pub fn compare(self, graph: &ImportGraph, a: ModuleId, b: ModuleId) -> Ordering {
        let (ma, mb) = (graph.module(a), graph.module(b));
        let primary = match self.key {
            SortKey::Cumulative => ma.cumulative_us.median.cmp(&mb.cumulative_us.median),
            SortKey::SelfTime => ma.self_us.median.cmp(&mb.self_us.median),
            SortKey::Name => graph.name(a).cmp(graph.name(b)),
            SortKey::ImportOrder => a.cmp(&b),
        };
        let primary = if self.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then(a.cmp(&b))
    }

    /// Sorts ids; keys are gathered first so the sort does not chase modules in memory.
    pub fn sort(self, graph: &ImportGraph, ids: &mut [ModuleId]) {
        match self.key {
            SortKey::Name | SortKey::ImportOrder => {
                ids.sort_unstable_by(|&a, &b| self.compare(graph, a, b))
            }
            SortKey::Cumulative | SortKey::SelfTime => {
                let key = |id: ModuleId| {
                    let m = graph.module(id);
                    let v = if self.key == SortKey::Cumulative {
                        m.cumulative_us.median
                    } else {
                        m.self_us.median
                    };
                    if self.descending { u64::MAX - v } else { v }
                };
                let mut keyed: Vec<(u64, ModuleId)> = ids.iter().map(|&id| (key(id), id)).collect();
                keyed.sort_unstable();
                for (slot, (_, id)) in ids.iter_mut().zip(keyed) {
                    *slot = id;
                }
            }
        }
    }
}
