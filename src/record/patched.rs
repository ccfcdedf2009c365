//! `record --patch FILE`: the patch (as `export --patch` writes it) applied to a copy of the
//! program's directory and run there, alternated with the original as `--lazy` runs are; the
//! modules it stops loading set against the projection's, and an optional smoke command run on
//! the copy. Verified, not trusted.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{Session, Tracer, program_us};
use lmms_core::error::{Error, Result};
use lmms_core::model::{ImportGraph, Measured, PatchCheck, Smoke, TraceBuilder};
use lmms_core::printable::printable;
use lmms_core::trace;
use lmms_core::whatif::{Analysis, Decision, Plan};

/// The patch to verify and the command that smoke-tests the patched copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchRun {
    pub file: PathBuf,
    pub smoke: Option<String>,
}

/// Directories never copied: version control, environments, caches, build output.
const SKIPPED: &[&str] = &[
    ".git",
    ".hg",
    ".venv",
    "venv",
    "node_modules",
    "target",
    "__pycache__",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    "dist",
    "build",
];
/// The most files a copy may hold.
const MAX_FILES: usize = 50_000;

impl PatchRun {
    /// The patch file is there, and `git` (which applies it) runs.
    pub fn check(&self) -> Result<()> {
        if !self.file.is_file() {
            return Err(Error::new(format!(
                "--patch {}: no such file (write one with `lmms-tui export --patch -o FILE`)",
                printable(&self.file.display().to_string())
            )));
        }
        match Command::new("git").arg("--version").output() {
            Ok(out) if out.status.success() => Ok(()),
            _ => Err(Error::new(
                "--patch applies the patch with `git apply`: git is not on PATH",
            )),
        }
    }
}

