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

use super::atoms::{self, Costs, Odds, Placement};
use super::closures::closures;
use super::eager::EagerClosure;
use super::percentiles::{Percentiles, Positions, exact, mc_processes, monte_carlo};
use super::plan::{Decision, Plan, blocked};
use super::sampled::{self, Patterns, Share};
use super::traced::AsTraced;
use crate::model::csr::Csr;
use crate::model::{ImportGraph, ModuleClass, ModuleId, Spread, median};

/// Exact percentiles enumerate every subset of lazy modules at every request position; past
/// this many (positions × subsets) the Monte-Carlo takes over.
const EXACT_LIMIT: f64 = (1u64 << 20) as f64;
/// How the percentiles were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentileMethod {
    /// By enumerating every request position and subset of deferred modules.
    Exact,
    /// By a seeded Monte-Carlo over this many processes.
    MonteCarlo {
        /// How many processes were simulated.
        processes: usize,
    },
    /// Each request drawn from the replayed ones (measured usage, usages that go together
    /// kept together): exactly, or by a seeded simulation when the states are many.
    FromRequests {
        /// Requests replayed.
        requests: usize,
        /// Whether found exactly.
        exact: bool,
    },
}

/// What a deferred module costs when it loads, and how likely it is to.
#[derive(Debug, Clone, PartialEq)]
pub struct LazyCost {
    /// The deferred module.
    pub module: ModuleId,
    /// Σ self of what it alone brings in (its closure minus eager and other lazy modules),
    /// median over runs.
    pub cost_us: u64,
    /// The chance a process loads it: 1 − (1 − u)^N.
    pub load_probability: f64,
    /// Its usage as measured on the replayed requests, unless one was set.
    pub measured: Option<Share>,
    /// The replayed requests' sets (`Requests::sets`) that need it, when measured.
    pub needed_by: Vec<u32>,
}

/// Every figure is computed run by run and then summarised as the median over runs (with
/// min–max for cold start and the saving): a figure that happened, never a sum of medians.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// Medians of `traced_cold_start` and `cold_start`.
    pub traced_cold_start_us: u64,
    /// Cold start under the plan, µs.
    pub cold_start_us: u64,
    /// Cold start as traced, over runs.
    pub traced_cold_start: Spread,
    /// Cold start under the plan, over runs.
    pub cold_start: Spread,
    /// What the plan saves from cold start, run by run.
    pub saving: Spread,
    /// Import time a day as traced, s.
    pub traced_daily_import_s: f64,
    /// Import time a day under the plan, s.
    pub daily_import_s: f64,
    /// A cold request's expected import time: T_E + α·Σ_m s(m)·P(some user of m used).
    pub expected_cold_request_us: f64,
    /// Per-request import latency as traced.
    pub traced_percentiles: Percentiles,
    /// Per-request import latency under the plan.
    pub percentiles: Percentiles,
    /// How the percentiles were found.
    pub method: PercentileMethod,
    /// Modules that leave cold start (loaded as traced, not by eager imports now),
    /// heaviest cumulative first.
    pub dropped: Vec<ModuleId>,
    /// Each deferred module's cost and load probability, by name.
    pub lazy: Vec<LazyCost>,
    /// Deferred modules that other code still loads at start-up.
    pub kept: Vec<KeptLoaded>,
    /// (deferred module, importer of unknown origin whose import was taken as the user's).
    pub assumed: Vec<(ModuleId, ModuleId)>,
    /// Lazy closures share modules (their costs depend on which loads first).
    pub overlapping: bool,
    /// Which modules load at start-up.
    eager: Vec<bool>,
    /// For each module loaded only with deferred ones, its place (+1) in `deferred`: the
    /// probability a process loads it and that a request needs it. 0 elsewhere.
    slot: Vec<u32>,
    deferred: Vec<(f64, f64)>,
    /// Whether the projection rests on every import edge or only the first-import tree.
    pub edges_complete: bool,
}

impl Projection {
    /// Probability the module is loaded in a process (1 for eager).
    pub fn load_probability(&self, m: ModuleId) -> f64 {
        self.probabilities(m).0
    }

    /// Probability a request needs the module: 1 for eager, a deferred module's usage, and for
    /// a module loaded with deferred ones the chance a request uses one of them.
    pub fn use_probability(&self, m: ModuleId) -> f64 {
        self.probabilities(m).1
    }

    fn probabilities(&self, m: ModuleId) -> (f64, f64) {
        match self.slot[m.index()] {
            _ if self.eager[m.index()] => (1.0, 1.0),
            0 => (0.0, 0.0),
            j => self.deferred[j as usize - 1],
        }
    }

    /// Whether the module still loads at start-up.
    pub fn is_eager(&self, m: ModuleId) -> bool {
        self.eager[m.index()]
    }

