//! Top-level packages: the sum of self time over `pkg` and `pkg.*`.

use std::collections::HashMap;

use super::graph::ImportGraph;
use super::order::{Sort, SortKey};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub self_us: u64,
    pub modules: u32,
    /// First appearance, for import-order sorting.
    pub first: u32,
}

/// The top-level package of a dotted name (`botocore` for `botocore.utils`).
fn top_level(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Every top-level package, in order of first appearance.
pub fn packages(graph: &ImportGraph) -> Vec<Package> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Package> = Vec::new();
    for id in graph.ids() {
        let name = graph.name(id);
        let top = top_level(name);
        let i = *index.entry(top).or_insert_with(|| {
            out.push(Package {
                name: top.to_string(),
                self_us: 0,
                modules: 0,
                first: id.0,
            });
            out.len() - 1
        });
        out[i].self_us = out[i]
            .self_us
            .saturating_add(graph.module(id).self_us.median);
        out[i].modules += 1;
    }
    out
}

/// Packages have one time, their self sum: both time sorts use it.
pub fn sort_packages(packages: &mut [Package], sort: Sort) {
    packages.sort_by(|a, b| {
        let primary = match sort.key {
            SortKey::Cumulative | SortKey::SelfTime | SortKey::Retained => {
                a.self_us.cmp(&b.self_us)
            }
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
        let mut p = packages(&g);
        sort_packages(&mut p, Sort::default());
        let got: Vec<(&str, u64, u32)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.self_us, p.modules))
            .collect();
        assert_eq!(
            got,
            [("botocorex", 50, 1), ("botocore", 30, 2), ("boto3", 5, 1)]
        );
    }
}
