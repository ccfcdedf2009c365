//! `check`'s verdict as findings: every line says what was judged against what, marked as a
//! pass, a failure, a warning or a note. Text, GitHub annotations and the markdown summary are
//! all drawn from these lines.

use crate::output::figures::{change_text, delta_text, summary};
use crate::output::units::{first_names, ms};
use lmms_core::model::Spread;
use lmms_core::model::comparison::{ALPHA, ALPHA_EACH, MIN_RUNS_FOR_TEST, smallest_p};
use lmms_core::model::shift::PackageShift;
use lmms_core::model::shift::{MIN_MODULES, MIN_OWN_US, MIN_RUNS_FOR_SHIFTS, Z_SHIFTED};
use lmms_core::whatif::Analysis;
use lmms_core::whatif::check::{Against, Judged, NAMED, Verdict};

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
        change_text(d)
    );
    if let Some(p) = j.p {
        text.push_str(&format!(", {}", p_text(p)));
    }
    if let Some(s) = &j.modules {
        let pct = s.without_machine(d).change_pct().unwrap_or(0.0);
        text.push_str(&format!(
            "; {pct:+.1}% with the machine's ×{:.2} taken out",
            s.machine_factor,
        ));
        if j.modules_tested {
            text.push_str(&standing_text(s));
        }
    }
    text
}

/// Where a package's modules stand among the other packages'.
fn standing_text(s: &PackageShift) -> String {
    if s.z.is_infinite() {
        return format!(
            ", its modules ({}) apart from the other packages', which agree exactly",
            s.modules
        );
    }
    format!(
        ", its modules {:.1} spreads ({:.1}% each) above the other packages' ({} modules)",
        s.z,
        (s.spread_factor - 1.0) * 100.0,
        s.modules
    )
}

/// A p to three places, or that it is below them.
fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// How a finding counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Context: the trace, the verdict.
    Plain,
    Pass,
    Fail,
    /// Worth a look, does not fail the check.
    Warn,
    /// How something was judged.
    Note,
    /// Introduces the failures listed under it.
    FailHeading,
    /// One failure of a list.
    FailItem,
    /// One entry of a list that is not a failure.
    Item,
}

impl Mark {
    /// The text's line prefix.
    pub fn prefix(self) -> &'static str {
        match self {
            Mark::Plain => "",
            Mark::Pass => "✓ ",
            Mark::Fail | Mark::FailHeading => "✗ ",
            Mark::Warn => "! ",
            Mark::Note => "  ",
            Mark::FailItem | Mark::Item => "    ",
        }
    }
}

/// One judgement: its mark, its line, and the program's file and line it is about, if any
/// (GitHub annotates the source there).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub mark: Mark,
    pub text: String,
    pub at: Option<(String, u32)>,
}

impl Finding {
    fn new(mark: Mark, text: String) -> Finding {
        Finding {
            mark,
            text,
            at: None,
        }
    }
}

pub fn findings(a: &Analysis, verdict: &Verdict) -> Vec<Finding> {
    let mut out: Vec<Finding> = vec![Finding::new(Mark::Plain, summary(a.graph()))];
    let (mark, budget) = budget_line(verdict);
    out.push(Finding::new(mark, budget));
    if verdict.failed_refused {
        let refused = "the recorded program failed (above): its trace is not judged as the \
                       program's (--allow-failed judges it anyway)";
        out.push(Finding::new(Mark::Fail, refused.into()));
    }
    guard_lines(a, verdict, &mut out);
    // Cold start needs no usage; the plan's other figures do, and say where theirs come from.
    if a.requests().is_some() {
        out.push(Finding::new(Mark::Note, crate::output::usage::source(a)));
    }
    if let Some(c) = &verdict.against {
        out.push(Finding::new(
            Mark::Note,
            format!("vs the baseline: {}", how_judged(c)),
        ));
        judged_lines(c, &mut out);
        new_lines(a, c, &mut out);
        changes_lines(c, verdict.strict_failed, &mut out);
    }
    out.push(Finding::new(
        Mark::Plain,
        if verdict.passed {
            "check passed"
        } else {
            "check FAILED"
        }
        .into(),
    ));
    out
}

