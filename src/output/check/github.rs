//! GitHub Actions: workflow commands that annotate the run (`::error …::message`), and the
//! job summary in markdown.

use super::findings::{Finding, Mark, findings};
use lmms_core::printable::{markdown, printable};
use lmms_core::whatif::Analysis;
use lmms_core::whatif::check::Verdict;

/// A workflow command's message: `%`, CR and LF are its escapes (GitHub's toolkit rules).
fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    printable(&escaped).into_owned()
}

/// A property value (`title=…`) also escapes `:` and `,`, which separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Item lines are aligned with runs of spaces for text; one space is enough here.
fn one_spaced(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One annotation for each failure (`::error`) and each warning (`::warning`).
pub fn annotations(a: &Analysis, verdict: &Verdict) -> String {
    let mut out = String::new();
    let mut heading = String::new();
    for Finding {
        mark,
        text: line,
        at,
    } in findings(a, verdict)
    {
        let level = match mark {
            Mark::Fail | Mark::FailItem => "error",
            Mark::Warn => "warning",
            Mark::FailHeading => {
                heading = line.trim_end_matches(':').to_string();
                continue;
            }
            _ => continue,
        };
        let title = if mark == Mark::FailItem {
            format!("lmms-tui check: {heading}")
        } else {
            "lmms-tui check".into()
        };
        let line = one_spaced(&line);
        // At the program's own line when known: GitHub shows it on the file in the diff.
        let place = match at {
            Some((file, line)) => format!("file={},line={line},", escape_property(&file)),
            None => String::new(),
        };
        out.push_str(&format!(
            "::{level} {place}title={}::{}\n",
            escape_property(&title),
            escape_data(&line)
        ));
    }
    out
}

/// `text` between `::stop-commands::TOKEN` and `::TOKEN::`: the runner reads no workflow command
/// in it, whatever a trace's file names or fields hold. The token is random, so the text cannot
/// end the pause itself (GitHub's way to print untrusted text).
pub fn without_commands(text: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    let token = format!(
        "lmms-tui-{:016x}{:016x}",
        RandomState::new().hash_one(std::process::id()),
        RandomState::new().hash_one(text)
    );
    format!("::stop-commands::{token}\n{text}::{token}::\n")
}

/// The job summary: the verdict first, then every finding as a list; no control character
/// gets through raw (the file is shown in a browser, and read in terminals).
pub fn summary_markdown(a: &Analysis, verdict: &Verdict) -> String {
    let mut out = format!(
        "### lmms-tui check {}\n\n",
        if verdict.passed {
            "passed ✓"
        } else {
            "FAILED ✗"
        }
    );
    for Finding {
        mark, text: line, ..
    } in findings(a, verdict)
    {
        let line = one_spaced(&line);
        let line = markdown(&line);
        let bullet = match mark {
            Mark::FailItem | Mark::Item => "  -",
            _ => "-",
        };
        out.push_str(&format!("{bullet} {}{line}\n", mark.prefix().trim_start()));
    }
    out.push('\n');
    printable(&out).into_owned()
}

#[cfg(test)]
mod tests {
    /// A name from a trace cannot end the message early or start a second command.
    #[test]
    fn messages_and_titles_are_escaped() {
        assert_eq!(
            super::escape_data("a%b\nc\r::error::x"),
            "a%25b%0Ac%0D::error::x"
        );
        assert_eq!(super::escape_property("a: b, c"), "a%3A b%2C c");
    }

    /// Text that would be a command sits in a pause only our random token ends.
    #[test]
    fn the_text_part_is_read_as_no_command() {
        let hostile = "a\n::error file=ci.yml::x\n  ::add-mask::ms\n::lmms-tui-0::\n";
        let out = super::without_commands(hostile);
        let lines: Vec<&str> = out.lines().collect();
        let token = lines[0].strip_prefix("::stop-commands::").unwrap();
        assert!(token.len() > 30, "{token}");
        assert_eq!(lines.last().unwrap(), &format!("::{token}::"));
        assert_eq!(lines.iter().filter(|l| l.contains(token)).count(), 2);
        assert_ne!(
            super::without_commands(hostile),
            out,
            "a fresh token each time"
        );
    }
}
