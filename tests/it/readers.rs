//! The readers against real CPython traces: exact figures and parents, medians over runs,
//! messy variants read identically, `cached` lines, deep chains.

use crate::common::{asset, data, median, raw_parent, raw_runs};
use lmms_core::model::ImportGraph;
use lmms_core::trace as graph;
use lmms_core::trace::{self};
use std::collections::HashMap;

/// Names in id (first appearance) order: `modules()` holds figures, not names.
fn names(g: &ImportGraph) -> Vec<&str> {
    g.ids().map(|id| g.name(id)).collect()
}

fn from_text(name: &str, text: &str) -> ImportGraph {
    graph::from_bytes(name, text.as_bytes()).unwrap()
}

/// Every module of a single-run file carries its line's exact figures and parent.
fn assert_matches_raw_single_run(file: &str) {
    let text = std::fs::read_to_string(data(file)).unwrap();
    let runs = raw_runs(&text);
    assert_eq!(runs.len(), 1, "{file}");
    let run = &runs[0];
    let g = graph::load(&[data(file)]).unwrap();
    assert_eq!(g.runs(), 1);
    let mut count: HashMap<&str, usize> = HashMap::new();
    for line in run {
        *count.entry(&line.name).or_default() += 1;
    }
    assert_eq!(g.len(), count.len(), "{file}: one module a name");
    for (i, line) in run.iter().enumerate() {
        let id = g.find(&line.name).unwrap();
        let m = g.module(id);
        if count[line.name.as_str()] > 1 {
            // A failed import retried prints again: self times add up.
            let selfs: u64 = run
                .iter()
                .filter(|l| l.name == line.name)
                .map(|l| l.self_us)
                .sum();
            assert_eq!(m.self_us, selfs, "{}", line.name);
            continue;
        }
        assert_eq!(m.self_us, line.self_us, "{}", line.name);
        assert_eq!(m.cumulative_us, line.cumulative_us, "{}", line.name);
        let parent = m.parent.map(|p| g.name(p));
        assert_eq!(parent, raw_parent(run, i), "parent of {}", line.name);
        // Depth follows the line's level, unless an ancestor was loaded twice (the tree
        // follows the load that started first, which may sit at another level).
        let moved = g.chain(id).iter().any(|a| count.get(g.name(*a)) > Some(&1));
        assert!(
            m.depth as usize == line.level || moved,
            "depth of {}",
            line.name
        );
    }
    // The total is Σ self over the run's lines (what cold start sums too); the top-level
    // cumulatives add up to the same but for CPython's rounding of each line.
    let total: u64 = run.iter().map(|l| l.self_us).sum();
    assert_eq!(g.total_us(), total);
    let cumulative: u64 = run
        .iter()
        .filter(|l| l.level == 0)
        .map(|l| l.cumulative_us)
        .sum();
    assert!(total.abs_diff(cumulative) <= 10 * run.len() as u64);
}

#[test]
fn real_single_run_traces_read_exactly() {
    for file in [
        "cpython3.11-stdlib.txt",
        "cpython3.11-requests-websocket.txt",
        "cpython3.7-stdlib.txt",
        "cpython3.8-stdlib.txt",
        "cpython3.12-stdlib.txt",
        "cpython3.13-stdlib.txt",
    ] {
        assert_matches_raw_single_run(file);
    }
}

#[test]
fn websocket_trace_spot_checks() {
    let g = graph::load(&[data("cpython3.11-requests-websocket.txt")]).unwrap();
    let logging = g.module(g.find("logging").unwrap());
    // Raw line: "import time:      2641 |      21252 |     logging"
    assert_eq!((logging.self_us, logging.cumulative_us), (2641, 21252));
    assert_eq!(
        lmms_tui::output::chain::first_import_text(&g, g.find("logging").unwrap()),
        "requests › urllib3 › logging"
    );
    // `nt` fails five times in a row under the same importer (raw lines 152-156).
    let nt = g.module(g.find("nt").unwrap());
    assert_eq!(
        (nt.self_us, nt.cumulative_us),
        (61 + 55 + 61 + 54 + 53, 284)
    );
    assert!(g.module(g.find("site").unwrap()).startup);
    assert!(g.module(g.find("_io").unwrap()).startup);
    assert!(!g.module(g.find("websocket").unwrap()).startup);
}

