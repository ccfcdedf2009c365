//! `check`'s verdict, as figures: cold start against the budget, and the total and each package
//! (each module with `--modules`) against the baseline. A change regresses only when it passes
//! an absolute and a relative floor and, when both sides have enough runs, a one-sided rank test
//! on its run-by-run figures says noise is an unlikely explanation. Packages and modules are
//! tested as shares of each run's total, so a machine that is slower across the board is not a
//! regression of every package; a package with modules enough is also placed among the other
//! packages by its modules' own times (`model::shift`), which finds it with three runs a side.
//! A total that grew while no package moved, and no new package explains, is said as a uniform
//! slowdown (machine or interpreter), not failed. A package new since the baseline fails unless
//! accepted (`new_packages`); `--forbid` and `--max-modules` judge the trace alone (`guards`).
//! `output::check` prints it.

use super::Analysis;
pub use super::new_packages::NewPackage;
use super::new_packages::{new_packages, total_less_accepted};
use crate::model::comparison::{ALPHA, ALPHA_EACH, MIN_RUNS_FOR_TEST};
use crate::model::shift::{MIN_RUNS_FOR_SHIFTS, PackageShift};
use crate::model::{Comparison, Delta, ImportGraph, Noise, median, rank_test_p};

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

/// A change, the rank tests' p (over runs, and for a package over its modules) and the
/// judgement.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The change.
    pub delta: Delta,
    /// The rank test's p over runs, when there were runs enough.
    pub p: Option<f64>,
    /// A package's modules against the other packages', when it has modules enough.
    pub modules: Option<PackageShift>,
    /// Whether its standing among the packages was tested (runs enough a side), not only used
    /// to take the machine's share out.
    pub modules_tested: bool,
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
    /// Packages new since the baseline that cost at least the absolute floor, biggest first.
    pub new_packages: Vec<NewPackage>,
    /// With `--modules`: modules that regressed, biggest first.
    pub regressed_modules: Option<Vec<Judged>>,
    /// The modules that grew most (cumulative), at most `NAMED`, whether past the floors or
    /// not: shown on a pass too.
    pub grew_most: Vec<Delta>,
    /// The packages that grew most, judged: at most `NAMED` by ms, then up to `NAMED` more by
    /// percent (of those past the absolute floor), whether they regressed or not.
    pub packages_grew_most: Vec<Judged>,
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
    /// Each `--forbid` pattern and what it matched at cold start.
    pub forbidden: Vec<super::guards::Forbidden>,
    /// Modules at cold start against `--max-modules`, when given.
    pub module_count: Option<super::guards::ModuleCount>,
    /// The recorded program failed in some runs, and `--allow-failed` was not given.
    pub failed_refused: bool,
    /// Whether the check passed.
    pub passed: bool,
}

/// What `check` was asked for beyond the plan.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Floors given on the command line; otherwise `Noise::default()`, or `Noise::FEW_RUNS`
    /// when the rank test cannot apply.
    pub noise: Option<Noise>,
    /// Judge every module too.
    pub modules: bool,
    /// A fingerprint difference fails the check.
    pub strict: bool,
    /// Top-level packages accepted as new since the baseline.
    pub allow_new: Vec<String>,
    /// Modules (names covering submodules, or globs) that must not load at cold start.
    pub forbid: Vec<String>,
    /// The most modules that may load at cold start.
    pub max_modules: Option<usize>,
    /// Judge a trace whose program failed in some runs anyway.
    pub allow_failed: bool,
}

/// Each run's figure as a share of that run's total.
fn shares(runs: &[u64], totals: &[u64]) -> Vec<f64> {
    runs.iter()
        .zip(totals)
        .map(|(&v, &t)| if t == 0 { 0.0 } else { v as f64 / t as f64 })
        .collect()
}

/// Judges a trace: budget, baseline, fingerprint.
pub fn check(analysis: &Analysis, options: &Options) -> Verdict {
    let projection = analysis.projection();
    let plan = analysis.plan();
    let budget = plan.params.budget_ms.map(|budget_ms| Budget {
        budget_ms,
        cold_start_us: projection.cold_start_us,
        within: analysis.within_budget().unwrap_or(true),
        with_plan: plan.lazy().next().is_some(),
    });
    let against = (analysis.comparison()).map(|c| against(analysis.graph(), c, options));
    let strict_failed =
        options.strict && against.as_ref().is_some_and(|a| !a.fingerprint.is_empty());
    let graph = analysis.graph();
    let forbidden = super::guards::forbidden(graph, &options.forbid);
    let module_count = (options.max_modules).map(|max| super::guards::ModuleCount {
        count: super::guards::cold_start_modules(graph),
        max,
    });
    let failed_refused = !options.allow_failed && !graph.meta().failed_runs.is_empty();
    let passed = budget.as_ref().is_none_or(|b| b.within)
        && !strict_failed
        && !failed_refused
        && forbidden.iter().all(|f| f.loaded.is_empty())
        && module_count.is_none_or(|c| c.within())
        && against.as_ref().is_none_or(Against::passed);
    Verdict {
        budget,
        cold_start_us: projection.cold_start_us,
        against,
        strict_failed,
        forbidden,
        module_count,
        failed_refused,
        passed,
    }
}

impl Against {
    /// Nothing regressed, and nothing new that was not accepted.
    fn passed(&self) -> bool {
        !self.total.regressed
            && self.regressed_packages.is_empty()
            && self.new_packages.iter().all(|n| n.allowed)
            && self.regressed_modules.as_ref().is_none_or(Vec::is_empty)
    }
}

