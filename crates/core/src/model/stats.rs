//! Figures over runs: a module's median with its spread.

/// Median over the runs a module appears in, with the spread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spread {
    /// The median.
    pub median: u64,
    /// The smallest value.
    pub min: u64,
    /// The largest value.
    pub max: u64,
}

/// Runs whose totals spread wider than this share of their median disagree: said out loud.
pub const NOISY_SPREAD: f64 = 0.25;

impl Spread {
    /// (max − min) / median: how far apart the runs are, relative to the figure.
    pub fn relative(&self) -> f64 {
        if self.median == 0 {
            0.0
        } else {
            (self.max - self.min) as f64 / self.median as f64
        }
    }

    /// Median of an even count is the mean of the two middle samples, rounded half up.
    pub fn of(values: &mut [u64]) -> Spread {
        match *values {
            [] => return Spread::default(),
            // One run, the usual case: no sort.
            [v] => {
                return Spread {
                    median: v,
                    min: v,
                    max: v,
                };
            }
            _ => values.sort_unstable(),
        }
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            let (a, b) = (values[n / 2 - 1], values[n / 2]);
            a / 2 + b / 2 + (a % 2 + b % 2).div_ceil(2)
        };
        Spread {
            median,
            min: values[0],
            max: values[n - 1],
        }
    }
}

/// One-sided Mann–Whitney U test: the probability, were `before` and `after` drawn from one
/// distribution, that `after` would rank at least this far above `before`. Exact (every
/// arrangement of ranks counted) up to 400 pairs, the normal approximation with its tie
/// correction beyond; ties count half. Samples are runs: a handful a side, sometimes dozens.
pub fn rank_test_p(before: &[f64], after: &[f64]) -> f64 {
    let (n, m) = (before.len(), after.len());
    if n == 0 || m == 0 {
        return 1.0;
    }
    let ranks = Ranks::of(before, after);
    let pairs = n * m;
    if pairs > 400 {
        return ranks.normal_p(n, m);
    }
    exact_p(n, m, ranks.u2)
}

/// Both samples ranked together: `after`'s U (pairs where it is larger, ties half), doubled to
/// stay whole, and Σ(t³ − t) over groups of t tied values.
struct Ranks {
    u2: usize,
    ties: f64,
}

impl Ranks {
    /// One sort, not a comparison of every pair.
    fn of(before: &[f64], after: &[f64]) -> Ranks {
        let mut all: Vec<(f64, bool)> = (before.iter().map(|&v| (v, false)))
            .chain(after.iter().map(|&v| (v, true)))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Doubled rank sum of `after` (a tie group shares its mean rank), less m(m + 1).
        let (mut rank2_sum, mut ties, mut i) = (0usize, 0.0, 0);
        while i < all.len() {
            let j = i + all[i..]
                .iter()
                .take_while(|x| x.0.total_cmp(&all[i].0).is_eq())
                .count();
            let after_in_group = all[i..j].iter().filter(|x| x.1).count();
            rank2_sum += after_in_group * (i + 1 + j);
            let t = (j - i) as f64;
            ties += t * t * t - t;
            i = j;
        }
        let m = after.len();
        Ranks {
            u2: rank2_sum - m * (m + 1),
            ties,
        }
    }

    fn normal_p(&self, n: usize, m: usize) -> f64 {
        let (pairs, total) = ((n * m) as f64, (n + m) as f64);
        let mean = pairs / 2.0;
        let spread = (total + 1.0) - self.ties / (total * (total - 1.0));
        let sd = (pairs / 12.0 * spread).sqrt();
        if sd == 0.0 {
            return 1.0;
        }
        let z = (self.u2 as f64 / 2.0 - 0.5 - mean) / sd;
        0.5 * erfc(z / std::f64::consts::SQRT_2)
    }
}

/// The exact p of a doubled U with `n` and `m` values.
fn exact_p(n: usize, m: usize, u2: usize) -> f64 {
    let pairs = n * m;
    // f(i, j)[u]: arrangements of i `before` and j `after` values with U = u. The largest
    // value is an `after` one (above all i `before`: U grows by i) or a `before` one.
    let mut f = vec![vec![vec![0f64; pairs + 1]; m + 1]; n + 1];
    for i in 0..=n {
        for j in 0..=m {
            if i == 0 || j == 0 {
                f[i][j][0] = 1.0;
                continue;
            }
            for u in 0..=pairs {
                let top_after = if u >= i { f[i][j - 1][u - i] } else { 0.0 };
                f[i][j][u] = top_after + f[i - 1][j][u];
            }
        }
    }
    let ways = &f[n][m];
    let total: f64 = ways.iter().sum();
    let from = u2.div_ceil(2);
    ways[from..].iter().sum::<f64>() / total
}

