//! The output policy from outside: what `-o` does to what is already there — a standard
//! stream named as a path, a read-only file, a link in a read-only directory, the file-size
//! limit — and that large outputs are streamed, not held.

use crate::common::*;
use std::path::Path;

/// `-o /proc/self/fd/1` or `-o /dev/stdout` with standard output appended to a file (`>>`):
/// the report is added after what the file held, never renamed over it; `record` alike (no
/// `--force` asked, nothing left beside the file).
#[test]
fn a_standard_stream_named_as_a_path_is_written_through_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("log.txt");
    let trace = data("cpython3.11-stdlib.txt");
    let trace = trace.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
            .args(args)
            .current_dir(dir.path())
            .stdout(out)
            .output()
            .unwrap()
    };
    for target in ["/proc/self/fd/1", "/dev/stdout"] {
        std::fs::write(&log, "earlier line\n").unwrap();
        let out = run(&["report", trace, "-o", target, "--force"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = std::fs::read_to_string(&log).unwrap();
        assert!(text.starts_with("earlier line\n"), "{target}: {text}");
        assert!(text.contains("Import Profile"), "{target}: {text}");
    }
    std::fs::write(&log, "earlier line\n").unwrap();
    let out = run(&[
        "record",
        "--runs",
        "1",
        "--warmup",
        "0",
        "-o",
        "/dev/stdout",
        "--",
        "python3",
        "-c",
        "import json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&log).unwrap();
    let json = text.strip_prefix("earlier line\n").expect("kept");
    let trace: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(trace["runs"], 1);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["log.txt"]);
}

/// Runs the binary as an unprivileged user when the tests run as root (root may write any
/// file, so "read-only" means nothing to it); `setpriv` is util-linux's.
fn as_unprivileged(args: &[&str], dir: &Path) -> Option<std::process::Output> {
    // SAFETY: geteuid reads the process's effective user and cannot fail.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let setpriv = needs(on_path(&["setpriv"]))?;
        let mut cmd = std::process::Command::new(setpriv);
        cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_lmms-tui"));
        cmd
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
    };
    Some(cmd.args(args).current_dir(dir).output().unwrap())
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `--force` never replaces a file its user could not write, and a link in a read-only
/// directory is written through to its writable target.
#[test]
fn read_only_files_are_kept_and_links_in_read_only_directories_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    set_mode(d, 0o755);
    let trace = d.join("trace.txt");
    std::fs::copy(data("cpython3.11-stdlib.txt"), &trace).unwrap();
    set_mode(&trace, 0o644);
    let locked = d.join("locked.txt");
    std::fs::write(&locked, "keep\n").unwrap();
    set_mode(&locked, 0o444);
    let Some(out) = as_unprivileged(&["report", "trace.txt", "-o", "locked.txt", "--force"], d)
    else {
        return;
    };
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("locked.txt") && err.contains("read-only"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&locked).unwrap(), "keep\n");

    std::fs::create_dir(d.join("links")).unwrap();
    std::fs::create_dir(d.join("data")).unwrap();
    let target = d.join("data/report.txt");
    std::fs::write(&target, "old\n").unwrap();
    set_mode(&target, 0o666);
    std::os::unix::fs::symlink(&target, d.join("links/report.txt")).unwrap();
    set_mode(&d.join("links"), 0o555);
    set_mode(&d.join("data"), 0o555);
    let out = as_unprivileged(
        &["report", "trace.txt", "-o", "links/report.txt", "--force"],
        d,
    )
    .expect("asked above");
    set_mode(&d.join("links"), 0o755);
    set_mode(&d.join("data"), 0o755);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("Import Profile")
    );
    assert!(
        std::fs::symlink_metadata(d.join("links/report.txt"))
            .unwrap()
            .is_symlink()
    );
    let left: Vec<_> = std::fs::read_dir(d.join("data")).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing beside the target: {left:?}");
}

/// Past `ulimit -f` the write fails with a one-line error (status 2), the old file stays and
/// no temporary file is left — SIGXFSZ does not kill the process mid-write.
#[test]
fn the_file_size_limit_is_a_write_error() {
    let Some(bash) = needs(on_path(&["bash"])) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("out.txt");
    std::fs::write(&out_file, "old\n").unwrap();
    let trace = data("cpython3.11-numpy-3runs.txt");
    let script = format!(
        "ulimit -f 8; exec \"$0\" report {} --format folded -o out.txt --force",
        trace.display()
    );
    let out = std::process::Command::new(bash)
        .args(["-c", &script, env!("CARGO_BIN_EXE_lmms-tui")])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("out.txt") && err.contains("cannot write"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), "old\n");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

/// trace.json for `modules` modules over `runs` runs: a chain when `deep`, else all roots.
fn synthetic_trace(modules: usize, runs: usize, deep: bool) -> String {
    let list: Vec<serde_json::Value> = (0..modules)
        .map(|i| {
            let parent = (deep && i > 0).then(|| format!("m{}", i - 1));
            let times: Vec<u64> = (0..runs).map(|r| 7 + ((i + r) % 5) as u64).collect();
            serde_json::json!({
                "name": format!("m{i}"), "parent": parent, "self_us": times,
                "cumulative_us": times, "importers": [],
            })
        })
        .collect();
    serde_json::json!({
        "format": "lmms-tui-trace", "version": 1, "edges_complete": false,
        "runs": runs, "modules": list,
    })
    .to_string()
}

/// Folded stacks of a 6,000-deep chain are 18 million frames (about 95 MB of text) and are
/// streamed from one shared stack prefix; the profile formats of 1,000 runs × 400 modules are
/// streamed run by run, within 200 bytes a module×run (they took 4.9 KB each when built as one
/// document).
#[test]
fn large_profiles_are_streamed_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.json");
    std::fs::write(&deep, synthetic_trace(6_000, 1, true)).unwrap();
    let Some((code, kib)) = peak_rss_kib(&[
        "report",
        deep.to_str().unwrap(),
        "--format",
        "folded",
        "-o",
        "/dev/null",
    ]) else {
        return;
    };
    assert_eq!(code, 0);
    assert!(kib < 48 * 1024, "folded, 6,000 deep: {kib} KiB");
    let wide = dir.path().join("wide.json");
    std::fs::write(&wide, synthetic_trace(400, 1_000, false)).unwrap();
    for format in ["speedscope", "chrome-trace", "folded"] {
        let (code, kib) = peak_rss_kib(&[
            "report",
            wide.to_str().unwrap(),
            "--format",
            format,
            "-o",
            "/dev/null",
        ])
        .expect("python3 found above");
        assert_eq!(code, 0, "{format}");
        assert!(
            kib < 200 * 400_000 / 1024,
            "{format}, 1,000 runs × 400: {kib} KiB"
        );
    }
}
