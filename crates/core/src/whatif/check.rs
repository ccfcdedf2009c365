//! `check`'s verdict, as figures: cold start against the budget, and the total and each package
//! (each module with `--modules`) against the baseline. A change regresses only when it passes
//! an absolute and a relative floor and, when both sides have enough runs, a one-sided rank test
//! on its run-by-run figures says noise is an unlikely explanation. Packages and modules are
//! tested as shares of each run's total, so a machine that is slower across the board is not a
//! regression of every package; a total that grew while no package's share moved is said as a
//! uniform slowdown (machine or interpreter), not failed. `output::check` prints it.

use super::Analysis;
use crate::model::comparison::{ALPHA, ALPHA_EACH, MIN_RUNS_FOR_TEST};
use crate::model::{Comparison, Delta, Noise, median, rank_test_p};

/// How many of the biggest changes are named.
pub const NAMED: usize = 5;

/// Cold start against the budget.
pub struct Budget {
    /// The budget, ms.
    pub budget_ms: f64,
    /// Cold start under the plan, µs.
    pub cold_start_us: u64,
    /// Whether it is within.
    pub within: bool,
    /// The plan defers something: the cold start judged is the projected one.
    pub with_plan: bool,
}

/// A change, the rank test's p (None when a side had too few runs) and the judgement.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The change.
    pub delta: Delta,
    /// The rank test's p, when there were runs enough.
    pub p: Option<f64>,
    /// Whether it counts as a regression.
    pub regressed: bool,
}

/// The verdict against a baseline.
pub struct Against {
    /// The floors in force.
    pub noise: Noise,
    /// Runs on each side (baseline, this trace).
    pub runs: (usize, usize),
    /// Whether the rank test applied (enough runs on both sides).
    pub tested: bool,
    /// The total import time.
    pub total: Judged,
    /// The total grew past the floors and the test, but every package alike (no share moved).
    pub uniform_slowdown: bool,
    /// Packages that regressed, biggest first.
    pub regressed_packages: Vec<Judged>,
    /// With `--modules`: modules that regressed, biggest first.
    pub regressed_modules: Option<Vec<Judged>>,
    /// The modules that grew most past the floors (cumulative), at most `NAMED`.
    pub grew_most: Vec<Delta>,
    /// Names only in the current trace.
    pub new_modules: Vec<String>,
    /// How interpreter, platform or package versions differ from the baseline's.
    pub fingerprint: Vec<String>,
}

/// What `check` found, and whether it passed.
pub struct Verdict {
    /// `None` when no budget was set.
    pub budget: Option<Budget>,
    /// Cold start under the plan, µs.
    pub cold_start_us: u64,
    /// `None` without a baseline.
    pub against: Option<Against>,
    /// `--strict` and the fingerprints differ.
    pub strict_failed: bool,
    /// Whether the check passed.
    pub passed: bool,
}

/// What `check` was asked for beyond the plan.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Floors given on the command line; otherwise `Noise::default()`, or `Noise::FEW_RUNS`
    /// when the rank test cannot apply.
    pub noise: Option<Noise>,
    /// Judge every module too.
    pub modules: bool,
    /// A fingerprint difference fails the check.
    pub strict: bool,
}

/// Each run's figure as a share of that run's total.
fn shares(runs: &[u64], totals: &[u64]) -> Vec<f64> {
    runs.iter()
        .zip(totals)
        .map(|(&v, &t)| if t == 0 { 0.0 } else { v as f64 / t as f64 })
        .collect()
}

/// Judges a trace: budget, baseline, fingerprint.
pub fn check(analysis: &Analysis, options: Options) -> Verdict {
    let projection = analysis.projection();
    let plan = analysis.plan();
    let budget = plan.params.budget_ms.map(|budget_ms| Budget {
        budget_ms,
        cold_start_us: projection.cold_start_us,
        within: analysis.within_budget().unwrap_or(true),
        with_plan: plan.lazy().next().is_some(),
    });
    let against = analysis.comparison().map(|c| against(c, options));
    let strict_failed =
        options.strict && against.as_ref().is_some_and(|a| !a.fingerprint.is_empty());
    let passed = budget.as_ref().is_none_or(|b| b.within)
        && !strict_failed
        && against.as_ref().is_none_or(|a| {
            !a.total.regressed
                && a.regressed_packages.is_empty()
                && a.regressed_modules.as_ref().is_none_or(Vec::is_empty)
        });
    Verdict {
        budget,
        cold_start_us: projection.cold_start_us,
        against,
        strict_failed,
        passed,
    }
}

