//! Running the program: behind a trait, so the recording logic is tested with a fake runner
//! (as hyperfine tests its executor) and only `ProcessRunner` starts processes.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use lmms_core::error::{Error, Result};

/// What the tracer does in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracer {
    /// Not loaded: a plain timed run.
    Off,
    /// Records every import statement, each module's class and origin, shutdown imports.
    Edges,
    /// Only turns the cyclic garbage collector off.
    NoGc,
    /// Does nothing but keep child processes from printing import times (a timed run of a
    /// program that starts Python processes).
    OnlyMain,
    /// The job's command runs the program through the tracer's `run_main` (see `edit_command`),
    /// which compiles the program's own modules from source and, when `apply`, rewrites their
    /// imports of `defer` to import on first use.
    Edit { defer: Vec<String>, apply: bool },
}

/// One run of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub args: Vec<String>,
    /// `-X importtime` level (PYTHONPROFILEIMPORTTIME); 0 leaves it as the environment has it.
    pub importtime: u8,
    pub tracer: Tracer,
    /// Extra directories put first on the module path.
    pub python_path: Vec<String>,
    /// Forward the program's own output; otherwise it is discarded.
    pub show: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exit {
    pub success: bool,
    /// `exit status 3`, `killed by a signal`.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOutput {
    /// The `import time:` lines of standard error.
    pub importtime: String,
    /// The tracer's findings file (None without a tracer, or when the program wrote none).
    pub findings: Option<String>,
    /// Whether the tracer loaded at all (under `python -I`, `-E`, `-S`, or a launcher that
    /// resets PYTHONPATH, it does not).
    pub tracer_loaded: bool,
    pub exit: Exit,
}

/// Whether a standard-error line is CPython's: `import time:` then the header, figures or
/// `cached`. The program's own lines that merely mention "import time:" pass through.
fn is_trace_line(text: &str) -> bool {
    let Some(at) = text.find("import time:") else {
        return false;
    };
    let rest = text[at + "import time:".len()..].trim_start();
    let figures = rest.split('|').next().unwrap_or("").trim();
    rest.starts_with("self [us]")
        || (rest.contains('|')
            && (figures == "cached"
                || (!figures.is_empty() && figures.bytes().all(|b| b.is_ascii_digit()))))
}

pub trait Runner {
    /// `major.minor.micro` of the interpreter, when `python` is one.
    fn python_version(&mut self, python: &str) -> Option<String>;
    fn run(&mut self, job: &Job) -> Result<RunOutput>;
    /// The signal that asked the recording to stop, if one did: no run starts after it.
    fn interrupted(&self) -> Option<i32> {
        None
    }
}

/// Runs real processes. Import-time lines never reach the user's terminal; the program's other
/// standard-error lines go to `echo` when the job shows output.
///
/// Each run is a process group of its own, so SIGTERM, SIGHUP, SIGINT or SIGQUIT reaching
/// lmms-tui is forwarded to the program and everything it started; the run in progress ends,
/// no other starts, and the temporary directory goes with the runner.
pub struct ProcessRunner {
    tracer_dir: tempfile::TempDir,
    echo: Box<dyn Fn(&str) + Send + Sync>,
    state: Arc<SignalState>,
    _signals: crate::signals::Guard,
}

/// What the signal handler shares with the runner.
#[derive(Default)]
struct SignalState {
    /// The signal received, 0 while none was.
    signal: AtomicI32,
    /// The running program's process group, 0 between runs.
    group: AtomicI32,
}

/// Sends `signal` to the process group `group` (a run's program and all it started); 0 is
/// no group.
fn signal_group(group: i32, signal: i32) {
    if group > 0 {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is touched.
        unsafe {
            libc::kill(-group, signal);
        }
    }
}

