//! The JSON report: the trace summary and projection, then one module a line.

mod lines;

use std::io::{self, Write};

use serde::Serialize;

use super::figures::edges_label;
use lmms_core::model::{Comparison, Delta, ImportGraph, Site, Sort, SortKey};
use lmms_core::whatif::{Analysis, PercentileMethod};

#[derive(Serialize)]
struct JsonTrace<'a> {
    files: &'a [String],
    runs: u32,
    modules: usize,
    edges: &'static str,
    python: Option<&'a str>,
    /// Interleaved lines of a text trace: the tree is a best guess where `count` > 0.
    level_jumps: &'a lmms_core::model::LevelJumps,
}

#[derive(Serialize)]
struct JsonProjection<'a> {
    cold_start_ms: f64,
    baseline_cold_start_ms: f64,
    /// Min and max over runs.
    cold_start_range_ms: [f64; 2],
    baseline_cold_start_range_ms: [f64; 2],
    /// What the plan saves from cold start: median, min and max over runs.
    saving_ms: [f64; 3],
    daily_import_s: f64,
    baseline_daily_import_s: f64,
    p50_ms: f64,
    p95_ms: f64,
    p99_ms: f64,
    baseline_p50_ms: f64,
    baseline_p95_ms: f64,
    baseline_p99_ms: f64,
    expected_cold_request_ms: f64,
    percentile_method: &'static str,
    budget_ms: Option<f64>,
    within_budget: Option<bool>,
    savings_may_be_overstated: bool,
    dropped_modules: Vec<&'a str>,
    lazy: Vec<JsonLazy<'a>>,
    /// Deferred modules other code keeps loading, with the chain that loads them.
    kept_loaded: Vec<JsonKept<'a>>,
    /// Importers of unknown origin whose imports were taken as the user's.
    assumed_your_code: Vec<&'a str>,
    /// `record --lazy` runs of exactly this plan's deferrals.
    measured: Option<JsonMeasured<'a>>,
    /// Cyclic-GC pauses in the program's imports, when recorded.
    gc_pauses: Option<JsonInterval>,
    params: &'a lmms_core::whatif::Params,
    thresholds: &'a lmms_core::whatif::Thresholds,
}

#[derive(Serialize)]
struct JsonComparison<'a> {
    total_before_us: u64,
    total_after_us: u64,
    new_modules: Vec<&'a str>,
    vanished_modules: Vec<&'a str>,
    /// Biggest regression first; unchanged names left out; `--top` applies.
    packages: Vec<JsonDelta<'a>>,
    modules: Vec<JsonDelta<'a>>,
}

fn json_deltas(list: &[Delta], top: usize) -> Vec<JsonDelta<'_>> {
    list.iter()
        .filter(|d| d.change_us() != 0)
        .take(top)
        .map(|d| JsonDelta {
            name: &d.name,
            before_us: d.before_us,
            after_us: d.after_us,
            change_us: d.change_us(),
            change_pct: d.change_pct(),
        })
        .collect()
}

#[derive(Serialize)]
struct JsonDelta<'a> {
    name: &'a str,
    before_us: Option<u64>,
    after_us: Option<u64>,
    change_us: i64,
    change_pct: Option<f64>,
}

#[derive(Serialize)]
struct JsonKept<'a> {
    name: &'a str,
    /// From the program's import down to the module.
    chain: Vec<&'a str>,
    /// Why: `import` (an importer the plan leaves eager) or `package` (a submodule loads it).
    reason: &'static str,
}

/// A median of paired differences with its 95 % bootstrap interval, in ms.
#[derive(Serialize)]
struct JsonInterval {
    median_ms: f64,
    low_ms: f64,
    high_ms: f64,
    pairs: usize,
}

impl From<lmms_core::model::PairedDifference> for JsonInterval {
    fn from(d: lmms_core::model::PairedDifference) -> Self {
        JsonInterval {
            median_ms: d.median_us / 1000.0,
            low_ms: d.low_us / 1000.0,
            high_ms: d.high_us / 1000.0,
            pairs: d.pairs,
        }
    }
}

#[derive(Serialize)]
struct JsonMeasured<'a> {
    lazy: &'a [String],
    /// Measured saving (unedited minus edited); null when every deferred module loaded anyway.
    saved: Option<JsonInterval>,
    projected_saved_ms: f64,
    within_noise: Option<bool>,
    projection_within_interval: Option<bool>,
    not_deferred: &'a [lmms_core::model::LoadedAnyway],
    /// The first replayed request needing the deferral: what it added there, measured and
    /// projected.
    #[serde(skip_serializing_if = "Option::is_none")]
    first_request: Option<JsonFirstRequest<'a>>,
    /// For `record --patch`: the patch, the modules not as projected, the smoke command.
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<&'a lmms_core::model::PatchCheck>,
}

