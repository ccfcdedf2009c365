//! Reader for CPython's `-X importtime` text (3.7 → 3.14, including `-X importtime=2`).
//!
//! CPython prints, from `Python/import.c`:
//!   `import time: %9ld | %10ld | %*s%s` (self µs, cumulative µs, 2×level spaces, name)
//!   `import time: cached    | cached     | %*s` (3.14 importtime=2; name right-justified in a
//!   field 2×level wide, so its indentation is only known when the name is short)
//! in post-order: a module's line comes after the lines of everything it imported.
//!
//! Anything before `import time:` on a line (log timestamps, request ids) and any line without
//! it (warnings, tracebacks) is ignored, so log exports read exactly like the clean file.

use std::collections::HashSet;
use std::path::Path;

use memchr::memmem;

use crate::model::csr::Csr;
use crate::model::{Sample, TraceBuilder};

mod levels;
mod parse;
use crate::error::{Error, Result};
use levels::resolve_levels;
use parse::{Figures, HEADER, Line, Parsed, parse_blocks};

#[derive(Debug, Clone, Copy)]
struct Entry {
    module: u32,
    /// Line number in the file, 1-based.
    line: u32,
    /// Nesting level; for cached lines, only what the padding says (resolved later).
    level: u32,
    figures: Figures,
}

/// From this input size, lines are parsed on a second core while the first builds runs.
const PARALLEL_FROM: usize = 1 << 20;

/// Reads CPython's `-X importtime` text into the builder, each header a new run.
pub fn read(path: &Path, bytes: &[u8], builder: &mut TraceBuilder) -> Result<()> {
    let two_cores = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    read_with(
        path,
        bytes,
        builder,
        bytes.len() >= PARALLEL_FROM && two_cores,
    )
}

