//! The report's module lines: made a chunk at a time in id order (the order every per-module
//! array is in) on every core, and written slowest first as they lie, vectored.

use std::io::{self, IoSlice, Write};

use rayon::prelude::*;

use super::JsonSite;
use crate::output::figures::decision_label;
use lmms_core::model::{ImportGraph, ModuleId};
use lmms_core::safe_json;
use lmms_core::whatif::Analysis;

/// The modules in `order`, one a line, streamed: greppable, diffable, and
/// no second copy of 200k modules. Lines are made `chunk_len` at a time in id order — the order
/// every per-module array is laid out in, so each line's dozen figures come from memory already
/// near — and written in `order`.
pub(super) fn write_modules(
    out: &mut impl Write,
    a: &Analysis,
    order: &[ModuleId],
    chunk_len: usize,
) -> io::Result<()> {
    let mut by_id: Vec<(ModuleId, u32)> = Vec::with_capacity(chunk_len.min(order.len()));
    // Each line's place: (part, start, end).
    let mut spans: Vec<(u32, u32, u32)> = Vec::with_capacity(chunk_len.min(order.len()));
    for (c, chunk) in order.chunks(chunk_len).enumerate() {
        by_id.clear();
        by_id.extend(
            chunk
                .iter()
                .enumerate()
                .map(|(rank, &id)| (id, rank as u32)),
        );
        by_id.sort_unstable();
        // The chunk's lines are made on every core, a run of ids each.
        let share = by_id.len().div_ceil(rayon::current_num_threads()).max(1024);
        let parts: Vec<Part> = by_id
            .par_chunks(share)
            .map(|ids| Part::of(a, ids))
            .collect::<io::Result<_>>()?;
        spans.clear();
        spans.resize(chunk.len(), (0, 0, 0));
        for (p, part) in parts.iter().enumerate() {
            for &(rank, start, end) in &part.spans {
                spans[rank as usize] = (p as u32, start, end);
            }
        }
        // Handed to the writer as they lie, up to a thousand lines a call: no copy into a
        // buffer, which at a million modules meant a third of a gigabyte.
        let mut slices: Vec<IoSlice> = Vec::with_capacity(LINES_A_CALL);
        for (i, &(p, start, end)) in spans.iter().enumerate() {
            let line = &parts[p as usize].lines[start as usize..end as usize];
            // Every line starts with its separator; the array's first has no comma.
            slices.push(IoSlice::new(if c == 0 && i == 0 {
                &line[1..]
            } else {
                line
            }));
            if slices.len() == LINES_A_CALL {
                write_all_vectored(out, &mut slices)?;
                slices.clear();
            }
        }
        write_all_vectored(out, &mut slices)?;
    }
    Ok(())
}

/// How many slices one vectored write takes (Linux's IOV_MAX).
const LINES_A_CALL: usize = 1024;

