//! What each deferred module loads at first use: the modules beyond eager ones and other
//! deferred ones that it alone, or it among others, brings in. The projection prices these.

use super::eager::EagerClosure;
use super::plan::{Plan, blocked};
use crate::model::{ImportGraph, ModuleId};

/// What each deferred module loads beyond eager modules and other deferred ones (in `lazy`
/// order), given what loads as `traced`: the modules touched, the (touched index, lazy index)
/// ownership pairs, and each module's touched index + 1 (0 for none), so the table starts
/// zeroed and only touched pages are written.
pub(super) fn closures(
    graph: &ImportGraph,
    plan: &Plan,
    traced: &EagerClosure,
    eager_seen: &[bool],
    lazy: &[ModuleId],
    dropped: &[ModuleId],
) -> (Vec<ModuleId>, Vec<(u32, u32)>, Vec<u32>) {
    // One deferred module that leaves start-up (the usual key press): every chain from the
    // program to a module no longer loaded passes through it, after its last blocked import,
    // so what it loads is exactly what was dropped (imports of shutdown modules are not in
    // the graph's imports), and no walk is needed.
    if let [only] = lazy
        && !eager_seen[only.index()]
        && traced.contains(*only)
    {
        let mut slot = vec![0u32; graph.len()];
        for (j, m) in dropped.iter().enumerate() {
            slot[m.index()] = j as u32 + 1;
        }
        let owned = (0..dropped.len() as u32).map(|j| (j, 0)).collect();
        return (dropped.to_vec(), owned, slot);
    }
    walk_closures(graph, plan, eager_seen, lazy)
}

/// `closures` by walking from each deferred module.
fn walk_closures(
    graph: &ImportGraph,
    plan: &Plan,
    eager_seen: &[bool],
    lazy: &[ModuleId],
) -> (Vec<ModuleId>, Vec<(u32, u32)>, Vec<u32>) {
    let mut slot = vec![0u32; graph.len()];
    let mut touched: Vec<ModuleId> = Vec::new();
    let mut owned: Vec<(u32, u32)> = Vec::new();
    let mut stack = Vec::new();
    // Visited marks per lazy module: `k + 1` for the k-th, so no array is cleared between them.
    let mut visit = vec![0u32; graph.len()];
    for (k, &i) in lazy.iter().enumerate() {
        let mark = k as u32 + 1;
        if eager_seen[i.index()] {
            continue; // kept loaded at start-up: nothing left to load lazily
        }
        // The lazy module itself is entered; other lazy modules stay deferred where the plan
        // blocks the import.
        visit[i.index()] = mark;
        stack.push(i);
        while let Some(m) = stack.pop() {
            let j = &mut slot[m.index()];
            if *j == 0 {
                touched.push(m);
                *j = touched.len() as u32;
            }
            owned.push((*j - 1, k as u32));
            for &next in graph.imports(m) {
                if visit[next.index()] != mark
                    && !eager_seen[next.index()]
                    && !blocked(graph, plan, Some(m), next)
                {
                    visit[next.index()] = mark;
                    stack.push(next);
                }
            }
        }
    }
    (touched, owned, slot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ModuleClass, TraceBuilder};
    use crate::synth::{Rng, SynthTree};
    use crate::whatif::Decision;

    /// A tree with extra imports (some into cycles) and some modules of other packages' code.
    fn tangled(seed: u64) -> ImportGraph {
        let modules = 200;
        let text = SynthTree::generate(modules, seed).to_importtime();
        let mut b = TraceBuilder::new();
        crate::trace::read_bytes(std::path::Path::new("t"), text.as_bytes(), &mut b).unwrap();
        let mut rng = Rng::new(seed);
        let n = b.module_count() as u64;
        for _ in 0..150 {
            let (from, to) = (rng.below(n) as u32, rng.below(n) as u32);
            b.edge(Some(from), to);
        }
        for _ in 0..40 {
            b.origin(rng.below(n) as u32, ModuleClass::ThirdParty, None);
        }
        b.set_edges_complete(true);
        ImportGraph::build(b).unwrap()
    }

    #[test]
    fn one_deferral_loads_exactly_what_was_dropped() {
        let mut compared = 0;
        for seed in 0..25 {
            let g = tangled(seed);
            let traced = EagerClosure::new(&g, &Plan::new(&g));
            for m in g.ids().step_by(7) {
                for decision in [Decision::Lazy, Decision::LazyEverywhere] {
                    let mut plan = Plan::new(&g);
                    if plan.set_decision(&g, m, decision).is_err() {
                        continue;
                    }
                    let mut eager = traced.clone();
                    eager.update(&g, &plan);
                    let seen = eager.as_slice();
                    let dropped: Vec<ModuleId> = g
                        .ids()
                        .filter(|&d| traced.contains(d) && !seen[d.index()])
                        .collect();
                    let sorted = |mut v: Vec<ModuleId>| {
                        v.sort();
                        v
                    };
                    let (fast, _, _) = closures(&g, &plan, &traced, seen, &[m], &dropped);
                    let (walked, _, _) = walk_closures(&g, &plan, seen, &[m]);
                    if !seen[m.index()] {
                        compared += 1;
                        assert_eq!(sorted(fast), sorted(walked), "{}", g.name(m));
                    }
                }
            }
        }
        assert!(compared > 500, "{compared}");
    }
}
