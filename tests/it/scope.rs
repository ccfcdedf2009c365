//! Deferral scope against what CPython really does, with the machine's python3 and small
//! packages written here (a `site-packages` directory makes one third-party): a module another
//! package also imports, a submodule kept eager, an import made from code with no Python frame
//! of its own (a module `__getattr__` that is a C callable), shutdown imports, and
//! `record --lazy` making the edit for real (`from X import y` included).

use std::path::Path;
use std::process::Command;

use crate::common::{
    bin, module_entry, real_vs_projected, report_json, succeeded, sys_modules, without_line,
    without_lines, write_files,
};

/// `app` imports `heavy` itself and through the third-party `thirdpkg`; `solo` only itself;
/// `pkgx.sub` keeps its package loaded; `mid` gets `lazypkg._impl` through a module
/// `__getattr__` that is a C callable (as a C extension's import would be).
fn program() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "app.py",
            "import sys, os\n\
             sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'site-packages'))\n\
             import heavy\nimport thirdpkg\nimport solo\nimport pkgx\nimport pkgx.sub\nimport mid\n",
        ),
        ("heavy.py", "import fractions\nimport heavy_only\n"),
        ("heavy_only.py", "import decimal\n"),
        ("solo.py", "from solo_dep import value\n"),
        ("solo_dep.py", "import textwrap\nvalue = 1\n"),
        ("pkgx/__init__.py", "import pkgx.base\n"),
        ("pkgx/base.py", "import difflib\n"),
        ("pkgx/sub.py", "import shlex\n"),
        ("mid.py", "from lazypkg import thing\n"),
        (
            "lazypkg/__init__.py",
            "import functools, importlib\n\
             __getattr__ = functools.partial(importlib.import_module, 'lazypkg._impl')\n",
        ),
        ("lazypkg/_impl.py", "import colorsys\n"),
        ("site-packages/thirdpkg/__init__.py", "import heavy\n"),
        // The user's own sitecustomize: the tracer chains to it, and must never credit it.
        (
            "sitecustomize.py",
            "import atexit\natexit.register(lambda: __import__('calendar'))\n",
        ),
    ];
    write_files(dir.path(), &files);
    dir
}

/// `record` of `import app` in `dir`, which must succeed; its standard error.
fn record(dir: &Path, extra: &[&str]) -> String {
    succeeded(
        bin()
            .args(["record", "--runs", "3", "-o", "trace.json"])
            .args(extra)
            .args(["--", "python3", "-c", "import app"])
            .env("PYTHONPATH", dir)
            .current_dir(dir),
    )
    .1
}

/// What CPython loads when app.py runs without the line `drop`.
fn without(dir: &Path, drop: &str) -> std::collections::BTreeSet<String> {
    without_line(Path::new("python3"), dir, drop)
}

