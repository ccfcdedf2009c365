//! Usage measured, not guessed: requests replayed in real programs with real packages
//! (`record --handler`, `--driver`), each request's modules, and the projection drawn from
//! them — checked against a hand computation from the stored per-request sets.

use std::path::Path;

use crossterm::event::KeyCode;

use crate::common::{bin, needs, report_json, succeeded, write_files};
use lmms_tui::tui::app::{App, OutputFile};

const HANDLER: &str = "\
import json
import pandas as pd


def handler(event, context):
    if event[\"kind\"] == \"report\":
        frame = pd.DataFrame({\"x\": list(range(event[\"id\"]))})
        return {\"sum\": int(frame[\"x\"].sum()), \"request\": context.aws_request_id}
    return {\"echo\": json.dumps(event)}
";

/// 100 events: every tenth (3, 13, …) asks for a report, which runs pandas.
fn events() -> String {
    (0..100)
        .map(|i| {
            let kind = if i % 10 == 3 { "report" } else { "cheap" };
            format!("{{\"kind\": \"{kind}\", \"id\": {i}}}\n")
        })
        .collect()
}

/// A directory with the handler and its 100 events.
fn handler_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("handler.py", HANDLER), ("events.jsonl", &events())],
    );
    dir
}

/// `record --runs 1 ARGS -- PYTHON -c "import app"` in `dir`: one run, so the projection's
/// figures are that run's and a hand computation meets them exactly.
fn record(dir: &Path, python: &Path, module: &str, args: &[&str]) {
    succeeded(
        bin()
            .args(["record", "--runs", "1", "-o", "trace.json"])
            .args(args)
            .arg("--")
            .arg(python)
            .args(["-c", &format!("import {module}")])
            .current_dir(dir),
    );
}

/// The 95 % Wilson interval, written out here from its formula.
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let z = 1.959_963_984_540_054_f64;
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt();
    (100.0 * (centre - half), 100.0 * (centre + half))
}

/// Per-request import latency by hand: N requests a process; the first pays cold start, and
/// the first request to need the deferral pays its cost (request k with u(1 − u)^(k−1)).
fn hand_percentiles(n: usize, u: f64, cold: f64, t: f64) -> (f64, f64) {
    let mut samples: Vec<(f64, f64)> = Vec::new();
    for k in 1..=n {
        let start = if k == 1 { cold } else { 0.0 };
        let pays = u * (1.0 - u).powi(k as i32 - 1);
        samples.push((start + t, pays));
        samples.push((start, 1.0 - pays));
    }
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = samples.iter().map(|s| s.1).sum();
    let at = |p: f64| {
        let mut acc = 0.0;
        for &(v, w) in &samples {
            acc += w;
            if acc >= p * total * (1.0 - 1e-12) {
                return v;
            }
        }
        unreachable!()
    };
    (at(0.95), at(0.99))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The handler: 90 cheap events, 10 that build a pandas DataFrame. pandas is needed by
/// exactly 10 of 100 requests; P95, P99, the cold request and daily import time follow from the
/// stored sets by hand; the explorer marks the usage measured.
#[test]
fn a_handler_measures_pandas_usage_at_ten_percent() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let dir = handler_dir();
    let events = dir.path().join("events.jsonl");
    let events = events.to_str().unwrap();
    record(
        dir.path(),
        &python,
        "handler",
        &["--handler", "handler:handler", "--events", events],
    );
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("trace.json")).unwrap())
            .unwrap();
    let requests = &trace["requests"];
    assert_eq!(requests["requests"].as_array().unwrap().len(), 100);
    let report = report_json(dir.path(), &["trace.json", "--lazy", "pandas"]);
    let p = &report["projection"];
    let lazy = &p["lazy"][0];
    assert_eq!(lazy["name"], "pandas");
    assert_eq!(lazy["usage_pct"].as_f64(), Some(10.0));
    let usage = &lazy["usage"];
    assert_eq!(
        (
            usage["source"].as_str(),
            usage["needed"].as_u64(),
            usage["of"].as_u64()
        ),
        (Some("measured"), Some(10), Some(100))
    );
    let (low, high) = wilson(10.0, 100.0);
    assert!(
        close(usage["low_pct"].as_f64().unwrap(), low)
            && close(usage["high_pct"].as_f64().unwrap(), high),
        "{usage}"
    );
    assert_eq!(p["percentile_method"], "replayed-requests");

    // By hand, from the stored sets: a request needs the deferral when it ran code of a module
    // the plan drops.
    let dropped: Vec<&str> = (p["dropped_modules"].as_array().unwrap().iter())
        .map(|m| m.as_str().unwrap())
        .collect();
    let sets = requests["sets"].as_array().unwrap();
    let needing = (requests["requests"].as_array().unwrap().iter())
        .filter(|r| {
            let set = &sets[r["set"].as_u64().unwrap() as usize];
            set.as_array()
                .unwrap()
                .iter()
                .any(|m| dropped.contains(&m.as_str().unwrap()))
        })
        .count();
    assert_eq!(needing, 10);
    let u = needing as f64 / 100.0;
    let (cold, t) = (
        p["cold_start_ms"].as_f64().unwrap(),
        lazy["cost_ms"].as_f64().unwrap(),
    );
    // The defaults: 10,000 requests a day, 10 % of them cold starts (10 requests a process).
    let (p95, p99) = hand_percentiles(10, u, cold, t);
    assert!(
        close(p["p95_ms"].as_f64().unwrap(), p95),
        "P95 {} vs {p95}",
        p["p95_ms"]
    );
    assert!(
        close(p["p99_ms"].as_f64().unwrap(), p99),
        "P99 {} vs {p99}",
        p["p99_ms"]
    );
    let expected_cold = cold + u * t;
    assert!(close(
        p["expected_cold_request_ms"].as_f64().unwrap(),
        expected_cold
    ));
    let loads = 1.0 - (1.0 - u).powi(10);
    let daily = 1000.0 * (cold + loads * t) / 1000.0;
    assert!(
        close(p["daily_import_s"].as_f64().unwrap(), daily),
        "{} vs {daily}",
        p["daily_import_s"]
    );

    // The explorer: pandas deferred, its usage marked measured, the detail says of how many.
    let builder = lmms_core::trace::read_files(&[dir.path().join("trace.json")]).unwrap();
    let graph = lmms_core::model::ImportGraph::build(builder).unwrap();
    let mut app = App::new(
        lmms_core::whatif::Analysis::of(graph),
        OutputFile {
            path: "plan.json".into(),
            owned: false,
        },
        160,
        70,
    );
    let keys = [KeyCode::Char('/')]
        .into_iter()
        .chain("pandas".chars().map(KeyCode::Char))
        .chain([KeyCode::Enter, KeyCode::Char('L')]);
    crate::common::press(&mut app, keys);
    let text = crate::common::screen_text(&app, 160, 70);
    assert!(text.contains("10ᵐ"), "{text}");
    assert!(
        text.contains("needed by 10 of 100 requests (5.5–17.4 %, measured): report ×10"),
        "{text}"
    );
    assert!(
        text.contains("usage measured on 100 replayed requests"),
        "{text}"
    );
}

