//! Dominators of the import graph, rooted at the program: module D dominates M when every
//! chain of imports from the program to M passes through D. Deferring D alone removes exactly
//! what D dominates, so a module's retained cost is the self time of its dominator subtree —
//! the "retained size" heap profilers show. (Cooper, Harvey & Kennedy's iterative algorithm:
//! no recursion, cycles welcome.)

use crate::model::{ImportGraph, ModuleId};

/// Node 0 is the program; module `m` is node `m + 1`.
const ROOT: usize = 0;

#[derive(Debug, Clone)]
pub struct Dominators {
    /// Immediate dominator of each module; `None` when it is the program.
    idom: Vec<Option<ModuleId>>,
    /// Self time of each module's dominator subtree, in µs.
    retained_us: Vec<u64>,
}

impl Dominators {
    pub fn compute(graph: &ImportGraph) -> Dominators {
        let n = graph.len() + 1;
        let successors = |node: usize| -> &[ModuleId] {
            if node == ROOT {
                graph.program_imports()
            } else {
                graph.imports(ModuleId(node as u32 - 1))
            }
        };

        // Reverse post-order from the program, iteratively.
        const UNSEEN: u32 = u32::MAX;
        let mut rpo_number = vec![UNSEEN; n];
        let mut postorder: Vec<usize> = Vec::with_capacity(n);
        let mut visited = vec![false; n];
        let mut stack: Vec<(usize, usize)> = vec![(ROOT, 0)];
        visited[ROOT] = true;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let succ = successors(node);
            if *next < succ.len() {
                let child = succ[*next].index() + 1;
                *next += 1;
                if !visited[child] {
                    visited[child] = true;
                    stack.push((child, 0));
                }
            } else {
                postorder.push(node);
                stack.pop();
            }
        }
        let rpo: Vec<usize> = postorder.iter().rev().copied().collect();
        for (i, &node) in rpo.iter().enumerate() {
            rpo_number[node] = i as u32;
        }

        let mut idom = vec![UNSEEN; n];
        idom[ROOT] = ROOT as u32;
        let intersect = |idom: &[u32], mut a: usize, mut b: usize| {
            while a != b {
                while rpo_number[a] > rpo_number[b] {
                    a = idom[a] as usize;
                }
                while rpo_number[b] > rpo_number[a] {
                    b = idom[b] as usize;
                }
            }
            a
        };
        let mut changed = true;
        while changed {
            changed = false;
            for &node in rpo.iter().skip(1) {
                let m = ModuleId(node as u32 - 1);
                let mut new_idom: Option<usize> = None;
                for importer in graph.importers(m) {
                    let p = importer.map_or(ROOT, |p| p.index() + 1);
                    if idom[p] == UNSEEN {
                        continue;
                    }
                    new_idom = Some(match new_idom {
                        None => p,
                        Some(current) => intersect(&idom, p, current),
                    });
                }
                if let Some(d) = new_idom
                    && idom[node] != d as u32
                {
                    idom[node] = d as u32;
                    changed = true;
                }
            }
        }

        // Retained: children before parents, i.e. reverse RPO.
        let mut retained_us: Vec<u64> = vec![0; n];
        for m in graph.ids() {
            retained_us[m.index() + 1] = graph.module(m).self_us.median;
        }
        for &node in rpo.iter().skip(1).rev() {
            let d = idom[node] as usize;
            retained_us[d] += retained_us[node];
        }
        Dominators {
            idom: (1..n)
                .map(|node| match idom[node] {
                    UNSEEN => None,
                    d if d as usize == ROOT => None,
                    d => Some(ModuleId(d - 1)),
                })
                .collect(),
            retained_us: retained_us[1..].to_vec(),
        }
    }

    pub fn idom(&self, m: ModuleId) -> Option<ModuleId> {
        self.idom[m.index()]
    }

    /// What deferring `m` alone removes from cold start, in µs.
    pub fn retained_us(&self, m: ModuleId) -> u64 {
        self.retained_us[m.index()]
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
}
