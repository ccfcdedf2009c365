//! What `record` says once the trace is written: the file and its size, what the recording
//! noticed, each measured edit beside its projection, cyclic-GC pauses, noise, interleaving.

use std::path::Path;

use super::figures::{failed_line, interleaved_line, kept_text, noise_line};
use super::measured::{gc_line, measured};
use super::units::{count, ms};
use lmms_core::model::ImportGraph;
use lmms_core::printable::printable;
use lmms_core::whatif::measured_edits;

/// The summary's lines, each safe for a terminal.
pub fn summary(g: &ImportGraph, written: &Path, notes: &[String]) -> Vec<String> {
    let mut lines = vec![format!(
        "wrote {}: {}, {}, {} ms total import time; edges: {}{}",
        written.display(),
        count(g.runs(), "run"),
        count(g.len(), "module"),
        ms(g.total_us()),
        if g.edges_complete() {
            "complete"
        } else {
            "first-import tree only"
        },
        if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", printable(&notes.join("; ")))
        },
    )];
    // What the projection says of each measured edit, beside what it measured.
    for a in measured_edits(g) {
        if let Some(figure) = measured(&a) {
            lines.push(printable(&figure.text()).into_owned());
        }
        for kept in &a.projection().kept {
            let kept = kept_text(g, kept);
            lines.push(format!("projected: {}", printable(&kept)));
        }
    }
    lines.extend(gc_line(g));
    let said = [noise_line(g), interleaved_line(g), failed_line(g)];
    lines.extend(
        said.into_iter()
            .flatten()
            .map(|l| printable(&l).into_owned()),
    );
    lines
}
