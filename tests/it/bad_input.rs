//! Bad input: one clear line naming the file (and line), exit status 2, never a panic.

use crate::common::{bin, lmms, lmms_env};

use std::path::Path;

fn refused(name: &str, content: &[u8], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    let p = path.to_str().unwrap();
    let (code, stdout, stderr) = lmms(&["report", p]);
    assert_eq!(code, 2, "{name}: {stderr}");
    assert!(stdout.is_empty(), "{name}: nothing on stdout");
    assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr:?}");
    assert!(stderr.starts_with("lmms-tui: "), "{stderr}");
    assert!(stderr.contains(p), "{name}: names the file: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    for e in expect {
        assert!(
            stderr.contains(e),
            "{name}: {stderr:?} should contain {e:?}"
        );
    }
}

const GOOD: &str = "import time: self [us] | cumulative | imported package\n\
import time:       212 |        212 |   _io\n";

#[test]
fn binary_garbage() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    refused("garbage.bin", &bytes, &["is a binary file, not a trace"]);
}

/// Files that are something else say what they are, and the command the user likely meant.
#[test]
fn a_file_that_is_something_else_says_what_and_the_next_step() {
    refused(
        "app.py",
        b"\"\"\"A handler.\"\"\"\nimport json\n\ndef handler(event, context):\n    return 1\n",
        &[
            "looks like Python source, not a trace: record one with `lmms-tui record -o trace.json -- python ",
        ],
    );
    refused(
        "lmms-plan.json",
        br#"{"format": "lmms-tui-plan", "version": 1, "decisions": {}}"#,
        &["is an lmms-tui plan, not a trace", "--plan "],
    );
    refused(
        "elf",
        b"\x7fELF\x02\x01\x01\x00\x00\x00",
        &["is a binary file"],
    );
    let other = br#"{"format": "lmms-tui-trace", "version": 99, "runs": 1, "modules": []}"#;
    refused(
        "v99.json",
        other,
        &["version 99 is not supported", "record it again"],
    );
    // A directory holding a trace.json points at it.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("trace.json"), GOOD).unwrap();
    let d = dir.path().display().to_string();
    let (code, _, err) = lmms(&["report", &d]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!("did you mean {d}/trace.json?")),
        "{err}"
    );
}

