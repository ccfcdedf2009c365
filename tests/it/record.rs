//! `lmms-tui record` on real Python programs (the machine's python3), checked against what
//! CPython really loads.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::{
    bin, holds_within, module_entry, real_vs_projected, report_json, running, send_signal,
    succeeded, sys_modules, timed_modules, write_files,
};

/// A small program: alpha and beta both import `shared`; only alpha imports `alpha_only`.
fn program() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "app.py",
            "import json\nimport alpha\nimport beta\nprint('app ran')\n",
        ),
        ("alpha.py", "import shared\nimport alpha_only\n"),
        ("alpha_only.py", "import fractions\nx = sum(range(20000))\n"),
        ("beta.py", "import shared\nfrom pkg import sub\n"),
        ("shared.py", "import decimal\n"),
        ("pkg/__init__.py", ""),
        ("pkg/sub.py", "import textwrap\n"),
    ];
    write_files(dir.path(), &files);
    dir
}

/// `lmms-tui record FLAGS -- python3 -c "import app"`, to run in `dir`.
fn record_app(dir: &Path, flags: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.arg("record")
        .args(flags)
        .args(["--", "python3", "-c", "import app"])
        .current_dir(dir);
    cmd
}

#[test]
fn records_runs_edges_and_metadata() {
    let dir = program();
    let out = record_app(dir.path(), &["--runs", "3", "-o", "trace.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // The program's own output stays visible, once per timed run; import lines do not leak.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("app ran").count(), 3, "{stdout}");
    assert!(!stderr.contains("import time:"), "{stderr}");
    assert!(stderr.contains("wrote trace.json: 3 runs"), "{stderr}");

    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("trace.json")).unwrap()).unwrap();
    assert_eq!(trace["format"], "lmms-tui-trace");
    assert_eq!(trace["runs"], 3);
    assert_eq!(trace["edges_complete"], true);
    assert_eq!(
        trace["command"],
        serde_json::json!(["python3", "-c", "import app"])
    );
    let version = Command::new("python3").arg("--version").output().unwrap();
    let version = String::from_utf8_lossy(&version.stdout);
    assert_eq!(
        format!("Python {}", trace["python"].as_str().unwrap()),
        version.trim()
    );
    let when = trace["recorded_at"].as_str().unwrap();
    assert!(when.len() == 20 && when.ends_with('Z'), "{when}");

    // beta imports `shared` after alpha loaded it: only the tracer sees that edge.
    let r = report_json(dir.path(), &["trace.json"]);
    let module = |name: &str| module_entry(&r, name);
    assert_eq!(module("shared")["parent"], "alpha");
    assert_eq!(
        module("shared")["other_importers"],
        serde_json::json!(["beta"])
    );
    assert_eq!(module("alpha")["samples"], 3);
    assert_eq!(r["trace"]["edges"], "full");
}

#[test]
fn deferring_drops_what_cpython_really_drops() {
    let dir = program();
    let status = record_app(dir.path(), &["--runs", "1", "-o", "trace.json"])
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    for (deferred, without) in [
        ("alpha", "import json, beta"),
        ("beta", "import json, alpha"),
    ] {
        let r = report_json(dir.path(), &["trace.json", "--lazy", deferred]);
        let python = Path::new("python3");
        let full = sys_modules(python, dir.path(), "import app");
        let rest = sys_modules(python, dir.path(), without);
        let (missing, dropped) = real_vs_projected(&r, &full, &rest, "app");
        assert_eq!(dropped, missing, "deferring {deferred}");
        assert!(
            !dropped.contains("shared") && !dropped.contains("decimal"),
            "shared stays"
        );
    }
}

