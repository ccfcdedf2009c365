//! The projection against CPython on real programs with packages from PyPI: a Lambda-style
//! handler (boto3, requests, websocket-client, pandas), and a scientific program (numpy,
//! pandas, scipy.stats, sklearn.linear_model, matplotlib.pyplot) where third-party packages
//! import what the program defers. The modules a projection drops must be the modules really
//! missing when the program runs without that import. Builds each venv once (under the target
//! directory); skips, saying so, when PyPI cannot be reached.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use crate::common::{
    module_entry, needs, real_vs_projected, report_json, succeeded, sys_modules, timed_modules,
    without_line, without_lines,
};

const PACKAGES: &[&str] = &[
    "boto3",
    "requests",
    "websocket-client",
    "pandas",
    "python-dateutil",
    "pydantic",
    "anyio",
    "flask",
    "fastapi",
    "sqlalchemy",
    "httpx",
];

const SCIENCE: &[&str] = &["numpy", "pandas", "scipy", "scikit-learn", "matplotlib"];

/// A venv with the packages, or why there is none.
pub(crate) fn venv() -> Result<PathBuf, String> {
    venv_with("cpython-check-venv", PACKAGES)
}

/// Tests run in parallel and two of them share the scientific venv: one builds it while the
/// other waits, rather than removing it under the builder (CI saw `No module named 'cycler'`).
static BUILDING: Mutex<()> = Mutex::new(());

