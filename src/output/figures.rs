//! The figures every format shows, as labelled lines: the trace summary and the what-if
//! projection. Text, markdown and the explorer's panel print these, so they always agree.

use super::measured::{gc_is_large, gc_line, measured};
use super::units::{count, ms, per_day, signed_ms, signed_percent};
use lmms_core::model::{Delta, ImportGraph, NOISY_SPREAD};
use lmms_core::whatif::{Analysis, Decision, PercentileMethod, Percentiles, Projection, params};

pub fn edges_label(graph: &ImportGraph) -> &'static str {
    if graph.edges_complete() {
        "full"
    } else {
        "tree"
    }
}

/// One line saying what the trace is; a second when its runs disagree.
pub fn summary(graph: &ImportGraph) -> String {
    let files = graph.meta().files.join(", ");
    let runs = graph.runs();
    let mut line = format!(
        "{files}: {}, {}, {} ms total import time ({}; {} ms interpreter start-up)",
        count(runs, "run"),
        count(graph.len(), "module"),
        ms(graph.total_us()),
        run_spread(graph),
        ms(graph.startup_us()),
    );
    if let Some(python) = &graph.meta().python {
        line.push_str(&format!(", Python {python}"));
    }
    if let Some(f) = &graph.meta().fingerprint {
        line.push_str(&format!(
            ", {}, {} recorded",
            f.platform,
            count(f.packages.len(), "package version")
        ));
    }
    for extra in [
        noise_line(graph),
        interleaved_line(graph),
        failed_line(graph),
    ]
    .into_iter()
    .flatten()
    {
        line.push('\n');
        line.push_str(&extra);
    }
    line
}

/// The runs in which the recorded program failed: its figures are not the program's.
pub fn failed_line(graph: &ImportGraph) -> Option<String> {
    let failed = &graph.meta().failed_runs;
    let first = failed.first()?;
    let said = match first.stderr_tail.last() {
        Some(last) => format!("{}, its last words: {last}", first.how),
        None => first.how.clone(),
    };
    Some(format!(
        "the program failed in {} (run {}: {said}{}): these figures may be of a program that \
         stopped early",
        count(failed.len(), "timed run"),
        first.run,
        if failed.len() > 1 { ", …" } else { "" }
    ))
}

/// Said when a text trace's lines were interleaved (levels dropping by more than one).
pub fn interleaved_line(graph: &ImportGraph) -> Option<String> {
    let jumps = &graph.meta().level_jumps;
    (!jumps.is_empty()).then(|| {
        let more = if jumps.count > jumps.at.len() as u64 {
            ", …"
        } else {
            ""
        };
        format!(
            "uncertain tree: {} ({}{more}) — lines of several processes or threads \
             were interleaved, which CPython calls unreliable; each line went to the next line \
             exactly one level up where there was one",
            count(jumps.count, "level jump"),
            jumps.at.join(", ")
        )
    })
}

/// `median of runs 276.1–472.0 ms`, or that one run has no spread.
pub fn run_spread(graph: &ImportGraph) -> String {
    let t = graph.total();
    if graph.runs() <= 1 {
        "one run: no spread known".into()
    } else {
        format!("median of runs {}–{} ms", ms(t.min), ms(t.max))
    }
}

/// Said when the runs disagree: how much, and what to do.
pub fn noise_line(graph: &ImportGraph) -> Option<String> {
    let t = graph.total();
    (graph.runs() > 1 && t.relative() > NOISY_SPREAD).then(|| {
        format!(
            "noisy: run totals {}–{} ms are {}% of their median apart (over {}%): figures are \
             medians of runs that disagree — record more runs, on a quieter machine, or with \
             `record --warmup`",
            ms(t.min),
            ms(t.max),
            (t.relative() * 100.0).round(),
            (NOISY_SPREAD * 100.0).round()
        )
    })
}

/// Said wherever savings are shown from a trace without complete edges.
pub const OVERSTATED: &str =
    "savings may be overstated: this trace has only the first-import tree (shared imports unseen)";

