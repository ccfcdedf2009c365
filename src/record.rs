//! `lmms-tui record`: runs a real Python program several times with `-X importtime`
//! (through PYTHONPROFILEIMPORTTIME, so any launcher works), then once more with a tracer that
//! sees every import edge, then each of the entry module's imports alone in a fresh process
//! (their trees reveal dependencies that a shared first import hid), and writes trace.json.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};

use indicatif::{ProgressBar, ProgressStyle};

use crate::error::{Error, Result};
use crate::model::ImportGraph;
use crate::model::{Measured, TraceBuilder};
use crate::trace;

/// The tracer (and lazy loader) injected with PYTHONPATH; see the file for what it does.
const TRACER: &str = include_str!("../assets/tracer/sitecustomize.py");

#[derive(Debug, Clone)]
pub struct RecordOptions {
    pub command: Vec<String>,
    pub runs: u32,
    pub output: PathBuf,
    /// Also run with these modules really deferred, for projected-vs-measured.
    pub lazy: Vec<String>,
    /// Show a progress bar (stderr is a terminal).
    pub progress: bool,
}

#[derive(Debug)]
pub struct Recording {
    pub graph: ImportGraph,
    /// Timed runs whose program exited unsuccessfully: (run, status).
    pub failures: Vec<(u32, String)>,
    /// What the edge-recording steps found (said in the summary).
    pub notes: Vec<String>,
}

/// What one run of the program left behind.
struct RunOutput {
    importtime: String,
    status: ExitStatus,
}

struct Runner {
    bar: ProgressBar,
    tracer_dir: tempfile::TempDir,
}

