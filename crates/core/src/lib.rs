//! lmms-tui's core: reads import-time traces into an import graph and projects what deferring
//! imports would save. It returns data (figures, module ids, chains as lists of ids); text for
//! people, flags and the terminal live in the `lmms-tui` crate above it.
//!
//! Layers, each depending only on those below it: [`model`] ← [`trace`] readers ← [`whatif`].

#![deny(missing_docs)]

pub mod bus;
pub mod error;
pub mod model;
pub mod printable;
pub mod safe_json;
#[doc(hidden)]
pub mod synth;
pub mod trace;
pub mod whatif;
