//! Running the program: behind a trait, so the recording logic is tested with a fake runner
//! (as hyperfine tests its executor) and only `ProcessRunner` starts processes.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use lmms_core::error::{Error, Result};

use super::pipes::{Stream, read_lines};
use super::stderr::TraceLines;
use std::os::fd::AsRawFd;

/// What the tracer does in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracer {
    /// Not loaded: a plain timed run.
    Off,
    /// Records every import statement, each module's class and origin, shutdown imports.
    Edges,
    /// Only turns the cyclic garbage collector off.
    NoGc,
    /// A timed run: only what every helper run does — mark the run, give the program's
    /// `sys.stderr` a pipe of its own, keep child processes from printing import times.
    Mark,
    /// The job's command runs the program through the tracer's `run_main` (see `edit_command`),
    /// which compiles the program's own modules from source and, when `apply`, rewrites their
    /// imports of `defer` to import on first use.
    /// With `timed`, the program's code is followed by that one replayed request (its source
    /// and label), timed.
    Edit {
        defer: Vec<String>,
        apply: bool,
        timed: Option<(super::Replay, String)>,
    },
    /// Replays requests once the program's code has run, watching what each runs.
    Replay(super::Replay),
    /// The whole process is one request (a CLI's invocation, labelled so), watched from before
    /// the program runs.
    Process(String),
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
    /// Where it runs; `None`: here.
    pub cwd: Option<std::path::PathBuf>,
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
    /// The program exited but something it started still held its standard error (a daemon,
    /// a `Popen` never waited for): not waited for.
    pub left_behind: bool,
    /// The last lines the program wrote to standard error itself (not import times), each cut
    /// short: what a failed run is remembered by.
    pub stderr_tail: Vec<String>,
    /// The helper marked the run: its import-time lines are this interpreter's alone.
    pub marked: bool,
    /// After the mark, another interpreter printed import times into the run's standard error
    /// (one started with `-X importtime`): the run's lines cannot be told from its.
    pub other_interpreter: bool,
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
    /// How long a run may take before its process group is killed.
    timeout: Option<Duration>,
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
    /// Signals received so far.
    count: AtomicI32,
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

/// The process group a run's program leads (it is started as a group of its own).
fn group_of(child: &std::process::Child) -> i32 {
    child.id().try_into().unwrap_or(0)
}

/// The first signal is passed on to the running program's group and the recording winds down
/// after it; a second one (the program ignores the first, or the user insists) kills the whole
/// group and removes the temporary directory, since the process then ends at once.
fn on_signals(state: Arc<SignalState>, tracer_dir: std::path::PathBuf) -> crate::signals::Guard {
    crate::signals::on_signal(move |signal| {
        let group = state.group.load(Ordering::SeqCst);
        if state.count.fetch_add(1, Ordering::SeqCst) == 0 {
            state.signal.store(signal, Ordering::SeqCst);
            signal_group(group, signal);
            crate::signals::After::Continue
        } else {
            signal_group(group, libc::SIGKILL);
            let _ = std::fs::remove_dir_all(&tracer_dir);
            eprintln!(
                "lmms-tui: a second signal ({signal}): the program and every process it \
                 started were killed; the trace file holds the runs that finished"
            );
            crate::signals::After::Exit
        }
    })
}

