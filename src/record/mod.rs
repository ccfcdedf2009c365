//! `lmms-tui record`: runs a real Python program several times with `-X importtime` (through
//! PYTHONPROFILEIMPORTTIME, so any launcher works), then once more with a tracer that sees
//! every import edge, then each of the entry module's imports alone in a fresh process (their
//! trees reveal dependencies that a shared first import hid), and returns the trace. Each phase
//! is a function; processes run behind `Runner`, progress goes to a callback.

mod runner;

use std::path::Path;

pub use runner::{Exit, Job, ProcessRunner, RunOutput, Runner, Tracer};

use crate::error::{Error, Result};
use crate::model::{ImportGraph, Measured, TraceBuilder};
use crate::trace;

#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub command: Vec<String>,
    pub runs: u32,
    /// Also run with these modules really deferred, for projected-vs-measured.
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
    let python = runner.python_version(&opts.command[0]);
    // 3.14's importtime=2 prints imports of already-loaded modules: every edge, no tracer.
    let full_edges = at_least(&python, 3, 14);
    let mut s = Session {
        runner,
        progress,
        opts,
    };
    (s.progress)(Progress::Steps(
        opts.runs as u64 * if opts.lazy.is_empty() { 1 } else { 2 },
    ));
    let mut builder = TraceBuilder::new();
    let failures = timed_runs(&mut s, if full_edges { 2 } else { 1 }, &mut builder)?;
    let mut notes = Vec::new();
    if full_edges {
        builder.set_edges_complete(true);
    } else {
        notes.push(traced_edges(&mut s, &mut builder)?);
        notes.extend(entries_alone(&mut s, &mut builder)?);
    }
    if !opts.lazy.is_empty() {
        match measured_lazy(&mut s, &opts.lazy)? {
            Some(measured) => builder.meta.measured.push(measured),
            None => {
                notes.push("the runs with modules deferred printed no import-time lines".into())
            }
        }
    }
    builder.meta.python = python;
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

/// Timed runs: nothing but the program and `-X importtime`. Returns the failed runs.
fn timed_runs(
    s: &mut Session,
    level: u8,
    builder: &mut TraceBuilder,
) -> Result<Vec<(u32, String)>> {
    let mut failures = Vec::new();
    let mut timed = 0;
    for run in 1..=s.opts.runs {
        (s.progress)(Progress::Step(format!("timed run {run}/{}", s.opts.runs)));
        let out = s.runner.run(&s.job(level, Tracer::Off, true))?;
        if !out.exit.success {
            failures.push((run, out.exit.description));
        }
        if !out.importtime.is_empty() {
            let label = format!("run {run}");
            trace::read_bytes(Path::new(&label), out.importtime.as_bytes(), builder)?;
            timed += 1;
        }
        (s.progress)(Progress::Done);
    }
    if timed == 0 {
        return Err(Error::new(format!(
            "`{}` printed no import-time lines: is it a Python interpreter (python3, python -m …)?",
            s.opts.command.join(" ")
        )));
    }
    builder.meta.files.clear();
    Ok(failures)
}

