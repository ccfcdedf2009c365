//! One analysis of a trace under a plan: the graph, its dominators, what loads as traced, the
//! plan, its projection and an optional comparison with a baseline trace. The reports, `check`,
//! `export` and the explorer all read this one value, so they always show the same figures.

use super::eager::EagerClosure;
use super::plan::{Decision, Plan};
use super::projection::{self, Projection};
use super::sampled::Share;
use super::traced::AsTraced;
use crate::model::{Comparison, Dominators, ImportGraph, Keys, ModuleId};

/// A module's usage as the explorer shows it (percent of requests).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Usage {
    /// Set in the plan (100 until set).
    Planned(f64),
    /// Implied by the deferred modules it loads with.
    WithDeferred(f64),
    /// Measured on the replayed requests: for a deferred module, the requests that run code
    /// its deferral drops; for another, what deferring every import of it alone would.
    Measured(Share),
}

impl Usage {
    /// Percent of requests.
    pub fn pct(self) -> f64 {
        match self {
            Usage::Planned(u) | Usage::WithDeferred(u) => u,
            Usage::Measured(s) => s.fraction() * 100.0,
        }
    }
}

/// What the plan does to a module, as the explorer's `defer` column and the HTML report say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanEffect {
    /// Deferred, but other code still loads it at start-up.
    KeptByOthers,
    /// Deferred in your code.
    Lazy,
    /// Every import of it deferred.
    LazyEverywhere,
    /// Eager itself, but it now loads only with deferred modules.
    WithDeferred,
    /// Loaded at start-up, as traced.
    Eager,
}

/// A configuration file and the flags it gave beside the command line's: said by every output,
/// so no figure comes from a file without a word.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigGave {
    /// The file, as named.
    pub file: String,
    /// The flags it gave, e.g. `["--budget-ms", "900"]`.
    pub flags: Vec<String>,
}

/// A trace, its plan and everything computed from them: what every report, check, export and the
/// explorer read.
pub struct Analysis {
    graph: ImportGraph,
    config: Option<ConfigGave>,
    dominators: Dominators,
    traced: AsTraced,
    /// The plan's eager closure, updated as decisions change.
    eager: EagerClosure,
    plan: Plan,
    projection: Projection,
    /// Counts the plan's edits, so a view can tell its figures from stale ones.
    revision: u64,
    /// Per module, the replayed requests that ran code it dominates (with requests only).
    needed_alone: Option<Vec<u32>>,
    comparison: Option<Comparison>,
}

impl Analysis {
    /// The analysis of `graph` under `plan`, against a baseline when there is one.
    pub fn new(graph: ImportGraph, plan: Plan, comparison: Option<Comparison>) -> Analysis {
        // The dominators and the projection need only the graph: one core each.
        let (dominators, (traced, eager, projection)) = rayon::join(
            || Dominators::compute(&graph),
            || {
                let traced = AsTraced::new(&graph);
                let eager = traced.eager_closure(&graph, &plan);
                let projection = projection::project_from(&graph, &traced, &eager, &plan);
                (traced, eager, projection)
            },
        );
        let needed_alone =
            (traced.samples.as_ref()).map(|s| s.needing_each(&graph, |m| dominators.idom(m)));
        Analysis {
            needed_alone,
            graph,
            config: None,
            dominators,
            traced,
            eager,
            plan,
            projection,
            revision: 0,
            comparison,
        }
    }

    /// Nothing deferred, default parameters.
    pub fn of(graph: ImportGraph) -> Analysis {
        let plan = Plan::new(&graph);
        Analysis::new(graph, plan, None)
    }

    /// With the settings a configuration file gave.
    pub fn with_config(self, config: Option<ConfigGave>) -> Analysis {
        Analysis { config, ..self }
    }

    /// The settings a configuration file gave, when one did.
    pub fn config(&self) -> Option<&ConfigGave> {
        self.config.as_ref()
    }

    /// The trace.
    pub fn graph(&self) -> &ImportGraph {
        &self.graph
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// What the plan projects.
    pub fn projection(&self) -> &Projection {
        &self.projection
    }

    /// The trace against its baseline.
    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref()
    }

    /// Changes the plan and projects it again, so the projection never goes stale.
    pub fn edit_plan<R>(&mut self, edit: impl FnOnce(&mut Plan) -> R) -> R {
        let result = edit(&mut self.plan);
        self.project();
        result
    }

    /// Sets a module's decision and projects again; deferring start-up is refused.
    pub fn set_decision(&mut self, m: ModuleId, d: Decision) -> Result<(), String> {
        self.set_decisions([(m, d)])
    }

    /// Sets decisions, then projects once; stops at the first refused (start-up) module.
    pub fn set_decisions(
        &mut self,
        decisions: impl IntoIterator<Item = (ModuleId, Decision)>,
    ) -> Result<(), String> {
        let mut result = Ok(());
        for (m, d) in decisions {
            result = self.plan.set_decision(&self.graph, m, d);
            if result.is_err() {
                break;
            }
        }
        self.project();
        result
    }

    /// Changes with every edit of the plan.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Projects the plan as it now stands; the eager closure follows only what changed.
    fn project(&mut self) {
        self.revision += 1;
        self.eager.update(&self.graph, &self.plan);
        self.projection =
            projection::project_from(&self.graph, &self.traced, &self.eager, &self.plan);
    }

    /// What deferring the module alone would save.
    pub fn retained_us(&self, m: ModuleId) -> u64 {
        self.dominators.retained_us(m)
    }

