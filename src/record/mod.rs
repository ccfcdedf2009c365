//! `lmms-tui record`: runs a real Python program several times with `-X importtime` (through
//! PYTHONPROFILEIMPORTTIME, so any launcher works), each run alternated with one with the cyclic
//! garbage collector off; then once with a tracer that sees every import edge and where each
//! module comes from; then each of the entry module's imports alone in a fresh process (their
//! trees reveal dependencies that a shared first import hid); and, for `--lazy`, alternated
//! runs of the program unedited and with its own imports of those modules made lazy. Each phase
//! is a function; processes run behind `Runner`, progress goes to a callback.

mod runner;

use std::path::Path;

pub use runner::{Exit, Job, ProcessRunner, RunOutput, Runner, Tracer};

use crate::error::{Error, Result};
use crate::model::{GcRuns, ImportGraph, LoadedAnyway, Measured, TraceBuilder};
use crate::trace;

#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub command: Vec<String>,
    pub runs: u32,
    /// Runs before the timed ones, not counted: they pay for compiling `.pyc` files and for
    /// cold file caches.
    pub warmup: u32,
    /// Also measure the program with its own imports of these modules made lazy.
    pub lazy: Vec<String>,
}

#[derive(Debug)]
pub struct Recording {
    pub graph: ImportGraph,
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

/// Where a recording is: the runner, the progress callback and the command.
struct Session<'a> {
    runner: &'a mut dyn Runner,
    progress: &'a mut dyn FnMut(Progress),
    opts: &'a RecordOptions,
}

impl Session<'_> {
    fn job(&self, importtime: u8, tracer: Tracer, show: bool) -> Job {
        Job {
            args: self.opts.command.clone(),
            importtime,
            tracer,
            python_path: Vec::new(),
            show,
        }
    }

    /// Runs a job as one progress step.
    fn step(&mut self, what: String, job: &Job) -> Result<RunOutput> {
        (self.progress)(Progress::Step(what));
        let out = self.runner.run(job);
        (self.progress)(Progress::Done);
        out
    }
}

/// The code our `-c` runs in an edit run: the tracer runs the program given after it.
const RUN_MAIN: &str = "import _lmms_tui; _lmms_tui.run_main()";

/// `python [options] -c "RUN_MAIN" PROGRAM...` for `python [options] PROGRAM...`, where PROGRAM
/// is `-c CODE`, `-m MODULE` or `SCRIPT` with its arguments; None for other launchers.
pub fn edit_command(command: &[String]) -> Option<Vec<String>> {
    let i = interpreter_len(command)?;
    let program = command.get(i..).filter(|p| !p.is_empty())?;
    if matches!(program[0].as_str(), "-c" | "-m") && program.len() < 2 {
        return None;
    }
    let mut edited = command[..i].to_vec();
    edited.extend(["-c".to_string(), RUN_MAIN.to_string()]);
    edited.extend(program.iter().cloned());
    Some(edited)
}

/// How many words of the command are the interpreter and its options (`python3 -X dev -O`):
/// None when the command does not start with a Python interpreter (`env`, `uv run`, a shell
/// script), whose options lmms-tui cannot tell from the program's.
fn interpreter_len(command: &[String]) -> Option<usize> {
    let program = Path::new(command.first()?).file_name()?.to_str()?;
    if !(program == "py" || program.starts_with("python") || program.starts_with("pypy")) {
        return None;
    }
    let mut i = 1;
    while i < command.len() {
        let arg = command[i].as_str();
        match arg {
            "-c" | "-m" => break,
            "-X" | "-W" => i += 2,
            "-" | "--" => return None,
            _ if arg.starts_with('-') => i += 1,
            _ => break,
        }
    }
    Some(i.min(command.len()))
}