/// A module `__getattr__` (PEP 562, as numpy's `np.ma` and pydantic's lazy exports) imports
/// when another module's top-level code touches the attribute: that module triggers the
/// import, not the package whose function holds the statement. Deferring the toucher drops
/// what CPython drops; `why` names the trigger and the site; the program's use of a lazy
/// attribute is not an import of its own, so `export` writes none.
#[test]
fn an_import_in_a_module_getattr_belongs_to_whoever_touches_the_attribute() {
    let dir = tempfile::tempdir().unwrap();
    let getattr = "def __getattr__(name):\n    if name == 'ma':\n        import numlike.ma\n        \
                   return numlike.ma\n    raise AttributeError(name)\n";
    write_files(
        dir.path(),
        &[
            (
                "numlike/__init__.py",
                &format!("import json\n\n\n{getattr}"),
            ),
            ("numlike/ma.py", "import fractions\n"),
            (
                "plotlike/__init__.py",
                "import numlike\nimport plotlike.rcsetup\n",
            ),
            ("plotlike/rcsetup.py", "import numlike\nMA = numlike.ma\n"),
            (
                "lazylib/__init__.py",
                "def __getattr__(name):\n    import lazylib._internal\n    return lazylib._internal.Model\n",
            ),
            (
                "lazylib/_internal.py",
                "import textwrap\nclass Model: pass\n",
            ),
            (
                "app.py",
                "import numlike\nimport plotlike\nimport decimal\nimport lazylib\n\n\nclass M(lazylib.Model): pass\n",
            ),
        ],
    );
    succeeded(&mut record_app(
        dir.path(),
        &["--runs", "1", "-o", "trace.json"],
    ));
    let r = report_json(dir.path(), &["trace.json", "--lazy", "plotlike"]);
    let python = Path::new("python3");
    let full = sys_modules(python, dir.path(), "import app");
    let rest = sys_modules(
        python,
        dir.path(),
        "import numlike, decimal, lazylib\nclass M(lazylib.Model): pass",
    );
    let (missing, dropped) = real_vs_projected(&r, &full, &rest, "app");
    assert!(missing.contains("numlike.ma") && missing.contains("fractions"));
    assert_eq!(dropped, missing);

    let (why, _) = succeeded(
        bin()
            .args(["why", "numlike.ma", "trace.json"])
            .current_dir(dir.path()),
    );
    assert!(why.contains("plotlike.rcsetup"), "{why}");
    assert!(
        why.contains("attribute use")
            && why
                .contains("numlike/__init__.py:6 `import numlike.ma` in `__getattr__` of numlike"),
        "{why}"
    );
    let (why, _) = succeeded(
        bin()
            .args(["why", "lazylib._internal", "trace.json"])
            .current_dir(dir.path()),
    );
    assert!(
        why.contains("none of them your code") || !why.contains("[your code]"),
        "{why}"
    );
    let (fast_path, _) = succeeded(
        bin()
            .args(["export", "trace.json", "--lazy", "decimal", "-o", "-"])
            .current_dir(dir.path()),
    );
    assert!(fast_path.contains("import numlike"), "{fast_path}");
    // Named only as what your use of lazylib runs, never as an import of yours.
    assert!(
        !fast_path.contains("import lazylib._internal"),
        "{fast_path}"
    );
    assert!(
        fast_path.contains("its code imports lazylib._internal then"),
        "{fast_path}"
    );
}

