//! Trace readers: one file per input format, each filling the model's [`TraceBuilder`].
//! Formats are told apart by content, never by file name.

mod input;
pub mod json;
pub mod text;
pub mod tracer;
mod what_it_is;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{ImportGraph, TraceBuilder};

pub use input::Input;

/// Whether a name or text a file holds has control characters: names are printed on
/// terminals and CI logs, where one could start an escape or a workflow command.
fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// The formats a file can hold, told apart by content, never by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CPython's `-X importtime` output, possibly inside a log export.
    CpythonText,
    /// Our own `trace.json`.
    Json,
}

/// Which reader a file's bytes are for.
pub fn detect_format(bytes: &[u8]) -> Format {
    let first = bytes
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    if first == Some(b'{') {
        Format::Json
    } else {
        Format::CpythonText
    }
}

/// Reads one file's bytes (already loaded) into the builder.
pub fn read_bytes(path: &Path, bytes: &[u8], builder: &mut TraceBuilder) -> Result<()> {
    // Editors on Windows start files with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::in_file(path, "the file is empty"));
    }
    builder.meta.files.push(path.display().to_string());
    let read = match detect_format(bytes) {
        Format::Json => json::read(path, bytes, builder),
        Format::CpythonText => text::read(path, bytes, builder),
    };
    // A file that is something else says what it is, and what was likely meant.
    read.map_err(|e| match what_it_is::not_a_trace(path, bytes) {
        Some(what) => Error::in_file(path, what),
        None => e,
    })
}

/// Reads every file as runs of one trace (several files are several runs).
pub fn read_files<P: AsRef<Path>>(paths: &[P]) -> Result<TraceBuilder> {
    if paths.is_empty() {
        return Err(Error::new("no trace file given"));
    }
    let mut builder = TraceBuilder::new();
    let mut stdin_read = false;
    for path in paths {
        let path = path.as_ref();
        let (label, bytes) = if path == Path::new(STDIN) {
            if std::mem::replace(&mut stdin_read, true) {
                return Err(Error::new("`-` (standard input) can be given only once"));
            }
            let label = Path::new(STDIN_LABEL);
            (label, Input::stdin(label)?)
        } else {
            (path, Input::file(path)?)
        };
        bytes.parse(label, |bytes| read_bytes(label, bytes, &mut builder))?;
    }
    Ok(builder)
}

/// The file name that means standard input (`python -X importtime … 2>&1 | lmms-tui -`).
pub const STDIN: &str = "-";
/// How standard input is named in errors and headers.
pub const STDIN_LABEL: &str = "<stdin>";

/// Reads one trace held in memory (`label` names it in errors) into a graph.
pub fn from_bytes(label: &str, bytes: &[u8]) -> Result<ImportGraph> {
    let mut builder = TraceBuilder::new();
    read_bytes(Path::new(label), bytes, &mut builder)?;
    ImportGraph::build(builder)
}

/// Loads trace files (several are several runs of one trace) into a graph.
pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<ImportGraph> {
    ImportGraph::build(read_files(paths)?)
}
