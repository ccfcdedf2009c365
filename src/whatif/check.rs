//! `check`'s verdict, as figures: cold start against the budget, and the total and each package
//! against the baseline within the noise thresholds. `output::check` prints it.

use super::Analysis;
use crate::model::{Delta, Noise};

/// How many of the biggest changes are named.
pub const NAMED: usize = 5;

pub struct Budget {
    pub budget_ms: f64,
    pub cold_start_us: u64,
    pub within: bool,
    /// The plan defers something: the cold start judged is the projected one.
    pub with_plan: bool,
}

pub struct Against {
    pub noise: Noise,
    pub total: Delta,
    pub total_ok: bool,
    /// Packages that grew past both thresholds, biggest first.
    pub regressed_packages: Vec<Delta>,
    /// The modules that grew most (cumulative), at most `NAMED`.
    pub grew_most: Vec<Delta>,
    /// Names only in the current trace.
    pub new_modules: Vec<String>,
}

pub struct Verdict {
    /// `None` when no budget was set.
    pub budget: Option<Budget>,
    pub cold_start_us: u64,
    /// `None` without a baseline.
    pub against: Option<Against>,
    pub passed: bool,
}

pub fn check(analysis: &Analysis, noise: Noise) -> Verdict {
    let projection = analysis.projection();
    let plan = analysis.plan();
    let budget = plan.params.budget_ms.map(|budget_ms| Budget {
        budget_ms,
        cold_start_us: projection.cold_start_us,
        within: analysis.within_budget().unwrap_or(true),
        with_plan: plan.lazy().next().is_some(),
    });
    let against = analysis.comparison().map(|c| {
        let total = c.total();
        Against {
            total_ok: !noise.is_regression(&total),
            total,
            regressed_packages: c
                .packages
                .iter()
                .filter(|d| noise.is_regression(d))
                .cloned()
                .collect(),
            grew_most: c
                .modules
                .iter()
                .filter(|d| d.change_us() > 0)
                .take(NAMED)
                .cloned()
                .collect(),
            new_modules: c.new_modules().map(|d| d.name.clone()).collect(),
            noise,
        }
    });
    let passed = budget.as_ref().is_none_or(|b| b.within)
        && against
            .as_ref()
            .is_none_or(|a| a.total_ok && a.regressed_packages.is_empty());
    Verdict {
        budget,
        cold_start_us: projection.cold_start_us,
        against,
        passed,
    }
}