fn mark(ok: bool) -> Mark {
    if ok { Mark::Pass } else { Mark::Fail }
}

/// Cold start against the budget, or with none set.
fn budget_line(verdict: &Verdict) -> (Mark, String) {
    match &verdict.budget {
        Some(b) => (
            mark(b.within),
            format!(
                "cold start {} ms {} the {} ms budget{}",
                ms(b.cold_start_us),
                if b.within { "within" } else { "over" },
                b.budget_ms,
                if b.with_plan {
                    " (with the plan's deferred imports)"
                } else {
                    ""
                }
            ),
        ),
        None => (
            Mark::Note,
            format!(
                "cold start {} ms (no budget: --budget-ms)",
                ms(verdict.cold_start_us)
            ),
        ),
    }
}

/// How shifts are judged: the floors, the rank test and what so few runs allow.
fn how_judged(c: &Against) -> String {
    let noise = c.noise;
    if c.tested {
        let mut how = format!(
            "a shift counts past {}% and {} ms, and a rank test over {} and {} runs: p ≤ \
             {ALPHA} for the total, ≤ {ALPHA_EACH} for each package or module",
            noise.tolerance_pct, noise.min_ms, c.runs.0, c.runs.1
        );
        if c.runs.0.min(c.runs.1) >= MIN_RUNS_FOR_SHIFTS {
            how.push_str(&format!(
                "; a package with {MIN_MODULES}+ modules of {MIN_OWN_US}+ µs also when its \
                 modules stand {Z_SHIFTED}+ spreads above the other packages'"
            ));
        }
        let floor = smallest_p(c.runs.0, c.runs.1);
        if floor > ALPHA_EACH {
            how.push_str(&format!(
                " — with so few runs the rank test cannot go below p = {floor:.3}: {} \
                 fail on it; record more runs",
                if floor > ALPHA {
                    "no shift can"
                } else {
                    "only the total can"
                }
            ));
        }
        how
    } else {
        format!(
            "{} and {} runs: too few for a rank test (≥ {MIN_RUNS_FOR_TEST} a side), so only \
             shifts past {}% and {} ms count, a package's with the machine's share taken out \
             — record more runs",
            c.runs.0, c.runs.1, noise.tolerance_pct, noise.min_ms
        )
    }
}

/// The total's verdict, the uniform-slowdown note, and what regressed.
fn judged_lines(c: &Against, out: &mut Vec<Finding>) {
    out.push(Finding::new(
        if c.uniform_slowdown {
            Mark::Warn
        } else {
            mark(!c.total.regressed)
        },
        format!("total import time {}", judged_text(&c.total)),
    ));
    if c.uniform_slowdown {
        out.push(Finding::new(
            Mark::Note,
            "it grew, but no package's share of it moved: everything ran slower alike — a \
             slower or busier machine, not this code (not counted)"
                .into(),
        ));
    }
    for (what, list) in [
        ("package", Some(&c.regressed_packages)),
        ("module", c.regressed_modules.as_ref()),
    ] {
        let Some(list) = list else { continue };
        if list.is_empty() {
            out.push(Finding::new(Mark::Pass, format!("no {what} regressed")));
        } else {
            out.push(Finding::new(
                Mark::FailHeading,
                format!("{what}s that regressed:"),
            ));
            for j in list {
                out.push(Finding::new(
                    Mark::FailItem,
                    format!("{:<30} {}", j.delta.name, judged_text(j)),
                ));
            }
        }
    }
}

/// Packages new since the baseline: each fails unless accepted, with how it comes to load.
fn new_lines(a: &Analysis, c: &Against, out: &mut Vec<Finding>) {
    let g = a.graph();
    for new in c.new_packages.iter().filter(|n| n.root) {
        let d = &new.delta;
        let (mark, verdict) = match new.allowed {
            true => (Mark::Pass, "accepted (--allow-new)"),
            false => (
                Mark::FailHeading,
                "not in the baseline (--allow-new accepts it)",
            ),
        };
        let cost = runs_text(&d.after_runs);
        out.push(Finding::new(
            mark,
            format!("new dependency {}: {cost}, {verdict}", d.name),
        ));
        if !new.allowed
            && let Some(m) = g.find(&d.name)
        {
            blame_items(g, m, out);
        }
    }
    let with: Vec<String> = (c.new_packages.iter())
        .filter(|n| !n.root)
        .map(|n| format!("{} {} ms", n.delta.name, ms(n.delta.after_us.unwrap_or(0))))
        .collect();
    if !with.is_empty() {
        let accepted = c.new_packages.iter().all(|n| n.root || n.allowed);
        let line = format!(
            "with them, {} more new packages that only new modules import: {}{}",
            with.len(),
            first_names(&with, NAMED),
            if accepted {
                " (accepted with them)"
            } else {
                ""
            }
        );
        out.push(Finding::new(Mark::Note, line));
    }
}