/// Per-module medians over runs, computed from the raw lines of a multi-run file.
fn assert_medians_match(g: &ImportGraph, runs: &[Vec<crate::common::RawLine>]) {
    let mut self_samples: HashMap<&str, Vec<u64>> = HashMap::new();
    let mut cum_samples: HashMap<&str, Vec<u64>> = HashMap::new();
    let mut repeated: Vec<&str> = Vec::new();
    for run in runs {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for l in run {
            *seen.entry(&l.name).or_default() += 1;
            self_samples.entry(&l.name).or_default().push(l.self_us);
            cum_samples
                .entry(&l.name)
                .or_default()
                .push(l.cumulative_us);
        }
        repeated.extend(seen.iter().filter(|(_, c)| **c > 1).map(|(n, _)| *n));
    }
    assert_eq!(g.len(), self_samples.len());
    for (name, selfs) in &self_samples {
        if repeated.contains(name) {
            continue; // checked separately: occurrences merge within a run
        }
        let id = g.find(name).unwrap();
        let m = g.module(id);
        assert_eq!(m.samples as usize, selfs.len(), "{name}");
        assert_eq!(m.self_us, median(selfs.clone()), "{name}");
        let spread = g.self_spread(id);
        assert_eq!(spread.median, m.self_us, "{name}");
        assert_eq!(spread.min, *selfs.iter().min().unwrap(), "{name}");
        assert_eq!(spread.max, *selfs.iter().max().unwrap(), "{name}");
        assert_eq!(g.cumulative_spread(id).median, m.cumulative_us, "{name}");
        assert_eq!(m.cumulative_us, median(cum_samples[name].clone()), "{name}");
    }
}

#[test]
fn three_runs_in_one_file_are_three_samples() {
    let text = std::fs::read_to_string(data("cpython3.11-numpy-3runs.txt")).unwrap();
    let runs = raw_runs(&text);
    assert_eq!(runs.len(), 3);
    let g = graph::load(&[data("cpython3.11-numpy-3runs.txt")]).unwrap();
    assert_eq!(g.runs(), 3);
    assert_medians_match(&g, &runs);
    // Not five trees' worth of time: the total is a median, not a sum.
    let totals: Vec<u64> = runs
        .iter()
        .map(|r| {
            r.iter()
                .filter(|l| l.level == 0)
                .map(|l| l.cumulative_us)
                .sum()
        })
        .collect();
    assert!(g.total_us() >= *totals.iter().min().unwrap());
    assert!(g.total_us() <= *totals.iter().max().unwrap());
}

#[test]
fn bundled_lambda_trace_five_runs_in_one_file_or_five_files() {
    let text = std::fs::read_to_string(asset("lambda-handler-5runs.txt")).unwrap();
    let runs = raw_runs(&text);
    assert_eq!(runs.len(), 5);
    let one_file = graph::load(&[asset("lambda-handler-5runs.txt")]).unwrap();
    assert_eq!(one_file.runs(), 5);
    assert_medians_match(&one_file, &runs);

    // The same runs as five files give the same graph.
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (i, chunk) in text
        .split_inclusive('\n')
        .fold(Vec::<String>::new(), |mut acc, line| {
            if line.contains("self [us]") {
                acc.push(String::new());
            }
            acc.last_mut().unwrap().push_str(line);
            acc
        })
        .iter()
        .enumerate()
    {
        let p = dir.path().join(format!("run{i}.txt"));
        std::fs::write(&p, chunk).unwrap();
        paths.push(p);
    }
    let five_files = graph::load(&paths).unwrap();
    assert_eq!(five_files.runs(), 5);
    assert_eq!(five_files.modules(), one_file.modules());
    assert_eq!(names(&five_files), names(&one_file));

    for name in ["boto3", "pandas", "requests", "websocket", "urllib3"] {
        assert!(one_file.find(name).is_some(), "{name} in the bundled trace");
    }
}

