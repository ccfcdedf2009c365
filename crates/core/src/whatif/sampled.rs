//! Measured usage: the requests replayed in the recorded program (`record --handler`) stand
//! in for real traffic. A request needs a deferred module when its code ran any module the
//! deferral drops from start-up (design §4, "What a request needs"); requests of a process
//! are drawn from the replayed ones, so usages that go together (pandas with numpy) are
//! modelled together, never as independent.

use std::collections::HashMap;

use super::percentiles::{Percentiles, Positions, percentiles_of};
use crate::model::csr::Csr;
use crate::model::requests::Requests;
use crate::model::rng::Rng;
use crate::model::{ImportGraph, ModuleId};

/// Past this many states (distinct sets of deferred modules used so far) the exact walk over
/// request positions gives way to a seeded simulation.
const EXACT_STATES: usize = 4096;
/// Past this many (request positions × patterns) the exact walk is not tried.
const EXACT_POSITIONS: usize = 1 << 16;
/// Processes simulated when the exact walk would be too large.
const PROCESSES: usize = 20_000;
const SEED: u64 = 0x5a3c_96e1_0f4b_d287;

/// The replayed requests resolved against the graph: each distinct set of modules that ran,
/// and how many requests ran it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Samples {
    sets: Vec<Vec<ModuleId>>,
    count: Vec<u32>,
    /// Requests in all.
    pub n: usize,
}

impl Samples {
    /// From the trace's requests, names the graph does not hold left out (the plan can only
    /// drop the trace's modules); `None` without requests.
    pub fn of(graph: &ImportGraph) -> Option<Samples> {
        let requests: &Requests = graph.meta().requests.as_ref()?;
        if requests.requests.is_empty() {
            return None;
        }
        let sets = (requests.sets.iter())
            .map(|names| names.iter().filter_map(|n| graph.find(n)).collect())
            .collect();
        let mut count = vec![0u32; requests.sets.len()];
        for r in &requests.requests {
            count[r.set as usize] += 1;
        }
        Some(Samples {
            sets,
            count,
            n: requests.requests.len(),
        })
    }

    /// For each module, how many requests ran code of a module it dominates (itself
    /// included): what deferring every import of it alone would make them need.
    pub fn needing_each(
        &self,
        graph: &ImportGraph,
        idom: impl Fn(ModuleId) -> Option<ModuleId>,
    ) -> Vec<u32> {
        let mut needed = vec![0u32; graph.len()];
        // The set that last counted each module: a chain is walked up to where it met one.
        let mut seen = vec![u32::MAX; graph.len()];
        for (s, (set, &c)) in self.sets.iter().zip(&self.count).enumerate() {
            for &m in set {
                let mut at = Some(m);
                while let Some(x) = at {
                    if seen[x.index()] == s as u32 {
                        break;
                    }
                    seen[x.index()] = s as u32;
                    needed[x.index()] += c;
                    at = idom(x);
                }
            }
        }
        needed
    }

    /// The share of requests whose uses (from `uses`) hold deferred module `k`, and those
    /// requests' sets.
    pub(super) fn share_using(&self, uses: &[Vec<u32>], k: u32) -> (Share, Vec<u32>) {
        let sets: Vec<u32> = (0..uses.len() as u32)
            .filter(|&s| uses[s as usize].binary_search(&k).is_ok())
            .collect();
        let needed = sets.iter().map(|&s| self.count[s as usize] as usize).sum();
        (Share::new(needed, self.n), sets)
    }

    /// The sets holding a module some module of theirs hits.
    pub fn sets_hitting(&self, hit: impl Fn(ModuleId) -> bool) -> Vec<u32> {
        (0..self.sets.len() as u32)
            .filter(|&s| self.sets[s as usize].iter().any(|&m| hit(m)))
            .collect()
    }

