//! Modules grouped by the deferred modules that own them ("atoms"), and what each group costs
//! run by run. An atom loads unless none of its owners is used: probability
//! 1 − Π over owners of (1 − u)^N.

use super::sampled::Patterns;
use super::traced::AsTraced;
use crate::model::csr::Csr;
use crate::model::{ImportGraph, ModuleId};

/// Each deferred module's usage, and the chance a process loads it. Requests of a process are
/// independent draws, so none of a process's N uses an owner with the chance that one request
/// does not, to the power N.
pub(super) struct Odds {
    /// Per request, as a fraction.
    pub usage: Vec<f64>,
    /// Per process: 1 − (1 − u)^N.
    pub p_load: Vec<f64>,
    /// What requests use together, when measured; else usages are independent.
    pub patterns: Option<Patterns>,
    requests_per_process: f64,
}

impl Odds {
    pub fn new(usage: Vec<f64>, requests_per_process: f64, patterns: Option<Patterns>) -> Odds {
        let p_load = usage
            .iter()
            .map(|&u| 1.0 - (1.0 - u).powf(requests_per_process))
            .collect();
        Odds {
            usage,
            p_load,
            patterns,
            requests_per_process,
        }
    }

    /// The chance none of `owners` loads in a process.
    pub fn never_in_process(&self, owners: &[u32]) -> f64 {
        match &self.patterns {
            Some(_) => (self.never_in_request(owners)).powf(self.requests_per_process),
            None => (owners.iter())
                .map(|&k| 1.0 - self.p_load[k as usize])
                .product(),
        }
    }

    /// The chance a request uses none of `owners`.
    pub fn never_in_request(&self, owners: &[u32]) -> f64 {
        match &self.patterns {
            Some(p) => p.none_of(owners),
            None => (owners.iter())
                .map(|&k| 1.0 - self.usage[k as usize])
                .product(),
        }
    }

    /// (loaded in a process, needed by a request) for a module owned by `owners`.
    pub fn of(&self, owners: &[u32]) -> (f64, f64) {
        (
            1.0 - self.never_in_process(owners),
            1.0 - self.never_in_request(owners),
        )
    }
}

/// Each touched module's atom, the atoms numbered in owner order so nothing depends on the
/// walk's order; and each atom's owners.
pub(super) fn group(owners: &Csr<u32>, touched: usize) -> (Vec<u32>, Vec<&[u32]>) {
    let mut atom_index: std::collections::BTreeMap<&[u32], u32> = std::collections::BTreeMap::new();
    let mut atom_of: Vec<u32> = Vec::with_capacity(touched);
    // Neighbours mostly share owners, so the last atom is tried before the map.
    let mut last: Option<(&[u32], u32)> = None;
    for j in 0..touched {
        let o = owners.row(j);
        let same = |l: &[u32]| match (l, o) {
            ([x], [y]) => x == y, // one owner, the usual case: no call to compare slices
            _ => l == o,
        };
        let a = match last {
            Some((l, a)) if same(l) => a,
            _ => {
                let fresh = atom_index.len() as u32;
                let a = *atom_index.entry(o).or_insert(fresh);
                last = Some((o, a));
                a
            }
        };
        atom_of.push(a);
    }
    let mut renumber = vec![0u32; atom_index.len()];
    for (sorted, &first_seen) in atom_index.values().enumerate() {
        renumber[first_seen as usize] = sorted as u32;
    }
    for a in &mut atom_of {
        *a = renumber[*a as usize];
    }
    (atom_of, atom_index.into_keys().collect())
}

/// Costs run by run: every figure is computed for each run, then summarised (the median of
/// what happened, not a figure of per-module medians).
pub(super) struct Costs<'o> {
    /// Cold start under the plan, each run.
    pub cold_runs: Vec<u64>,
    /// Each atom's owners and its Σ self, each run.
    pub atom_runs: Vec<(&'o [u32], Vec<u64>)>,
    /// What each deferred module alone brings in (its single-owner atom), each run.
    pub own_runs: Vec<Vec<u64>>,
}

/// Where the modules of a projection stand: which load at start-up, which leave it, and which
/// deferred modules' closures (`touched`, found through `slot`) they fall in.
pub(super) struct Placement<'a> {
    pub eager: &'a [bool],
    pub dropped: &'a [ModuleId],
    pub touched: &'a [ModuleId],
    pub slot: &'a [u32],
}

impl<'o> Costs<'o> {
    pub fn sum(
        graph: &ImportGraph,
        traced: &AsTraced,
        at: &Placement,
        (atom_of, atoms): (&[u32], Vec<&'o [u32]>),
        lazy_count: usize,
    ) -> Costs<'o> {
        let runs = graph.runs().max(1) as usize;
        // Eager modules are the traced ones minus the dropped (exact unless a traced total
        // saturated): the dropped are usually the fewer. Their costs (the last row) are summed
        // in the same pass as the atoms'.
        let mut atom_sums = vec![vec![0; runs]; atoms.len() + 1];
        let gone = atoms.len();
        let dropped_now = |m: ModuleId| traced.loaded.contains(m) && !at.eager[m.index()];
        let untouched_dropped: Vec<ModuleId>;
        let few = if few_enough(graph, at.touched.len()) {
            untouched_dropped = (at.dropped.iter().copied())
                .filter(|m| at.slot[m.index()] == 0)
                .collect();
            Some([at.touched, &untouched_dropped[..]])
        } else {
            None
        };
        let atom = |m: ModuleId| {
            (at.slot[m.index()] != 0).then(|| atom_of[at.slot[m.index()] as usize - 1] as usize)
        };
        sum_groups(
            graph,
            few.as_ref().map(|lists| &lists[..]),
            |m| atom(m).into_iter().chain(dropped_now(m).then_some(gone)),
            &mut atom_sums,
        );
        let gone_runs = atom_sums.pop().unwrap_or_default();
        let cold_runs = cold_runs(graph, traced, at.eager, &gone_runs);
        let atom_runs: Vec<(&[u32], Vec<u64>)> = atoms.into_iter().zip(atom_sums).collect();
        // What each lazy module alone loads: the atom it is the only owner of (one pass, not
        // a search per module).
        let mut own_runs = vec![vec![0; runs]; lazy_count];
        for (owners, costs) in &atom_runs {
            if let [k] = owners {
                own_runs[*k as usize].clone_from(costs);
            }
        }
        Costs {
            cold_runs,
            atom_runs,
            own_runs,
        }
    }
}

