//! One analysis of a trace under a plan: the graph, its dominators, what loads as traced, the
//! plan, its projection and an optional comparison with a baseline trace. The reports, `check`,
//! `export` and the explorer all read this one value, so they always show the same figures.

use super::eager::EagerClosure;
use super::plan::{Decision, Plan};
use super::projection::{self, Projection};
use super::traced::AsTraced;
use crate::model::{Comparison, Dominators, ImportGraph, Keys, ModuleId};

/// A module's usage as the explorer shows it (percent of requests).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Usage {
    /// Set in the plan (100 until set).
    Planned(f64),
    /// Implied by the deferred modules it loads with.
    WithDeferred(f64),
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
        Analysis {
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

    /// Projects the plan as it now stands; the eager closure follows only what changed.
    /// Changes with every edit of the plan.
    pub fn revision(&self) -> u64 {
        self.revision
    }

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
            Usage::WithDeferred(self.projection.use_probability(m) * 100.0)
        } else {
            Usage::Planned(self.plan.usage_pct(m))
        }
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
            .suggest(self.retained_us(m), self.plan.usage_pct(m))
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
        projection::module_daily_s(&self.plan, self.retained_us(m), self.plan.usage_pct(m))
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
