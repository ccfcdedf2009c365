//! GitHub Actions: workflow commands that annotate the run (`::error …::message`), and the
//! job summary in markdown.

use super::findings::{Mark, findings};
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
    for (mark, line) in findings(a, verdict) {
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
        out.push_str(&format!(
            "::{level} title={}::{}\n",
            escape_property(&title),
            escape_data(&line)
        ));
    }
    out
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
    for (mark, line) in findings(a, verdict) {
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
}