/// `--forbid` and `--max-modules`: what loaded that must not, and how.
fn guard_lines(a: &Analysis, verdict: &Verdict, out: &mut Vec<Finding>) {
    let g = a.graph();
    for f in &verdict.forbidden {
        if f.loaded.is_empty() {
            out.push(Finding::new(
                Mark::Pass,
                format!("{} not loaded at cold start (--forbid)", f.pattern),
            ));
        }
        for &m in &f.loaded {
            let what = format!(
                "{} loaded at cold start (--forbid {}):",
                g.name(m),
                f.pattern
            );
            out.push(Finding::new(Mark::FailHeading, what));
            blame_items(g, m, out);
        }
    }
    if !verdict.forbidden.is_empty() && !g.edges_complete() {
        let note = "a text trace knows only each module's first importer: others may load it too";
        out.push(Finding::new(Mark::Note, note.into()));
    }
    if let Some(c) = verdict.module_count {
        let (within, word) = (c.within(), if c.within() { "within" } else { "over" });
        let line = format!(
            "{} modules at cold start, {word} --max-modules {}",
            c.count, c.max
        );
        out.push(Finding::new(mark(within), line));
    }
}

/// How `m` comes to load, as failure items: each importer's chain and its imports' lines.
fn blame_items(
    g: &lmms_core::model::ImportGraph,
    m: lmms_core::model::ModuleId,
    out: &mut Vec<Finding>,
) {
    for b in super::blame::blame(g, m) {
        out.push(Finding {
            mark: Mark::FailItem,
            text: b.text,
            at: b.at,
        });
    }
}

/// The packages that grew most, each with why it did not count (or that it did).
fn package_growers(c: &Against, out: &mut Vec<Finding>) {
    if c.packages_grew_most.is_empty() {
        return;
    }
    out.push(Finding::new(
        Mark::Plain,
        "packages that grew most (own time; by ms, then by %):".into(),
    ));
    for j in &c.packages_grew_most {
        let why = if j.regressed {
            "  (regressed)"
        } else if !c.noise.passes_floors(&j.delta) {
            "  (below the floors)"
        } else {
            "  (not significant)"
        };
        let line = format!("{:<30} {}{why}", j.delta.name, judged_text(j));
        out.push(Finding::new(Mark::Item, line));
    }
}

/// What grew most, new modules, and a setup that differs from the baseline's.
fn changes_lines(c: &Against, strict_failed: bool, out: &mut Vec<Finding>) {
    package_growers(c, out);
    if !c.grew_most.is_empty() {
        out.push(Finding::new(
            Mark::Plain,
            "grew most (modules, cumulative):".into(),
        ));
        for d in &c.grew_most {
            let below = match c.noise.passes_floors(d) {
                true => "",
                false => "  (below the floors)",
            };
            let line = format!("{:<40} {}{below}", d.name, delta_text(d));
            out.push(Finding::new(Mark::Item, line));
        }
    }
    if !c.new_modules.is_empty() {
        let shown = NAMED * 2;
        out.push(Finding::new(
            Mark::Plain,
            format!("new modules: {}", first_names(&c.new_modules, shown)),
        ));
    }
    if !c.fingerprint.is_empty() {
        out.push(Finding::new(
            if strict_failed {
                Mark::Fail
            } else {
                Mark::Warn
            },
            format!(
                "recorded with a different setup: {}{}",
                c.fingerprint.join(", "),
                if strict_failed {
                    ""
                } else {
                    " (--strict fails on this)"
                }
            ),
        ));
    }
}
