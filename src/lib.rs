//! lmms-tui: where a Python program's import time goes, and what deferring imports would save.
//!
//! Data flows one way: trace files → [`trace`] readers → [`model`] → reports and views. The
//! binary is a thin shell over [`cli::run`].

pub mod atomic;
pub mod check;
pub mod cli;
pub mod error;
pub mod export;
pub mod model;
pub mod plan;
pub mod record;
pub mod report;
pub mod synth;
pub mod trace;
pub mod tui;
pub mod units;
pub mod whatif;