/// A line of the projection: what it is, so the explorer can rank lines without reading them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Parameters,
    /// Where the usages come from: measured on replayed requests, or assumed.
    Usage,
    ColdStart,
    Budget,
    Latency,
    ColdRequest,
    Daily,
    Dropped,
    /// A deferred module that other code keeps loading.
    KeptLoaded,
    Measured,
    Gc,
    Note,
}

impl Figure {
    /// Every figure, in the reports' order.
    pub const ALL: [Figure; 12] = [
        Figure::Parameters,
        Figure::Usage,
        Figure::ColdStart,
        Figure::Budget,
        Figure::Latency,
        Figure::ColdRequest,
        Figure::Daily,
        Figure::Dropped,
        Figure::KeptLoaded,
        Figure::Measured,
        Figure::Gc,
        Figure::Note,
    ];

    /// What the line means, in one sentence (the explorer's help).
    pub fn explain(self) -> &'static str {
        match self {
            Figure::Parameters => {
                "the workload the figures assume: requests a day, how many start a new process, \
                 latency besides imports, the budget (p changes them)"
            }
            Figure::Usage => {
                "where the share of requests needing each deferred module comes from: measured \
                 on requests replayed in the program (record --handler, --driver), set by you, \
                 or assumed 100 %"
            }
            Figure::ColdStart => {
                "import time a new process spends before it can serve its first request, as \
                 traced and with the plan's deferred imports left out"
            }
            Figure::Budget => "the cold start with this plan against your budget: red when over",
            Figure::Latency => {
                "import time one request waits, over all requests: warm requests wait for none, \
                 the first request of a new process waits for cold start, and the first request \
                 that uses a deferred module waits for it"
            }
            Figure::ColdRequest => {
                "what the first request of a new process waits for on average: cold start plus \
                 the deferred modules it is likely to use"
            }
            Figure::Daily => {
                "import time summed over a day of new processes: cold start each time plus the \
                 deferred modules their requests end up loading"
            }
            Figure::Dropped => {
                "modules the plan takes out of start-up, heaviest first: they load later, and \
                 only in processes whose requests need them"
            }
            Figure::KeptLoaded => {
                "a module you deferred that other code still imports at start-up, so deferring \
                 it saves nothing until that import changes"
            }
            Figure::Measured => {
                "what the same edit really saved when `record --lazy` ran the program both ways, \
                 next to the projection"
            }
            Figure::Gc => {
                "how much of the import time is the cyclic garbage collector, measured by runs \
                 with it off"
            }
            Figure::Note => "a caveat that bounds how far the figures above hold",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Figure::Parameters => "parameters",
            Figure::Usage => "usage",
            Figure::ColdStart => "cold start (new process)",
            Figure::Budget => "budget",
            Figure::Latency => "import wait, a request",
            Figure::ColdRequest => "new process, on average",
            Figure::Daily => "import time per day",
            Figure::Dropped => "no longer at start-up",
            Figure::KeptLoaded => "stays loaded",
            Figure::Measured => "measured",
            Figure::Gc => "garbage collection",
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
        (Figure::ColdStart, cold_start_text(a)),
    ];
    // Said where a usage moves a figure: with requests, or with a deferral whose usage is
    // neither measured nor set.
    let assumed =
        (p.lazy.iter()).any(|l| l.measured.is_none() && a.plan().usage_set(l.module).is_none());
    if a.requests().is_some() || assumed {
        lines.insert(1, (Figure::Usage, super::usage::source(a)));
    }
    if let (Some(budget), Some(ok)) = (params.budget_ms, a.within_budget()) {
        lines.push((
            Figure::Budget,
            format!(
                "{} cold start {} ms {} the {budget} ms budget",
                if ok { "✓" } else { "✗" },
                ms(p.cold_start_us),
                if ok { "within" } else { "over" }
            ),
        ));
    }
    lines.push((Figure::Latency, latency_text(p)));
    lines.push((
        Figure::ColdRequest,
        format!(
            "{} ms of imports for its first request, lazy ones included",
            ms(p.expected_cold_request_us.round() as u64)
        ),
    ));
    lines.push((
        Figure::Daily,
        format!(
            "{} → {} ({}), all processes together",
            per_day(p.traced_daily_import_s),
            per_day(p.daily_import_s),
            signed_percent(p.traced_daily_import_s, p.daily_import_s)
        ),
    ));
    lines.push((Figure::Dropped, dropped_text(a)));
    let g = a.graph();
    for kept in &p.kept {
        lines.push((Figure::KeptLoaded, kept_text(g, kept)));
    }
    lines.extend(scope_notes(a).into_iter().map(|n| (Figure::Note, n)));
    if let Some(m) = measured(a) {
        lines.push((Figure::Measured, m.text()));
    }
    if let Some(line) = gc_line(g) {
        lines.push((Figure::Gc, line));
    }
    if !p.edges_complete && !p.lazy.is_empty() {
        lines.push((Figure::Note, OVERSTATED.into()));
    }
    if !p.lazy.is_empty() && gc_is_large(a) {
        lines.push((
            Figure::Note,
            "cyclic-GC pauses are a large share of this trace: costs are not additive, and \
             deferring a big package can save more than projected"
                .into(),
        ));
    }
    lines
}

