//! Reading traces and printing reports at 1k, 200k and 1M modules (seeded synthetic traces),
//! next to the floor parser (`floor.rs`) on the same text.

#[path = "floor.rs"]
mod floor;

use criterion::{Criterion, criterion_group, criterion_main};
use lmms_core::model::ImportGraph;
use lmms_core::synth::SynthTree;
use lmms_core::trace::{self};
use std::hint::black_box;

fn read(text: &[u8]) -> ImportGraph {
    lmms_core::trace::from_bytes("bench", text).unwrap()
}

fn readers(c: &mut Criterion) {
    let mut group = c.benchmark_group("read");
    group.sample_size(20);
    for modules in [1_000usize, 200_000, 1_000_000] {
        let text = SynthTree::generate(modules, 42).to_importtime();
        group.bench_function(format!("floor/{modules}"), |b| {
            b.iter(|| floor::parse(black_box(text.as_bytes())))
        });
        group.bench_function(format!("text_to_graph/{modules}"), |b| {
            b.iter(|| read(black_box(text.as_bytes())))
        });
        group.bench_function(format!("text_to_json_report/{modules}"), |b| {
            b.iter(|| {
                let g = read(text.as_bytes());
                let mut out = Vec::with_capacity(modules * 300);
                let a = lmms_core::whatif::Analysis::of(g);
                lmms_tui::output::ReportFormat::Json
                    .write(&a, None, &mut out)
                    .unwrap();
                out.len()
            })
        });
        let g = read(text.as_bytes());
        // The reports alone, on an analysis already made.
        let a = lmms_core::whatif::Analysis::of(g.clone());
        for format in [
            lmms_tui::output::ReportFormat::Json,
            lmms_tui::output::ReportFormat::Text,
        ] {
            // One buffer, as a pipe would be: no page faults of the bench's own making.
            let mut out = Vec::with_capacity(modules * 400);
            group.bench_function(format!("write_{}/{modules}", format.name()), |b| {
                b.iter(|| {
                    out.clear();
                    format.write(&a, None, &mut out).unwrap();
                    out.len()
                })
            });
        }
        let mut json = Vec::new();
        trace::json::write(&g, &mut json).unwrap();
        group.bench_function(format!("trace_json_to_graph/{modules}"), |b| {
            b.iter(|| read(black_box(&json)))
        });
    }
    group.finish();
}

criterion_group!(benches, readers);
criterion_main!(benches);
