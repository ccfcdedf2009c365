//! The Python package: `pip install <checkout>` in a fresh venv builds the wheel with maturin
//! and puts a working `lmms-tui` on the venv's PATH — run here with no Rust toolchain on PATH:
//! the report, a recording (the tracer is compiled in) and the explorer. Skips, saying so, when
//! PyPI (for maturin) cannot be reached.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tmux_e2e::Tmux;

/// PATH for the installed binary: the venv and the system, no `~/.cargo/bin`.
fn path_without_rust(venv: &Path) -> String {
    format!("{}:/usr/bin:/bin", venv.join("bin").display())
}

#[test]
fn pip_install_gives_a_working_lmms_tui() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tempfile::tempdir_in(tmp).unwrap();
    let venv = dir.path().join("venv");
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .unwrap();
    assert!(made.success());
    let pip = |args: &[&str]| {
        Command::new(venv.join("bin/pip"))
            .args(["--disable-pip-version-check"])
            .args(args)
            // Its own target directory, so the build never waits on the test run's.
            .env("CARGO_TARGET_DIR", tmp.join("wheel-target"))
            .output()
            .unwrap()
    };
    let download = dir.path().join("download");
    let maturin = pip(&[
        "download",
        "--quiet",
        "--no-deps",
        "-d",
        download.to_str().unwrap(),
        "maturin",
    ]);
    let reachable = if maturin.status.success() {
        Ok(())
    } else {
        Err("PyPI (pip download maturin failed)".to_string())
    };
    if crate::common::needs(reachable).is_none() {
        return;
    }
    let install = pip(&["install", "--quiet", root.to_str().unwrap()]);
    assert!(
        install.status.success(),
        "pip install failed:\n{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let exe = venv.join("bin/lmms-tui");
    assert!(exe.is_file());
    let run = |args: &[&str]| {
        let out = Command::new(&exe)
            .args(args)
            .env_clear()
            .env("PATH", path_without_rust(&venv))
            .env("HOME", dir.path())
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        run(&["--version"]).trim(),
        format!("lmms-tui {}", env!("CARGO_PKG_VERSION"))
    );
    // The same report as the binary under test.
    let report = run(&["report", "assets/lambda-handler-5runs.txt"]);
    let dev = Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
        .args(["report", "assets/lambda-handler-5runs.txt"])
        .current_dir(&root)
        .output()
        .unwrap();
    assert_eq!(report, String::from_utf8(dev.stdout).unwrap());
    // Recording needs the tracer, which the wheel's binary carries.
    let trace = dir.path().join("trace.json");
    let python = venv.join("bin/python");
    run(&[
        "record",
        "--runs",
        "1",
        "--warmup",
        "0",
        "-o",
        trace.to_str().unwrap(),
        "--",
        python.to_str().unwrap(),
        "-c",
        "import json",
    ]);
    let recorded = run(&["report", trace.to_str().unwrap()]);
    assert!(
        recorded.contains("edges: complete") || recorded.contains("json"),
        "{recorded}"
    );
    // The explorer, in a real terminal.
    let Some(tmux) = Tmux::new("wheel") else {
        return;
    };
    tmux.start_sized(
        &format!(
            "cd {} && env -i PATH={} TERM=xterm-256color {} assets/lambda-handler-5runs.txt; echo EXIT=$?; sleep 60",
            root.display(),
            path_without_rust(&venv),
            exe.display()
        ),
        120,
        40,
    );
    tmux.wait_for("869 modules");
    tmux.keys(&["q"]);
    let after = tmux.wait_for("EXIT=");
    assert!(after.contains("EXIT=0"), "{after}");
}