/// `286.8 ms traced → 53.0 ms with this plan (−233.8 ms, −81.5 %)`, with the saving's spread
/// over runs. The saving is the one every output gives: the median of the run-by-run savings
/// (as `record --lazy` measures its pairs), which a difference of the two medians is not.
fn cold_start_text(a: &Analysis) -> String {
    let p = a.projection();
    let traced = p.traced_cold_start_us as f64;
    format!(
        "{} ms traced → {} ms with this plan ({} ms, {}){}",
        ms(p.traced_cold_start_us),
        ms(p.cold_start_us),
        signed_ms(-(p.saving.median as f64)),
        signed_percent(traced, traced - p.saving.median as f64),
        // The spread of what the plan saves, run by run.
        if a.graph().runs() > 1 && p.saving.max > 0 {
            format!(
                "; run by run it saves {}–{} ms",
                ms(p.saving.min),
                ms(p.saving.max)
            )
        } else {
            String::new()
        }
    )
}

/// The percentiles traced and planned, and how they were found.
fn latency_text(p: &Projection) -> String {
    let pct = |x: &Percentiles| {
        format!(
            "P50 {} · P95 {} · P99 {} ms",
            ms(x.p50_us.round() as u64),
            ms(x.p95_us.round() as u64),
            ms(x.p99_us.round() as u64)
        )
    };
    format!(
        "{} → {}{}{}",
        pct(&p.traced_percentiles),
        pct(&p.percentiles),
        // Most requests land on a warm process, which imports nothing at all.
        if p.traced_percentiles.p50_us == 0.0 {
            "; P50 is 0: warm requests import nothing"
        } else {
            ""
        },
        match p.method {
            PercentileMethod::Exact => String::new(),
            PercentileMethod::MonteCarlo { processes } => format!(
                " (Monte-Carlo over {processes} processes: {})",
                if p.overlapping {
                    "lazy closures overlap"
                } else {
                    "too many request positions to enumerate"
                }
            ),
            PercentileMethod::FromRequests { requests, exact } => format!(
                " (requests drawn from the {requests} replayed{})",
                if exact {
                    ""
                } else {
                    ": seeded simulation, too many request positions or states to enumerate"
                }
            ),
        }
    )
}

/// What leaves cold start: how many modules, the first dozen named.
fn dropped_text(a: &Analysis) -> String {
    let p = a.projection();
    if p.dropped.is_empty() {
        return "nothing (no module deferred)".into();
    }
    let names: Vec<&str> = (p.dropped.iter().take(12))
        .map(|&m| a.graph().name(m))
        .collect();
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
}

