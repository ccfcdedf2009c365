//! `check`'s verdict as text: every line says what was judged against what.

use std::fmt::Write;

use super::figures::{delta_text, summary};
use super::units::ms;
use crate::whatif::Analysis;
use crate::whatif::check::{NAMED, Verdict};

pub fn render(a: &Analysis, verdict: &Verdict) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "{}", summary(a.graph()));
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    match &verdict.budget {
        Some(b) => {
            let _ = writeln!(
                text,
                "{} cold start {} ms {} the {} ms budget{}",
                mark(b.within),
                ms(b.cold_start_us),
                if b.within { "within" } else { "over" },
                b.budget_ms,
                if b.with_plan {
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
                ms(verdict.cold_start_us)
            );
        }
    }
    if let Some(c) = &verdict.against {
        let noise = c.noise;
        let _ = writeln!(
            text,
            "{} total import time {} vs the baseline (tolerance {}%, noise below {} ms)",
            mark(c.total_ok),
            delta_text(&c.total),
            noise.tolerance_pct,
            noise.min_ms
        );
        if c.regressed_packages.is_empty() {
            let _ = writeln!(
                text,
                "✓ no package grew past {}% and {} ms",
                noise.tolerance_pct, noise.min_ms
            );
        } else {
            let _ = writeln!(
                text,
                "✗ packages that grew past {}% and {} ms:",
                noise.tolerance_pct, noise.min_ms
            );
            for d in &c.regressed_packages {
                let _ = writeln!(text, "    {:<30} {}", d.name, delta_text(d));
            }
        }
        let _ = writeln!(text, "grew most (modules, cumulative):");
        for d in &c.grew_most {
            let _ = writeln!(text, "    {:<40} {}", d.name, delta_text(d));
        }
        if !c.new_modules.is_empty() {
            let shown = NAMED * 2;
            let _ = writeln!(
                text,
                "new modules: {}{}",
                c.new_modules
                    .iter()
                    .take(shown)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", "),
                if c.new_modules.len() > shown {
                    format!(" and {} more", c.new_modules.len() - shown)
                } else {
                    String::new()
                }
            );
        }
    }
    let _ = writeln!(
        text,
        "{}",
        if verdict.passed {
            "check passed"
        } else {
            "check FAILED"
        }
    );
    text
}
