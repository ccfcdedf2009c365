//! The what-if parameters, in one table. Each entry says everything about one parameter — its
//! key (the CLI flag), name, unit, bounds, help and how it reads in a summary — and the CLI
//! flags, the explorer's parameter panel, validation and the reports' parameter line are all
//! generated from it. Adding a parameter: a field below and an entry in `PARAMS`.

use serde::{Deserialize, Serialize};

/// Traffic and runtime parameters (the plan file's `params` object).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    /// Requests a day (R).
    pub requests_per_day: f64,
    /// Share of requests that start a new process, in percent (a process serves 100/c).
    pub cold_start_rate_pct: f64,
    /// Latency of a request without imports, ms.
    pub base_latency_ms: f64,
    /// Lazy imports run at invoke speed: their cost is multiplied by this (init-phase CPU boost).
    pub init_cpu_factor: f64,
    /// SnapStart / provisioned concurrency: init is outside the request path.
    pub snapstart: bool,
    /// A cold-start budget shown as met or not.
    pub budget_ms: Option<f64>,
}

/// The lessons' rule of thumb (the plan file's `thresholds` object; see `rule.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Below this retained cost, keep it at module level, ms.
    pub module_below_ms: f64,
    /// Above this usage, a heavy module stays eager (the hot-path exception), percent.
    pub hot_path_usage_pct: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            requests_per_day: 10_000.0,
            cold_start_rate_pct: 10.0,
            base_latency_ms: 0.0,
            init_cpu_factor: 1.0,
            snapstart: false,
            budget_ms: None,
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            module_below_ms: 10.0,
            hot_path_usage_pct: 80.0,
        }
    }
}

impl Params {
    /// Requests a process serves: N = 1/c.
    pub fn requests_per_process(&self) -> f64 {
        100.0 / self.cold_start_rate_pct
    }
}

/// A parameter's value, whatever its kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A number.
    Number(f64),
    /// On or off.
    Switch(bool),
    /// A number that may be unset (the budget).
    Optional(Option<f64>),
}

/// What kind of value a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number.
    Number,
    /// On or off.
    Switch,
    /// A number, or none.
    Optional,
}

/// One end of a parameter's range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bound {
    /// No bound.
    None,
    /// The value may equal it.
    Inclusive(f64),
    /// The value may not equal it.
    Exclusive(f64),
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key)
    }
}

/// A what-if parameter: everything its flag, panel row, report line and validation need.
pub struct Param {
    /// The long flag (`--cold-start-rate`) and the name in messages about flags.
    pub key: &'static str,
    /// What it is, in words (`cold-start rate`).
    pub name: &'static str,
    /// Unit after the value (`%`, `ms`), or empty.
    pub unit: &'static str,
    /// What it means, for `--help` and the panel.
    pub help: &'static str,
    /// What values it takes.
    pub kind: Kind,
    /// Its lower bound.
    pub min: Bound,
    /// Its upper bound.
    pub max: Bound,
    get: fn(&Params, &Thresholds) -> Value,
    set: fn(&mut Params, &mut Thresholds, Value),
    /// How the parameter reads in the reports' one-line summary (`None`: left out).
    describe: fn(&Params) -> Option<String>,
}

