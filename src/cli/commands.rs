//! What each subcommand does with its flags: load, analyse, print or write.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};

use super::whatif_args::Absent;
use super::{
    AnalysisArgs, CheckArgs, ExportArgs, FromConfig, MixingArgs, OutputArgs, RecordArgs,
    ReportArgs, WhyArgs,
};
use crate::output::units::{count, first_names};
use crate::record::{self, Progress, RecordOptions};
use crate::tui::app::{App, DEFAULT_PLAN, OutputFile};
use lmms_core::error::{Error, Result};
use lmms_core::model::{ImportGraph, Noise, comparison, kinship};
use lmms_core::printable::printable;
use lmms_core::trace;
use lmms_core::whatif::{Analysis, ConfigGave};

impl AnalysisArgs {
    /// The trace, its baseline comparison and the plan the flags describe, as one analysis;
    /// and what to tell the user about the plan file (modules it names that the trace lacks).
    pub fn load(&self, traces: &[PathBuf]) -> Result<(Analysis, Option<String>)> {
        let graph = load_one(traces, &self.mixing)?;
        let comparison = match &self.baseline.baseline[..] {
            [] => None,
            files => {
                let before = load_one(files, &self.mixing)?;
                if let Some(why) = kinship::unrelated(&before, &graph)
                    && !self.mixing.allow_mixed
                {
                    return Err(mixed(&why));
                }
                Some(comparison::compare(&before, &graph))
            }
        };
        let (plan, absent) = self.whatif.plan(&graph)?;
        let config = self.whatif.config.as_ref().map(FromConfig::gave);
        let notice = absent_notice(&absent, config.as_ref());
        let analysis = Analysis::new(graph, plan, comparison).with_config(config);
        Ok((analysis, notice))
    }

    /// `load`, for the commands that print: the notice goes to standard error.
    fn analyse(&self, traces: &[PathBuf]) -> Result<Analysis> {
        let (analysis, notice) = self.load(traces)?;
        if let Some(notice) = notice {
            eprintln!("lmms-tui: {}", printable(&notice));
        }
        Ok(analysis)
    }
}

/// One side's files as one trace, refused when its runs look like different programs.
fn load_one(files: &[PathBuf], mixing: &MixingArgs) -> Result<ImportGraph> {
    let graph = trace::load(files).map_err(|e| plan_given_as_trace(files).unwrap_or(e))?;
    if let Some(why) = kinship::unrelated_runs(&graph)
        && !mixing.allow_mixed
    {
        return Err(mixed(&format!("{}: {why}", graph.meta().files.join(", "))));
    }
    Ok(graph)
}

/// A plan among files given as traces (asked when they did not read), said as such.
fn plan_given_as_trace(files: &[PathBuf]) -> Option<Error> {
    let plan = files.iter().find(|f| {
        let mut head = Vec::new();
        std::fs::File::open(f)
            .and_then(|file| file.take(4096).read_to_end(&mut head))
            .is_ok_and(|_| lmms_core::whatif::plan::looks_like_plan(&head))
    })?;
    Some(Error::in_file(
        plan,
        format!(
            "is an lmms-tui plan, not a trace: give it beside a trace, `lmms-tui TRACE --plan {}`",
            plan.display()
        ),
    ))
}

/// Modules the plan file or the configuration file name that the trace lacks: one line (a plan
/// may name a million), naming the first few of each.
fn absent_notice(absent: &Absent, config: Option<&ConfigGave>) -> Option<String> {
    let said = |names: &[String], by: &str| {
        (!names.is_empty()).then(|| {
            format!(
                "{by} names {} not in this trace, ignored: {}",
                count(names.len(), "module"),
                first_names(names, IGNORED_SHOWN)
            )
        })
    };
    let file = config.map_or("", |c| c.file.as_str());
    let lines: Vec<String> = [
        said(&absent.plan, "the plan"),
        said(&absent.config, &format!("{file} [tool.lmms-tui]")),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!lines.is_empty()).then(|| lines.join("; "))
}

fn mixed(why: &str) -> Error {
    Error::new(format!(
        "{why} — these look like different programs (--allow-mixed reads them anyway)"
    ))
}

