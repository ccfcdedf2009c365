//! The GitHub Action's script (`action/check.sh`, run by `action.yml` after installing): it
//! records the command, checks with annotations and appends the job summary; a budget the
//! program cannot meet fails the step.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run_action(dir: &Path, budget_ms: &str, baseline: &str) -> (i32, String, String) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_lmms-tui")).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .arg(root.join("action/check.sh"))
        .current_dir(dir)
        .env("PATH", path)
        .env("INPUT_COMMAND", "python3 -c 'import json, email.parser'")
        .env("INPUT_RUNS", "3")
        .env("INPUT_BUDGET_MS", budget_ms)
        .env("INPUT_BASELINE", baseline)
        .env("INPUT_ARGS", "--tolerance 50 --min-ms 5")
        .env("INPUT_TRACE", "trace.json")
        .env("GITHUB_STEP_SUMMARY", dir.join("summary.md"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_action_records_checks_and_annotates() {
    let dir = tempfile::tempdir().unwrap();
    // A generous budget, no baseline: passes, and the trace is where the input said.
    let (code, out, err) = run_action(dir.path(), "10000", "");
    assert_eq!(code, 0, "{out}{err}");
    let out = crate::common::unpaused(&out);
    assert!(dir.path().join("trace.json").is_file());
    assert!(
        out.contains("✓ cold start") && out.ends_with("check passed\n"),
        "{out}"
    );
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("### lmms-tui check passed ✓"), "{summary}");
    // Against that trace as the baseline, with a budget no program meets: the step fails, and
    // the budget is annotated as an error.
    std::fs::rename(dir.path().join("trace.json"), dir.path().join("base.json")).unwrap();
    let (code, out, _) = run_action(dir.path(), "0.001", "base.json");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.lines().any(
            |l| l.starts_with("::error title=lmms-tui check::cold start ")
                && l.ends_with("over the 0.001 ms budget")
        ),
        "{out}"
    );
    assert!(out.contains("vs the baseline:"), "{out}");
}