#[derive(Serialize)]
struct JsonFirstRequest<'a> {
    label: &'a str,
    measured: JsonInterval,
    projected_ms: f64,
    projection_within_interval: bool,
}

#[derive(Serialize)]
struct JsonLazy<'a> {
    name: &'a str,
    usage_pct: f64,
    /// Where `usage_pct` comes from.
    usage: JsonUsage,
    load_probability: f64,
    cost_ms: f64,
    /// Where the program's own code imports it: the lines the deferral edits.
    edit_at: Vec<JsonSite<'a>>,
}

/// Where a usage comes from: `measured` (with the requests that needed it, of how many, and
/// the 95 % interval), `set` (by the user), `implied` (by deferred modules) or `assumed`.
#[derive(Serialize)]
pub(super) struct JsonUsage {
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    needed: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    of: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    low_pct: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    high_pct: Option<f64>,
}

impl JsonUsage {
    pub(super) fn of(a: &Analysis, m: lmms_core::model::ModuleId) -> JsonUsage {
        let plain = |source| JsonUsage {
            source,
            needed: None,
            of: None,
            low_pct: None,
            high_pct: None,
        };
        match a.usage(m) {
            lmms_core::whatif::Usage::Measured(s) => JsonUsage {
                source: "measured",
                needed: Some(s.needed),
                of: Some(s.of),
                low_pct: Some(s.low * 100.0),
                high_pct: Some(s.high * 100.0),
            },
            lmms_core::whatif::Usage::WithDeferred(_) => plain("implied"),
            _ if a.plan().usage_set(m).is_some() => plain("set"),
            _ => plain("assumed"),
        }
    }
}

/// One recorded import: who, how, and where it ran.
#[derive(Serialize)]
pub(super) struct JsonSite<'a> {
    /// `null`: the program itself.
    importer: Option<&'a str>,
    kind: &'static str,
    file: Option<&'a str>,
    line: Option<u32>,
    code: Option<&'a str>,
    /// The function the import sits in (absent for module-level code).
    #[serde(skip_serializing_if = "Option::is_none")]
    function: Option<&'a str>,
    /// That function's module, when it is not the importer (`attribute` and `call` kinds).
    #[serde(skip_serializing_if = "Option::is_none")]
    function_module: Option<&'a str>,
}

