//! `check --format json`: the verdict as figures, for CI systems other than GitHub's.

use serde_json::{Value, json};

use lmms_core::model::{Delta, Spread};
use lmms_core::whatif::Analysis;
use lmms_core::whatif::check::{Judged, Verdict};

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// A side's runs as median, min and max in ms (`null` when the name is absent on that side).
fn runs(runs: &[u64]) -> Value {
    if runs.is_empty() {
        return Value::Null;
    }
    let s = Spread::of(&mut runs.to_vec());
    json!({ "median_ms": ms(s.median), "min_ms": ms(s.min), "max_ms": ms(s.max) })
}

fn delta(d: &Delta) -> Value {
    json!({
        "name": d.name,
        "before_ms": d.before_us.map(ms),
        "after_ms": d.after_us.map(ms),
        "change_ms": d.change_us() as f64 / 1000.0,
        "change_pct": d.change_pct(),
    })
}

fn judged(j: &Judged) -> Value {
    let mut v = delta(&j.delta);
    v["before_runs"] = runs(&j.delta.before_runs);
    v["after_runs"] = runs(&j.delta.after_runs);
    v["p"] = json!(j.p);
    if let Some(s) = &j.modules {
        v["among_packages"] = json!({
            "modules": s.modules,
            "packages": s.packages,
            "machine_factor": s.machine_factor,
            "against_rest_pct": (s.against_rest - 1.0) * 100.0,
            "spread_pct": (s.spread_factor - 1.0) * 100.0,
            "z": s.z,
            "tested": j.modules_tested,
            "shifted": j.modules_tested && s.shifted(),
        });
    }
    v["regressed"] = json!(j.regressed);
    v
}

pub fn render(a: &Analysis, verdict: &Verdict) -> String {
    let g = a.graph();
    let baseline = verdict.against.as_ref().map(|c| {
        json!({
            "runs": [c.runs.0, c.runs.1],
            "rank_test": c.tested,
            "tolerance_pct": c.noise.tolerance_pct,
            "min_ms": c.noise.min_ms,
            "total": judged(&c.total),
            "uniform_slowdown": c.uniform_slowdown,
            "regressed_packages": c.regressed_packages.iter().map(judged).collect::<Vec<_>>(),
            "regressed_modules": c.regressed_modules.as_ref()
                .map(|l| l.iter().map(judged).collect::<Vec<_>>()),
            "grew_most": c.grew_most.iter().map(delta).collect::<Vec<_>>(),
            "packages_grew_most": c.packages_grew_most.iter().map(judged).collect::<Vec<_>>(),
            "new_packages": c.new_packages.iter().map(|n| {
                let mut v = delta(&n.delta);
                v["after_runs"] = runs(&n.delta.after_runs);
                v["allowed"] = json!(n.allowed);
                v
            }).collect::<Vec<_>>(),
            "new_modules": c.new_modules,
            "fingerprint_differences": c.fingerprint,
        })
    });
    let doc = json!({
        "passed": verdict.passed,
        "trace": {
            "files": g.meta().files,
            "runs": g.runs(),
            "modules": g.len(),
            "total_ms": ms(g.total_us()),
        },
        "config": a.config(),
        "cold_start_ms": ms(verdict.cold_start_us),
        "budget": verdict.budget.as_ref().map(|b| json!({
            "budget_ms": b.budget_ms,
            "cold_start_ms": ms(b.cold_start_us),
            "within": b.within,
            "with_plan": b.with_plan,
        })),
        "baseline": baseline,
        "strict_failed": verdict.strict_failed,
        "failed_runs": g.meta().failed_runs,
        "failed_refused": verdict.failed_refused,
        "forbidden": verdict.forbidden.iter().map(|f| json!({
            "pattern": f.pattern,
            "loaded": f.loaded.iter().map(|&m| g.name(m)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "max_modules": verdict.module_count.map(|c| json!({
            "count": c.count, "max": c.max, "within": c.within(),
        })),
    });
    let mut text = lmms_core::safe_json::to_string_pretty(&doc);
    text.push('\n');
    text
}