fn venv_with(name: &str, packages: &[&str]) -> Result<PathBuf, String> {
    let _one_builder = BUILDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let python = dir.join("bin/python");
    // Built for these packages, or built again: a list that grew needs its new packages.
    let ready = dir.join("ready");
    if std::fs::read_to_string(&ready).is_ok_and(|built| built == packages.join(" ")) {
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
    std::fs::write(&ready, packages.join(" ")).unwrap();
    Ok(python)
}

#[test]
fn deferring_boto3_drops_what_cpython_drops() {
    let Some(python) = needs(venv().map_err(|why| format!("PyPI packages ({why})"))) else {
        return;
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

/// The scientific venv's interpreter, or `None` after saying what is missing.
fn science_python() -> Option<PathBuf> {
    needs(
        venv_with("cpython-science-venv", SCIENCE).map_err(|why| format!("PyPI packages ({why})")),
    )
}

#[test]
fn scientific_program_scope_and_measured_edits() {
    let Some(python) = science_python() else {
        return;
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
    // sklearn: the program imports only sklearn.linear_model, which needs its package; a
    // package covers your imports of its submodules, so deferring sklearn edits that one.
    let r = report_json(d, &["trace.json", "--lazy", "sklearn"]);
    let line = "import sklearn.linear_model";
    let (missing, dropped) = real_vs_projected(&r, &full, &without_line(&python, d, line), "app");
    assert!(missing.contains("sklearn.linear_model"), "{missing:?}");
    assert_eq!(dropped, missing);
    // record --lazy pandas made the edit (`from pandas import DataFrame` became a binding that
    // imports on first use) and saw pandas load anyway, by scikit-learn.
    assert!(
        stderr
            .contains("not deferred: pandas loaded anyway at start-up, first imported by sklearn"),
        "{stderr}"
    );

    // matplotlib.pyplot: the projection drops exactly what CPython drops.
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
    assert_eq!(dropped, missing);
    // The edit, made for real, leaves out the same modules.
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("trace.json")).unwrap()).unwrap();
    let edited: std::collections::BTreeSet<String> = trace["measured"][0]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    // What a -X importtime run can show: modules with a line, on both sides.
    let timed = timed_modules(&trace);
    let edit_dropped: std::collections::BTreeSet<String> =
        timed.difference(&edited).cloned().collect();
    let projected: std::collections::BTreeSet<String> = r["projection"]["dropped_modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .filter(|m| timed.contains(m))
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
    // The saving is timed on a machine that may be busy: its sign is not asserted. What is
    // asserted is that the figure is an interval around its median, and that the line says
    // "within noise" exactly when the interval holds zero.
    let saved = |key: &str| m["saved"][key].as_f64().unwrap();
    assert!(
        saved("low_ms") <= saved("median_ms") && saved("median_ms") <= saved("high_ms"),
        "{m}"
    );
    let line = stderr.lines().find(|l| l.contains("made lazy")).unwrap();
    eprintln!("{line}");
    let holds_zero = saved("low_ms") <= 0.0 && saved("high_ms") >= 0.0;
    assert_eq!(line.contains("within noise"), holds_zero, "{line}");
    assert!(
        m["projection_within_interval"] == true || line.contains("outside the interval"),
        "{line}"
    );
}

/// numpy's module `__getattr__` imports numpy.ma when matplotlib.rcsetup touches `np.ma`:
/// with numpy and matplotlib.pyplot alone, deferring pyplot drops numpy.ma too, as CPython
/// does — the toucher triggers the import, not numpy — and `why` names both. matplotlib loads
/// dateutil and kiwisolver with `importlib.import_module` (no `-X importtime` line): they are
/// in the trace, untimed, in the dropped set, and `why` names the call's file and line.
#[test]
fn matplotlib_drops_what_it_triggers_and_what_import_module_loads() {
    let Some(python) = science_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("app.py"), "import numpy\nimport matplotlib.pyplot\n").unwrap();
    record(
        d,
        &python,
        &["--runs", "1", "--warmup", "1", "-o", "trace.json"],
    );
    let full = sys_modules(&python, d, "import app");
    let r = report_json(d, &["trace.json", "--lazy", "matplotlib.pyplot"]);
    let real = without_line(&python, d, "import matplotlib.pyplot");
    let (missing, dropped) = real_vs_projected(&r, &full, &real, "app");
    assert!(missing.contains("numpy.ma"), "{missing:?}");
    assert_eq!(dropped, missing);
    // Every module the edit drops is in the trace: none hides from the comparison above.
    let traced: BTreeSet<&str> = (r["modules"].as_array().unwrap().iter())
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    let untraced: Vec<&String> = (full.difference(&real))
        .filter(|m| !traced.contains(m.as_str()))
        .collect();
    assert!(untraced.is_empty(), "{untraced:?}");
    let untimed: BTreeSet<&str> = (r["modules"].as_array().unwrap().iter())
        .filter(|m| m["timed"] == false)
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    assert!(
        ["dateutil", "kiwisolver"]
            .iter()
            .all(|m| untimed.contains(m) && missing.contains(*m))
    );
    let why = |module: &str, format: &str| {
        succeeded(
            Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
                .args(["why", module, "trace.json", "--format", format])
                .current_dir(d),
        )
        .0
    };
    let numpy_ma = why("numpy.ma", "text");
    assert!(numpy_ma.contains("matplotlib.rcsetup"), "{numpy_ma}");
    assert!(numpy_ma.contains("in `__getattr__` of numpy"), "{numpy_ma}");
    let dateutil: serde_json::Value = serde_json::from_str(&why("dateutil", "json")).unwrap();
    assert_eq!(dateutil["timed"], false);
    let call = import_module_line(&python, d);
    let by_matplotlib = (dateutil["importers"].as_array().unwrap().iter())
        .find(|i| i["importer"] == "matplotlib")
        .unwrap_or_else(|| panic!("{dateutil}"));
    let sites: Vec<(&str, u64)> = (by_matplotlib["imports"].as_array().unwrap().iter())
        .filter(|i| i["module"] == "dateutil" && i["kind"] == "dynamic")
        .flat_map(|i| i["sites"].as_array().unwrap())
        .map(|s| (s["file"].as_str().unwrap(), s["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(sites, [("matplotlib/__init__.py", call)], "{dateutil}");
}

/// A class built on pydantic's `BaseModel` runs pydantic code at the program's top level,
/// which imports pydantic's internals (through a module `__getattr__` and
/// `importlib.import_module`): none of them is an import of the program's, and `export`
/// writes none. `--lazy anyio` covers the program's `import anyio.to_thread`, and drops what
/// CPython drops without both statements.
#[test]
fn pydantic_internals_are_not_yours_and_a_package_covers_its_submodules() {
    let Some(python) = needs(venv().map_err(|why| format!("PyPI packages ({why})"))) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let app = "from pydantic import BaseModel\nimport anyio\nimport anyio.to_thread\n\n\n\
               class User(BaseModel):\n    name: str\n";
    std::fs::write(d.join("app.py"), app).unwrap();
    record(d, &python, &["--runs", "1", "-o", "trace.json"]);
    let why: serde_json::Value = serde_json::from_str(
        &succeeded(
            Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
                .args([
                    "why",
                    "pydantic._internal._config",
                    "trace.json",
                    "--format",
                    "json",
                ])
                .current_dir(d),
        )
        .0,
    )
    .unwrap();
    let importers = why["importers"].as_array().unwrap();
    assert!(
        !importers.is_empty() && importers.iter().all(|i| i["your_code"] == false),
        "{why}"
    );
    for lazy in [&[][..], &["--lazy", "pydantic"]] {
        let (fast_path, _) = succeeded(
            Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
                .args(["export", "trace.json", "-o", "-"])
                .args(lazy)
                .current_dir(d),
        );
        assert!(fast_path.contains("import pydantic"), "{fast_path}");
        assert!(!fast_path.contains("import pydantic."), "{fast_path}");
    }

    let r = report_json(d, &["trace.json", "--lazy", "anyio"]);
    assert_eq!(module_entry(&r, "anyio.to_thread")["decision"], "lazy");
    let full = sys_modules(&python, d, "import app");
    let real = without_lines(&python, d, &["import anyio", "import anyio.to_thread"]);
    let (missing, dropped) = real_vs_projected(&r, &full, &real, "app");
    assert!(missing.contains("anyio.to_thread"), "{missing:?}");
    assert_eq!(dropped, missing);
}

/// The line of the installed matplotlib/__init__.py that calls `importlib.import_module`.
fn import_module_line(python: &Path, dir: &Path) -> u64 {
    let (out, _) = succeeded(Command::new(python).current_dir(dir).args([
        "-c",
        "import importlib.util as u\n\
         path = u.find_spec('matplotlib').origin\n\
         lines = open(path).read().splitlines()\n\
         print(next(i + 1 for i, l in enumerate(lines) if 'importlib.import_module(' in l))",
    ]));
    out.trim().parse().unwrap()
}

/// "Why is urllib3 loaded?" on a real recording where requests and botocore both import it:
/// both are listed, every chain is a real path of the recorded edges, each import statement's
/// file:line holds that statement in the installed package, and the program's own lines are
/// exact. Then the explorer, in a real 80×24 terminal, shows requests on its first screen.
#[test]
fn why_urllib3_lists_requests_and_botocore_with_real_chains_and_lines() {
    let Some(python) = needs(venv().map_err(|why| format!("PyPI packages ({why})"))) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("app.py"),
        "import json\n\nimport boto3\nimport requests  # the HTTP client\n",
    )
    .unwrap();
    succeeded(
        Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
            .args(["record", "--runs", "1", "-o", "trace.json", "--"])
            .arg(&python)
            .args(["-c", "import app"])
            .current_dir(d),
    );
    let why = |module: &str| -> serde_json::Value {
        let (out, _) = succeeded(
            Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
                .args(["why", module, "trace.json", "--format", "json"])
                .current_dir(d),
        );
        serde_json::from_str(&out).unwrap()
    };

    // The recorded edges, as trace.json has them: importer → module.
    let trace: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("trace.json")).unwrap()).unwrap();
    let mut edges = std::collections::BTreeSet::new();
    for m in trace["modules"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap().to_string();
        let importers = m["importers"].as_array().unwrap().iter();
        for importer in importers.chain(std::iter::once(&m["parent"])) {
            edges.insert((importer.as_str().map(String::from), name.clone()));
        }
        // A submodule loads its package.
        if let Some((package, _)) = name.rsplit_once('.') {
            edges.insert((Some(name.clone()), package.to_string()));
        }
    }
    let site_packages = {
        let out = Command::new(&python)
            .args([
                "-c",
                "import requests, os; print(os.path.dirname(os.path.dirname(requests.__file__)))",
            ])
            .output()
            .unwrap();
        PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
    };

    let answer = why("urllib3");
    let importers = answer["importers"].as_array().unwrap();
    let names: Vec<&str> = importers
        .iter()
        .filter_map(|r| r["importer"].as_str())
        .collect();
    assert!(names.contains(&"requests"), "{names:?}");
    assert!(
        names.iter().any(|n| n.starts_with("botocore.")),
        "{names:?}"
    );
    assert!(
        names.iter().all(|n| !n.starts_with("urllib3")),
        "submodules are no reason: {names:?}"
    );
    assert!(!answer["submodules"].as_array().unwrap().is_empty());
    let mut checked_lines = 0;
    for reason in importers {
        let importer = reason["importer"].as_str().unwrap();
        assert_eq!(reason["your_code"], false, "{reason}");
        // The chain starts at something the program imported and follows recorded edges.
        let chain: Vec<String> = reason["chain"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect();
        assert_eq!(chain.last().map(String::as_str), Some(importer));
        let mut from: Option<String> = None;
        for link in &chain {
            assert!(
                edges.contains(&(from.clone(), link.clone())) || (from.is_none() && link == "app"),
                "{from:?} → {link} is no recorded edge: {chain:?}"
            );
            from = Some(link.clone());
        }
        // Each recorded statement is at its file:line in the installed package.
        for import in reason["imports"].as_array().unwrap() {
            let module = import["module"].as_str().unwrap();
            assert!(edges.contains(&(Some(importer.to_string()), module.to_string())));
            if import["kind"] != "statement" {
                continue;
            }
            for site in import["sites"].as_array().unwrap() {
                let file = site_packages.join(site["file"].as_str().unwrap());
                let line = site["line"].as_u64().unwrap() as usize;
                let text = std::fs::read_to_string(&file).unwrap();
                let source = text.lines().nth(line - 1).unwrap();
                assert!(
                    source.contains("import") || source.trim_start().starts_with(')'),
                    "{}:{line} is no import statement: {source:?}",
                    file.display()
                );
                checked_lines += 1;
            }
        }
    }
    assert!(checked_lines >= 5, "{checked_lines}");
    let requests = importers
        .iter()
        .find(|r| r["importer"] == "requests")
        .unwrap();
    let site = &requests["imports"][0]["sites"][0];
    let source =
        std::fs::read_to_string(site_packages.join(site["file"].as_str().unwrap())).unwrap();
    let line = source
        .lines()
        .nth(site["line"].as_u64().unwrap() as usize - 1)
        .unwrap();
    assert!(line.contains("urllib3"), "{line}");

    // The program's own import statements: exact file, line and source.
    let answer = why("requests");
    let app = &answer["importers"][0];
    assert_eq!(app["importer"], "app");
    assert_eq!(app["your_code"], true);
    assert_eq!(app["chain"], serde_json::json!(["app"]));
    assert_eq!(
        app["imports"][0]["sites"],
        serde_json::json!([{"importer": "app", "kind": "statement", "file": "app.py",
                            "line": 4, "code": "import requests # the HTTP client"}])
    );
    let (text, _) = succeeded(
        Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
            .args(["export", "trace.json", "--lazy", "requests"])
            .current_dir(d),
    );
    assert!(
        text.contains("#   app.py:4 `import requests # the HTTP client` — move into"),
        "{text}"
    );

    // The explorer: search, Enter, 4 — requests among the importers on the first screen.
    let Some(tmux) = crate::tmux_e2e::Tmux::new("why") else {
        return;
    };
    tmux.start_sized(
        &format!(
            "cd {} && {} trace.json; sleep 60",
            d.display(),
            env!("CARGO_BIN_EXE_lmms-tui")
        ),
        80,
        24,
    );
    tmux.wait_for("modules");
    tmux.search("urllib3");
    tmux.wait_for("chain:");
    tmux.keys(&["4"]);
    let screen = tmux.wait_for("urllib3 ← ");
    assert!(screen.contains("▸ requests"), "{screen}");
    assert!(screen.contains("▸ botocore."), "{screen}");
}

/// `check` on real recordings of a program before and after its helper module starts
/// importing requests: the new dependency fails, named with the program's two lines that bring
/// it in; `--allow-new` accepts it with what only it brings; `--forbid` and `--max-modules`
/// judge the trace alone, and GitHub's annotation sits on the helper's line.
#[test]
fn check_catches_a_new_dependency_and_forbidden_modules() {
    let Some(python) = needs(venv().map_err(|why| format!("PyPI packages ({why})"))) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("app.py"), "import json\nimport helper\n").unwrap();
    std::fs::write(d.join("helper.py"), "import csv\n").unwrap();
    record(d, &python, &["--runs", "3", "-o", "base.json"]);
    std::fs::write(d.join("helper.py"), "import csv\nimport requests\n").unwrap();
    record(d, &python, &["--runs", "3", "-o", "trace.json"]);
    let check = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
            .arg("check")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let chain = "app.py:2 `import helper` (your code); helper.py:2 `import requests` (your code)";
    let (code, out) = check(&["trace.json", "--baseline", "base.json"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("✗ new dependency requests: "), "{out}");
    assert!(
        out.contains(&format!("program › app › helper › requests: {chain}")),
        "{out}"
    );
    assert!(
        !out.contains("✗ new dependency urllib3"),
        "urllib3 comes with requests: {out}"
    );
    let (_, out) = check(&[
        "trace.json",
        "--baseline",
        "base.json",
        "--allow-new",
        "requests",
    ]);
    assert!(
        out.contains("✓ new dependency requests: ") && !out.contains("✗ new dependency"),
        "{out}"
    );
    assert!(out.contains("(accepted with them)"), "{out}");

    let (code, out) = check(&["trace.json", "--forbid", "requests", "--format", "github"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("requests loaded at cold start (--forbid requests)"),
        "{out}"
    );
    assert!(out.contains(chain), "{out}");
    assert!(out.contains("::error file=helper.py,line=2,"), "{out}");
    let (code, out) = check(&["trace.json", "--forbid", "boto3", "--forbid", "url*"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("✓ boto3 not loaded at cold start"), "{out}");
    assert!(
        out.contains("urllib3 loaded at cold start (--forbid url*)"),
        "{out}"
    );
    let (code, out) = check(&[
        "base.json",
        "--forbid",
        "requests",
        "--max-modules",
        "100000",
    ]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = check(&["base.json", "--max-modules", "1"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("modules at cold start, over --max-modules 1"),
        "{out}"
    );
}
