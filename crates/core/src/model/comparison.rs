//! Comparing a trace with a baseline: Δ per module and per top-level package, new and
//! vanished modules, each with its figures run by run so a shift can be told from noise.

use std::collections::HashMap;

use super::graph::ImportGraph;
use super::shift::Shifts;
use super::stats::Spread;

/// One name's time before and after (`None`: absent on that side), in µs: the median over
/// runs, and each run's figure (a run without the name counts 0 for a package).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delta {
    /// The package or module.
    pub name: String,
    /// Its median in the baseline, µs; `None` when new.
    pub before_us: Option<u64>,
    /// Its median now, µs; `None` when gone.
    pub after_us: Option<u64>,
    /// The baseline's runs, µs (0 in a run without it).
    pub before_runs: Vec<u64>,
    /// This trace's runs, µs (0 in a run without it).
    pub after_runs: Vec<u64>,
}

impl Delta {
    /// After minus before, µs (a missing side counts as 0).
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

/// A trace against its baseline: the total, each package and each module.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The baseline's median total, µs.
    pub before_total_us: u64,
    /// This trace's median total, µs.
    pub after_total_us: u64,
    /// Each run's total on each side.
    pub before_run_totals: Vec<u64>,
    /// This trace's run totals, µs.
    pub after_run_totals: Vec<u64>,
    /// How interpreter, platform or package versions differ from the baseline's (when both
    /// were recorded).
    pub fingerprint_changes: Vec<String>,
    /// Modules by cumulative time, biggest regression first.
    pub modules: Vec<Delta>,
    /// Top-level packages by self time summed over `pkg.*`, biggest regression first.
    pub packages: Vec<Delta>,
    /// Each package's modules' own times, after over before: what judges a package against
    /// the rest of the program.
    pub shifts: Shifts,
    /// Position of each module's delta in `modules`.
    index: HashMap<String, usize>,
}

impl Comparison {
    /// A module's change, by name.
    pub fn module(&self, name: &str) -> Option<&Delta> {
        self.index.get(name).map(|&i| &self.modules[i])
    }

    /// Modules only this trace has.
    pub fn new_modules(&self) -> impl Iterator<Item = &Delta> {
        self.modules.iter().filter(|d| d.before_us.is_none())
    }

    /// Modules only the baseline has.
    pub fn vanished_modules(&self) -> impl Iterator<Item = &Delta> {
        self.modules.iter().filter(|d| d.after_us.is_none())
    }

    /// The total's change, run by run.
    pub fn total(&self) -> Delta {
        Delta {
            name: "total".into(),
            before_us: Some(self.before_total_us),
            after_us: Some(self.after_total_us),
            before_runs: self.before_run_totals.clone(),
            after_runs: self.after_run_totals.clone(),
        }
    }
}

/// A change counts only past both an absolute and a relative floor — small modules jitter by
/// large percentages, large ones by many microseconds — and, when both sides have enough
/// runs, only when a rank test says noise is an unlikely explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Noise {
    /// A change counts only past this share, in percent.
    pub tolerance_pct: f64,
    /// A change counts only past this size, in ms.
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
    /// The floors when a side has one run and no rank test is possible: only large changes
    /// count (one run of an unchanged program put single packages 50 % off the others on this
    /// project's machine).
    pub const FEW_RUNS: Noise = Noise {
        tolerance_pct: 50.0,
        min_ms: 10.0,
    };

    /// Whether the change passes both floors.
    pub fn passes_floors(&self, d: &Delta) -> bool {
        let grew_ms = d.change_us() as f64 / 1000.0;
        grew_ms >= self.min_ms && d.change_pct().is_none_or(|pct| pct > self.tolerance_pct)
    }
}

/// Runs a side needs for the rank test. With few runs the test may not be able to reach its
/// threshold at all (2 and 3 runs: the smallest one-sided p is 1/10); the verdict says so.
pub const MIN_RUNS_FOR_TEST: usize = 2;

/// The smallest one-sided p the rank test can give with `n` and `m` runs: 1 / C(n + m, n).
pub fn smallest_p(n: usize, m: usize) -> f64 {
    let mut c = 1.0;
    for i in 0..n.min(m) {
        c = c * (n + m - i) as f64 / (i + 1) as f64;
    }
    1.0 / c
}