fn write_all_vectored(out: &mut impl Write, slices: &mut [IoSlice]) -> io::Result<()> {
    let mut slices = slices;
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut slices, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Lines of a run of modules (by id), and where each sits: (rank in the chunk, start, end).
struct Part {
    lines: Vec<u8>,
    spans: Vec<(u32, u32, u32)>,
}

impl Part {
    fn of(a: &Analysis, ids: &[(ModuleId, u32)]) -> io::Result<Part> {
        let mut line = ModuleLine {
            numbers: itoa::Buffer::new(),
            floats: ryu::Buffer::new(),
        };
        let mut part = Part {
            lines: Vec::with_capacity(ids.len() * 256),
            spans: Vec::with_capacity(ids.len()),
        };
        for &(id, rank) in ids {
            let start = part.lines.len() as u32;
            part.lines.extend_from_slice(b",\n  ");
            line.write(&mut part.lines, a, id)?;
            part.spans.push((rank, start, part.lines.len() as u32));
        }
        Ok(part)
    }
}

/// Formatters reused from one module's line to the next.
struct ModuleLine {
    numbers: itoa::Buffer,
    floats: ryu::Buffer,
}

impl ModuleLine {
    /// One module as a JSON object.
    fn write(&mut self, out: &mut Vec<u8>, a: &Analysis, id: ModuleId) -> io::Result<()> {
        let graph = a.graph();
        let p = a.projection();
        let numbers = &mut self.numbers;
        let floats = &mut self.floats;
        let m = graph.module(id);
        out.write_all(b"{\"name\":")?;
        safe_json::write_str(out, graph.name(id))?;
        out.write_all(b",\"parent\":")?;
        json_importer(out, graph, m.parent)?;
        let retained = a.retained_us(id);
        let (self_us, cumulative_us) = (graph.self_spread(id), graph.cumulative_spread(id));
        for (key, value) in [
            ("depth", u64::from(m.depth)),
            ("self_us", m.self_us),
            ("cumulative_us", m.cumulative_us),
            ("samples", u64::from(m.samples)),
            ("self_us_min", self_us.min),
            ("self_us_max", self_us.max),
            ("cumulative_us_min", cumulative_us.min),
            ("cumulative_us_max", cumulative_us.max),
            ("retained_us", retained),
        ] {
            out.write_all(b",\"")?;
            out.write_all(key.as_bytes())?;
            out.write_all(b"\":")?;
            out.write_all(numbers.format(value).as_bytes())?;
        }
        out.write_all(b",\"retained_everywhere_us\":")?;
        out.write_all(numbers.format(a.retained_everywhere_us(id)).as_bytes())?;
        if !m.timed() {
            // No -X importtime line (`output::untimed`): its zero figures are not its cost.
            out.write_all(b",\"timed\":false")?;
        }
        out.write_all(if m.startup {
            b",\"startup\":true"
        } else {
            b",\"startup\":false"
        })?;
        out.write_all(b",\"class\":\"")?;
        out.write_all(m.class.key().as_bytes())?;
        out.write_all(b"\"")?;
        if let Some(origin) = graph.origin(id) {
            out.write_all(b",\"origin\":")?;
            safe_json::write_str(out, origin)?;
        }
        let usage = a.usage_pct(id);
        out.write_all(b",\"usage_pct\":")?;
        json_f64(out, numbers, floats, usage);
        out.write_all(b",\"decision\":\"")?;
        out.write_all(decision_label(a.plan().decision(id)).as_bytes())?;
        out.write_all(b"\",\"load_probability\":")?;
        json_f64(out, numbers, floats, p.load_probability(id));
        out.write_all(b",\"suggestion\":\"")?;
        out.write_all(a.suggestion(id).label().as_bytes())?;
        out.write_all(b"\"")?;
        // Importers beyond the first-import parent (none in a tree-only trace).
        let mut others = graph
            .statement_importers(id)
            .filter(|&i| i != m.parent)
            .peekable();
        if others.peek().is_some() {
            out.write_all(b",\"other_importers\":[")?;
            for (j, importer) in others.enumerate() {
                if j > 0 {
                    out.write_all(b",")?;
                }
                json_importer(out, graph, importer)?;
            }
            out.write_all(b"]")?;
        }
        if !graph.sites(id).is_empty() {
            out.write_all(b",\"imported_at\":")?;
            let sites: Vec<JsonSite> = graph
                .sites(id)
                .iter()
                .map(|site| JsonSite::of(graph, site))
                .collect();
            lmms_core::safe_json::to_writer(&mut *out, &sites)?;
        }
        out.write_all(b"}")
    }
}

/// A JSON number; whole numbers (usage 100, probability 1) skip the float formatter.
fn json_f64(out: &mut Vec<u8>, numbers: &mut itoa::Buffer, floats: &mut ryu::Buffer, v: f64) {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        out.extend_from_slice(numbers.format(v as i64).as_bytes());
    } else {
        out.extend_from_slice(floats.format(v).as_bytes());
    }
}

fn json_importer(
    out: &mut impl Write,
    graph: &ImportGraph,
    importer: Option<ModuleId>,
) -> io::Result<()> {
    match importer {
        Some(m) => safe_json::write_str(out, graph.name(m)),
        None => out.write_all(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use lmms_core::model::{Sort, SortKey};
    use std::io::{self, IoSlice, Write};

    /// Takes at most 37 bytes a call, cutting through lines and slices alike.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(37);
            self.0.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn write_vectored(&mut self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
            let mut left = 37;
            for buf in bufs {
                let n = buf.len().min(left);
                self.0.extend_from_slice(&buf[..n]);
                left -= n;
                if left == 0 {
                    break;
                }
            }
            Ok(37 - left)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Lines made in chunks come out as one pass in report order would write them.
    #[test]
    fn chunks_change_nothing_but_speed() {
        let g = lmms_core::trace::load(&["assets/lambda-handler-trace.json"]).unwrap();
        let a = lmms_core::whatif::Analysis::of(g);
        let order = Sort::by(SortKey::Cumulative).all(&a.keys());
        let write = |chunk_len| {
            let mut out = Vec::new();
            super::write_modules(&mut out, &a, &order, chunk_len).unwrap();
            out
        };
        let one = write(usize::MAX);
        for chunk_len in [1, 3, 64, 500] {
            assert_eq!(write(chunk_len), one, "{chunk_len}");
        }
        // A writer that takes a few bytes a call, as a full pipe does, gets every byte once.
        let mut trickle = Trickle(Vec::new());
        super::write_modules(&mut trickle, &a, &order, 64).unwrap();
        assert_eq!(trickle.0, one);
        // In report order: the first line is the heaviest module.
        let first = String::from_utf8(one).unwrap();
        let name = a.graph().name(order[0]);
        assert!(
            first.starts_with(&format!("\n  {{\"name\":\"{name}\"")),
            "{name}"
        );
    }
}
