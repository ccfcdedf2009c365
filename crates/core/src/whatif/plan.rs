//! A plan: which modules are deferred, how often requests use each, the traffic parameters
//! and the rule-of-thumb thresholds. Saved as JSON by module name (README "What-if").

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::params::{self, Param, Params, Thresholds, Value};
use crate::error::{Error, Result};
use crate::model::{ImportGraph, Importer, ModuleClass, ModuleId};

/// A plan file's `format` field.
pub const FORMAT: &str = "lmms-tui-plan";

/// Whether a file's first bytes are a plan's: a JSON document of the plan's format.
pub fn looks_like_plan(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with('{') && text.contains(&format!("\"{FORMAT}\""))
}
/// The plan file version this build reads and writes.
pub const VERSION: u32 = 1;

/// What the plan does with a module's imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// Loaded at start-up.
    Eager,
    /// The program's own import statements become lazy (function-level imports, `lazy
    /// import`); third-party and standard-library modules still import it eagerly.
    Lazy,
    /// Every import of it becomes lazy (PEP 810's global mode): an upper bound, which
    /// import-time use by other modules can void.
    LazyEverywhere,
}

impl Decision {
    /// Whether it is deferred (in either scope).
    pub fn is_lazy(self) -> bool {
        self != Decision::Eager
    }
}

/// Why a module cannot be deferred, if it cannot: interpreter start-up runs before any line of
/// the program, and the program's own entry module is the program.
pub fn check_deferrable(graph: &ImportGraph, m: ModuleId) -> std::result::Result<(), String> {
    if graph.module(m).class == ModuleClass::Startup {
        return Err(format!(
            "`{}` is loaded by interpreter start-up, before the program runs: no edit of the \
             program can defer it",
            graph.name(m)
        ));
    }
    if graph.program_entry() == Some(m) {
        return Err(format!(
            "`{}` is the program itself (the one module it imports): nothing can defer it — \
             defer what it imports",
            graph.name(m)
        ));
    }
    Ok(())
}

/// The submodules of `m` (`m.x`, `m.x.y`) that your code imports itself, in id order:
/// deferring a package in your code means not loading it at start-up, and your `import m.x`
/// would load it (a submodule loads its package), so these statements are deferred with it.
pub fn covered_submodules(graph: &ImportGraph, m: ModuleId) -> Vec<ModuleId> {
    let yours = |s: ModuleId| {
        (graph.importers(s).iter())
            .any(|&i| !i.is_some_and(|i| graph.is_within(i, m)) && graph.is_editable_import(i, s))
    };
    let mut covered: Vec<ModuleId> = (graph.submodules(m).into_iter())
        .filter(|&s| !graph.module(s).shutdown && yours(s))
        .filter(|&s| check_deferrable(graph, s).is_ok())
        .collect();
    covered.sort_unstable();
    covered
}

/// Whether the plan stops this import from happening at start-up. A deferred module's imports
/// by editable code (the program's, or of unknown origin) become lazy; `LazyEverywhere` makes
/// every import lazy. A submodule always loads its package: that edge is never blocked.
pub fn blocked(graph: &ImportGraph, plan: &Plan, from: Importer, to: ModuleId) -> bool {
    match plan.decision(to) {
        Decision::Eager => false,
        Decision::Lazy => graph.is_editable_import(from, to),
        Decision::LazyEverywhere => from.is_none_or(|f| !graph.is_package_edge(f, to)),
    }
}

/// A usage share: a number from 0 to 100, or why not.
pub fn check_usage(pct: f64) -> std::result::Result<f64, String> {
    if (0.0..=100.0).contains(&pct) {
        Ok(pct)
    } else {
        Err(format!("usage {pct} is not between 0 and 100"))
    }
}

/// A usage share as typed (`5`, `92.5%`).
pub fn parse_usage(text: &str) -> std::result::Result<f64, String> {
    let text = text.trim();
    let pct = text
        .trim_end_matches('%')
        .trim()
        .parse::<f64>()
        .map_err(|_| format!("usage `{text}` is not a percentage"))?;
    check_usage(pct)
}

/// Decisions and usages for every module of one graph, plus parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The what-if parameters.
    pub params: Params,
    /// The rule of thumb's thresholds.
    pub thresholds: Thresholds,
    decisions: Vec<Decision>,
    /// Usages other than 100 %, the default: a plan of a large trace sets a handful, and
    /// a full table would be megabytes written for nothing (two plans per report).
    usage_pct: hashbrown::HashMap<ModuleId, f64>,
}

