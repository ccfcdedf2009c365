//! The Python tracer's own unit tests (`tracer/tests`, stdlib unittest), run under every
//! CPython 3.7+ this machine has: `python3` on PATH, `python3.N` on PATH that runs, and pyenv's
//! versions. Each interpreter that ran is named on the terminal.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `(major, minor)` of an interpreter that runs, or None.
fn version(python: &Path) -> Option<(u32, u32)> {
    let out = Command::new(python)
        .args(["-c", "import sys; print('%d %d' % sys.version_info[:2])"])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let mut parts = text.split_whitespace().map(|p| p.parse().ok());
    out.status
        .success()
        .then(|| Some((parts.next()??, parts.next()??)))?
}

/// One interpreter per version 3.7 and later.
pub(crate) fn interpreters() -> BTreeMap<(u32, u32), PathBuf> {
    let mut candidates: Vec<PathBuf> = vec!["python3".into()];
    candidates.extend((7..=15).map(|minor| PathBuf::from(format!("python3.{minor}"))));
    let pyenv = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".pyenv")));
    if let Some(Ok(versions)) = pyenv.map(|root| std::fs::read_dir(root.join("versions"))) {
        candidates.extend(versions.flatten().map(|v| v.path().join("bin/python3")));
    }
    let mut found = BTreeMap::new();
    for python in candidates {
        if let Some(v) = version(&python).filter(|v| *v >= (3, 7)) {
            found.entry(v).or_insert(python);
        }
    }
    found
}

#[test]
fn the_tracers_unit_tests_pass_on_every_interpreter() {
    let tracer = Path::new(env!("CARGO_MANIFEST_DIR")).join("tracer");
    let found = interpreters();
    assert!(!found.is_empty(), "no CPython 3.7+ found (python3 on PATH)");
    let mut ran = Vec::new();
    for ((major, minor), python) in &found {
        let out = Command::new(python)
            .args(["-m", "unittest", "discover", "-s", "tests", "-t", "."])
            .current_dir(&tracer)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.contains("\nOK"),
            "{} ({major}.{minor}):\n{stderr}",
            python.display()
        );
        ran.push(format!("{major}.{minor}"));
    }
    let _ = writeln!(
        std::io::stderr().lock(),
        "tracer unit tests passed on Python {}",
        ran.join(", ")
    );
}
