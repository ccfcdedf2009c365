//! `[tool.lmms-tui]` in pyproject.toml: found from the current directory up (or named by
//! `--config`), read as the long flags it names, overridden by the command line, and refused
//! in one line naming the file when wrong.

use std::path::Path;

use crate::common::{asset, bin, report_json, write_files};

const TABLE: &str = "[project]\nname = \"app\"\n\n[tool.lmms-tui]\nbudget-ms = 150\n\
                     lazy = [\"pandas\"]\nusage = { pandas = 5 }\nrequests-per-day = 20000\n\
                     tolerance = 10\nsnapstart = false\n";

fn trace() -> String {
    asset("lambda-handler-5runs.txt").display().to_string()
}

/// (status, stderr) of `lmms-tui ARGS` run in `dir`.
fn fails(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = bin().args(args).current_dir(dir).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_table_is_the_flags_it_names_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("pyproject.toml", TABLE), ("src/app/.keep", "")],
    );
    let below = dir.path().join("src/app");
    let trace = trace();
    // From a directory below the file, the table applies; `tolerance` (a `check` flag) is
    // skipped by `report`.
    let from_file = report_json(&below, &[&trace]);
    let from_flags = report_json(
        Path::new("/"),
        &[
            &trace,
            "--budget-ms",
            "150",
            "--lazy",
            "pandas",
            "--usage",
            "pandas=5",
            "--requests-per-day",
            "20000",
        ],
    );
    assert_eq!(from_file["projection"], from_flags["projection"]);
    assert_eq!(from_file["projection"]["budget_ms"], 150.0);
    assert_eq!(from_file["projection"]["lazy"][0]["name"], "pandas");
    // The command line wins over the file.
    let overridden = report_json(&below, &[&trace, "--budget-ms", "400"]);
    assert_eq!(overridden["projection"]["budget_ms"], 400.0);
    assert_eq!(
        overridden["projection"]["params"]["requests_per_day"],
        20000.0
    );
    // `check` takes its own keys from the same table.
    let out = bin()
        .args(["check", &trace])
        .current_dir(&below)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("within the 150 ms budget (with the plan's deferred imports)"),
        "{text}"
    );
    // And says where the budget came from: the file and each flag it gave, on one line.
    let said = String::from_utf8_lossy(&out.stderr);
    let line = said
        .lines()
        .find(|l| l.contains("[tool.lmms-tui] gives"))
        .unwrap_or("");
    assert!(
        line.contains("pyproject.toml")
            && line.contains("--budget-ms=150")
            && line.contains("--tolerance"),
        "{said}"
    );
}

#[test]
fn paths_in_the_file_are_relative_to_it() {
    let dir = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(asset("lambda-handler-5runs.txt")).unwrap();
    write_files(
        dir.path(),
        &[
            ("traces/base.txt", &base),
            (
                "pyproject.toml",
                "[tool.lmms-tui]\nbaseline = [\"traces/base.txt\"]\n",
            ),
            ("deep/er/.keep", ""),
        ],
    );
    let json = report_json(&dir.path().join("deep/er"), &[&trace()]);
    assert_eq!(
        json["comparison"]["total_before_us"],
        json["comparison"]["total_after_us"]
    );
}

