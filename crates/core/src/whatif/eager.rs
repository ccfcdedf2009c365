//! What loads at start-up under a plan: everything the program reaches through imports the plan
//! does not block. Kept between projections, so a change of a few decisions walks again only
//! what those modules can reach, not the whole graph.

use super::plan::{Decision, Plan, blocked};
use crate::model::{ImportGraph, Importer, ModuleId};

/// The eager closure of one plan's decisions.
#[derive(Debug, Clone)]
pub struct EagerClosure {
    loaded: Vec<bool>,
    /// The decisions it holds for: only these change which imports are blocked.
    decisions: Vec<Decision>,
}

impl EagerClosure {
    /// The closure under `plan`, by one walk of the whole graph.
    pub fn new(graph: &ImportGraph, plan: &Plan) -> EagerClosure {
        let mut closure = EagerClosure {
            loaded: vec![false; graph.len()],
            decisions: plan.decisions().to_vec(),
        };
        closure.walk_all(graph, plan);
        closure
    }

    /// Marks everything from the program, on a cleared closure (its buffer reused).
    fn walk_all(&mut self, graph: &ImportGraph, plan: &Plan) {
        let loaded = &mut self.loaded;
        let mut stack: Vec<ModuleId> = Vec::new();
        for &m in graph.program_imports() {
            if !loaded[m.index()] && passes(graph, plan, None, m) {
                loaded[m.index()] = true;
                stack.push(m);
            }
        }
        spread(graph, plan, loaded, stack);
    }

    /// Whether the module loads at start-up.
    pub fn contains(&self, m: ModuleId) -> bool {
        self.loaded[m.index()]
    }

    /// Whether each module loads at start-up, by id.
    pub fn as_slice(&self) -> &[bool] {
        &self.loaded
    }

    /// Brings the closure up to `plan`'s decisions. Only imports of a changed module change
    /// status, so only what is loaded downstream of one can stop loading: those are set aside,
    /// kept if something that certainly stays loaded (or the program) still imports them, and
    /// the walk goes on from those and from changed modules that now load. When that region
    /// grows past a sixteenth of the graph, one walk from the program is cheaper (checking
    /// importers costs more per module than walking imports), and it is done instead.
    pub fn update(&mut self, graph: &ImportGraph, plan: &Plan) {
        let changed: Vec<ModuleId> = self
            .decisions
            .iter()
            .zip(plan.decisions())
            .enumerate()
            .filter(|(_, (old, new))| old != new)
            .map(|(i, _)| ModuleId::new(i as u32))
            .collect();
        if changed.is_empty() {
            return;
        }
        self.decisions.copy_from_slice(plan.decisions());
        let loaded = &mut self.loaded;
        // Set aside: loaded and reachable from a changed module that is loaded.
        let mut doubtful: Vec<ModuleId> = changed
            .iter()
            .copied()
            .filter(|m| loaded[m.index()])
            .collect();
        for &m in &doubtful {
            loaded[m.index()] = false;
        }
        let budget = graph.len() / 16;
        let mut next = 0;
        while let Some(&m) = doubtful.get(next) {
            next += 1;
            if doubtful.len() > budget {
                loaded.fill(false);
                self.walk_all(graph, plan);
                return;
            }
            for &to in graph.imports(m) {
                if loaded[to.index()] {
                    loaded[to.index()] = false;
                    doubtful.push(to);
                }
            }
        }
        // Everything still marked stays loaded whatever the change; anything set aside or
        // changed that it (or the program) imports through an open import loads again.
        let candidates = doubtful
            .iter()
            .chain(&changed)
            .copied()
            // A module first imported at shutdown is never part of start-up.
            .filter(|&m| !graph.module(m).shutdown);
        let mut again: Vec<ModuleId> = Vec::new();
        for m in candidates {
            if loaded[m.index()] {
                continue;
            }
            let reached = graph.importers(m).iter().any(|&from| {
                from.is_none_or(|f| loaded[f.index()]) && passes(graph, plan, from, m)
            });
            if reached {
                loaded[m.index()] = true;
                again.push(m);
            }
        }
        spread(graph, plan, loaded, again);
    }
}

fn passes(graph: &ImportGraph, plan: &Plan, from: Importer, to: ModuleId) -> bool {
    !blocked(graph, plan, from, to)
}

/// Marks everything reachable from `stack` (already marked) through open imports.
fn spread(graph: &ImportGraph, plan: &Plan, loaded: &mut [bool], mut stack: Vec<ModuleId>) {
    while let Some(m) = stack.pop() {
        for &to in graph.imports(m) {
            if !loaded[to.index()] && passes(graph, plan, Some(m), to) {
                loaded[to.index()] = true;
                stack.push(to);
            }
        }
    }
}