impl ProcessRunner {
    pub fn new(echo: Box<dyn Fn(&str) + Send + Sync>) -> Result<ProcessRunner> {
        let tracer_dir =
            tempfile::tempdir().map_err(|e| Error::new(format!("temporary directory: {e}")))?;
        super::tracer::write_to(tracer_dir.path())
            .map_err(|e| Error::new(format!("cannot write the tracer: {e}")))?;
        let state = Arc::new(SignalState::default());
        let shared = Arc::clone(&state);
        let signals = crate::signals::on_signal(move |signal| {
            shared.signal.store(signal, Ordering::SeqCst);
            let group = shared.group.load(Ordering::SeqCst);
            signal_group(group, signal);
            crate::signals::After::Continue
        });
        Ok(ProcessRunner {
            tracer_dir,
            echo,
            state,
            _signals: signals,
        })
    }

    fn python_path(&self, job: &Job) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if job.tracer != Tracer::Off {
            parts.push(self.tracer_dir.path().display().to_string());
        }
        parts.extend(job.python_path.iter().cloned());
        // The program's own PYTHONPATH stays, after what lmms-tui puts first.
        if !parts.is_empty()
            && let Ok(existing) = std::env::var("PYTHONPATH")
            && !existing.is_empty()
        {
            parts.push(existing);
        }
        (!parts.is_empty()).then(|| parts.join(":"))
    }
}

impl Runner for ProcessRunner {
    fn interrupted(&self) -> Option<i32> {
        match self.state.signal.load(Ordering::SeqCst) {
            0 => None,
            signal => Some(signal),
        }
    }

    fn python_version(&mut self, python: &str) -> Option<String> {
        let out = Command::new(python)
            .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let v = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !v.is_empty()).then_some(v)
    }

    fn run(&mut self, job: &Job) -> Result<RunOutput> {
        let program = &job.args[0];
        let findings_file = self.tracer_dir.path().join("findings.tsv");
        let ack_file = self.tracer_dir.path().join("ack");
        let _ = std::fs::remove_file(&findings_file);
        let _ = std::fs::remove_file(&ack_file);
        let mut cmd = self.command(job, &findings_file, &ack_file);
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::new(format!("cannot run `{program}`: {e}")))?;
        self.state
            .group
            .store(child.id().try_into().unwrap_or(0), Ordering::SeqCst);
        // A signal that came between the check before this run and the spawn is forwarded too.
        if let Some(signal) = self.interrupted() {
            signal_group(child.id().try_into().unwrap_or(0), signal);
        }
        let stderr = child.stderr.take().expect("stderr is piped");
        let (importtime, status) = self.follow(&mut child, stderr, job.show)?;
        self.state.group.store(0, Ordering::SeqCst);
        let status = status.map_err(|e| Error::new(format!("waiting for `{program}`: {e}")))?;
        let findings = match job.tracer {
            Tracer::Off | Tracer::NoGc | Tracer::OnlyMain => None,
            _ => std::fs::read_to_string(&findings_file).ok(),
        };
        Ok(RunOutput {
            importtime,
            findings,
            tracer_loaded: ack_file.exists(),
            exit: Exit {
                success: status.success(),
                description: match status.code() {
                    Some(code) => format!("exit status {code}"),
                    None => "killed by a signal".into(),
                },
            },
        })
    }
}