#[test]
fn a_module_imported_inside_itself_adds_self_and_keeps_the_outer_cumulative() {
    // Real shape from botocore: importing a.b.c first imports package a.b, whose __init__
    // imports a.b.c; CPython prints both loads of a.b.c (inner first, post-order).
    let text = "\
import time: self [us] | cumulative | imported package
import time:       303 |        303 |           v.pkg.urllib3.exceptions
import time:       156 |        458 |         v.pkg.urllib3
import time:        86 |        631 |       v.pkg
import time:         7 |        638 |     v.pkg.urllib3
import time:         7 |        644 |   v.pkg.urllib3.exceptions
import time:       233 |        876 | v.exceptions
";
    let g = from_text("nested.txt", text);
    let urllib3 = g.module(g.find("v.pkg.urllib3").unwrap());
    assert_eq!(urllib3.self_us, 156 + 7);
    assert_eq!(urllib3.cumulative_us, 638);
    let exceptions = g.find("v.pkg.urllib3.exceptions").unwrap();
    assert_eq!(g.module(exceptions).self_us, 310);
    assert_eq!(g.module(exceptions).cumulative_us, 644);
    // The tree follows the load that started first.
    assert_eq!(
        lmms_tui::output::chain::first_import_text(&g, g.find("v.pkg").unwrap()),
        "v.exceptions › v.pkg.urllib3.exceptions › v.pkg.urllib3 › v.pkg"
    );
    // The inner loads are import edges.
    let pkg = g.find("v.pkg").unwrap();
    assert!(
        g.importers(g.find("v.pkg.urllib3").unwrap())
            .contains(&Some(pkg))
    );
    assert_eq!(g.runs(), 1);
}

fn messy_variants(clean: &str) -> Vec<(&'static str, String)> {
    let crlf = clean.replace('\n', "\r\n");
    let prefixed: String = clean
        .lines()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "2026-11-27T10:00:{:02}.123Z\t7f3c9a2e-{i:04}\t{l}\n",
                i % 60
            )
        })
        .collect();
    let interleaved: String = clean
        .lines()
        .enumerate()
        .map(|(i, l)| match i % 50 {
            7 => format!("/app/x.py:3: DeprecationWarning: old api\n  warnings.warn(\"x\")\n{l}\n"),
            23 => format!("Traceback (most recent call last):\n  File \"<string>\", line 1\nValueError: boom | not | a line\n{l}\n"),
            _ => format!("{l}\n"),
        })
        .collect();
    let headerless: String = clean
        .lines()
        .filter(|l| !l.contains("self [us]"))
        .map(|l| format!("{l}\n"))
        .collect();
    let everything: String = headerless
        .lines()
        .map(|l| format!("[INFO] worker-3 {l}\r\n"))
        .collect();
    vec![
        ("crlf", crlf),
        ("prefixed", prefixed),
        ("interleaved", interleaved),
        ("headerless", headerless),
        ("all at once", everything),
    ]
}

#[test]
fn messy_variants_read_identically() {
    for file in [
        "cpython3.11-numpy-3runs.txt",
        "cpython3.11-requests-websocket.txt",
        "cpython3.7-stdlib.txt",
    ] {
        let clean = std::fs::read_to_string(data(file)).unwrap();
        let expected = from_text(file, &clean);
        for (what, text) in messy_variants(&clean) {
            let got = from_text(file, &text);
            assert_eq!(got.runs(), expected.runs(), "{file} {what}");
            assert_eq!(got.modules(), expected.modules(), "{file} {what}");
            assert_eq!(names(&got), names(&expected), "{file} {what}");
            assert_eq!(got.total_us(), expected.total_us(), "{file} {what}");
        }
    }
    let clean = std::fs::read_to_string(asset("lambda-handler-5runs.txt")).unwrap();
    let expected = from_text("lambda", &clean);
    for (what, text) in messy_variants(&clean) {
        let got = from_text("lambda", &text);
        assert_eq!(got.runs(), 5, "{what}");
        assert_eq!(got.modules(), expected.modules(), "{what}");
        assert_eq!(names(&got), names(&expected), "{what}");
    }
}