#[test]
fn scope_classes_and_attribution_match_cpython() {
    let dir = program();
    record(dir.path(), &[]);
    let d = dir.path();
    let full = sys_modules(Path::new("python3"), d, "import app");

    // heavy: thirdpkg (third-party) imports it too. Your edit drops nothing, as in CPython.
    let r = report_json(d, &["trace.json", "--lazy", "heavy"]);
    let (missing, dropped) = real_vs_projected(&r, &full, &without(d, "import heavy"), "app");
    assert!(
        missing.is_empty() && dropped.is_empty(),
        "{missing:?} {dropped:?}"
    );
    let kept = &r["projection"]["kept_loaded"][0];
    assert_eq!(kept["name"], "heavy");
    assert_eq!(
        kept["chain"],
        serde_json::json!(["app", "thirdpkg", "heavy"])
    );
    assert_eq!(kept["reason"], "import");
    let module = module_entry;
    assert_eq!(module(&r, "heavy")["retained_us"], 0);
    assert!(
        module(&r, "heavy")["retained_everywhere_us"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert_eq!(module(&r, "thirdpkg")["class"], "third-party");
    assert_eq!(module(&r, "heavy")["class"], "program");
    assert_eq!(module(&r, "fractions")["class"], "stdlib");
    let text = bin()
        .args(["report", "trace.json", "--lazy", "heavy", "--top", "0"])
        .current_dir(d)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("heavy stays loaded: thirdpkg (third-party) imports it — program › app › thirdpkg › heavy"),
        "{text}"
    );

    // fast_path.py says it where the edit would be made.
    let out = bin()
        .args(["export", "trace.json", "--lazy", "heavy"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(
            "import heavy  # 0 ms (shared with thirdpkg), used by 100% of requests; stays loaded: thirdpkg imports it"
        ),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // Deferred everywhere: the upper bound drops heavy and what only it brings, and says so.
    let r = report_json(d, &["trace.json", "--lazy-everywhere", "heavy"]);
    let dropped = r["projection"]["dropped_modules"].as_array().unwrap();
    assert!(dropped.contains(&"heavy".into()), "{dropped:?}");
    assert!(dropped.contains(&"heavy_only".into()), "{dropped:?}");
    let text = bin()
        .args([
            "report",
            "trace.json",
            "--lazy-everywhere",
            "heavy",
            "--top",
            "0",
        ])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&text.stdout).contains("heavy is deferred everywhere"),
        "the upper bound says what it is"
    );

    // mid's `from lazypkg import thing` runs lazypkg's module `__getattr__`, which loads
    // lazypkg._impl by import_module (no -X importtime line): deferring mid drops it, as
    // CPython does.
    let r = report_json(d, &["trace.json", "--lazy", "mid"]);
    let (missing, dropped) = real_vs_projected(&r, &full, &without(d, "import mid"), "app");
    assert!(missing.contains("lazypkg._impl"), "{missing:?}");
    assert_eq!(dropped, missing);

    // solo: only the program imports it; the projection drops what CPython drops.
    let r = report_json(d, &["trace.json", "--lazy", "solo"]);
    let (missing, dropped) = real_vs_projected(&r, &full, &without(d, "import solo"), "app");
    assert!(!missing.is_empty());
    assert_eq!(dropped, missing);

    // A package covers your imports of its submodules: `--lazy pkgx` defers `import pkgx.sub`
    // too, and drops what CPython drops without both statements.
    let r = report_json(d, &["trace.json", "--lazy", "pkgx", "--usage", "pkgx=30"]);
    let both = without_lines(Path::new("python3"), d, &["import pkgx", "import pkgx.sub"]);
    let (missing, dropped) = real_vs_projected(&r, &full, &both, "app");
    assert!(
        missing.contains("pkgx.sub") && missing.contains("shlex"),
        "{missing:?}"
    );
    assert_eq!(dropped, missing);
    assert_eq!(module_entry(&r, "pkgx.sub")["usage_pct"], 30.0);
    // A plan file says exactly what it defers: pkgx alone is kept by your `import pkgx.sub`.
    std::fs::write(
        d.join("plan.json"),
        r#"{"format": "lmms-tui-plan", "version": 1, "modules": {"pkgx": {"decision": "lazy"}}}"#,
    )
    .unwrap();
    let r = report_json(d, &["trace.json", "--plan", "plan.json"]);
    let (missing, dropped) = real_vs_projected(&r, &full, &without(d, "import pkgx"), "app");
    assert!(
        missing.is_empty() && dropped.is_empty(),
        "{missing:?} {dropped:?}"
    );
    assert_eq!(r["projection"]["kept_loaded"][0]["reason"], "package");
    assert_eq!(
        r["projection"]["kept_loaded"][0]["chain"],
        serde_json::json!(["app", "pkgx.sub", "pkgx"])
    );

    // The import from a frameless callable (importlib.import_module through functools.partial,
    // as a C extension imports) is credited to the module being loaded, mid — never to the
    // user's sitecustomize or the import machinery. (CPython prints no importtime line for it:
    // import_module bypasses the timed path, so the tracer's own file is checked.)
    let found = d.join("findings.tsv");
    let status = Command::new("python3")
        .args(["-c", "import app"])
        .env(
            "PYTHONPATH",
            format!(
                "{}:{}",
                Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tracer/src")
                    .display(),
                d.display()
            ),
        )
        .env("LMMS_TUI_OUT", &found)
        .env("LMMS_TUI_EDGES", "1")
        .current_dir(d)
        .status()
        .unwrap();
    assert!(status.success());
    let found = std::fs::read_to_string(found).unwrap();
    let edges: Vec<(&str, &str, &str)> = found
        .lines()
        .filter_map(|l| {
            let mut fields = l.strip_prefix("edge\t")?.split('\t');
            Some((fields.next()?, fields.next()?, fields.next()?))
        })
        .collect();
    assert!(
        edges.contains(&("mid", "lazypkg._impl", "dynamic")),
        "{edges:?}"
    );
    let edges: Vec<(&str, &str)> = edges.iter().map(|&(a, b, _)| (a, b)).collect();
    for (importer, target) in &edges {
        assert!(
            ![
                "sitecustomize",
                "_lmms_tui",
                "importlib._bootstrap",
                "_frozen_importlib"
            ]
            .contains(importer)
                && !importer.starts_with("lmms_tui_tracer"),
            "{importer} -> {target}"
        );
    }
    assert!(found.contains("module\tthirdpkg\tthird-party\t"), "{found}");
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("trace.json")).unwrap()).unwrap();
    let record = |name: &str| module_entry(&trace, name);
    // calendar is imported by an exit handler: marked, and no part of cold start.
    assert_eq!(record("calendar")["shutdown"], true);
    let r = report_json(d, &["trace.json", "--lazy", "solo"]);
    assert!(
        !r["projection"]["dropped_modules"]
            .as_array()
            .unwrap()
            .contains(&"calendar".into())
    );
}

