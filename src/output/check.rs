//! `check`'s verdict as text: every line says what was judged against what.

use std::fmt::Write;

use super::figures::{delta_text, summary};
use super::units::ms;
use crate::model::Spread;
use crate::model::comparison::{ALPHA, ALPHA_EACH, MIN_RUNS_FOR_TEST, smallest_p};
use crate::whatif::Analysis;
use crate::whatif::check::{Judged, NAMED, Verdict};

/// `median [min–max]` of a side's runs, in ms.
fn runs_text(runs: &[u64]) -> String {
    if runs.len() <= 1 {
        return runs
            .first()
            .map_or("absent".into(), |&v| format!("{} ms", ms(v)));
    }
    let s = Spread::of(&mut runs.to_vec());
    format!("{} [{}–{}] ms", ms(s.median), ms(s.min), ms(s.max))
}

/// Before and after as median [range], the change, and the rank test's p.
fn judged_text(j: &Judged) -> String {
    let d = &j.delta;
    let mut text = format!(
        "{} → {} ({})",
        runs_text(&d.before_runs),
        runs_text(&d.after_runs),
        super::figures::change_text(d)
    );
    if let Some(p) = j.p {
        text.push_str(&format!(", p = {p:.3}"));
    }
    text
}

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
        let how = if c.tested {
            let mut how = format!(
                "a shift counts past {}% and {} ms, and a rank test p ≤ {ALPHA} for the total, \
                 ≤ {ALPHA_EACH} for each package or module, over {} and {} runs",
                noise.tolerance_pct, noise.min_ms, c.runs.0, c.runs.1
            );
            let floor = smallest_p(c.runs.0, c.runs.1);
            if floor > ALPHA_EACH {
                how.push_str(&format!(
                    " — with so few runs the test cannot go below p = {floor:.3}: {} cannot fail \
                     the check; record more runs",
                    if floor > ALPHA {
                        "no shift"
                    } else {
                        "no package or module"
                    }
                ));
            }
            how
        } else {
            format!(
                "{} and {} runs: too few for a rank test (≥ {MIN_RUNS_FOR_TEST} a side), so only \
                 shifts past {}% and {} ms count — record more runs",
                c.runs.0, c.runs.1, noise.tolerance_pct, noise.min_ms
            )
        };
        let _ = writeln!(text, "  vs the baseline: {how}");
        let _ = writeln!(
            text,
            "{} total import time {}",
            if c.uniform_slowdown {
                "!"
            } else {
                mark(!c.total.regressed)
            },
            judged_text(&c.total)
        );
        if c.uniform_slowdown {
            let _ = writeln!(
                text,
                "  it grew, but no package's share of it moved: everything ran slower alike — a \
                 slower or busier machine, not this code (not counted)"
            );
        }
        for (what, list) in [
            ("package", Some(&c.regressed_packages)),
            ("module", c.regressed_modules.as_ref()),
        ] {
            let Some(list) = list else { continue };
            if list.is_empty() {
                let _ = writeln!(text, "✓ no {what} regressed");
            } else {
                let _ = writeln!(text, "✗ {what}s that regressed:");
                for j in list {
                    let _ = writeln!(text, "    {:<30} {}", j.delta.name, judged_text(j));
                }
            }
        }
        if !c.grew_most.is_empty() {
            let _ = writeln!(text, "grew most past the floors (modules, cumulative):");
            for d in &c.grew_most {
                let _ = writeln!(text, "    {:<40} {}", d.name, delta_text(d));
            }
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
        if !c.fingerprint.is_empty() {
            let _ = writeln!(
                text,
                "{} recorded with a different setup: {}{}",
                if verdict.strict_failed { "✗" } else { "!" },
                c.fingerprint.join(", "),
                if verdict.strict_failed {
                    ""
                } else {
                    " (--strict fails on this)"
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
