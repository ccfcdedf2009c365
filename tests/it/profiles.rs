//! The standard profile formats (`report --format speedscope|folded|chrome-trace`), each
//! checked against its format's own rules and against CPython's raw lines, read independently.

use std::collections::BTreeMap;

use crate::common::{asset, data, lmms, raw_parent, raw_runs};

/// Traces with several runs: the bundled handler (5) and numpy (3).
fn traces() -> Vec<std::path::PathBuf> {
    vec![
        asset("lambda-handler-5runs.txt"),
        data("cpython3.11-numpy-3runs.txt"),
    ]
}

fn report(format: &str, trace: &std::path::Path) -> String {
    let (code, out, err) = lmms(&["report", "--format", format, trace.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    out
}

/// What CPython's raw lines say of one module in one run.
#[derive(Debug, Default)]
struct Raw {
    /// Printed once in the run (a retried load prints again; the reader merges those).
    once: bool,
    /// Its stack (`a;b;name`) from CPython's own nesting.
    stack: String,
    /// Σ self over its prints.
    self_us: u64,
    /// Σ self over its lines and the lines nested in them; `None` when a name in that subtree
    /// is printed more than once.
    span_us: Option<u64>,
}

/// Each run's modules, read from the raw lines (post-order: a line's imports come before it).
fn raw_modules(text: &str) -> Vec<BTreeMap<String, Raw>> {
    raw_runs(text)
        .iter()
        .map(|run| {
            let mut count: BTreeMap<&str, usize> = BTreeMap::new();
            for l in run {
                *count.entry(&l.name).or_default() += 1;
            }
            let mut out: BTreeMap<String, Raw> = BTreeMap::new();
            for i in 0..run.len() {
                let mut stack = vec![run[i].name.clone()];
                let mut j = i;
                while let Some(parent) = raw_parent(run, j) {
                    j = (j + 1..run.len()).find(|&k| run[k].name == parent).unwrap();
                    stack.push(parent.to_string());
                }
                stack.reverse();
                // The lines nested in line i: just before it, deeper than it.
                let first = (0..i)
                    .rev()
                    .take_while(|&k| run[k].level > run[i].level)
                    .last()
                    .unwrap_or(i);
                let subtree = &run[first..=i];
                let span = subtree
                    .iter()
                    .all(|l| count[l.name.as_str()] == 1)
                    .then(|| subtree.iter().map(|l| l.self_us).sum());
                let e = out.entry(run[i].name.clone()).or_default();
                e.once = count[run[i].name.as_str()] == 1;
                e.stack = stack.join(";");
                e.self_us += run[i].self_us;
                e.span_us = span;
            }
            out
        })
        .collect()
}

/// Folded stacks: `frame;frame weight` lines; per run, each module's weight is CPython's self
/// time for it and its stack CPython's nesting (modules printed once), so the weights add up
/// to each run's total.
#[test]
fn folded_stacks_are_cpythons_own() {
    for trace in traces() {
        let text = std::fs::read_to_string(&trace).unwrap();
        let raw = raw_modules(&text);
        let folded = report("folded", &trace);
        let mut weights = vec![0u64; raw.len()];
        let mut seen: Vec<BTreeMap<String, u64>> = vec![BTreeMap::new(); raw.len()];
        for line in folded.lines() {
            let (stack, weight) = line.rsplit_once(' ').unwrap();
            let weight: u64 = weight.parse().unwrap();
            let (run, stack) = stack.split_once(';').unwrap();
            let run: usize = run.strip_prefix("run ").unwrap().parse().unwrap();
            assert!(weight > 0 && !stack.contains(' '), "{line}");
            let name = stack.rsplit(';').next().unwrap();
            let r = &raw[run - 1][name];
            assert_eq!(weight, r.self_us, "{line}");
            if r.once && stack.split(';').all(|f| raw[run - 1][f].once) {
                assert_eq!(stack, r.stack, "{line}");
            }
            assert!(seen[run - 1].insert(name.to_string(), weight).is_none());
            weights[run - 1] += weight;
        }
        for (r, run) in raw.iter().enumerate() {
            let total: u64 = run.values().map(|m| m.self_us).sum();
            assert_eq!(weights[r], total, "{} run {}", trace.display(), r + 1);
            let timed = run.values().filter(|m| m.self_us > 0).count();
            assert_eq!(seen[r].len(), timed);
        }
    }
}

/// speedscope: valid against the format's published JSON schema
/// (`tests/data/speedscope-file-format-schema.json`, from speedscope 1.25.0, MIT); one profile
/// per run; open and close events balanced and in time order; every frame spans its own and
/// its imports' self times as CPython printed them.
#[test]
fn speedscope_profiles_follow_the_schema_and_cpython() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data("speedscope-file-format-schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for trace in traces() {
        let text = std::fs::read_to_string(&trace).unwrap();
        let raw = raw_modules(&text);
        let doc: serde_json::Value = serde_json::from_str(&report("speedscope", &trace)).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let frames = doc["shared"]["frames"].as_array().unwrap();
        let profiles = doc["profiles"].as_array().unwrap();
        assert_eq!(profiles.len(), raw.len());
        for (profile, run) in profiles.iter().zip(&raw) {
            let total: u64 = run.values().map(|m| m.self_us).sum();
            assert_eq!(profile["endValue"], total);
            let spans = balanced_in_time_order(profile, frames);
            assert_eq!(spans.len(), run.len());
            for (name, m) in run {
                if let Some(span) = m.span_us {
                    assert_eq!(spans[name], span, "{name}");
                }
            }
        }
    }
}

/// A speedscope profile's events: in time order, within the profile's end, each close
/// matching the last open; each frame's span (close − open), by name.
fn balanced_in_time_order(
    profile: &serde_json::Value,
    frames: &[serde_json::Value],
) -> BTreeMap<String, u64> {
    let end = profile["endValue"].as_u64().unwrap();
    let mut open: Vec<(u64, u64)> = Vec::new();
    let mut last = 0;
    let mut spans: BTreeMap<String, u64> = BTreeMap::new();
    for e in profile["events"].as_array().unwrap() {
        let (frame, at) = (e["frame"].as_u64().unwrap(), e["at"].as_u64().unwrap());
        assert!(at >= last && at <= end, "{e}");
        last = at;
        if e["type"] == "O" {
            open.push((frame, at));
        } else {
            let (opened, start) = open.pop().expect("a close has its open");
            assert_eq!(opened, frame, "balanced");
            let name = frames[frame as usize]["name"].as_str().unwrap();
            spans.insert(name.to_string(), at - start);
        }
    }
    assert!(open.is_empty());
    spans
}

/// Times near u64::MAX saturate: the events stay balanced, in time order and within the
/// profile's end; a span that would pass u64::MAX is cut there.
#[test]
fn speedscope_at_the_edge_of_u64_stays_in_order() {
    let line = |v: u64, level: usize, name: &str| {
        format!(
            "import time: {v:>9} | {v:>10} | {:level$}{name}\n",
            "",
            level = 2 * level
        )
    };
    let max = u64::MAX;
    let text = [
        "import time: self [us] | cumulative | imported package\n".to_string(),
        line(max - 1, 2, "a.deep"),
        line(7, 2, "a.deep2"),
        line(max / 2, 1, "a.one"),
        line(max / 2 + 3, 1, "a.two"),
        line(5, 0, "a"),
        line(max, 0, "b"),
        line(1, 1, "c.x"),
        line(max - 2, 0, "c"),
    ]
    .concat();
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("edge.txt");
    std::fs::write(&trace, text).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&report("speedscope", &trace)).unwrap();
    let frames = doc["shared"]["frames"].as_array().unwrap();
    let profile = &doc["profiles"][0];
    assert_eq!(profile["endValue"], max);
    let spans = balanced_in_time_order(profile, frames);
    assert_eq!(spans.len(), 8);
    assert_eq!(spans["a.deep"], max - 1);
    assert_eq!(
        spans["a.deep2"], 1,
        "starts at u64::MAX − 1: cut at u64::MAX"
    );
    assert_eq!(spans["c.x"], 0, "c starts after b, at u64::MAX");
}

