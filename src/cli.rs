//! Command line: flags are parsed here, then handed to the library's pieces.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::model::Comparison;
use crate::model::ImportGraph;
use crate::plan::{self, Decision, Plan};
use crate::report;

#[derive(Parser, Debug)]
#[command(
    name = "lmms-tui",
    version,
    about = "See where a Python program's import time goes, and what deferring imports would save",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Trace files to explore (several files are several runs of one trace)
    pub traces: Vec<PathBuf>,
    /// A baseline trace of the same program (several files are several runs)
    #[arg(long, value_name = "OLD")]
    pub baseline: Vec<PathBuf>,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
}

/// Decisions and parameters for the what-if projection (over a plan file, if given).
#[derive(clap::Args, Debug, Default, Clone)]
pub struct WhatIfArgs {
    /// Load decisions, usages and parameters from a plan (JSON, as `w` saves it)
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Defer MODULE (a function-level or `lazy` import); repeatable
    #[arg(long = "lazy", value_name = "MODULE")]
    pub lazy: Vec<String>,
    /// Share of requests that use MODULE, in percent; repeatable
    #[arg(long = "usage", value_name = "MODULE=PCT", value_parser = parse_usage)]
    pub usage: Vec<(String, f64)>,
    #[arg(long, value_name = "N")]
    pub requests_per_day: Option<f64>,
    /// Share of requests that start a new process, in percent (100 for a CLI)
    #[arg(long, value_name = "PCT")]
    pub cold_start_rate: Option<f64>,
    #[arg(long, value_name = "MS")]
    pub base_latency_ms: Option<f64>,
    /// Slowdown of imports at invoke time vs init (Lambda's init-phase CPU boost)
    #[arg(long, value_name = "FACTOR")]
    pub init_cpu_factor: Option<f64>,
    /// Init happens outside the request path (SnapStart, provisioned concurrency)
    #[arg(long)]
    pub snapstart: bool,
    /// Cold-start budget, shown as met or not
    #[arg(long, value_name = "MS")]
    pub budget_ms: Option<f64>,
}

