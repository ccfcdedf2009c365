//! The lessons' rule of thumb, on the retained cost: below `module_below_ms` keep it at module
//! level; otherwise defer it to function level unless more than `hot_path_usage_pct` of
//! requests use it (the hot-path exception). The lessons' 100 ms line gives the same labels as
//! this, so it is not a separate setting.

use serde::Serialize;

use super::params::Thresholds;

/// What the rule of thumb says of a module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Suggestion {
    /// Light: keep the import at module level.
    Module,
    /// Heavy and not used by most requests: import it in the functions that use it.
    Function,
    /// Heavy but used by most requests: keep it eager.
    HotPath,
}

impl Suggestion {
    /// The suggestion as the explorer's column shows it.
    pub fn label(self) -> &'static str {
        match self {
            Suggestion::Module => "module",
            Suggestion::Function => "function",
            Suggestion::HotPath => "hot-path",
        }
    }
}

impl Thresholds {
    /// The suggestion for a module of this retained cost and usage.
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
}
