//! The what-if engine: dominators (once per trace), a full projection (every change), and a
//! comparison with a baseline.

use criterion::{Criterion, criterion_group, criterion_main};
use lmms_core::model::Dominators;
use lmms_core::model::{ImportGraph, ModuleId};
use lmms_core::synth::SynthTree;
use lmms_core::whatif::project;
use lmms_core::whatif::{Decision, Plan};
use std::hint::black_box;

fn graph(text: &str) -> ImportGraph {
    lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap()
}

/// The trace with 1,000 requests replayed over 50 distinct sets of 500 modules (seeded).
fn with_requests(text: &str) -> ImportGraph {
    let mut builder = lmms_core::model::TraceBuilder::new();
    lmms_core::trace::read_bytes(std::path::Path::new("t"), text.as_bytes(), &mut builder).unwrap();
    let names: Vec<String> = {
        let g = ImportGraph::build(builder.clone()).unwrap();
        g.ids().map(|m| g.name(m).to_string()).collect()
    };
    // A multiplicative hash spreads each set over the whole trace.
    let pick = |s: u64, j: u64| ((s * 500 + j).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 16) as usize;
    let sets: Vec<Vec<String>> = (0..50)
        .map(|s| {
            (0..500)
                .map(|j| names[pick(s, j) % names.len()].clone())
                .collect()
        })
        .collect();
    let each = (0..1000).map(|i| (format!("r{i}"), None, 0, sets[i % 50].clone()));
    builder.meta.requests = Some(lmms_core::model::requests::Requests::collect(
        "bench".into(),
        each,
    ));
    ImportGraph::build(builder).unwrap()
}

/// Defers the heaviest top-level packages' first children: a realistic handful of decisions.
fn plan(g: &ImportGraph, lazy: usize) -> Plan {
    let mut plan = Plan::new(g);
    let mut ids: Vec<ModuleId> = g.ids().filter(|&m| g.module(m).depth == 1).collect();
    ids.sort_by_key(|&m| std::cmp::Reverse(g.module(m).cumulative_us));
    for (i, &m) in ids.iter().take(lazy).enumerate() {
        plan.set_decision(g, m, Decision::Lazy).unwrap();
        plan.set_usage_pct(m, 5.0 + 10.0 * i as f64);
    }
    plan
}

fn whatif(c: &mut Criterion) {
    let mut group = c.benchmark_group("whatif");
    group.sample_size(20);
    for modules in [1_000usize, 200_000] {
        let g = graph(&SynthTree::generate(modules, 42).to_importtime());
        group.bench_function(format!("dominators/{modules}"), |b| {
            b.iter(|| Dominators::compute(black_box(&g)))
        });
        for lazy in [1usize, 5] {
            let p = plan(&g, lazy);
            group.bench_function(format!("project_{lazy}_lazy/{modules}"), |b| {
                b.iter(|| project(black_box(&g), black_box(&p)))
            });
        }
        // Usage measured: 1,000 replayed requests in 50 distinct sets of 500 modules each, the
        // five deferrals' usages from them (percentiles drawn from the requests).
        let g = with_requests(&SynthTree::generate(modules, 42).to_importtime());
        let mut p = plan(&g, 5);
        for m in p.lazy().collect::<Vec<_>>() {
            p.clear_usage(m);
        }
        group.bench_function(format!("project_5_lazy_measured/{modules}"), |b| {
            b.iter(|| project(black_box(&g), black_box(&p)))
        });
    }
    // At 1M only the dominators, which every trace pays once (report, explorer).
    let g = graph(&SynthTree::generate(1_000_000, 42).to_importtime());
    group.bench_function("dominators/1000000", |b| {
        b.iter(|| Dominators::compute(black_box(&g)))
    });
    group.finish();
}

/// A trace against a baseline (another seed, so most names differ in time): the comparison with
/// each package placed among the others, which `check` and the explorer pay once per baseline.
fn comparison(c: &mut Criterion) {
    let mut group = c.benchmark_group("comparison");
    group.sample_size(10);
    for modules in [1_000usize, 200_000] {
        let before = graph(&SynthTree::generate(modules, 42).to_importtime());
        let after = graph(&SynthTree::generate(modules, 43).to_importtime());
        group.bench_function(format!("compare/{modules}"), |b| {
            b.iter(|| lmms_core::model::comparison::compare(black_box(&before), black_box(&after)))
        });
    }
    group.finish();
}

criterion_group!(benches, whatif, comparison);
criterion_main!(benches);