const FLASK_APP: &str = "\
from flask import Flask

app = Flask(__name__)
app.testing = True


@app.route(\"/hello\")
def hello():
    return \"hi\"


@app.route(\"/report\")
def report():
    import csv, io
    out = io.StringIO()
    csv.writer(out).writerow([1, 2])
    return out.getvalue()


@app.route(\"/boom\")
def boom():
    return str(1 // 0)
";

const DRIVER: &str = "\
from app import app

client = app.test_client()


def requests():
    for i in range(3):
        yield \"hello\", lambda: client.get(\"/hello\")
    yield \"report\", lambda: client.get(\"/report\")
    yield \"boom\", lambda: client.get(\"/boom\")
";

/// A Flask app through its own test client (`--driver`): every request runs Flask's code, so
/// deferring flask is needed by all of them; the request that raised is kept, with its
/// exception, and counts.
#[test]
fn a_flask_app_through_its_test_client() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("app.py", FLASK_APP), ("drive.py", DRIVER)]);
    record(dir.path(), &python, "app", &["--driver", "drive.py"]);
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("trace.json")).unwrap())
            .unwrap();
    let requests = trace["requests"]["requests"].as_array().unwrap();
    let labels: Vec<&str> = requests
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["hello", "hello", "hello", "report", "boom"]);
    let raised: Vec<&str> = requests
        .iter()
        .filter_map(|r| r["raised"].as_str())
        .collect();
    assert_eq!(raised.len(), 1, "{raised:?}");
    assert!(
        raised[0].starts_with("ZeroDivisionError: integer division or modulo by zero"),
        "{raised:?}"
    );
    let report = report_json(dir.path(), &["trace.json", "--lazy", "flask"]);
    let usage = &report["projection"]["lazy"][0]["usage"];
    assert_eq!(
        (
            usage["source"].as_str(),
            usage["needed"].as_u64(),
            usage["of"].as_u64()
        ),
        (Some("measured"), Some(5), Some(5)),
        "{usage}"
    );
    let (_, stderr) = succeeded(bin().args(["report", "trace.json"]).current_dir(dir.path()));
    let _ = stderr;
    let text = succeeded(
        bin()
            .args(["report", "trace.json", "--lazy", "flask"])
            .current_dir(dir.path()),
    )
    .0;
    assert!(
        text.contains("usage measured on 5 replayed requests (driver drive.py, 1 of which raised)"),
        "{text}"
    );
}

