//! lmms-tui: where a Python program's import time goes, and what deferring imports would save.
//!
//! Layers, each depending only on those below it (README "Architecture"):
//! [`model`] ← [`trace`] readers ← [`whatif`] ← [`output`] / [`tui`] ← [`cli`], with [`record`]
//! beside the readers. The binary is a thin shell over [`cli::main`].

pub mod cli;
pub mod error;
pub mod model;
pub mod outfile;
pub mod output;
pub mod printable;
pub mod record;
pub mod safe_json;
pub mod signals;
#[doc(hidden)]
pub mod synth;
pub mod trace;
pub mod tui;
pub mod whatif;
