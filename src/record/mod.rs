//! `lmms-tui record`: runs a real Python program several times with `-X importtime` (through
//! PYTHONPROFILEIMPORTTIME, so any launcher works), each run alternated with one with the cyclic
//! garbage collector off; then once with a tracer that sees every import edge and where each
//! module comes from; then each of the entry module's imports alone in a fresh process (their
//! trees reveal dependencies that a shared first import hid); and, for `--lazy`, alternated
//! runs of the program unedited and with its own imports of those modules made lazy. Each phase
//! is a function; processes run behind `Runner`, progress goes to a callback.

mod edges;
mod launch;
mod measured;
mod patched;
mod pipes;
mod replay;
mod runner;
mod stderr;
mod tracer;

use std::path::Path;

#[cfg(test)]
use launch::RUN_MAIN;
pub use launch::{Launch, edit_command, launch};
pub use patched::PatchRun;
pub use replay::Replay;
pub use runner::{Exit, Job, ProcessRunner, RunOutput, Runner, Tracer};
pub use tracer::write_to as tracer_files;

use lmms_core::error::{Error, Result};
use lmms_core::model::{FailedRun, GcRuns, ImportGraph, TraceBuilder};
use lmms_core::trace;

#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub command: Vec<String>,
    pub runs: u32,
    /// Runs before the timed ones, not counted: they pay for compiling `.pyc` files and for
    /// cold file caches.
    pub warmup: u32,
    /// Also measure the program with its own imports of these modules made lazy.
    pub lazy: Vec<String>,
    /// Requests to replay after start-up, to measure what each needs.
    pub replay: Option<Replay>,
    /// A patch to verify: applied to a copy of the program and run against it.
    pub patch: Option<PatchRun>,
}

#[derive(Debug)]
pub struct Recording {
    pub graph: ImportGraph,
    /// The signal that stopped the recording early; the trace holds the runs that finished.
    pub interrupted: Option<i32>,
    /// Timed runs whose program exited unsuccessfully: (run, how).
    pub failures: Vec<(u32, String)>,
    /// What the edge-recording steps found (said in the summary).
    pub notes: Vec<String>,
}

/// What the recording is doing, for a progress bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// This many more steps are to come.
    Steps(u64),
    /// A step starts.
    Step(String),
    /// A step finished.
    Done,
}

/// Where a recording is: the runner, the callbacks, the command and what was learnt about it.
struct Session<'a> {
    runner: &'a mut dyn Runner,
    progress: &'a mut dyn FnMut(Progress),
    /// Called with the trace so far after each timed run, so a late failure loses nothing.
    checkpoint: &'a mut dyn FnMut(&ImportGraph),
    opts: &'a RecordOptions,
    launch: Option<Launch>,
}

impl Session<'_> {
    /// A run of the recorded command; a timed one loads the helper when it can, which marks
    /// the run and keeps child processes' import times out.
    fn job(&self, importtime: u8, tracer: Tracer, show: bool) -> Job {
        let tracer = match tracer {
            Tracer::Off if importtime > 0 && self.helper_can_load() => Tracer::Mark,
            t => t,
        };
        self.job_of(self.opts.command.clone(), importtime, tracer, show)
    }

    /// A run of `args`, an edit of the recorded command: with `-I` or `-E` the interpreter
    /// ignores PYTHONPROFILEIMPORTTIME, so the level goes on its command line instead.
    fn job_of(&self, mut args: Vec<String>, importtime: u8, tracer: Tracer, show: bool) -> Job {
        let mut level = importtime;
        if let Some(launch) = &self.launch
            && launch.ignores_env
            && importtime > 0
        {
            let option = match importtime {
                1 => "importtime".to_string(),
                n => format!("importtime={n}"),
            };
            args.splice(
                launch.python + 1..launch.python + 1,
                ["-X".to_string(), option],
            );
            level = 0;
        }
        Job {
            args,
            importtime: level,
            tracer,
            python_path: Vec::new(),
            show,
            cwd: None,
        }
    }

    /// Whether lmms-tui's helper can load in the interpreter at all.
    fn helper_can_load(&self) -> bool {
        self.launch
            .as_ref()
            .is_none_or(|l| !l.ignores_env && !l.no_site)
    }

    /// Runs a job as one progress step; `None` when a signal stopped the recording (the run
    /// in progress, cut short, is dropped).
    fn step(&mut self, what: String, job: &Job) -> Result<Option<RunOutput>> {
        if self.runner.interrupted().is_some() {
            return Ok(None);
        }
        (self.progress)(Progress::Step(what));
        let out = self.runner.run(job)?;
        (self.progress)(Progress::Done);
        Ok(self.runner.interrupted().is_none().then_some(out))
    }
}

