//! Building the graph from what the readers collected: medians, the first-import tree,
//! start-up, classes, run totals and every edge, deduplicated.

use super::{ImportGraph, Module, ModuleId, NO_PACKAGE, is_startup_root};
use crate::error::{Error, Result};
use crate::model::builder::{Sample, TraceBuilder};
use crate::model::csr::Csr;
use crate::model::names::Names;
use crate::model::origin::{ModuleClass, is_stdlib_name};
use crate::model::sites::Site;
use crate::model::stats::Spread;

impl ImportGraph {
    /// The graph from what the readers collected; an error for parent links that form a cycle.
    pub fn build(builder: TraceBuilder) -> Result<ImportGraph> {
        let TraceBuilder {
            names,
            parent,
            samples,
            sample_modules,
            edges,
            runs,
            meta,
            origins: recorded,
            shutdown,
            sites,
            site_texts,
            ..
        } = builder;
        let n = names.len();
        let context = || meta.files.join(", ");

        // What the names alone say (each module's package, standard library or not) needs
        // nothing else: on a large trace a second core works it out while the tree is built.
        let python = meta.python.as_deref();
        let name_facts = || {
            let package = packages_of(&names);
            let stdlib = stdlib_flags(&names, python);
            let children = package_children(&package);
            (package, stdlib, children)
        };
        let build_tree = || {
            let mut samples = Csr::from_rows(n, &sample_modules, samples);
            // In run order, so one run's sample is a binary search (`sample_in_run`).
            samples.sort_rows_by_key(|s| s.run);
            first_import_tree(&names, &parent, samples, &shutdown, &context)
        };
        let (tree, (package, stdlib, package_children)) = if n >= PARALLEL_FROM {
            rayon::join(build_tree, name_facts)
        } else {
            (build_tree(), name_facts())
        };
        let (mut modules, children, roots, samples) = tree?;
        drop(parent);
        classify(&mut modules, &recorded, &stdlib);
        let origins = origins_of(n, recorded);
        // Whole-trace figures are computed per run, then summarised: the median of run totals
        // is a total that happened, which a sum of per-module medians is not.
        let run_totals = run_sums(&modules, &samples, runs, |m| !m.shutdown);
        let total = Spread::of(&mut run_totals.clone());
        let startup_us = Spread::of(&mut run_sums(&modules, &samples, runs, |m| m.startup)).median;
        let importers = all_importers(&modules, &edges, &package);
        drop(edges);
        let (imports, program_imports) = imports_of(&modules, &importers);
        let mut sites = Csr::from_pairs(n, &sites);
        sites.dedup_rows();
        let triggered = triggered_edges(&sites, n);
        Ok(ImportGraph {
            modules,
            names,
            roots,
            children,
            importers,
            imports,
            program_imports,
            samples,
            origins,
            sites,
            site_texts,
            package,
            triggered,
            package_children,
            runs,
            run_totals,
            total,
            startup_us,
            meta,
        })
    }
}

/// The (importer, module) imports recorded only as sites in another module's function
/// (`EdgeKind::is_triggered`), the program as `u32::MAX`. A module's sites are few: each row
/// is checked on its own.
fn triggered_edges(sites: &Csr<Site>, n: usize) -> hashbrown::HashSet<(u32, u32)> {
    let key = |s: &Site| s.importer.map_or(u32::MAX, ModuleId::raw);
    let mut triggered = hashbrown::HashSet::new();
    for m in 0..n {
        let row = sites.row(m);
        for s in row.iter().filter(|s| s.kind.is_triggered()) {
            let own = row
                .iter()
                .any(|o| key(o) == key(s) && !o.kind.is_triggered());
            if !own {
                triggered.insert((key(s), m as u32));
            }
        }
    }
    triggered
}

type Recorded = Vec<Option<(ModuleClass, Option<Box<str>>)>>;

/// The recording's class where there is one, else what start-up and the name say.
fn classify(modules: &mut [Module], recorded: &Recorded, stdlib: &[bool]) {
    for (i, module) in modules.iter_mut().enumerate() {
        let recorded = recorded.get(i).and_then(Option::as_ref);
        // The timed runs' shape decides start-up; the tracer's run had its own.
        let recorded = recorded
            .filter(|(class, _)| !matches!(class, ModuleClass::Startup | ModuleClass::Unknown));
        module.class = match recorded {
            _ if module.startup => ModuleClass::Startup,
            Some((class, _)) => *class,
            None if stdlib[i] => ModuleClass::Stdlib,
            None => ModuleClass::Unknown,
        };
    }
}

/// Each module's recorded origin; empty when the trace recorded none.
fn origins_of(n: usize, recorded: Recorded) -> Vec<Option<Box<str>>> {
    if !recorded.iter().any(|r| matches!(r, Some((_, Some(_))))) {
        return Vec::new();
    }
    (0..n)
        .map(|i| recorded.get(i).and_then(|r| r.as_ref()?.1.clone()))
        .collect()
}

