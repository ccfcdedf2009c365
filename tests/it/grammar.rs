//! Hostile names and file names through every output format: whatever they hold, each output
//! keeps its grammar — no workflow command, markdown block, HTML tag, terminal escape or
//! broken JSON comes from them. Each hostile piece carries the marker `ZQ`, so a line it
//! injected is a line holding the marker.

use proptest::prelude::*;
use std::path::Path;

use crate::common::{lmms, lmms_env};

/// What a name or a file name may be made of: commands, block syntax, tags, escapes.
const PIECES: &[&str] = &[
    "::error file=ci.yml::ZQ",
    "::add-mask::ZQ",
    "# ZQ",
    "```ZQ",
    "~~~ZQ",
    "> ZQ",
    "---ZQ",
    "<script>ZQ</script>",
    "<img src=x onerror=ZQ>",
    "|ZQ|",
    "[ZQ](javascript:x)",
    "\u{1b}]52;c;ZQ\u{7}",
    "\u{1b}[2JZQ",
    "\u{9b}2JZQ",
    "\u{7f}ZQ",
    "\u{202e}ZQ",
    "\u{2066}ZQ",
    "%0AZQ",
    "\"ZQ'",
    "\\ZQ",
    ";ZQ ",
    "*ZQ*",
    "_ZQ_",
];

fn hostile(pieces: &[usize]) -> String {
    pieces.iter().map(|&i| PIECES[i]).collect()
}

/// A trace whose module names hold `names`, nested under `app`, in a file named after `file`.
fn write_trace(dir: &Path, names: &[String], file: &str) -> std::path::PathBuf {
    let mut text = String::from("import time: self [us] | cumulative | imported package\n");
    for (i, name) in names.iter().enumerate() {
        text.push_str(&format!(
            "import time: {:>9} | {:>10} |   m{i}{name}\n",
            100 + i,
            100 + i
        ));
    }
    text.push_str("import time:        50 |      10000 | app\n");
    let path = dir.join(format!("t{file}.txt"));
    std::fs::write(&path, text).unwrap();
    path
}

/// Control characters (newline and tab aside) and bidi controls: none may reach an output raw.
fn raw_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    })
}

/// The lines an injection could have made: those holding the marker.
fn marked(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter(|l| l.contains("ZQ"))
}

