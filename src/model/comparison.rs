//! Comparing a trace with a baseline: Δ per module and per top-level package, new and
//! vanished modules, and which changes count as regressions (noise-aware).

use std::collections::HashMap;

use super::graph::ImportGraph;
use super::packages::packages;

/// One name's time before and after (`None`: absent on that side), in µs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    pub name: String,
    pub before_us: Option<u64>,
    pub after_us: Option<u64>,
}

impl Delta {
    pub fn change_us(&self) -> i64 {
        self.after_us.unwrap_or(0) as i64 - self.before_us.unwrap_or(0) as i64
    }

    /// Relative change in percent; `None` for a new name.
    pub fn change_pct(&self) -> Option<f64> {
        match self.before_us {
            Some(b) if b > 0 => Some(self.change_us() as f64 * 100.0 / b as f64),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub before_total_us: u64,
    pub after_total_us: u64,
    /// Modules by cumulative time, biggest regression first.
    pub modules: Vec<Delta>,
    /// Top-level packages by self time summed over `pkg.*`, biggest regression first.
    pub packages: Vec<Delta>,
    /// Position of each module's delta in `modules`.
    index: HashMap<String, usize>,
}

impl Comparison {
    pub fn module(&self, name: &str) -> Option<&Delta> {
        self.index.get(name).map(|&i| &self.modules[i])
    }

    pub fn new_modules(&self) -> impl Iterator<Item = &Delta> {
        self.modules.iter().filter(|d| d.before_us.is_none())
    }

    pub fn vanished_modules(&self) -> impl Iterator<Item = &Delta> {
        self.modules.iter().filter(|d| d.after_us.is_none())
    }

    pub fn total(&self) -> Delta {
        Delta {
            name: "total".into(),
            before_us: Some(self.before_total_us),
            after_us: Some(self.after_total_us),
        }
    }
}

/// A change counts only past both an absolute and a relative threshold: small modules
/// jitter by large percentages, large ones by many microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    pub tolerance_pct: f64,
    pub min_ms: f64,
}

impl Default for Noise {
    fn default() -> Self {
        Noise {
            tolerance_pct: 10.0,
            min_ms: 1.0,
        }
    }
}

impl Noise {
    pub fn is_regression(&self, d: &Delta) -> bool {
        let grew_ms = d.change_us() as f64 / 1000.0;
        grew_ms >= self.min_ms && d.change_pct().is_none_or(|pct| pct > self.tolerance_pct)
    }
}

fn by_regression(mut deltas: Vec<Delta>) -> Vec<Delta> {
    deltas.sort_by(|a, b| b.change_us().cmp(&a.change_us()).then(a.name.cmp(&b.name)));
    deltas
}

fn package_self(graph: &ImportGraph) -> HashMap<String, u64> {
    packages(graph)
        .into_iter()
        .map(|p| (p.name, p.self_us))
        .collect()
}

fn deltas(before: HashMap<String, u64>, mut after: HashMap<String, u64>) -> Vec<Delta> {
    let mut out: Vec<Delta> = before
        .into_iter()
        .map(|(name, b)| {
            let a = after.remove(&name);
            Delta {
                name,
                before_us: Some(b),
                after_us: a,
            }
        })
        .collect();
    out.extend(after.into_iter().map(|(name, a)| Delta {
        name,
        before_us: None,
        after_us: Some(a),
    }));
    by_regression(out)
}

pub fn compare(before: &ImportGraph, after: &ImportGraph) -> Comparison {
    let cumulative = |g: &ImportGraph| -> HashMap<String, u64> {
        g.ids()
            .map(|m| (g.name(m).to_string(), g.module(m).cumulative_us.median))
            .collect()
    };
    let modules = deltas(cumulative(before), cumulative(after));
    let index = modules
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    Comparison {
        before_total_us: before.total_us(),
        after_total_us: after.total_us(),
        modules,
        packages: deltas(package_self(before), package_self(after)),
        index,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(before: Option<u64>, after: Option<u64>) -> Delta {
        Delta {
            name: "m".into(),
            before_us: before,
            after_us: after,
        }
    }

    #[test]
    fn regressions_need_both_thresholds() {
        let noise = Noise::default();
        assert!(noise.is_regression(&d(Some(10_000), Some(12_000)))); // +2 ms, +20 %
        assert!(!noise.is_regression(&d(Some(100), Some(900)))); // +800 %, but 0.8 ms
        assert!(!noise.is_regression(&d(Some(100_000), Some(105_000)))); // +5 ms, only 5 %
        assert!(noise.is_regression(&d(None, Some(1_500)))); // new and ≥ 1 ms
        assert!(!noise.is_regression(&d(None, Some(500))));
        assert!(!noise.is_regression(&d(Some(5_000), None))); // vanished: an improvement
        assert_eq!(d(Some(10_000), Some(15_000)).change_pct(), Some(50.0));
    }
}
