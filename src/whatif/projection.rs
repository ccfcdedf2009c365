//! The what-if model (design §4): what cold start, per-request import latency and daily
//! import time become under a plan. Pure: a function of (graph, dominators, plan).
//!
//! Python caches modules per process, so a deferred module costs its not-yet-loaded closure
//! once per process, on the first request that uses it. With N = 1/c requests a process:
//! - cold start T_E = Σ self over everything reachable from the program through eager imports;
//! - lazy module i loads in a process with probability P_i = 1 − (1 − u_i)^N, costing
//!   t_i = Σ self over what only it brings in (reachable from i, not eager, not another lazy);
//! - daily import time = cR·(T_E + α·Σ_m s(m)·P(m loaded)), which is cR·(T_E + α·Σ P_i·t_i)
//!   when lazy closures are disjoint (shared modules load with the first of their owners);
//! - request k of a process pays T_E if k = 1 (not with SnapStart), plus α·t_i for each lazy i
//!   it is the first to use (probability u_i(1 − u_i)^(k−1)); percentiles are over all
//!   requests, exact for disjoint closures, else a seeded Monte-Carlo over processes.

use super::percentiles::{MC_PROCESSES, Percentiles, Positions, exact, monte_carlo};
use super::plan::{Decision, Plan};
use crate::model::{ImportGraph, Importer, ModuleClass, ModuleId, Spread, median};

/// Exact percentiles enumerate every subset of lazy modules at every request position; past
/// this many (positions × subsets) the Monte-Carlo takes over.
const EXACT_LIMIT: f64 = (1u64 << 20) as f64;
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentileMethod {
    Exact,
    MonteCarlo { processes: usize },
}

#[derive(Debug, Clone, PartialEq)]
pub struct LazyCost {
    pub module: ModuleId,
    /// Σ self of what it alone brings in (its closure minus eager and other lazy modules),
    /// median over runs.
    pub cost_us: u64,
    pub load_probability: f64,
}

/// Every figure is computed run by run and then summarised as the median over runs (with
/// min–max for cold start and the saving): a figure that happened, never a sum of medians.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Medians of `traced_cold_start` and `cold_start`.
    pub traced_cold_start_us: u64,
    pub cold_start_us: u64,
    pub traced_cold_start: Spread,
    pub cold_start: Spread,
    /// What the plan saves from cold start, run by run.
    pub saving: Spread,
    pub traced_daily_import_s: f64,
    pub daily_import_s: f64,
    /// A cold request's expected import time: T_E + α·Σ_m s(m)·P(some user of m used).
    pub expected_cold_request_us: f64,
    pub traced_percentiles: Percentiles,
    pub percentiles: Percentiles,
    pub method: PercentileMethod,
    /// Modules that leave cold start (loaded as traced, not by eager imports now),
    /// heaviest cumulative first.
    pub dropped: Vec<ModuleId>,
    pub lazy: Vec<LazyCost>,
    /// Deferred modules that other code still loads at start-up.
    pub kept: Vec<Kept>,
    /// (deferred module, importer of unknown origin whose import was taken as the user's).
    pub assumed: Vec<(ModuleId, ModuleId)>,
    /// Lazy closures share modules (their costs depend on which loads first).
    pub overlapping: bool,
    /// Probability each module is loaded in a process (1 for eager).
    pub load_probability: Vec<f64>,
    /// Probability a request needs each module: 1 for eager, a deferred module's usage, and for
    /// a module loaded with deferred ones the chance a request uses one of them.
    pub use_probability: Vec<f64>,
    /// Whether the projection rests on every import edge or only the first-import tree.
    pub edges_complete: bool,
}

impl Projection {
    pub fn within_budget(&self, plan: &Plan) -> Option<bool> {
        plan.params
            .budget_ms
            .map(|b| self.cold_start_us as f64 <= b * 1000.0)
    }
}

/// Daily import time of one module deferred alone, eager vs lazy: cR·t vs cR·α·P(u)·t, with
/// t its retained cost (what deferring it alone removes from cold start).
pub fn module_daily_s(plan: &Plan, retained_us: u64, usage_pct: f64) -> (f64, f64) {
    let p = &plan.params;
    let cold_per_day = p.cold_start_rate_pct / 100.0 * p.requests_per_day;
    let t = retained_us as f64 / 1e6;
    let load = 1.0 - (1.0 - usage_pct / 100.0).powf(p.requests_per_process());
    let eager = if p.snapstart { 0.0 } else { cold_per_day * t };
    (eager, cold_per_day * p.init_cpu_factor * load * t)
}

