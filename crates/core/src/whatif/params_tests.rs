//! The parameters' table: text round trips, validation, bounds and number formatting.

use super::*;

fn find(key: &str) -> Option<&'static Param> {
    PARAMS.iter().find(|p| p.key == key)
}

#[test]
fn every_parameter_round_trips_through_its_text() {
    let (p, t) = (Params::default(), Thresholds::default());
    for param in &PARAMS {
        let text = param.text(&p, &t);
        let value = param.parse(&text).unwrap();
        assert_eq!(value, param.get(&p, &t), "{}", param.key);
    }
    assert_eq!(
        summary(&p),
        "10000 requests/day, 10% cold starts (10 requests a process), base latency 0 ms, init CPU factor 1"
    );
}

#[test]
fn params_are_validated() {
    let ok = Params::default();
    let t = Thresholds::default();
    assert!(validate(&ok, &t).is_ok());
    assert_eq!(ok.requests_per_process(), 10.0);
    for bad in [
        Params {
            cold_start_rate_pct: 0.0,
            ..ok
        },
        Params {
            cold_start_rate_pct: 101.0,
            ..ok
        },
        Params {
            requests_per_day: -1.0,
            ..ok
        },
        Params {
            init_cpu_factor: 0.0,
            ..ok
        },
        Params {
            base_latency_ms: f64::NAN,
            ..ok
        },
    ] {
        assert!(validate(&bad, &t).is_err(), "{bad:?}");
    }
}

#[test]
fn every_number_has_finite_bounds_and_the_edges_hold() {
    for p in &PARAMS {
        if p.kind == Kind::Switch {
            continue;
        }
        let Bound::Inclusive(max) = p.max else {
            panic!("{} has no finite upper bound", p.key);
        };
        assert!(p.check(Value::Number(max)).is_ok(), "{}", p.key);
        assert!(
            p.check(Value::Number(max * 1.01 + 1.0)).is_err(),
            "{}",
            p.key
        );
        let min = match p.min {
            Bound::Inclusive(m) => {
                assert!(p.check(Value::Number(m)).is_ok(), "{}", p.key);
                m
            }
            Bound::Exclusive(m) => m,
            Bound::None => panic!("{} has no lower bound", p.key),
        };
        assert!(p.check(Value::Number(min - 1e-9)).is_err(), "{}", p.key);
    }
}

#[test]
fn numbers_drop_trailing_zeros() {
    assert_eq!(number(1e-4), "1e-4");
    assert_eq!(number(1e300), "1e300");
    assert_eq!(number(100.0), "100");
    assert_eq!(number(92.5), "92.5");
    assert_eq!(number(100.0 / 3.0), "33.33");
    assert_eq!(number(0.0), "0");
}

#[test]
fn bounds_are_checked_with_the_range_in_words() {
    let rate = find("cold-start-rate").unwrap();
    assert_eq!(
        rate.parse("0").unwrap_err(),
        "cold-start rate must be ≥ 0.0001 and at most 100 %, not 0"
    );
    assert!(rate.parse("101").is_err());
    assert!(rate.parse("100").is_ok());
    assert!(rate.parse("NaN").is_err());
    assert_eq!(rate.parse("5%").unwrap(), Value::Number(5.0));
    let budget = find("budget-ms").unwrap();
    assert_eq!(budget.parse(" ").unwrap(), Value::Optional(None));
    assert!(budget.parse("-1").is_err());
    assert!(find("init-cpu-factor").unwrap().parse("0").is_err());
    assert!(find("requests-per-day").unwrap().parse("-1").is_err());
    assert!(find("hot-path-usage").unwrap().parse("100.5").is_err());
    let bad = Params {
        base_latency_ms: f64::NAN,
        ..Params::default()
    };
    assert!(validate(&bad, &Thresholds::default()).is_err());
    let keys: std::collections::HashSet<&str> = PARAMS.iter().map(|p| p.key).collect();
    assert_eq!(keys.len(), PARAMS.len(), "keys are unique");
}