/// The verdict against a baseline: the total, then each package (and module) on its share of
/// each run's total.
fn against(c: &Comparison, options: Options) -> Against {
    let runs = (c.before_run_totals.len(), c.after_run_totals.len());
    let tested = runs.0 >= MIN_RUNS_FOR_TEST && runs.1 >= MIN_RUNS_FOR_TEST;
    let noise = options.noise.unwrap_or(if tested {
        Noise::default()
    } else {
        Noise::FEW_RUNS
    });
    let judge = Judge::new(c, noise, tested);
    // A total that grew while no package's share moved grew alike everywhere: the machine (or
    // interpreter) was slower, not the code. Said, not failed.
    let mut total = judge.total(&c.total());
    let regressed_packages = judge.regressed(&c.packages);
    let uniform = total.regressed && regressed_packages.is_empty();
    total.regressed &= !uniform;
    Against {
        total,
        uniform_slowdown: uniform,
        regressed_packages,
        regressed_modules: options.modules.then(|| judge.regressed(&c.modules)),
        grew_most: (c.modules.iter())
            .filter(|d| noise.passes_floors(d))
            .take(NAMED)
            .cloned()
            .collect(),
        new_modules: c.new_modules().map(|d| d.name.clone()).collect(),
        noise,
        runs,
        tested,
        fingerprint: c.fingerprint_changes.clone(),
    }
}

/// Judges changes against the noise: the total on its runs; packages and modules on their
/// shares of each run's total, scaled to the baseline's median total — so a machine slower
/// across the board moves no package, and the floors apply to what the package itself grew.
struct Judge<'c> {
    comparison: &'c Comparison,
    noise: Noise,
    /// Whether each side has runs enough for the rank test.
    tested: bool,
    before_total: f64,
}

impl<'c> Judge<'c> {
    fn new(comparison: &'c Comparison, noise: Noise, tested: bool) -> Self {
        let mut totals: Vec<f64> = (comparison.before_run_totals.iter())
            .map(|&t| t as f64)
            .collect();
        Judge {
            comparison,
            noise,
            tested,
            before_total: median(&mut totals),
        }
    }

    fn total(&self, d: &Delta) -> Judged {
        let f = |v: &[u64]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
        let p = (self.tested).then(|| rank_test_p(&f(&d.before_runs), &f(&d.after_runs)));
        Judged {
            delta: d.clone(),
            p,
            regressed: self.noise.passes_floors(d) && p.is_none_or(|p| p <= ALPHA),
        }
    }

    fn share(&self, d: &Delta) -> Judged {
        let c = self.comparison;
        let before = shares(&d.before_runs, &c.before_run_totals);
        let after = shares(&d.after_runs, &c.after_run_totals);
        let scaled = |s: &[f64], present: bool| {
            present.then(|| (median(&mut s.to_vec()) * self.before_total).round() as u64)
        };
        let corrected = Delta {
            before_us: scaled(&before, d.before_us.is_some()),
            after_us: scaled(&after, d.after_us.is_some()),
            ..d.clone()
        };
        let p = (self.tested).then(|| rank_test_p(&before, &after));
        Judged {
            delta: d.clone(),
            p,
            // (`regressed` below judges only changes past the raw floors.)
            regressed: self.noise.passes_floors(&corrected) && p.is_none_or(|p| p <= ALPHA_EACH),
        }
    }

    /// The deltas that regressed, judged on their shares.
    fn regressed(&self, list: &[Delta]) -> Vec<Judged> {
        (list.iter())
            .filter(|d| self.noise.passes_floors(d))
            .map(|d| self.share(d))
            .filter(|j| j.regressed)
            .collect()
    }
}
