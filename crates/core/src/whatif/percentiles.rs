//! Percentiles of per-request import latency over every request of every process: exact
//! when lazy closures are disjoint, else a seeded Monte-Carlo over processes.

use crate::model::rng::Rng;

/// Simulated processes for the Monte-Carlo (fixed seed: same inputs, same figures).
pub const MC_PROCESSES: usize = 20_000;
/// Random draws (processes × modules used at random × runs) a projection may spend: a plan
/// of tens of thousands of such modules simulates fewer processes, and says how many.
const MC_WORK: usize = 50_000_000;
/// The fewest processes simulated, however large the plan.
const MC_MIN_PROCESSES: usize = 200;

/// Processes to simulate for lazy modules of these `usage` odds over `runs` runs: only the
/// modules used at random cost draws.
pub fn mc_processes(usage: &[f64], runs: usize) -> usize {
    let random = usage.iter().filter(|&&u| drawn(u)).count();
    (MC_WORK / random.saturating_mul(runs).max(1)).clamp(MC_MIN_PROCESSES, MC_PROCESSES)
}

/// Whether a module of usage `u` is drawn per process: used by some requests, not by all.
fn drawn(u: f64) -> bool {
    u > 0.0 && u < 1.0
}
const MC_SEED: u64 = 0x1a2b_3c4d_5e6f_7081;

/// Per-request import latency over all requests.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percentiles {
    /// Median, µs.
    pub p50_us: f64,
    /// 95th percentile, µs.
    pub p95_us: f64,
    /// 99th percentile, µs.
    pub p99_us: f64,
}

/// Request positions in a process: 1..=count, the last one partial when N is fractional.
pub(super) struct Positions {
    pub(super) count: usize,
    last_weight: f64,
    total: f64,
}

impl Positions {
    pub(super) fn new(n: f64) -> Positions {
        let count = n.ceil().max(1.0) as usize;
        let last_weight = n - (count - 1) as f64;
        Positions {
            count,
            last_weight,
            total: n,
        }
    }

    pub(super) fn weight(&self, k: usize) -> f64 {
        if k == self.count {
            self.last_weight
        } else {
            1.0
        }
    }
}

/// Percentiles of (latency, weight) samples.
pub(super) fn percentiles_of(mut samples: Vec<(f64, f64)>) -> Percentiles {
    percentiles(&mut samples)
}

/// Smallest value whose cumulative weight reaches each share.
fn percentiles(samples: &mut [(f64, f64)]) -> Percentiles {
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = samples.iter().map(|s| s.1).sum();
    let at = |p: f64| {
        let target = p * total;
        let mut acc = 0.0;
        for &(v, w) in samples.iter() {
            acc += w;
            // A relative epsilon keeps 0.95 from missing 0.95 by a rounding error.
            if acc >= target * (1.0 - 1e-12) {
                return v;
            }
        }
        samples.last().map_or(0.0, |s| s.0)
    };
    Percentiles {
        p50_us: at(0.50),
        p95_us: at(0.95),
        p99_us: at(0.99),
    }
}

/// Disjoint closures: each request position's latency is a constant plus independent
/// Bernoulli costs; enumerate the distribution exactly and mix positions.
pub(super) fn exact(
    positions: &Positions,
    usage: &[f64],
    costs: &[f64],
    first: f64,
    base: f64,
) -> Percentiles {
    let mut samples: Vec<(f64, f64)> = Vec::new();
    let mut dist: Vec<(f64, f64)> = Vec::new();
    for k in 1..=positions.count {
        dist.clear();
        dist.push((if k == 1 { first } else { base }, positions.weight(k)));
        for (i, &u) in usage.iter().enumerate() {
            let q = u * (1.0 - u).powi(k as i32 - 1);
            if q <= 0.0 {
                continue;
            }
            let n = dist.len();
            for j in 0..n {
                let (v, w) = dist[j];
                dist[j].1 = w * (1.0 - q);
                dist.push((v + costs[i], w * q));
            }
        }
        samples.extend_from_slice(&dist);
    }
    percentiles(&mut samples)
}

