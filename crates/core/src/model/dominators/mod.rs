//! Dominators of the import graph, rooted at the program: module D dominates M when every
//! chain of imports from the program to M passes through D. Deferring D removes exactly what
//! D dominates, so a module's retained cost is the self time of its dominator subtree — the
//! "retained size" heap profilers show. (Cooper, Harvey & Kennedy's iterative algorithm: no
//! recursion, cycles welcome.)
//!
//! Deferring a module in the user's code only makes *their* imports of it lazy. To get that
//! saving from the same computation, a module imported both by editable code (the program,
//! modules of program or unknown origin) and by other code (or needed as a submodule's
//! package) gets a gate node: the editable imports go program → gate(M) → M, the others
//! straight to M. Removing the gate removes exactly the user's imports, so what the gate
//! dominates is the saving of deferring M there. A module only editable code imports needs no
//! gate (the saving is what M dominates); one no editable code imports saves nothing.

mod flow;
mod retained;
mod tree;

use crate::model::{ImportGraph, ModuleId};
use flow::Flow;
use tree::Tree;

/// Each module's immediate dominator and retained costs, in both deferral scopes.
#[derive(Debug, Clone)]
pub struct Dominators {
    /// Immediate dominator of each module; `None` when it is the program.
    idom: Vec<Option<ModuleId>>,
    /// Self time of each module's dominator subtree, in µs, median over runs: deferring every
    /// import of it.
    retained_everywhere_us: Vec<u64>,
    /// What deferring the user's imports of it removes, median over runs.
    retained_us: Vec<u64>,
}

impl Dominators {
    /// Dominators and retained costs of a graph, median over its runs.
    pub fn compute(graph: &ImportGraph) -> Dominators {
        let flow = Flow::new(graph, graph.editable_imports());
        let tree = Tree::of(&flow);
        let idom = (1..=flow.modules)
            .map(|v| {
                let mut d = tree.idom(v);
                // A gate's dominator is reported as the module it stands for; a module's own
                // gate is stepped over.
                if d.is_some_and(|g| g == flow.gate[v - 1] as usize) {
                    d = d.and_then(|g| tree.idom(g));
                }
                d.and_then(|d| flow.module_of(d))
            })
            .collect();
        let (retained_everywhere_us, retained_us) = retained::retained(&flow, &tree);
        Dominators {
            idom,
            retained_everywhere_us,
            retained_us,
        }
    }

    /// The module every chain from the program to `m` passes through last; `None`: the program.
    pub fn idom(&self, m: ModuleId) -> Option<ModuleId> {
        self.idom[m.index()]
    }

    /// What deferring the user's imports of `m` alone removes from cold start, in µs: 0 when
    /// other code still loads it at start-up.
    pub fn retained_us(&self, m: ModuleId) -> u64 {
        self.retained_us[m.index()]
    }

    /// What deferring every import of `m` (other packages' too) would remove: an upper bound.
    pub fn retained_everywhere_us(&self, m: ModuleId) -> u64 {
        self.retained_everywhere_us[m.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(text: &str) -> ImportGraph {
        crate::trace::from_bytes("t", text.as_bytes()).unwrap()
    }

    #[test]
    fn shared_dependencies_stay_with_the_program() {
        // boto3 loads urllib3 first; requests imports it again (cached): urllib3 is shared.
        let g = graph(
            "\
import time:        40 |         40 |       six
import time:       100 |        140 |     urllib3
import time:        30 |         30 |     botocore.x
import time:        10 |        180 |   botocore
import time:         5 |        185 | boto3
import time: cached    | cached     | urllib3
import time:        20 |         20 | requests
",
        );
        let d = Dominators::compute(&g);
        let id = |n| g.find(n).unwrap();
        assert_eq!(d.retained_us(id("boto3")), 5 + 10 + 30);
        assert_eq!(d.retained_us(id("urllib3")), 140);
        assert_eq!(d.idom(id("urllib3")), None);
        assert_eq!(d.idom(id("six")), Some(id("urllib3")));
        assert_eq!(d.retained_us(id("requests")), 20);
    }

    #[test]
    fn tree_only_traces_retain_their_subtree() {
        let g = graph(
            "\
import time:        40 |         40 |     c
import time:       100 |        140 |   b
import time:         5 |        145 | a
",
        );
        let d = Dominators::compute(&g);
        assert_eq!(d.retained_us(g.find("a").unwrap()), 145);
    }

    #[test]
    fn third_party_importers_keep_a_module_your_deferral_leaves() {
        // The program imports pandas and sklearn; sklearn.fixes (third-party) imports pandas.
        let mut b = crate::model::TraceBuilder::new();
        crate::trace::read_bytes(
            std::path::Path::new("t"),
            b"import time:        50 |         50 |     pandas.core
import time:       100 |        150 |   pandas
import time:        20 |        170 | pandas_user
import time:         5 |          5 |   sklearn.fixes
import time:        10 |         15 | sklearn
",
            &mut b,
        )
        .unwrap();
        let id = |b: &crate::model::TraceBuilder, n: &str| b.lookup(n).unwrap();
        let (pandas, fixes) = (id(&b, "pandas"), id(&b, "sklearn.fixes"));
        b.edge(Some(fixes), pandas);
        b.origin(fixes, crate::model::ModuleClass::ThirdParty, None);
        let sklearn = id(&b, "sklearn");
        b.origin(sklearn, crate::model::ModuleClass::ThirdParty, None);
        let g = ImportGraph::build(b).unwrap();
        let d = Dominators::compute(&g);
        let m = |n| g.find(n).unwrap();
        // Your imports of pandas made lazy: sklearn.fixes still loads it.
        assert_eq!(d.retained_us(m("pandas")), 0);
        // Every import made lazy: pandas and pandas.core leave.
        assert_eq!(d.retained_everywhere_us(m("pandas")), 150);
        // pandas_user (unknown origin, so taken as yours) is the program's alone.
        assert_eq!(d.retained_us(m("pandas_user")), 20);
        assert_eq!(d.idom(m("pandas.core")), Some(m("pandas")));
        assert_eq!(d.idom(m("pandas")), None);
    }
}