/// Whether the plan stops this import from happening at start-up. A deferred module's imports
/// by editable code (the program's, or of unknown origin) become lazy; `LazyEverywhere` makes
/// every import lazy. A submodule always loads its package: that edge is never blocked.
pub fn blocked(graph: &ImportGraph, plan: &Plan, from: Importer, to: ModuleId) -> bool {
    match plan.decision(to) {
        Decision::Eager => false,
        Decision::Lazy => graph.is_editable_import(from, to),
        Decision::LazyEverywhere => from.is_none_or(|f| !graph.is_package_edge(f, to)),
    }
}

/// Everything loaded from the program through imports the plan does not block, breadth
/// first; `via`, when given, gets the importer each module was first reached from.
fn reach(
    graph: &ImportGraph,
    plan: Option<&Plan>,
    seen: &mut [bool],
    mut via: Option<&mut [Importer]>,
    out: &mut Vec<ModuleId>,
) {
    let pass = |from: Importer, to: ModuleId| plan.is_none_or(|p| !blocked(graph, p, from, to));
    for &m in graph.program_imports() {
        if !seen[m.index()] && pass(None, m) {
            seen[m.index()] = true;
            out.push(m);
        }
    }
    let mut next = 0;
    while let Some(&m) = out.get(next) {
        next += 1;
        for &to in graph.imports(m) {
            if !seen[to.index()] && pass(Some(m), to) {
                seen[to.index()] = true;
                if let Some(via) = via.as_deref_mut() {
                    via[to.index()] = Some(m);
                }
                out.push(to);
            }
        }
    }
}

/// A deferred module that still loads at start-up, and the chain of imports that loads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub module: ModuleId,
    /// From the program's own import down to the module.
    pub chain: Vec<ModuleId>,
}

impl Kept {
    /// The module that keeps it loaded: the chain's link before it.
    pub fn importer(&self) -> Option<ModuleId> {
        let n = self.chain.len();
        (n >= 2).then(|| self.chain[n - 2])
    }

    /// Whether that is a submodule needing its package rather than an import statement.
    pub fn by_package(&self, graph: &ImportGraph) -> bool {
        self.importer()
            .is_some_and(|i| graph.is_package_edge(i, self.module))
    }
}

/// What the program loads as traced, with nothing deferred; it does not depend on the plan,
/// so an analysis computes it once.
#[derive(Debug, Clone)]
pub struct AsTraced {
    /// Every module the program reaches, in reach order.
    loaded: Vec<ModuleId>,
    /// Σ self of those modules in each run: the graph's run totals.
    run_costs: Vec<u64>,
}

impl AsTraced {
    pub fn new(graph: &ImportGraph) -> AsTraced {
        let mut seen = vec![false; graph.len()];
        let mut loaded = Vec::new();
        reach(graph, None, &mut seen, None, &mut loaded);
        let mut run_costs = graph.run_sums(loaded.iter().copied());
        // A trace without runs (nothing read) still has one run of nothing.
        run_costs.resize(graph.runs().max(1) as usize, 0);
        AsTraced { loaded, run_costs }
    }
}

/// One run's figures under the plan.
struct RunFigures {
    cold_start_us: u64,
    traced_cold_start_us: u64,
    daily_import_s: f64,
    traced_daily_import_s: f64,
    expected_cold_request_us: f64,
    traced_percentiles: Percentiles,
    percentiles: Percentiles,
}

pub fn project(graph: &ImportGraph, plan: &Plan) -> Projection {
    project_from(graph, &AsTraced::new(graph), plan)
}

