//! Command line: flags are defined here (each once), then handed to the library's pieces in
//! `commands.rs`. What-if flags come from the parameter table (`whatif_args.rs`), format and
//! style values from the output registries.

mod commands;
mod config;
mod parse;
mod whatif_args;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand};

use crate::output::ReportFormat;
use crate::output::check::CheckFormat;
use crate::output::fast_path::Style;
use crate::output::why::WhyFormat;
use crate::patch::PatchStyle;
use lmms_core::error::Result;
pub use parse::{Failed, FromConfig, parse};
pub use whatif_args::WhatIfArgs;

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
    /// Read defaults for the long flags from this file's [tool.lmms-tui] table [default: the
    /// nearest pyproject.toml that has one, from the current directory up]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Trace files to explore (several files are several runs of one trace)
    pub traces: Vec<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// What every command that analyses a trace reads beside its files: a baseline, whether runs
/// may mix programs, and the plan. `load` makes the analysis.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct AnalysisArgs {
    #[command(flatten)]
    pub baseline: BaselineArgs,
    #[command(flatten)]
    pub mixing: MixingArgs,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
}

/// The baseline, for the explorer, `report` and `check`.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct BaselineArgs {
    /// A baseline trace of the same program; several files are several runs: `--baseline A B C`
    /// takes every file up to the next flag (so put the trace's own files first), or repeat the
    /// flag
    #[arg(long, value_name = "OLD", num_args = 1..)]
    pub baseline: Vec<PathBuf>,
}

/// Whether files that look like different programs may be read as one trace.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct MixingArgs {
    /// Read runs (or a baseline) that look like different programs anyway: no top-level import
    /// in common, or another Python version
    #[arg(long)]
    pub allow_mixed: bool,
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
    /// Why a module is loaded: who imports it from outside it, each importer's shortest chain
    /// from the program, and the file and line of each import
    Why(WhyArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    #[command(
        after_help = "Example: lmms-tui completions bash > ~/.local/share/bash-completion/completions/lmms-tui"
    )]
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from these same definitions
    #[command(after_help = "Example: lmms-tui man > lmms-tui.1 && man -l lmms-tui.1")]
    Man {
        /// Write every page instead (lmms-tui.1, lmms-tui-report.1, …) into this directory
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Example: lmms-tui why urllib3 trace.json")]
pub struct WhyArgs {
    /// The module, by its full name
    pub module: String,
    /// Trace files (several are runs of one trace)
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    /// How to print the answer
    #[arg(long, value_parser = one_of(&WhyFormat::ALL, WhyFormat::name, WhyFormat::help), default_value = "text")]
    pub format: WhyFormat,
    #[command(flatten)]
    pub mixing: MixingArgs,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example: lmms-tui record --runs 5 -o trace.json -- python3 -c \"import handler\""
)]
pub struct RecordArgs {
    /// Timed runs (their medians make the trace)
    #[arg(long, default_value_t = 5)]
    pub runs: u32,
    /// Runs first, not counted (they compile `.pyc` files and warm the file cache)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub warmup: u32,
    /// Where the trace goes (`-` for standard output); written after each timed run too
    #[arg(short, long, default_value = "trace.json")]
    pub output: PathBuf,
    /// Also measure the edit: the program's own imports of MODULE made lazy, in runs alternated
    /// with unedited ones; repeatable (all deferred together)
    #[arg(long = "lazy", value_name = "MODULE")]
    pub lazy: Vec<String>,
    /// Measure usage: once the program's code has run, call MODULE:FUNCTION with each event of
    /// --events, watching what each request runs (FUNCTION(event, context) when it takes two
    /// parameters, a Lambda-like context; else FUNCTION(event))
    #[arg(
        long,
        value_name = "MODULE:FUNCTION",
        requires = "events",
        conflicts_with = "driver"
    )]
    pub handler: Option<String>,
    /// The events for --handler: a JSON-lines file, or a directory of *.json files (one event
    /// each, as AWS SAM and the Lambda console keep them)
    #[arg(long, value_name = "PATH", requires = "handler")]
    pub events: Option<PathBuf>,
    /// Measure usage: once the program's code has run, call each request FILE's `requests()`
    /// yields as (label, callable) — a WSGI or ASGI app through its test client, a worker's jobs
    #[arg(long, value_name = "FILE.py", conflicts_with = "invocations")]
    pub driver: Option<PathBuf>,
    /// Measure usage for a CLI: run the command once per line of FILE, that line's arguments
    /// (quoted as in a shell) in place of the program's own (those after the script, -m
    /// MODULE or -c CODE), each a process of its own watched whole — every one a cold start
    #[arg(long, value_name = "FILE", conflicts_with = "handler")]
    pub invocations: Option<PathBuf>,
    /// Verify a patch (as `export --patch` writes it): applied to a copy of the current
    /// directory with `git apply`, run alternated with the original; the modules it stops
    /// loading set against the projection's, the saving measured
    #[arg(long, value_name = "FILE")]
    pub patch: Option<PathBuf>,
    /// With --patch: a command run in the patched copy (through sh), which must pass
    #[arg(long, value_name = "COMMAND", requires = "patch")]
    pub smoke: Option<String>,
    /// Stop a run that takes longer (it and every process it started are killed, the run is
    /// reported failed and its import times kept); 0 waits for ever
    #[arg(long, value_name = "SECONDS", default_value_t = 300)]
    pub timeout: u64,
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
    /// The trace to judge (several files are several runs of one trace)
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Allowed growth in percent, for the total and each package [default: 10; 50 when a side
    /// has one run]
    #[arg(long, value_name = "PCT", allow_negative_numbers = true)]
    pub tolerance: Option<f64>,
    /// Growth below this many ms is noise, whatever its percentage [default: 1; 10 when a side
    /// has one run]
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub min_ms: Option<f64>,
    /// Judge every module as well as every package
    #[arg(long)]
    pub modules: bool,
    /// Fail when the interpreter, platform or a package version differs from the baseline's
    #[arg(long)]
    pub strict: bool,
    /// Accept PACKAGE as new since the baseline (otherwise a new package costing at least
    /// --min-ms fails, named with how it comes to load); repeatable
    #[arg(long, value_name = "PACKAGE")]
    pub allow_new: Vec<String>,
    /// Fail when MODULE loads at cold start (a name covers its submodules; `*` and `?` are
    /// globs), naming each import chain and its file:lines; needs no baseline; repeatable
    #[arg(long, value_name = "MODULE")]
    pub forbid: Vec<String>,
    /// Fail when more than N modules load at cold start (start-up and shutdown imports aside)
    #[arg(long, value_name = "N")]
    pub max_modules: Option<usize>,
    /// Judge a trace whose program failed in some of its recorded runs (refused otherwise)
    #[arg(long)]
    pub allow_failed: bool,
    /// How to print the verdict
    #[arg(long, value_parser = one_of(&CheckFormat::ALL, CheckFormat::name, CheckFormat::help), default_value = "text")]
    pub format: CheckFormat,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Trace files the plan applies to (several are runs of one trace)
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    /// What to write
    #[arg(long, value_parser = one_of(&Style::ALL, Style::name, Style::help), default_value = "fast-path", conflicts_with = "patch")]
    pub style: Style,
    /// Write the plan as a patch of your own files instead (a unified diff for `git apply`,
    /// paths relative to --root), in this style
    #[arg(long, value_name = "STYLE", num_args = 0..=1, default_missing_value = "function", value_parser = one_of(&PatchStyle::ALL, PatchStyle::name, PatchStyle::help))]
    pub patch: Option<PatchStyle>,
    /// The program's directory, where the trace's file paths start [default: .]
    #[arg(long, value_name = "DIR", requires = "patch")]
    pub root: Option<PathBuf>,
    /// The interpreter whose ast reads your files [default: the one the trace recorded, else
    /// python3]
    #[arg(long, value_name = "PYTHON", requires = "patch")]
    pub python: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub mixing: MixingArgs,
    #[command(flatten)]
    pub whatif: WhatIfArgs,
}