#[test]
fn measured_lazy_runs_sit_beside_the_projection() {
    let dir = program();
    let (_, stderr) = succeeded(&mut record_app(
        dir.path(),
        &["--runs", "2", "--lazy", "alpha", "-o", "trace.json"],
    ));
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("trace.json")).unwrap()).unwrap();
    let measured = &trace["measured"][0];
    assert_eq!(measured["lazy"], serde_json::json!(["alpha"]));
    // Alternated pairs: the unedited program and the edited one, run for run.
    assert_eq!(measured["total_us"].as_array().unwrap().len(), 2);
    assert_eq!(measured["eager_us"].as_array().unwrap().len(), 2);
    assert_eq!(measured["loaded_anyway"], serde_json::json!([]));
    // alpha was really deferred: app's `import alpha` became a lazy binding, never used.
    let loaded: Vec<&str> = measured["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(!loaded.contains(&"alpha_only"), "{loaded:?}");
    assert!(loaded.contains(&"shared"), "beta still imports shared");
    // The edit's own work (Python's ast, to rewrite the program) is said, and no part of
    // the edit's module set: the timed modules less the edit's are what CPython drops.
    assert!(
        stderr.contains("the edit's runs also load _ast, ast for the edit itself"),
        "{stderr}"
    );
    assert!(!loaded.contains(&"ast"), "{loaded:?}");
    let timed = timed_modules(&trace);
    let timed: BTreeSet<&str> = timed.iter().map(String::as_str).collect();
    let edit_drops: BTreeSet<&str> = timed
        .difference(&loaded.iter().copied().collect())
        .copied()
        .collect();
    let python = Path::new("python3");
    let full = sys_modules(python, dir.path(), "import app");
    let rest = sys_modules(python, dir.path(), "import json, beta");
    let real: BTreeSet<&str> = full
        .difference(&rest)
        .map(String::as_str)
        .filter(|m| *m != "app" && timed.contains(m))
        .collect();
    assert_eq!(edit_drops, real);
    // Where each module comes from, asked of the interpreter.
    let class = |name: &str| module_entry(&trace, name)["class"].clone();
    assert_eq!(class("app"), "program");
    assert_eq!(class("fractions"), "stdlib");
    let text = bin()
        .args(["report", "trace.json", "--lazy", "alpha"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("with alpha made lazy (median of 2 alternated pairs, 95% interval"),
        "{text}"
    );
}

#[test]
fn a_failing_program_is_reported_and_its_trace_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args([
            "record",
            "--runs",
            "2",
            "-o",
            "t.json",
            "--",
            "python3",
            "-c",
            "import json; raise SystemExit(3)",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("run 1: the program failed (exit status 3)"),
        "{stderr}"
    );
    let r = report_json(dir.path(), &["t.json"]);
    assert!(
        r["modules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["name"] == "json")
    );
}

#[test]
fn a_command_that_is_not_python_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["record", "--", "true"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("printed no import-time lines"), "{stderr}");
    assert!(!dir.path().join("trace.json").exists());
    let out = bin()
        .args(["record", "--", "/no/such/python"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run `/no/such/python`"));
}

#[test]
fn a_programs_own_import_time_line_passes_through() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "app.py",
            "import sys\nprint('import time: took 5 s', file=sys.stderr)\nimport json\n",
        )],
    );
    let out = record_app(dir.path(), &["--runs", "2", "-o", "t.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("wrote t.json: 2 runs"), "{stderr}");
    assert_eq!(
        stderr.matches("import time: took 5 s").count(),
        2,
        "{stderr}"
    );
}

/// The names and figures of CPython's `import time:` lines in `text` (header excluded).
fn import_lines(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("import time:"))
        .filter(|l| !l.contains("self [us]"))
        .filter_map(|l| Some(l.rsplit('|').next()?.trim().to_string()))
        .collect()
}