/// One run with the tracer: every import statement, already-loaded modules included.
fn traced_edges(s: &mut Session, builder: &mut TraceBuilder) -> Result<String> {
    (s.progress)(Progress::Steps(1));
    (s.progress)(Progress::Step("recording import edges".into()));
    let out = s.runner.run(&s.job(0, Tracer::Edges, false))?;
    (s.progress)(Progress::Done);
    Ok(match out.edges {
        Some(text) => {
            let added = trace::edges::read(&text, builder);
            builder.set_edges_complete(true);
            format!("{added} import edges traced")
        }
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
    let provisional = ImportGraph::build(builder.clone())?;
    let entries = provisional.entry_imports();
    (s.progress)(Progress::Steps(entries.len() as u64));
    let mut alone_edges = 0;
    for &m in &entries {
        let name = provisional.name(m).to_string();
        (s.progress)(Progress::Step(format!("importing {name} alone")));
        let job = Job {
            args: vec![
                s.opts.command[0].clone(),
                "-c".into(),
                format!("import {name}"),
            ],
            importtime: 1,
            tracer: Tracer::Off,
            python_path: script_dir(&s.opts.command).into_iter().collect(),
            show: false,
        };
        let out = s.runner.run(&job)?;
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
        (s.progress)(Progress::Done);
    }
    Ok((!entries.is_empty()).then(|| {
        format!(
            "{} entry imports run alone ({alone_edges} tree edges)",
            entries.len()
        )
    }))
}

/// Runs with modules really deferred, to measure what the projection predicts.
fn measured_lazy(s: &mut Session, lazy: &[String]) -> Result<Option<Measured>> {
    let mut lazy = lazy.to_vec();
    lazy.sort();
    lazy.dedup();
    let mut measured = Measured {
        lazy: lazy.clone(),
        ..Measured::default()
    };
    for run in 1..=s.opts.runs {
        (s.progress)(Progress::Step(format!(
            "run {run}/{} with {} deferred",
            s.opts.runs,
            lazy.join(", ")
        )));
        let out = s.runner.run(&s.job(1, Tracer::Lazy(lazy.clone()), false))?;
        if let Ok(g) = trace::from_bytes("measured", out.importtime.as_bytes()) {
            measured.total_us.push(g.total_us());
            if measured.modules.is_empty() {
                measured.modules = g.ids().map(|m| g.name(m).to_string()).collect();
                measured.modules.sort();
            }
        }
        (s.progress)(Progress::Done);
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
mod tests {
    use super::*;

    /// Answers every job from a script, and remembers what it was asked.
    struct FakeRunner {
        jobs: Vec<Job>,
        version: Option<String>,
    }

    const RUN: &str = "\
import time: self [us] | cumulative | imported package
import time:       100 |        100 |   json
import time:        50 |        150 | handler
";

    impl Runner for FakeRunner {
        fn python_version(&mut self, _python: &str) -> Option<String> {
            self.version.clone()
        }

        fn run(&mut self, job: &Job) -> Result<RunOutput> {
            self.jobs.push(job.clone());
            let n = self.jobs.len();
            Ok(RunOutput {
                importtime: match &job.tracer {
                    Tracer::Edges => String::new(),
                    Tracer::Lazy(_) => RUN.replace("   json\n", "   x\n"),
                    Tracer::Off if job.args[1] == "-c" && job.args[2] == "import json" => {
                        "import time:       100 |        100 | json\n".into()
                    }
                    Tracer::Off => RUN.into(),
                },
                edges: (job.tracer == Tracer::Edges)
                    .then(|| "__main__\thandler\nhandler\tjson\nsomething\telse\n".into()),
                exit: Exit {
                    // The second timed run fails.
                    success: n != 2,
                    description: "exit status 3".into(),
                },
            })
        }
    }

    fn options(runs: u32, lazy: &[&str]) -> RecordOptions {
        RecordOptions {
            command: vec!["python3".into(), "-c".into(), "import handler".into()],
            runs,
            lazy: lazy.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn phases_run_in_order_and_fill_the_trace() {
        let mut runner = FakeRunner {
            jobs: Vec::new(),
            version: Some("3.11.7".into()),
        };
        let mut events = Vec::new();
        let r = record(&options(3, &["json"]), &mut runner, &mut |p| events.push(p)).unwrap();
        let tracers: Vec<&Tracer> = runner.jobs.iter().map(|j| &j.tracer).collect();
        // 3 timed runs, the edge run, `json` alone, 3 runs with json deferred.
        assert_eq!(runner.jobs.len(), 8, "{tracers:?}");
        assert!(
            runner.jobs[..3]
                .iter()
                .all(|j| j.tracer == Tracer::Off && j.show)
        );
        assert_eq!(runner.jobs[3].tracer, Tracer::Edges);
        assert_eq!(runner.jobs[4].args, ["python3", "-c", "import json"]);
        assert!(
            runner.jobs[5..]
                .iter()
                .all(|j| j.tracer == Tracer::Lazy(vec!["json".into()]))
        );
        let g = &r.graph;
        assert_eq!(g.runs(), 3);
        assert!(g.edges_complete());
        assert_eq!(g.meta().python.as_deref(), Some("3.11.7"));
        assert_eq!(r.failures, [(2, "exit status 3".to_string())]);
        assert_eq!(r.notes[0], "2 import edges traced");
        assert_eq!(g.meta().measured[0].total_us, [150, 150, 150]);
        // Every step announced was finished.
        let steps: u64 = events
            .iter()
            .map(|e| if let Progress::Steps(n) = e { *n } else { 0 })
            .sum();
        let done = events.iter().filter(|e| **e == Progress::Done).count() as u64;
        assert_eq!(steps, done);
    }

    #[test]
    fn python_3_14_needs_no_tracer_and_silence_is_an_error() {
        let mut runner = FakeRunner {
            jobs: Vec::new(),
            version: Some("3.14.0".into()),
        };
        record(&options(2, &[]), &mut runner, &mut |_| {}).unwrap();
        assert_eq!(runner.jobs.len(), 2);
        assert!(runner.jobs.iter().all(|j| j.importtime == 2));

        struct Silent;
        impl Runner for Silent {
            fn python_version(&mut self, _: &str) -> Option<String> {
                None
            }
            fn run(&mut self, _: &Job) -> Result<RunOutput> {
                Ok(RunOutput {
                    importtime: String::new(),
                    edges: None,
                    exit: Exit {
                        success: true,
                        description: String::new(),
                    },
                })
            }
        }
        let err = record(&options(1, &[]), &mut Silent, &mut |_| {}).unwrap_err();
        assert!(
            err.message().contains("printed no import-time lines"),
            "{err}"
        );
        assert!(record(&options(0, &[]), &mut Silent, &mut |_| {}).is_err());
    }
}
