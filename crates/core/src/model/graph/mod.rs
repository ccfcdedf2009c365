//! The import graph: an arena of modules (indices, no pointers), the first-import tree, every
//! known import edge and per-module medians over runs. Every walk is iterative, so a
//! 100,000-deep import chain cannot overflow the stack.

use super::builder::{Sample, TraceMeta};
use super::csr::Csr;

mod build;
pub use super::id::{Importer, ModuleId};
use super::names::Names;
use super::origin::ModuleClass;
use super::sites::{EdgeKind, NONE, Site};
use super::stats::Spread;

/// A module of the trace, its figures median over runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Module {
    /// First importer in the first-import tree; `None` for a top-level import.
    pub parent: Option<ModuleId>,
    /// Links from a top-level import down the first-import tree.
    pub depth: u32,
    /// Self time, µs: the median over the runs it appears in (`ImportGraph::self_spread` has
    /// the spread; only the median is kept here, so a module costs 32 bytes).
    pub self_us: u64,
    /// Cumulative time, µs, median over runs (`ImportGraph::cumulative_spread`).
    pub cumulative_us: u64,
    /// Runs the module appears in.
    pub samples: u32,
    /// Loaded by interpreter start-up (before the program's first own import).
    pub startup: bool,
    /// First imported after the program ended: not part of cold start.
    pub shutdown: bool,
    /// Where it comes from: the program, third-party, stdlib, start-up.
    pub class: ModuleClass,
}

impl Module {
    /// Whether any run timed it. What `importlib.import_module` loads, and a module code
    /// placed in `sys.modules`, have no `-X importtime` line (the recorder's tracer adds them):
    /// their own time is in the self time of the import timed meanwhile; their figures are 0.
    pub fn timed(&self) -> bool {
        self.samples > 0
    }

    /// Whether it loads at cold start: neither interpreter start-up nor after the program
    /// ended.
    pub fn at_cold_start(&self) -> bool {
        !self.startup && !self.shutdown
    }
}

const NO_PACKAGE: u32 = u32::MAX;

/// A trace's modules and imports as an arena: ids index its tables.
#[derive(Debug, Clone)]
pub struct ImportGraph {
    modules: Vec<Module>,
    names: Names,
    roots: Vec<ModuleId>,
    children: Csr<ModuleId>,
    importers: Csr<Importer>,
    imports: Csr<ModuleId>,
    program_imports: Vec<ModuleId>,
    samples: Csr<Sample>,
    /// Where each module was loaded from, when recorded.
    origins: Vec<Option<Box<str>>>,
    /// Each module's recorded imports, with kind and place (empty when none were recorded).
    sites: Csr<Site>,
    site_texts: Names,
    /// Each module's package in the trace (`a` for `a.b`), or `NO_PACKAGE`.
    package: Vec<u32>,
    /// (importer, module) imports whose every recorded site is in another module's function
    /// (`EdgeKind::is_triggered`); the program is `u32::MAX`.
    triggered: hashbrown::HashSet<(u32, u32)>,
    /// Each package's own submodules (`a.b` for `a`).
    package_children: Csr<ModuleId>,
    runs: u32,
    /// Σ self of every module (shutdown imports aside) in each run.
    run_totals: Vec<u64>,
    total: Spread,
    startup_us: u64,
    meta: TraceMeta,
}

/// Modules CPython imports before running the program (3.7 → 3.14), used when no `site` line
/// marks the end of start-up (`python -S`).
const STARTUP_ROOTS: &[&str] = &[
    "_frozen_importlib_external",
    "zipimport",
    "encodings",
    "_signal",
    "io",
    "abc",
    "_abc",
    "_io",
    "marshal",
    "posix",
    "nt",
    "winreg",
    "time",
    "_codecs",
    "codecs",
    "_locale",
    "site",
];

fn is_startup_root(name: &str) -> bool {
    STARTUP_ROOTS.contains(&name) || name.starts_with("encodings.")
}

impl ImportGraph {
    /// How many modules.
    pub fn len(&self) -> usize {
        self.modules.len()
    }