/// Lines that look like CPython's, printed by the program itself, never make runs or modules:
/// the helper gives its `sys.stderr` a pipe of its own and marks where start-up ends. The
/// helper leaves no module of its own: the trace names what a plain `-X importtime` run does.
#[test]
fn the_programs_own_import_time_lines_never_make_runs_or_modules() {
    let dir = tempfile::tempdir().unwrap();
    let fake = "import time: self [us] | cumulative | imported package\n\
                import time:    999999 |     999999 | fake_module\n";
    write_files(
        dir.path(),
        &[(
            "app.py",
            &format!("import sys\nimport json\nsys.stderr.write({fake:?})\nimport decimal\n"),
        )],
    );
    let (_, stderr) = succeeded(&mut record_app(
        dir.path(),
        &["--runs", "2", "-o", "t.json"],
    ));
    assert!(stderr.contains("wrote t.json: 2 runs"), "{stderr}");
    // The program's lines reach the user, once per timed run.
    assert_eq!(stderr.matches("fake_module").count(), 2, "{stderr}");
    let report = report_json(dir.path(), &["t.json"]);
    // Modules with a line (the tracer adds `os.path` and the like, untimed, beside them).
    let traced: BTreeSet<String> = report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["timed"] != false)
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect();
    let plain = Command::new("python3")
        .args(["-X", "importtime", "-c", "import app"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let mut expected = import_lines(&String::from_utf8_lossy(&plain.stderr));
    assert!(expected.remove("fake_module"));
    assert_eq!(traced, expected);

    // A child started with its own `-X importtime` prints a header after the mark: its lines
    // cannot be told from the program's, so no run is taken from them.
    write_files(
        dir.path(),
        &[(
            "app.py",
            "import subprocess, sys\nsubprocess.run([sys.executable, '-X', 'importtime', '-c', 'import fractions'])\nimport json\n",
        )],
    );
    let out = record_app(dir.path(), &["--runs", "2", "-o", "t2.json"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("another Python process printed import times"),
        "{err}"
    );
    assert!(!dir.path().join("t2.json").exists());
}

/// A program that starts Python processes with multiprocessing's spawn: their import times
/// are kept out, and the trace has the runs asked for.
#[test]
fn a_spawning_program_records_as_many_runs_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "app.py",
            "import multiprocessing as mp\nimport json\n\n\ndef work(x):\n    import fractions\n    return x\n\n\
             if __name__ == '__main__':\n    ctx = mp.get_context('spawn')\n    with ctx.Pool(2) as pool:\n        print(pool.map(work, range(4)))\n",
        )],
    );
    let (_, stderr) = succeeded(
        bin()
            .args([
                "record",
                "--runs",
                "2",
                "--warmup",
                "0",
                "-o",
                "trace.json",
                "--",
            ])
            .args(["python3", "app.py"])
            .current_dir(dir.path()),
    );
    assert!(stderr.contains("wrote trace.json: 2 runs"), "{stderr}");
    let report = report_json(dir.path(), &["trace.json"]);
    assert_eq!(report["trace"]["runs"], 2);
    // The children's own start-up is no part of this trace: `json` is the program's.
    assert!(module_entry(&report, "json")["samples"] == 2);
    // Under -E the helper cannot keep the children out: refused, nothing written.
    for flag in ["-E", "-S"] {
        let out = bin()
            .args([
                "record",
                "--runs",
                "2",
                "--warmup",
                "0",
                "-o",
                "other.json",
                "--",
            ])
            .args(["python3", flag, "app.py"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag}: {err}");
        assert!(err.contains("starts Python processes"), "{flag}: {err}");
        assert!(!dir.path().join("other.json").exists(), "{flag}");
    }
}

/// `python -I` ignores PYTHONPROFILEIMPORTTIME and PYTHONPATH: the level goes on the command
/// line, and the trace says edges and origins are not known, and why.
#[test]
fn an_isolated_interpreter_is_recorded_and_told() {
    let dir = program();
    let (_, stderr) = succeeded(
        bin()
            .args(["record", "--runs", "2", "-o", "trace.json", "--"])
            .args(["python3", "-I", "-c", "import json, decimal"])
            .current_dir(dir.path()),
    );
    assert!(stderr.contains("wrote trace.json: 2 runs"), "{stderr}");
    // Before 3.14 the tracer was the way to every edge; 3.14's timed runs have them all.
    assert!(
        stderr.contains("first-import tree only") || stderr.contains("edges: complete"),
        "{stderr}"
    );
    assert!(stderr.contains("module origins unknown"), "{stderr}");
    assert!(stderr.contains("ignores PYTHONPATH"), "{stderr}");
    assert!(
        !stderr.contains("cyclic-GC"),
        "no GC figure without the helper: {stderr}"
    );
}

