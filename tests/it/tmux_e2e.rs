//! The real binary in a real terminal (tmux): open the bundled trace, search, help, shrink the
//! window to nothing and back, quit — exit status 0 and a clean terminal.

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of its own (its own socket), killed when dropped.
pub(crate) struct Tmux {
    socket: String,
}

impl Tmux {
    /// A server named after the process and `name`, so parallel tests never share one; `None`
    /// (the test skipped, or failed under `CI=true`) without tmux.
    pub(crate) fn new(name: &str) -> Option<Tmux> {
        crate::common::needs(crate::common::on_path(&["tmux"]))?;
        Some(Tmux {
            socket: format!("lmms-{name}-{}", std::process::id()),
        })
    }

    /// A tmux command; tmux failing (no such session, a bad option) fails the test.
    pub(crate) fn run(&self, args: &[&str]) -> String {
        let out = self.command(args);
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn command(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    /// Waits, up to 30 s, until `done` holds.
    pub(crate) fn wait_until(&self, what: &str, mut done: impl FnMut() -> bool) {
        let start = Instant::now();
        while !done() {
            // Generous: under a parallel test run a first frame can take seconds.
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "waited 30 s for {what}; the screen is:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A format variable of the pane (`#{alternate_on}`, `#{pane_width}`).
    pub(crate) fn pane(&self, variable: &str) -> String {
        self.run(&["display", "-p", "-t", "e2e", variable])
            .trim()
            .to_string()
    }

    pub(crate) fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "e2e"])
    }

    pub(crate) fn wait_for(&self, what: &str) -> String {
        let mut screen = String::new();
        self.wait_until(&format!("{what:?}"), || {
            screen = self.screen();
            screen.contains(what)
        });
        screen
    }

    /// A 120×40 session named `e2e` running `command` in a shell.
    fn start(&self, command: &str) {
        self.start_sized(command, 120, 40);
    }

    /// A session named `e2e` of `width`×`height` running `command` in a shell.
    pub(crate) fn start_sized(&self, command: &str, width: u16, height: u16) {
        let (w, h) = (width.to_string(), height.to_string());
        self.run(&[
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            &w,
            "-y",
            &h,
            command,
        ]);
    }

    /// `/`, the text, Enter: the explorer jumps to the best match.
    pub(crate) fn search(&self, text: &str) {
        self.keys(&["/"]);
        self.wait_for("search");
        self.keys(&["-l", text]);
        self.wait_for(&format!("/ {text}"));
        self.keys(&["Enter"]);
    }

    /// Waits for the shell's `echo EXIT=$?` after the explorer, checks the status and
    /// returns the screen.
    pub(crate) fn exited_with(&self, status: i32) -> String {
        let screen = self.wait_for("EXIT=");
        assert!(screen.contains(&format!("EXIT={status}")), "{screen}");
        screen
    }

    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend_from_slice(keys);
        self.run(&args);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        // The server may be gone already; nothing to check.
        let _ = self.command(&["kill-server"]);
    }
}

#[test]
fn explorer_in_a_real_terminal() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let Some(tmux) = Tmux::new("e2e") else {
        return;
    };
    let command = format!("{bin} {}; echo EXIT=$?; sleep 60", trace.display());
    tmux.start(&command);

    let first = tmux.wait_for("869 modules");
    assert!(
        first.contains("pandas") && first.contains("boto3"),
        "{first}"
    );
    assert_eq!(tmux.pane("#{alternate_on}"), "1");

    tmux.search("urllib3");
    tmux.wait_for("chain: handler › boto3 › boto3.compat › s3transfer.manager › s3transfer › botocore.compat › urllib3");

    tmux.keys(&["?"]);
    let help = tmux.wait_for("closes this help");
    assert!(help.contains("fuzzy search"), "{help}");
    tmux.keys(&["Escape"]);

    for (w, h) in [("20", "5"), ("1", "1")] {
        tmux.run(&["resize-window", "-t", "e2e", "-x", w, "-y", h]);
        tmux.wait_until(&format!("a {w}×{h} pane"), || {
            tmux.pane("#{pane_width}") == w && tmux.pane("#{pane_height}") == h
        });
    }
    tmux.run(&["resize-window", "-t", "e2e", "-x", "30", "-y", "8"]);
    tmux.wait_for("too small");
    tmux.run(&["resize-window", "-t", "e2e", "-x", "120", "-y", "40"]);
    tmux.wait_for("869 modules");

    tmux.keys(&["q"]);
    let after = tmux.exited_with(0);
    assert!(
        !after.contains("869 modules"),
        "the explorer's screen is gone:\n{after}"
    );
    assert_eq!(tmux.pane("#{alternate_on}"), "0");
    assert_eq!(tmux.pane("#{mouse_any_flag}"), "0");
}