/// `-c "import handler"`: handler is the program, not an import of it.
#[test]
fn the_program_itself_is_refused_everywhere() {
    for trace in [
        "assets/lambda-handler-5runs.txt",
        "assets/lambda-handler-trace.json",
    ] {
        for command in [
            &["report", trace, "--lazy", "handler"][..],
            &[
                "check",
                trace,
                "--lazy-everywhere",
                "handler",
                "--budget-ms",
                "1",
            ],
            &["export", trace, "--lazy", "handler"],
        ] {
            let out = bin().args(command).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command:?}: {err}");
            assert!(err.contains("`handler` is the program itself"), "{err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}

#[test]
fn startup_modules_are_refused_everywhere() {
    let trace = "assets/lambda-handler-5runs.txt";
    for command in [
        &["report", trace, "--lazy", "encodings"][..],
        &["check", trace, "--lazy", "site", "--budget-ms", "1"],
        &["export", trace, "--lazy-everywhere", "encodings"],
    ] {
        let out = bin().args(command).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {err}");
        assert!(
            err.contains("is loaded by interpreter start-up, before the program runs"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn record_lazy_makes_the_edit_and_says_when_it_does_not_defer() {
    let dir = program();
    let d = dir.path();
    // `from solo_dep import value`: LazyLoader would load it at once; the edit does not.
    std::fs::write(
        d.join("app.py"),
        "import sys, os\n\
         sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'site-packages'))\n\
         from solo_dep import value\nimport heavy\nimport thirdpkg\n",
    )
    .unwrap();
    record(d, &["--lazy", "solo_dep"]);
    let r = report_json(d, &["trace.json", "--lazy", "solo_dep"]);
    let m = &r["projection"]["measured"];
    assert_eq!(m["not_deferred"], serde_json::json!([]), "{m}");
    assert_eq!(m["saved"]["pairs"], 3);
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("trace.json")).unwrap()).unwrap();
    let loaded = trace["measured"][0]["modules"].as_array().unwrap();
    assert!(!loaded.contains(&"solo_dep".into()), "{loaded:?}");

    // heavy: thirdpkg imports it anyway. Measured says so, with the importer.
    let stderr = record(d, &["--lazy", "heavy"]);
    assert!(
        stderr
            .contains("not deferred: heavy loaded anyway at start-up, first imported by thirdpkg"),
        "{stderr}"
    );
    let r = report_json(d, &["trace.json", "--lazy", "heavy"]);
    let m = &r["projection"]["measured"];
    assert_eq!(m["saved"], serde_json::Value::Null);
    assert_eq!(
        m["not_deferred"],
        serde_json::json!([{"module": "heavy", "importer": "thirdpkg"}])
    );

    // A package covers the program's imports of its submodules, in the edit made for real
    // too: `--lazy pkgx` edits `import pkgx.sub`, and the measurement matches the projection.
    std::fs::write(
        d.join("app.py"),
        "import sys, os\n\
         sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'site-packages'))\n\
         import pkgx\nimport pkgx.sub\nimport heavy\n",
    )
    .unwrap();
    let stderr = record(d, &["--lazy", "pkgx"]);
    assert!(
        stderr.contains("--lazy pkgx covers your imports of pkgx.sub"),
        "{stderr}"
    );
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("trace.json")).unwrap()).unwrap();
    assert_eq!(
        trace["measured"][0]["lazy"],
        serde_json::json!(["pkgx", "pkgx.sub"])
    );
    let loaded = trace["measured"][0]["modules"].as_array().unwrap();
    assert!(
        !loaded
            .iter()
            .any(|m| m.as_str().unwrap().starts_with("pkgx")),
        "{loaded:?}"
    );
    let r = report_json(d, &["trace.json", "--lazy", "pkgx"]);
    let m = &r["projection"]["measured"];
    assert_eq!(
        (&m["not_deferred"], &m["saved"]["pairs"]),
        (&serde_json::json!([]), &3.into()),
        "{m}"
    );

    // Used at import time by the program itself: loaded anyway, by app.
    std::fs::write(
        d.join("app.py"),
        "from solo_dep import value\nprint(value + 1)\n",
    )
    .unwrap();
    let stderr = record(d, &["--lazy", "solo_dep"]);
    assert!(
        stderr.contains("not deferred: solo_dep loaded anyway at start-up, first imported by app"),
        "{stderr}"
    );
}