    /// Whether cold start is within the plan's budget; `None` without one.
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

/// A deferred module that still loads at start-up, and the chain of imports that loads it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptLoaded {
    /// The deferred module.
    pub module: ModuleId,
    /// From the program's own import down to the module.
    pub chain: Vec<ModuleId>,
}

impl KeptLoaded {
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

/// A shortest chain of open imports from the program down to `m`, which loads at start-up:
/// walked back from `m` through loaded importers, so only its ancestors are visited.
fn chain_to(graph: &ImportGraph, plan: &Plan, eager: &[bool], m: ModuleId) -> Vec<ModuleId> {
    let mut via: hashbrown::HashMap<ModuleId, ModuleId> = hashbrown::HashMap::new();
    let mut queue = vec![m];
    let mut next = 0;
    while let Some(&at) = queue.get(next) {
        next += 1;
        for &from in graph.importers(at) {
            if blocked(graph, plan, from, at) {
                continue;
            }
            match from {
                None => {
                    // The program imports it: the chain runs from here down to `m`.
                    let mut chain = vec![at];
                    while let Some(&below) = via.get(chain.last().expect("not empty")) {
                        chain.push(below);
                    }
                    return chain;
                }
                Some(f) if eager[f.index()] && f != m && !via.contains_key(&f) => {
                    via.insert(f, at);
                    queue.push(f);
                }
                Some(_) => {}
            }
        }
    }
    vec![m]
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
    /// Whether the percentiles were found exactly.
    exact: bool,
}

/// What `plan` makes of `graph`.
pub fn project(graph: &ImportGraph, plan: &Plan) -> Projection {
    let traced = AsTraced::new(graph);
    let eager = traced.eager_closure(graph, plan);
    project_from(graph, &traced, &eager, plan)
}

/// The projection of `plan`, whose eager closure `eager` is.
pub fn project_from(
    graph: &ImportGraph,
    traced: &AsTraced,
    eager: &EagerClosure,
    plan: &Plan,
) -> Projection {
    let eager_seen = eager.as_slice();
    // Heaviest first, so the modules that matter lead any list.
    let dropped: Vec<ModuleId> = (traced.heaviest_first.iter().copied())
        .filter(|m| !eager_seen[m.index()])
        .collect();
    // Sorted by name, so nothing depends on the order modules were read in.
    let mut lazy_ids: Vec<ModuleId> = plan.lazy().collect();
    lazy_ids.sort_by(|a, b| graph.name(*a).cmp(graph.name(*b)));
    // Each lazy module's closure beyond eager modules and other lazy modules: (j, k) says lazy
    // module k owns `touched[j]`; `slot` finds j for a module. Several owners of one module
    // are overlapping closures.
    let (touched, owned, slot) =
        closures(graph, plan, &traced.loaded, eager_seen, &lazy_ids, &dropped);
    let owners = Csr::from_pairs(touched.len(), &owned);
    let (measured, patterns) = measured_usage(traced, plan, &lazy_ids, &slot, &owners);
    // Measured where it was, else as set (100 % unless set).
    let usage = (lazy_ids.iter().zip(&measured))
        .map(|(&i, m)| {
            m.as_ref()
                .map_or(plan.usage_pct(i) / 100.0, |m| m.0.fraction())
        })
        .collect();
    let odds = Odds::new(usage, plan.params.requests_per_process(), patterns);
    let (atom_of, atoms) = atoms::group(&owners, touched.len());
    // In `touched` order, found through `slot`; eager modules read 1 from the closure.
    let deferred = (0..touched.len()).map(|j| odds.of(owners.row(j))).collect();
    let at = Placement {
        eager: eager_seen,
        dropped: &dropped,
        touched: &touched,
        slot: &slot,
    };
    let costs = Costs::sum(graph, traced, &at, (&atom_of, atoms), lazy_ids.len());
    let overlapping = owners.len() > touched.len();
    let processes = mc_processes(&odds.usage, graph.runs().max(1) as usize);
    let model = RequestModel::new(plan, lazy_ids.len(), overlapping, processes);
    let per_run: Vec<RunFigures> = (0..graph.runs().max(1) as usize)
        .map(|r| model.run(&odds, &costs, traced.run_costs[r], r))
        .collect();
    let method = match (&traced.samples, &odds.patterns) {
        (Some(samples), Some(_)) => PercentileMethod::FromRequests {
            requests: samples.n,
            exact: per_run.iter().all(|r| r.exact),
        },
        _ => model.method(),
    };
    let lazy = lazy_costs(&lazy_ids, &costs, &odds, measured);
    let summary = Summary::of(&per_run);
    Projection {
        traced_cold_start_us: summary.traced_cold_start.median,
        cold_start_us: summary.cold_start.median,
        traced_cold_start: summary.traced_cold_start,
        cold_start: summary.cold_start,
        saving: summary.saving,
        traced_daily_import_s: summary.traced_daily_import_s,
        daily_import_s: summary.daily_import_s,
        expected_cold_request_us: summary.expected_cold_request_us,
        traced_percentiles: summary.traced_percentiles,
        percentiles: summary.percentiles,
        method,
        kept: kept_loaded(graph, plan, eager_seen),
        assumed: assumed_imports(graph, plan, eager_seen),
        dropped,
        lazy,
        overlapping,
        eager: eager_seen.to_vec(),
        slot,
        deferred,
        edges_complete: graph.edges_complete(),
    }
}

/// Each deferred module's cost (median over runs), load probability and measured usage.
fn lazy_costs(
    lazy_ids: &[ModuleId],
    costs: &Costs,
    odds: &Odds,
    measured: Vec<Option<MeasuredShare>>,
) -> Vec<LazyCost> {
    (lazy_ids.iter().zip(measured).enumerate())
        .map(|(k, (&i, m))| {
            let (measured, needed_by) = m.map_or((None, Vec::new()), |(s, sets)| (Some(s), sets));
            LazyCost {
                module: i,
                cost_us: Spread::of(&mut costs.own_runs[k].clone()).median,
                load_probability: odds.p_load[k],
                measured,
                needed_by,
            }
        })
        .collect()
}

/// A deferred module's measured usage and the replayed requests' sets that need it.
type MeasuredShare = (Share, Vec<u32>);

/// Each deferred module's usage measured on the replayed requests, with the sets needing it
/// (those whose usage was set are left to the setting), and what requests use together;
/// nothing without requests.
fn measured_usage(
    traced: &AsTraced,
    plan: &Plan,
    lazy_ids: &[ModuleId],
    slot: &[u32],
    owners: &Csr<u32>,
) -> (Vec<Option<MeasuredShare>>, Option<Patterns>) {
    let Some(samples) = &traced.samples else {
        return (vec![None; lazy_ids.len()], None);
    };
    let uses = samples.uses(slot, owners);
    let measured: Vec<Option<MeasuredShare>> = (lazy_ids.iter().enumerate())
        .map(|(k, &i)| (plan.usage_set(i).is_none()).then(|| samples.share_using(&uses, k as u32)))
        .collect();
    if measured.iter().all(Option::is_none) {
        return (measured, None);
    }
    let flags: Vec<bool> = measured.iter().map(Option::is_some).collect();
    let set: Vec<(u32, f64)> = (lazy_ids.iter().enumerate())
        .filter_map(|(k, &i)| Some((k as u32, plan.usage_set(i)? / 100.0)))
        .collect();
    let patterns = Patterns::new(&uses, samples, &flags, &set);
    (measured, Some(patterns))
}

/// Deferred modules that other code still loads at start-up, each with the chain that does.
fn kept_loaded(graph: &ImportGraph, plan: &Plan, eager: &[bool]) -> Vec<KeptLoaded> {
    (plan.lazy())
        .filter(|m| eager[m.index()])
        .map(|m| KeptLoaded {
            module: m,
            chain: chain_to(graph, plan, eager, m),
        })
        .collect()
}

/// Deferred modules whose imports in code of unknown origin were taken as the user's:
/// (module, importer).
fn assumed_imports(graph: &ImportGraph, plan: &Plan, eager: &[bool]) -> Vec<(ModuleId, ModuleId)> {
    let mut assumed = Vec::new();
    for m in plan.lazy().filter(|&m| plan.decision(m) == Decision::Lazy) {
        for &importer in graph.importers(m) {
            if let Some(f) = importer
                && eager[f.index()]
                && graph.module(f).class == ModuleClass::Unknown
                && !graph.is_package_edge(f, m)
            {
                assumed.push((m, f));
            }
        }
    }
    assumed
}

/// How requests meet the plan: the parameters a run's figures need, and how percentiles are
/// found (exactly while positions × subsets stay small and closures disjoint).
struct RequestModel {
    cold_per_day: f64,
    /// The init-phase slowdown of lazy costs (α).
    alpha: f64,
    snapstart: bool,
    base_us: f64,
    positions: Positions,
    exact: bool,
    /// Processes the Monte-Carlo simulates (when not exact).
    mc_processes: usize,
}

impl RequestModel {
    fn new(plan: &Plan, lazy_count: usize, overlapping: bool, mc_processes: usize) -> RequestModel {
        let params = plan.params;
        let positions = Positions::new(params.requests_per_process());
        let subsets = 2f64.powi(lazy_count as i32);
        RequestModel {
            cold_per_day: params.cold_start_rate_pct / 100.0 * params.requests_per_day,
            alpha: params.init_cpu_factor,
            snapstart: params.snapstart,
            base_us: params.base_latency_ms * 1000.0,
            exact: !overlapping && positions.count as f64 * subsets <= EXACT_LIMIT,
            positions,
            mc_processes,
        }
    }