/// The complementary error function (Numerical Recipes' erfcc, |error| < 1.2e-7).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// How much `a` exceeds `b` in paired runs (run k of each alternated): the median of the
/// differences, with a 95 % bootstrap interval of that median (seeded, so it is reproducible).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDifference {
    /// Median of the paired differences, µs.
    pub median_us: f64,
    /// Low end of the 95 % interval, µs.
    pub low_us: f64,
    /// High end of the 95 % interval, µs.
    pub high_us: f64,
    /// How many pairs.
    pub pairs: usize,
}

const RESAMPLES: usize = 2000;

impl PairedDifference {
    /// None without pairs.
    pub fn of(a: &[u64], b: &[u64]) -> Option<PairedDifference> {
        let diffs: Vec<f64> = a
            .iter()
            .zip(b)
            .map(|(&x, &y)| x as f64 - y as f64)
            .collect();
        if diffs.is_empty() {
            return None;
        }
        let mut rng = super::rng::Rng::new(0x5EED ^ diffs.len() as u64);
        let mut sample = vec![0.0; diffs.len()];
        let mut medians: Vec<f64> = (0..RESAMPLES)
            .map(|_| {
                for s in sample.iter_mut() {
                    *s = diffs[rng.below(diffs.len() as u64) as usize];
                }
                median(&mut sample)
            })
            .collect();
        medians.sort_by(f64::total_cmp);
        Some(PairedDifference {
            median_us: median(&mut diffs.clone()),
            low_us: medians[RESAMPLES * 25 / 1000],
            high_us: medians[RESAMPLES * 975 / 1000 - 1],
            pairs: diffs.len(),
        })
    }

    /// The interval holds 0: no difference shows above the noise.
    pub fn within_noise(&self) -> bool {
        self.low_us <= 0.0 && self.high_us >= 0.0
    }

    /// Whether `us` lies in the interval.
    pub fn contains(&self, us: f64) -> bool {
        self.low_us <= us && us <= self.high_us
    }
}

/// Median of figures (even counts: the mean of the middle two; none: 0).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => values[n / 2],
        _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_test_counts_every_arrangement() {
        // Five after-runs all above five before-runs: 1 arrangement in C(10, 5) = 252.
        let before = [10.0, 11.0, 12.0, 13.0, 14.0];
        let after = [20.0, 21.0, 22.0, 23.0, 24.0];
        assert!((rank_test_p(&before, &after) - 1.0 / 252.0).abs() < 1e-12);
        // The other way round: certain.
        assert!((rank_test_p(&after, &before) - 1.0).abs() < 1e-12);
        // Interleaved: no evidence.
        let p = rank_test_p(&[1.0, 3.0, 5.0], &[2.0, 4.0, 6.0]);
        assert!(p > 0.2 && p < 0.5, "{p}");
        // Two against three, fully apart: 1 in C(5, 2) = 10.
        assert!((rank_test_p(&[1.0, 2.0], &[3.0, 4.0, 5.0]) - 0.1).abs() < 1e-12);
        // Large samples take the normal approximation, and agree in direction.
        let low: Vec<f64> = (0..30).map(f64::from).collect();
        let high: Vec<f64> = (20..50).map(f64::from).collect();
        assert!(rank_test_p(&low, &high) < 1e-6);
        assert_eq!(rank_test_p(&[], &[1.0]), 1.0);
    }

    #[test]
    fn paired_difference_and_its_interval() {
        assert_eq!(PairedDifference::of(&[], &[]), None);
        let d = PairedDifference::of(&[110, 120, 105, 130, 115], &[10, 20, 5, 30, 15]).unwrap();
        assert_eq!((d.median_us, d.low_us, d.high_us), (100.0, 100.0, 100.0));
        assert!(!d.within_noise());
        let noisy =
            PairedDifference::of(&[100, 90, 130, 80, 120, 95], &[95, 100, 110, 90, 100, 105])
                .unwrap();
        assert!(noisy.low_us < 0.0 && noisy.high_us > 0.0, "{noisy:?}");
        assert!(noisy.within_noise());
        assert!(noisy.low_us <= noisy.median_us && noisy.median_us <= noisy.high_us);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(Spread::of(&mut [5, 1, 3]).median, 3);
        assert_eq!(Spread::of(&mut [4, 1, 3, 10]).median, 4); // (3+4)/2 = 3.5 → 4
        assert_eq!(Spread::of(&mut [2, 4]).median, 3);
        assert_eq!(Spread::of(&mut [u64::MAX, u64::MAX]).median, u64::MAX);
        let s = Spread::of(&mut [9, 2, 7, 7]);
        assert_eq!((s.min, s.median, s.max), (2, 7, 9));
    }
}
