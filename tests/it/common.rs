//! Test helpers: an independent, deliberately naive reading of CPython's raw lines, so tests
//! compare the readers against the text itself rather than against their own output.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the binary in the package root: (exit status, stdout, stderr).
pub fn lmms(args: &[&str]) -> (i32, String, String) {
    lmms_env(args, &[])
}

/// `lmms` with these environment variables set.
pub fn lmms_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
        .args(args)
        .envs(env.iter().copied())
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

/// Modules in `sys.modules` after `python` runs `code` in `dir`.
pub fn sys_modules(python: &Path, dir: &Path, code: &str) -> BTreeSet<String> {
    let (stdout, _) = succeeded(
        Command::new(python)
            .args([
                "-c",
                &format!("{code}\nimport sys\nprint('\\n'.join(sys.modules))"),
            ])
            .current_dir(dir),
    );
    stdout.lines().map(str::to_string).collect()
}

/// What CPython really drops (in `full`, not in `rest`) against what a `report --format json`
/// projected, both limited to what each side can name: modules in the trace (sys.modules
/// also holds aliases such as `__mp_main__`) that really loaded (failed imports are traced but
/// absent). `entry` is the program's own module, which the two runs name differently.
pub fn real_vs_projected(
    report: &serde_json::Value,
    full: &BTreeSet<String>,
    rest: &BTreeSet<String>,
    entry: &str,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let traced: BTreeSet<&str> = report["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    let missing = full
        .difference(rest)
        .filter(|m| traced.contains(m.as_str()) && *m != entry)
        .cloned()
        .collect();
    let dropped = report["projection"]["dropped_modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .filter(|m| full.contains(m))
        .collect();
    (missing, dropped)
}

/// `lmms-tui report ARGS --format json` run in `dir`, parsed.
pub fn report_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let (stdout, _) = succeeded(
        bin()
            .arg("report")
            .args(args)
            .args(["--format", "json"])
            .current_dir(dir),
    );
    serde_json::from_str(&stdout).unwrap()
}

/// Runs `cmd` and asserts it succeeded (showing its standard error if not): (stdout, stderr).
pub fn succeeded(cmd: &mut Command) -> (String, String) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
}

/// The binary, to be given arguments and a directory.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lmms-tui"))
}

/// Writes `(relative path, text)` files under `dir`, creating directories.
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// The entry named `name` of a JSON report's or trace.json's `modules` array.
pub fn module_entry(json: &serde_json::Value, name: &str) -> serde_json::Value {
    json["modules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in the modules"))
        .clone()
}

/// The modules of a trace.json that a timed run printed a line for, shutdown imports aside:
/// what `-X importtime` runs (a measured edit's among them) can be compared with.
pub fn timed_modules(trace: &serde_json::Value) -> BTreeSet<String> {
    (trace["modules"].as_array().unwrap().iter())
        .filter(|m| m["shutdown"] != true)
        .filter(|m| {
            m["self_us"]
                .as_array()
                .unwrap()
                .iter()
                .any(|v| !v.is_null())
        })
        .map(|m| m["name"].as_str().unwrap().to_string())
        .collect()
}

/// What CPython loads when `import app` runs in `dir` with the line `drop` of app.py removed
/// (the edited copy is `app_edited.py`).
pub fn without_line(python: &Path, dir: &Path, drop: &str) -> BTreeSet<String> {
    without_lines(python, dir, &[drop])
}

/// `without_line`, with each of these lines removed.
pub fn without_lines(python: &Path, dir: &Path, drop: &[&str]) -> BTreeSet<String> {
    let app = std::fs::read_to_string(dir.join("app.py")).unwrap();
    let edited: String = app
        .lines()
        .filter(|l| !drop.contains(&l.trim()))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        app.lines().count() - edited.lines().count(),
        drop.len(),
        "{drop:?} are lines of app.py"
    );
    std::fs::write(dir.join("app_edited.py"), edited).unwrap();
    sys_modules(python, dir, "import app_edited")
}