pub fn explore(
    traces: Vec<PathBuf>,
    analysis: AnalysisArgs,
    config: Option<PathBuf>,
) -> Result<ExitCode> {
    if traces.is_empty() {
        return Err(Error::new(
            "no trace given: `lmms-tui TRACE...` opens the explorer, \
             `lmms-tui report TRACE...` prints the profile (see --help)",
        ));
    }
    // `lmms-tui reprot x`: a mistyped command reads as a file name.
    if let Some(first) = traces.first().filter(|p| !p.exists())
        && let Some(command) = close_command(&first.to_string_lossy())
    {
        return Err(Error::in_file(
            first,
            format!("no such file — did you mean `lmms-tui {command}`?"),
        ));
    }
    // A missing file is said before a missing terminal: it is the first thing to fix.
    if let Some(missing) = (traces.iter()).find(|p| p.as_os_str() != trace::STDIN && !p.exists()) {
        return Err(Error::in_file(missing, "cannot read: no such file"));
    }
    crate::tui::terminal::require_terminal()?;
    // A --plan file that does not exist yet is where `w` will save a new plan.
    let plan_path = analysis.whatif.plan.clone();
    let mut flags = analysis;
    let new_plan = flags.whatif.plan.take_if(|p| !p.exists());
    let (analysis, notice) = flags.load(&traces)?;
    let notice = notice.or_else(|| {
        new_plan
            .as_ref()
            .map(|p| format!("new plan: w saves it to {}", p.display()))
    });
    let plan_file = OutputFile {
        owned: flags.whatif.plan.is_some(),
        path: plan_path.unwrap_or_else(|| PathBuf::from(DEFAULT_PLAN)),
    };
    let mut app = App::new(analysis, plan_file, 80, 24);
    app.set_status(notice);
    app.set_config(config.map(|c| c.display().to_string()));
    crate::tui::run(app)?;
    Ok(ExitCode::SUCCESS)
}

/// The subcommand a word was probably meant to be (`reprot` → `report`).
fn close_command(word: &str) -> Option<String> {
    use clap::CommandFactory;
    super::Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .filter(|name| name != "help")
        .map(|name| (strsim::damerau_levenshtein(word, &name), name))
        .filter(|(distance, name)| *distance <= 2 && *distance < name.len() / 2 + 1)
        .min()
        .map(|(_, name)| name)
}

/// Absent plan modules named in the notice; the rest are counted.
const IGNORED_SHOWN: usize = 10;

pub fn report(args: ReportArgs) -> Result<ExitCode> {
    if args.top.is_some() && args.format.default_top().is_none() {
        return Err(Error::new(format!(
            "--top does not apply to --format {}: it holds every module",
            args.format.name()
        )));
    }
    let analysis = args.analysis.analyse(&args.traces)?;
    write_output(&args.output, |mut out| {
        args.format.write(&analysis, args.top, &mut out)
    })
}

/// `completions SHELL`: the script, generated from the CLI definition.
pub fn completions(mut cli: clap::Command, shell: clap_complete::Shell) -> Result<ExitCode> {
    clap_complete::generate(shell, &mut cli, "lmms-tui", &mut io::stdout());
    Ok(ExitCode::SUCCESS)
}

