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

#[cfg(test)]
mod tests {
    use super::*;

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