/// The verdict against a baseline: the total, then each package (and module) on its share of
/// each run's total.
fn against(g: &ImportGraph, c: &Comparison, options: &Options) -> Against {
    let runs = (c.before_run_totals.len(), c.after_run_totals.len());
    let tested = runs.0 >= MIN_RUNS_FOR_TEST && runs.1 >= MIN_RUNS_FOR_TEST;
    let noise = options.noise.unwrap_or(if tested {
        Noise::default()
    } else {
        Noise::FEW_RUNS
    });
    let judge = Judge::new(c, noise, tested);
    let new_packages = new_packages(g, c, noise, &options.allow_new);
    // A total that grew while no package's share moved, and no new package explains it, grew
    // alike everywhere: the machine (or interpreter) was slower, not the code. Said, not failed.
    let mut total = judge.total(&total_less_accepted(g, c, &new_packages));
    let regressed_packages = judge.regressed(&c.packages, Judge::package);
    let uniform = total.regressed && regressed_packages.is_empty() && new_packages.is_empty();
    total.regressed &= !uniform;
    Against {
        total,
        uniform_slowdown: uniform,
        regressed_packages,
        new_packages,
        regressed_modules: options
            .modules
            .then(|| judge.regressed(&c.modules, Judge::share)),
        packages_grew_most: judge.grew_most(&c.packages),
        grew_most: (c.modules.iter())
            .filter(|d| d.change_us() > 0)
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
    /// Whether each side has runs enough to place a package among the others.
    shifts_tested: bool,
    before_total: f64,
}

impl<'c> Judge<'c> {
    fn new(comparison: &'c Comparison, noise: Noise, tested: bool) -> Self {
        let mut totals: Vec<f64> = (comparison.before_run_totals.iter())
            .map(|&t| t as f64)
            .collect();
        let runs = (comparison.before_run_totals.len()).min(comparison.after_run_totals.len());
        Judge {
            comparison,
            noise,
            tested,
            shifts_tested: runs >= MIN_RUNS_FOR_SHIFTS,
            before_total: median(&mut totals),
        }
    }

    fn total(&self, d: &Delta) -> Judged {
        let f = |v: &[u64]| v.iter().map(|&x| x as f64).collect::<Vec<_>>();
        let p = (self.tested).then(|| rank_test_p(&f(&d.before_runs), &f(&d.after_runs)));
        Judged {
            delta: d.clone(),
            p,
            modules: None,
            modules_tested: false,
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
            modules: None,
            modules_tested: false,
            // (`regressed` below judges only changes past the raw floors.)
            regressed: self.noise.passes_floors(&corrected) && p.is_none_or(|p| p <= ALPHA_EACH),
        }
    }

    /// A package placed among the others (`Shifts`): its change less the machine's past the
    /// floors and, with runs enough, its modules standing out from the other packages' or its
    /// share's runs all above the baseline's (a new module inside it shows there). With a run
    /// a side there is no test: the floors judge its change against the rest of the program,
    /// not against a total containing it. Otherwise (two runs a side, too few modules or
    /// packages) judged as a share.
    fn package(&self, d: &Delta) -> Judged {
        let share = self.share(d);
        let shift = (self.comparison.shifts.package(&d.name))
            .filter(|_| self.shifts_tested || !self.tested);
        let Some(shift) = shift else {
            return share;
        };
        let corrected = shift.without_machine(d);
        let shifted = !self.tested || shift.shifted() || share.p.is_some_and(|p| p <= ALPHA_EACH);
        Judged {
            modules: Some(shift),
            modules_tested: self.shifts_tested,
            regressed: self.noise.passes_floors(&corrected) && shifted,
            ..share
        }
    }

    /// The packages that grew most by ms, then by percent, each judged.
    fn grew_most(&self, packages: &[Delta]) -> Vec<Judged> {
        let grew: Vec<&Delta> = (packages.iter())
            .filter(|d| d.before_us.is_some() && d.change_us() > 0)
            .collect();
        let mut most: Vec<&Delta> = grew.iter().copied().take(NAMED).collect();
        let mut by_pct: Vec<&Delta> = (grew.iter().copied())
            .filter(|d| d.change_us() as f64 >= self.noise.min_ms * 1000.0)
            .filter(|d| !most.iter().any(|m| m.name == d.name))
            .collect();
        by_pct.sort_by(|a, b| {
            b.change_pct()
                .unwrap_or(0.0)
                .total_cmp(&a.change_pct().unwrap_or(0.0))
        });
        most.extend(by_pct.into_iter().take(NAMED));
        (most.into_iter())
            .map(|d| {
                let mut judged = self.package(d);
                // As `regressed` judges: past the raw floors first.
                judged.regressed &= self.noise.passes_floors(d);
                judged
            })
            .collect()
    }

    /// The deltas that regressed, each judged by `judge` (`package` or `share`).
    fn regressed(&self, list: &[Delta], judge: fn(&Self, &Delta) -> Judged) -> Vec<Judged> {
        (list.iter())
            // New names are judged as such (`new_packages`), not on shares they never had.
            .filter(|d| d.before_us.is_some() && self.noise.passes_floors(d))
            .map(|d| judge(self, d))
            .filter(|j| j.regressed)
            .collect()
    }
}