/// `man`: the top page on standard output, or every page (one a subcommand) into a directory.
pub fn man(cli: clap::Command, dir: Option<PathBuf>) -> Result<ExitCode> {
    let failed = |e: io::Error| Error::new(format!("cannot write the manual: {e}"));
    match dir {
        Some(dir) => {
            if !dir.is_dir() {
                return Err(Error::in_file(&dir, "is not a directory"));
            }
            clap_mangen::generate_to(cli, &dir).map_err(|e| Error::in_file(&dir, e))?;
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cli)
                .render(&mut out)
                .map_err(failed)?;
            io::stdout().write_all(&out).map_err(failed)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn why(args: WhyArgs) -> Result<ExitCode> {
    // `why trace.json pandas`: the module comes first.
    if let [trace] = &args.traces[..]
        && !trace.exists()
        && Path::new(&args.module).is_file()
    {
        return Err(Error::new(format!(
            "`{}` is a file and `{}` is not: the module comes first — `lmms-tui why {} {}`",
            args.module,
            trace.display(),
            trace.display(),
            args.module
        )));
    }
    let graph = load_one(&args.traces, &args.mixing)?;
    let why = graph.why(graph.require(&args.module)?);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let written = args.format.write(&graph, &why, &mut out);
    finish_output(written.and_then(|()| out.flush()))
}

pub fn check(args: CheckArgs) -> Result<ExitCode> {
    if !(args.tolerance.unwrap_or(0.0) >= 0.0 && args.min_ms.unwrap_or(0.0) >= 0.0) {
        return Err(Error::new("--tolerance and --min-ms must be ≥ 0"));
    }
    let analysis = args.analysis.analyse(&args.traces)?;
    // Nothing measured passes nothing: an empty trace is not a fast program.
    if analysis.graph().is_empty() || analysis.graph().runs() == 0 {
        return Err(Error::new(format!(
            "{}: no module was imported in this trace: nothing to check",
            analysis.graph().meta().files.join(", ")
        )));
    }
    // Floors given on the command line hold whatever the runs; else the defaults for the runs.
    let noise = (args.tolerance.is_some() || args.min_ms.is_some()).then(|| {
        let default = Noise::default();
        Noise {
            tolerance_pct: args.tolerance.unwrap_or(default.tolerance_pct),
            min_ms: args.min_ms.unwrap_or(default.min_ms),
        }
    });
    let options = lmms_core::whatif::check::Options {
        noise,
        modules: args.modules,
        strict: args.strict,
        allow_new: args.allow_new,
        forbid: args.forbid,
        max_modules: args.max_modules,
        allow_failed: args.allow_failed,
    };
    let verdict = lmms_core::whatif::check::check(&analysis, &options);
    let text = args.format.render(&analysis, &verdict);
    if args.format == crate::output::check::CheckFormat::Github {
        append_step_summary(&crate::output::check::summary_markdown(&analysis, &verdict))?;
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    finish_output(out.write_all(text.as_bytes()).and_then(|()| out.flush()))?;
    Ok(if verdict.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Appends to the job summary GitHub Actions names in `$GITHUB_STEP_SUMMARY` (appending is
/// its protocol: several steps share the file); nothing when unset.
fn append_step_summary(markdown: &str) -> Result<()> {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    let path = PathBuf::from(path);
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&path)
        .and_then(|mut f| f.write_all(markdown.as_bytes()))
        .map_err(|e| Error::in_file(&path, format!("cannot append the job summary: {e}")))
}

pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let flags = AnalysisArgs {
        mixing: args.mixing,
        whatif: args.whatif,
        ..AnalysisArgs::default()
    };
    let analysis = flags.analyse(&args.traces)?;
    let text = match args.patch {
        Some(style) => patch_text(&analysis, style, args.root, args.python, &args.output)?,
        None => crate::output::fast_path::render(&analysis, args.style).map_err(Error::new)?,
    };
    write_output(&args.output, |out| out.write_all(text.as_bytes()))
}

/// `export --patch`: the patch with its header; what was left as it is said on standard error.
fn patch_text(
    analysis: &Analysis,
    style: crate::patch::PatchStyle,
    root: Option<PathBuf>,
    python: Option<String>,
    output: &OutputArgs,
) -> Result<String> {
    let python = python.unwrap_or_else(|| crate::patch::recorded_python(analysis));
    let patch = crate::patch::make(analysis, style, &crate::patch::root(root), &python)?;
    for r in &patch.refused {
        eprintln!(
            "lmms-tui: left as it is: {}:{} ({}): {}",
            printable(&r.0),
            r.1,
            printable(&r.2),
            printable(&r.3)
        );
    }
    if patch.diff.is_empty() {
        return Err(Error::new(
            "no import could be edited (above): no patch written",
        ));
    }
    // A patch is byte-exact, so control characters in your files stay in it: never sent raw
    // to a terminal.
    let control = |c: char| c.is_control() && c != '\n' && c != '\t';
    if output.output.is_none() && io::stdout().is_terminal() && patch.diff.chars().any(control) {
        return Err(Error::new(
            "the patch holds control characters from your files: write it with -o FILE",
        ));
    }
    Ok(crate::output::patch::render(analysis, style, &patch))
}

/// Streams what `produce` writes to `-o` (asking before replacing a file, unless --force) or
/// standard output.
fn write_output(
    args: &OutputArgs,
    produce: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<ExitCode> {
    match &args.output {
        Some(path) => {
            if !args.force && crate::outfile::would_replace(path) && !ask_overwrite(path)? {
                return Err(Error::in_file(path, "exists: not overwritten"));
            }
            crate::outfile::write_with(path, produce)?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let stdout = io::stdout();
            let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
            finish_output(produce(&mut out).and_then(|()| out.flush()))
        }
    }
}

/// What the flags ask `record` to do.
fn record_options(args: &RecordArgs) -> RecordOptions {
    let replay = match (&args.handler, &args.events, &args.driver, &args.invocations) {
        (Some(handler), Some(events), _, _) => Some(record::Replay::Handler {
            handler: handler.clone(),
            events: events.clone(),
        }),
        (_, _, Some(driver), _) => Some(record::Replay::Driver(driver.clone())),
        (_, _, _, Some(file)) => Some(record::Replay::Invocations(file.clone())),
        _ => None,
    };
    RecordOptions {
        command: args.command.clone(),
        runs: args.runs,
        warmup: args.warmup,
        lazy: args.lazy.clone(),
        replay,
        patch: (args.patch.clone()).map(|file| record::PatchRun {
            file,
            smoke: args.smoke.clone(),
        }),
    }
}

pub fn record(args: RecordArgs) -> Result<ExitCode> {
    let bar = progress_bar();
    let echo_bar = bar.clone();
    let timeout = (args.timeout > 0).then(|| std::time::Duration::from_secs(args.timeout));
    let mut runner = record::ProcessRunner::new(
        Box::new(move |line| echo_bar.suspend(|| eprint!("{line}"))),
        timeout,
    )?;
    let opts = record_options(&args);
    let mut progress = |p: Progress| match p {
        Progress::Steps(n) => bar.inc_length(n),
        Progress::Step(message) => bar.set_message(message),
        Progress::Done => bar.inc(1),
    };
    // The trace so far is written after each timed run (when the output is a file), so a
    // failure or a signal later loses nothing.
    let checkpoints = crate::outfile::replaced_atomically(&args.output);
    let mut saved_runs = 0;
    let mut checkpoint = |g: &ImportGraph| {
        if checkpoints && write_trace(&args.output, g).is_ok() {
            saved_runs = g.runs();
        }
    };
    let recording = record::record(&opts, &mut runner, &mut progress, &mut checkpoint);
    bar.finish_and_clear();
    let kept = |e: Error| match saved_runs {
        0 => e,
        n => Error::new(format!(
            "{e} — {} holds the trace of the first {}",
            args.output.display(),
            count(n, "timed run")
        )),
    };
    let recording = recording.map_err(kept)?;
    // A program failing in every run (a wrong interpreter, a missing module) never replaces a
    // trace already there: its runs are no trace of the program.
    let existing = std::fs::metadata(&args.output).is_ok_and(|m| m.is_file());
    if let Some(why) = every_run_failed(&recording).filter(|_| existing) {
        for (run, status) in &recording.failures {
            eprintln!("lmms-tui: run {run}: the program failed ({status})");
        }
        eprintln!(
            "lmms-tui: the program failed in every run ({why}): {} was not written, and holds \
             the trace it held",
            args.output.display(),
        );
        return Ok(ExitCode::from(1));
    }
    write_trace(&args.output, &recording.graph).map_err(kept)?;
    let g = &recording.graph;
    for line in crate::output::recorded::summary(g, &args.output, &recording.notes) {
        eprintln!("lmms-tui: {line}");
    }
    if let Some(signal) = recording.interrupted {
        eprintln!(
            "lmms-tui: interrupted by signal {signal}: the program was stopped, and the trace \
             holds the {} that finished",
            count(g.runs(), "timed run")
        );
        return Ok(ExitCode::from(128u8.saturating_add(signal as u8)));
    }
    for (run, status) in &recording.failures {
        eprintln!("lmms-tui: run {run}: the program failed ({status}); its trace was kept");
    }
    Ok(if recording.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The first failure, when the program failed in every timed run that gave the trace a run
/// (a signal's stop aside): then its trace is no trace of the program.
fn every_run_failed(recording: &record::Recording) -> Option<&str> {
    let failed: std::collections::BTreeSet<u32> =
        recording.failures.iter().map(|(r, _)| *r).collect();
    let every = recording.interrupted.is_none() && failed.len() as u32 >= recording.graph.runs();
    every.then(|| {
        recording
            .failures
            .first()
            .map_or("", |(_, why)| why.as_str())
    })
}

/// `record`'s progress bar on a terminal; hidden elsewhere.
fn progress_bar() -> ProgressBar {
    if !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix("lmms-tui record");
    bar
}

/// Whether to overwrite an existing file: asked on a terminal; elsewhere (CI, a pipe) the
/// answer is no, and the error says --force.
fn ask_overwrite(path: &Path) -> Result<bool> {
    if !(io::stdin().is_terminal() && io::stderr().is_terminal()) {
        return Err(Error::in_file(path, "exists: --force overwrites it"));
    }
    eprint!(
        "lmms-tui: {} exists: overwrite? [y/N] ",
        printable(&path.display().to_string())
    );
    let mut answer = String::new();
    io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Error::new(format!("cannot read the answer: {e}")))?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

fn write_trace(path: &Path, graph: &ImportGraph) -> Result<()> {
    crate::outfile::write_with(path, |mut out| trace::json::write(graph, &mut out))
}

/// A closed pipe (`| head`) is the reader's choice, not an error.
fn finish_output(result: io::Result<()>) -> Result<ExitCode> {
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Error::new(format!("cannot write the report: {e}"))),
    }
}
