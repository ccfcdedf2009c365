//! Finding a module the user named: exactly, or an error that offers the closest names.

use super::graph::{ImportGraph, ModuleId};
use crate::error::{Error, Result};

/// How many close names an error offers.
const SUGGESTIONS: usize = 3;

impl ImportGraph {
    /// The module named `name`, or an error naming the trace's closest names (likely typos).
    pub fn require(&self, name: &str) -> Result<ModuleId> {
        self.find(name).ok_or_else(|| {
            let close = self.closest(name);
            let hint = if close.is_empty() {
                String::new()
            } else {
                format!(" (closest: {})", close.join(", "))
            };
            Error::new(format!("module `{name}` is not in the trace{hint}"))
        })
    }

    /// Up to three names like `name`: by similarity of the whole name, or of its last part
    /// to the other's (`urlib3` finds `urllib3`, `session` finds `boto3.session`).
    pub fn closest(&self, name: &str) -> Vec<&str> {
        let last = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
        let wanted = (name.to_lowercase(), last(&name.to_lowercase()));
        let mut scored: Vec<(f64, &str)> = self
            .ids()
            .map(|id| {
                let other = self.name(id);
                let lower = other.to_lowercase();
                let score = strsim::jaro_winkler(&wanted.0, &lower)
                    .max(strsim::jaro_winkler(&wanted.1, &last(&lower)) - 0.05);
                (score, other)
            })
            .filter(|(score, _)| *score >= 0.85)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.len().cmp(&b.1.len())));
        scored
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, n)| n)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn typos_get_the_closest_names() {
        let text = "\
import time:        10 |         10 |   urllib3.util
import time:        10 |         20 | urllib3
import time:        10 |         10 | json
";
        let g = crate::trace::from_bytes("t", text.as_bytes()).unwrap();
        let err = g.require("urlib3").unwrap_err().to_string();
        assert!(err.contains("`urlib3` is not in the trace"), "{err}");
        assert!(err.contains("closest: urllib3"), "{err}");
        assert!(!err.contains("json"), "{err}");
        let err = g.require("zzzzzz").unwrap_err().to_string();
        assert!(!err.contains("closest"), "{err}");
        assert_eq!(g.require("json").unwrap(), g.find("json").unwrap());
    }
}
