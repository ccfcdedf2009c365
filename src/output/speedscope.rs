//! `report --format speedscope`: speedscope's file format (speedscope.app, VS Code's viewer),
//! one evented profile per run, modules as frames nested by import, in microseconds.

use std::io::{self, Write};

use serde_json::json;

use super::run_tree::spans;
use lmms_core::whatif::Analysis;

pub fn write(a: &Analysis, out: &mut impl Write) -> io::Result<()> {
    let g = a.graph();
    let frames: Vec<_> = g.ids().map(|m| json!({ "name": g.name(m) })).collect();
    let profiles: Vec<_> = (0..g.runs())
        .map(|run| {
            let spans = spans(g, run);
            // Open at the start, close at the end; an import closes before its next sibling
            // opens, so the events are balanced and in time order.
            let mut events = Vec::with_capacity(spans.len() * 2);
            let mut open: Vec<usize> = Vec::new();
            let close = |i: usize, events: &mut Vec<serde_json::Value>| {
                let s = &spans[i];
                events.push(json!({
                    "type": "C",
                    "frame": s.module.index(),
                    "at": s.start_us + s.duration_us,
                }));
            };
            for (i, s) in spans.iter().enumerate() {
                while open.last().is_some_and(|&o| spans[o].depth >= s.depth) {
                    close(open.pop().expect("checked"), &mut events);
                }
                events.push(json!({ "type": "O", "frame": s.module.index(), "at": s.start_us }));
                open.push(i);
            }
            while let Some(o) = open.pop() {
                close(o, &mut events);
            }
            json!({
                "type": "evented",
                "name": format!("run {} of {}", run + 1, g.runs()),
                "unit": "microseconds",
                "startValue": 0,
                "endValue": g.run_totals()[run as usize],
                "events": events,
            })
        })
        .collect();
    let doc = json!({
        "$schema": "https://www.speedscope.app/file-format-schema.json",
        "name": format!("import time: {}", g.meta().files.join(", ")),
        "exporter": concat!("lmms-tui ", env!("CARGO_PKG_VERSION")),
        "activeProfileIndex": 0,
        "shared": { "frames": frames },
        "profiles": profiles,
    });
    lmms_core::safe_json::to_writer(&mut *out, &doc)?;
    writeln!(out)
}
