//! Headless renderings of a trace for people (text) and programs (JSON).

use std::io::{self, Write};

use serde::Serialize;

use crate::graph::{ImportGraph, Module, ModuleId};
use crate::units::{ms, percent};

/// Modules slowest first by cumulative time (ties: import order).
pub fn by_cumulative(graph: &ImportGraph) -> Vec<ModuleId> {
    slowest_first(graph, |m| m.cumulative_us.median)
}

/// Modules slowest first by self time (ties: import order).
pub fn by_self(graph: &ImportGraph) -> Vec<ModuleId> {
    slowest_first(graph, |m| m.self_us.median)
}

fn slowest_first(graph: &ImportGraph, key: impl Fn(&Module) -> u64) -> Vec<ModuleId> {
    // Keys sit next to ids, so the sort never chases module structs around memory.
    let mut keyed: Vec<(std::cmp::Reverse<u64>, ModuleId)> = graph
        .ids()
        .map(|id| (std::cmp::Reverse(key(graph.module(id))), id))
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, id)| id).collect()
}

pub fn edges_label(graph: &ImportGraph) -> &'static str {
    if graph.edges_complete() {
        "full"
    } else {
        "tree"
    }
}

/// One line saying what the trace is.
pub fn summary(graph: &ImportGraph) -> String {
    let files = graph.meta().files.join(", ");
    let runs = graph.runs();
    let mut line = format!(
        "{files}: {runs} run{}, {} modules, {} ms total import time ({} ms interpreter start-up)",
        if runs == 1 { "" } else { "s" },
        graph.len(),
        ms(graph.total_us()),
        ms(graph.startup_us()),
    );
    if let Some(python) = &graph.meta().python {
        line.push_str(&format!(", Python {python}"));
    }
    line
}

pub fn write_text(graph: &ImportGraph, top: usize, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", summary(graph))?;
    if !graph.edges_complete() {
        writeln!(
            out,
            "Import edges: first-import tree only (imports of already-loaded modules are not in \
             this trace)"
        )?;
    }
    let total = graph.total_us();
    let spread = graph.runs() > 1;
    for (title, order, by_self) in [
        ("by cumulative time", by_cumulative(graph), false),
        ("by self time", by_self(graph), true),
    ] {
        writeln!(out)?;
        writeln!(out, "Import Profile (Slowest First, {title})")?;
        let key = if by_self { "self" } else { "cumulative" };
        write!(
            out,
            "{:>5}  {:>10}  {:>10}  {:>7}",
            "#", "cumul ms", "self ms", "% total"
        )?;
        if spread {
            write!(out, "  {:>17}", format!("{key} min–max"))?;
        }
        writeln!(out, "  module  (import chain)")?;
        for (rank, &id) in order.iter().take(top).enumerate() {
            let m = graph.module(id);
            let shown = if by_self { m.self_us } else { m.cumulative_us };
            write!(
                out,
                "{:>5}  {:>10}  {:>10}  {:>6}%",
                rank + 1,
                ms(m.cumulative_us.median),
                ms(m.self_us.median),
                percent(shown.median, total),
            )?;
            if spread {
                write!(
                    out,
                    "  {:>17}",
                    format!("{}–{}", ms(shown.min), ms(shown.max))
                )?;
            }
            write!(out, "  {}", graph.name(id))?;
            if m.parent.is_some() {
                write!(out, "  ({})", graph.chain_text(id))?;
            }
            writeln!(out)?;
        }
        if order.len() > top {
            writeln!(out, "{:>5}  … {} more (--top N)", "", order.len() - top)?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonTrace<'a> {
    files: &'a [String],
    runs: u32,
    modules: usize,
    edges: &'static str,
    python: Option<&'a str>,
}

pub fn write_json(graph: &ImportGraph, top: usize, out: &mut impl Write) -> io::Result<()> {
    let trace = JsonTrace {
        files: &graph.meta().files,
        runs: graph.runs(),
        modules: graph.len(),
        edges: edges_label(graph),
        python: graph.meta().python.as_deref(),
    };
    out.write_all(b"{\"trace\": ")?;
    serde_json::to_writer(&mut *out, &trace)?;
    write!(
        out,
        ",\n\"total_us\": {},\n\"startup_us\": {},\n\"modules\": [",
        graph.total_us(),
        graph.startup_us()
    )?;
    // One module a line, streamed: greppable, diffable, and no second copy of 200k modules.
    let mut numbers = itoa::Buffer::new();
    for (i, id) in by_cumulative(graph).into_iter().take(top).enumerate() {
        let m = graph.module(id);
        out.write_all(if i == 0 {
            b"\n  {\"name\":"
        } else {
            b",\n  {\"name\":"
        })?;
        json_str(out, graph.name(id))?;
        out.write_all(b",\"parent\":")?;
        json_importer(out, graph, m.parent)?;
        for (key, value) in [
            ("depth", u64::from(m.depth)),
            ("self_us", m.self_us.median),
            ("cumulative_us", m.cumulative_us.median),
            ("samples", u64::from(m.samples)),
            ("self_us_min", m.self_us.min),
            ("self_us_max", m.self_us.max),
            ("cumulative_us_min", m.cumulative_us.min),
            ("cumulative_us_max", m.cumulative_us.max),
        ] {
            out.write_all(b",\"")?;
            out.write_all(key.as_bytes())?;
            out.write_all(b"\":")?;
            out.write_all(numbers.format(value).as_bytes())?;
        }
        out.write_all(if m.startup {
            b",\"startup\":true"
        } else {
            b",\"startup\":false"
        })?;
        // Importers beyond the first-import parent (none in a tree-only trace).
        let mut others = graph
            .importers(id)
            .iter()
            .filter(|&&i| i != m.parent)
            .peekable();
        if others.peek().is_some() {
            out.write_all(b",\"other_importers\":[")?;
            for (j, importer) in others.enumerate() {
                if j > 0 {
                    out.write_all(b",")?;
                }
                json_importer(out, graph, *importer)?;
            }
            out.write_all(b"]")?;
        }
        out.write_all(b"}")?;
    }
    out.write_all(b"\n]}\n")
}

/// A JSON string; module names rarely need escaping, so skip the escaper when they don't.
fn json_str(out: &mut impl Write, s: &str) -> io::Result<()> {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.write_all(b"\"")?;
        out.write_all(s.as_bytes())?;
        out.write_all(b"\"")
    } else {
        serde_json::to_writer(out, s).map_err(io::Error::from)
    }
}

fn json_importer(
    out: &mut impl Write,
    graph: &ImportGraph,
    importer: Option<ModuleId>,
) -> io::Result<()> {
    match importer {
        Some(m) => json_str(out, graph.name(m)),
        None => out.write_all(b"null"),
    }
}
