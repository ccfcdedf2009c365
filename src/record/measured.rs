//! `record --lazy`: the edit made for real, in alternated pairs with the unedited program,
//! and what the edit's own work (the harness) loads that a plain run does not.

use lmms_core::error::Result;
use lmms_core::model::{FirstRequest, ImportGraph, LoadedAnyway, Measured, TraceBuilder};
use lmms_core::trace;
use lmms_core::whatif::covered_submodules;

use super::{RunOutput, Session, Tracer, edit_command, program_us};

/// The named modules and the submodules the program imports of each (`covered_submodules`:
/// `--lazy matplotlib` edits `import matplotlib.pyplot` too), said in a note when any.
fn with_covered(
    lazy: &[String],
    traced: &TraceBuilder,
    notes: &mut Vec<String>,
) -> Result<Vec<String>> {
    let graph = ImportGraph::build(traced.clone())?;
    let mut all = lazy.to_vec();
    for name in lazy {
        let Some(m) = graph.find(name) else { continue };
        let subs: Vec<String> = (covered_submodules(&graph, m).into_iter())
            .map(|s| graph.name(s).to_string())
            .collect();
        if !subs.is_empty() {
            notes.push(format!(
                "--lazy {name} covers your imports of {}",
                subs.join(", ")
            ));
            all.extend(subs);
        }
    }
    Ok(all)
}