/// The modules the patch's header says it defers (`# edited FILE:LINE (MODULE)`) and leaves
/// no import of (`# left as it is FILE:LINE (MODULES): why`: one left keeps it loaded),
/// sorted; none for a patch written by hand.
fn deferrals(text: &str) -> Vec<String> {
    let header: Vec<&str> = text.lines().take_while(|l| l.starts_with("# ")).collect();
    let left: Vec<&str> = (header.iter())
        .filter_map(|l| l.strip_prefix("# left as it is "))
        .filter_map(|l| named(l.split_once("): ")?.0))
        .flat_map(|m| m.split(", "))
        .collect();
    let mut names: Vec<String> = (header.iter())
        .filter_map(|l| named(l.strip_prefix("# edited ")?.strip_suffix(')')?))
        .filter(|n| !left.contains(n) && lmms_core::model::is_python_module_name(n))
        .map(String::from)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// What `FILE:LINE (NAMES` names.
fn named(place: &str) -> Option<&str> {
    place.rsplit_once(" (").map(|(_, names)| names)
}

/// The patch applied to a copy of `root` and run against the original; what it showed.
pub(super) fn verified(
    s: &mut Session,
    run: &PatchRun,
    builder: &TraceBuilder,
    notes: &mut Vec<String>,
) -> Result<Option<Measured>> {
    let root =
        std::env::current_dir().map_err(|e| Error::new(format!("the current directory: {e}")))?;
    let copy = tempfile::tempdir().map_err(|e| Error::new(format!("a temporary copy: {e}")))?;
    copy_tree(&root, copy.path())?;
    apply(&run.file, copy.path())?;
    let text = std::fs::read_to_string(&run.file).unwrap_or_default();
    let name = printable(&run.file.display().to_string()).into_owned();
    let mut measured = Measured {
        lazy: deferrals(&text),
        ..Measured::default()
    };
    let runs = s.opts.runs;
    (s.progress)(super::Progress::Steps(2 * u64::from(runs)));
    for n in 1..=runs {
        let Some([original, patched]) = pair(s, n, copy.path())? else {
            break;
        };
        if let (Some(before), Some(after)) = (program_us(&original), program_us(&patched)) {
            measured.eager_us.push(before);
            measured.total_us.push(after);
        }
        if measured.modules.is_empty()
            && let Ok(g) = trace::from_bytes("patched", patched.importtime.as_bytes())
        {
            measured.modules = g.ids().map(|m| g.name(m).to_string()).collect();
            measured.modules.sort();
        }
    }
    if measured.total_us.is_empty() {
        return Ok(None);
    }
    let a = projected(builder, &measured.lazy)?;
    // The plan's own names, covered submodules too, as `report --lazy` finds them.
    measured.lazy = a
        .plan()
        .lazy()
        .map(|m| a.graph().name(m).to_string())
        .collect();
    measured.lazy.sort();
    let (still_loaded, also_dropped) = against_projection(&a, &measured);
    let smoke = run.smoke.as_deref().map(|c| smoke(c, copy.path()));
    let check = PatchCheck {
        file: name,
        still_loaded,
        also_dropped,
        smoke,
    };
    notes.push(crate::output::measured::patch_verdict(&check));
    measured.patch = Some(check);
    Ok(Some(measured))
}

/// Run `n`'s pair, [original, patched] (`alternated_pair`).
fn pair(s: &mut Session, n: u32, copy: &Path) -> Result<Option<[super::RunOutput; 2]>> {
    let runs = s.opts.runs;
    super::alternated_pair(s, n, |s, patched| {
        let mut job = s.job(1, Tracer::Off, false);
        let what = if patched {
            job.cwd = Some(copy.to_path_buf());
            format!("run {n}/{runs} with the patch applied")
        } else {
            format!("run {n}/{runs} unpatched, for the pair")
        };
        (job, what)
    })
}

/// The trace with `lazy` deferred as `--lazy` would (a package covering your imports of its
/// submodules).
fn projected(builder: &TraceBuilder, lazy: &[String]) -> Result<Analysis> {
    let g = ImportGraph::build(builder.clone())?;
    let mut plan = Plan::new(&g);
    for m in lazy.iter().filter_map(|n| g.find(n)) {
        plan.set_decision_covering(&g, m, Decision::Lazy)
            .map_err(Error::new)?;
    }
    Ok(Analysis::new(g, plan, None))
}

/// (projected dropped but still loaded, loaded no more but projected kept): the patched run's
/// modules against the trace's less the projection's dropped set, timed modules only.
fn against_projection(a: &Analysis, measured: &Measured) -> (Vec<String>, Vec<String>) {
    let g = a.graph();
    let loaded = |name: &str| {
        measured
            .modules
            .binary_search_by(|m| m.as_str().cmp(name))
            .is_ok()
    };
    let mut still = Vec::new();
    let mut also = Vec::new();
    // Heaviest first, so the packages that matter lead the lists.
    let mut ids: Vec<_> = g
        .ids()
        .filter(|&m| g.module(m).timed() && !g.module(m).shutdown)
        .collect();
    ids.sort_by_key(|&m| (std::cmp::Reverse(g.module(m).cumulative_us), m));
    for m in ids {
        let name = g.name(m);
        match (a.leaves_cold_start(m), loaded(name)) {
            (true, true) => still.push(name.to_string()),
            (false, false) => also.push(name.to_string()),
            _ => {}
        }
    }
    (still, also)
}

/// `git apply` of `patch` in `dir`; its last line of complaint when it does not apply.
fn apply(patch: &Path, dir: &Path) -> Result<()> {
    let patch = std::path::absolute(patch).unwrap_or_else(|_| patch.to_path_buf());
    let out = Command::new("git")
        .arg("apply")
        .arg(&patch)
        .current_dir(dir)
        .output()
        .map_err(|e| Error::new(format!("git apply: {e}")))?;
    if out.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    Err(Error::new(format!(
        "the patch does not apply to this directory: {}",
        printable(stderr.lines().last().unwrap_or("git apply failed"))
    )))
}

/// The smoke command (through `sh -c`) in the patched copy.
fn smoke(command: &str, dir: &Path) -> Smoke {
    let out = Command::new("sh")
        .args(["-c", command])
        .current_dir(dir)
        .output();
    let (passed, how, text) = match out {
        Ok(out) => {
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            let how = super::runner::exit_description(out.status);
            (out.status.success(), how, text)
        }
        Err(e) => (false, format!("could not run: {e}"), String::new()),
    };
    let output_tail = super::runner::tail_of(&text);
    Smoke {
        command: printable(command).into_owned(),
        passed,
        how,
        output_tail,
    }
}

/// Copies `from` into `to` (both directories): regular files and symlinks, the directories
/// of `SKIPPED` left out; iterative, at most `MAX_FILES` files.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let io = |e: std::io::Error, p: &Path| Error::in_file(p, format!("copying the program: {e}"));
    let mut stack = vec![(from.to_path_buf(), to.to_path_buf())];
    let mut files = 0;
    while let Some((src, dst)) = stack.pop() {
        for entry in std::fs::read_dir(&src).map_err(|e| io(e, &src))? {
            let entry = entry.map_err(|e| io(e, &src))?;
            let (path, target) = (entry.path(), dst.join(entry.file_name()));
            let kind = entry.file_type().map_err(|e| io(e, &path))?;
            if kind.is_dir() {
                if SKIPPED.iter().any(|s| entry.file_name() == *s) {
                    continue;
                }
                std::fs::create_dir(&target).map_err(|e| io(e, &target))?;
                stack.push((path, target));
            } else if kind.is_symlink() {
                let link = std::fs::read_link(&path).map_err(|e| io(e, &path))?;
                std::os::unix::fs::symlink(link, &target).map_err(|e| io(e, &target))?;
            } else if kind.is_file() {
                files += 1;
                if files > MAX_FILES {
                    return Err(Error::new(format!(
                        "--patch copies the current directory, which holds over {MAX_FILES} \
                         files: run from the program's own directory"
                    )));
                }
                std::fs::copy(&path, &target).map_err(|e| io(e, &path))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_names_the_deferrals() {
        let text = "# lmms-tui export --patch=function: defer pandas, boto3 in your code\n\
                    # edited app.py:3 (pandas)\n# edited app.py:4 (requests)\n\
                    # edited app.py:5 (pandas)\n# edited app.py:6 (boto3)\n\
                    # left as it is cfg.py:9 (boto3, json): `boto3` is used (x) at line 3\n\
                    --- a/app.py\n# edited x (json)\n";
        assert_eq!(deferrals(text), ["pandas", "requests"]);
        assert!(deferrals("--- a/app.py\n").is_empty());
        assert!(deferrals("# edited app.py:3 (a-b)\n").is_empty());
    }
}
