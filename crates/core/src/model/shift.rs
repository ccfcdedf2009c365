//! Power from modules, not only runs. Runs are few; a package's modules are many. Each module
//! gives the log ratio of its own time's medians, after over before, and each package the
//! median of its modules' ratios. A machine slower across the board moves every package alike;
//! a package slower in each of its modules stands out from the others. How far packages stray
//! from one another when nothing changed is read from the same comparison (their median
//! absolute deviation), since packages do not share a machine's noise alike: measured on this
//! project's machine, an unchanged program's packages strayed by 4–20 % between recordings,
//! and a test that took each module as independent failed 47 of 132 unchanged pairs.

use std::collections::HashMap;

use super::comparison::Delta;
use super::stats::median;
use super::top_level_package;

/// Modules whose own time is below this on both sides are left out: at the trace's µs
/// resolution their ratios are mostly rounding.
pub const MIN_OWN_US: u64 = 50;

/// A package needs this many modules with a ratio to be placed among the others; with fewer,
/// one module's jitter would decide it.
pub const MIN_MODULES: usize = 4;

/// Packages needed to tell how far they stray from one another.
pub const MIN_PACKAGES: usize = 5;

/// Runs each side needs for a package to be placed among the others: the median of three
/// sets one disturbed run aside, a pair's does not (splits of one recording's five runs, two
/// against three, made a package's modules all stand 10 spreads out when one of two runs was
/// disturbed while that package loaded).
pub const MIN_RUNS_FOR_SHIFTS: usize = 3;

/// A package counts as shifted this many spreads above the others' centre.
pub const Z_SHIFTED: f64 = 4.0;

/// The packages placed among each other: each one's median module ratio (ln of after over
/// before), the centre of those medians and how far they stray from it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shifts {
    /// Package → (median ratio, modules with a ratio).
    by_package: HashMap<String, (f64, usize)>,
    centre: f64,
    /// 1.4826 × the median absolute deviation of the packages' ratios (a standard deviation
    /// when they are normal).
    spread: f64,
}

/// How a package's modules moved against the other packages'.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PackageShift {
    /// The package's modules with a ratio.
    pub modules: usize,
    /// Packages it was placed among, itself included.
    pub packages: usize,
    /// How much slower the program ran as a whole, after over before (the packages' centre):
    /// the machine's share of any change.
    pub machine_factor: f64,
    /// The package's ratio over the centre, e.g. 1.3 for 30 % slower than the others.
    pub against_rest: f64,
    /// How far packages stray from each other, as a factor (e.g. 1.05: 5 %).
    pub spread_factor: f64,
    /// How many spreads the package lies above the centre.
    pub z: f64,
}

impl PackageShift {
    /// The package's change with the machine's share taken out: its figure now over how much
    /// slower the program ran as a whole.
    pub fn without_machine(&self, d: &Delta) -> Delta {
        Delta {
            after_us: (d.after_us).map(|a| (a as f64 / self.machine_factor).round() as u64),
            ..d.clone()
        }
    }

    /// Whether it stands out from the other packages.
    pub fn shifted(&self) -> bool {
        self.z >= Z_SHIFTED
    }
}

impl Shifts {
    /// From each module's median own time on each side, µs.
    pub fn new(before: &HashMap<&str, u64>, after: &HashMap<&str, u64>) -> Shifts {
        let mut ratios: HashMap<&str, Vec<f64>> = HashMap::new();
        for (&name, &b) in before {
            if let Some(r) = after.get(name).and_then(|&a| ratio(b, a)) {
                ratios.entry(top_level_package(name)).or_default().push(r);
            }
        }
        let by_package: HashMap<String, (f64, usize)> = (ratios.into_iter())
            .filter(|(_, r)| r.len() >= MIN_MODULES)
            .map(|(top, mut r)| (top.to_string(), (median(&mut r), r.len())))
            .collect();
        let mut medians: Vec<f64> = by_package.values().map(|v| v.0).collect();
        let centre = median(&mut medians);
        let mut deviations: Vec<f64> = medians.iter().map(|m| (m - centre).abs()).collect();
        Shifts {
            by_package,
            centre,
            spread: 1.4826 * median(&mut deviations),
        }
    }