    /// Whether the trace has no module.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// A module's figures and marks.
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.index()]
    }

    /// Every module, in id order.
    pub fn modules(&self) -> &[Module] {
        &self.modules
    }

    /// Every module's id, in order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = ModuleId> + use<> {
        (0..self.modules.len() as u32).map(ModuleId::new)
    }

    /// A module by its full name.
    pub fn find(&self, name: &str) -> Option<ModuleId> {
        self.names.get(name).map(ModuleId::new)
    }

    /// A module's full name.
    pub fn name(&self, id: ModuleId) -> &str {
        self.names.name(id.raw())
    }

    /// Top-level imports, in import order.
    pub fn roots(&self) -> &[ModuleId] {
        &self.roots
    }

    /// First-import children, in import order.
    pub fn children(&self, id: ModuleId) -> &[ModuleId] {
        self.children.row(id.index())
    }

    /// Every known importer (`None` = the program itself), the tree parent among them.
    pub fn importers(&self, id: ModuleId) -> &[Importer] {
        self.importers.row(id.index())
    }

    /// Every module this one is known to import.
    pub fn imports(&self, id: ModuleId) -> &[ModuleId] {
        self.imports.row(id.index())
    }

    /// Modules the program imports itself (at top level).
    pub fn program_imports(&self) -> &[ModuleId] {
        &self.program_imports
    }

    /// The file (or `built-in`, `frozen`) the module was loaded from, when recorded.
    pub fn origin(&self, id: ModuleId) -> Option<&str> {
        self.origins.get(id.index())?.as_deref()
    }

    /// Importers by import statement: `importers` without a submodule's need of its package —
    /// unless the submodule is the first importer (importing `a.b` first loads `a`, and the
    /// trace nests `a` under `a.b`).
    pub fn statement_importers(&self, id: ModuleId) -> impl Iterator<Item = Importer> + '_ {
        let parent = self.module(id).parent;
        self.importers(id)
            .iter()
            .copied()
            .filter(move |&i| i == parent || !i.is_some_and(|i| self.is_package_edge(i, id)))
    }

    /// Whether this import is one the user can edit: made by the program or by a module of
    /// editable class (program, or unknown origin), and not a submodule's need of its package.
    pub fn is_editable_import(&self, from: Importer, to: ModuleId) -> bool {
        self.editable_import(from, to, |f| self.module(f).class.is_editable())
    }

    /// `is_editable_import` for a pass over every edge: each module's class is read once, in
    /// id order, into a byte apiece, rather than once per edge from its scattered record.
    pub fn editable_imports(&self) -> impl Fn(Importer, ModuleId) -> bool + '_ {
        let editable: Vec<bool> = self.modules.iter().map(|m| m.class.is_editable()).collect();
        move |from, to| self.editable_import(from, to, |f| editable[f.index()])
    }

    fn editable_import(
        &self,
        from: Importer,
        to: ModuleId,
        editable: impl Fn(ModuleId) -> bool,
    ) -> bool {
        from.is_none_or(|f| editable(f) && !self.is_package_edge(f, to))
            && !self.is_triggered_edge(from, to)
    }

    /// Whether `from` holds no import of `to` of its own: every recorded import sits in
    /// another module's function its module-level code ran (a module `__getattr__`, a helper).
    pub fn is_triggered_edge(&self, from: Importer, to: ModuleId) -> bool {
        !self.triggered.is_empty()
            && self
                .triggered
                .contains(&(from.map_or(u32::MAX, ModuleId::raw), to.raw()))
    }

    /// Every module within the package `m` (`m.x`, `m.x.y`, …), `m` aside, in no set order:
    /// a walk down the package tree, proportional to what it finds.
    pub fn submodules(&self, m: ModuleId) -> Vec<ModuleId> {
        let children = &self.package_children;
        let mut found = Vec::new();
        let mut stack = vec![m];
        while let Some(p) = stack.pop() {
            let row = children.row(p.index());
            found.extend_from_slice(row);
            stack.extend_from_slice(row);
        }
        found
    }

    /// Whether an edge of the graph is the package a submodule needs, not an import statement.
    pub fn is_package_edge(&self, importer: ModuleId, module: ModuleId) -> bool {
        self.package[importer.index()] == module.raw()
    }

    /// The recorded imports of a module: who, how and where (empty for text traces).
    pub fn sites(&self, id: ModuleId) -> &[Site] {
        self.sites.row(id.index())
    }

    /// Whether the trace records how and where imports happened.
    pub fn has_sites(&self) -> bool {
        !self.sites.is_empty()
    }

    /// `botocore/httpsession.py:10`: where a recorded import ran, when it ran in Python code.
    pub fn site_place(&self, site: &Site) -> Option<String> {
        (site.file != NONE).then(|| format!("{}:{}", self.site_texts.name(site.file), site.line))
    }

    /// The file a recorded import ran in.
    pub fn site_file(&self, site: &Site) -> Option<&str> {
        (site.file != NONE).then(|| self.site_texts.name(site.file))
    }

    /// The import statement's source, recorded for the program's own files.
    pub fn site_code(&self, site: &Site) -> Option<&str> {
        (site.code != NONE).then(|| self.site_texts.name(site.code))
    }

    /// The function a recorded import sits in, and that function's module when it is not the
    /// importer's (`None`s for module-level code).
    pub fn site_within(&self, site: &Site) -> crate::model::Within<'_> {
        let text = |i: u32| (i != NONE).then(|| self.site_texts.name(i));
        crate::model::Within {
            function: text(site.function),
            via: text(site.via),
        }
    }

    /// How `importer` imports `module`: a package edge when the importer is its submodule,
    /// else a statement when any recorded import was one, else dynamic, else unrecorded.
    pub fn edge_kind(&self, importer: Importer, module: ModuleId) -> EdgeKind {
        if importer.is_some_and(|i| self.is_package_edge(i, module)) {
            return EdgeKind::Package;
        }
        self.sites(module)
            .iter()
            .filter(|s| s.importer == importer)
            .map(|s| s.kind)
            .min()
            .unwrap_or(EdgeKind::Unrecorded)
    }

    /// A module's timings, one per run that loaded it, in run order.
    pub fn samples(&self, id: ModuleId) -> &[Sample] {
        self.samples.row(id.index())
    }

    /// A module's timing in one run, if that run loaded it.
    pub fn sample_in_run(&self, id: ModuleId, run: u32) -> Option<&Sample> {
        let samples = self.samples(id);
        let at = samples.binary_search_by_key(&run, |s| s.run).ok()?;
        Some(&samples[at])
    }

    /// A module's self time over the runs it appears in: median (`Module::self_us`), min, max.
    pub fn self_spread(&self, id: ModuleId) -> Spread {
        self.spread(id, self.module(id).self_us, |s| s.self_us)
    }

    /// Its cumulative time over runs: median (`Module::cumulative_us`), min, max.
    pub fn cumulative_spread(&self, id: ModuleId) -> Spread {
        self.spread(id, self.module(id).cumulative_us, |s| s.cumulative_us)
    }

    fn spread(&self, id: ModuleId, median: u64, figure: fn(&Sample) -> u64) -> Spread {
        if self.module(id).samples == 1 {
            // One run, the usual case: the median is the one figure, and the samples (another
            // table) are not read.
            return Spread {
                median,
                min: median,
                max: median,
            };
        }
        Spread::of(&mut self.samples(id).iter().map(figure).collect::<Vec<u64>>())
    }

    /// How many runs the trace holds.
    pub fn runs(&self) -> u32 {
        self.runs
    }

    /// Total import time: the median over runs of Σ self of the modules each run loaded
    /// (start-up included, shutdown imports left out).
    pub fn total_us(&self) -> u64 {
        self.total.median
    }

    /// Total import time over the runs: median, min and max of the runs' totals.
    pub fn total(&self) -> Spread {
        self.total
    }

    /// Each run's total: Σ self of every module it loaded (shutdown imports aside).
    pub fn run_totals(&self) -> &[u64] {
        &self.run_totals
    }

    /// Σ self over `modules`, run by run (a module a run did not load adds nothing to it).
    pub fn run_sums(&self, modules: impl IntoIterator<Item = ModuleId>) -> Vec<u64> {
        let mut sums = vec![0u64; self.runs as usize];
        for m in modules {
            for s in self.samples(m) {
                let sum = &mut sums[s.run as usize];
                *sum = sum.saturating_add(s.self_us);
            }
        }
        sums
    }

    /// Import time spent by interpreter start-up.
    pub fn startup_us(&self) -> u64 {
        self.startup_us
    }

    /// What the files say about the trace as a whole.
    pub fn meta(&self) -> &TraceMeta {
        &self.meta
    }

    /// Whether every import edge was recorded (else only the first-import tree).
    pub fn edges_complete(&self) -> bool {
        self.meta.edges_complete
    }

    /// The first-import chain from the top-level import down to `id`.
    pub fn chain(&self, id: ModuleId) -> Vec<ModuleId> {
        let mut chain = Vec::with_capacity(self.module(id).depth as usize + 1);
        let mut at = Some(id);
        while let Some(m) = at {
            chain.push(m);
            at = self.module(m).parent;
        }
        chain.reverse();
        chain
    }

    /// The module that is the program, when it imports one module of its own and nothing else
    /// (`-c "import handler"`): its code is the program's, so no edit can defer it.
    pub fn program_entry(&self) -> Option<ModuleId> {
        let mut program = (self.program_imports().iter().copied())
            .filter(|&m| !self.module(m).startup && !self.is_triggered_edge(None, m));
        let entry = program.next()?;
        let own = matches!(
            self.module(entry).class,
            ModuleClass::Program | ModuleClass::Unknown
        );
        (program.next().is_none() && own).then_some(entry)
    }

    /// The program's own imports: its top-level imports that are not interpreter start-up —
    /// or, when it imports one module of its own (`-c "import handler"`), that module's
    /// imports. Only imports its code holds: what a function of another module imported when
    /// the code touched it (a module `__getattr__`) is not one. `record` runs each alone;
    /// fast_path.py lists them.
    pub fn entry_imports(&self) -> Vec<ModuleId> {
        let own = |from: Importer| {
            move |m: &ModuleId| !self.module(*m).startup && !self.is_triggered_edge(from, *m)
        };
        let mut entries: Vec<ModuleId> = match self.program_entry() {
            Some(entry) => (self.imports(entry).iter().copied())
                .filter(own(Some(entry)))
                .collect(),
            None => (self.program_imports().iter().copied())
                .filter(own(None))
                .collect(),
        };
        entries.sort_unstable();
        entries.dedup();
        entries
    }
}

#[cfg(test)]
mod tests {
    /// Every module costs this much in the graph's main table, so it stays small on purpose:
    /// a million modules are 32 MB here.
    #[test]
    fn a_module_takes_32_bytes() {
        assert_eq!(std::mem::size_of::<super::Module>(), 32);
    }
}
