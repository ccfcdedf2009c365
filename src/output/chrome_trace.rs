//! `report --format chrome-trace`: trace-event JSON for Perfetto and chrome://tracing, one
//! track (thread) per run, a complete event (`"ph": "X"`) per module. The trace holds no clock
//! time, so each run's track starts at 0.

use std::io::{self, Write};

use super::run_tree::spans;
use lmms_core::safe_json::write_str;
use lmms_core::whatif::Analysis;

/// Streamed event by event: memory is one run's spans, not a document of every event.
pub fn write(a: &Analysis, out: &mut impl Write) -> io::Result<()> {
    let g = a.graph();
    out.write_all(
        b"{\"traceEvents\":[{\"ph\":\"M\",\"pid\":1,\"tid\":0,\"name\":\"process_name\",\"args\":{\"name\":",
    )?;
    write_str(out, &format!("import time: {}", g.meta().files.join(", ")))?;
    out.write_all(b"}}")?;
    for run in 0..g.runs() {
        let tid = run + 1;
        write!(
            out,
            ",{{\"ph\":\"M\",\"pid\":1,\"tid\":{tid},\"name\":\"thread_name\",\
             \"args\":{{\"name\":\"run {tid} of {}\"}}}}\
             ,{{\"ph\":\"M\",\"pid\":1,\"tid\":{tid},\"name\":\"thread_sort_index\",\
             \"args\":{{\"sort_index\":{tid}}}}}",
            g.runs()
        )?;
        for s in spans(g, run) {
            write!(out, ",{{\"ph\":\"X\",\"pid\":1,\"tid\":{tid},\"name\":")?;
            write_str(out, g.name(s.module))?;
            write!(
                out,
                ",\"cat\":\"{}\",\"ts\":{},\"dur\":{},\"args\":{{\"self_us\":{}}}}}",
                g.module(s.module).class.key(),
                s.start_us,
                s.duration_us,
                s.self_us
            )?;
        }
    }
    out.write_all(b"],\"displayTimeUnit\":\"ms\"}\n")
}