impl ProcessRunner {
    pub fn new(
        echo: Box<dyn Fn(&str) + Send + Sync>,
        timeout: Option<Duration>,
    ) -> Result<ProcessRunner> {
        let tracer_dir =
            tempfile::tempdir().map_err(|e| Error::new(format!("temporary directory: {e}")))?;
        super::tracer::write_to(tracer_dir.path())
            .map_err(|e| Error::new(format!("cannot write the tracer: {e}")))?;
        let state = Arc::new(SignalState::default());
        let signals = on_signals(Arc::clone(&state), tracer_dir.path().to_path_buf());
        Ok(ProcessRunner {
            tracer_dir,
            echo,
            timeout,
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
        let (mut child, own_stderr, nonce) = self.spawn(job, &findings_file, &ack_file)?;
        self.state.group.store(group_of(&child), Ordering::SeqCst);
        // A signal that came between the check before this run and the spawn is forwarded too.
        if let Some(signal) = self.interrupted() {
            signal_group(group_of(&child), signal);
        }
        let stderr = child.stderr.take().expect("stderr is piped");
        let lines = read_lines(stderr, own_stderr)?;
        let mut trace = TraceLines::new(nonce.as_deref());
        let followed = self.follow(&mut child, lines, job.show, &mut trace)?;
        self.state.group.store(0, Ordering::SeqCst);
        let status = followed
            .status
            .map_err(|e| Error::new(format!("waiting for `{program}`: {e}")))?;
        let findings = match job.tracer {
            Tracer::Off | Tracer::NoGc | Tracer::Mark => None,
            _ => std::fs::read_to_string(&findings_file).ok(),
        };
        let description = match followed.timed_out {
            Some(after) => format!(
                "timed out after {} s: killed with everything it started",
                after.as_secs()
            ),
            None => exit_description(status),
        };
        let (marked, other_interpreter) = (trace.marked, trace.other_interpreter);
        Ok(RunOutput {
            importtime: trace.finish(),
            marked,
            other_interpreter,
            findings,
            tracer_loaded: ack_file.exists(),
            exit: Exit {
                success: status.success() && followed.timed_out.is_none(),
                description,
            },
            left_behind: followed.left_behind,
            stderr_tail: followed.tail.into(),
        })
    }
}

impl ProcessRunner {
    /// The job's process, started; with the helper, the pipe of the program's own standard
    /// error and the run's nonce too.
    fn spawn(
        &self,
        job: &Job,
        findings_file: &Path,
        ack_file: &Path,
    ) -> Result<(
        std::process::Child,
        Option<std::io::PipeReader>,
        Option<String>,
    )> {
        let helper = job.tracer != Tracer::Off;
        let (own_stderr, own_writer) = match helper.then(std::io::pipe).transpose() {
            Ok(pipe) => pipe.unzip(),
            Err(e) => return Err(Error::new(format!("cannot make a pipe: {e}"))),
        };
        let nonce = helper.then(nonce);
        let mut cmd = self.command(job, findings_file, ack_file);
        if let (Some(nonce), Some(writer)) = (&nonce, &own_writer) {
            cmd.env("LMMS_TUI_MARK", nonce);
            cmd.env("LMMS_TUI_STDERR_FD", writer.as_raw_fd().to_string());
            inherit_in_child(&mut cmd, writer.as_raw_fd());
        }
        let spawned = cmd.spawn();
        drop(own_writer); // the child's copy is the only one left: its end closes the pipe
        let child =
            spawned.map_err(|e| Error::new(format!("cannot run `{}`: {e}", job.args[0])))?;
        Ok((child, own_stderr, nonce))
    }

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
        if let Some(dir) = &job.cwd {
            cmd.current_dir(dir);
        }
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
            Tracer::Off | Tracer::Mark => {}
            Tracer::NoGc => {
                cmd.env("LMMS_TUI_NO_GC", "1");
            }
            Tracer::Edges => {
                cmd.env("LMMS_TUI_OUT", findings_file);
                cmd.env("LMMS_TUI_EDGES", "1");
            }
            Tracer::Edit {
                defer,
                apply,
                timed,
            } => {
                cmd.env("LMMS_TUI_OUT", findings_file);
                cmd.env("LMMS_TUI_MAIN", "1");
                cmd.env("LMMS_TUI_DEFER", defer.join(","));
                cmd.env("LMMS_TUI_APPLY", if *apply { "1" } else { "0" });
                if let Some((replay, label)) = timed {
                    for (key, value) in replay.variables() {
                        cmd.env(key, value);
                    }
                    cmd.env("LMMS_TUI_ONLY", label);
                }
            }
            Tracer::Replay(replay) => {
                cmd.env("LMMS_TUI_OUT", findings_file);
                for (key, value) in replay.variables() {
                    cmd.env(key, value);
                }
            }
            Tracer::Process(label) => {
                cmd.env("LMMS_TUI_OUT", findings_file);
                cmd.env("LMMS_TUI_PROCESS", label);
            }
        }
        cmd
    }

