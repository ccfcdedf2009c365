//! `export --patch` on a multi-file program with real packages: every import form the issue
//! lists, moved into the functions that use it or left with the line that prevents it; the
//! patch applies with `git apply`, the patched program returns the same results, and the
//! modules it loads at start-up are exactly the projection's.

use std::path::Path;
use std::process::Command;

use crate::common::{
    bin, needs, on_path, real_vs_projected, report_json, succeeded, sys_modules, write_files,
};

const ANALYSIS: &str = "\
\"\"\"Analyses.\"\"\"
from __future__ import annotations

import json
import pandas as pd
from dateutil import parser, tz
import requests.adapters
import anyio as aio


def frame_sum(rows):
    frame = pd.DataFrame(rows)
    return int(frame[\"x\"].sum())


class Stats:
    def parse(self, text):
        \"\"\"The year.\"\"\"
        return parser.parse(text).replace(tzinfo=tz.UTC).year


def retries():
    return requests.adapters.HTTPAdapter().max_retries.total


def typed(event: aio.Event) -> aio.Event:
    return event


def dumped():
    return json.dumps([frame_sum([{\"x\": 2}, {\"x\": 3}]), Stats().parse(\"2024-05-01\"), retries()])
";

const DECORATED: &str = "\
import functools
import pydantic
import boto3


@functools.lru_cache(maxsize=len(pydantic.VERSION))
def cached(n):
    return n


def named(x=boto3.__name__):
    return x
";

/// The plan: six deferrals, two of them impossible (a decorator, a default argument).
const DEFER: &[&str] = &[
    "pandas", "dateutil", "requests", "anyio", "pydantic", "boto3",
];

/// The two-file program, recorded once.
fn program(python: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("app.py", "from pkg import analysis, decorated\n"),
            ("pkg/__init__.py", ""),
            ("pkg/analysis.py", ANALYSIS),
            ("pkg/decorated.py", DECORATED),
        ],
    );
    succeeded(
        bin()
            .args(["record", "--runs", "1", "-o", "trace.json", "--"])
            .arg(python)
            .args(["-c", "import app"])
            .current_dir(dir.path()),
    );
    dir
}

fn lazy_flags(modules: &[&str]) -> Vec<String> {
    modules
        .iter()
        .flat_map(|m| ["--lazy".to_string(), m.to_string()])
        .collect()
}

fn export(dir: &Path, style: &str) -> (String, String) {
    let mut args = vec![
        "export".to_string(),
        "trace.json".into(),
        format!("--patch={style}"),
    ];
    args.extend(lazy_flags(DEFER));
    succeeded(bin().args(&args).current_dir(dir))
}

#[test]
fn a_patch_moves_what_it_can_and_says_why_not_elsewhere() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let Some(git) = needs(on_path(&["git"])) else {
        return;
    };
    let dir = program(&python);
    let results = |dir: &Path| {
        succeeded(
            Command::new(&python)
                .args(["-c", "from pkg import analysis; print(analysis.dumped())"])
                .current_dir(dir),
        )
        .0
    };
    let before = results(dir.path());
    let before_modules = sys_modules(&python, dir.path(), "import app");

    let (patch, stderr) = export(dir.path(), "function");
    // Refused, each with the line that prevents it.
    assert!(
        stderr
            .contains("pkg/decorated.py:2 (pydantic): `pydantic` is used at import time at line 6"),
        "{stderr}"
    );
    assert!(
        stderr.contains("pkg/decorated.py:3 (boto3): `boto3` is used at import time at line 11"),
        "{stderr}"
    );
    for edited in [
        "pkg/analysis.py:5 (pandas)",
        "pkg/analysis.py:6 (dateutil)",
        "pkg/analysis.py:7 (requests)",
        "pkg/analysis.py:8 (anyio)",
    ] {
        assert!(patch.contains(&format!("# edited {edited}")), "{patch}");
    }
    // Each form moved as written: into the function and the method that use it; the
    // annotation-only one under TYPE_CHECKING.
    for added in [
        "+    import pandas as pd\n",
        "+        from dateutil import parser, tz\n",
        "+    import requests.adapters\n",
        "+if TYPE_CHECKING:\n+    import anyio as aio\n",
    ] {
        assert!(patch.contains(added), "{added:?} in {patch}");
    }
    std::fs::write(dir.path().join("defer.patch"), &patch).unwrap();
    succeeded(
        Command::new(&git)
            .args(["apply", "defer.patch"])
            .current_dir(dir.path()),
    );
    assert_eq!(results(dir.path()), before);

    // The modules at start-up are the projection's for what the patch moved.
    let moved = ["pandas", "dateutil", "requests", "anyio"];
    let mut args = vec!["trace.json".to_string()];
    args.extend(lazy_flags(&moved));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let report = report_json(dir.path(), &args);
    let after_modules = sys_modules(&python, dir.path(), "import app");
    let (missing, projected) = real_vs_projected(&report, &before_modules, &after_modules, "app");
    assert_eq!(missing, projected);
    assert!(projected.contains("pandas") && !after_modules.contains("pandas"));
}

/// PEP 810's two forms, checked as text (no Python 3.15 here): `lazy` before each module-level
/// import (a star import refused), and `__lazy_modules__` after the docstring and `__future__`.
#[test]
fn pep_810_styles_write_the_documented_forms() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let dir = program(&python);
    let (lazy, _) = export(dir.path(), "lazy");
    for line in [
        "+lazy import pandas as pd\n",
        "+lazy from dateutil import parser, tz\n",
        "+lazy import pydantic\n",
    ] {
        assert!(lazy.contains(line), "{line:?} in {lazy}");
    }
    assert!(
        lazy.contains("# `lazy import` is Python 3.15+ syntax"),
        "{lazy}"
    );
    let (modules, _) = export(dir.path(), "lazy-modules");
    assert!(
        modules.contains(
            " from __future__ import annotations\n \n+__lazy_modules__ = ['anyio', 'dateutil', 'pandas', 'requests']\n"
        ),
        "{modules}"
    );
    assert!(
        modules.contains("+__lazy_modules__ = ['boto3', 'pydantic']\n"),
        "{modules}"
    );
    assert!(
        modules.contains("# __lazy_modules__ does nothing before Python 3.15"),
        "{modules}"
    );
}

/// `record --patch` applies the patch to a copy and runs it against the original: verified
/// when the modules it stops loading are the projection's and the smoke command passes; a
/// header naming a deferral the patch does not make, or a failing smoke command, is "NOT
/// verified", with the names and the output. The program's own files are never touched.
#[test]
fn record_verifies_a_patch_on_a_copy() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    if needs(on_path(&["git"])).is_none() {
        return;
    }
    let dir = program(&python);
    let (patch, _) = export(dir.path(), "function");
    std::fs::write(dir.path().join("defer.patch"), &patch).unwrap();
    let smoke = format!(
        "{} -c 'from pkg import analysis; print(analysis.dumped())'",
        python.display()
    );
    let record = |patch: &str, smoke: &str| {
        succeeded(
            bin()
                .args([
                    "record",
                    "--runs",
                    "2",
                    "-o",
                    "checked.json",
                    "--patch",
                    patch,
                ])
                .args(["--smoke", smoke, "--"])
                .arg(&python)
                .args(["-c", "import app"])
                .current_dir(dir.path()),
        )
        .1
    };
    let said = record("defer.patch", &smoke);
    assert!(
        said.contains(
            "patch defer.patch verified: the modules it stops loading are the projection's; `"
        ),
        "{said}"
    );
    let moved = ["pandas", "dateutil", "requests", "anyio"];
    let report_of = |extra: &[&str]| {
        let mut args = vec!["checked.json".to_string()];
        args.extend(lazy_flags(&[&moved[..], extra].concat()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        report_json(dir.path(), &args)
    };
    let report = report_of(&[]);
    let measured = &report["projection"]["measured"];
    assert_eq!(measured["saved"]["pairs"], 2, "{measured}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("pkg/analysis.py")).unwrap(),
        ANALYSIS
    );

    // A header that lies: it says pydantic was moved, where the patch left it (a decorator
    // uses it).
    let claimed: String = (patch.lines())
        .map(
            |l| match l.starts_with("# left as it is pkg/decorated.py:2 (pydantic)") {
                true => "# edited pkg/decorated.py:2 (pydantic)\n".to_string(),
                false => format!("{l}\n"),
            },
        )
        .collect();
    std::fs::write(dir.path().join("claims.patch"), claimed).unwrap();
    let said = record("claims.patch", &smoke);
    assert!(
        said.contains("patch claims.patch NOT verified: still loaded, though projected to leave: "),
        "{said}"
    );
    let report = report_of(&["pydantic"]);
    let check = &report["projection"]["measured"]["patch"];
    assert!(
        (check["still_loaded"].as_array().unwrap().iter()).any(|m| m == "pydantic"),
        "{check}"
    );
    let said = record("defer.patch", "exit 3");
    assert!(
        said.contains("NOT verified: `exit 3` failed (exit status 3)"),
        "{said}"
    );
}

/// `P` in the explorer previews the same patch in an overlay (scrollable), and `w` there writes
/// it where the explorer's patch file is.
#[test]
fn the_explorer_previews_and_writes_the_patch() {
    use crossterm::event::KeyCode;
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    let dir = program(&python);
    let builder = lmms_core::trace::read_files(&[dir.path().join("trace.json")]).unwrap();
    let graph = lmms_core::model::ImportGraph::build(builder).unwrap();
    let mut app = lmms_tui::tui::app::App::new(
        lmms_core::whatif::Analysis::of(graph),
        lmms_tui::tui::app::OutputFile {
            path: dir.path().join("plan.json"),
            owned: false,
        },
        120,
        40,
    );
    app.patch_root = dir.path().to_path_buf();
    app.patch_file.path = dir.path().join("preview.patch");
    let keys = [KeyCode::Char('/')]
        .into_iter()
        .chain("pandas".chars().map(KeyCode::Char))
        .chain([KeyCode::Enter, KeyCode::Char('L'), KeyCode::Char('P')]);
    crate::common::press(&mut app, keys);
    assert_eq!(
        app.mode(),
        lmms_tui::tui::app::Mode::Patch,
        "{:?}",
        app.status()
    );
    let text = crate::common::screen_text(&app, 120, 40);
    assert!(text.contains("patch of your files"), "{text}");
    assert!(text.contains("+    import pandas as pd"), "{text}");
    crate::common::press(&mut app, [KeyCode::Char('w')]);
    let written = std::fs::read_to_string(dir.path().join("preview.patch")).unwrap();
    assert!(
        written.starts_with("# lmms-tui export --patch=function: defer pandas in your code\n"),
        "{written}"
    );
    assert!(written.contains("+    import pandas as pd\n"), "{written}");
}

/// The two programs with real packages: a FastAPI app whose store uses SQLAlchemy
/// (defer sqlalchemy), and a click CLI over httpx (defer httpx and csv; one of its files uses
/// httpx in a default argument, which keeps that import and names its line). Each patch
/// applies, passes its smoke command, and `record --patch` confirms the projected module set
/// exactly, with the saving and its interval.
#[test]
fn a_fastapi_app_and_a_click_cli_get_verified_patches() {
    let Some(python) = needs(crate::cpython_check::venv()) else {
        return;
    };
    if needs(on_path(&["git"])).is_none() {
        return;
    }
    let fastapi = [
        ("app/__init__.py", ""),
        (
            "app/main.py",
            "from fastapi import FastAPI\nfrom app import store\n\napi = FastAPI()\n\n\n\
             @api.get(\"/items/{n}\")\ndef items(n: int):\n    return {\"count\": store.count(n)}\n",
        ),
        (
            "app/store.py",
            "import sqlalchemy as sa\nfrom sqlalchemy.orm import Session\n\n\ndef engine():\n    \
             return sa.create_engine(\"sqlite://\")\n\n\ndef count(n):\n    with Session(engine()) \
             as session:\n        return session.execute(sa.text(\"select :n\"), {\"n\": n}).scalar()\n",
        ),
    ];
    let smoke = "from fastapi.testclient import TestClient; from app.main import api; \
                 print(TestClient(api).get('/items/3').json())";
    let said = verify(&python, &fastapi, "app.main", &["sqlalchemy"], smoke);
    assert!(!said.contains("left as it is"), "{said}");

    let cli = [
        ("cli/__init__.py", ""),
        (
            "cli/main.py",
            "import click\nfrom cli import fetch, config\n\n\n@click.command()\n\
             @click.argument(\"url\")\ndef main(url):\n    click.echo(fetch.host(url) + config.limits())\n",
        ),
        (
            "cli/fetch.py",
            "import csv\nimport io\nimport httpx\n\n\ndef host(url):\n    out = io.StringIO()\n    \
             csv.writer(out).writerow([httpx.URL(url).host])\n    return out.getvalue().strip()\n",
        ),
        (
            "cli/config.py",
            "import httpx\n\n\ndef limits(pool=httpx.Limits(max_connections=5)):\n    \
             return str(pool.max_connections)\n",
        ),
    ];
    let smoke = "from click.testing import CliRunner; from cli.main import main; \
                 r = CliRunner().invoke(main, ['https://example.org/x']); \
                 assert r.output == 'example.org5\\n', r.output; print(r.output)";
    let said = verify(&python, &cli, "cli.main", &["httpx", "csv"], smoke);
    assert!(
        said.contains(
            "left as it is: cli/config.py:1 (httpx): `httpx` is used at import time at line 4"
        ),
        "{said}"
    );
}

/// Records `files`' program, exports the patch for `defer`, checks it applies and `record
/// --patch` with `smoke` verifies it; what export and record said.
fn verify(
    python: &Path,
    files: &[(&str, &str)],
    entry: &str,
    defer: &[&str],
    smoke: &str,
) -> String {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    let record = |extra: &[&str]| {
        succeeded(
            bin()
                .args(["record", "--runs", "3", "-o", "trace.json"])
                .args(extra)
                .arg("--")
                .arg(python)
                .args(["-c", &format!("import {entry}")])
                .current_dir(dir.path()),
        )
        .1
    };
    record(&[]);
    let mut args = vec![
        "export".to_string(),
        "trace.json".into(),
        "--patch".into(),
        "-o".into(),
        "defer.patch".into(),
    ];
    args.extend(lazy_flags(defer));
    let (_, exported) = succeeded(bin().args(&args).current_dir(dir.path()));
    let smoke = format!("{} -c \"{smoke}\"", python.display());
    let said = record(&["--patch", "defer.patch", "--smoke", &smoke]);
    assert!(
        said.contains(
            "patch defer.patch verified: the modules it stops loading are the projection's; `"
        ),
        "{said}"
    );
    assert!(
        said.contains(" ms with defer.patch applied (median of 3 alternated pairs, 95% interval "),
        "{said}"
    );
    // The program's own files are untouched; the patch applies to them as well.
    for (name, text) in files {
        assert_eq!(
            &std::fs::read_to_string(dir.path().join(name)).unwrap(),
            text
        );
    }
    succeeded(
        Command::new("git")
            .args(["apply", "--check", "defer.patch"])
            .current_dir(dir.path()),
    );
    exported + &said
}

/// What cannot become a patch is refused in one line, exit status 2: a text trace (no lines of
/// your code recorded), a plan deferring nothing, a deferral of every import.
#[test]
fn what_cannot_be_a_patch_is_said() {
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    for (flags, said) in [
        (
            &["--lazy", "pandas"][..],
            "the trace holds no line of your code importing pandas",
        ),
        (&[], "the plan defers nothing: --lazy MODULE"),
        (
            &["--lazy-everywhere", "pandas"],
            "a patch edits your own files: --lazy-everywhere pandas",
        ),
    ] {
        let mut export = bin();
        export.arg("export").arg(&trace).arg("--patch").args(flags);
        crate::common::refused_in_one_line(&mut export, said);
    }
}