#[test]
fn missing_first_line_keeps_every_module() {
    // tuna drops the first line unconditionally; with the header gone that loses `_io`.
    let clean = std::fs::read_to_string(data("cpython3.11-stdlib.txt")).unwrap();
    let headerless: String = clean.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let g = from_text("x", &headerless);
    assert!(g.find("_io").is_some());
    assert_eq!(g.len(), raw_runs(&clean)[0].len());
}

#[test]
fn trace_json_round_trips() {
    let g = graph::load(&[asset("lambda-handler-5runs.txt")]).unwrap();
    let mut out = Vec::new();
    trace::json::write(&g, &mut out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.json");
    std::fs::write(&path, &out).unwrap();
    let back = graph::load(&[&path]).unwrap();
    assert_eq!(back.runs(), 5);
    assert_eq!(back.modules(), g.modules());
    assert_eq!(names(&back), names(&g));
    for id in g.ids() {
        assert_eq!(back.samples(id), g.samples(id));
        assert_eq!(back.importers(id), g.importers(id));
    }
}

#[test]
fn json_and_text_runs_combine() {
    let g = graph::load(&[data("cpython3.11-stdlib.txt")]).unwrap();
    let mut out = Vec::new();
    trace::json::write(&g, &mut out).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("trace.json");
    std::fs::write(&path, &out).unwrap();
    let both = graph::load(&[path.clone(), data("cpython3.11-stdlib.txt")]).unwrap();
    assert_eq!(both.runs(), 2);
    let site = both.find("site").unwrap();
    assert_eq!(both.module(site).samples, 2);
    assert_eq!(both.self_spread(site).min, both.self_spread(site).max);
}

#[test]
fn a_hundred_thousand_deep_chain_does_not_overflow() {
    let n = 100_000;
    let mut json = String::from(
        r#"{"format":"lmms-tui-trace","version":1,"runs":1,"edges_complete":false,"modules":["#,
    );
    for i in 0..n {
        if i > 0 {
            json.push(',');
        }
        let parent = if i == 0 {
            "null".to_string()
        } else {
            format!("\"m{}\"", i - 1)
        };
        json.push_str(&format!(
            r#"{{"name":"m{i}","parent":{parent},"self_us":[1],"cumulative_us":[{}]}}"#,
            n - i
        ));
    }
    json.push_str("]}");
    let g = graph::from_bytes("deep.json", json.as_bytes()).unwrap();
    let last = g.find(&format!("m{}", n - 1)).unwrap();
    assert_eq!(g.module(last).depth as usize, n - 1);
    assert_eq!(g.chain(last).len(), n);
    let mut out = Vec::new();
    let a = lmms_core::whatif::Analysis::of(g);
    for format in [
        lmms_tui::output::ReportFormat::Text,
        lmms_tui::output::ReportFormat::Json,
    ] {
        format.write(&a, Some(10), &mut out).unwrap();
    }

    // And a deep chain in CPython's own text format (post-order: deepest line first).
    let depth = 3000;
    let mut text = String::new();
    for level in (0..depth).rev() {
        text.push_str(&format!(
            "import time: {:>9} | {:>10} | {}d{level}\n",
            1,
            depth - level,
            " ".repeat(level * 2)
        ));
    }
    let g = from_text("deep.txt", &text);
    assert_eq!(
        g.module(g.find(&format!("d{}", depth - 1)).unwrap()).depth as usize,
        depth - 1
    );
    assert_eq!(g.roots().len(), 1);
}

/// tuna's two published cases (its issue #53): a clean chain, and interleaved lines where `e`
/// (level 3) is followed by `d` (level 1). CPython's parent line is always one level up, so
/// `e` goes to `c`, the next line at level 2, and the jump is reported with its line.
#[test]
fn level_jumps_keep_parents_one_level_up_and_are_reported() {
    let clean = "\
import time:       3 |    22 |     c
import time:       2 |    15 |   b
import time:       1 |    12 | a
";
    let g = lmms_core::trace::from_bytes("clean.txt", clean.as_bytes()).unwrap();
    assert_eq!(
        lmms_tui::output::chain::first_import_text(&g, g.find("c").unwrap()),
        "a › b › c"
    );
    assert!(g.meta().level_jumps.is_empty());

    let interleaved = "\
import time:       5 |    22 |       e
import time:       4 |    22 |   d
import time:       3 |    22 |     c
import time:       2 |    15 |   b
import time:       1 |    12 | a
";
    let g = lmms_core::trace::from_bytes("mp.txt", interleaved.as_bytes()).unwrap();
    let parent = |n: &str| {
        g.module(g.find(n).unwrap())
            .parent
            .map(|p| g.name(p).to_string())
    };
    assert_eq!(parent("e").as_deref(), Some("c"));
    assert_eq!(parent("d").as_deref(), Some("a"));
    assert_eq!(parent("c").as_deref(), Some("b"));
    assert_eq!(parent("b").as_deref(), Some("a"));
    let jumps = &g.meta().level_jumps;
    assert_eq!(
        (jumps.count, jumps.at.clone()),
        (1, vec!["mp.txt:2".to_string()])
    );

    // Said in the report (text and JSON) and kept by trace.json.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mp.txt");
    std::fs::write(&path, interleaved).unwrap();
    let p = path.to_str().unwrap();
    let (code, text, _) = crate::common::lmms(&["report", p]);
    assert_eq!(code, 0);
    assert!(text.contains("uncertain tree: 1 level jump ("), "{text}");
    let (_, json, _) = crate::common::lmms(&["report", p, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["trace"]["level_jumps"]["count"], 1);
    let (_, converted, _) = crate::common::lmms(&["report", p, "--format", "trace-json"]);
    let again = lmms_core::trace::from_bytes("t.json", converted.as_bytes()).unwrap();
    assert_eq!(again.meta().level_jumps.count, 1);
    assert_eq!(again.meta().level_jumps.at, [format!("{p}:2")]);
}

/// A real capture: a program whose forked children import while the parent does, all into
/// one standard error (CPython 3.11, `tests/data/cpython3.11-fork-interleaved.txt`). The jumps
/// are found and every module is read.
#[test]
fn a_real_interleaved_capture_is_read_and_marked_uncertain() {
    let path = crate::common::data("cpython3.11-fork-interleaved.txt");
    let g = lmms_core::trace::load(&[&path]).unwrap();
    assert_eq!(g.runs(), 1);
    let jumps = &g.meta().level_jumps;
    assert!(jumps.count >= 3, "{jumps:?}");
    // Every jump is a line whose level is more than one above the previous timed line's.
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let level = |l: &str| {
        let name = l.rsplit('|').next().unwrap();
        (name.len() - name.trim_start().len() - 1) / 2
    };
    for at in &jumps.at {
        let n: usize = at.rsplit(':').next().unwrap().parse().unwrap();
        let previous = lines[..n - 1]
            .iter()
            .rev()
            .find(|l| l.starts_with("import time:") && !l.contains("self [us]"))
            .unwrap();
        assert!(level(lines[n - 1]) + 1 < level(previous), "{at}");
    }
    let names = text
        .lines()
        .filter(|l| l.starts_with("import time:") && !l.contains("self [us]"));
    for line in names {
        let name = line.rsplit('|').next().unwrap().trim();
        assert!(g.find(name).is_some(), "{name}");
    }
}