/// Without requests, nothing changes but a word: usage is assumed, and said so.
#[test]
fn without_requests_usage_is_said_assumed() {
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let (stdout, _) = succeeded(bin().arg("report").arg(&trace).args(["--lazy", "pandas"]));
    assert!(
        stdout.contains("usage assumed (100 % unless set)"),
        "{stdout}"
    );
    let (stdout, _) = succeeded(
        bin()
            .arg("report")
            .arg(&trace)
            .args(["--lazy", "pandas", "--usage", "pandas=5"]),
    );
    assert!(!stdout.contains("usage assumed"), "{stdout}");
}

/// `record --lazy pandas` with requests also times the first request needing pandas, in
/// alternated pairs: what the deferral moves into the request path, set beside the projection
/// (within its interval, or by how much not — said, whichever it is).
#[test]
fn the_first_request_needing_a_deferral_is_measured() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let dir = handler_dir();
    succeeded(
        bin()
            .args([
                "record",
                "--runs",
                "3",
                "-o",
                "trace.json",
                "--lazy",
                "pandas",
            ])
            .args(["--handler", "handler:handler", "--events", "events.jsonl"])
            .arg("--")
            .arg(&python)
            .args(["-c", "import handler"])
            .current_dir(dir.path()),
    );
    let report = report_json(dir.path(), &["trace.json", "--lazy", "pandas"]);
    let first = &report["projection"]["measured"]["first_request"];
    // Event 3 (the fourth line) is the first report.
    assert_eq!(first["label"], "report #4", "{first}");
    assert_eq!(first["measured"]["pairs"], 3);
    let (low, high) = (
        first["measured"]["low_ms"].as_f64().unwrap(),
        first["measured"]["high_ms"].as_f64().unwrap(),
    );
    let projected = first["projected_ms"].as_f64().unwrap();
    let cost = report["projection"]["lazy"][0]["cost_ms"].as_f64().unwrap();
    assert!(close(projected, cost), "{projected} vs {cost}");
    assert!(low > 0.0, "importing pandas in the request costs: {first}");
    let within = first["projection_within_interval"].as_bool().unwrap();
    assert_eq!(within, low <= projected && projected <= high);
    let text = succeeded(
        bin()
            .args(["report", "trace.json", "--lazy", "pandas"])
            .current_dir(dir.path()),
    )
    .0;
    let said = if within {
        "the projection is within the interval".to_string()
    } else {
        let side = if projected < low { "below" } else { "above" };
        format!("ms {side} the interval")
    };
    assert!(
        text.contains("the first request needing it (report #4) took +"),
        "{text}"
    );
    assert!(text.contains(&said), "{text}");
}

/// The same replay through `record` on every CPython 3.7+ this machine has (3.12+ watch with
/// sys.monitoring, older ones with sys.setprofile): a package two of four requests run is
/// needed by exactly those two; the request that raised is kept. Each interpreter is named on
/// the terminal.
#[test]
fn replay_measures_the_same_on_every_interpreter() {
    use std::io::Write;
    let found = crate::tracer_py::interpreters();
    assert!(!found.is_empty(), "no CPython 3.7+ found (python3 on PATH)");
    let mut ran = Vec::new();
    for ((major, minor), python) in &found {
        let dir = tempfile::tempdir().unwrap();
        write_files(
            dir.path(),
            &[
                (
                    "heavy/__init__.py",
                    "from . import core\n\ndef work(n):\n    return core.total(n)\n",
                ),
                ("heavy/core.py", "def total(n):\n    return sum(range(n))\n"),
                (
                    "app.py",
                    "import heavy\n\ndef handler(event):\n    if event['kind'] == 'heavy':\n        \
                     return heavy.work(10)\n    if event['kind'] == 'boom':\n        raise KeyError('nope')\n    \
                     return 1\n",
                ),
                (
                    "ev.jsonl",
                    "{\"kind\": \"cheap\"}\n{\"kind\": \"heavy\"}\n{\"kind\": \"boom\"}\n{\"kind\": \"heavy\"}\n",
                ),
            ],
        );
        record(
            dir.path(),
            python,
            "app",
            &[
                "--warmup",
                "0",
                "--handler",
                "app:handler",
                "--events",
                "ev.jsonl",
            ],
        );
        let report = report_json(dir.path(), &["trace.json", "--lazy", "heavy"]);
        let usage = &report["projection"]["lazy"][0]["usage"];
        assert_eq!(
            (usage["needed"].as_u64(), usage["of"].as_u64()),
            (Some(2), Some(4)),
            "Python {major}.{minor}: {usage}"
        );
        let trace: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("trace.json")).unwrap())
                .unwrap();
        let raised: Vec<&str> = (trace["requests"]["requests"].as_array().unwrap().iter())
            .filter_map(|r| r["raised"].as_str())
            .collect();
        assert_eq!(
            raised,
            ["KeyError: 'nope' (app.py:7)"],
            "Python {major}.{minor}"
        );
        ran.push(format!("{major}.{minor}"));
    }
    let _ = writeln!(
        std::io::stderr().lock(),
        "replay measured on Python {}",
        ran.join(", ")
    );
}