/// Chrome trace events: one track per run, named; complete events well nested on each track;
/// each module's duration is its own and its imports' self times as CPython printed them, and
/// the top-level imports add up to the run's total.
#[test]
fn chrome_trace_tracks_are_runs_and_nest() {
    for trace in traces() {
        let text = std::fs::read_to_string(&trace).unwrap();
        let raw = raw_modules(&text);
        let doc: serde_json::Value = serde_json::from_str(&report("chrome-trace", &trace)).unwrap();
        let events = doc["traceEvents"].as_array().unwrap();
        for (r, run) in raw.iter().enumerate() {
            let tid = r as u64 + 1;
            assert!(events.iter().any(|e| e["ph"] == "M"
                && e["name"] == "thread_name"
                && e["tid"] == tid
                && e["args"]["name"] == format!("run {tid} of {}", raw.len())));
            let track: Vec<&serde_json::Value> = events
                .iter()
                .filter(|e| e["ph"] == "X" && e["tid"] == tid)
                .collect();
            assert_eq!(track.len(), run.len());
            // Well nested: each event lies inside the enclosing open one, or after it.
            let mut open: Vec<(u64, u64)> = Vec::new();
            let mut roots = 0;
            for e in &track {
                let (ts, dur) = (e["ts"].as_u64().unwrap(), e["dur"].as_u64().unwrap());
                while open.last().is_some_and(|&(_, end)| end <= ts && dur > 0) {
                    open.pop();
                }
                match open.last() {
                    Some(&(start, end)) => assert!(start <= ts && ts + dur <= end, "{e}"),
                    None => roots += dur,
                }
                open.push((ts, ts + dur));
                let m = &run[e["name"].as_str().unwrap()];
                assert_eq!(e["args"]["self_us"].as_u64().unwrap(), m.self_us, "{e}");
                if let Some(span) = m.span_us {
                    assert_eq!(dur, span, "{e}");
                }
            }
            assert_eq!(roots, run.values().map(|m| m.self_us).sum::<u64>());
        }
    }
}

/// The profile formats hold every module: `--top` is refused rather than ignored.
#[test]
fn top_is_refused_where_every_module_is_kept() {
    for format in ["speedscope", "folded", "chrome-trace", "trace-json"] {
        let (code, _, err) = lmms(&[
            "report",
            "--format",
            format,
            "--top",
            "3",
            "assets/lambda-handler-5runs.txt",
        ]);
        assert_eq!(code, 2, "{format}");
        assert!(err.contains("--top does not apply"), "{err}");
    }
}