    /// What deferring every import of the module (other packages' too) would save.
    pub fn retained_everywhere_us(&self, m: ModuleId) -> u64 {
        self.dominators.retained_everywhere_us(m)
    }

    /// How many requests need a module, in percent: the plan's usage — or, for an eager module
    /// that now loads only with deferred ones, what their usage implies (its own usage counts
    /// only once it is deferred itself).
    pub fn usage(&self, m: ModuleId) -> Usage {
        if self.effect(m) == PlanEffect::WithDeferred {
            return Usage::WithDeferred(self.projection.use_probability(m) * 100.0);
        }
        if let Some(u) = self.plan.usage_set(m) {
            return Usage::Planned(u);
        }
        let deferred = self.projection.lazy.iter().find(|l| l.module == m);
        match (deferred, &self.needed_alone, &self.traced.samples) {
            (Some(l), _, _) => l.measured.map_or(Usage::Planned(100.0), Usage::Measured),
            (None, Some(needed), Some(s)) => {
                Usage::Measured(Share::new(needed[m.index()] as usize, s.n))
            }
            _ => Usage::Planned(100.0),
        }
    }

    /// A module's usage, percent, as every figure uses it: set by you, else measured, else 100.
    pub fn usage_pct(&self, m: ModuleId) -> f64 {
        self.usage(m).pct()
    }

    /// The labels of the replayed requests that need `m` (as `usage` counts them), grouped by
    /// their kind (a label less its number and extension: `report-7.json` → `report`),
    /// commonest first; empty without measured usage.
    pub fn needed_by(&self, m: ModuleId) -> Vec<(String, usize)> {
        let (Some(samples), Some(requests)) = (&self.traced.samples, self.requests()) else {
            return Vec::new();
        };
        let sets = match self.projection.lazy.iter().find(|l| l.module == m) {
            Some(l) => l.needed_by.clone(),
            None => samples.sets_hitting(|x| self.dominates(m, x)),
        };
        let mut kinds: Vec<(String, usize)> = Vec::new();
        for r in requests.requests.iter().filter(|r| sets.contains(&r.set)) {
            let kind = crate::model::requests::kind(&r.label);
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some(k) => k.1 += 1,
                None => kinds.push((kind, 1)),
            }
        }
        kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        kinds
    }

    /// Whether `d` is `m` or lies on every chain of imports to it.
    fn dominates(&self, d: ModuleId, m: ModuleId) -> bool {
        let mut at = Some(m);
        while let Some(x) = at {
            if x == d {
                return true;
            }
            at = self.dominators.idom(x);
        }
        false
    }

    /// The replayed requests usage was measured on, when the trace has some.
    pub fn requests(&self) -> Option<&crate::model::requests::Requests> {
        self.traced.samples.as_ref()?;
        self.graph.meta().requests.as_ref()
    }

    /// Whether the plan takes the module out of cold start (an import at exit never was in).
    pub fn leaves_cold_start(&self, m: ModuleId) -> bool {
        !self.projection.is_eager(m) && !self.graph.module(m).shutdown
    }

    /// What the plan does to a module.
    pub fn effect(&self, m: ModuleId) -> PlanEffect {
        let p = &self.projection;
        match self.plan.decision(m) {
            Decision::Lazy | Decision::LazyEverywhere if p.kept.iter().any(|k| k.module == m) => {
                PlanEffect::KeptByOthers
            }
            Decision::Lazy => PlanEffect::Lazy,
            Decision::LazyEverywhere => PlanEffect::LazyEverywhere,
            // An import at exit is no cold start's: no deferral moves it.
            Decision::Eager if self.graph.module(m).shutdown => PlanEffect::Eager,
            Decision::Eager if p.load_probability(m) < 1.0 => PlanEffect::WithDeferred,
            Decision::Eager => PlanEffect::Eager,
        }
    }

    /// The rule-of-thumb label of a module under the plan.
    pub fn suggestion(&self, m: ModuleId) -> super::Suggestion {
        self.plan
            .thresholds
            .suggest(self.retained_us(m), self.usage_pct(m))
    }

    /// What sorting orders by.
    pub fn keys(&self) -> Keys<'_> {
        Keys {
            graph: &self.graph,
            dominators: &self.dominators,
        }
    }

    /// Daily import time of one module deferred alone, eager vs lazy (see `module_daily_s`).
    pub fn module_daily_s(&self, m: ModuleId) -> (f64, f64) {
        projection::module_daily_s(&self.plan, self.retained_us(m), self.usage_pct(m))
    }

    /// Whether cold start is within the budget; `None` without one.
    pub fn within_budget(&self) -> Option<bool> {
        self.projection.within_budget(&self.plan)
    }
}

/// One analysis per edit the recording measured (`record --lazy`): the plan deferring exactly
/// that edit's modules in the user's code, so its projection can stand beside the measurement.
pub fn measured_edits(graph: &ImportGraph) -> Vec<Analysis> {
    let mut plan = Plan::new(graph);
    let mut analyses = Vec::new();
    for measured in &graph.meta().measured {
        plan.reset();
        for id in measured.lazy.iter().filter_map(|name| graph.find(name)) {
            // A module the plan cannot defer (start-up) stays eager, as it did in the run.
            let _ = plan.set_decision(graph, id, Decision::Lazy);
        }
        analyses.push(Analysis::new(graph.clone(), plan.clone(), None));
    }
    analyses
}