    /// For each distinct set, the deferred modules (indices) whose closure it ran code of:
    /// `slot` finds a module's place (+1) in the closures, `owners` that place's owners.
    pub(super) fn uses(&self, slot: &[u32], owners: &Csr<u32>) -> Vec<Vec<u32>> {
        (self.sets.iter())
            .map(|set| {
                let mut used: Vec<u32> = (set.iter())
                    .filter(|m| slot[m.index()] != 0)
                    .flat_map(|m| owners.row(slot[m.index()] as usize - 1).iter().copied())
                    .collect();
                used.sort_unstable();
                used.dedup();
                used
            })
            .collect()
    }
}

/// A measured share: `needed` of `of` requests, with its 95 % Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    /// Requests that needed it.
    pub needed: usize,
    /// Requests replayed.
    pub of: usize,
    /// The interval's lower end, as a fraction.
    pub low: f64,
    /// The interval's upper end, as a fraction.
    pub high: f64,
}

impl Share {
    /// `needed` of `of`, with its interval.
    pub fn new(needed: usize, of: usize) -> Share {
        let (low, high) = wilson(needed, of);
        Share {
            needed,
            of,
            low,
            high,
        }
    }

    /// As a fraction.
    pub fn fraction(&self) -> f64 {
        self.needed as f64 / self.of.max(1) as f64
    }
}

/// The 95 % Wilson score interval of `k` successes in `n` trials.
pub fn wilson(k: usize, n: usize) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    const Z: f64 = 1.959_963_984_540_054;
    let (n, p) = (n as f64, k as f64 / n as f64);
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// What one request uses, as a distribution: each pattern the deferred modules (indices,
/// sorted) it uses, with its probability.
#[derive(Debug, Clone, PartialEq)]
pub struct Patterns(pub(super) Vec<(Vec<u32>, f64)>);

impl Patterns {
    /// The replayed requests' uses of the `measured` deferred modules, and `set` usages
    /// (index, fraction) drawn independently of them.
    pub(super) fn new(
        uses: &[Vec<u32>],
        samples: &Samples,
        measured: &[bool],
        set: &[(u32, f64)],
    ) -> Patterns {
        let mut by_use: HashMap<Vec<u32>, f64> = HashMap::new();
        for (used, &c) in uses.iter().zip(&samples.count) {
            let kept: Vec<u32> = (used.iter().copied())
                .filter(|&k| measured[k as usize])
                .collect();
            *by_use.entry(kept).or_default() += c as f64 / samples.n as f64;
        }
        let mut patterns: Vec<(Vec<u32>, f64)> = by_use.into_iter().collect();
        for &(k, u) in set.iter().filter(|(_, u)| *u > 0.0) {
            patterns = (patterns.into_iter())
                .flat_map(|(p, w)| {
                    let mut with = p.clone();
                    with.push(k);
                    with.sort_unstable();
                    [(with, w * u), (p, w * (1.0 - u))]
                })
                .filter(|(_, w)| *w > 0.0)
                .collect();
        }
        patterns.sort_by(|a, b| a.0.cmp(&b.0));
        Patterns(patterns)
    }

    /// The chance a request uses none of `owners`.
    pub(super) fn none_of(&self, owners: &[u32]) -> f64 {
        (self.0.iter())
            .filter(|(p, _)| !p.iter().any(|k| owners.contains(k)))
            .map(|(_, w)| w)
            .sum()
    }
}

/// Per-request import latency when requests are drawn from `patterns`: request k of a process
/// pays `first` (k = 1) or `base`, plus every atom (owners, cost) its pattern reaches that no
/// earlier request of the process loaded. Exact over the states the process can be in while
/// they stay few, else a seeded simulation; whether it was exact.
pub(super) fn percentiles(
    positions: &Positions,
    patterns: &Patterns,
    atoms: &[(Vec<u32>, f64)],
    first: f64,
    base: f64,
) -> (Percentiles, bool) {
    let small = positions.count.saturating_mul(patterns.0.len()) <= EXACT_POSITIONS;
    match small
        .then(|| exact(positions, patterns, atoms, first, base))
        .flatten()
    {
        Some(samples) => (percentiles_of(samples), true),
        None => (simulated(positions, patterns, atoms, first, base), false),
    }
}

