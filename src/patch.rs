//! `export --patch`: the plan's deferrals written into the program's own files, as a unified
//! diff. The analysis runs in the program's interpreter (its own `ast` and `tokenize`: the
//! tracer's `patch` module), over the files where the trace saw the program import each
//! deferred module; files outside the program's directory are never touched.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};

use crate::output::figures::edit_sites;
use lmms_core::error::{Error, Result};
use lmms_core::model::is_python_module_name;
use lmms_core::printable::printable;
use lmms_core::whatif::{Analysis, Decision};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchStyle {
    Function,
    Lazy,
    LazyModules,
}

impl PatchStyle {
    /// Every style: the CLI's `--patch` values and their help come from here.
    pub const ALL: [PatchStyle; 3] = [
        PatchStyle::Function,
        PatchStyle::Lazy,
        PatchStyle::LazyModules,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PatchStyle::Function => "function",
            PatchStyle::Lazy => "lazy",
            PatchStyle::LazyModules => "lazy-modules",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            PatchStyle::Function => {
                "each import moved into the functions that use what it binds (any Python)"
            }
            PatchStyle::Lazy => "PEP 810 `lazy import` on the same line (Python 3.15+)",
            PatchStyle::LazyModules => {
                "PEP 810's `__lazy_modules__` list (does nothing before Python 3.15)"
            }
        }
    }
}

/// One statement edited: its file (relative to the program's directory), line and module.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Place(pub String, pub u32, pub String);

/// One statement left as it is: file, line, the deferred modules it imports, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Refusal(pub String, pub u32, pub String, pub String);

/// The patch and what it did and could not do.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Patch {
    /// Unified diff, paths `a/FILE` and `b/FILE`.
    pub diff: String,
    /// Statements edited, each with the deferred module.
    pub edited: Vec<Place>,
    /// Statements left as they are, each with why.
    pub refused: Vec<Refusal>,
}

/// What the analysis is asked: the files, the modules, the style — a function of the plan
/// (no I/O but resolving paths), so the explorer can ask its event loop to run it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub root: PathBuf,
    pub files: Vec<String>,
    pub defer: Vec<String>,
    pub style: PatchStyle,
    /// Files the trace names outside `root`: refused, never read.
    pub outside: Vec<Refusal>,
    /// The interpreter whose `ast` reads them.
    pub python: String,
}

/// The plan's deferrals as a patch of the files under `root`, analysed by `python`.
pub fn make(a: &Analysis, style: PatchStyle, root: &Path, python: &str) -> Result<Patch> {
    run(&request(a, style, root, python)?)
}

/// The request for the plan's deferrals over the files under `root`.
pub fn request(a: &Analysis, style: PatchStyle, root: &Path, python: &str) -> Result<Request> {
    let defer = deferred(a)?;
    let (files, outside) = files(a, &defer, root)?;
    if files.is_empty() && outside.is_empty() {
        return Err(Error::new(format!(
            "the trace holds no line of your code importing {} (a CPython text trace has none: \
             `lmms-tui record` finds them)",
            defer.join(", ")
        )));
    }
    if files.is_empty() {
        return Err(Error::new(format!(
            "no import of {} in the program's files under {} (run from the program's \
             directory, or give --root)",
            defer.join(", "),
            printable(&root.display().to_string())
        )));
    }
    Ok(Request {
        root: root.to_path_buf(),
        files,
        defer,
        style,
        outside,
        python: python.to_string(),
    })
}

/// The modules the plan defers in your code; deferring every import cannot be a patch of
/// your files.
fn deferred(a: &Analysis) -> Result<Vec<String>> {
    let (plan, g) = (a.plan(), a.graph());
    if let Some(m) = plan
        .lazy()
        .find(|&m| plan.decision(m) == Decision::LazyEverywhere)
    {
        return Err(Error::new(format!(
            "a patch edits your own files: --lazy-everywhere {} would edit other packages' \
             (use --lazy)",
            printable(g.name(m))
        )));
    }
    let defer: Vec<String> = (plan.lazy().map(|m| g.name(m)))
        .filter(|n| is_python_module_name(n))
        .map(String::from)
        .collect();
    if defer.is_empty() {
        return Err(Error::new("the plan defers nothing: --lazy MODULE"));
    }
    Ok(defer)
}

