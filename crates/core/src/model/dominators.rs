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

use crate::model::{ImportGraph, ModuleId, Spread};

/// Node 0 is the program; module `m` is node `m + 1`; gate nodes follow.
const ROOT: usize = 0;
const NO_GATE: u32 = u32::MAX;

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
    pub fn compute(graph: &ImportGraph) -> Dominators {
        let modules = graph.len();
        let node = |m: ModuleId| m.index() + 1;
        let gated = graph.editable_imports();
        // Which importers of each module are the user's: all, none, or some (a gate).
        let mut all_gated = vec![false; modules];
        let mut gate = vec![NO_GATE; modules];
        let mut gates: Vec<ModuleId> = Vec::new();
        for m in graph.ids() {
            let importers = graph.importers(m);
            let count = importers.iter().filter(|&&f| gated(f, m)).count();
            all_gated[m.index()] = count > 0 && count == importers.len();
            if count > 0 && count < importers.len() {
                gate[m.index()] = (modules + 1 + gates.len()) as u32;
                gates.push(m);
            }
        }
        let n = modules + 1 + gates.len();
        // Edges are read from the graph as they are needed, never copied.
        let target = |from: Option<ModuleId>, to: ModuleId| {
            let g = gate[to.index()];
            if g != NO_GATE && gated(from, to) {
                g as usize
            } else {
                node(to)
            }
        };
        let successor_count = |v: usize| match v {
            ROOT => graph.program_imports().len(),
            v if v <= modules => graph.imports(ModuleId::new(v as u32 - 1)).len(),
            _ => 1,
        };
        let successor = |v: usize, i: usize| match v {
            ROOT => target(None, graph.program_imports()[i]),
            v if v <= modules => {
                let from = ModuleId::new(v as u32 - 1);
                target(Some(from), graph.imports(from)[i])
            }
            v => node(gates[v - modules - 1]),
        };
        let predecessors = |v: usize, out: &mut Vec<usize>| {
            out.clear();
            let (to, at_gate) = if v <= modules {
                (ModuleId::new(v as u32 - 1), false)
            } else {
                (gates[v - modules - 1], true)
            };
            let has_gate = gate[to.index()] != NO_GATE;
            if has_gate && !at_gate {
                out.push(gate[to.index()] as usize);
            }
            for &f in graph.importers(to) {
                if !has_gate || gated(f, to) == at_gate {
                    let Some(f) = f else {
                        // The program imports it: the program alone is its dominator, and
                        // the other importers need no walk up the tree (a package's many
                        // submodules, each importing it).
                        out.clear();
                        out.push(ROOT);
                        return;
                    };
                    out.push(node(f));
                }
            }
        };

        // Reverse post-order from the program, iteratively.
        const UNSEEN: u32 = u32::MAX;
        let mut rpo_number = vec![UNSEEN; n];
        let mut postorder: Vec<u32> = Vec::with_capacity(n);
        // A node is seen once its number is no longer UNSEEN; it gets its real one below.
        const SEEN: u32 = 0;
        let mut stack: Vec<(u32, u32)> = vec![(ROOT as u32, 0)];
        rpo_number[ROOT] = SEEN;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if (*next as usize) < successor_count(v as usize) {
                let child = successor(v as usize, *next as usize);
                *next += 1;
                if rpo_number[child] == UNSEEN {
                    rpo_number[child] = SEEN;
                    stack.push((child as u32, 0));
                }
            } else {
                postorder.push(v);
                stack.pop();
            }
        }
        // Reverse post-order is the post-order read backwards (the program first): no copy.
        let rpo = || postorder.iter().rev().map(|&v| v as usize);
        for (i, v) in rpo().enumerate() {
            rpo_number[v] = i as u32;
        }

        // Dominators are found and held as reverse post-order numbers (`doms[i]` is the
        // number of the immediate dominator of the node numbered `i`), as Cooper, Harvey &
        // Kennedy keep them: a walk up the tree then reads one array.
        let reached = postorder.len();
        let mut doms = vec![UNSEEN; reached];
        doms[0] = 0;
        // A module's immediate dominator from its importers seen so far, and whether an
        // importer not yet seen (an import cycle closing) could still move it. Values only move
        // up the tree, so a module the program alone dominates is settled whatever else imports
        // it (a package's many submodules, say).
        //
        // Each importer's walk up the tree meets the value so far (Cooper, Harvey & Kennedy's
        // `intersect`). The value only moves up its own chain, so a node once walked through
        // still leads to it: it is marked, and a later importer's walk that reaches it stops
        // there. Submodules importing their package share their way up; each step is taken
        // once per module evaluated, not once per importer.
        let mut preds: Vec<usize> = Vec::new();
        let mut marks = vec![0u32; reached];
        let mut stamp = 0u32;
        let mut walked: Vec<u32> = Vec::new();
        let mut evaluate = |v: usize, doms: &[u32]| -> (Option<u32>, bool) {
            if stamp == u32::MAX {
                marks.fill(0);
                stamp = 0;
            }
            stamp += 1;
            let mut new_idom: Option<u32> = None;
            let mut retreating = false;
            let number = rpo_number[v];
            predecessors(v, &mut preds);
            for &p in &preds {
                let p_number = rpo_number[p];
                if p_number == UNSEEN {
                    continue; // not reached from the program
                }
                if doms[p_number as usize] == UNSEEN {
                    retreating |= p != v;
                    continue;
                }
                retreating |= p_number > number;
                let Some(current) = new_idom else {
                    new_idom = Some(p_number);
                    if p_number == ROOT as u32 {
                        return (new_idom, false);
                    }
                    continue;
                };
                let (mut a, mut b) = (p_number, current);
                walked.clear();
                'walk: while a != b {
                    while a > b {
                        if marks[a as usize] == stamp {
                            // Reached a node that leads to the value: it stays.
                            a = b;
                            break 'walk;
                        }
                        walked.push(a);
                        a = doms[a as usize];
                    }
                    while b > a {
                        b = doms[b as usize];
                    }
                }
                for &w in &walked {
                    marks[w as usize] = stamp;
                }
                new_idom = Some(a);
                if a == ROOT as u32 {
                    return (new_idom, false);
                }
            }
            (new_idom, retreating)
        };
        // In reverse post-order every importer of a module comes before it unless an import
        // cycle closes there: a pass is exact but for the modules such a cycle reaches. When
        // none of them takes another value on a second look, nothing else can either (every
        // other module's importers kept theirs), so the pass stands; else passes repeat.
        loop {
            let mut doubtful: Vec<usize> = Vec::new();
            for v in rpo().skip(1) {
                let (d, unsettled) = evaluate(v, &doms);
                if unsettled {
                    doubtful.push(v);
                }
                if let Some(d) = d {
                    doms[rpo_number[v] as usize] = d;
                }
            }
            let settled = doubtful.iter().all(|&v| {
                let (d, _) = evaluate(v, &doms);
                d.is_none_or(|d| doms[rpo_number[v] as usize] == d)
            });
            if settled {
                break;
            }
        }
        drop(marks); // before the retained figures' tables: the peak is theirs
        // Back to nodes: the node numbered `i` is `postorder[reached - 1 - i]`.
        let node_at = |i: u32| postorder[reached - 1 - i as usize] as usize;
        let idom = |v: usize| match rpo_number[v] {
            UNSEEN => None,
            i => Some(node_at(doms[i as usize])),
        };

        // Retained, run by run: children before parents (reverse RPO), gates weighing nothing;
        // each run's figure is capped by that run's cumulative (the two differ only by CPython
        // rounding each line), then the median over runs is kept.
        let runs = graph.runs().max(1) as usize;
        let mut everywhere_runs = vec![0u64; modules * runs];
        let mut yours_runs = vec![0u64; modules * runs];
        // Each run's self and cumulative times, run-major, from one pass over the samples;
        // with one run in which every module was timed, the modules' own figures are those.
        let one_run = runs == 1 && graph.modules().iter().all(|m| m.samples == 1);
        let (mut self_runs, mut cumulative_runs) = (Vec::new(), Vec::new());
        if !one_run {
            self_runs = vec![0u64; runs * modules];
            cumulative_runs = vec![u64::MAX; runs * modules];
            for m in graph.ids() {
                for s in graph.samples(m) {
                    self_runs[s.run as usize * modules + m.index()] = s.self_us;
                    cumulative_runs[s.run as usize * modules + m.index()] = s.cumulative_us;
                }
            }
        }
        let figures = |r: usize, i: usize| match one_run {
            true => {
                let m = &graph.modules()[i];
                (m.self_us, m.cumulative_us)
            }
            false => (self_runs[r * modules + i], cumulative_runs[r * modules + i]),
        };
        let mut retained: Vec<u64> = vec![0; n];
        for r in 0..runs {
            for (i, slot) in retained[1..=modules].iter_mut().enumerate() {
                *slot = figures(r, i).0;
            }
            retained[0] = 0;
            retained[modules + 1..].fill(0);
            // Children before parents: numbers from the last down.
            for i in (1..reached).rev() {
                let (v, d) = (node_at(i as u32), node_at(doms[i]));
                retained[d] = retained[d].saturating_add(retained[v]);
            }
            for i in 0..modules {
                let yours = match gate[i] {
                    NO_GATE if all_gated[i] => retained[i + 1],
                    NO_GATE => 0,
                    g => retained[g as usize],
                };
                let cumulative = figures(r, i).1;
                everywhere_runs[i * runs + r] = retained[i + 1].min(cumulative);
                yours_runs[i * runs + r] = yours.min(cumulative);
            }
        }
        let medians = |mut values: Vec<u64>| -> Vec<u64> {
            if runs == 1 {
                return values; // one run: each figure is its own median
            }
            values
                .chunks_mut(runs)
                .map(|row| Spread::of(row).median)
                .collect()
        };
        // A gate's dominator is reported as the module it stands for.
        let module_of = |v: usize| match v {
            ROOT => None,
            v if v <= modules => Some(ModuleId::new(v as u32 - 1)),
            v => Some(gates[v - modules - 1]),
        };
        Dominators {
            idom: (1..=modules)
                .map(|v| {
                    let mut d = idom(v);
                    // Step over this module's own gate.
                    if let Some(g) = d
                        && g == gate[v - 1] as usize
                    {
                        d = idom(g);
                    }
                    d.and_then(module_of)
                })
                .collect(),
            retained_everywhere_us: medians(everywhere_runs),
            retained_us: medians(yours_runs),
        }
    }

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