/// The options' own errors (no command, no runs, `--lazy` where the edit cannot be made);
/// how the command launches Python.
fn checked_options(opts: &RecordOptions) -> Result<Option<Launch>> {
    let launch = launch(&opts.command);
    // Its own flag would time the tracer's and the edit's runs too, and every child process.
    if launch.as_ref().is_some_and(|l| l.importtime) {
        return Err(Error::new(format!(
            "the command carries `-X importtime`: record turns it on itself, for the timed \
             runs only — record `{}` without it",
            opts.command.join(" ")
        )));
    }
    if opts.command.is_empty() {
        return Err(Error::new(
            "record needs a command: lmms-tui record -- python -c \"import myapp\"",
        ));
    }
    if opts.runs == 0 {
        return Err(Error::new("--runs must be at least 1"));
    }
    if let Some(p) = &opts.patch {
        p.check()?;
        if !opts.lazy.is_empty() {
            return Err(Error::new(
                "--patch and --lazy each measure an edit: record one at a time",
            ));
        }
    }
    if let Some(r) = &opts.replay {
        r.check()?;
        if launch.as_ref().is_some_and(|l| l.ignores_env || l.no_site) {
            return Err(Error::new(
                "--handler and --driver replay requests through lmms-tui's helper, which \
                 `python -I`, `-E` and `-S` keep out (they ignore PYTHONPATH or skip site): \
                 record without them",
            ));
        }
    }
    if !opts.lazy.is_empty() {
        if edit_command(&opts.command).is_none() {
            return Err(Error::new(format!(
                "--lazy edits the program's imports, so it needs the interpreter itself: \
                 python [options] (-c CODE | -m MODULE | SCRIPT), not `{}`",
                opts.command.join(" ")
            )));
        }
        if launch.as_ref().is_some_and(|l| l.ignores_env || l.no_site) {
            return Err(Error::new(
                "--lazy makes the edit through lmms-tui's helper, which `python -I`, `-E` and \
                 `-S` keep out (they ignore PYTHONPATH or skip site): record without them",
            ));
        }
    }
    Ok(launch)
}

/// After the timed runs (unless a signal stopped them): the edges a timed run cannot show,
/// then the measured edit; what they noticed.
fn edges_and_edits(
    s: &mut Session,
    builder: &mut TraceBuilder,
    full_edges: bool,
) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    if s.runner.interrupted().is_none() {
        notes.push(edges::traced_edges(s, builder, full_edges)?);
        if full_edges {
            builder.set_edges_complete(true);
        } else {
            notes.extend(edges::entries_alone(s, builder)?);
        }
    }
    if let Some(replay) = &s.opts.replay
        && s.runner.interrupted().is_none()
    {
        notes.push(replay::replayed(s, replay, builder)?);
    }
    if let Some(run) = &s.opts.patch
        && s.runner.interrupted().is_none()
        && let Some(measured) = patched::verified(s, run, builder, &mut notes)?
    {
        builder.meta.measured.push(measured);
    }
    if !s.opts.lazy.is_empty() && s.runner.interrupted().is_none() {
        match measured::measured_lazy(s, &s.opts.lazy, builder, &mut notes)? {
            Some(measured) => builder.meta.measured.push(measured),
            None => notes
                .push("the runs with the imports made lazy printed no import-time lines".into()),
        }
    }
    Ok(notes)
}

