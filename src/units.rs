//! How figures are printed everywhere (reports and the explorer), so they always agree.

/// Microseconds as milliseconds with one decimal, rounded half up (`1250` → `1.3`).
pub fn ms(us: u64) -> String {
    let tenths = us / 100 + u64::from(us % 100 >= 50);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A share in percent with one decimal.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0".into();
    }
    let tenths = (part as u128 * 1000 + whole as u128 / 2) / whole as u128;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A parameter or usage as people write it: up to two decimals, no trailing zeros
/// (`100`, `92.5`, `33.33`).
pub fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn milliseconds_round_half_up() {
        assert_eq!(ms(0), "0.0");
        assert_eq!(ms(49), "0.0");
        assert_eq!(ms(50), "0.1");
        assert_eq!(ms(1250), "1.3");
        assert_eq!(ms(389_696), "389.7");
        assert_eq!(ms(1_200_000), "1200.0");
    }

    #[test]
    fn numbers_drop_trailing_zeros() {
        assert_eq!(number(100.0), "100");
        assert_eq!(number(92.5), "92.5");
        assert_eq!(number(100.0 / 3.0), "33.33");
        assert_eq!(number(0.0), "0");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(5, 5), "100.0");
        assert_eq!(percent(5, 0), "0.0");
    }
}