/// A parameter or usage as people write it: up to two decimals, no trailing zeros
/// (`100`, `92.5`, `33.33`).
pub fn number(x: f64) -> String {
    // Tiny and huge values in scientific notation: `1e-4`, never `0` or 300 digits.
    if x != 0.0 && (x.abs() < 0.01 || x.abs() >= 1e15) {
        return format!("{x:e}");
    }
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn as_f64(v: Value) -> f64 {
    match v {
        Value::Number(x) => x,
        Value::Optional(x) => x.unwrap_or(0.0),
        Value::Switch(on) => f64::from(u8::from(on)),
    }
}

/// Every parameter, in the order the panel and the summary list them. The bounds keep every
/// figure finite and the work bounded whatever is typed: a process serves at most a million
/// requests (cold-start rate ≥ 0.0001 %), traffic at most a trillion requests a day, times at
/// most an hour.
pub static PARAMS: [Param; 8] = [
    Param {
        key: "requests-per-day",
        name: "requests per day",
        unit: "",
        help: "Requests the service handles a day (scales daily import time)",
        kind: Kind::Number,
        min: Bound::Inclusive(0.0),
        max: Bound::Inclusive(1e12),
        get: |p, _| Value::Number(p.requests_per_day),
        set: |p, _, v| p.requests_per_day = as_f64(v),
        describe: |p| Some(format!("{} requests/day", p.requests_per_day)),
    },
    Param {
        key: "cold-start-rate",
        name: "cold-start rate",
        unit: "%",
        help: "Share of requests that start a new process, in percent (100 for a CLI)",
        kind: Kind::Number,
        min: Bound::Inclusive(0.0001),
        max: Bound::Inclusive(100.0),
        get: |p, _| Value::Number(p.cold_start_rate_pct),
        set: |p, _, v| p.cold_start_rate_pct = as_f64(v),
        describe: |p| {
            let n = p.requests_per_process();
            Some(format!(
                "{}% cold starts ({} request{} a process)",
                p.cold_start_rate_pct,
                number(n),
                if n == 1.0 { "" } else { "s" }
            ))
        },
    },
    Param {
        key: "base-latency-ms",
        name: "base latency",
        unit: "ms",
        help: "Latency of a request apart from imports, added to every percentile",
        kind: Kind::Number,
        min: Bound::Inclusive(0.0),
        max: Bound::Inclusive(3_600_000.0),
        get: |p, _| Value::Number(p.base_latency_ms),
        set: |p, _, v| p.base_latency_ms = as_f64(v),
        describe: |p| Some(format!("base latency {} ms", p.base_latency_ms)),
    },
    Param {
        key: "init-cpu-factor",
        name: "init CPU factor",
        unit: "×",
        help: "Slowdown of imports at invoke time vs init (Lambda's init-phase CPU boost); \
               lazy costs are multiplied by it",
        kind: Kind::Number,
        min: Bound::Exclusive(0.0),
        max: Bound::Inclusive(1000.0),
        get: |p, _| Value::Number(p.init_cpu_factor),
        set: |p, _, v| p.init_cpu_factor = as_f64(v),
        describe: |p| Some(format!("init CPU factor {}", p.init_cpu_factor)),
    },
    Param {
        key: "snapstart",
        name: "init outside request path (SnapStart)",
        unit: "",
        help: "Init happens outside the request path (SnapStart, provisioned concurrency)",
        kind: Kind::Switch,
        min: Bound::None,
        max: Bound::None,
        get: |p, _| Value::Switch(p.snapstart),
        set: |p, _, v| p.snapstart = matches!(v, Value::Switch(true)),
        describe: |p| {
            p.snapstart
                .then(|| "init outside the request path (SnapStart)".to_string())
        },
    },
    Param {
        key: "budget-ms",
        name: "cold-start budget",
        unit: "ms",
        help: "Cold-start budget, shown as met or not (`check` fails over it)",
        kind: Kind::Optional,
        min: Bound::Inclusive(0.0),
        max: Bound::Inclusive(3_600_000.0),
        get: |p, _| Value::Optional(p.budget_ms),
        set: |p, _, v| {
            p.budget_ms = match v {
                Value::Optional(x) => x,
                other => Some(as_f64(other)),
            }
        },
        // The reports give the budget a line of its own.
        describe: |_| None,
    },
    Param {
        key: "module-below-ms",
        name: "label: module below",
        unit: "ms",
        help: "Rule of thumb: modules whose retained cost is below this stay at module level",
        kind: Kind::Number,
        min: Bound::Inclusive(0.0),
        max: Bound::Inclusive(3_600_000.0),
        get: |_, t| Value::Number(t.module_below_ms),
        set: |_, t, v| t.module_below_ms = as_f64(v),
        describe: |_| None,
    },
    Param {
        key: "hot-path-usage",
        name: "label: hot-path above usage",
        unit: "%",
        help: "Rule of thumb: heavier modules used by more than this share of requests stay \
               eager (the hot-path exception)",
        kind: Kind::Number,
        min: Bound::Inclusive(0.0),
        max: Bound::Inclusive(100.0),
        get: |_, t| Value::Number(t.hot_path_usage_pct),
        set: |_, t, v| t.hot_path_usage_pct = as_f64(v),
        describe: |_| None,
    },
];

impl Param {
    /// Its value in these settings.
    pub fn get(&self, params: &Params, thresholds: &Thresholds) -> Value {
        (self.get)(params, thresholds)
    }

    /// Sets a value that `check` accepted.
    pub fn set(&self, params: &mut Params, thresholds: &mut Thresholds, value: Value) {
        (self.set)(params, thresholds, value)
    }

    /// The name with its unit, as the panel labels it (`cold-start rate %`).
    pub fn label(&self) -> String {
        match (self.kind, self.unit) {
            (_, "") => self.name.to_string(),
            (Kind::Optional, unit) => format!("{} {unit} (empty: none)", self.name),
            (_, unit) => format!("{} {unit}", self.name),
        }
    }

    /// The value as typed text (empty for an unset budget).
    pub fn text(&self, params: &Params, thresholds: &Thresholds) -> String {
        match self.get(params, thresholds) {
            Value::Number(x) | Value::Optional(Some(x)) => x.to_string(),
            Value::Optional(None) => String::new(),
            Value::Switch(on) => if on { "yes" } else { "no" }.into(),
        }
    }

    /// Reads typed text (the panel, a flag's value) and checks it against the bounds.
    pub fn parse(&self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        let value = match self.kind {
            Kind::Switch => {
                return match text {
                    "y" | "yes" | "true" | "1" | "on" => Ok(Value::Switch(true)),
                    "n" | "no" | "false" | "0" | "off" | "" => Ok(Value::Switch(false)),
                    _ => Err(format!("{}: `{text}` is not yes or no", self.name)),
                };
            }
            Kind::Optional if text.is_empty() => Value::Optional(None),
            kind => {
                let x = text
                    .trim_end_matches(self.unit)
                    .trim()
                    .parse::<f64>()
                    .map_err(|_| format!("`{text}` is not a number"))?;
                if kind == Kind::Optional {
                    Value::Optional(Some(x))
                } else {
                    Value::Number(x)
                }
            }
        };
        self.check(value)?;
        Ok(value)
    }

    /// Whether a value lies within the bounds; the message names the parameter and the range.
    pub fn check(&self, value: Value) -> Result<(), String> {
        let x = match value {
            Value::Switch(_) | Value::Optional(None) => return Ok(()),
            Value::Number(x) | Value::Optional(Some(x)) => x,
        };
        let above = match self.min {
            Bound::None => true,
            Bound::Inclusive(m) => x >= m,
            Bound::Exclusive(m) => x > m,
        };
        let below = match self.max {
            Bound::None => true,
            Bound::Inclusive(m) => x <= m,
            Bound::Exclusive(m) => x < m,
        };
        if x.is_finite() && above && below {
            Ok(())
        } else {
            Err(format!(
                "{} must be {}, not {}",
                self.name,
                self.range(),
                number(x)
            ))
        }
    }

    /// The allowed range in words: `above 0 and at most 100 %`.
    pub fn range(&self) -> String {
        let unit = if self.unit.is_empty() || self.unit == "×" {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let low = match self.min {
            Bound::None => None,
            Bound::Inclusive(m) => Some(format!("≥ {m}")),
            Bound::Exclusive(m) => Some(format!("above {m}")),
        };
        let high = match self.max {
            Bound::None => None,
            Bound::Inclusive(m) => Some(format!("at most {m}")),
            Bound::Exclusive(m) => Some(format!("below {m}")),
        };
        match (low, high) {
            (Some(l), Some(h)) => format!("{l} and {h}{unit}"),
            (Some(one), None) | (None, Some(one)) => format!("{one}{unit}"),
            (None, None) => "a number".into(),
        }
    }

    /// The flag's help with its default, for `--help`.
    pub fn flag_help(&self) -> String {
        let default = self.text(&Params::default(), &Thresholds::default());
        match self.kind {
            Kind::Switch => self.help.to_string(),
            Kind::Optional if default.is_empty() => format!("{} [default: none]", self.help),
            _ => format!("{} [default: {default}]", self.help),
        }
    }
}

/// Every parameter within its bounds; the first that is not, in words.
pub fn validate(params: &Params, thresholds: &Thresholds) -> Result<(), String> {
    PARAMS
        .iter()
        .try_for_each(|p| p.check(p.get(params, thresholds)))
}

/// The parameters in one line, as the reports print them.
pub fn summary(params: &Params) -> String {
    PARAMS
        .iter()
        .filter_map(|p| (p.describe)(params))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