#[test]
fn no_color_keeps_the_selection_visible_in_reverse_video() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let Some(tmux) = Tmux::new("e2e-nocolor") else {
        return;
    };
    for (name, env) in [("colour", ""), ("plain", "NO_COLOR=1 ")] {
        let command = format!("{env}{bin} {}; sleep 60", trace.display());
        tmux.start(&command);
        tmux.wait_for("869 modules");
        let styled = tmux.run(&["capture-pane", "-e", "-p", "-t", "e2e"]);
        let selected = styled
            .lines()
            .find(|l| l.contains("▾ handler"))
            .unwrap_or("");
        assert!(
            selected.contains("\x1b[0;7m") || selected.contains("\x1b[7m"),
            "{name}: reverse video on {selected:?}"
        );
        let coloured = styled.contains("\x1b[38;5;") || styled.contains("\x1b[35m");
        assert_eq!(
            coloured,
            env.is_empty(),
            "{name}: colours only without NO_COLOR"
        );
        tmux.run(&["kill-session", "-t", "e2e"]);
    }
}

#[test]
fn without_a_terminal_the_explorer_refuses() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let out = Command::new(bin)
        .arg("assets/lambda-handler-5runs.txt")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lmms-tui report"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn signals_restore_the_terminal() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let dir = tempfile::tempdir().unwrap();
    for (name, number) in [("TERM", 15), ("HUP", 1), ("INT", 2), ("QUIT", 3)] {
        let Some(tmux) = Tmux::new(&format!("e2e-signal-{name}")) else {
            return;
        };
        let pidfile = dir.path().join(format!("{name}.pid"));
        let command = format!(
            "sh -c 'echo $$ > {}; exec {bin} {}'; echo EXIT=$?; stty -a; sleep 60",
            pidfile.display(),
            trace.display()
        );
        tmux.start(&command);
        tmux.wait_for("869 modules");
        let pid = std::fs::read_to_string(&pidfile).unwrap();
        crate::common::send_signal(name, &pid);
        // `stty -a` prints after the exit status; its local modes hold the `icanon` word.
        let after = tmux.wait_for("icanon");
        assert!(
            after.contains(&format!("EXIT={}", 128 + number)),
            "{name}: {after}"
        );
        // The terminal is back: canonical input and echo on, main screen, no mouse capture.
        let stty: Vec<&str> = after
            .split("EXIT=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .collect();
        for mode in ["icanon", "echo", "isig"] {
            assert!(stty.contains(&mode), "{name}: `{mode}` in {stty:?}");
        }
        assert_eq!(tmux.pane("#{alternate_on}"), "0", "{name}");
        assert_eq!(tmux.pane("#{mouse_any_flag}"), "0", "{name}");
    }
}

/// In a real terminal, `q` after changing the plan asks before anything is lost; `n` then
/// quits with status 0 and writes no plan.
#[test]
fn quitting_with_an_unsaved_plan_asks_in_a_real_terminal() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let dir = tempfile::tempdir().unwrap();
    let Some(tmux) = Tmux::new("e2e-quit") else {
        return;
    };
    tmux.start(&format!(
        "cd {} && {bin} {}; echo EXIT=$?; sleep 60",
        dir.path().display(),
        trace.display()
    ));
    tmux.wait_for("869 modules");
    tmux.keys(&["j", "L"]);
    tmux.wait_for(" lazy ");
    tmux.keys(&["q"]);
    tmux.wait_for("the plan has unsaved changes");
    tmux.keys(&["n"]);
    tmux.exited_with(0);
    assert!(!dir.path().join("lmms-plan.json").exists());
}

/// A trace piped in from CPython (`… 2>&1 | lmms-tui -`) opens the explorer, which reads keys
/// from the terminal: search moves the selection, `q` quits with status 0.
#[test]
fn a_piped_trace_opens_the_explorer() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let Some(tmux) = Tmux::new("e2e-pipe") else {
        return;
    };
    tmux.start(&format!(
        "python3 -X importtime -c 'import json, email.parser' 2>&1 | {bin} -; echo EXIT=$?; sleep 60"
    ));
    tmux.wait_for("<stdin>");
    // The modules of the piped trace are listed (polled: a capture can land mid-draw).
    tmux.wait_for("json");
    tmux.search("email.feedparser");
    // The detail panel follows the jump: the chain ends at the module searched for.
    tmux.wait_for("› email.feedparser");
    tmux.keys(&["q"]);
    tmux.exited_with(0);
}