    fn method(&self) -> PercentileMethod {
        if self.exact {
            PercentileMethod::Exact
        } else {
            PercentileMethod::MonteCarlo {
                processes: self.mc_processes,
            }
        }
    }

    /// Init (T_E) is paid per cold start, on the first request — unless SnapStart takes it
    /// out of the request path.
    fn init_us(&self, t: u64) -> f64 {
        if self.snapstart { 0.0 } else { t as f64 }
    }

    /// Run `r`'s figures, its traced cold start being `traced_cold`.
    fn run(&self, odds: &Odds, costs: &Costs, traced_cold: u64, r: usize) -> RunFigures {
        let (alpha, base_us) = (self.alpha, self.base_us);
        let cold = costs.cold_runs[r];
        let mut lazy_expected_us = 0.0; // per process
        let mut first_request_us = 0.0;
        for (o, c) in &costs.atom_runs {
            lazy_expected_us += c[r] as f64 * (1.0 - odds.never_in_process(o));
            first_request_us += c[r] as f64 * (1.0 - odds.never_in_request(o));
        }
        let first_cost = base_us + self.init_us(cold);
        let atom_list = || -> Vec<(Vec<u32>, f64)> {
            (costs.atom_runs.iter())
                .map(|(o, c)| (o.to_vec(), alpha * c[r] as f64))
                .collect()
        };
        let mut exact_found = self.exact;
        let percentiles = if let Some(patterns) = &odds.patterns {
            let positions = &self.positions;
            let (p, exact) =
                sampled::percentiles(positions, patterns, &atom_list(), first_cost, base_us);
            exact_found = exact;
            p
        } else if self.exact {
            let own: Vec<f64> = costs.own_runs.iter().map(|c| alpha * c[r] as f64).collect();
            exact(&self.positions, &odds.usage, &own, first_cost, base_us)
        } else {
            monte_carlo(
                self.mc_processes,
                &self.positions,
                &odds.usage,
                &atom_list(),
                first_cost,
                base_us,
            )
        };
        let traced_first = base_us + self.init_us(traced_cold);
        RunFigures {
            cold_start_us: cold,
            traced_cold_start_us: traced_cold,
            daily_import_s: self.cold_per_day * (self.init_us(cold) + alpha * lazy_expected_us)
                / 1e6,
            traced_daily_import_s: self.cold_per_day * self.init_us(traced_cold) / 1e6,
            expected_cold_request_us: self.init_us(cold) + alpha * first_request_us,
            traced_percentiles: exact(&self.positions, &[], &[], traced_first, base_us),
            percentiles,
            exact: exact_found,
        }
    }
}

/// The runs' figures summarised: medians, and spreads for cold start and the saving.
struct Summary {
    traced_cold_start: Spread,
    cold_start: Spread,
    saving: Spread,
    traced_daily_import_s: f64,
    daily_import_s: f64,
    expected_cold_request_us: f64,
    traced_percentiles: Percentiles,
    percentiles: Percentiles,
}

impl Summary {
    fn of(per_run: &[RunFigures]) -> Summary {
        let median_of =
            |f: &dyn Fn(&RunFigures) -> f64| median(&mut per_run.iter().map(f).collect::<Vec<_>>());
        let spread_of = |f: &dyn Fn(&RunFigures) -> u64| {
            Spread::of(&mut per_run.iter().map(f).collect::<Vec<_>>())
        };
        let percentiles_of = |f: &dyn Fn(&RunFigures) -> &Percentiles| Percentiles {
            p50_us: median_of(&|x| f(x).p50_us),
            p95_us: median_of(&|x| f(x).p95_us),
            p99_us: median_of(&|x| f(x).p99_us),
        };
        Summary {
            traced_cold_start: spread_of(&|x| x.traced_cold_start_us),
            cold_start: spread_of(&|x| x.cold_start_us),
            saving: spread_of(&|x| x.traced_cold_start_us.saturating_sub(x.cold_start_us)),
            traced_daily_import_s: median_of(&|x| x.traced_daily_import_s),
            daily_import_s: median_of(&|x| x.daily_import_s),
            expected_cold_request_us: median_of(&|x| x.expected_cold_request_us),
            traced_percentiles: percentiles_of(&|x| &x.traced_percentiles),
            percentiles: percentiles_of(&|x| &x.percentiles),
        }
    }
}