const CLICK_CLI: &str = "\
import click
import pandas as pd


@click.group()
def cli():
    pass


@cli.command()
@click.option(\"--name\", default=\"world\")
def hello(name):
    click.echo(\"hello \" + name)


@cli.command()
@click.argument(\"n\", type=int)
def report(n):
    click.echo(str(pd.DataFrame({\"x\": list(range(n))})[\"x\"].sum()))


if __name__ == \"__main__\":
    cli()
";

/// A click CLI with two subcommands through `--invocations`: each line a process of its own,
/// so every request is a cold start (the plan's default becomes 100 %); pandas, used by the
/// `report` subcommand only, is needed by 2 of 4 invocations; daily import time is then
/// R·(T_E + u·t) by hand.
#[test]
fn a_click_cli_through_invocations() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("cli.py", CLICK_CLI),
            (
                "calls.txt",
                "hello\nhello --name 'a b'\nreport 3\n# a comment\nreport 5\n",
            ),
        ],
    );
    succeeded(
        bin()
            .args([
                "record",
                "--runs",
                "1",
                "-o",
                "trace.json",
                "--invocations",
                "calls.txt",
            ])
            .arg("--")
            .arg(&python)
            // The timed runs run `cli.py hello`; each invocation replaces `hello`.
            .args(["cli.py", "hello"])
            .current_dir(dir.path()),
    );
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("trace.json")).unwrap())
            .unwrap();
    let labels: Vec<&str> = (trace["requests"]["requests"].as_array().unwrap().iter())
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        ["hello", "hello --name 'a b'", "report 3", "report 5"]
    );
    assert_eq!(trace["requests"]["processes"], true);
    let report = report_json(dir.path(), &["trace.json", "--lazy", "pandas"]);
    let p = &report["projection"];
    assert_eq!(p["params"]["cold_start_rate_pct"].as_f64(), Some(100.0));
    let usage = &p["lazy"][0]["usage"];
    assert_eq!(
        (usage["needed"].as_u64(), usage["of"].as_u64()),
        (Some(2), Some(4)),
        "{usage}"
    );
    let (cold, t) = (
        p["cold_start_ms"].as_f64().unwrap(),
        p["lazy"][0]["cost_ms"].as_f64().unwrap(),
    );
    // 10,000 invocations a day, each a process: R·(T_E + u·t).
    let daily = 10_000.0 * (cold + 0.5 * t) / 1000.0;
    assert!(
        close(p["daily_import_s"].as_f64().unwrap(), daily),
        "{} vs {daily}",
        p["daily_import_s"]
    );
    // Every request is a first request: P99 pays cold start and pandas.
    assert!(
        close(p["p99_ms"].as_f64().unwrap(), cold + t),
        "{}",
        p["p99_ms"]
    );
}

/// What cannot be replayed is refused before any run, in one line naming the flag or the
/// file and line, exit status 2.
#[test]
fn replay_inputs_are_checked_before_any_run() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("bad.txt", "hello\nsum \"5\n"),
            ("ev.jsonl", "{}\n"),
            ("empty.txt", "# none\n"),
        ],
    );
    for (flags, said) in [
        (
            &["--invocations", "bad.txt"][..],
            "bad.txt:2: unbalanced quotes",
        ),
        (
            &["--invocations", "empty.txt"],
            "empty.txt: 0 argument lists",
        ),
        (
            &["--handler", "a-b", "--events", "ev.jsonl"],
            "--handler a-b is not MODULE:FUNCTION",
        ),
        (
            &["--handler", "app:", "--events", "ev.jsonl"],
            "--handler app: is not MODULE:FUNCTION",
        ),
        (
            &["--handler", "app:run", "--events", "none.jsonl"],
            "--events none.jsonl: ",
        ),
        (&["--driver", "none.py"], "--driver none.py: "),
    ] {
        let mut record = bin();
        record
            .arg("record")
            .args(flags)
            .args(["--", "python3", "-c", "pass"]);
        crate::common::refused_in_one_line(record.current_dir(dir.path()), said);
    }
}
