//! Headless renderings of a trace for people (text) and programs (JSON).

use std::io::{self, Write};

use serde::Serialize;

use crate::graph::{ImportGraph, ModuleId};
use crate::units::{ms, percent};

/// Modules slowest first by cumulative time (ties: import order).
pub fn by_cumulative(graph: &ImportGraph) -> Vec<ModuleId> {
    let mut ids: Vec<ModuleId> = graph.ids().collect();
    ids.sort_by_key(|&id| std::cmp::Reverse(graph.module(id).cumulative_us.median));
    ids
}

/// Modules slowest first by self time (ties: import order).
pub fn by_self(graph: &ImportGraph) -> Vec<ModuleId> {
    let mut ids: Vec<ModuleId> = graph.ids().collect();
    ids.sort_by_key(|&id| std::cmp::Reverse(graph.module(id).self_us.median));
    ids
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
                write!(out, "  {:>17}", format!("{}–{}", ms(shown.min), ms(shown.max)))?;
            }
            write!(out, "  {}", m.name)?;
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

#[derive(Serialize)]
struct JsonModule<'a> {
    name: &'a str,
    parent: Option<&'a str>,
    depth: u32,
    self_us: u64,
    cumulative_us: u64,
    samples: u32,
    self_us_min: u64,
    self_us_max: u64,
    cumulative_us_min: u64,
    cumulative_us_max: u64,
    startup: bool,
    importers: Vec<Option<&'a str>>,
}

pub fn write_json(graph: &ImportGraph, top: usize, out: &mut impl Write) -> io::Result<()> {
    let name = |id: ModuleId| &*graph.module(id).name;
    let modules: Vec<JsonModule> = by_cumulative(graph)
        .into_iter()
        .take(top)
        .map(|id| {
            let m = graph.module(id);
            JsonModule {
                name: &m.name,
                parent: m.parent.map(name),
                depth: m.depth,
                self_us: m.self_us.median,
                cumulative_us: m.cumulative_us.median,
                samples: m.samples,
                self_us_min: m.self_us.min,
                self_us_max: m.self_us.max,
                cumulative_us_min: m.cumulative_us.min,
                cumulative_us_max: m.cumulative_us.max,
                startup: m.startup,
                importers: graph.importers(id).iter().map(|i| i.map(name)).collect(),
            }
        })
        .collect();
    let trace = JsonTrace {
        files: &graph.meta().files,
        runs: graph.runs(),
        modules: graph.len(),
        edges: edges_label(graph),
        python: graph.meta().python.as_deref(),
    };
    // One module a line: greppable, diffable, and much faster than pretty-printing 200k.
    out.write_all(b"{\"trace\": ")?;
    serde_json::to_writer(&mut *out, &trace)?;
    write!(
        out,
        ",\n\"total_us\": {},\n\"startup_us\": {},\n\"modules\": [",
        graph.total_us(),
        graph.startup_us()
    )?;
    for (i, module) in modules.iter().enumerate() {
        out.write_all(if i == 0 { b"\n  " } else { b",\n  " })?;
        serde_json::to_writer(&mut *out, module)?;
    }
    out.write_all(b"\n]}\n")
}
