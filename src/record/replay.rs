//! Requests replayed in the program after start-up (`record --handler … --events …`,
//! `--driver …`): one untimed run with the tracer watching what each request runs, so
//! usage is measured, not guessed; the timed runs never carry the watching.

use std::path::{Path, PathBuf};

use super::{Progress, Session, Tracer, no_helper};
use lmms_core::error::{Error, Result};
use lmms_core::model::requests::Requests;
use lmms_core::model::{TraceBuilder, is_python_module_name};
use lmms_core::printable::printable;

/// Where the requests come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// `MODULE:FUNCTION` called with each event of a JSON-lines file or a directory of
    /// `*.json` files.
    Handler { handler: String, events: PathBuf },
    /// A Python file whose `requests()` yields (label, callable).
    Driver(PathBuf),
    /// A file of argument lists, one a line (shell quoting): each a process of its own, the
    /// command run with them (a CLI cold-starts on every call).
    Invocations(PathBuf),
}

impl Replay {
    /// Why it cannot be replayed, before any run: a handler that is no `MODULE:FUNCTION` of
    /// Python names, a path that is not there.
    pub fn check(&self) -> Result<()> {
        match self {
            Replay::Handler { handler, events } => {
                let (module, function) = handler.split_once(':').unwrap_or((handler, ""));
                let names = function.split('.').all(is_identifier);
                if !is_python_module_name(module) || function.is_empty() || !names {
                    return Err(Error::new(format!(
                        "--handler {} is not MODULE:FUNCTION (e.g. app:handler, \
                         app.main:Service.handle)",
                        printable(handler)
                    )));
                }
                exists(
                    events,
                    "--events",
                    "a JSON-lines file or a directory of *.json files",
                )
            }
            Replay::Driver(file) => match file.is_file() {
                true => Ok(()),
                false => exists(file, "--driver", "a Python file defining requests()"),
            },
            Replay::Invocations(file) => invocations(file).map(drop),
        }
    }

    /// The tracer's variables (paths absolute: the program may change directory).
    pub fn variables(&self) -> Vec<(&'static str, String)> {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        match self {
            Replay::Handler { handler, events } => vec![
                ("LMMS_TUI_HANDLER", handler.clone()),
                ("LMMS_TUI_EVENTS", absolute(events).display().to_string()),
            ],
            Replay::Driver(file) => vec![("LMMS_TUI_DRIVER", absolute(file).display().to_string())],
            // Each invocation is a process of its own (`Tracer::Process`): none in common.
            Replay::Invocations(_) => Vec::new(),
        }
    }
}

/// Most invocations one file may list (each is a process).
const MAX_INVOCATIONS: usize = 10_000;

/// The argument lists of an invocations file, one per non-empty line (`#` lines are comments),
/// split as a POSIX shell would; a line that does not split is an error naming it.
pub fn invocations(file: &Path) -> Result<Vec<Vec<String>>> {
    let shown = printable(&file.display().to_string()).into_owned();
    let bytes = lmms_core::trace::Input::file(file)
        .map_err(|e| Error::new(format!("--invocations {shown}: {e}")))?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| Error::new(format!("--invocations {shown}: not UTF-8 text")))?;
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let args = shlex::split(line).filter(|a| a.iter().all(|w| !w.contains('\0')));
        let Some(args) = args else {
            return Err(Error::new(format!(
                "{shown}:{}: unbalanced quotes (one argument list a line, quoted as in a shell)",
                n + 1
            )));
        };
        out.push(args);
    }
    if out.is_empty() || out.len() > MAX_INVOCATIONS {
        return Err(Error::new(format!(
            "--invocations {shown}: {} argument lists (1 to {MAX_INVOCATIONS}, one a line)",
            out.len()
        )));
    }
    Ok(out)
}

fn is_identifier(s: &str) -> bool {
    is_python_module_name(s) && !s.contains('.')
}

fn exists(path: &Path, flag: &str, what: &str) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::new(format!(
            "{flag} {}: {e} (it takes {what})",
            printable(&path.display().to_string())
        ))),
    }
}

