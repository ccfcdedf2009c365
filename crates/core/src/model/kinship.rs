//! Whether runs (or a trace and its baseline) are of one program. Merging unrelated traces as
//! "runs" gives medians of nothing, so the CLI refuses them unless told otherwise.

use super::graph::{ImportGraph, ModuleId};

/// The program's own top-level imports (start-up and shutdown left out), by name.
fn program_imports_by_name(graph: &ImportGraph, run: Option<u32>) -> Vec<&str> {
    let mut names: Vec<&str> = graph
        .roots()
        .iter()
        .copied()
        .filter(|&m| graph.module(m).at_cold_start())
        .filter(|&m| run.is_none_or(|r| graph.sample_in_run(m, r).is_some()))
        .map(|m: ModuleId| graph.name(m))
        .collect();
    names.sort_unstable();
    names
}

fn disjoint(a: &[&str], b: &[&str]) -> bool {
    !a.is_empty() && !b.is_empty() && !a.iter().any(|n| b.binary_search(n).is_ok())
}

fn listed(names: &[&str]) -> String {
    let shown: Vec<&str> = names.iter().take(3).copied().collect();
    let more = if names.len() > shown.len() {
        ", …"
    } else {
        ""
    };
    format!("{}{more}", shown.join(", "))
}

/// Why the runs of one trace look like different programs: a run with no top-level import in
/// common with the first.
pub fn unrelated_runs(graph: &ImportGraph) -> Option<String> {
    let first = program_imports_by_name(graph, Some(0));
    (1..graph.runs()).find_map(|r| {
        let other = program_imports_by_name(graph, Some(r));
        disjoint(&first, &other).then(|| {
            format!(
                "run 1 imports {} and run {} imports {}: no top-level import in common",
                listed(&first),
                r + 1,
                listed(&other)
            )
        })
    })
}

/// Why a trace and its baseline look like different programs: no top-level import in common,
/// or interpreters of different versions.
pub fn unrelated(before: &ImportGraph, after: &ImportGraph) -> Option<String> {
    let minor = |g: &ImportGraph| {
        let v = g.meta().python.as_deref()?;
        let mut parts = v.split('.');
        Some(format!("{}.{}", parts.next()?, parts.next()?))
    };
    if let (Some(a), Some(b)) = (minor(before), minor(after))
        && a != b
    {
        return Some(format!(
            "the baseline ran on Python {a}, this trace on Python {b}"
        ));
    }
    let (a, b) = (
        program_imports_by_name(before, None),
        program_imports_by_name(after, None),
    );
    disjoint(&a, &b).then(|| {
        format!(
            "the baseline imports {} and this trace {}: no top-level import in common",
            listed(&a),
            listed(&b)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(text: &str) -> ImportGraph {
        crate::trace::from_bytes("t", text.as_bytes()).unwrap()
    }

    #[test]
    fn runs_of_different_programs_are_told_apart() {
        let boto = "import time: self [us] | cumulative | imported package\n\
                    import time:       10 |         10 | boto3\n";
        let pandas = "import time: self [us] | cumulative | imported package\n\
                      import time:       20 |         20 | pandas\n";
        let same = graph(&format!("{boto}{boto}"));
        assert_eq!(unrelated_runs(&same), None);
        let mixed = graph(&format!("{boto}{pandas}"));
        assert_eq!(
            unrelated_runs(&mixed).unwrap(),
            "run 1 imports boto3 and run 2 imports pandas: no top-level import in common"
        );
        assert!(unrelated(&graph(boto), &graph(pandas)).is_some());
        assert_eq!(unrelated(&graph(boto), &same), None);
    }
}