pub fn record(
    opts: &RecordOptions,
    runner: &mut dyn Runner,
    progress: &mut dyn FnMut(Progress),
) -> Result<Recording> {
    if opts.command.is_empty() {
        return Err(Error::new(
            "record needs a command: lmms-tui record -- python -c \"import myapp\"",
        ));
    }
    if opts.runs == 0 {
        return Err(Error::new("--runs must be at least 1"));
    }
    if !opts.lazy.is_empty() && edit_command(&opts.command).is_none() {
        return Err(Error::new(format!(
            "--lazy edits the program's imports, so it needs the interpreter itself: \
             python [options] (-c CODE | -m MODULE | SCRIPT), not `{}`",
            opts.command.join(" ")
        )));
    }
    let python = runner.python_version(&opts.command[0]);
    // 3.14's importtime=2 prints imports of already-loaded modules: every edge, no tracer.
    let full_edges = at_least(&python, 3, 14);
    let mut s = Session {
        runner,
        progress,
        opts,
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
    let failures = timed_runs(&mut s, if full_edges { 2 } else { 1 }, &mut builder)?;
    let mut notes = vec![traced_edges(&mut s, &mut builder, full_edges)?];
    if full_edges {
        builder.set_edges_complete(true);
    } else {
        notes.extend(entries_alone(&mut s, &mut builder)?);
    }
    if !opts.lazy.is_empty() {
        match measured_lazy(&mut s, &opts.lazy)? {
            Some(measured) => builder.meta.measured.push(measured),
            None => notes
                .push("the runs with the imports made lazy printed no import-time lines".into()),
        }
    }
    builder.meta.command = Some(opts.command.clone());
    builder.meta.recorded_at =
        Some(humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string());
    Ok(Recording {
        graph: ImportGraph::build(builder)?,
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

/// The program's own import time in one run's output (start-up excluded), if it printed any.
fn program_us(importtime: &str) -> Option<u64> {
    let g = trace::from_bytes("run", importtime.as_bytes()).ok()?;
    Some(program_import_us(&g))
}

/// Import time spent by the program: the total less interpreter start-up.
fn program_import_us(g: &ImportGraph) -> u64 {
    g.total_us().saturating_sub(g.startup_us())
}

/// Timed runs: nothing but the program and `-X importtime`, each paired with a run with the
/// garbage collector off (which goes first alternates). Returns the failed runs.
fn timed_runs(
    s: &mut Session,
    level: u8,
    builder: &mut TraceBuilder,
) -> Result<Vec<(u32, String)>> {
    let mut failures = Vec::new();
    let mut timed = 0;
    let mut gc = GcRuns::default();
    let runs = s.opts.runs;
    for run in 1..=runs {
        let mut plain = None;
        let mut no_gc = None;
        for first in [run % 2 == 1, run % 2 == 0] {
            if first {
                let job = s.job(level, Tracer::Off, true);
                plain = Some(s.step(format!("timed run {run}/{runs}"), &job)?);
            } else {
                let job = s.job(1, Tracer::NoGc, false);
                no_gc = Some(s.step(format!("run {run}/{runs} without GC"), &job)?);
            }
        }
        let (out, no_gc) = (plain.expect("ran"), no_gc.expect("ran"));
        if !out.exit.success {
            failures.push((run, out.exit.description.clone()));
        }
        // The run read alone (a run whose lines do not read is left out and said, never the
        // whole recording); its program import time serves the GC pair too.
        let mut with = None;
        if !out.importtime.is_empty() {
            let label = format!("run {run}");
            match trace::from_bytes(&label, out.importtime.as_bytes()) {
                Ok(g) => {
                    trace::read_bytes(Path::new(&label), out.importtime.as_bytes(), builder)?;
                    timed += 1;
                    with = Some(program_import_us(&g));
                }
                Err(e) => {
                    failures.push((run, format!("its import-time lines were unreadable: {e}")))
                }
            }
        }
        if let (Some(with), Some(without)) = (with, program_us(&no_gc.importtime)) {
            gc.with_gc_us.push(with);
            gc.without_gc_us.push(without);
        }
    }
    if timed == 0 {
        return Err(Error::new(format!(
            "`{}` printed no import-time lines: is it a Python interpreter (python3, python -m …)?",
            s.opts.command.join(" ")
        )));
    }
    if !gc.with_gc_us.is_empty() {
        builder.meta.gc = Some(gc);
    }
    builder.meta.files.clear();
    Ok(failures)
}

/// One run with the tracer: every import statement, already-loaded modules included, and
/// where each module comes from. On 3.14 the timed runs have every edge already.
fn traced_edges(s: &mut Session, builder: &mut TraceBuilder, full_edges: bool) -> Result<String> {
    (s.progress)(Progress::Steps(1));
    let job = s.job(0, Tracer::Edges, false);
    let out = s.step("recording import edges and origins".into(), &job)?;
    Ok(match out.findings {
        Some(text) => {
            let found = trace::tracer::read(&text, builder);
            builder.meta.fingerprint = found.fingerprint;
            if !full_edges {
                builder.set_edges_complete(true);
            }
            format!(
                "{} import edges traced, {} module origins",
                found.edges, found.origins
            )
        }
        None if full_edges => "the tracer wrote nothing: module origins unknown".into(),
        None => {
            builder.set_edges_complete(false);
            "the edge-recording run wrote no edges (did the program exit through os._exit?): \
             edges are the first-import tree only"
                .into()
        }
    })
}

/// Each entry import alone: its own tree shows what it needs even where another module imported
/// that first — including imports made from C extensions.
fn entries_alone(s: &mut Session, builder: &mut TraceBuilder) -> Result<Option<String>> {
    // The same interpreter and options; with another launcher the runs alone are not made,
    // and the edges are not called complete.
    let Some(i) = interpreter_len(&s.opts.command) else {
        builder.set_edges_complete(false);
        return Ok(Some(format!(
            "entry imports not run alone (`{}` is not a Python interpreter lmms-tui can call \
             directly): imports made from C code may be missing",
            s.opts.command[0]
        )));
    };
    let interpreter = s.opts.command[..i].to_vec();
    let provisional = ImportGraph::build(builder.clone())?;
    let entries = provisional.entry_imports();
    (s.progress)(Progress::Steps(entries.len() as u64));
    let mut alone_edges = 0;
    for &m in &entries {
        let name = provisional.name(m).to_string();
        let mut args = interpreter.clone();
        args.extend(["-c".to_string(), format!("import {name}")]);
        let job = Job {
            args,
            importtime: 1,
            tracer: Tracer::Off,
            python_path: script_dir(&s.opts.command).into_iter().collect(),
            show: false,
        };
        let out = s.step(format!("importing {name} alone"), &job)?;
        if let Ok(alone) = trace::from_bytes(&name, out.importtime.as_bytes()) {
            for child in alone.ids() {
                let Some(parent) = alone.module(child).parent else {
                    continue;
                };
                if let (Some(p), Some(c)) = (
                    builder.lookup(alone.name(parent)),
                    builder.lookup(alone.name(child)),
                ) {
                    builder.edge(Some(p), c);
                    alone_edges += 1;
                }
            }
        }
    }
    Ok((!entries.is_empty()).then(|| {
        format!(
            "{} entry imports run alone ({alone_edges} tree edges)",
            entries.len()
        )
    }))
}

/// The edit made for real: the program unedited and with its own imports of `lazy` made lazy,
/// alternated (which goes first alternates too), so drift and warm caches hit both alike.
fn measured_lazy(s: &mut Session, lazy: &[String]) -> Result<Option<Measured>> {
    let mut lazy = lazy.to_vec();
    lazy.sort();
    lazy.dedup();
    let args = edit_command(&s.opts.command).expect("checked before recording");
    let mut measured = Measured {
        lazy: lazy.clone(),
        ..Measured::default()
    };
    let runs = s.opts.runs;
    for run in 1..=runs {
        let mut pair = [None, None];
        let order = if run % 2 == 1 {
            [false, true]
        } else {
            [true, false]
        };
        for apply in order {
            let job = Job {
                args: args.clone(),
                importtime: 1,
                tracer: Tracer::Edit {
                    defer: lazy.clone(),
                    apply,
                },
                python_path: Vec::new(),
                show: false,
            };
            let what = if apply {
                format!("run {run}/{runs} with {} made lazy", lazy.join(", "))
            } else {
                format!("run {run}/{runs} unedited, for the pair")
            };
            pair[apply as usize] = Some(s.step(what, &job)?);
        }
        let [eager, edited] = pair.map(|o| o.expect("ran"));
        let (Some(eager_us), Some(edited_us)) = (
            program_us(&eager.importtime),
            program_us(&edited.importtime),
        ) else {
            continue;
        };
        measured.eager_us.push(eager_us);
        measured.total_us.push(edited_us);
        if measured.modules.is_empty()
            && let Ok(g) = trace::from_bytes("measured", edited.importtime.as_bytes())
        {
            measured.modules = g.ids().map(|m| g.name(m).to_string()).collect();
            measured.modules.sort();
        }
        if let Some(text) = &edited.findings {
            let mut scratch = TraceBuilder::new();
            for (module, importer) in trace::tracer::read(text, &mut scratch).loaded {
                if !measured.loaded_anyway.iter().any(|l| l.module == module) {
                    measured
                        .loaded_anyway
                        .push(LoadedAnyway { module, importer });
                }
            }
        }
    }
    Ok((!measured.total_us.is_empty()).then_some(measured))
}

/// For `python path/to/script.py`, the script's directory (on sys.path when it runs).
fn script_dir(command: &[String]) -> Option<String> {
    let script = command.iter().skip(1).find(|a| !a.starts_with('-'))?;
    if !script.ends_with(".py") {
        return None;
    }
    let dir = Path::new(script).parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    Some(dir.canonicalize().ok()?.display().to_string())
}

#[cfg(test)]
mod tests;
