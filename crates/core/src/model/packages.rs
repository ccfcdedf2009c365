//! Top-level packages: the sum of self time over `pkg` and `pkg.*`.

use std::collections::HashMap;

use super::graph::{ImportGraph, ModuleId};
use super::names::top_level_package;
use super::order::{Keys, Sort, SortKey};

/// A top-level package's sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The top-level name.
    pub name: String,
    /// Σ self of its modules, µs.
    pub self_us: u64,
    /// How many of its modules the trace has.
    pub modules: u32,
    /// First appearance, for import-order sorting.
    pub first: u32,
    /// The package's own module (`pandas`), when the trace has it: its cumulative and retained
    /// costs are the package's, and deferring it defers the package.
    pub root: Option<ModuleId>,
}

/// Every top-level package's modules, the packages in order of first appearance and each
/// one's modules in id order: the one grouping that package figures are summed over.
fn grouped(graph: &ImportGraph) -> Vec<(&str, Vec<ModuleId>)> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<(&str, Vec<ModuleId>)> = Vec::new();
    for id in graph.ids() {
        let top = top_level_package(graph.name(id));
        let i = *index.entry(top).or_insert_with(|| {
            out.push((top, Vec::new()));
            out.len() - 1
        });
        out[i].1.push(id);
    }
    out
}

/// Every top-level package, in order of first appearance.
pub fn packages(graph: &ImportGraph) -> Vec<Package> {
    grouped(graph)
        .into_iter()
        .map(|(top, members)| Package {
            name: top.to_string(),
            self_us: members
                .iter()
                .fold(0u64, |sum, &m| sum.saturating_add(graph.module(m).self_us)),
            modules: members.len() as u32,
            first: members[0].raw(),
            root: graph.find(top),
        })
        .collect()
}

/// Each run's Σ self per top-level package (0 in a run that loaded none of it).
pub fn self_per_run(graph: &ImportGraph) -> HashMap<String, Vec<u64>> {
    let runs = graph.runs() as usize;
    grouped(graph)
        .into_iter()
        .map(|(top, members)| {
            let mut row = vec![0u64; runs];
            for s in members.iter().flat_map(|&m| graph.samples(m)) {
                row[s.run as usize] = row[s.run as usize].saturating_add(s.self_us);
            }
            (top.to_string(), row)
        })
        .collect()
}

/// The modules of a top-level package (`pandas` and every `pandas.*`), in id order.
pub fn members(graph: &ImportGraph, package: &str) -> Vec<ModuleId> {
    graph
        .ids()
        .filter(|&id| top_level_package(graph.name(id)) == package)
        .collect()
}

/// Self sorts by the package's Σ self; cumulative and retained by its own module's (a package
/// whose own module is not in the trace counts as 0 there).
pub fn sort_packages(packages: &mut [Package], keys: &Keys, sort: Sort) {
    let time = |p: &Package| match sort.key {
        SortKey::SelfTime => p.self_us,
        key => p.root.and_then(|m| keys.time_us(key, m)).unwrap_or(0),
    };
    packages.sort_by(|a, b| {
        let primary = match sort.key {
            SortKey::Cumulative | SortKey::SelfTime | SortKey::Retained => time(a).cmp(&time(b)),
            SortKey::Name => a.name.cmp(&b.name),
            SortKey::ImportOrder => a.first.cmp(&b.first),
        };
        let primary = if sort.descending {
            primary.reverse()
        } else {
            primary
        };
        primary.then(a.first.cmp(&b.first))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_self_time_over_each_top_level_package() {
        let text = "\
import time:        10 |         10 |     botocore.utils
import time:        20 |         30 |   botocore
import time:         5 |         35 | boto3
import time:        50 |         50 | botocorex
";
        let g = crate::trace::from_bytes("t", text.as_bytes()).unwrap();
        let dominators = crate::model::Dominators::compute(&g);
        let keys = Keys {
            graph: &g,
            dominators: &dominators,
        };
        let mut p = packages(&g);
        sort_packages(&mut p, &keys, Sort::by(SortKey::SelfTime));
        let got: Vec<(&str, u64, u32)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.self_us, p.modules))
            .collect();
        assert_eq!(
            got,
            [("botocorex", 50, 1), ("botocore", 30, 2), ("boto3", 5, 1)]
        );
        // Cumulative: the package's own module's (boto3 brings botocore in).
        sort_packages(&mut p, &keys, Sort::by(SortKey::Cumulative));
        let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["botocorex", "boto3", "botocore"]);
    }
}