/// SIGTERM to lmms-tui alone, mid-recording: the program's whole process group is stopped,
/// the temporary directory removed, the runs that finished kept, and the status is 143.
#[cfg(unix)]
#[test]
fn a_signal_stops_the_program_and_keeps_the_finished_runs() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // Each run writes its pid, then imports slowly, with a grandchild in its process group.
    write_files(
        dir.path(),
        &[(
            "slow.py",
            "import os, subprocess, time\n\
             open('pids', 'a').write('%d\\n' % os.getpid())\n\
             child = subprocess.Popen(['sleep', '60'])\n\
             open('pids', 'a').write('%d\\n' % child.pid)\n\
             time.sleep(0.4)\n\
             child.kill()\n",
        )],
    );
    let child = bin()
        .args([
            "record",
            "--runs",
            "50",
            "--warmup",
            "0",
            "-o",
            "trace.json",
            "--",
        ])
        .args(["python3", "-c", "import slow"])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until at least two timed runs have finished (a run and its GC pair each write two
    // pids), then signal lmms-tui alone.
    let pids_written =
        || std::fs::read_to_string(dir.path().join("pids")).map_or(0, |p| p.lines().count());
    assert!(
        holds_within(Duration::from_secs(60), || pids_written() >= 10),
        "the runs never started"
    );
    send_signal("TERM", &child.id().to_string());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(143), "{stderr}");
    assert!(stderr.contains("interrupted by signal 15"), "{stderr}");
    // Every process it started is gone (or a zombie) within 10 s: none left running with
    // nobody to wait for it.
    let pids = std::fs::read_to_string(dir.path().join("pids")).unwrap();
    let still_running = || pids.lines().filter(|pid| running(pid)).collect::<Vec<_>>();
    holds_within(Duration::from_secs(10), || still_running().is_empty());
    assert_eq!(
        still_running(),
        Vec::<&str>::new(),
        "processes still running"
    );
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "temporary files left"
    );
    let report = report_json(dir.path(), &["trace.json"]);
    let runs = report["trace"]["runs"].as_u64().unwrap();
    assert!((2..50).contains(&runs), "{runs}");
}

/// A program that leaves a process behind holding its standard error (a `Popen` never waited
/// for) is not waited for past its own exit: each run ends about when the program does, not
/// when the 60 s sleeper does. (The bound, 30 s for every run of the recording, is there to
/// tell a wait from a hang, not to time anything.)
#[test]
fn a_process_left_behind_does_not_hold_the_recording() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    std::fs::write(
        dir.path().join("spawner.py"),
        format!(
            "import subprocess, sys\n\
             p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n\
             open({:?}, 'a').write('%d\\n' % p.pid)\n",
            pids.display()
        ),
    )
    .unwrap();
    // Files, not pipes: the sleepers inherit the program's standard output, which is ours.
    let log = |name: &str| std::fs::File::create(dir.path().join(name)).unwrap();
    let started = std::time::Instant::now();
    let status = bin()
        .args([
            "record",
            "--runs",
            "2",
            "--warmup",
            "0",
            "-o",
            "trace.json",
            "--",
        ])
        .args(["python3", "-c", "import spawner"])
        .current_dir(dir.path())
        .stdout(log("out"))
        .stderr(log("err"))
        .status()
        .unwrap();
    let took = started.elapsed();
    for pid in std::fs::read_to_string(&pids).unwrap_or_default().lines() {
        let _ = Command::new("kill").arg(pid).status(); // cleanup only: it may be gone
    }
    let err = std::fs::read_to_string(dir.path().join("err")).unwrap();
    assert!(status.success(), "{err}");
    assert!(took.as_secs() < 30, "{took:?}");
    assert!(err.contains("left processes behind"), "{err}");
    let trace = report_json(dir.path(), &["trace.json"]);
    assert_eq!(trace["trace"]["runs"], 2);
}