/// `read`, parsing on a second thread or not.
fn read_with(path: &Path, bytes: &[u8], builder: &mut TraceBuilder, parallel: bool) -> Result<()> {
    // Size the name table once from the first run (up to a second header): CPython lines
    // run ~60–90 bytes, names ~25.
    if builder.names.is_empty() {
        let first_run = memmem::find_iter(bytes, HEADER)
            .nth(1)
            .unwrap_or(bytes.len());
        builder.names.reserve(first_run / 80, first_run / 80 * 25);
    }
    let hasher = builder.name_hasher();
    let mut runs = Runs::default();
    let parsed = if parallel {
        std::thread::scope(|scope| {
            // A few blocks in flight: the parser stays ahead without holding the whole file.
            let (tx, rx) = std::sync::mpsc::sync_channel(4);
            let parser =
                scope.spawn(move || parse_blocks(bytes, &hasher, |block| tx.send(block).is_ok()));
            for block in rx {
                runs.take(block, builder, path);
            }
            parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    } else {
        parse_blocks(bytes, &hasher, |block| {
            runs.take(block, builder, path);
            true
        })
    };
    parsed.map_err(|(line_no, why)| Error::at_line(path, line_no, why))?;
    finish_run(&runs.run, builder, path);
    if builder.runs > crate::model::MAX_RUNS {
        return Err(Error::in_file(
            path,
            format!(
                "{} runs with the files before it: more than the {} runs lmms-tui reads",
                builder.runs,
                crate::model::MAX_RUNS
            ),
        ));
    }
    if !runs.any_line {
        return Err(Error::in_file(
            path,
            "no import-time lines found: expected CPython `-X importtime` output \
             (`import time: self [us] | cumulative | imported package`) or an lmms-tui trace.json",
        ));
    }
    builder.file_edges_complete(runs.any_cached);
    Ok(())
}

/// Parsed lines becoming runs: where the current run is, and what was seen.
#[derive(Default)]
struct Runs {
    run: Vec<Entry>,
    /// Modules already printed at level 0 in this run: seeing one again there starts a new run.
    roots_in_run: HashSet<u32>,
    /// Index in `run` just after the last level-0 line: lines after it belong to a top-level
    /// import still in progress, and move to the next run when a new run is detected.
    after_last_root: usize,
    any_line: bool,
    any_cached: bool,
}

impl Runs {
    fn take(&mut self, block: Vec<Parsed<'_>>, builder: &mut TraceBuilder, path: &Path) {
        for Parsed {
            line_no,
            line,
            hash,
        } in block
        {
            self.any_line = true;
            match line {
                Line::Header => {
                    // One header per interpreter: a repeated one starts the next run.
                    finish_run(&self.run, builder, path);
                    self.run.clear();
                    self.roots_in_run.clear();
                    self.after_last_root = 0;
                }
                Line::Entry {
                    name,
                    level,
                    figures,
                } => {
                    let timed = matches!(figures, Figures::Timed { .. });
                    self.any_cached |= !timed;
                    // A cached line for a module never timed was loaded before tracing began
                    // (`sys`, `builtins`): an edge to something that costs nothing.
                    let module = if timed {
                        builder.module_hashed(name, hash)
                    } else {
                        match builder.lookup_hashed(name, hash) {
                            Some(module) => module,
                            None => continue,
                        }
                    };
                    if timed && level == 0 && !self.roots_in_run.insert(module) {
                        // A module is imported once per interpreter: a second top-level line
                        // for it means the next run began after the last completed top-level
                        // import.
                        let tail = self.run.split_off(self.after_last_root);
                        finish_run(&self.run, builder, path);
                        self.run = tail;
                        self.roots_in_run.clear();
                        self.roots_in_run.insert(module);
                    }
                    self.run.push(Entry {
                        module,
                        line: line_no,
                        level,
                        figures,
                    });
                    if timed && level == 0 {
                        self.after_last_root = self.run.len();
                    }
                }
            }
        }
    }
}

/// Turns one run's lines into samples, tree parents and edges.
fn finish_run(entries: &[Entry], builder: &mut TraceBuilder, path: &Path) {
    if entries.is_empty() {
        return;
    }
    let run = builder.begin_run();
    let levels = resolve_levels(entries, &builder.names);
    let mut parent = post_order_parents(entries, &levels);
    let jumps = level_jumps(entries, &levels);
    if !jumps.is_empty() {
        exact_level_parents(entries, &levels, &mut parent);
        builder.level_jumps(
            jumps
                .iter()
                .map(|&j| format!("{}:{}", path.display(), entries[j].line)),
        );
    }
    samples_and_edges(entries, &parent, run, builder);
}

/// Timed lines whose next timed line is more than one level up (`e` at level 3, then `d` at
/// level 1). CPython prints a module's line right after its imports' lines, so its parent
/// line is always one level up: a bigger drop means lines of several processes or threads
/// were interleaved, which CPython documents as unreliable output.
fn level_jumps(entries: &[Entry], levels: &[u32]) -> Vec<usize> {
    let mut jumps = Vec::new();
    let mut previous: Option<u32> = None;
    for (i, entry) in entries.iter().enumerate() {
        if !matches!(entry.figures, Figures::Timed { .. }) {
            continue;
        }
        if previous.is_some_and(|p| levels[i] + 1 < p) {
            jumps.push(i);
        }
        previous = Some(levels[i]);
    }
    jumps
}

/// For a run with level jumps: each timed line goes to the next timed line exactly one level
/// up, where one comes before the run's next top-level line (tuna's rule); otherwise it keeps
/// the post-order parent (the next line above it).
fn exact_level_parents(entries: &[Entry], levels: &[u32], parent: &mut [Option<u32>]) {
    let mut waiting: hashbrown::HashMap<u32, Vec<u32>> = hashbrown::HashMap::new();
    let mut exact: Vec<Option<u32>> = vec![None; entries.len()];
    for (i, entry) in entries.iter().enumerate() {
        if !matches!(entry.figures, Figures::Timed { .. }) {
            continue;
        }
        let level = levels[i];
        if let Some(children) = waiting.remove(&(level + 1)) {
            for c in children {
                exact[c as usize] = Some(i as u32);
            }
        }
        if level == 0 {
            // A top-level line ends what came before it.
            waiting.clear();
        } else {
            waiting.entry(level).or_default().push(i as u32);
        }
    }
    for (i, entry) in entries.iter().enumerate() {
        if matches!(entry.figures, Figures::Timed { .. }) && exact[i].is_some() {
            parent[i] = exact[i];
        }
    }
}

/// Post-order → tree: a line adopts every pending line deeper than itself. Cached lines wait
/// on their own stack; the first timed line above them is their importer.
fn post_order_parents(entries: &[Entry], levels: &[u32]) -> Vec<Option<u32>> {
    let n = entries.len();
    let mut parent: Vec<Option<u32>> = vec![None; n];
    let mut pending: Vec<u32> = Vec::new();
    let mut pending_cached: Vec<u32> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        if matches!(entry.figures, Figures::Cached { .. }) {
            pending_cached.push(i as u32);
            continue;
        }
        for stack in [&mut pending, &mut pending_cached] {
            while let Some(&top) = stack.last() {
                if levels[top as usize] <= levels[i] {
                    break;
                }
                parent[top as usize] = Some(i as u32);
                stack.pop();
            }
        }
        pending.push(i as u32);
    }
    parent
}

fn samples_and_edges(
    entries: &[Entry],
    parent: &[Option<u32>],
    run: u32,
    builder: &mut TraceBuilder,
) {
    // A module is printed once per run unless a load failed and was retried, or a package
    // imported the submodule being loaded: only then is the pre-order walk needed.
    let mut seen = vec![false; builder.module_count()];
    let repeated = entries
        .iter()
        .filter(|e| matches!(e.figures, Figures::Timed { .. }))
        .any(|e| std::mem::replace(&mut seen[e.module as usize], true));
    let edge = |i: usize, builder: &mut TraceBuilder| {
        let importer = parent[i].map(|p| entries[p as usize].module);
        builder.edge(importer, entries[i].module);
    };
    if repeated {
        merge_repeated_loads(entries, parent, run, builder);
        (0..entries.len()).for_each(|i| edge(i, builder));
        return;
    }
    for (i, entry) in entries.iter().enumerate() {
        let Figures::Timed {
            self_us,
            cumulative_us,
        } = entry.figures
        else {
            edge(i, builder);
            continue;
        };
        let importer = parent[i].map(|p| entries[p as usize].module);
        // The tree's edges join the graph's edges where it is built: a module's first import
        // needs no copy here.
        if !builder.tree_parent(entry.module, importer) {
            builder.edge(importer, entry.module);
        }
        builder.sample(
            entry.module,
            Sample {
                run,
                self_us,
                cumulative_us,
            },
        );
    }
}

/// One sample per module when some were printed more than once in the run.
fn merge_repeated_loads(
    entries: &[Entry],
    parent: &[Option<u32>],
    run: u32,
    builder: &mut TraceBuilder,
) {
    let tree = TimedTree::of(entries, parent);
    let (agg, touched) = aggregate(entries, parent, &tree, builder.module_count());
    for &module in &touched {
        let a = agg[module as usize];
        builder.tree_parent(module, a.first_parent);
        builder.sample(
            module,
            Sample {
                run,
                self_us: a.self_us,
                cumulative_us: a.cumulative_us,
            },
        );
    }
}

/// The timed lines' children in print order (a row per line), and the top-level lines, for a
/// pre-order walk.
struct TimedTree {
    children: Csr<u32>,
    roots: Vec<u32>,
}

impl TimedTree {
    fn of(entries: &[Entry], parent: &[Option<u32>]) -> TimedTree {
        let timed = || {
            (parent.iter().enumerate())
                .filter(|&(i, _)| matches!(entries[i].figures, Figures::Timed { .. }))
        };
        TimedTree {
            children: Csr::from_pair_iter(entries.len(), || {
                timed().filter_map(|(i, p)| Some((p.as_ref().copied()?, i as u32)))
            }),
            roots: timed()
                .filter(|(_, p)| p.is_none())
                .map(|(i, _)| i as u32)
                .collect(),
        }
    }

    fn children(&self, line: u32) -> &[u32] {
        self.children.row(line as usize)
    }
}

/// A module's lines of one run, added up.
#[derive(Clone, Copy, Default)]
struct Agg {
    first_parent: Option<u32>,
    self_us: u64,
    cumulative_us: u64,
    seen: bool,
}

/// Pre-order walk: which occurrence of a module started first (it gives the tree parent), and
/// which occurrences are nested in another of the same module (their cumulative is already
/// inside the outer one's). Self times never overlap, so they add up. Returns each module's
/// sums and the modules the run printed, in first-seen order.
fn aggregate(
    entries: &[Entry],
    parent: &[Option<u32>],
    tree: &TimedTree,
    module_count: usize,
) -> (Vec<Agg>, Vec<u32>) {
    let mut agg = vec![Agg::default(); module_count];
    let mut open = vec![0u32; module_count];
    let mut touched = Vec::new();
    // (line, entering?) — an explicit stack keeps 100,000-deep chains off the call stack.
    let mut walk: Vec<(u32, bool)> = tree.roots.iter().rev().map(|&r| (r, true)).collect();
    while let Some((line, entering)) = walk.pop() {
        let entry = entries[line as usize];
        let m = entry.module as usize;
        if !entering {
            open[m] -= 1;
            continue;
        }
        let Figures::Timed {
            self_us,
            cumulative_us,
        } = entry.figures
        else {
            continue;
        };
        let a = &mut agg[m];
        if !a.seen {
            a.seen = true;
            a.first_parent = parent[line as usize].map(|p| entries[p as usize].module);
            touched.push(entry.module);
        }
        a.self_us += self_us;
        if open[m] == 0 {
            a.cumulative_us += cumulative_us;
        }
        open[m] += 1;
        walk.push((line, false));
        walk.extend(tree.children(line).iter().rev().map(|&c| (c, true)));
    }
    (agg, touched)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same trace, with every feature of the reader: read on one thread and on two.
    fn both_ways(text: &str) -> [std::result::Result<Vec<u8>, String>; 2] {
        [false, true].map(|parallel| {
            let mut builder = TraceBuilder::new();
            read_with(Path::new("t.txt"), text.as_bytes(), &mut builder, parallel)
                .map_err(|e| e.to_string())?;
            let graph = crate::model::ImportGraph::build(builder).map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            crate::trace::json::write(&graph, &mut out).unwrap();
            Ok(out)
        })
    }

    #[test]
    fn two_threads_read_what_one_does() {
        // Three runs of 30,000 modules (several blocks each), log prefixes, a cached line of a
        // module timed earlier, a level jump, and a repeated load.
        let run = crate::synth::SynthTree::generate(30_000, 9).to_importtime();
        let mut text = String::new();
        for r in 0..3 {
            for (i, line) in run.lines().enumerate() {
                if i % 7 == 3 {
                    text.push_str("2026-11-28T09:00:00Z req-1 ");
                }
                text.push_str(line);
                text.push('\n');
                if r == 1 && i == 5000 {
                    text.push_str("import time: cached    | cached     |   pkg0\n");
                    text.push_str("warning: not an import line\n");
                }
            }
        }
        text.push_str("import time:        10 |         10 |       deep\n");
        text.push_str("import time:        10 |         20 |   mid\n");
        text.push_str("import time:        10 |         10 |       deep\n");
        text.push_str("import time:        10 |         40 | top\n");
        let [one, two] = both_ways(&text);
        assert!(one.is_ok(), "{one:?}");
        assert!(one == two, "two threads built a different trace");

        // A bad line late in the file is named by its line number either way.
        let bad_line = text.lines().count() + 1;
        text.push_str("import time: 12 | x | broken\n");
        text.push_str(&run);
        let [one, two] = both_ways(&text);
        let one = one.unwrap_err();
        assert!(one.contains(&format!("t.txt:{bad_line}")), "{one}");
        assert_eq!(Err(one), two);
    }
}
