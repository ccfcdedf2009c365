//! Test helpers: an independent, deliberately naive reading of CPython's raw lines, so tests
//! compare the readers against the text itself rather than against their own output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the binary in the package root: (exit status, stdout, stderr).
pub fn lmms(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

pub fn asset(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets")
        .join(name)
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawLine {
    pub level: usize,
    pub self_us: u64,
    pub cumulative_us: u64,
    pub name: String,
}

/// Runs of a clean file (one header per run), each a list of timed lines.
pub fn raw_runs(text: &str) -> Vec<Vec<RawLine>> {
    let mut runs: Vec<Vec<RawLine>> = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("import time:") else {
            continue;
        };
        if rest.contains("self [us]") {
            runs.push(Vec::new());
            continue;
        }
        let cols: Vec<&str> = rest.split('|').collect();
        let name_col = cols[2];
        let name = name_col.trim_start();
        let indent = name_col.len() - name.len() - 1;
        runs.last_mut().unwrap().push(RawLine {
            level: indent / 2,
            self_us: cols[0].trim().parse().unwrap(),
            cumulative_us: cols[1].trim().parse().unwrap(),
            name: name.to_string(),
        });
    }
    runs
}

/// The parent of line i in post-order: the first later line at a lower level.
pub fn raw_parent(run: &[RawLine], i: usize) -> Option<&str> {
    run[i + 1..]
        .iter()
        .find(|l| l.level < run[i].level)
        .map(|l| l.name.as_str())
}

/// Median as documented: even counts take the mean of the middle two, rounded half up.
pub fn median(mut v: Vec<u64>) -> u64 {
    v.sort();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]).div_ceil(2)
    }
}
