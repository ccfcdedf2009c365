//! lmms-tui: where a Python program's import time goes, and what deferring imports would save.
//!
//! Data flows one way: trace files → [`trace`] readers → [`graph::ImportGraph`] → reports and
//! views. The binary is a thin shell over [`cli::run`].

pub mod atomic;
pub mod baseline;
pub mod check;
pub mod cli;
pub mod csr;
pub mod dominators;
pub mod error;
pub mod export;
pub mod graph;
pub mod names;
pub mod plan;
pub mod record;
pub mod report;
pub mod synth;
pub mod trace;
pub mod tui;
pub mod units;
pub mod whatif;