    /// The program's standard error while it runs, and its exit: import-time lines kept, the
    /// rest echoed when the job shows the program's output. Once the program has exited, reading
    /// stops when the pipe closes or stays quiet for `QUIET_AFTER_EXIT`: a process it left behind
    /// (a daemon, a `Popen` never waited for) may hold the pipe for as long as it lives, and is
    /// not waited for. A run past the timeout has its process group killed.
    fn follow(
        &self,
        child: &mut std::process::Child,
        lines: Receiver<(Stream, Vec<u8>)>,
        show: bool,
        trace: &mut TraceLines,
    ) -> Result<Followed> {
        let started = Instant::now();
        let mut status = None;
        let mut timed_out = None;
        let mut left_behind = false;
        let mut tail = std::collections::VecDeque::with_capacity(TAIL_LINES);
        loop {
            let wait = if status.is_some() {
                QUIET_AFTER_EXIT
            } else {
                POLL
            };
            match lines.recv_timeout(wait) {
                Ok((stream, line)) => {
                    if let Some(own) = self.take_line(stream, &line, show, trace) {
                        keep_in_tail(&mut tail, own);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) if status.is_some() => {
                    left_behind = true;
                    break;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            if status.is_none() {
                status = child.try_wait().transpose();
            }
            if status.is_none()
                && timed_out.is_none()
                && let Some(limit) = self.timeout.filter(|&t| started.elapsed() > t)
            {
                timed_out = Some(limit);
                signal_group(group_of(child), libc::SIGKILL);
            }
        }
        Ok(Followed {
            status: status.unwrap_or_else(|| child.wait()),
            timed_out,
            left_behind,
            tail,
        })
    }

    /// One line of the program's standard error: import-time lines go to `trace`, the
    /// program's own are echoed when the job shows output, and returned.
    fn take_line(
        &self,
        stream: Stream,
        line: &[u8],
        show: bool,
        trace: &mut TraceLines,
    ) -> Option<String> {
        let text = String::from_utf8_lossy(line);
        let own = match stream {
            Stream::Program => Some(&*text),
            Stream::Descriptor2 => trace.take(&text),
        }?;
        if show {
            (self.echo)(own);
        }
        Some(own.to_string())
    }
}

/// How a process ended, in words: `exit status 3`, `killed by a signal`.
pub(super) fn exit_description(status: std::process::ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => "killed by a signal".into(),
    }
}

/// The last lines of `text` as a run's tail keeps them (`keep_in_tail`).
pub(super) fn tail_of(text: &str) -> Vec<String> {
    let mut tail = std::collections::VecDeque::with_capacity(TAIL_LINES);
    for line in text.lines() {
        keep_in_tail(&mut tail, line.to_string());
    }
    tail.into()
}

/// Lines of a run's own standard error kept, the last ones: a traceback ends with its error.
const TAIL_LINES: usize = 5;

/// Characters kept of each: a line may be a megabyte.
const TAIL_CHARS: usize = 300;

/// Keeps `line` among the last `TAIL_LINES`, cut to `TAIL_CHARS` and escaped (it is stored in
/// trace.json and printed), blank lines aside.
fn keep_in_tail(tail: &mut std::collections::VecDeque<String>, line: String) {
    let line = line.trim_end();
    if line.trim().is_empty() {
        return;
    }
    if tail.len() == TAIL_LINES {
        tail.pop_front();
    }
    let cut: String = line.chars().take(TAIL_CHARS).collect();
    let more = if cut.len() < line.len() { "…" } else { "" };
    tail.push_back(format!("{}{more}", lmms_core::printable::printable(&cut)));
}

/// What following a run found.
struct Followed {
    status: std::io::Result<std::process::ExitStatus>,
    /// The run was killed at this limit.
    timed_out: Option<Duration>,
    left_behind: bool,
    /// The last lines of its own standard error.
    tail: std::collections::VecDeque<String>,
}

/// How often a running program is looked at while its standard error is quiet.
const POLL: Duration = Duration::from_millis(50);
/// How long standard error may stay open and quiet after the program exited.
const QUIET_AFTER_EXIT: Duration = Duration::from_millis(500);

/// A nonce for a run's mark: not guessable from the program's output.
fn nonce() -> String {
    use std::hash::BuildHasher;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let hash = std::hash::RandomState::new().hash_one((std::process::id(), now));
    format!("{hash:016x}")
}

/// Keeps descriptor `fd` (opened close-on-exec, as Rust opens every descriptor) open in the
/// child across exec.
fn inherit_in_child(cmd: &mut Command, fd: std::os::fd::RawFd) {
    use std::os::unix::process::CommandExt;
    // SAFETY: fcntl(2) is async-signal-safe, as code between fork and exec must be; `fd` is
    // open until after the spawn.
    unsafe {
        cmd.pre_exec(move || {
            if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}