/// Σ self of the modules `keep` takes, run by run.
fn run_sums(
    modules: &[Module],
    samples: &Csr<Sample>,
    runs: u32,
    keep: impl Fn(&Module) -> bool,
) -> Vec<u64> {
    let mut sums = vec![0u64; runs as usize];
    for (i, module) in modules.iter().enumerate() {
        if keep(module) {
            for s in samples.row(i) {
                let sum = &mut sums[s.run as usize];
                *sum = sum.saturating_add(s.self_us);
            }
        }
    }
    sums
}

/// All edges, deduplicated per row; the tree edges are among them. A submodule always loads
/// its package first (CPython imports `a` before `a.b`). Rows are filled from the sources
/// themselves, counted then placed, with no list of pairs in between.
fn all_importers(
    modules: &[Module],
    edges: &[(Option<u32>, u32)],
    package: &[u32],
) -> Csr<Option<ModuleId>> {
    let mut importers = Csr::from_pair_iter(modules.len(), || {
        let recorded = edges
            .iter()
            .map(|&(from, to)| (to, from.map(ModuleId::new)));
        let tree = modules
            .iter()
            .enumerate()
            .map(|(i, m)| (i as u32, m.parent));
        let packages = package
            .iter()
            .enumerate()
            .filter(|&(_, &p)| p != NO_PACKAGE)
            .map(|(i, &p)| (p, Some(ModuleId::new(i as u32))));
        recorded.chain(tree).chain(packages)
    });
    importers.dedup_rows();
    importers
}

/// Each module's imports, and the program's; shutdown imports are no part of what the program
/// loads.
fn imports_of(
    modules: &[Module],
    importers: &Csr<Option<ModuleId>>,
) -> (Csr<ModuleId>, Vec<ModuleId>) {
    let n = modules.len();
    let loads = |to: usize| !modules[to].shutdown;
    let imports = Csr::from_pair_iter(n, || {
        (0..n).filter(|&to| loads(to)).flat_map(|to| {
            importers
                .row(to)
                .iter()
                .filter_map(move |from| Some((from.as_ref()?.raw(), ModuleId::new(to as u32))))
        })
    });
    let program_imports: Vec<ModuleId> = (0..n)
        .filter(|&to| loads(to) && importers.row(to).contains(&None))
        .map(|to| ModuleId::new(to as u32))
        .collect();
    (imports, program_imports)
}

/// From this many modules, `build` works on two cores.
const PARALLEL_FROM: usize = 20_000;

type Tree = (Vec<Module>, Csr<ModuleId>, Vec<ModuleId>, Csr<Sample>);

/// Modules with their medians, first-import children and roots, depths, start-up and
/// shutdown marks; an error for parent links that form a cycle.
fn first_import_tree(
    names: &Names,
    parent: &[Option<Option<u32>>],
    samples: Csr<Sample>,
    shutdown: &[u32],
    context: &dyn Fn() -> String,
) -> Result<Tree> {
    let n = names.len();
    let mut modules = with_medians(parent, &samples);

    // Children in first-appearance order (ids follow it); roots likewise.
    let child_pairs: Vec<(u32, ModuleId)> = modules
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.parent.map(|p| (p.raw(), ModuleId::new(i as u32))))
        .collect();
    let children = Csr::from_pairs(n, &child_pairs);
    let roots: Vec<ModuleId> = (0..n as u32)
        .map(ModuleId::new)
        .filter(|m| modules[m.index()].parent.is_none())
        .collect();

    set_depths(&mut modules, &children, &roots).map_err(|at| {
        Error::new(format!(
            "{}: parent links form a cycle through `{}`",
            context(),
            names.name(at as u32)
        ))
    })?;

    mark_startup(&mut modules, &children, &roots, names);
    for &m in shutdown {
        modules[m as usize].shutdown = true;
    }
    Ok((modules, children, roots, samples))
}

/// Each module with its median self and cumulative times, its first-import parent, and its
/// marks and class still to be set.
fn with_medians(parent: &[Option<Option<u32>>], samples: &Csr<Sample>) -> Vec<Module> {
    let mut values = Vec::new();
    let mut median = |row: &[Sample], of: fn(&Sample) -> u64| {
        values.clear();
        values.extend(row.iter().map(of));
        Spread::of(&mut values).median
    };
    (parent.iter().enumerate())
        .map(|(i, first_parent)| {
            let row = samples.row(i);
            Module {
                parent: first_parent.flatten().map(ModuleId::new),
                depth: 0,
                self_us: median(row, |s| s.self_us),
                cumulative_us: median(row, |s| s.cumulative_us),
                samples: row.len() as u32,
                startup: false,
                shutdown: false,
                class: ModuleClass::Unknown,
            }
        })
        .collect()
}

