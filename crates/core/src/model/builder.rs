//! What the readers fill: module names, per-run samples, the first-import tree and every
//! import edge seen, across files and runs. The graph is built from it, so readers know
//! nothing about medians or views. Ids here are raw indices into the name table; the graph
//! turns them into `ModuleId`s.

use super::id::ModuleId;
use super::names::Names;
use super::origin::ModuleClass;
use super::sites::{EdgeKind, NONE, Site, Within};

/// One run's figures for one module, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The run (from 0) the sample was printed in.
    pub run: u32,
    /// Time in the module's own code, in µs.
    pub self_us: u64,
    /// Time including what it imported, in µs.
    pub cumulative_us: u64,
}

/// What is known about where a trace came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceMeta {
    /// The files the trace was read from.
    pub files: Vec<String>,
    /// Interpreter version, when the trace says (our JSON does; CPython's text does not).
    pub python: Option<String>,
    /// The command `record` ran.
    pub command: Option<Vec<String>>,
    /// When `record` made the trace (RFC 3339).
    pub recorded_at: Option<String>,
    /// True when every import edge is known, including imports of already-loaded modules.
    pub edges_complete: bool,
    /// Runs recorded with modules really deferred (`record --lazy`), to set beside projections.
    pub measured: Vec<Measured>,
    /// The program's import time with and without the cyclic garbage collector.
    pub gc: Option<GcRuns>,
    /// What the timings depend on besides the code, when recorded.
    pub fingerprint: Option<Fingerprint>,
    /// Text lines whose nesting level dropped by more than one: interleaved output.
    pub level_jumps: LevelJumps,
    /// Timed runs in which the program failed (`record`): such a trace is not the program's.
    pub failed_runs: Vec<FailedRun>,
    /// Requests replayed after start-up and what each needed (`record --handler`/`--driver`).
    pub requests: Option<super::requests::Requests>,
}

/// A timed run whose program exited unsuccessfully (or whose lines could not be used).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FailedRun {
    /// The run, from 1, in the recording's order.
    pub run: u32,
    /// What happened: `exit status 1`, `timed out after 300 s`, …
    pub how: String,
    /// The last lines the program wrote to standard error itself, escaped (may be none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stderr_tail: Vec<String>,
}

/// Where a text trace's nesting level dropped by more than one level from a line to the next —
/// impossible in one interpreter's output, so lines of several processes or threads were
/// interleaved, and the tree is a best guess.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LevelJumps {
    /// How many jumps there were, listed or not.
    pub count: u64,
    /// The first few, as `file:line`.
    pub at: Vec<String>,
}

impl LevelJumps {
    /// How many places are kept.
    pub const KEPT: usize = 10;

    /// Whether there were none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Adds jumps at these places (file:line).
    pub fn add(&mut self, places: impl IntoIterator<Item = String>) {
        for place in places {
            self.count += 1;
            if self.at.len() < Self::KEPT {
                self.at.push(place);
            }
        }
    }
}

/// Interpreter, platform and the versions of the packages the program loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    /// `CPython 3.11.7`.
    pub python: String,
    /// `linux x86_64`.
    pub platform: String,
    /// Distribution name → version.
    pub packages: std::collections::BTreeMap<String, String>,
}

impl Fingerprint {
    /// What differs from `other` (the baseline's), in words; empty when nothing does.
    pub fn differences(&self, other: &Fingerprint) -> Vec<String> {
        let mut out = Vec::new();
        for (what, mine, theirs) in [
            ("Python", &self.python, &other.python),
            ("platform", &self.platform, &other.platform),
        ] {
            if mine != theirs {
                out.push(format!("{what} {theirs} → {mine}"));
            }
        }
        let names: std::collections::BTreeSet<&String> =
            self.packages.keys().chain(other.packages.keys()).collect();
        for name in names {
            match (other.packages.get(name), self.packages.get(name)) {
                (Some(a), Some(b)) if a != b => out.push(format!("{name} {a} → {b}")),
                (Some(a), None) => out.push(format!("{name} {a} → absent")),
                (None, Some(b)) => out.push(format!("{name} new, {b}")),
                _ => {}
            }
        }
        out
    }
}

/// Runs of the program with its own imports of some modules rewritten to import on first use,
/// alternated with runs of the unedited program (`record --lazy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Measured {
    /// The deferred modules, sorted.
    pub lazy: Vec<String>,
    /// Total import time of each unedited run, µs; run k pairs with `total_us[k]`.
    #[serde(default)]
    pub eager_us: Vec<u64>,
    /// Total import time of each edited run, µs.
    pub total_us: Vec<u64>,
    /// Modules loaded (in the first edited run), sorted.
    pub modules: Vec<String>,
    /// Deferred modules that loaded anyway during start-up, and who imported them first.
    #[serde(default)]
    pub loaded_anyway: Vec<LoadedAnyway>,
    /// The first replayed request that needs the deferred modules, timed in alternated runs
    /// unedited and edited (what the deferral moves into the request path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_request: Option<FirstRequest>,
    /// Set when the edit was a patch of the program's files (`record --patch`), not the
    /// tracer's rewrite: what applying it showed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch: Option<PatchCheck>,
}

