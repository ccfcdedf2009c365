//! `check` judging a package by its modules against the other packages', on two real
//! recordings of the Lambda handler made a minute apart (three runs each, so the rank test over
//! runs cannot go below p = 0.05 and cannot fail a package: what fails one here is its modules).

use std::collections::HashMap;
use std::path::Path;

use crate::common::lmms;

const A: &str = "tests/data/cpython3.11-handler-3runs-a.json";
const B: &str = "tests/data/cpython3.11-handler-3runs-b.json";

/// `source` with every module of `package` `factor` times slower in every run: its own time,
/// and the cumulative time of it and each module above it.
fn slower(source: &str, package: &str, factor: f64, dir: &Path) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
    let mut trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let modules = trace["modules"].as_array_mut().unwrap();
    let index: HashMap<String, usize> = (modules.iter().enumerate())
        .map(|(i, m)| (m["name"].as_str().unwrap().to_string(), i))
        .collect();
    let of_package = |name: &str| name == package || name.starts_with(&format!("{package}."));
    for i in 0..modules.len() {
        if !of_package(modules[i]["name"].as_str().unwrap()) {
            continue;
        }
        let own: Vec<u64> = (modules[i]["self_us"].as_array().unwrap().iter())
            .map(|v| v.as_u64().unwrap())
            .collect();
        for (run, own) in own.into_iter().enumerate() {
            let extra = (own as f64 * (factor - 1.0)).round() as u64;
            modules[i]["self_us"][run] = (own + extra).into();
            // Up the parent chain, each ancestor once.
            let mut at = Some(i);
            let mut seen = Vec::new();
            while let Some(j) = at.filter(|j| !seen.contains(j)) {
                seen.push(j);
                let cumulative = modules[j]["cumulative_us"][run].as_u64().unwrap();
                modules[j]["cumulative_us"][run] = (cumulative + extra).into();
                at = modules[j]["parent"]
                    .as_str()
                    .and_then(|p| index.get(p).copied());
            }
        }
    }
    let out = dir.join(format!("{package}.json"));
    std::fs::write(&out, trace.to_string()).unwrap();
    out.display().to_string()
}

/// The packages `check` names as regressed.
fn regressed(out: &str) -> Vec<String> {
    out.split("✗ packages that regressed:\n")
        .nth(1)
        .map(|section| {
            (section.lines())
                .take_while(|l| l.starts_with("    "))
                .map(|l| l.split_whitespace().next().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn unchanged_recordings_pass_both_ways() {
    for (trace, baseline) in [(A, B), (B, A)] {
        let (code, out, err) = lmms(&["check", trace, "--baseline", baseline]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("its modules stand 4+ spreads above"), "{out}");
        // What grew is shown on a pass, each package with why it did not count.
        let growers: Vec<&str> = (out.split("packages that grew most").nth(1).unwrap().lines())
            .skip(1)
            .take_while(|l| l.starts_with("    "))
            .collect();
        assert!(!growers.is_empty(), "{out}");
        assert!(
            (growers.iter())
                .all(|l| l.ends_with("(below the floors)") || l.ends_with("(not significant)")),
            "{out}"
        );
    }
}

#[test]
fn a_package_thirty_percent_slower_is_found_by_its_modules_with_three_runs() {
    let dir = tempfile::tempdir().unwrap();
    for (trace, baseline, package, factor) in [
        (B, A, "boto3", 1.3),
        (A, B, "boto3", 1.3),
        (B, A, "pandas", 1.5),
    ] {
        let slowed = slower(trace, package, factor, dir.path());
        let (code, out, err) = lmms(&["check", &slowed, "--baseline", baseline]);
        assert_eq!(code, 1, "{out}{err}");
        assert_eq!(regressed(&out), [package], "{out}");
        assert!(out.contains(&format!("    {package} ")) && out.contains("  (regressed)"));
        let line = (out.lines())
            .find(|l| l.trim_start().starts_with(&format!("{package} ")))
            .unwrap();
        // Three runs a side: the rank test over runs cannot go below 0.05.
        assert!(line.contains("p = 0.050;"), "{line}");
        assert!(line.contains("spreads (") && line.contains("above the other packages'"));
        // Its change with the machine's share taken out is near what was done to it.
        let pct: f64 = (line.split("; +").nth(1))
            .and_then(|rest| rest.split('%').next())
            .unwrap()
            .parse()
            .unwrap();
        let done = (factor - 1.0) * 100.0;
        assert!((pct - done).abs() < 8.0, "{line}");
        let (_, json, _) = lmms(&["check", &slowed, "--baseline", baseline, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let among = &v["baseline"]["regressed_packages"][0]["among_packages"];
        assert_eq!(
            (among["tested"].as_bool(), among["shifted"].as_bool()),
            (Some(true), Some(true))
        );
        assert!(among["z"].as_f64().unwrap() >= 4.0, "{among}");
    }
}

#[test]
fn with_two_runs_a_side_a_package_is_not_placed_among_the_others() {
    // A pair's median keeps a disturbed run: the test needs three runs a side.
    let dir = tempfile::tempdir().unwrap();
    let two = |source: &str, name: &str| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(source);
        let mut trace: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        trace["runs"] = 2.into();
        for m in trace["modules"].as_array_mut().unwrap() {
            for key in ["self_us", "cumulative_us"] {
                m[key].as_array_mut().unwrap().truncate(2);
            }
        }
        if let Some(gc) = trace["gc"].as_object_mut() {
            gc.values_mut()
                .for_each(|v| v.as_array_mut().unwrap().truncate(2));
        }
        let out = dir.path().join(name);
        std::fs::write(&out, trace.to_string()).unwrap();
        out.display().to_string()
    };
    let (a, b) = (two(A, "a2.json"), two(B, "b2.json"));
    let slowed = slower(&b, "pandas", 1.5, dir.path());
    let (code, out, _) = lmms(&["check", &slowed, "--baseline", &a]);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("spreads above the other packages"), "{out}");
    assert!(out.contains("cannot go below p = 0.167"), "{out}");
}
