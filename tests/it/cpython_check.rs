//! The projection against CPython on a real Lambda-style program: boto3, requests,
//! websocket-client and pandas from PyPI. The modules the projection drops when boto3 is
//! deferred must be the modules really missing when the program runs without importing
//! boto3. Builds a venv once (under the target directory); skips, saying so, when PyPI
//! cannot be reached.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{real_vs_projected, report_json, sys_modules};

const PACKAGES: &[&str] = &[
    "boto3",
    "requests",
    "websocket-client",
    "pandas",
    "python-dateutil",
];

/// A venv with the packages, or why there is none.
fn venv() -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cpython-check-venv");
    let python = dir.join("bin/python");
    let ready = dir.join("ready");
    if ready.exists() {
        return Ok(python);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "python3 -m venv failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PACKAGES)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "pip install {} failed: {}",
            PACKAGES.join(" "),
            err.lines().last().unwrap_or("")
        ));
    }
    std::fs::write(&ready, "").unwrap();
    Ok(python)
}

#[test]
fn deferring_boto3_drops_what_cpython_drops() {
    let python = match venv() {
        Ok(p) => p,
        Err(why) => {
            eprintln!("SKIPPED deferring_boto3_drops_what_cpython_drops: no PyPI packages ({why})");
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let handler = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/lambda_handler.py"),
    )
    .unwrap();
    std::fs::write(dir.path().join("handler.py"), &handler).unwrap();
    let without: String = handler
        .lines()
        .filter(|l| l.trim() != "import boto3")
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, handler);
    std::fs::write(dir.path().join("handler_without_boto3.py"), without).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
        .args(["record", "--runs", "1", "-o", "trace.json", "--"])
        .arg(&python)
        .args(["-c", "import handler"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = report_json(dir.path(), &["trace.json", "--lazy", "boto3"]);
    assert_eq!(report["trace"]["edges"], "full");
    let full = sys_modules(&python, dir.path(), "import handler");
    let rest = sys_modules(&python, dir.path(), "import handler_without_boto3");
    let (missing, dropped) = real_vs_projected(&report, &full, &rest, "handler");
    assert!(
        missing.len() > 100,
        "boto3 brings in its own modules: {}",
        missing.len()
    );
    let projected_only: Vec<&String> = dropped.difference(&missing).collect();
    let real_only: Vec<&String> = missing.difference(&dropped).collect();
    eprintln!(
        "boto3 deferred: CPython drops {} modules, the projection {}; projected only {:?}, real only {:?}",
        missing.len(),
        dropped.len(),
        projected_only,
        real_only
    );
    // "Nearly the same": at most 2 % either way.
    let allowed = missing.len() / 50;
    assert!(projected_only.len() <= allowed && real_only.len() <= allowed);
}
