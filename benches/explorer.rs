//! Explorer: first frame and keystrokes at 1k and 200k modules, and the heaviest of them at 1M
//! (seeded synthetic traces).

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use lmms_core::model::ImportGraph;
use lmms_core::synth::SynthTree;
use lmms_core::whatif::{Analysis, Decision};
use lmms_tui::tui::action::Action;
use lmms_tui::tui::app::{App, OutputFile};
use lmms_tui::tui::cursor::Move;
use lmms_tui::tui::render::render;
use lmms_tui::tui::views::ViewId;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Duration;

fn graph(text: &str) -> ImportGraph {
    lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap()
}

fn frame(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal.draw(|f| render(app, f)).unwrap();
}

fn explorer(c: &mut Criterion) {
    let mut group = c.benchmark_group("explorer");
    group.sample_size(10);
    for modules in [1_000usize, 200_000, 1_000_000] {
        // At 1M only what the targets name: the first frame, `L`, a move and search.
        let all = modules < 1_000_000;
        let text = SynthTree::generate(modules, 42).to_importtime();
        group.bench_function(format!("first_frame/{modules}"), |b| {
            b.iter(|| {
                let app = new_app(graph(&text));
                let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
                frame(&app, &mut terminal);
            })
        });
        let g = graph(&text);

        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        let mut keystroke = |name: &str, actions: &[Action]| {
            if !all && !matches!(name, "move_down" | "toggle_lazy") {
                return;
            }
            group.bench_function(format!("{name}/{modules}"), |b| {
                b.iter_batched_ref(
                    || new_app(g.clone()),
                    |app| {
                        for a in actions {
                            app.update(a.clone());
                        }
                        frame(app, &mut terminal);
                    },
                    BatchSize::LargeInput,
                )
            });
        };
        keystroke("move_down", &[Action::Move(Move::Down)]);
        keystroke("expand_all", &[Action::ExpandAll]);
        keystroke(
            "expand_all_then_end",
            &[Action::ExpandAll, Action::Move(Move::End)],
        );
        keystroke("cycle_sort", &[Action::CycleSort]);
        keystroke("view_slowest", &[Action::NextView]);
        // The icicle: its bars built and drawn, then a move in it (a redraw).
        keystroke("view_icicle", &[Action::ShowView(ViewId::Icicle)]);
        // "Why is this loaded?" of the first module: one BFS over the whole graph, then a frame.
        keystroke(
            "view_importers",
            &[
                Action::Move(Move::Down),
                Action::ShowView(ViewId::Importers),
            ],
        );
        // A what-if change: defer the heaviest module's first child, recompute, redraw.
        keystroke(
            "toggle_lazy",
            &[Action::Move(Move::Down), Action::ToggleLazy(Decision::Lazy)],
        );
        if all {
            // Set up first (not timed), then the actions and a frame.
            let mut after = |name: &str, setup: &[Action], timed: &[Action]| {
                group.bench_function(format!("{name}/{modules}"), |b| {
                    b.iter_batched_ref(
                        || {
                            let mut app = new_app(g.clone());
                            for a in setup {
                                app.update(a.clone());
                            }
                            app
                        },
                        |app| {
                            for a in timed {
                                app.update(a.clone());
                            }
                            frame(app, &mut terminal);
                        },
                        BatchSize::LargeInput,
                    )
                });
            };
            let icicle = Action::ShowView(ViewId::Icicle);
            // With the plan applied (`b`): a deferral lays the icicle out again, then a frame.
            after(
                "icicle_plan_edit",
                &[
                    icicle.clone(),
                    Action::BeforeAfter,
                    Action::Move(Move::Down),
                ],
                &[Action::ToggleLazy(Decision::Lazy)],
            );
            after("icicle_move", &[icicle], &[Action::Move(Move::Down)]);
        }
        // A search keystroke: one time-boxed step plus the redraw (what the loop does).
        group.bench_function(format!("search_keystroke/{modules}"), |b| {
            b.iter_batched_ref(
                || {
                    let mut app = new_app(g.clone());
                    app.update(Action::StartSearch);
                    app
                },
                |app| {
                    app.update(Action::SearchChar('m'));
                    app.step_search(Duration::from_millis(8));
                    frame(app, &mut terminal);
                },
                BatchSize::LargeInput,
            )
        });
        group.bench_function(format!("search_complete/{modules}"), |b| {
            b.iter_batched_ref(
                || {
                    let mut app = new_app(g.clone());
                    app.update(Action::StartSearch);
                    app
                },
                |app| {
                    app.update(Action::SearchChar('m'));
                    app.update(Action::SearchChar('1'));
                    while app.search_pending() {
                        app.step_search(Duration::from_millis(8));
                    }
                },
                BatchSize::LargeInput,
            )
        });
    }
    toggle_lazy_over_many_runs(&mut group);
    // A pathologically deep chain (100,000 links): the last row's indentation is bounded.
    let deep = deep_chain(100_000);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    group.bench_function("end_of_deep_chain/100000", |b| {
        b.iter_batched_ref(
            || new_app(deep.clone()),
            |app| {
                app.update(Action::Move(Move::End));
                frame(app, &mut terminal);
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// `L` at 10,000 runs × 5,000 modules: run-by-run savings read every sample of what leaves.
fn toggle_lazy_over_many_runs(
    group: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
) {
    let many = many_runs(5_000, 10_000);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    group.bench_function("toggle_lazy/5000x10000runs", |b| {
        b.iter_batched_ref(
            || new_app(many.clone()),
            |app| {
                app.update(Action::Move(Move::Down));
                app.update(Action::ToggleLazy(Decision::Lazy));
                frame(app, &mut terminal);
            },
            BatchSize::LargeInput,
        )
    });
}

/// A synthetic tree of `modules` over `runs` runs, each module's self time jittered per run
/// (±25 %), built directly (its text would be gigabytes).
fn many_runs(modules: usize, runs: u32) -> ImportGraph {
    let tree = SynthTree::generate(modules, 7);
    let mut b = lmms_core::model::TraceBuilder::new();
    let ids: Vec<u32> = tree.names.iter().map(|n| b.module(n)).collect();
    for (i, parent) in tree.parent.iter().enumerate() {
        b.tree_parent(ids[i], parent.map(|p| ids[p]));
        b.edge(parent.map(|p| ids[p]), ids[i]);
    }
    let mut rng = lmms_core::synth::Rng::new(11);
    let mut self_us = vec![0u64; modules];
    for _ in 0..runs {
        let run = b.begin_run();
        for (i, base) in tree.self_us.iter().enumerate() {
            self_us[i] = base * (75 + rng.below(51)) / 100;
        }
        let mut cumulative = self_us.clone();
        for i in (0..modules).rev() {
            if let Some(p) = tree.parent[i] {
                cumulative[p] += cumulative[i];
            }
        }
        for i in 0..modules {
            let sample = lmms_core::model::Sample {
                run,
                self_us: self_us[i],
                cumulative_us: cumulative[i],
            };
            b.sample(ids[i], sample);
        }
    }
    ImportGraph::build(b).unwrap()
}

/// `m0 › m1 › … › m(n-1)`, one run, built directly (its text form would be O(n²) spaces).
fn deep_chain(n: usize) -> ImportGraph {
    let mut b = lmms_core::model::TraceBuilder::new();
    let run = b.begin_run();
    let mut parent = None;
    for i in 0..n {
        let m = b.module(&format!("m{i}"));
        b.tree_parent(m, parent);
        b.sample(
            m,
            lmms_core::model::Sample {
                run,
                self_us: 10,
                cumulative_us: 10 * (n - i) as u64,
            },
        );
        b.edge(parent, m);
        parent = Some(m);
    }
    ImportGraph::build(b).unwrap()
}

fn new_app(graph: ImportGraph) -> App {
    let plan_file = OutputFile {
        path: "bench-plan.json".into(),
        owned: false,
    };
    App::new(Analysis::of(graph), plan_file, 120, 40)
}

criterion_group!(benches, explorer);
criterion_main!(benches);