fn parse_usage(s: &str) -> std::result::Result<(String, f64), String> {
    let (module, pct) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected MODULE=PCT, found `{s}`"))?;
    let pct: f64 = pct
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{pct}` is not a percentage"))?;
    if !(0.0..=100.0).contains(&pct) {
        return Err(format!("usage {pct} is not between 0 and 100"));
    }
    Ok((module.to_string(), pct))
}

impl WhatIfArgs {
    /// The plan these flags describe; names the plan file mentions but the trace lacks are
    /// returned, while unknown modules on the command line are errors (likely typos).
    pub fn plan(&self, graph: &ImportGraph) -> Result<(Plan, Vec<String>)> {
        let (mut plan, ignored) = match &self.plan {
            Some(path) => plan::load(path, graph)?,
            None => (Plan::new(graph), Vec::new()),
        };
        let find = |name: &str| {
            graph
                .find(name)
                .ok_or_else(|| Error::new(format!("module `{name}` is not in the trace")))
        };
        for name in &self.lazy {
            plan.set_decision(find(name)?, Decision::Lazy);
        }
        for (name, pct) in &self.usage {
            plan.set_usage_pct(find(name)?, *pct);
        }
        let p = &mut plan.params;
        p.requests_per_day = self.requests_per_day.unwrap_or(p.requests_per_day);
        p.cold_start_rate_pct = self.cold_start_rate.unwrap_or(p.cold_start_rate_pct);
        p.base_latency_ms = self.base_latency_ms.unwrap_or(p.base_latency_ms);
        p.init_cpu_factor = self.init_cpu_factor.unwrap_or(p.init_cpu_factor);
        p.snapstart |= self.snapstart;
        if self.budget_ms.is_some() {
            p.budget_ms = self.budget_ms;
        }
        p.validate().map_err(Error::new)?;
        Ok((plan, ignored))
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print the import profile and the what-if projection without the explorer
    Report(ReportArgs),
    /// Run a Python program N times with -X importtime (and once with an edge tracer) and
    /// write trace.json
    Record(RecordArgs),
    /// For CI: exit 0 within budget and tolerance, 1 otherwise, 2 on bad input
    Check(CheckArgs),
    /// Write fast_path.py (or PEP 810 lazy imports) for a plan
    Export(ExportArgs),
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example: lmms-tui record --runs 5 -o trace.json -- python3 -c \"import handler\""
)]
pub struct RecordArgs {
    /// Timed runs (their medians make the trace)
    #[arg(long, default_value_t = 5)]
    pub runs: u32,
    #[arg(short, long, default_value = "trace.json")]
    pub output: PathBuf,
    /// Also run with MODULE really deferred (importlib.util.LazyLoader) to measure it; repeatable
    #[arg(long = "lazy", value_name = "MODULE")]
    pub lazy: Vec<String>,
    /// The program: a Python interpreter and its arguments (after `--`)
    #[arg(
        required = true,
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "PYTHON [ARGS]"
    )]
    pub command: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    /// The trace to compare with (several files are several runs)
    #[arg(long, value_name = "OLD")]
    pub baseline: Vec<PathBuf>,
    /// Allowed growth in percent, for the total and for each package
    #[arg(long, value_name = "PCT", default_value_t = 10.0)]
    pub tolerance: f64,
    /// Growth below this many ms is noise, whatever its percentage
    #[arg(long, value_name = "MS", default_value_t = 1.0)]
    pub min_ms: f64,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = crate::export::Style::FastPath)]
    pub style: crate::export::Style,
    /// Write here instead of standard output
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Trace files (CPython `-X importtime` text or lmms-tui trace.json); several are runs
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Show only the N slowest modules (text and markdown default: 25; json default: all)
    #[arg(long)]
    pub top: Option<usize>,
    /// A baseline trace of the same program: Δ per module and package, new and vanished
    #[arg(long, value_name = "OLD")]
    pub baseline: Vec<PathBuf>,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
    /// The whole trace as lmms-tui trace.json (converts a text trace)
    TraceJson,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lmms-tui: {e}");
            ExitCode::from(2)
        }
    }
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Some(Command::Report(args)) => report(args),
        Some(Command::Record(args)) => record(args),
        Some(Command::Check(args)) => check(args),
        Some(Command::Export(args)) => export(args),
        None => explore(cli),
    }
}

fn explore(cli: Cli) -> Result<ExitCode> {
    if cli.traces.is_empty() {
        return Err(Error::new(
            "no trace given: `lmms-tui TRACE...` opens the explorer, \
             `lmms-tui report TRACE...` prints the profile (see --help)",
        ));
    }
    crate::tui::terminal::require_terminal()?;
    let graph = crate::trace::load(&cli.traces)?;
    let comparison = load_comparison(&cli.baseline, &graph)?;
    // A --plan file that does not exist yet is where `w` will save a new plan.
    let mut flags = cli.whatif.clone();
    let new_plan = flags.plan.take_if(|p| !p.exists());
    let (plan, ignored) = flags.plan(&graph)?;
    let notice = if !ignored.is_empty() {
        Some(format!(
            "the plan names modules not in this trace, ignored: {}",
            ignored.join(", ")
        ))
    } else {
        new_plan
            .as_ref()
            .map(|p| format!("new plan: w saves it to {}", p.display()))
    };
    let plan_file = crate::tui::app::OutputFile {
        owned: flags.plan.is_some(),
        path: cli
            .whatif
            .plan
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::tui::app::DEFAULT_PLAN)),
    };
    let mut app = crate::tui::app::App::with_plan(graph, plan, plan_file, 80, 24);
    app.status = notice;
    app.comparison = comparison;
    crate::tui::run(app)?;
    Ok(ExitCode::SUCCESS)
}

fn load_comparison(baseline: &[PathBuf], graph: &ImportGraph) -> Result<Option<Comparison>> {
    if baseline.is_empty() {
        return Ok(None);
    }
    let before = crate::trace::load(baseline)?;
    Ok(Some(crate::model::comparison::compare(&before, graph)))
}

fn record(args: RecordArgs) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let opts = crate::record::RecordOptions {
        command: args.command,
        runs: args.runs,
        output: args.output.clone(),
        lazy: args.lazy,
        progress: io::stderr().is_terminal(),
    };
    let recording = crate::record::record(&opts)?;
    let g = &recording.graph;
    eprintln!(
        "lmms-tui: wrote {}: {} run{}, {} modules, {} ms total import time; edges: {}{}",
        args.output.display(),
        g.runs(),
        if g.runs() == 1 { "" } else { "s" },
        g.len(),
        crate::units::ms(g.total_us()),
        if g.edges_complete() {
            "complete"
        } else {
            "first-import tree only"
        },
        if recording.notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", recording.notes.join("; "))
        },
    );
    for m in &g.meta().measured {
        eprintln!(
            "lmms-tui: with {} deferred: {} ms total import time (median of {} runs)",
            m.lazy.join(", "),
            crate::units::ms(m.median_total_us()),
            m.total_us.len()
        );
    }
    if recording.failures.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        for (run, status) in &recording.failures {
            eprintln!("lmms-tui: run {run}: the program failed ({status}); its trace was kept");
        }
        Ok(ExitCode::from(1))
    }
}

fn check(args: CheckArgs) -> Result<ExitCode> {
    let graph = crate::trace::load(&args.traces)?;
    let (plan, _) = args.whatif.plan(&graph)?;
    let comparison = load_comparison(&args.baseline, &graph)?;
    if !(args.tolerance >= 0.0 && args.min_ms >= 0.0) {
        return Err(Error::new("--tolerance and --min-ms must be ≥ 0"));
    }
    let noise = crate::model::Noise {
        tolerance_pct: args.tolerance,
        min_ms: args.min_ms,
    };
    let projection = crate::whatif::project(&graph, &plan);
    let outcome = crate::check::run(&graph, &plan, &projection, comparison.as_ref(), noise);
    let stdout = io::stdout();
    let mut out = stdout.lock();
    finish_output(
        out.write_all(outcome.text.as_bytes())
            .and_then(|()| out.flush()),
    )?;
    Ok(if outcome.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn export(args: ExportArgs) -> Result<ExitCode> {
    let graph = crate::trace::load(&args.traces)?;
    let (plan, ignored) = args.whatif.plan(&graph)?;
    if !ignored.is_empty() {
        eprintln!(
            "lmms-tui: the plan names modules not in this trace, ignored: {}",
            ignored.join(", ")
        );
    }
    let evaluated = report::Evaluated::new(&graph, &plan);
    let text = crate::export::render(&report::Context::new(&graph, &plan, &evaluated), args.style);
    match args.output {
        Some(path) => crate::atomic::write(&path, text.as_bytes())?,
        None => {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            finish_output(out.write_all(text.as_bytes()).and_then(|()| out.flush()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report(args: ReportArgs) -> Result<ExitCode> {
    let graph = crate::trace::load(&args.traces)?;
    let comparison = load_comparison(&args.baseline, &graph)?;
    let (plan, ignored) = args.whatif.plan(&graph)?;
    if !ignored.is_empty() {
        eprintln!(
            "lmms-tui: the plan names modules not in this trace, ignored: {}",
            ignored.join(", ")
        );
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match args.format {
        ReportFormat::TraceJson => crate::trace::json::write(&graph, &mut out),
        format => {
            let evaluated = report::Evaluated::new(&graph, &plan);
            let ctx = report::Context::new(&graph, &plan, &evaluated)
                .with_comparison(comparison.as_ref());
            match format {
                ReportFormat::Text => report::write_text(&ctx, args.top.unwrap_or(25), &mut out),
                ReportFormat::Markdown => {
                    report::write_markdown(&ctx, args.top.unwrap_or(25), &mut out)
                }
                _ => report::write_json(&ctx, args.top.unwrap_or(usize::MAX), &mut out),
            }
        }
    };
    finish_output(written.and_then(|()| out.flush()))
}

/// A closed pipe (`| head`) is the reader's choice, not an error.
fn finish_output(result: io::Result<()>) -> Result<ExitCode> {
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Error::new(format!("cannot write the report: {e}"))),
    }
}
