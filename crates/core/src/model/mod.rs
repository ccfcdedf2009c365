//! The import graph and everything computed from it alone: an arena of modules (indices, no
//! pointers), interned names, per-run statistics, dominators, package sums, orderings and
//! comparisons against a baseline. Depends on nothing above it; readers fill its builder.

mod builder;
pub mod comparison;
pub mod csr;
mod dominators;
mod graph;
pub mod icicle;
mod id;
pub mod kinship;
mod lookup;
pub(crate) mod names;
pub use names::{is_python_module_name, top_level_package};
pub mod order;
mod origin;
pub mod packages;
pub mod requests;
pub(crate) mod rng;
pub mod shift;
mod sites;
mod stats;
mod stdlib_names;
mod why;

pub use builder::{
    FailedRun, Fingerprint, FirstRequest, GcRuns, LevelJumps, LoadedAnyway, MAX_RUNS, Measured,
    PatchCheck, Sample, Smoke, TraceBuilder, TraceMeta,
};
pub use comparison::{Comparison, Delta, Noise};
pub use dominators::Dominators;
pub use graph::{ImportGraph, Importer, Module, ModuleId};
pub use order::{Keys, Sort, SortKey, sort_keyed};
pub use origin::{ModuleClass, is_stdlib_name};
pub use sites::{EdgeKind, Site, Within};
pub use stats::{NOISY_SPREAD, PairedDifference, Spread, median, rank_test_p};
pub use why::{Import, Reason, Why};
