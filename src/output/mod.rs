//! Everything written for people or programs: number formatting, the shared figures, and one
//! file per format. The formats `report` offers are listed once, in `ReportFormat::ALL`; the
//! CLI's `--format` values and help are generated from it.

pub mod alone;
pub mod chain;
pub mod check;
mod chrome_trace;
pub mod fast_path;
pub mod figures;
mod folded;
mod html;
mod human;
mod json;
pub mod measured;
pub mod patch;
pub mod recorded;
pub mod run_tree;
mod speedscope;
mod table;
pub mod units;
pub mod untimed;
pub mod usage;
pub mod why;

use std::io::{self, Write};

use lmms_core::whatif::Analysis;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Text,
    Json,
    Markdown,
    TraceJson,
    Speedscope,
    Folded,
    ChromeTrace,
    Html,
}

impl ReportFormat {
    pub const ALL: [ReportFormat; 8] = [
        ReportFormat::Text,
        ReportFormat::Json,
        ReportFormat::Markdown,
        ReportFormat::TraceJson,
        ReportFormat::Speedscope,
        ReportFormat::Folded,
        ReportFormat::ChromeTrace,
        ReportFormat::Html,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Text => "text",
            ReportFormat::Json => "json",
            ReportFormat::Markdown => "markdown",
            ReportFormat::TraceJson => "trace-json",
            ReportFormat::Speedscope => "speedscope",
            ReportFormat::Folded => "folded",
            ReportFormat::ChromeTrace => "chrome-trace",
            ReportFormat::Html => "html",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            ReportFormat::Text => "aligned text for a terminal",
            ReportFormat::Json => "one JSON document; modules one a line",
            ReportFormat::Markdown => "markdown for a pull request or wiki",
            ReportFormat::TraceJson => {
                "the whole trace as lmms-tui trace.json (converts a text trace)"
            }
            ReportFormat::Speedscope => {
                "speedscope's file format (speedscope.app, VS Code): one profile per run, imports \
                 nested as frames"
            }
            ReportFormat::Folded => {
                "collapsed stacks for flamegraph.pl / inferno, self time as weight (one root \
                 frame per run when there are several)"
            }
            ReportFormat::ChromeTrace => {
                "trace-event JSON for Perfetto / chrome://tracing: one track per run"
            }
            ReportFormat::Html => {
                "one self-contained page to share (no network): figures, the what-if, the \
                 import tree, why the heaviest are loaded"
            }
        }
    }

    /// Rows shown when `--top` is not given (`Some(None)`: all); `None` for the formats that
    /// hold every module whatever `--top` says (a trace, a profile), where it is refused.
    pub fn default_top(self) -> Option<Option<usize>> {
        match self {
            ReportFormat::Text | ReportFormat::Markdown | ReportFormat::Html => Some(Some(25)),
            ReportFormat::Json => Some(None),
            ReportFormat::TraceJson
            | ReportFormat::Speedscope
            | ReportFormat::Folded
            | ReportFormat::ChromeTrace => None,
        }
    }

    pub fn from_name(name: &str) -> Option<ReportFormat> {
        ReportFormat::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the format escapes every control character itself (all JSON is written through
    /// `safe_json`), so its bytes need not pass the terminal guard, which would only re-read
    /// tens of megabytes to find nothing.
    fn escapes_controls(self) -> bool {
        matches!(
            self,
            ReportFormat::Json
                | ReportFormat::TraceJson
                | ReportFormat::Speedscope
                | ReportFormat::ChromeTrace
        )
    }

    /// Writes the report, safe for a terminal: names come from traces, and no escape byte
    /// reaches the terminal whatever the format. `top` limits the module rows (formats with
    /// rows only).
    pub fn write(self, a: &Analysis, top: Option<usize>, out: &mut impl Write) -> io::Result<()> {
        if self.escapes_controls() {
            self.write_unguarded(a, top, out)
        } else {
            self.write_unguarded(a, top, &mut lmms_core::printable::Printable(out))
        }
    }

    fn write_unguarded(
        self,
        a: &Analysis,
        top: Option<usize>,
        out: &mut impl Write,
    ) -> io::Result<()> {
        let top = top.or(self.default_top().flatten()).unwrap_or(usize::MAX);
        match self {
            ReportFormat::Text => human::write_text(a, top, out),
            ReportFormat::Markdown => human::write_markdown(a, top, out),
            ReportFormat::Json => json::write_json(a, top, out),
            ReportFormat::TraceJson => lmms_core::trace::json::write(a.graph(), out),
            ReportFormat::Speedscope => speedscope::write(a, out),
            ReportFormat::Folded => folded::write(a, out),
            ReportFormat::ChromeTrace => chrome_trace::write(a, out),
            ReportFormat::Html => html::write(a, top, out),
        }
    }
}
