//! Headless renderings of a trace and its what-if projection: text and markdown for people,
//! JSON for programs. All three show the same figures.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::Dominators;
use crate::model::{Comparison, Delta};
use crate::model::{ImportGraph, Module, ModuleId};
use crate::plan::{Decision, Plan};
use crate::units::{ms, percent};
use crate::whatif::{self, PercentileMethod, Projection};

/// What a report shows: the graph, and the plan with its projection.
pub struct Context<'a> {
    pub graph: &'a ImportGraph,
    pub dominators: &'a Dominators,
    pub plan: &'a Plan,
    pub projection: &'a Projection,
    /// The same program's baseline trace, when one is given.
    pub comparison: Option<&'a Comparison>,
}

/// The plan-dependent analysis a report needs, owned so a `Context` can borrow it.
pub struct Evaluated {
    pub dominators: Dominators,
    pub projection: Projection,
}

impl Evaluated {
    pub fn new(graph: &ImportGraph, plan: &Plan) -> Evaluated {
        Evaluated {
            dominators: Dominators::compute(graph),
            projection: whatif::project(graph, plan),
        }
    }
}

impl<'a> Context<'a> {
    pub fn new(graph: &'a ImportGraph, plan: &'a Plan, evaluated: &'a Evaluated) -> Context<'a> {
        Context {
            graph,
            dominators: &evaluated.dominators,
            plan,
            projection: &evaluated.projection,
            comparison: None,
        }
    }

    pub fn with_comparison(self, comparison: Option<&'a Comparison>) -> Context<'a> {
        Context { comparison, ..self }
    }
}

/// Modules slowest first by cumulative time (ties: import order).
pub fn by_cumulative(graph: &ImportGraph) -> Vec<ModuleId> {
    slowest_first(graph, |m| m.cumulative_us.median)
}

/// Modules slowest first by self time (ties: import order).
pub fn by_self(graph: &ImportGraph) -> Vec<ModuleId> {
    slowest_first(graph, |m| m.self_us.median)
}

fn slowest_first(graph: &ImportGraph, key: impl Fn(&Module) -> u64) -> Vec<ModuleId> {
    // Keys sit next to ids, so the sort never chases module structs around memory.
    let mut keyed: Vec<(std::cmp::Reverse<u64>, ModuleId)> = graph
        .ids()
        .map(|id| (std::cmp::Reverse(key(graph.module(id))), id))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, id)| id).collect()
}

pub fn edges_label(graph: &ImportGraph) -> &'static str {
    if graph.edges_complete() {
        "full"
    } else {
        "tree"
    }
}

/// One line saying what the trace is.
pub fn summary(graph: &ImportGraph) -> String {
    let files = graph.meta().files.join(", ");
    let runs = graph.runs();
    let mut line = format!(
        "{files}: {runs} run{}, {} modules, {} ms total import time ({} ms interpreter start-up)",
        if runs == 1 { "" } else { "s" },
        graph.len(),
        ms(graph.total_us()),
        ms(graph.startup_us()),
    );
    if let Some(python) = &graph.meta().python {
        line.push_str(&format!(", Python {python}"));
    }
    line
}

/// Said wherever savings are shown from a trace without complete edges.
pub const OVERSTATED: &str =
    "savings may be overstated: this trace has only the first-import tree (shared imports unseen)";

/// ms with one decimal and a sign.
pub fn signed_ms(us: f64) -> String {
    let sign = if us < 0.0 { "−" } else { "+" };
    format!("{sign}{}", ms(us.abs().round() as u64))
}

/// Change in percent with a sign, one decimal.
pub fn signed_percent(from: f64, to: f64) -> String {
    if from == 0.0 {
        return "—".into();
    }
    let pct = (to - from) / from * 100.0;
    let sign = if pct < 0.0 { "−" } else { "+" };
    format!("{sign}{:.1}%", pct.abs())
}

