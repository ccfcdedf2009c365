//! The dominator tree by Cooper, Harvey & Kennedy's iterative algorithm over reverse
//! post-order numbers: no recursion, cycles welcome.

use super::flow::{Flow, ROOT};
use crate::model::{Importer, ModuleId};

pub(super) const UNSEEN: u32 = u32::MAX;

/// Dominators held as reverse post-order numbers (`doms[i]` is the number of the immediate
/// dominator of the node numbered `i`), as Cooper, Harvey & Kennedy keep them: a walk up the
/// tree then reads one array.
pub(super) struct Tree {
    /// Each node's reverse post-order number; `UNSEEN` when the program does not reach it.
    pub rpo_number: Vec<u32>,
    /// The reached nodes in post-order: the node numbered `i` is `postorder[reached - 1 - i]`.
    pub postorder: Vec<u32>,
    pub doms: Vec<u32>,
}

impl Tree {
    pub fn of<G: Fn(Importer, ModuleId) -> bool>(flow: &Flow<G>) -> Tree {
        let (rpo_number, postorder) = reverse_postorder(flow);
        let mut tree = Tree {
            doms: vec![UNSEEN; postorder.len()],
            rpo_number,
            postorder,
        };
        tree.doms[0] = 0;
        tree.settle(flow);
        tree
    }

    /// Nodes the program reaches.
    pub fn reached(&self) -> usize {
        self.postorder.len()
    }

    /// The node numbered `i`.
    pub fn node_at(&self, i: u32) -> usize {
        self.postorder[self.reached() - 1 - i as usize] as usize
    }

    /// The immediate dominator of node `v`, a node; `None` when `v` is not reached.
    pub fn idom(&self, v: usize) -> Option<usize> {
        match self.rpo_number[v] {
            UNSEEN => None,
            i => Some(self.node_at(self.doms[i as usize])),
        }
    }

    /// In reverse post-order every importer of a module comes before it unless an import cycle
    /// closes there: a pass is exact but for the modules such a cycle reaches. When none of
    /// them takes another value on a second look, nothing else can either (every other module's
    /// importers kept theirs), so the pass stands; else passes repeat.
    fn settle<G: Fn(Importer, ModuleId) -> bool>(&mut self, flow: &Flow<G>) {
        let mut walk = Walk::new(self.reached());
        loop {
            let mut doubtful: Vec<usize> = Vec::new();
            // In reverse post-order, the program (numbered 0) left out.
            for i in 1..self.reached() {
                let v = self.node_at(i as u32);
                let (d, unsettled) = walk.evaluate(flow, self, v);
                if unsettled {
                    doubtful.push(v);
                }
                if let Some(d) = d {
                    self.doms[i] = d;
                }
            }
            let settled = doubtful.iter().all(|&v| {
                let (d, _) = walk.evaluate(flow, self, v);
                d.is_none_or(|d| self.doms[self.rpo_number[v] as usize] == d)
            });
            if settled {
                break;
            }
        }
    }
}

/// Reverse post-order numbers from the program, iteratively, and the post-order itself.
fn reverse_postorder<G: Fn(Importer, ModuleId) -> bool>(flow: &Flow<G>) -> (Vec<u32>, Vec<u32>) {
    let n = flow.len();
    let mut rpo_number = vec![UNSEEN; n];
    let mut postorder: Vec<u32> = Vec::with_capacity(n);
    // A node is seen once its number is no longer UNSEEN; it gets its real one below.
    const SEEN: u32 = 0;
    let mut stack: Vec<(u32, u32)> = vec![(ROOT as u32, 0)];
    rpo_number[ROOT] = SEEN;
    while let Some(&mut (v, ref mut next)) = stack.last_mut() {
        if (*next as usize) < flow.successor_count(v as usize) {
            let child = flow.successor(v as usize, *next as usize);
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
    for (i, &v) in postorder.iter().rev().enumerate() {
        rpo_number[v as usize] = i as u32;
    }
    (rpo_number, postorder)
}

/// A module's immediate dominator from its importers seen so far, and whether an importer not
/// yet seen (an import cycle closing) could still move it. Values only move up the tree, so a
/// module the program alone dominates is settled whatever else imports it (a package's many
/// submodules, say).
///
/// Each importer's walk up the tree meets the value so far (Cooper, Harvey & Kennedy's
/// `intersect`). The value only moves up its own chain, so a node once walked through still
/// leads to it: it is marked, and a later importer's walk that reaches it stops there.
/// Submodules importing their package share their way up; each step is taken once per module
/// evaluated, not once per importer.
struct Walk {
    preds: Vec<usize>,
    marks: Vec<u32>,
    stamp: u32,
    walked: Vec<u32>,
}

impl Walk {
    fn new(reached: usize) -> Walk {
        Walk {
            preds: Vec::new(),
            marks: vec![0u32; reached],
            stamp: 0,
            walked: Vec::new(),
        }
    }

    fn evaluate<G: Fn(Importer, ModuleId) -> bool>(
        &mut self,
        flow: &Flow<G>,
        tree: &Tree,
        v: usize,
    ) -> (Option<u32>, bool) {
        if self.stamp == u32::MAX {
            self.marks.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
        let mut new_idom: Option<u32> = None;
        let mut retreating = false;
        let number = tree.rpo_number[v];
        flow.predecessors(v, &mut self.preds);
        for i in 0..self.preds.len() {
            let p = self.preds[i];
            let p_number = tree.rpo_number[p];
            if p_number == UNSEEN {
                continue; // not reached from the program
            }
            if tree.doms[p_number as usize] == UNSEEN {
                retreating |= p != v;
                continue;
            }
            retreating |= p_number > number;
            let meet = match new_idom {
                None => p_number,
                Some(current) => self.intersect(&tree.doms, p_number, current),
            };
            new_idom = Some(meet);
            if meet == ROOT as u32 {
                return (new_idom, false);
            }
        }
        (new_idom, retreating)
    }

    /// Where the walks up from `a` and `b` meet; nodes walked through from `a` are marked.
    fn intersect(&mut self, doms: &[u32], mut a: u32, mut b: u32) -> u32 {
        self.walked.clear();
        'walk: while a != b {
            while a > b {
                if self.marks[a as usize] == self.stamp {
                    // Reached a node that leads to the value: it stays.
                    a = b;
                    break 'walk;
                }
                self.walked.push(a);
                a = doms[a as usize];
            }
            while b > a {
                b = doms[b as usize];
            }
        }
        for &w in &self.walked {
            self.marks[w as usize] = self.stamp;
        }
        a
    }
}