/// The replay run: its requests into the trace; what happened, for the summary.
pub(super) fn replayed(
    s: &mut Session,
    replay: &Replay,
    builder: &mut TraceBuilder,
) -> Result<String> {
    if !s.helper_can_load() {
        return Ok(format!("no requests replayed: {}", no_helper(s)));
    }
    if let Replay::Invocations(file) = replay {
        return invoked(s, file, builder);
    }
    (s.progress)(Progress::Steps(1));
    let job = s.job(0, Tracer::Replay(replay.clone()), false);
    let Some(out) = s.step("replaying requests".into(), &job)? else {
        return Ok("interrupted before the requests were replayed".into());
    };
    let read = out
        .findings
        .as_deref()
        .and_then(|t| lmms_core::trace::tracer::read_requests(t, builder));
    match read {
        Some(Ok(requests)) => {
            let said = summary(&requests);
            builder.meta.requests = Some(requests);
            Ok(said)
        }
        Some(Err(why)) => Err(Error::new(format!(
            "the requests could not be replayed: {why}"
        ))),
        None if !out.exit.success => Err(Error::new(format!(
            "the program failed ({}) before its requests were replayed",
            out.exit.description
        ))),
        None => Ok(
            "no requests replayed: the program ended without the interpreter shutting \
                    down (os._exit?)"
                .into(),
        ),
    }
}

/// Each invocation a process, watched whole (code run while a module loads left out): one
/// request each, every one a cold start.
fn invoked(s: &mut Session, file: &Path, builder: &mut TraceBuilder) -> Result<String> {
    let lists = invocations(file)?;
    (s.progress)(Progress::Steps(lists.len() as u64));
    let mut each = Vec::new();
    for args in lists {
        let label =
            shlex::try_join(args.iter().map(String::as_str)).unwrap_or_else(|_| args.join(" "));
        let command = super::launch::with_program_args(&s.opts.command, &args);
        let job = s.job_of(command, 0, Tracer::Process(label.clone()), false);
        let Some(out) = s.step(format!("invocation {label}"), &job)? else {
            return Ok("interrupted before every invocation ran".into());
        };
        let found = out.findings.as_deref();
        let request = found.and_then(|t| lmms_core::trace::tracer::read_requests(t, builder));
        let Some(Ok(mut requests)) = request else {
            return Err(Error::new(format!(
                "the invocation `{}` wrote no findings ({}): is the helper kept out?",
                printable(&label),
                out.exit.description
            )));
        };
        let Some(mut request) = requests.requests.pop() else {
            continue;
        };
        let names = requests.sets.swap_remove(request.set as usize);
        // A failed process is the invocation's outcome, exception or not.
        if !out.exit.success && request.raised.is_none() {
            request.raised = Some(out.exit.description.clone());
        }
        each.push((request.label, request.raised, request.watched_us, names));
    }
    let mut requests = Requests::collect(format!("invocations {}", display_name(file)), each);
    requests.processes = true;
    let said = summary(&requests);
    builder.meta.requests = Some(requests);
    Ok(format!(
        "{said}; each a process of its own, so the cold-start rate is 100 %"
    ))
}

fn display_name(path: &Path) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    printable(&name).into_owned()
}

/// `100 requests replayed (handler app:handler over events.jsonl), 1 raised: ev:4 KeyError…`
fn summary(r: &lmms_core::model::requests::Requests) -> String {
    let raised: Vec<String> = (r.raised().take(3))
        .map(|q| format!("{}: {}", q.label, q.raised.as_deref().unwrap_or("")))
        .collect();
    let raised = match r.raised().count() {
        0 => String::new(),
        n => format!(
            "; {n} raised (they count: their code ran): {}",
            raised.join("; ")
        ),
    };
    let overhead = match r.watch_overhead_us {
        Some((plain, watched)) if plain > 0 => format!(
            "; watched, a fixed loop of Python calls took {:.1}× its time unwatched ({} → {} \
             µs): the requests' watched times are no timings",
            watched as f64 / plain as f64,
            plain,
            watched
        ),
        _ => String::new(),
    };
    format!(
        "{} requests replayed ({}), {} distinct sets of modules run{raised}{overhead}",
        r.requests.len(),
        r.source,
        r.sets.len()
    )
}