pub fn seconds(s: f64) -> String {
    format!("{s:.1}")
}

/// The projection as label/value lines, shared by text, markdown and the explorer's panel.
pub fn projection_lines(ctx: &Context) -> Vec<(String, String)> {
    let p = ctx.projection;
    let params = &ctx.plan.params;
    let mut lines = vec![
        (
            "parameters".to_string(),
            format!(
                "{} requests/day, {}% cold starts ({} request{} a process), base latency {} ms, \
                 init CPU factor {}{}",
                params.requests_per_day,
                params.cold_start_rate_pct,
                crate::units::number(params.requests_per_process()),
                if params.requests_per_process() == 1.0 {
                    ""
                } else {
                    "s"
                },
                params.base_latency_ms,
                params.init_cpu_factor,
                if params.snapstart {
                    ", init outside the request path (SnapStart)"
                } else {
                    ""
                }
            ),
        ),
        (
            "cold start".to_string(),
            format!(
                "{} ms traced → {} ms what-if ({} ms, {})",
                ms(p.baseline_cold_start_us),
                ms(p.cold_start_us),
                signed_ms(p.cold_start_us as f64 - p.baseline_cold_start_us as f64),
                signed_percent(p.baseline_cold_start_us as f64, p.cold_start_us as f64)
            ),
        ),
    ];
    if let (Some(budget), Some(ok)) = (params.budget_ms, p.within_budget(ctx.plan)) {
        lines.push((
            "budget".into(),
            format!("{} {budget} ms", if ok { "✓ within" } else { "✗ over" }),
        ));
    }
    let pct = |x: &whatif::Percentiles| {
        format!(
            "P50 {} · P95 {} · P99 {} ms",
            ms(x.p50_us.round() as u64),
            ms(x.p95_us.round() as u64),
            ms(x.p99_us.round() as u64)
        )
    };
    lines.push((
        "request import latency".into(),
        format!(
            "{} → {}{}",
            pct(&p.baseline_percentiles),
            pct(&p.percentiles),
            match p.method {
                PercentileMethod::Exact => String::new(),
                PercentileMethod::MonteCarlo { processes } =>
                    format!(" (Monte-Carlo over {processes} processes: lazy closures overlap)"),
            }
        ),
    ));
    lines.push((
        "cold request".into(),
        format!(
            "{} ms expected import time",
            ms(p.expected_cold_request_us.round() as u64)
        ),
    ));
    lines.push((
        "daily import time".into(),
        format!(
            "{} s → {} s ({})",
            seconds(p.baseline_daily_import_s),
            seconds(p.daily_import_s),
            signed_percent(p.baseline_daily_import_s, p.daily_import_s)
        ),
    ));
    let names: Vec<&str> = p
        .dropped
        .iter()
        .take(12)
        .map(|&m| ctx.graph.name(m))
        .collect();
    lines.push((
        "leave cold start".into(),
        if p.dropped.is_empty() {
            "nothing (no module deferred)".into()
        } else {
            format!(
                "{} modules: {}{}",
                p.dropped.len(),
                names.join(", "),
                if p.dropped.len() > names.len() {
                    ", …"
                } else {
                    ""
                }
            )
        },
    ));
    if let Some(line) = measured_line(ctx) {
        lines.push(("measured".into(), line));
    }
    if !p.edges_complete && !p.lazy.is_empty() {
        lines.push(("note".into(), OVERSTATED.into()));
    }
    lines
}