pub fn project_from(graph: &ImportGraph, traced: &AsTraced, plan: &Plan) -> Projection {
    let params = plan.params;
    let n_requests = params.requests_per_process();
    let cold_per_day = params.cold_start_rate_pct / 100.0 * params.requests_per_day;
    let alpha = params.init_cpu_factor;
    let runs = graph.runs().max(1) as usize;

    // Eager closure: every import the plan leaves at start-up.
    let mut eager_seen = vec![false; graph.len()];
    let mut via = vec![None; graph.len()];
    let mut eager = Vec::new();
    reach(
        graph,
        Some(plan),
        &mut eager_seen,
        Some(&mut via),
        &mut eager,
    );
    let kept: Vec<Kept> = plan
        .lazy()
        .filter(|m| eager_seen[m.index()])
        .map(|m| {
            let mut chain = vec![m];
            while let Some(importer) = via[chain[chain.len() - 1].index()] {
                chain.push(importer);
            }
            chain.reverse();
            Kept { module: m, chain }
        })
        .collect();
    // Deferred modules whose imports in code of unknown origin were taken as the user's.
    let mut assumed: Vec<(ModuleId, ModuleId)> = Vec::new();
    for m in plan.lazy() {
        if plan.decision(m) != Decision::Lazy {
            continue;
        }
        for &importer in graph.importers(m) {
            if let Some(f) = importer
                && eager_seen[f.index()]
                && graph.module(f).class == ModuleClass::Unknown
                && !graph.is_package_edge(f, m)
            {
                assumed.push((m, f));
            }
        }
    }
    // Heaviest first, so the modules that matter lead any list.
    let mut dropped: Vec<(std::cmp::Reverse<u64>, ModuleId)> = traced
        .loaded
        .iter()
        .filter(|m| !eager_seen[m.index()])
        .map(|&m| (std::cmp::Reverse(graph.module(m).cumulative_us.median), m))
        .collect();
    dropped.sort_unstable();
    let dropped: Vec<ModuleId> = dropped.into_iter().map(|(_, m)| m).collect();

    // Each lazy module's closure beyond eager modules and other lazy modules; which lazy
    // modules own each module (several owners = overlapping closures).
    // Sorted by name, so nothing depends on the order modules were read in.
    let mut lazy_ids: Vec<ModuleId> = plan.lazy().collect();
    lazy_ids.sort_by(|a, b| graph.name(*a).cmp(graph.name(*b)));
    let mut owners: Vec<Vec<u32>> = vec![Vec::new(); graph.len()];
    let mut touched: Vec<ModuleId> = Vec::new();
    // Visited marks per lazy module: `k + 1` for the k-th, so no array is cleared between them.
    let mut visit = vec![0u32; graph.len()];
    for (k, &i) in lazy_ids.iter().enumerate() {
        let mark = k as u32 + 1;
        if eager_seen[i.index()] {
            continue; // kept loaded at start-up: nothing left to load lazily
        }
        // The lazy module itself is entered; other lazy modules stay deferred where the plan
        // blocks the import.
        visit[i.index()] = mark;
        let mut stack = vec![i];
        while let Some(m) = stack.pop() {
            if owners[m.index()].is_empty() {
                touched.push(m);
            }
            owners[m.index()].push(k as u32);
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
    let overlapping = touched.iter().any(|m| owners[m.index()].len() > 1);
    let usage: Vec<f64> = lazy_ids
        .iter()
        .map(|&i| plan.usage_pct(i) / 100.0)
        .collect();
    let p_load: Vec<f64> = usage
        .iter()
        .map(|&u| 1.0 - (1.0 - u).powf(n_requests))
        .collect();

    // Modules grouped by their owners ("atoms"); an atom loads unless none of its owners is
    // used: probability 1 − Π over owners of (1 − u)^N.
    let mut atoms: std::collections::BTreeMap<&[u32], Vec<ModuleId>> =
        std::collections::BTreeMap::new();
    for &m in &touched {
        atoms
            .entry(owners[m.index()].as_slice())
            .or_default()
            .push(m);
    }
    let never_in_process =
        |o: &[u32]| -> f64 { o.iter().map(|&k| 1.0 - p_load[k as usize]).product() };
    let never_in_request =
        |o: &[u32]| -> f64 { o.iter().map(|&k| 1.0 - usage[k as usize]).product() };
    let mut load_probability = vec![0.0; graph.len()];
    for m in &eager {
        load_probability[m.index()] = 1.0;
    }
    let mut use_probability = load_probability.clone();
    for m in &touched {
        load_probability[m.index()] = 1.0 - never_in_process(&owners[m.index()]);
        use_probability[m.index()] = 1.0 - never_in_request(&owners[m.index()]);
    }

    // Costs run by run: every figure is computed for each run, then summarised (the median of
    // what happened, not a figure of per-module medians).
    // A trace without runs (nothing read) counts as one run of nothing.
    let sums = |modules: &[ModuleId]| {
        let mut sums = graph.run_sums(modules.iter().copied());
        sums.resize(runs, 0);
        sums
    };
    let cold_runs = sums(&eager);
    let traced_runs = &traced.run_costs;
    let atom_runs: Vec<(&[u32], Vec<u64>)> = atoms
        .iter()
        .map(|(&o, members)| (o, sums(members)))
        .collect();
    let own_runs: Vec<Vec<u64>> = (0..lazy_ids.len() as u32)
        .map(|k| {
            atom_runs
                .iter()
                .find(|(o, _)| *o == [k])
                .map_or_else(|| vec![0; runs], |(_, c)| c.clone())
        })
        .collect();

    // Init (T_E) is paid per cold start, on the first request — unless SnapStart takes it
    // out of the request path.
    let init_us = |t: u64| if params.snapstart { 0.0 } else { t as f64 };
    let base_us = params.base_latency_ms * 1000.0;
    let positions = Positions::new(n_requests);
    let subsets = 2f64.powi(lazy_ids.len() as i32);
    let use_exact = !overlapping && positions.count as f64 * subsets <= EXACT_LIMIT;
    let method = if use_exact {
        PercentileMethod::Exact
    } else {
        PercentileMethod::MonteCarlo {
            processes: MC_PROCESSES,
        }
    };
    let per_run: Vec<RunFigures> = (0..runs)
        .map(|r| {
            let (cold, traced_cold) = (cold_runs[r], traced_runs[r]);
            let mut lazy_expected_us = 0.0; // per process
            let mut first_request_us = 0.0;
            for (o, costs) in &atom_runs {
                lazy_expected_us += costs[r] as f64 * (1.0 - never_in_process(o));
                first_request_us += costs[r] as f64 * (1.0 - never_in_request(o));
            }
            let first_cost = base_us + init_us(cold);
            let percentiles = if use_exact {
                let costs: Vec<f64> = own_runs.iter().map(|c| alpha * c[r] as f64).collect();
                exact(&positions, &usage, &costs, first_cost, base_us)
            } else {
                let atom_list: Vec<(Vec<u32>, f64)> = atom_runs
                    .iter()
                    .map(|(o, c)| (o.to_vec(), alpha * c[r] as f64))
                    .collect();
                monte_carlo(&positions, &usage, &atom_list, first_cost, base_us)
            };
            RunFigures {
                cold_start_us: cold,
                traced_cold_start_us: traced_cold,
                daily_import_s: cold_per_day * (init_us(cold) + alpha * lazy_expected_us) / 1e6,
                traced_daily_import_s: cold_per_day * init_us(traced_cold) / 1e6,
                expected_cold_request_us: init_us(cold) + alpha * first_request_us,
                traced_percentiles: exact(
                    &positions,
                    &[],
                    &[],
                    base_us + init_us(traced_cold),
                    base_us,
                ),
                percentiles,
            }
        })
        .collect();
    let median_of =
        |f: &dyn Fn(&RunFigures) -> f64| median(&mut per_run.iter().map(f).collect::<Vec<f64>>());
    let spread_of = |f: &dyn Fn(&RunFigures) -> u64| {
        Spread::of(&mut per_run.iter().map(f).collect::<Vec<u64>>())
    };
    let percentiles_of = |f: &dyn Fn(&RunFigures) -> &Percentiles| Percentiles {
        p50_us: median_of(&|x| f(x).p50_us),
        p95_us: median_of(&|x| f(x).p95_us),
        p99_us: median_of(&|x| f(x).p99_us),
    };
    let cold_start = spread_of(&|x| x.cold_start_us);
    let traced_cold_start = spread_of(&|x| x.traced_cold_start_us);
    let saving = spread_of(&|x| x.traced_cold_start_us.saturating_sub(x.cold_start_us));
    let lazy: Vec<LazyCost> = lazy_ids
        .iter()
        .enumerate()
        .map(|(k, &i)| LazyCost {
            module: i,
            cost_us: Spread::of(&mut own_runs[k].clone()).median,
            load_probability: p_load[k],
        })
        .collect();

    Projection {
        traced_cold_start_us: traced_cold_start.median,
        cold_start_us: cold_start.median,
        traced_cold_start,
        cold_start,
        saving,
        traced_daily_import_s: median_of(&|x| x.traced_daily_import_s),
        daily_import_s: median_of(&|x| x.daily_import_s),
        expected_cold_request_us: median_of(&|x| x.expected_cold_request_us),
        traced_percentiles: percentiles_of(&|x| &x.traced_percentiles),
        percentiles: percentiles_of(&|x| &x.percentiles),
        method,
        dropped,
        lazy,
        kept,
        assumed,
        overlapping,
        load_probability,
        use_probability,
        edges_complete: graph.edges_complete(),
    }
}
