//! The what-if model against hand-computed cases (the lessons' own example among them),
//! shared dependencies, and its invariants on random graphs.

use lmms_core::model::{ImportGraph, ModuleId};
use lmms_core::whatif::{Analysis, Decision, Plan, check_deferrable};
use lmms_core::whatif::{PercentileMethod, project};
use proptest::prelude::*;

fn graph(text: &str) -> ImportGraph {
    lmms_core::trace::from_bytes("t", text.as_bytes()).unwrap()
}

/// The lessons' example: three top-level imports.
fn lessons() -> ImportGraph {
    graph(
        "\
import time:    350000 |     350000 | boto3
import time:   1200000 |    1200000 | pandas
import time:       800 |        800 | json
",
    )
}

fn set(plan: &mut Plan, g: &ImportGraph, name: &str, decision: Decision, usage: f64) {
    let m = g.find(name).unwrap();
    plan.set_decision(g, m, decision).unwrap();
    plan.set_usage_pct(m, usage);
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[test]
fn lessons_example_all_eager() {
    let g = lessons();
    let mut plan = Plan::new(&g);
    set(&mut plan, &g, "boto3", Decision::Eager, 90.0);
    set(&mut plan, &g, "pandas", Decision::Eager, 5.0);
    let p = project(&g, &plan);
    assert_eq!(p.cold_start_us, 1_550_800);
    assert_eq!(round1(p.daily_import_s), 1550.8);
    assert_eq!(p.daily_import_s, p.traced_daily_import_s);
    assert!(p.dropped.is_empty());
}

#[test]
fn lessons_example_pandas_lazy() {
    let g = lessons();
    let mut plan = Plan::new(&g);
    set(&mut plan, &g, "boto3", Decision::Eager, 90.0);
    set(&mut plan, &g, "pandas", Decision::Lazy, 5.0);
    let p = project(&g, &plan);
    assert_eq!(p.cold_start_us, 350_800);
    // cR·(T_E + P·t) = 1000 × (0.3508 + (1 − 0.95^10) × 1.2) s
    let by_hand = 1000.0 * (0.3508 + (1.0 - 0.95f64.powi(10)) * 1.2);
    assert!(
        (p.daily_import_s - by_hand).abs() < 1e-9,
        "{}",
        p.daily_import_s
    );
    assert_eq!(round1(p.daily_import_s), 832.3);
    assert_eq!(p.method, PercentileMethod::Exact);
    // Requests: 86.5 % pay nothing, 9.5 % pay cold start only, 3.5 % pandas only, 0.5 % both.
    assert_eq!(p.percentiles.p50_us, 0.0);
    assert_eq!(p.percentiles.p95_us, 350_800.0);
    assert_eq!(p.percentiles.p99_us, 1_200_000.0);
    assert_eq!(p.dropped, vec![g.find("pandas").unwrap()]);
    let lazy = &p.lazy[0];
    assert_eq!(lazy.cost_us, 1_200_000);
    assert!((lazy.load_probability - (1.0 - 0.95f64.powi(10))).abs() < 1e-12);
    // A cold request expects T_E + u·t.
    assert!((p.expected_cold_request_us - (350_800.0 + 0.05 * 1_200_000.0)).abs() < 1e-6);
    // All eager, percentiles: 90 % of requests are warm.
    assert_eq!(p.traced_percentiles.p50_us, 0.0);
    assert_eq!(p.traced_percentiles.p95_us, 1_550_800.0);
}

#[test]
fn lessons_example_cli_both_lazy() {
    let g = lessons();
    let mut plan = Plan::new(&g);
    plan.params.cold_start_rate_pct = 100.0;
    set(&mut plan, &g, "boto3", Decision::Lazy, 90.0);
    set(&mut plan, &g, "pandas", Decision::Lazy, 5.0);
    let p = project(&g, &plan);
    // R·(T_E + Σ u·t): the lessons' per-use 3150 s + 600 s, plus json's 8 s.
    assert_eq!(round1(p.daily_import_s), 3758.0);
    assert_eq!(p.cold_start_us, 800);
}

#[test]
fn long_lived_processes_pay_once() {
    // The lessons said lazy boto3 at 90 % costs 3150 s/day; per process it is paid once.
    let g = lessons();
    let mut plan = Plan::new(&g);
    set(&mut plan, &g, "boto3", Decision::Lazy, 90.0);
    set(&mut plan, &g, "pandas", Decision::Lazy, 5.0);
    let p = project(&g, &plan);
    let boto3 = p
        .lazy
        .iter()
        .find(|l| l.module == g.find("boto3").unwrap())
        .unwrap();
    let boto3_daily = 1000.0 * boto3.load_probability * 0.35;
    assert_eq!(round1(boto3_daily), 350.0);
    let pandas = p
        .lazy
        .iter()
        .find(|l| l.module == g.find("pandas").unwrap())
        .unwrap();
    assert_eq!(round1(1000.0 * pandas.load_probability * 1.2), 481.5);
}

/// boto3 first loads urllib3 and dateutil; requests imports urllib3 too (cached line).
fn shared() -> ImportGraph {
    graph(
        "\
import time:     20000 |      20000 |       six
import time:     30000 |      50000 |     urllib3
import time:     10000 |      10000 |     dateutil
import time:     40000 |     100000 |   botocore
import time:      5000 |     105000 | boto3
import time: cached    | cached     | urllib3
import time:      8000 |       8000 | requests
",
    )
}

#[test]
fn deferring_a_module_keeps_what_others_still_import() {
    let g = shared();
    assert!(g.edges_complete());
    let mut plan = Plan::new(&g);
    set(&mut plan, &g, "boto3", Decision::Lazy, 50.0);
    let p = project(&g, &plan);
    // boto3 + botocore + dateutil leave; urllib3 and six stay for requests.
    assert_eq!(p.traced_cold_start_us, 113_000);
    assert_eq!(p.cold_start_us, 113_000 - 55_000);
    let dropped: Vec<&str> = p.dropped.iter().map(|&m| g.name(m)).collect();
    assert_eq!(dropped, ["boto3", "botocore", "dateutil"], "heaviest first");
    assert_eq!(p.lazy[0].cost_us, 55_000);
    let dominators = lmms_core::model::Dominators::compute(&g);
    assert_eq!(dominators.retained_us(g.find("boto3").unwrap()), 55_000);
}

#[test]
fn overlapping_closures_use_a_seeded_monte_carlo() {
    let g = shared();
    let mut plan = Plan::new(&g);
    // urllib3 is now only reachable through two lazy modules: shared.
    set(&mut plan, &g, "boto3", Decision::Lazy, 30.0);
    set(&mut plan, &g, "requests", Decision::Lazy, 60.0);
    let p = project(&g, &plan);
    assert!(p.overlapping);
    assert!(matches!(p.method, PercentileMethod::MonteCarlo { .. }));
    assert_eq!(p, project(&g, &plan), "same inputs, same figures");
    // The exact expectation still holds: urllib3 and six load unless neither is used.
    let n = 10.0;
    let pb: f64 = 1.0 - 0.7f64.powf(n);
    let pr: f64 = 1.0 - 0.4f64.powf(n);
    let expected =
        1000.0 * (55_000.0 * pb + 8_000.0 * pr + 50_000.0 * (1.0 - (1.0 - pb) * (1.0 - pr))) / 1e6;
    assert!((p.daily_import_s - expected).abs() < 1e-9);
    // The Monte-Carlo lands near the exact answer for what it can be checked against:
    // P50 is 0 (most requests are warm), P99 is a cold-ish request.
    assert_eq!(p.percentiles.p50_us, 0.0);
    assert!(p.percentiles.p99_us > 0.0);
}

#[test]
fn snapstart_takes_init_off_the_request_path() {
    let g = lessons();
    let mut plan = Plan::new(&g);
    plan.params.snapstart = true;
    set(&mut plan, &g, "pandas", Decision::Lazy, 5.0);
    let p = project(&g, &plan);
    assert_eq!(p.cold_start_us, 350_800);
    assert_eq!(p.percentiles.p95_us, 0.0);
    assert_eq!(p.percentiles.p99_us, 1_200_000.0);
    // Only lazy loads are paid per process.
    assert!((p.daily_import_s - 1000.0 * (1.0 - 0.95f64.powi(10)) * 1.2).abs() < 1e-9);
}

#[test]
fn init_cpu_factor_and_base_latency() {
    let g = lessons();
    let mut plan = Plan::new(&g);
    plan.params.init_cpu_factor = 2.0;
    plan.params.base_latency_ms = 10.0;
    set(&mut plan, &g, "pandas", Decision::Lazy, 5.0);
    let p = project(&g, &plan);
    assert_eq!(p.percentiles.p50_us, 10_000.0);
    assert_eq!(p.percentiles.p99_us, 2_410_000.0);
    assert!((p.daily_import_s - 1000.0 * (0.3508 + (1.0 - 0.95f64.powi(10)) * 2.4)).abs() < 1e-9);
}

#[test]
fn fractional_requests_per_process() {
    let g = lessons();
    let mut plan = Plan::new(&g);
    plan.params.cold_start_rate_pct = 40.0; // N = 2.5
    set(&mut plan, &g, "pandas", Decision::Lazy, 50.0);
    let p = project(&g, &plan);
    let pl = 1.0 - 0.5f64.powf(2.5);
    let by_hand = 0.4 * 10_000.0 * (0.3508 + pl * 1.2);
    assert!((p.daily_import_s - by_hand).abs() < 1e-9);
    // Positions 1, 2 and half of 3: P(pandas at k) = 0.5, 0.25, 0.125.
    // Weights: k=1: 1 (cold, 50 % + pandas), k=2: 1, k=3: 0.5 → total 2.5.
    // Mass: 350.8: 0.5/2.5 = 0.2; 1550.8: 0.2; 1200: (0.25 + 0.0625)/2.5 = 0.125; 0: rest 0.475.
    assert_eq!(p.percentiles.p50_us, 350_800.0);
    assert_eq!(p.percentiles.p95_us, 1_550_800.0);
}

/// Random DAG-ish graphs with extra edges, as trace.json, so edges are complete.
fn random_graph(modules: usize, extra: usize, seed: u64, reverse: bool) -> ImportGraph {
    random_graph_of(modules, extra, seed, reverse, false)
}

fn random_graph_of(
    modules: usize,
    extra: usize,
    seed: u64,
    reverse: bool,
    third_party: bool,
) -> ImportGraph {
    let tree = lmms_core::synth::SynthTree::generate(modules, seed);
    let mut rng = lmms_core::synth::Rng::new(seed ^ 0xabc);
    let mut importers: Vec<Vec<usize>> = vec![Vec::new(); modules];
    for _ in 0..extra {
        let a = rng.below(modules as u64) as usize;
        let b = rng.below(modules as u64) as usize;
        if a != b {
            importers[b].push(a);
        }
    }
    let cumulative = tree.cumulative_us();
    let mut entries: Vec<String> = (0..modules)
        .map(|i| {
            let parent = tree.parent[i].map_or("null".into(), |p| format!("\"{}\"", tree.names[p]));
            let imps: Vec<String> = importers[i].iter().map(|&a| format!("\"{}\"", tree.names[a])).collect();
            // Every third module third-party when asked: importers of mixed ownership.
            let class = if third_party && i % 3 == 1 { r#","class":"third-party""# } else { "" };
            format!(
                r#"{{"name":"{}","parent":{parent},"self_us":[{}],"cumulative_us":[{}],"importers":[{}]{class}}}"#,
                tree.names[i],
                tree.self_us[i],
                cumulative[i],
                imps.join(",")
            )
        })
        .collect();
    if reverse {
        entries.reverse();
    }
    let json = format!(
        r#"{{"format":"lmms-tui-trace","version":1,"runs":1,"edges_complete":true,"modules":[{}]}}"#,
        entries.join(",")
    );
    lmms_core::trace::from_bytes("r.json", json.as_bytes()).unwrap()
}

fn plan_for(g: &ImportGraph, lazy: &[(String, f64)], c: f64) -> Plan {
    let mut plan = Plan::new(g);
    plan.params.cold_start_rate_pct = c;
    for (name, u) in lazy {
        let m = g.find(name).unwrap();
        plan.set_decision(g, m, Decision::Lazy).unwrap();
        plan.set_usage_pct(m, *u);
    }
    plan
}

/// The modules a removed module takes with it: those no chain of imports from the program
/// reaches without passing through it (the definition of dominance, checked by brute force).
fn unreachable_without(g: &ImportGraph, removed: Option<ModuleId>) -> Vec<bool> {
    unreachable_cutting(g, |_, to| Some(to) == removed)
}

/// The modules no chain of imports reaches once the user's own imports of `m` are cut: what
/// deferring it in the user's code removes, by brute force.
fn unreachable_without_yours(g: &ImportGraph, m: ModuleId) -> Vec<bool> {
    unreachable_cutting(g, |from, to| to == m && g.is_editable_import(from, to))
}

/// What the program no longer reaches when the imports `cut(importer, module)` are removed.
fn unreachable_cutting(
    g: &ImportGraph,
    cut: impl Fn(Option<ModuleId>, ModuleId) -> bool,
) -> Vec<bool> {
    let mut reached = vec![false; g.len()];
    let mut stack: Vec<ModuleId> = g
        .program_imports()
        .iter()
        .copied()
        .filter(|&m| !cut(None, m))
        .collect();
    while let Some(m) = stack.pop() {
        if std::mem::replace(&mut reached[m.index()], true) {
            continue;
        }
        stack.extend(g.imports(m).iter().copied().filter(|&i| !cut(Some(m), i)));
    }
    reached.iter().map(|r| !r).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    /// Immediate dominators and retained costs against removal and reachability, on graphs
    /// with import cycles (where one pass in reverse post-order is not enough) and without.
    #[test]
    fn dominators_match_removal(modules in 2usize..60, extra in 0usize..90, seed in any::<u64>()) {
        let g = random_graph_of(modules, extra, seed, seed % 2 == 0, seed % 3 == 0);
        let d = lmms_core::model::Dominators::compute(&g);
        let never = unreachable_without(&g, None);
        let takes: Vec<Vec<bool>> = g.ids().map(|m| unreachable_without(&g, Some(m))).collect();
        for v in g.ids() {
            if never[v.index()] {
                continue;
            }
            // Strict dominators of v; the immediate one is the closest: it takes the fewest.
            let size = |m: ModuleId| takes[m.index()].iter().filter(|&&t| t).count();
            let closest = g
                .ids()
                .filter(|&m| m != v && takes[m.index()][v.index()])
                .min_by_key(|&m| size(m));
            prop_assert_eq!(d.idom(v), closest, "{}", g.name(v));
            let dominated: u64 = g
                .ids()
                .filter(|m| takes[v.index()][m.index()] && !never[m.index()])
                .map(|m| g.module(m).self_us)
                .sum();
            let expected = dominated.min(g.module(v).cumulative_us);
            prop_assert_eq!(d.retained_everywhere_us(v), expected, "{}", g.name(v));
            // Deferring only the user's imports of v (a gate when others import it too).
            let cut = unreachable_without_yours(&g, v);
            let yours: u64 = g
                .ids()
                .filter(|m| cut[m.index()] && !never[m.index()])
                .map(|m| g.module(m).self_us)
                .sum();
            let expected = yours.min(g.module(v).cumulative_us);
            prop_assert_eq!(d.retained_us(v), expected, "{} (yours)", g.name(v));
        }
    }

    #[test]
    fn model_invariants(
        modules in 2usize..120,
        extra in 0usize..200,
        seed in any::<u64>(),
        picks in proptest::collection::vec((any::<usize>(), 0.0f64..=100.0), 1..6),
        c in 1.0f64..=100.0,
    ) {
        let g = random_graph(modules, extra, seed, false);
        // The program's one import, when it has one, is the program: never deferred.
        let names: Vec<(String, f64)> = picks
            .iter()
            .map(|&(i, u)| (ModuleId::new((i % modules) as u32), u))
            .filter(|&(m, _)| g.program_entry() != Some(m))
            .map(|(m, u)| (g.name(m).to_string(), u))
            .collect();
        prop_assume!(!names.is_empty());

        // Deferring never raises cold start, and more deferring never raises it either.
        let all = project(&g, &plan_for(&g, &names, c));
        let fewer = project(&g, &plan_for(&g, &names[..names.len() - 1], c));
        prop_assert!(all.cold_start_us <= fewer.cold_start_us);
        prop_assert!(fewer.cold_start_us <= all.traced_cold_start_us);

        // Usage 0 makes lazy modules free.
        let unused: Vec<(String, f64)> = names.iter().map(|(n, _)| (n.clone(), 0.0)).collect();
        let p = project(&g, &plan_for(&g, &unused, c));
        let cold_per_day = c / 100.0 * 10_000.0;
        prop_assert!((p.daily_import_s - cold_per_day * p.cold_start_us as f64 / 1e6).abs() < 1e-6);
        prop_assert!(p.lazy.iter().all(|l| l.load_probability == 0.0));

        // Every request a new process and every module used: lazy equals eager.
        let used: Vec<(String, f64)> = names.iter().map(|(n, _)| (n.clone(), 100.0)).collect();
        let p = project(&g, &plan_for(&g, &used, 100.0));
        prop_assert!((p.daily_import_s - p.traced_daily_import_s).abs() < 1e-6 * p.traced_daily_import_s.max(1.0));
        prop_assert!((p.expected_cold_request_us - p.traced_cold_start_us as f64).abs() < 1e-6);

        // Module order does not matter.
        let reversed = random_graph(modules, extra, seed, true);
        let a = project(&g, &plan_for(&g, &names, c));
        let b = project(&reversed, &plan_for(&reversed, &names, c));
        prop_assert_eq!(a.cold_start_us, b.cold_start_us);
        prop_assert_eq!(a.daily_import_s, b.daily_import_s);
        prop_assert_eq!(a.percentiles, b.percentiles);
        prop_assert_eq!(a.method, b.method);
        let dropped = |p: &lmms_core::whatif::Projection, g: &ImportGraph| {
            let mut v: Vec<String> = p.dropped.iter().map(|&m| g.name(m).to_string()).collect();
            v.sort();
            v
        };
        prop_assert_eq!(dropped(&a, &g), dropped(&b, &reversed));
    }
}

/// After each change of a few decisions, the analysis (whose eager closure follows only what
/// changed) projects exactly what a projection from scratch does.
fn assert_incremental_matches(g: &ImportGraph, seed: u64, steps: usize) {
    let mut rng = lmms_core::synth::Rng::new(seed);
    let mut analysis = Analysis::of(g.clone());
    let mut deferred: Vec<ModuleId> = Vec::new();
    for step in 0..steps {
        // One module (a key press) or several (a package); past four deferred, some go back to
        // eager, so the percentiles stay exact (a Monte-Carlo per step would make the test
        // slow, not stronger).
        let count = if rng.below(6) == 0 {
            2 + rng.below(5)
        } else {
            1
        };
        let mut changes: Vec<(ModuleId, Decision)> = Vec::new();
        for _ in 0..count {
            let m = ModuleId::new(rng.below(g.len() as u64) as u32);
            if check_deferrable(g, m).is_ok() {
                let d = [Decision::Lazy, Decision::LazyEverywhere][rng.below(2) as usize];
                changes.push((m, d));
                deferred.push(m);
            }
        }
        while deferred.len() > 4 {
            let m = deferred.remove(rng.below(deferred.len() as u64) as usize);
            changes.push((m, Decision::Eager));
        }
        analysis.set_decisions(changes).unwrap();
        let fresh = project(g, analysis.plan());
        assert!(
            *analysis.projection() == fresh,
            "seed {seed}, step {step}: the updated projection differs from a fresh one"
        );
    }
}

#[test]
fn incremental_projection_matches_a_fresh_one_on_real_traces() {
    for file in [
        "assets/lambda-handler-trace.json",
        "assets/lambda-handler-5runs.txt",
        "../shared/traces/cpython3.11-requests-websocket.txt",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        if !path.exists() {
            continue; // the shared traces sit beside the repository, not in it
        }
        let g = lmms_core::trace::load(&[path]).unwrap();
        assert_incremental_matches(&g, 7, 60);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn incremental_projection_matches_a_fresh_one(
        modules in 2usize..200,
        extra in 0usize..400,
        seed in any::<u64>(),
    ) {
        let g = random_graph(modules, extra, seed, false);
        assert_incremental_matches(&g, seed, 25);
    }
}

#[test]
fn incremental_projection_leaves_shutdown_imports_out() {
    // `late` is imported by the program only as it exits: no decision brings it into start-up.
    let json = r#"{"format":"lmms-tui-trace","version":1,"runs":1,"edges_complete":true,"modules":[
        {"name":"app","parent":null,"self_us":[100],"cumulative_us":[150],"importers":[null]},
        {"name":"dep","parent":"app","self_us":[50],"cumulative_us":[50],"importers":["app"]},
        {"name":"late","parent":null,"self_us":[70],"cumulative_us":[70],"importers":[null,"app"],"shutdown":true}]}"#;
    let g = lmms_core::trace::from_bytes("t.json", json.as_bytes()).unwrap();
    let late = g.find("late").unwrap();
    let mut analysis = Analysis::of(g.clone());
    for d in [
        Decision::LazyEverywhere,
        Decision::Eager,
        Decision::Lazy,
        Decision::Eager,
    ] {
        analysis.set_decision(late, d).unwrap();
        assert!(*analysis.projection() == project(&g, analysis.plan()));
        assert!(!analysis.projection().is_eager(late));
        assert_eq!(analysis.projection().cold_start_us, 150);
    }
    // With nothing deferred, it is no module "with a deferred one" (`↳lazy`, `↳0`).
    assert_eq!(analysis.effect(late), lmms_core::whatif::PlanEffect::Eager);
    assert_eq!(
        analysis.usage(late),
        lmms_core::whatif::Usage::Planned(100.0)
    );
}
