//! Command line: flags are parsed here, then handed to the library's pieces.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::graph::{self, ImportGraph};
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
    /// Print the import profile without the explorer
    Report(ReportArgs),
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
        None => {
            if cli.traces.is_empty() {
                return Err(Error::new(
                    "no trace given: `lmms-tui TRACE...` opens the explorer, \
                     `lmms-tui report TRACE...` prints the profile (see --help)",
                ));
            }
            crate::tui::terminal::require_terminal()?;
            let graph = graph::load(&cli.traces)?;
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
            let owns = flags.plan.is_some();
            let save_path = cli
                .whatif
                .plan
                .clone()
                .unwrap_or_else(|| PathBuf::from(crate::tui::app::DEFAULT_PLAN));
            crate::tui::run(graph, plan, save_path, owns, notice)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report(args: ReportArgs) -> Result<ExitCode> {
    let graph = graph::load(&args.traces)?;
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
            let ctx = report::Context::new(&graph, &plan, &evaluated);
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