/// A patch applied to a copy of the program and run (`record --patch`): whether the modules
/// it stopped loading are the projection's, and whether the smoke command passed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PatchCheck {
    /// The patch file, as named.
    pub file: String,
    /// Modules the projection drops that the patched program still loaded.
    pub still_loaded: Vec<String>,
    /// Modules the patched program no longer loaded that the projection keeps.
    pub also_dropped: Vec<String>,
    /// The smoke command run in the patched copy, if one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smoke: Option<Smoke>,
}

impl PatchCheck {
    /// The projection's module set, exactly, and the smoke command passed (if any).
    pub fn verified(&self) -> bool {
        self.still_loaded.is_empty()
            && self.also_dropped.is_empty()
            && self.smoke.as_ref().is_none_or(|s| s.passed)
    }
}

/// A command run on the patched copy and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Smoke {
    /// As given.
    pub command: String,
    /// Whether it exited 0.
    pub passed: bool,
    /// `exit status 1`, …
    pub how: String,
    /// Its last lines of output, escaped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_tail: Vec<String>,
}

/// One request timed right after start-up, in pairs of runs: unedited and with the deferral.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FirstRequest {
    /// The request, as the replay labels it.
    pub label: String,
    /// Its time in each unedited run, µs.
    pub eager_us: Vec<u64>,
    /// Its time in each edited run, µs; pairs with `eager_us`.
    pub lazy_us: Vec<u64>,
}

impl FirstRequest {
    /// What the deferral added to it: edited minus unedited, paired run by run.
    pub fn penalty(&self) -> Option<super::PairedDifference> {
        if self.eager_us.len() != self.lazy_us.len() {
            return None;
        }
        super::PairedDifference::of(&self.lazy_us, &self.eager_us)
    }
}

/// A module the measured edit deferred that loaded at start-up anyway.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LoadedAnyway {
    /// The deferred module.
    pub module: String,
    /// The module whose code triggered its load.
    pub importer: String,
}

impl Measured {
    /// What the edit saved: unedited minus edited, paired run by run. None for a recording
    /// without alternated unedited runs.
    pub fn saving(&self) -> Option<super::PairedDifference> {
        if self.eager_us.len() != self.total_us.len() {
            return None;
        }
        super::PairedDifference::of(&self.eager_us, &self.total_us)
    }
}

/// The program's import time (start-up excluded) in alternated runs with the cyclic garbage
/// collector on (as always) and off.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GcRuns {
    /// The program's import time with the collector on, per run, in µs.
    pub with_gc_us: Vec<u64>,
    /// The same runs' pairs with the collector off, in µs.
    pub without_gc_us: Vec<u64>,
}

impl GcRuns {
    /// Time the collector's pauses added to the imports.
    pub fn pauses(&self) -> Option<super::PairedDifference> {
        super::PairedDifference::of(&self.with_gc_us, &self.without_gc_us)
    }
}

/// The most runs one trace may hold, across its files: per-run figures are kept for every
/// module, so the count is bounded where traces are read.
pub const MAX_RUNS: u32 = 10_000;

/// Collects what the readers find, across files and runs.
#[derive(Debug, Default, Clone)]
pub struct TraceBuilder {
    pub(crate) names: Names,
    /// Tree parent from the run where the module first appeared; `None` until set.
    pub(crate) parent: Vec<Option<Option<u32>>>,
    /// Samples in the order they came, and the module of each (two lists, so that samples
    /// already in module order become the graph's rows without a copy).
    pub(crate) samples: Vec<Sample>,
    pub(crate) sample_modules: Vec<u32>,
    pub(crate) edges: Vec<(Option<u32>, u32)>,
    pub(crate) runs: u32,
    /// Class and origin (file, `built-in`, `frozen`) where the recording said.
    pub(crate) origins: Vec<Option<(ModuleClass, Option<Box<str>>)>>,
    /// Modules first imported after the program ended (interpreter shutdown).
    pub(crate) shutdown: Vec<u32>,
    /// Recorded imports with their kind and place: (module, site).
    pub(crate) sites: Vec<(u32, Site)>,
    /// Files and statement sources the sites name.
    pub(crate) site_texts: Names,
    /// What the files say about the trace as a whole.
    pub meta: TraceMeta,
    /// Whether any file lacked complete edges; the trace is complete only if all were.
    saw_incomplete_edges: bool,
}

