//! The JSON report: the trace summary and projection, then one module a line.

use std::io::{self, IoSlice, Write};

use rayon::prelude::*;

use serde::Serialize;

use super::figures::{decision_label, edges_label};
use crate::model::{Delta, ImportGraph, ModuleId, Site, Sort, SortKey};
use crate::safe_json;
use crate::whatif::{Analysis, PercentileMethod};

#[derive(Serialize)]
struct JsonTrace<'a> {
    files: &'a [String],
    runs: u32,
    modules: usize,
    edges: &'static str,
    python: Option<&'a str>,
    /// Interleaved lines of a text trace: the tree is a best guess where `count` > 0.
    level_jumps: &'a crate::model::LevelJumps,
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
    params: &'a crate::whatif::Params,
    thresholds: &'a crate::whatif::Thresholds,
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

impl From<crate::model::PairedDifference> for JsonInterval {
    fn from(d: crate::model::PairedDifference) -> Self {
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
    not_deferred: &'a [crate::model::LoadedAnyway],
}

#[derive(Serialize)]
struct JsonLazy<'a> {
    name: &'a str,
    usage_pct: f64,
    load_probability: f64,
    cost_ms: f64,
    /// Where the program's own code imports it: the lines the deferral edits.
    edit_at: Vec<JsonSite<'a>>,
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
}

impl<'a> JsonSite<'a> {
    pub(super) fn of(g: &'a ImportGraph, site: &Site) -> JsonSite<'a> {
        JsonSite {
            importer: site.importer.map(|i| g.name(i)),
            kind: site.kind.key(),
            file: g.site_file(site),
            line: g.site_file(site).map(|_| site.line),
            code: g.site_code(site),
        }
    }
}

pub fn write_json(a: &Analysis, top: usize, out: &mut impl Write) -> io::Result<()> {
    let graph = a.graph();
    let p = a.projection();
    let trace = JsonTrace {
        files: &graph.meta().files,
        runs: graph.runs(),
        modules: graph.len(),
        edges: edges_label(graph),
        python: graph.meta().python.as_deref(),
        level_jumps: &graph.meta().level_jumps,
    };
    let projection = JsonProjection {
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
        },
        budget_ms: a.plan().params.budget_ms,
        within_budget: a.within_budget(),
        savings_may_be_overstated: !p.edges_complete && !p.lazy.is_empty(),
        dropped_modules: p.dropped.iter().map(|&m| graph.name(m)).collect(),
        lazy: p
            .lazy
            .iter()
            .map(|l| JsonLazy {
                name: graph.name(l.module),
                usage_pct: a.plan().usage_pct(l.module),
                load_probability: l.load_probability,
                cost_ms: l.cost_us as f64 / 1000.0,
                edit_at: super::figures::edit_sites(graph, l.module)
                    .into_iter()
                    .map(|site| JsonSite::of(graph, site))
                    .collect(),
            })
            .collect(),
        kept_loaded: p
            .kept
            .iter()
            .map(|k| JsonKept {
                name: graph.name(k.module),
                chain: k.chain.iter().map(|&m| graph.name(m)).collect(),
                reason: if k.by_package(graph) {
                    "package"
                } else {
                    "import"
                },
            })
            .collect(),
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
    };
    out.write_all(b"{\"trace\": ")?;
    crate::safe_json::to_writer(&mut *out, &trace)?;
    write!(
        out,
        ",\n\"total_us\": {},\n\"startup_us\": {},\n\"projection\": ",
        graph.total_us(),
        graph.startup_us()
    )?;
    crate::safe_json::to_writer(&mut *out, &projection)?;
    if let Some(c) = a.comparison() {
        let json = JsonComparison {
            total_before_us: c.before_total_us,
            total_after_us: c.after_total_us,
            new_modules: c.new_modules().map(|d| d.name.as_str()).collect(),
            vanished_modules: c.vanished_modules().map(|d| d.name.as_str()).collect(),
            packages: json_deltas(&c.packages, top),
            modules: json_deltas(&c.modules, top),
        };
        out.write_all(b",\n\"baseline\": ")?;
        crate::safe_json::to_writer(&mut *out, &json)?;
    }
    out.write_all(b",\n\"modules\": [")?;
    let order = Sort::by(SortKey::Cumulative).top(&a.keys(), top);
    // Denser chunks read memory in longer runs; bounded, so a chunk's lines stay ~40 MB.
    let chunk_len = (order.len() / 8).clamp(64 * 1024, 128 * 1024);
    write_modules(out, a, &order, chunk_len)?;
    out.write_all(b"\n]}\n")
}

