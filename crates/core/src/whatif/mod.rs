//! What deferring imports would do (README "The what-if model"): plans, the parameter table,
//! the projection as pure functions of (graph, plan), and the `Analysis` that the reports,
//! `check`, `export` and the explorer share.

mod analysis;
mod atoms;
pub mod check;
mod closures;
mod eager;
pub mod guards;
mod new_packages;
pub mod params;
mod percentiles;
pub mod plan;
mod projection;
mod rule;
pub mod sampled;
mod traced;

pub use analysis::{Analysis, ConfigGave, PlanEffect, Usage, measured_edits};
pub use eager::EagerClosure;
pub use params::{PARAMS, Param, Params, Thresholds};
pub use percentiles::Percentiles;
pub use plan::{Decision, Plan, blocked, check_deferrable, covered_submodules};
pub use projection::{KeptLoaded, LazyCost, PercentileMethod, Projection, module_daily_s, project};
pub use rule::Suggestion;
pub use traced::AsTraced;
