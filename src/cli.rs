//! Command line: flags are parsed here, then handed to the library's pieces.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{Error, Result};
use crate::graph;
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
    /// Show only the N slowest modules (text default: 25; json default: all)
    #[arg(long)]
    pub top: Option<usize>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
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
            crate::tui::run(graph)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report(args: ReportArgs) -> Result<ExitCode> {
    let graph = graph::load(&args.traces)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match args.format {
        ReportFormat::Text => report::write_text(&graph, args.top.unwrap_or(25), &mut out),
        ReportFormat::Json => report::write_json(&graph, args.top.unwrap_or(usize::MAX), &mut out),
        ReportFormat::TraceJson => crate::trace::json::write(&graph, &mut out),
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