/// What loading `used` costs after `loaded` (both sorted): the atoms it reaches first.
fn new_cost(atoms: &[(Vec<u32>, f64)], loaded: &[u32], used: &[u32]) -> f64 {
    (atoms.iter())
        .filter(|(owners, _)| {
            owners.iter().any(|k| used.binary_search(k).is_ok())
                && !owners.iter().any(|k| loaded.binary_search(k).is_ok())
        })
        .map(|(_, c)| c)
        .sum()
}

fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut u: Vec<u32> = a.iter().chain(b).copied().collect();
    u.sort_unstable();
    u.dedup();
    u
}

/// Every (latency, weight) over request positions, by the states' probabilities; `None` when
/// the states grow past `EXACT_STATES`.
fn exact(
    positions: &Positions,
    patterns: &Patterns,
    atoms: &[(Vec<u32>, f64)],
    first: f64,
    base: f64,
) -> Option<Vec<(f64, f64)>> {
    let mut states: HashMap<Vec<u32>, f64> = HashMap::from([(Vec::new(), 1.0)]);
    let mut samples = Vec::new();
    for k in 1..=positions.count {
        let start = if k == 1 { first } else { base };
        let mut next: HashMap<Vec<u32>, f64> = HashMap::new();
        for (loaded, p) in &states {
            for (used, w) in &patterns.0 {
                let cost = new_cost(atoms, loaded, used);
                samples.push((start + cost, p * w * positions.weight(k)));
                *next.entry(union(loaded, used)).or_default() += p * w;
            }
        }
        if next.len() > EXACT_STATES {
            return None;
        }
        states = next;
    }
    Some(samples)
}

/// A seeded simulation of `PROCESSES` processes. Only requests that load something matter, so
/// a process skips ahead to the next one: with the modules loaded so far, a request loads more
/// with chance q (the weight of the patterns not yet covered), so the wait is geometric, and
/// which pattern it is goes by weight among those. The requests skipped pay `base` (`first`
/// at a process's first). A process holds at most as many events as there are patterns, so
/// a million requests a process costs no more than ten.
fn simulated(
    positions: &Positions,
    patterns: &Patterns,
    atoms: &[(Vec<u32>, f64)],
    first: f64,
    base: f64,
) -> Percentiles {
    let mut rng = Rng::new(SEED);
    let mut samples = Vec::new();
    let count = positions.count;
    for _ in 0..PROCESSES {
        let mut loaded: Vec<u32> = Vec::new();
        let mut k = 1;
        while k <= count {
            let new: Vec<&(Vec<u32>, f64)> = (patterns.0.iter())
                .filter(|(p, w)| *w > 0.0 && !p.iter().all(|m| loaded.binary_search(m).is_ok()))
                .collect();
            let q: f64 = new.iter().map(|(_, w)| w).sum();
            // The request that loads next: `gap` requests on (1 = this one).
            let gap = match q {
                q if q <= 0.0 => usize::MAX,
                q if q >= 1.0 => 1,
                q => {
                    let x = rng.unit().max(f64::MIN_POSITIVE);
                    ((x.ln() / (1.0 - q).ln()).floor() as usize).saturating_add(1)
                }
            };
            let at = k.saturating_add(gap - 1);
            quiet(
                &mut samples,
                positions,
                k,
                at.min(count + 1) - 1,
                first,
                base,
            );
            if at > count {
                break;
            }
            let used = pick(&new, q, &mut rng);
            let cost = new_cost(atoms, &loaded, used);
            samples.push((
                if at == 1 { first } else { base } + cost,
                positions.weight(at),
            ));
            loaded = union(&loaded, used);
            k = at + 1;
        }
    }
    percentiles_of(samples)
}