/// Depths by a walk from the roots; anything not reached sits on a parent cycle, which only a
/// hand-edited trace.json can hold: then a module on that cycle is the error.
fn set_depths(
    modules: &mut [Module],
    children: &Csr<ModuleId>,
    roots: &[ModuleId],
) -> std::result::Result<(), usize> {
    let n = modules.len();
    let mut reached = vec![false; n];
    let mut stack: Vec<ModuleId> = roots.to_vec();
    while let Some(m) = stack.pop() {
        reached[m.index()] = true;
        let depth = modules[m.index()].depth;
        for &c in children.row(m.index()) {
            modules[c.index()].depth = depth + 1;
            stack.push(c);
        }
    }
    let Some(unreached) = reached.iter().position(|r| !r) else {
        return Ok(());
    };
    // Walking up n parents from an unreached module lands on the cycle itself.
    let mut at = unreached;
    for _ in 0..n {
        at = modules[at].parent.map_or(at, ModuleId::index);
    }
    Err(at)
}

/// Interpreter start-up: top-level imports up to `site`, or a known prefix without it, and
/// everything under them.
fn mark_startup(
    modules: &mut [Module],
    children: &Csr<ModuleId>,
    roots: &[ModuleId],
    names: &Names,
) {
    let site = roots.iter().position(|r| names.name(r.raw()) == "site");
    let startup_roots = match site {
        Some(pos) => pos + 1,
        None => roots
            .iter()
            .take_while(|r| is_startup_root(names.name(r.raw())))
            .count(),
    };
    let mut stack: Vec<ModuleId> = roots[..startup_roots].to_vec();
    while let Some(m) = stack.pop() {
        modules[m.index()].startup = true;
        stack.extend_from_slice(children.row(m.index()));
    }
}

/// Each module's package in the trace (`a` for `a.b`), or `NO_PACKAGE`. Siblings are mostly
/// listed together, so the last package found is tried before the name table.
fn packages_of(names: &Names) -> Vec<u32> {
    let mut package = vec![NO_PACKAGE; names.len()];
    let mut last: Option<(&str, u32)> = None;
    for (i, slot) in package.iter_mut().enumerate() {
        let Some((parent, _)) = names.name(i as u32).rsplit_once('.') else {
            continue;
        };
        *slot = match last {
            Some((name, p)) if name == parent => p,
            _ => {
                let p = names.get(parent).unwrap_or(NO_PACKAGE);
                last = Some((parent, p));
                p
            }
        };
    }
    package
}

/// Each package's own submodules, from each module's package.
fn package_children(package: &[u32]) -> Csr<ModuleId> {
    let pairs: Vec<(u32, ModuleId)> = (package.iter().enumerate())
        .filter(|&(_, &p)| p != NO_PACKAGE)
        .map(|(i, &p)| (p, ModuleId::new(i as u32)))
        .collect();
    Csr::from_pairs(package.len(), &pairs)
}

/// Whether each module is in the standard library, by top-level name; modules of one
/// top-level package are mostly listed together, so the last answer is tried first.
fn stdlib_flags(names: &Names, python: Option<&str>) -> Vec<bool> {
    let mut last: Option<(&str, bool)> = None;
    (0..names.len() as u32)
        .map(|i| {
            let name = names.name(i);
            let top = crate::model::top_level_package(name);
            match last {
                Some((t, stdlib)) if t == top => stdlib,
                _ => {
                    let stdlib = is_stdlib_name(top, python);
                    last = Some((top, stdlib));
                    stdlib
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::model::ModuleClass;

    /// The last package and the last top-level answer are reused only for the same name:
    /// `abcd` is as long as `json`, and listed among its submodules.
    #[test]
    fn packages_and_stdlib_follow_each_name() {
        let g = crate::trace::from_bytes(
            "t",
            b"\
import time:        10 |         10 |   json.decoder
import time:        10 |         10 |   abcd.x
import time:        10 |         10 |   json.scanner
import time:        10 |         40 | json
import time:        10 |         10 | abcd
",
        )
        .unwrap();
        let id = |n| g.find(n).unwrap();
        for (module, package) in [
            ("json.decoder", "json"),
            ("abcd.x", "abcd"),
            ("json.scanner", "json"),
        ] {
            assert!(g.is_package_edge(id(module), id(package)), "{module}");
        }
        assert!(!g.is_package_edge(id("abcd.x"), id("json")));
        let class = |n| g.module(id(n)).class;
        assert_eq!(class("json.decoder"), ModuleClass::Stdlib);
        assert_eq!(class("abcd.x"), ModuleClass::Unknown);
        assert_eq!(class("json.scanner"), ModuleClass::Stdlib);
        assert_eq!(class("abcd"), ModuleClass::Unknown);
    }
}
