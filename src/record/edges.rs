//! The phases that find the import edges a timed run cannot show: one run with the tracer
//! (every import statement, and where each module comes from), then each entry import alone
//! in a fresh process (its own tree shows what a shared first import hid).

use super::launch::script_dir;
use super::{Progress, Session, Tracer, no_helper};
use lmms_core::error::Result;
use lmms_core::model::{ImportGraph, TraceBuilder};
use lmms_core::trace;

/// One run with the tracer: every import statement, already-loaded modules included, and
/// where each module comes from. On 3.14 the timed runs have every edge already.
pub(super) fn traced_edges(
    s: &mut Session,
    builder: &mut TraceBuilder,
    full_edges: bool,
) -> Result<String> {
    if !s.helper_can_load() {
        // 3.14's timed runs have every edge; before it, the tracer was the way to them.
        builder.set_edges_complete(full_edges);
        let edges = if full_edges {
            ""
        } else {
            "edges are the first-import tree only and "
        };
        return Ok(format!("{edges}module origins unknown: {}", no_helper(s)));
    }
    (s.progress)(Progress::Steps(1));
    let job = s.job(0, Tracer::Edges, false);
    let Some(out) = s.step("recording import edges and origins".into(), &job)? else {
        return Ok("interrupted before the import edges were recorded".into());
    };
    Ok(match out.findings {
        Some(text) => {
            let found = trace::tracer::read(&text, builder);
            builder.meta.fingerprint = found.fingerprint;
            if !full_edges {
                builder.set_edges_complete(true);
            }
            let untimed = match found.untimed {
                0 => String::new(),
                n => format!(
                    "; {n} modules without an -X importtime line added untimed (loaded by \
                     importlib.import_module or placed in sys.modules: their time is in their \
                     importer's)"
                ),
            };
            format!(
                "{} import edges traced, {} module origins{untimed}",
                found.edges, found.origins
            )
        }
        None if !out.tracer_loaded => {
            builder.set_edges_complete(full_edges);
            format!(
                "module origins unknown, and edges the first-import tree only: {}",
                no_helper(s)
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
pub(super) fn entries_alone(s: &mut Session, builder: &mut TraceBuilder) -> Result<Option<String>> {
    // The same launcher, interpreter and options, and the same environment; a command whose
    // interpreter lmms-tui cannot find gets no runs alone, and its edges are not complete.
    let Some(launch) = s.launch.clone() else {
        builder.set_edges_complete(false);
        return Ok(Some(format!(
            "entry imports not run alone (no word of `{}` is a Python interpreter lmms-tui can \
             call with its options): imports made from C code may be missing",
            s.opts.command.join(" ")
        )));
    };
    let interpreter = s.opts.command[..launch.end].to_vec();
    let provisional = ImportGraph::build(builder.clone())?;
    // Names from the trace become code (`import NAME`): only module names do.
    let entries: Vec<_> = provisional
        .entry_imports()
        .into_iter()
        .filter(|&m| lmms_core::model::is_python_module_name(provisional.name(m)))
        .collect();
    (s.progress)(Progress::Steps(entries.len() as u64));
    let mut alone_edges = 0;
    for &m in &entries {
        let name = provisional.name(m).to_string();
        let mut args = interpreter.clone();
        args.extend(["-c".to_string(), format!("import {name}")]);
        let mut job = s.job_of(args, 1, Tracer::Off, false);
        job.python_path = script_dir(&s.opts.command, &launch).into_iter().collect();
        let Some(out) = s.step(format!("importing {name} alone"), &job)? else {
            builder.set_edges_complete(false);
            break;
        };
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