pub fn record(
    opts: &RecordOptions,
    runner: &mut dyn Runner,
    progress: &mut dyn FnMut(Progress),
    checkpoint: &mut dyn FnMut(&ImportGraph),
) -> Result<Recording> {
    let launch = checked_options(opts)?;
    let python = runner.python_version(&opts.command[launch.as_ref().map_or(0, |l| l.python)]);
    // `-X importtime` came with 3.7: older interpreters print nothing to time.
    if let Some(version) = &python
        && !at_least(&python, 3, 7)
    {
        return Err(Error::new(format!(
            "Python {version} has no `-X importtime`: lmms-tui record needs Python 3.7 or later"
        )));
    }
    // 3.14's importtime=2 prints imports of already-loaded modules: every edge, no tracer.
    let full_edges = at_least(&python, 3, 14);
    let mut s = Session {
        runner,
        progress,
        checkpoint,
        opts,
        launch,
    };
    (s.progress)(Progress::Steps(
        opts.warmup as u64 + opts.runs as u64 * if opts.lazy.is_empty() { 2 } else { 4 },
    ));
    for run in 1..=opts.warmup {
        let job = s.job(0, Tracer::Off, false);
        s.step(format!("warm-up run {run}/{}", opts.warmup), &job)?;
    }
    let mut builder = TraceBuilder::new();
    builder.meta.python = python;
    builder.meta.command = Some(opts.command.clone());
    let (failures, mut notes) = timed_runs(&mut s, if full_edges { 2 } else { 1 }, &mut builder)?;
    notes.extend(edges_and_edits(&mut s, &mut builder, full_edges)?);
    let interrupted = s.runner.interrupted();
    if interrupted.is_some() {
        // Edges found before the signal are a part only.
        builder.set_edges_complete(false);
    }
    builder.meta.recorded_at =
        Some(humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string());
    Ok(Recording {
        graph: ImportGraph::build(builder)?,
        interrupted,
        failures,
        notes,
    })
}

fn at_least(version: &Option<String>, major: u32, minor: u32) -> bool {
    let Some(v) = version else { return false };
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (a, b) >= (major, minor)
}

/// The program's own import time in one run (start-up excluded), if it printed any and no
/// other interpreter's lines mixed in.
fn program_us(out: &RunOutput) -> Option<u64> {
    if out.other_interpreter {
        return None;
    }
    let g = trace::from_bytes("run", out.importtime.as_bytes()).ok()?;
    Some(program_import_us(&g))
}

/// Why a run's import times are left out when another interpreter printed its own after the
/// helper's mark.
const OTHER_INTERPRETER: &str = "another Python process printed import times into the \
    program's standard error (one started with `-X importtime`?), which cannot be told from \
    the program's: the run is left out";

/// Import time spent by the program: the total less interpreter start-up.
fn program_import_us(g: &ImportGraph) -> u64 {
    g.total_us().saturating_sub(g.startup_us())
}

/// The note for a program that left processes holding its standard error.
const LEFT_BEHIND: &str =
    "the program left processes behind that kept its standard error open after it exited";

/// Runs whose program failed, and how: (run, what happened).
type Failures = Vec<(u32, String)>;

/// How many interpreters printed import times into one run's standard error (one header each).
fn processes(importtime: &str) -> usize {
    importtime.lines().filter(|l| stderr::is_header(l)).count()
}

/// Timed runs: nothing but the program and `-X importtime`, each paired with a run with the
/// garbage collector off (which goes first alternates). Returns the failed runs and notes.
fn timed_runs(
    s: &mut Session,
    level: u8,
    builder: &mut TraceBuilder,
) -> Result<(Failures, Vec<String>)> {
    let mut failures = Vec::new();
    let mut notes = Vec::new();
    let mut timed = 0;
    // No checkpoint until a run of the program succeeded: a program failing in every run
    // must not replace a good trace.
    let mut any_succeeded = false;
    let mut gc = GcRuns::default();
    let mut gc_unmeasured = 0;
    let runs = s.opts.runs;
    'runs: for run in 1..=runs {
        let Some((out, no_gc)) = timed_pair(s, run, level)? else {
            break 'runs;
        };
        if !out.exit.success {
            failures.push((run, out.exit.description.clone()));
            // Kept in the trace: `check` refuses a failing program's figures.
            builder.meta.failed_runs.push(FailedRun {
                run,
                how: out.exit.description.clone(),
                stderr_tail: out.stderr_tail.clone(),
            });
        }
        if out.left_behind && !notes.iter().any(|n: &String| n.starts_with(LEFT_BEHIND)) {
            notes.push(format!(
                "{LEFT_BEHIND} (first in run {run}): not waited for, and perhaps still running"
            ));
        }
        // The run read alone (a run whose lines do not read is left out and said, never the
        // whole recording); its program import time serves the GC pair too.
        let mut with = None;
        if out.other_interpreter {
            failures.push((run, OTHER_INTERPRETER.to_string()));
        } else if !out.importtime.is_empty() {
            let label = format!("run {run}");
            match trace::from_bytes(&label, out.importtime.as_bytes()) {
                Ok(g) => {
                    trace::read_bytes(Path::new(&label), out.importtime.as_bytes(), builder)?;
                    timed += 1;
                    any_succeeded |= out.exit.success;
                    with = Some(program_import_us(&g));
                }
                Err(e) => {
                    failures.push((run, format!("its import-time lines were unreadable: {e}")))
                }
            }
        }
        // A run without GC counts only if the helper that turns the collector off loaded.
        match no_gc.filter(|o| o.tracer_loaded) {
            Some(no_gc) => {
                if let (Some(with), Some(without)) = (with, program_us(&no_gc)) {
                    gc.with_gc_us.push(with);
                    gc.without_gc_us.push(without);
                }
            }
            None => gc_unmeasured += 1,
        }
        if timed > 0 && any_succeeded {
            (s.checkpoint)(&ImportGraph::build(builder.clone())?);
        }
    }
    if timed == 0 && s.runner.interrupted().is_none() {
        if failures.iter().any(|(_, why)| why == OTHER_INTERPRETER) {
            return Err(Error::new(format!(
                "no timed run of `{}` could be used: in each, {OTHER_INTERPRETER}",
                s.opts.command.join(" ")
            )));
        }
        return Err(Error::new(format!(
            "`{}` printed no import-time lines: is it a Python interpreter (python3, python -m …)?",
            s.opts.command.join(" ")
        )));
    }
    if gc_unmeasured > 0 && gc.with_gc_us.is_empty() {
        notes.push(format!("GC pauses not measured: {}", no_helper(s)));
    }
    if !gc.with_gc_us.is_empty() {
        builder.meta.gc = Some(gc);
    }
    builder.meta.files.clear();
    Ok((failures, notes))
}

