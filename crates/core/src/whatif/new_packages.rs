//! Packages new since the baseline, for `check`: which are roots (something the baseline had
//! imports them), which are accepted (`--allow-new`, or coming only with accepted ones), and
//! the total with what was accepted taken out.

use std::collections::{HashMap, HashSet};

use crate::model::{
    Comparison, Delta, ImportGraph, ModuleClass, ModuleId, Noise, Spread, top_level_package,
};

/// A package the baseline lacks, past the absolute floor: a regression unless accepted.
#[derive(Debug, Clone)]
pub struct NewPackage {
    /// Its figures (`before_us` is `None`).
    pub delta: Delta,
    /// Something the baseline had (a module, the program, your code) imports it; otherwise
    /// only new modules do, and it comes with them.
    pub root: bool,
    /// Accepted: with `--allow-new`, or coming only with new modules when every root is.
    pub allowed: bool,
}

/// Packages new since the baseline that cost at least the absolute floor (a new package has
/// no relative change), biggest first. A root is imported by something the baseline had (a
/// module, the program, your code); the others come only with new modules, and are accepted
/// when every root is.
pub(super) fn new_packages(
    g: &ImportGraph,
    c: &Comparison,
    noise: Noise,
    allow: &[String],
) -> Vec<NewPackage> {
    let new: Vec<&Delta> = (c.packages.iter())
        .filter(|d| d.before_us.is_none() && noise.passes_floors(d))
        .collect();
    let roots = roots(g, c, &new);
    let roots_allowed = (new.iter().zip(&roots)).all(|(d, &root)| !root || allow.contains(&d.name));
    (new.iter().zip(roots))
        .map(|(d, root)| NewPackage {
            delta: (*d).clone(),
            root,
            allowed: allow.contains(&d.name) || (!root && roots_allowed),
        })
        .collect()
}

/// Whether each new package is imported by a module the baseline had, by the program or by
/// your code.
fn roots(g: &ImportGraph, c: &Comparison, new: &[&Delta]) -> Vec<bool> {
    let wanted: HashSet<&str> = new.iter().map(|d| d.name.as_str()).collect();
    let mut members: HashMap<&str, Vec<ModuleId>> = HashMap::new();
    for m in g.ids() {
        let top = top_level_package(g.name(m));
        if wanted.contains(top) {
            members.entry(top).or_default().push(m);
        }
    }
    let old = |i: ModuleId| {
        g.module(i).class == ModuleClass::Program
            || c.module(g.name(i)).is_some_and(|d| d.before_us.is_some())
    };
    let root = |package: &str| {
        (members.get(package).into_iter().flatten()).any(|&m| {
            (g.importers(m).iter()).any(|&i| match i {
                None => true,
                Some(i) => {
                    top_level_package(g.name(i)) != package && !g.module(i).shutdown && old(i)
                }
            })
        })
    };
    new.iter().map(|d| root(&d.name)).collect()
}

/// The total with the accepted new modules' own time taken out of each run — accepting a
/// dependency accepts its cost: the accepted packages' modules, or, once every root is
/// accepted, every new module (what the new packages bring of old ones too, such as
/// `importlib.metadata`).
pub(super) fn total_less_accepted(g: &ImportGraph, c: &Comparison, new: &[NewPackage]) -> Delta {
    let mut total = c.total();
    if !new.iter().any(|n| n.allowed) {
        return total;
    }
    let all = new.iter().all(|n| !n.root || n.allowed);
    let accepted: HashSet<&str> = (new.iter())
        .filter(|n| n.allowed)
        .map(|n| n.delta.name.as_str())
        .collect();
    let is_new = |m: ModuleId| c.module(g.name(m)).is_none_or(|d| d.before_us.is_none());
    let taken = g
        .ids()
        .filter(|&m| is_new(m) && (all || accepted.contains(top_level_package(g.name(m)))));
    for (run, less) in total.after_runs.iter_mut().zip(g.run_sums(taken)) {
        *run = run.saturating_sub(less);
    }
    total.after_us = Some(Spread::of(&mut total.after_runs.clone()).median);
    total
}
