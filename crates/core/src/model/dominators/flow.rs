//! The import graph as the dominator walk sees it: node 0 is the program, module `m` is node
//! `m + 1`, gate nodes follow. Edges are read from the graph as they are needed, never copied.

use crate::model::{ImportGraph, Importer, ModuleId};

pub(super) const ROOT: usize = 0;
pub(super) const NO_GATE: u32 = u32::MAX;

pub(super) struct Flow<'g, G> {
    pub graph: &'g ImportGraph,
    /// Whether an import edge is the user's (editable).
    gated: G,
    pub modules: usize,
    /// Each module's gate node, or `NO_GATE`.
    pub gate: Vec<u32>,
    /// The module each gate stands for, in gate order.
    pub gates: Vec<ModuleId>,
    /// Whether every importer of the module is the user's.
    pub all_gated: Vec<bool>,
}

impl<'g, G: Fn(Importer, ModuleId) -> bool> Flow<'g, G> {
    /// Which importers of each module are the user's: all, none, or some (a gate).
    pub fn new(graph: &'g ImportGraph, gated: G) -> Self {
        let modules = graph.len();
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
        Flow {
            graph,
            gated,
            modules,
            gate,
            gates,
            all_gated,
        }
    }

    /// Nodes: the program, the modules, the gates.
    pub fn len(&self) -> usize {
        self.modules + 1 + self.gates.len()
    }

    fn node(m: ModuleId) -> usize {
        m.index() + 1
    }

    /// The module a node is (a gate's: the module it stands for); `None` for the program.
    pub fn module_of(&self, v: usize) -> Option<ModuleId> {
        match v {
            ROOT => None,
            v if v <= self.modules => Some(ModuleId::new(v as u32 - 1)),
            v => Some(self.gates[v - self.modules - 1]),
        }
    }

    /// Where an import of `to` from `from` lands: `to`'s gate when it has one and the import is
    /// the user's.
    fn target(&self, from: Importer, to: ModuleId) -> usize {
        let g = self.gate[to.index()];
        if g != NO_GATE && (self.gated)(from, to) {
            g as usize
        } else {
            Self::node(to)
        }
    }

    pub fn successor_count(&self, v: usize) -> usize {
        match v {
            ROOT => self.graph.program_imports().len(),
            v if v <= self.modules => self.graph.imports(ModuleId::new(v as u32 - 1)).len(),
            _ => 1,
        }
    }

    pub fn successor(&self, v: usize, i: usize) -> usize {
        match v {
            ROOT => self.target(None, self.graph.program_imports()[i]),
            v if v <= self.modules => {
                let from = ModuleId::new(v as u32 - 1);
                self.target(Some(from), self.graph.imports(from)[i])
            }
            v => Self::node(self.gates[v - self.modules - 1]),
        }
    }

    /// The nodes with an edge into `v`, into `out`.
    pub fn predecessors(&self, v: usize, out: &mut Vec<usize>) {
        out.clear();
        let (to, at_gate) = if v <= self.modules {
            (ModuleId::new(v as u32 - 1), false)
        } else {
            (self.gates[v - self.modules - 1], true)
        };
        let has_gate = self.gate[to.index()] != NO_GATE;
        if has_gate && !at_gate {
            out.push(self.gate[to.index()] as usize);
        }
        for &f in self.graph.importers(to) {
            if !has_gate || (self.gated)(f, to) == at_gate {
                let Some(f) = f else {
                    // The program imports it: the program alone is its dominator, and the
                    // other importers need no walk up the tree (a package's many submodules,
                    // each importing it).
                    out.clear();
                    out.push(ROOT);
                    return;
                };
                out.push(Self::node(f));
            }
        }
    }
}
