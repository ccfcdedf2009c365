//! How each recorded import happened: an import statement, a dynamic import, or a submodule's
//! need of its package; and for statements and dynamic imports made from Python, the file and
//! line that ran it (and, in the program's own files, the statement's source).

use super::id::Importer;

/// How an import ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    /// `import X` or `from X import …` ran in the importer.
    Statement,
    /// `importlib.import_module`, a call of `__import__`, or C code (an extension module).
    Dynamic,
    /// `X.sub` needs `X`: CPython loads a package before its submodules.
    Package,
    /// The trace says who imported, not how (CPython's text, older trace.json files).
    Unrecorded,
}

impl EdgeKind {
    /// The kinds a file stores; `Package` is derived from names, `Unrecorded` is the absence.
    pub const STORED: [EdgeKind; 2] = [EdgeKind::Statement, EdgeKind::Dynamic];

    /// The kind as trace.json writes it.
    pub fn key(self) -> &'static str {
        match self {
            EdgeKind::Statement => "statement",
            EdgeKind::Dynamic => "dynamic",
            EdgeKind::Package => "package",
            EdgeKind::Unrecorded => "unrecorded",
        }
    }

    /// A kind from trace.json.
    pub fn from_key(key: &str) -> Option<EdgeKind> {
        EdgeKind::STORED.into_iter().find(|k| k.key() == key)
    }

    /// In words, for people.
    pub fn describe(self) -> &'static str {
        match self {
            EdgeKind::Statement => "import statement",
            EdgeKind::Dynamic => "dynamic import (importlib, __import__ or C code)",
            EdgeKind::Package => "package of a submodule",
            EdgeKind::Unrecorded => "import",
        }
    }
}

/// One recorded import of a module: who, how, and where it ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    /// Who imports (`None`: the program).
    pub importer: Importer,
    /// How.
    pub kind: EdgeKind,
    /// Index of the file in the graph's site texts, or `NONE` (C code).
    pub(crate) file: u32,
    /// 1-based; 0 when unknown.
    pub line: u32,
    /// Index of the statement's source in the site texts, or `NONE`.
    pub(crate) code: u32,
}

pub(crate) const NONE: u32 = u32::MAX;
