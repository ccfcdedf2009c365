//! The what-if flags shared by the explorer, `report`, `check` and `export`. The parameter flags
//! are generated from the parameter table (`whatif::PARAMS`): one flag per entry, with its
//! help, default, value name and bounds.

use std::path::PathBuf;

use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};

use super::FromConfig;
use lmms_core::error::{Error, Result};
use lmms_core::model::ImportGraph;
use lmms_core::whatif::params::{Kind, Value};
use lmms_core::whatif::{Decision, PARAMS, Param, Plan, plan};

/// Decisions and parameters for the what-if projection (over a plan file, if given).
#[derive(Debug, Default, Clone)]
pub struct WhatIfArgs {
    pub plan: Option<PathBuf>,
    pub lazy: Vec<String>,
    pub lazy_everywhere: Vec<String>,
    pub usage: Vec<(String, f64)>,
    /// Parameters given on the command line, with their values.
    pub params: Vec<(&'static Param, Value)>,
    /// The configuration file that gave some of these flags, if one did.
    pub config: Option<FromConfig>,
}

/// Modules the flags name that the trace lacks, by where they were named; ignored, and said.
#[derive(Debug, Default)]
pub struct Absent {
    /// Named by the plan file.
    pub plan: Vec<String>,
    /// Named by the configuration file.
    pub config: Vec<String>,
}

fn parse_usage(s: &str) -> std::result::Result<(String, f64), String> {
    let (module, pct) = s
        .rsplit_once('=')
        .ok_or_else(|| format!("expected MODULE=PCT, found `{s}`"))?;
    Ok((module.to_string(), plan::parse_usage(pct)?))
}

fn value_name(p: &Param) -> &'static str {
    match p.unit {
        "ms" => "MS",
        "%" => "PCT",
        "×" => "FACTOR",
        _ => "N",
    }
}

impl Args for WhatIfArgs {
    fn augment_args(cmd: Command) -> Command {
        let cmd = cmd
            .arg(
                Arg::new("plan")
                    .long("plan")
                    .value_name("FILE")
                    .value_parser(clap::value_parser!(PathBuf))
                    .help(
                        "Load decisions, usages and parameters from a plan (JSON, as `w` saves it)",
                    ),
            )
            .arg(
                Arg::new("lazy")
                    .long("lazy")
                    .value_name("MODULE")
                    .action(ArgAction::Append)
                    .help(
                        "Defer MODULE in your own code (your import statements become \
                         function-level or `lazy`; third-party and stdlib modules still import \
                         it); a package covers your imports of its submodules too (`--lazy \
                         matplotlib` defers `import matplotlib.pyplot`, with matplotlib's \
                         usage); repeatable",
                    ),
            )
            .arg(
                Arg::new("lazy_everywhere")
                    .long("lazy-everywhere")
                    .value_name("MODULE")
                    .action(ArgAction::Append)
                    .help(
                        "Defer every import of MODULE, other packages' too (PEP 810's global \
                         mode): an upper bound that their import-time use can void; repeatable",
                    ),
            )
            .arg(
                Arg::new("usage")
                    .long("usage")
                    .value_name("MODULE=PCT")
                    .action(ArgAction::Append)
                    .value_parser(parse_usage)
                    .help(
                        "Share of requests that use MODULE, in percent; repeatable [default: \
                         measured on the trace's replayed requests, else 100]",
                    ),
            );
        PARAMS.iter().fold(cmd, |cmd, p| {
            let arg = Arg::new(p.key).long(p.key).help(p.flag_help());
            cmd.arg(match p.kind {
                Kind::Switch => arg.action(ArgAction::SetTrue),
                // `--budget-ms -1` reaches the bounds check, not clap's advice to write `-- -1`.
                Kind::Number | Kind::Optional => arg
                    .value_name(value_name(p))
                    .allow_negative_numbers(true)
                    .value_parser(move |s: &str| p.parse(s)),
            })
        })
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for WhatIfArgs {
    fn from_arg_matches(m: &ArgMatches) -> std::result::Result<Self, clap::Error> {
        let params = PARAMS
            .iter()
            .filter_map(|p| match p.kind {
                Kind::Switch => m.get_flag(p.key).then_some((p, Value::Switch(true))),
                _ => m.get_one::<Value>(p.key).map(|v| (p, *v)),
            })
            .collect();
        Ok(WhatIfArgs {
            plan: m.get_one::<PathBuf>("plan").cloned(),
            lazy: m
                .get_many::<String>("lazy")
                .map(|v| v.cloned().collect())
                .unwrap_or_default(),
            lazy_everywhere: m
                .get_many::<String>("lazy_everywhere")
                .map(|v| v.cloned().collect())
                .unwrap_or_default(),
            usage: m
                .get_many::<(String, f64)>("usage")
                .map(|v| v.cloned().collect())
                .unwrap_or_default(),
            params,
            config: None,
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl WhatIfArgs {
    /// The plan these flags describe; names the plan file or the configuration file mention
    /// but the trace lacks are returned, while unknown modules on the command line are errors
    /// (likely typos).
    pub fn plan(&self, graph: &ImportGraph) -> Result<(Plan, Absent)> {
        let (mut plan, ignored) = match &self.plan {
            Some(path) => plan::load(path, graph)?,
            None => (Plan::new(graph), Vec::new()),
        };
        let mut absent = Absent {
            plan: ignored,
            config: Vec::new(),
        };
        let from_config =
            |flag: &str| (self.config.as_ref()).map_or_else(Vec::new, |c| c.module_names(flag));
        let mut find = |name: &str, from_config: &[String]| match graph.find(name) {
            Some(m) => Ok(Some(m)),
            None if from_config.iter().any(|n| n == name) => {
                if !absent.config.iter().any(|n| n == name) {
                    absent.config.push(name.to_string());
                }
                Ok(None)
            }
            None => graph.require(name).map(Some),
        };
        // (submodule, package): `--lazy PKG` covers your `import PKG.sub` (and its usage).
        let mut covered = Vec::new();
        for (names, decision, flag) in [
            (&self.lazy, Decision::Lazy, "lazy"),
            (
                &self.lazy_everywhere,
                Decision::LazyEverywhere,
                "lazy-everywhere",
            ),
        ] {
            let given = from_config(flag);
            for name in names {
                let Some(m) = find(name, &given)? else {
                    continue;
                };
                let subs = (plan.set_decision_covering(graph, m, decision)).map_err(Error::new)?;
                covered.extend(subs.into_iter().map(|s| (s, m)));
            }
        }
        let mut usage_set = Vec::new();
        let given = from_config("usage");
        for (name, pct) in &self.usage {
            let Some(m) = find(name, &given)? else {
                continue;
            };
            plan.set_usage_pct(m, *pct);
            usage_set.push(m);
        }
        for (sub, package) in covered {
            if let Some(u) = plan.usage_set(package)
                && !usage_set.contains(&sub)
            {
                plan.set_usage_pct(sub, u);
            }
        }
        for (param, value) in &self.params {
            plan.set(param, *value);
        }
        plan.validate().map_err(Error::new)?;
        Ok((plan, absent))
    }
}
