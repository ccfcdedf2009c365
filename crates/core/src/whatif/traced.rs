//! What the program loads with nothing deferred, heaviest first: the fixed part every
//! projection of a trace starts from.

use super::eager::EagerClosure;
use super::plan::Plan;
use crate::model::{ImportGraph, ModuleId};

/// What the program loads as traced, with nothing deferred; it does not depend on the plan,
/// so an analysis computes it once.
#[derive(Debug, Clone)]
pub struct AsTraced {
    /// Every module the program reaches, heaviest cumulative first (ties by id): a plan's
    /// dropped modules are read off it in order, with no sort per projection.
    pub(super) heaviest_first: Vec<ModuleId>,
    /// The same modules, by id: the closure of a plan deferring nothing.
    pub(super) loaded: EagerClosure,
    /// Σ self of those modules in each run: the graph's run totals.
    pub(super) run_costs: Vec<u64>,
    /// The replayed requests, when the trace has some: usage measured, not set.
    pub samples: Option<super::sampled::Samples>,
}

impl AsTraced {
    /// What loads with nothing deferred, for `graph`.
    pub fn new(graph: &ImportGraph) -> AsTraced {
        let all = EagerClosure::new(graph, &Plan::new(graph));
        let mut heaviest_first: Vec<ModuleId> = graph.ids().filter(|&m| all.contains(m)).collect();
        let mut run_costs = graph.run_sums(heaviest_first.iter().copied());
        // A trace without runs (nothing read) still has one run of nothing.
        run_costs.resize(graph.runs().max(1) as usize, 0);
        // Keys gathered once in id order: a key looked up per comparison would be a cache
        // miss each.
        let keyed = heaviest_first
            .iter()
            .map(|&m| (u64::MAX - graph.module(m).cumulative_us, m))
            .collect();
        crate::model::sort_keyed(keyed, &mut heaviest_first);
        AsTraced {
            heaviest_first,
            loaded: all,
            run_costs,
            samples: super::sampled::Samples::of(graph),
        }
    }

    /// The eager closure of `plan`, from what loads as traced: only what the plan's deferred
    /// modules reach is walked again.
    pub fn eager_closure(&self, graph: &ImportGraph, plan: &Plan) -> EagerClosure {
        let mut eager = self.loaded.clone();
        eager.update(graph, plan);
        eager
    }
}