#[test]
fn a_wrong_table_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let trace = trace();
    for (table, said) in [
        ("budgett = 3", "unknown key `budgett`"),
        (
            "budget-ms = \"soon\"",
            "invalid value 'soon' for '--budget-ms <MS>'",
        ),
        ("snapstart = 1", "`snapstart` is a switch"),
        (
            "output = \"x.json\"",
            "`output` can only be given on the command line",
        ),
        ("lazy = [[1]]", "`lazy`"),
        ("usage = { pandas = 500 }", "--usage"),
    ] {
        write_files(
            dir.path(),
            &[("pyproject.toml", &format!("[tool.lmms-tui]\n{table}\n"))],
        );
        let (code, err) = fails(dir.path(), &["report", &trace]);
        assert_eq!(code, 2, "{table}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("pyproject.toml: [tool.lmms-tui]"), "{err}");
        assert!(err.contains(said), "{table}: {err}");
    }
    write_files(dir.path(), &[("pyproject.toml", "[tool.lmms-tui\nx = 1\n")]);
    let (code, err) = fails(dir.path(), &["report", &trace]);
    assert_eq!(code, 2);
    assert!(err.contains("pyproject.toml:1: not valid TOML"), "{err}");
    // `--config` names a file that must have the table.
    write_files(dir.path(), &[("other.toml", "[tool.black]\n")]);
    let (code, err) = fails(dir.path(), &["report", "--config", "other.toml", &trace]);
    assert_eq!(code, 2);
    assert!(
        err.contains("other.toml: has no [tool.lmms-tui] table"),
        "{err}"
    );
}

/// A pyproject.toml without the table does not stop the search: the nearest one with it counts.
#[test]
fn the_nearest_file_with_the_table_counts() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("pyproject.toml", "[tool.lmms-tui]\nbudget-ms = 99\n"),
            ("pkg/pyproject.toml", "[project]\nname = \"pkg\"\n"),
        ],
    );
    let json = report_json(&dir.path().join("pkg"), &[&trace()]);
    assert_eq!(json["projection"]["budget_ms"], 99.0);
    let named = report_json(
        &dir.path().join("pkg"),
        &[
            &trace(),
            "--config",
            dir.path().join("pyproject.toml").to_str().unwrap(),
        ],
    );
    assert_eq!(named["projection"]["budget_ms"], 99.0);
}

/// `record` takes its own keys (`runs`) from the table, but not `lazy`, which would add timed
/// runs of an edit the file meant for the what-if.
#[test]
fn record_takes_runs_but_not_lazy() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "pyproject.toml",
            "[tool.lmms-tui]\nruns = 2\nwarmup = 0\nlazy = [\"json\"]\n",
        )],
    );
    let out = bin()
        .args([
            "record",
            "-o",
            "t.json",
            "--",
            "python3",
            "-c",
            "import json",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = report_json(dir.path(), &["t.json"]);
    assert_eq!(json["trace"]["runs"], 2);
    assert!(json["projection"]["measured"].is_null());
}

#[test]
fn the_config_is_in_json_and_its_absent_modules_are_a_note() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("pyproject.toml", TABLE)]);
    let trace = trace();
    // Both JSON outputs name the file and each flag it gave.
    let report = report_json(dir.path(), &[&trace]);
    assert_eq!(
        report["config"]["file"],
        dir.path().join("pyproject.toml").display().to_string()
    );
    let flags: Vec<&str> = (report["config"]["flags"].as_array().unwrap().iter())
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        flags.contains(&"--budget-ms=150") && flags.contains(&"--usage=pandas=5"),
        "{flags:?}"
    );
    let out = bin()
        .args(["check", &trace, "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let check: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // `check` takes `tolerance` too.
    assert_eq!(check["config"]["file"], report["config"]["file"]);
    let check_flags = check["config"]["flags"].as_array().unwrap();
    assert_eq!(check_flags.len(), flags.len() + 1);
    assert!(check_flags.contains(&serde_json::json!("--tolerance=10")));
    assert_eq!(
        report_json(Path::new("/"), &[&trace])["config"],
        serde_json::Value::Null
    );
    // A trace without pandas: the file's `lazy` and `usage` of it are a note, not an error.
    let stdlib = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cpython3.11-stdlib.txt");
    let stdlib = stdlib.display().to_string();
    let (code, err) = fails(dir.path(), &["report", &stdlib]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("[tool.lmms-tui] names 1 module not in this trace, ignored: pandas"),
        "{err}"
    );
    // The same name typed on the command line is still refused: likely a typo.
    let (code, err) = fails(dir.path(), &["report", &stdlib, "--lazy", "pandas"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("module `pandas` is not in the trace"), "{err}");
}