impl Plan {
    /// A plan deferring nothing, no usage set; a trace whose requests were processes of their
    /// own (a CLI's invocations) starts with every request a cold start.
    pub fn new(graph: &ImportGraph) -> Plan {
        let mut params = Params::default();
        if graph.meta().requests.as_ref().is_some_and(|r| r.processes) {
            params.cold_start_rate_pct = 100.0;
        }
        Plan {
            params,
            thresholds: Thresholds::default(),
            decisions: vec![Decision::Eager; graph.len()],
            usage_pct: hashbrown::HashMap::new(),
        }
    }

    /// What the plan decides for `m`.
    pub fn decision(&self, m: ModuleId) -> Decision {
        self.decisions[m.index()]
    }

    /// Every module's decision, by id.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// Sets a decision; deferring a start-up module is refused (`check_deferrable`).
    pub fn set_decision(
        &mut self,
        graph: &ImportGraph,
        m: ModuleId,
        d: Decision,
    ) -> std::result::Result<(), String> {
        if d.is_lazy() {
            check_deferrable(graph, m)?;
        }
        self.decisions[m.index()] = d;
        Ok(())
    }

    /// `set_decision` for `m` and, in your-code scope, for each submodule your code imports
    /// (`covered_submodules`), which take `m`'s usage when deferred; those it set.
    pub fn set_decision_covering(
        &mut self,
        graph: &ImportGraph,
        m: ModuleId,
        d: Decision,
    ) -> std::result::Result<Vec<ModuleId>, String> {
        self.set_decision(graph, m, d)?;
        if d == Decision::LazyEverywhere {
            return Ok(Vec::new());
        }
        let covered = covered_submodules(graph, m);
        for &s in &covered {
            self.set_decision(graph, s, d)?;
            if d.is_lazy() {
                match self.usage_set(m) {
                    Some(u) => self.set_usage_pct(s, u),
                    None => self.clear_usage(s),
                }
            }
        }
        Ok(covered)
    }

    /// The share of requests that use `m`, percent (100 unless set).
    pub fn usage_pct(&self, m: ModuleId) -> f64 {
        // An empty map answers without hashing: a plan that sets no usage costs no lookup.
        self.usage_pct.get(&m).copied().unwrap_or(100.0)
    }

    /// The usage set for the module, if one was (by the user, a plan file or a flag).
    pub fn usage_set(&self, m: ModuleId) -> Option<f64> {
        self.usage_pct.get(&m).copied()
    }

    /// Sets the share of requests that use `m`, percent. Kept even at 100 %: a usage set
    /// overrides one measured on replayed requests.
    pub fn set_usage_pct(&mut self, m: ModuleId, pct: f64) {
        self.usage_pct.insert(m, pct.clamp(0.0, 100.0));
    }

    /// Forgets the usage set for `m`: measured, or 100 %, again.
    pub fn clear_usage(&mut self, m: ModuleId) {
        self.usage_pct.remove(&m);
    }

    /// A parameter's current value.
    pub fn get(&self, param: &Param) -> Value {
        param.get(&self.params, &self.thresholds)
    }

    /// Sets a parameter to a value its `parse` or `check` accepted.
    pub fn set(&mut self, param: &Param, value: Value) {
        param.set(&mut self.params, &mut self.thresholds, value);
    }

    /// A parameter as typed text (empty for an unset budget).
    pub fn text(&self, param: &Param) -> String {
        param.text(&self.params, &self.thresholds)
    }

    /// Every parameter within its bounds.
    pub fn validate(&self) -> std::result::Result<(), String> {
        params::validate(&self.params, &self.thresholds)
    }