/// The modules in `order`, one a line, streamed: greppable, diffable, and
/// no second copy of 200k modules. Lines are made `chunk_len` at a time in id order — the order
/// every per-module array is laid out in, so each line's dozen figures come from memory already
/// near — and written in `order`.
fn write_modules(
    out: &mut impl Write,
    a: &Analysis,
    order: &[ModuleId],
    chunk_len: usize,
) -> io::Result<()> {
    let mut by_id: Vec<(ModuleId, u32)> = Vec::with_capacity(chunk_len.min(order.len()));
    // Each line's place: (part, start, end).
    let mut spans: Vec<(u32, u32, u32)> = Vec::with_capacity(chunk_len.min(order.len()));
    for (c, chunk) in order.chunks(chunk_len).enumerate() {
        by_id.clear();
        by_id.extend(
            chunk
                .iter()
                .enumerate()
                .map(|(rank, &id)| (id, rank as u32)),
        );
        by_id.sort_unstable();
        // The chunk's lines are made on every core, a run of ids each.
        let share = by_id.len().div_ceil(rayon::current_num_threads()).max(1024);
        let parts: Vec<Part> = by_id
            .par_chunks(share)
            .map(|ids| Part::of(a, ids))
            .collect::<io::Result<_>>()?;
        spans.clear();
        spans.resize(chunk.len(), (0, 0, 0));
        for (p, part) in parts.iter().enumerate() {
            for &(rank, start, end) in &part.spans {
                spans[rank as usize] = (p as u32, start, end);
            }
        }
        // Handed to the writer as they lie, up to a thousand lines a call: no copy into a
        // buffer, which at a million modules meant a third of a gigabyte.
        let mut slices: Vec<IoSlice> = Vec::with_capacity(LINES_A_CALL);
        for (i, &(p, start, end)) in spans.iter().enumerate() {
            let line = &parts[p as usize].lines[start as usize..end as usize];
            // Every line starts with its separator; the array's first has no comma.
            slices.push(IoSlice::new(if c == 0 && i == 0 {
                &line[1..]
            } else {
                line
            }));
            if slices.len() == LINES_A_CALL {
                write_all_vectored(out, &mut slices)?;
                slices.clear();
            }
        }
        write_all_vectored(out, &mut slices)?;
    }
    Ok(())
}

/// How many slices one vectored write takes (Linux's IOV_MAX).
const LINES_A_CALL: usize = 1024;

