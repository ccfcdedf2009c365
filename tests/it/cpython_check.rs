//! The projection against CPython on real programs with packages from PyPI: a Lambda-style
//! handler (boto3, requests, websocket-client, pandas), and a scientific program (numpy,
//! pandas, scipy.stats, sklearn.linear_model, matplotlib.pyplot) where third-party packages
//! import what the program defers. The modules a projection drops must be the modules really
//! missing when the program runs without that import. Builds each venv once (under the target
//! directory); skips, saying so, when PyPI cannot be reached.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{
    module_entry, real_vs_projected, report_json, succeeded, sys_modules, without_line,
};

const PACKAGES: &[&str] = &[
    "boto3",
    "requests",
    "websocket-client",
    "pandas",
    "python-dateutil",
];

const SCIENCE: &[&str] = &["numpy", "pandas", "scipy", "scikit-learn", "matplotlib"];

/// A venv with the packages, or why there is none.
fn venv() -> Result<PathBuf, String> {
    venv_with("cpython-check-venv", PACKAGES)
}

fn venv_with(name: &str, packages: &[&str]) -> Result<PathBuf, String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
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
        .args(packages)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "pip install {} failed: {}",
            packages.join(" "),
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

    succeeded(
        Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
            .args(["record", "--runs", "1", "-o", "trace.json", "--"])
            .arg(&python)
            .args(["-c", "import handler"])
            .current_dir(dir.path()),
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

/// `lmms-tui record` of `import app` in `dir`, with extra arguments; stderr returned.
fn record(dir: &Path, python: &Path, extra: &[&str]) -> String {
    succeeded(
        Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
            .args(["record"])
            .args(extra)
            .arg("--")
            .arg(python)
            .args(["-c", "import app"])
            .current_dir(dir),
    )
    .1
}

#[test]
fn scientific_program_scope_and_measured_edits() {
    let python = match venv_with("cpython-science-venv", SCIENCE) {
        Ok(p) => p,
        Err(why) => {
            eprintln!(
                "SKIPPED scientific_program_scope_and_measured_edits: no PyPI packages ({why})"
            );
            return;
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("app.py"),
        "import numpy\nfrom pandas import DataFrame\nimport scipy.stats\n\
         import sklearn.linear_model\nimport matplotlib.pyplot\n",
    )
    .unwrap();
    let stderr = record(
        d,
        &python,
        &["--runs", "3", "--lazy", "pandas", "-o", "trace.json"],
    );
    let full = sys_modules(&python, d, "import app");

    // pandas (imported `from pandas import DataFrame`) and scipy.stats: scikit-learn imports
    // them too. Your edit drops nothing, as in
    // CPython, and the projection says who keeps them.
    for (module, line) in [
        ("pandas", "from pandas import DataFrame"),
        ("scipy.stats", "import scipy.stats"),
    ] {
        let r = report_json(d, &["trace.json", "--lazy", module]);
        let (missing, dropped) =
            real_vs_projected(&r, &full, &without_line(&python, d, line), "app");
        assert!(missing.is_empty(), "CPython keeps {module}: {missing:?}");
        assert!(dropped.is_empty(), "{module}: {dropped:?}");
        let kept = &r["projection"]["kept_loaded"][0];
        assert_eq!(kept["name"], module);
        let chain = kept["chain"].as_array().unwrap();
        let importer = chain[chain.len() - 2].as_str().unwrap();
        let class = module_entry(&r, importer)["class"].clone();
        assert_eq!(class, "third-party", "{module} kept by {importer}");
        eprintln!("{module} stays loaded: {chain:?}");
    }
    // sklearn: the program imports only sklearn.linear_model, which needs its package.
    let r = report_json(d, &["trace.json", "--lazy", "sklearn"]);
    assert_eq!(r["projection"]["dropped_modules"], serde_json::json!([]));
    assert_eq!(r["projection"]["kept_loaded"][0]["reason"], "package");
    // record --lazy pandas made the edit (`from pandas import DataFrame` became a binding that
    // imports on first use) and saw pandas load anyway, by scikit-learn.
    assert!(
        stderr
            .contains("not deferred: pandas loaded anyway at start-up, first imported by sklearn"),
        "{stderr}"
    );

    // matplotlib.pyplot: the projection drops what CPython drops (failed optional imports and
    // modules that C code made aside: at most 3 either way).
    let stderr = record(
        d,
        &python,
        &[
            "--runs",
            "7",
            "--lazy",
            "matplotlib.pyplot",
            "-o",
            "trace.json",
        ],
    );
    let r = report_json(d, &["trace.json", "--lazy", "matplotlib.pyplot"]);
    let real = without_line(&python, d, "import matplotlib.pyplot");
    let (missing, dropped) = real_vs_projected(&r, &full, &real, "app");
    let projected_only: Vec<&String> = dropped.difference(&missing).collect();
    let real_only: Vec<&String> = missing.difference(&dropped).collect();
    eprintln!(
        "matplotlib.pyplot deferred: CPython drops {}, the projection {}; projected only {projected_only:?}, real only {real_only:?}",
        missing.len(),
        dropped.len()
    );
    assert!(missing.len() > 100, "{}", missing.len());
    assert!(projected_only.len() + real_only.len() <= 3);
    // The edit, made for real, leaves out the same modules.
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("trace.json")).unwrap()).unwrap();
    let edited: std::collections::BTreeSet<String> = trace["measured"][0]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    let timed: std::collections::BTreeSet<String> = trace["modules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["shutdown"] != true)
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    let edit_dropped: std::collections::BTreeSet<String> =
        timed.difference(&edited).cloned().collect();
    let projected: std::collections::BTreeSet<String> = r["projection"]["dropped_modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    assert!(
        edit_dropped.symmetric_difference(&projected).count() <= 3,
        "edit drops {} modules, projection {}: {:?}",
        edit_dropped.len(),
        projected.len(),
        edit_dropped
            .symmetric_difference(&projected)
            .collect::<Vec<_>>()
    );
    // A saving above the noise, set beside the projection with its interval.
    let m = &r["projection"]["measured"];
    assert_eq!(m["not_deferred"], serde_json::json!([]));
    assert!(m["saved"]["low_ms"].as_f64().unwrap() > 0.0, "{m}");
    let line = stderr.lines().find(|l| l.contains("made lazy")).unwrap();
    eprintln!("{line}");
    assert!(
        m["projection_within_interval"] == true || line.contains("outside the interval"),
        "{line}"
    );
}
