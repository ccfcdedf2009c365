//! How figures are printed everywhere (reports and the explorer), so they always agree.

/// Microseconds as milliseconds with one decimal, rounded half up (`1250` → `1.3`).
pub fn ms(us: u64) -> String {
    let tenths = us / 100 + u64::from(us % 100 >= 50);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A duration in the unit that reads best: `286.8 ms` below 10 s, then `301.8 s`, then
/// `12.5 min` (exact figures stay in reports and JSON).
pub fn duration(us: u64) -> String {
    if us < 10_000_000 {
        format!("{} ms", ms(us))
    } else if us < 600_000_000 {
        format!("{:.1} s", us as f64 / 1e6)
    } else {
        format!("{:.1} min", us as f64 / 6e7)
    }
}

/// A share in percent with one decimal.
pub fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0".into();
    }
    let tenths = (part as u128 * 1000 + whole as u128 / 2) / whole as u128;
    format!("{}.{}", tenths / 10, tenths % 10)
}

pub use lmms_core::whatif::params::number;

/// ms with one decimal and a sign.
pub fn signed_ms(us: f64) -> String {
    let sign = if us < 0.0 { "−" } else { "+" };
    format!("{sign}{}", ms(us.abs().round() as u64))
}

/// Change in percent with a sign, one decimal.
pub fn signed_percent(from: f64, to: f64) -> String {
    if from == 0.0 {
        return "—".into();
    }
    let pct = (to - from) / from * 100.0;
    let sign = if pct < 0.0 { "−" } else { "+" };
    format!("{sign}{:.1}%", pct.abs())
}

pub fn seconds(s: f64) -> String {
    format!("{s:.1}")
}

/// A duration a day in the unit that reads best: `42.0 s`, `12.5 min`, `3.2 h` (the exact
/// seconds are in JSON).
pub fn per_day(s: f64) -> String {
    if s >= 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else if s >= 600.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{s:.1} s")
    }
}

/// A count with its noun, plural when it is not one: `1 run`, `5 runs`.
pub fn count(n: impl std::fmt::Display, what: &str) -> String {
    let n = n.to_string();
    let s = if n == "1" { "" } else { "s" };
    format!("{n} {what}{s}")
}

/// The first `shown` names joined by commas, and how many more there are:
/// `a, b and 3 more` — a list of any length stays one short line.
pub fn first_names(names: &[impl AsRef<str>], shown: usize) -> String {
    let listed: Vec<&str> = names.iter().take(shown).map(AsRef::as_ref).collect();
    match names.len().saturating_sub(shown) {
        0 => listed.join(", "),
        more => format!("{} and {more} more", listed.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names_count_the_rest() {
        assert_eq!(first_names(&["a", "b"], 3), "a, b");
        assert_eq!(first_names(&["a", "b", "c", "d"], 2), "a, b and 2 more");
        let none: [&str; 0] = [];
        assert_eq!(first_names(&none, 2), "");
    }

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
    fn durations_scale() {
        assert_eq!(duration(286_800), "286.8 ms");
        assert_eq!(duration(301_786_000), "301.8 s");
        assert_eq!(duration(900_000_000), "15.0 min");
    }

    #[test]
    fn durations_a_day_scale() {
        assert_eq!(per_day(42.04), "42.0 s");
        assert_eq!(per_day(750.0), "12.5 min");
        assert_eq!(per_day(53_036_000.0), "14732.2 h");
    }

    #[test]
    fn percents() {
        assert_eq!(percent(1, 3), "33.3");
        assert_eq!(percent(2, 3), "66.7");
        assert_eq!(percent(5, 5), "100.0");
        assert_eq!(percent(5, 0), "0.0");
    }
}