/// Whether CI runs this suite (`CI=true`): then nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// What a test needs, or why this machine lacks it. Without it the test is skipped with one
/// line written straight to the terminal (libtest's capture swallows `eprintln!` of a test that
/// passes); under `CI=true` the test fails instead, naming what is missing, so CI never passes
/// by skipping. libtest names each test's thread after the test.
pub fn needs<T>(need: Result<T, String>) -> Option<T> {
    use std::io::Write;
    let why = match need {
        Ok(found) => return Some(found),
        Err(why) => why,
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    assert!(
        !in_ci(),
        "{test} needs {why}; CI=true makes it required (CI must never pass by skipping)"
    );
    let _ = writeln!(
        std::io::stderr().lock(),
        "SKIPPED {test}: needs {why} (required under CI=true)"
    );
    None
}

/// A program on PATH under one of `names`, or what is missing.
pub fn on_path(names: &[&str]) -> Result<PathBuf, String> {
    let paths = std::env::var_os("PATH").unwrap_or_default();
    names
        .iter()
        .find_map(|name| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        })
        .ok_or_else(|| format!("{} on PATH", names.join(" or ")))
}

/// `check --format github`'s output without its pause of workflow commands around the plain
/// text (`::stop-commands::TOKEN` … `::TOKEN::`), which must be there, closing the output.
pub fn unpaused(out: &str) -> String {
    let start = out
        .find("::stop-commands::")
        .expect("the text part is paused");
    let token_line = out[start..].lines().next().unwrap();
    let token = token_line.trim_start_matches("::stop-commands::");
    let end = format!("::{token}::\n");
    assert!(out.ends_with(&end), "{out}");
    format!(
        "{}{}",
        &out[..start],
        &out[start + token_line.len() + 1..out.len() - end.len()]
    )
}

/// Runs the binary with `args` (output discarded) and returns its exit code and peak resident
/// memory in KiB. A process started straight from this test binary would inherit its
/// high-water mark (Linux keeps it across exec), so python3 starts it and reads its children's
/// peak; None (the test skipped, or failed under `CI=true`) without python3.
pub fn peak_rss_kib(args: &[&str]) -> Option<(i32, u64)> {
    let python = needs(on_path(&["python3"]))?;
    let script = "import resource, subprocess, sys\n\
                  code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL,\n\
                  \x20                     stderr=subprocess.DEVNULL).returncode\n\
                  print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n";
    let out = Command::new(python)
        .args(["-c", script, env!("CARGO_BIN_EXE_lmms-tui")])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace().map(|w| w.parse::<i64>().unwrap());
    let (code, kib) = (words.next().unwrap(), words.next().unwrap());
    Some((code as i32, kib as u64))
}

/// Sends `signal` (`TERM`, `TSTP`, …) to process `pid` with kill(1); kill failing fails the
/// test.
pub fn send_signal(signal: &str, pid: &str) {
    let status = Command::new("kill")
        .args([&format!("-{signal}"), pid.trim()])
        .status();
    assert!(status.unwrap().success(), "kill -{signal} {pid}");
}

/// Polls `done` every 50 ms until it holds or `limit` passes; whether it held.
pub fn holds_within(limit: std::time::Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while !done() {
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    true
}

/// Whether process `pid` is running (neither gone nor a zombie), from /proc.
pub fn running(pid: &str) -> bool {
    let stat = Path::new("/proc").join(pid.trim()).join("stat");
    std::fs::read_to_string(stat).is_ok_and(|state| !state.contains(") Z "))
}

/// The explorer drawn at `width`×`height`, as text: a line per screen row.
pub fn screen_text(app: &lmms_tui::tui::app::App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    terminal
        .draw(|f| lmms_tui::tui::render::render(app, f))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

/// Presses each key in the explorer as the event loop would (a search runs to its end).
pub fn press(
    app: &mut lmms_tui::tui::app::App,
    keys: impl IntoIterator<Item = crossterm::event::KeyCode>,
) {
    for code in keys {
        let key = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
        if let Some(action) = lmms_tui::tui::keymap::action_for(app.mode(), key) {
            lmms_tui::tui::dispatch(app, action);
        }
        app.step_search(std::time::Duration::from_secs(10));
    }
}

/// Runs `cmd` and asserts it was refused: exit status 2, one line on standard error saying
/// `said`.
pub fn refused_in_one_line(cmd: &mut Command, said: &str) {
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
    assert!(
        stderr.contains(said) && stderr.lines().count() == 1,
        "{cmd:?}: {stderr}"
    );
}