/// The files holding your imports of the deferred modules, relative to `root`; a file the
/// trace names outside it (or not there) is refused, never read.
fn files(a: &Analysis, defer: &[String], root: &Path) -> Result<(Vec<String>, Vec<Refusal>)> {
    let g = a.graph();
    let root = root
        .canonicalize()
        .map_err(|e| Error::in_file(root, e.to_string()))?;
    let mut files: Vec<String> = Vec::new();
    let mut outside = Vec::new();
    for m in defer.iter().filter_map(|n| g.find(n)) {
        for site in edit_sites(g, m) {
            let Some(file) = g.site_file(site) else {
                continue;
            };
            if files.iter().any(|f| f == file) || outside.iter().any(|p: &Refusal| p.0 == file) {
                continue;
            }
            match inside(&root, file) {
                true => files.push(file.to_string()),
                false => outside.push(Refusal(
                    file.to_string(),
                    site.line,
                    g.name(m).to_string(),
                    "not a file under the program's directory: not patched (--root DIR)".into(),
                )),
            }
        }
    }
    files.sort();
    Ok((files, outside))
}

/// Whether `file` (as the trace names it) is a regular file under `root`, symlinks resolved,
/// with a name a diff header can carry (no control character).
fn inside(root: &Path, file: &str) -> bool {
    let path = Path::new(file);
    let plain = path.components().all(|c| matches!(c, Component::Normal(_)))
        && !file.chars().any(char::is_control);
    let full = root.join(path).canonicalize();
    plain && full.is_ok_and(|f| f.starts_with(root) && f.is_file())
}

/// Runs the tracer's `patch` module in the request's interpreter.
pub fn run(request: &Request) -> Result<Patch> {
    let asked = serde_json::json!({
        "root": request.root, "files": request.files, "defer": request.defer,
        "style": request.style.name(),
    });
    let mut patch = analyse(&request.python, &asked)?;
    patch.refused.extend(request.outside.iter().cloned());
    Ok(patch)
}

/// The tracer's `patch` module in `python`, `asked` on its standard input.
fn analyse(python: &str, asked: &serde_json::Value) -> Result<Patch> {
    let io = |e: std::io::Error| Error::new(format!("the patch analysis: {e}"));
    let dir = tempfile::tempdir().map_err(io)?;
    crate::record::tracer_files(dir.path()).map_err(io)?;
    let code = format!(
        "import sys; sys.path.insert(0, {}); from lmms_tui_tracer import patch; patch.main()",
        serde_json::to_string(&dir.path().display().to_string()).expect("a string")
    );
    let mut child = Command::new(python)
        .args(["-I", "-c", &code])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::new(format!("cannot run {}: {e}", printable(python))))?;
    let mut stdin = child.stdin.take().expect("piped");
    // A process that died before reading answers through its exit below.
    let _ = stdin.write_all(asked.to_string().as_bytes());
    drop(stdin);
    let out = child.wait_with_output().map_err(io)?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let last = stderr.lines().last().unwrap_or("no output");
        return Err(Error::new(format!(
            "{} could not analyse the program's files: {}",
            printable(python),
            printable(last)
        )));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| Error::new(format!("the patch analysis answered unreadably: {e}")))
}

/// The interpreter that recorded the trace, else `python3`.
pub fn recorded_python(a: &Analysis) -> String {
    let command = a.graph().meta().command.clone().unwrap_or_default();
    match crate::record::launch(&command) {
        Some(l) => command[l.python].clone(),
        None => "python3".into(),
    }
}

/// The directory patches are relative to: the one given, else the current one.
pub fn root(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| PathBuf::from("."))
}
