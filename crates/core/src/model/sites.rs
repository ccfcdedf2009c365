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
    /// The importer's module-level code touched an attribute of another module, whose module
    /// `__getattr__` (PEP 562) ran the import: the site is in that function, not the importer.
    Attribute,
    /// The importer's module-level code called a function of another module that ran the
    /// import (a lazy loader, a helper).
    Call,
    /// `X.sub` needs `X`: CPython loads a package before its submodules.
    Package,
    /// The trace says who imported, not how (CPython's text, older trace.json files).
    Unrecorded,
}

impl EdgeKind {
    /// The kinds a file stores; `Package` is derived from names, `Unrecorded` is the absence.
    pub const STORED: [EdgeKind; 4] = [
        EdgeKind::Statement,
        EdgeKind::Dynamic,
        EdgeKind::Attribute,
        EdgeKind::Call,
    ];

    /// The kind as trace.json writes it.
    pub fn key(self) -> &'static str {
        match self {
            EdgeKind::Statement => "statement",
            EdgeKind::Dynamic => "dynamic",
            EdgeKind::Attribute => "attribute",
            EdgeKind::Call => "call",
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
            EdgeKind::Attribute => "attribute use (a module __getattr__ imports it)",
            EdgeKind::Call => "call of a function that imports it",
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
    /// Index of the function the import sits in, or `NONE` (module-level code).
    pub(crate) function: u32,
    /// Index of that function's module when it is not the importer's, or `NONE`.
    pub(crate) via: u32,
}

impl EdgeKind {
    /// Whether the importer's code holds no import of the module: the import sits in another
    /// module's function that the importer's module-level code ran. Making the importer's
    /// import statements lazy cannot change it.
    pub fn is_triggered(self) -> bool {
        matches!(self, EdgeKind::Attribute | EdgeKind::Call)
    }
}

/// Where an import sits when not in module-level code: its function, and that function's
/// module when it is not the importer's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Within<'a> {
    /// The function's name (`__getattr__`, `setup`).
    pub function: Option<&'a str>,
    /// Its module, when the importer is another module.
    pub via: Option<&'a str>,
}

pub(crate) const NONE: u32 = u32::MAX;
