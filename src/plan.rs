//! A plan: which modules are deferred, how often requests use each, the traffic parameters
//! and the rule-of-thumb thresholds. Saved as JSON by module name, written atomically.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{ImportGraph, ModuleId};

pub const FORMAT: &str = "lmms-tui-plan";
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Eager,
    Lazy,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Params {
    pub requests_per_day: f64,
    /// Share of requests that start a new process, in percent (a process serves 100/c).
    pub cold_start_rate_pct: f64,
    pub base_latency_ms: f64,
    /// Lazy imports run at invoke speed: their cost is multiplied by this (init-phase CPU boost).
    pub init_cpu_factor: f64,
    /// SnapStart / provisioned concurrency: init is outside the request path.
    pub snapstart: bool,
    /// A cold-start budget shown as met or not.
    pub budget_ms: Option<f64>,
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

impl Params {
    /// Requests a process serves: N = 1/c.
    pub fn requests_per_process(&self) -> f64 {
        100.0 / self.cold_start_rate_pct
    }

    pub fn validate(&self) -> std::result::Result<(), String> {
        let finite = |v: f64, what: &str| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("{what} must be a number"))
            }
        };
        finite(self.requests_per_day, "requests per day")?;
        finite(self.cold_start_rate_pct, "cold-start rate")?;
        finite(self.base_latency_ms, "base latency")?;
        finite(self.init_cpu_factor, "init CPU factor")?;
        if self.requests_per_day < 0.0 {
            return Err("requests per day must be ≥ 0".into());
        }
        if !(self.cold_start_rate_pct > 0.0 && self.cold_start_rate_pct <= 100.0) {
            return Err(format!(
                "cold-start rate must be above 0 and at most 100 %, not {}",
                self.cold_start_rate_pct
            ));
        }
        if self.base_latency_ms < 0.0 {
            return Err("base latency must be ≥ 0 ms".into());
        }
        if self.init_cpu_factor <= 0.0 {
            return Err("init CPU factor must be above 0".into());
        }
        if let Some(b) = self.budget_ms
            && !(b.is_finite() && b >= 0.0)
        {
            return Err("budget must be ≥ 0 ms".into());
        }
        Ok(())
    }
}

/// The lessons' rule of thumb, on the retained cost: below `module_below_ms` keep it at
/// module level; otherwise defer it to function level unless more than `hot_path_usage_pct`
/// of requests use it (the hot-path exception). The lessons' 100 ms line gives the same
/// labels as this, so it is not a separate setting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub module_below_ms: f64,
    pub hot_path_usage_pct: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            module_below_ms: 10.0,
            hot_path_usage_pct: 80.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Suggestion {
    Module,
    Function,
    HotPath,
}

impl Suggestion {
    pub fn label(self) -> &'static str {
        match self {
            Suggestion::Module => "module",
            Suggestion::Function => "function",
            Suggestion::HotPath => "hot-path",
        }
    }
}

impl Thresholds {
    pub fn suggest(&self, retained_us: u64, usage_pct: f64) -> Suggestion {
        if (retained_us as f64) < self.module_below_ms * 1000.0 {
            Suggestion::Module
        } else if usage_pct > self.hot_path_usage_pct {
            Suggestion::HotPath
        } else {
            Suggestion::Function
        }
    }
}

/// Decisions and usages for every module of one graph, plus parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub params: Params,
    pub thresholds: Thresholds,
    decisions: Vec<Decision>,
    usage_pct: Vec<f64>,
}

impl Plan {
    /// Everything eager, every module used by every request.
    pub fn new(graph: &ImportGraph) -> Plan {
        Plan {
            params: Params::default(),
            thresholds: Thresholds::default(),
            decisions: vec![Decision::Eager; graph.len()],
            usage_pct: vec![100.0; graph.len()],
        }
    }

    pub fn decision(&self, m: ModuleId) -> Decision {
        self.decisions[m.index()]
    }

    pub fn set_decision(&mut self, m: ModuleId, d: Decision) {
        self.decisions[m.index()] = d;
    }

    pub fn usage_pct(&self, m: ModuleId) -> f64 {
        self.usage_pct[m.index()]
    }

    pub fn set_usage_pct(&mut self, m: ModuleId, pct: f64) {
        self.usage_pct[m.index()] = pct.clamp(0.0, 100.0);
    }