/// Requests `from..=to` loading nothing: the first pays `first`, the rest `base`, summed into
/// one weighted sample.
fn quiet(
    samples: &mut Vec<(f64, f64)>,
    p: &Positions,
    from: usize,
    to: usize,
    first: f64,
    base: f64,
) {
    if from > to {
        return;
    }
    let mut from = from;
    if from == 1 {
        samples.push((first, p.weight(1)));
        from = 2;
    }
    if from <= to {
        let last = if to == p.count { p.weight(to) } else { 1.0 };
        samples.push((base, (to - from) as f64 + last));
    }
}

/// One of `new` by weight (their weights sum to `q`).
fn pick<'p>(new: &[&'p (Vec<u32>, f64)], q: f64, rng: &mut Rng) -> &'p [u32] {
    let mut x = rng.unit() * q;
    for (p, w) in new {
        if x < *w {
            return p;
        }
        x -= w;
    }
    &new[new.len() - 1].0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The skipping simulation agrees with the exact walk where both run: three patterns, two
    /// sharing an atom, four requests a process.
    #[test]
    fn the_simulation_agrees_with_the_exact_walk() {
        let positions = Positions::new(4.0);
        let patterns = Patterns(vec![
            (vec![], 0.6),
            (vec![0], 0.25),
            (vec![0, 1], 0.1),
            (vec![2], 0.05),
        ]);
        let atoms = vec![
            (vec![0], 300.0),
            (vec![0, 1], 40.0),
            (vec![1], 200.0),
            (vec![2], 70.0),
        ];
        let exact = percentiles_of(exact(&positions, &patterns, &atoms, 50.0, 5.0).unwrap());
        let simulated = simulated(&positions, &patterns, &atoms, 50.0, 5.0);
        assert_eq!(exact, simulated);
    }

    #[test]
    fn wilson_matches_its_formula_at_known_points() {
        // 10 of 100: 5.52 %–17.44 % (the textbook values).
        let (lo, hi) = wilson(10, 100);
        assert!(
            (lo - 0.0552).abs() < 1e-4 && (hi - 0.1744).abs() < 1e-4,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 50);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.0714).abs() < 1e-4, "{hi}");
    }

    /// Two deferred modules always used together cost, at a process's first use, both at
    /// once; independent draws of the same usages would split them. One request per process:
    /// P99 is the first request's pay for both.
    #[test]
    fn modules_used_together_are_paid_together() {
        let positions = Positions::new(1.0);
        let patterns = Patterns(vec![(vec![], 0.9), (vec![0, 1], 0.1)]);
        let atoms = vec![(vec![0], 300.0), (vec![1], 200.0)];
        let (p, exact) = percentiles(&positions, &patterns, &atoms, 50.0, 5.0);
        assert!(exact);
        assert_eq!((p.p50_us, p.p95_us, p.p99_us), (50.0, 550.0, 550.0));
        assert_eq!(patterns.none_of(&[0]), 0.9);
        // Ten requests a process: the first use pays, later ones nothing again.
        let positions = Positions::new(10.0);
        let (p, _) = percentiles(&positions, &patterns, &atoms, 50.0, 5.0);
        // P(request k pays) = 0.1 · 0.9^(k−1); over 10 positions that is 1 − 0.9^10 = 65 % of
        // one request in ten: 6.5 % of requests pay 505 µs (base + both), so P95 pays.
        assert_eq!(p.p95_us, 505.0);
        let simulated = simulated(&positions, &patterns, &atoms, 50.0, 5.0);
        assert_eq!(simulated.p95_us, 505.0);
        // A million requests a process: the simulation skips to the few that load, and the
        // exact walk is not tried. P99 of a warm request is base latency.
        let positions = Positions::new(1_000_000.0);
        let (p, exact) = percentiles(&positions, &patterns, &atoms, 50.0, 5.0);
        assert!(!exact);
        assert_eq!((p.p50_us, p.p99_us), (5.0, 5.0));
    }
}
