//! `lmms-tui report` with what-if flags and plans: text, markdown and JSON agree.

use crate::common::{asset, bin, lmms};

const TRACE: &str = "assets/lambda-handler-5runs.txt";

#[test]
fn text_markdown_and_json_show_the_same_projection() {
    let flags = [
        "--lazy",
        "pandas",
        "--usage",
        "pandas=5",
        "--usage",
        "boto3=90",
        "--budget-ms",
        "150",
    ];
    let json_args: Vec<&str> = ["report", TRACE, "--format", "json"]
        .iter()
        .chain(&flags)
        .copied()
        .collect();
    let (code, json, _) = lmms(&json_args);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let p = &v["projection"];
    let cold = p["cold_start_ms"].as_f64().unwrap();
    let base = p["baseline_cold_start_ms"].as_f64().unwrap();
    assert!(cold < base);
    assert_eq!(p["within_budget"], true);
    assert_eq!(p["savings_may_be_overstated"], true);
    assert_eq!(p["lazy"][0]["name"], "pandas");
    let pandas = v["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "pandas")
        .unwrap();
    assert_eq!(pandas["decision"], "lazy");
    assert_eq!(pandas["usage_pct"], 5);
    assert_eq!(pandas["suggestion"], "function");
    let boto3 = v["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "boto3")
        .unwrap();
    assert_eq!(boto3["suggestion"], "hot-path");
    assert_eq!(boto3["load_probability"], 1);
    assert!(boto3["retained_us"].as_u64().unwrap() > 0);

    let expect = format!("{:.1} ms traced → {:.1} ms with this plan", base, cold);
    for format in ["text", "markdown"] {
        let args: Vec<&str> = ["report", TRACE, "--format", format]
            .iter()
            .chain(&flags)
            .copied()
            .collect();
        let (code, out, _) = lmms(&args);
        assert_eq!(code, 0);
        assert!(out.contains(&expect), "{format}: {expect}\n{out}");
        assert!(
            out.contains(&format!("{:.1} s", p["daily_import_s"].as_f64().unwrap())),
            "{format}"
        );
        assert!(out.contains("within the 150 ms budget"), "{format}");
        assert!(out.contains("savings may be overstated"), "{format}");
    }
}

#[test]
fn plans_load_and_name_what_they_ignore() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("plan.json");
    std::fs::write(
        &plan,
        r#"{"format":"lmms-tui-plan","version":1,
            "params":{"requests_per_day":5000,"cold_start_rate_pct":100},
            "modules":{"pandas":{"decision":"lazy","usage_pct":5},"no.such.module":{"decision":"lazy"}}}"#,
    )
    .unwrap();
    let (code, out, err) = lmms(&[
        "report",
        TRACE,
        "--format",
        "json",
        "--top",
        "1",
        "--plan",
        plan.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("ignored: no.such.module"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["projection"]["lazy"][0]["name"], "pandas");
    // 100,000 absent modules: one short line, the first ten named and the rest counted.
    let absent: serde_json::Map<String, serde_json::Value> = (0..100_000)
        .map(|i| {
            (
                format!("gone{i:06}"),
                serde_json::json!({"decision": "lazy"}),
            )
        })
        .collect();
    let many = dir.path().join("many.json");
    let doc = serde_json::json!({"format": "lmms-tui-plan", "version": 1, "modules": absent});
    std::fs::write(&many, doc.to_string()).unwrap();
    let (code, _, err) = lmms(&["report", TRACE, "--plan", many.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let line = err.lines().find(|l| l.contains("ignored")).unwrap();
    assert!(
        line.contains("100000 modules") || line.contains("100,000 modules"),
        "{line}"
    );
    assert!(
        line.ends_with("and 99990 more") || line.ends_with("and 99,990 more"),
        "{line}"
    );
    assert!(line.len() < 300, "{line}");
    assert_eq!(v["projection"]["params"]["requests_per_day"], 5000.0);
    // Flags override the plan.
    let (_, out, _) = lmms(&[
        "report",
        TRACE,
        "--format",
        "json",
        "--top",
        "1",
        "--plan",
        plan.to_str().unwrap(),
        "--cold-start-rate",
        "10",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["projection"]["params"]["cold_start_rate_pct"], 10.0);
}

#[test]
fn bad_what_if_input_is_refused() {
    for (args, expect) in [
        (
            vec!["--lazy", "pandsa"],
            "module `pandsa` is not in the trace",
        ),
        (vec!["--usage", "pandas=150"], "not between 0 and 100"),
        (vec!["--usage", "pandas"], "expected MODULE=PCT"),
        (
            vec!["--cold-start-rate", "0"],
            "cold-start rate must be ≥ 0.0001",
        ),
        (
            vec!["--plan", "/nonexistent/plan.json"],
            "/nonexistent/plan.json: cannot read: no such file",
        ),
    ] {
        let mut full = vec!["report", TRACE];
        full.extend(args.iter());
        let (code, _, err) = lmms(&full);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(expect), "{args:?}: {err}");
        assert!(!err.contains("panicked"));
    }
    let (code, _, err) = lmms(&["report", TRACE, "--plan", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/dev/zero: is a character device"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("bad.json");
    std::fs::write(
        &plan,
        r#"{"format":"lmms-tui-plan","version":1,"modules":{"pandas":{"usage_pct":"x"}}}"#,
    )
    .unwrap();
    let (code, _, err) = lmms(&["report", TRACE, "--plan", plan.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json:1:") && err.contains("not an lmms-tui plan"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn the_recorded_bundled_trace_has_every_edge_and_a_measurement() {
    let (code, out, _) = lmms(&[
        "report",
        "assets/lambda-handler-trace.json",
        "--format",
        "json",
        "--top",
        "1",
        "--lazy",
        "pandas",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["trace"]["edges"], "full");
    assert_eq!(v["trace"]["python"], "3.11.7");
    assert_eq!(v["projection"]["savings_may_be_overstated"], false);
    // One saving everywhere: the median of the run-by-run savings, in the JSON, the text's
    // headline and beside the measurement.
    let projected = v["projection"]["saving_ms"][0].as_f64().unwrap();
    let (_, text, _) = lmms(&[
        "report",
        "assets/lambda-handler-trace.json",
        "--lazy",
        "pandas",
    ]);
    let headline = format!("with this plan (−{projected:.1} ms");
    assert!(text.contains(&headline), "{headline}: {text}");
    assert!(
        text.contains(&format!("vs −{projected:.1} ms projected")),
        "{text}"
    );
    // Recorded with `record --lazy pandas`: alternated pairs of the unedited handler and the
    // handler with `import pandas as pd` made lazy; pandas really was deferred.
    let m = &v["projection"]["measured"];
    assert_eq!(m["lazy"], serde_json::json!(["pandas"]));
    assert_eq!(m["not_deferred"], serde_json::json!([]));
    assert_eq!(m["saved"]["pairs"], v["trace"]["runs"]);
    assert!((m["projected_saved_ms"].as_f64().unwrap() - projected).abs() < 1e-9);
    let (low, high) = (
        m["saved"]["low_ms"].as_f64().unwrap(),
        m["saved"]["high_ms"].as_f64().unwrap(),
    );
    assert!(low > 0.0, "a saving above the noise: {m}");
    assert_eq!(
        m["projection_within_interval"],
        low <= projected && projected <= high
    );
    let (_, text, _) = lmms(&[
        "report",
        "assets/lambda-handler-trace.json",
        "--lazy",
        "pandas",
        "--top",
        "1",
    ]);
    let line = text.lines().find(|l| l.contains("measured")).unwrap();
    assert!(
        line.contains("with pandas made lazy (median of") && line.contains("95% interval"),
        "{line}"
    );
}

#[test]
fn every_what_if_parameter_is_a_flag_with_its_default() {
    for command in [
        &["report", "--help"][..],
        &["check", "--help"],
        &["export", "--help"],
    ] {
        let (code, out, _) = lmms(command);
        assert_eq!(code, 0);
        for p in lmms_core::whatif::PARAMS.iter() {
            let flag = format!("--{}", p.key);
            let at = out
                .find(&flag)
                .unwrap_or_else(|| panic!("{flag} in {command:?}"));
            let entry = &out[at..];
            let entry = &entry[..entry.find("\n\n").unwrap_or(entry.len())];
            if p.kind != lmms_core::whatif::params::Kind::Switch {
                assert!(entry.contains("[default: "), "{entry}");
            }
        }
    }
    // The bounds are checked where the flag is read, with the range in words.
    let (code, _, err) = lmms(&[
        "report",
        "assets/lambda-handler-5runs.txt",
        "--hot-path-usage",
        "101",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("at most 100 %"), "{err}");
}

#[test]
fn the_json_projection_keeps_its_documented_keys() {
    // README "`lmms-tui report`" lists these; renaming one breaks every consumer.
    let (code, out, err) = lmms(&[
        "report",
        "assets/lambda-handler-5runs.txt",
        "--format",
        "json",
        "--top",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let projection = json["projection"].as_object().unwrap();
    let documented = [
        "cold_start_ms",
        "baseline_cold_start_ms",
        "daily_import_s",
        "baseline_daily_import_s",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "baseline_p50_ms",
        "baseline_p95_ms",
        "baseline_p99_ms",
        "expected_cold_request_ms",
        "percentile_method",
        "budget_ms",
        "within_budget",
        "savings_may_be_overstated",
        "dropped_modules",
        "lazy",
        "cold_start_range_ms",
        "baseline_cold_start_range_ms",
        "saving_ms",
        "kept_loaded",
        "assumed_your_code",
        "measured",
        "gc_pauses",
        "params",
        "thresholds",
    ];
    let mut keys: Vec<&str> = projection.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = documented.to_vec();
    want.sort_unstable();
    assert_eq!(keys, want);
    let readme = std::fs::read_to_string("README.md").unwrap();
    for key in documented {
        // The README writes the three traced percentiles as one: `baseline_p*_ms`.
        let written = if key.starts_with("baseline_p") {
            "baseline_p*_ms"
        } else {
            key
        };
        assert!(
            readme.contains(&format!("`{written}`")),
            "{key} in the README"
        );
    }
}

#[test]
fn parameters_at_their_bounds_give_finite_figures_and_beyond_is_refused() {
    let extremes = [
        "--requests-per-day",
        "1e12",
        "--cold-start-rate",
        "0.0001",
        "--init-cpu-factor",
        "1000",
        "--base-latency-ms",
        "3600000",
        "--budget-ms",
        "3600000",
    ];
    let mut args = vec![
        "report",
        "assets/lambda-handler-5runs.txt",
        "--format",
        "json",
        "--top",
        "0",
        "--lazy",
        "pandas",
        "--usage",
        "pandas=5",
    ];
    args.extend(extremes);
    let (code, out, err) = lmms(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["projection"];
    for key in [
        "daily_import_s",
        "p50_ms",
        "p95_ms",
        "p99_ms",
        "expected_cold_request_ms",
    ] {
        assert!(
            p[key].as_f64().is_some_and(f64::is_finite),
            "{key}: {}",
            p[key]
        );
    }
    let (code, _, err) = lmms(&[
        "report",
        "assets/lambda-handler-5runs.txt",
        "--cold-start-rate",
        "1e-300",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("must be ≥ 0.0001"), "{err}");
}

#[test]
fn deep_chains_are_elided_in_reports() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 40;
    let mut text = String::from("import time: self [us] | cumulative | imported package\n");
    for i in (0..depth).rev() {
        text.push_str(&format!(
            "import time: {:>9} | {:>10} | {}m{i}\n",
            100,
            100 * (depth - i),
            "  ".repeat(i)
        ));
    }
    let path = dir.path().join("deep.txt");
    std::fs::write(&path, text).unwrap();
    let (code, out, err) = lmms(&["report", path.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    let row = out.lines().find(|l| l.contains(" m39 ")).unwrap();
    assert!(
        row.contains("m0 › m1 › m2 › m3 › … 30 more … › m34 › m35 › m36 › m37 › m38 › m39"),
        "{row}"
    );
}

/// `why` on a CPython text trace: the first importer only, said so; text and JSON agree, and
/// the chain is the trace's first-import chain.
#[test]
fn why_on_a_text_trace_says_only_first_importers_are_known() {
    let (code, text, stderr) = lmms(&["why", "urllib3", TRACE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("first-import tree only"), "{text}");
    assert!(
        text.contains(
            "first imported: program › handler › boto3 › boto3.compat › s3transfer.manager › \
             s3transfer › botocore.compat › urllib3"
        ),
        "{text}"
    );
    assert!(
        text.contains("  botocore.compat (unknown)  [your code?]"),
        "{text}"
    );
    let (code, json, _) = lmms(&["why", "urllib3", TRACE, "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["edges"], "tree");
    let importers = v["importers"].as_array().unwrap();
    // The first importers of urllib3 and of two submodules first loaded from outside it;
    // shortest chain first.
    let names: Vec<&str> = importers
        .iter()
        .map(|r| r["importer"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "requests.adapters",
            "botocore.compat",
            "botocore.httpsession"
        ]
    );
    assert_eq!(
        importers[1]["chain"],
        serde_json::json!([
            "handler",
            "boto3",
            "boto3.compat",
            "s3transfer.manager",
            "s3transfer",
            "botocore.compat"
        ])
    );
    assert_eq!(importers[1]["imports"][0]["kind"], "unrecorded");
    assert_eq!(
        importers[0]["imports"][0]["module"],
        "urllib3.contrib.socks"
    );
    assert!(v["submodules"].as_array().unwrap().len() > 10);
}

/// `-` reads the trace from standard input: the same report as from the file, named `<stdin>`.
#[test]
fn a_trace_from_standard_input() {
    let trace = asset("lambda-handler-5runs.txt");
    let from_file = lmms(&["report", trace.to_str().unwrap()]);
    let mut child = bin()
        .args(["report", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        &std::fs::read(&trace).unwrap(),
    )
    .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let piped = String::from_utf8(out.stdout).unwrap();
    assert!(piped.starts_with("<stdin>: 5 runs"), "{piped}");
    assert_eq!(
        piped.replacen("<stdin>", trace.to_str().unwrap(), 1),
        from_file.1
    );
    // Given twice, or empty: one line naming standard input, status 2.
    let (code, _, err) = lmms(&["report", "-", "-"]);
    assert_eq!(code, 2);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("<stdin>") || err.contains("standard input"),
        "{err}"
    );
}

/// Completion scripts and manual pages come from the CLI definition: every subcommand and
/// flag is in them, and bash accepts its script.
#[test]
fn completions_and_manual_pages() {
    let (code, bash, _) = lmms(&["completions", "bash"]);
    assert_eq!(code, 0);
    for word in [
        "report",
        "record",
        "check",
        "export",
        "why",
        "--budget-ms",
        "--lazy",
    ] {
        assert!(bash.contains(word), "{word}");
    }
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("lmms-tui.bash");
    std::fs::write(&script, &bash).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .status()
        .unwrap();
    assert!(syntax.success());
    let (_, fish, _) = lmms(&["completions", "fish"]);
    assert!(fish.contains("complete -c lmms-tui"), "{fish}");
    let (code, _, err) = lmms(&["completions", "tcsh"]);
    assert_eq!(code, 2, "{err}");

    let (code, page, _) = lmms(&["man"]);
    assert_eq!(code, 0);
    assert!(page.contains(".TH lmms-tui 1"), "{page}");
    let out = dir.path().join("man");
    std::fs::create_dir(&out).unwrap();
    let (code, _, err) = lmms(&["man", "--dir", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let report = std::fs::read_to_string(out.join("lmms-tui-report.1")).unwrap();
    assert!(report.contains("\\-\\-budget\\-ms"), "{report}");
    let (code, _, err) = lmms(&["man", "--dir", "/nonexistent/dir"]);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
}