/// Run `run`'s timed run and its run without GC, the order alternating; `None` when a signal
/// stopped them.
fn timed_pair(
    s: &mut Session,
    run: u32,
    level: u8,
) -> Result<Option<(RunOutput, Option<RunOutput>)>> {
    let runs = s.opts.runs;
    let mut plain = None;
    let mut no_gc = None;
    for first in [!run.is_multiple_of(2), run.is_multiple_of(2)] {
        if first {
            let job = s.job(level, Tracer::Off, true);
            let Some(out) = s.step(format!("timed run {run}/{runs}"), &job)? else {
                return Ok(None);
            };
            // Without the helper (which keeps child processes' import times out), their lines
            // cannot be told from the program's: no trace rather than a wrong one.
            if !out.marked && processes(&out.importtime) > 1 {
                return Err(Error::new(format!(
                    "the program starts Python processes, whose import times mix with its own, \
                     and {} — record without that option",
                    no_helper(s)
                )));
            }
            plain = Some(out);
        } else if s.helper_can_load() {
            let job = s.job(1, Tracer::NoGc, false);
            let Some(out) = s.step(format!("run {run}/{runs} without GC"), &job)? else {
                return Ok(None);
            };
            no_gc = Some(out);
        }
    }
    Ok(plain.map(|out| (out, no_gc)))
}

/// Run `run`'s pair of an edit, [without, with]: `side(with)` gives each side's job and what
/// it is called. Which goes first alternates with the run, so drift and warm caches hit both
/// alike. `None` when a signal stopped it.
fn alternated_pair(
    s: &mut Session,
    run: u32,
    side: impl Fn(&Session, bool) -> (Job, String),
) -> Result<Option<[RunOutput; 2]>> {
    let mut pair = [None, None];
    let order = if run % 2 == 1 {
        [false, true]
    } else {
        [true, false]
    };
    for with in order {
        let (job, what) = side(s, with);
        let Some(out) = s.step(what, &job)? else {
            return Ok(None);
        };
        pair[with as usize] = Some(out);
    }
    Ok(Some(pair.map(|o| o.expect("both ran"))))
}

/// Why lmms-tui's helper (tracer, GC switch) did not run in the program, in words.
fn no_helper(s: &Session) -> String {
    match &s.launch {
        Some(l) if l.ignores_env => "`python -I`/`-E` ignores PYTHONPATH, which brings lmms-tui's \
                                     helper in"
            .into(),
        Some(l) if l.no_site => "`python -S` skips site, which loads lmms-tui's helper".into(),
        _ => format!(
            "lmms-tui's helper did not load (does `{}` reset PYTHONPATH?)",
            s.opts.command.join(" ")
        ),
    }
}

#[cfg(test)]
mod tests;