/// The rank test's threshold for the total: a shift whose p is at most this is not noise.
pub const ALPHA: f64 = 0.05;

/// The threshold for each package or module: stricter, since dozens are judged at once (with
/// 5 and 5 runs, only every run after above every run before).
pub const ALPHA_EACH: f64 = 0.005;

fn by_regression(mut deltas: Vec<Delta>) -> Vec<Delta> {
    deltas.sort_by(|a, b| b.change_us().cmp(&a.change_us()).then(a.name.cmp(&b.name)));
    deltas
}

/// Each run's cumulative per module (0 in a run that did not load it).
fn module_runs(graph: &ImportGraph) -> HashMap<String, Vec<u64>> {
    let runs = graph.runs() as usize;
    graph
        .ids()
        .map(|m| {
            let mut row = vec![0; runs];
            for s in graph.samples(m) {
                row[s.run as usize] = s.cumulative_us;
            }
            (graph.name(m).to_string(), row)
        })
        .collect()
}

/// Each timed module's own time, the median over runs (0 in a run that did not load it).
fn own_medians(graph: &ImportGraph) -> HashMap<&str, u64> {
    let mut row = vec![0u64; graph.runs() as usize];
    (graph.ids())
        .filter(|&m| graph.module(m).timed())
        .map(|m| {
            row.fill(0);
            for s in graph.samples(m) {
                row[s.run as usize] = row[s.run as usize].saturating_add(s.self_us);
            }
            (graph.name(m), median(&row))
        })
        .collect()
}

fn median(runs: &[u64]) -> u64 {
    Spread::of(&mut runs.to_vec()).median
}

fn deltas(before: HashMap<String, Vec<u64>>, mut after: HashMap<String, Vec<u64>>) -> Vec<Delta> {
    let mut out: Vec<Delta> = before
        .into_iter()
        .map(|(name, b)| {
            let a = after.remove(&name).unwrap_or_default();
            Delta {
                name,
                before_us: Some(median(&b)),
                after_us: (!a.is_empty()).then(|| median(&a)),
                before_runs: b,
                after_runs: a,
            }
        })
        .collect();
    out.extend(after.into_iter().map(|(name, a)| Delta {
        name,
        before_us: None,
        after_us: Some(median(&a)),
        before_runs: Vec::new(),
        after_runs: a,
    }));
    by_regression(out)
}

/// Compares a trace with its baseline.
pub fn compare(before: &ImportGraph, after: &ImportGraph) -> Comparison {
    let modules = deltas(module_runs(before), module_runs(after));
    let index = modules
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();
    Comparison {
        before_total_us: before.total_us(),
        after_total_us: after.total_us(),
        before_run_totals: before.run_totals().to_vec(),
        after_run_totals: after.run_totals().to_vec(),
        fingerprint_changes: match (&before.meta().fingerprint, &after.meta().fingerprint) {
            (Some(b), Some(a)) => a.differences(b),
            _ => Vec::new(),
        },
        modules,
        packages: deltas(
            super::packages::self_per_run(before),
            super::packages::self_per_run(after),
        ),
        shifts: Shifts::new(&own_medians(before), &own_medians(after)),
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
            before_runs: before.into_iter().collect(),
            after_runs: after.into_iter().collect(),
        }
    }

    #[test]
    fn regressions_need_both_floors() {
        let noise = Noise::default();
        assert!(noise.passes_floors(&d(Some(10_000), Some(12_000)))); // +2 ms, +20 %
        assert!(!noise.passes_floors(&d(Some(100), Some(900)))); // +800 %, but 0.8 ms
        assert!(!noise.passes_floors(&d(Some(100_000), Some(105_000)))); // +5 ms, only 5 %
        assert!(noise.passes_floors(&d(None, Some(1_500)))); // new and ≥ 1 ms
        assert!(!noise.passes_floors(&d(None, Some(500))));
        assert!(!noise.passes_floors(&d(Some(5_000), None))); // vanished: an improvement
        assert_eq!(d(Some(10_000), Some(15_000)).change_pct(), Some(50.0));
    }
}