fn run(args: &[&str]) -> String {
    let (code, out, err) = lmms(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert_eq!(raw_control(&out), None, "{args:?}: {out:?}");
    assert_eq!(raw_control(&err), None, "{args:?}: {err:?}");
    out
}

/// Markdown: no marked line opens a block, no tag is raw, and a table row has its table's
/// number of cells.
fn markdown_holds(md: &str) {
    for line in marked(md) {
        // Our own list items and table rows; what follows their mark must not open a block.
        let start = line.trim_start();
        let inner = start
            .strip_prefix("- ")
            .or_else(|| start.strip_prefix("| "))
            .map(str::trim_start);
        if inner.is_none() {
            for opener in ["-", "*", "+", "|", "="] {
                assert!(!start.starts_with(opener), "{line}");
            }
        }
        for opener in ["#", "```", "~~~", ">", "::", "<"] {
            assert!(!inner.unwrap_or(start).starts_with(opener), "{line}");
        }
        assert!(!line.replace("\\<", "").contains('<'), "{line}");
    }
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    let mut table: Option<usize> = None;
    for line in md.lines() {
        match (line.starts_with('|'), table) {
            (true, None) => table = Some(cells(line)),
            (true, Some(n)) => assert_eq!(cells(line), n, "{line}"),
            (false, _) => table = None,
        }
    }
}

/// HTML: no tag from a name, and exactly the page's own scripts.
fn html_holds(html: &str, plain: &str) {
    for piece in ["<script>ZQ", "<img src=x onerror=ZQ", "</script>ZQ"] {
        assert!(!html.contains(piece), "{piece}");
    }
    assert_eq!(
        html.matches("<script").count(),
        plain.matches("<script").count()
    );
    assert_eq!(
        html.matches("</script").count(),
        plain.matches("</script").count()
    );
}

/// Folded stacks: `frame;frame;… weight`, frames free of separators and blanks.
fn folded_holds(folded: &str) {
    for line in folded.lines() {
        let (stack, weight) = line.rsplit_once(' ').expect(line);
        assert!(weight.bytes().all(|b| b.is_ascii_digit()), "{line}");
        for frame in stack.split(';') {
            assert!(
                !frame.is_empty() && !frame.contains(char::is_whitespace),
                "{line}"
            );
        }
    }
}

/// `check --format github`: only our own commands before the pause, nothing after its end.
fn github_holds(out: &str) {
    let lines: Vec<&str> = out.lines().collect();
    let pause = lines
        .iter()
        .position(|l| l.starts_with("::stop-commands::"))
        .expect("the text part is paused");
    let token = &lines[pause]["::stop-commands::".len()..];
    assert!(!token.contains("ZQ"));
    assert_eq!(lines.last(), Some(&format!("::{token}::").as_str()));
    for line in &lines[..pause] {
        assert!(
            line.starts_with("::error title=lmms-tui")
                || line.starts_with("::warning title=lmms-tui"),
            "{line}"
        );
        assert!(
            !line.contains("::ZQ") && !line.contains("file=ci.yml"),
            "{line}"
        );
    }
}

fn every_format_holds(names: &[String], file: &str) {
    let dir = tempfile::tempdir().unwrap();
    let trace = write_trace(dir.path(), names, file);
    let t = trace.to_str().unwrap();
    let plain_trace = write_trace(dir.path(), &[], "plain");
    let plain = plain_trace.to_str().unwrap();

    run(&["report", t]);
    markdown_holds(&run(&["report", t, "--format", "markdown"]));
    html_holds(
        &run(&["report", t, "--format", "html"]),
        &run(&["report", plain, "--format", "html"]),
    );
    folded_holds(&run(&["report", t, "--format", "folded"]));
    for format in ["json", "trace-json", "speedscope", "chrome-trace"] {
        let out = run(&["report", t, "--format", format]);
        let json: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{format}: {e}: {out}"));
        if format == "trace-json" {
            // Escaped, not altered: the names read back exactly.
            let read: std::collections::BTreeSet<&str> = json["modules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["name"].as_str().unwrap())
                .collect();
            let written: std::collections::BTreeSet<String> = (names.iter().enumerate())
                .map(|(i, n)| format!("m{i}{n}"))
                .chain(["app".to_string()])
                .collect();
            assert!(read.iter().copied().eq(written.iter().map(String::as_str)));
        }
    }
    let first = format!("m0{}", names[0]);
    run(&["why", &first, t]);
    run(&["check", t, "--baseline", plain]);
    let summary = dir.path().join("summary.md");
    let (code, out, err) = lmms_env(
        &["check", t, "--baseline", plain, "--format", "github"],
        &[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())],
    );
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(raw_control(&out), None, "{out:?}");
    github_holds(&out);
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(raw_control(&summary), None, "{summary:?}");
    markdown_holds(&summary);
    let (code, out, err) = lmms(&["export", t]);
    assert_eq!(raw_control(&out), None, "{out:?}");
    assert_eq!(raw_control(&err), None, "{err:?}");
    assert!(
        code == 0 || (code == 2 && err.lines().count() == 1),
        "{err}"
    );
}

fn cases() -> u32 {
    std::env::var("LMMS_TUI_GRAMMAR_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn hostile_names_keep_every_formats_grammar(
        names in proptest::collection::vec(proptest::collection::vec(0..PIECES.len(), 1..4), 1..4),
        file in proptest::collection::vec(0..PIECES.len(), 0..3),
        newline in any::<bool>(),
    ) {
        // A name in CPython's lines holds no blank or `|` (a line with one is refused).
        let names: Vec<String> = names.iter().map(|n| hostile(n).replace(['|', ' '], "_")).collect();
        let mut file = hostile(&file).replace('/', "_");
        if newline {
            file = format!("x\n::error file=ci.yml::ZQ\n{file}");
        }
        every_format_holds(&names, &file);
    }
}