impl Runner {
    /// Runs `args` with `env`; `show` forwards the program's own output, otherwise it is
    /// discarded. Import-time lines never reach the user's terminal.
    fn run(&self, args: &[String], env: &[(&str, String)], show: bool) -> Result<RunOutput> {
        let mut cmd = Command::new(&args[0]);
        cmd.args(&args[1..])
            .stdin(if show {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .stdout(if show {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::new(format!("cannot run `{}`: {e}", args[0])))?;
        let stderr = child.stderr.take().expect("stderr is piped");
        let bar = self.bar.clone();
        let reader = std::thread::spawn(move || {
            let mut importtime = String::new();
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                let text = String::from_utf8_lossy(&line);
                if text.contains("import time:") {
                    importtime.push_str(&text);
                } else if show {
                    bar.suspend(|| eprint!("{text}"));
                }
                line.clear();
            }
            importtime
        });
        let status = child
            .wait()
            .map_err(|e| Error::new(format!("waiting for `{}`: {e}", args[0])))?;
        let importtime = reader.join().unwrap_or_default();
        Ok(RunOutput { importtime, status })
    }

    fn python_path(&self) -> String {
        let ours = self.tracer_dir.path().display().to_string();
        match std::env::var("PYTHONPATH") {
            Ok(existing) if !existing.is_empty() => format!("{ours}:{existing}"),
            _ => ours,
        }
    }
}

/// `major.minor.micro` of the interpreter, when the command starts with one.
fn python_version(python: &str) -> Option<String> {
    let out = Command::new(python)
        .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let v = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !v.is_empty()).then_some(v)
}

fn at_least(version: &Option<String>, major: u32, minor: u32) -> bool {
    let Some(v) = version else { return false };
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (a, b) >= (major, minor)
}

fn read_run(label: &str, text: &str, builder: &mut TraceBuilder) -> Result<()> {
    trace::read_bytes(Path::new(label), text.as_bytes(), builder)
}

pub fn record(opts: &RecordOptions) -> Result<Recording> {
    if opts.command.is_empty() {
        return Err(Error::new(
            "record needs a command: lmms-tui record -- python -c \"import myapp\"",
        ));
    }
    if opts.runs == 0 {
        return Err(Error::new("--runs must be at least 1"));
    }
    let python = python_version(&opts.command[0]);
    let full_edges = at_least(&python, 3, 14);
    let tracer_dir =
        tempfile::tempdir().map_err(|e| Error::new(format!("temporary directory: {e}")))?;
    std::fs::write(tracer_dir.path().join("sitecustomize.py"), TRACER)
        .map_err(|e| Error::new(format!("cannot write the tracer: {e}")))?;
    let steps = opts.runs as u64 * if opts.lazy.is_empty() { 1 } else { 2 } + 1;
    let bar = if opts.progress {
        let bar = ProgressBar::new(steps);
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix("lmms-tui record");
        bar
    } else {
        ProgressBar::hidden()
    };
    let runner = Runner {
        bar: bar.clone(),
        tracer_dir,
    };
    let level = if full_edges { "2" } else { "1" }.to_string();

    // Timed runs: nothing but the program and -X importtime.
    let mut builder = TraceBuilder::new();
    let mut failures = Vec::new();
    let mut timed = 0;
    for run in 1..=opts.runs {
        bar.set_message(format!("timed run {run}/{}", opts.runs));
        let out = runner.run(
            &opts.command,
            &[("PYTHONPROFILEIMPORTTIME", level.clone())],
            true,
        )?;
        if !out.status.success() {
            failures.push((run, describe(out.status)));
        }
        if !out.importtime.is_empty() {
            read_run(&format!("run {run}"), &out.importtime, &mut builder)?;
            timed += 1;
        }
        bar.inc(1);
    }
    if timed == 0 {
        bar.finish_and_clear();
        return Err(Error::new(format!(
            "`{}` printed no import-time lines: is it a Python interpreter (python3, python -m …)?",
            opts.command.join(" ")
        )));
    }
    builder.meta.files.clear();

    let mut notes = Vec::new();
    let mut edges_complete = full_edges;
    if !full_edges {
        // One run with the tracer: every import statement, already-loaded modules included.
        bar.set_message("recording import edges");
        let edges_file = runner.tracer_dir.path().join("edges.tsv");
        let env = [
            ("LMMS_TUI_EDGES", edges_file.display().to_string()),
            ("PYTHONPATH", runner.python_path()),
        ];
        runner.run(&opts.command, &env, false)?;
        match std::fs::read_to_string(&edges_file) {
            Ok(text) => {
                let mut added = 0;
                for line in text.lines() {
                    let Some((from, to)) = line.split_once('\t') else {
                        continue;
                    };
                    let (Some(to), importer) = (builder.lookup(to), builder.lookup(from)) else {
                        continue;
                    };
                    let importer = if from == "__main__" { None } else { importer };
                    if importer.is_some() || from == "__main__" {
                        builder.edge(importer, to);
                        added += 1;
                    }
                }
                edges_complete = true;
                notes.push(format!("{added} import edges traced"));
            }
            Err(_) => notes.push(
                "the edge-recording run wrote no edges (did the program exit through os._exit?): \
                 edges are the first-import tree only"
                    .into(),
            ),
        }
        bar.inc(1);

        // Each entry import alone: its own tree shows what it needs even where another
        // module imported that first — including imports made from C extensions.
        let provisional = ImportGraph::build(builder.clone())?;
        let entries = provisional.entry_imports();
        bar.inc_length(entries.len() as u64);
        let mut alone_edges = 0;
        for &m in &entries {
            let name = provisional.name(m).to_string();
            bar.set_message(format!("importing {name} alone"));
            let args = vec![
                opts.command[0].clone(),
                "-c".into(),
                format!("import {name}"),
            ];
            let mut env = vec![("PYTHONPROFILEIMPORTTIME", "1".to_string())];
            if let Some(dir) = script_dir(&opts.command) {
                env.push(("PYTHONPATH", dir));
            }
            let out = runner.run(&args, &env, false)?;
            let Ok(alone) = crate::trace::from_bytes(&name, out.importtime.as_bytes()) else {
                bar.inc(1);
                continue;
            };
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
            bar.inc(1);
        }
        if !entries.is_empty() {
            notes.push(format!(
                "{} entry imports run alone ({alone_edges} tree edges)",
                entries.len()
            ));
        }
    }

    // Runs with modules really deferred, to measure what the projection predicts.
    if !opts.lazy.is_empty() {
        let mut lazy = opts.lazy.clone();
        lazy.sort();
        lazy.dedup();
        let mut measured = Measured {
            lazy: lazy.clone(),
            ..Measured::default()
        };
        let env = [
            ("PYTHONPROFILEIMPORTTIME", "1".to_string()),
            ("LMMS_TUI_LAZY", lazy.join(",")),
            ("PYTHONPATH", runner.python_path()),
        ];
        for run in 1..=opts.runs {
            bar.set_message(format!(
                "run {run}/{} with {} deferred",
                opts.runs,
                lazy.join(", ")
            ));
            let out = runner.run(&opts.command, &env, false)?;
            if let Ok(g) = crate::trace::from_bytes("measured", out.importtime.as_bytes()) {
                measured.total_us.push(g.total_us());
                if measured.modules.is_empty() {
                    measured.modules = g.ids().map(|m| g.name(m).to_string()).collect();
                    measured.modules.sort();
                }
            }
            bar.inc(1);
        }
        if measured.total_us.is_empty() {
            notes.push("the runs with modules deferred printed no import-time lines".into());
        } else {
            builder.meta.measured.push(measured);
        }
    }
    bar.finish_and_clear();

    builder.set_edges_complete(edges_complete);
    builder.meta.python = python;
    builder.meta.command = Some(opts.command.clone());
    builder.meta.recorded_at =
        Some(humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string());
    let graph = ImportGraph::build(builder)?;
    let mut json = Vec::new();
    trace::json::write(&graph, &mut json).map_err(|e| Error::new(e.to_string()))?;
    crate::atomic::write(&opts.output, &json)?;
    Ok(Recording {
        graph,
        failures,
        notes,
    })
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

fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".into(),
    }
}
