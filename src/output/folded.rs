//! `report --format folded`: collapsed stacks for flamegraph.pl and inferno, one line a module
//! (`a;b;c self_us`), import nesting as the stack. Several runs are one root frame each
//! (`run 1;…`), so the weights add up to every run's total and nothing is a sum of medians.

use std::io::{self, Write};

use super::run_tree::{frame_name, spans};
use lmms_core::whatif::Analysis;

pub fn write(a: &Analysis, out: &mut impl Write) -> io::Result<()> {
    let g = a.graph();
    let names: Vec<String> = g.ids().map(|m| frame_name(g.name(m))).collect();
    let mut stack: Vec<&str> = Vec::new();
    for run in 0..g.runs() {
        let label = format!("run {}", run + 1);
        for s in spans(g, run) {
            stack.truncate(s.depth as usize);
            stack.push(&names[s.module.index()]);
            // A line of weight 0 draws nothing.
            if s.self_us == 0 {
                continue;
            }
            if g.runs() > 1 {
                write!(out, "{label};")?;
            }
            writeln!(out, "{} {}", stack.join(";"), s.self_us)?;
        }
        stack.clear();
    }
    Ok(())
}
