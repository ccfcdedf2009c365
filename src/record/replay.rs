//! Requests replayed in the program after start-up (`record --handler … --events …`,
//! `--driver …`): one untimed run with the tracer watching what each request runs, so
//! usage is measured, not guessed; the timed runs never carry the watching.

use std::path::{Path, PathBuf};

use super::{Progress, Session, Tracer, no_helper};
use lmms_core::error::{Error, Result};
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
        }
    }
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
    format!(
        "{} requests replayed ({}), {} distinct sets of modules run{raised}",
        r.requests.len(),
        r.source,
        r.sets.len()
    )
}