/// Overlapping closures: simulate `processes` processes. Each lazy module's first use is
/// geometric; at that request it loads whatever of its closure is not loaded yet. Modules
/// every request uses load at the first request of every process: summed once, not drawn.
pub(super) fn monte_carlo(
    processes: usize,
    positions: &Positions,
    usage: &[f64],
    atoms: &[(Vec<u32>, f64)],
    first: f64,
    base: f64,
) -> Percentiles {
    let mut rng = Rng::new(MC_SEED);
    let mut owned: Vec<Vec<usize>> = vec![Vec::new(); usage.len()];
    for (a, (owners, _)) in atoms.iter().enumerate() {
        for &k in owners {
            owned[k as usize].push(a);
        }
    }
    let (always, always_cost) = always_loaded(usage, &owned, atoms);
    let random: Vec<usize> = (0..usage.len()).filter(|&k| drawn(usage[k])).collect();
    let mut samples: Vec<(f64, f64)> = Vec::new();
    let mut loaded = vec![usize::MAX; atoms.len()];
    let mut events: Vec<(usize, usize)> = Vec::new();
    for process in 0..processes {
        events.clear();
        for &k in &random {
            let x = rng.unit().max(f64::MIN_POSITIVE);
            let first_use = (x.ln() / (1.0 - usage[k]).ln()).floor() as usize + 1;
            if first_use <= positions.count {
                events.push((first_use, k));
            }
        }
        events.sort_unstable();
        let mut event_weight = 0.0;
        let mut saw_first = false;
        let mut i = 0;
        while i < events.len() {
            let k_pos = events[i].0;
            let mut cost = if k_pos == 1 {
                first + always_cost
            } else {
                base
            };
            while i < events.len() && events[i].0 == k_pos {
                for &a in &owned[events[i].1] {
                    if !always[a] && loaded[a] != process {
                        loaded[a] = process;
                        cost += atoms[a].1;
                    }
                }
                i += 1;
            }
            saw_first |= k_pos == 1;
            event_weight += positions.weight(k_pos);
            samples.push((cost, positions.weight(k_pos)));
        }
        if !saw_first {
            samples.push((first + always_cost, positions.weight(1)));
            event_weight += positions.weight(1);
        }
        samples.push((base, positions.total - event_weight));
        // Merge the bulk of quiet requests as we go to keep the sample list small.
        if samples.len() > 1 << 16 {
            compact(&mut samples);
        }
    }
    percentiles(&mut samples)
}

/// The atoms the modules used by every request load (at every process's first request), and
/// their cost.
fn always_loaded(
    usage: &[f64],
    owned: &[Vec<usize>],
    atoms: &[(Vec<u32>, f64)],
) -> (Vec<bool>, f64) {
    let mut always = vec![false; atoms.len()];
    let mut cost = 0.0;
    for (k, atoms_of) in owned.iter().enumerate() {
        if usage[k] >= 1.0 {
            for &a in atoms_of {
                if !std::mem::replace(&mut always[a], true) {
                    cost += atoms[a].1;
                }
            }
        }
    }
    (always, cost)
}

fn compact(samples: &mut Vec<(f64, f64)>) {
    samples.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(samples.len());
    for &(v, w) in samples.iter() {
        match out.last_mut() {
            Some(last) if last.0 == v => last.1 += w,
            _ => out.push((v, w)),
        }
    }
    *samples = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Modules every request uses are summed once, not drawn: with only such modules the
    /// simulation is the exact answer; and a large plan simulates fewer processes, never
    /// fewer than the floor.
    #[test]
    fn always_used_modules_are_exact_and_large_plans_simulate_fewer_processes() {
        let positions = Positions::new(10.0);
        let usage = [1.0, 1.0];
        let atoms = vec![(vec![0], 300.0), (vec![0, 1], 200.0), (vec![1], 100.0)];
        let simulated = monte_carlo(500, &positions, &usage, &atoms, 50.0, 5.0);
        let exact = exact(&positions, &usage, &[500.0, 100.0], 50.0, 5.0);
        assert_eq!(simulated, exact);
        assert_eq!(mc_processes(&[0.5; 10], 5), MC_PROCESSES);
        assert_eq!(mc_processes(&vec![1.0; 50_000], 1), MC_PROCESSES);
        assert!(mc_processes(&vec![0.5; 50_000], 1) < MC_PROCESSES);
        assert_eq!(
            mc_processes(&vec![0.5; 1_000_000], 10_000),
            MC_MIN_PROCESSES
        );
    }
}
