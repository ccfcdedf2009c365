//! Trace readers: one file per input format, each filling the model's [`TraceBuilder`].
//! Formats are told apart by content, never by file name.

pub mod json;
pub mod text;
pub mod tracer;

use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{ImportGraph, TraceBuilder};

/// The formats a file can hold, told apart by content, never by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CPython's `-X importtime` output, possibly inside a log export.
    CpythonText,
    /// Our own `trace.json`.
    Json,
}

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
    match detect_format(bytes) {
        Format::Json => json::read(path, bytes, builder),
        Format::CpythonText => text::read(path, bytes, builder),
    }
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
            (label, read_bounded(label, std::io::stdin().lock())?)
        } else {
            (path, read_file(path)?)
        };
        read_bytes(label, &bytes, &mut builder)?;
    }
    Ok(builder)
}

/// The file name that means standard input (`python -X importtime … 2>&1 | lmms-tui -`).
pub const STDIN: &str = "-";
/// How standard input is named in errors and headers.
pub const STDIN_LABEL: &str = "<stdin>";

fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(Error::in_file(
            path,
            "is a directory, expected a trace file",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(path, e))?;
    read_bounded(path, file)
}

fn cannot(path: &Path, e: std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Error::in_file(path, format!("cannot read: {why}"))
}

/// Reads everything, bounded, so `/dev/zero` or a runaway pipe is an error rather than all of
/// memory.
fn read_bounded(path: &Path, input: impl std::io::Read) -> Result<Vec<u8>> {
    let limit = max_input_bytes();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(input, limit + 1), &mut bytes)
        .map_err(|e| cannot(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::in_file(
            path,
            format!(
                "larger than {} MB: LMMS_TUI_MAX_INPUT_MB raises the limit",
                limit >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// The largest input read: 4096 MB, or `LMMS_TUI_MAX_INPUT_MB`.
fn max_input_bytes() -> u64 {
    std::env::var("LMMS_TUI_MAX_INPUT_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(4096)
        .saturating_mul(1 << 20)
}

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
