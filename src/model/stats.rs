//! Figures over runs: a module's median with its spread.

/// Median over the runs a module appears in, with the spread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Spread {
    pub median: u64,
    pub min: u64,
    pub max: u64,
}

impl Spread {
    /// Median of an even count is the mean of the two middle samples, rounded half up.
    pub fn of(values: &mut [u64]) -> Spread {
        if values.is_empty() {
            return Spread::default();
        }
        values.sort_unstable();
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

/// How much `a` exceeds `b` in paired runs (run k of each alternated): the median of the
/// differences, with a 95 % bootstrap interval of that median (seeded, so it is reproducible).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairedDifference {
    pub median_us: f64,
    pub low_us: f64,
    pub high_us: f64,
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

    pub fn contains(&self, us: f64) -> bool {
        self.low_us <= us && us <= self.high_us
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