    /// The package's shift, when it has modules enough and there are packages enough to place
    /// it among.
    pub fn package(&self, top: &str) -> Option<PackageShift> {
        let &(ratio, modules) = self.by_package.get(top)?;
        if self.by_package.len() < MIN_PACKAGES {
            return None;
        }
        let above = ratio - self.centre;
        Some(PackageShift {
            modules,
            packages: self.by_package.len(),
            machine_factor: self.centre.exp(),
            against_rest: above.exp(),
            spread_factor: self.spread.exp(),
            z: match above {
                _ if self.spread > 0.0 => above / self.spread,
                _ if above > 0.0 => f64::INFINITY,
                _ => 0.0,
            },
        })
    }
}

/// ln(after / before); `None` below the floor on both sides or absent from one.
fn ratio(before: u64, after: u64) -> Option<f64> {
    (before.max(after) >= MIN_OWN_US && before > 0 && after > 0)
        .then(|| (after as f64 / before as f64).ln())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ten modules of each package, 100–1000 µs, each package's after × its factor.
    type Times = HashMap<String, u64>;

    fn sides(factors: &[(&str, f64)]) -> (Times, Times) {
        let (mut before, mut after) = (HashMap::new(), HashMap::new());
        for &(top, factor) in factors {
            for i in 0..10u64 {
                let t = 100 + i * 97;
                before.insert(format!("{top}.m{i}"), t);
                after.insert(format!("{top}.m{i}"), (t as f64 * factor).round() as u64);
            }
        }
        (before, after)
    }

    fn borrowed(t: &Times) -> HashMap<&str, u64> {
        t.iter().map(|(k, &v)| (k.as_str(), v)).collect()
    }

    fn placed(before: &Times, after: &Times) -> Shifts {
        Shifts::new(&borrowed(before), &borrowed(after))
    }

    const OTHERS: [(&str, f64); 6] = [
        ("a", 1.00),
        ("c", 1.02),
        ("d", 0.98),
        ("e", 1.03),
        ("f", 0.97),
        ("g", 1.01),
    ];

    #[test]
    fn a_slower_machine_moves_no_package() {
        let all: Vec<(&str, f64)> = OTHERS.iter().map(|&(t, f)| (t, f * 1.4)).collect();
        let (before, after) = sides(&all);
        let shifts = placed(&before, &after);
        for (top, _) in OTHERS {
            let s = shifts.package(top).unwrap();
            assert!(!s.shifted(), "{top}: {s:?}");
            assert!((s.machine_factor - 1.4).abs() < 0.01, "{s:?}");
            assert_eq!((s.modules, s.packages), (10, 6));
        }
    }

    #[test]
    fn a_package_slower_than_the_others_stands_out() {
        let mut all = OTHERS.to_vec();
        all.push(("b", 1.3));
        let (before, after) = sides(&all);
        let shifts = placed(&before, &after);
        let b = shifts.package("b").unwrap();
        assert!(b.shifted() && b.z > 8.0, "{b:?}");
        assert!((b.against_rest - 1.3 / 1.01).abs() < 0.01, "{b:?}");
        for (top, _) in OTHERS {
            assert!(!shifts.package(top).unwrap().shifted(), "{top}");
        }
        // Packages that agree exactly: any shift above them stands out, none below.
        let (before, after) = sides(&[("a", 1.0), ("c", 1.0), ("d", 1.0), ("e", 1.0), ("b", 1.2)]);
        let shifts = placed(&before, &after);
        assert_eq!(shifts.package("b").unwrap().z, f64::INFINITY);
        assert_eq!(shifts.package("a").unwrap().z, 0.0);
    }

    #[test]
    fn what_is_left_out() {
        let (mut before, mut after) = sides(&OTHERS);
        // Below the floor on both sides, or on one side only: no ratio.
        for (name, b, a) in [("h.tiny", 10, 40), ("h.new", 0, 500), ("h.x", 300, 330)] {
            before.insert(name.to_string(), b);
            after.insert(name.to_string(), a);
        }
        after.insert("h.only_after".to_string(), 900);
        let shifts = placed(&before, &after);
        assert_eq!(shifts.package("h"), None, "one module with a ratio");
        assert_eq!(shifts.package("absent"), None);
        // Too few packages to tell their spread.
        let (before, after) = sides(&OTHERS[..4]);
        assert_eq!(placed(&before, &after).package("a"), None);
    }
}
