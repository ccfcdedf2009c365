//! Mutated command lines, run for real until the time runs out: real commands on the bundled
//! traces with arguments dropped, repeated, swapped, replaced by hostile values or joined by
//! other flags. Whatever the line, lmms-tui answers with status 0, 1 or 2 within its time,
//! never panics, and writes no raw control or bidi character; it writes nowhere but where it
//! runs.
//!
//! `cargo test` runs it for 10 s on a fixed sequence; `LMMS_TUI_CLI_SECONDS=600
//! LMMS_TUI_CLI_SEED=7 cargo test --release cli_mutation` runs longer on another.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use lmms_core::synth::Rng;

use crate::common::{asset, bin};

fn budget() -> Duration {
    let seconds = std::env::var("LMMS_TUI_CLI_SECONDS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(10);
    Duration::from_secs(seconds)
}

fn seed() -> u64 {
    std::env::var("LMMS_TUI_CLI_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
}

/// Command lines that work, to mutate (files relative to the working directory).
const BASES: &[&[&str]] = &[
    &[
        "report", "t.txt", "--format", "json", "--top", "5", "--lazy", "pandas",
    ],
    &[
        "report", "t.txt", "--usage", "pandas=5", "--lazy", "pandas", "-o", "out.html", "--format",
        "html", "--force",
    ],
    &[
        "report",
        "t.json",
        "--baseline",
        "t.txt",
        "--format",
        "markdown",
    ],
    &[
        "report",
        "t.txt",
        "--plan",
        "plan.json",
        "--requests-per-day",
        "100",
        "--cold-start-rate",
        "50",
    ],
    &["why", "urllib3", "t.json", "--format", "json"],
    &[
        "check",
        "t.txt",
        "--baseline",
        "t.txt",
        "--budget-ms",
        "500",
        "--tolerance",
        "10",
        "--format",
        "github",
    ],
    &[
        "check",
        "t.json",
        "--baseline",
        "t.txt",
        "--modules",
        "--strict",
        "--min-ms",
        "1",
    ],
    &[
        "export", "t.txt", "--lazy", "pandas", "--style", "pep810", "-o", "fast.py", "--force",
    ],
    &[
        "export",
        "t.txt",
        "--plan",
        "plan.json",
        "--style",
        "fast-path",
    ],
    &[
        "report",
        "t.txt",
        "--format",
        "folded",
        "--snapstart",
        "--init-cpu-factor",
        "2",
    ],
];

/// What a mutation puts in: flags, and values that are wrong, extreme or hostile.
const WORDS: &[&str] = &[
    "",
    "-",
    "--",
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "-inf",
    "18446744073709551616",
    "%s%n",
    "\u{1b}[2J",
    "\u{1b}]52;c;eA==\u{7}",
    "\u{202e}x",
    "\u{9b}2J",
    "x\n::error::y",
    "/dev/zero",
    "/nonexistent/x",
    ".",
    "..",
    "=",
    "pandas=",
    "=5",
    "pandas=-5",
    "pandas=101",
    "pandas=1e999",
    "plan.json",
    "t.txt",
    "t.json",
    "out.html",
    "--force",
    "--help",
    "--version",
    "--format",
    "--top",
    "--lazy",
    "--lazy-everywhere",
    "--usage",
    "--baseline",
    "--plan",
    "--budget-ms",
    "--config",
    "--allow-mixed",
    "--tolerance",
    "--min-ms",
    "--style",
    "-o",
    "report",
    "why",
    "check",
    "export",
    "record",
    "completions",
    "man",
    "json",
    "github",
    "html",
    "speedscope",
    "chrome-trace",
    "trace-json",
    "pep810",
    "lazy-modules",
    "pandas",
    "boto3",
    "numpy.ma",
];

/// One mutation of `args`.
fn mutate(args: &mut Vec<String>, rng: &mut Rng) {
    let word = |rng: &mut Rng| WORDS[rng.below(WORDS.len() as u64) as usize].to_string();
    let at = |rng: &mut Rng, len: usize| rng.below(len.max(1) as u64) as usize;
    match rng.below(6) {
        0 if args.len() > 1 => {
            let i = at(rng, args.len());
            args.remove(i);
        }
        1 if !args.is_empty() => {
            let i = at(rng, args.len());
            args.insert(i, args[i].clone());
        }
        2 if args.len() > 1 => {
            let i = at(rng, args.len() - 1);
            args.swap(i, i + 1);
        }
        3 if !args.is_empty() => {
            let i = at(rng, args.len());
            args[i] = word(rng);
        }
        4 => {
            let long = "x".repeat(1 + rng.below(20_000) as usize);
            let i = at(rng, args.len() + 1);
            args.insert(i.min(args.len()), long);
        }
        _ => {
            let i = at(rng, args.len() + 1);
            args.insert(i.min(args.len()), word(rng));
        }
    }
}

/// The files the bases name, in a directory of their own.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(asset("lambda-handler-5runs.txt"), dir.path().join("t.txt")).unwrap();
    std::fs::copy(
        asset("lambda-handler-trace.json"),
        dir.path().join("t.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plan.json"),
        r#"{"format":"lmms-tui-plan","version":1,"modules":{"pandas":{"decision":"lazy","usage_pct":5}}}"#,
    )
    .unwrap();
    dir
}

/// Runs `args` in `dir` with no input and no terminal; what went wrong, if anything.
fn run_once(dir: &Path, args: &[String]) -> Result<(), String> {
    let mut child = bin()
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let read = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut text);
            }
            text
        })
    };
    let stdout = read(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = read(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let out = std::process::Output {
        status: status.unwrap_or_default(),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    };
    if status.is_none() {
        return Err("did not finish in 20 s".into());
    }
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    let raw = |t: &str| {
        t.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t') || lmms_core::printable::is_bidi_control(c)
        })
    };
    match out.status.code() {
        Some(0..=2) if stderr.contains("panicked") => Err(format!("panicked: {stderr}")),
        Some(0..=2) if raw(&stdout) || raw(&stderr) => Err(format!("raw control: {stderr:?}")),
        Some(0..=2) => Ok(()),
        code => Err(format!("status {code:?}: {stderr}")),
    }
}

#[test]
fn mutated_command_lines_end_cleanly() {
    let dir = workspace();
    let mut rng = Rng::new(seed());
    let deadline = Instant::now() + budget();
    let mut runs = 0;
    while Instant::now() < deadline {
        let base = BASES[rng.below(BASES.len() as u64) as usize];
        let mut args: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut args, &mut rng);
        }
        if let Err(why) = run_once(dir.path(), &args) {
            panic!("lmms-tui {args:?}: {why}");
        }
        runs += 1;
    }
    // Nothing but what the command lines name (or record's default) was written, and only
    // here.
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    left.sort();
    let named = |n: &str| WORDS.contains(&n) || BASES.iter().any(|b| b.contains(&n));
    for name in &left {
        assert!(
            named(name) || name == "trace.json" || name.chars().all(|c| c == 'x'),
            "{name} written ({runs} runs)"
        );
    }
    assert!(runs > 20, "{runs} runs in {:?}", budget());
}