impl ProcessRunner {
    /// The job's process: its own group, no terminal input, import times on, the tracer's
    /// variables as the job asks.
    fn command(&self, job: &Job, findings_file: &Path, ack_file: &Path) -> Command {
        let io = |show: bool| {
            if show {
                Stdio::inherit()
            } else {
                Stdio::null()
            }
        };
        let mut cmd = Command::new(&job.args[0]);
        // Its own process group (signals are forwarded to all of it); no terminal input, which
        // a process outside the foreground group could not read anyway.
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        crate::signals::default_file_size_limit_in_child(&mut cmd);
        cmd.args(&job.args[1..])
            .stdin(Stdio::null())
            .stdout(io(job.show))
            .stderr(Stdio::piped());
        // Any value turns tracing on (CPython reads "set", not "1"), so 0 leaves it unset.
        if job.importtime > 0 {
            cmd.env("PYTHONPROFILEIMPORTTIME", job.importtime.to_string());
        }
        if let Some(path) = self.python_path(job) {
            cmd.env("PYTHONPATH", path);
        }
        if job.tracer != Tracer::Off {
            cmd.env("LMMS_TUI_ACK", ack_file);
            cmd.env("LMMS_TUI_ONLY_MAIN", "1");
        }
        match &job.tracer {
            Tracer::Off | Tracer::OnlyMain => {}
            Tracer::NoGc => {
                cmd.env("LMMS_TUI_NO_GC", "1");
            }
            Tracer::Edges => {
                cmd.env("LMMS_TUI_OUT", findings_file);
                cmd.env("LMMS_TUI_EDGES", "1");
            }
            Tracer::Edit { defer, apply } => {
                cmd.env("LMMS_TUI_OUT", findings_file);
                cmd.env("LMMS_TUI_MAIN", "1");
                cmd.env("LMMS_TUI_DEFER", defer.join(","));
                cmd.env("LMMS_TUI_APPLY", if *apply { "1" } else { "0" });
            }
        }
        cmd
    }

    /// The program's standard error while it runs, and its exit: import-time lines kept, the
    /// rest echoed when the job shows the program's output. Once the program has exited, reading
    /// stops when the pipe closes or stays quiet for `QUIET_AFTER_EXIT`: a process it left behind
    /// (a daemon, a `Popen` never waited for) may hold the pipe for as long as it lives, and is
    /// not waited for.
    fn follow(
        &self,
        child: &mut std::process::Child,
        stderr: std::process::ChildStderr,
        show: bool,
    ) -> Result<(String, std::io::Result<std::process::ExitStatus>)> {
        let lines = read_lines(stderr)?;
        let mut importtime = String::new();
        let mut status = None;
        loop {
            let wait = if status.is_some() {
                QUIET_AFTER_EXIT
            } else {
                POLL
            };
            match lines.recv_timeout(wait) {
                Ok(line) => {
                    let text = String::from_utf8_lossy(&line);
                    if is_trace_line(&text) {
                        importtime.push_str(&text);
                    } else if show {
                        (self.echo)(&text);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) if status.is_some() => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            if status.is_none() {
                status = child.try_wait().transpose();
            }
        }
        Ok((importtime, status.unwrap_or_else(|| child.wait())))
    }
}

/// How often a running program is looked at while its standard error is quiet.
const POLL: Duration = Duration::from_millis(50);
/// How long standard error may stay open and quiet after the program exited.
const QUIET_AFTER_EXIT: Duration = Duration::from_millis(500);

/// Standard error's lines, read on a thread of their own until the pipe closes. When nobody
/// listens any more, the thread goes on reading and dropping them, so a process still writing
/// there is never broken by a closed pipe.
fn read_lines(stderr: std::process::ChildStderr) -> Result<Receiver<Vec<u8>>> {
    let (send, receive) = mpsc::sync_channel::<Vec<u8>>(1024);
    std::thread::Builder::new()
        .name("program stderr".into())
        .spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut line = Vec::new();
            let mut listened = true;
            while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                listened = listened && send.send(std::mem::take(&mut line)).is_ok();
                line.clear();
            }
        })
        .map_err(|e| Error::new(format!("cannot read the program's standard error: {e}")))?;
    Ok(receive)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_cpythons_lines_are_taken() {
        for line in [
            "import time: self [us] | cumulative | imported package",
            "import time:       212 |        212 |   _io",
            "2024-01-01T00:00:00Z req-1 import time:     5 |      5 | json",
            "import time: cached    | cached     |   json",
        ] {
            assert!(super::is_trace_line(line), "{line}");
        }
        for line in [
            "warming up: import time: 5 s",
            "import time: took ages | really",
            "nothing here",
        ] {
            assert!(!super::is_trace_line(line), "{line}");
        }
    }
}
