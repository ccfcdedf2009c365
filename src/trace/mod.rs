//! Trace readers. Every reader feeds a [`TraceBuilder`]: module names, per-run samples, the
//! first-import tree and every import edge seen. The graph is built from that, so the readers
//! know nothing about medians or views.

pub mod json;
pub mod text;

use std::path::Path;

use crate::error::{Error, Result};
use crate::names::Names;

/// One run's figures for one module, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    pub run: u32,
    pub self_us: u64,
    pub cumulative_us: u64,
}

/// Who imported a module: another module, or the program itself (a top-level import).
pub type Importer = Option<u32>;

/// What is known about where a trace came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceMeta {
    pub files: Vec<String>,
    /// Interpreter version, when the trace says (our JSON does; CPython's text does not).
    pub python: Option<String>,
    pub command: Option<Vec<String>>,
    pub recorded_at: Option<String>,
    /// True when every import edge is known, including imports of already-loaded modules.
    pub edges_complete: bool,
    /// Runs recorded with modules really deferred (`record --lazy`), to set beside projections.
    pub measured: Vec<Measured>,
}

/// Runs of the program with some modules really deferred (`importlib.util.LazyLoader`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    /// The deferred modules, sorted.
    pub lazy: Vec<String>,
    /// Total import time of each run, µs.
    pub total_us: Vec<u64>,
    /// Modules loaded (in the first run), sorted.
    pub modules: Vec<String>,
}

impl Measured {
    /// Median total over the runs (even counts: mean of the middle two, rounded half up).
    pub fn median_total_us(&self) -> u64 {
        crate::graph::Spread::of(&mut self.total_us.clone()).median
    }
}

/// Collects what the readers find, across files and runs.
#[derive(Debug, Default, Clone)]
pub struct TraceBuilder {
    pub(crate) names: Names,
    /// Tree parent from the run where the module first appeared; `None` until set.
    pub(crate) parent: Vec<Option<Importer>>,
    pub(crate) samples: Vec<(u32, Sample)>,
    pub(crate) edges: Vec<(Importer, u32)>,
    pub(crate) runs: u32,
    pub meta: TraceMeta,
    /// Whether any file lacked complete edges; the trace is complete only if all were.
    saw_incomplete_edges: bool,
}

impl TraceBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of a module name, interning it on first sight (ids follow first appearance).
    pub fn module(&mut self, name: &str) -> u32 {
        let id = self.names.intern(name);
        if id as usize == self.parent.len() {
            self.parent.push(None);
        }
        id
    }

    pub fn lookup(&self, name: &str) -> Option<u32> {
        self.names.get(name)
    }

    /// Starts a new run and returns its index.
    pub fn begin_run(&mut self) -> u32 {
        self.runs += 1;
        self.runs - 1
    }

    pub fn sample(&mut self, module: u32, sample: Sample) {
        self.samples.push((module, sample));
    }

    /// Records the first-import parent; the first run a module appears in decides it.
    pub fn tree_parent(&mut self, module: u32, parent: Importer) {
        let slot = &mut self.parent[module as usize];
        if slot.is_none() {
            *slot = Some(parent);
        }
    }

    pub fn edge(&mut self, importer: Importer, module: u32) {
        if importer != Some(module) {
            self.edges.push((importer, module));
        }
    }

    /// Called once per file: a trace has complete edges only if every file has them.
    pub fn file_edges_complete(&mut self, complete: bool) {
        if !complete {
            self.saw_incomplete_edges = true;
        }
        self.meta.edges_complete = !self.saw_incomplete_edges;
    }

    /// Says outright whether the edges are complete, whatever the files said (the recorder
    /// adds the edges its tracer saw to text runs that had none).
    pub fn set_edges_complete(&mut self, complete: bool) {
        self.saw_incomplete_edges = !complete;
        self.meta.edges_complete = complete;
    }

    pub fn module_count(&self) -> usize {
        self.names.len()
    }
}

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
    for path in paths {
        let path = path.as_ref();
        let bytes = read_file(path)?;
        read_bytes(path, &bytes, &mut builder)?;
    }
    Ok(builder)
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(Error::in_file(
            path,
            "is a directory, expected a trace file",
        ));
    }
    std::fs::read(path).map_err(|e| {
        let why = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => e.to_string(),
        };
        Error::in_file(path, format!("cannot read: {why}"))
    })
}