impl<'a> JsonSite<'a> {
    pub(super) fn of(g: &'a ImportGraph, site: &Site) -> JsonSite<'a> {
        let within = g.site_within(site);
        JsonSite {
            importer: site.importer.map(|i| g.name(i)),
            kind: site.kind.key(),
            file: g.site_file(site),
            line: g.site_file(site).map(|_| site.line),
            code: g.site_code(site),
            function: within.function,
            function_module: within.via,
        }
    }
}

pub fn write_json(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    let graph = a.graph();
    let trace = JsonTrace {
        files: &graph.meta().files,
        runs: graph.runs(),
        modules: graph.len(),
        edges: edges_label(graph),
        python: graph.meta().python.as_deref(),
        level_jumps: &graph.meta().level_jumps,
    };
    let projection = projection(a);
    out.write_all(b"{\"trace\": ")?;
    lmms_core::safe_json::to_writer(&mut *out, &trace)?;
    // Where settings came from beside the command line (null: nowhere).
    out.write_all(b",\n\"config\": ")?;
    lmms_core::safe_json::to_writer(&mut *out, &a.config())?;
    write!(
        out,
        ",\n\"total_us\": {},\n\"startup_us\": {},\n\"projection\": ",
        graph.total_us(),
        graph.startup_us()
    )?;
    lmms_core::safe_json::to_writer(&mut *out, &projection)?;
    if let Some(c) = a.comparison() {
        out.write_all(b",\n\"baseline\": ")?;
        lmms_core::safe_json::to_writer(&mut *out, &comparison(c, top))?;
    }
    out.write_all(b",\n\"modules\": [")?;
    let order = Sort::by(SortKey::Cumulative).top(&a.keys(), top);
    // Denser chunks read memory in longer runs; bounded, so a chunk's lines stay ~40 MB.
    let chunk_len = (order.len() / 8).clamp(64 * 1024, 128 * 1024);
    lines::write_modules(out, a, &order, chunk_len)?;
    out.write_all(b"\n]}\n")
}

/// The projection's figures as the document holds them.
fn projection(a: &Analysis) -> JsonProjection<'_> {
    let graph = a.graph();
    let p = a.projection();
    JsonProjection {
        cold_start_ms: p.cold_start_us as f64 / 1000.0,
        baseline_cold_start_ms: p.traced_cold_start_us as f64 / 1000.0,
        cold_start_range_ms: [p.cold_start.min, p.cold_start.max].map(|us| us as f64 / 1000.0),
        baseline_cold_start_range_ms: [p.traced_cold_start.min, p.traced_cold_start.max]
            .map(|us| us as f64 / 1000.0),
        saving_ms: [p.saving.median, p.saving.min, p.saving.max].map(|us| us as f64 / 1000.0),
        daily_import_s: p.daily_import_s,
        baseline_daily_import_s: p.traced_daily_import_s,
        p50_ms: p.percentiles.p50_us / 1000.0,
        p95_ms: p.percentiles.p95_us / 1000.0,
        p99_ms: p.percentiles.p99_us / 1000.0,
        baseline_p50_ms: p.traced_percentiles.p50_us / 1000.0,
        baseline_p95_ms: p.traced_percentiles.p95_us / 1000.0,
        baseline_p99_ms: p.traced_percentiles.p99_us / 1000.0,
        expected_cold_request_ms: p.expected_cold_request_us / 1000.0,
        percentile_method: match p.method {
            PercentileMethod::Exact => "exact",
            PercentileMethod::MonteCarlo { .. } => "monte-carlo",
            PercentileMethod::FromRequests { exact: true, .. } => "replayed-requests",
            PercentileMethod::FromRequests { exact: false, .. } => "replayed-requests-simulated",
        },
        budget_ms: a.plan().params.budget_ms,
        within_budget: a.within_budget(),
        savings_may_be_overstated: !p.edges_complete && !p.lazy.is_empty(),
        dropped_modules: p.dropped.iter().map(|&m| graph.name(m)).collect(),
        lazy: lazy_costs(a),
        kept_loaded: kept_loaded(a),
        assumed_your_code: {
            let mut names: Vec<&str> = p.assumed.iter().map(|&(_, f)| graph.name(f)).collect();
            names.sort_unstable();
            names.dedup();
            names
        },
        measured: super::measured::measured(a).map(|m| {
            let saving = m.saving.filter(|_| !m.deferred_nothing());
            JsonMeasured {
                lazy: &m.run.lazy,
                saved: saving.map(JsonInterval::from),
                projected_saved_ms: m.projected_saving_us / 1000.0,
                within_noise: saving.map(|s| s.within_noise()),
                projection_within_interval: saving.map(|s| s.contains(m.projected_saving_us)),
                not_deferred: &m.run.loaded_anyway,
                first_request: m.first_request.as_ref().map(|f| JsonFirstRequest {
                    label: f.label,
                    measured: f.penalty.into(),
                    projected_ms: f.projected_us / 1000.0,
                    projection_within_interval: f.within(),
                }),
                patch: m.run.patch.as_ref(),
            }
        }),
        gc_pauses: graph
            .meta()
            .gc
            .as_ref()
            .and_then(|gc| gc.pauses())
            .map(JsonInterval::from),
        params: &a.plan().params,
        thresholds: &a.plan().thresholds,
    }
}

fn comparison(c: &Comparison, top: usize) -> JsonComparison<'_> {
    JsonComparison {
        total_before_us: c.before_total_us,
        total_after_us: c.after_total_us,
        new_modules: c.new_modules().map(|d| d.name.as_str()).collect(),
        vanished_modules: c.vanished_modules().map(|d| d.name.as_str()).collect(),
        packages: json_deltas(&c.packages, top),
        modules: json_deltas(&c.modules, top),
    }
}

/// Each deferred module's usage, load probability, cost and the lines that defer it.
fn lazy_costs(a: &Analysis) -> Vec<JsonLazy<'_>> {
    let graph = a.graph();
    (a.projection().lazy.iter())
        .map(|l| JsonLazy {
            name: graph.name(l.module),
            usage_pct: a.usage_pct(l.module),
            usage: JsonUsage::of(a, l.module),
            load_probability: l.load_probability,
            cost_ms: l.cost_us as f64 / 1000.0,
            edit_at: super::figures::edit_sites(graph, l.module)
                .into_iter()
                .map(|site| JsonSite::of(graph, site))
                .collect(),
        })
        .collect()
}

/// Deferred modules other code keeps loading, with the chain and whether a package needs it.
fn kept_loaded(a: &Analysis) -> Vec<JsonKept<'_>> {
    let graph = a.graph();
    (a.projection().kept.iter())
        .map(|k| JsonKept {
            name: graph.name(k.module),
            chain: k.chain.iter().map(|&m| graph.name(m)).collect(),
            reason: if k.by_package(graph) {
                "package"
            } else {
                "import"
            },
        })
        .collect()
}
