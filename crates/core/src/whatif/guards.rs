//! `check`'s guards that need no statistics: modules that must not load at cold start
//! (`--forbid`), and how many modules may (`--max-modules`). Both judge the trace as recorded —
//! what really loaded — and leave out interpreter start-up and imports after the program ended.

use crate::model::{ImportGraph, ModuleId};

/// A forbidden pattern and the modules it matched that load at cold start: the outermost of
/// each (a matched package stands for its matched submodules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forbidden {
    /// As given: a module name (covering its submodules) or a glob (`*`, `?`).
    pub pattern: String,
    /// The matching modules loaded at cold start, in id order; empty when none is.
    pub loaded: Vec<ModuleId>,
}

/// Modules loaded at cold start, against `--max-modules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleCount {
    /// Modules loaded at cold start.
    pub count: usize,
    /// `--max-modules`.
    pub max: usize,
}

impl ModuleCount {
    /// Whether the count is within the maximum.
    pub fn within(&self) -> bool {
        self.count <= self.max
    }
}

/// How many modules load at cold start.
pub fn cold_start_modules(graph: &ImportGraph) -> usize {
    graph
        .ids()
        .filter(|&m| graph.module(m).at_cold_start())
        .count()
}

/// Each pattern with the modules it matched at cold start.
pub fn forbidden(graph: &ImportGraph, patterns: &[String]) -> Vec<Forbidden> {
    patterns
        .iter()
        .map(|pattern| {
            let hit = |name: &str| matches(pattern, name);
            let loaded = graph
                .ids()
                .filter(|&m| graph.module(m).at_cold_start() && hit(graph.name(m)))
                // The outermost: a submodule whose package matched too is said through it.
                .filter(|&m| !packages_of(graph.name(m)).any(|p| hit(p) && graph.find(p).is_some()))
                .collect();
            Forbidden {
                pattern: pattern.clone(),
                loaded,
            }
        })
        .collect()
}

/// `a` and `a.b` for `a.b.c`.
fn packages_of(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('.').map(move |(i, _)| &name[..i])
}

/// Whether `name` is forbidden by `pattern`: a glob over the whole name, or a module name and
/// its submodules.
pub fn matches(pattern: &str, name: &str) -> bool {
    if pattern.contains(['*', '?']) {
        return glob(pattern.as_bytes(), name.as_bytes());
    }
    name == pattern || (name.starts_with(pattern) && name.as_bytes()[pattern.len()] == b'.')
}

/// `*` (any run of characters, dots too) and `?` (any one byte); iterative, backtracking only
/// to the last `*`, so linear in practice.
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cover_submodules_and_globs_whole_names() {
        assert!(matches("boto3", "boto3") && matches("boto3", "boto3.session"));
        assert!(!matches("boto3", "boto3x") && !matches("boto3.session", "boto3"));
        assert!(matches("boto*", "botocore.client") && matches("*.testing", "numpy.testing"));
        assert!(matches("h?tpx", "httpx") && !matches("h?tpx", "httpx.client"));
        assert!(!matches("*.testing", "numpy.testing.x") && matches("a*b*c", "aXbYbZc"));
    }

    #[test]
    fn the_outermost_match_at_cold_start() {
        let g = crate::trace::from_bytes(
            "t",
            b"\
import time:        10 |         10 |   encodings
import time:        10 |         10 | site
import time:        10 |         10 |       boto3.session
import time:        10 |         20 |     boto3
import time:        10 |         30 |   helper
import time:        10 |         40 | app
",
        )
        .unwrap();
        let found = forbidden(&g, &["boto3".into(), "encodings".into(), "json".into()]);
        assert_eq!(found[0].loaded, [g.find("boto3").unwrap()]);
        assert!(found[1].loaded.is_empty() && found[2].loaded.is_empty());
        assert_eq!(cold_start_modules(&g), 4);
    }
}
