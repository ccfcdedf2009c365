//! `report --format chrome-trace`: trace-event JSON for Perfetto and chrome://tracing, one
//! track (thread) per run, a complete event (`"ph": "X"`) per module. The trace holds no clock
//! time, so each run's track starts at 0.

use std::io::{self, Write};

use serde_json::json;

use super::run_tree::spans;
use lmms_core::whatif::Analysis;

pub fn write(a: &Analysis, out: &mut impl Write) -> io::Result<()> {
    let g = a.graph();
    let mut events = vec![json!({
        "ph": "M", "pid": 1, "tid": 0, "name": "process_name",
        "args": { "name": format!("import time: {}", g.meta().files.join(", ")) },
    })];
    for run in 0..g.runs() {
        let tid = run + 1;
        events.push(json!({
            "ph": "M", "pid": 1, "tid": tid, "name": "thread_name",
            "args": { "name": format!("run {tid} of {}", g.runs()) },
        }));
        events.push(json!({
            "ph": "M", "pid": 1, "tid": tid, "name": "thread_sort_index",
            "args": { "sort_index": tid },
        }));
        for s in spans(g, run) {
            events.push(json!({
                "ph": "X",
                "pid": 1,
                "tid": tid,
                "name": g.name(s.module),
                "cat": g.module(s.module).class.key(),
                "ts": s.start_us,
                "dur": s.duration_us,
                "args": { "self_us": s.self_us },
            }));
        }
    }
    let doc = json!({ "traceEvents": events, "displayTimeUnit": "ms" });
    lmms_core::safe_json::to_writer(&mut *out, &doc)?;
    writeln!(out)
}