/// `--timeout`: a run that does not end is killed with its process group when the time is up,
/// reported as failed (status 1) and its import times kept.
#[test]
fn a_run_past_the_timeout_is_killed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("server.py", "import json, time\ntime.sleep(120)\n")],
    );
    let started = std::time::Instant::now();
    let out = bin()
        .args(["record", "--runs", "1", "--warmup", "0", "--timeout", "1"])
        .args(["-o", "trace.json", "--", "python3", "-c", "import server"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
    assert!(
        err.contains("run 1: the program failed (timed out after 1 s"),
        "{err}"
    );
    let report = report_json(dir.path(), &["trace.json"]);
    assert_eq!(report["trace"]["runs"], 1);
    assert!(module_entry(&report, "json").is_object());
}

/// A second signal while the program ignores the first: the whole process group is killed,
/// the temporary directory removed, and lmms-tui says so and ends by the signal.
#[cfg(unix)]
#[test]
fn a_second_signal_kills_the_program_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    write_files(
        dir.path(),
        &[(
            "stubborn.py",
            "import os, signal, time\n\
             signal.signal(signal.SIGTERM, signal.SIG_IGN)\n\
             open('pid', 'w').write('%d\\n' % os.getpid())\n\
             time.sleep(120)\n",
        )],
    );
    let child = bin()
        .args(["record", "--runs", "1", "--warmup", "0", "-o", "trace.json"])
        .args(["--", "python3", "-c", "import stubborn"])
        .current_dir(dir.path())
        .env("TMPDIR", &tmp)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid_written =
        || std::fs::read_to_string(dir.path().join("pid")).is_ok_and(|p| p.ends_with('\n'));
    assert!(
        holds_within(Duration::from_secs(60), pid_written),
        "the program never started"
    );
    let pid = std::fs::read_to_string(dir.path().join("pid")).unwrap();
    for _ in 0..2 {
        send_signal("TERM", &child.id().to_string());
        std::thread::sleep(Duration::from_millis(300));
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Ended by the signal itself, as the shell reports 143.
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(out.status.signal(), Some(15), "{stderr}");
    assert!(stderr.contains("a second signal"), "{stderr}");
    assert!(
        holds_within(Duration::from_secs(10), || !running(&pid)),
        "the program is still running"
    );
    assert_eq!(
        std::fs::read_dir(&tmp).unwrap().count(),
        0,
        "temporary files left"
    );
}

/// A program that fails in every run (a wrong interpreter, a missing module) leaves an
/// existing trace byte for byte as it was, says so and exits 1 (with no trace there, its runs
/// are written: `a_failing_program_is_reported_and_its_trace_kept`); one that fails in some
/// runs still writes the trace and names the failed runs.
#[test]
fn a_program_failing_in_every_run_keeps_the_old_trace() {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), &[("app.py", "import json\n")]);
    succeeded(&mut record_app(
        dir.path(),
        &["--runs", "2", "-o", "trace.json"],
    ));
    let good = std::fs::read(dir.path().join("trace.json")).unwrap();
    write_files(
        dir.path(),
        &[("app.py", "import json\nimport not_installed_anywhere\n")],
    );
    let out = record_app(dir.path(), &["--runs", "2", "-o", "trace.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "the program failed in every run (exit status 1): trace.json was not written"
        ),
        "{stderr}"
    );
    assert_eq!(std::fs::read(dir.path().join("trace.json")).unwrap(), good);
    // Failing in one run of two: written, and the failed run named.
    write_files(
        dir.path(),
        &[(
            "app.py",
            "import json, os\nflag = os.path.join(os.path.dirname(__file__), 'ran')\n\
             first = not os.path.exists(flag)\nopen(flag, 'w').close()\n\
             if first:\n    import sys\n    sys.stderr.write('boom \\x1b[31mred\\n')\n    \
             raise SystemExit(3)\n",
        )],
    );
    let out = record_app(
        dir.path(),
        &["--runs", "2", "--warmup", "0", "-o", "trace.json"],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the program failed (exit status 3); its trace was kept"),
        "{stderr}"
    );
    assert_ne!(std::fs::read(dir.path().join("trace.json")).unwrap(), good);
    // The failure is part of the trace: said by every summary, refused by `check`.
    let check = |extra: &[&str]| {
        bin()
            .args(["check", "trace.json"])
            .args(extra)
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = check(&[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "the program failed in 1 timed run (run 1: exit status 3, its last words: boom \\u{1b}[31mred)"
        ),
        "{text}"
    );
    // Its last words are kept in the trace, escaped.
    let trace: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("trace.json")).unwrap()).unwrap();
    assert_eq!(
        trace["failed_runs"][0]["stderr_tail"],
        serde_json::json!(["boom \\u{1b}[31mred"])
    );
    assert!(text.contains("--allow-failed judges it anyway"), "{text}");
    assert_eq!(check(&["--allow-failed"]).status.code(), Some(0));
}