/// The explorer names the pyproject.toml whose [tool.lmms-tui] table it read, and uses it.
#[test]
fn the_explorer_names_its_configuration() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[tool.lmms-tui]\nbudget-ms = 150\n",
    )
    .unwrap();
    let Some(tmux) = Tmux::new("e2e-config") else {
        return;
    };
    tmux.start_sized(
        &format!(
            "cd {} && {bin} {}; sleep 60",
            dir.path().display(),
            trace.display()
        ),
        200,
        50,
    );
    let screen = tmux.wait_for("config: ");
    assert!(screen.contains("pyproject.toml"), "{screen}");
    assert!(screen.contains("over the 150 ms budget"), "{screen}");
}

/// Idle, the explorer writes nothing to the terminal; a key redraws.
#[test]
fn an_idle_explorer_writes_nothing() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("output");
    let Some(tmux) = Tmux::new("e2e-idle") else {
        return;
    };
    tmux.start(&format!("{bin} {}; sleep 60", trace.display()));
    tmux.wait_for("869 modules");
    // The first frame is complete once two captures 100 ms apart agree.
    let mut last = String::new();
    tmux.wait_until("a settled first frame", || {
        std::thread::sleep(Duration::from_millis(100));
        let screen = tmux.screen();
        std::mem::replace(&mut last, screen) == last
    });
    tmux.run(&[
        "pipe-pane",
        "-o",
        "-t",
        "e2e",
        &format!("cat >> {}", log.display()),
    ]);
    // The observation itself: 1.5 s in which an idle explorer must write nothing.
    std::thread::sleep(Duration::from_millis(1500));
    let written = || std::fs::metadata(&log).map_or(0, |m| m.len());
    assert_eq!(written(), 0, "bytes written while idle");
    tmux.keys(&["j"]);
    tmux.wait_until("a redraw after a key", || written() > 0);
}

/// A megabyte pasted into search (tmux's paste-buffer: raw key bytes, faster than any typist)
/// is taken in bursts with a draw per frame, and the query stops at its cap: the Escape sent
/// after it closes the search, and the explorer answers keys again. (Before, a 10 KB paste
/// froze it for minutes.) The 30 s bound of `wait_for` tells a hang from slowness.
#[test]
fn a_megabyte_pasted_into_search_leaves_the_explorer_responsive() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let Some(tmux) = Tmux::new("e2e-paste") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let paste = dir.path().join("paste.txt");
    std::fs::write(&paste, "a".repeat(1 << 20)).unwrap();
    tmux.start(&format!(
        "{bin} {}; echo EXIT=$?; sleep 60",
        trace.display()
    ));
    tmux.wait_for("869 modules");
    tmux.keys(&["/"]);
    tmux.wait_for("search");
    tmux.run(&["load-buffer", paste.to_str().unwrap()]);
    tmux.run(&["paste-buffer", "-t", "e2e"]);
    tmux.wait_for("/ aaaa");
    // Escape alone, then `q` once it was taken: ESC followed at once by a key reads as Alt.
    tmux.keys(&["Escape"]);
    tmux.wait_until("the search to close", || !tmux.screen().contains("/ aaaa"));
    tmux.keys(&["q"]);
    tmux.exited_with(0);
}

/// A stop from outside (`kill -TSTP`) gives the terminal back — main screen, no mouse
/// reports, cooked input — and continuing (`kill -CONT`, as `fg` does) takes it again: the
/// whole explorer is drawn, and a single `q`, no Enter, quits.
#[test]
fn a_stop_gives_the_terminal_back_and_continuing_takes_it_again() {
    let bin = env!("CARGO_BIN_EXE_lmms-tui");
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let Some(tmux) = Tmux::new("e2e-stop") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    tmux.start(&format!(
        "sh -c 'echo $$ > {}; exec {bin} {}'; echo EXIT=$?; sleep 60",
        pidfile.display(),
        trace.display()
    ));
    tmux.wait_for("869 modules");
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    crate::common::send_signal("TSTP", &pid);
    tmux.wait_until("the main screen", || tmux.pane("#{alternate_on}") == "0");
    assert_eq!(tmux.pane("#{mouse_any_flag}"), "0");
    let state = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap();
    assert!(state.contains(") T "), "stopped: {state}");
    crate::common::send_signal("CONT", &pid);
    tmux.wait_until("the alternate screen", || {
        tmux.pane("#{alternate_on}") == "1"
    });
    tmux.wait_for("869 modules");
    tmux.wait_for("q quit");
    tmux.keys(&["q"]);
    tmux.exited_with(0);
}
