//! `lmms-tui check` (CI guard) and `lmms-tui export` (fast_path.py) on the bundled trace.

use crate::common::lmms;

use std::path::Path;
use std::process::Command;

const TRACE: &str = "assets/lambda-handler-5runs.txt";

/// The bundled trace with every `boto3*` module 50 % slower.
fn boto3_regressed(dir: &Path) -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(TRACE)).unwrap();
    let scaled: String = text
        .lines()
        .map(|line| {
            let cols: Vec<&str> = line.splitn(3, '|').collect();
            let name = cols.get(2).map(|c| c.trim()).unwrap_or("");
            if cols.len() == 3 && (name == "boto3" || name.starts_with("boto3.")) {
                let self_us: u64 = cols[0]
                    .trim_start_matches("import time:")
                    .trim()
                    .parse()
                    .unwrap();
                let cum: u64 = cols[1].trim().parse().unwrap();
                format!(
                    "import time: {:>9} | {:>10} |{}\n",
                    self_us * 3 / 2,
                    cum * 3 / 2,
                    cols[2]
                )
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let path = dir.join("regressed.txt");
    std::fs::write(&path, scaled).unwrap();
    path.display().to_string()
}

#[test]
fn an_unchanged_trace_passes() {
    let (code, out, err) = lmms(&["check", TRACE, "--baseline", TRACE, "--budget-ms", "1000"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("✓ cold start 286.8 ms within the 1000 ms budget"),
        "{out}"
    );
    assert!(
        out.contains(
            "✓ total import time 286.8 [276.1–472.0] ms → 286.8 [276.1–472.0] ms (+0.0 ms, +0.0%)"
        ),
        "{out}"
    );
    // A passing check names nothing that did not grow.
    assert!(!out.contains("grew most"), "{out}");
    assert!(!out.contains("+0.0 ms, +0.0%)\n    "), "{out}");
    assert!(out.contains("check passed"));
}

#[test]
fn a_fifty_percent_package_regression_fails_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let regressed = boto3_regressed(dir.path());
    let (code, out, _) = lmms(&["check", &regressed, "--baseline", TRACE]);
    assert_eq!(code, 1, "{out}");
    let section = out
        .split("✗ packages that regressed:")
        .nth(1)
        .unwrap_or_else(|| panic!("{out}"));
    let first = section.lines().nth(1).unwrap_or("");
    // Before and after as median [range], and the rank test: every run's share grew.
    assert!(
        first.trim_start().starts_with("boto3 ")
            && first.contains("3.7 [3.5–6.2] ms → 5.5 [5.2–9.3] ms")
            && first.contains("p = 0.004;"),
        "{out}"
    );
    // Its modules, against the other packages' (which did not move at all).
    assert!(
        first.contains("+49.8% with the machine's ×1.00 taken out, its modules (26) apart"),
        "{first}"
    );
    // Each module's figures were scaled by 3/2 in whole µs: the package grew by just under 50 %.
    let pct: f64 = first
        .split(", +")
        .nth(1)
        .and_then(|rest| rest.split('%').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!((49.5..=50.0).contains(&pct), "{first}");
    // Only boto3.
    assert_eq!(
        section.lines().nth(2).map(|l| l.starts_with("    ")),
        Some(false),
        "{out}"
    );
    assert!(
        out.contains("grew most (modules, cumulative):") && out.contains("boto3.compat"),
        "{out}"
    );
    assert!(out.contains("check FAILED"));
    // The same regression under a looser tolerance passes, and still shows what grew.
    let (code, out, _) = lmms(&[
        "check",
        &regressed,
        "--baseline",
        TRACE,
        "--tolerance",
        "60",
    ]);
    assert_eq!(code, 0, "{out}");
    let grew = out
        .split("grew most (modules, cumulative):\n")
        .nth(1)
        .unwrap();
    assert!(grew.lines().next().unwrap().contains("boto3"), "{out}");
}

#[test]
fn the_budget_is_enforced_with_and_without_a_plan() {
    let (code, out, _) = lmms(&["check", TRACE, "--budget-ms", "150"]);
    assert_eq!(code, 1);
    assert!(
        out.contains("✗ cold start 286.8 ms over the 150 ms budget"),
        "{out}"
    );
    let (code, out, _) = lmms(&["check", TRACE, "--budget-ms", "150", "--lazy", "pandas"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(
            "✓ cold start 125.3 ms within the 150 ms budget (with the plan's deferred imports)"
        ),
        "{out}"
    );
}

#[test]
fn check_refuses_bad_input_with_status_2() {
    let (code, _, err) = lmms(&["check", "/no/such/trace.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file"));
    let (code, _, err) = lmms(&["check", TRACE, "--baseline", "/no/such/old.txt"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/old.txt"));
}

#[test]
fn baseline_in_report_shows_deltas_new_and_vanished() {
    let dir = tempfile::tempdir().unwrap();
    let regressed = boto3_regressed(dir.path());
    let (code, out, _) = lmms(&["report", &regressed, "--baseline", TRACE, "--top", "3"]);
    assert_eq!(code, 0);
    assert!(out.contains("Compared with the baseline"), "{out}");
    assert!(out.contains("modules: 0 new, 0 vanished"), "{out}");
    let (_, json, _) = lmms(&[
        "report",
        &regressed,
        "--baseline",
        TRACE,
        "--format",
        "json",
        "--top",
        "3",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["baseline"]["packages"][0]["name"], "boto3");
    assert!(v["baseline"]["packages"][0]["change_us"].as_i64().unwrap() > 0);
}

fn plan(dir: &Path) -> String {
    let path = dir.join("plan.json");
    std::fs::write(
        &path,
        r#"{"format":"lmms-tui-plan","version":1,"params":{"budget_ms":150},
            "modules":{"pandas":{"decision":"lazy","usage_pct":5},"boto3":{"usage_pct":90}}}"#,
    )
    .unwrap();
    path.display().to_string()
}

fn python_parses(path: &Path) -> bool {
    Command::new("python3")
        .args(["-c", "import ast, sys; ast.parse(open(sys.argv[1]).read())"])
        .arg(path)
        .status()
        .unwrap()
        .success()
}

#[test]
fn export_writes_fast_path_py_like_the_lessons() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(dir.path());
    let (code, out, err) = lmms(&["export", "--plan", &plan, TRACE]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("\"\"\"fast_path.py: what loads at cold start, and why."),
        "{out}"
    );
    assert!(out.contains("Target: 150 ms ✓ met."), "{out}");
    assert!(
        out.contains(
            "# Module level: fast (< 10 ms)\nimport logging  # 4.9 ms, used by 100% of requests\nimport json  # 4.0 ms"
        ),
        "{out}"
    );
    assert!(out.contains("# Module level: hot-path exception (used by > 80% of requests)\nimport boto3  # 70.5 ms, used by 90% of requests"), "{out}");
    assert!(
        out.contains(
            "#   import pandas  # 159.2 ms, used by 5% of requests; loads in 40% of processes"
        ),
        "{out}"
    );

    let file = dir.path().join("fast_path.py");
    let (code, _, _) = lmms(&[
        "export",
        "--plan",
        &plan,
        TRACE,
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(python_parses(&file), "fast_path.py is valid Python");

    let (_, pep810, _) = lmms(&["export", "--plan", &plan, TRACE, "--style", "pep810"]);
    assert!(
        pep810.contains("\nlazy import pandas  # 159.2 ms"),
        "{pep810}"
    );
    assert!(pep810.contains("\nimport boto3  # 70.5 ms"), "{pep810}");
    let (_, lazy_modules, _) = lmms(&["export", "--plan", &plan, TRACE, "--style", "lazy-modules"]);
    assert!(
        lazy_modules.contains("__lazy_modules__ = [\"pandas\"]"),
        "{lazy_modules}"
    );
    let path = dir.path().join("lazy_modules.py");
    std::fs::write(&path, &lazy_modules).unwrap();
    assert!(
        python_parses(&path),
        "the __lazy_modules__ form runs on today's Python"
    );
}

/// The bundled handler's five runs as five files.
fn five_files(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(TRACE).unwrap();
    let header = "import time: self [us] | cumulative | imported package\n";
    text.split(header)
        .filter(|run| !run.trim().is_empty())
        .enumerate()
        .map(|(i, run)| {
            let path = dir.join(format!("warm{}.txt", i + 1));
            std::fs::write(&path, format!("{header}{run}")).unwrap();
            path.display().to_string()
        })
        .collect()
}

#[test]
fn several_baseline_files_are_one_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let files = five_files(dir.path());
    assert_eq!(files.len(), 5);
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    // `--baseline A B C` takes every file up to the next flag…
    let mut args = vec!["check"];
    args.extend(&files);
    args.push("--baseline");
    args.extend(&files);
    let (code, out, err) = lmms(&args);
    assert_eq!(code, 0, "{out}{err}");
    // …and the repeated flag means the same; report says both sides have five runs.
    let mut args = vec!["report", "--format", "json", "--top", "0"];
    args.extend(&files);
    for f in &files {
        args.extend(["--baseline", f]);
    }
    let (code, out, err) = lmms(&args);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["trace"]["runs"], 5);
    assert_eq!(
        v["baseline"]["total_before_us"],
        v["baseline"]["total_after_us"]
    );
}

#[test]
fn different_programs_are_not_merged_silently() {
    let numpy = "tests/data/cpython3.11-numpy-3runs.txt";
    let requests = "tests/data/cpython3.11-requests-websocket.txt";
    let (code, _, err) = lmms(&["report", numpy, requests]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no top-level import in common") && err.contains("--allow-mixed"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, _, err) = lmms(&["check", numpy, "--baseline", requests]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the baseline imports requests"), "{err}");
    let (code, _, err) = lmms(&["report", numpy, requests, "--allow-mixed"]);
    assert_eq!(code, 0, "{err}");
}

const RERUN: &str = "tests/data/cpython3.11-handler-rerun-5runs.txt";

/// A trace's runs as one file each, in `dir`, under `prefix`; `edit` may change each line.
fn runs_as_files(
    source: &str,
    dir: &Path,
    prefix: &str,
    edit: impl Fn(&str) -> String,
) -> Vec<String> {
    let text = std::fs::read_to_string(source).unwrap();
    let header = "import time: self [us] | cumulative | imported package\n";
    text.split(header)
        .filter(|run| !run.trim().is_empty())
        .enumerate()
        .map(|(i, run)| {
            let path = dir.join(format!("{prefix}{}.txt", i + 1));
            let body: String = run.lines().map(|l| edit(l) + "\n").collect();
            std::fs::write(&path, format!("{header}{body}")).unwrap();
            path.display().to_string()
        })
        .collect()
}

/// A line of `package` (or its submodules) 30 % slower.
fn slower(package: &'static str) -> impl Fn(&str) -> String {
    move |line: &str| {
        let cols: Vec<&str> = line.splitn(3, '|').collect();
        let name = cols.get(2).map(|c| c.trim()).unwrap_or("");
        if cols.len() == 3 && (name == package || name.starts_with(&format!("{package}."))) {
            let figure =
                |c: &str| -> u64 { c.trim_start_matches("import time:").trim().parse().unwrap() };
            let (s, c) = (figure(cols[0]), figure(cols[1]));
            format!(
                "import time: {:>9} | {:>10} |{}",
                s * 13 / 10,
                c * 13 / 10,
                cols[2]
            )
        } else {
            line.to_string()
        }
    }
}

#[test]
fn unchanged_runs_pass_in_every_split_and_a_slower_package_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let files = runs_as_files(RERUN, dir.path(), "run", str::to_string);
    assert_eq!(files.len(), 5);
    // Every way to split five runs of one unchanged program into a trace and a baseline.
    let mut splits = 0;
    for mask in 1u32..31 {
        let (mine, theirs): (Vec<&String>, Vec<&String>) =
            files
                .iter()
                .enumerate()
                .fold((vec![], vec![]), |(mut a, mut b), (i, f)| {
                    if mask & (1 << i) != 0 {
                        a.push(f)
                    } else {
                        b.push(f)
                    }
                    (a, b)
                });
        let mut args: Vec<&str> = vec!["check"];
        args.extend(mine.iter().map(|s| s.as_str()));
        args.push("--baseline");
        args.extend(theirs.iter().map(|s| s.as_str()));
        let (code, out, err) = lmms(&args);
        assert_eq!(code, 0, "split {mask:05b}: {out}{err}");
        if mine.len() == 1 || theirs.len() == 1 {
            assert!(out.contains("too few for a rank test"), "{out}");
        }
        splits += 1;
    }
    assert_eq!(splits, 30);
    // The same runs with one package 30 % slower: that package, and only it, fails.
    for package in ["numpy", "botocore"] {
        let slowed = runs_as_files(RERUN, dir.path(), package, slower(package));
        let mut args: Vec<&str> = vec!["check"];
        args.extend(slowed.iter().map(String::as_str));
        args.push("--baseline");
        args.extend(files.iter().map(String::as_str));
        let (code, out, _) = lmms(&args);
        assert_eq!(code, 1, "{out}");
        let section = out.split("✗ packages that regressed:\n").nth(1).unwrap();
        let named: Vec<&str> = section
            .lines()
            .take_while(|l| l.starts_with("    "))
            .map(|l| l.split_whitespace().next().unwrap())
            .collect();
        assert_eq!(named, [package], "{out}");
    }
}

#[test]
fn the_header_total_is_the_traced_cold_start_and_the_median_run() {
    // Each run's Σ self, read naively from the lines.
    let text = std::fs::read_to_string(TRACE).unwrap();
    let mut totals: Vec<u64> = crate::common::raw_runs(&text)
        .iter()
        .map(|run| run.iter().map(|l| l.self_us).sum())
        .collect();
    totals.sort_unstable();
    let median = totals[totals.len() / 2];
    let (code, out, _) = lmms(&["report", TRACE, "--format", "json", "--top", "0"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total_us"], median);
    assert_eq!(
        v["projection"]["baseline_cold_start_ms"].as_f64().unwrap(),
        median as f64 / 1000.0
    );
    // Per run, a module's retained cost never exceeds its cumulative: so neither do medians.
    let (_, out, _) = lmms(&["report", TRACE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for m in v["modules"].as_array().unwrap() {
        assert!(
            m["retained_us"].as_u64() <= m["cumulative_us"].as_u64(),
            "{m}"
        );
    }
}

#[test]
fn another_setup_is_said_and_strict_fails_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let recorded = "assets/lambda-handler-trace.json";
    let mut trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(recorded).unwrap()).unwrap();
    let packages = trace["fingerprint"]["packages"].as_object_mut().unwrap();
    let version = packages["boto3"].as_str().unwrap().to_string();
    packages.insert("boto3".into(), "0.0.1".into());
    let old = dir.path().join("old.json");
    std::fs::write(&old, trace.to_string()).unwrap();
    let old = old.display().to_string();
    let (code, out, _) = lmms(&["check", recorded, "--baseline", &old]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!(
            "! recorded with a different setup: boto3 0.0.1 → {version} (--strict fails on this)"
        )),
        "{out}"
    );
    let (code, out, _) = lmms(&["check", recorded, "--baseline", &old, "--strict"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✗ recorded with a different setup"), "{out}");
    // Modules are judged too on request; one run a side says what it cannot do.
    let (code, out, _) = lmms(&["check", recorded, "--baseline", recorded, "--modules"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("✓ no module regressed"), "{out}");
    let files = runs_as_files(RERUN, dir.path(), "one", str::to_string);
    let (_, out, _) = lmms(&["check", &files[0], "--baseline", &files[1]]);
    assert!(
        out.contains("1 and 1 runs: too few for a rank test") && out.contains("past 50% and 10 ms"),
        "{out}"
    );
    let (_, out, _) = lmms(&["report", &files[0], "--top", "0"]);
    assert!(out.contains("one run: no spread known"), "{out}");
    let (_, out, _) = lmms(&["report", TRACE, "--top", "0"]);
    assert!(
        out.contains("noisy: run totals 276.1–472.0 ms are 68% of their median apart"),
        "{out}"
    );
}

/// `-o` follows the output path policy: `-` and `/proc/self/fd/1` reach standard output (the
/// latter a link to a pipe, written through, never replaced), a link's target is replaced and
/// the link kept, and nothing else is left in the directory.
#[cfg(unix)]
#[test]
fn export_output_paths_follow_links_and_never_replace_special_files() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let trace = "assets/lambda-handler-5runs.txt";
    let (code, to_stdout, _) = lmms(&["export", trace, "--lazy", "pandas", "-o", "-"]);
    assert_eq!(code, 0);
    assert!(to_stdout.contains("fast_path.py"));
    let (code, via_proc, err) =
        lmms(&["export", trace, "--lazy", "pandas", "-o", "/proc/self/fd/1"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(via_proc, to_stdout);
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(d.join("real/fast_path.py"), "old").unwrap();
    std::os::unix::fs::symlink("real/fast_path.py", d.join("link.py")).unwrap();
    let link = d.join("link.py");
    let l = link.to_str().unwrap();
    // An existing file is never overwritten unasked: without a terminal, --force is needed.
    let (code, _, err) = lmms(&["export", trace, "--lazy", "pandas", "-o", l]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("exists: --force overwrites it"), "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("real/fast_path.py")).unwrap(),
        "old"
    );
    let (code, _, err) = lmms(&["export", trace, "--lazy", "pandas", "-o", l, "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(d.join("real/fast_path.py")).unwrap(),
        to_stdout
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_dir(d.join("real")).unwrap().count(), 1);
}

/// The export's header: the recording's date, or says it is unknown (never today's), and no
/// instructions for the tool inside the user's source file.
#[test]
fn the_export_header_dates_the_profile_honestly() {
    let (_, undated, _) = lmms(&["export", "assets/lambda-handler-5runs.txt"]);
    assert!(
        undated.contains("Profiled (date unknown) with lmms-tui"),
        "{undated}"
    );
    assert!(undated.contains("Target: none set."), "{undated}");
    assert!(!undated.contains("lmms-tui: p"), "{undated}");
    let (_, dated, _) = lmms(&["export", "assets/lambda-handler-trace.json"]);
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("assets/lambda-handler-trace.json").unwrap())
            .unwrap();
    let day = &trace["recorded_at"].as_str().unwrap()[..10];
    assert!(
        dated.contains(&format!("Profiled {day} with lmms-tui")),
        "{dated}"
    );
}

/// `--format github`: the text plus one annotation per failure, and the job summary appended
/// to `$GITHUB_STEP_SUMMARY`; `--format json`: the same verdict as figures. Same exit status.
#[test]
fn check_annotates_github_and_speaks_json() {
    let dir = tempfile::tempdir().unwrap();
    let regressed = boto3_regressed(dir.path());
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
        .args([
            "check",
            &regressed,
            "--baseline",
            TRACE,
            "--budget-ms",
            "100",
        ])
        .args(["--format", "github"])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error ")).collect();
    assert_eq!(errors.len(), 2, "{text}");
    assert!(
        errors[0].starts_with("::error title=lmms-tui check::cold start ")
            && errors[0].ends_with("over the 100 ms budget"),
        "{text}"
    );
    assert!(
        errors[1].starts_with(
            "::error title=lmms-tui check%3A packages that regressed::boto3 3.7 [3.5–6.2] ms → 5.5"
        ) && errors[1].contains("p = 0.004;"),
        "{text}"
    );
    // The plain verdict follows, for the log, where the runner reads no command.
    let text = crate::common::unpaused(&text);
    assert!(text.contains("✗ packages that regressed:") && text.ends_with("check FAILED\n"));
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.starts_with("earlier step\n### lmms-tui check FAILED ✗"),
        "{md}"
    );
    assert!(md.contains("  - boto3 3.7 \\[3.5–6.2\\] ms"), "{md}");

    let (code, json, _) = lmms(&[
        "check",
        &regressed,
        "--baseline",
        TRACE,
        "--budget-ms",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["passed"], false);
    assert_eq!(v["budget"]["within"], false);
    let boto3 = &v["baseline"]["regressed_packages"][0];
    assert_eq!(boto3["name"], "boto3");
    // The text's figures, unrounded.
    let tenths = |v: &serde_json::Value| (v.as_f64().unwrap() * 10.0).round() / 10.0;
    assert_eq!(tenths(&boto3["before_runs"]["median_ms"]), 3.7);
    assert_eq!(tenths(&boto3["after_runs"]["median_ms"]), 5.5);
    assert_eq!(tenths(&boto3["after_runs"]["max_ms"]), 9.3);
    assert!(
        (boto3["p"].as_f64().unwrap() - 0.004).abs() < 0.0005,
        "{boto3}"
    );
    // Passing: status 0 in every format.
    for format in ["text", "github", "json"] {
        let (code, _, _) = lmms(&["check", TRACE, "--baseline", TRACE, "--format", format]);
        assert_eq!(code, 0, "{format}");
    }
}

/// A trace's names reach generated code only as validated identifiers, and its comments only
/// escaped: a module kept loaded by an importer named with NUL, BEL, OSC 52, ESC[2J, C1 and a
/// bidi override writes a fast_path.py that Python compiles, and nothing raw reaches the file
/// or the terminal.
#[test]
fn hostile_importer_names_stay_inside_escaped_comments() {
    let evil = "evil\u{0}\u{7}\u{1b}]52;c;ZXZpbA==\u{7}\u{1b}[2J\u{9b}\u{202e}x";
    let trace = serde_json::json!({
        "format": "lmms-tui-trace", "version": 1, "runs": 1, "edges_complete": true,
        "modules": [
            {"name": "lib", "parent": evil, "self_us": [100], "cumulative_us": [100],
             "importers": [evil, "app"], "class": "third-party"},
            {"name": evil, "parent": "tp", "self_us": [50], "cumulative_us": [150],
             "importers": [], "class": "third-party"},
            {"name": "tp", "parent": "app", "self_us": [5], "cumulative_us": [155],
             "importers": [], "class": "third-party"},
            {"name": "app", "parent": null, "self_us": [10], "cumulative_us": [165],
             "importers": [], "class": "program"},
        ]
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.json");
    std::fs::write(&path, trace.to_string()).unwrap();
    let out_file = dir.path().join("fast_path.py");
    let p = path.to_str().unwrap();
    let (code, out, err) = lmms(&["export", p, "--lazy", "lib", "-o", "-"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = lmms(&[
        "export",
        p,
        "--lazy",
        "lib",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(out.contains("stays loaded: evil\\u{0}"), "{out}");
    let raw = |t: &str| t.contains(['\u{0}', '\u{7}', '\u{1b}', '\u{9b}', '\u{202e}']);
    assert!(!raw(&out) && !raw(&err) && !raw(&written), "{out:?}");
    let compiled = std::process::Command::new("python3")
        .args(["-m", "py_compile"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
}

/// A package the baseline lacks fails the check, named with its cost and how it loads — even
/// where the total's growth would otherwise read as a slower machine — unless accepted, and
/// accepting it takes its time out of the total.
#[test]
fn a_new_package_fails_unless_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let before = runs_as_files(RERUN, dir.path(), "before", str::to_string);
    let with_new = |line: &str| match line.trim_end().ends_with("| handler") {
        true => format!("import time:     50000 |      50000 |   newpkg\n{line}"),
        false => line.to_string(),
    };
    let after = runs_as_files(RERUN, dir.path(), "after", with_new);
    let check = |extra: &[&str]| {
        let mut args: Vec<&str> = vec!["check"];
        args.extend(after.iter().map(String::as_str));
        args.push("--baseline");
        args.extend(before.iter().map(String::as_str));
        args.extend(extra);
        lmms(&args)
    };
    let (code, out, _) = check(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("✗ new dependency newpkg: 50.0 [50.0–50.0] ms, not in the baseline"),
        "{out}"
    );
    assert!(out.contains("program › handler › newpkg"), "{out}");
    assert!(!out.contains("everything ran slower alike"), "{out}");
    let (code, out, _) = check(&["--allow-new", "newpkg"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("✓ new dependency newpkg: 50.0 [50.0–50.0] ms, accepted"),
        "{out}"
    );
    assert!(out.contains("✓ total import time"), "{out}");
}