/// Where `report` and `export` write.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct OutputArgs {
    /// Write here instead of standard output (an existing file is asked about on a terminal,
    /// and refused elsewhere unless --force)
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Overwrite an existing --output file without asking
    #[arg(long)]
    pub force: bool,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Trace files (CPython `-X importtime` text or lmms-tui trace.json); several are runs
    #[arg(required = true)]
    pub traces: Vec<PathBuf>,
    /// What to print
    #[arg(long, value_parser = one_of(&ReportFormat::ALL, ReportFormat::name, ReportFormat::help), default_value = "text")]
    pub format: ReportFormat,
    /// Show only the N slowest modules (text and markdown default: 25; json default: all)
    #[arg(long)]
    pub top: Option<usize>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
}

/// A flag whose values are a registry's entries, each with its help.
fn one_of<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    name: fn(T) -> &'static str,
    help: fn(T) -> &'static str,
) -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(
        all.iter()
            .map(|&v| PossibleValue::new(name(v)).help(help(v))),
    )
    .map(move |s| *all.iter().find(|&&v| name(v) == s).expect("a listed value"))
}

pub fn main() -> ExitCode {
    crate::signals::ignore_file_size_limit();
    let here = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let result = match parse(std::env::args_os().collect(), &here) {
        Ok((cli, config)) => run(cli, config),
        Err(Failed::Usage(e)) => return usage(&e),
        Err(Failed::Input(e)) => Err(e),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // Errors quote names from traces: never a raw escape byte on the terminal.
            eprintln!(
                "lmms-tui: {}",
                lmms_core::printable::printable(&e.to_string())
            );
            ExitCode::from(2)
        }
    }
}

/// `--help` and `--version` printed as clap does; a usage error plain and escaped, since it
/// quotes the command line (a bidi control or an escape in an argument stays text), with
/// clap's status.
fn usage(e: &clap::Error) -> ExitCode {
    if !e.use_stderr() {
        e.exit();
    }
    let text = e.render().to_string();
    eprint!("{}", lmms_core::printable::printable(&text));
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

impl Cli {
    /// The what-if flags of the command to run, when it takes them.
    fn whatif_mut(&mut self) -> Option<&mut WhatIfArgs> {
        match &mut self.command {
            None => Some(&mut self.analysis.whatif),
            Some(Command::Report(a)) => Some(&mut a.analysis.whatif),
            Some(Command::Check(a)) => Some(&mut a.analysis.whatif),
            Some(Command::Export(a)) => Some(&mut a.whatif),
            Some(_) => None,
        }
    }
}

pub fn run(cli: Cli, config: Option<FromConfig>) -> Result<ExitCode> {
    // The explorer names its configuration in its header; every other command here.
    if cli.command.is_some()
        && let Some(said) = config.as_ref().and_then(FromConfig::said)
    {
        eprintln!("lmms-tui: {}", lmms_core::printable::printable(&said));
    }
    let config = config.map(|c| c.path);
    match cli.command {
        Some(Command::Report(args)) => commands::report(args),
        Some(Command::Record(args)) => commands::record(args),
        Some(Command::Check(args)) => commands::check(args),
        Some(Command::Export(args)) => commands::export(args),
        Some(Command::Why(args)) => commands::why(args),
        Some(Command::Completions { shell }) => commands::completions(Cli::command(), shell),
        Some(Command::Man { dir }) => commands::man(Cli::command(), dir),
        None => commands::explore(cli.traces, cli.analysis, config),
    }
}
