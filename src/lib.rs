//! lmms-tui: where a Python program's import time goes, and what deferring imports would save.
//!
//! This crate holds what people see and what touches the system: [`cli`] (flags, commands),
//! [`tui`] (the explorer), [`output`] (every text, report and generated file), [`record`]
//! (running Python). The traces, the import graph and the what-if model are `lmms_core`'s,
//! which depends on none of them (README "Architecture"). The binary is a thin shell over
//! [`cli::main`].

pub mod cli;
pub mod outfile;
pub mod output;
pub mod patch;
pub mod record;
pub mod signals;
pub mod tui;