impl TraceBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of a module name, interning it on first sight (ids follow first appearance).
    pub fn module(&mut self, name: &str) -> u32 {
        self.module_hashed(name, self.names.hash(name))
    }

    /// `module` with the name's hash (`name_hasher`) already computed.
    pub fn module_hashed(&mut self, name: &str, hash: u64) -> u32 {
        let id = self.names.intern_hashed(name, hash);
        if id as usize == self.parent.len() {
            self.parent.push(None);
        }
        id
    }

    /// A module's id by name, when it was read.
    pub fn lookup(&self, name: &str) -> Option<u32> {
        self.names.get(name)
    }

    /// [`TraceBuilder::lookup`] with the name's hash already computed.
    pub fn lookup_hashed(&self, name: &str, hash: u64) -> Option<u32> {
        self.names.get_hashed(name, hash)
    }

    /// Hashes names as `module_hashed` and `lookup_hashed` expect, on any thread.
    pub fn name_hasher(&self) -> hashbrown::DefaultHashBuilder {
        self.names.hasher()
    }

    /// Starts a new run and returns its index.
    pub fn begin_run(&mut self) -> u32 {
        self.runs += 1;
        self.runs - 1
    }

    /// Adds a timing of `module` in a run.
    pub fn sample(&mut self, module: u32, sample: Sample) {
        self.samples.push(sample);
        self.sample_modules.push(module);
    }

    /// Records the first-import parent; the first run a module appears in decides it. True
    /// when this call set it: that import is an edge of the graph without `edge`.
    pub fn tree_parent(&mut self, module: u32, parent: Option<u32>) -> bool {
        let slot = &mut self.parent[module as usize];
        let first = slot.is_none();
        if first {
            *slot = Some(parent);
        }
        first
    }

    /// Moves `module` under `parent` in the first-import tree (the tracer knows better than a
    /// text trace's nesting, which skips imports CPython did not time).
    pub fn reparent(&mut self, module: u32, parent: Option<u32>) {
        self.parent[module as usize] = Some(parent);
    }

    /// A module's first-import parent so far: `None` when unset, `Some(None)` for the program.
    pub fn parent_of(&self, module: u32) -> Option<Option<u32>> {
        self.parent[module as usize]
    }

    /// Every `(importer, module)` edge recorded so far (tree parents aside).
    pub fn recorded_edges(&self) -> &[(Option<u32>, u32)] {
        &self.edges
    }

    /// Forgets these recorded edges (a text trace's nesting the tracer showed wrong).
    pub fn forget_edges(&mut self, wrong: &hashbrown::HashSet<(Option<u32>, u32)>) {
        if !wrong.is_empty() {
            self.edges.retain(|e| !wrong.contains(e));
        }
    }

    /// Records that `importer` (`None`: the program) imports `module`.
    pub fn edge(&mut self, importer: Option<u32>, module: u32) {
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

    /// Records where `module` was loaded from and its class.
    pub fn origin(&mut self, module: u32, class: ModuleClass, origin: Option<&str>) {
        let i = module as usize;
        if self.origins.len() <= i {
            self.origins.resize(i + 1, None);
        }
        self.origins[i] = Some((class, origin.map(Box::from)));
    }

    /// A recorded import of `module` (also an edge): its kind, and the file and line that ran
    /// it with the statement's source, when known.
    pub fn site(
        &mut self,
        importer: Option<u32>,
        module: u32,
        kind: EdgeKind,
        at: Option<(&str, u32)>,
        code: Option<&str>,
    ) {
        self.site_within(importer, module, kind, (at, code), Within::default());
    }

    /// `site`, for an import that sits in a function (`within`).
    pub fn site_within(
        &mut self,
        importer: Option<u32>,
        module: u32,
        kind: EdgeKind,
        (at, code): (Option<(&str, u32)>, Option<&str>),
        within: Within,
    ) {
        self.edge(importer, module);
        if importer == Some(module) {
            return;
        }
        let (file, line) = match at {
            Some((file, line)) if !file.is_empty() => (self.site_texts.intern(file), line),
            _ => (NONE, 0),
        };
        let mut text = |t: Option<&str>| match t {
            Some(t) if !t.is_empty() => self.site_texts.intern(t),
            _ => NONE,
        };
        let site = Site {
            importer: importer.map(ModuleId::new),
            kind,
            file,
            line,
            code: text(code),
            function: text(within.function),
            via: text(within.via),
        };
        self.sites.push((module, site));
    }

    /// Level jumps found in a text trace (see `LevelJumps`).
    pub fn level_jumps(&mut self, places: impl IntoIterator<Item = String>) {
        self.meta.level_jumps.add(places);
    }

    /// Marks `module` as first imported after the program ended.
    pub fn shutdown(&mut self, module: u32) {
        self.shutdown.push(module);
    }

    /// How many modules have been named so far.
    pub fn module_count(&self) -> usize {
        self.names.len()
    }
}