    /// Deferred modules in id order (deterministic for the model).
    pub fn lazy(&self) -> impl Iterator<Item = ModuleId> + '_ {
        self.decisions
            .iter()
            .enumerate()
            .filter(|(_, d)| **d == Decision::Lazy)
            .map(|(i, _)| ModuleId(i as u32))
    }

    /// Back to all eager and 100 % usage; parameters and thresholds stay.
    pub fn reset(&mut self) {
        self.decisions.fill(Decision::Eager);
        self.usage_pct.fill(100.0);
    }

    pub fn is_default_module(&self, m: ModuleId) -> bool {
        self.decision(m) == Decision::Eager && self.usage_pct(m) == 100.0
    }
}

#[derive(Serialize, Deserialize)]
struct PlanFile {
    format: String,
    version: u32,
    #[serde(default)]
    params: Params,
    #[serde(default)]
    thresholds: Thresholds,
    /// Only modules that differ from the default (eager, 100 %).
    #[serde(default)]
    modules: std::collections::BTreeMap<String, ModuleSetting>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleSetting {
    #[serde(default = "eager")]
    decision: Decision,
    #[serde(default = "full")]
    usage_pct: f64,
}

fn eager() -> Decision {
    Decision::Eager
}

fn full() -> f64 {
    100.0
}

/// Module names a plan mentions that the trace does not have.
pub type Ignored = Vec<String>;

pub fn load(path: &Path, graph: &ImportGraph) -> Result<(Plan, Ignored)> {
    let bytes =
        std::fs::read(path).map_err(|e| Error::in_file(path, format!("cannot read plan: {e}")))?;
    let file: PlanFile = serde_json::from_slice(&bytes).map_err(|e| {
        Error::at_line(
            path,
            e.line(),
            format!(
                "not an lmms-tui plan: {}",
                e.to_string().split(" at line ").next().unwrap_or("")
            ),
        )
    })?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(Error::in_file(
            path,
            format!(
                "expected format `{FORMAT}` version {VERSION}, found `{}` version {}",
                file.format, file.version
            ),
        ));
    }
    file.params
        .validate()
        .map_err(|e| Error::in_file(path, e))?;
    let mut plan = Plan::new(graph);
    plan.params = file.params;
    plan.thresholds = file.thresholds;
    let mut ignored = Vec::new();
    for (name, setting) in file.modules {
        if !(0.0..=100.0).contains(&setting.usage_pct) {
            return Err(Error::in_file(
                path,
                format!("module `{name}`: usage_pct must be 0 to 100"),
            ));
        }
        match graph.find(&name) {
            Some(m) => {
                plan.set_decision(m, setting.decision);
                plan.set_usage_pct(m, setting.usage_pct);
            }
            None => ignored.push(name),
        }
    }
    Ok((plan, ignored))
}

pub fn to_json(plan: &Plan, graph: &ImportGraph) -> String {
    let modules = graph
        .ids()
        .filter(|&m| !plan.is_default_module(m))
        .map(|m| {
            (
                graph.name(m).to_string(),
                ModuleSetting {
                    decision: plan.decision(m),
                    usage_pct: plan.usage_pct(m),
                },
            )
        })
        .collect();
    let file = PlanFile {
        format: FORMAT.into(),
        version: VERSION,
        params: plan.params,
        thresholds: plan.thresholds,
        modules,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("a plan always serializes");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_of_thumb_labels() {
        let t = Thresholds::default();
        assert_eq!(t.suggest(9_999, 100.0), Suggestion::Module);
        assert_eq!(t.suggest(10_000, 80.0), Suggestion::Function);
        assert_eq!(t.suggest(50_000, 80.1), Suggestion::HotPath);
        assert_eq!(t.suggest(350_000, 90.0), Suggestion::HotPath);
        assert_eq!(t.suggest(1_200_000, 5.0), Suggestion::Function);
        let strict = Thresholds {
            module_below_ms: 1.0,
            hot_path_usage_pct: 95.0,
        };
        assert_eq!(strict.suggest(350_000, 90.0), Suggestion::Function);
    }

    #[test]
    fn params_are_validated() {
        let ok = Params::default();
        assert!(ok.validate().is_ok());
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
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
