//! `lmms-tui check`: a CI guard. Passes when cold start is within the budget and nothing grew
//! past the noise thresholds against the baseline; always says what grew most.

use std::fmt::Write;

use crate::model::ImportGraph;
use crate::model::{Comparison, Noise};
use crate::plan::Plan;
use crate::report::{delta_text, summary};
use crate::units::ms;
use crate::whatif::Projection;

pub struct Outcome {
    pub passed: bool,
    pub text: String,
}

/// How many of the biggest changes are named.
const NAMED: usize = 5;

pub fn run(
    graph: &ImportGraph,
    plan: &Plan,
    projection: &Projection,
    comparison: Option<&Comparison>,
    noise: Noise,
) -> Outcome {
    let mut text = String::new();
    let mut passed = true;
    let _ = writeln!(text, "{}", summary(graph));
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    match plan.params.budget_ms {
        Some(budget) => {
            let ok = projection.cold_start_us as f64 <= budget * 1000.0;
            passed &= ok;
            let _ = writeln!(
                text,
                "{} cold start {} ms {} the {budget} ms budget{}",
                mark(ok),
                ms(projection.cold_start_us),
                if ok { "within" } else { "over" },
                if plan.lazy().next().is_some() {
                    " (with the plan's deferred imports)"
                } else {
                    ""
                }
            );
        }
        None => {
            let _ = writeln!(
                text,
                "  cold start {} ms (no budget: --budget-ms)",
                ms(projection.cold_start_us)
            );
        }
    }
    if let Some(c) = comparison {
        let total = c.total();
        let ok = !noise.is_regression(&total);
        passed &= ok;
        let _ = writeln!(
            text,
            "{} total import time {} vs the baseline (tolerance {}%, noise below {} ms)",
            mark(ok),
            delta_text(&total),
            noise.tolerance_pct,
            noise.min_ms
        );
        let regressed: Vec<_> = c
            .packages
            .iter()
            .filter(|d| noise.is_regression(d))
            .collect();
        if regressed.is_empty() {
            let _ = writeln!(
                text,
                "✓ no package grew past {}% and {} ms",
                noise.tolerance_pct, noise.min_ms
            );
        } else {
            passed = false;
            let _ = writeln!(
                text,
                "✗ packages that grew past {}% and {} ms:",
                noise.tolerance_pct, noise.min_ms
            );
            for d in regressed {
                let _ = writeln!(text, "    {:<30} {}", d.name, delta_text(d));
            }
        }
        let _ = writeln!(text, "grew most (modules, cumulative):");
        for d in c.modules.iter().filter(|d| d.change_us() > 0).take(NAMED) {
            let _ = writeln!(text, "    {:<40} {}", d.name, delta_text(d));
        }
        let new: Vec<&str> = c.new_modules().map(|d| d.name.as_str()).collect();
        if !new.is_empty() {
            let _ = writeln!(
                text,
                "new modules: {}{}",
                new.iter()
                    .take(NAMED * 2)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", "),
                if new.len() > NAMED * 2 {
                    format!(" and {} more", new.len() - NAMED * 2)
                } else {
                    String::new()
                }
            );
        }
    }
    let _ = writeln!(
        text,
        "{}",
        if passed {
            "check passed"
        } else {
            "check FAILED"
        }
    );
    Outcome { passed, text }
}