/// Cold start each run: the traced totals minus what left start-up, or (when a traced total
/// saturated) the eager modules summed afresh.
fn cold_runs(graph: &ImportGraph, traced: &AsTraced, eager: &[bool], gone: &[u64]) -> Vec<u64> {
    let traced_runs = &traced.run_costs;
    if traced_runs.contains(&u64::MAX) {
        let mut sums = vec![vec![0; graph.runs().max(1) as usize]];
        sum_groups(graph, None, |m| eager[m.index()].then_some(0), &mut sums);
        return sums.remove(0);
    }
    traced_runs.iter().zip(gone).map(|(t, d)| t - d).collect()
}

/// Whether `listed` modules are few enough to be read module by module rather than in one
/// pass over every sample: when they are a small part of the graph, or when each module's
/// samples are a long row of their own (many runs), so reading only theirs is reading less.
fn few_enough(graph: &ImportGraph, listed: usize) -> bool {
    listed * 16 < graph.len() || (graph.runs() >= 16 && listed < graph.len())
}

/// Adds each module's self time, run by run, to the sums of its groups (`groups(m)`: none,
/// one or two). With `few` listing every member once (in disjoint lists) and few enough,
/// module by module; otherwise in one pass in id order, which reads the samples in sequence
/// instead of at random. Each module's samples are read once, whatever its groups.
fn sum_groups<G: IntoIterator<Item = usize>>(
    graph: &ImportGraph,
    few: Option<&[&[ModuleId]]>,
    groups: impl Fn(ModuleId) -> G,
    sums: &mut [Vec<u64>],
) {
    let mut add = |m: ModuleId| {
        let mut to = groups(m).into_iter();
        match (to.next(), to.next()) {
            (None, _) => {}
            (Some(g), None) => add_samples(graph, m, &mut sums[g], None),
            (Some(g), Some(h)) => {
                debug_assert!(to.next().is_none() && g < h, "two groups, in order");
                let (low, high) = sums.split_at_mut(h);
                add_samples(graph, m, &mut low[g], Some(&mut high[0]));
            }
        }
    };
    match few {
        Some(lists) if few_enough(graph, lists.iter().map(|l| l.len()).sum()) => {
            lists.iter().flat_map(|l| l.iter()).for_each(|&m| add(m))
        }
        _ => graph.ids().for_each(add),
    }
}

/// Adds `m`'s self time of each run to `sum` (and to `also`).
fn add_samples(graph: &ImportGraph, m: ModuleId, sum: &mut [u64], mut also: Option<&mut Vec<u64>>) {
    for s in graph.samples(m) {
        let run = s.run as usize;
        sum[run] = sum[run].saturating_add(s.self_us);
        if let Some(also) = also.as_deref_mut() {
            also[run] = also[run].saturating_add(s.self_us);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rng::Rng;
    use crate::model::{Sample, TraceBuilder};

    /// `modules` modules over `runs` runs, each missing from about one run in ten.
    fn graph(modules: u32, runs: u32, rng: &mut Rng) -> ImportGraph {
        let mut b = TraceBuilder::new();
        let ids: Vec<u32> = (0..modules).map(|i| b.module(&format!("m{i}"))).collect();
        for &m in &ids {
            b.tree_parent(m, None);
        }
        for _ in 0..runs {
            let run = b.begin_run();
            for &m in &ids {
                if rng.below(10) == 0 {
                    continue;
                }
                let self_us = rng.below(1000);
                let sample = Sample {
                    run,
                    self_us,
                    cumulative_us: self_us,
                };
                b.sample(m, sample);
            }
        }
        ImportGraph::build(b).unwrap()
    }

    /// Module by module or in one pass, one group or two: the same sums.
    #[test]
    fn every_way_of_summing_gives_the_same_sums() {
        let mut rng = Rng::new(5);
        for runs in [1, 3, 16, 40] {
            let g = graph(200, runs, &mut rng);
            let groups: Vec<Vec<usize>> = (0..g.len())
                .map(|_| match rng.below(4) {
                    0 => vec![],
                    1 => vec![rng.below(3) as usize],
                    _ => vec![rng.below(2) as usize, 2 + rng.below(2) as usize],
                })
                .collect();
            let listed: Vec<ModuleId> = g.ids().filter(|m| !groups[m.index()].is_empty()).collect();
            let (head, tail) = listed.split_at(listed.len() / 3);
            let of = |m: ModuleId| groups[m.index()].clone();
            let mut few = vec![vec![0; runs as usize]; 4];
            sum_groups(&g, Some(&[head, tail]), of, &mut few);
            let mut all = vec![vec![0; runs as usize]; 4];
            sum_groups(&g, None, of, &mut all);
            let mut naive = vec![vec![0u64; runs as usize]; 4];
            for m in g.ids() {
                for s in g.samples(m) {
                    for &k in &groups[m.index()] {
                        naive[k][s.run as usize] += s.self_us;
                    }
                }
            }
            assert_eq!((&few, &all), (&naive, &naive), "{runs} runs");
        }
    }
}