/// The edit made for real: the program unedited and with its own imports of `lazy` made lazy,
/// alternated (which goes first alternates too), so drift and warm caches hit both alike.
/// What the edit's own work loads (`harness_notes`) is said, and kept out of its module set.
pub(super) fn measured_lazy(
    s: &mut Session,
    lazy: &[String],
    traced: &TraceBuilder,
    notes: &mut Vec<String>,
) -> Result<Option<Measured>> {
    let mut lazy = with_covered(lazy, traced, notes)?;
    lazy.sort();
    lazy.dedup();
    let mut measured = Measured {
        lazy: lazy.clone(),
        ..Measured::default()
    };
    let runs = s.opts.runs;
    // What the harness loaded (for itself only, and the program's too), from the first pair.
    let mut harness: Option<(Vec<String>, Vec<String>)> = None;
    for run in 1..=runs {
        let what = |apply: bool| match apply {
            true => format!("run {run}/{runs} with {} made lazy", lazy.join(", ")),
            false => format!("run {run}/{runs} unedited, for the pair"),
        };
        let Some([eager, edited]) = edit_pair(s, run, &lazy, None, what)? else {
            return Ok((!measured.total_us.is_empty()).then_some(measured));
        };
        let (ours, _) = harness.get_or_insert_with(|| {
            let split = harness_split(eager.findings.as_deref(), traced);
            notes.extend(harness_notes(&split));
            split
        });
        let (Some(eager_us), Some(edited_us)) = (program_us(&eager), program_us(&edited)) else {
            continue;
        };
        measured.eager_us.push(eager_us);
        measured.total_us.push(edited_us);
        if measured.modules.is_empty()
            && let Ok(g) = trace::from_bytes("measured", edited.importtime.as_bytes())
        {
            // The harness's own modules are no part of the program's edit.
            measured.modules = (g.ids().map(|m| g.name(m).to_string()))
                .filter(|name| !ours.contains(name))
                .collect();
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
    // An invocation is a process of its own: its first request is the start-up measured above.
    if !measured.total_us.is_empty()
        && let Some(replay) = &s.opts.replay
        && !matches!(replay, super::Replay::Invocations(_))
        && let Some(label) = first_needing(traced, &lazy)?
    {
        measured.first_request = first_request(s, replay, &lazy, label, notes)?;
    }
    Ok((!measured.total_us.is_empty()).then_some(measured))
}

/// The first replayed request that needs the deferral (runs code of a module it drops), by
/// the projection's own count; `None` without requests or when none does.
fn first_needing(traced: &TraceBuilder, lazy: &[String]) -> Result<Option<String>> {
    let Some(requests) = traced.meta.requests.clone() else {
        return Ok(None);
    };
    let mut a = lmms_core::whatif::Analysis::of(ImportGraph::build(traced.clone())?);
    let ids: Vec<_> = lazy.iter().filter_map(|n| a.graph().find(n)).collect();
    let decisions = ids.iter().map(|&m| (m, lmms_core::whatif::Decision::Lazy));
    if a.set_decisions(decisions).is_err() {
        return Ok(None);
    }
    let needing: Vec<u32> = (a.projection().lazy.iter())
        .flat_map(|l| l.needed_by.iter().copied())
        .collect();
    Ok(requests
        .requests
        .iter()
        .find(|r| needing.contains(&r.set))
        .map(|r| r.label.clone()))
}

/// `label` timed right after start-up in alternated pairs of runs, unedited and edited, under
/// `-X importtime` as the trace's own times are (it slows every import), so the measured
/// penalty and the projection compare like with like.
fn first_request(
    s: &mut Session,
    replay: &super::Replay,
    lazy: &[String],
    label: String,
    notes: &mut Vec<String>,
) -> Result<Option<FirstRequest>> {
    let runs = s.opts.runs;
    (s.progress)(super::Progress::Steps(2 * u64::from(runs)));
    let mut first = FirstRequest {
        label: label.clone(),
        ..FirstRequest::default()
    };
    for run in 1..=runs {
        let what = |apply: bool| {
            let side = if apply { "edited" } else { "unedited" };
            format!("request {label}, {side} run {run}/{runs}")
        };
        let timed = Some((replay.clone(), label.clone()));
        let Some(pair) = edit_pair(s, run, lazy, timed, what)? else {
            return Ok(None);
        };
        let [eager, edited] = pair.map(|out| timed_request(out.findings.as_deref()));
        match (eager, edited) {
            (Ok(eager), Ok(edited)) => {
                first.eager_us.push(eager);
                first.lazy_us.push(edited);
            }
            (Err(why), _) | (_, Err(why)) => {
                notes.push(format!(
                    "the first request needing the deferral ({label}) was not timed: {why}"
                ));
                return Ok(None);
            }
        }
    }
    Ok((!first.lazy_us.is_empty()).then_some(first))
}

/// Run `run`'s pair through the edit's path, [unedited, edited], under `-X importtime`
/// (`alternated_pair`).
fn edit_pair(
    s: &mut Session,
    run: u32,
    lazy: &[String],
    timed: Option<(super::Replay, String)>,
    what: impl Fn(bool) -> String,
) -> Result<Option<[RunOutput; 2]>> {
    let args = edit_command(&s.opts.command).expect("checked before recording");
    super::alternated_pair(s, run, |s, apply| {
        let tracer = Tracer::Edit {
            defer: lazy.to_vec(),
            apply,
            timed: timed.clone(),
        };
        (s.job_of(args.clone(), 1, tracer, false), what(apply))
    })
}

/// The `timed-request` finding's microseconds, or what went wrong.
fn timed_request(findings: Option<&str>) -> std::result::Result<u64, String> {
    let text = findings.ok_or("the run wrote no findings")?;
    for line in text.lines() {
        let mut fields = line.split('\t');
        match fields.next() {
            Some("timed-request") => {
                let (_, us, outcome) = (fields.next(), fields.next(), fields.next());
                if let Some(raised) = outcome.and_then(|o| o.strip_prefix("raised ")) {
                    return Err(format!(
                        "it raised {}",
                        lmms_core::printable::printable(raised)
                    ));
                }
                return us
                    .and_then(|u| u.parse().ok())
                    .ok_or_else(|| "unreadable".into());
            }
            Some("request-error") => {
                let why = fields.next().unwrap_or("");
                return Err(lmms_core::printable::printable(why).into_owned());
            }
            _ => {}
        }
    }
    Err("the run did not reach it (did the program exit early?)".into())
}

/// The modules the edit's own work loaded before the program (the tracer's `harness` lines),
/// split: those the program never loads, and those it loads too.
fn harness_split(findings: Option<&str>, traced: &TraceBuilder) -> (Vec<String>, Vec<String>) {
    let mut scratch = TraceBuilder::new();
    let harness = findings.map_or_else(Vec::new, |text| {
        trace::tracer::read(text, &mut scratch).harness
    });
    harness
        .into_iter()
        .partition(|name| traced.lookup(name).is_none())
}

/// What the edit's runs carry that a plain run does not, in words: modules loaded for the edit
/// itself (left out of its module set), and modules the program loads too, which the edit's
/// runs had loaded before the program, so no measured saving holds their time.
fn harness_notes((own, shared): &(Vec<String>, Vec<String>)) -> Vec<String> {
    let mut notes = Vec::new();
    if !own.is_empty() {
        notes.push(format!(
            "the edit's runs also load {} for the edit itself (Python's ast, before the \
             program, in both runs of each pair): left out of the edit's module set",
            crate::output::units::first_names(own, 5)
        ));
    }
    if !shared.is_empty() {
        notes.push(format!(
            "the edit's runs load {} before the program (for the edit itself), which the \
             program loads too: a saving that would include their time is not measured",
            crate::output::units::first_names(shared, 5)
        ));
    }
    notes
}