/// Projected vs measured, when the trace holds runs with exactly the plan's modules deferred.
pub fn measured_line(ctx: &Context) -> Option<String> {
    let mut lazy: Vec<&str> = ctx.plan.lazy().map(|m| ctx.graph.name(m)).collect();
    lazy.sort_unstable();
    let measured = ctx.graph.meta().measured.iter().find(|m| {
        !m.lazy.is_empty() && m.lazy.iter().map(String::as_str).eq(lazy.iter().copied())
    })?;
    let eager_total = ctx.graph.total_us() as f64;
    let lazy_total = measured.median_total_us() as f64;
    let p = ctx.projection;
    Some(format!(
        "with {} deferred: {} ms → {} ms measured ({} ms over {} runs) vs {} ms projected",
        measured.lazy.join(", "),
        ms(eager_total as u64),
        ms(lazy_total as u64),
        signed_ms(lazy_total - eager_total),
        measured.total_us.len(),
        signed_ms(p.cold_start_us as f64 - p.baseline_cold_start_us as f64),
    ))
}

/// A delta as `before → after (±ms, ±%)`, with `new`/`gone` for one-sided names.
pub fn delta_text(d: &Delta) -> String {
    match (d.before_us, d.after_us) {
        (Some(b), Some(a)) => format!(
            "{} → {} ms ({} ms, {})",
            ms(b),
            ms(a),
            signed_ms(d.change_us() as f64),
            signed_percent(b as f64, a as f64)
        ),
        (None, Some(a)) => format!("new, {} ms", ms(a)),
        (Some(b), None) => format!("gone, was {} ms", ms(b)),
        (None, None) => String::new(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Text,
    Markdown,
}

/// A table both renderers understand: numbers right-aligned in text.
struct Table {
    headers: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

fn write_table(out: &mut impl Write, style: Style, t: &Table) -> io::Result<()> {
    match style {
        Style::Markdown => {
            writeln!(out, "| {} |", t.headers.join(" | "))?;
            let rule: Vec<&str> = t
                .right
                .iter()
                .map(|r| if *r { "---:" } else { "---" })
                .collect();
            writeln!(out, "| {} |", rule.join(" | "))?;
            for row in &t.rows {
                let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
                writeln!(out, "| {} |", cells.join(" | "))?;
            }
        }
        Style::Text => {
            let cols = t.headers.len();
            let mut width: Vec<usize> = t.headers.iter().map(|h| h.chars().count()).collect();
            for row in &t.rows {
                for (i, c) in row.iter().enumerate().take(cols - 1) {
                    width[i] = width[i].max(c.chars().count());
                }
            }
            let line = |cells: &[String]| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    let pad = width[i].saturating_sub(c.chars().count());
                    if i > 0 {
                        s.push_str("  ");
                    }
                    if i == cols - 1 {
                        s.push_str(c);
                    } else if t.right[i] {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(c);
                    } else {
                        s.push_str(c);
                        s.push_str(&" ".repeat(pad));
                    }
                }
                s.trim_end().to_string()
            };
            writeln!(out, "{}", line(&t.headers))?;
            for row in &t.rows {
                writeln!(out, "{}", line(row))?;
            }
        }
    }
    Ok(())
}

pub fn write_text(ctx: &Context, top: usize, out: &mut impl Write) -> io::Result<()> {
    write_human(ctx, top, Style::Text, out)
}

pub fn write_markdown(ctx: &Context, top: usize, out: &mut impl Write) -> io::Result<()> {
    write_human(ctx, top, Style::Markdown, out)
}

fn write_human(ctx: &Context, top: usize, style: Style, out: &mut impl Write) -> io::Result<()> {
    let graph = ctx.graph;
    let heading = |out: &mut dyn Write, text: &str| -> io::Result<()> {
        match style {
            Style::Markdown => writeln!(out, "\n## {text}\n"),
            Style::Text => writeln!(out, "\n{text}"),
        }
    };
    match style {
        Style::Markdown => writeln!(out, "# Import profile\n\n{}", summary(graph))?,
        Style::Text => writeln!(out, "{}", summary(graph))?,
    }
    if !graph.edges_complete() {
        writeln!(
            out,
            "{}Import edges: first-import tree only (imports of already-loaded modules are not in this trace)",
            if style == Style::Markdown { "\n" } else { "" }
        )?;
    }

    heading(out, "What-if")?;
    for (label, value) in projection_lines(ctx) {
        match style {
            Style::Markdown => writeln!(out, "- **{label}**: {value}")?,
            Style::Text => writeln!(out, "  {label:<23} {value}")?,
        }
    }
    if !ctx.projection.lazy.is_empty() {
        writeln!(out)?;
        let rows = ctx
            .projection
            .lazy
            .iter()
            .map(|l| {
                let usage = ctx.plan.usage_pct(l.module);
                let (eager, lazy) =
                    whatif::module_daily_s(ctx.plan, ctx.dominators.retained_us(l.module), usage);
                vec![
                    crate::units::number(usage),
                    format!("{:.3}", l.load_probability),
                    ms(l.cost_us),
                    seconds(eager),
                    seconds(lazy),
                    graph.name(l.module).to_string(),
                ]
            })
            .collect();
        write_table(
            out,
            style,
            &Table {
                headers: [
                    "usage %",
                    "P(load)",
                    "lazy cost ms",
                    "eager s/day",
                    "lazy s/day",
                    "deferred module",
                ]
                .map(String::from)
                .to_vec(),
                right: vec![true, true, true, true, true, false],
                rows,
            },
        )?;
    }

    if let Some(c) = ctx.comparison {
        heading(out, "Compared with the baseline")?;
        writeln!(
            out,
            "{}total import time: {}",
            if style == Style::Text { "  " } else { "- " },
            delta_text(&c.total())
        )?;
        let new = c.new_modules().count();
        let gone = c.vanished_modules().count();
        writeln!(
            out,
            "{}modules: {new} new, {gone} vanished",
            if style == Style::Text { "  " } else { "- " }
        )?;
        writeln!(out)?;
        for (what, list) in [
            ("package (Σ self)", &c.packages),
            ("module (cumulative)", &c.modules),
        ] {
            let rows: Vec<Vec<String>> = list
                .iter()
                .filter(|d| d.change_us() != 0)
                .take(top)
                .map(|d| {
                    vec![
                        d.before_us.map(ms).unwrap_or_else(|| "—".into()),
                        d.after_us.map(ms).unwrap_or_else(|| "—".into()),
                        signed_ms(d.change_us() as f64),
                        d.change_pct().map_or("new".into(), |p| format!("{p:+.1}%")),
                        d.name.clone(),
                    ]
                })
                .collect();
            write_table(
                out,
                style,
                &Table {
                    headers: ["before ms", "after ms", "Δ ms", "Δ %", what]
                        .map(String::from)
                        .to_vec(),
                    right: vec![true, true, true, true, false],
                    rows,
                },
            )?;
            writeln!(out)?;
        }
    }

    let total = graph.total_us();
    let spread = graph.runs() > 1;
    for (title, order, by_self) in [
        ("by cumulative time", by_cumulative(graph), false),
        ("by self time", by_self(graph), true),
    ] {
        heading(out, &format!("Import Profile (Slowest First, {title})"))?;
        let mut headers = vec!["#", "cumul ms", "self ms", "retained ms", "% total"];
        if spread {
            headers.push(if by_self {
                "self min–max"
            } else {
                "cumulative min–max"
            });
        }
        headers.extend(["usage %", "decision", "suggestion", "module (import chain)"]);
        let rows = order
            .iter()
            .take(top)
            .enumerate()
            .map(|(rank, &id)| {
                let m = graph.module(id);
                let shown = if by_self { m.self_us } else { m.cumulative_us };
                let usage = ctx.plan.usage_pct(id);
                let retained = ctx.dominators.retained_us(id);
                let mut row = vec![
                    (rank + 1).to_string(),
                    ms(m.cumulative_us.median),
                    ms(m.self_us.median),
                    ms(retained),
                    format!("{}%", percent(shown.median, total)),
                ];
                if spread {
                    row.push(format!("{}–{}", ms(shown.min), ms(shown.max)));
                }
                row.push(crate::units::number(usage));
                row.push(decision_label(ctx.plan.decision(id)).into());
                row.push(ctx.plan.thresholds.suggest(retained, usage).label().into());
                row.push(if m.parent.is_some() {
                    format!("{}  ({})", graph.name(id), graph.chain_text(id))
                } else {
                    graph.name(id).to_string()
                });
                row
            })
            .collect();
        let right = headers
            .iter()
            .map(|h| !matches!(*h, "decision" | "suggestion" | "module (import chain)"))
            .collect();
        write_table(
            out,
            style,
            &Table {
                headers: headers.into_iter().map(String::from).collect(),
                right,
                rows,
            },
        )?;
        if order.len() > top {
            writeln!(out, "… {} more (--top N)", order.len() - top)?;
        }
    }
    Ok(())
}

pub fn decision_label(d: Decision) -> &'static str {
    match d {
        Decision::Eager => "eager",
        Decision::Lazy => "lazy",
    }
}

