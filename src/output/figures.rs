//! The figures every format shows, as labelled lines: the trace summary and the what-if
//! projection. Text, markdown and the explorer's panel print these, so they always agree.

use super::units::{ms, seconds, signed_ms, signed_percent};
use crate::model::{Delta, ImportGraph};
use crate::whatif::{Analysis, Decision, PercentileMethod, Percentiles, params};

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

/// A line of the projection: what it is, so the explorer can rank lines without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Parameters,
    ColdStart,
    Budget,
    Latency,
    ColdRequest,
    Daily,
    Dropped,
    Measured,
    Note,
}

impl Figure {
    pub fn label(self) -> &'static str {
        match self {
            Figure::Parameters => "parameters",
            Figure::ColdStart => "cold start",
            Figure::Budget => "budget",
            Figure::Latency => "request import latency",
            Figure::ColdRequest => "cold request",
            Figure::Daily => "daily import time",
            Figure::Dropped => "leave cold start",
            Figure::Measured => "measured",
            Figure::Note => "note",
        }
    }
}

/// The projection as lines, shared by text, markdown and the explorer's panel.
pub fn projection_lines(a: &Analysis) -> Vec<(Figure, String)> {
    let p = a.projection();
    let params = &a.plan().params;
    let mut lines = vec![
        (Figure::Parameters, params::summary(params)),
        (
            Figure::ColdStart,
            format!(
                "{} ms traced → {} ms what-if ({} ms, {})",
                ms(p.traced_cold_start_us),
                ms(p.cold_start_us),
                signed_ms(p.cold_start_us as f64 - p.traced_cold_start_us as f64),
                signed_percent(p.traced_cold_start_us as f64, p.cold_start_us as f64)
            ),
        ),
    ];
    if let (Some(budget), Some(ok)) = (params.budget_ms, a.within_budget()) {
        lines.push((
            Figure::Budget,
            format!("{} {budget} ms", if ok { "✓ within" } else { "✗ over" }),
        ));
    }
    let pct = |x: &Percentiles| {
        format!(
            "P50 {} · P95 {} · P99 {} ms",
            ms(x.p50_us.round() as u64),
            ms(x.p95_us.round() as u64),
            ms(x.p99_us.round() as u64)
        )
    };
    lines.push((
        Figure::Latency,
        format!(
            "{} → {}{}",
            pct(&p.traced_percentiles),
            pct(&p.percentiles),
            match p.method {
                PercentileMethod::Exact => String::new(),
                PercentileMethod::MonteCarlo { processes } =>
                    format!(" (Monte-Carlo over {processes} processes: lazy closures overlap)"),
            }
        ),
    ));
    lines.push((
        Figure::ColdRequest,
        format!(
            "{} ms expected import time",
            ms(p.expected_cold_request_us.round() as u64)
        ),
    ));
    lines.push((
        Figure::Daily,
        format!(
            "{} s → {} s ({})",
            seconds(p.traced_daily_import_s),
            seconds(p.daily_import_s),
            signed_percent(p.traced_daily_import_s, p.daily_import_s)
        ),
    ));
    let names: Vec<&str> = p
        .dropped
        .iter()
        .take(12)
        .map(|&m| a.graph().name(m))
        .collect();
    lines.push((
        Figure::Dropped,
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
    if let Some(line) = measured_line(a) {
        lines.push((Figure::Measured, line));
    }
    if !p.edges_complete && !p.lazy.is_empty() {
        lines.push((Figure::Note, OVERSTATED.into()));
    }
    lines
}

/// Projected vs measured, when the trace holds runs with exactly the plan's modules deferred.
pub fn measured_line(a: &Analysis) -> Option<String> {
    let mut lazy: Vec<&str> = a.plan().lazy().map(|m| a.graph().name(m)).collect();
    lazy.sort_unstable();
    let measured = a.graph().meta().measured.iter().find(|m| {
        !m.lazy.is_empty() && m.lazy.iter().map(String::as_str).eq(lazy.iter().copied())
    })?;
    let eager_total = a.graph().total_us() as f64;
    let lazy_total = measured.median_total_us() as f64;
    let p = a.projection();
    Some(format!(
        "with {} deferred: {} ms → {} ms measured ({} ms over {} runs) vs {} ms projected",
        measured.lazy.join(", "),
        ms(eager_total as u64),
        ms(lazy_total as u64),
        signed_ms(lazy_total - eager_total),
        measured.total_us.len(),
        signed_ms(p.cold_start_us as f64 - p.traced_cold_start_us as f64),
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

pub fn decision_label(d: Decision) -> &'static str {
    match d {
        Decision::Eager => "eager",
        Decision::Lazy => "lazy",
    }
}
