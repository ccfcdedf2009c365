//! `check`'s verdict, one file per format. The findings (`findings.rs`) are the one list of
//! what was judged; text, GitHub annotations and the markdown summary are drawn from it, JSON
//! gives the same verdict as numbers.

mod blame;
mod findings;
mod github;
mod json;

pub use findings::{Finding, Mark, findings};
pub use github::summary_markdown;

use lmms_core::whatif::Analysis;
use lmms_core::whatif::check::Verdict;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Github,
    Json,
}

impl CheckFormat {
    pub const ALL: [CheckFormat; 3] = [CheckFormat::Text, CheckFormat::Github, CheckFormat::Json];

    pub fn name(self) -> &'static str {
        match self {
            CheckFormat::Text => "text",
            CheckFormat::Github => "github",
            CheckFormat::Json => "json",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            CheckFormat::Text => "one line per judgement, marked ✓ ✗ !",
            CheckFormat::Github => {
                "the text, plus ::error/::warning annotations for GitHub Actions (and a markdown \
                 summary appended to $GITHUB_STEP_SUMMARY when set)"
            }
            CheckFormat::Json => "the verdict as one JSON document, figures in ms",
        }
    }

    /// The verdict as this format prints it, safe for a terminal: names come from traces.
    pub fn render(self, a: &Analysis, verdict: &Verdict) -> String {
        let text = match self {
            CheckFormat::Text => text(a, verdict),
            CheckFormat::Github => {
                github::annotations(a, verdict) + &github::without_commands(&text(a, verdict))
            }
            CheckFormat::Json => json::render(a, verdict),
        };
        lmms_core::printable::printable(&text).into_owned()
    }
}

/// Every finding on its line, after its mark.
pub fn text(a: &Analysis, verdict: &Verdict) -> String {
    findings(a, verdict)
        .into_iter()
        .map(|f| format!("{}{}\n", f.mark.prefix(), f.text))
        .collect()
}