/// What the deferrals' scope rests on: deferred everywhere (an upper bound), importers of
/// unknown origin taken as the user's.
fn scope_notes(a: &Analysis) -> Vec<String> {
    let (g, plan) = (a.graph(), a.plan());
    let mut notes: Vec<String> = (plan.lazy())
        .filter(|&m| plan.decision(m) == Decision::LazyEverywhere)
        .map(|m| {
            format!(
                "{} is deferred everywhere, other packages' imports too: an upper bound, \
                 which their import-time use of it voids",
                g.name(m)
            )
        })
        .collect();
    if let Some(((_, importer), rest)) = a.projection().assumed.split_first() {
        notes.push(format!(
            "assumed your code: {}{} (origin unknown in this trace); if not, what it \
             imports stays loaded — `lmms-tui record` knows",
            g.name(*importer),
            if rest.is_empty() {
                String::new()
            } else {
                format!(" and {} more", rest.len())
            }
        ));
    }
    notes
}

/// `handler.py:3 `import pandas``, `requests/packages.py:9`, `numpy/__init__.py:724 in
/// `__getattr__` of numpy`, or `C code` for an import made with no Python frame.
pub fn site_text(g: &ImportGraph, site: &lmms_core::model::Site) -> String {
    let place = match (g.site_place(site), g.site_code(site)) {
        (Some(place), Some(code)) => format!("{place} `{code}`"),
        (Some(place), None) => place,
        (None, _) => "C code".into(),
    };
    let within = g.site_within(site);
    match (within.function, within.via) {
        (Some(function), Some(module)) => format!("{place} in `{function}` of {module}"),
        (Some(function), None) => format!("{place} in `{function}`"),
        _ => place,
    }
}

/// Where the program's own code imports `m`: the lines a deferral asks the user to edit.
pub fn edit_sites(g: &ImportGraph, m: lmms_core::model::ModuleId) -> Vec<&lmms_core::model::Site> {
    g.sites(m)
        .iter()
        .filter(|s| {
            !s.kind.is_triggered()
                && g.is_editable_import(s.importer, m)
                && g.site_place(s).is_some()
        })
        .collect()
}

/// The edit a deferral asks for at one line, in words.
pub fn edit_text(
    g: &ImportGraph,
    site: &lmms_core::model::Site,
    m: lmms_core::model::ModuleId,
) -> String {
    // PEP 810 puts `lazy` before the statement as written, when it is one whole statement.
    let lazy = match g.site_code(site) {
        Some(code)
            if (code.starts_with("import ") || code.starts_with("from "))
                && !code.contains(['(', ';', '#', '\\']) =>
        {
            format!("lazy {code}")
        }
        _ => format!("lazy import {}", g.name(m)),
    };
    format!(
        "{} — move into the functions that use it, or `{lazy}` (Python 3.15+)",
        site_text(g, site)
    )
}

/// Why a deferred module stays loaded, in words, with the chain.
pub fn kept_text(g: &ImportGraph, kept: &lmms_core::whatif::KeptLoaded) -> String {
    let m = kept.module;
    let why = match kept.importer() {
        Some(_) if kept.by_package(g) => format!(
            "{} stays loaded: a submodule always loads its package",
            g.name(m)
        ),
        Some(importer) => format!(
            "{} stays loaded: {} ({}) imports it",
            g.name(m),
            g.name(importer),
            g.module(importer).class.key()
        ),
        None => format!("{} stays loaded", g.name(m)),
    };
    format!(
        "{why} — {}",
        super::chain::program_chain_text(g, &kept.chain)
    )
}

/// A delta's change: `+3.2 ms, +12.0%`, or `new`/`gone`.
pub fn change_text(d: &Delta) -> String {
    match (d.before_us, d.after_us) {
        (Some(b), Some(a)) => format!(
            "{} ms, {}",
            signed_ms(d.change_us() as f64),
            signed_percent(b as f64, a as f64)
        ),
        (None, _) => "new".into(),
        (_, None) => "gone".into(),
    }
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
        Decision::LazyEverywhere => "lazy-everywhere",
    }
}
