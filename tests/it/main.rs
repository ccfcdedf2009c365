//! Integration tests, one crate: readers, the what-if model, the CLI, the explorer (journeys and
//! a real terminal under tmux) and comparisons against CPython.

mod action;
mod bad_input;
mod cached_lines;
mod check_export;
mod check_modules;
mod cli_mutation;
mod common;
mod config;

mod cpython_check;
mod explorer;
mod fuzz;
mod grammar;
mod html;
mod patch;
mod profiles;
mod properties;
mod readers;
mod record;
mod report_cli;
mod scope;
mod tmux_e2e;
mod tracer_py;
mod usage_measured;
mod whatif;
mod wheel;
mod writes;