#[derive(Serialize)]
struct JsonTrace<'a> {
    files: &'a [String],
    runs: u32,
    modules: usize,
    edges: &'static str,
    python: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonProjection<'a> {
    cold_start_ms: f64,
    baseline_cold_start_ms: f64,
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
    params: &'a crate::plan::Params,
    thresholds: &'a crate::plan::Thresholds,
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
struct JsonLazy<'a> {
    name: &'a str,
    usage_pct: f64,
    load_probability: f64,
    cost_ms: f64,
}

pub fn write_json(ctx: &Context, top: usize, out: &mut impl Write) -> io::Result<()> {
    let graph = ctx.graph;
    let p = ctx.projection;
    let trace = JsonTrace {
        files: &graph.meta().files,
        runs: graph.runs(),
        modules: graph.len(),
        edges: edges_label(graph),
        python: graph.meta().python.as_deref(),
    };
    let projection = JsonProjection {
        cold_start_ms: p.cold_start_us as f64 / 1000.0,
        baseline_cold_start_ms: p.baseline_cold_start_us as f64 / 1000.0,
        daily_import_s: p.daily_import_s,
        baseline_daily_import_s: p.baseline_daily_import_s,
        p50_ms: p.percentiles.p50_us / 1000.0,
        p95_ms: p.percentiles.p95_us / 1000.0,
        p99_ms: p.percentiles.p99_us / 1000.0,
        baseline_p50_ms: p.baseline_percentiles.p50_us / 1000.0,
        baseline_p95_ms: p.baseline_percentiles.p95_us / 1000.0,
        baseline_p99_ms: p.baseline_percentiles.p99_us / 1000.0,
        expected_cold_request_ms: p.expected_cold_request_us / 1000.0,
        percentile_method: match p.method {
            PercentileMethod::Exact => "exact",
            PercentileMethod::MonteCarlo { .. } => "monte-carlo",
        },
        budget_ms: ctx.plan.params.budget_ms,
        within_budget: p.within_budget(ctx.plan),
        savings_may_be_overstated: !p.edges_complete && !p.lazy.is_empty(),
        dropped_modules: p.dropped.iter().map(|&m| graph.name(m)).collect(),
        lazy: p
            .lazy
            .iter()
            .map(|l| JsonLazy {
                name: graph.name(l.module),
                usage_pct: ctx.plan.usage_pct(l.module),
                load_probability: l.load_probability,
                cost_ms: l.cost_us as f64 / 1000.0,
            })
            .collect(),
        params: &ctx.plan.params,
        thresholds: &ctx.plan.thresholds,
    };
    out.write_all(b"{\"trace\": ")?;
    serde_json::to_writer(&mut *out, &trace)?;
    write!(
        out,
        ",\n\"total_us\": {},\n\"startup_us\": {},\n\"projection\": ",
        graph.total_us(),
        graph.startup_us()
    )?;
    serde_json::to_writer(&mut *out, &projection)?;
    if let Some(c) = ctx.comparison {
        let json = JsonComparison {
            total_before_us: c.before_total_us,
            total_after_us: c.after_total_us,
            new_modules: c.new_modules().map(|d| d.name.as_str()).collect(),
            vanished_modules: c.vanished_modules().map(|d| d.name.as_str()).collect(),
            packages: json_deltas(&c.packages, top),
            modules: json_deltas(&c.modules, top),
        };
        out.write_all(b",\n\"baseline\": ")?;
        serde_json::to_writer(&mut *out, &json)?;
    }
    out.write_all(b",\n\"modules\": [")?;
    // One module a line, streamed: greppable, diffable, and no second copy of 200k modules.
    let mut numbers = itoa::Buffer::new();
    let mut floats = ryu::Buffer::new();
    for (i, id) in by_cumulative(graph).into_iter().take(top).enumerate() {
        let m = graph.module(id);
        out.write_all(if i == 0 {
            b"\n  {\"name\":"
        } else {
            b",\n  {\"name\":"
        })?;
        json_str(out, graph.name(id))?;
        out.write_all(b",\"parent\":")?;
        json_importer(out, graph, m.parent)?;
        let retained = ctx.dominators.retained_us(id);
        for (key, value) in [
            ("depth", u64::from(m.depth)),
            ("self_us", m.self_us.median),
            ("cumulative_us", m.cumulative_us.median),
            ("samples", u64::from(m.samples)),
            ("self_us_min", m.self_us.min),
            ("self_us_max", m.self_us.max),
            ("cumulative_us_min", m.cumulative_us.min),
            ("cumulative_us_max", m.cumulative_us.max),
            ("retained_us", retained),
        ] {
            out.write_all(b",\"")?;
            out.write_all(key.as_bytes())?;
            out.write_all(b"\":")?;
            out.write_all(numbers.format(value).as_bytes())?;
        }
        out.write_all(if m.startup {
            b",\"startup\":true"
        } else {
            b",\"startup\":false"
        })?;
        let usage = ctx.plan.usage_pct(id);
        out.write_all(b",\"usage_pct\":")?;
        json_f64(out, &mut floats, usage)?;
        out.write_all(b",\"decision\":\"")?;
        out.write_all(decision_label(ctx.plan.decision(id)).as_bytes())?;
        out.write_all(b"\",\"load_probability\":")?;
        json_f64(out, &mut floats, p.load_probability[id.index()])?;
        out.write_all(b",\"suggestion\":\"")?;
        out.write_all(
            ctx.plan
                .thresholds
                .suggest(retained, usage)
                .label()
                .as_bytes(),
        )?;
        out.write_all(b"\"")?;
        // Importers beyond the first-import parent (none in a tree-only trace).
        let mut others = graph
            .importers(id)
            .iter()
            .filter(|&&i| i != m.parent)
            .peekable();
        if others.peek().is_some() {
            out.write_all(b",\"other_importers\":[")?;
            for (j, importer) in others.enumerate() {
                if j > 0 {
                    out.write_all(b",")?;
                }
                json_importer(out, graph, *importer)?;
            }
            out.write_all(b"]")?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"\n]}\n")
}

/// A JSON number; whole numbers (usage 100, probability 1) skip the float formatter.
fn json_f64(out: &mut impl Write, floats: &mut ryu::Buffer, v: f64) -> io::Result<()> {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        write!(out, "{}", v as i64)
    } else {
        out.write_all(floats.format(v).as_bytes())
    }
}

/// A JSON string; module names rarely need escaping, so skip the escaper when they don't.
fn json_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        serde_json::to_writer(out, s).map_err(io::Error::from)
    }
}

fn json_importer(
    out: &mut impl Write,
    graph: &ImportGraph,
    importer: Option<ModuleId>,
) -> io::Result<()> {
    match importer {
        Some(m) => json_str(out, graph.name(m)),
        None => out.write_all(b"null"),
    }
}