    /// Deferred modules in id order (deterministic for the model).
    pub fn lazy(&self) -> impl Iterator<Item = ModuleId> + '_ {
        self.decisions
            .iter()
            .enumerate()
            .filter(|(_, d)| d.is_lazy())
            .map(|(i, _)| ModuleId::new(i as u32))
    }

    /// Back to all eager and 100 % usage; parameters and thresholds stay.
    pub fn reset(&mut self) {
        self.decisions.fill(Decision::Eager);
        self.usage_pct.clear();
    }

    /// Whether the plan says nothing of `m` (eager, no usage set).
    pub fn is_default_module(&self, m: ModuleId) -> bool {
        self.decision(m) == Decision::Eager && self.usage_set(m).is_none()
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
    /// Only modules that differ from the default (eager, no usage set).
    #[serde(default)]
    modules: std::collections::BTreeMap<String, ModuleSetting>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleSetting {
    #[serde(default = "eager")]
    decision: Decision,
    /// Only when set: a usage left out is measured on the trace's requests, or 100 %.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    usage_pct: Option<f64>,
}

fn eager() -> Decision {
    Decision::Eager
}

/// Module names a plan mentions that the trace does not have.
pub type Ignored = Vec<String>;

/// A plan file for `graph`; the names it gives that the trace lacks are returned, not an error.
pub fn load(path: &Path, graph: &ImportGraph) -> Result<(Plan, Ignored)> {
    // Read as traces are: bounded, so `--plan /dev/zero` is an error rather than all of memory.
    crate::trace::Input::file(path)?.parse(path, |bytes| from_bytes(path, bytes, graph))
}

/// A plan file's contents (`path` names it in errors) for this trace.
pub fn from_bytes(path: &Path, bytes: &[u8], graph: &ImportGraph) -> Result<(Plan, Ignored)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file: PlanFile =
        serde_json::from_slice(bytes).map_err(|e| Error::in_json(path, &e, "plan"))?;
    if file.format != FORMAT || file.version != VERSION {
        return Err(Error::in_file(
            path,
            format!(
                "expected format `{FORMAT}` version {VERSION}, found `{}` version {}",
                file.format, file.version
            ),
        ));
    }
    params::validate(&file.params, &file.thresholds).map_err(|e| Error::in_file(path, e))?;
    let mut plan = Plan::new(graph);
    plan.params = file.params;
    plan.thresholds = file.thresholds;
    let mut ignored = Vec::new();
    for (name, setting) in file.modules {
        if let Some(u) = setting.usage_pct {
            check_usage(u).map_err(|e| Error::in_file(path, format!("module `{name}`: {e}")))?;
        }
        match graph.find(&name) {
            Some(m) => {
                plan.set_decision(graph, m, setting.decision)
                    .map_err(|e| Error::in_file(path, e))?;
                if let Some(u) = setting.usage_pct {
                    plan.set_usage_pct(m, u);
                }
            }
            None => ignored.push(name),
        }
    }
    Ok((plan, ignored))
}

/// The plan as a plan file's JSON.
pub fn to_json(plan: &Plan, graph: &ImportGraph) -> String {
    let modules = graph
        .ids()
        .filter(|&m| !plan.is_default_module(m))
        .map(|m| {
            (
                graph.name(m).to_string(),
                ModuleSetting {
                    decision: plan.decision(m),
                    usage_pct: plan.usage_set(m),
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
    let mut text = crate::safe_json::to_string_pretty(&file);
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A usage set is kept, 100 % too (it overrides a measured one), clamped to 0–100; a
    /// reset forgets it.
    #[test]
    fn usages_set_are_kept_and_clamped() {
        let g = crate::trace::from_bytes(
            "t",
            b"import time:        10 |         10 |   b\nimport time:         5 |         15 | a\n",
        )
        .unwrap();
        let b = g.find("b").unwrap();
        let mut plan = Plan::new(&g);
        plan.set_usage_pct(b, 30.0);
        assert_eq!(plan.usage_pct(b), 30.0);
        assert!(!plan.is_default_module(b) && plan != Plan::new(&g));
        plan.set_usage_pct(b, 100.0);
        assert_eq!(plan.usage_set(b), Some(100.0));
        assert!(!plan.is_default_module(b));
        plan.set_usage_pct(b, 250.0);
        assert_eq!(plan.usage_pct(b), 100.0);
        plan.reset();
        assert_eq!(plan, Plan::new(&g));
        plan.set_usage_pct(b, -3.0);
        assert_eq!(plan.usage_pct(b), 0.0);
        plan.reset();
        assert_eq!(plan, Plan::new(&g));
    }

    /// Deferring a package in your code covers your imports of its submodules (not its own
    /// imports of them, nor a name that only starts alike), with its usage; eager again, they
    /// are eager again. Everywhere-scope covers nothing more.
    #[test]
    fn a_package_covers_your_imports_of_its_submodules() {
        let g = crate::trace::from_bytes(
            "t",
            b"\
import time:        10 |         10 |       a.base
import time:        10 |         20 |     a
import time:        10 |         10 |     a.b
import time:        10 |         10 |     ab
import time:        10 |         60 |   app
",
        )
        .unwrap();
        let id = |n| g.find(n).unwrap();
        assert_eq!(covered_submodules(&g, id("a")), [id("a.b")]);
        let mut plan = Plan::new(&g);
        plan.set_usage_pct(id("a"), 30.0);
        let set = plan.set_decision_covering(&g, id("a"), Decision::Lazy);
        assert_eq!(set, Ok(vec![id("a.b")]));
        assert_eq!(plan.decision(id("a.b")), Decision::Lazy);
        assert_eq!(plan.usage_pct(id("a.b")), 30.0);
        assert_eq!(plan.decision(id("ab")), Decision::Eager);
        plan.set_decision_covering(&g, id("a"), Decision::Eager)
            .unwrap();
        assert!(plan.lazy().next().is_none());
        let set = plan.set_decision_covering(&g, id("a"), Decision::LazyEverywhere);
        assert_eq!(set, Ok(vec![]));
        assert_eq!(plan.decision(id("a.b")), Decision::Eager);
    }
}
