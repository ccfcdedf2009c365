//! One run's import tree laid out in time, for the profile formats (speedscope, folded stacks,
//! Chrome trace events). A run holds the modules it loaded (shutdown imports aside), nested as
//! the trace's first-import tree; a module whose parent that run did not load is a root.
//! Each module spans its own time plus its imports'; CPython's trace does not say where in
//! that span the module's own code ran, so its imports are drawn first and its own time after.

use lmms_core::model::{ImportGraph, ModuleId};

/// One module in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub module: ModuleId,
    /// Index of the parent span in the run's list (spans come parents first).
    pub parent: Option<usize>,
    pub depth: u32,
    pub self_us: u64,
    /// From the run's start.
    pub start_us: u64,
    /// Its own time and its imports'.
    pub duration_us: u64,
}

/// The run's spans in depth-first order (a parent before its imports, imports in the order
/// they ran); the durations of the roots add up to the run's total.
pub fn spans(g: &ImportGraph, run: u32) -> Vec<Span> {
    let self_in_run = |m: ModuleId| {
        let module = g.module(m);
        if module.shutdown {
            return None;
        }
        g.sample_in_run(m, run).map(|s| s.self_us)
    };
    let mut spans: Vec<Span> = Vec::new();
    // (module, parent span): iterative, so deep chains cannot overflow the stack.
    let mut stack: Vec<(ModuleId, Option<usize>)> = Vec::new();
    for &root in g.roots().iter().rev() {
        stack.push((root, None));
    }
    while let Some((m, parent)) = stack.pop() {
        let under = match self_in_run(m) {
            Some(self_us) => {
                spans.push(Span {
                    module: m,
                    parent,
                    depth: parent.map_or(0, |p| spans[p].depth + 1),
                    self_us,
                    start_us: 0,
                    duration_us: self_us,
                });
                Some(spans.len() - 1)
            }
            // Not loaded in this run: its imports that were hang from its parent.
            None => parent,
        };
        stack.extend(g.children(m).iter().rev().map(|&c| (c, under)));
    }
    // Durations bottom-up (children come after their parent), then starts top-down.
    for i in (0..spans.len()).rev() {
        if let Some(p) = spans[i].parent {
            spans[p].duration_us = spans[p].duration_us.saturating_add(spans[i].duration_us);
        }
    }
    let mut next = vec![0u64; spans.len()];
    let mut next_root = 0u64;
    for i in 0..spans.len() {
        let cursor = match spans[i].parent {
            Some(p) => &mut next[p],
            None => &mut next_root,
        };
        spans[i].start_us = *cursor;
        *cursor = cursor.saturating_add(spans[i].duration_us);
        next[i] = spans[i].start_us;
    }
    spans
}

/// A name as a frame: printable, and never the folded format's separators (`;`, space).
pub fn frame_name(name: &str) -> String {
    lmms_core::printable::printable(name)
        .chars()
        .map(|c| {
            if c == ';' || c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}
