//! Retained figures, run by run: each module's dominator subtree summed children before
//! parents (reverse post-order), gates weighing nothing; each run's figure is capped by that
//! run's cumulative (the two differ only by CPython rounding each line), then the median over
//! runs is kept.

use super::flow::{Flow, NO_GATE};
use super::tree::Tree;
use crate::model::{ImportGraph, Importer, ModuleId, Spread};

/// Each run's self and cumulative times, run-major, from one pass over the samples; with one
/// run in which every module was timed, the modules' own figures are those.
struct RunFigures<'g> {
    graph: &'g ImportGraph,
    one_run: bool,
    self_runs: Vec<u64>,
    cumulative_runs: Vec<u64>,
}

impl<'g> RunFigures<'g> {
    fn new(graph: &'g ImportGraph, runs: usize) -> Self {
        let modules = graph.len();
        let one_run = runs == 1 && graph.modules().iter().all(|m| m.samples == 1);
        let (mut self_runs, mut cumulative_runs) = (Vec::new(), Vec::new());
        if !one_run {
            self_runs = vec![0u64; runs * modules];
            cumulative_runs = vec![u64::MAX; runs * modules];
            for m in graph.ids() {
                for s in graph.samples(m) {
                    self_runs[s.run as usize * modules + m.index()] = s.self_us;
                    cumulative_runs[s.run as usize * modules + m.index()] = s.cumulative_us;
                }
            }
        }
        RunFigures {
            graph,
            one_run,
            self_runs,
            cumulative_runs,
        }
    }

    /// (self, cumulative) of module `i` in run `r`.
    fn get(&self, r: usize, i: usize) -> (u64, u64) {
        if self.one_run {
            let m = &self.graph.modules()[i];
            (m.self_us, m.cumulative_us)
        } else {
            let at = r * self.graph.len() + i;
            (self.self_runs[at], self.cumulative_runs[at])
        }
    }
}

/// (deferring every import, deferring the user's): each module's median over runs.
pub(super) fn retained<G: Fn(Importer, ModuleId) -> bool>(
    flow: &Flow<G>,
    tree: &Tree,
) -> (Vec<u64>, Vec<u64>) {
    let (graph, modules) = (flow.graph, flow.modules);
    let runs = graph.runs().max(1) as usize;
    let mut everywhere_runs = vec![0u64; modules * runs];
    let mut yours_runs = vec![0u64; modules * runs];
    let figures = RunFigures::new(graph, runs);
    let mut retained: Vec<u64> = vec![0; flow.len()];
    for r in 0..runs {
        sum_subtrees(flow, tree, &mut retained, |i| figures.get(r, i).0);
        for i in 0..modules {
            let yours = match flow.gate[i] {
                NO_GATE if flow.all_gated[i] => retained[i + 1],
                NO_GATE => 0,
                g => retained[g as usize],
            };
            let cumulative = figures.get(r, i).1;
            everywhere_runs[i * runs + r] = retained[i + 1].min(cumulative);
            yours_runs[i * runs + r] = yours.min(cumulative);
        }
    }
    (medians(everywhere_runs, runs), medians(yours_runs, runs))
}

/// Each node's dominator subtree's self time, into `retained`: children before parents
/// (numbers from the last down).
fn sum_subtrees<G: Fn(Importer, ModuleId) -> bool>(
    flow: &Flow<G>,
    tree: &Tree,
    retained: &mut [u64],
    self_us: impl Fn(usize) -> u64,
) {
    let modules = flow.modules;
    for (i, slot) in retained[1..=modules].iter_mut().enumerate() {
        *slot = self_us(i);
    }
    retained[0] = 0;
    retained[modules + 1..].fill(0);
    for i in (1..tree.reached()).rev() {
        let (v, d) = (tree.node_at(i as u32), tree.node_at(tree.doms[i]));
        retained[d] = retained[d].saturating_add(retained[v]);
    }
}

/// Each module's median over its `runs` figures (a row each).
fn medians(mut values: Vec<u64>, runs: usize) -> Vec<u64> {
    if runs == 1 {
        return values; // one run: each figure is its own median
    }
    values
        .chunks_mut(runs)
        .map(|row| Spread::of(row).median)
        .collect()
}