fn write_all_vectored(out: &mut impl Write, slices: &mut [IoSlice]) -> io::Result<()> {
    let mut slices = slices;
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Lines of a run of modules (by id), and where each sits: (rank in the chunk, start, end).
struct Part {
    lines: Vec<u8>,
    spans: Vec<(u32, u32, u32)>,
}

impl Part {
    fn of(a: &Analysis, ids: &[(ModuleId, u32)]) -> io::Result<Part> {
        let mut line = ModuleLine {
            numbers: itoa::Buffer::new(),
            floats: ryu::Buffer::new(),
        };
        let mut part = Part {
            lines: Vec::with_capacity(ids.len() * 256),
            spans: Vec::with_capacity(ids.len()),
        };
        for &(id, rank) in ids {
            let start = part.lines.len() as u32;
            part.lines.extend_from_slice(b",\n  ");
            line.write(&mut part.lines, a, id)?;
            part.spans.push((rank, start, part.lines.len() as u32));
        }
        Ok(part)
    }
}

/// Formatters reused from one module's line to the next.
struct ModuleLine {
    numbers: itoa::Buffer,
    floats: ryu::Buffer,
}

impl ModuleLine {
    /// One module as a JSON object.
    fn write(&mut self, out: &mut Vec<u8>, a: &Analysis, id: ModuleId) -> io::Result<()> {
        let graph = a.graph();
        let p = a.projection();
        let numbers = &mut self.numbers;
        let floats = &mut self.floats;
        let m = graph.module(id);
        out.write_all(b"{\"name\":")?;
        safe_json::write_str(out, graph.name(id))?;
        out.write_all(b",\"parent\":")?;
        json_importer(out, graph, m.parent)?;
        let retained = a.retained_us(id);
        let (self_us, cumulative_us) = (graph.self_spread(id), graph.cumulative_spread(id));
        for (key, value) in [
            ("depth", u64::from(m.depth)),
            ("self_us", m.self_us),
            ("cumulative_us", m.cumulative_us),
            ("samples", u64::from(m.samples)),
            ("self_us_min", self_us.min),
            ("self_us_max", self_us.max),
            ("cumulative_us_min", cumulative_us.min),
            ("cumulative_us_max", cumulative_us.max),
            ("retained_us", retained),
        ] {
            out.write_all(b",\"")?;
            out.write_all(key.as_bytes())?;
            out.write_all(b"\":")?;
            out.write_all(numbers.format(value).as_bytes())?;
        }
        out.write_all(b",\"retained_everywhere_us\":")?;
        out.write_all(numbers.format(a.retained_everywhere_us(id)).as_bytes())?;
        out.write_all(if m.startup {
            b",\"startup\":true"
        } else {
            b",\"startup\":false"
        })?;
        out.write_all(b",\"class\":\"")?;
        out.write_all(m.class.key().as_bytes())?;
        out.write_all(b"\"")?;
        if let Some(origin) = graph.origin(id) {
            out.write_all(b",\"origin\":")?;
            safe_json::write_str(out, origin)?;
        }
        let usage = a.plan().usage_pct(id);
        out.write_all(b",\"usage_pct\":")?;
        json_f64(out, numbers, floats, usage);
        out.write_all(b",\"decision\":\"")?;
        out.write_all(decision_label(a.plan().decision(id)).as_bytes())?;
        out.write_all(b"\",\"load_probability\":")?;
        json_f64(out, numbers, floats, p.load_probability(id));
        out.write_all(b",\"suggestion\":\"")?;
        out.write_all(a.suggestion(id).label().as_bytes())?;
        out.write_all(b"\"")?;
        // Importers beyond the first-import parent (none in a tree-only trace).
        let mut others = graph
            .statement_importers(id)
            .filter(|&i| i != m.parent)
            .peekable();
        if others.peek().is_some() {
            out.write_all(b",\"other_importers\":[")?;
            for (j, importer) in others.enumerate() {
                if j > 0 {
                    out.write_all(b",")?;
                }
                json_importer(out, graph, importer)?;
            }
            out.write_all(b"]")?;
        }
        if !graph.sites(id).is_empty() {
            out.write_all(b",\"imported_at\":")?;
            let sites: Vec<JsonSite> = graph
                .sites(id)
                .iter()
                .map(|site| JsonSite::of(graph, site))
                .collect();
            crate::safe_json::to_writer(&mut *out, &sites)?;
        }
        out.write_all(b"}")
    }
}

/// A JSON number; whole numbers (usage 100, probability 1) skip the float formatter.
fn json_f64(out: &mut Vec<u8>, numbers: &mut itoa::Buffer, floats: &mut ryu::Buffer, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        out.extend_from_slice(numbers.format(v as i64).as_bytes());
    } else {
        out.extend_from_slice(floats.format(v).as_bytes());
    }
}

fn json_importer(
    out: &mut impl Write,
    graph: &ImportGraph,
    importer: Option<ModuleId>,
) -> io::Result<()> {
    match importer {
        Some(m) => safe_json::write_str(out, graph.name(m)),
        None => out.write_all(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Sort, SortKey};
    use std::io::{self, IoSlice, Write};

    /// Takes at most 37 bytes a call, cutting through lines and slices alike.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(37);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
            let mut left = 37;
            for buf in bufs {
                let n = buf.len().min(left);
                self.0.extend_from_slice(&buf[..n]);
                left -= n;
                if left == 0 {
                    break;
                }
            }
            Ok(37 - left)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Lines made in chunks come out as one pass in report order would write them.
    #[test]
    fn chunks_change_nothing_but_speed() {
        let g = crate::trace::load(&["assets/lambda-handler-trace.json"]).unwrap();
        let a = crate::whatif::Analysis::of(g);
        let order = Sort::by(SortKey::Cumulative).all(&a.keys());
        let write = |chunk_len| {
            let mut out = Vec::new();
            super::write_modules(&mut out, &a, &order, chunk_len).unwrap();
            out
        };
        let one = write(usize::MAX);
        for chunk_len in [1, 3, 64, 500] {
            assert_eq!(write(chunk_len), one, "{chunk_len}");
        }
        // A writer that takes a few bytes a call, as a full pipe does, gets every byte once.
        let mut trickle = Trickle(Vec::new());
        super::write_modules(&mut trickle, &a, &order, 64).unwrap();
        assert_eq!(trickle.0, one);
        // In report order: the first line is the heaviest module.
        let first = String::from_utf8(one).unwrap();
        let name = a.graph().name(order[0]);
        assert!(
            first.starts_with(&format!("\n  {{\"name\":\"{name}\"")),
            "{name}"
        );
    }
}
