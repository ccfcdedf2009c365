//! `report --format folded`: collapsed stacks for flamegraph.pl and inferno, one line a module
//! (`a;b;c self_us`), import nesting as the stack. Several runs are one root frame each
//! (`run 1;…`), so the weights add up to every run's total and nothing is a sum of medians.

use std::io::{self, Write};

use super::run_tree::{frame_name, spans};
use lmms_core::whatif::Analysis;

pub fn write(a: &Analysis, out: &mut impl Write) -> io::Result<()> {
    let g = a.graph();
    let names: Vec<String> = g.ids().map(|m| frame_name(g.name(m))).collect();
    // The current stack as one line prefix, `ends[d]` where frame d ends: each span truncates
    // it to its parent and appends its own name, so memory is one stack however deep the
    // trace (the output itself grows with depth times modules, as the format asks).
    let mut prefix: Vec<u8> = Vec::new();
    let mut ends: Vec<usize> = Vec::new();
    for run in 0..g.runs() {
        prefix.clear();
        ends.clear();
        if g.runs() > 1 {
            write!(prefix, "run {};", run + 1)?;
        }
        let base = prefix.len();
        for s in spans(g, run) {
            let depth = s.depth as usize;
            prefix.truncate(if depth == 0 {
                base
            } else {
                ends[depth - 1] + 1
            });
            ends.truncate(depth);
            prefix.extend_from_slice(names[s.module.index()].as_bytes());
            ends.push(prefix.len());
            prefix.push(b';');
            // A line of weight 0 draws nothing.
            if s.self_us == 0 {
                continue;
            }
            out.write_all(&prefix[..prefix.len() - 1])?;
            writeln!(out, " {}", s.self_us)?;
        }
    }
    Ok(())
}
