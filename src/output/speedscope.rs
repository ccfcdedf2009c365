//! `report --format speedscope`: speedscope's file format (speedscope.app, VS Code's viewer),
//! one evented profile per run, modules as frames nested by import, in microseconds.

use std::io::{self, Write};

use super::run_tree::{Span, spans};
use lmms_core::model::ImportGraph;
use lmms_core::safe_json::write_str;
use lmms_core::whatif::Analysis;

/// Streamed: a frame list, then each run's events as they are laid out, so memory is one run's
/// spans, not a document of every event.
pub fn write(a: &Analysis, out: &mut impl Write) -> io::Result<()> {
    let g = a.graph();
    out.write_all(
        b"{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\"name\":",
    )?;
    write_str(out, &format!("import time: {}", g.meta().files.join(", ")))?;
    write!(
        out,
        ",\"exporter\":\"lmms-tui {}\",\"activeProfileIndex\":0,\"shared\":{{\"frames\":[",
        env!("CARGO_PKG_VERSION")
    )?;
    for (i, m) in g.ids().enumerate() {
        out.write_all(if i == 0 {
            b"{\"name\":"
        } else {
            b",{\"name\":"
        })?;
        write_str(out, g.name(m))?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]},\"profiles\":[")?;
    for run in 0..g.runs() {
        if run > 0 {
            out.write_all(b",")?;
        }
        write_profile(g, run, out)?;
    }
    out.write_all(b"]}\n")
}

fn write_profile(g: &ImportGraph, run: u32, out: &mut impl Write) -> io::Result<()> {
    write!(
        out,
        "{{\"type\":\"evented\",\"name\":\"run {} of {}\",\"unit\":\"microseconds\",\
         \"startValue\":0,\"endValue\":{},\"events\":[",
        run + 1,
        g.runs(),
        g.run_totals()[run as usize]
    )?;
    let spans = spans(g, run);
    let mut first = true;
    let mut event = |kind: char, s: &Span, at: u64| {
        let comma = if std::mem::take(&mut first) { "" } else { "," };
        write!(
            out,
            "{comma}{{\"type\":\"{kind}\",\"frame\":{},\"at\":{at}}}",
            s.module.index()
        )
    };
    // Open at the start, close at the end; an import closes before its next sibling opens, so
    // the events are balanced and in time order.
    let mut open: Vec<usize> = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        while open.last().is_some_and(|&o| spans[o].depth >= s.depth) {
            let o = &spans[open.pop().expect("checked")];
            event('C', o, o.start_us.saturating_add(o.duration_us))?;
        }
        event('O', s, s.start_us)?;
        open.push(i);
    }
    while let Some(o) = open.pop() {
        let o = &spans[o];
        event('C', o, o.start_us.saturating_add(o.duration_us))?;
    }
    out.write_all(b"]}")
}