/// Arguments in the wrong order, a negative number, a missing file without a terminal: each a
/// line that says what to do.
#[test]
fn command_line_slips_say_what_to_do() {
    let trace = crate::common::asset("lambda-handler-trace.json");
    let trace = trace.to_str().unwrap();
    let (code, _, err) = lmms(&["why", trace, "pandas"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(&format!(
            "the module comes first — `lmms-tui why pandas {trace}`"
        )),
        "{err}"
    );
    for (flag, said) in [
        ("--budget-ms", "must be ≥ 0"),
        ("--tolerance", "must be ≥ 0"),
    ] {
        let (code, _, err) = lmms(&["check", trace, flag, "-1"]);
        assert_eq!(code, 2, "{flag}: {err}");
        assert!(
            err.contains(said) && !err.contains("-- -1"),
            "{flag}: {err}"
        );
    }
    // No terminal here: the missing file is said first.
    let (code, _, err) = lmms(&["no-such-trace.json"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no-such-trace.json: cannot read: no such file"),
        "{err}"
    );
}

#[test]
fn empty_and_blank_files() {
    refused("empty.txt", b"", &["empty"]);
    refused("blank.txt", b"\n \r\n\t\n", &["empty"]);
}

#[test]
fn no_import_time_lines() {
    refused(
        "log.txt",
        b"START RequestId: 1\nEND RequestId: 1\n",
        &["no import-time lines"],
    );
}

#[test]
fn negative_and_non_numeric_figures_name_the_line() {
    refused(
        "neg.txt",
        format!("{GOOD}import time:       -12 |         50 | json\n").as_bytes(),
        &[":3:", "negative self"],
    );
    refused(
        "nan.txt",
        format!("{GOOD}import time:       12 |       5O | json\n").as_bytes(),
        &[":3:", "cumulative column", "5O"],
    );
    refused(
        "cut.txt",
        format!("{GOOD}import time:       12 \n").as_bytes(),
        &[":3:", "expected"],
    );
    refused(
        "noname.txt",
        format!("{GOOD}import time: 1 | 2 |    \n").as_bytes(),
        &[":3:", "no module name"],
    );
}

#[test]
fn bad_json() {
    let good = r#"{"format":"lmms-tui-trace","version":1,"runs":1,"edges_complete":false,"modules":[{"name":"a","parent":null,"self_us":[1],"cumulative_us":[1]}]}"#;
    refused(
        "trunc.json",
        &good.as_bytes()[..good.len() / 2],
        &["truncated JSON", ":1:"],
    );
    refused(
        "syntax.json",
        b"{\n  \"format\": lmms\n}",
        &["invalid JSON", ":2:"],
    );
    refused(
        "other.json",
        br#"{"format":"speedscope","version":1,"runs":1,"edges_complete":false,"modules":[]}"#,
        &["expected `lmms-tui-trace`"],
    );
    refused(
        "v9.json",
        good.replace("\"version\":1", "\"version\":9").as_bytes(),
        &["version 9"],
    );
    refused(
        "neg.json",
        good.replace("[1],\"cumulative", "[-1],\"cumulative")
            .as_bytes(),
        &["not an lmms-tui trace", "`-1`"],
    );
    refused(
        "runs.json",
        good.replace("\"runs\":1", "\"runs\":2").as_bytes(),
        &["expected 2 samples"],
    );
    refused(
        "parent.json",
        good.replace("\"parent\":null", "\"parent\":\"zz\"")
            .as_bytes(),
        &["parent `zz`"],
    );
    refused(
        "class.json",
        good.replace(
            "\"cumulative_us\":[1]}",
            "\"cumulative_us\":[1],\"class\":\"alien\"}",
        )
        .as_bytes(),
        &["class `alien`"],
    );
    refused(
        "origin.json",
        good.replace(
            "\"cumulative_us\":[1]}",
            "\"cumulative_us\":[1],\"class\":\"program\",\"origin\":\"/x\\u001b[2J\"}",
        )
        .as_bytes(),
        &["`origin` holds control characters"],
    );
    refused(
        "measured.json",
        good.replace(
            "]}]}",
            "]}],\"measured\":[{\"lazy\":[\"a\"],\"total_us\":[1],\"modules\":[],\"loaded_anyway\":[{\"module\":\"a\",\"importer\":\"\\u001b]0;x\"}]}]}",
        )
        .as_bytes(),
        &["holds control characters"],
    );
    let site = |site: &str| {
        good.replace(
            "\"cumulative_us\":[1]}",
            &format!("\"cumulative_us\":[1],\"import_sites\":[{site}]}}"),
        )
    };
    refused(
        "kind.json",
        site(r#"{"importer":null,"kind":"telepathy"}"#).as_bytes(),
        &["import kind `telepathy`"],
    );
    refused(
        "site-importer.json",
        site(r#"{"importer":"ghost","kind":"statement"}"#).as_bytes(),
        &["importer `ghost`"],
    );
    refused(
        "site-code.json",
        site(r#"{"importer":null,"kind":"statement","file":"a.py","line":1,"code":"import a\u001b[2J"}"#)
            .as_bytes(),
        &["import site holds control characters"],
    );
    refused(
        "site-field.json",
        site(r#"{"importer":null,"kind":"statement","evil":1}"#).as_bytes(),
        &["evil"],
    );
    refused(
        "cycle.json",
        br#"{"format":"lmms-tui-trace","version":1,"runs":1,"edges_complete":false,"modules":[
        {"name":"a","parent":"b","self_us":[1],"cumulative_us":[1]},
        {"name":"b","parent":"a","self_us":[1],"cumulative_us":[1]}]}"#,
        &["cycle"],
    );
}

#[test]
fn missing_file_and_directory() {
    let (code, _, stderr) = lmms(&["report", "/nonexistent/trace.txt"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "lmms-tui: /nonexistent/trace.txt: cannot read: no such file"
    );
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    let (code, _, stderr) = lmms(&["report", d]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is a directory"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1);
}

#[test]
fn second_file_bad_names_that_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&good, GOOD).unwrap();
    std::fs::write(&bad, "import time: x | y | z\n").unwrap();
    let (code, _, stderr) = lmms(&["report", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(&format!("{}:1:", bad.display())),
        "{stderr}"
    );
    assert!(!stderr.contains(good.to_str().unwrap()));
}

#[test]
fn good_report_exits_zero() {
    let trace = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/lambda-handler-5runs.txt");
    let (code, stdout, stderr) = lmms(&["report", trace.to_str().unwrap(), "--top", "3"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("5 runs"));
    assert!(stdout.contains("Import Profile (Slowest First, by cumulative time)"));
}

/// Names that are code or terminal escapes, in a trace.
const HOSTILE: &str = "import time: self [us] | cumulative | imported package\n\
import time:      1500 |       1500 |   os;__import__('os').system('touch_pwned')\n\
import time:      1200 |       1200 |   evil\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\n\
import time:       900 |        900 |   \u{1b}]8;;http://x\u{1b}\\link\n\
import time:       700 |        700 |   del\u{7f}csi\u{9b}2J\n\
import time:       800 |       5100 | app<img_src=x>\n";

/// HOSTILE's name with DEL and a C1 control: raw on a terminal they act; escaped by the
/// terminal guard inside a JSON string, the JSON would no longer parse.
const C1_NAME: &str = "del\u{7f}csi\u{9b}2J";

/// Whether a string anywhere in `json` passes `test`.
fn any_string(json: &serde_json::Value, test: &dyn Fn(&str) -> bool) -> bool {
    match json {
        serde_json::Value::String(s) => test(s),
        serde_json::Value::Array(items) => items.iter().any(|v| any_string(v, test)),
        serde_json::Value::Object(map) => map.values().any(|v| any_string(v, test)),
        _ => false,
    }
}

#[test]
fn hostile_names_never_become_code_or_reach_the_terminal_raw() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.txt");
    std::fs::write(&path, HOSTILE).unwrap();
    let p = path.to_str().unwrap();
    let raw = |text: &str| text.contains(['\u{1b}', '\u{7}', '\u{9b}']);
    for args in [
        &["report", p][..],
        &["report", p, "--format", "markdown"],
        &["report", p, "--format", "json"],
        &["check", p, "--baseline", p],
    ] {
        let (code, out, err) = lmms(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!raw(&out) && !raw(&err), "{args:?}: {out:?}");
    }
    // Every JSON we print parses and gives the names back exactly.
    for args in [
        &["report", p, "--format", "json"][..],
        &["report", p, "--format", "trace-json"],
        &["report", p, "--format", "speedscope"],
        &["report", p, "--format", "chrome-trace"],
        &["why", C1_NAME, p, "--format", "json"],
        &["check", p, "--baseline", p, "--format", "json"],
    ] {
        let (code, out, err) = lmms(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!out.contains(['\u{7f}', '\u{9b}']), "{args:?}: {out:?}");
        let json: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"));
        if args[0] != "check" {
            assert!(
                any_string(&json, &|s| s.contains(C1_NAME)),
                "{args:?}: {out}"
            );
        }
    }
    // `why` names the module, `check` the trace file, in its output and in GitHub's job
    // summary.
    let evil = "evil\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}";
    let (code, out, err) = lmms(&["why", evil, p]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("evil\\u{1b}[2J") && !raw(&out), "{out:?}");
    let named = dir.path().join("run\u{1b}]0;title\u{7}.txt");
    std::fs::write(&named, HOSTILE).unwrap();
    let named = named.to_str().unwrap();
    let summary = dir.path().join("summary.md");
    let (code, out, err) = lmms_env(
        &["check", named, "--baseline", p, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{err}");
    let summary = std::fs::read_to_string(&summary).unwrap();
    for text in [&out, &summary] {
        assert!(text.contains("run\\u{1b}") && !raw(text), "{text:?}");
    }
    let (_, markdown, _) = lmms(&["report", p, "--format", "markdown"]);
    assert!(markdown.contains("app\\<img\\_src=x\\>"), "{markdown}");
    assert!(!markdown.replace("\\<", "").contains('<'), "{markdown}");
    // No module name is written into Python code unless it is one.
    for style in ["fast-path", "pep810", "lazy-modules"] {
        let (code, out, err) = lmms(&["export", p, "--style", style]);
        assert_eq!(code, 2, "{style}: {out}");
        assert!(out.is_empty());
        assert!(err.contains("is not a Python module name"), "{err}");
        assert!(!raw(&err), "{err:?}");
        assert_eq!(err.lines().count(), 1);
    }
    // A file name that would close fast_path.py's docstring stays inside it.
    let quoted = dir.path().join("q\"\"\"x.txt");
    std::fs::write(&quoted, GOOD).unwrap();
    let (code, out, err) = lmms(&["export", quoted.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("q\\\"\\\"\\\"x.txt"), "{out}");
}

#[test]
fn byte_order_marks_empty_traces_and_endless_input() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("bom.txt");
    std::fs::write(&text, format!("\u{feff}{GOOD}")).unwrap();
    let json = dir.path().join("bom.json");
    std::fs::write(
        &json,
        "\u{feff}{\"format\":\"lmms-tui-trace\",\"version\":1,\"runs\":1,\"edges_complete\":true,\
         \"modules\":[{\"name\":\"a\",\"parent\":null,\"self_us\":[5],\"cumulative_us\":[5]}]}",
    )
    .unwrap();
    for path in [&text, &json] {
        let (code, _, err) = lmms(&["report", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{err}");
    }
    // A trace with no module passes no check.
    let header = dir.path().join("header.txt");
    std::fs::write(
        &header,
        "import time: self [us] | cumulative | imported package\n",
    )
    .unwrap();
    let (code, _, err) = lmms(&[
        "check",
        header.to_str().unwrap(),
        "--baseline",
        "assets/lambda-handler-5runs.txt",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to check"), "{err}");
    // A regular file over the limit, which is mapped rather than read, is refused unread.
    let big = dir.path().join("big.txt");
    std::fs::write(&big, GOOD.repeat((2 << 20) / GOOD.len())).unwrap();
    let (code, _, err) = lmms_env(
        &["report", big.to_str().unwrap()],
        &[("LMMS_TUI_MAX_INPUT_MB", "1")],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("big.txt: larger than 1 MB"), "{err}");
    // A device no trace comes from is refused before a byte is read (`/dev/zero` would be
    // read up to the limit), as a file or as standard input.
    let (code, _, err) = lmms(&["report", "/dev/zero"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/dev/zero: is a character device"), "{err}");
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let out = bin().args(["report", "-"]).stdin(zero).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("<stdin>: is a character device"), "{err}");
}

/// `report -` of `len` bytes through a pipe (a good trace, then blank lines), under a 1 MB
/// limit: its exit status and standard error.
fn piped_report(len: usize) -> (i32, String) {
    use std::io::Write;
    let mut child = bin()
        .args(["report", "-"])
        .env("LMMS_TUI_MAX_INPUT_MB", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut text = GOOD.as_bytes().to_vec();
        text.resize(len, b'\n');
        // The reader may stop early (over the limit): a broken pipe is expected then.
        let _ = stdin.write_all(&text);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), err)
}

/// The input limit at its edge, on a pipe: exactly the limit reads, one byte more is refused.
#[test]
fn a_pipe_reads_up_to_the_limit_and_not_a_byte_more() {
    let (code, err) = piped_report(1 << 20);
    assert_eq!(code, 0, "{err}");
    let (code, err) = piped_report((1 << 20) + 1);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("<stdin>: larger than 1 MB"), "{err}");
}

/// A trace file another program writes into while it is read (mapped): an error naming it,
/// not a report mixing old bytes and new. One that only grows (a log still being written) is
/// read as it was, as a read would.
#[test]
fn a_file_written_while_read_is_an_error_naming_it() {
    use std::io::{Seek, Write};
    let dir = tempfile::tempdir().unwrap();
    for (how, at, error) in [
        ("in place", std::io::SeekFrom::Start(0), true),
        ("appended", std::io::SeekFrom::End(0), false),
    ] {
        let path = dir.path().join(format!("{how}.txt"));
        std::fs::write(&path, GOOD.repeat(100)).unwrap();
        // Written long ago, so the write below leaves a new modification time whatever the
        // file system's clock granularity.
        let long_ago = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1 << 30);
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(long_ago).unwrap();
        drop(file);
        let input = lmms_core::trace::Input::file(&path).unwrap();
        assert!(input.parse(&path, |_| Ok(())).is_ok());
        // Another program writes while the bytes are parsed.
        let parsed = input.parse(&path, |_| {
            let mut file = std::fs::File::options().write(true).open(&path).unwrap();
            file.seek(at).unwrap();
            file.write_all(b"import time:       999 |").unwrap();
            Ok(())
        });
        match parsed {
            Err(err) if error => assert!(
                err.message().ends_with(&format!(
                    "{how}.txt: cannot read: the file changed while it was read"
                )),
                "{err:?}"
            ),
            result => assert_eq!(result.is_err(), error, "{how}"),
        }
    }
}

/// A trace file cut short by another program while it is mapped: the usual one-line error
/// naming it and status 2, not a bus error. The cut comes between mapping and reading, which
/// only a process of its own can show: this test runs itself again as that process.
#[test]
fn a_file_cut_short_while_mapped_is_an_error_naming_it() {
    const CHILD: &str = "LMMS_TEST_CUT_SHORT";
    if let Some(path) = std::env::var_os(CHILD) {
        let path = Path::new(&path);
        let input = lmms_core::trace::Input::file(path).unwrap();
        assert!(matches!(input, lmms_core::trace::Input::Mapped(..)));
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_len(0)
            .unwrap();
        let sum: u64 = input.iter().map(|&b| u64::from(b)).sum();
        panic!("read {sum} from a file cut short");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut\x1b[2J.txt");
    std::fs::write(&path, GOOD.repeat(4096)).unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "bad_input::a_file_cut_short_while_mapped_is_an_error_naming_it",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, &path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let line = err.lines().last().unwrap_or_default();
    assert!(
        line.starts_with("lmms-tui: ")
            && line.ends_with("cut\\u{1b}[2J.txt: cannot read: the file shrank while it was read"),
        "{err}"
    );
}

#[test]
fn run_counts_and_sums_cannot_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("many.json");
    std::fs::write(
        &many,
        r#"{"format":"lmms-tui-trace","version":1,"runs":4294967295,"edges_complete":true,"modules":[]}"#,
    )
    .unwrap();
    let m = many.to_str().unwrap();
    let (code, _, err) = lmms(&["report", m, m]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("more than the 10000 runs"), "{err}");
    // Two modules of 2^63 µs: the total saturates instead of wrapping to almost nothing.
    let huge = dir.path().join("huge.json");
    let big = 1u64 << 63;
    std::fs::write(
        &huge,
        format!(
            r#"{{"format":"lmms-tui-trace","version":1,"runs":1,"edges_complete":true,"modules":[
            {{"name":"a","parent":null,"self_us":[{big}],"cumulative_us":[{big}]}},
            {{"name":"b","parent":null,"self_us":[{big}],"cumulative_us":[{big}]}}]}}"#
        ),
    )
    .unwrap();
    let (code, out, err) = lmms(&["check", huge.to_str().unwrap(), "--budget-ms", "1"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("✗ cold start"), "{out}");
}

#[test]
fn why_an_unknown_module_offers_the_closest_names() {
    let trace = crate::common::asset("lambda-handler-5runs.txt");
    let (code, stdout, stderr) = lmms(&["why", "urlib3", trace.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("module `urlib3` is not in the trace (closest: urllib3"),
        "{stderr}"
    );
    // The same lookup serves --lazy.
    let (code, _, stderr) = lmms(&["report", trace.to_str().unwrap(), "--lazy", "pandsa"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("closest: pandas"), "{stderr}");
}

#[test]
fn a_mistyped_command_is_named() {
    let (code, _, stderr) = lmms(&["reprot", "trace.json"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "lmms-tui: reprot: no such file — did you mean `lmms-tui report`?"
    );
}

/// The module-name check agrees with CPython itself (the interpreter on PATH): every part an
/// identifier by `str.isidentifier()`, none a keyword, the whole name already NFKC — on a few
/// thousand seeded names drawn from characters where the rules differ (Unicode "No" digits,
/// compatibility ligatures, combining marks, Other_ID_Start, bidi controls).
#[test]
fn module_names_are_exactly_what_python_accepts() {
    const POOL: &[char] = &[
        'a', 'Z', '_', '0', '9', '.', '.', 'é', '²', '\u{fb01}', '\u{2460}', 'ª', 'ß', '\u{300}',
        '\u{2168}', '\u{b7}', '\u{2118}', '\u{309b}', '\u{202e}', '\u{200d}', '-', ' ',
    ];
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut names: Vec<String> = ["class", "match", "async.x", "a.b", "_"]
        .map(String::from)
        .to_vec();
    for _ in 0..3000 {
        let len = 1 + (next() % 6) as usize;
        names.push(
            (0..len)
                .map(|_| POOL[(next() % POOL.len() as u64) as usize])
                .collect(),
        );
    }
    let script = "import json, keyword, sys, unicodedata\n\
        names = json.load(sys.stdin)\n\
        ok = [bool(n) and unicodedata.normalize('NFKC', n) == n and all(\n\
              p.isidentifier() and not keyword.iskeyword(p) for p in n.split('.')) for n in names]\n\
        json.dump(ok, sys.stdout)";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    serde_json::to_writer(child.stdin.take().unwrap(), &names).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let python: Vec<bool> = serde_json::from_slice(&out.stdout).unwrap();
    let accepted = python.iter().filter(|&&ok| ok).count();
    assert!(
        accepted > 100,
        "the sample holds valid names too: {accepted}"
    );
    for (name, ok) in names.iter().zip(python) {
        assert_eq!(
            lmms_core::model::is_python_module_name(name),
            ok,
            "{name:?} (python says {ok})"
        );
    }
}

/// A trace's free text cannot start a CI workflow command or a markdown block: trace.json's
/// trace-wide texts with a newline are refused; a trace file named `x⏎::error …` reaches
/// `check --format github` only between our own commands' pause and its end, and the markdown
/// report only escaped.
#[test]
fn free_text_never_starts_a_workflow_command_or_a_block() {
    let dir = tempfile::tempdir().unwrap();
    let trace = |field: &str, value: serde_json::Value| {
        let mut doc = serde_json::json!({
            "format": "lmms-tui-trace", "version": 1, "runs": 1, "edges_complete": false,
            "modules": [{"name": "app", "parent": null, "self_us": [10],
                         "cumulative_us": [10], "importers": []}]
        });
        doc[field] = value;
        doc.to_string()
    };
    for (field, value) in [
        (
            "python",
            serde_json::json!("3.11\n::error file=ci.yml::INJECTED"),
        ),
        ("recorded_at", serde_json::json!("2026\n# heading")),
        (
            "command",
            serde_json::json!(["python", "-c", "x\n::add-mask::ms"]),
        ),
    ] {
        let path = dir.path().join(format!("{field}.json"));
        std::fs::write(&path, trace(field, value)).unwrap();
        let (code, _, err) = lmms(&["report", path.to_str().unwrap()]);
        assert_eq!(code, 2, "{field}: {err}");
        assert!(err.contains(&format!("`{field}` holds")), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let named = dir
        .path()
        .join("t\n::error file=ci.yml,line=1::INJECTED\n- x.json");
    std::fs::write(&named, trace("python", serde_json::json!("3.11"))).unwrap();
    let named = named.to_str().unwrap();
    let (code, out, err) = lmms(&["check", named, "--baseline", named, "--format", "github"]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    let pause = lines
        .iter()
        .position(|l| l.starts_with("::stop-commands::"))
        .expect("the text part is paused");
    let token = lines[pause].trim_start_matches("::stop-commands::");
    let end = lines
        .iter()
        .position(|l| *l == format!("::{token}::"))
        .unwrap();
    assert_eq!(end, lines.len() - 1, "{out}");
    for line in &lines[..pause] {
        assert!(
            line.starts_with("::error ") || line.starts_with("::warning "),
            "{line}"
        );
    }
    assert!(
        lines[pause + 1..end]
            .iter()
            .any(|l| l.starts_with("::error file=")),
        "{out}"
    );
    let (code, markdown, err) = lmms(&["report", named, "--format", "markdown"]);
    assert_eq!(code, 0, "{err}");
    for line in markdown.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line}");
        assert!(!line.starts_with("- x.json"), "{line}");
    }
}
